/* textsafe.c: the code points that must not reach a terminal raw, and the visible forms a
 * sanitized copy of text gives them (decoding is textwidth.c's pd_utf8_decode). */
#include "base.h"

#include <string.h>

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
        uint32_t cp = u[i];
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

void pd_json_escape_controls(pd_buf *out, const char *json, size_t n)
{
    size_t i = 0, plain = 0;
    while (i < n) {
        if ((unsigned char)json[i] < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp = 0x7F;
        int len = json[i] == 0x7F ? 1 : pd_utf8_decode(json + i, n - i, &cp);
        if (len <= 0) {   /* not UTF-8: not from an encoder; copied */
            i++;
            continue;
        }
        if (cp == 0x7F || pd_cp_hidden(cp)) {
            pd_buf_append(out, json + plain, i - plain);
            if (cp > 0xFFFF)
                pd_buf_printf(out, "\\u%04X\\u%04X", (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
                              (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
            else
                pd_buf_printf(out, "\\u%04X", (unsigned)cp);
            plain = i + (size_t)len;
        }
        i += (size_t)len;
    }
    pd_buf_append(out, json + plain, n - plain);
}

bool pd_text_is_binary(const char *s, size_t n)
{
    size_t look = n < PD_BINARY_SNIFF ? n : PD_BINARY_SNIFF, bad = 0;
    if (memchr(s, '\0', look))
        return true;
    for (size_t i = 0; i < look;) {
        uint32_t cp;
        int len = (unsigned char)s[i] < 0x80 ? 1 : pd_utf8_decode(s + i, look - i, &cp);
        if (len <= 0) {
            if (look < n && pd_utf8_decode(s + i, n - i, &cp) > 0)   /* cut at the sniff's end */
                break;
            bad++;
            len = 1;
        }
        i += (size_t)len;
    }
    return bad * 10 > look;
}
