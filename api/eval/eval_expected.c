/* eval_expected.c: promptfoo's one-line assertions, as CSV __expected columns hold them
 * ("contains: Paris", "not-icontains:x", "levenshtein(5):text", "latency(1000)", "grade:rubric";
 * anything else is `equals`), and its comma-separated value lists with "quoted, items". */
#include "eval_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* promptfoo's assertion types that promptdeck does not run: "similar:x" must not read as
 * `equals` with the text "similar:x". */
static const char *const foreign_types[] = {
    "answer-relevance", "assert-set", "bleu", "classifier", "contains-html", "contains-sql",
    "contains-xml", "context-faithfulness", "context-recall", "context-relevance",
    "conversation-relevance", "ends-with", "factuality", "g-eval", "gleu", "guardrails", "is-html",
    "is-refusal", "is-sql", "is-xml", "javascript", "max-score", "meteor", "model-graded-closedqa",
    "model-graded-factuality", "moderation", "perplexity", "perplexity-score", "pi", "python",
    "rouge-n", "ruby", "select-best", "similar", "tool-call-f1", "trace-error-spans",
    "trace-span-count", "trace-span-duration", "webhook", "word-count", NULL,
};

/* Prefixes promptfoo reads before any type: scripts (which cannot run here) and the rubric. */
static const struct { const char *prefix; const char *type; } script_prefixes[] = {
    {"javascript:", "javascript"}, {"fn:", "javascript"}, {"eval:", "javascript"},
    {"python:", "python"},
};

json_t *eval_split_list(const char *s, const char **what)
{
    json_t *out = json_array();
    pd_buf item = PD_BUF_INIT;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        pd_buf_reset(&item);
        pd_buf_append(&item, "", 0);
        if (*p == '"') {
            for (p++;; p++) {
                if (!*p) {
                    *what = "has a quoted value that is never closed";
                    goto fail;
                }
                if ((*p == '"' && p[1] == '"') || (*p == '\\' && p[1] == '"')) {
                    pd_buf_putc(&item, '"');
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    pd_buf_putc(&item, *p);
                }
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p && *p != ',') {
                *what = "needs a comma after a quoted value";
                goto fail;
            }
            if (item.len)
                json_array_append_new(out, json_string(item.data));
        } else {
            const char *end = p + strcspn(p, ",");
            const char *e = end;
            while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
                e--;
            if (e > p)
                json_array_append_new(out, json_stringn(p, (size_t)(e - p)));
            p = end;
        }
        if (*p != ',')
            break;
        p++;
    }
    pd_buf_free(&item);
    return out;
fail:
    pd_buf_free(&item);
    json_decref(out);
    return NULL;
}

static bool is_space(char c)
{
    return isspace((unsigned char)c) != 0;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    while (n && is_space(s[n - 1]))
        n--;
    return pd_strndup(s, n);
}

/* Splits "NAME", "NAME:rest", "NAME(3.5)" or "NAME(3.5):rest": *name_len, the threshold, and
 * *rest (NULL without ':'). false when the text has another shape. */
static bool split_form(const char *s, size_t *name_len, bool *has_threshold, double *threshold,
                       const char **rest)
{
    size_t n = strcspn(s, "(:");
    const char *p = s + n;
    *name_len = n;
    *has_threshold = false;
    *rest = NULL;
    if (n == 0)
        return false;
    if (*p == '(') {
        const char *q = p + 1;
        if (!isdigit((unsigned char)*q))
            return false;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q == '.' && isdigit((unsigned char)q[1]))
            for (q++; isdigit((unsigned char)*q); q++)
                ;
        if (*q != ')')
            return false;
        *threshold = strtod(p + 1, NULL);
        *has_threshold = true;
        p = q + 1;
    }
    if (*p == ':')
        *rest = p + 1;
    return *p == ':' || *p == '\0';
}

static bool foreign_type(const char *name)
{
    const char *base = eval_str_starts(name, "not-") ? name + 4 : name;
    for (const char *const *f = foreign_types; *f; f++)
        if (strcmp(base, *f) == 0)
            return true;
    return false;
}

static int unsupported(pd_error *err, const char *type)
{
    return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" assertions cannot run in promptdeck", type);
}

int pd_eval_assertion_from_string(const char *text, pd_eval_assertion *out, pd_error *err)
{
    memset(out, 0, sizeof *out);
    char *s = trimmed(text, strlen(text));
    int rc = 0;
    for (size_t i = 0; i < sizeof script_prefixes / sizeof *script_prefixes; i++) {
        if (eval_str_starts(s, script_prefixes[i].prefix)) {
            rc = unsupported(err, script_prefixes[i].type);
            goto done;
        }
    }
    if (eval_str_starts(s, "file://")) {
        rc = unsupported(err, "file://");
        goto done;
    }
    const char *rubric = eval_str_starts(s, "grade:") ? s + 6 : eval_str_starts(s, "llm-rubric:") ? s + 11 : NULL;
    if (rubric) {
        out->type = PD_EVAL_LLM_RUBRIC;
        char *r = trimmed(rubric, strlen(rubric));
        out->value = json_string(r);
        free(r);
    } else {
        size_t name_len;
        const char *rest;
        bool form = split_form(s, &name_len, &out->has_threshold, &out->threshold, &rest);
        char *name = form ? pd_strndup(s, name_len) : NULL;
        bool known = form && pd_eval_type_parse(name, &out->type, &out->negate);
        if (form && !known && foreign_type(name)) {
            rc = unsupported(err, name);
            free(name);
            goto done;
        }
        free(name);
        if (!known) {
            memset(out, 0, sizeof *out);
            out->type = PD_EVAL_EQUALS;   /* no known type before a ':': the text itself is expected */
            out->value = json_string(s);
            goto done;
        }
        if (rest && (out->type == PD_EVAL_IS_JSON || out->type == PD_EVAL_CONTAINS_JSON)) {
            out->value = json_string(rest);   /* a schema: as written */
        } else if (rest) {
            char *v = trimmed(rest, strlen(rest));
            out->value = json_string(v);
            free(v);
        }
    }
    const char *what = NULL;
    if (!eval_value_normalise(out, &what)) {
        char type[48];
        rc = pd_error_set(err, PD_ERR_PARSE, "%s %s", pd_eval_assertion_type(out, type, sizeof type), what);
    }
done:
    free(s);
    if (rc != 0)
        pd_eval_assertion_clear(out);
    return rc;
}
