/* test_eval_assert.c: every assertion type against answers that pass and fail it, with and
 * without "not-", the reasons a user reads, weights and the case's threshold, llm-rubric through
 * a judge callback, and reading a judge's verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "t.h"

/* One assertion from promptfoo's one-line form, checked against output: "PASS: reason" or
 * "FAIL: reason" or "ERROR: reason". */
static char *check_with(const char *assertion, const pd_eval_answer *a, const char *expected)
{
    pd_eval_assertion as;
    pd_error err = {0};
    if (pd_eval_assertion_from_string(assertion, &as, &err) != 0)
        return strdup(err.msg);
    pd_eval_check r;
    pd_eval_check_one(&as, expected, a, NULL, NULL, NULL, 0, &r);
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s: %s", r.error ? "ERROR" : r.pass ? "PASS" : "FAIL", r.reason);
    CHECK(r.error ? !r.pass && r.score == 0 : r.score == (r.pass ? 1 : 0));
    pd_eval_check_clear(&r);
    pd_eval_assertion_clear(&as);
    return pd_buf_take(&b);
}

static char *check(const char *assertion, const char *output)
{
    pd_eval_answer a = {output, "stop", 120, 10, 20, 0.0004, NULL, NULL};
    return check_with(assertion, &a, NULL);
}

#define CHECK_AS(assertion, output, want)       \
    do {                                        \
        char *got_ = check(assertion, output);  \
        CHECK_STR(got_, want);                  \
        free(got_);                             \
    } while (0)

static void test_equals(void)
{
    CHECK_AS("equals:Paris", "Paris", "PASS: equals 'Paris'");
    CHECK_AS("equals:Paris", "Paris.", "FAIL: expected to equal 'Paris'; got 'Paris.'");
    CHECK_AS("not-equals:Paris", "Paris", "FAIL: expected not to equal 'Paris'");
    CHECK_AS("not-equals:Paris", "London", "PASS: does not equal 'Paris'; got 'London'");
    /* equals without a value compares with the case's expected answer */
    pd_eval_answer a = {"Paris is the capital of France.", NULL, -1, -1, -1, -1, NULL, NULL};
    pd_eval_assertion as = {0};
    as.type = PD_EVAL_EQUALS;
    pd_eval_check r;
    pd_eval_check_one(&as, "Paris is the capital of France.", &a, NULL, NULL, NULL, 0, &r);
    CHECK(r.pass);
    pd_eval_check_clear(&r);
    pd_eval_check_one(&as, NULL, &a, NULL, NULL, NULL, 0, &r);
    CHECK(r.error && !r.pass);
    CHECK_STR(r.reason, "equals needs a value, or the case's expected answer");
    pd_eval_check_clear(&r);
    /* an object value: the answer parsed as JSON, compared deeply */
    as.value = json_pack("{s:i, s:[s]}", "n", 1, "tags", "a");
    a.output = " {\"tags\": [\"a\"], \"n\": 1}";
    pd_eval_check_one(&as, NULL, &a, NULL, NULL, NULL, 0, &r);
    CHECK(r.pass);
    CHECK_STR(r.reason, "equals the JSON '{\"n\":1,\"tags\":[\"a\"]}'");
    pd_eval_check_clear(&r);
    a.output = "{\"n\": 2, \"tags\": [\"a\"]}";
    pd_eval_check_one(&as, NULL, &a, NULL, NULL, NULL, 0, &r);
    CHECK(!r.pass && !r.error);
    pd_eval_check_clear(&r);
    a.output = "not json";
    pd_eval_check_one(&as, NULL, &a, NULL, NULL, NULL, 0, &r);
    CHECK_STR(r.reason, "expected to equal the JSON '{\"n\":1,\"tags\":[\"a\"]}'; the answer is not JSON");
    pd_eval_check_clear(&r);
    pd_eval_assertion_clear(&as);
}

