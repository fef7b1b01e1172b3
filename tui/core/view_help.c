/* view_help.c: `?` and `:help [PANE]`: the keys of a pane (as bound now, after the config's
 * [keys]), its notes, then the keys every pane shares and the `:` commands; `:help panes`:
 * the registered panes; `:messages`: the session's status lines. Long lines wrap; `/` filters
 * the lines as it is typed. */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

typedef struct help_line {
    char *key;        /* NULL: a heading or a note in text */
    char *text;
    bool heading;
    bool error;       /* a message that was an error (:messages) */
} help_line;

/* One screen row: a piece of a line, wrapped at the pane's width. */
typedef struct help_row {
    size_t line;
    size_t off, len;  /* the piece of the line's text */
    bool first;       /* the line's first row (draws the key) */
} help_row;

typedef struct help_state {
    help_line *lines;
    size_t n;
    char *title;
    help_row *rows;
    size_t n_rows;
    char *filter;     /* lines holding it (and their headings) are shown; NULL: all */
    char *filter_before;   /* the filter when `/` was typed (Esc puts it back) */
} help_state;

#define KEY_COLUMN 3
#define TEXT_COLUMN 25

static void add(help_state *h, const char *key, const char *text, bool heading)
{
    h->lines = pd_xrealloc(h->lines, (h->n + 1) * sizeof *h->lines);
    h->lines[h->n++] = (help_line){pd_strdup(key), pd_strdup(text), heading, false};
}

/* The column where line l's text starts. */
static int text_column(const help_line *l)
{
    if (l->heading)
        return 1;
    if (!l->key)
        return KEY_COLUMN;
    int after_key = KEY_COLUMN + pd_text_width(l->key, strlen(l->key), 0) + 1;
    return after_key > TEXT_COLUMN ? after_key : TEXT_COLUMN;
}

/* The column of a row of l's text: its first row's, or (first false) the rows it wraps to:
 * under the text after a key; under a note's own text, two further in, so that a note that
 * continues on indented lines still reads as one paragraph. */
static int row_column(const help_line *l, bool first)
{
    if (l->key || l->heading || first)
        return text_column(l);
    return KEY_COLUMN + (int)strspn(l->text, " ") + 2;
}

static bool line_has(const help_line *l, const char *filter)
{
    return pd_search_find(l->text, strlen(l->text), 0, filter, NULL) != (size_t)-1 ||
           (l->key && pd_search_find(l->key, strlen(l->key), 0, filter, NULL) != (size_t)-1);
}

/* Whether line i is shown under the filter: it holds it, or it is the heading of a section
 * with a line that does. */
static bool shown(const help_state *h, size_t i)
{
    if (!h->filter)
        return true;
    const help_line *l = &h->lines[i];
    if (!l->heading)
        return *l->text && line_has(l, h->filter);
    for (size_t j = i + 1; j < h->n && !h->lines[j].heading; j++)
        if (*h->lines[j].text && line_has(&h->lines[j], h->filter))
            return true;
    return line_has(l, h->filter);
}

static void push_row(help_state *h, help_row r)
{
    h->rows = pd_xrealloc(h->rows, (h->n_rows + 1) * sizeof *h->rows);
    h->rows[h->n_rows++] = r;
}

/* Lays the shown lines out in rows of the pane's width: long texts wrap at spaces, under
 * their own first column. */
static void relayout(pd_view *v)
{
    help_state *h = v->data;
    h->n_rows = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (!shown(h, i))
            continue;
        const help_line *l = &h->lines[i];
        size_t len = strlen(l->text);
        if (l->heading || len == 0 || v->width - row_column(l, false) < 10) {
            push_row(h, (help_row){i, 0, len, true});
            continue;
        }
        for (size_t off = 0; off < len;) {
            int avail = v->width - row_column(l, off == 0);
            size_t n = pd_text_fit(l->text + off, len - off, avail, true);
            if (n == 0)
                n = len - off;
            push_row(h, (help_row){i, off, n, off == 0});
            off += n;
            while (off < len && l->text[off] == ' ')
                off++;
        }
    }
    pd_view_set_lines(v, h->n_rows);
}

static void help_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    help_state *h = v->data;
    const help_row *r = &h->rows[line];
    const help_line *l = &h->lines[r->line];
    pd_app *app = v->app;
    attr_t n = pd_app_attr(app, PD_STYLE_NORMAL);
    attr_t text = l->error ? pd_app_attr(app, PD_STYLE_RUN_ERROR) : n;
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    if (l->heading) {
        pd_pen_str(&p, " ", n);
        pd_pen_str(&p, l->text, pd_app_attr(app, PD_STYLE_HEADER));
    } else {
        pd_pen_str(&p, "   ", n);
        if (l->key && r->first)
            pd_pen_str(&p, l->key, pd_app_attr(app, PD_STYLE_KEY));
        if (l->key) {
            pd_pen_pad_to(&p, text_column(l) - 1, n);
            pd_pen_str(&p, " ", n);
        } else if (!r->first) {
            pd_pen_pad_to(&p, row_column(l, false), n);
        }
        pd_pen_text(&p, l->text + r->off, r->len, text);
    }
    pd_pen_fill(&p, n);
}

