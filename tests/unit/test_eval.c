/* test_eval.c: test cases beside a prompt: the tests.json codec and file (round trip, stable
 * order, atomic save, damaged files named by file:line, a git conflict read as both sides,
 * concurrent appenders under the library's lock), promptfoo's assertion strings, and
 * importing promptfoo's YAML configs, test lists and CSV files (fixtures in tests/eval/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eval/eval.h"
#include "t.h"

static char tmp_root[64];

static char *fixture(const char *name)
{
    const char *top = getenv("PD_TOP");
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/tests/eval/%s", top && *top ? top : ".", name);
    return pd_buf_take(&b);
}

static pd_eval_assertion assertion(const char *type, json_t *value)
{
    pd_eval_assertion a = {0};
    bool neg;
    CHECK(pd_eval_type_parse(type, &a.type, &neg));
    a.negate = neg;
    a.value = value;
    return a;
}

static void sample_case(pd_eval_case *c)
{
    pd_eval_case_init(c);
    c->description = strdup("capital of France");
    json_object_set_new(c->vars, "country", json_string("France"));
    json_object_set_new(c->vars, "history", json_pack("[{s:s, s:s}]", "role", "user", "content", "hi"));
    pd_eval_assertion a = assertion("icontains", json_string("paris"));
    pd_eval_case_add_assertion(c, &a);
    a = assertion("not-contains", json_string("London"));
    a.has_weight = true;
    a.weight = 2;
    a.extra = json_pack("{s:s}", "provider", "openai:gpt-4o");
    pd_eval_case_add_assertion(c, &a);
    a = assertion("levenshtein", NULL);
    a.has_threshold = true;
    a.threshold = 10;
    pd_eval_case_add_assertion(c, &a);
    c->has_threshold = true;
    c->threshold = 0.5;
    c->expected = strdup("Paris is the capital of France.");
}

static void test_type_names(void)
{
    pd_eval_type t;
    bool neg;
    CHECK(pd_eval_type_parse("not-icontains-any", &t, &neg));
    CHECK_INT(t, PD_EVAL_ICONTAINS_ANY);
    CHECK(neg);
    CHECK(pd_eval_type_parse("is-valid-openai-function-call", &t, &neg) && t == PD_EVAL_TOOLS_CALL && !neg);
    CHECK(!pd_eval_type_parse("javascript", &t, &neg));
    CHECK(!pd_eval_type_parse("not-", &t, &neg));
    for (int i = 0; i < PD_EVAL_N_TYPES; i++) {
        CHECK(pd_eval_type_parse(pd_eval_type_name((pd_eval_type)i), &t, &neg) && t == (pd_eval_type)i);
        CHECK(strstr(pd_eval_type_list(), pd_eval_type_name((pd_eval_type)i)) != NULL);
    }
    pd_eval_assertion a = assertion("not-regex", NULL);
    char buf[48];
    CHECK_STR(pd_eval_assertion_type(&a, buf, sizeof buf), "not-regex");
}

static void test_round_trip_file(void)
{
    pd_eval_suite s = {0};
    pd_eval_case c;
    sample_case(&c);
    CHECK_INT(pd_eval_suite_add(&s, &c), 0);
    CHECK(c.vars == NULL && c.asserts == NULL);   /* taken */
    pd_eval_case_init(&c);
    c.description = strdup("second");
    CHECK_INT(pd_eval_suite_add(&s, &c), 1);

    char *path = pd_eval_tests_path(tmp_root, "team/geo");
    pd_buf want = PD_BUF_INIT;
    pd_buf_printf(&want, "%s/prompts/team/geo/tests.json", tmp_root);
    CHECK_STR(path, want.data);
    CHECK(pd_eval_tests_path(tmp_root, "../escape") == NULL);
    pd_error err = {0};
    CHECK_INT(pd_eval_suite_save(path, &s, &err), 0);

    char *text = NULL;
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        text = calloc(1, 8192);
        size_t n = fread(text, 1, 8191, f);
        text[n] = '\0';
        fclose(f);
    }
    /* stable key order, one case per block, whole numbers written as integers */
    const char *expect =
        "{\n"
        "  \"format\": \"promptdeck-tests\",\n"
        "  \"format_version\": 1,\n"
        "  \"cases\": [\n"
        "    {\n"
        "      \"description\": \"capital of France\",\n"
        "      \"vars\": {\n"
        "        \"country\": \"France\",\n"
        "        \"history\": [\n"
        "          {\n"
        "            \"role\": \"user\",\n"
        "            \"content\": \"hi\"\n"
        "          }\n"
        "        ]\n"
        "      },\n"
        "      \"assert\": [\n"
        "        {\n"
        "          \"type\": \"icontains\",\n"
        "          \"value\": \"paris\"\n"
        "        },\n"
        "        {\n"
        "          \"type\": \"not-contains\",\n"
        "          \"value\": \"London\",\n"
        "          \"weight\": 2,\n"
        "          \"provider\": \"openai:gpt-4o\"\n"
        "        },\n"
        "        {\n"
        "          \"type\": \"levenshtein\",\n"
        "          \"threshold\": 10\n"
        "        }\n"
        "      ],\n"
        "      \"threshold\": 0.5,\n"
        "      \"expected\": \"Paris is the capital of France.\"\n"
        "    },\n"
        "    {\n"
        "      \"description\": \"second\",\n"
        "      \"vars\": {},\n"
        "      \"assert\": []\n"
        "    }\n"
        "  ]\n"
        "}\n";
    CHECK_STR(text, expect);

    pd_eval_suite back;
    CHECK_INT(pd_eval_suite_load(path, &back, &err), 0);
    CHECK_INT(back.n, 2);
    if (back.n == 2) {
        pd_eval_case *b = &back.cases[0];
        CHECK_STR(b->description, "capital of France");
        CHECK_INT(b->n_asserts, 3);
        CHECK(b->asserts[1].negate && b->asserts[1].type == PD_EVAL_CONTAINS);
        CHECK(b->asserts[1].has_weight && b->asserts[1].weight == 2);
        CHECK_STR(json_string_value(json_object_get(b->asserts[1].extra, "provider")), "openai:gpt-4o");
        CHECK(b->asserts[2].value == NULL && b->asserts[2].threshold == 10);
        CHECK(b->has_threshold && b->threshold == 0.5);
        CHECK(json_equal(b->vars, s.cases[0].vars));
        CHECK_STR(b->expected, "Paris is the capital of France.");
    }
    /* add a case to the file (under the library's lock) */
    pd_store *store = NULL;
    CHECK_INT(pd_store_open(tmp_root, true, false, &store, &err), 0);
    pd_eval_suite one = {0};
    pd_eval_case more;
    pd_eval_case_init(&more);
    more.description = strdup("third");
    pd_eval_suite_add(&one, &more);
    size_t index = 99;
    CHECK_INT(pd_eval_suite_append_file(store, "team/geo", &one, &index, &err), 0);
    CHECK_INT(index, 2);
    CHECK_INT(one.n, 0);   /* taken */
    pd_store_close(store);
    pd_eval_suite again;
    CHECK_INT(pd_eval_suite_load(path, &again, &err), 0);
    CHECK_INT(again.n, 3);
    CHECK(again.n == 3 && strcmp(again.cases[2].description, "third") == 0);
    pd_eval_suite_remove(&again, 0);
    CHECK(again.n == 2 && strcmp(again.cases[0].description, "second") == 0);

    /* a missing file is an empty suite */
    pd_eval_suite none;
    char *missing = pd_eval_tests_path(tmp_root, "nothing/here");
    CHECK_INT(pd_eval_suite_load(missing, &none, &err), 0);
    CHECK_INT(none.n, 0);

    free(missing);
    pd_eval_suite_clear(&again);
    pd_eval_suite_clear(&back);
    pd_eval_suite_clear(&s);
    free(text);
    free(path);
    pd_buf_free(&want);
}

