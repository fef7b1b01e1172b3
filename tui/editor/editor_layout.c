/* editor_layout.c: the editor's page: rows of fields, message headers and text wrapped at words,
 * the caret's moves across them, scrolling, and drawing one row (text through its glyphs, so
 * control characters and bad bytes show as ^[ / <ff> and never reach the terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "editor_priv.h"

long ed_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ed_text_width(const editor *ed)
{
    int w = ed->view->width - 1;   /* the last column holds the wrap mark and an end-of-line caret */
    return w < 1 ? 1 : w;
}

static pd_textbuf *msg_tb(const editor *ed, size_t i)
{
    return ed->doc->msgs[i].tb;
}

static bool is_placeholder(const editor *ed, size_t i)
{
    return ed->doc->msgs[i].placeholder != NULL;
}

bool ed_is_stop(const editor *ed, const drow *r)
{
    /* a history placeholder has no text: the caret stops on its header */
    return r->kind == ROW_FIELD || r->kind == ROW_TEXT || (r->kind == ROW_HEADER && is_placeholder(ed, r->item));
}

bool ed_next_row(const editor *ed, drow *r)
{
    size_t n = ed->doc->n_msgs, next;
    switch (r->kind) {
    case ROW_HINT:
        *r = (drow){ROW_FIELD, 0, 0};
        return true;
    case ROW_FIELD:
        if (r->item + 1 < PD_FIELD__COUNT)
            *r = (drow){ROW_FIELD, r->item + 1, 0};
        else if (n)
            *r = (drow){ROW_HEADER, 0, 0};
        else
            return false;
        return true;
    case ROW_HEADER:
        if (!is_placeholder(ed, r->item))
            *r = (drow){ROW_TEXT, r->item, 0};
        else if (r->item + 1 < n)
            *r = (drow){ROW_HEADER, r->item + 1, 0};
        else
            return false;
        return true;
    case ROW_TEXT:
        if (ed_row_next(ed, msg_tb(ed, r->item), r->start, &next))
            r->start = next;
        else if (r->item + 1 < n)
            *r = (drow){ROW_HEADER, r->item + 1, 0};
        else
            return false;
        return true;
    default:
        return false;
    }
}

/* The last row of message i. */
static drow last_row_of(const editor *ed, size_t i)
{
    if (is_placeholder(ed, i))
        return (drow){ROW_HEADER, i, 0};
    pd_textbuf *tb = msg_tb(ed, i);
    return (drow){ROW_TEXT, i, ed_row_start(ed, tb, pd_tb_len(tb))};
}

bool ed_prev_row(const editor *ed, drow *r)
{
    size_t prev;
    switch (r->kind) {
    case ROW_FIELD:
        if (r->item == 0)
            *r = (drow){ROW_HINT, 0, 0};
        else
            r->item--;
        return true;
    case ROW_HEADER:
        if (r->item == 0)
            *r = (drow){ROW_FIELD, PD_FIELD__COUNT - 1, 0};
        else
            *r = last_row_of(ed, r->item - 1);
        return true;
    case ROW_TEXT:
        if (ed_row_prev(ed, msg_tb(ed, r->item), r->start, &prev))
            r->start = prev;
        else
            *r = (drow){ROW_HEADER, r->item, 0};
        return true;
    default:
        return false;
    }
}

drow ed_caret_row(const editor *ed)
{
    if (!ed->in_text)
        return (drow){ROW_FIELD, ed->field, 0};
    if (is_placeholder(ed, ed->msg))
        return (drow){ROW_HEADER, ed->msg, 0};
    pd_textbuf *tb = msg_tb(ed, ed->msg);
    return (drow){ROW_TEXT, ed->msg, ed_row_start(ed, tb, pd_tb_cursor(tb))};
}

int ed_row_cmp(const drow *a, const drow *b)
{
    int sa = a->kind == ROW_HINT ? 0 : a->kind == ROW_FIELD ? 1 : 2;
    int sb = b->kind == ROW_HINT ? 0 : b->kind == ROW_FIELD ? 1 : 2;
    if (sa != sb)
        return sa - sb;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    int ka = a->kind == ROW_TEXT, kb = b->kind == ROW_TEXT;
    if (ka != kb)
        return ka - kb;
    return a->start < b->start ? -1 : a->start > b->start;
}

void ed_place_caret(editor *ed, const drow *r, int col)
{
    if (r->kind == ROW_FIELD) {
        ed->in_text = false;
        ed->field = r->item;
    } else if (r->kind == ROW_TEXT) {
        ed->in_text = true;
        ed->msg = r->item;
        ed_row_place(ed, msg_tb(ed, r->item), r->start, col);
    } else if (r->kind == ROW_HEADER) {
        ed->in_text = true;
        ed->msg = r->item;
    }
}

static int caret_column(const editor *ed)
{
    if (!ed->in_text || is_placeholder(ed, ed->msg))
        return 0;
    pd_textbuf *tb = msg_tb(ed, ed->msg);
    return ed_row_column(ed, tb, pd_tb_cursor(tb));
}