static const char *help_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    help_state *h = v->data;
    const help_row *r = &h->rows[line];
    const help_line *l = &h->lines[r->line];
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (l->key && r->first)
        pd_buf_printf(scratch, "%s ", l->key);
    pd_buf_append(scratch, l->text + r->off, r->len);
    return pd_buf_str(scratch);
}

static void help_title(pd_view *v, char *buf, size_t size)
{
    help_state *h = v->data;
    if (h->filter)
        snprintf(buf, size, "%s  filter: %s", h->title, h->filter);
    else
        snprintf(buf, size, "%s", h->title);
}

static void set_filter(pd_view *v, const char *filter)
{
    help_state *h = v->data;
    free(h->filter);
    h->filter = filter && *filter ? pd_strdup(filter) : NULL;
    relayout(v);
    pd_view_scroll(v, -(long)v->offset);
    pd_view_set_search(v, h->filter);
}

static void filter_changed(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    if (pd_app_focus(app) == v)
        set_filter(v, text);
}

static void filter_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    if (pd_app_focus(app) != v)
        return;
    help_state *h = v->data;
    char *before = h->filter_before;
    h->filter_before = NULL;
    set_filter(v, text ? text : before);
    if (text && h->filter && !h->n_rows)
        pd_app_status(app, "Nothing in this help holds \"%s\" (Esc shows everything)", h->filter);
    free(before);
}

static bool help_key(pd_view *v, int key, int act)
{
    help_state *h = v->data;
    if (act == PD_ACT_SEARCH) {
        free(h->filter_before);
        h->filter_before = pd_strdup(h->filter);
        pd_app_input(v->app, "Filter help: ", h->filter, filter_done, filter_changed, v);
        return true;
    }
    if (act == PD_ACT_BACK && key == PD_KEY_ESC && h->filter) {
        set_filter(v, NULL);
        return true;
    }
    return false;
}

static void help_close(pd_view *v)
{
    help_state *h = v->data;
    for (size_t i = 0; i < h->n; i++) {
        free(h->lines[i].key);
        free(h->lines[i].text);
    }
    free(h->lines);
    free(h->rows);
    free(h->title);
    free(h->filter);
    free(h->filter_before);
    free(h);
}

const pd_view_ops pd_help_pane = {
    .name = "help",
    .draw_line = help_draw,
    .key = help_key,
    .resize = relayout,
    .close = help_close,
    .title = help_title,
    .line_text = help_line_text,
    .keybar = "search back",
};

/* Shows the help made of h's lines, full screen. */
static pd_view *show(pd_app *app, help_state *h)
{
    pd_view *v = pd_view_new(app, &pd_help_pane, h);
    v->has_cursor = false;
    for (size_t i = 0; i < h->n; i++) {
        /* headings of notes start with '#': drop the marker */
        if (h->lines[i].heading && h->lines[i].text[0] == '#')
            memmove(h->lines[i].text, h->lines[i].text + 1, strlen(h->lines[i].text));
    }
    v->width = pd_app_cols(app);   /* laid out again at the pane's size when it is shown */
    relayout(v);
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
    return v;
}

/* The keys bound to the global action act that do it in the pane ops: not those the pane
 * binds to actions of its own, nor printable ones where it types text. Into buf, space
 * separated; "" when none is left. */
static const char *shared_keys(pd_app *app, const pd_view_ops *ops, int act, char *buf, size_t size)
{
    const pd_keymap *global = app->global_keys, *own = ops ? pd_app_pane_keys(app, ops) : NULL;
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; global && i < global->n; i++) {
        int key = global->b[i].key;
        if (global->b[i].action != act || pd_keymap_lookup(own, key) != PD_ACT_NONE ||
            (ops && ops->types_text && pd_key_is_text(key)))
            continue;
        char name[32];
        int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "", pd_key_name(key, name, sizeof name));
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    return buf;
}

/* What the global action does in the pane ops (its global_help entry, else the usual help),
 * or NULL when it does nothing there. */
static const char *shared_help(const pd_view_ops *ops, const pd_keydef *global)
{
    if (!ops || !ops->global_help)
        return global->help;
    for (const pd_keydef *d = ops->global_help; d->action; d++)
        if (d->action == global->action)
            return d->help ? d->help : global->help;
    return NULL;
}