/* A case as tests.json writes it, for hand-made files. */
#define CASE_TEXT(d) "    {\n      \"description\": \"" d "\",\n      \"vars\": {},\n      \"assert\": []\n    }"
#define TESTS_HEAD "{\n  \"format\": \"promptdeck-tests\",\n  \"format_version\": 1,\n  \"cases\": [\n"

/* Two clones each added a case: git leaves the one array with conflict markers (here in diff3
 * style, with the base section). Read as both sides' cases; settled, the file is plain again. */
static void test_conflicted_file(void)
{
    char *path = pd_eval_tests_path(tmp_root, "merged");
    const char *text = TESTS_HEAD CASE_TEXT("shared") ",\n"
                       "<<<<<<< HEAD\n" CASE_TEXT("ours") ",\n" CASE_TEXT("both added it") "\n"
                       "||||||| base\n" CASE_TEXT("old") "\n"
                       "=======\n" CASE_TEXT("both added it") ",\n" CASE_TEXT("theirs") "\n"
                       ">>>>>>> 1234567 (their commit)\n"
                       "  ]\n}\n";
    pd_error err = {0};
    CHECK_INT(pd_mkdirs(tmp_root, 0755, &err), 0);
    pd_buf dir = PD_BUF_INIT;
    pd_buf_printf(&dir, "%s/prompts/merged", tmp_root);
    CHECK_INT(pd_mkdirs(dir.data, 0755, &err), 0);
    CHECK_INT(pd_write_file_atomic(path, text, strlen(text), 0644, &err), 0);
    pd_eval_suite s;
    CHECK_INT(pd_eval_suite_load(path, &s, &err), 0);
    CHECK(s.conflicted);
    const char *want[] = {"shared", "ours", "both added it", "theirs"};
    CHECK_INT(s.n, 4);
    for (size_t i = 0; i < s.n && i < 4; i++)
        CHECK_STR(s.cases[i].description, want[i]);
    pd_eval_suite_clear(&s);
    CHECK(!s.conflicted);

    CHECK_INT(pd_eval_tests_settle(NULL, path, &err), 1);
    char *data = NULL;
    size_t len = 0;
    CHECK_INT(pd_read_file(path, &data, &len, &err), 0);
    CHECK(data && !strstr(data, "<<<<<<<") && !strstr(data, ">>>>>>>"));
    free(data);
    CHECK_INT(pd_eval_suite_load(path, &s, &err), 0);
    CHECK(!s.conflicted);
    CHECK_INT(s.n, 4);
    pd_eval_suite_clear(&s);
    CHECK_INT(pd_eval_tests_settle(NULL, path, &err), 0);   /* nothing left to settle */

    /* a side that does not read is named, and nothing is written */
    const char *bad = TESTS_HEAD "<<<<<<< HEAD\n" CASE_TEXT("ours") "\n=======\n    {\"description\": 5}\n"
                      ">>>>>>> theirs\n  ]\n}\n";
    CHECK_INT(pd_write_file_atomic(path, bad, strlen(bad), 0644, &err), 0);
    CHECK(pd_eval_suite_load(path, &s, &err) != 0);
    CHECK(strstr(err.msg, "their side of a git conflict") != NULL);
    CHECK_INT(pd_eval_tests_settle(NULL, path, &err), -1);
    CHECK_INT(pd_read_file(path, &data, &len, &err), 0);
    CHECK_STR(data, bad);
    free(data);
    pd_buf_free(&dir);
    free(path);
}