static void test_contains(void)
{
    CHECK_AS("contains: Paris", "The capital is Paris.", "PASS: contains 'Paris'");
    CHECK_AS("contains: Paris", "The capital is paris.", "FAIL: expected to contain 'Paris'");
    CHECK_AS("not-contains: London", "The capital is Paris.", "PASS: does not contain 'London'");
    CHECK_AS("not-contains: Paris", "The capital is Paris.", "FAIL: expected not to contain 'Paris'");
    CHECK_AS("icontains: PARIS", "the capital is paris", "PASS: contains 'PARIS' (ignoring case)");
    CHECK_AS("icontains: ÉCOLE", "une école", "PASS: contains 'ÉCOLE' (ignoring case)");
    CHECK_AS("icontains: ΑΘΗΝΑ", "στην αθηνα", "PASS: contains 'ΑΘΗΝΑ' (ignoring case)");
    CHECK_AS("icontains: straße", "STRASSE", "FAIL: expected to contain 'straße' (ignoring case)");
    CHECK_AS("not-icontains: as an ai", "As An AI model", "FAIL: expected not to contain 'as an ai' (ignoring case)");
    /* a long value is cut in the reason */
    char *got = check("contains: 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234",
                      "x");
    CHECK(strstr(got, "...'") != NULL);
    free(got);
}

static void test_contains_lists(void)
{
    CHECK_AS("contains-any: monde,world", "Bonjour le monde", "PASS: contains one of 'monde', 'world'; found 'monde'");
    CHECK_AS("contains-any: Monde,World", "Bonjour le monde", "FAIL: expected to contain one of 'Monde', 'World'");
    CHECK_AS("not-contains-any: Monde,World", "Bonjour le monde", "PASS: contains none of 'Monde', 'World'");
    CHECK_AS("icontains-any: Monde,World", "Bonjour le monde",
             "PASS: contains one of 'Monde', 'World' (ignoring case); found 'Monde'");
    CHECK_AS("contains-all: a,b,c", "a b", "FAIL: expected to contain all of 'a', 'b', 'c'; missing 'c'");
    CHECK_AS("contains-all: a,b", "b a", "PASS: contains all of 'a', 'b'");
    CHECK_AS("not-contains-all: a,b,c", "a b", "PASS: does not contain all of 'a', 'b', 'c'; missing 'c'");
    CHECK_AS("icontains-all: A,\"b, C\"", "a ... B, c", "PASS: contains all of 'A', 'b, C' (ignoring case)");
    CHECK_AS("icontains-all: A,D", "a b", "FAIL: expected to contain all of 'A', 'D' (ignoring case); missing 'D'");
    CHECK_AS("not-icontains-all: A,B", "a b", "FAIL: expected not to contain all of 'A', 'B' (ignoring case)");
}

static void test_starts_with(void)
{
    CHECK_AS("starts-with: Sure", "Sure, here it is", "PASS: starts with 'Sure'");
    CHECK_AS("starts-with: Sure", " Sure", "FAIL: expected to start with 'Sure'; got ' Sure'");
    CHECK_AS("not-starts-with: Sorry", "Sure", "PASS: does not start with 'Sorry'; got 'Sure'");
}

