/* test_model.c: the model's rules and JSON codec: slugs, labels, equality, round trips,
 * decoding errors that name the file, line and field, merging settings, the default first version. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "t.h"

static void test_slugs(void)
{
    pd_error err = {0};
    CHECK(pd_slug_valid("a", NULL));
    CHECK(pd_slug_valid("team/summarize-v2_x", NULL));
    CHECK(!pd_slug_valid("", &err));
    CHECK(!pd_slug_valid("Upper", &err));
    CHECK(strstr(err.msg, "'U'") != NULL);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    CHECK(!pd_slug_valid("a//b", NULL));
    CHECK(!pd_slug_valid("/a", NULL));
    CHECK(!pd_slug_valid("a/", NULL));
    CHECK(!pd_slug_valid("a.b", NULL));
    CHECK(!pd_slug_valid("..", NULL));
    CHECK(!pd_slug_valid("a b", NULL));
    char long_slug[130];
    memset(long_slug, 'a', 128);
    long_slug[128] = '\0';
    CHECK(pd_slug_valid(long_slug, NULL));
    long_slug[128] = 'a';
    long_slug[129] = '\0';
    CHECK(!pd_slug_valid(long_slug, &err));
}

static void test_labels_roles(void)
{
    CHECK(pd_label_name_valid("production", NULL));
    CHECK(pd_label_name_valid("canary-2", NULL));
    pd_error err = {0};
    CHECK(!pd_label_name_valid("latest", &err));
    CHECK(strstr(err.msg, "implicit") != NULL);
    CHECK(!pd_label_name_valid("a/b", NULL));
    CHECK(!pd_label_name_valid("", NULL));
    CHECK(pd_role_valid("system") && pd_role_valid("developer") && pd_role_valid("user"));
    CHECK(pd_role_valid("assistant") && pd_role_valid("tool"));
    CHECK(!pd_role_valid("System") && !pd_role_valid(NULL) && !pd_role_valid("bot"));
}

static pd_version *sample_version(void)
{
    pd_version *v = calloc(1, sizeof *v);
    v->number = 3;
    v->n_messages = 3;
    v->messages = calloc(3, sizeof *v->messages);
    v->messages[0].role = strdup("system");
    v->messages[0].content = strdup("You are {{persona}}.\nÜnïcode ok");
    v->messages[1].placeholder = strdup("history");
    v->messages[2].role = strdup("user");
    v->messages[2].content = strdup("{{question}}");
    v->settings.provider = strdup("openai");
    v->settings.model = strdup("gpt-4o");
    v->settings.has_temperature = true;
    v->settings.temperature = 0.7;
    v->settings.max_output_tokens = 500;
    v->settings.has_top_p = true;
    v->settings.top_p = 0.9;
    v->settings.n_stop = 1;
    v->settings.stop_sequences = calloc(1, sizeof(char *));
    v->settings.stop_sequences[0] = strdup("END");
    v->settings.extra = json_pack("{s:b}", "logprobs", 1);
    v->settings.tools = json_pack("[{s:s}]", "name", "lookup");
    v->settings.output_schema = json_pack("{s:s}", "type", "object");
    v->commit_message = strdup("tune");
    v->author = strdup("ann");
    v->created_at = strdup("2026-01-01T00:00:00Z");
    return v;
}

static void test_version_round_trip(void)
{
    pd_version *v = sample_version();
    CHECK_INT(pd_version_validate(v, NULL), 0);
    json_t *j = pd_version_to_json(v);
    char *text = pd_json_dump_pretty(j);
    /* stable key order and readable numbers */
    const char *order[] = {"\"version\"", "\"messages\"", "\"provider\"", "\"model\"", "\"temperature\"",
                           "\"max_output_tokens\"", "\"top_p\"", "\"stop_sequences\"", "\"extra\"", "\"tools\"",
                           "\"output_schema\"", "\"commit_message\"", "\"author\"", "\"created_at\""};
    const char *prev = text;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *at = strstr(text, order[i]);
        CHECK(at != NULL && at >= prev);
        if (at)
            prev = at;
    }
    CHECK(strstr(text, "\"temperature\": 0.7,") != NULL);
    CHECK(strstr(text, "\"type\": \"placeholder\"") != NULL);
    CHECK(text[strlen(text) - 1] == '\n');
    pd_error err = {0};
    pd_version *back = pd_version_from_json(j, "mem", &err);
    CHECK(back != NULL);
    if (back) {
        CHECK(pd_version_content_equal(v, back));
        CHECK_INT(back->number, 3);
        CHECK_STR(back->author, "ann");
        CHECK_STR(back->messages[1].placeholder, "history");
        CHECK(back->messages[1].role == NULL);
        pd_version *dup = pd_version_dup(back);
        CHECK(pd_version_content_equal(dup, v));
        free(dup->messages[2].content);
        dup->messages[2].content = strdup("changed");
        CHECK(!pd_version_content_equal(dup, v));
        pd_version_free(dup);
        back->settings.temperature = 0.8;
        CHECK(!pd_version_content_equal(back, v));
        back->settings.temperature = 0.7;
        back->settings.has_top_p = false;
        CHECK(!pd_version_content_equal(back, v));
    }
    pd_version_free(back);
    free(text);
    json_decref(j);
    pd_version_free(v);
}

