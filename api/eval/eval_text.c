/* eval_text.c: text for comparisons and reasons: Unicode lower case (the C.UTF-8 locale's simple
 * mapping, whatever locale the program set), code points, quoting a value in a reason. */
#include "eval_priv.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* loc: C.UTF-8, opened per call (about 30 us; no state kept between calls), or 0. */
static uint32_t lower_cp(uint32_t cp, locale_t loc)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (loc)
        return (uint32_t)towlower_l((wint_t)cp, loc);
    /* no C.UTF-8 (not on Debian): Latin-1 by hand, the rest unchanged */
    return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ? cp + 32 : cp;
}

char *eval_lower(const char *s, size_t len, size_t *out_len)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_append(&b, "", 0);
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    locale_t loc = ascii ? (locale_t)0 : newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        int n = pd_utf8_decode(s + i, len - i, &cp);
        if (n <= 0) {
            pd_buf_append(&b, s + i, 1);   /* not UTF-8: the byte as it is */
            i++;
            continue;
        }
        char u[4];
        pd_buf_append(&b, u, (size_t)pd_utf8_encode(lower_cp(cp, loc), u));
        i += (size_t)n;
    }
    if (loc)
        freelocale(loc);
    if (out_len)
        *out_len = b.len;
    return pd_buf_take(&b);
}

uint32_t *eval_code_points(const char *s, size_t len, size_t *n)
{
    uint32_t *cps = pd_xmalloc((len + 1) * sizeof *cps);
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        int m = pd_utf8_decode(s + i, len - i, &cp);
        if (m <= 0) {
            cps[k++] = 0xDC00u | (unsigned char)s[i];   /* a lone byte: a code point of its own */
            i++;
            continue;
        }
        cps[k++] = cp;
        i += (size_t)m;
    }
    *n = k;
    return cps;
}

void eval_quote(pd_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s), count = 0, i = 0;
    pd_buf_putc(b, '\'');
    while (i < len && count < max) {
        unsigned cp;
        int n = pd_utf8_decode(s + i, len - i, &cp);
        if (n <= 0) {
            pd_buf_printf(b, "\\x%02X", (unsigned char)s[i]);   /* reasons stay valid UTF-8 */
            n = 1;
        } else if (s[i] == '\n') {
            pd_buf_puts(b, "\\n");
        } else if (s[i] == '\r') {
            pd_buf_puts(b, "\\r");
        } else if (s[i] == '\t') {
            pd_buf_puts(b, "\\t");
        } else {
            pd_buf_append(b, s + i, (size_t)n);
        }
        i += (size_t)n;
        count++;
    }
    if (i < len)
        pd_buf_puts(b, "...");
    pd_buf_putc(b, '\'');
}

bool eval_str_starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}
