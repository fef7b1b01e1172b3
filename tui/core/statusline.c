/* prompt.c: the status row's prompts: yes/no confirmations and one-line inputs with editing
 * (UTF-8 aware), including the `:` command line with its history. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core_priv.h"

void pd_prompt_clear(pd_app *app)
{
    free(app->prompt.label);
    app->prompt.label = NULL;
    app->prompt.kind = PROMPT_NONE;
    app->prompt.cmdline = false;
    pd_buf_reset(&app->prompt.text);
    app->prompt.pos = 0;
    app->status_dirty = true;
}

bool pd_app_prompting(const pd_app *app)
{
    return app->prompt.kind != PROMPT_NONE;
}

void pd_prompt_cancel(pd_app *app)
{
    if (app->prompt.kind == PROMPT_NONE)
        return;
    app_prompt old = app->prompt;
    app->prompt.label = NULL;
    pd_prompt_clear(app);
    free(old.label);
    if (old.kind == PROMPT_CONFIRM && old.confirm)
        old.confirm(app, old.ud, false);
    else if (old.kind == PROMPT_INPUT && old.done)
        old.done(app, old.ud, NULL);
}

void pd_app_confirm(pd_app *app, const char *question, pd_confirm_fn fn, void *ud)
{
    char *label = pd_strdup(question);   /* before the old prompt's callback may free it */
    pd_prompt_cancel(app);
    app->prompt.kind = PROMPT_CONFIRM;
    app->prompt.label = label;
    app->prompt.confirm = fn;
    app->prompt.ud = ud;
    app->status_dirty = true;
}

void pd_app_input(pd_app *app, const char *prompt, const char *initial, pd_input_fn done,
                  pd_input_fn changed, void *ud)
{
    /* copies first: the old prompt's callback (run by the cancel) may free what they point to */
    char *label = pd_strdup(prompt), *init = pd_strdup(initial ? initial : "");
    pd_prompt_cancel(app);
    app->prompt.kind = PROMPT_INPUT;
    app->prompt.label = label;
    pd_buf_reset(&app->prompt.text);
    pd_buf_puts(&app->prompt.text, init);
    free(init);
    app->prompt.pos = app->prompt.text.len;
    app->prompt.done = done;
    app->prompt.changed = changed;
    app->prompt.ud = ud;
    app->prompt.hist_pos = app->n_history;
    app->status_dirty = true;
}

static void cmdline_done(pd_app *app, void *ud, const char *text)
{
    (void)ud;
    if (!text || !*text)
        return;
    if (!app->n_history || strcmp(app->history[app->n_history - 1], text) != 0) {
        app->history = pd_xrealloc(app->history, (app->n_history + 1) * sizeof *app->history);
        app->history[app->n_history++] = pd_strdup(text);
    }
    pd_app_run_command(app, text);
}

void pd_app_cmdline(pd_app *app, const char *initial)
{
    pd_app_input(app, ":", initial, cmdline_done, NULL, NULL);
    app->prompt.cmdline = true;
}

/* Byte length of the UTF-8 character ending at pos / starting at pos. */
static size_t char_before(const char *s, size_t pos)
{
    size_t i = pos;
    while (i > 0) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            break;
    }
    return pos - i;
}

static size_t char_after(const char *s, size_t len, size_t pos)
{
    size_t i = pos + 1;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return pos < len ? i - pos : 0;
}

static void delete_range(pd_buf *b, size_t from, size_t to)
{
    memmove(b->data + from, b->data + to, b->len - to + 1);
    b->len -= to - from;
}

static void finish(pd_app *app, bool accepted)
{
    app_prompt p = app->prompt;
    char *text = accepted ? pd_strdup(pd_buf_str(&p.text)) : NULL;
    char *label = p.label;
    app->prompt.label = NULL;
    pd_prompt_clear(app);
    free(label);
    if (p.kind == PROMPT_INPUT && p.done)
        p.done(app, p.ud, text);
    free(text);
}

