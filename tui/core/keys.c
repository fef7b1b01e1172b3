/* keys.c: key names <-> key codes, as written in key scripts and the [keys] config section. */
#include "core.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct pd_key_name_entry {
    const char *name;
    int key;
} pd_key_name_entry;

static const pd_key_name_entry names[] = {
    {"Enter", PD_KEY_ENTER},        {"CR", PD_KEY_ENTER},          {"Return", PD_KEY_ENTER},
    {"Esc", PD_KEY_ESC},            {"Tab", PD_KEY_TAB},           {"S-Tab", PD_KEY_FN(KEY_BTAB)},
    {"Space", ' '},                 {"BS", PD_KEY_BACKSPACE},      {"Backspace", PD_KEY_BACKSPACE},
    {"Del", PD_KEY_FN(KEY_DC)},     {"Ins", PD_KEY_FN(KEY_IC)},    {"Up", PD_KEY_FN(KEY_UP)},
    {"Down", PD_KEY_FN(KEY_DOWN)},  {"Left", PD_KEY_FN(KEY_LEFT)}, {"Right", PD_KEY_FN(KEY_RIGHT)},
    {"Home", PD_KEY_FN(KEY_HOME)},  {"End", PD_KEY_FN(KEY_END)},   {"PgUp", PD_KEY_FN(KEY_PPAGE)},
    {"PgDn", PD_KEY_FN(KEY_NPAGE)}, {"PageUp", PD_KEY_FN(KEY_PPAGE)},
    {"PageDown", PD_KEY_FN(KEY_NPAGE)}, {"S-Left", PD_KEY_FN(KEY_SLEFT)},
    {"S-Right", PD_KEY_FN(KEY_SRIGHT)}, {"S-Up", PD_KEY_FN(KEY_SR)}, {"S-Down", PD_KEY_FN(KEY_SF)},
    {"Lt", '<'},                    {"Gt", '>'},                   {"Colon", ':'},
};

bool pd_key_is_text(int key)
{
    return key >= 32 && key < 0x110000 && key != 127;
}

size_t pd_key_parse(const char *s, int *key)
{
    if (!s || !*s)
        return 0;
    if (s[0] == '<' && s[1] != '\0') {
        const char *end = strchr(s + 1, '>');
        if (end && end > s + 1) {
            size_t n = (size_t)(end - s - 1);
            const char *in = s + 1;
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                if (strlen(names[i].name) == n && strncasecmp(names[i].name, in, n) == 0) {
                    *key = names[i].key;
                    return n + 2;
                }
            }
            if ((in[0] == 'F' || in[0] == 'f') && n >= 2 && n <= 3) {
                int f = 0;
                for (size_t i = 1; i < n; i++)
                    f = in[i] >= '0' && in[i] <= '9' ? f * 10 + (in[i] - '0') : -1000;
                if (f >= 1 && f <= 12) {
                    *key = PD_KEY_FN(KEY_F(f));
                    return n + 2;
                }
            }
            if (n >= 3 && in[1] == '-' && (in[0] == 'C' || in[0] == 'c' || in[0] == 'M' || in[0] == 'm' ||
                                           in[0] == 'A' || in[0] == 'a')) {
                /* <C-x>, <M-x>, <M-Enter> */
                char inner[32];
                int k;
                if (n - 2 + 3 > sizeof inner)
                    return 0;
                if (n - 2 == 1) {
                    k = (unsigned char)in[2];
                } else {
                    snprintf(inner, sizeof inner, "<%.*s>", (int)(n - 2), in + 2);
                    if (pd_key_parse(inner, &k) != n)
                        return 0;
                }
                if (in[0] == 'C' || in[0] == 'c') {
                    if (k >= 'a' && k <= 'z')
                        k -= 'a' - 'A';
                    if (k < '@' || k > '_')
                        return 0;
                    *key = PD_KEY_CTRL(k);
                } else {
                    *key = PD_KEY_ALT(k);
                }
                return n + 2;
            }
        }
    }
    /* A single (UTF-8) character. */
    uint32_t cp;
    int n = pd_utf8_decode(s, strlen(s), &cp);
    if (n == 0)
        return 0;
    *key = (int)cp;
    return (size_t)n;
}

const char *pd_key_name(int key, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (key & PD_KEY_ALT(0)) {
        char inner[32];
        pd_key_name(key & ~PD_KEY_ALT(0), inner, sizeof inner);
        if (inner[0] == '<')
            snprintf(buf, size, "<M-%.*s>", (int)strlen(inner) - 2, inner + 1);
        else
            snprintf(buf, size, "<M-%s>", inner);
        return buf;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].key == key && key != '<' && key != '>' && key != ':') {
            snprintf(buf, size, "<%s>", names[i].name);
            return buf;
        }
    }
    if (key == '<') {
        snprintf(buf, size, "<Lt>");
        return buf;
    }
    if (key >= PD_KEY_FN(KEY_F(1)) && key <= PD_KEY_FN(KEY_F(12))) {
        snprintf(buf, size, "<F%d>", key - PD_KEY_FN(KEY_F(0)));
        return buf;
    }
    if (key > 0 && key < 32) {
        snprintf(buf, size, "<C-%c>", key + 'a' - 1);
        return buf;
    }
    if (pd_key_is_text(key)) {
        char tmp[4];
        int n = pd_utf8_encode((uint32_t)key, tmp);
        if (n > 0 && (size_t)n < size) {
            memcpy(buf, tmp, (size_t)n);
            buf[n] = 0;
            return buf;
        }
    }
    snprintf(buf, size, "<0x%x>", (unsigned)key);
    return buf;
}
