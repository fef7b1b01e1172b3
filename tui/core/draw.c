/* draw.c: safe text drawing for every pane: UTF-8 decoded with mbrtowc, widths from wcwidth,
 * tabs to stops, control characters, C1 controls, bidi/format characters and invalid bytes
 * shown visibly and never sent to the terminal, clipped to a width, horizontal scroll.
 * (ncurses' own waddstr would pass some of these through or render them as ~ sequences with
 * no clip/tab control, so the few rules are written here.) */
#include "core.h"
#include "base/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef enum { G_TEXT, G_WIDE, G_TAB, G_ESC, G_NEWLINE } glyph_kind;

typedef struct glyph {
    glyph_kind kind;
    size_t bytes;      /* bytes of input consumed */
    int width;         /* columns */
    wchar_t wc;        /* for G_WIDE (any non-ASCII printable) */
    char esc[12];      /* visible form for G_ESC */
} glyph;

/* Decodes the glyph at s[0..len) drawn at logical column col. */
static void next_glyph(const char *s, size_t len, int col, glyph *g)
{
    unsigned char c = (unsigned char)s[0];
    g->bytes = 1;
    if (c == '\t') {
        g->kind = G_TAB;
        g->width = PD_TAB_WIDTH - (col % PD_TAB_WIDTH);
        return;
    }
    if (c == '\n') {
        g->kind = G_ESC;
        memcpy(g->esc, "^J", 3);
        g->width = 2;
        return;
    }
    if (c < 0x20 || c == 0x7f) {
        g->kind = G_ESC;
        g->esc[0] = '^';
        g->esc[1] = (char)(c == 0x7f ? '?' : c + 0x40);
        g->esc[2] = 0;
        g->width = 2;
        return;
    }
    if (c < 0x80) {
        g->kind = G_TEXT;
        g->width = 1;
        return;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        g->kind = G_ESC;
        snprintf(g->esc, sizeof g->esc, "<%02x>", c);
        g->width = 4;
        return;
    }
    g->bytes = n;
    int w = wcwidth(wc);
    if (w < 0 || pd_cp_hidden((uint32_t)wc)) {
        g->kind = G_ESC;
        snprintf(g->esc, sizeof g->esc, "<U+%04X>", (unsigned)wc);
        g->width = (int)strlen(g->esc);
        return;
    }
    g->kind = G_WIDE;
    g->wc = wc;
    g->width = w;
}

pd_pen pd_pen_at(WINDOW *win, int y, int x, int width, attr_t ctrl_attr)
{
    pd_pen p = {.win = win, .x = x, .end = x + (width > 0 ? width : 0), .ctrl = ctrl_attr};
    wmove(win, y, x);
    return p;
}

int pd_pen_left(const pd_pen *p)
{
    return p->end - p->x;
}

/* Draws n ASCII bytes that occupy logical columns [p->col, p->col+n), honouring skip/clip. */
static void put_ascii(pd_pen *p, const char *s, int n, attr_t attr)
{
    int from = 0;
    if (p->col < p->skip) {
        from = p->skip - p->col;
        if (from > n)
            from = n;
    }
    int count = n - from;
    if (count > pd_pen_left(p))
        count = pd_pen_left(p);
    if (count > 0) {
        wattrset(p->win, attr);
        waddnstr(p->win, s + from, count);
        p->x += count;
    }
    p->col += n;
}

static void put_blanks(pd_pen *p, int n, attr_t attr)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n > 32 ? 32 : n;
        put_ascii(p, spaces, k, attr);
        n -= k;
    }
}