/* Processes adding cases to one prompt at once (the app's "keep as case", eval import): the
 * library's lock keeps every one. */
static void test_concurrent_appenders(void)
{
    enum { WRITERS = 4, EACH = 25 };
    pd_error err = {0};
    for (int w = 0; w < WRITERS; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            pd_store *store = NULL;
            if (pd_store_open(tmp_root, true, false, &store, NULL) != 0)
                _exit(2);
            for (int k = 0; k < EACH; k++) {
                pd_eval_suite one = {0};
                pd_eval_case c;
                pd_eval_case_init(&c);
                char d[32];
                snprintf(d, sizeof d, "writer %d case %d", w, k);
                c.description = strdup(d);
                pd_eval_suite_add(&one, &c);
                if (pd_eval_suite_append_file(store, "busy", &one, NULL, NULL) != 0)
                    _exit(3);
            }
            pd_store_close(store);
            _exit(0);
        }
    }
    int failed = 0, st;
    while (wait(&st) > 0)
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    CHECK_INT(failed, 0);
    char *path = pd_eval_tests_path(tmp_root, "busy");
    pd_eval_suite s;
    CHECK_INT(pd_eval_suite_load(path, &s, &err), 0);
    CHECK_INT(s.n, WRITERS * EACH);
    pd_eval_suite_clear(&s);
    free(path);
}

static int load_tests(const char *path, pd_eval_suite *out, pd_error *err)
{
    return pd_eval_suite_load(path, out, err);
}

static int import_tests(const char *path, pd_eval_suite *out, pd_error *err)
{
    return pd_eval_import_file(path, out, NULL, err);
}

/* Reading the fixture name fails with "PATH:message", leaving nothing read. */
static void expect_damaged(int (*reader)(const char *, pd_eval_suite *, pd_error *), const char *name,
                           const char *message)
{
    char *path = fixture(name);
    pd_eval_suite s = {0};
    pd_error err = {0};
    CHECK_INT(reader(path, &s, &err), -1);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    pd_buf want = PD_BUF_INIT;
    pd_buf_printf(&want, "%s:%s", path, message);
    CHECK_STR(err.msg, want.data);
    CHECK_INT(s.n, 0);
    pd_buf_free(&want);
    free(path);
}