void ed_move_stops(editor *ed, long n)
{
    if (ed->goal < 0)
        ed->goal = caret_column(ed);
    drow r = ed_caret_row(ed), last = r;
    long steps = n < 0 ? -n : n;
    while (steps > 0) {
        drow t = last;
        bool ok;
        do
            ok = n > 0 ? ed_next_row(ed, &t) : ed_prev_row(ed, &t);
        while (ok && !ed_is_stop(ed, &t));
        if (!ok)
            break;
        last = t;
        steps--;
    }
    if (ed_row_cmp(&last, &r) == 0) {
        /* nowhere to go: the start of the first / end of the last text */
        if (ed->in_text) {
            pd_tb_move(msg_tb(ed, ed->msg), n > 0 ? PD_MOVE_DOC_END : PD_MOVE_DOC_START, 0);
            ed->goal = -1;
        }
        return;
    }
    int goal = ed->goal;
    ed_place_caret(ed, &last, goal);
    ed->goal = goal;
}

/* Makes ed->top a row that exists after the document changed. */
static void normalize_top(editor *ed)
{
    drow *t = &ed->top;
    size_t n = ed->doc->n_msgs;
    if (t->kind == ROW_NONE)
        *t = (drow){ROW_HINT, 0, 0};
    if (t->kind == ROW_FIELD || t->kind == ROW_HINT)
        return;
    if (t->item >= n) {
        *t = n ? last_row_of(ed, n - 1) : (drow){ROW_HINT, 0, 0};
        return;
    }
    if (t->kind == ROW_TEXT) {
        if (is_placeholder(ed, t->item)) {
            t->kind = ROW_HEADER;
            t->start = 0;
            return;
        }
        pd_textbuf *tb = msg_tb(ed, t->item);
        size_t s = t->start > pd_tb_len(tb) ? pd_tb_len(tb) : t->start;
        t->start = ed_row_start(ed, tb, s);
    }
}

void ed_relayout(editor *ed)
{
    pd_view *v = ed->view;
    if (v->height <= 0 || v->width <= 0)
        return;
    if (ed->in_text && ed->msg >= ed->doc->n_msgs) {
        ed->msg = ed->doc->n_msgs ? ed->doc->n_msgs - 1 : 0;
        ed->in_text = ed->doc->n_msgs > 0;
    }
    normalize_top(ed);
    drow c = ed_caret_row(ed);
    size_t h = (size_t)v->height;
    if (ed_row_cmp(&c, &ed->top) < 0) {
        ed->top = c;
        if (c.kind == ROW_TEXT && c.start == 0)
            ed->top = (drow){ROW_HEADER, c.item, 0};   /* show the message's header with its first row */
        else if (c.kind == ROW_FIELD && c.item == 0)
            ed->top = (drow){ROW_HINT, 0, 0};          /* and the hints above the first field */
    } else {
        drow r = ed->top;
        bool seen = false;
        for (size_t i = 0; i < h && !seen; i++) {
            seen = ed_row_cmp(&r, &c) == 0;
            if (!seen && !ed_next_row(ed, &r))
                break;
        }
        if (!seen) {
            ed->top = c;
            for (size_t i = 1; i < h && ed_prev_row(ed, &ed->top); i++) {
            }
        }
    }
    if (ed->n_vis != h) {
        ed->vis = pd_xrealloc(ed->vis, h * sizeof *ed->vis);
        ed->n_vis = h;
    }
    drow r = ed->top;
    bool more = true;
    v->caret_row = 0;
    for (size_t i = 0; i < h; i++) {
        ed->vis[i] = more ? r : (drow){ROW_NONE, 0, 0};
        if (more && ed_row_cmp(&r, &c) == 0)
            v->caret_row = (int)i;
        if (more)
            more = ed_next_row(ed, &r);
    }
    v->caret_col = caret_column(ed);
    v->show_caret = ed->in_text && !is_placeholder(ed, ed->msg);
    pd_view_dirty_all(v);   /* the title too: it shows where the caret is */
}

/* ---------------------------------------------------------------- drawing */

pd_style pd_role_style(const char *role)
{
    if (!role)
        return PD_STYLE_ROLE_OTHER;
    if (!strcmp(role, "system") || !strcmp(role, "developer"))
        return PD_STYLE_ROLE_SYSTEM;
    if (!strcmp(role, "user"))
        return PD_STYLE_ROLE_USER;
    if (!strcmp(role, "assistant"))
        return PD_STYLE_ROLE_ASSISTANT;
    return PD_STYLE_ROLE_OTHER;
}

#define LABEL_WIDTH 19

