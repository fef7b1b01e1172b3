/* view_help.c: `?` and `:help [PANE]`: the keys of a pane (as bound now, after the config's
 * [keys]), its notes, then the keys every pane shares and the `:` commands; `:help panes`:
 * the registered panes. */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

typedef struct help_line {
    char *key;        /* NULL: a heading or a note in text */
    char *text;
    bool heading;
} help_line;

typedef struct help_state {
    help_line *lines;
    size_t n;
    char *title;
} help_state;

static void add(help_state *h, const char *key, const char *text, bool heading)
{
    h->lines = pd_xrealloc(h->lines, (h->n + 1) * sizeof *h->lines);
    h->lines[h->n++] = (help_line){pd_strdup(key), pd_strdup(text), heading};
}

static void help_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    help_state *h = v->data;
    help_line *l = &h->lines[line];
    pd_app *app = v->app;
    attr_t n = pd_app_attr(app, PD_STYLE_NORMAL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    if (l->heading) {
        pd_pen_str(&p, " ", n);
        pd_pen_str(&p, l->text, pd_app_attr(app, PD_STYLE_HEADER));
    } else if (l->key) {
        pd_pen_str(&p, "   ", n);
        pd_pen_str(&p, l->key, pd_app_attr(app, PD_STYLE_KEY));
        pd_pen_pad_to(&p, 24, n);
        pd_pen_str(&p, " ", n);
        pd_pen_str(&p, l->text, n);
    } else {
        pd_pen_str(&p, "   ", n);
        pd_pen_str(&p, l->text, n);
    }
    pd_pen_fill(&p, n);
}

static void help_title(pd_view *v, char *buf, size_t size)
{
    help_state *h = v->data;
    snprintf(buf, size, "%s", h->title);
}

static void help_close(pd_view *v)
{
    help_state *h = v->data;
    for (size_t i = 0; i < h->n; i++) {
        free(h->lines[i].key);
        free(h->lines[i].text);
    }
    free(h->lines);
    free(h->title);
    free(h);
}

const pd_view_ops pd_help_pane = {
    .name = "help",
    .draw_line = help_draw,
    .close = help_close,
    .title = help_title,
};

/* Shows the help made of h's lines, full screen. */
static void show(pd_app *app, help_state *h)
{
    pd_view *v = pd_view_new(app, &pd_help_pane, h);
    v->has_cursor = false;
    for (size_t i = 0; i < h->n; i++) {
        /* headings of notes start with '#': drop the marker */
        if (h->lines[i].heading && h->lines[i].text[0] == '#')
            memmove(h->lines[i].text, h->lines[i].text + 1, strlen(h->lines[i].text));
    }
    pd_view_set_lines(v, h->n);
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
}

void pd_open_help(pd_app *app, const pd_view_ops *ops)
{
    if (ops == &pd_help_pane)
        return;
    help_state *h = pd_xcalloc(1, sizeof *h);
    char title[128], keys[128];
    snprintf(title, sizeof title, "Help: keys of the %s pane (q or Esc closes)", ops ? ops->name : "main");
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
    add(h, NULL, "Every pane", true);
    for (const pd_keydef *d = pd_global_keydefs(); d->action; d++)
        add(h, pd_app_keys_for(app, NULL, d->action, keys, sizeof keys), d->help, false);
    add(h, NULL, "", false);
    add(h, NULL, "Commands (type : then the command, Enter runs it)", true);
    add(h, ":quit", "Quit", false);
    add(h, ":help", "This help", false);
    add(h, ":theme NAME|PATH", "Switch theme (default, light, high-contrast, monochrome)", false);
    add(h, ":split PERCENT", "Width of the left pane", false);
    add(h, ":mouse on|off", "Mouse clicks and wheel", false);
    add(h, ":redraw", "Repaint the screen", false);
    add(h, NULL, "", false);
    add(h, NULL, "Prompt lines (filter, command line, names)", true);
    add(h, "<Enter> / <Esc>", "Accept / cancel", false);
    add(h, "<Left> <Right>", "Move by character (also <C-b> <C-f>)", false);
    add(h, "<Home> <End>", "Start / end of the line (also <C-a> <C-e>)", false);
    add(h, "<BS> <Del>", "Delete before / at the cursor", false);
    add(h, "<C-w> <C-u> <C-k>", "Delete a word / to the start / to the end", false);
    add(h, "<Up> <Down>", "Earlier commands (command line)", false);
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
    h->title = pd_strdup("Help: the panes (q or Esc closes)");
    add(h, NULL, "Panes (:help PANE shows the keys of one)", true);
    for (size_t i = 0; i < app->n_panes; i++)
        add(h, app->panes[i].ops->name, app->panes[i].description, false);
    show(app, h);
}