static void test_damaged_files(void)
{
    expect_damaged(load_tests, "damaged_type.json", "17: cases[1].assert[1].type: expected a string, found an integer");
    expect_damaged(load_tests, "damaged_value.json", "10: cases[0].assert[0].value: contains-all needs a list of strings");
    expect_damaged(load_tests, "damaged_syntax.json", "5: string or '}' expected near ','");

    /* a case decoded from memory: no line, still the field */
    json_t *j = json_pack("{s:[{s:s}]}", "assert", "type", "javascript");
    pd_json_src src = {"mem.json", NULL, 0};
    pd_eval_case c;
    pd_error err = {0};
    CHECK_INT(pd_eval_case_decode(j, &src, "cases[4]", &c, &err), -1);
    CHECK(strncmp(err.msg, "mem.json: cases[4].assert[0].type: assertion type \"javascript\" is not known here",
                  strlen("mem.json: cases[4].assert[0].type: assertion type \"javascript\" is not known here")) == 0);
    json_decref(j);
    j = json_pack("{s:s, s:i}", "format", "promptdeck-tests", "format_version", 9);
    pd_eval_suite s;
    CHECK_INT(pd_eval_suite_decode(j, NULL, &s, &err), -1);
    CHECK(strstr(err.msg, "format_version: written by a newer promptdeck") != NULL);
    json_decref(j);
}

static void test_case_from_run(void)
{
    pd_run_record r = {0};
    r.variables = json_pack("{s:s}", "topic", "tides");
    r.output = "High tide at noon.";
    pd_eval_case c;
    pd_eval_case_from_run(&r, &c);
    CHECK_STR(c.expected, "High tide at noon.");
    CHECK_STR(json_string_value(json_object_get(c.vars, "topic")), "tides");
    CHECK(c.vars != r.variables);
    CHECK_INT(c.n_asserts, 0);
    char name[32];
    CHECK_STR(pd_eval_case_name(&c, 4, name, sizeof name), "#5");
    c.description = strdup("tides");
    CHECK_STR(pd_eval_case_name(&c, 4, name, sizeof name), "tides");
    pd_eval_case copy;
    pd_eval_case_copy(&copy, &c);
    CHECK(json_equal(copy.vars, c.vars) && copy.vars != c.vars);
    pd_eval_case_clear(&copy);
    pd_eval_case_clear(&c);
    json_decref(r.variables);
}

