/* test_provider.c: the provider table, request bodies, URLs and headers per provider, and decoding of their streams. */
#define PD_MODULE_provider /* white-box: the table's private parts (builder, decoder) */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider/provider_priv.h"
#include "net/net.h"
#include "t.h"

static pd_message msgs[] = {
    {.role = "system", .content = "Be brief."},
    {.role = "developer", .content = "Answer in French."},
    {.placeholder = "history"},
    {.role = "user", .content = "Hi \"there\"\n\xE2\x82\xAC"},
    {.role = "assistant", .content = "Salut."},
    {.role = "user", .content = "More."},
};
#define N_MSGS (sizeof msgs / sizeof msgs[0])

/* The first n of msgs as the conversation the builders take (a new reference). */
static json_t *conv(size_t n)
{
    return pd_messages_to_json(msgs, n);
}

static int build_conv(const pd_provider_info *p, const char *name, const char *base, const char *key, size_t n,
                      const pd_settings *s, pd_provider_request *r, pd_error *err)
{
    json_t *c = conv(n);
    int rc = pd_provider_build_request(p, name, base, key, c, s, r, err);
    json_decref(c);
    return rc;
}

/* An output schema every provider's constrained decoding takes. */
#define CLOSED_SCHEMA "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"],\"additionalProperties\":false}"

/* A settings value with everything set; caller clears. */
static void full_settings(pd_settings *s, const char *provider)
{
    memset(s, 0, sizeof *s);
    s->provider = pd_strdup(provider);
    s->model = pd_strdup("m-1");
    s->has_temperature = true;
    s->temperature = 0.5;
    s->max_output_tokens = 100;
    s->has_top_p = true;
    s->top_p = 0.25;
    s->n_stop = 1;
    s->stop_sequences = pd_xcalloc(1, sizeof(char *));
    s->stop_sequences[0] = pd_strdup("END");
    /* neutral names, and each provider's own parameters */
    s->extra = json_pack("{s:i, s:f, s:{s:{s:b}}, s:{s:{s:s}}, s:{s:{s:{s:i}}}}", "seed", 7, "frequency_penalty", 0.5,
                         "openai", "nested", "x", 1, "anthropic", "metadata", "user_id", "u-1", "gemini",
                         "generationConfig", "thinkingConfig", "thinkingBudget", 0);
    s->tools = json_pack("[{s:s, s:s, s:{s:s}}]", "name", "lookup", "description", "Look it up", "parameters",
                         "type", "object");
    s->output_schema = json_loads(CLOSED_SCHEMA, 0, NULL);
}

static json_t *build(const pd_provider_info *p, const char *name, const pd_settings *s, pd_provider_request *r)
{
    pd_error err = {0};
    int rc = build_conv(p, name, NULL, "KEY-123", N_MSGS, s, r, &err);
    CHECK_INT(rc, 0);
    if (rc != 0) {
        printf("#   %s\n", err.msg);
        return json_object();
    }
    return json_loads(r->body, 0, NULL);
}

static const char *header(const pd_provider_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (!strcmp(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}

/* Compact JSON of j[key] (caller frees). */
static char *field(json_t *j, const char *key)
{
    return json_dumps(json_object_get(j, key), JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
}

#define CHECK_FIELD(j, key, expected)                                                                  \
    do {                                                                                               \
        char *f_ = field(j, key);                                                                      \
        CHECK_STR(f_, expected);                                                                       \
        free(f_);                                                                                      \
    } while (0)

static void test_openai_request(void)
{
    pd_settings s;
    full_settings(&s, "openai");
    pd_provider_request r;
    json_t *b = build(pd_provider_for("openai"), "openai", &s, &r);
    CHECK_STR(r.url, "https://api.openai.com/v1/chat/completions");
    CHECK_STR(header(&r, "Authorization"), "Bearer KEY-123");
    CHECK_STR(header(&r, "Content-Type"), "application/json");
    CHECK_FIELD(b, "model", "\"m-1\"");
    CHECK_FIELD(b, "messages",
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"developer\",\"content\":\"Answer in French.\"},"
                "{\"role\":\"user\",\"content\":\"Hi \\\"there\\\"\\n\xE2\x82\xAC\"},{\"role\":\"assistant\",\"content\":\"Salut.\"},"
                "{\"role\":\"user\",\"content\":\"More.\"}]");
    CHECK_FIELD(b, "stream", "true");
    CHECK_FIELD(b, "stream_options", "{\"include_usage\":true}");
    CHECK_FIELD(b, "temperature", "0.5");
    CHECK_FIELD(b, "top_p", "0.25");
    CHECK_FIELD(b, "max_completion_tokens", "100");
    CHECK_FIELD(b, "stop", "[\"END\"]");
    CHECK_FIELD(b, "tools",
                "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"Look it up\","
                "\"parameters\":{\"type\":\"object\"}}}]");
    CHECK_FIELD(b, "response_format",
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"output\",\"schema\":" CLOSED_SCHEMA ",\"strict\":true}}");
    CHECK_FIELD(b, "seed", "7");
    CHECK_FIELD(b, "frequency_penalty", "0.5");
    CHECK_FIELD(b, "nested", "{\"x\":true}");   /* extra.openai */
    CHECK(json_object_get(b, "metadata") == NULL && json_object_get(b, "openai") == NULL);
    json_decref(b);
    pd_provider_request_clear(&r);
    pd_settings_clear(&s);
}

static void test_openai_compatible_request(void)
{
    pd_settings s;
    full_settings(&s, "ollama");
    pd_provider_request r;
    pd_error err = {0};
    CHECK_INT(build_conv(pd_provider_for("openai"), "ollama", "http://localhost:11434/v1/", NULL, N_MSGS, &s, &r, &err), 0);
    json_t *b = json_loads(r.body, 0, NULL);
    CHECK_STR(r.url, "http://localhost:11434/v1/chat/completions");
    CHECK(header(&r, "Authorization") == NULL);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(b, "messages"), 1), "role")), "system");
    CHECK_FIELD(b, "max_tokens", "100");
    CHECK(json_object_get(b, "max_completion_tokens") == NULL);
    json_decref(b);
    pd_provider_request_clear(&r);
    pd_settings_clear(&s);
}

