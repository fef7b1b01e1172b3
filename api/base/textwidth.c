/* textwidth.c: text measurement written once for every module: UTF-8 decoding and encoding,
 * the terminal width of a character, tab stops, and the width of text as the app shows it.
 *
 * UTF-8 is decoded by hand rather than with mbrtowc so that decoding does not depend on the
 * locale and every invalid byte is kept and shown exactly. Widths come from libc's wcwidth, so
 * they follow the thread's LC_CTYPE: the app and the markdown layout run under a UTF-8 one. */
#include "base.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

int pd_tab_width(int col)
{
    return PD_TAB_WIDTH - (col < 0 ? 0 : col) % PD_TAB_WIDTH;
}

int pd_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    uint32_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len < (size_t)n)
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t pd_utf8_next(const char *s, size_t len, uint32_t *cp, bool *valid)
{
    int n = pd_utf8_decode(s, len, cp);
    if (valid)
        *valid = n > 0;
    if (n > 0)
        return (size_t)n;
    *cp = PD_UTF8_REPLACEMENT;
    return 1;
}

size_t pd_utf8_incomplete_tail(const char *s, size_t len)
{
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned char c = (unsigned char)s[len - back];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c < 0xC2 || c > 0xF4)
            return 0;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return need > back ? back : 0;
    }
    return 0;
}

size_t pd_utf8_count(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)   /* branch-free, so the compiler vectorizes it */
        n += (s[i] & 0xC0) != 0x80;
    return n;
}

int pd_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;   /* a lone surrogate is no character */
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int pd_cp_width(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 0x20 && cp < 0x7F) ? 1 : -1;
    if (pd_cp_hidden(cp))
        return -1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? -1 : w;
}

void pd_char_at(const char *s, size_t len, int col, pd_char *c)
{
    unsigned char b = (unsigned char)s[0];
    c->cp = b;
    c->len = 1;
    c->shown[0] = '\0';
    if (b >= 0x20 && b < 0x7F) {
        c->kind = PD_CHAR_TEXT;
        c->width = 1;
        return;
    }
    if (b == '\t') {
        c->kind = PD_CHAR_TAB;
        c->width = pd_tab_width(col);
        return;
    }
    if (b < 0x20 || b == 0x7F) {
        c->kind = PD_CHAR_CONTROL;
        c->width = snprintf(c->shown, sizeof c->shown, "^%c", b ^ 0x40);
        return;
    }
    uint32_t cp;
    int n = pd_utf8_decode(s, len, &cp);
    if (n == 0) {
        c->kind = PD_CHAR_INVALID;
        c->width = snprintf(c->shown, sizeof c->shown, "<%02x>", b);
        return;
    }
    c->cp = cp;
    c->len = (size_t)n;
    int w = pd_cp_width(cp);
    if (w < 0) {
        c->kind = PD_CHAR_HIDDEN;
        c->width = snprintf(c->shown, sizeof c->shown, "<U+%04X>", (unsigned)cp);
        return;
    }
    c->kind = PD_CHAR_TEXT;
    c->width = w;
}

int pd_text_width(const char *s, size_t len, int col)
{
    int c0 = col;
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x20 && b < 0x7F) {   /* fast path: printable ASCII */
            col++;
            i++;
            continue;
        }
        pd_char c;
        pd_char_at(s + i, len - i, col, &c);
        col += c.width;
        i += c.len;
    }
    return col - c0;
}

size_t pd_text_fit(const char *s, size_t len, int width, bool at_space)
{
    int col = 0;
    size_t i = 0, last_space = 0;
    while (i < len && s[i] != '\n') {
        pd_char c;
        pd_char_at(s + i, len - i, col, &c);
        if (col + c.width > width && i > 0)
            break;
        col += c.width;
        i += c.len;
        if (s[i - c.len] == ' ' || s[i - c.len] == '\t')
            last_space = i;
    }
    if (at_space && i < len && s[i] != '\n' && last_space > 0)
        return last_space;
    if (i == 0 && len > 0 && s[0] != '\n') {
        pd_char c;
        pd_char_at(s, len, 0, &c);
        return c.len;
    }
    return i;
}
