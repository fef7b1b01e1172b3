/* view_diff.c: two versions compared, side by side with aligned rows and word-level
 * highlights, or unified (u toggles); long lines wrap inside their column so rows stay
 * aligned; only the changes with 3 lines of context, or everything (c toggles); n/N jump
 * between changes, the current one marked in the gutter and counted in the title (the text
 * scrolls past its end so the last change can come to the top too). Settings are part of the
 * compared text. Draws from api/diff.h. */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "panes.h"

enum {
    ACT_UNIFIED = PD_VIEW_ACT,
    ACT_CONTEXT,
    ACT_NEXT,
    ACT_PREV,
    ACT_REFINE,
};

static const pd_keydef diff_keys[] = {
    {ACT_UNIFIED, "toggle-unified", "u t", "Side by side / unified"},
    {ACT_CONTEXT, "toggle-context", "c", "Only the changes (3 lines of context) / the whole text"},
    {ACT_NEXT, "next-change", "n", "Next change"},
    {ACT_PREV, "prev-change", "N", "Previous change"},
    {ACT_REFINE, "toggle-refine", "W", "Highlight changed words / characters"},
    {0, NULL, NULL, NULL},
};

static const char *const diff_notes[] = {
    "#Reading the diff",
    "Left: the older version, right: the newer. Removed text is red, added text green;",
    "inside a changed line the words that differ are highlighted. Line numbers are",
    "followed by - (removed), + (added) or ~ (changed). The version header, every",
    "message and the model settings are compared. n and N bring each change to the top;",
    "the line numbers of the current one are highlighted and the title counts it.",
    "After a / search, n and N go to its matches instead, until Esc ends the search.",
    NULL,
};

#define CONTEXT 3
#define NO_CHANGE ((size_t)-1)
#define ABOVE_CHANGE 2       /* lines shown above a change n/N brings to the top */

/* DL_PAD: a blank line past the end, so the last changes can be scrolled to the top */
typedef enum { DL_HUNK, DL_SBS, DL_DEL, DL_ADD, DL_CTX, DL_PAD } dl_kind;

typedef struct dl {
    unsigned char kind;
    bool first;              /* first segment of its line(s): draws line numbers */
    unsigned row;            /* index into sbs->rows (DL_HUNK: hunk index) */
    unsigned lo, ll;         /* left segment: byte offset in the line, length */
    unsigned ro, rl;         /* right segment */
} dl;

/* Segments of a line wrapped at a width (offset, length in bytes). */
typedef struct segs {
    unsigned *off, *len;
    size_t n, cap;
} segs;

static void seg_push(segs *g, size_t off, size_t len)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->off = pd_xrealloc(g->off, g->cap * sizeof *g->off);
        g->len = pd_xrealloc(g->len, g->cap * sizeof *g->len);
    }
    g->off[g->n] = (unsigned)off;
    g->len[g->n++] = (unsigned)len;
}

typedef struct diff_state {
    char *title_a, *title_b, *slug;
    char *text_a, *text_b;
    bool titled;             /* the texts' first lines are the titles: not counted as a change */
    pd_diff *d;
    pd_diff_sbs *sbs;
    pd_diff_refine refine;
    bool unified;
    bool full;
    dl *lines;
    size_t n, cap;
    size_t n_text;           /* lines before the padding */
    size_t *changes;         /* display lines where a change starts */
    size_t n_changes;
    size_t current;          /* the change n/N went to (index into changes), or NO_CHANGE */
    size_t current_end;      /* the display line after it */
    int gutter;              /* digits of line numbers */
    segs left, right;        /* scratch for wrapping */
} diff_state;

static void push(diff_state *s, dl l)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 512;
        s->lines = pd_xrealloc(s->lines, s->cap * sizeof *s->lines);
    }
    s->lines[s->n++] = l;
}

static void mark_change(diff_state *s)
{
    s->changes = pd_xrealloc(s->changes, (s->n_changes + 1) * sizeof *s->changes);
    s->changes[s->n_changes++] = s->n;
}