/* pd_eval_assertion_from_string's result as "type|value-json|threshold" (or "ERR:code:msg"). */
static char *from_string(const char *s)
{
    pd_eval_assertion a;
    pd_error err = {0};
    pd_buf b = PD_BUF_INIT;
    if (pd_eval_assertion_from_string(s, &a, &err) != 0) {
        pd_buf_printf(&b, "ERR:%s:%s", pd_code_name(err.code), err.msg);
        return pd_buf_take(&b);
    }
    char type[48];
    char *v = a.value ? json_dumps(a.value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    pd_buf_printf(&b, "%s|%s", pd_eval_assertion_type(&a, type, sizeof type), v ? v : "-");
    if (a.has_threshold)
        pd_buf_printf(&b, "|%g", a.threshold);
    free(v);
    pd_eval_assertion_clear(&a);
    return pd_buf_take(&b);
}

#define CHECK_FROM(in, out)                  \
    do {                                     \
        char *got_ = from_string(in);        \
        CHECK_STR(got_, out);                \
        free(got_);                          \
    } while (0)

static void test_assertion_strings(void)
{
    CHECK_FROM("Paris", "equals|\"Paris\"");
    CHECK_FROM("  Paris \n", "equals|\"Paris\"");
    CHECK_FROM("contains: Paris", "contains|\"Paris\"");
    CHECK_FROM("contains:Paris", "contains|\"Paris\"");
    CHECK_FROM("icontains: paris ", "icontains|\"paris\"");
    CHECK_FROM("not-contains:London", "not-contains|\"London\"");
    CHECK_FROM("equals: 30", "equals|\"30\"");
    CHECK_FROM("contains-any: <b>,</span>", "contains-any|[\"<b>\",\"</span>\"]");
    CHECK_FROM("contains-any: <b> </span>", "contains-any|[\"<b> </span>\"]");
    CHECK_FROM("icontains-any: alpha, , beta,, ", "icontains-any|[\"alpha\",\"beta\"]");
    CHECK_FROM("contains-all:\"say \\\"hello, world\\\"\",\"a \"\"quoted\"\" value\", plain",
               "contains-all|[\"say \\\"hello, world\\\"\",\"a \\\"quoted\\\" value\",\"plain\"]");
    CHECK_FROM("not-icontains-all:\"hello, world\",foo", "not-icontains-all|[\"hello, world\",\"foo\"]");
    CHECK_FROM("contains-all:\"unterminated", "ERR:PARSE:contains-all has a quoted value that is never closed");
    CHECK_FROM("contains-all:\"hello\"world", "ERR:PARSE:contains-all needs a comma after a quoted value");
    CHECK_FROM("levenshtein(5):Expected output", "levenshtein|\"Expected output\"|5");
    CHECK_FROM("levenshtein:Expected output", "levenshtein|\"Expected output\"");
    CHECK_FROM("latency(1000)", "latency|-|1000");
    CHECK_FROM("cost(0.001)", "cost|-|0.001");
    CHECK_FROM("starts-with:The answer", "starts-with|\"The answer\"");
    CHECK_FROM("regex:^\\d+$", "regex|\"^\\\\d+$\"");
    CHECK_FROM("is-json", "is-json|-");
    CHECK_FROM("is-json:\n  type: object", "is-json|\"\\n  type: object\"");
    CHECK_FROM("contains-json", "contains-json|-");
    CHECK_FROM("grade:Is friendly ", "llm-rubric|\"Is friendly\"");
    CHECK_FROM("llm-rubric: Provides weather information", "llm-rubric|\"Provides weather information\"");
    CHECK_FROM("finish-reason:stop", "finish-reason|\"stop\"");
    CHECK_FROM("is-valid-openai-tools-call", "is-valid-openai-tools-call|-");
    CHECK_FROM("javascript: output.length < 10", "ERR:INVALID_REQUEST:\"javascript\" assertions cannot run in promptdeck");
    CHECK_FROM("fn:output === 'x'", "ERR:INVALID_REQUEST:\"javascript\" assertions cannot run in promptdeck");
    CHECK_FROM("python:len(output) > 1", "ERR:INVALID_REQUEST:\"python\" assertions cannot run in promptdeck");
    CHECK_FROM("similar(0.8):Hello there", "ERR:INVALID_REQUEST:\"similar\" assertions cannot run in promptdeck");
    CHECK_FROM("not-rouge-n(0.2):foo", "ERR:INVALID_REQUEST:\"not-rouge-n\" assertions cannot run in promptdeck");
    CHECK_FROM("contains:", "ERR:PARSE:contains needs a value that is not empty");
    /* text that only looks like a type stays an equals */
    CHECK_FROM("Note: be brief", "equals|\"Note: be brief\"");
    CHECK_FROM("containsX: y", "equals|\"containsX: y\"");
    CHECK_FROM("contains(abc):x", "equals|\"contains(abc):x\"");
}

static pd_eval_case *case_named(pd_eval_suite *s, const char *description)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->cases[i].description && strcmp(s->cases[i].description, description) == 0)
            return &s->cases[i];
    return NULL;
}

static const char *var(const pd_eval_case *c, const char *name)
{
    return json_string_value(json_object_get(c->vars, name));
}

