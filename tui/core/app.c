/* app.c: the view stack, the split layout, drawing passes (only dirty rows, one doupdate),
 * key and mouse dispatch, the status bar and the shared things views ask the app for. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core_priv.h"

long pd_app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

pd_app *pd_app_new(const pd_pane_info *panes, size_t n_panes)
{
    pd_app *app = pd_xcalloc(1, sizeof *app);
    app->panes = panes;
    app->n_panes = n_panes;
    app->maps = pd_xcalloc(n_panes ? n_panes : 1, sizeof *app->maps);
    app->split_pct = 40;
    app->sep_x = -1;
    app->cursor_visible = -1;
    app->sigpipe[0] = app->sigpipe[1] = -1;
    app->mouse = true;
    app->keybar = true;
    app->next_id = 1;
    return app;
}

void pd_app_free(pd_app *app)
{
    if (!app)
        return;
    pd_statusline_cancel(app);   /* a question still open gets its "no" while its pane exists */
    while (app->n_views)
        pd_app_pop(app, app->stack[0]);
    pd_app_reap(app);
    free(app->stack);
    free(app->dead);
    for (size_t i = 0; i < app->n_panes; i++)
        pd_keymap_free(app->maps[i]);
    free(app->maps);
    pd_keymap_free(app->global_keys);
    pd_theme_free(app->theme);
    free(app->theme_name);
    if (app->config_loaded)
        pd_config_free(&app->config);
    pd_buf_free(&app->warnings);
    pd_buf_free(&app->status);
    free(app->mode);
    pd_statusline_clear(app);
    for (size_t i = 0; i < app->n_history; i++)
        free(app->history[i]);
    free(app->history);
    pd_timers_free(app);
    pd_messages_free(app);
    free(app->last_search);
    free(app->search_before);
    pd_buf_free(&app->paste);
    free(app->sources);
    free(app->hooks);
    free(app->dump_dir);
    free(app);
}

void pd_app_load_theme(pd_app *app, const char *name)
{
    char *warn = NULL;
    pd_theme *t = pd_theme_load(name, &warn);
    if (warn) {
        pd_buf_printf(&app->warnings, "%s%s", app->warnings.len ? "; " : "", warn);
        free(warn);
    }
    pd_theme_free(app->theme);
    app->theme = t;
    if (app->status_win)
        wbkgdset(app->status_win, ' ' | pd_app_attr(app, PD_STYLE_STATUS));
    for (size_t i = 0; i < app->n_views; i++)
        if (app->stack[i]->win)
            wbkgdset(app->stack[i]->win, ' ' | pd_app_attr(app, PD_STYLE_NORMAL));
    pd_app_redraw_all(app);
}