static void test_anthropic_request(void)
{
    pd_settings s;
    full_settings(&s, "anthropic");
    s.has_top_p = false;   /* not with temperature */
    json_object_del(s.extra, "seed");
    json_object_del(s.extra, "frequency_penalty");
    json_object_set_new(s.extra, "top_k", json_integer(40));
    pd_provider_request r;
    json_t *b = build(pd_provider_for("anthropic"), "anthropic", &s, &r);
    CHECK_STR(r.url, "https://api.anthropic.com/v1/messages");
    CHECK_STR(header(&r, "x-api-key"), "KEY-123");
    CHECK_STR(header(&r, "anthropic-version"), "2023-06-01");
    CHECK_INT(r.n_headers, 4);   /* in this order, as they go out */
    CHECK_STR(r.headers[0].name, "Content-Type");
    CHECK_STR(r.headers[1].name, "Accept");
    CHECK_STR(r.headers[2].name, "x-api-key");
    CHECK_STR(r.headers[3].name, "anthropic-version");
    CHECK(header(&r, "Authorization") == NULL);
    CHECK_FIELD(b, "system", "\"Be brief.\\n\\nAnswer in French.\"");
    CHECK_FIELD(b, "messages",
                "[{\"role\":\"user\",\"content\":\"Hi \\\"there\\\"\\n\xE2\x82\xAC\"},{\"role\":\"assistant\",\"content\":\"Salut.\"},"
                "{\"role\":\"user\",\"content\":\"More.\"}]");
    CHECK_FIELD(b, "max_tokens", "100");
    CHECK_FIELD(b, "temperature", "0.5");
    CHECK(json_object_get(b, "top_p") == NULL);
    CHECK_FIELD(b, "top_k", "40");
    CHECK_FIELD(b, "stop_sequences", "[\"END\"]");
    CHECK_FIELD(b, "metadata", "{\"user_id\":\"u-1\"}");   /* extra.anthropic */
    CHECK(json_object_get(b, "nested") == NULL);
    CHECK_FIELD(b, "tools",
                "[{\"name\":\"lookup\",\"description\":\"Look it up\",\"input_schema\":{\"type\":\"object\"}}]");
    CHECK(json_object_get(b, "tool_choice") == NULL);   /* the version's tools stay free to call */
    CHECK_FIELD(b, "output_config", "{\"format\":{\"type\":\"json_schema\",\"schema\":" CLOSED_SCHEMA "}}");
    json_decref(b);
    pd_provider_request_clear(&r);
    /* No max_output_tokens: the default. */
    s.max_output_tokens = 0;
    b = build(pd_provider_for("anthropic"), "anthropic", &s, &r);
    CHECK_FIELD(b, "max_tokens", "4096");
    json_decref(b);
    pd_provider_request_clear(&r);
    pd_settings_clear(&s);
}

static void test_google_request(void)
{
    pd_settings s;
    full_settings(&s, "google");
    free(s.model);
    s.model = pd_strdup("models/gemini 2");
    pd_provider_request r;
    pd_error err = {0};
    CHECK_INT(build_conv(pd_provider_for("google"), "google", "http://h:1/", "KEY-123", N_MSGS, &s, &r, &err), 0);
    json_t *b = json_loads(r.body, 0, NULL);
    CHECK_STR(r.url, "http://h:1/v1beta/models/gemini%202:streamGenerateContent?alt=sse");
    CHECK_STR(header(&r, "x-goog-api-key"), "KEY-123");
    CHECK_FIELD(b, "systemInstruction", "{\"parts\":[{\"text\":\"Be brief.\\n\\nAnswer in French.\"}]}");
    CHECK_FIELD(b, "contents",
                "[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi \\\"there\\\"\\n\xE2\x82\xAC\"}]},"
                "{\"role\":\"model\",\"parts\":[{\"text\":\"Salut.\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"More.\"}]}]");
    CHECK_FIELD(b, "generationConfig",
                "{\"temperature\":0.5,\"topP\":0.25,\"maxOutputTokens\":100,\"stopSequences\":[\"END\"],\"seed\":7,"
                "\"frequencyPenalty\":0.5,\"responseMimeType\":\"application/json\",\"responseJsonSchema\":" CLOSED_SCHEMA ","
                "\"thinkingConfig\":{\"thinkingBudget\":0}}");
    CHECK_FIELD(b, "tools",
                "[{\"functionDeclarations\":[{\"name\":\"lookup\",\"description\":\"Look it up\",\"parametersJsonSchema\":{\"type\":\"object\"}}]}]");
    json_decref(b);
    pd_provider_request_clear(&r);
    pd_settings_clear(&s);
}

