/* draw.c: safe text drawing for every pane: characters as base's pd_char_at reads and measures
 * them (tabs to stops; control characters, C1 controls, bidi/format characters and invalid
 * bytes shown visibly and never sent to the terminal), clipped to a width, horizontal scroll.
 * (ncurses' own waddstr would pass some of these through or render them as ~ sequences with
 * no clip/tab control, so the drawing is written here.) Also reading back what was drawn. */
#include "core_priv.h"
#include "base/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

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
        pd_char c;
        pd_char_at(s + i, len - i, p->col, &c);
        switch (c.kind) {
        case PD_CHAR_TAB:
            put_blanks(p, c.width, attr);
            break;
        case PD_CHAR_TEXT:
            put_wide(p, (wchar_t)c.cp, c.width, attr);
            break;
        case PD_CHAR_CONTROL:
        case PD_CHAR_INVALID:
        case PD_CHAR_HIDDEN:
            put_ascii(p, c.shown, c.width, p->ctrl ? p->ctrl : attr | A_REVERSE);
            break;
        }
        i += c.len;
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

void pd_draw_line(WINDOW *win, int y, int x, int width, const char *s, attr_t attr, attr_t ctrl)
{
    pd_pen p = pd_pen_at(win, y, x, width, ctrl);
    if (s)
        pd_pen_str(&p, s, attr);
    pd_pen_fill(&p, attr);
}

int pd_cell_at(WINDOW *win, int y, int x, char *text, attr_t *attrs, short *pair)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    text[0] = '\0';
    *attrs = 0;
    *pair = 0;
    if (mvwin_wch(win, y, x, &cc) != OK || getcchar(&cc, wch, attrs, pair, NULL) == ERR || !wch[0])
        return 1;
    size_t n = 0;
    for (int k = 0; wch[k] && k < CCHARW_MAX; k++)
        n += (size_t)pd_utf8_encode((uint32_t)wch[k], text + n);
    text[n] = '\0';
    int cw = pd_cp_width((uint32_t)wch[0]);
    return cw > 1 ? cw : 1;
}
