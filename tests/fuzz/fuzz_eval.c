/* fuzz_eval.c: any bytes as test cases: promptfoo's YAML and CSV imports, a tests.json file and
 * promptfoo's one-line assertions never crash; what decodes encodes and decodes back equal; and
 * every case read is graded against the bytes themselves as the answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"

static void check(int cond)
{
    if (!cond)
        abort();
}

/* Encodes s, decodes it again, and checks both encode the same. */
static void round_trip(const pd_eval_suite *s)
{
    json_t *j = pd_eval_suite_to_json(s);
    pd_eval_suite back;
    pd_error err = {0};
    check(pd_eval_suite_decode(j, NULL, &back, &err) == 0);
    json_t *again = pd_eval_suite_to_json(&back);
    check(json_equal(j, again));
    json_decref(again);
    json_decref(j);
    pd_eval_suite_clear(&back);
}

static int judge(void *ud, const pd_eval_case *c, size_t index, const pd_eval_answer *a, pd_eval_verdict *out,
                 pd_error *err)
{
    (void)ud;
    (void)c;
    (void)index;
    return pd_eval_verdict_parse(a->output, out, err);
}

static void grade_all(const pd_eval_suite *s, const char *text)
{
    json_t *tools = json_pack("[{s:s, s:{s:s}}]", "name", "t", "parameters", "type", "object");
    json_t *calls = json_loads(text, JSON_DECODE_ANY, NULL);
    pd_eval_answer a = {text, "stop", 10, 1, 1, 0.001, json_is_array(calls) ? calls : NULL, tools};
    for (size_t i = 0; i < s->n; i++) {
        pd_eval_result r;
        pd_eval_grade(&s->cases[i], &a, judge, NULL, &r);
        check(r.reason != NULL && r.n_checks == s->cases[i].n_asserts && r.score >= 0 && r.score <= 1);
        for (size_t k = 0; k < r.n_checks; k++)
            check(r.checks[k].reason != NULL);
        json_t *checks = pd_eval_result_checks_json(&s->cases[i], &r);
        check(json_array_size(checks) == r.n_checks);   /* every reason is valid UTF-8 */
        json_decref(checks);
        pd_eval_result_clear(&r);
    }
    json_decref(calls);
    json_decref(tools);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;   /* levenshtein and regex are quadratic or worse by nature */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    pd_error err = {0};
    pd_buf warnings = PD_BUF_INIT;
    pd_eval_suite s = {0};
    /* file:// references would read this machine's files: not what is fuzzed here */
    if (!memmem(text, size, "file:", 5)) {
        if (pd_eval_import_yaml(text, size, "f.yaml", "/nonexistent", &s, &warnings, &err) != 0)
            check(s.n == 0 && (err.code == PD_ERR_DAMAGED || err.code == PD_ERR_LIMIT) &&
                  strncmp(err.msg, "f.yaml:", 7) == 0);
    }
    if (pd_eval_import_csv(text, size, "f.csv", &s, &warnings, &err) != 0)
        check(err.code == PD_ERR_DAMAGED && strncmp(err.msg, "f.csv:", 6) == 0);
    pd_json_src src = {"f.json", text, size};
    json_t *j = pd_json_parse_src(&src, &err);
    pd_eval_suite t;
    if (j && pd_eval_suite_decode(j, &src, &t, &err) == 0) {
        round_trip(&t);
        pd_eval_suite_clear(&t);
    }
    json_decref(j);
    pd_eval_assertion a;
    if (strlen(text) == size && pd_eval_assertion_from_string(text, &a, &err) == 0) {
        pd_eval_case c;
        pd_eval_case_init(&c);
        pd_eval_case_add_assertion(&c, &a);
        pd_eval_suite_add(&s, &c);
    }
    round_trip(&s);
    grade_all(&s, text);
    pd_eval_suite_clear(&s);
    pd_buf_free(&warnings);
    free(text);
    return 0;
}