static void test_import_promptfoo_config(void)
{
    char *path = fixture("promptfooconfig.yaml");
    pd_eval_suite s = {0};
    pd_buf warnings = PD_BUF_INIT;
    pd_error err = {0};
    CHECK_INT(pd_eval_import_file(path, &s, &warnings, &err), 0);
    if (err.code)
        printf("# %s\n", err.msg);
    CHECK_INT(s.n, 5);   /* 3 inline, 2 from the CSV file */

    pd_eval_case *c = case_named(&s, "French greeting");
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(var(c, "language"), "French");
        CHECK_STR(var(c, "tone"), "neutral");          /* from defaultTest */
        CHECK_INT(c->n_asserts, 5);                     /* defaultTest's two first */
        CHECK(c->n_asserts == 5 && c->asserts[0].type == PD_EVAL_LATENCY && c->asserts[0].threshold == 5000);
        CHECK(c->n_asserts == 5 && c->asserts[1].negate && c->asserts[1].type == PD_EVAL_ICONTAINS);
        CHECK(c->n_asserts == 5 && c->asserts[3].type == PD_EVAL_CONTAINS_ANY &&
              json_array_size(c->asserts[3].value) == 2);
        CHECK(c->n_asserts == 5 && c->asserts[4].type == PD_EVAL_LEVENSHTEIN && c->asserts[4].threshold == 4);
        CHECK(!c->has_threshold);
    }
    c = case_named(&s, "Capital of France, weighted");
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(var(c, "tone"), "curt");             /* the case's own wins */
        CHECK_STR(var(c, "text"), "What is the capital of France?\nAnswer in one word.\n");
        CHECK(c->has_threshold && c->threshold == 0.5);
        CHECK_INT(c->n_asserts, 4);                     /* javascript skipped */
        CHECK(c->n_asserts == 4 && c->asserts[2].has_weight && c->asserts[2].weight == 2);
        CHECK(c->n_asserts == 4 && strcmp(json_string_value(c->asserts[3].value), "^\\w+$") == 0);
        CHECK_STR(json_string_value(json_object_get(json_object_get(c->extra, "metadata"), "category")),
                  "geography");
    }
    /* the case without a description: is-json with an object schema, the rubric kept */
    c = NULL;
    for (size_t i = 0; i < s.n; i++)
        if (!s.cases[i].description)
            c = &s.cases[i];
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->n_asserts, 4);                     /* similar skipped */
        CHECK(c->n_asserts == 4 && c->asserts[2].type == PD_EVAL_IS_JSON && json_is_object(c->asserts[2].value));
        CHECK(c->n_asserts == 4 && c->asserts[3].type == PD_EVAL_LLM_RUBRIC);
        CHECK_STR(var(c, "text"), "{\"city\": \"Paris\"}");
    }
    c = case_named(&s, "German morning");
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(var(c, "text"), "Good morning, friends");
        CHECK_STR(var(c, "tone"), "neutral");
        CHECK_INT(c->n_asserts, 4);
        CHECK(c->n_asserts == 4 && c->asserts[2].type == PD_EVAL_ICONTAINS &&
              strcmp(json_string_value(c->asserts[2].value), "guten morgen") == 0);
    }
    c = case_named(&s, "Spanish quote, two lines");
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(var(c, "text"), "She said \"hi\"\r\ntwice");
        CHECK_INT(c->n_asserts, 3);                     /* the empty __expected2 is no assertion */
        CHECK(c->n_asserts == 3 && json_array_size(c->asserts[2].value) == 2 &&
              strcmp(json_string_value(json_array_get(c->asserts[2].value, 0)), "hola, amigos") == 0);
    }
    pd_buf want = PD_BUF_INIT;
    pd_buf_printf(&want,
                  "%s:51: tests[1].assert[2].type: assertion type \"javascript\" cannot run in promptdeck; assertion skipped\n"
                  "%s:68: tests[2].assert[2].type: assertion type \"similar\" cannot run in promptdeck; assertion skipped\n",
                  path, path);
    CHECK_STR(pd_buf_str(&warnings), want.data);
    pd_buf_free(&want);

    /* what was imported saves and loads back the same */
    char *tests = pd_eval_tests_path(tmp_root, "imported");
    CHECK_INT(pd_eval_suite_save(tests, &s, &err), 0);
    pd_eval_suite back;
    CHECK_INT(pd_eval_suite_load(tests, &back, &err), 0);
    json_t *a = pd_eval_suite_to_json(&s), *b = pd_eval_suite_to_json(&back);
    CHECK(json_equal(a, b));
    json_decref(b);
    pd_eval_suite_clear(&back);
    /* a file named for a run: ours read as ours, promptfoo's imported */
    pd_eval_suite either = {0};
    CHECK_INT(pd_eval_tests_read(tests, &either, NULL, &err), 0);
    b = pd_eval_suite_to_json(&either);
    CHECK(json_equal(a, b));
    json_decref(b);
    CHECK_INT(pd_eval_tests_read(path, &either, NULL, &err), 0);
    CHECK_INT(either.n, 10);
    pd_eval_suite_clear(&either);
    json_decref(a);
    free(tests);

    pd_eval_suite_clear(&s);
    pd_buf_free(&warnings);
    free(path);
}

