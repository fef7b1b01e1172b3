/* test_textbuf.c: the editor buffer: glyphs shown safely, moves, rows, edits, the kill buffer,
 * and undo/redo grouping. (UTF-8 decoding itself: test_textwidth.c.) */
#include <locale.h>
#include <stdlib.h>

#include "t.h"
#include "core/core.h"

static pd_textbuf *tb_of(const char *s) { return pd_tb_new(s, strlen(s)); }

/* Types s one byte-sequence at a time (each UTF-8 character as one insert, like a keyboard). */
static void type(pd_textbuf *tb, const char *s)
{
    while (*s) {
        uint32_t cp;
        size_t n = pd_utf8_next(s, strlen(s), &cp, NULL);
        pd_tb_insert(tb, s, n);
        s += n;
    }
}

static void glyph(const char *s, size_t len, size_t pos, int col, pd_glyph *g) { pd_glyph_at(s, len, pos, col, g); }

static void test_glyphs_shown_safely(void)
{
    pd_glyph g;
    glyph("\x1b[31m", 5, 0, 0, &g);
    CHECK_INT(g.kind, PD_GLYPH_CONTROL);
    CHECK_STR(g.show, "^[");
    CHECK_INT(g.width, 2);
    CHECK_INT(g.len, 1);
    glyph("\x7f", 1, 0, 0, &g);
    CHECK_STR(g.show, "^?");
    glyph("\r", 1, 0, 0, &g);
    CHECK_STR(g.show, "^M");
    glyph("\0a", 2, 0, 0, &g);
    CHECK_STR(g.show, "^@");
    glyph("\xFF", 1, 0, 0, &g);
    CHECK_INT(g.kind, PD_GLYPH_INVALID);
    CHECK_STR(g.show, "<ff>");
    CHECK_INT(g.width, 4);
    glyph("\xE4\xB8", 2, 0, 0, &g);            /* truncated: one byte at a time */
    CHECK_INT(g.len, 1);
    CHECK_STR(g.show, "<e4>");
    glyph("\xC2\x9B", 2, 0, 0, &g);            /* C1 CSI */
    CHECK_INT(g.kind, PD_GLYPH_HIDDEN);
    CHECK_STR(g.show, "<U+009B>");
    CHECK_INT(g.len, 2);
    CHECK_INT(g.width, 8);
    glyph("\xE2\x80\xAE", 3, 0, 0, &g);        /* RIGHT-TO-LEFT OVERRIDE */
    CHECK_STR(g.show, "<U+202E>");
    glyph("\xE2\x80\x8B", 3, 0, 0, &g);        /* ZERO WIDTH SPACE */
    CHECK_INT(g.kind, PD_GLYPH_HIDDEN);
    glyph("\n", 1, 0, 0, &g);
    CHECK_INT(g.kind, PD_GLYPH_NEWLINE);
    CHECK_INT(g.width, 0);
}

static void test_glyph_widths(void)
{
    pd_glyph g;
    glyph("\xE4\xB8\xAD", 3, 0, 0, &g);        /* 中 */
    CHECK_INT(g.kind, PD_GLYPH_TEXT);
    CHECK_INT(g.width, 2);
    CHECK_STR(g.show, "\xE4\xB8\xAD");
    glyph("\xF0\x9F\x98\x80", 4, 0, 0, &g);
    CHECK_INT(g.width, 2);
    /* e + COMBINING ACUTE is one glyph of width 1 */
    glyph("e\xCC\x81x", 4, 0, 0, &g);
    CHECK_INT(g.len, 3);
    CHECK_INT(g.width, 1);
    CHECK_STR(g.show, "e\xCC\x81");
    /* a mark with no base gets a space under it */
    glyph("\xCC\x81", 2, 0, 0, &g);
    CHECK_INT(g.width, 1);
    CHECK_STR(g.show, " \xCC\x81");
    /* tabs go to the next multiple of 4 */
    glyph("\t", 1, 0, 0, &g);
    CHECK_INT(g.width, 4);
    CHECK_STR(g.show, "    ");
    glyph("\t", 1, 0, 3, &g);
    CHECK_INT(g.width, 1);
    glyph("\t", 1, 0, 8, &g);
    CHECK_INT(g.width, 4);
    CHECK_INT(pd_tb_text_width("a\tb", 3), 5);
    CHECK_INT(pd_tb_text_width("\xE4\xB8\xAD\xE6\x96\x87x", 7), 5);
    CHECK_INT(pd_tb_text_width("e\xCC\x81\xCC\x82", 5), 1);
    CHECK_INT(pd_tb_text_width("\x1b", 1), 2);
}

