/* textbuf.c: the editor's text buffer: one contiguous byte array plus an undo log.
 *
 * Why not a piece table (vis) or a gap buffer: prompts are small (the largest message we know of
 * is 230 KB), and an insert into a contiguous array is one memmove of the tail, about 20 us at
 * that size, which no typist notices. In exchange every reader (drawing, layout, the diff, the
 * draft writer, saving) gets the text as one plain C string with nothing to walk or assemble.
 * Undo is a log of records (position, bytes removed, bytes inserted, cursor before/after); one
 * record is one undo step, and typing extends the last record while the group is open, so a
 * typed run (or a run of backspaces) undoes at once. Records after an undo are the redo list;
 * a new change drops them.
 *
 * Characters, their widths and tab stops are base's text measurement (pd_char_at, pd_cp_width):
 * invalid bytes are kept and shown exactly whatever the locale. What is the buffer's own is the
 * glyph: a character with the combining marks that follow it, the unit the cursor moves by.
 *
 * The status row's line editor (statusline.c) edits its one line with this buffer too. */
#include "core.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "base/base.h"

/* ---------------------------------------------------------------- glyphs */

/* true when the code point at s[pos] is a mark that joins the glyph before it. */
static bool is_mark_at(const char *s, size_t len, size_t pos, uint32_t *cp, int *n)
{
    *n = pd_utf8_decode(s + pos, len - pos, cp);
    return *n > 1 && pd_cp_width(*cp) == 0;
}

void pd_glyph_at(const char *s, size_t len, size_t pos, int col, pd_glyph *g)
{
    g->show[0] = '\0';
    if (s[pos] == '\n') {
        g->kind = PD_GLYPH_NEWLINE;
        g->len = 1;
        g->width = 0;
        return;
    }
    pd_char c;
    pd_char_at(s + pos, len - pos, col, &c);
    g->len = c.len;
    g->width = c.width;
    switch (c.kind) {
    case PD_CHAR_TAB:
        g->kind = PD_GLYPH_TAB;
        memset(g->show, ' ', (size_t)g->width);
        g->show[g->width] = '\0';
        return;
    case PD_CHAR_CONTROL:
    case PD_CHAR_INVALID:
    case PD_CHAR_HIDDEN:
        g->kind = c.kind == PD_CHAR_CONTROL ? PD_GLYPH_CONTROL
                  : c.kind == PD_CHAR_INVALID ? PD_GLYPH_INVALID : PD_GLYPH_HIDDEN;
        memcpy(g->show, c.shown, sizeof c.shown);
        return;
    case PD_CHAR_TEXT:
        break;
    }
    g->kind = PD_GLYPH_TEXT;
    size_t out = 0;
    if (g->width == 0) {
        /* a mark with nothing to sit on: give it a space so it takes one column */
        g->show[out++] = ' ';
        g->width = 1;
    }
    memcpy(g->show + out, s + pos, c.len);
    out += c.len;
    /* attach the combining marks that follow, as long as they fit in show[] */
    uint32_t cp;
    int mn;
    while (pos + g->len < len && is_mark_at(s, len, pos + g->len, &cp, &mn) && out + (size_t)mn < sizeof g->show) {
        memcpy(g->show + out, s + pos + g->len, (size_t)mn);
        out += (size_t)mn;
        g->len += (size_t)mn;
    }
    g->show[out] = '\0';
}

/* true when a glyph surely starts at p: an ASCII byte, or a valid code point that is not a mark
 * (a continuation byte never decodes, so no valid sequence can straddle p). */
static bool glyph_anchor(const char *s, size_t len, size_t p)
{
    unsigned char b = (unsigned char)s[p];
    if (b < 0x80)
        return true;
    uint32_t cp;
    int n;
    return !is_mark_at(s, len, p, &cp, &n) && n > 0;
}

size_t pd_glyph_prev(const char *s, size_t len, size_t pos)
{
    if (pos == 0)
        return 0;
    size_t a = pos - 1;
    while (a > 0 && !glyph_anchor(s, len, a))
        a--;
    /* walk forward from the anchor to the last glyph start before pos */
    size_t p = a, last = a;
    pd_glyph g;
    while (p < pos) {
        last = p;
        pd_glyph_at(s, len, p, 0, &g);
        p += g.len;
    }
    return last;
}

int pd_tb_text_width(const char *s, size_t len)
{
    int col = 0;
    pd_glyph g;
    for (size_t p = 0; p < len; p += g.len) {
        pd_glyph_at(s, len, p, col, &g);
        col += g.width;
    }
    return col;
}