static size_t wrap(const char *t, size_t len, int w, segs *g)
{
    g->n = 0;
    size_t p = 0;
    if (len == 0)
        seg_push(g, 0, 0);
    while (p < len) {
        size_t k = pd_text_fit(t + p, len - p, w, true);
        if (k == 0)
            k = 1;
        seg_push(g, p, k);
        p += k;
    }
    return g->n;
}

static int col_width(const pd_view *v, const diff_state *s)
{
    int w = s->unified ? v->width - s->gutter * 2 - 3 : (v->width - 1) / 2 - s->gutter - 2;
    return w < 4 ? 4 : w;
}

static void emit_row_sbs(pd_view *v, diff_state *s, size_t ri)
{
    const pd_diff_row *r = &s->sbs->rows[ri];
    int w = col_width(v, s);
    size_t nl = 0, nr = 0;
    segs *gl = &s->left, *gr = &s->right;
    if (r->left >= 0)
        nl = wrap(pd_diff_line(&s->d->a, (size_t)r->left), pd_diff_line_len(&s->d->a, (size_t)r->left), w, gl);
    if (r->right >= 0)
        nr = wrap(pd_diff_line(&s->d->b, (size_t)r->right), pd_diff_line_len(&s->d->b, (size_t)r->right), w, gr);
    size_t h = nl > nr ? nl : nr;
    for (size_t k = 0; k < h; k++) {
        dl l = {DL_SBS, k == 0, (unsigned)ri, 0, 0, 0, 0};
        if (k < nl) {
            l.lo = gl->off[k];
            l.ll = gl->len[k];
        } else {
            l.lo = l.ll = (unsigned)-1;
        }
        if (k < nr) {
            l.ro = gr->off[k];
            l.rl = gr->len[k];
        } else {
            l.ro = l.rl = (unsigned)-1;
        }
        push(s, l);
    }
}

static void emit_side(pd_view *v, diff_state *s, size_t ri, dl_kind kind)
{
    const pd_diff_row *r = &s->sbs->rows[ri];
    bool left = kind == DL_DEL || (kind == DL_CTX);
    const pd_diff_lines *L = left ? &s->d->a : &s->d->b;
    long li = left ? r->left : r->right;
    segs *g = &s->left;
    size_t n = wrap(pd_diff_line(L, (size_t)li), pd_diff_line_len(L, (size_t)li), col_width(v, s), g);
    for (size_t k = 0; k < n; k++) {
        dl l = {(unsigned char)kind, k == 0, (unsigned)ri, g->off[k], g->len[k], g->off[k], g->len[k]};
        push(s, l);
    }
}

/* Rows [from, to) in unified form: each change block's removed lines, then its added ones. */
static void emit_unified(pd_view *v, diff_state *s, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        const pd_diff_row *r = &s->sbs->rows[i];
        if (r->kind == PD_ROW_EQUAL) {
            emit_side(v, s, i, DL_CTX);
            i++;
            continue;
        }
        size_t j = i;
        while (j < to && s->sbs->rows[j].kind != PD_ROW_EQUAL)
            j++;
        mark_change(s);
        for (size_t k = i; k < j; k++)
            if (s->sbs->rows[k].left >= 0)
                emit_side(v, s, k, DL_DEL);
        for (size_t k = i; k < j; k++)
            if (s->sbs->rows[k].right >= 0)
                emit_side(v, s, k, DL_ADD);
        i = j;
    }
}

static void emit_rows(pd_view *v, diff_state *s, size_t from, size_t to)
{
    if (s->unified) {
        emit_unified(v, s, from, to);
        return;
    }
    for (size_t i = from; i < to; i++) {
        if (s->sbs->rows[i].kind != PD_ROW_EQUAL && (i == from || s->sbs->rows[i - 1].kind == PD_ROW_EQUAL))
            mark_change(s);
        emit_row_sbs(v, s, i);
    }
}