static void test_many_marks_stay_bounded(void)
{
    /* 100 combining marks after one base: show[] never overflows; every byte is covered */
    char s[1 + 200];
    s[0] = 'a';
    for (int i = 0; i < 100; i++) {
        s[1 + 2 * i] = '\xCC';
        s[2 + 2 * i] = '\x81';
    }
    size_t len = sizeof s, p = 0, glyphs = 0;
    pd_glyph g;
    while (p < len) {
        glyph(s, len, p, 0, &g);
        CHECK(strlen(g.show) < sizeof g.show);
        CHECK(g.len > 0);
        p += g.len;
        glyphs++;
    }
    CHECK_INT(p, len);
    CHECK(glyphs > 1);
    /* walking back visits the same boundaries */
    size_t back = 0;
    p = len;
    while (p > 0) {
        p = pd_glyph_prev(s, len, p);
        back++;
    }
    CHECK_INT(back, glyphs);
}

static void test_char_moves(void)
{
    /* a, é (2 bytes), 中 (3), e+◌́ (3), \xFF (invalid), 😀 (4) */
    const char *s = "a\xC3\xA9\xE4\xB8\xAD" "e\xCC\x81\xFF\xF0\x9F\x98\x80";
    pd_textbuf *tb = tb_of(s);
    size_t stops[] = {0, 1, 3, 6, 9, 10, 14};
    for (size_t i = 1; i < sizeof stops / sizeof *stops; i++) {
        pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, 0);
        CHECK_INT(pd_tb_cursor(tb), stops[i]);
    }
    pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 14);
    for (size_t i = sizeof stops / sizeof *stops - 1; i-- > 0;) {
        pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);
        CHECK_INT(pd_tb_cursor(tb), stops[i]);
    }
    pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 0);
    /* set_cursor inside a character snaps back to its start */
    pd_tb_set_cursor(tb, 4);
    CHECK_INT(pd_tb_cursor(tb), 3);
    pd_tb_set_cursor(tb, 8);
    CHECK_INT(pd_tb_cursor(tb), 6);
    pd_tb_set_cursor(tb, 100);
    CHECK_INT(pd_tb_cursor(tb), 14);
    pd_tb_free(tb);
}

static void test_word_moves(void)
{
    pd_textbuf *tb = tb_of("Hello, wörld  foo_bar\n  中文 x");
    pd_tb_move(tb, PD_MOVE_WORD_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 7);            /* w */
    pd_tb_move(tb, PD_MOVE_WORD_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 15);           /* foo_bar (ö is 2 bytes) */
    pd_tb_move(tb, PD_MOVE_WORD_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 25);           /* 中文 on the next line */
    pd_tb_move(tb, PD_MOVE_WORD_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 32);           /* x */
    pd_tb_move(tb, PD_MOVE_WORD_RIGHT, 0);
    CHECK_INT(pd_tb_cursor(tb), 33);           /* end */
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 32);
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 25);
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 15);
    pd_tb_set_cursor(tb, 10);                  /* inside wörld */
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 7);
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 0);
    pd_tb_move(tb, PD_MOVE_WORD_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), 0);
    pd_tb_free(tb);
}