static void test_regex(void)
{
    CHECK_AS("regex:\\d{4}", "in 1998 it", "PASS: matches /\\d{4}/");
    CHECK_AS("regex:^\\w+$", "Paris", "PASS: matches /^\\w+$/");
    CHECK_AS("regex:^\\w+$", "Paris\n", "FAIL: expected to match /^\\w+$/");        /* $ is the very end */
    CHECK_AS("regex:^\\w+$", "Zürich", "FAIL: expected to match /^\\w+$/");         /* \w is ASCII */
    CHECK_AS("regex:^.{6}$", "Zürich", "PASS: matches /^.{6}$/");                   /* . is a character */
    CHECK_AS("regex:a.b", "a\nb", "FAIL: expected to match /a.b/");                   /* . stops at line ends */
    CHECK_AS("regex:Paris(?= is)", "Paris is big", "PASS: matches /Paris(?= is)/"); /* lookahead */
    CHECK_AS("regex:(?<!not )sure", "not sure", "FAIL: expected to match /(?<!not )sure/");
    CHECK_AS("regex:\\u00e9t\\u00e9", "un été", "PASS: matches /\\u00e9t\\u00e9/");
    CHECK_AS("regex:(?<year>\\d+)-[^]", "2024-x", "PASS: matches /(?<year>\\d+)-[^]/");
    CHECK_AS("not-regex:(?i)sorry", "Sorry, I cannot", "FAIL: expected not to match /(?i)sorry/");
    CHECK_AS("not-regex:sorry", "fine", "PASS: does not match /sorry/");
    CHECK_AS("regex:(unclosed", "x", "ERROR: invalid regex /(unclosed/: missing closing parenthesis (at character 10)");
    CHECK_AS("not-regex:[", "x", "ERROR: invalid regex /[/: missing terminating ] for character class (at character 2)");
    CHECK_AS("regex:b", "\xff" "b\xfe", "PASS: matches /b/");   /* bytes that are not UTF-8 do not stop it */
}

static void test_levenshtein(void)
{
    CHECK_AS("levenshtein(2):Paris", "Pariss", "PASS: is within 2 edits of 'Paris'; distance 1");
    CHECK_AS("levenshtein(2):Paris", "London", "FAIL: expected to be within 2 edits of 'Paris'; distance 6");
    CHECK_AS("levenshtein:kitten", "sitting", "PASS: is within 5 edits of 'kitten'; distance 3");   /* default 5 */
    CHECK_AS("levenshtein(1):café", "cafe", "PASS: is within 1 edits of 'café'; distance 1");        /* code points */
    CHECK_AS("not-levenshtein(1):abc", "abc", "FAIL: expected not to be within 1 edits of 'abc'; distance 0");
    /* no value: the case's expected answer */
    pd_eval_answer a = {"Bonjour le monde!", NULL, -1, -1, -1, -1, NULL, NULL};
    char *got = check_with("levenshtein(4)", &a, "Bonjour le monde");
    CHECK_STR(got, "PASS: is within 4 edits of 'Bonjour le monde'; distance 1");
    free(got);
}

static void test_meta(void)
{
    CHECK_AS("latency(500)", "x", "PASS: took at most 500 ms; took 120 ms");
    CHECK_AS("latency(100)", "x", "FAIL: expected to take at most 100 ms; took 120 ms");
    CHECK_AS("not-latency(100)", "x", "PASS: took more than 100 ms; took 120 ms");
    CHECK_AS("latency", "x", "ERROR: latency needs a threshold");
    CHECK_AS("cost(0.001)", "x", "PASS: cost at most 0.001; cost 0.0004");
    CHECK_AS("cost(0.0001)", "x", "FAIL: expected to cost at most 0.0001; cost 0.0004");
    CHECK_AS("finish-reason:STOP", "x", "PASS: finished with 'STOP'; got 'stop'");
    CHECK_AS("finish-reason:length", "x", "FAIL: expected to finish with 'length'; got 'stop'");
    CHECK_AS("not-finish-reason:length", "x", "PASS: did not finish with 'length'; got 'stop'");
    pd_eval_answer unknown = {"x", NULL, -1, -1, -1, -1, NULL, NULL};
    char *got = check_with("latency(100)", &unknown, NULL);
    CHECK_STR(got, "ERROR: latency unknown (an answer from the cache has none: run without the cache)");
    free(got);
    got = check_with("not-cost(1)", &unknown, NULL);
    CHECK_STR(got, "ERROR: cost unknown (no price known for this model)");
    free(got);
    got = check_with("finish-reason:stop", &unknown, NULL);
    CHECK_STR(got, "ERROR: the provider gave no finish reason");
    free(got);
}

static pd_eval_assertion json_assertion(const char *type, const char *value_json)
{
    pd_eval_assertion as = {0};
    bool neg;
    CHECK(pd_eval_type_parse(type, &as.type, &neg));
    as.negate = neg;
    as.value = value_json ? json_loads(value_json, JSON_DECODE_ANY, NULL) : NULL;
    return as;
}