/* true when display line i shows removed, added or changed text. */
static bool is_change_line(const diff_state *s, size_t i)
{
    const dl *l = &s->lines[i];
    if (l->kind == DL_DEL || l->kind == DL_ADD)
        return true;
    return l->kind == DL_SBS && s->sbs->rows[l->row].kind != PD_ROW_EQUAL;
}

/* Makes change k the current one (NO_CHANGE: none). */
static void set_current(pd_view *v, size_t k)
{
    diff_state *s = v->data;
    s->current = k < s->n_changes ? k : NO_CHANGE;
    s->current_end = 0;
    if (s->current != NO_CHANGE) {
        size_t e = s->changes[k];
        while (e < s->n_text && is_change_line(s, e))
            e++;
        s->current_end = e;
    }
    pd_view_dirty_all(v);
}

/* Blank lines after the text, as many as it takes to show line top at the top of the pane. */
static void pad_for(pd_view *v, diff_state *s, size_t top)
{
    size_t h = v->height > 0 ? (size_t)v->height : 1;
    if (s->n >= top + h)
        return;
    while (s->n < top + h)
        push(s, (dl){DL_PAD, false, 0, 0, 0, 0, 0});
    pd_view_set_lines(v, s->n);
}

/* Shows change k at the top, with ABOVE_CHANGE lines before it (past the end of the text
 * when it is near the end). */
static void show_change(pd_view *v, size_t k)
{
    diff_state *s = v->data;
    set_current(v, k);
    size_t top = s->changes[k] >= ABOVE_CHANGE ? s->changes[k] - ABOVE_CHANGE : 0;
    if (s->n_text > (size_t)v->height)   /* a text that fits stays where it is */
        pad_for(v, s, top);
    pd_view_scroll_to(v, top);
}

static void relayout(pd_view *v)
{
    diff_state *s = v->data;
    s->n = 0;
    s->n_text = 0;
    s->n_changes = 0;
    if (!s->sbs) {
        pd_view_set_lines(v, 0);
        return;
    }
    size_t maxl = s->d->a.n > s->d->b.n ? s->d->a.n : s->d->b.n;
    s->gutter = 1;
    for (size_t m = maxl; m >= 10; m /= 10)
        s->gutter++;
    if (s->full) {
        emit_rows(v, s, 0, s->sbs->n_rows);
    } else {
        for (size_t h = 0; h < s->sbs->n_hunks; h++) {
            const pd_diff_hunk *hk = &s->sbs->hunks[h];
            push(s, (dl){DL_HUNK, true, (unsigned)h, 0, 0, 0, 0});
            emit_rows(v, s, hk->row_start, hk->row_start + hk->row_count);
        }
    }
    s->n_text = s->n;
    pd_view_set_lines(v, s->n);
    if (s->current != NO_CHANGE && s->current < s->n_changes)
        show_change(v, s->current);   /* the same change stays in view across u, c and resizes */
    else
        s->current = NO_CHANGE;
}

static int compute(pd_view *v, pd_error *err)
{
    diff_state *s = v->data;
    pd_diff_sbs_free(s->sbs);
    pd_diff_free(s->d);
    s->sbs = NULL;
    s->d = NULL;
    pd_diff_options o = PD_DIFF_OPTIONS_INIT;
    o.heuristic = true;
    o.refine = s->refine;
    if (pd_diff_texts(s->text_a, strlen(s->text_a), s->text_b, strlen(s->text_b), &o, &s->d, err) != 0 ||
        pd_diff_side_by_side(s->d, CONTEXT, &s->sbs, err) != 0)
        return -1;
    if (v->width > 0)
        relayout(v);
    return 0;
}

/* ---- drawing ---- */