static void test_home_end_doc(void)
{
    pd_textbuf *tb = tb_of("one\ntwo two\n\nlast");
    pd_tb_set_cursor(tb, 6);
    pd_tb_move(tb, PD_MOVE_HOME, 0);
    CHECK_INT(pd_tb_cursor(tb), 4);
    pd_tb_move(tb, PD_MOVE_END, 0);
    CHECK_INT(pd_tb_cursor(tb), 11);
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    CHECK_INT(pd_tb_cursor(tb), 17);
    pd_tb_move(tb, PD_MOVE_HOME, 0);
    CHECK_INT(pd_tb_cursor(tb), 13);
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    CHECK_INT(pd_tb_cursor(tb), 0);
    CHECK_INT(pd_tb_line_count(tb), 4);
    CHECK_INT(pd_tb_line_number(tb, 0), 1);
    CHECK_INT(pd_tb_line_number(tb, 12), 3);
    CHECK_INT(pd_tb_line_number(tb, 17), 4);
    pd_tb_free(tb);
}

static void test_vertical_goal_column(void)
{
    /* goal column survives a short line and comes back */
    pd_textbuf *tb = tb_of("abcdefgh\nab\nabcdefgh");
    pd_tb_set_cursor(tb, 6);
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    CHECK_INT(pd_tb_cursor(tb), 11);           /* end of "ab" */
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    CHECK_INT(pd_tb_cursor(tb), 18);           /* column 6 again */
    pd_tb_move(tb, PD_MOVE_UP, 0);
    pd_tb_move(tb, PD_MOVE_UP, 0);
    CHECK_INT(pd_tb_cursor(tb), 6);
    pd_tb_move(tb, PD_MOVE_UP, 0);             /* first row: to the start */
    CHECK_INT(pd_tb_cursor(tb), 0);
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    CHECK_INT(pd_tb_cursor(tb), pd_tb_len(tb));
    pd_tb_free(tb);
}

static void test_vertical_wide_and_tabs(void)
{
    /* "中文中文" columns 0,2,4,6; "abcdefgh"; "\tx": the tab spans 0..4 */
    pd_textbuf *tb = tb_of("abcdefgh\n\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\n\tx");
    pd_tb_set_cursor(tb, 3);                   /* column 3: inside the 2nd wide char */
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    CHECK_INT(pd_tb_cursor(tb), 12);           /* lands on 文 (column 2) */
    CHECK_INT(pd_tb_column(tb, pd_tb_cursor(tb), 0), 2);
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    CHECK_INT(pd_tb_cursor(tb), 22);           /* on the tab (column 3 is inside it) */
    pd_tb_move(tb, PD_MOVE_UP, 0);
    pd_tb_move(tb, PD_MOVE_UP, 0);
    CHECK_INT(pd_tb_cursor(tb), 3);            /* the goal column 3 came back */
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    CHECK_INT(pd_tb_column(tb, pd_tb_cursor(tb), 0), 5);
    pd_tb_free(tb);
}