static char *check_answer(pd_eval_assertion *as, const pd_eval_answer *a)
{
    pd_eval_check r;
    pd_eval_check_one(as, NULL, a, NULL, NULL, NULL, 0, &r);
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s: %s", r.error ? "ERROR" : r.pass ? "PASS" : "FAIL", r.reason);
    pd_eval_check_clear(&r);
    pd_eval_assertion_clear(as);
    return pd_buf_take(&b);
}

#define CHECK_JSON(type, value, output, want)                                   \
    do {                                                                        \
        pd_eval_assertion as_ = json_assertion(type, value);                    \
        pd_eval_answer a_ = {output, NULL, -1, -1, -1, -1, NULL, NULL};      \
        char *got_ = check_answer(&as_, &a_);                                   \
        CHECK_STR(got_, want);                                                  \
        free(got_);                                                             \
    } while (0)

/* The same, for reasons that end with the schema validator's own words (api/schema's to choose):
 * the reason starts with want and contains also. */
#define CHECK_JSON_WHY(type, value, output, want, also)                         \
    do {                                                                        \
        pd_eval_assertion as_ = json_assertion(type, value);                    \
        pd_eval_answer a_ = {output, NULL, -1, -1, -1, -1, NULL, NULL};      \
        char *got_ = check_answer(&as_, &a_);                                   \
        CHECK(strncmp(got_, want, strlen(want)) == 0 && strlen(got_) > strlen(want)); \
        CHECK(strstr(got_ + strlen(want), also) != NULL);                       \
        if (strncmp(got_, want, strlen(want)) != 0)                             \
            printf("#     got: %s\n", got_);                                  \
        free(got_);                                                             \
    } while (0)

#define POINT "{\"type\": \"object\", \"required\": [\"lat\"], \"properties\": {\"lat\": {\"type\": \"number\", \"maximum\": 90}}}"

static void test_json(void)
{
    CHECK_AS("is-json", "{\"a\": 1}", "PASS: is valid JSON");
    CHECK_AS("is-json", " [1, 2] ", "PASS: is valid JSON");
    CHECK_AS("is-json", "Here: {\"a\": 1}", "FAIL: expected to be valid JSON; invalid token near 'Here' (line 1, column 4)");
    CHECK_AS("not-is-json", "plain text", "PASS: is not valid JSON; invalid token near 'plain' (line 1, column 5)");
    CHECK_JSON("is-json", POINT, "{\"lat\": 48.8}", "PASS: is valid JSON matching the schema");
    CHECK_JSON_WHY("is-json", POINT, "{\"lat\": 100}", "FAIL: expected to be valid JSON matching the schema; ", "90");
    CHECK_JSON_WHY("not-is-json", POINT, "{\"lon\": 2}", "PASS: is not valid JSON matching the schema; ", "lat");
    /* a schema written as YAML text, as CSV cells and promptfoo strings hold it */
    CHECK_JSON("is-json", "\"type: object\\nrequired: [lat]\"", "{\"lat\": 1}", "PASS: is valid JSON matching the schema");
    CHECK_JSON("is-json", "\"type: [unclosed\"", "{}", "ERROR: the JSON Schema does not parse: schema:2: did not find expected ',' or ']' while parsing a flow sequence");
    CHECK_JSON_WHY("is-json", "{\"type\": 5}", "{}", "ERROR: invalid JSON Schema: ", "type");

    CHECK_AS("contains-json", "Sure: ```json\n{\"a\": [1, 2]}\n``` done", "PASS: contains JSON");
    CHECK_AS("contains-json", "no braces { here", "FAIL: expected to contain JSON");
    CHECK_AS("not-contains-json", "plain", "PASS: does not contain JSON");
    CHECK_JSON("contains-json", POINT, "first {\"lat\": 100} then {\"lat\": 5}", "PASS: contains JSON matching the schema");
    CHECK_JSON_WHY("contains-json", POINT, "only {\"lat\": 100} and [1]",
                   "FAIL: expected to contain JSON matching the schema; 2 JSON values found, none matching: ", "90");
}