int pd_app_start_screen(pd_app *app, int cols, int rows, pd_error *err)
{
    if (app->scripted) {
        char num[16];
        snprintf(num, sizeof num, "%d", rows);
        setenv("LINES", num, 1);
        snprintf(num, sizeof num, "%d", cols);
        setenv("COLUMNS", num, 1);
        app->term_out = fopen("/dev/null", "w");
        app->term_in = fopen("/dev/null", "r");
        if (!app->term_out || !app->term_in)
            return pd_error_set(err, PD_ERR_IO, "/dev/null: %s", strerror(errno));
        const char *term = getenv("PD_SCRIPT_TERM");
        app->screen = newterm(term && *term ? term : "xterm-256color", app->term_out, app->term_in);
        if (!app->screen)
            app->screen = newterm("vt100", app->term_out, app->term_in);
    } else {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "the app needs a terminal (stdin and stdout); use a command instead (see --help)");
        app->screen = newterm(NULL, stdout, stdin);
    }
    if (!app->screen)
        return pd_error_set(err, PD_ERR_IO, "cannot start the terminal (TERM=%s): unknown terminal type?",
                            getenv("TERM") ? getenv("TERM") : "");
    set_term(app->screen);
    const char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {
        /* TERM=dumb and the like: the screen could not be drawn, only a status line */
        endwin();
        delscreen(app->screen);
        app->screen = NULL;
        return pd_error_set(err, PD_ERR_IO, "cannot start the terminal (TERM=%s): it cannot move the cursor; "
                            "set TERM to your terminal's type (e.g. xterm-256color)", getenv("TERM") ? getenv("TERM") : "");
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    idlok(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    if (app->mouse && !app->scripted) {
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    }
    app->rows = LINES;
    app->cols = COLS;
    app->status_win = newwin(1, COLS, LINES - 1, 0);
    leaveok(app->status_win, FALSE);
    app->layout_dirty = true;
    pd_paste_mode(app, true);
    return 0;
}

void pd_app_stop_screen(pd_app *app)
{
    if (!app->screen)
        return;
    pd_paste_mode(app, false);
    if (app->status_win)
        delwin(app->status_win);
    app->status_win = NULL;
    if (app->keybar_win)
        delwin(app->keybar_win);
    app->keybar_win = NULL;
    for (size_t i = 0; i < app->n_views; i++)
        pd_view_detach(app->stack[i]);
    curs_set(1);
    endwin();
    delscreen(app->screen);
    app->screen = NULL;
    if (app->term_out)
        fclose(app->term_out);
    if (app->term_in)
        fclose(app->term_in);
    app->term_in = app->term_out = NULL;
}

/* ---- the stack ---- */

static ssize_t stack_index(const pd_app *app, const pd_view *v)
{
    for (size_t i = 0; i < app->n_views; i++)
        if (app->stack[i] == v)
            return (ssize_t)i;
    return -1;
}

static void close_above(pd_app *app, size_t keep)
{
    while (app->n_views > keep) {
        pd_view *v = app->stack[--app->n_views];
        pd_view_detach(v);
        app->dead = pd_xrealloc(app->dead, (app->n_dead + 1) * sizeof *app->dead);
        app->dead[app->n_dead++] = v;
    }
}

void pd_app_reap(pd_app *app)
{
    while (app->n_dead) {
        pd_view *v = app->dead[--app->n_dead];
        pd_view_free(v);
    }
}

void pd_app_push(pd_app *app, pd_view *from, pd_view *v, pd_open_mode mode)
{
    ssize_t i = from ? stack_index(app, from) : -1;
    if (i >= 0)
        close_above(app, (size_t)i + 1);
    if (app->n_views == app->cap_views) {
        app->cap_views = app->cap_views ? app->cap_views * 2 : 8;
        app->stack = pd_xrealloc(app->stack, app->cap_views * sizeof *app->stack);
    }
    v->split = mode == PD_OPEN_SPLIT && app->n_views > 0;
    app->stack[app->n_views++] = v;
    app->focus = v;
    app->layout_dirty = true;
    pd_app_view_keys(app, v);   /* problems with its [keys] show now */
}

void pd_app_pop(pd_app *app, pd_view *v)
{
    ssize_t i = stack_index(app, v);
    if (i < 0)
        return;
    close_above(app, (size_t)i);
    app->focus = app->n_views ? app->stack[app->n_views - 1] : NULL;
    app->layout_dirty = true;
    if (!app->n_views)
        app->quit = true;
}

void pd_app_replace(pd_app *app, pd_view *old, pd_view *v)
{
    ssize_t i = stack_index(app, old);
    if (i < 0) {
        pd_app_push(app, NULL, v, PD_OPEN_FULL);
        return;
    }
    bool split = old->split;
    close_above(app, (size_t)i);
    pd_app_push(app, NULL, v, split ? PD_OPEN_SPLIT : PD_OPEN_FULL);
}

pd_view *pd_app_focus(pd_app *app)
{
    return app->focus;
}

pd_view *pd_app_below(pd_app *app, const pd_view *v)
{
    ssize_t i = stack_index(app, v);
    return i > 0 ? app->stack[i - 1] : NULL;
}

pd_view *pd_app_above(pd_app *app, const pd_view *v)
{
    ssize_t i = stack_index(app, v);
    return i >= 0 && (size_t)i + 1 < app->n_views ? app->stack[i + 1] : NULL;
}

/* The two views of a split (left, right), or the only one shown (left) when there is none. */
static void split_views(const pd_app *app, pd_view **left, pd_view **right)
{
    *left = *right = NULL;
    if (!app->n_views)
        return;
    pd_view *top = app->stack[app->n_views - 1];
    if (top->split && app->n_views >= 2 && app->cols >= 40) {
        *left = app->stack[app->n_views - 2];
        *right = top;
    } else {
        *left = top;
    }
}

/* The left and right (or only) visible views: a zoomed split shows its focused view alone. */
static void visible_views(const pd_app *app, pd_view **left, pd_view **right)
{
    split_views(app, left, right);
    if (app->zoomed && *right) {
        if (app->focus == *right)
            *left = *right;
        *right = NULL;
    }
}

void pd_app_set_focus(pd_app *app, pd_view *v)
{
    pd_view *l, *r;
    split_views(app, &l, &r);
    if (v != l && v != r)
        return;
    if (app->focus && app->focus != v) {
        pd_view_dirty_all(app->focus);
        pd_view_dirty_all(v);
        if (app->zoomed && r)
            app->layout_dirty = true;   /* the other pane of the split takes the screen */
    }
    app->focus = v;
    app->status_dirty = true;
}

/* +: the focused pane of a split alone on the screen, or the split back. */
static void toggle_zoom(pd_app *app)
{
    pd_view *l, *r;
    split_views(app, &l, &r);
    if (!r && !app->zoomed) {
        pd_app_status(app, "Nothing to zoom: this pane has the whole width");
        return;
    }
    app->zoomed = !app->zoomed;
    app->layout_dirty = true;
    pd_app_status(app, app->zoomed ? "Zoomed: Tab shows the other pane, + the split" : "Split");
}

void pd_app_library_changed(pd_app *app, const char *slug)
{
    for (size_t i = 0; i < app->n_views; i++)
        if (app->stack[i]->ops->changed)
            app->stack[i]->ops->changed(app->stack[i], slug);
}

void pd_app_redraw_all(pd_app *app)
{
    app->layout_dirty = true;
}

int pd_app_cols(const pd_app *app)
{
    return app->cols;
}

int pd_app_rows(const pd_app *app)
{
    return app->rows;
}

/* ---- layout and drawing ---- */

static void layout(pd_app *app)
{
    pd_view *l, *r;
    visible_views(app, &l, &r);
    for (size_t i = 0; i < app->n_views; i++)
        if (app->stack[i] != l && app->stack[i] != r)
            pd_view_detach(app->stack[i]);
    int h = app->rows - 2 - (pd_keybar_shown(app) ? 1 : 0);
    if (h < 1)
        h = 1;
    werase(stdscr);
    wnoutrefresh(stdscr);
    app->sep_x = -1;
    if (l && r) {
        int lw = app->cols * app->split_pct / 100;
        if (lw < 16)
            lw = 16;
        if (lw > app->cols - 17)
            lw = app->cols - 17;
        pd_view_attach(l, 0, 0, h, lw);
        pd_view_attach(r, 0, lw + 1, h, app->cols - lw - 1);
        app->sep_x = lw;
        attr_t a = pd_app_attr(app, PD_STYLE_DIM);
        for (int y = 0; y <= h; y++)
            mvwaddch(stdscr, y, lw, ACS_VLINE | a);
    } else if (l) {
        pd_view_attach(l, 0, 0, h, app->cols);
    }
    if (l)
        pd_view_dirty_all(l);
    if (r)
        pd_view_dirty_all(r);
    pd_view *sl, *sr;
    split_views(app, &sl, &sr);
    if (app->focus != sl && app->focus != sr)
        app->focus = r ? r : l;
    if (app->status_win) {
        wresize(app->status_win, 1, app->cols);
        mvwin(app->status_win, app->rows - 1, 0);
    }
    pd_keybar_layout(app);
    app->status_dirty = true;
    app->layout_dirty = false;
}

static void draw_title(pd_app *app, pd_view *v)
{
    char buf[512] = "";
    if (v->ops->title)
        v->ops->title(v, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "%s", v->ops->name);
    bool focused = app->focus == v;
    attr_t a = pd_app_attr(app, focused ? PD_STYLE_TITLE_FOCUS : PD_STYLE_TITLE);
    char pos[48] = "";
    if (v->n_lines) {
        if (v->has_cursor)
            snprintf(pos, sizeof pos, " %zu/%zu ", v->cursor + 1, v->n_lines);
        else if (v->n_lines > (size_t)v->height)
            snprintf(pos, sizeof pos, " %zu%% ",
                     (v->offset + (size_t)v->height) * 100 / v->n_lines > 100
                         ? (size_t)100
                         : (v->offset + (size_t)v->height) * 100 / v->n_lines);
    }
    int pw = (int)strlen(pos);
    if (pw > v->width / 2)
        pw = 0;
    pd_pen p = pd_pen_at(stdscr, 0, v->x, v->width - pw, pd_app_attr(app, PD_STYLE_CONTROL));
    pd_pen_str(&p, " ", a);
    pd_pen_str(&p, buf, a);
    pd_pen_fill(&p, a);
    if (pw) {
        pd_pen q = pd_pen_at(stdscr, 0, v->x + v->width - pw, pw, a);
        pd_pen_str(&q, pos, a);
    }
    v->title_dirty = false;
}

static void draw_view(pd_app *app, pd_view *v)
{
    if (!v->win)
        return;
    if (v->title_dirty)
        draw_title(app, v);
    bool any = false;
    for (int r = 0; r < v->height; r++) {
        if (!v->all_dirty && !v->row_dirty[r])
            continue;
        any = true;
        size_t line = v->offset + (size_t)r;
        if (line < v->n_lines) {
            v->ops->draw_line(v, r, line, v->has_cursor && line == v->cursor);
            pd_search_mark_row(v, r);
        } else {
            wattrset(v->win, pd_app_attr(app, PD_STYLE_NORMAL));
            wmove(v->win, r, 0);
            wclrtoeol(v->win);
        }
        v->row_dirty[r] = 0;
    }
    v->all_dirty = false;
    if (any)
        wnoutrefresh(v->win);
}

static void draw_status(pd_app *app)
{
    WINDOW *w = app->status_win;
    if (!w)
        return;
    if (app->statusline.kind != STATUSLINE_NONE) {
        pd_statusline_draw(app);
        return;
    }
    attr_t base = pd_app_attr(app, PD_STYLE_STATUS);
    pd_pen p = pd_pen_at(w, 0, 0, app->cols, pd_app_attr(app, PD_STYLE_CONTROL));
    char mode[32];
    const char *m = app->mode;
    if (!m && app->focus)
        m = app->focus->ops->name;
    snprintf(mode, sizeof mode, "%s", m ? m : "");
    for (char *c = mode; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    pd_pen_printf(&p, pd_app_attr(app, PD_STYLE_TITLE), " %s ", mode);
    pd_pen_str(&p, " ", base);
    if (app->status.len) {
        attr_t a = pd_app_attr(app, app->status_error ? PD_STYLE_ERROR : PD_STYLE_STATUS_INFO);
        pd_pen_str(&p, pd_buf_str(&app->status), a);
        pd_pen_fill(&p, base);
    } else {
        const char *lib = app->store ? pd_store_dir(app->store) : "";
        const char *home = getenv("HOME");
        char libbuf[512];
        if (home && *home && strncmp(lib, home, strlen(home)) == 0 && lib[strlen(home)] == '/')
            snprintf(libbuf, sizeof libbuf, "~%s", lib + strlen(home));
        else
            snprintf(libbuf, sizeof libbuf, "%s", lib);
        pd_pen_str(&p, "? help  : command  q back/quit", pd_app_attr(app, PD_STYLE_DIM));
        int lw = pd_text_width(libbuf, strlen(libbuf), 0);
        if (pd_pen_left(&p) > lw + 2) {
            pd_pen_pad_to(&p, app->cols - lw - 1, base);
            pd_pen_str(&p, libbuf, pd_app_attr(app, PD_STYLE_DIM));
        }
        pd_pen_fill(&p, base);
    }
    wnoutrefresh(w);
}

static void set_cursor_visible(pd_app *app, int vis)
{
    if (app->cursor_visible != vis) {
        curs_set(vis);
        app->cursor_visible = vis;
    }
}

void pd_app_draw(pd_app *app)
{
    if (!app->screen)
        return;
    if (app->layout_dirty)
        layout(app);
    pd_view *l, *r;
    visible_views(app, &l, &r);
    /* the titles live on stdscr */
    if ((l && l->title_dirty) || (r && r->title_dirty)) {
        if (l && l->title_dirty)
            draw_title(app, l);
        if (r && r->title_dirty)
            draw_title(app, r);
        wnoutrefresh(stdscr);
    }
    if (l)
        draw_view(app, l);
    if (r)
        draw_view(app, r);
    if (app->status_dirty || app->statusline.kind != STATUSLINE_NONE) {
        draw_status(app);
        pd_keybar_draw(app);
        app->status_dirty = false;
    }
    pd_view *f = app->focus;
    if (app->statusline.kind != STATUSLINE_NONE) {
        set_cursor_visible(app, 1);
        wnoutrefresh(app->status_win);
    } else if (f && f->win && f->show_caret) {
        set_cursor_visible(app, 1);
        leaveok(f->win, FALSE);
        wmove(f->win, f->caret_row, f->caret_col);
        wnoutrefresh(f->win);
    } else {
        set_cursor_visible(app, 0);
    }
    doupdate();
}

void pd_app_resized(pd_app *app, int rows, int cols)
{
    if (rows < 2)
        rows = 2;
    if (cols < 10)
        cols = 10;
    resizeterm(rows, cols);
    app->rows = LINES;
    app->cols = COLS;
    app->layout_dirty = true;
    clearok(curscr, TRUE);
}

/* ---- status ---- */

static void set_status(pd_app *app, bool error, const char *fmt, va_list ap)
{
    pd_buf_reset(&app->status);
    pd_buf_vprintf(&app->status, fmt, ap);
    /* one line: newlines become spaces (other control characters are drawn visibly) */
    for (size_t i = 0; i < app->status.len; i++)
        if (app->status.data[i] == '\n')
            app->status.data[i] = ' ';
    app->status_error = error;
    app->status_dirty = true;
    pd_messages_add(app, error, pd_buf_str(&app->status));
}

void pd_app_status(pd_app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(app, false, fmt, ap);
    va_end(ap);
}

void pd_app_error(pd_app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(app, true, fmt, ap);
    va_end(ap);
    if (!app->scripted && app->screen)
        beep();
}

void pd_app_error_err(pd_app *app, const pd_error *err)
{
    pd_app_error(app, "%s", err->msg[0] ? err->msg : pd_code_name(err->code));
}

void pd_app_set_mode(pd_app *app, const char *mode)
{
    free(app->mode);
    app->mode = pd_strdup(mode);
    app->status_dirty = true;
}

/* ---- shared things ---- */

pd_store *pd_app_store(pd_app *app)
{
    return app->store;
}

const pd_config *pd_app_config(pd_app *app)
{
    return &app->config;
}

attr_t pd_app_attr(const pd_app *app, pd_style s)
{
    return app->theme ? pd_theme_attr(app->theme, s) : A_NORMAL;
}

attr_t pd_app_cursor_attr(const pd_app *app, const pd_view *v)
{
    return pd_app_attr(app, app->focus == v ? PD_STYLE_CURSOR : PD_STYLE_CURSOR_BLUR);
}

bool pd_app_scripted(const pd_app *app)
{
    return app->scripted;
}

const pd_pane_info *pd_app_pane(const pd_app *app, const char *name)
{
    for (size_t i = 0; i < app->n_panes; i++)
        if (!strcmp(app->panes[i].ops->name, name))
            return &app->panes[i];
    return NULL;
}

pd_keymap *pd_app_pane_keys(pd_app *app, const pd_view_ops *ops)
{
    if (!ops || !ops->keys)
        return NULL;
    size_t i = 0;
    while (i < app->n_panes && app->panes[i].ops != ops)
        i++;
    if (i == app->n_panes) {
        /* a program error: every pane is listed in the registry */
        pd_app_error(app, "the %s pane is not in the pane registry: its keys are missing", ops->name);
        return NULL;
    }
    if (app->maps[i])
        return app->maps[i];
    app->maps[i] = pd_keymap_build(ops->name, ops, ops->keys, &app->config, &app->warnings);
    if (app->warnings.len) {
        pd_app_error(app, "%s", pd_buf_str(&app->warnings));
        pd_buf_reset(&app->warnings);
    }
    return app->maps[i];
}

pd_keymap *pd_app_view_keys(pd_app *app, const pd_view *v)
{
    return v ? pd_app_pane_keys(app, v->ops) : NULL;
}

const char *pd_app_keys_for(pd_app *app, const pd_view *v, int action, char *buf, size_t size)
{
    if (action >= PD_VIEW_ACT)
        return pd_keymap_keys(pd_app_view_keys(app, v), action, buf, size);
    return pd_keymap_keys(app->global_keys, action, buf, size);
}

/* ---- keys ---- */

static void generic_key(pd_app *app, pd_view *v, int key, int act)
{
    long page = v->height > 1 ? v->height - 1 : 1;
    long step = 0;
    switch (act) {
    case PD_ACT_UP: step = -1; break;
    case PD_ACT_DOWN: step = 1; break;
    case PD_ACT_PAGE_UP: step = -page; break;
    case PD_ACT_PAGE_DOWN: step = page; break;
    case PD_ACT_HALF_UP: step = -(page + 1) / 2; break;
    case PD_ACT_HALF_DOWN: step = (page + 1) / 2; break;
    case PD_ACT_TOP:
        if (v->has_cursor)
            pd_view_move_cursor(v, 0);
        else
            pd_view_scroll(v, -(long)v->offset);
        return;
    case PD_ACT_BOTTOM:
        if (v->has_cursor)
            pd_view_move_cursor(v, v->n_lines ? v->n_lines - 1 : 0);
        else
            pd_view_scroll(v, (long)v->n_lines);
        return;
    case PD_ACT_LEFT:
    case PD_ACT_RIGHT:
        if (act == PD_ACT_LEFT && v->hscroll == 0)
            return;
        v->hscroll += act == PD_ACT_LEFT ? -8 : 8;
        if (v->hscroll < 0)
            v->hscroll = 0;
        pd_view_dirty_all(v);
        return;
    case PD_ACT_BACK:
        if (v->search && key == PD_KEY_ESC) {
            pd_view_set_search(v, NULL);
            pd_app_status(app, "Search ended");
            return;
        }
        if (app->n_views > 1 && v != app->stack[0]) {
            pd_app_pop(app, v);
        } else if (key != PD_KEY_ESC) {
            pd_app_quit_asking(app);
        } else if (app->n_views > 1) {
            pd_app_pop(app, app->stack[1]);   /* Esc on the main list closes the right pane */
        }
        return;
    case PD_ACT_QUIT: pd_app_quit_asking(app); return;
    case PD_ACT_NEXT_PANE:
    case PD_ACT_PREV_PANE: {
        pd_view *l, *r;
        split_views(app, &l, &r);
        if (r)
            pd_app_set_focus(app, app->focus == l ? r : l);
        return;
    }
    case PD_ACT_ZOOM: toggle_zoom(app); return;
    case PD_ACT_SPLIT_LEFT:
    case PD_ACT_SPLIT_RIGHT:
        app->zoomed = false;
        app->split_pct += act == PD_ACT_SPLIT_LEFT ? -5 : 5;
        if (app->split_pct < 15)
            app->split_pct = 15;
        if (app->split_pct > 85)
            app->split_pct = 85;
        app->layout_dirty = true;
        return;
    case PD_ACT_HELP: pd_open_help(app, v->ops); return;
    case PD_ACT_CMDLINE: pd_app_cmdline(app, NULL); return;
    case PD_ACT_SEARCH:
        if (pd_search_start(app, v))
            return;
        break;
    case PD_ACT_SEARCH_NEXT:
    case PD_ACT_SEARCH_PREV:
        if (pd_search_next(app, v, act == PD_ACT_SEARCH_NEXT ? 1 : -1))
            return;
        break;
    case PD_ACT_COPY:
        if (pd_copy_view(app, v))
            return;
        break;
    case PD_ACT_KEYBAR:
        app->keybar = !app->keybar;
        app->layout_dirty = true;
        if (!app->keybar) {
            char keys[64];
            pd_app_status(app, "Key bar hidden (%s shows it; keybar = false in the config hides it for good)",
                          pd_keymap_keys(app->global_keys, PD_ACT_KEYBAR, keys, sizeof keys));
        }
        return;
    case PD_ACT_REDRAW:
        clearok(curscr, TRUE);
        pd_app_redraw_all(app);
        return;
    case PD_ACT_SUSPEND:
        if (!app->scripted) {
            pd_paste_mode(app, false);
            def_prog_mode();
            endwin();
            kill(0, SIGTSTP);   /* stops here until the shell's fg; SIGCONT then redraws */
            reset_prog_mode();
            pd_paste_mode(app, true);
            clearok(curscr, TRUE);
            pd_app_redraw_all(app);
        }
        return;
    default: break;
    }
    if (step == 0) {
        char name[32];
        if (key != PD_KEY_ESC)
            pd_app_status(app, "%s: no such key here (? lists the keys)", pd_key_name(key, name, sizeof name));
        return;
    }
    if (v->has_cursor) {
        long c = (long)v->cursor + step;
        if (c < 0)
            c = 0;
        if (step == page || step == -page)
            pd_view_scroll(v, step);
        pd_view_move_cursor(v, (size_t)c);
    } else {
        pd_view_scroll(v, step);
    }
}

void pd_app_handle_key(pd_app *app, int key)
{
    bool alt = key >= 0 && (key & PD_KEY_ALT(0));
    if (app->statusline.kind != STATUSLINE_NONE) {
        if (alt) {
            /* Esc typed quickly before a key arrives as Alt+key: in a prompt it is Esc */
            pd_statusline_key(app, PD_KEY_ESC);
            pd_app_handle_key(app, key & ~PD_KEY_ALT(0));
            return;
        }
        pd_statusline_key(app, key);
        return;
    }
    if (app->status.len) {
        pd_buf_reset(&app->status);
        app->status_dirty = true;
    }
    pd_view *v = app->focus;
    if (!v) {
        if (key == 'q' || key == PD_KEY_ESC)
            pd_app_quit(app);
        return;
    }
    int act = pd_keymap_lookup(pd_app_view_keys(app, v), key);
    int global = pd_keymap_lookup(app->global_keys, key);
    if (act == PD_ACT_NONE)
        act = global;
    if (v->search && (global == PD_ACT_SEARCH_NEXT || global == PD_ACT_SEARCH_PREV))
        act = global;   /* while a search is on, n/N go to its matches, even where they are the
                           pane's own keys (the diff's changes); Esc ends it */
    if (v->ops->key && v->ops->key(v, key, act))
        return;
    if (alt && act == PD_ACT_NONE) {
        /* an unbound Alt+key is Esc then the key (Esc q typed fast, or sent together) */
        pd_app_handle_key(app, PD_KEY_ESC);
        pd_app_reap(app);
        pd_app_handle_key(app, key & ~PD_KEY_ALT(0));
        return;
    }
    generic_key(app, v, key, act);
}

void pd_app_handle_mouse(pd_app *app, pd_mouse_kind kind, int y, int x)
{
    if (app->statusline.kind != STATUSLINE_NONE)
        return;
    pd_view *l, *r;
    visible_views(app, &l, &r);
    pd_view *v = (r && x > app->sep_x) ? r : l;
    if (!v || !v->win)
        return;
    if (kind == PD_MOUSE_CLICK || kind == PD_MOUSE_DOUBLE)
        pd_app_set_focus(app, v);
    int row = y - 1, col = x - v->x;
    if (row < 0 || row >= v->height) {
        return;   /* title row: focus only */
    }
    if (v->ops->mouse && v->ops->mouse(v, kind, row, col))
        return;
    switch (kind) {
    case PD_MOUSE_WHEEL_UP: pd_view_scroll(v, -3); break;
    case PD_MOUSE_WHEEL_DOWN: pd_view_scroll(v, 3); break;
    case PD_MOUSE_CLICK:
    case PD_MOUSE_DOUBLE:
        if (v->has_cursor && v->offset + (size_t)row < v->n_lines)
            pd_view_move_cursor(v, v->offset + (size_t)row);
        if (kind == PD_MOUSE_DOUBLE)
            pd_app_handle_key(app, PD_KEY_ENTER);
        break;
    }
}

/* ---- loop hooks ---- */

int pd_app_add_source(pd_app *app, const pd_source *src)
{
    app->sources = pd_xrealloc(app->sources, (app->n_sources + 1) * sizeof *app->sources);
    app->sources[app->n_sources] = (app_source){app->next_id++, *src, false};
    return app->sources[app->n_sources++].id;
}

void pd_app_remove_source(pd_app *app, int id)
{
    for (size_t i = 0; i < app->n_sources; i++)
        if (app->sources[i].id == id)
            app->sources[i].dead = true;
}

int pd_app_add_exit_hook(pd_app *app, pd_exit_fn fn, void *ud)
{
    app->hooks = pd_xrealloc(app->hooks, (app->n_hooks + 1) * sizeof *app->hooks);
    app->hooks[app->n_hooks] = (app_hook){app->next_id++, fn, ud};
    return app->hooks[app->n_hooks++].id;
}

void pd_app_remove_exit_hook(pd_app *app, int id)
{
    for (size_t i = 0; i < app->n_hooks; i++) {
        if (app->hooks[i].id == id) {
            memmove(app->hooks + i, app->hooks + i + 1, (app->n_hooks - i - 1) * sizeof *app->hooks);
            app->n_hooks--;
            return;
        }
    }
}

void pd_app_run_exit_hooks(pd_app *app, int signo)
{
    while (app->n_hooks) {
        app_hook h = app->hooks[--app->n_hooks];
        h.fn(app, h.ud, signo);
    }
}

void pd_app_quit(pd_app *app)
{
    app->quit = true;
}

static void quit_answered(pd_app *app, void *ud, bool yes)
{
    (void)ud;
    if (yes)
        pd_app_quit(app);
    else
        pd_app_status(app, "Not quitting");
}

void pd_app_quit_asking(pd_app *app)
{
    char what[200];
    for (size_t i = app->n_views; i-- > 0;) {
        pd_view *v = app->stack[i];
        if (v->ops->unsaved && v->ops->unsaved(v, what, sizeof what)) {
            char q[300];
            snprintf(q, sizeof q, "Quit with %s unsaved? It is kept as a draft.", what);
            pd_app_confirm(app, q, quit_answered, NULL);
            return;
        }
    }
    pd_app_quit(app);
}

int pd_app_run_external(pd_app *app, char *const argv[], pd_error *err)
{
    if (app->scripted)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: external programs do not run in scripted mode", argv[0]);
    pd_paste_mode(app, false);
    def_prog_mode();
    endwin();
    pid_t pid = fork();
    if (pid < 0) {
        reset_prog_mode();
        pd_paste_mode(app, true);
        pd_app_redraw_all(app);
        return pd_error_set(err, PD_ERR_IO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        signal(SIGHUP, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGWINCH, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "promptdeck: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    reset_prog_mode();
    pd_paste_mode(app, true);
    clearok(curscr, TRUE);
    pd_app_redraw_all(app);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return pd_error_set(err, PD_ERR_IO, "%s: could not run it", argv[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
