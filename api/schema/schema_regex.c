/* schema_regex.c: "pattern" and "patternProperties" as ECMA-262 (with the u flag) reads them, through PCRE2. */
#include "schema_priv.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sc_regex {
    pcre2_code *code;
    char *source;
};

/* What JavaScript's \s matches (more than PCRE's ASCII \s), written for PCRE2_ALT_BSUX. */
#define JS_SPACE "\\t\\n\\x0B\\f\\r \\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF"

/* JavaScript's long General_Category names (and aliases) for PCRE2's short ones. */
static const char *const long_categories[][2] = {
    {"Letter", "L"}, {"Cased_Letter", "LC"}, {"Uppercase_Letter", "Lu"}, {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"}, {"Other_Letter", "Lo"}, {"Mark", "M"},
    {"Combining_Mark", "M"}, {"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"},
    {"Enclosing_Mark", "Me"}, {"Number", "N"}, {"Decimal_Number", "Nd"}, {"digit", "Nd"},
    {"Letter_Number", "Nl"}, {"Other_Number", "No"}, {"Punctuation", "P"}, {"punct", "P"},
    {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"}, {"Open_Punctuation", "Ps"},
    {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"}, {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"},
    {"Separator", "Z"}, {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"}, {"Other", "C"}, {"Control", "Cc"}, {"cntrl", "Cc"},
    {"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"}, {"Unassigned", "Cn"},
};

/* \p{...} / \P{...} at p (just after the letter): appends it with the name PCRE2 knows
 * (General_Category=X, gc=X, Script=X and sc=X lose their prefix); the length read. */
static size_t property(const char *p, pd_buf *out)
{
    if (*p != '{' || !strchr(p, '}'))
        return 0;
    const char *name = p + 1, *close = strchr(p, '}');
    const char *eq = memchr(name, '=', (size_t)(close - name));
    if (eq)
        name = eq + 1;
    size_t n = (size_t)(close - name);
    const char *shortname = NULL;
    for (size_t i = 0; i < sizeof long_categories / sizeof *long_categories && !shortname; i++)
        if (strlen(long_categories[i][0]) == n && !strncmp(long_categories[i][0], name, n))
            shortname = long_categories[i][1];
    pd_buf_putc(out, '{');
    if (shortname)
        pd_buf_puts(out, shortname);
    else
        pd_buf_append(out, name, n);
    pd_buf_putc(out, '}');
    return (size_t)(close - p) + 1;
}

/* The pattern in PCRE2's words, or NULL (with *bad the escape letter) when it uses an escape
 * that ECMA-262 does not have but PCRE2 would read (\a, \e, \A, \z, \Q ...). JavaScript's
 * \s and \S are spelled out, \v is the vertical tab, long property names are shortened; the
 * rest PCRE2 reads as JavaScript does, given the options below (\d and \w stay ASCII). */
static char *js_to_pcre(const char *p, char *bad)
{
    pd_buf out = PD_BUF_INIT;
    pd_buf_puts(&out, "");
    bool in_class = false;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\' && p[i + 1]) {
            char e = p[++i];
            if (e == 's' && in_class) {
                pd_buf_puts(&out, JS_SPACE);
            } else if (e == 's') {
                pd_buf_puts(&out, "[" JS_SPACE "]");
            } else if (e == 'S' && !in_class) {
                pd_buf_puts(&out, "[^" JS_SPACE "]");
            } else if (e == 'v') {
                pd_buf_puts(&out, "\\x0B");
            } else if ((e == 'p' || e == 'P')) {
                pd_buf_putc(&out, c);
                pd_buf_putc(&out, e);
                i += property(p + i + 1, &out);
            } else if (((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) && !strchr("fnrtcdDwWbBuxk", e)) {
                *bad = e;
                pd_buf_free(&out);
                return NULL;
            } else {
                pd_buf_putc(&out, c);
                pd_buf_putc(&out, e);
            }
            continue;
        }
        if (c == '[' && !in_class) {
            in_class = true;
            pd_buf_putc(&out, c);
            if (p[i + 1] == '^')
                pd_buf_putc(&out, p[++i]);
            if (p[i + 1] == ']')   /* [] and [^]: PCRE2_ALLOW_EMPTY_CLASS reads them as JS does */
                pd_buf_putc(&out, p[++i]), in_class = false;
            continue;
        }
        if (c == ']' && in_class)
            in_class = false;
        pd_buf_putc(&out, c);
    }
    return pd_buf_take(&out);
}

sc_regex *sc_regex_compile(const char *pattern, char *msgbuf, size_t msgsize)
{
    char bad = 0;
    char *translated = js_to_pcre(pattern, &bad);
    if (!translated) {
        snprintf(msgbuf, msgsize, "\\%c is not an escape in ECMA-262 regular expressions", bad);
        return NULL;
    }
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!cc)
        abort();
    pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                                   PCRE2_ALLOW_EMPTY_CLASS,
                                   &code, &offset, cc);
    pcre2_compile_context_free(cc);
    free(translated);
    if (!re) {
        char text[200];
        pcre2_get_error_message(code, (PCRE2_UCHAR *)text, sizeof text);
        snprintf(msgbuf, msgsize, "%s", text);
        return NULL;
    }
    sc_regex *r = pd_xcalloc(1, sizeof *r);
    r->code = re;
    r->source = pd_strdup(pattern);
    return r;
}

bool sc_regex_search(const sc_regex *re, const char *s, size_t len)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
    if (!md)
        abort();
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

const char *sc_regex_source(const sc_regex *re)
{
    return re->source;
}

void sc_regex_free(sc_regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    free(re->source);
    free(re);
}
