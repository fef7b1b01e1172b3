/* textsafe.c: UTF-8 decoding and the visible forms of characters that must not reach a terminal
 * raw. Hand-written rather than mbrtowc so that decoding does not depend on the locale and
 * every invalid byte is kept and shown exactly. */
#include "base.h"

int pd_utf8_decode(const char *str, size_t len, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    unsigned min;
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

bool pd_cp_hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x061C || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

void pd_text_sanitize(pd_buf *out, const char *s, size_t n, bool keep_newlines)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, plain = 0;
    while (i < n) {
        unsigned cp = u[i];
        int len = cp < 0x80 ? 1 : pd_utf8_decode(s + i, n - i, &cp);
        bool valid = len > 0;
        bool bad = !valid || (cp < 0x20 && cp != '\t' && !(keep_newlines && cp == '\n')) || cp == 0x7F ||
                   pd_cp_hidden(cp);
        if (!valid)
            len = 1;
        if (!bad) {
            i += (size_t)len;
            continue;
        }
        pd_buf_append(out, s + plain, i - plain);
        if (!valid)
            pd_buf_printf(out, "\\x%02X", u[i]);
        else if (cp < 0x20)
            pd_buf_printf(out, "^%c", (char)(cp + 64));
        else if (cp == 0x7F)
            pd_buf_puts(out, "^?");
        else if (cp <= 0x9F)
            pd_buf_printf(out, "\\x%02X", cp);
        else
            pd_buf_printf(out, "<U+%04X>", cp);
        i += (size_t)len;
        plain = i;
    }
    pd_buf_append(out, s + plain, n - plain);
}