bool pd_prompt_key(pd_app *app, int key)
{
    app_prompt *p = &app->prompt;
    app->status_dirty = true;
    if (p->kind == PROMPT_CONFIRM) {
        pd_confirm_fn fn = p->confirm;
        void *ud = p->ud;
        char *label = p->label;
        p->label = NULL;
        pd_prompt_clear(app);
        free(label);
        if (fn)
            fn(app, ud, key == 'y' || key == 'Y');
        return true;
    }
    pd_buf *b = &p->text;
    if (!b->data)
        pd_buf_puts(b, "");
    bool edited = false;
    switch (key) {
    case PD_KEY_ENTER:
    case '\n':
        finish(app, true);
        return true;
    case PD_KEY_ESC:
    case PD_KEY_CTRL('C'):
    case PD_KEY_CTRL('G'):
        finish(app, false);
        return true;
    case PD_KEY_BACKSPACE:
    case PD_KEY_CTRL('H'):
    case PD_KEY_FN(KEY_BACKSPACE):
        if (p->pos > 0) {
            size_t n = char_before(b->data, p->pos);
            delete_range(b, p->pos - n, p->pos);
            p->pos -= n;
            edited = true;
        } else if (b->len == 0 && p->cmdline) {
            finish(app, false);   /* backspace on an empty command line closes it, as vim does */
            return true;
        }
        break;
    case PD_KEY_FN(KEY_DC):
    case PD_KEY_CTRL('D'):
        if (p->pos < b->len) {
            delete_range(b, p->pos, p->pos + char_after(b->data, b->len, p->pos));
            edited = true;
        }
        break;
    case PD_KEY_FN(KEY_LEFT):
    case PD_KEY_CTRL('B'):
        p->pos -= char_before(b->data, p->pos);
        break;
    case PD_KEY_FN(KEY_RIGHT):
    case PD_KEY_CTRL('F'):
        p->pos += char_after(b->data, b->len, p->pos);
        break;
    case PD_KEY_FN(KEY_HOME):
    case PD_KEY_CTRL('A'):
        p->pos = 0;
        break;
    case PD_KEY_FN(KEY_END):
    case PD_KEY_CTRL('E'):
        p->pos = b->len;
        break;
    case PD_KEY_CTRL('U'):
        delete_range(b, 0, p->pos);
        p->pos = 0;
        edited = true;
        break;
    case PD_KEY_CTRL('K'):
        b->len = p->pos;
        b->data[b->len] = 0;
        edited = true;
        break;
    case PD_KEY_CTRL('W'): {
        size_t i = p->pos;
        while (i > 0 && b->data[i - 1] == ' ')
            i--;
        while (i > 0 && b->data[i - 1] != ' ')
            i--;
        delete_range(b, i, p->pos);
        p->pos = i;
        edited = true;
        break;
    }
    case PD_KEY_FN(KEY_UP):
    case PD_KEY_FN(KEY_DOWN):
        if (p->cmdline && app->n_history) {
            if (key == PD_KEY_FN(KEY_UP) && p->hist_pos > 0)
                p->hist_pos--;
            else if (key == PD_KEY_FN(KEY_DOWN) && p->hist_pos < app->n_history)
                p->hist_pos++;
            pd_buf_reset(b);
            pd_buf_puts(b, p->hist_pos < app->n_history ? app->history[p->hist_pos] : "");
            p->pos = b->len;
        }
        break;
    default:
        if (pd_key_is_text(key) && key < 0x110000) {
            char mb[8];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t n = wcrtomb(mb, (wchar_t)key, &st);
            if (n != (size_t)-1) {
                pd_buf_append(b, "", 0);
                pd_buf tail = PD_BUF_INIT;
                pd_buf_puts(&tail, b->data + p->pos);
                b->len = p->pos;
                b->data[b->len] = 0;
                pd_buf_append(b, mb, n);
                pd_buf_append(b, tail.data ? tail.data : "", tail.len);
                pd_buf_free(&tail);
                p->pos += n;
                edited = true;
            }
        }
        break;
    }
    if (edited && p->changed)
        p->changed(app, p->ud, pd_buf_str(b));
    return true;
}

void pd_prompt_draw(pd_app *app)
{
    WINDOW *w = app->status_win;
    app_prompt *p = &app->prompt;
    attr_t base = pd_app_attr(app, PD_STYLE_STATUS);
    attr_t ctrl = pd_app_attr(app, PD_STYLE_CONTROL);
    pd_pen pen = pd_pen_at(w, 0, 0, app->cols, ctrl);
    pd_pen_str(&pen, p->label, pd_app_attr(app, PD_STYLE_PROMPT));
    if (p->kind == PROMPT_CONFIRM) {
        pd_pen_str(&pen, " [y/N] ", pd_app_attr(app, PD_STYLE_PROMPT));
        int cx = pen.x;
        pd_pen_fill(&pen, base);
        wmove(w, 0, cx < app->cols ? cx : app->cols - 1);
        return;
    }
    const char *t = pd_buf_str(&p->text);
    int start = pen.x;
    int avail = app->cols - start - 1;
    int before = pd_text_width(t, p->pos, 0);
    pen.skip = before > avail ? before - avail : 0;
    pen.col = 0;
    pd_pen_text(&pen, t, p->text.len, base);
    pd_pen_fill(&pen, base);
    int cx = start + before - (before > avail ? before - avail : 0);
    wmove(w, 0, cx < app->cols ? cx : app->cols - 1);
}
