/* test_textsafe.c: what untrusted text may reach a terminal, and the visible forms of the rest. */
#include "t.h"
#include "base/base.h"

#include <jansson.h>

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

static const char *json_safe(const char *s)
{
    static pd_buf out = PD_BUF_INIT;
    pd_buf_reset(&out);
    pd_json_escape_controls(&out, s, strlen(s));
    return pd_buf_str(&out);
}

static void json_controls_escaped_as_u_escapes(void)
{
    /* C1 (CSI), DEL, bidi overrides and isolates, LRM, ALM: \uXXXX, the same JSON value */
    CHECK_STR(json_safe("{\"a\": \"x\xc2\x9b" "2Jy\x7f\"}"), "{\"a\": \"x\\u009B2Jy\\u007F\"}");
    CHECK_STR(json_safe("[\"\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8e\xd8\x9c\"]"), "[\"\\u202E\\u2066\\u200E\\u061C\"]");
    /* above U+FFFF: a surrogate pair */
    CHECK_STR(json_safe("\"\xf3\xa0\x80\x81\""), "\"\\uDB40\\uDC01\"");
    /* the layout and ordinary text stay as they are */
    const char *plain = "{\n  \"caf\xc3\xa9\": \"\xe6\x97\xa5 \\u001b \xf0\x9f\x99\x82\"\n}\n";
    CHECK_STR(json_safe(plain), plain);
    json_error_t je;
    json_t *j = json_loads(json_safe("[\"a\xe2\x80\xae" "b\xc2\x85\"]"), 0, &je);
    CHECK(j && strcmp(json_string_value(json_array_get(j, 0)), "a\xe2\x80\xae" "b\xc2\x85") == 0);
    json_decref(j);
}

static void binary_as_diff_decides(void)
{
    CHECK(pd_text_is_binary("a\0b", 3));
    CHECK(!pd_text_is_binary("plain text\n", 11));
    CHECK(!pd_text_is_binary("", 0));
    const char *latin1 = "caf\xe9 latin-1, one bad byte in many";
    CHECK(!pd_text_is_binary(latin1, strlen(latin1)));   /* a few bad bytes: text */
    CHECK(pd_text_is_binary("\xff\xfe\x80\x81 ab", 7));                     /* mostly not UTF-8 */
    /* a NUL past the sniffed part does not count */
    size_t n = PD_BINARY_SNIFF + 10;
    char *big = malloc(n);
    memset(big, 'x', n);
    big[n - 2] = '\0';
    CHECK(!pd_text_is_binary(big, n));
    big[10] = '\0';
    CHECK(pd_text_is_binary(big, n));
    free(big);
}

int main(void)
{
    RUN(controls_escapes_and_bad_bytes_are_visible);
    RUN(newlines_only_when_asked);
    RUN(hidden_format_characters_shown_as_code_points);
    RUN(ordinary_text_unchanged);
    RUN(json_controls_escaped_as_u_escapes);
    RUN(binary_as_diff_decides);
    T_DONE();
}