static void test_rows_wrap(void)
{
    /* width 4: "abcdefghij" -> "abcd" "efgh" "ij"; a wide char never splits */
    pd_textbuf *tb = tb_of("abcdefghij\nab\xE4\xB8\xAD\xE6\x96\x87\nabcd");
    CHECK_INT(pd_tb_row_end(tb, 0, 4), 4);
    CHECK_INT(pd_tb_row_end(tb, 4, 4), 8);
    CHECK_INT(pd_tb_row_end(tb, 8, 4), 10);
    size_t r;
    CHECK(pd_tb_next_row(tb, 8, 4, &r));
    CHECK_INT(r, 11);
    CHECK_INT(pd_tb_row_end(tb, 11, 4), 16);   /* "ab中" = 4 columns */
    CHECK_INT(pd_tb_row_end(tb, 16, 4), 19);   /* "文" */
    CHECK_INT(pd_tb_row_start(tb, 17, 4), 16);
    CHECK_INT(pd_tb_row_start(tb, 4, 4), 4);   /* a row end belongs to the next row */
    CHECK_INT(pd_tb_row_start(tb, 10, 4), 8);  /* the line end to the last row */
    CHECK_INT(pd_tb_row_start(tb, 24, 4), 20); /* "abcd" exactly full: end stays on it */
    CHECK_INT(pd_tb_column(tb, 24, 4), 4);
    CHECK(pd_tb_prev_row(tb, 20, 4, &r));
    CHECK_INT(r, 16);
    CHECK(pd_tb_prev_row(tb, 16, 4, &r));
    CHECK_INT(r, 11);
    CHECK(pd_tb_prev_row(tb, 11, 4, &r));
    CHECK_INT(r, 8);
    CHECK(!pd_tb_prev_row(tb, 0, 4, &r));
    CHECK(!pd_tb_next_row(tb, 20, 4, &r));
    /* moving down by rows keeps the column inside wrapped lines */
    pd_tb_set_cursor(tb, 2);
    pd_tb_move(tb, PD_MOVE_DOWN, 4);
    CHECK_INT(pd_tb_cursor(tb), 6);
    pd_tb_move(tb, PD_MOVE_DOWN, 4);
    CHECK_INT(pd_tb_cursor(tb), 10);
    pd_tb_move(tb, PD_MOVE_DOWN, 4);
    CHECK_INT(pd_tb_cursor(tb), 13);           /* on 中 at column 2 */
    /* a non-last row: the cursor never lands on the row end (it belongs below) */
    pd_tb_move(tb, PD_MOVE_DOC_END, 4);        /* column 4 of "abcd" */
    pd_tb_move_rows(tb, -1, 4);
    CHECK_INT(pd_tb_cursor(tb), 19);           /* end of "文": the line's last row */
    pd_tb_move_rows(tb, -1, 4);
    CHECK_INT(pd_tb_cursor(tb), 13);           /* before 中, not at 16 */
    pd_tb_move_rows(tb, -1, 4);
    CHECK_INT(pd_tb_cursor(tb), 10);
    pd_tb_move_rows(tb, -1, 4);
    CHECK_INT(pd_tb_cursor(tb), 7);            /* before h, not at 8 */
    /* page moves */
    pd_tb_move(tb, PD_MOVE_DOC_START, 4);
    pd_tb_move_rows(tb, 3, 4);
    CHECK_INT(pd_tb_row_start(tb, pd_tb_cursor(tb), 4), 11);
    pd_tb_move_rows(tb, 100, 4);
    CHECK_INT(pd_tb_row_start(tb, pd_tb_cursor(tb), 4), 20);
    pd_tb_move_rows(tb, -100, 4);
    CHECK_INT(pd_tb_cursor(tb), 0);
    pd_tb_free(tb);
}

static void test_place_and_plain_rows(void)
{
    pd_textbuf *tb = tb_of("abcdefghij\nab\xE4\xB8\xAD");
    pd_tb_place(tb, 4, 2, 4);                  /* row "efgh", column 2 */
    CHECK_INT(pd_tb_cursor(tb), 6);
    pd_tb_place(tb, 4, 9, 4);                  /* past a wrapped row's end: its last glyph */
    CHECK_INT(pd_tb_cursor(tb), 7);
    pd_tb_place(tb, 11, 3, 4);                 /* inside 中: on it */
    CHECK_INT(pd_tb_cursor(tb), 13);
    pd_tb_place(tb, 11, 9, 4);                 /* the line's last row: its end */
    CHECK_INT(pd_tb_cursor(tb), 16);
    /* the same layout on a plain string */
    const char *s = "abcdefghij\nxy";
    CHECK_INT(pd_text_row_end(s, strlen(s), 0, 4), 4);
    CHECK_INT(pd_text_row_end(s, strlen(s), 8, 4), 10);
    CHECK_INT(pd_text_row_end(s, strlen(s), 0, 0), 10);
    CHECK_INT(pd_text_row_end(s, strlen(s), 11, 0), 13);
    pd_tb_free(tb);
}

static void test_rows_tabs_and_narrow(void)
{
    pd_textbuf *tb = tb_of("ab\tc");
    /* width 5: "ab" + tab(2) = 4, c = 5 */
    CHECK_INT(pd_tb_row_end(tb, 0, 5), 4);
    /* width 3: the tab would reach 4: it starts the next row and spans 4 there */
    CHECK_INT(pd_tb_row_end(tb, 0, 3), 2);
    CHECK_INT(pd_tb_row_end(tb, 2, 3), 3);
    pd_tb_free(tb);
    /* a glyph wider than the row still gets a row of its own */
    tb = tb_of("\xE4\xB8\xAD\xE6\x96\x87");
    CHECK_INT(pd_tb_row_end(tb, 0, 1), 3);
    CHECK_INT(pd_tb_row_end(tb, 3, 1), 6);
    pd_tb_free(tb);
}