/* What a provider cannot take is refused before sending, naming the setting. */
static void test_settings_refused(void)
{
    static const struct {
        const char *provider, *extra, *message;
        double temperature, top_p;
        size_t n_stop;
    } cases[] = {
        {"anthropic", "{\"seed\": 1}", "anthropic has no seed: leave it out for this provider", 0, -1, 0},
        {"anthropic", "{\"presence_penalty\": 0.2}", "anthropic has no presence_penalty", 0, -1, 0},
        {"anthropic", NULL, "anthropic takes temperature or top_p, not both", 0.5, 0.9, 0},
        {"anthropic", NULL, "anthropic takes a temperature from 0 to 1; the version sets 1.5", 1.5, -1, 0},
        {"openai", "{\"top_k\": 3}", "openai has no top_k", 0, -1, 0},
        {"openai", NULL, "openai takes at most 4 stop sequences; the version has 5", 0, -1, 5},
        {"google", NULL, "gemini takes at most 5 stop sequences; the version has 6", 0, -1, 6},
        {"openai", "{\"logprobs\": true}",
         "extra.logprobs is not a setting promptdeck can map to each provider (those are seed, presence_penalty, "
         "frequency_penalty, top_k); to send it to openai as it is, put it in extra.openai", 0, -1, 0},
        {"google", "{\"seed\": 1.5}", "extra.seed must be a whole number", 0, -1, 0},
        {"google", "{\"google\": 3}", "extra.google must be an object of google's own parameters", 0, -1, 0},
        {"ollama", "{\"ollama\": {\"num_ctx\": 4096}, \"top_k\": 3}", NULL, 0, -1, 0},   /* fine */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_settings s = {0};
        s.model = "m";
        s.extra = cases[i].extra ? json_loads(cases[i].extra, 0, NULL) : NULL;
        s.has_temperature = cases[i].temperature > 0;
        s.temperature = cases[i].temperature;
        s.has_top_p = cases[i].top_p >= 0;
        s.top_p = cases[i].top_p;
        char *stops[6] = {"a", "b", "c", "d", "e", "f"};
        s.stop_sequences = stops;
        s.n_stop = cases[i].n_stop;
        pd_provider_request r;
        pd_error err = {0};
        int rc = build_conv(pd_provider_for(cases[i].provider), cases[i].provider, "http://h/", "k", N_MSGS, &s, &r, &err);
        printf("# %s %s\n", cases[i].provider, cases[i].extra ? cases[i].extra : "");
        if (!cases[i].message) {
            CHECK_INT(rc, 0);
            json_t *b = json_loads(r.body, 0, NULL);
            CHECK_FIELD(b, "num_ctx", "4096");   /* extra.ollama, as it is */
            CHECK_FIELD(b, "top_k", "3");
            CHECK(json_object_get(b, "ollama") == NULL);
            json_decref(b);
            pd_provider_request_clear(&r);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
            CHECK(strstr(err.msg, cases[i].message) != NULL);
            if (!strstr(err.msg, cases[i].message))
                printf("#   got: %s\n", err.msg);
        }
        json_decref(s.extra);
    }
}