static void test_validate(void)
{
    pd_version *v = sample_version();
    pd_error err = {0};
    free(v->messages[0].role);
    v->messages[0].role = strdup("robot");
    CHECK(pd_version_validate(v, &err) != 0);
    CHECK(strstr(err.msg, "robot") != NULL);
    free(v->messages[0].role);
    v->messages[0].role = strdup("system");
    free(v->messages[2].content);
    v->messages[2].content = strdup("bad \xff utf8");
    CHECK(pd_version_validate(v, &err) != 0);
    CHECK(strstr(err.msg, "UTF-8") != NULL);
    free(v->messages[2].content);
    v->messages[2].content = strdup("ok");
    v->settings.temperature = 3;
    CHECK(pd_version_validate(v, &err) != 0);
    v->settings.temperature = 1;
    CHECK_INT(pd_version_validate(v, &err), 0);
    pd_version_free(v);
    CHECK(!pd_utf8_valid("a\xc3", 2));
    CHECK(pd_utf8_valid("\xc3\xa9", 2));
}

static void test_prompt_codec(void)
{
    pd_prompt p = {0};
    p.id = "0123456789abcdef";
    p.slug = "a/b";
    p.name = "Name";
    p.description = "";
    char *tags[] = {"x", "y"};
    p.tags = tags;
    p.n_tags = 2;
    pd_label labels[] = {{.name = "production", .version = 2}, {.name = "staging", .version = 3}};
    p.labels = labels;
    p.n_labels = 2;
    p.current_version = 3;
    p.created_at = "2026-01-01T00:00:00Z";
    p.updated_at = "2026-01-02T00:00:00Z";
    json_t *j = pd_prompt_to_json(&p);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "labels"), "staging")), 3);
    CHECK(json_object_get(j, "damaged") == NULL);
    pd_prompt *back = pd_prompt_from_json(j, "mem", NULL);
    CHECK(back != NULL);
    if (back) {
        CHECK_STR(back->slug, "a/b");
        CHECK_INT(back->n_tags, 2);
        CHECK_INT(pd_prompt_label_version(back, "production"), 2);
        CHECK_INT(pd_prompt_label_version(back, "latest"), 3);
        CHECK_INT(pd_prompt_label_version(back, "nope"), 0);
        pd_prompt *d = pd_prompt_dup(back);
        CHECK_STR(d->labels[1].name, "staging");
        pd_prompt_free(d);
    }
    pd_prompt_free(back);
    json_decref(j);
}

/* Decoding errors say where: file, line of the offending value, and the field's path. */
static void test_errors_with_lines(void)
{
    const char *text = "{\n"
                       "  \"version\": 2,\n"
                       "  \"messages\": [\n"
                       "    {\"role\": \"user\", \"content\": \"hi\"},\n"
                       "    {\"role\": \"user\",\n"
                       "     \"content\": 42}\n"
                       "  ]\n"
                       "}\n";
    pd_json_src src = {"v0002.json", text, strlen(text)};
    pd_error err = {0};
    json_t *j = pd_json_parse_src(&src, &err);
    CHECK(j != NULL);
    pd_version *v = pd_version_decode(j, &src, &err);
    CHECK(v == NULL);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK_STR(err.msg, "v0002.json:6: messages[1].content: expected a string, found an integer");
    json_decref(j);

    const char *bad = "{\n  \"version\": 1,\n  \"messages\": [,]\n}\n";
    pd_json_src src2 = {"x.json", bad, strlen(bad)};
    CHECK(pd_json_parse_src(&src2, &err) == NULL);
    CHECK(strncmp(err.msg, "x.json:3: ", 10) == 0);

    const char *utf = "{\n\n  \"name\": \"\xff\"\n}\n";
    pd_json_src src3 = {"p.json", utf, strlen(utf)};
    CHECK(pd_json_parse_src(&src3, &err) == NULL);
    CHECK(strstr(err.msg, "p.json:3: invalid UTF-8") != NULL);

    const char *missing = "{\n  \"messages\": []\n}\n";
    pd_json_src src4 = {"m.json", missing, strlen(missing)};
    j = pd_json_parse_src(&src4, &err);
    CHECK(pd_version_decode(j, &src4, &err) == NULL);
    CHECK_STR(err.msg, "m.json:1: missing field \"version\"");
    json_decref(j);

    CHECK_INT(pd_json_path_line(text, strlen(text), "messages[0].content"), 4);
    CHECK_INT(pd_json_path_line(text, strlen(text), "version"), 2);
    CHECK_INT(pd_json_path_line(text, strlen(text), ""), 1);
    CHECK_INT(pd_json_path_line("{\"a\": \"x\\\"}\\n\", \"b\":\n1}", 22, "b"), 2);
}