/* ---------------------------------------------------------------- the buffer */

typedef struct row_cache {
    bool valid;
    size_t line;         /* the line's start */
    int width;
    size_t *start;       /* row starts, start[0] == line */
    int *col;            /* columns of the line before each row */
    size_t n, cap;
    bool complete;       /* the last row found ends the line */
} row_cache;

typedef struct tb_change {
    size_t pos;
    char *del;           /* bytes removed at pos */
    size_t del_len;
    char *ins;           /* bytes inserted at pos */
    size_t ins_len;
    size_t cur_before, cur_after;
} tb_change;

struct pd_textbuf {
    char *data;          /* len bytes + NUL */
    size_t len, cap;
    size_t cursor;
    int goal;            /* column kept by up/down moves, -1 when none */
    tb_change *log;      /* undo records; [0, n_done) are applied, [n_done, n_log) can be redone */
    size_t n_log, n_done, cap_log;
    bool open;           /* typing may extend the last record */
    pd_buf kill;
    bool kill_append;    /* the last action was a cut: the next cut adds to the kill buffer */
    unsigned long gen;
    row_cache rc;
};

pd_textbuf *pd_tb_new(const char *text, size_t len)
{
    pd_textbuf *tb = pd_xcalloc(1, sizeof *tb);
    tb->cap = len + 64;
    tb->data = pd_xmalloc(tb->cap);
    if (len)
        memcpy(tb->data, text, len);
    tb->data[len] = '\0';
    tb->len = len;
    tb->goal = -1;
    return tb;
}

static void change_free(tb_change *c)
{
    free(c->del);
    free(c->ins);
}

void pd_tb_free(pd_textbuf *tb)
{
    if (!tb)
        return;
    for (size_t i = 0; i < tb->n_log; i++)
        change_free(&tb->log[i]);
    free(tb->log);
    free(tb->data);
    free(tb->rc.start);
    free(tb->rc.col);
    pd_buf_free(&tb->kill);
    free(tb);
}

const char *pd_tb_text(const pd_textbuf *tb) { return tb->data; }
size_t pd_tb_len(const pd_textbuf *tb) { return tb->len; }
size_t pd_tb_cursor(const pd_textbuf *tb) { return tb->cursor; }
unsigned long pd_tb_generation(const pd_textbuf *tb) { return tb->gen; }

char *pd_tb_dup(const pd_textbuf *tb)
{
    return pd_strndup(tb->data, tb->len);
}

/* Anything but typing ends the undo group and the run of cuts. */
static void end_runs(pd_textbuf *tb)
{
    tb->open = false;
    tb->kill_append = false;
}

/* The glyph boundary at or before pos. */
static size_t snap(const pd_textbuf *tb, size_t pos)
{
    if (pos >= tb->len)
        return tb->len;
    if (pos == 0)
        return 0;
    /* pos is a boundary when the glyph before it ends exactly there */
    size_t p = pd_glyph_prev(tb->data, tb->len, pos);
    pd_glyph g;
    pd_glyph_at(tb->data, tb->len, p, 0, &g);
    return p + g.len <= pos ? p + g.len : p;
}

void pd_tb_set_cursor(pd_textbuf *tb, size_t pos)
{
    end_runs(tb);
    tb->goal = -1;
    tb->cursor = snap(tb, pos);
}

static void cache_changed(pd_textbuf *tb, size_t pos);

/* Replaces data[pos, pos+del) with ins[0..ins_len). */
static void splice(pd_textbuf *tb, size_t pos, size_t del, const char *ins, size_t ins_len)
{
    size_t need = tb->len - del + ins_len + 1;
    if (need > tb->cap) {
        tb->cap = need + need / 2;
        tb->data = pd_xrealloc(tb->data, tb->cap);
    }
    cache_changed(tb, pos);
    memmove(tb->data + pos + ins_len, tb->data + pos + del, tb->len - pos - del);
    if (ins_len)
        memcpy(tb->data + pos, ins, ins_len);
    tb->len = tb->len - del + ins_len;
    tb->data[tb->len] = '\0';
    tb->gen++;
}

