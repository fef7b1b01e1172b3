/* textbuf.h: the editor's text buffer: UTF-8 text, glyph-wise cursor moves, display columns,
 * soft-wrapped rows, insert/delete, a line kill buffer, and grouped undo/redo. No ncurses.
 *
 * Positions are byte offsets into the text. The cursor always sits on a glyph boundary: a glyph
 * is one code point with the combining marks that follow it, one tab, one control character,
 * or one byte of invalid UTF-8 (kept byte-exact, shown as <ff>). A glyph's on-screen form is
 * never raw control text: see pd_tb_glyph. */
#ifndef PD_TEXTBUF_H
#define PD_TEXTBUF_H

#include "textsafe.h"
#include <stdbool.h>
#include <stddef.h>

/* tab stops every 4 columns, as the rest of the app draws them (draw.h PD_TAB_WIDTH) */
#define PD_TB_TABSTOP 4

/* ---- glyphs: how a piece of text looks on a terminal ---- */
typedef enum {
    PD_GLYPH_TEXT,      /* printable text, shown as is (with its combining marks) */
    PD_GLYPH_TAB,       /* shown as `width` spaces */
    PD_GLYPH_CONTROL,   /* C0 control or DEL, shown as ^X */
    PD_GLYPH_INVALID,   /* a byte of invalid UTF-8, shown as <ff> */
    PD_GLYPH_HIDDEN,    /* a code point not safe to print (C1 controls, bidi and zero-width
                           format characters, unassigned), shown as <U+XXXX> */
    PD_GLYPH_NEWLINE    /* '\n': ends a line; width 0, nothing shown */
} pd_glyph_kind;

typedef struct pd_glyph {
    pd_glyph_kind kind;
    size_t len;         /* bytes of text it covers */
    int width;          /* terminal columns */
    char show[48];      /* NUL-terminated UTF-8 that is safe to draw (spaces for a tab) */
} pd_glyph;

/* Decodes the glyph at s[pos] (pos < len) for a glyph starting at screen column col (tabs
 * depend on it). Works on any bytes; never reads past len. */
void pd_glyph_at(const char *s, size_t len, size_t pos, int col, pd_glyph *g);
/* The end of the screen row starting at row_start of s (see the layout below): where the glyphs
 * that fit in width columns end, or the next '\n' / len. */
size_t pd_text_row_end(const char *s, size_t len, size_t row_start, int width);
/* Start of the glyph that ends at pos (pos > 0), i.e. the previous cursor stop. */
size_t pd_glyph_prev(const char *s, size_t len, size_t pos);
/* Terminal columns of s[0..len) drawn from column 0 (a single line; '\n' counts 0). */
int pd_tb_text_width(const char *s, size_t len);

/* ---- the buffer ---- */
typedef struct pd_textbuf pd_textbuf;

/* A buffer holding a copy of text[0..len). Caller frees with pd_tb_free. */
pd_textbuf *pd_tb_new(const char *text, size_t len);
void pd_tb_free(pd_textbuf *tb);

/* The text, NUL-terminated (it may hold NULs itself: use pd_tb_len). Valid until the next
 * change. */
const char *pd_tb_text(const pd_textbuf *tb);
size_t pd_tb_len(const pd_textbuf *tb);
/* A copy of the text. Caller frees. */
char *pd_tb_dup(const pd_textbuf *tb);
size_t pd_tb_cursor(const pd_textbuf *tb);
/* Moves the cursor to pos (clamped, and moved back to the glyph boundary at or before it). */
void pd_tb_set_cursor(pd_textbuf *tb, size_t pos);

/* ---- layout: logical lines and soft-wrapped rows ----
 * A row holds the glyphs of a line that fit in `width` columns (width <= 0: no wrapping, a row
 * is the whole line). A row's end is the next row's start; the position of a line's '\n' (or of
 * the end of the text) belongs to the line's last row. */
