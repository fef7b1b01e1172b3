/* statusline.c: the status row's questions and one-line inputs: yes/no confirmations, inputs
 * and the `:` command line with its history. The line is edited with the editor's own text
 * buffer (pd_textbuf), so there is one implementation of editing UTF-8 text. */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* Puts text in the line being edited, with the cursor at its end. */
static void set_text(app_statusline *sl, const char *text)
{
    pd_tb_free(sl->text);
    sl->text = pd_tb_new(text, strlen(text));
    pd_tb_move(sl->text, PD_MOVE_DOC_END, 0);
}

void pd_statusline_clear(pd_app *app)
{
    free(app->statusline.label);
    app->statusline.label = NULL;
    app->statusline.kind = STATUSLINE_NONE;
    app->statusline.cmdline = false;
    pd_tb_free(app->statusline.text);
    app->statusline.text = NULL;
    pd_cmdline_complete_reset(&app->statusline);
    app->status_dirty = true;
}

bool pd_app_prompting(const pd_app *app)
{
    return app->statusline.kind != STATUSLINE_NONE;
}

void pd_statusline_cancel(pd_app *app)
{
    if (app->statusline.kind == STATUSLINE_NONE)
        return;
    app_statusline old = app->statusline;
    app->statusline.label = NULL;
    pd_statusline_clear(app);
    free(old.label);
    if (old.kind == STATUSLINE_CONFIRM && old.confirm)
        old.confirm(app, old.ud, false);
    else if (old.kind == STATUSLINE_INPUT && old.done)
        old.done(app, old.ud, NULL);
}

void pd_app_confirm(pd_app *app, const char *question, pd_confirm_fn fn, void *ud)
{
    char *label = pd_strdup(question);   /* before the old prompt's callback may free it */
    pd_statusline_cancel(app);
    app->statusline.kind = STATUSLINE_CONFIRM;
    app->statusline.label = label;
    app->statusline.confirm = fn;
    app->statusline.ud = ud;
    app->status_dirty = true;
}

void pd_app_input(pd_app *app, const char *prompt, const char *initial, pd_input_fn done,
                  pd_input_fn changed, void *ud)
{
    /* copies first: the old prompt's callback (run by the cancel) may free what they point to */
    char *label = pd_strdup(prompt), *init = pd_strdup(initial ? initial : "");
    pd_statusline_cancel(app);
    app_statusline *sl = &app->statusline;
    sl->kind = STATUSLINE_INPUT;
    sl->label = label;
    set_text(sl, init);
    free(init);
    sl->done = done;
    sl->changed = changed;
    sl->ud = ud;
    sl->hist_pos = app->n_history;
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
    app->statusline.cmdline = true;
}

static void finish(pd_app *app, bool accepted)
{
    app_statusline sl = app->statusline;
    char *text = accepted ? pd_tb_dup(sl.text) : NULL;
    char *label = sl.label;
    app->statusline.label = NULL;
    pd_statusline_clear(app);
    free(label);
    if (sl.kind == STATUSLINE_INPUT && sl.done)
        sl.done(app, sl.ud, text);
    free(text);
}

/* Ctrl-W: deletes back to the start of the word before the cursor (words end at spaces). */
static void delete_word_before(pd_textbuf *tb)
{
    const char *s = pd_tb_text(tb);
    size_t end = pd_tb_cursor(tb), i = end;
    while (i > 0 && s[i - 1] == ' ')
        i--;
    while (i > 0 && s[i - 1] != ' ')
        i--;
    pd_tb_delete_range(tb, i, end);
}

