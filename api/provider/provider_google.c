/* provider_google.c: Gemini streamGenerateContent?alt=sse: request and stream. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider_priv.h"

static json_t *tools_json(json_t *tools)
{
    json_t *decls = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tools, i, t) {
        json_t *name, *desc, *params;
        pd_tool_parts(t, &name, &desc, &params);
        json_t *d = json_object();
        if (name)
            json_object_set(d, "name", name);
        if (desc)
            json_object_set(d, "description", desc);
        if (params)
            json_object_set(d, "parametersJsonSchema", params);   /* JSON Schema; "parameters" takes only the OpenAPI subset */
        json_array_append_new(decls, d);
    }
    return json_pack("[{s:o}]", "functionDeclarations", decls);
}

/* A function's result as Gemini's functionResponse.response wants it, an object: the result's
 * JSON when it is an object, else {"result": its JSON value or its text}. */
static json_t *response_object(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    if (json_is_object(v))
        return v;
    json_t *o = json_object();
    json_object_set_new(o, "result", v ? v : json_string(text));
    return o;
}

/* One message as parts of its turn: text (left out when empty beside calls), a functionCall per
 * call (with its thoughtSignature), a functionResponse for a tool result. */
static int message_parts(json_t *messages, size_t i, const char *role, json_t **out, pd_error *err)
{
    json_t *m = json_array_get(messages, i);
    json_t *parts = json_array();
    const char *text = pd_msg_text(m);
    const char *id = json_string_value(json_object_get(m, "tool_call_id"));
    if (strcmp(role, "tool") == 0 && id) {
        const char *name = pd_tool_result_name(messages, i, m);
        if (!name) {
            json_decref(parts);
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "the tool result for call %s names no function and answers no call before it; gemini needs the function's name",
                                id);
        }
        json_t *fr = json_pack("{s:s, s:o}", "name", name, "response", response_object(text));
        if (pd_call_sent_id(id))
            json_object_set_new(fr, "id", json_string(id));
        json_array_append_new(parts, json_pack("{s:o}", "functionResponse", fr));
        *out = parts;
        return 0;
    }
    json_t *calls = json_object_get(m, "tool_calls");
    if (*text || !json_array_size(calls))
        json_array_append_new(parts, json_pack("{s:s}", "text", text));
    size_t k;
    json_t *c;
    json_array_foreach(calls, k, c) {
        json_t *args = pd_call_args_object(c, "gemini's functionCall args", err);
        if (!args) {
            json_decref(parts);
            return -1;
        }
        json_t *fc = json_pack("{s:s, s:O}", "name", pd_json_str(c, "name"), "args", args);
        const char *cid = pd_call_sent_id(json_string_value(json_object_get(c, "id")));
        if (cid)
            json_object_set_new(fc, "id", json_string(cid));
        json_t *part = json_pack("{s:o}", "functionCall", fc);
        json_t *sig = json_object_get(c, "signature");
        if (json_is_string(sig))
            json_object_set(part, "thoughtSignature", sig);
        json_array_append_new(parts, part);
    }
    *out = parts;
    return 0;
}

static int build(const char *provider_name, const char *base, json_t *messages, const pd_settings *s,
                 json_t **bodyp, pd_provider_request *out, pd_error *err)
{
    (void)provider_name;
    json_t *contents;   /* roles user and model */
    if (pd_turns_build(messages, "gemini", "model", "parts", message_parts, &contents, err) != 0)
        return -1;
    json_t *body = *bodyp = json_object();
    json_object_set_new(body, "contents", contents);
    char *system = pd_system_text(messages);
    if (system)
        json_object_set_new(body, "systemInstruction", json_pack("{s:[{s:s}]}", "parts", "text", system));
    free(system);
    json_t *gc = json_object();
    json_object_set_new(body, "generationConfig", gc);
    pd_setting_names names = {
        .temperature = "temperature",
        .top_p = "topP",
        .max_tokens = "maxOutputTokens",
        .stop = "stopSequences",
        .seed = "seed",
        .presence_penalty = "presencePenalty",
        .frequency_penalty = "frequencyPenalty",
        .top_k = "topK",
        .max_stop = 5,   /* "up to 5 character sequences" */
    };
    if (pd_provider_put_settings(gc, s, &names, "gemini", err) != 0)
        return -1;
    /* responseSchema takes only an OpenAPI subset; responseJsonSchema takes JSON Schema and needs
     * responseMimeType application/json. */
    if (s->output_schema) {
        json_object_set_new(gc, "responseMimeType", json_string("application/json"));
        json_object_set(gc, "responseJsonSchema", s->output_schema);
    }
    if (json_object_size(gc) == 0)
        json_object_del(body, "generationConfig");
    if (json_array_size(s->tools))
        json_object_set_new(body, "tools", tools_json(s->tools));

    const char *model = s->model;
    if (strncmp(model, "models/", 7) == 0)
        model += 7;
    char *esc = curl_easy_escape(NULL, model, 0);
    pd_buf path = PD_BUF_INIT;
    pd_buf_printf(&path, "v1beta/models/%s:streamGenerateContent?alt=sse", esc ? esc : model);
    curl_free(esc);
    out->url = pd_url_join(base, pd_buf_str(&path));
    pd_buf_free(&path);
    return 0;
}

