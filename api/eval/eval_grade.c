/* eval_grade.c: grading a case as promptfoo does: each assertion checked (the "not-" prefix
 * inverts it), a reason a user can read, weights, and the case's threshold on the weighted score;
 * without a threshold every assertion that counts must pass. */
#include "eval_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 80   /* code points of a value shown in a reason */

static const eval_check_fn checks[PD_EVAL_N_TYPES] = {
    [PD_EVAL_EQUALS] = eval_check_equals,
    [PD_EVAL_CONTAINS] = eval_check_contains,
    [PD_EVAL_ICONTAINS] = eval_check_contains,
    [PD_EVAL_CONTAINS_ANY] = eval_check_contains_list,
    [PD_EVAL_CONTAINS_ALL] = eval_check_contains_list,
    [PD_EVAL_ICONTAINS_ANY] = eval_check_contains_list,
    [PD_EVAL_ICONTAINS_ALL] = eval_check_contains_list,
    [PD_EVAL_STARTS_WITH] = eval_check_starts_with,
    [PD_EVAL_REGEX] = eval_check_regex,
    [PD_EVAL_IS_JSON] = eval_check_is_json,
    [PD_EVAL_CONTAINS_JSON] = eval_check_contains_json,
    [PD_EVAL_LEVENSHTEIN] = eval_check_levenshtein,
    [PD_EVAL_LATENCY] = eval_check_latency,
    [PD_EVAL_COST] = eval_check_cost,
    [PD_EVAL_FINISH_REASON] = eval_check_finish_reason,
    [PD_EVAL_TOOLS_CALL] = eval_check_tools_call,
    [PD_EVAL_LLM_RUBRIC] = eval_check_llm_rubric,
};

void eval_claim(eval_finding *f, const char *to, const char *does, const char *does_not)
{
    pd_buf_reset(&f->to);
    pd_buf_reset(&f->does);
    pd_buf_reset(&f->does_not);
    pd_buf_puts(&f->to, to);
    pd_buf_puts(&f->does, does);
    pd_buf_puts(&f->does_not, does_not);
}

void eval_claim_arg(eval_finding *f, const char *fmt, ...)
{
    pd_buf arg = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&arg, fmt, ap);
    va_end(ap);
    pd_buf_puts(&f->to, pd_buf_str(&arg));
    pd_buf_puts(&f->does, pd_buf_str(&arg));
    pd_buf_puts(&f->does_not, pd_buf_str(&arg));
    pd_buf_free(&arg);
}

void eval_claim_quote(eval_finding *f, const char *s)
{
    pd_buf q = PD_BUF_INIT;
    eval_quote(&q, s, QUOTE_MAX);
    eval_claim_arg(f, " %s", pd_buf_str(&q));
    pd_buf_free(&q);
}

eval_outcome eval_error(eval_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_buf_reset(&f->error);
    pd_buf_vprintf(&f->error, fmt, ap);
    va_end(ap);
    return EVAL_ERROR;
}

static void finding_free(eval_finding *f)
{
    pd_buf_free(&f->to);
    pd_buf_free(&f->does);
    pd_buf_free(&f->does_not);
    pd_buf_free(&f->detail);
    pd_buf_free(&f->error);
}