#define TOOLS "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\", " \
              "\"required\": [\"city\"], \"properties\": {\"city\": {\"type\": \"string\"}}}}}, " \
              "{\"name\": \"noop\", \"input_schema\": {\"type\": \"object\", \"additionalProperties\": false}}]"

/* calls: the calls as a run record keeps them (JSON text), or NULL */
static char *tool_check(const char *type, const char *value, const char *calls)
{
    json_t *tools = json_loads(TOOLS, 0, NULL), *c = calls ? json_loads(calls, 0, NULL) : NULL;
    CHECK(!calls || c);
    pd_eval_answer a = {"", "tool_calls", -1, -1, -1, -1, c, tools};
    pd_eval_assertion as = json_assertion(type, value);
    char *got = check_answer(&as, &a);
    json_decref(tools);
    json_decref(c);
    return got;
}

#define CHECK_TOOLS(type, value, calls, want)                    \
    do {                                                         \
        char *got_ = tool_check(type, value, calls);             \
        CHECK_STR(got_, want);                                   \
        free(got_);                                              \
    } while (0)

static void test_tool_calls(void)
{
    /* arguments as the JSON value, as text, or absent */
    const char *ok = "[{\"id\": \"c1\", \"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}, "
                     "{\"name\": \"noop\", \"arguments\": \"{}\"}, {\"name\": \"noop\"}]";
    const char *one = "[{\"name\": \"noop\"}]";
    CHECK_TOOLS("is-valid-openai-tools-call", NULL, ok, "PASS: makes valid tool calls");
    CHECK_TOOLS("is-valid-openai-tools-call", "\"get_weather\"", ok, "PASS: makes valid tool calls including 'get_weather'");
    CHECK_TOOLS("is-valid-openai-tools-call", "[\"noop\", \"get_weather\"]", one,
                "FAIL: expected to make valid tool calls including 'noop', 'get_weather'; no call to 'get_weather'");
    CHECK_TOOLS("is-valid-function-call", NULL, "[{\"name\": \"get_time\", \"arguments\": {}}]",
                "FAIL: expected to make valid tool calls; 'get_time' is not a tool the request offered");
    char *why = tool_check("is-valid-openai-tools-call", NULL,
                           "[{\"name\": \"get_weather\", \"arguments\": {\"town\": \"Paris\"}}]");
    const char *want = "FAIL: expected to make valid tool calls; the arguments of 'get_weather' do not fit its parameters: ";
    CHECK(strncmp(why, want, strlen(want)) == 0 && strstr(why + strlen(want), "city") != NULL);
    free(why);
    CHECK_TOOLS("is-valid-openai-tools-call", NULL, "[{\"name\": \"get_weather\", \"arguments\": \"{city: Paris\"}]",
                "FAIL: expected to make valid tool calls; the arguments of 'get_weather' are not JSON: string or '}' "
                "expected near 'city'");
    CHECK_TOOLS("is-valid-openai-tools-call", NULL, NULL, "FAIL: expected to make valid tool calls; the model called no tool");
    CHECK_TOOLS("not-is-valid-openai-tools-call", NULL, "[]",
                "PASS: does not make valid tool calls; the model called no tool");
    json_t *calls = json_loads(one, 0, NULL);
    pd_eval_answer none = {"", NULL, -1, -1, -1, -1, calls, NULL};
    pd_eval_assertion as = json_assertion("is-valid-openai-tools-call", NULL);
    char *got = check_answer(&as, &none);
    CHECK_STR(got, "ERROR: the request offered no tools to check the calls against");
    free(got);
    json_decref(calls);
}

/* A judge that answers from a table the test sets: what a runner does after its judge runs. */
typedef struct judge_table {
    const char *reply;      /* the judge's reply text, or NULL: the judge failed */
    int calls;
    size_t last_index;
} judge_table;