/* Schemas the constrained decoders cannot take are refused before sending, saying where. */
static void test_schema_rules(void)
{
    static const struct {
        const char *provider, *schema, *extra, *message;
    } cases[] = {
        {"openai", "{\"type\": \"object\", \"properties\": {\"a\": {}}, \"additionalProperties\": false}", NULL,
         "openai's strict structured outputs need every object closed: the output schema at $ does not list \"a\" in "
         "\"required\"; close it, or give extra {\"openai\": {\"response_format\": {\"json_schema\": {\"strict\": false}}}}"},
        {"openai", "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}}},"
                   " \"required\": [\"a\"], \"additionalProperties\": false}", NULL,
         "the output schema at $.properties.a.items does not set \"additionalProperties\": false"},
        {"anthropic", "{\"type\": \"object\", \"$defs\": {\"x\": {\"properties\": {}}}, \"additionalProperties\": false}", NULL,
         "anthropic's structured outputs need every object closed: the output schema at $.$defs.x does not set"},
        {"anthropic", "{\"type\": \"array\"}", NULL, "anthropic's structured outputs need an output schema of type object at its root"},
        {"anthropic", "{\"type\": \"object\", \"properties\": {\"a\": {}}, \"additionalProperties\": false}", NULL, NULL},
        {"openai", "{\"type\": \"object\"}", "{\"openai\": {\"response_format\": {\"json_schema\": {\"strict\": false}}}}", NULL},
        {"ollama", "{\"type\": \"object\"}", NULL, NULL},
        {"google", "{\"type\": \"string\", \"minLength\": 2}", NULL, NULL},   /* Gemini takes JSON Schema as it is */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_settings s = {0};
        s.model = "m";
        s.output_schema = json_loads(cases[i].schema, 0, NULL);
        s.extra = cases[i].extra ? json_loads(cases[i].extra, 0, NULL) : NULL;
        pd_provider_request r;
        pd_error err = {0};
        int rc = build_conv(pd_provider_for(cases[i].provider), cases[i].provider, "http://h/", "k", N_MSGS, &s, &r, &err);
        printf("# %s %s\n", cases[i].provider, cases[i].schema);
        if (cases[i].message) {
            CHECK_INT(rc, -1);
            if (!strstr(err.msg, cases[i].message))
                printf("#   got: %s\n", err.msg);
            CHECK(strstr(err.msg, cases[i].message) != NULL);
        } else {
            CHECK_INT(rc, 0);
            json_t *b = json_loads(r.body, 0, NULL);
            json_t *rf = json_object_get(json_object_get(b, "response_format"), "json_schema");
            if (!strcmp(cases[i].provider, "openai"))
                CHECK(json_is_false(json_object_get(rf, "strict")));
            if (!strcmp(cases[i].provider, "ollama"))
                CHECK(rf && json_object_get(rf, "strict") == NULL);
            json_decref(b);
            pd_provider_request_clear(&r);
        }
        json_decref(s.output_schema);
        json_decref(s.extra);
    }
}

/* A conversation with a history (two user turns in a row, a system message inside), an answer
 * with two parallel tool calls, their results, and a follow-up; each API's form of it. */
static const char conversation_json[] =
    "[{\"role\": \"system\", \"content\": \"Be brief.\"},"
    " {\"role\": \"user\", \"content\": \"Hello.\"},"
    " {\"role\": \"user\", \"content\": \"Still there?\"},"
    " {\"role\": \"developer\", \"content\": \"Use tools.\"},"
    " {\"role\": \"assistant\", \"content\": \"Let me look.\", \"tool_calls\": ["
    "   {\"id\": \"call_1\", \"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"signature\": \"SIG\"},"
    "   {\"id\": \"pd_call_2\", \"name\": \"get_time\", \"arguments\": {}}]},"
    " {\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"{\\\"temp\\\": 21}\"},"
    " {\"role\": \"tool\", \"tool_call_id\": \"pd_call_2\", \"name\": \"get_time\", \"content\": \"noon\"},"
    " {\"role\": \"user\", \"content\": \"Thanks.\"}]";

static json_t *build_json_conv(const char *provider, const char *json, pd_provider_request *r, pd_error *err, int *rc)
{
    pd_settings s = {0};
    s.model = "m";
    json_t *c = json_loads(json, 0, NULL);
    CHECK(c != NULL);
    *rc = pd_provider_build_request(pd_provider_for(provider), provider, NULL, "k", c, &s, r, err);
    json_decref(c);
    return *rc == 0 ? json_loads(r->body, 0, NULL) : NULL;
}

static void test_conversation_openai(void)
{
    pd_provider_request r;
    pd_error err = {0};
    int rc;
    json_t *b = build_json_conv("openai", conversation_json, &r, &err, &rc);
    CHECK_INT(rc, 0);
    CHECK_FIELD(b, "messages",
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello.\"},"
                "{\"role\":\"user\",\"content\":\"Still there?\"},{\"role\":\"developer\",\"content\":\"Use tools.\"},"
                "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":["
                "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},"
                "{\"id\":\"pd_call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},"
                "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"temp\\\": 21}\"},"
                "{\"role\":\"tool\",\"tool_call_id\":\"pd_call_2\",\"content\":\"noon\"},"
                "{\"role\":\"user\",\"content\":\"Thanks.\"}]");
    json_decref(b);
    pd_provider_request_clear(&r);
    /* an assistant turn of calls alone has content null */
    b = build_json_conv("openai",
                        "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                        "[{\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{bad\"}]}]",
                        &r, &err, &rc);
    CHECK_FIELD(json_array_get(json_object_get(b, "messages"), 1), "content", "null");
    CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(
                  json_object_get(b, "messages"), 1), "tool_calls"), 0), "function"), "arguments")),
              "{bad");   /* arguments that did not parse go back as they came */
    json_decref(b);
    pd_provider_request_clear(&r);
}