static void draw_field(editor *ed, int row, size_t f)
{
    pd_view *v = ed->view;
    pd_app *app = ed->app;
    bool caret = !ed->in_text && ed->field == f;
    attr_t n = caret ? pd_app_cursor_attr(app, v) : pd_app_attr(app, PD_STYLE_NORMAL);
    attr_t label = caret ? n : pd_app_attr(app, PD_STYLE_LINE_NUMBER);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    pd_pen_str(&p, " ", n);
    pd_pen_str(&p, pd_field_label((pd_field)f), label);
    pd_pen_pad_to(&p, LABEL_WIDTH, n);
    char *val = pd_editdoc_field_text(ed->doc, (pd_field)f);
    if (*val)
        pd_pen_str(&p, val, n);
    else
        pd_pen_str(&p, f == PD_FIELD_COMMIT ? "(none yet: Enter to describe your change)" : "(not set)",
                   caret ? n : pd_app_attr(app, PD_STYLE_DIM));
    free(val);
    pd_pen_fill(&p, n);
}

static void draw_header(editor *ed, int row, size_t i)
{
    pd_view *v = ed->view;
    pd_app *app = ed->app;
    const pd_edmsg *m = &ed->doc->msgs[i];
    bool current = ed->in_text && ed->msg == i;
    if (current && m->placeholder) {   /* the caret is on it: the cursor style over the whole row */
        attr_t c = pd_app_cursor_attr(app, v);
        pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
        pd_pen_printf(&p, c, "-- %zu  history placeholder: ", i + 1);
        pd_pen_str(&p, m->placeholder, c);
        pd_pen_str(&p, "  (a conversation goes here at run time)", c);
        pd_pen_fill(&p, c);
        return;
    }
    attr_t dim = pd_app_attr(app, current ? PD_STYLE_HEADER : PD_STYLE_DIM);
    attr_t role = pd_app_attr(app, pd_role_style(m->role)) | (current ? A_REVERSE : 0);
    wattrset(v->win, dim);
    mvwhline(v->win, row, 0, ACS_HLINE, v->width);
    pd_pen p = pd_pen_at(v->win, row, 2, v->width - 2, pd_app_attr(app, PD_STYLE_CONTROL));
    pd_pen_printf(&p, dim, " %zu ", i + 1);
    if (m->placeholder) {
        pd_pen_str(&p, " history placeholder: ", role);
        pd_pen_str(&p, m->placeholder, role);
        pd_pen_str(&p, " ", role);
    } else {
        pd_pen_printf(&p, role, " %s ", m->role);
        size_t lines = pd_tb_line_count(m->tb);
        pd_pen_printf(&p, dim, " %zu line%s ", lines, lines == 1 ? "" : "s");
    }
}

static void draw_text(editor *ed, int row, const drow *r)
{
    pd_view *v = ed->view;
    pd_app *app = ed->app;
    pd_textbuf *tb = msg_tb(ed, r->item);
    const char *s = pd_tb_text(tb);
    size_t len = pd_tb_len(tb);
    int w = ed_text_width(ed);
    size_t end = ed_row_end(ed, tb, r->start);
    attr_t n = pd_app_attr(app, PD_STYLE_EDITOR_TEXT), ctrl = pd_app_attr(app, PD_STYLE_CONTROL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, ctrl);
    int col = 0;
    pd_glyph g;
    for (size_t pos = r->start; pos < end; pos += g.len) {
        pd_glyph_at(s, len, pos, col, &g);
        bool special = g.kind == PD_GLYPH_CONTROL || g.kind == PD_GLYPH_INVALID || g.kind == PD_GLYPH_HIDDEN;
        pd_pen_str(&p, g.show, special ? ctrl : n);
        col += g.width;
    }
    pd_pen_pad_to(&p, w, n);
    bool wrapped = end < len && s[end] != '\n';
    pd_pen_str(&p, wrapped ? "\\" : " ", pd_app_attr(app, PD_STYLE_DIM));
    pd_pen_fill(&p, n);
}

static void draw_hint(editor *ed, int row)
{
    pd_view *v = ed->view;
    char buf[256];
    ed_hint(ed, buf, sizeof buf);
    attr_t a = pd_app_attr(ed->app, PD_STYLE_DIM);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(ed->app, PD_STYLE_CONTROL));
    pd_pen_str(&p, " ", a);
    pd_pen_str(&p, buf, a);
    pd_pen_fill(&p, a);
}

void ed_draw_row(editor *ed, int row)
{
    pd_view *v = ed->view;
    drow r = row >= 0 && (size_t)row < ed->n_vis ? ed->vis[row] : (drow){ROW_NONE, 0, 0};
    switch (r.kind) {
    case ROW_HINT: draw_hint(ed, row); break;
    case ROW_FIELD: draw_field(ed, row, r.item); break;
    case ROW_HEADER: draw_header(ed, row, r.item); break;
    case ROW_TEXT: draw_text(ed, row, &r); break;
    default: {
        pd_pen p = pd_pen_at(v->win, row, 0, v->width, 0);
        pd_pen_fill(&p, pd_app_attr(ed->app, PD_STYLE_NORMAL));
    }
    }
}