/* A key for the line being edited; true when it changed the text. */
static bool edit_key(pd_app *app, app_statusline *sl, int key)
{
    pd_textbuf *tb = sl->text;
    unsigned long gen = pd_tb_generation(tb);
    switch (key) {
    case PD_KEY_BACKSPACE:
    case PD_KEY_CTRL('H'):
    case PD_KEY_FN(KEY_BACKSPACE):
        pd_tb_backspace(tb);
        break;
    case PD_KEY_FN(KEY_DC):
    case PD_KEY_CTRL('D'):
        pd_tb_delete(tb);
        break;
    case PD_KEY_FN(KEY_LEFT):
    case PD_KEY_CTRL('B'):
        pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);
        break;
    case PD_KEY_FN(KEY_RIGHT):
    case PD_KEY_CTRL('F'):
        pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, 0);
        break;
    case PD_KEY_FN(KEY_HOME):
    case PD_KEY_CTRL('A'):
        pd_tb_move(tb, PD_MOVE_DOC_START, 0);
        break;
    case PD_KEY_FN(KEY_END):
    case PD_KEY_CTRL('E'):
        pd_tb_move(tb, PD_MOVE_DOC_END, 0);
        break;
    case PD_KEY_CTRL('U'):
        pd_tb_delete_range(tb, 0, pd_tb_cursor(tb));
        break;
    case PD_KEY_CTRL('K'):
        pd_tb_delete_range(tb, pd_tb_cursor(tb), pd_tb_len(tb));
        break;
    case PD_KEY_CTRL('W'):
        delete_word_before(tb);
        break;
    case PD_KEY_TAB:
    case PD_KEY_FN(KEY_BTAB):
        if (sl->cmdline)
            pd_cmdline_complete(app, key == PD_KEY_TAB ? 1 : -1);
        break;
    case PD_KEY_FN(KEY_UP):
    case PD_KEY_FN(KEY_DOWN):
        if (sl->cmdline && app->n_history) {
            if (key == PD_KEY_FN(KEY_UP) && sl->hist_pos > 0)
                sl->hist_pos--;
            else if (key == PD_KEY_FN(KEY_DOWN) && sl->hist_pos < app->n_history)
                sl->hist_pos++;
            set_text(sl, sl->hist_pos < app->n_history ? app->history[sl->hist_pos] : "");
        }
        return false;
    default:
        if (pd_key_is_text(key)) {
            char u[4];
            int n = pd_utf8_encode((uint32_t)key, u);
            if (n > 0)
                pd_tb_insert(tb, u, (size_t)n);
        }
        break;
    }
    return pd_tb_generation(tb) != gen;
}

bool pd_statusline_key(pd_app *app, int key)
{
    app_statusline *sl = &app->statusline;
    app->status_dirty = true;
    if (sl->kind == STATUSLINE_CONFIRM) {
        pd_confirm_fn fn = sl->confirm;
        void *ud = sl->ud;
        char *label = sl->label;
        sl->label = NULL;
        pd_statusline_clear(app);
        free(label);
        if (fn)
            fn(app, ud, key == 'y' || key == 'Y');
        return true;
    }
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
        if (pd_tb_len(sl->text) == 0 && sl->cmdline) {
            finish(app, false);   /* backspace on an empty command line closes it, as vim does */
            return true;
        }
        break;
    default:
        break;
    }
    if (key != PD_KEY_TAB && key != PD_KEY_FN(KEY_BTAB))
        pd_cmdline_complete_reset(sl);   /* any other key ends going round Tab's candidates */
    if (edit_key(app, sl, key) && sl->changed)
        sl->changed(app, sl->ud, pd_tb_text(sl->text));
    return true;
}

void pd_statusline_draw(pd_app *app)
{
    WINDOW *w = app->status_win;
    app_statusline *sl = &app->statusline;
    attr_t base = pd_app_attr(app, PD_STYLE_STATUS);
    attr_t ctrl = pd_app_attr(app, PD_STYLE_CONTROL);
    pd_pen pen = pd_pen_at(w, 0, 0, app->cols, ctrl);
    pd_pen_str(&pen, sl->label, pd_app_attr(app, PD_STYLE_PROMPT));
    if (sl->kind == STATUSLINE_CONFIRM) {
        pd_pen_str(&pen, " [y/N] ", pd_app_attr(app, PD_STYLE_PROMPT));
        int cx = pen.x;
        pd_pen_fill(&pen, base);
        wmove(w, 0, cx < app->cols ? cx : app->cols - 1);
        return;
    }
    const char *t = pd_tb_text(sl->text);
    int start = pen.x;
    int avail = app->cols - start - 1;
    int before = pd_text_width(t, pd_tb_cursor(sl->text), 0);
    pen.skip = before > avail ? before - avail : 0;
    pen.col = 0;
    pd_pen_text(&pen, t, pd_tb_len(sl->text), base);
    pd_pen_fill(&pen, base);
    int cx = start + before - (before > avail ? before - avail : 0);
    wmove(w, 0, cx < app->cols ? cx : app->cols - 1);
}
