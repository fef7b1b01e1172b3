/* test_tui_text.c: key names (scripts, [keys] config) and the safe text measuring the panes
 * wrap and align with (control characters visible, wide characters, tabs). */
#include <locale.h>

#include "core/core.h"
#include "t.h"
#include <curses.h>

static int parse(const char *s)
{
    int k = -1;
    return pd_key_parse(s, &k) == strlen(s) ? k : -1;
}

static void test_key_names_parse(void)
{
    CHECK_INT(parse("j"), 'j');
    CHECK_INT(parse("<Enter>"), PD_KEY_ENTER);
    CHECK_INT(parse("<enter>"), PD_KEY_ENTER);
    CHECK_INT(parse("<Esc>"), PD_KEY_ESC);
    CHECK_INT(parse("<C-s>"), 19);
    CHECK_INT(parse("<C-S>"), 19);
    CHECK_INT(parse("<M-x>"), PD_KEY_ALT('x'));
    CHECK_INT(parse("<M-Enter>"), PD_KEY_ALT(PD_KEY_ENTER));
    CHECK_INT(parse("<PgDn>"), PD_KEY_FN(KEY_NPAGE));
    CHECK_INT(parse("<F5>"), PD_KEY_FN(KEY_F(5)));
    CHECK_INT(parse("<S-Tab>"), PD_KEY_FN(KEY_BTAB));
    CHECK_INT(parse("<Lt>"), '<');
    CHECK_INT(parse("<Colon>"), ':');
    CHECK_INT(parse("é"), 0xe9);
    CHECK_INT(parse("<Nope>"), -1);
    CHECK_INT(parse("<C-1>"), -1);
    int k;
    CHECK_INT(pd_key_parse("", &k), 0);
}

static void test_key_names_round_trip(void)
{
    const char *names[] = {"j", "<Enter>", "<Esc>", "<Tab>", "<C-s>", "<M-x>", "<PgUp>", "<F12>", "<Lt>", "<Space>", "é", ":"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char buf[32];
        CHECK_STR(pd_key_name(parse(names[i]), buf, sizeof buf), names[i]);
    }
}

static void test_keymap_config_overrides(void)
{
    pd_config_entry e[] = {{"keys.down", "J <Down>", 3}, {"keys.list.sort", "<Bad>", 4}, {"keys.list.nope", "x", 5}};
    pd_config cfg = {.path = "cfg", .entries = e, .n = 3};
    static const pd_keydef defs[] = {{100, "sort", "s", "Sort"}, {101, "open", "<Enter>", "Open"}, {0, NULL, NULL, NULL}};
    pd_buf warn = PD_BUF_INIT;
    pd_keymap *g = pd_keymap_build(NULL, NULL, pd_global_keydefs(), &cfg, &warn);
    CHECK_INT(pd_keymap_lookup(g, 'J'), PD_ACT_DOWN);
    CHECK_INT(pd_keymap_lookup(g, 'j'), PD_ACT_NONE);   /* rebinding replaces the defaults */
    CHECK_INT(pd_keymap_lookup(g, 'k'), PD_ACT_UP);
    pd_keymap *m = pd_keymap_build("list", defs, defs, &cfg, &warn);
    CHECK_INT(pd_keymap_lookup(m, 's'), 100);          /* a bad key name keeps the default */
    CHECK(strstr(pd_buf_str(&warn), "cfg:4: [keys] list.sort: unknown key name '<Bad>'") != NULL);
    CHECK(strstr(pd_buf_str(&warn), "cfg:5: [keys] list.nope: no such action in the list pane") != NULL);
    char buf[64];
    CHECK_STR(pd_keymap_keys(g, PD_ACT_DOWN, buf, sizeof buf), "J <Down>");
    pd_keymap_free(g);
    pd_keymap_free(m);
    pd_buf_free(&warn);
}

static void test_text_width(void)
{
    CHECK_INT(pd_text_width("abc", 3, 0), 3);
    CHECK_INT(pd_text_width("\x1b[31m", 5, 0), 6);          /* ^[ then [31m */
    CHECK_INT(pd_text_width("a\tb", 3, 0), 5);              /* tab to column 4 */
    CHECK_INT(pd_text_width("a\tb", 3, 2), 3);              /* from column 2: tab to 4 */
    CHECK_INT(pd_text_width("日本", 6, 0), 4);               /* wide characters */
    CHECK_INT(pd_text_width("e\xcc\x81", 3, 0), 1);          /* combining accent */
    CHECK_INT(pd_text_width("\xff", 1, 0), 4);               /* invalid byte: <ff> */
    CHECK_INT(pd_text_width("\xe2\x80\xae", 3, 0), 8);       /* U+202E shown as <U+202E> */
    CHECK_INT(pd_text_width("\xc2\x9b", 2, 0), 8);           /* C1 control */
}

static void test_text_fit(void)
{
    const char *s = "hello world again";
    CHECK_INT(pd_text_fit(s, strlen(s), 8, true), 6);        /* after the space */
    CHECK_INT(pd_text_fit(s, strlen(s), 8, false), 8);
    CHECK_INT(pd_text_fit(s, strlen(s), 100, true), strlen(s));
    CHECK_INT(pd_text_fit("日本語", 9, 3, false), 3);          /* one wide char fits in 3 */
    CHECK_INT(pd_text_fit("日本語", 9, 1, false), 3);          /* at least one character */
    CHECK_INT(pd_text_fit("ab\ncd", 5, 10, true), 2);        /* stops before a newline */
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_key_names_parse);
    RUN(test_key_names_round_trip);
    RUN(test_keymap_config_overrides);
    RUN(test_text_width);
    RUN(test_text_fit);
    T_DONE();
}