static void test_insert_delete(void)
{
    pd_textbuf *tb = tb_of("");
    type(tb, "h\xC3\xA9llo");
    CHECK_STR(pd_tb_text(tb), "h\xC3\xA9llo");
    CHECK_INT(pd_tb_cursor(tb), 6);
    pd_tb_move(tb, PD_MOVE_HOME, 0);
    pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, 0);
    CHECK(pd_tb_delete(tb));                   /* é, both bytes */
    CHECK_STR(pd_tb_text(tb), "hllo");
    CHECK(pd_tb_backspace(tb));
    CHECK_STR(pd_tb_text(tb), "llo");
    CHECK(!pd_tb_backspace(tb));
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    CHECK(!pd_tb_delete(tb));
    /* backspace removes a whole glyph: base and marks */
    pd_tb_insert(tb, "e\xCC\x81", 3);
    CHECK(pd_tb_backspace(tb));
    CHECK_STR(pd_tb_text(tb), "llo");
    pd_tb_delete_range(tb, 1, 2);
    CHECK_STR(pd_tb_text(tb), "lo");
    CHECK_INT(pd_tb_cursor(tb), 1);
    pd_tb_free(tb);
}

static void test_invalid_bytes_kept(void)
{
    /* invalid bytes, NULs and escapes survive editing around them byte for byte */
    const char s[] = "a\xFF\x00\x1b[2J\xE4\xB8z";
    size_t n = sizeof s - 1;
    pd_textbuf *tb = pd_tb_new(s, n);
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    pd_tb_insert(tb, "!", 1);
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    pd_tb_insert(tb, "<", 1);
    CHECK_INT(pd_tb_len(tb), n + 2);
    CHECK(memcmp(pd_tb_text(tb) + 1, s, n) == 0);
    /* the truncated sequence is two glyphs, one per byte */
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);      /* before ! */
    pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);      /* before z */
    pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);
    CHECK_INT(pd_tb_cursor(tb), n - 1);        /* before \xB8 */
    CHECK(pd_tb_backspace(tb));                /* removes \xE4 only */
    CHECK_INT(pd_tb_len(tb), n + 1);
    CHECK(pd_tb_undo(tb));
    CHECK(memcmp(pd_tb_text(tb) + 1, s, n) == 0);
    /* the control and invalid bytes have their own widths on screen */
    CHECK_INT(pd_tb_text_width(s, n), 1 + 4 + 2 + 2 + 3 + 4 + 4 + 1);
    pd_tb_free(tb);
}

static void test_undo_groups_typing(void)
{
    pd_textbuf *tb = tb_of("");
    type(tb, "hello world");
    type(tb, "\n");
    type(tb, "second");
    CHECK_STR(pd_tb_text(tb), "hello world\nsecond");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "hello world\n");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "hello world");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "");
    CHECK(!pd_tb_undo(tb));
    CHECK(pd_tb_redo(tb));
    CHECK_STR(pd_tb_text(tb), "hello world");
    CHECK_INT(pd_tb_cursor(tb), 11);
    CHECK(pd_tb_redo(tb));
    CHECK(pd_tb_redo(tb));
    CHECK_STR(pd_tb_text(tb), "hello world\nsecond");
    CHECK(!pd_tb_redo(tb));
    pd_tb_free(tb);
}

static void test_undo_breaks_on_move(void)
{
    pd_textbuf *tb = tb_of("");
    type(tb, "abc");
    pd_tb_move(tb, PD_MOVE_CHAR_LEFT, 0);
    pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, 0);
    type(tb, "def");
    pd_tb_break_group(tb);
    type(tb, "ghi");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "abcdef");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "abc");
    CHECK_INT(pd_tb_cursor(tb), 3);
    pd_tb_free(tb);
}