static void test_import_list(void)
{
    char *path = fixture("tests_list.yaml");
    pd_eval_suite s = {0};
    pd_error err = {0};
    CHECK_INT(pd_eval_import_file(path, &s, NULL, &err), 0);
    CHECK_INT(s.n, 2);
    if (s.n == 2) {
        pd_eval_case *c = &s.cases[1];
        CHECK(json_is_integer(json_object_get(c->vars, "count")));
        CHECK(json_is_real(json_object_get(c->vars, "ratio")));
        CHECK(json_is_true(json_object_get(c->vars, "flag")));
        CHECK_INT(json_array_size(json_object_get(c->vars, "history")), 2);
        CHECK_STR(json_string_value(c->asserts[0].value), "3");   /* a number value is its text */
        CHECK(s.cases[0].asserts[1].negate && s.cases[0].asserts[1].type == PD_EVAL_REGEX);
    }
    pd_eval_suite_clear(&s);
    free(path);

    /* text given directly; out stays unchanged on error */
    const char *yaml = "- vars: {a: x}\n  assert: [{type: equals, value: x}]\n- vars: [1, 2]\n";
    pd_eval_suite t = {0};
    CHECK_INT(pd_eval_import_yaml(yaml, strlen(yaml), "inline.yaml", NULL, &t, NULL, &err), -1);
    CHECK_STR(err.msg, "inline.yaml:3: [1].vars: expected an object of variables, found an array (lists of "
                       "variable sets are not supported)");
    CHECK_INT(t.n, 0);
    const char *notests = "prompts: [a]\n";
    CHECK_INT(pd_eval_import_yaml(notests, strlen(notests), "cfg.yaml", NULL, &t, NULL, &err), -1);
    CHECK_STR(err.msg, "cfg.yaml:1: expected a list of test cases or a promptfoo config with \"tests:\"");
    /* anchors, aliases and merge keys, as js-yaml reads them */
    const char *anchors = "base: &b {vars: {lang: fr}, assert: [{type: contains, value: a}]}\n"
                          "tests:\n  - <<: *b\n    description: merged\n  - *b\n";
    CHECK_INT(pd_eval_import_yaml(anchors, strlen(anchors), "a.yaml", NULL, &t, NULL, &err), 0);
    CHECK_INT(t.n, 2);
    CHECK(t.n == 2 && strcmp(t.cases[0].description, "merged") == 0 && t.cases[0].n_asserts == 1);
    const char *dup = "- vars: {a: 1, a: 2}\n";
    CHECK_INT(pd_eval_import_yaml(dup, strlen(dup), "d.yaml", NULL, &t, NULL, &err), -1);
    CHECK_STR(err.msg, "d.yaml:1: duplicate key \"a\"");
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "tests: [*f]\n";
    CHECK_INT(pd_eval_import_yaml(bomb, strlen(bomb), "bomb.yaml", NULL, &t, NULL, &err), -1);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK_INT(t.n, 2);
    pd_eval_suite_clear(&t);

    /* what cannot run here is skipped, each with a warning that names its line */
    const char *skips = "- assert:\n"
                        "    - {type: contains, value: file://answer.txt}\n"
                        "    - {type: equals, value: a, transform: output.trim()}\n"
                        "    - $ref: '#/assertionTemplates/polite'\n"
                        "    - {type: contains, value: ok}\n";
    pd_buf w = PD_BUF_INIT;
    CHECK_INT(pd_eval_import_yaml(skips, strlen(skips), "s.yaml", NULL, &t, &w, &err), 0);
    CHECK(t.n == 1 && t.cases[0].n_asserts == 1);
    CHECK_STR(pd_buf_str(&w),
              "s.yaml:2: [0].assert[0].value: a value read from a file (file://answer.txt) cannot run in promptdeck; "
              "assertion skipped\n"
              "s.yaml:3: [0].assert[1].type: an assertion's transform (JavaScript) cannot run in promptdeck; "
              "assertion skipped\n"
              "s.yaml:4: [0].assert[2]: an assertion template ($ref) cannot run in promptdeck; assertion skipped\n");
    pd_buf_free(&w);
    pd_eval_suite_clear(&t);
}

static void test_import_damaged(void)
{
    expect_damaged(import_tests, "damaged_indent.yaml", "6: did not find expected '-' indicator while parsing a block collection");
    expect_damaged(import_tests, "damaged_threshold.yaml", "10: tests[1].assert[0].threshold: expected a number, found a string");
    expect_damaged(import_tests, "damaged_quote.csv", "3: a quoted field is never closed");
    expect_damaged(import_tests, "damaged_fields.csv", "3: 3 fields, but the header names 2 columns");
    pd_eval_suite s = {0};
    pd_error err = {0};
    CHECK_INT(pd_eval_import_file("/nonexistent/tests.yaml", &s, NULL, &err), -1);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
}

