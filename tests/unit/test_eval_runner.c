/* test_eval_runner.c: the evaluation runner without a network: SHA-256 against FIPS 180-4's
 * vectors, the response cache (keys, files mode 600, round trip), a whole evaluation answered
 * from the cache (cells, grading, the report's shape and sums, no request sent), and comparing
 * two evaluations (regressions, fixes, cells matched by column or by position). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eval/eval.h"
#include "net/net.h"
#include "run/run.h"
#include "t.h"

static char tmp_root[64];

static void test_sha256_vectors(void)
{
    char out[65];
    pd_eval_sha256_hex("", 0, out);
    CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    pd_eval_sha256_hex("abc", 3, out);
    CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";   /* 56 bytes: two blocks of padding */
    pd_eval_sha256_hex(two, strlen(two), out);
    CHECK_STR(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    pd_eval_sha256_hex(million, 1000000, out);
    CHECK_STR(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

static void test_cache_key(void)
{
    char a[65], b[65], c[65], d[65];
    pd_eval_cache_key("http://x/v1/chat/completions", "m", "{\"a\":1}", a);
    pd_eval_cache_key("http://x/v1/chat/completions", "m", "{\"a\":1}", b);
    pd_eval_cache_key("http://x/v1/chat/completions", "m", "{\"a\":2}", c);
    pd_eval_cache_key("http://x/v1/chat/completionsm", "", "{\"a\":1}", d);   /* same bytes joined */
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK(strcmp(a, d) != 0);
    CHECK_INT(strlen(a), 64);
}

static void test_cache_round_trip(void)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/cache", tmp_root);
    pd_run_record rec = {0};
    rec.settings.model = "m";
    rec.output = "Paris";
    rec.finish_reason = "stop";
    rec.input_tokens = 3;
    rec.output_tokens = 1;
    rec.cost = -1;
    rec.total_ms = 12.5;
    rec.started_at = "2026-01-01T00:00:00Z";
    pd_error err = {0};
    char key[65];
    pd_eval_cache_key("u", "m", "b", key);
    CHECK(pd_eval_cache_get(dir, key) == NULL);
    CHECK_INT(pd_eval_cache_put(dir, key, &rec, &err), 0);
    json_t *j = pd_eval_cache_get(dir, key);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "output")), "Paris");
    CHECK_STR(json_string_value(json_object_get(j, "finish_reason")), "stop");
    CHECK_INT(json_integer_value(json_object_get(j, "output_tokens")), 1);
    CHECK(json_is_null(json_object_get(j, "cost")));
    json_decref(j);
    char path[256];
    snprintf(path, sizeof path, "%s/%.2s/%s.json", dir, key, key);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
}

/* A version: one user message, openai, model "m". */
static pd_version *make_version(int number, const char *text)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->number = number;
    v->n_messages = 1;
    v->messages = pd_xcalloc(1, sizeof *v->messages);
    v->messages[0].role = pd_strdup("user");
    v->messages[0].content = pd_strdup(text);
    v->settings.provider = pd_strdup("openai");
    v->settings.model = pd_strdup("m");
    return v;
}

/* Puts the answer the request for (v, vars) would get into the cache. */
static void prime(const char *dir, const pd_version *v, json_t *vars, const char *answer)
{
    static const pd_settings none;
    pd_run_options o = {.version = v, .variables = vars, .overrides = &none, .base_url = "http://127.0.0.1:9/v1"};
    pd_provider_request req;
    pd_error err = {0};
    CHECK_INT(pd_run_dry(&o, &req, &err), 0);
    char key[65];
    pd_eval_cache_key(req.url, v->settings.model, req.body, key);
    pd_provider_request_clear(&req);
    pd_run_record rec = {0};
    rec.settings.model = "m";
    rec.output = (char *)answer;
    rec.finish_reason = "stop";
    rec.input_tokens = 10;
    rec.output_tokens = 2;
    rec.cost = 0.5;
    rec.total_ms = 100;
    CHECK_INT(pd_eval_cache_put(dir, key, &rec, &err), 0);
}

static void add_case(pd_eval_suite *s, const char *desc, const char *country, const char *contains)
{
    pd_eval_case c;
    pd_eval_case_init(&c);
    c.description = desc ? pd_strdup(desc) : NULL;
    json_object_set_new(c.vars, "country", json_string(country));
    pd_eval_assertion a = {0};
    bool neg;
    CHECK(pd_eval_type_parse("contains", &a.type, &neg));
    a.value = json_string(contains);
    pd_eval_case_add_assertion(&c, &a);
    pd_eval_suite_add(s, &c);
}

static void count_result(void *ud, size_t index, json_t *result)
{
    (void)index;
    (void)result;
    (*(int *)ud)++;
}