/* Draws bytes [off, off+len) of a line, highlighting the parts inside spans. */
static void draw_seg(pd_pen *p, const char *line, unsigned off, unsigned len, const pd_diff_span *sp, size_t nsp,
                     attr_t base, attr_t word)
{
    size_t pos = off, end = (size_t)off + len;
    p->col = 0;
    for (size_t i = 0; i < nsp && pos < end; i++) {
        if (sp[i].end <= pos)
            continue;
        if (sp[i].start >= end)
            break;
        if (sp[i].start > pos) {
            pd_pen_text(p, line + pos, sp[i].start - pos, base);
            pos = sp[i].start;
        }
        size_t e = sp[i].end < end ? sp[i].end : end;
        pd_pen_text(p, line + pos, e - pos, word);
        pos = e;
    }
    if (pos < end)
        pd_pen_text(p, line + pos, end - pos, base);
}

/* The style of line numbers on display line i: the current change's stand out. */
static attr_t number_attr(const pd_view *v, const diff_state *s, size_t i)
{
    if (s->current != NO_CHANGE && i >= s->changes[s->current] && i < s->current_end)
        return pd_app_attr(v->app, PD_STYLE_CURSOR);
    return pd_app_attr(v->app, PD_STYLE_LINE_NUMBER);
}

static void gutter(pd_pen *p, const diff_state *s, attr_t ln, long lineno, bool first, char mark, attr_t mark_attr)
{
    if (first && lineno >= 0)
        pd_pen_printf(p, ln, "%*ld", s->gutter, lineno + 1);
    else
        pd_pen_printf(p, ln, "%*s", s->gutter, "");
    char m[2] = {first ? mark : ' ', 0};
    pd_pen_str(p, m, mark_attr);
}

static void draw_half(pd_view *v, pd_pen *p, const pd_diff_row *r, bool left, const dl *l, int x_end, attr_t ln)
{
    diff_state *s = v->data;
    pd_app *app = v->app;
    long li = left ? r->left : r->right;
    unsigned off = left ? l->lo : l->ro, len = left ? l->ll : l->rl;
    pd_style st = PD_STYLE_DIFF_CONTEXT, wst = PD_STYLE_DIFF_CONTEXT;
    char mark = ' ';
    if (r->kind == PD_ROW_CHANGED) {
        st = left ? PD_STYLE_DIFF_DEL : PD_STYLE_DIFF_ADD;
        wst = left ? PD_STYLE_DIFF_DEL_WORD : PD_STYLE_DIFF_ADD_WORD;
        mark = '~';
    } else if (r->kind == PD_ROW_DELETED && left) {
        st = wst = PD_STYLE_DIFF_DEL;
        mark = '-';
    } else if (r->kind == PD_ROW_INSERTED && !left) {
        st = wst = PD_STYLE_DIFF_ADD;
        mark = '+';
    }
    pd_pen q = *p;
    q.end = x_end;
    if (li < 0 || off == (unsigned)-1) {
        gutter(&q, s, ln, -1, false, ' ', pd_app_attr(app, st));
        pd_pen_fill(&q, pd_app_attr(app, PD_STYLE_DIFF_EMPTY));
    } else {
        gutter(&q, s, ln, li, l->first, mark, pd_app_attr(app, st));
        const pd_diff_lines *L = left ? &s->d->a : &s->d->b;
        draw_seg(&q, pd_diff_line(L, (size_t)li), off, len, left ? r->left_spans : r->right_spans,
                 left ? r->n_left_spans : r->n_right_spans, pd_app_attr(app, st), pd_app_attr(app, wst));
        pd_pen_fill(&q, pd_app_attr(app, PD_STYLE_NORMAL));
    }
    p->x = q.x;
}

