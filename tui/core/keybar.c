/* keybar.c: the key bar, as lazygit shows it: one row above the status row naming the main
 * keys of the focused pane (its ops->keybar, with the keys as bound now), then `/ search` where
 * the pane has a search and `? help`; while the status row asks something, the keys that
 * answer it. K (or :keybar) hides and shows it; `keybar = false` in the config starts without. */
#include <string.h>

#include "core_priv.h"

bool pd_keybar_shown(const pd_app *app)
{
    return app->keybar && app->rows >= 6;
}

void pd_keybar_layout(pd_app *app)
{
    if (app->keybar_win)
        delwin(app->keybar_win);
    app->keybar_win = NULL;
    if (!app->screen || !pd_keybar_shown(app))
        return;
    app->keybar_win = newwin(1, app->cols, app->rows - 2, 0);
    if (app->keybar_win)
        leaveok(app->keybar_win, TRUE);
}

/* A key's name as the bar shows it: without the angle brackets ("Enter", "C-s"). */
static void bar_key_name(int key, char *buf, size_t size)
{
    char name[32];
    pd_key_name(key, name, sizeof name);
    size_t n = strlen(name);
    if (n > 2 && name[0] == '<' && name[n - 1] == '>')
        snprintf(buf, size, "%.*s", (int)(n - 2), name + 1);
    else
        snprintf(buf, size, "%s", name);
}

/* The first key that does action in v's pane: for a global action, one the pane does not take
 * for an action of its own. false when none does. */
static bool first_key(pd_app *app, const pd_view *v, int action, char *buf, size_t size)
{
    const pd_keymap *own = v ? pd_app_view_keys(app, v) : NULL;
    const pd_keymap *m = action >= PD_VIEW_ACT ? own : app->global_keys;
    for (size_t i = 0; m && i < m->n; i++) {
        if (m->b[i].action != action)
            continue;
        if (m != own && pd_keymap_lookup(own, m->b[i].key) != PD_ACT_NONE)
            continue;
        bar_key_name(m->b[i].key, buf, size);
        return true;
    }
    return false;
}

/* The action named name in v's keys or the global ones, or PD_ACT_NONE. */
static int action_named(const pd_view *v, const char *name, size_t len)
{
    for (const pd_keydef *d = v && v->ops->keys ? v->ops->keys : NULL; d && d->action; d++)
        if (strlen(d->name) == len && !strncmp(d->name, name, len))
            return d->action;
    for (const pd_keydef *d = pd_global_keydefs(); d->action; d++)
        if (strlen(d->name) == len && !strncmp(d->name, name, len))
            return d->action;
    return PD_ACT_NONE;
}

/* Draws "KEY label" with two spaces before it unless it is the first; false when it does not
 * fit (nothing is drawn then). */
static bool entry(pd_app *app, pd_pen *p, const char *key, const char *label, size_t label_len)
{
    int w = pd_text_width(key, strlen(key), 0) + 1 + pd_text_width(label, label_len, 0) + (p->x > 1 ? 2 : 0);
    if (w > pd_pen_left(p))
        return false;
    attr_t base = pd_app_attr(app, PD_STYLE_STATUS);
    if (p->x > 1)
        pd_pen_str(p, "  ", base);
    pd_pen_str(p, key, pd_app_attr(app, PD_STYLE_KEY));
    pd_pen_str(p, " ", base);
    pd_pen_text(p, label, label_len, pd_app_attr(app, PD_STYLE_DIM));
    return true;
}

/* The keys of the question or line open on the status row. */
static void prompt_entries(pd_app *app, pd_pen *p)
{
    static const char *const confirm[] = {"y", "yes", "n", "no", "Esc", "no", NULL};
    static const char *const cmdline[] = {"Enter", "run", "Esc", "cancel", "Tab", "complete", "Up", "earlier", NULL};
    static const char *const input[] = {"Enter", "accept", "Esc", "cancel", "C-u", "clear", NULL};
    const app_statusline *sl = &app->statusline;
    if (sl->n_comp > 1) {
        /* Tab's candidates, the one shown standing out */
        attr_t dim = pd_app_attr(app, PD_STYLE_DIM), key = pd_app_attr(app, PD_STYLE_KEY);
        pd_pen_str(p, "Tab:", key);
        for (size_t i = 0; i < sl->n_comp && pd_pen_left(p) > 1; i++) {
            pd_pen_str(p, " ", dim);
            pd_pen_str(p, sl->comp[i], i == sl->comp_i ? pd_app_attr(app, PD_STYLE_CURSOR) : dim);
        }
        return;
    }
    const char *const *e = sl->kind == STATUSLINE_CONFIRM ? confirm : sl->cmdline ? cmdline : input;
    for (; *e && entry(app, p, e[0], e[1], strlen(e[1])); e += 2) {
    }
}

/* The focused pane's main keys, then search, and help (whose room is kept). Labels are the
 * actions' names, without a "toggle-" in front. */
static void pane_entries(pd_app *app, pd_pen *p, const pd_view *v)
{
    char key[32], help[32];
    bool search_listed = false;
    bool has_help = first_key(app, v, PD_ACT_HELP, help, sizeof help);
    int end = p->end;
    if (has_help)
        p->end -= pd_text_width(help, strlen(help), 0) + 7;   /* "  KEY help" */
    const char *s = v && v->ops->keybar ? v->ops->keybar : "";
    bool room = true;
    while (*s && room) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        if (!n)
            break;
        int act = action_named(v, s, n);
        if (act == PD_ACT_SEARCH)
            search_listed = true;
        size_t skip = n > 7 && !strncmp(s, "toggle-", 7) ? 7 : 0;
        if (act != PD_ACT_NONE && first_key(app, v, act, key, sizeof key))
            room = entry(app, p, key, s + skip, n - skip);
        s += n;
    }
    if (room && v && v->ops->line_text && !search_listed && first_key(app, v, PD_ACT_SEARCH, key, sizeof key))
        entry(app, p, key, "search", 6);
    p->end = end;
    if (has_help)
        entry(app, p, help, "help", 4);
}

void pd_keybar_draw(pd_app *app)
{
    WINDOW *w = app->keybar_win;
    if (!w)
        return;
    attr_t base = pd_app_attr(app, PD_STYLE_STATUS);
    pd_pen p = pd_pen_at(w, 0, 0, app->cols, pd_app_attr(app, PD_STYLE_CONTROL));
    pd_pen_str(&p, " ", base);
    if (app->statusline.kind != STATUSLINE_NONE)
        prompt_entries(app, &p);
    else
        pane_entries(app, &p, app->focus);
    pd_pen_fill(&p, base);
    wnoutrefresh(w);
}