static void test_runner_from_cache(void)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/runner-cache", tmp_root);
    pd_version *v1 = make_version(1, "Capital of {{country}}?"), *v2 = make_version(2, "The capital of {{country}}");
    pd_eval_suite suite = {0};
    add_case(&suite, "france", "France", "Paris");
    add_case(&suite, NULL, "Spain", "Madrid");
    json_t *fr = json_pack("{s:s}", "country", "France"), *es = json_pack("{s:s}", "country", "Spain");
    prime(dir, v1, fr, "Paris.");
    prime(dir, v1, es, "Barcelona?");
    prime(dir, v2, fr, "It is Paris.");
    prime(dir, v2, es, "Madrid.");
    pd_eval_column cols[2] = {{.version = v1}, {.version = v2}};
    pd_http *http = NULL;
    pd_error err = {0};
    CHECK_INT(pd_http_new(&http, &err), 0);
    int seen = 0;
    pd_eval_run_options o = {.slug = "s", .suite = &suite, .columns = cols, .n_columns = 2, .cache_dir = dir,
                             .base_url = "http://127.0.0.1:9/v1", .on_result = count_result, .ud = &seen};
    pd_eval_runner *r = NULL;
    CHECK_INT(pd_eval_runner_start(http, &o, &r, &err), 0);
    CHECK(pd_eval_runner_done(r));   /* every answer was in the cache: done at once */
    size_t done, total, sent;
    pd_eval_runner_progress(r, &done, &total, &sent);
    CHECK_INT(done, 4);
    CHECK_INT(total, 4);
    CHECK_INT(sent, 0);
    CHECK_INT(seen, 4);
    json_t *doc = pd_eval_runner_report(r);
    json_t *sum = json_object_get(doc, "summary");
    CHECK_INT(json_integer_value(json_object_get(sum, "passed")), 3);
    CHECK_INT(json_integer_value(json_object_get(sum, "failed")), 1);
    CHECK_INT(json_integer_value(json_object_get(sum, "errors")), 0);
    json_t *res = json_object_get(doc, "results");
    CHECK_INT(json_array_size(res), 4);
    json_t *third = json_array_get(res, 2);   /* case 2 (no description) on version 1 */
    CHECK_STR(json_string_value(json_object_get(third, "case")), "#2");
    CHECK_INT(json_integer_value(json_object_get(third, "version")), 1);
    CHECK(json_is_false(json_object_get(third, "pass")));
    CHECK(json_is_true(json_object_get(third, "cached")));
    CHECK_STR(json_string_value(json_object_get(third, "output")), "Barcelona?");
    CHECK_INT(json_integer_value(json_object_get(third, "tokens")), 12);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(third, "assertions"), 0), "type")),
              "contains");
    json_t *col2 = json_array_get(json_object_get(doc, "columns"), 1);
    CHECK_INT(json_integer_value(json_object_get(col2, "passed")), 2);
    CHECK_INT(json_integer_value(json_object_get(col2, "tokens")), 24);
    CHECK(json_number_value(json_object_get(col2, "cost")) > 0.99 && json_number_value(json_object_get(col2, "cost")) < 1.01);
    CHECK(json_number_value(json_object_get(col2, "latency_ms")) > 99.0);
    json_decref(doc);
    pd_eval_runner_free(r);

    /* without the cache, a server that is down: every cell is an error, none passes */
    o.no_cache = true;
    o.on_result = NULL;
    o.concurrency = 1;
    CHECK_INT(pd_eval_runner_start(http, &o, &r, &err), 0);
    while (!pd_eval_runner_done(r))
        pd_http_wait(http, &err);
    doc = pd_eval_runner_report(r);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(doc, "summary"), "errors")), 4);
    CHECK(json_is_string(json_object_get(json_array_get(json_object_get(doc, "results"), 0), "error")));
    json_decref(doc);
    pd_eval_runner_free(r);

    pd_http_free(http);
    json_decref(fr);
    json_decref(es);
    pd_eval_suite_clear(&suite);
    pd_version_free(v1);
    pd_version_free(v2);
}

static json_t *result(const char *c, int version, bool pass)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:b, s:s}", "case", c, "version", version, "provider", "openai",
                     "model", "m", "column", 0, "repeat", 0, "pass", pass, "reason", pass ? "ok" : "bad");
}

static json_t *evaluation(int version, bool a, bool b, bool with_c)
{
    json_t *results = json_pack("[o, o]", result("a", version, a), result("b", version, b));
    if (with_c)
        json_array_append_new(results, result("c", version, true));
    return json_pack("{s:s, s:[{s:i, s:s, s:s}], s:o}", "id", "x", "columns", "version", version, "provider", "openai",
                     "model", "m", "results", results);
}

static void test_compare(void)
{
    json_t *a = evaluation(2, true, false, true), *b = evaluation(2, false, true, false);
    json_t *d = pd_eval_compare(a, b);
    CHECK_INT(json_array_size(json_object_get(d, "regressions")), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(d, "regressions"), 0), "case")), "a");
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(d, "regressions"), 0), "reason")), "bad");
    CHECK_INT(json_array_size(json_object_get(d, "fixes")), 1);
    CHECK_INT(json_array_size(json_object_get(d, "removed")), 1);
    CHECK_INT(json_array_size(json_object_get(d, "added")), 0);
    json_decref(d);
    /* version 2 against version 3: no column in common, matched by position */
    json_t *c = evaluation(3, true, false, true);
    d = pd_eval_compare(a, c);
    CHECK_INT(json_array_size(json_object_get(d, "regressions")), 0);
    CHECK_INT(json_array_size(json_object_get(d, "added")), 0);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(d, "unchanged"), "failed")), 1);
    json_decref(d);
    json_t *c2 = evaluation(3, false, true, true);
    d = pd_eval_compare(a, c2);
    json_t *reg = json_array_get(json_object_get(d, "regressions"), 0);
    CHECK_INT(json_integer_value(json_object_get(reg, "before_version")), 2);
    CHECK_INT(json_integer_value(json_object_get(reg, "version")), 3);
    json_decref(d);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(c2);
}

int main(void)
{
    if (!t_tmpdir(tmp_root, sizeof tmp_root, "eval-runner"))
        return 1;
    RUN(test_sha256_vectors);
    RUN(test_cache_key);
    RUN(test_cache_round_trip);
    RUN(test_runner_from_cache);
    RUN(test_compare);
    t_rmtree(tmp_root);
    T_DONE();
}
