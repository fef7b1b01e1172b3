/* test_textsafe.c: what untrusted text may reach a terminal, and the visible forms of the rest. */
#include "t.h"
#include "base/base.h"

static const char *safe(const char *s, bool keep_newlines)
{
    static pd_buf out = PD_BUF_INIT;
    pd_buf_reset(&out);
    pd_text_sanitize(&out, s, strlen(s), keep_newlines);
    return pd_buf_str(&out);
}

static void controls_escapes_and_bad_bytes_are_visible(void)
{
    CHECK_STR(safe("a\x1b[31mb\tc\x7f", false), "a^[[31mb\tc^?");
    CHECK_STR(safe("bell\x07 C1 \xc2\x9b end", false), "bell^G C1 \\x9B end");
    CHECK_STR(safe("bad \xff\xfe byte", false), "bad \\xFF\\xFE byte");
    CHECK_STR(safe("cut \xe2\x82", false), "cut \\xE2\\x82");
    CHECK_STR(safe("overlong \xc0\xaf", false), "overlong \\xC0\\xAF");
}

static void newlines_only_when_asked(void)
{
    CHECK_STR(safe("one\ntwo\r\n", true), "one\ntwo^M\n");
    CHECK_STR(safe("one\ntwo", false), "one^Jtwo");
}

static void hidden_format_characters_shown_as_code_points(void)
{
    /* Trojan Source: a right-to-left override and an isolate would reorder what is shown */
    CHECK_STR(safe("x \xe2\x80\xae evil \xe2\x81\xa6", false), "x <U+202E> evil <U+2066>");
    CHECK_STR(safe("zero\xe2\x80\x8bwidth", false), "zero<U+200B>width");
    CHECK_STR(safe("tag \xf3\xa0\x80\x81", false), "tag <U+E0001>");
    CHECK_STR(safe("line\xe2\x80\xa8sep", false), "line<U+2028>sep");
    CHECK(pd_cp_hidden(0x202E) && pd_cp_hidden(0x9B) && pd_cp_hidden(0xFEFF) && pd_cp_hidden(0x061C));
}

static void ordinary_text_unchanged(void)
{
    const char *s = "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82 {{name}} \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d";
    CHECK_STR(safe(s, false), s);
    CHECK(!pd_cp_hidden('a') && !pd_cp_hidden(0xE9) && !pd_cp_hidden(0x65E5) && !pd_cp_hidden(0x5E9));
    unsigned cp = 0;
    CHECK_INT(pd_utf8_decode("\xf0\x9f\x99\x82", 4, &cp), 4);
    CHECK_INT(cp, 0x1F642);
    CHECK_INT(pd_utf8_decode("\xed\xa0\x80", 3, &cp), 0);   /* a surrogate is not UTF-8 */
}

int main(void)
{
    RUN(controls_escapes_and_bad_bytes_are_visible);
    RUN(newlines_only_when_asked);
    RUN(hidden_format_characters_shown_as_code_points);
    RUN(ordinary_text_unchanged);
    T_DONE();
}