static void test_import_csv(void)
{
    char *path = fixture("expected.csv");
    pd_eval_suite s = {0};
    pd_buf warnings = PD_BUF_INIT;
    pd_error err = {0};
    CHECK_INT(pd_eval_import_file(path, &s, &warnings, &err), 0);
    CHECK_INT(s.n, 4);
    if (s.n == 4) {
        pd_eval_case *c = &s.cases[0];
        CHECK_STR(var(c, "question"), "What is 2+2?");
        CHECK(json_object_size(c->vars) == 1);             /* __ columns are not variables */
        CHECK_INT(c->n_asserts, 2);                         /* javascript skipped */
        CHECK(c->asserts[0].type == PD_EVAL_EQUALS && strcmp(json_string_value(c->asserts[0].value), "4") == 0);
        CHECK(c->asserts[1].type == PD_EVAL_CONTAINS && strcmp(json_string_value(c->asserts[1].value), "four") == 0);
        CHECK(c->has_threshold && c->threshold == 0.5);
        CHECK_STR(json_string_value(json_object_get(json_object_get(c->extra, "metadata"), "topic")), "math");
        c = &s.cases[1];
        CHECK(c->asserts[0].type == PD_EVAL_LEVENSHTEIN && c->asserts[0].threshold == 2);
        CHECK(c->asserts[1].negate && c->asserts[1].type == PD_EVAL_ICONTAINS);
        CHECK(!c->has_threshold);
        c = &s.cases[2];
        CHECK_INT(c->n_asserts, 3);
        CHECK(c->asserts[0].type == PD_EVAL_LLM_RUBRIC && c->asserts[1].type == PD_EVAL_IS_JSON &&
              c->asserts[2].type == PD_EVAL_LATENCY && c->asserts[2].threshold == 1000);
        c = &s.cases[3];
        CHECK_INT(c->n_asserts, 1);                         /* similar skipped */
        CHECK(c->asserts[0].type == PD_EVAL_ICONTAINS_ALL && json_array_size(c->asserts[0].value) == 2);
        CHECK_STR(json_string_value(json_array_get(c->asserts[0].value, 1)), "banana, ripe");
    }
    pd_buf want = PD_BUF_INIT;
    pd_buf_printf(&want,
                  "%s:1: column \"__prefix\" is not supported; ignored\n"
                  "%s:2: column __expected3: \"javascript\" assertions cannot run in promptdeck; skipped\n"
                  "%s:5: column __expected2: \"similar\" assertions cannot run in promptdeck; skipped\n",
                  path, path, path);
    CHECK_STR(pd_buf_str(&warnings), want.data);
    pd_buf_free(&want);
    pd_buf_free(&warnings);
    pd_eval_suite_clear(&s);
    free(path);

    /* quoting by RFC 4180 from text: "" inside quotes, CRLF, a BOM, empty lines skipped */
    const char *csv = "\xEF\xBB\xBFname,__description\r\n\"a \"\"b\"\", c\",first\r\n\r\n\"x\ny\",\r\n";
    pd_eval_suite t = {0};
    CHECK_INT(pd_eval_import_csv(csv, strlen(csv), "q.csv", &t, NULL, &err), 0);
    CHECK_INT(t.n, 2);
    if (t.n == 2) {
        CHECK_STR(var(&t.cases[0], "name"), "a \"b\", c");
        CHECK_STR(t.cases[0].description, "first");
        CHECK_STR(var(&t.cases[1], "name"), "x\ny");
        CHECK(t.cases[1].description == NULL);
    }
    const char *bad = "a\n\"x\"y\n";
    CHECK_INT(pd_eval_import_csv(bad, strlen(bad), "b.csv", &t, NULL, &err), -1);
    CHECK_STR(err.msg, "b.csv:2: a quoted field must end at its closing quote (a comma or the line's end next)");
    const char *badexp = "q,__expected\nx,\"contains-any:\"\"open\"\n";
    CHECK_INT(pd_eval_import_csv(badexp, strlen(badexp), "e.csv", &t, NULL, &err), -1);
    CHECK_STR(err.msg, "e.csv:2: column __expected: contains-any has a quoted value that is never closed");
    const char *notutf8 = "q\n\xff\n";
    CHECK_INT(pd_eval_import_csv(notutf8, strlen(notutf8), "u.csv", &t, NULL, &err), -1);
    CHECK_STR(err.msg, "u.csv:2: field 1 is not UTF-8 text");
    CHECK_INT(t.n, 2);
    pd_eval_suite_clear(&t);

}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "/tmp/pd-test-eval.XXXXXX");
    if (!mkdtemp(tmp_root)) {
        printf("not ok - mkdtemp\n");
        return 1;
    }
    RUN(test_type_names);
    RUN(test_round_trip_file);
    RUN(test_conflicted_file);
    RUN(test_concurrent_appenders);
    RUN(test_damaged_files);
    RUN(test_case_from_run);
    RUN(test_assertion_strings);
    RUN(test_import_promptfoo_config);
    RUN(test_import_list);
    RUN(test_import_damaged);
    RUN(test_import_csv);
    pd_buf cmd = PD_BUF_INIT;
    pd_buf_printf(&cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd.data) != 0)
        printf("# could not remove %s\n", tmp_root);
    pd_buf_free(&cmd);
    T_DONE();
}
