/* eval_assert_text.c: assertions on the answer's text: equals, contains and icontains (one, any,
 * all), starts-with, regex (PCRE2 with JavaScript's meaning where they differ), levenshtein. */
#include "eval_priv.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define GOT_MAX 60   /* code points of the answer shown after "got" */

static void detail_got(eval_finding *f, const char *output)
{
    pd_buf_puts(&f->detail, "; got ");
    eval_quote(&f->detail, output, GOT_MAX);
}

/* The value to compare with: the assertion's, else the case's expected answer. */
static const char *value_or_expected(const eval_ctx *x)
{
    const char *v = json_string_value(x->as->value);
    return v ? v : x->expected;
}

static eval_outcome equals_json(const eval_ctx *x, eval_finding *f)
{
    char *want = json_dumps(x->as->value, JSON_COMPACT | JSON_PRESERVE_ORDER);
    eval_claim(f, "equal the JSON", "equals the JSON", "does not equal the JSON");
    eval_claim_quote(f, want ? want : "");
    free(want);
    json_t *got = json_loadb(x->output, x->output_len, JSON_DECODE_ANY, NULL);
    if (!got) {
        pd_buf_puts(&f->detail, "; the answer is not JSON");
        return EVAL_FAILS;
    }
    bool same = json_equal(got, x->as->value);
    json_decref(got);
    if (!same)
        detail_got(f, x->output);
    return same ? EVAL_HOLDS : EVAL_FAILS;
}

eval_outcome eval_check_equals(const eval_ctx *x, eval_finding *f)
{
    if (json_is_object(x->as->value) || json_is_array(x->as->value))
        return equals_json(x, f);
    const char *want = value_or_expected(x);
    if (!want)
        return eval_error(f, "equals needs a value, or the case's expected answer");
    eval_claim(f, "equal", "equals", "does not equal");
    eval_claim_quote(f, want);
    bool same = strcmp(want, x->output) == 0;
    if (!same)
        detail_got(f, x->output);
    return same ? EVAL_HOLDS : EVAL_FAILS;
}

static bool ignores_case(pd_eval_type t)
{
    return t == PD_EVAL_ICONTAINS || t == PD_EVAL_ICONTAINS_ANY || t == PD_EVAL_ICONTAINS_ALL;
}

/* needle in the output (both lower-cased first when fold). */
static bool has_text(const eval_ctx *x, const char *needle, bool fold)
{
    if (!fold)
        return memmem(x->output, x->output_len, needle, strlen(needle)) != NULL;
    size_t hn, nn;
    char *h = eval_lower(x->output, x->output_len, &hn), *n = eval_lower(needle, strlen(needle), &nn);
    bool found = memmem(h, hn, n, nn) != NULL;
    free(h);
    free(n);
    return found;
}

eval_outcome eval_check_contains(const eval_ctx *x, eval_finding *f)
{
    const char *want = json_string_value(x->as->value);
    bool fold = ignores_case(x->as->type);
    eval_claim(f, "contain", "contains", "does not contain");
    eval_claim_quote(f, want);
    if (fold)
        eval_claim_arg(f, " (ignoring case)");
    return has_text(x, want, fold) ? EVAL_HOLDS : EVAL_FAILS;
}

static void quote_list(pd_buf *b, json_t *list)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (i)
            pd_buf_puts(b, ", ");
        eval_quote(b, json_string_value(item), 40);
    }
}