static char *bytes_dup(const char *s, size_t n)
{
    char *d = pd_xmalloc(n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Tries to extend the last record with a typed insert or delete; true when it did. */
static bool merge(pd_textbuf *tb, size_t pos, size_t del, const char *ins, size_t ins_len)
{
    if (!tb->open || tb->n_done == 0 || tb->n_done != tb->n_log)
        return false;
    tb_change *c = &tb->log[tb->n_done - 1];
    if (del == 0 && c->del_len == 0 && c->pos + c->ins_len == pos && !memchr(ins, '\n', ins_len) &&
        !memchr(c->ins, '\n', c->ins_len)) {
        c->ins = pd_xrealloc(c->ins, c->ins_len + ins_len + 1);
        memcpy(c->ins + c->ins_len, ins, ins_len);
        c->ins_len += ins_len;
        return true;
    }
    if (ins_len == 0 && c->ins_len == 0 && (pos + del == c->pos || pos == c->pos)) {
        char *d = pd_xmalloc(c->del_len + del + 1);
        if (pos == c->pos) {   /* forward delete: the new bytes come after */
            memcpy(d, c->del, c->del_len);
            memcpy(d + c->del_len, tb->data + pos, del);
        } else {               /* backspace: they come before */
            memcpy(d, tb->data + pos, del);
            memcpy(d + del, c->del, c->del_len);
            c->pos = pos;
        }
        free(c->del);
        c->del = d;
        c->del_len += del;
        return true;
    }
    return false;
}

/* Records and applies one change; typed says whether it may join the open group. */
static void change(pd_textbuf *tb, size_t pos, size_t del, const char *ins, size_t ins_len, size_t cur_after,
                   bool typed)
{
    if (del == 0 && ins_len == 0)
        return;
    if (!(typed && merge(tb, pos, del, ins, ins_len))) {
        for (size_t i = tb->n_done; i < tb->n_log; i++)
            change_free(&tb->log[i]);
        tb->n_log = tb->n_done;
        if (tb->n_log == tb->cap_log) {
            tb->cap_log = tb->cap_log ? tb->cap_log * 2 : 16;
            tb->log = pd_xrealloc(tb->log, tb->cap_log * sizeof *tb->log);
        }
        tb_change *c = &tb->log[tb->n_log++];
        c->pos = pos;
        c->del = bytes_dup(tb->data + pos, del);
        c->del_len = del;
        c->ins = bytes_dup(ins, ins_len);
        c->ins_len = ins_len;
        c->cur_before = tb->cursor;
        tb->n_done = tb->n_log;
    }
    tb->log[tb->n_done - 1].cur_after = cur_after;
    splice(tb, pos, del, ins, ins_len);
    tb->cursor = cur_after;
    tb->open = typed;
    tb->goal = -1;
}

void pd_tb_insert(pd_textbuf *tb, const char *s, size_t n)
{
    tb->kill_append = false;
    change(tb, tb->cursor, 0, s, n, tb->cursor + n, true);
}

bool pd_tb_backspace(pd_textbuf *tb)
{
    tb->kill_append = false;
    if (tb->cursor == 0)
        return false;
    size_t p = pd_glyph_prev(tb->data, tb->len, tb->cursor);
    change(tb, p, tb->cursor - p, NULL, 0, p, true);
    return true;
}

bool pd_tb_delete(pd_textbuf *tb)
{
    tb->kill_append = false;
    if (tb->cursor >= tb->len)
        return false;
    pd_glyph g;
    pd_glyph_at(tb->data, tb->len, tb->cursor, 0, &g);
    change(tb, tb->cursor, g.len, NULL, 0, tb->cursor, true);
    return true;
}

void pd_tb_delete_range(pd_textbuf *tb, size_t from, size_t to)
{
    end_runs(tb);
    from = snap(tb, from);
    to = snap(tb, to);
    if (to > from)
        change(tb, from, to - from, NULL, 0, from, false);
}

void pd_tb_replace_all(pd_textbuf *tb, const char *s, size_t n)
{
    end_runs(tb);
    if (n == tb->len && memcmp(s, tb->data, n) == 0)
        return;
    size_t cur = tb->cursor;
    change(tb, 0, tb->len, s, n, 0, false);
    tb->cursor = snap(tb, cur);
    tb->log[tb->n_done - 1].cur_after = tb->cursor;
}

/* ---------------------------------------------------------------- lines and rows */

size_t pd_tb_line_start(const pd_textbuf *tb, size_t pos)
{
    if (pos > tb->len)
        pos = tb->len;
    const char *nl = pos ? memrchr(tb->data, '\n', pos) : NULL;
    return nl ? (size_t)(nl - tb->data) + 1 : 0;
}

size_t pd_tb_line_end(const pd_textbuf *tb, size_t pos)
{
    if (pos >= tb->len)
        return tb->len;
    const char *nl = memchr(tb->data + pos, '\n', tb->len - pos);
    return nl ? (size_t)(nl - tb->data) : tb->len;
}

/* The end of the row starting at row_start, and the columns the row uses. */
static size_t row_end_cols(const char *s, size_t len, size_t row_start, int width, int *cols)
{
    size_t p = row_start;
    int col = 0;
    pd_glyph g;
    while (p < len && s[p] != '\n') {
        pd_glyph_at(s, len, p, col, &g);
        if (col > 0 && col + g.width > width)
            break;
        col += g.width;
        p += g.len;
    }
    *cols = col;
    return p;
}

size_t pd_text_row_end(const char *s, size_t len, size_t row_start, int width)
{
    if (width <= 0) {
        const char *nl = row_start < len ? memchr(s + row_start, '\n', len - row_start) : NULL;
        return nl ? (size_t)(nl - s) : len;
    }
    int cols;
    return row_end_cols(s, len, row_start, width, &cols);
}

/* The row cache: the row starts of one logical line (the one last asked about) at one width,
 * found lazily from the line's start, so moving and typing in a 220 KB line costs one row's
 * layout, not the whole line's. A change keeps the rows that end before it. */
static row_cache *cache_for(const pd_textbuf *ctb, size_t line, int width)
{
    pd_textbuf *tb = (pd_textbuf *)ctb;   /* logically const: the cache only */
    row_cache *c = &tb->rc;
    if (!c->valid || c->line != line || c->width != width) {
        c->valid = true;
        c->line = line;
        c->width = width;
        c->n = 0;
        c->complete = false;
        if (c->cap == 0) {
            c->cap = 64;
            c->start = pd_xmalloc(c->cap * sizeof *c->start);
            c->col = pd_xmalloc(c->cap * sizeof *c->col);
        }
        c->start[0] = line;
        c->col[0] = 0;
        c->n = 1;
    }
    return c;
}

/* Finds rows until one starts after pos or the line ends. */
static void cache_extend(const pd_textbuf *tb, row_cache *c, size_t pos)
{
    while (!c->complete && c->start[c->n - 1] <= pos) {
        int cols;
        size_t e = row_end_cols(tb->data, tb->len, c->start[c->n - 1], c->width, &cols);
        if (e >= tb->len || tb->data[e] == '\n') {
            c->complete = true;
            break;
        }
        if (c->n == c->cap) {
            c->cap *= 2;
            c->start = pd_xrealloc(c->start, c->cap * sizeof *c->start);
            c->col = pd_xrealloc(c->col, c->cap * sizeof *c->col);
        }
        c->start[c->n] = e;
        c->col[c->n] = c->col[c->n - 1] + cols;
        c->n++;
    }
}

size_t pd_rows_find(const size_t *start, size_t n, size_t pos)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (start[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the last cached row starting at or before pos. */
static size_t cache_find(const row_cache *c, size_t pos)
{
    return pd_rows_find(c->start, c->n, pos);
}

/* A change at pos: rows that end before the row holding pos stay. */
static void cache_changed(pd_textbuf *tb, size_t pos)
{
    row_cache *c = &tb->rc;
    if (!c->valid)
        return;
    if (pos < c->line) {
        c->valid = false;
        return;
    }
    size_t k = cache_find(c, pos > 0 ? pos - 1 : 0);
    c->n = k > 0 ? k : 1;
    c->complete = false;
}

size_t pd_tb_row_end(const pd_textbuf *tb, size_t row_start, int width)
{
    if (width > 0 && tb->rc.valid && tb->rc.width == width && row_start >= tb->rc.line) {
        const row_cache *c = &tb->rc;
        size_t k = cache_find(c, row_start);
        if (c->start[k] == row_start && k + 1 < c->n)
            return c->start[k + 1];
    }
    return pd_text_row_end(tb->data, tb->len, row_start, width);
}

size_t pd_tb_row_start(const pd_textbuf *tb, size_t pos, int width)
{
    if (pos > tb->len)
        pos = tb->len;
    size_t ls = pd_tb_line_start(tb, pos);
    if (width <= 0)
        return ls;
    row_cache *c = cache_for(tb, ls, width);
    cache_extend(tb, c, pos);
    return c->start[cache_find(c, pos)];
}

bool pd_tb_next_row(const pd_textbuf *tb, size_t row_start, int width, size_t *next)
{
    size_t e = pd_tb_row_end(tb, row_start, width);
    if (e >= tb->len)
        return false;
    *next = tb->data[e] == '\n' ? e + 1 : e;
    return true;
}

bool pd_tb_prev_row(const pd_textbuf *tb, size_t row_start, int width, size_t *prev)
{
    if (row_start == 0)
        return false;
    /* the row holding the byte before: the previous line's last row, or the row before */
    *prev = pd_tb_row_start(tb, row_start - 1, width);
    return true;
}

/* Columns from row_start to pos. */
static int cols_between(const pd_textbuf *tb, size_t p, size_t pos)
{
    int col = 0;
    pd_glyph g;
    while (p < pos) {
        pd_glyph_at(tb->data, tb->len, p, col, &g);
        col += g.width;
        p += g.len;
    }
    return col;
}

int pd_tb_column(const pd_textbuf *tb, size_t pos, int width)
{
    return cols_between(tb, pd_tb_row_start(tb, pos, width), pos);
}

int pd_tb_line_column(const pd_textbuf *tb, size_t pos, int width)
{
    if (pos > tb->len)
        pos = tb->len;
    if (width <= 0)
        return cols_between(tb, pd_tb_line_start(tb, pos), pos);
    size_t r = pd_tb_row_start(tb, pos, width);
    const row_cache *c = &tb->rc;
    return c->col[cache_find(c, r)] + cols_between(tb, r, pos);
}

static size_t count_newlines(const char *s, size_t n)
{
    size_t c = 0;
    const char *end = s + n, *nl;
    while (s < end && (nl = memchr(s, '\n', (size_t)(end - s)))) {
        c++;
        s = nl + 1;
    }
    return c;
}

size_t pd_tb_line_number(const pd_textbuf *tb, size_t pos)
{
    return count_newlines(tb->data, pos > tb->len ? tb->len : pos) + 1;
}

size_t pd_tb_line_count(const pd_textbuf *tb)
{
    return count_newlines(tb->data, tb->len) + 1;
}

/* ---------------------------------------------------------------- moves */

static bool word_glyph(const pd_textbuf *tb, size_t p)
{
    unsigned char b = (unsigned char)tb->data[p];
    if (b < 0x80)
        return b == '_' || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
    uint32_t cp;
    if (!pd_utf8_decode(tb->data + p, tb->len - p, &cp) || pd_cp_width(cp) < 0)
        return false;
    return iswalnum((wint_t)cp) || pd_cp_width(cp) == 2;
}

static size_t next_glyph(const pd_textbuf *tb, size_t p)
{
    pd_glyph g;
    pd_glyph_at(tb->data, tb->len, p, 0, &g);
    return p + g.len;
}

/* Puts the cursor in the row starting at r, at the goal column or the last glyph before it. */
static void place_in_row(pd_textbuf *tb, size_t r, int width)
{
    size_t re = pd_tb_row_end(tb, r, width);
    bool last = re >= tb->len || tb->data[re] == '\n';
    size_t p = r;
    int col = 0;
    pd_glyph g;
    while (p < re) {
        pd_glyph_at(tb->data, tb->len, p, col, &g);
        if (col + g.width > tb->goal || (p + g.len == re && !last))
            break;
        col += g.width;
        p += g.len;
    }
    tb->cursor = p;
}

void pd_tb_place(pd_textbuf *tb, size_t row_start, int col, int width)
{
    end_runs(tb);
    tb->goal = col;
    place_in_row(tb, snap(tb, row_start), width);
    tb->goal = -1;
}

void pd_tb_move_rows(pd_textbuf *tb, long n, int width)
{
    end_runs(tb);
    if (n == 0)
        return;
    if (tb->goal < 0)
        tb->goal = pd_tb_column(tb, tb->cursor, width);
    size_t r = pd_tb_row_start(tb, tb->cursor, width), to;
    long moved = 0;
    while (moved < (n < 0 ? -n : n) && (n > 0 ? pd_tb_next_row(tb, r, width, &to) : pd_tb_prev_row(tb, r, width, &to))) {
        r = to;
        moved++;
    }
    if (moved == 0) {
        /* already on the first / last row: go to the start / end of the text */
        tb->cursor = n > 0 ? tb->len : 0;
        tb->goal = -1;
        return;
    }
    place_in_row(tb, r, width);
}

void pd_tb_move(pd_textbuf *tb, pd_tb_move_kind m, int width)
{
    if (m == PD_MOVE_UP || m == PD_MOVE_DOWN) {
        pd_tb_move_rows(tb, m == PD_MOVE_UP ? -1 : 1, width);
        return;
    }
    end_runs(tb);
    tb->goal = -1;
    size_t p = tb->cursor;
    switch (m) {
    case PD_MOVE_CHAR_LEFT:
        p = pd_glyph_prev(tb->data, tb->len, p);
        break;
    case PD_MOVE_CHAR_RIGHT:
        if (p < tb->len)
            p = next_glyph(tb, p);
        break;
    case PD_MOVE_WORD_RIGHT:
        while (p < tb->len && word_glyph(tb, p))
            p = next_glyph(tb, p);
        while (p < tb->len && !word_glyph(tb, p))
            p = next_glyph(tb, p);
        break;
    case PD_MOVE_WORD_LEFT: {
        size_t q;
        while (p > 0 && !word_glyph(tb, q = pd_glyph_prev(tb->data, tb->len, p)))
            p = q;
        while (p > 0 && word_glyph(tb, q = pd_glyph_prev(tb->data, tb->len, p)))
            p = q;
        break;
    }
    case PD_MOVE_HOME:
        p = pd_tb_line_start(tb, p);
        break;
    case PD_MOVE_END:
        p = pd_tb_line_end(tb, p);
        break;
    case PD_MOVE_DOC_START:
        p = 0;
        break;
    case PD_MOVE_DOC_END:
        p = tb->len;
        break;
    default:
        break;
    }
    tb->cursor = p;
}

/* ---------------------------------------------------------------- kill buffer */

/* Adds the cursor's line to the kill buffer (with a '\n' when the line has none). */
static void kill_add_line(pd_textbuf *tb, size_t ls, size_t le)
{
    if (!tb->kill_append)
        pd_buf_reset(&tb->kill);
    pd_buf_append(&tb->kill, tb->data + ls, le - ls);
    pd_buf_putc(&tb->kill, '\n');
    tb->kill_append = true;
}

bool pd_tb_cut_line(pd_textbuf *tb)
{
    size_t ls = pd_tb_line_start(tb, tb->cursor), le = pd_tb_line_end(tb, tb->cursor);
    tb->open = false;
    if (le < tb->len) {
        kill_add_line(tb, ls, le);
        change(tb, ls, le + 1 - ls, NULL, 0, ls, false);
        return true;
    }
    if (ls == le) {   /* the empty last line: nothing to cut */
        tb->kill_append = false;
        return false;
    }
    /* the last line has no newline: take the one before it, so no empty line is left behind */
    kill_add_line(tb, ls, le);
    size_t from = ls > 0 ? ls - 1 : ls;
    change(tb, from, le - from, NULL, 0, pd_tb_line_start(tb, from), false);
    return true;
}

void pd_tb_copy_line(pd_textbuf *tb)
{
    tb->open = false;
    kill_add_line(tb, pd_tb_line_start(tb, tb->cursor), pd_tb_line_end(tb, tb->cursor));
    /* a copy then a move then a cut should not join: copying is a one-off */
    tb->kill_append = false;
}

bool pd_tb_paste_lines(pd_textbuf *tb)
{
    end_runs(tb);
    if (tb->kill.len == 0)
        return false;
    size_t ls = pd_tb_line_start(tb, tb->cursor);
    change(tb, ls, 0, tb->kill.data, tb->kill.len, ls + tb->kill.len, false);
    return true;
}

const char *pd_tb_kill_buffer(const pd_textbuf *tb, size_t *len)
{
    *len = tb->kill.len;
    return pd_buf_str(&tb->kill);
}

/* ---------------------------------------------------------------- undo */

void pd_tb_break_group(pd_textbuf *tb)
{
    tb->open = false;
}

bool pd_tb_undo(pd_textbuf *tb)
{
    end_runs(tb);
    if (tb->n_done == 0)
        return false;
    tb_change *c = &tb->log[--tb->n_done];
    splice(tb, c->pos, c->ins_len, c->del, c->del_len);
    tb->cursor = c->cur_before;
    tb->goal = -1;
    return true;
}

bool pd_tb_redo(pd_textbuf *tb)
{
    end_runs(tb);
    if (tb->n_done == tb->n_log)
        return false;
    tb_change *c = &tb->log[tb->n_done++];
    splice(tb, c->pos, c->del_len, c->ins, c->ins_len);
    tb->cursor = c->cur_after;
    tb->goal = -1;
    return true;
}