static void diff_draw(pd_view *v, int row, size_t line, bool sel)
{
    (void)sel;
    diff_state *s = v->data;
    pd_app *app = v->app;
    const dl *l = &s->lines[line];
    attr_t n = pd_app_attr(app, PD_STYLE_NORMAL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    if (l->kind == DL_PAD) {
        pd_pen_fill(&p, n);
        return;
    }
    attr_t ln = number_attr(v, s, line);
    if (l->kind == DL_HUNK) {
        const pd_diff_hunk *h = &s->sbs->hunks[l->row];
        attr_t ha = pd_app_attr(app, PD_STYLE_DIFF_HUNK);
        pd_pen_printf(&p, ha, "@@ -%zu,%zu +%zu,%zu @@", h->a_start + 1, h->a_count, h->b_start + 1, h->b_count);
        /* like git's function context: the "[role]" block (or [settings]) the hunk is in */
        const pd_diff_lines *B = &s->d->b;
        for (size_t i = h->b_start + 1; i-- > 0 && i < B->n;) {
            const char *t = pd_diff_line(B, i);
            size_t len = pd_diff_line_len(B, i);
            if (len >= 3 && t[0] == '[' && t[len - 1] == ']') {
                pd_pen_str(&p, " ", n);
                pd_pen_text(&p, t, len, ha);
                break;
            }
        }
        pd_pen_fill(&p, n);
        return;
    }
    const pd_diff_row *r = &s->sbs->rows[l->row];
    if (l->kind == DL_SBS) {
        int mid = (v->width - 1) / 2;
        draw_half(v, &p, r, true, l, mid, ln);
        p.x = mid;
        wattrset(v->win, pd_app_attr(app, PD_STYLE_DIM));
        mvwaddch(v->win, row, mid, ACS_VLINE);
        p.x = mid + 1;
        wmove(v->win, row, p.x);
        pd_pen_str(&p, " ", n);
        draw_half(v, &p, r, false, l, v->width, ln);
        return;
    }
    /* unified: old and new line numbers, sign, text */
    bool left = l->kind != DL_ADD;
    pd_style st = l->kind == DL_DEL ? PD_STYLE_DIFF_DEL : l->kind == DL_ADD ? PD_STYLE_DIFF_ADD : PD_STYLE_DIFF_CONTEXT;
    pd_style wst = l->kind == DL_DEL ? PD_STYLE_DIFF_DEL_WORD : l->kind == DL_ADD ? PD_STYLE_DIFF_ADD_WORD : st;
    long a = l->kind != DL_ADD ? r->left : -1, b = l->kind != DL_DEL ? r->right : -1;
    if (l->first && a >= 0)
        pd_pen_printf(&p, ln, "%*ld ", s->gutter, a + 1);
    else
        pd_pen_printf(&p, ln, "%*s ", s->gutter, "");
    if (l->first && b >= 0)
        pd_pen_printf(&p, ln, "%*ld", s->gutter, b + 1);
    else
        pd_pen_printf(&p, ln, "%*s", s->gutter, "");
    pd_pen_str(&p, l->first ? (l->kind == DL_DEL ? "-" : l->kind == DL_ADD ? "+" : " ") : " ", pd_app_attr(app, st));
    pd_pen_str(&p, " ", n);
    const pd_diff_lines *L = left ? &s->d->a : &s->d->b;
    long li = left ? r->left : r->right;
    bool changed = r->kind == PD_ROW_CHANGED;
    draw_seg(&p, pd_diff_line(L, (size_t)li), l->lo, l->ll, changed ? (left ? r->left_spans : r->right_spans) : NULL,
             changed ? (left ? r->n_left_spans : r->n_right_spans) : 0, pd_app_attr(app, st), pd_app_attr(app, wst));
    pd_pen_fill(&p, n);
}

/* The text of display line i: its segment of each side (side by side: left, then right). */
static const char *diff_line_text(pd_view *v, size_t i, pd_buf *scratch)
{
    diff_state *s = v->data;
    const dl *l = &s->lines[i];
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (l->kind == DL_HUNK) {
        const pd_diff_hunk *h = &s->sbs->hunks[l->row];
        pd_buf_printf(scratch, "@@ -%zu,%zu +%zu,%zu @@", h->a_start + 1, h->a_count, h->b_start + 1, h->b_count);
    } else if (l->kind != DL_PAD) {
        const pd_diff_row *r = &s->sbs->rows[l->row];
        bool sbs = l->kind == DL_SBS;
        if ((sbs || l->kind != DL_ADD) && r->left >= 0 && l->lo != (unsigned)-1)
            pd_buf_append(scratch, pd_diff_line(&s->d->a, (size_t)r->left) + l->lo, l->ll);
        if (sbs)
            pd_buf_puts(scratch, "  ");
        if ((sbs || l->kind == DL_ADD) && r->right >= 0 && l->ro != (unsigned)-1)
            pd_buf_append(scratch, pd_diff_line(&s->d->b, (size_t)r->right) + l->ro, l->rl);
    }
    return pd_buf_str(scratch);
}

/* y: the diff as a unified diff (what patch reads). */
static bool diff_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    diff_state *s = v->data;
    pd_error err = {0};
    if (!s->d || pd_diff_write_unified(s->d, s->title_a, s->title_b, CONTEXT, false, out, &err) != 0) {
        pd_app_error(v->app, "Copy: %s", err.msg[0] ? err.msg : "no diff");
        return false;
    }
    if (!out->len) {
        pd_app_status(v->app, "Nothing to copy: the versions are the same");
        return false;
    }
    snprintf(what, size, "the diff %s -> %s", s->title_a, s->title_b);
    return true;
}

