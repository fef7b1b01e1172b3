/* test_textwidth.c: the one text measurement of base: UTF-8 decoding and encoding, character
 * widths, tab stops, and the width of text as the app shows it. */
#include <locale.h>

#include "t.h"
#include "base/base.h"

static void decode_valid(void)
{
    uint32_t cp = 0;
    CHECK_INT(pd_utf8_decode("A", 1, &cp), 1);
    CHECK_INT(cp, 'A');
    CHECK_INT(pd_utf8_decode("\xc3\xa9", 2, &cp), 2);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(pd_utf8_decode("\xe4\xb8\xad!", 4, &cp), 3);   /* stops after the character */
    CHECK_INT(cp, 0x4E2D);
    CHECK_INT(pd_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    CHECK_INT(cp, 0x1F600);
    CHECK_INT(pd_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    CHECK_INT(cp, 0x10FFFF);
}

static void decode_refuses_what_is_not_utf8(void)
{
    uint32_t cp = 7;
    CHECK_INT(pd_utf8_decode("\xc0\xaf", 2, &cp), 0);           /* overlong '/' */
    CHECK_INT(pd_utf8_decode("\xe0\x9f\xbf", 3, &cp), 0);       /* overlong U+07FF */
    CHECK_INT(pd_utf8_decode("\xf0\x80\x80\xaf", 4, &cp), 0);   /* overlong */
    CHECK_INT(pd_utf8_decode("\xed\xa0\x80", 3, &cp), 0);       /* surrogate U+D800 */
    CHECK_INT(pd_utf8_decode("\xed\xbf\xbf", 3, &cp), 0);       /* surrogate U+DFFF */
    CHECK_INT(pd_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);   /* past U+10FFFF */
    CHECK_INT(pd_utf8_decode("\xf0\x9f\x99", 3, &cp), 0);       /* truncated */
    CHECK_INT(pd_utf8_decode("\xf0\x9f\x99\x82", 3, &cp), 0);   /* truncated by len */
    CHECK_INT(pd_utf8_decode("\xe4(\xad", 3, &cp), 0);          /* bad continuation */
    CHECK_INT(pd_utf8_decode("\x80", 1, &cp), 0);               /* lone continuation */
    CHECK_INT(pd_utf8_decode("\xff", 1, &cp), 0);
    CHECK_INT(pd_utf8_decode("", 0, &cp), 0);
    CHECK_INT(cp, 7);                                           /* untouched on failure */
}

static void next_always_moves_on(void)
{
    uint32_t cp;
    bool valid = true;
    CHECK_INT(pd_utf8_next("\xff\xc3\xa9", 3, &cp, &valid), 1);
    CHECK(!valid);
    CHECK_INT(cp, PD_UTF8_REPLACEMENT);
    CHECK_INT(pd_utf8_next("\xc3\xa9", 2, &cp, &valid), 2);
    CHECK(valid);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(pd_utf8_next("\xed\xa0\x80", 3, &cp, NULL), 1);  /* a surrogate: one bad byte */
    CHECK_INT(pd_utf8_count("a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x99\x82", 10), 4);
    CHECK_INT(pd_utf8_count("", 0), 0);
}

static void incomplete_tail(void)
{
    CHECK_INT(pd_utf8_incomplete_tail("ab", 2), 0);
    CHECK_INT(pd_utf8_incomplete_tail("a\xe2\x82", 3), 2);      /* 2 of the 3 bytes of € */
    CHECK_INT(pd_utf8_incomplete_tail("a\xe2\x82\xac", 4), 0);  /* € complete */
    CHECK_INT(pd_utf8_incomplete_tail("a\xf0", 2), 1);
    CHECK_INT(pd_utf8_incomplete_tail("a\xff", 2), 0);          /* bad, not arriving */
}

static void encode(void)
{
    char b[4];
    CHECK_INT(pd_utf8_encode('x', b), 1);
    CHECK(b[0] == 'x');
    CHECK_INT(pd_utf8_encode(0xE9, b), 2);
    CHECK(memcmp(b, "\xc3\xa9", 2) == 0);
    CHECK_INT(pd_utf8_encode(0x20AC, b), 3);
    CHECK(memcmp(b, "\xe2\x82\xac", 3) == 0);
    CHECK_INT(pd_utf8_encode(0x1F642, b), 4);
    CHECK(memcmp(b, "\xf0\x9f\x99\x82", 4) == 0);
    CHECK_INT(pd_utf8_encode(0xD800, b), 0);     /* a surrogate is no character */
    CHECK_INT(pd_utf8_encode(0x110000, b), 0);   /* past the last code point */
    /* every code point round-trips through the decoder */
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp += cp < 0x1000 ? 1 : 97) {
        uint32_t back = 0;
        int n = pd_utf8_encode(cp, b);
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        if (n == 0 || pd_utf8_decode(b, (size_t)n, &back) != n || back != cp) {
            CHECK_INT(cp, -1);
            break;
        }
    }
}

static void widths(void)
{
    CHECK_INT(pd_cp_width('a'), 1);
    CHECK_INT(pd_cp_width(0x4E2D), 2);     /* CJK: wide */
    CHECK_INT(pd_cp_width(0x1F642), 2);    /* emoji: wide */
    CHECK_INT(pd_cp_width(0x301), 0);      /* combining acute accent */
    CHECK_INT(pd_cp_width(0xE9), 1);
    CHECK_INT(pd_cp_width('\t'), -1);      /* controls are shown, not printed */
    CHECK_INT(pd_cp_width(0x1B), -1);
    CHECK_INT(pd_cp_width(0x7F), -1);
    CHECK_INT(pd_cp_width(0x9B), -1);      /* C1 control */
    CHECK_INT(pd_cp_width(0x202E), -1);    /* bidi override (wcwidth says 0) */
    CHECK_INT(pd_cp_width(0x200B), -1);    /* zero width space */
}

static void tab_stops(void)
{
    CHECK_INT(PD_TAB_WIDTH, 4);
    CHECK_INT(pd_tab_width(0), 4);
    CHECK_INT(pd_tab_width(1), 3);
    CHECK_INT(pd_tab_width(3), 1);
    CHECK_INT(pd_tab_width(4), 4);
    CHECK_INT(pd_tab_width(-2), 4);
    CHECK_INT(pd_text_width("ab\tc", 4, 0), 5);
    CHECK_INT(pd_text_width("\t", 1, 6), 2);
}

static void characters_and_their_visible_forms(void)
{
    pd_char c;
    pd_char_at("\x1b[", 2, 0, &c);
    CHECK_INT(c.kind, PD_CHAR_CONTROL);
    CHECK_STR(c.shown, "^[");
    CHECK_INT(c.width, 2);
    pd_char_at("\xc3(", 2, 0, &c);
    CHECK_INT(c.kind, PD_CHAR_INVALID);
    CHECK_STR(c.shown, "<c3>");
    CHECK_INT(c.len, 1);
    pd_char_at("\xe2\x80\xae", 3, 0, &c);
    CHECK_INT(c.kind, PD_CHAR_HIDDEN);
    CHECK_STR(c.shown, "<U+202E>");
    CHECK_INT(c.width, 8);
    CHECK_INT(c.len, 3);
    pd_char_at("\xe6\x97\xa5", 3, 0, &c);
    CHECK_INT(c.kind, PD_CHAR_TEXT);
    CHECK_INT(c.cp, 0x65E5);
    CHECK_INT(c.width, 2);
    CHECK_STR(c.shown, "");
    pd_char_at("\t", 1, 2, &c);
    CHECK_INT(c.kind, PD_CHAR_TAB);
    CHECK_INT(c.width, 2);
    /* text widths add them up */
    CHECK_INT(pd_text_width("e\xcc\x81", 3, 0), 1);
    CHECK_INT(pd_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6, 0), 4);
    CHECK_INT(pd_text_width("a\nb", 3, 0), 4);           /* a newline inside a row is ^J */
    CHECK_INT(pd_text_width("\xff", 1, 0), 4);
    CHECK_INT(pd_text_fit("ab cd", 5, 4, true), 3);
    CHECK_INT(pd_text_fit("\xe6\x97\xa5", 3, 1, false), 3);   /* at least one character */
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    RUN(decode_valid);
    RUN(decode_refuses_what_is_not_utf8);
    RUN(next_always_moves_on);
    RUN(incomplete_tail);
    RUN(encode);
    RUN(widths);
    RUN(tab_stops);
    RUN(characters_and_their_visible_forms);
    T_DONE();
}
