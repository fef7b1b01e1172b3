/* eval_cases.c: test cases and suites in memory: lifetime, copies, adding and removing, a case
 * kept from a run. */
#include "eval_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *json_copy_or_null(const json_t *j)
{
    return j ? json_deep_copy(j) : NULL;
}

void pd_eval_assertion_clear(pd_eval_assertion *a)
{
    if (!a)
        return;
    json_decref(a->value);
    json_decref(a->extra);
    free(a->metric);
    memset(a, 0, sizeof *a);
}

void pd_eval_assertion_copy(pd_eval_assertion *dst, const pd_eval_assertion *src)
{
    *dst = *src;
    dst->value = json_copy_or_null(src->value);
    dst->extra = json_copy_or_null(src->extra);
    dst->metric = pd_strdup(src->metric);
}

void pd_eval_case_init(pd_eval_case *c)
{
    memset(c, 0, sizeof *c);
    c->vars = json_object();
}

void pd_eval_case_clear(pd_eval_case *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_asserts; i++)
        pd_eval_assertion_clear(&c->asserts[i]);
    free(c->asserts);
    free(c->description);
    free(c->expected);
    json_decref(c->vars);
    json_decref(c->extra);
    memset(c, 0, sizeof *c);
}

void pd_eval_case_copy(pd_eval_case *dst, const pd_eval_case *src)
{
    *dst = *src;
    dst->description = pd_strdup(src->description);
    dst->expected = pd_strdup(src->expected);
    dst->vars = src->vars ? json_deep_copy(src->vars) : json_object();
    dst->extra = json_copy_or_null(src->extra);
    dst->asserts = src->n_asserts ? pd_xcalloc(src->n_asserts, sizeof *dst->asserts) : NULL;
    for (size_t i = 0; i < src->n_asserts; i++)
        pd_eval_assertion_copy(&dst->asserts[i], &src->asserts[i]);
}

void pd_eval_case_add_assertion(pd_eval_case *c, pd_eval_assertion *a)
{
    c->asserts = pd_xrealloc(c->asserts, (c->n_asserts + 1) * sizeof *c->asserts);
    c->asserts[c->n_asserts++] = *a;
    memset(a, 0, sizeof *a);
}

void pd_eval_suite_clear(pd_eval_suite *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        pd_eval_case_clear(&s->cases[i]);
    free(s->cases);
    s->cases = NULL;
    s->n = 0;
    s->conflicted = false;
}

size_t pd_eval_suite_add(pd_eval_suite *s, pd_eval_case *c)
{
    s->cases = pd_xrealloc(s->cases, (s->n + 1) * sizeof *s->cases);
    s->cases[s->n] = *c;
    if (!s->cases[s->n].vars)
        s->cases[s->n].vars = json_object();
    memset(c, 0, sizeof *c);
    return s->n++;
}

void pd_eval_suite_remove(pd_eval_suite *s, size_t i)
{
    if (i >= s->n)
        return;
    pd_eval_case_clear(&s->cases[i]);
    memmove(&s->cases[i], &s->cases[i + 1], (s->n - i - 1) * sizeof *s->cases);
    s->n--;
}

void pd_eval_case_from_run(const pd_run_record *r, pd_eval_case *out)
{
    pd_eval_case_init(out);
    if (json_is_object(r->variables)) {
        json_decref(out->vars);
        out->vars = json_deep_copy(r->variables);
    }
    out->expected = pd_strdup(r->output ? r->output : "");
}

const char *pd_eval_case_name(const pd_eval_case *c, size_t index, char *out, size_t size)
{
    if (c->description && *c->description)
        snprintf(out, size, "%s", c->description);
    else
        snprintf(out, size, "#%zu", index + 1);
    return out;
}