/* Candidate.finishReason and PromptFeedback.blockReason (which blocks the prompt itself). STOP
 * after a function call means the calls are the answer. Any other word (OTHER, LANGUAGE,
 * MALFORMED_FUNCTION_CALL ...) is an error. */
static const pd_finish_word finish_words[] = {
    {"STOP", PD_FINISH_STOP},
    {"MAX_TOKENS", PD_FINISH_LENGTH},
    {"SAFETY", PD_FINISH_CONTENT_FILTER},
    {"RECITATION", PD_FINISH_CONTENT_FILTER},
    {"BLOCKLIST", PD_FINISH_CONTENT_FILTER},
    {"PROHIBITED_CONTENT", PD_FINISH_CONTENT_FILTER},
    {"SPII", PD_FINISH_CONTENT_FILTER},
    {"IMAGE_SAFETY", PD_FINISH_CONTENT_FILTER},
    {"IMAGE_PROHIBITED_CONTENT", PD_FINISH_CONTENT_FILTER},
    {"IMAGE_RECITATION", PD_FINISH_CONTENT_FILTER},
    {NULL, PD_FINISH_UNKNOWN},
};

static int decode(pd_provider_stream *st, const char *event, json_t *j, pd_provider_text_cb on_text, void *ud,
                  pd_error *err)
{
    (void)event;
    (void)err;
    json_t *um = json_object_get(j, "usageMetadata");
    if (json_is_object(um)) {
        json_t *in = json_object_get(um, "promptTokenCount"), *o = json_object_get(um, "candidatesTokenCount");
        if (json_is_integer(in))
            st->input_tokens = (long)json_integer_value(in);
        if (json_is_integer(o))
            st->output_tokens = (long)json_integer_value(o);
    }
    json_t *cand = json_array_get(json_object_get(j, "candidates"), 0);
    size_t i;
    json_t *part;
    json_array_foreach(json_object_get(json_object_get(cand, "content"), "parts"), i, part) {
        if (json_is_true(json_object_get(part, "thought")))
            continue;   /* thinking summaries are not the answer */
        json_t *text = json_object_get(part, "text");
        if (json_is_string(text) && json_string_length(text))
            on_text(ud, json_string_value(text), json_string_length(text));
        /* a whole call in one part; an id only when Gemini gives one; the thoughtSignature goes
         * back with it ("Thought signatures") */
        json_t *call = json_object_get(part, "functionCall");
        if (json_is_object(call)) {
            long n = (long)st->n_calls;
            pd_tool_call *c = pd_stream_call(st, n);
            const char *id = json_string_value(json_object_get(call, "id"));
            pd_buf made = PD_BUF_INIT;
            pd_buf_printf(&made, "%s%ld", PD_LOCAL_CALL_ID_PREFIX, n + 1);
            c->id = id && *id ? pd_strdup(id) : pd_buf_take(&made);
            pd_buf_free(&made);
            c->name = pd_strdup(pd_json_str(call, "name"));
            json_t *args = json_object_get(call, "args");
            char *args_text = args ? json_dumps(args, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
            pd_buf_puts(&c->arguments, args_text ? args_text : "{}");
            free(args_text);
            const char *sig = json_string_value(json_object_get(part, "thoughtSignature"));
            c->signature = sig ? pd_strdup(sig) : NULL;
            c->complete = true;
        }
    }
    json_t *fr = json_object_get(cand, "finishReason");
    if (json_is_string(fr)) {
        pd_stream_set_finish(st, json_string_value(fr), finish_words);
        if (st->finish == PD_FINISH_STOP && st->n_calls)
            st->finish = PD_FINISH_TOOL_CALLS;
        st->ended = true;
    }
    /* A blocked prompt gets no candidate: the block reason ends the answer. */
    json_t *block = json_object_get(json_object_get(j, "promptFeedback"), "blockReason");
    if (json_is_string(block)) {
        pd_stream_set_finish(st, json_string_value(block), finish_words);
        st->finish = PD_FINISH_CONTENT_FILTER;
        st->ended = true;
    }
    return 0;
}

static const pd_provider_wire wire = {
    .auth_header = "x-goog-api-key",
    .auth_prefix = "",
    .build = build,
    .error_member = true,
    .decode = decode,
};

const pd_provider_info pd_provider_google = {
    .name = "google",
    .alias = "gemini",
    .key_env = "GEMINI_API_KEY",
    .key_env_alt = "GOOGLE_API_KEY",
    .base_url_env = "GOOGLE_GEMINI_BASE_URL",
    .default_base = "https://generativelanguage.googleapis.com",
    .bad_key_400 = "API key",   /* 400 INVALID_ARGUMENT "API key not valid" */
    .wire = &wire,
};