static void put_wide(pd_pen *p, wchar_t wc, int w, attr_t attr)
{
    if (w == 0) {
        /* A combining mark joins the previous cell when that cell was drawn. */
        if (p->col > p->skip && p->x > 0 && p->x <= p->end) {
            wattrset(p->win, attr);
            waddnwstr(p->win, &wc, 1);
        }
        return;
    }
    if (p->col < p->skip || pd_pen_left(p) < w) {
        /* partly scrolled off or not fitting: blanks in its place */
        int vis = w;
        if (p->col < p->skip)
            vis = p->col + w - p->skip;
        int save = p->col;
        p->col = p->skip > p->col ? p->skip : p->col;
        if (vis > 0)
            put_blanks(p, vis, attr);
        p->col = save + w;
        return;
    }
    wattrset(p->win, attr);
    waddnwstr(p->win, &wc, 1);
    p->x += w;
    p->col += w;
}

int pd_pen_text(pd_pen *p, const char *s, size_t len, attr_t attr)
{
    int x0 = p->x;
    size_t i = 0;
    while (i < len && p->x < p->end) {
        /* fast path: a run of printable ASCII */
        size_t j = i;
        while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7f)
            j++;
        if (j > i) {
            put_ascii(p, s + i, (int)(j - i), attr);
            i = j;
            continue;
        }
        glyph g;
        next_glyph(s + i, len - i, p->col, &g);
        switch (g.kind) {
        case G_TAB:
            put_blanks(p, g.width, attr);
            break;
        case G_ESC:
        case G_NEWLINE:
            put_ascii(p, g.esc, g.width, p->ctrl ? p->ctrl : attr | A_REVERSE);
            break;
        case G_WIDE:
            put_wide(p, g.wc, g.width, attr);
            break;
        case G_TEXT:
            put_ascii(p, s + i, 1, attr);
            break;
        }
        i += g.bytes;
    }
    return p->x - x0;
}

int pd_pen_str(pd_pen *p, const char *s, attr_t attr)
{
    return s ? pd_pen_text(p, s, strlen(s), attr) : 0;
}

int pd_pen_printf(pd_pen *p, attr_t attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    return pd_pen_text(p, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, attr);
}

void pd_pen_fill(pd_pen *p, attr_t attr)
{
    int n = pd_pen_left(p);
    if (n <= 0)
        return;
    int save_skip = p->skip;
    p->skip = 0;
    put_blanks(p, n, attr);
    p->skip = save_skip;
}

void pd_pen_pad_to(pd_pen *p, int x, attr_t attr)
{
    if (x > p->end)
        x = p->end;
    if (x <= p->x)
        return;
    int save_skip = p->skip;
    p->skip = 0;
    put_blanks(p, x - p->x, attr);
    p->skip = save_skip;
}

int pd_text_width(const char *s, size_t len, int col)
{
    int c0 = col;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            col++;
            i++;
            continue;
        }
        glyph g;
        next_glyph(s + i, len - i, col, &g);
        col += g.width;
        i += g.bytes;
    }
    return col - c0;
}

size_t pd_text_fit(const char *s, size_t len, int width, bool at_space)
{
    int col = 0;
    size_t i = 0, last_space = 0;
    while (i < len && s[i] != '\n') {
        unsigned char c = (unsigned char)s[i];
        glyph g;
        if (c >= 0x20 && c < 0x7f) {
            g.width = 1;
            g.bytes = 1;
        } else {
            next_glyph(s + i, len - i, col, &g);
        }
        if (col + g.width > width && i > 0)
            break;
        col += g.width;
        i += g.bytes;
        if (c == ' ' || c == '\t')
            last_space = i;
    }
    if (at_space && i < len && s[i] != '\n' && last_space > 0)
        return last_space;
    if (i == 0 && len > 0 && s[0] != '\n') {
        glyph g;
        next_glyph(s, len, 0, &g);
        return g.bytes;
    }
    return i;
}

void pd_draw_line(WINDOW *win, int y, int x, int width, const char *s, attr_t attr, attr_t ctrl)
{
    pd_pen p = pd_pen_at(win, y, x, width, ctrl);
    if (s)
        pd_pen_str(&p, s, attr);
    pd_pen_fill(&p, attr);
}