static int table_judge(void *ud, const pd_eval_case *c, size_t index, const pd_eval_answer *a, pd_eval_verdict *out,
                       pd_error *err)
{
    judge_table *t = ud;
    t->calls++;
    t->last_index = index;
    CHECK(c == NULL || c->asserts[index].type == PD_EVAL_LLM_RUBRIC);
    CHECK(a->output != NULL);
    if (!t->reply)
        return pd_error_set(err, PD_ERR_NETWORK, "judge unreachable");
    return pd_eval_verdict_parse(t->reply, out, err);
}

static void test_llm_rubric(void)
{
    pd_eval_case c;
    pd_eval_case_init(&c);
    pd_eval_assertion as;
    pd_error err = {0};
    CHECK_INT(pd_eval_assertion_from_string("contains: hola", &as, &err), 0);
    pd_eval_case_add_assertion(&c, &as);
    CHECK_INT(pd_eval_assertion_from_string("llm-rubric: Is a faithful translation", &as, &err), 0);
    pd_eval_case_add_assertion(&c, &as);
    CHECK(pd_eval_case_needs_judge(&c));
    pd_buf rb = PD_BUF_INIT;
    CHECK_STR(pd_eval_rubric(&c.asserts[1], NULL, &rb), "Is a faithful translation");
    CHECK(pd_eval_rubric(&c.asserts[0], NULL, &rb) == NULL);
    pd_buf_free(&rb);

    pd_eval_answer a = {"hola mundo", NULL, -1, -1, -1, -1, NULL, NULL};
    judge_table t = {"```json\n{\"reason\": \"accurate\", \"pass\": true, \"score\": 0.9}\n```", 0, 0};
    pd_eval_result r;
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK(r.pass);
    CHECK_INT(t.calls, 1);
    CHECK_INT(t.last_index, 1);
    CHECK_STR(r.checks[1].reason, "meets the rubric 'Is a faithful translation'; judge: accurate");
    CHECK(r.checks[1].score > 0.89 && r.checks[1].score < 0.91);
    CHECK(r.score > 0.94 && r.score < 0.96);
    pd_eval_result_clear(&r);

    t.reply = "{\"pass\": false, \"reason\": \"it is Italian\"}";
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK(!r.pass);
    CHECK_STR(r.reason, "expected to meet the rubric 'Is a faithful translation'; judge: it is Italian");
    pd_eval_result_clear(&r);

    /* a threshold on the judge's score */
    c.asserts[1].has_threshold = true;
    c.asserts[1].threshold = 0.95;
    t.reply = "{\"pass\": true, \"score\": 0.9}";
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK(!r.pass);
    CHECK_STR(r.checks[1].reason,
              "expected to meet the rubric 'Is a faithful translation'; score 0.90, at least 0.95 wanted");
    pd_eval_result_clear(&r);

    t.reply = NULL;
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK(!r.pass && r.n_errors == 1 && r.checks[1].error);
    CHECK_STR(r.checks[1].reason, "the judge failed: judge unreachable");
    pd_eval_result_clear(&r);
    t.reply = "I think it passes.";
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK_STR(r.checks[1].reason,
              "the judge failed: the judge's reply holds no {\"pass\": ..., \"reason\": ...} object");
    pd_eval_result_clear(&r);
    pd_eval_grade(&c, &a, NULL, NULL, &r);
    CHECK_STR(r.checks[1].reason, "llm-rubric needs a judge run, and none was given");
    pd_eval_result_clear(&r);

    /* not-llm-rubric inverts the verdict and its score */
    c.asserts[1].negate = true;
    c.asserts[1].has_threshold = false;
    t.reply = "{\"pass\": true, \"score\": 0.8, \"reason\": \"fine\"}";
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK(!r.checks[1].pass);
    CHECK(r.checks[1].score > 0.19 && r.checks[1].score < 0.21);
    CHECK_STR(r.checks[1].reason, "expected not to meet the rubric 'Is a faithful translation'; judge: fine");
    pd_eval_result_clear(&r);
    pd_eval_case_clear(&c);

    pd_eval_verdict v;
    CHECK_INT(pd_eval_verdict_parse("{\"score\": 0.4}", &v, &err), 0);
    CHECK(!v.pass && v.score == 0.4 && v.reason == NULL);
    CHECK_INT(pd_eval_verdict_parse("noise {\"x\": 1} then {\"pass\": true}", &v, &err), 0);
    CHECK(v.pass && v.score == 1);
    CHECK_INT(pd_eval_verdict_parse(NULL, &v, &err), -1);
    CHECK_INT(err.code, PD_ERR_PARSE);
}