static void test_undo_backspace_runs(void)
{
    pd_textbuf *tb = tb_of("abc def");
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    pd_tb_backspace(tb);
    pd_tb_backspace(tb);
    pd_tb_backspace(tb);
    CHECK_STR(pd_tb_text(tb), "abc ");
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    pd_tb_delete(tb);
    pd_tb_delete(tb);
    CHECK_STR(pd_tb_text(tb), "c ");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "abc ");
    CHECK_INT(pd_tb_cursor(tb), 0);
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "abc def");
    CHECK_INT(pd_tb_cursor(tb), 7);
    CHECK(pd_tb_redo(tb));
    CHECK_STR(pd_tb_text(tb), "abc ");
    pd_tb_free(tb);
}

static void test_new_change_drops_redo(void)
{
    pd_textbuf *tb = tb_of("x");
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    type(tb, "1");
    pd_tb_break_group(tb);
    type(tb, "2");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "x1");
    type(tb, "3");
    CHECK_STR(pd_tb_text(tb), "x13");
    CHECK(!pd_tb_redo(tb));
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "x1");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "x");
    CHECK(!pd_tb_undo(tb));
    pd_tb_free(tb);
}

static void test_undo_after_undo_then_type_at_other_place(void)
{
    /* typing right after an undo must not merge into the undone record */
    pd_textbuf *tb = tb_of("");
    type(tb, "ab");
    CHECK(pd_tb_undo(tb));
    type(tb, "cd");
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "");
    CHECK(pd_tb_redo(tb));
    CHECK_STR(pd_tb_text(tb), "cd");
    pd_tb_free(tb);
}

static void test_cut_paste_lines(void)
{
    pd_textbuf *tb = tb_of("one\ntwo\nthree\nfour");
    pd_tb_set_cursor(tb, 5);                    /* in "two" */
    CHECK(pd_tb_cut_line(tb));
    CHECK_STR(pd_tb_text(tb), "one\nthree\nfour");
    CHECK_INT(pd_tb_cursor(tb), 4);
    CHECK(pd_tb_cut_line(tb));                  /* consecutive cuts collect */
    size_t kl;
    CHECK_STR(pd_tb_kill_buffer(tb, &kl), "two\nthree\n");
    CHECK_STR(pd_tb_text(tb), "one\nfour");
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    CHECK(pd_tb_paste_lines(tb));                /* above the cursor's line */
    CHECK_STR(pd_tb_text(tb), "two\nthree\none\nfour");
    CHECK_INT(pd_tb_line_number(tb, pd_tb_cursor(tb)), 3);
    CHECK(pd_tb_paste_lines(tb));                /* again: the kill buffer is kept */
    CHECK_STR(pd_tb_text(tb), "two\nthree\ntwo\nthree\none\nfour");
    CHECK(pd_tb_undo(tb));
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "one\nfour");
    CHECK(pd_tb_undo(tb));
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "one\ntwo\nthree\nfour");
    pd_tb_free(tb);
}

static void test_cut_last_line(void)
{
    pd_textbuf *tb = tb_of("a\nb");
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    CHECK(pd_tb_cut_line(tb));
    CHECK_STR(pd_tb_text(tb), "a");
    CHECK_INT(pd_tb_cursor(tb), 0);
    size_t kl;
    CHECK_STR(pd_tb_kill_buffer(tb, &kl), "b\n");
    CHECK(pd_tb_paste_lines(tb));
    CHECK_STR(pd_tb_text(tb), "b\na");
    pd_tb_free(tb);
    tb = tb_of("a\n");
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    CHECK(!pd_tb_cut_line(tb));                  /* the empty last line */
    CHECK_STR(pd_tb_text(tb), "a\n");
    CHECK(pd_tb_cut_line(tb) == false);
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    CHECK(pd_tb_cut_line(tb));
    CHECK_STR(pd_tb_text(tb), "");
    CHECK(!pd_tb_cut_line(tb));
    pd_tb_free(tb);
}

