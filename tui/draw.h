/* draw.h: safe text drawing: UTF-8 with wide characters and tabs aligned, control characters
 * and escape sequences shown visibly (ESC as ^[, DEL as ^?, C1 and bad bytes as <9b>/<ff>),
 * clipped to a width. Every pane draws prompt/model text through these functions. */
#ifndef PD_DRAW_H
#define PD_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#define PD_TAB_WIDTH 4

/* One drawing run on a row. col is the text's own column of its first byte (for tab stops and
 * horizontal scrolling: text before column `skip` is not drawn). */
typedef struct pd_pen {
    WINDOW *win;
    int x;            /* next screen column in win */
    int end;          /* first screen column NOT to draw into (the clip) */
    int col;          /* logical text column (tabs align to multiples of PD_TAB_WIDTH) */
    int skip;         /* logical columns to hide at the start (horizontal scroll) */
    attr_t ctrl;      /* attributes for visible control characters */
} pd_pen;

/* Starts a pen on row y of win, from screen column x to x+width (exclusive). */
pd_pen pd_pen_at(WINDOW *win, int y, int x, int width, attr_t ctrl_attr);
/* Draws len bytes of UTF-8 text with attr. Returns the screen columns used. Never writes past
 * the clip; a wide character that does not fit is replaced by blanks. */
int pd_pen_text(pd_pen *p, const char *s, size_t len, attr_t attr);
/* Same for a NUL-terminated string. */
int pd_pen_str(pd_pen *p, const char *s, attr_t attr);
/* printf into the pen (text is sanitized like pd_pen_text). */
int pd_pen_printf(pd_pen *p, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fills the rest of the clip with blanks in attr. */
void pd_pen_fill(pd_pen *p, attr_t attr);
/* Moves to the screen column x (relative to the window), filling with blanks in attr. */
void pd_pen_pad_to(pd_pen *p, int x, attr_t attr);
/* Screen columns left before the clip. */
int pd_pen_left(const pd_pen *p);

/* Display width of text as pd_pen_text would draw it starting at logical column col
 * (control characters count as their visible form). */
int pd_text_width(const char *s, size_t len, int col);
/* Wraps text at width columns: returns how many bytes of s fit on one line (at least one
 * character, breaking after the last space when possible; stops before a '\n'). */
size_t pd_text_fit(const char *s, size_t len, int width, bool at_space);

/* Draws s on row y at x, clipped to width, padding the rest with blanks: the common case. */
void pd_draw_line(WINDOW *win, int y, int x, int width, const char *s, attr_t attr, attr_t ctrl);

#endif