/* A case from its assertion strings, graded against output. */
static void grade(const char *output, const char *const *asserts, const double *weights, double threshold,
                  pd_eval_result *r)
{
    pd_eval_case c;
    pd_eval_case_init(&c);
    pd_error err = {0};
    for (size_t i = 0; asserts[i]; i++) {
        pd_eval_assertion as;
        CHECK_INT(pd_eval_assertion_from_string(asserts[i], &as, &err), 0);
        if (weights) {
            as.has_weight = true;
            as.weight = weights[i];
        }
        pd_eval_case_add_assertion(&c, &as);
    }
    if (threshold >= 0) {
        c.has_threshold = true;
        c.threshold = threshold;
    }
    pd_eval_answer a = {output, NULL, -1, -1, -1, -1, NULL, NULL};
    pd_eval_grade(&c, &a, NULL, NULL, r);
    json_t *checks = pd_eval_result_checks_json(&c, r);
    CHECK_INT(json_array_size(checks), c.n_asserts);
    json_decref(checks);
    pd_eval_case_clear(&c);
}

static void test_weights_threshold(void)
{
    /* promptfoo's example: equals (weight 2) fails, contains (weight 1) passes: score 1/3 */
    static const char *const two[] = {"equals: Hello world", "contains: world", NULL};
    static const double w21[] = {2, 1};
    pd_eval_result r;
    grade("Goodbye world", two, w21, -1, &r);
    CHECK(!r.pass);
    CHECK(r.score > 0.333 && r.score < 0.334);
    CHECK_INT(r.n_failed, 1);
    CHECK_STR(r.reason, "expected to equal 'Hello world'; got 'Goodbye world'");
    pd_eval_result_clear(&r);
    grade("Goodbye world", two, w21, 0.5, &r);
    CHECK(!r.pass);
    CHECK_STR(r.reason, "score 0.33 < threshold 0.50");
    pd_eval_result_clear(&r);
    grade("Goodbye world", two, w21, 0.2, &r);
    CHECK(r.pass);
    CHECK_STR(r.reason, "score 0.33 >= threshold 0.20");
    pd_eval_result_clear(&r);
    grade("Goodbye world", two, w21, 0, &r);   /* threshold 0: collects scores, never fails */
    CHECK(r.pass);
    pd_eval_result_clear(&r);
    /* weight 0: graded and shown, counts for nothing */
    static const double w01[] = {0, 1};
    grade("Goodbye world", two, w01, -1, &r);
    CHECK(r.pass && r.score == 1 && r.n_failed == 0);
    CHECK(!r.checks[0].pass && !r.checks[0].counts && r.checks[1].counts);
    pd_eval_result_clear(&r);
    grade("Hello world", two, NULL, -1, &r);
    CHECK(r.pass && r.score == 1);
    CHECK_STR(r.reason, "all assertions passed");
    pd_eval_result_clear(&r);
    static const char *const none[] = {NULL};
    grade("anything", none, NULL, -1, &r);
    CHECK(r.pass && r.score == 1);
    CHECK_STR(r.reason, "no assertions");
    pd_eval_result_clear(&r);
    /* an error counts as a failure, and is counted */
    static const char *const err[] = {"regex:(", "contains: a", NULL};
    grade("a", err, NULL, -1, &r);
    CHECK(!r.pass && r.n_errors == 1 && r.n_failed == 1 && r.score == 0.5);
    pd_eval_result_clear(&r);
}