static void test_conversation_anthropic(void)
{
    pd_provider_request r;
    pd_error err = {0};
    int rc;
    json_t *b = build_json_conv("anthropic", conversation_json, &r, &err, &rc);
    CHECK_INT(rc, 0);
    CHECK_FIELD(b, "system", "\"Be brief.\\n\\nUse tools.\"");
    CHECK_FIELD(b, "messages",
                "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello.\"},{\"type\":\"text\",\"text\":\"Still there?\"}]},"
                "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Let me look.\"},"
                "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                "{\"type\":\"tool_use\",\"id\":\"pd_call_2\",\"name\":\"get_time\",\"input\":{}}]},"
                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"{\\\"temp\\\": 21}\"},"
                "{\"type\":\"tool_result\",\"tool_use_id\":\"pd_call_2\",\"content\":\"noon\"},"
                "{\"type\":\"text\",\"text\":\"Thanks.\"}]}]");
    json_decref(b);
    pd_provider_request_clear(&r);
    /* arguments that are not an object cannot be a tool_use input */
    b = build_json_conv("anthropic",
                        "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                        "[{\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{bad\"}]}]",
                        &r, &err, &rc);
    CHECK_INT(rc, -1);
    CHECK_STR(err.msg, "tool call c (f): its arguments are not a JSON object, which anthropic's tool_use input must be");
}

static void test_conversation_google(void)
{
    pd_provider_request r;
    pd_error err = {0};
    int rc;
    json_t *b = build_json_conv("google", conversation_json, &r, &err, &rc);
    CHECK_INT(rc, 0);
    CHECK_FIELD(b, "systemInstruction", "{\"parts\":[{\"text\":\"Be brief.\\n\\nUse tools.\"}]}");
    CHECK_FIELD(b, "contents",
                "[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello.\"},{\"text\":\"Still there?\"}]},"
                "{\"role\":\"model\",\"parts\":[{\"text\":\"Let me look.\"},"
                "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"},\"id\":\"call_1\"},\"thoughtSignature\":\"SIG\"},"
                "{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]},"
                "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"temp\":21},\"id\":\"call_1\"}},"
                "{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"result\":\"noon\"}}},"
                "{\"text\":\"Thanks.\"}]}]");
    json_decref(b);
    pd_provider_request_clear(&r);
    /* a result for a call nobody made, without a name */
    b = build_json_conv("google",
                        "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"tool_call_id\":\"zz\",\"content\":\"1\"}]",
                        &r, &err, &rc);
    CHECK_INT(rc, -1);
    CHECK(strstr(err.msg, "the tool result for call zz names no function") != NULL);
}

static void test_request_errors(void)
{
    pd_settings s = {0};
    pd_provider_request r;
    pd_error err = {0};
    CHECK_INT(build_conv(pd_provider_for("openai"), "openai", NULL, "k", N_MSGS, &s, &r, &err), -1);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    CHECK(strstr(err.msg, "no model") != NULL);
    s.model = "m";
    CHECK_INT(build_conv(pd_provider_for("anthropic"), "anthropic", NULL, "k", 2, &s, &r, &err), -1);
    CHECK(strstr(err.msg, "at least one user message") != NULL);
}

/* ---- decoding ---- */

typedef struct decoded {
    pd_buf text;
    pd_provider_stream st;
    pd_error err;
    int failed;
} decoded;

static void on_text(void *ud, const char *t, size_t n)
{
    pd_buf_append(&((decoded *)ud)->text, t, n);
}

static int on_event(void *ud, const pd_sse_event *ev)
{
    decoded *d = ud;
    if (pd_provider_decode(&d->st, ev, on_text, d, &d->err) != 0) {
        d->failed = 1;
        return 1;
    }
    return 0;
}

static void decode(const pd_provider_info *provider, const char *stream, decoded *d)
{
    memset(d, 0, sizeof *d);
    pd_provider_stream_init(&d->st, provider);
    pd_sse p;
    pd_sse_init(&p);
    pd_error err = {0};
    if (pd_sse_feed(&p, stream, strlen(stream), on_event, d, &err) == 0)
        pd_sse_finish(&p, on_event, d, &err);
    pd_sse_clear(&p);
}

static void decoded_free(decoded *d)
{
    pd_buf_free(&d->text);
    pd_provider_stream_clear(&d->st);
}

static void test_decode_openai(void)
{
    decoded d;
    decode(pd_provider_for("openai"),
           "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
           "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\":null}\n\n"
           ": keep-alive\n\n"
           "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\u00e9\"},\"finish_reason\":null}],\"usage\":null}\n\n"
           "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
           "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n"
           "data: [DONE]\n\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "Hello \xC3\xA9");
    CHECK_INT(d.st.input_tokens, 9);
    CHECK_INT(d.st.output_tokens, 3);
    CHECK_STR(d.st.finish_reason, "stop");
    CHECK_INT(d.st.finish, PD_FINISH_STOP);
    CHECK(d.st.ended);
    CHECK(!d.failed);
    decoded_free(&d);
}

/* The calls gathered in a stream, as the record keeps them (compact JSON; caller frees). */
static char *calls_json(const pd_provider_stream *st, bool complete_only)
{
    json_t *a = json_array();
    for (size_t i = 0; i < st->n_calls; i++)
        if (!complete_only || st->calls[i].complete)
            json_array_append_new(a, pd_tool_call_json(&st->calls[i]));
    char *out = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    return out;
}

#define CHECK_CALLS(st, complete_only, expected)                                                       \
    do {                                                                                               \
        char *c_ = calls_json(st, complete_only);                                                      \
        CHECK_STR(c_, expected);                                                                       \
        free(c_);                                                                                      \
    } while (0)

/* Two calls at once, their arguments in pieces interleaved: kept apart, no text. */
static void test_decode_openai_tool_calls(void)
{
    decoded d;
    decode(pd_provider_for("openai"),
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"time\",\"arguments\":\"{}\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}}]}\n\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "");
    CHECK_INT(d.st.n_calls, 2);
    CHECK_CALLS(&d.st, true, "[]");   /* not whole until the answer finishes */
    pd_sse_event fin = {.event = "message",
                        .data = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"};
    fin.data_len = strlen(fin.data);
    CHECK_INT(pd_provider_decode(&d.st, &fin, on_text, &d, &d.err), 0);
    CHECK_CALLS(&d.st, true,
                "[{\"id\":\"call_1\",\"name\":\"lookup\",\"arguments\":{\"q\":1}},{\"id\":\"call_2\",\"name\":\"time\",\"arguments\":{}}]");
    CHECK_STR(d.st.finish_reason, "tool_calls");
    CHECK_INT(d.st.finish, PD_FINISH_TOOL_CALLS);
    decoded_free(&d);
}

/* Text, then two tool_use blocks streamed as input_json_delta pieces; each call is whole at its
 * block's end. */
static void test_decode_anthropic_tool_calls(void)
{
    decoded d;
    decode(pd_provider_for("anthropic"),
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}\n\n"
           "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_A\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
           "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_B\",\"name\":\"get_time\",\"input\":{}}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"zone\\\"\"}}\n\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "Checking.");
    CHECK_CALLS(&d.st, true, "[{\"id\":\"toolu_A\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]");
    CHECK_CALLS(&d.st, false,
                "[{\"id\":\"toolu_A\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}},"
                "{\"id\":\"toolu_B\",\"name\":\"get_time\",\"arguments\":\"{\\\"zone\\\"\"}]");   /* cut: the text so far */
    decoded_free(&d);
}

/* Whole calls in one part each; ids made up when Gemini gives none; the signature kept; STOP
 * after calls is tool_calls. */
static void test_decode_google_tool_calls(void)
{
    decoded d;
    decode(pd_provider_for("google"),
           "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"SIG1\"},"
           "{\"functionCall\":{\"name\":\"get_time\",\"args\":{},\"id\":\"g-2\"}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}\r\n\r\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "");
    CHECK_CALLS(&d.st, true,
                "[{\"id\":\"pd_call_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"},\"signature\":\"SIG1\"},"
                "{\"id\":\"g-2\",\"name\":\"get_time\",\"arguments\":{}}]");
    CHECK_INT(d.st.finish, PD_FINISH_TOOL_CALLS);
    CHECK_STR(d.st.finish_reason, "STOP");
    decoded_free(&d);
}

static void test_decode_anthropic(void)
{
    decoded d;
    decode(pd_provider_for("anthropic"),
           "event: message_start\ndata: {\"type\": \"message_start\", \"message\": {\"id\": \"msg_1\", \"type\": \"message\", \"role\": \"assistant\", \"content\": [], \"model\": \"claude\", \"stop_reason\": null, \"stop_sequence\": null, \"usage\": {\"input_tokens\": 25, \"output_tokens\": 1}}}\n\n"
           "event: content_block_start\ndata: {\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"text\", \"text\": \"\"}}\n\n"
           "event: ping\ndata: {\"type\": \"ping\"}\n\n"
           "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"Hello\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"!\"}}\n\n"
           "event: content_block_stop\ndata: {\"type\": \"content_block_stop\", \"index\": 0}\n\n"
           "event: message_delta\ndata: {\"type\": \"message_delta\", \"delta\": {\"stop_reason\": \"end_turn\", \"stop_sequence\":null}, \"usage\": {\"output_tokens\": 15}}\n\n"
           "event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "Hello!");
    CHECK_INT(d.st.input_tokens, 25);
    CHECK_INT(d.st.output_tokens, 15);
    CHECK_STR(d.st.finish_reason, "end_turn");
    CHECK_INT(d.st.finish, PD_FINISH_STOP);
    CHECK(d.st.ended);
    decoded_free(&d);
}

static void test_decode_google(void)
{
    decoded d;
    decode(pd_provider_for("google"),
           "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,\"candidatesTokenCount\": 1,\"totalTokenCount\": 9},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"
           "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"lo\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,\"candidatesTokenCount\": 2,\"totalTokenCount\": 10}}\r\n\r\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "Hello");
    CHECK_INT(d.st.input_tokens, 8);
    CHECK_INT(d.st.output_tokens, 2);
    CHECK_STR(d.st.finish_reason, "STOP");
    CHECK_INT(d.st.finish, PD_FINISH_STOP);
    CHECK(d.st.ended);
    decoded_free(&d);
}

/* A stream that ends with the provider's word `word` for one answer; "" for a Gemini blocked prompt. */
static pd_finish finish_of(const char *provider, const char *word)
{
    char stream[1024];
    if (!strcmp(provider, "openai"))
        snprintf(stream, sizeof stream, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"%s\"}]}\n\ndata: [DONE]\n\n", word);
    else if (!strcmp(provider, "anthropic"))
        snprintf(stream, sizeof stream,
                 "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}\n\n"
                 "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", word);
    else if (*word)
        snprintf(stream, sizeof stream, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},\"finishReason\":\"%s\",\"index\":0}]}\r\n\r\n", word);
    else
        snprintf(stream, sizeof stream, "data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}\r\n\r\n");
    decoded d;
    decode(pd_provider_for(provider), stream, &d);
    CHECK(!d.failed);
    CHECK(d.st.ended);
    pd_finish f = d.st.finish;
    if (*word)
        CHECK_STR(d.st.finish_reason, word);
    decoded_free(&d);
    return f;
}

/* Every provider's words map to the five reasons; a word nobody knows is an error. */
static void test_finish_reasons(void)
{
    CHECK_INT(finish_of("openai", "stop"), PD_FINISH_STOP);
    CHECK_INT(finish_of("openai", "length"), PD_FINISH_LENGTH);
    CHECK_INT(finish_of("openai", "tool_calls"), PD_FINISH_TOOL_CALLS);
    CHECK_INT(finish_of("openai", "function_call"), PD_FINISH_TOOL_CALLS);
    CHECK_INT(finish_of("openai", "content_filter"), PD_FINISH_CONTENT_FILTER);
    CHECK_INT(finish_of("openai", "eos"), PD_FINISH_ERROR);
    CHECK_INT(finish_of("anthropic", "end_turn"), PD_FINISH_STOP);
    CHECK_INT(finish_of("anthropic", "stop_sequence"), PD_FINISH_STOP);
    CHECK_INT(finish_of("anthropic", "max_tokens"), PD_FINISH_LENGTH);
    CHECK_INT(finish_of("anthropic", "model_context_window_exceeded"), PD_FINISH_LENGTH);
    CHECK_INT(finish_of("anthropic", "pause_turn"), PD_FINISH_LENGTH);
    CHECK_INT(finish_of("anthropic", "tool_use"), PD_FINISH_TOOL_CALLS);
    CHECK_INT(finish_of("anthropic", "refusal"), PD_FINISH_CONTENT_FILTER);
    CHECK_INT(finish_of("google", "STOP"), PD_FINISH_STOP);
    CHECK_INT(finish_of("google", "MAX_TOKENS"), PD_FINISH_LENGTH);
    CHECK_INT(finish_of("google", "SAFETY"), PD_FINISH_CONTENT_FILTER);
    CHECK_INT(finish_of("google", "RECITATION"), PD_FINISH_CONTENT_FILTER);
    CHECK_INT(finish_of("google", "SPII"), PD_FINISH_CONTENT_FILTER);
    CHECK_INT(finish_of("google", "MALFORMED_FUNCTION_CALL"), PD_FINISH_ERROR);
    CHECK_INT(finish_of("google", "OTHER"), PD_FINISH_ERROR);
    CHECK_INT(finish_of("google", ""), PD_FINISH_CONTENT_FILTER);   /* a blocked prompt */

    CHECK_STR(pd_finish_name(PD_FINISH_CONTENT_FILTER), "content_filter");
    CHECK(pd_finish_name(PD_FINISH_UNKNOWN) == NULL);
    for (int f = PD_FINISH_STOP; f <= PD_FINISH_ERROR; f++)
        CHECK_INT(pd_finish_parse(pd_finish_name((pd_finish)f)), f);
    CHECK_INT(pd_finish_parse("end_turn"), PD_FINISH_UNKNOWN);
    CHECK_INT(pd_finish_parse(NULL), PD_FINISH_UNKNOWN);
    CHECK(pd_finish_clean(PD_FINISH_STOP) && pd_finish_clean(PD_FINISH_TOOL_CALLS) && pd_finish_clean(PD_FINISH_UNKNOWN));
    CHECK(!pd_finish_clean(PD_FINISH_LENGTH) && !pd_finish_clean(PD_FINISH_CONTENT_FILTER) && !pd_finish_clean(PD_FINISH_ERROR));
}

static void test_decode_errors(void)
{
    decoded d;
    decode(pd_provider_for("anthropic"),
           "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"Par\"}}\n\n"
           "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n",
           &d);
    CHECK_STR(pd_buf_str(&d.text), "Par");
    CHECK(d.failed);
    CHECK_INT(d.err.code, PD_ERR_PROVIDER);
    CHECK_STR(d.err.msg, "the provider reported an error (overloaded_error): Overloaded");
    CHECK(!d.st.ended);
    decoded_free(&d);

    decode(pd_provider_for("openai"), "data: {\"choices\": [{\"delta\": {\"content\": \"x\"\n\n", &d);
    CHECK(d.failed);
    CHECK(strstr(d.err.msg, "not valid JSON") != NULL);
    decoded_free(&d);

    decode(pd_provider_for("google"), "data: {\"error\": {\"code\": 500, \"message\": \"An internal error has occurred.\", \"status\": \"INTERNAL\"}}\r\n\r\n", &d);
    CHECK_STR(d.err.msg, "the provider reported an error (INTERNAL): An internal error has occurred.");
    decoded_free(&d);
}

/* A request shown has its key header's value redacted, whatever the key's length. */
static void test_redact(void)
{
    static const char *const names[][3] = {{"openai", "Authorization", "Bearer [redacted]"},
                                           {"anthropic", "x-api-key", "[redacted]"},
                                           {"google", "x-goog-api-key", "[redacted]"}};
    for (size_t i = 0; i < 3; i++) {
        pd_settings s = {0};
        s.model = "m";
        pd_provider_request r;
        pd_error err = {0};
        CHECK_INT(build_conv(pd_provider_for(names[i][0]), names[i][0], NULL, "k1", N_MSGS, &s, &r, &err), 0);
        pd_provider_request_redact(pd_provider_for(names[i][0]), &r);
        CHECK_STR(header(&r, names[i][1]), names[i][2]);
        CHECK(strstr(r.body, "k1") == NULL);
        pd_provider_request_clear(&r);
    }
}

static void test_error_text_and_scrub(void)
{
    const char *o = "{\"error\": {\"message\": \"Incorrect API key provided: sk-abc123.\", \"type\": \"invalid_request_error\"}}";
    char *t = pd_provider_error_text(o, strlen(o));
    CHECK_STR(t, "Incorrect API key provided: sk-abc123.");
    char *s = pd_scrub_secret(t, "sk-abc123");
    CHECK_STR(s, "Incorrect API key provided: [redacted].");
    free(s);
    free(t);
    const char *g = "[{\"error\": {\"code\": 400, \"message\": \"API key not valid.\", \"status\": \"INVALID_ARGUMENT\"}}]";
    t = pd_provider_error_text(g, strlen(g));
    CHECK_STR(t, "API key not valid.");
    free(t);
    const char *a = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: x\"}}";
    t = pd_provider_error_text(a, strlen(a));
    CHECK_STR(t, "model: x");
    free(t);
    CHECK(pd_provider_error_text("<html>", 6) == NULL);
    s = pd_scrub_secret("k k kk", "k");   /* too short to scrub safely: unchanged */
    CHECK_STR(s, "k k kk");
    free(s);
}

/* Every entry is complete, names and aliases find their entry, other names speak OpenAI's format. */
static void test_table(void)
{
    size_t n = pd_provider_count();
    CHECK_INT(n, 3);
    CHECK(pd_provider_at(n) == NULL);
    CHECK_STR(pd_provider_at(0)->name, "openai");   /* the fallback comes first */
    for (size_t i = 0; i < n; i++) {
        const pd_provider_info *p = pd_provider_at(i);
        printf("# %s\n", p->name);
        CHECK(p->name && *p->name);
        CHECK(p->key_env && strstr(p->key_env, "_API_KEY") != NULL);
        CHECK(p->base_url_env && strstr(p->base_url_env, "_BASE_URL") != NULL);
        CHECK(p->default_base && strncmp(p->default_base, "https://", 8) == 0);
        CHECK(p->wire && p->wire->auth_header && p->wire->auth_prefix);
        CHECK(p->wire && p->wire->build && p->wire->decode);
        pd_error err = {0};
        CHECK(pd_provider_find(p->name, &err) == p);
        CHECK(pd_provider_for(p->name) == p);
        if (p->alias)
            CHECK(pd_provider_find(p->alias, &err) == p);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(pd_provider_at(j)->name, p->name) != 0);
    }
    CHECK(pd_provider_for("gemini") == pd_provider_for("google"));
    CHECK(pd_provider_for("ollama") == pd_provider_at(0));
    CHECK(pd_provider_for(NULL) == pd_provider_at(0));
    CHECK_STR(pd_provider_for("google")->key_env, "GEMINI_API_KEY");
    CHECK_STR(pd_provider_for("google")->key_env_alt, "GOOGLE_API_KEY");
    CHECK_STR(pd_provider_for("anthropic")->default_base, "https://api.anthropic.com");
    CHECK_STR(pd_provider_for("openai")->base_url_env, "OPENAI_BASE_URL");

    pd_error err = {0};
    CHECK(pd_provider_find("ollama", &err) == NULL);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    CHECK_STR(err.msg, "unknown provider 'ollama': the known ones are openai, anthropic, google (or gemini)");
    CHECK(pd_provider_find(NULL, &err) == NULL);
    CHECK(pd_provider_find("OpenAI", NULL) == NULL);   /* names are exact */
}

int main(void)
{
    RUN(test_openai_request);
    RUN(test_openai_compatible_request);
    RUN(test_anthropic_request);
    RUN(test_google_request);
    RUN(test_settings_refused);
    RUN(test_schema_rules);
    RUN(test_conversation_openai);
    RUN(test_conversation_anthropic);
    RUN(test_conversation_google);
    RUN(test_request_errors);
    RUN(test_decode_openai);
    RUN(test_decode_openai_tool_calls);
    RUN(test_decode_anthropic);
    RUN(test_decode_anthropic_tool_calls);
    RUN(test_decode_google);
    RUN(test_decode_google_tool_calls);
    RUN(test_finish_reasons);
    RUN(test_decode_errors);
    RUN(test_redact);
    RUN(test_error_text_and_scrub);
    RUN(test_table);
    T_DONE();
}