static void test_cut_run_breaks_on_move_and_copy(void)
{
    pd_textbuf *tb = tb_of("1\n2\n3\n4\n");
    pd_tb_cut_line(tb);
    pd_tb_move(tb, PD_MOVE_DOWN, 0);
    pd_tb_cut_line(tb);                          /* after a move: starts afresh */
    size_t kl;
    CHECK_STR(pd_tb_kill_buffer(tb, &kl), "3\n");
    CHECK_STR(pd_tb_text(tb), "2\n4\n");
    pd_tb_move(tb, PD_MOVE_DOC_START, 0);
    pd_tb_copy_line(tb);
    CHECK_STR(pd_tb_kill_buffer(tb, &kl), "2\n");
    CHECK_STR(pd_tb_text(tb), "2\n4\n");
    CHECK(pd_tb_paste_lines(tb));
    CHECK_STR(pd_tb_text(tb), "2\n2\n4\n");
    pd_tb_free(tb);
    tb = tb_of("x");
    CHECK(!pd_tb_paste_lines(tb));               /* empty kill buffer */
    pd_tb_free(tb);
}

static void test_replace_all(void)
{
    pd_textbuf *tb = tb_of("hello\nworld");
    pd_tb_move(tb, PD_MOVE_DOC_END, 0);
    unsigned long g = pd_tb_generation(tb);
    pd_tb_replace_all(tb, "hello\nworld", 11);   /* same text: no step */
    CHECK_INT(pd_tb_generation(tb), g);
    CHECK(!pd_tb_undo(tb));
    pd_tb_replace_all(tb, "hi", 2);
    CHECK_STR(pd_tb_text(tb), "hi");
    CHECK_INT(pd_tb_cursor(tb), 2);
    CHECK(pd_tb_generation(tb) != g);
    CHECK(pd_tb_undo(tb));
    CHECK_STR(pd_tb_text(tb), "hello\nworld");
    CHECK(pd_tb_redo(tb));
    CHECK_STR(pd_tb_text(tb), "hi");
    char *d = pd_tb_dup(tb);
    CHECK_STR(d, "hi");
    free(d);
    pd_tb_free(tb);
}

/* A random walk of edits, undone entirely and redone entirely, must give back both texts. */
static void test_random_undo_redo(void)
{
    static const char *pieces[] = {"a", "\xC3\xA9", "\xE4\xB8\xAD", "\n", "\t", "\xFF", "e\xCC\x81", " ", "\x1b"};
    srand(7);
    for (int round = 0; round < 20; round++) {
        pd_textbuf *tb = tb_of("start\ntext");
        for (int i = 0; i < 200; i++) {
            int r = rand() % 10;
            if (r < 4) {
                const char *p = pieces[rand() % 9];
                pd_tb_insert(tb, p, strlen(p));
            } else if (r == 4) {
                pd_tb_backspace(tb);
            } else if (r == 5) {
                pd_tb_delete(tb);
            } else if (r == 6) {
                pd_tb_move(tb, (pd_tb_move_kind)(rand() % 10), rand() % 3 ? 0 : 5);
            } else if (r == 7) {
                pd_tb_cut_line(tb);
            } else if (r == 8) {
                pd_tb_paste_lines(tb);
            } else {
                pd_tb_set_cursor(tb, (size_t)rand() % (pd_tb_len(tb) + 1));
            }
            /* the cursor is always on a boundary */
            size_t c = pd_tb_cursor(tb);
            pd_tb_set_cursor(tb, c);
            CHECK_INT(pd_tb_cursor(tb), c);
        }
        char *final = pd_tb_dup(tb);
        size_t final_len = pd_tb_len(tb);
        while (pd_tb_undo(tb))
            ;
        CHECK_STR(pd_tb_text(tb), "start\ntext");
        while (pd_tb_redo(tb))
            ;
        CHECK_INT(pd_tb_len(tb), final_len);
        CHECK(memcmp(pd_tb_text(tb), final, final_len) == 0);
        free(final);
        pd_tb_free(tb);
    }
}

