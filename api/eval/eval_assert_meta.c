/* eval_assert_meta.c: assertions on how the answer came rather than its text: latency, cost,
 * finish reason; and llm-rubric, whose verdict a judge run supplies through a callback. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* measured <= threshold. verbs: the claim's three forms ("take at most" ...); unit after numbers. */
static eval_outcome at_most(const eval_ctx *x, eval_finding *f, double measured, const char *const verbs[4],
                            const char *unit)
{
    if (!x->as->has_threshold)
        return eval_error(f, "%s needs a threshold", pd_eval_type_name(x->as->type));
    eval_claim(f, verbs[0], verbs[1], verbs[2]);
    eval_claim_arg(f, " %g%s", x->as->threshold, unit);
    pd_buf_printf(&f->detail, "; %s %.6g%s", verbs[3], measured, unit);
    return measured <= x->as->threshold ? EVAL_HOLDS : EVAL_FAILS;
}

eval_outcome eval_check_latency(const eval_ctx *x, eval_finding *f)
{
    static const char *const verbs[4] = {"take at most", "took at most", "took more than", "took"};
    if (x->answer->latency_ms < 0)
        return eval_error(f, "latency unknown (an answer from the cache has none: run without the cache)");
    return at_most(x, f, x->answer->latency_ms, verbs, " ms");
}

eval_outcome eval_check_cost(const eval_ctx *x, eval_finding *f)
{
    static const char *const verbs[4] = {"cost at most", "cost at most", "cost more than", "cost"};
    if (x->answer->cost < 0)
        return eval_error(f, "cost unknown (no price known for this model)");
    return at_most(x, f, x->answer->cost, verbs, "");
}

eval_outcome eval_check_finish_reason(const eval_ctx *x, eval_finding *f)
{
    const char *want = json_string_value(x->as->value);
    const char *got = x->answer->finish_reason;
    if (!got || !*got)
        return eval_error(f, "the provider gave no finish reason");
    eval_claim(f, "finish with", "finished with", "did not finish with");
    eval_claim_quote(f, want);
    pd_buf_puts(&f->detail, "; got ");
    eval_quote(&f->detail, got, 40);
    return strcasecmp(want, got) == 0 ? EVAL_HOLDS : EVAL_FAILS;
}

/* A rubric value as text: a string as it is, anything else as compact JSON. Into out. */
static const char *rubric_text(const json_t *v, pd_buf *out)
{
    pd_buf_reset(out);
    pd_buf_append(out, "", 0);
    if (json_is_string(v)) {
        pd_buf_puts(out, json_string_value(v));
    } else if (v) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        pd_buf_puts(out, s ? s : "");
        free(s);
    }
    return pd_buf_str(out);
}

const char *pd_eval_rubric(const pd_eval_assertion *a, json_t *vars, pd_buf *out)
{
    if (a->type != PD_EVAL_LLM_RUBRIC)
        return NULL;
    json_t *v = eval_render_value(a->value, vars);
    rubric_text(v, out);
    json_decref(v);
    return pd_buf_str(out);
}

bool pd_eval_case_needs_judge(const pd_eval_case *c)
{
    for (size_t i = 0; i < c->n_asserts; i++)
        if (c->asserts[i].type == PD_EVAL_LLM_RUBRIC)
            return true;
    return false;
}

eval_outcome eval_check_llm_rubric(const eval_ctx *x, eval_finding *f)
{
    if (!x->judge)
        return eval_error(f, "llm-rubric needs a judge run, and none was given");
    pd_eval_verdict v = {false, 0, NULL};
    pd_error jerr = {0};
    if (x->judge(x->ud, x->c, x->index, x->answer, &v, &jerr) != 0) {
        free(v.reason);
        return eval_error(f, "the judge failed: %s", jerr.msg[0] ? jerr.msg : "no reason given");
    }
    pd_buf rubric = PD_BUF_INIT;
    eval_claim(f, "meet the rubric", "meets the rubric", "does not meet the rubric");
    eval_claim_quote(f, rubric_text(x->as->value, &rubric));   /* x->as is rendered already */
    pd_buf_free(&rubric);
    f->has_score = true;
    f->score = v.score < 0 ? 0 : v.score > 1 ? 1 : v.score;
    bool holds = v.pass && (!x->as->has_threshold || v.score >= x->as->threshold);
    if (x->as->has_threshold)
        pd_buf_printf(&f->detail, "; score %.2f, at least %.2f wanted", v.score, x->as->threshold);
    if (v.reason && *v.reason)
        pd_buf_printf(&f->detail, "; judge: %s", v.reason);
    free(v.reason);
    return holds ? EVAL_HOLDS : EVAL_FAILS;
}

int pd_eval_verdict_parse(const char *reply, pd_eval_verdict *out, pd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = reply ? strlen(reply) : 0, pos = 0, start, end;
    json_t *j;
    while ((j = eval_json_in_text(reply, len, &pos, &start, &end)) != NULL) {
        json_t *pass = json_object_get(j, "pass"), *score = json_object_get(j, "score");
        if (json_is_boolean(pass) || json_is_number(score)) {
            out->score = json_is_number(score) ? json_number_value(score) : json_is_true(pass) ? 1 : 0;
            out->pass = json_is_boolean(pass) ? json_is_true(pass) : out->score >= 0.5;
            const char *reason = json_string_value(json_object_get(j, "reason"));
            out->reason = pd_strdup(reason);
            json_decref(j);
            return 0;
        }
        json_decref(j);
    }
    return pd_error_set(err, PD_ERR_PARSE, "the judge's reply holds no {\"pass\": ..., \"reason\": ...} object");
}