static void test_run_record(void)
{
    pd_run_record r = {0};
    r.id = "20260101T000000000Z-abcdef";
    r.prompt_slug = "a";
    r.prompt_version = 2;
    r.variables = json_pack("{s:s}", "topic", "cats");
    r.settings.model = "m";
    r.output = "out";
    r.input_tokens = 10;
    r.output_tokens = -1;
    r.status = "ok";
    r.ttft_ms = 12.5;
    json_t *j = pd_run_record_to_json(&r);
    CHECK(json_is_null(json_object_get(j, "output_tokens")));
    pd_run_record *back = pd_run_record_from_json(j, "mem", NULL);
    CHECK(back != NULL);
    if (back) {
        CHECK_INT(back->input_tokens, 10);
        CHECK_INT(back->output_tokens, -1);
        CHECK_STR(back->settings.model, "m");
        CHECK_STR(json_string_value(json_object_get(back->variables, "topic")), "cats");
    }
    pd_run_record_free(back);
    json_decref(j);
    json_decref(r.variables);
}

static void test_ids_times(void)
{
    char *a = pd_new_id(), *b = pd_new_id();
    CHECK_INT(strlen(a), 16);
    CHECK(strcmp(a, b) != 0);
    CHECK(strspn(a, "0123456789abcdef") == 16);
    char *t = pd_now_rfc3339();
    CHECK_INT(strlen(t), 20);
    CHECK(t[10] == 'T' && t[19] == 'Z');
    free(a);
    free(b);
    free(t);
}

/* Settings from JSON text (a test fixture). */
static void settings_of(const char *text, pd_settings *out)
{
    json_t *j = json_loads(text, 0, NULL);
    pd_error err = {0};
    memset(out, 0, sizeof *out);
    CHECK(j && pd_settings_from_json(j, out, "test", &err) == 0);
    json_decref(j);
}

static char *settings_text(const pd_settings *s)
{
    json_t *j = pd_settings_to_json(s);
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return t;
}

static void test_settings_merge(void)
{
    pd_settings base, over, out;
    settings_of("{\"provider\": \"anthropic\", \"model\": \"m1\", \"temperature\": 0.5, \"max_output_tokens\": 100,"
                " \"stop_sequences\": [\"a\", \"b\"], \"extra\": {\"k\": 1}}", &base);
    /* nothing set over the base: a copy of it */
    memset(&over, 0, sizeof over);
    pd_settings_merge(&out, &base, &over);
    char *a = settings_text(&base), *b = settings_text(&out);
    CHECK_STR(b, a);
    free(a);
    free(b);
    pd_settings_clear(&out);
    pd_settings_merge(&out, &base, NULL);
    CHECK(out.model != base.model && out.extra != base.extra);   /* deep, not shared */
    pd_settings_clear(&out);
    /* every field set over the base wins; the rest stays */
    settings_of("{\"model\": \"m2\", \"temperature\": 0, \"top_p\": 0.25, \"stop_sequences\": [\"z\"],"
                " \"tools\": [{\"name\": \"f\"}], \"extra\": {\"j\": 2}}", &over);
    pd_settings_merge(&out, &base, &over);
    char *t = settings_text(&out);
    CHECK_STR(t, "{\"extra\":{\"j\":2},\"max_output_tokens\":100,\"model\":\"m2\",\"provider\":\"anthropic\","
                 "\"stop_sequences\":[\"z\"],\"temperature\":0.0,\"tools\":[{\"name\":\"f\"}],\"top_p\":0.25}");
    free(t);
    pd_settings_clear(&out);
    pd_settings_clear(&over);
    pd_settings_clear(&base);
}