static void diff_title(pd_view *v, char *buf, size_t size)
{
    diff_state *s = v->data;
    char current[48] = "";
    if (s->current != NO_CHANGE)
        snprintf(current, sizeof current, "  change %zu/%zu", s->current + 1, s->n_changes);
    size_t named = s->titled && strcmp(s->title_a, s->title_b) != 0;   /* the header line differs */
    size_t ins = s->d && s->d->n_inserted >= named ? s->d->n_inserted - named : 0;
    size_t del = s->d && s->d->n_deleted >= named ? s->d->n_deleted - named : 0;
    snprintf(buf, size, "%s%s%s -> %s  +%zu -%zu  %s%s%s", s->slug ? s->slug : "", s->slug ? " " : "", s->title_a,
             s->title_b, ins, del,
             s->unified ? "unified" : "side by side", s->full ? ", whole text" : "", current);
}

/* The change n (dir > 0) or N goes to, or NO_CHANGE: the one after / before the current change
 * while that is on screen, else the first one from the top line down / the last one above it. */
static size_t next_change(const pd_view *v, const diff_state *s, int dir)
{
    size_t shown_end = v->offset + (size_t)(v->height > 0 ? v->height : 1);
    if (s->current != NO_CHANGE && s->changes[s->current] >= v->offset && s->changes[s->current] < shown_end) {
        if (dir > 0)
            return s->current + 1 < s->n_changes ? s->current + 1 : NO_CHANGE;
        return s->current > 0 ? s->current - 1 : NO_CHANGE;
    }
    if (dir > 0) {
        for (size_t i = 0; i < s->n_changes; i++)
            if (s->changes[i] >= v->offset)
                return i;
        return NO_CHANGE;
    }
    for (size_t i = s->n_changes; i-- > 0;)
        if (s->changes[i] < v->offset)
            return i;
    return NO_CHANGE;
}

static void jump(pd_view *v, int dir)
{
    diff_state *s = v->data;
    if (!s->n_changes) {
        pd_app_status(v->app, "The versions are the same");
        return;
    }
    size_t k = next_change(v, s, dir);
    if (k == NO_CHANGE) {
        pd_app_status(v->app, "No more changes %s (%zu in all)", dir > 0 ? "below" : "above", s->n_changes);
        return;
    }
    show_change(v, k);
    pd_app_status(v->app, "Change %zu of %zu", k + 1, s->n_changes);
}