/* The row start of pos computed the slow way: rows laid out from the line's start. */
static size_t slow_row_start(const pd_textbuf *tb, size_t pos, int width)
{
    const char *s = pd_tb_text(tb);
    size_t len = pd_tb_len(tb), r = pos;
    while (r > 0 && s[r - 1] != '\n')
        r--;
    for (;;) {
        size_t e = pd_text_row_end(s, len, r, width);
        if (pos < e || e >= len || s[e] == '\n')
            return r;
        r = e;
    }
}

/* The row cache never disagrees with laying rows out afresh, whatever edits come between. */
static void test_row_cache_matches_fresh_layout(void)
{
    static const char *pieces[] = {"a", "\xE4\xB8\xAD", "\t", "\xCC\x81", " ", "\n", "\xFF", "word "};
    srand(11);
    pd_textbuf *tb = tb_of("");
    for (int i = 0; i < 3000; i++) {   /* one long line with a few breaks */
        const char *p = pieces[rand() % 8];
        if (*p == '\n' && rand() % 10)
            p = "b";
        pd_tb_insert(tb, p, strlen(p));
    }
    int widths[] = {7, 13, 40};
    for (int round = 0; round < 300; round++) {
        int w = widths[rand() % 3];
        size_t len = pd_tb_len(tb);
        size_t at = (size_t)rand() % (len + 1);
        pd_tb_set_cursor(tb, at);
        int op = rand() % 4;
        const char *piece = pieces[rand() % 8];
        if (op == 0)
            pd_tb_insert(tb, piece, strlen(piece));
        else if (op == 1)
            pd_tb_backspace(tb);
        else if (op == 2)
            pd_tb_delete(tb);
        else if (rand() % 2)
            pd_tb_undo(tb);
        /* probe positions around the change and at random */
        for (int k = 0; k < 20; k++) {
            size_t pos = k < 10 ? pd_tb_cursor(tb) + (size_t)k : (size_t)rand() % (pd_tb_len(tb) + 1);
            if (pos > pd_tb_len(tb))
                pos = pd_tb_len(tb);
            size_t fast = pd_tb_row_start(tb, pos, w), slow = slow_row_start(tb, pos, w);
            if (fast != slow) {
                CHECK_INT(fast, slow);
                round = 1000;
                break;
            }
            size_t prev;
            if (fast > 0 && pd_tb_prev_row(tb, fast, w, &prev))
                CHECK_INT(prev, slow_row_start(tb, fast - 1, w));
            CHECK_INT(pd_tb_row_end(tb, fast, w), pd_text_row_end(pd_tb_text(tb), pd_tb_len(tb), fast, w));
        }
    }
    /* the line column adds up the rows before */
    pd_tb_free(tb);
    tb = tb_of("abcdefghij\nxy");
    CHECK_INT(pd_tb_line_column(tb, 9, 4), 9);
    CHECK_INT(pd_tb_line_column(tb, 13, 4), 2);
    CHECK_INT(pd_tb_line_column(tb, 9, 0), 9);
    pd_tb_free(tb);
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    RUN(test_glyphs_shown_safely);
    RUN(test_glyph_widths);
    RUN(test_many_marks_stay_bounded);
    RUN(test_char_moves);
    RUN(test_word_moves);
    RUN(test_home_end_doc);
    RUN(test_vertical_goal_column);
    RUN(test_vertical_wide_and_tabs);
    RUN(test_rows_wrap);
    RUN(test_place_and_plain_rows);
    RUN(test_rows_tabs_and_narrow);
    RUN(test_insert_delete);
    RUN(test_invalid_bytes_kept);
    RUN(test_undo_groups_typing);
    RUN(test_undo_breaks_on_move);
    RUN(test_undo_backspace_runs);
    RUN(test_new_change_drops_redo);
    RUN(test_undo_after_undo_then_type_at_other_place);
    RUN(test_cut_paste_lines);
    RUN(test_cut_last_line);
    RUN(test_cut_run_breaks_on_move_and_copy);
    RUN(test_replace_all);
    RUN(test_random_undo_redo);
    RUN(test_row_cache_matches_fresh_layout);
    T_DONE();
}