static void test_settings_unset(void)
{
    pd_settings s;
    settings_of("{\"provider\": \"openai\", \"model\": \"m\", \"temperature\": 1, \"max_output_tokens\": 9,"
                " \"top_p\": 0.5, \"stop_sequences\": [\"x\"], \"extra\": {}, \"tools\": [], \"output_schema\": {}}", &s);
    pd_settings_unset(&s, PD_SETTING_TEMPERATURE | PD_SETTING_STOP | PD_SETTING_TOOLS);
    char *t = settings_text(&s);
    CHECK_STR(t, "{\"extra\":{},\"max_output_tokens\":9,\"model\":\"m\",\"output_schema\":{},\"provider\":\"openai\","
                 "\"top_p\":0.5}");
    free(t);
    CHECK(!s.has_temperature && s.n_stop == 0 && !s.stop_sequences && !s.tools);
    pd_settings_unset(&s, PD_SETTING_PROVIDER | PD_SETTING_MODEL | PD_SETTING_MAX_OUTPUT_TOKENS | PD_SETTING_TOP_P |
                              PD_SETTING_EXTRA | PD_SETTING_OUTPUT_SCHEMA);
    t = settings_text(&s);
    CHECK_STR(t, "{}");
    free(t);
    pd_settings_clear(&s);
}

static void test_default_first_version(void)
{
    pd_version *v = pd_version_default_first();
    CHECK_INT(v->n_messages, 2);
    CHECK_STR(v->messages[0].role, "system");
    CHECK_STR(v->messages[0].content, "");
    CHECK_STR(v->messages[1].role, "user");
    CHECK_STR(v->messages[1].content, "");
    CHECK(!v->messages[0].placeholder && !v->messages[1].placeholder);
    CHECK_STR(v->commit_message, "Created in promptdeck");
    CHECK(!v->settings.provider && !v->settings.model && !v->author && !v->created_at);
    pd_error err = {0};
    CHECK(pd_version_validate(v, &err) == 0);   /* the store accepts it as it is */
    pd_version_free(v);
}

static void test_prompt_validate(void)
{
    pd_error err = {0};
    char *tags[] = {"ok", "two words", NULL};
    pd_prompt p = {.slug = "team/a", .name = "A name \xe2\x80\x94 caf\xc3\xa9", .description = "line 1\n\tline 2",
                   .tags = tags, .n_tags = 2};
    CHECK_INT(pd_prompt_validate(&p, &err), 0);
    /* names: no control character at all, no escape sequence (ESC, CSI), no line break */
    const char *bad_names[] = {"a\x1b]52;c;aGk=\x07", "a\x1b[2J", "a\xc2\x9b" "31m", "two\nlines", "tab\there", "del\x7f", ""};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        p.name = (char *)bad_names[i];
        CHECK_INT(pd_prompt_validate(&p, &err), -1);
        CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
        CHECK(strstr(err.msg, "name") != NULL);
    }
    p.name = "a\x1b[2J";
    pd_prompt_validate(&p, &err);
    CHECK_STR(err.msg, "name contains the control character U+001B (an escape sequence)");
    p.name = "ok";
    p.description = "esc \x1b[31m";
    CHECK_INT(pd_prompt_validate(&p, &err), -1);
    p.description = NULL;
    CHECK_INT(pd_prompt_validate(&p, &err), 0);
    /* tags: newlines, escapes and length */
    tags[1] = "a\nb";
    CHECK_INT(pd_prompt_validate(&p, &err), -1);
    CHECK_STR(err.msg, "tag 2 contains the control character U+000A");
    char long_tag[5001];
    memset(long_tag, 't', 5000);
    long_tag[5000] = '\0';
    tags[1] = long_tag;
    CHECK_INT(pd_prompt_check_tags(tags, 2, &err), -1);
    CHECK_STR(err.msg, "tag 2 is 5000 bytes long (at most 64)");
    tags[1] = "\xff";
    CHECK_INT(pd_prompt_check_tags(tags, 2, &err), -1);
    tags[1] = "";
    CHECK_INT(pd_prompt_check_tags(tags, 2, &err), -1);
    tags[1] = "fine";
    pd_label l = {.name = "Prod\x1b", .version = 1};
    p.labels = &l;
    p.n_labels = 1;
    CHECK_INT(pd_prompt_validate(&p, &err), -1);
    l.name = "prod";
    CHECK_INT(pd_prompt_validate(&p, &err), 0);
    p.slug = "Bad Slug";
    CHECK_INT(pd_prompt_validate(&p, &err), -1);
}

int main(void)
{
    RUN(test_slugs);
    RUN(test_labels_roles);
    RUN(test_version_round_trip);
    RUN(test_validate);
    RUN(test_prompt_validate);
    RUN(test_prompt_codec);
    RUN(test_errors_with_lines);
    RUN(test_run_record);
    RUN(test_ids_times);
    RUN(test_settings_merge);
    RUN(test_settings_unset);
    RUN(test_default_first_version);
    T_DONE();
}