size_t pd_tb_line_start(const pd_textbuf *tb, size_t pos);
size_t pd_tb_line_end(const pd_textbuf *tb, size_t pos);     /* position of the '\n' or len */
/* The end of the row starting at row_start (a line start or a previous row's end). */
size_t pd_tb_row_end(const pd_textbuf *tb, size_t row_start, int width);
/* The start of the row holding pos. */
size_t pd_tb_row_start(const pd_textbuf *tb, size_t pos, int width);
/* The start of the row after / before the one starting at row_start; false at the end / start
 * of the text. */
bool pd_tb_next_row(const pd_textbuf *tb, size_t row_start, int width, size_t *next);
bool pd_tb_prev_row(const pd_textbuf *tb, size_t row_start, int width, size_t *prev);
/* Screen column of pos within its row. */
int pd_tb_column(const pd_textbuf *tb, size_t pos, int width);
/* Columns of pos's line before pos, as laid out in rows of width (for "col N" displays). */
int pd_tb_line_column(const pd_textbuf *tb, size_t pos, int width);
/* 1-based logical line number of pos, and the number of lines. */
size_t pd_tb_line_number(const pd_textbuf *tb, size_t pos);
size_t pd_tb_line_count(const pd_textbuf *tb);

/* ---- moves (width as for the layout; rows move by screen row) ---- */
typedef enum {
    PD_MOVE_CHAR_LEFT, PD_MOVE_CHAR_RIGHT,
    PD_MOVE_WORD_LEFT,     /* to the start of this or the previous word */
    PD_MOVE_WORD_RIGHT,    /* to the start of the next word (or the end of the text) */
    PD_MOVE_UP, PD_MOVE_DOWN,          /* one row, keeping the goal column */
    PD_MOVE_HOME, PD_MOVE_END,         /* start / end of the logical line */
    PD_MOVE_DOC_START, PD_MOVE_DOC_END
} pd_tb_move_kind;
void pd_tb_move(pd_textbuf *tb, pd_tb_move_kind m, int width);
/* Puts the cursor in the row starting at row_start, at screen column col (or on the glyph
 * covering it, or at the row's end). */
void pd_tb_place(pd_textbuf *tb, size_t row_start, int col, int width);
/* Moves by n rows (negative: up), keeping the goal column; PgUp/PgDn use height - 1. */
void pd_tb_move_rows(pd_textbuf *tb, long n, int width);

/* ---- changes (each one is undoable) ---- */
/* Inserts s[0..n) at the cursor and puts the cursor after it. Consecutive typing (inserts that
 * continue each other, without a newline) forms one undo step. */
void pd_tb_insert(pd_textbuf *tb, const char *s, size_t n);
/* Deletes the glyph before / after the cursor; false when there is none. */
bool pd_tb_backspace(pd_textbuf *tb);
bool pd_tb_delete(pd_textbuf *tb);
/* Deletes [from, to) (clamped) as one undo step and puts the cursor at from. */
void pd_tb_delete_range(pd_textbuf *tb, size_t from, size_t to);
/* Replaces the whole text as one undo step (the cursor is kept where it can be). */
void pd_tb_replace_all(pd_textbuf *tb, const char *s, size_t n);

/* Cuts the cursor's logical line (with its newline) into the kill buffer; cuts right after
 * each other collect their lines together. false when there is nothing to cut. */
bool pd_tb_cut_line(pd_textbuf *tb);
/* Copies the cursor's line into the kill buffer without changing the text. */
void pd_tb_copy_line(pd_textbuf *tb);
/* Inserts the kill buffer's lines above the cursor's line; false when it is empty. */
bool pd_tb_paste_lines(pd_textbuf *tb);
/* The kill buffer (always whole lines, each ending in '\n'). */
const char *pd_tb_kill_buffer(const pd_textbuf *tb, size_t *len);

/* Ends the current undo group (the next change starts a new step). */
void pd_tb_break_group(pd_textbuf *tb);
/* Undo / redo one step; false when there is nothing to undo / redo. */
bool pd_tb_undo(pd_textbuf *tb);
bool pd_tb_redo(pd_textbuf *tb);
/* Counts every change, undo and redo: lets a caller see that something changed. */
unsigned long pd_tb_generation(const pd_textbuf *tb);

#endif
