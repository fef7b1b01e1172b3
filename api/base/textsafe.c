/* textsafe.c: the code points that must not reach a terminal raw, and the visible forms a
 * sanitized copy of text gives them (decoding is textwidth.c's pd_utf8_decode). */
#include "base.h"

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
