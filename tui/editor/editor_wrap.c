/* editor_wrap.c: the editor's rows: a message's lines wrapped at word boundaries, as the detail
 * pane wraps (after the last blank that fits; a word longer than the row is cut where the row
 * is full; wide characters, as in Chinese or Japanese text, may break anywhere), with the text
 * buffer's glyphs and tab stops. The row starts of the line last asked about are kept until
 * the text changes, so moving in a long line lays it out once. */
#include <stdlib.h>
#include <string.h>

#include "editor_priv.h"

size_t ed_wrap_row_end(const char *s, size_t len, size_t start, int width)
{
    size_t e = pd_text_row_end(s, len, start, width);
    if (e >= len || s[e] == '\n')
        return e;   /* the line ends in this row */
    size_t cut = 0;   /* the last place a row may end: after a blank, around a wide character */
    int col = 0;
    pd_glyph g;
    for (size_t p = start; p < e; p += g.len) {
        pd_glyph_at(s, len, p, col, &g);
        col += g.width;
        if (g.width == 2 && p > start)
            cut = p;
        if (s[p] == ' ' || s[p] == '\t' || g.width == 2)
            cut = p + g.len;
    }
    pd_glyph_at(s, len, e, col, &g);
    if (g.width == 2)
        cut = e;   /* the next character is wide: the row may end right before it */
    return cut > start ? cut : e;
}

size_t ed_row_end(const editor *ed, const pd_textbuf *tb, size_t start)
{
    return ed_wrap_row_end(pd_tb_text(tb), pd_tb_len(tb), start, ed_text_width(ed));
}

/* The kept row starts of pos's line, found from the line's start up to the row holding pos. */
static const ed_rows *rows_to(const editor *ed, const pd_textbuf *tb, size_t pos)
{
    ed_rows *c = &((editor *)ed)->rows;   /* logically const: the cache only */
    size_t line = pd_tb_line_start(tb, pos);
    int width = ed_text_width(ed);
    if (c->tb != tb || c->gen != pd_tb_generation(tb) || c->len != pd_tb_len(tb) || c->line != line ||
        c->width != width || !c->n) {
        c->tb = tb;
        c->gen = pd_tb_generation(tb);
        c->len = pd_tb_len(tb);
        c->line = line;
        c->width = width;
        c->complete = false;
        c->n = 0;
        if (!c->cap) {
            c->cap = 64;
            c->start = pd_xmalloc(c->cap * sizeof *c->start);
        }
        c->start[c->n++] = line;
    }
    const char *s = pd_tb_text(tb);
    size_t len = pd_tb_len(tb);
    while (!c->complete && c->start[c->n - 1] <= pos) {
        size_t e = ed_wrap_row_end(s, len, c->start[c->n - 1], width);
        if (e >= len || s[e] == '\n') {
            c->complete = true;
            break;
        }
        if (c->n == c->cap) {
            c->cap *= 2;
            c->start = pd_xrealloc(c->start, c->cap * sizeof *c->start);
        }
        c->start[c->n++] = e;
    }
    return c;
}

size_t ed_row_start(const editor *ed, const pd_textbuf *tb, size_t pos)
{
    if (pos > pd_tb_len(tb))
        pos = pd_tb_len(tb);
    const ed_rows *c = rows_to(ed, tb, pos);
    return c->start[pd_rows_find(c->start, c->n, pos)];
}

bool ed_row_next(const editor *ed, const pd_textbuf *tb, size_t start, size_t *next)
{
    size_t e = ed_row_end(ed, tb, start);
    if (e >= pd_tb_len(tb))
        return false;
    *next = pd_tb_text(tb)[e] == '\n' ? e + 1 : e;
    return true;
}

bool ed_row_prev(const editor *ed, const pd_textbuf *tb, size_t start, size_t *prev)
{
    if (start == 0)
        return false;
    *prev = ed_row_start(ed, tb, start - 1);   /* the row holding the byte before */
    return true;
}

int ed_row_column(const editor *ed, const pd_textbuf *tb, size_t pos)
{
    const char *s = pd_tb_text(tb);
    size_t len = pd_tb_len(tb);
    int col = 0;
    pd_glyph g;
    for (size_t p = ed_row_start(ed, tb, pos); p < pos; p += g.len) {
        pd_glyph_at(s, len, p, col, &g);
        col += g.width;
    }
    return col;
}

void ed_row_place(const editor *ed, pd_textbuf *tb, size_t start, int col)
{
    const char *s = pd_tb_text(tb);
    size_t len = pd_tb_len(tb);
    size_t end = ed_row_end(ed, tb, start);
    bool last = end >= len || s[end] == '\n';
    size_t p = start;
    int c = 0;
    pd_glyph g;
    /* on the glyph covering col, or the row's end; never on a wrapped row's end (it belongs
     * to the row below) */
    while (p < end) {
        pd_glyph_at(s, len, p, c, &g);
        if (c + g.width > col || (p + g.len == end && !last))
            break;
        c += g.width;
        p += g.len;
    }
    pd_tb_set_cursor(tb, p);
}