void pd_eval_check_one(const pd_eval_assertion *as, const char *expected, const pd_eval_answer *a,
                       pd_eval_judge_fn judge, void *ud, const pd_eval_case *c, size_t index, pd_eval_check *out)
{
    static const pd_eval_answer none = {NULL, NULL, -1, -1, -1, -1, NULL, NULL};
    if (!a)
        a = &none;
    const char *output = a->output ? a->output : "";
    /* the value with the case's {{variables}} rendered */
    pd_eval_assertion rendered = *as;
    rendered.value = eval_render_value(as->value, c ? c->vars : NULL);
    eval_ctx x = {&rendered, expected, a, output, strlen(output), judge, ud, c, index};
    eval_finding f = {0};
    eval_outcome o = (unsigned)as->type < PD_EVAL_N_TYPES ? checks[as->type](&x, &f)
                                                          : eval_error(&f, "unknown assertion type");
    memset(out, 0, sizeof *out);
    out->weight = as->has_weight ? as->weight : 1;
    out->counts = out->weight > 0;
    pd_buf reason = PD_BUF_INIT;
    if (o == EVAL_ERROR) {
        out->error = true;
        pd_buf_puts(&reason, pd_buf_str(&f.error));
    } else {
        bool holds = o == EVAL_HOLDS;
        out->pass = holds != as->negate;
        if (out->pass)
            pd_buf_puts(&reason, pd_buf_str(holds ? &f.does : &f.does_not));
        else
            pd_buf_printf(&reason, "expected %s%s", as->negate ? "not to " : "to ", pd_buf_str(&f.to));
        pd_buf_puts(&reason, pd_buf_str(&f.detail));
        double score = f.has_score ? f.score : holds ? 1 : 0;
        out->score = as->negate ? 1 - score : score;
    }
    out->reason = pd_buf_take(&reason);
    finding_free(&f);
    json_decref(rendered.value);
}

void pd_eval_check_clear(pd_eval_check *r)
{
    if (!r)
        return;
    free(r->reason);
    memset(r, 0, sizeof *r);
}

void pd_eval_grade(const pd_eval_case *c, const pd_eval_answer *a, pd_eval_judge_fn judge, void *ud,
                   pd_eval_result *out)
{
    memset(out, 0, sizeof *out);
    out->n_checks = c->n_asserts;
    out->checks = c->n_asserts ? pd_xcalloc(c->n_asserts, sizeof *out->checks) : NULL;
    double total = 0, weights = 0;
    const char *first_failure = NULL;
    for (size_t i = 0; i < c->n_asserts; i++) {
        pd_eval_check *k = &out->checks[i];
        pd_eval_check_one(&c->asserts[i], c->expected, a, judge, ud, c, i, k);
        out->n_errors += k->error;
        if (!k->counts)
            continue;
        total += k->score * k->weight;
        weights += k->weight;
        if (!k->pass) {
            out->n_failed++;
            if (!first_failure)
                first_failure = k->reason;
        }
    }
    out->score = weights > 0 ? total / weights : 1;
    pd_buf reason = PD_BUF_INIT;
    if (c->has_threshold) {
        out->pass = out->score >= c->threshold;
        pd_buf_printf(&reason, "score %.2f %s threshold %.2f", out->score, out->pass ? ">=" : "<", c->threshold);
    } else {
        out->pass = out->n_failed == 0;
        pd_buf_puts(&reason, first_failure ? first_failure : c->n_asserts ? "all assertions passed" : "no assertions");
    }
    out->reason = pd_buf_take(&reason);
}

void pd_eval_result_clear(pd_eval_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_checks; i++)
        pd_eval_check_clear(&r->checks[i]);
    free(r->checks);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

json_t *pd_eval_result_checks_json(const pd_eval_case *c, const pd_eval_result *r)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->n_checks && i < c->n_asserts; i++) {
        char type[48];
        json_t *o = json_object();
        json_object_set_new(o, "type", json_string(pd_eval_assertion_type(&c->asserts[i], type, sizeof type)));
        json_object_set_new(o, "pass", json_boolean(r->checks[i].pass));
        json_object_set_new(o, "reason", json_string(r->checks[i].reason));
        if (r->checks[i].error)
            json_object_set_new(o, "error", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

void pd_eval_answer_from_run(pd_eval_answer *a, const pd_run_record *r)
{
    memset(a, 0, sizeof *a);
    a->output = r->output ? r->output : "";
    a->finish_reason = r->finish_reason;
    a->latency_ms = r->total_ms > 0 ? r->total_ms : -1;
    a->input_tokens = r->input_tokens;
    a->output_tokens = r->output_tokens;
    a->cost = r->cost;
    a->tool_calls = r->tool_calls;
    a->tools = r->settings.tools;
}