eval_outcome eval_check_contains_list(const eval_ctx *x, eval_finding *f)
{
    bool all = x->as->type == PD_EVAL_CONTAINS_ALL || x->as->type == PD_EVAL_ICONTAINS_ALL;
    bool fold = ignores_case(x->as->type);
    json_t *list = x->as->value;
    json_t *found = json_array(), *missing = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        json_array_append(has_text(x, json_string_value(item), fold) ? found : missing, item);
    }
    pd_buf items = PD_BUF_INIT;
    quote_list(&items, list);
    if (all)
        eval_claim(f, "contain all of", "contains all of", "does not contain all of");
    else
        eval_claim(f, "contain one of", "contains one of", "contains none of");
    eval_claim_arg(f, " %s%s", pd_buf_str(&items), fold ? " (ignoring case)" : "");
    pd_buf_free(&items);
    bool holds = all ? json_array_size(missing) == 0 : json_array_size(found) > 0;
    if (all && json_array_size(missing)) {
        pd_buf_puts(&f->detail, "; missing ");
        quote_list(&f->detail, missing);
    } else if (!all && json_array_size(found)) {
        pd_buf_puts(&f->detail, "; found ");
        quote_list(&f->detail, found);
    }
    json_decref(found);
    json_decref(missing);
    return holds ? EVAL_HOLDS : EVAL_FAILS;
}

eval_outcome eval_check_starts_with(const eval_ctx *x, eval_finding *f)
{
    const char *want = json_string_value(x->as->value);
    eval_claim(f, "start with", "starts with", "does not start with");
    eval_claim_quote(f, want);
    bool holds = strncmp(x->output, want, strlen(want)) == 0;
    if (!holds)
        detail_got(f, x->output);
    return holds ? EVAL_HOLDS : EVAL_FAILS;
}

/* A JavaScript RegExp without flags, as promptfoo builds one (new RegExp(value)): \d and \w are
 * ASCII, $ only at the very end, . stops at line ends, \uXXXX and [^] work; lookahead,
 * lookbehind and named groups as in JavaScript. (\s is ASCII here; JavaScript's also takes
 * Unicode spaces.) */
static pcre2_code *regex_compile(const char *pattern, eval_finding *f)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!cc)
        abort();   /* out of memory: fatal in the api */
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
#ifdef PCRE2_EXTRA_ALT_BSUX
    pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);   /* \u{1F600} */
#endif
    int code;
    PCRE2_SIZE at;
    uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS |
                       PCRE2_DOLLAR_ENDONLY;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &code, &at, cc);
    pcre2_compile_context_free(cc);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        eval_error(f, "invalid regex /%s/: %s (at character %zu)", pattern, (const char *)msg, (size_t)at + 1);
    }
    return re;
}

eval_outcome eval_check_regex(const eval_ctx *x, eval_finding *f)
{
    const char *pattern = json_string_value(x->as->value);
    pcre2_code *re = regex_compile(pattern, f);
    if (!re)
        return EVAL_ERROR;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md)
        abort();
    int rc = pcre2_match(re, (PCRE2_SPTR)x->output, x->output_len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return eval_error(f, "regex /%s/ could not finish: %s", pattern, (const char *)msg);
    }
    eval_claim(f, "match", "matches", "does not match");
    eval_claim_arg(f, " /%s/", pattern);
    return rc >= 0 ? EVAL_HOLDS : EVAL_FAILS;
}

/* Edit distance in code points (two rows of the classic table). */
static size_t levenshtein(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n, m;
    uint32_t *s = eval_code_points(a, alen, &n), *t = eval_code_points(b, blen, &m);
    size_t *prev = pd_xmalloc((m + 1) * sizeof *prev), *cur = pd_xmalloc((m + 1) * sizeof *cur);
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1, sub = prev[j - 1] + (s[i - 1] != t[j - 1]);
            cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
        }
        size_t *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    size_t d = prev[m];
    free(s);
    free(t);
    free(prev);
    free(cur);
    return d;
}

eval_outcome eval_check_levenshtein(const eval_ctx *x, eval_finding *f)
{
    const char *want = value_or_expected(x);
    if (!want)
        return eval_error(f, "levenshtein needs a value, or the case's expected answer");
    double max = x->as->has_threshold ? x->as->threshold : 5;
    size_t d = levenshtein(x->output, x->output_len, want, strlen(want));
    eval_claim(f, "be within", "is within", "is not within");
    eval_claim_arg(f, " %g edits of", max);
    eval_claim_quote(f, want);
    pd_buf_printf(&f->detail, "; distance %zu", d);
    return (double)d <= max ? EVAL_HOLDS : EVAL_FAILS;
}