static bool diff_key(pd_view *v, int key, int act)
{
    (void)key;
    diff_state *s = v->data;
    switch (act) {
    case ACT_UNIFIED:
        s->unified = !s->unified;
        relayout(v);
        return true;
    case ACT_CONTEXT:
        s->full = !s->full;
        relayout(v);
        return true;
    case ACT_NEXT: jump(v, 1); return true;
    case ACT_PREV: jump(v, -1); return true;
    case PD_ACT_BOTTOM:   /* the end of the text, not of the blank lines after it */
        pd_view_scroll_to(v, s->n_text > (size_t)v->height ? s->n_text - (size_t)v->height : 0);
        return true;
    case ACT_REFINE: {
        s->refine = s->refine == PD_DIFF_REFINE_WORD ? PD_DIFF_REFINE_CHAR : PD_DIFF_REFINE_WORD;
        pd_error err = {0};
        if (compute(v, &err) != 0)
            pd_app_error_err(v->app, &err);
        pd_app_status(v->app, "Highlighting changed %s", s->refine == PD_DIFF_REFINE_WORD ? "words" : "characters");
        return true;
    }
    case PD_ACT_LEFT:
    case PD_ACT_RIGHT: return true;   /* lines wrap: nothing to scroll sideways */
    default: return false;
    }
}

static void diff_close(pd_view *v)
{
    diff_state *s = v->data;
    pd_diff_sbs_free(s->sbs);
    pd_diff_free(s->d);
    free(s->lines);
    free(s->changes);
    free(s->left.off);
    free(s->left.len);
    free(s->right.off);
    free(s->right.len);
    free(s->title_a);
    free(s->title_b);
    free(s->slug);
    free(s->text_a);
    free(s->text_b);
    free(s);
}

const pd_view_ops pd_diff_pane = {
    .name = "diff",
    .draw_line = diff_draw,
    .key = diff_key,
    .resize = relayout,
    .close = diff_close,
    .title = diff_title,
    .keys = diff_keys,
    .help_notes = diff_notes,
    .line_text = diff_line_text,
    .copy = diff_copy,
    .keybar = "next-change prev-change toggle-unified toggle-context copy",
};

static void open_texts(pd_app *app, pd_view *from, const char *slug, char *ta, const char *title_a, char *tb,
                       const char *title_b, bool titled)
{
    diff_state *s = pd_xcalloc(1, sizeof *s);
    s->titled = titled;
    s->slug = pd_strdup(slug);
    s->title_a = pd_strdup(title_a);
    s->title_b = pd_strdup(title_b);
    s->text_a = ta;
    s->text_b = tb;
    s->refine = PD_DIFF_REFINE_WORD;
    s->current = NO_CHANGE;
    const char *mode = pd_config_get(pd_app_config(app), "diff");
    s->unified = mode && !strcmp(mode, "unified");
    pd_view *v = pd_view_new(app, &pd_diff_pane, s);
    v->has_cursor = false;
    pd_error err = {0};
    if (compute(v, &err) != 0) {
        pd_app_error_err(app, &err);
        pd_view_free(v);
        return;
    }
    pd_app_push(app, from, v, PD_OPEN_FULL);
    if (pd_diff_equal(s->d))
        pd_app_status(app, "%s and %s have the same content", title_a, title_b);
}

/* v as diffable text whose first line ("version N") is title instead. Caller frees. */
static char *text_titled(const pd_version *v, const char *title)
{
    char *t = pd_diff_version_text(v);
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s%s", title, t + strcspn(t, "\n"));
    free(t);
    return pd_buf_take(&b);
}

void pd_open_diff_versions(pd_app *app, pd_view *from, const pd_version *a, const char *a_title,
                           const pd_version *b, const char *b_title)
{
    open_texts(app, from, NULL, text_titled(a, a_title), a_title, text_titled(b, b_title), b_title, true);
}

void pd_open_diff(pd_app *app, pd_view *from, const char *slug, int v1, int v2)
{
    pd_version *a = NULL, *b = NULL;
    pd_error err = {0};
    pd_store *st = pd_app_store(app);
    if (pd_store_get_version(st, slug, v1, &a, &err) != 0 || pd_store_get_version(st, slug, v2, &b, &err) != 0) {
        pd_app_error_err(app, &err);
    } else {
        char ta[32], tb[32];
        snprintf(ta, sizeof ta, "v%d", a->number);
        snprintf(tb, sizeof tb, "v%d", b->number);
        open_texts(app, from, slug, pd_diff_version_text(a), ta, pd_diff_version_text(b), tb, false);
    }
    pd_version_free(a);
    pd_version_free(b);
}