/* The keys every pane shares, as they work in the pane ops. */
static void add_shared_keys(pd_app *app, help_state *h, const pd_view_ops *ops)
{
    char keys[128];
    add(h, NULL, ops && ops->global_help ? "Other keys" : "Every pane", true);
    for (const pd_keydef *d = pd_global_keydefs(); d->action; d++) {
        const char *help = shared_help(ops, d);
        if (help && *shared_keys(app, ops, d->action, keys, sizeof keys))
            add(h, keys, help, false);
    }
    add(h, NULL, "", false);
}

/* The app's own `:` commands. */
static void add_commands(help_state *h)
{
    add(h, NULL, "Commands (type : then the command, Enter runs it)", true);
    add(h, ":quit", "Quit", false);
    add(h, ":help", "This help", false);
    add(h, ":theme NAME|PATH", "Switch theme (default, light, high-contrast, monochrome)", false);
    add(h, ":split PERCENT", "Width of the left pane", false);
    add(h, ":mouse on|off", "Mouse clicks and wheel", false);
    add(h, ":redraw", "Repaint the screen", false);
    add(h, ":messages", "The status lines of this session, whole (errors too)", false);
    add(h, ":keybar on|off", "The bar of main keys above the status row (also K)", false);
    add(h, NULL, "", false);
}

void pd_open_help(pd_app *app, const pd_view_ops *ops)
{
    if (ops == &pd_help_pane)
        return;
    help_state *h = pd_xcalloc(1, sizeof *h);
    char title[128], keys[128];
    snprintf(title, sizeof title, "Help: keys of the %s pane (/ filters, q closes)", ops ? ops->name : "main");
    h->title = pd_strdup(title);
    if (ops && ops->keys) {
        char head[64];
        snprintf(head, sizeof head, "%c%s pane", ops->name[0] - ('a' - 'A'), ops->name + 1);
        add(h, NULL, head, true);
        pd_keymap *m = pd_app_pane_keys(app, ops);
        for (const pd_keydef *d = ops->keys; d->action; d++)
            add(h, pd_keymap_keys(m, d->action, keys, sizeof keys), d->help, false);
        add(h, NULL, "", false);
    }
    if (ops && ops->help_notes) {
        for (const char *const *n = ops->help_notes; *n; n++)
            add(h, NULL, *n, (*n)[0] == '#');
        add(h, NULL, "", false);
    }
    add_shared_keys(app, h, ops);
    if (!ops || !ops->types_text)
        add_commands(h);
    add(h, NULL, "Prompt lines (filter, command line, names)", true);
    add(h, "<Enter> / <Esc>", "Accept / cancel", false);
    add(h, "<Left> <Right>", "Move by character (also <C-b> <C-f>)", false);
    add(h, "<Home> <End>", "Start / end of the line (also <C-a> <C-e>)", false);
    add(h, "<BS> <Del>", "Delete before / at the cursor", false);
    add(h, "<C-w> <C-u> <C-k>", "Delete a word / to the start / to the end", false);
    add(h, "<Up> <Down>", "Earlier commands (command line)", false);
    add(h, "<Tab> <S-Tab>", "Complete a command, slug, version, pane or theme (command line)", false);
    add(h, NULL, "", false);
    add(h, NULL, "Mouse: a click selects (a click on a title focuses that pane), a double click", false);
    add(h, NULL, "opens, the wheel scrolls. Off with :mouse off, --no-mouse or mouse = false.", false);
    add(h, NULL, "", false);
    add(h, NULL, "Rebind keys in $XDG_CONFIG_HOME/promptdeck/config, section [keys]:", false);
    add(h, NULL, "  down = j <Down>        (a key every pane shares)", false);
    add(h, NULL, "  timeline.promote = P   (a key of one pane: PANE.ACTION)", false);
    show(app, h);
}

void pd_open_help_panes(pd_app *app)
{
    help_state *h = pd_xcalloc(1, sizeof *h);
    h->title = pd_strdup("Help: the panes (/ filters, q closes)");
    add(h, NULL, "Panes (:help PANE shows the keys of one)", true);
    for (size_t i = 0; i < app->n_panes; i++)
        add(h, app->panes[i].ops->name, app->panes[i].description, false);
    show(app, h);
}

void pd_open_messages(pd_app *app)
{
    help_state *h = pd_xcalloc(1, sizeof *h);
    h->title = pd_strdup("Messages: the status lines of this session, newest last (q closes)");
    if (!app->n_messages)
        add(h, NULL, "No messages yet.", false);
    for (size_t i = 0; i < app->n_messages; i++) {
        const app_message *m = &app->messages[i];
        char repeats[32] = "";
        if (m->repeats)
            snprintf(repeats, sizeof repeats, " (%u times)", m->repeats + 1);
        pd_buf line = PD_BUF_INIT;
        pd_buf_printf(&line, "%s%s", m->text, repeats);
        add(h, NULL, pd_buf_str(&line), false);
        h->lines[h->n - 1].error = m->error;
        pd_buf_free(&line);
    }
    pd_view *v = show(app, h);
    pd_view_scroll(v, (long)v->n_lines);
}