/* Values naming the case's variables are rendered with them first, as promptfoo does. */
static void test_values_with_variables(void)
{
    pd_eval_case c;
    pd_eval_case_init(&c);
    json_object_set_new(c.vars, "city", json_string("Paris"));
    json_object_set_new(c.vars, "other", json_string("Lyon"));
    static const char *const asserts[] = {"contains: {{city}}", "not-contains-any: {{ other }},Nice",
                                          "llm-rubric: Names {{city}} as the capital", "equals: {{city | upper}}", NULL};
    pd_error err = {0};
    for (size_t i = 0; asserts[i]; i++) {
        pd_eval_assertion as;
        CHECK_INT(pd_eval_assertion_from_string(asserts[i], &as, &err), 0);
        pd_eval_case_add_assertion(&c, &as);
    }
    pd_buf rb = PD_BUF_INIT;
    CHECK_STR(pd_eval_rubric(&c.asserts[2], c.vars, &rb), "Names Paris as the capital");
    pd_buf_free(&rb);
    judge_table t = {"{\"pass\": true}", 0, 0};
    pd_eval_answer a = {"The capital is Paris.", NULL, -1, -1, -1, -1, NULL, NULL};
    pd_eval_result r;
    pd_eval_grade(&c, &a, table_judge, &t, &r);
    CHECK_STR(r.checks[0].reason, "contains 'Paris'");
    CHECK_STR(r.checks[1].reason, "contains none of 'Lyon', 'Nice'");
    CHECK_STR(r.checks[2].reason, "meets the rubric 'Names Paris as the capital'");
    /* a Nunjucks filter is not Mustache: the tag stays as written */
    CHECK_STR(r.checks[3].reason, "expected to equal '{{city | upper}}'; got 'The capital is Paris.'");
    CHECK_STR(json_string_value(c.asserts[0].value), "{{city}}");   /* the case itself is unchanged */
    pd_eval_result_clear(&r);
    pd_eval_case_clear(&c);
}

static void test_answer_from_run(void)
{
    pd_run_record rec = {0};
    rec.output = "hi";
    rec.finish_reason = "stop";
    rec.total_ms = 812;
    rec.input_tokens = 12;
    rec.output_tokens = -1;
    rec.cost = -1;
    rec.settings.tools = json_array();
    pd_eval_answer a;
    pd_eval_answer_from_run(&a, &rec);
    CHECK_STR(a.output, "hi");
    CHECK_STR(a.finish_reason, "stop");
    CHECK(a.latency_ms == 812 && a.input_tokens == 12 && a.output_tokens == -1 && a.cost < 0);
    CHECK(a.tools == rec.settings.tools && a.tool_calls == NULL);
    rec.cost = 0.0021;
    rec.tool_calls = json_pack("[{s:s, s:{}}]", "name", "noop", "arguments");
    pd_eval_answer_from_run(&a, &rec);
    CHECK(a.cost == 0.0021 && a.tool_calls == rec.tool_calls);
    json_decref(rec.tool_calls);
    rec.tool_calls = NULL;
    rec.total_ms = 0;
    rec.output = NULL;
    pd_eval_answer_from_run(&a, &rec);
    CHECK(a.latency_ms < 0);
    CHECK_STR(a.output, "");
    json_decref(rec.settings.tools);
}

int main(void)
{
    RUN(test_equals);
    RUN(test_contains);
    RUN(test_contains_lists);
    RUN(test_starts_with);
    RUN(test_regex);
    RUN(test_levenshtein);
    RUN(test_meta);
    RUN(test_json);
    RUN(test_tool_calls);
    RUN(test_llm_rubric);
    RUN(test_weights_threshold);
    RUN(test_values_with_variables);
    RUN(test_answer_from_run);
    T_DONE();
}
