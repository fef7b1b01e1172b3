/* provider_openai.c: OpenAI chat completions (and every compatible server): request and stream. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider_priv.h"

/* Tools as OpenAI wants them: {"type": "function", "function": {name, description, parameters}}. */
static json_t *tools_json(json_t *tools)
{
    json_t *out = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tools, i, t) {
        if (json_is_string(json_object_get(t, "type"))) {
            json_array_append(out, t);   /* already in OpenAI's shape */
            continue;
        }
        json_t *name, *desc, *params;
        pd_tool_parts(t, &name, &desc, &params);
        json_t *fn = json_object();
        if (name)
            json_object_set(fn, "name", name);
        if (desc)
            json_object_set(fn, "description", desc);
        if (params)
            json_object_set(fn, "parameters", params);
        json_array_append_new(out, json_pack("{s:s, s:o}", "type", "function", "function", fn));
    }
    return out;
}

/* A tool call as OpenAI sends and takes it: arguments as JSON text. */
static json_t *call_json(json_t *call)
{
    char *text = pd_tool_call_args_text(call, JSON_COMPACT);
    json_t *out = json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", pd_json_str(call, "id"), "type", "function", "function",
                            "name", pd_json_str(call, "name"), "arguments", text);
    free(text);
    return out;
}

static json_t *message_json(json_t *m, bool openai)
{
    const char *role = pd_msg_role(m);
    if (!openai && strcmp(role, "developer") == 0)
        role = "system";
    json_t *o = json_pack("{s:s}", "role", role);
    json_t *id = json_object_get(m, "tool_call_id");
    if (strcmp(role, "tool") == 0 && json_is_string(id))
        json_object_set(o, "tool_call_id", id);
    json_t *calls = json_object_get(m, "tool_calls");
    const char *text = pd_msg_text(m);
    /* content is optional beside tool_calls */
    json_object_set_new(o, "content", json_array_size(calls) && !*text ? json_null() : json_string(text));
    if (json_array_size(calls)) {
        json_t *out = json_array();
        size_t i;
        json_t *c;
        json_array_foreach(calls, i, c)
            json_array_append_new(out, call_json(c));
        json_object_set_new(o, "tool_calls", out);
    }
    return o;
}

/* extra {"openai": {"response_format": {"json_schema": {"strict": false}}}}: the version wants the
 * schema followed loosely. */
static bool strict_turned_off(json_t *extra)
{
    json_t *rf = json_object_get(json_object_get(extra, "openai"), "response_format");
    return json_is_false(json_object_get(json_object_get(rf, "json_schema"), "strict"));
}

static int build(const char *provider_name, const char *base, json_t *messages, const pd_settings *s,
                 json_t **bodyp, pd_provider_request *out, pd_error *err)
{
    /* Only OpenAI itself knows the developer role and max_completion_tokens; compatible servers
     * (ollama, vLLM, llama.cpp ...) expect system and max_tokens, and take top_k. */
    bool openai = !provider_name || strcmp(provider_name, pd_provider_openai.name) == 0;
    json_t *body = *bodyp = json_object();
    json_object_set_new(body, "model", json_string(s->model));
    json_t *msgs = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(messages, i, m)
        if (pd_msg_role(m))
            json_array_append_new(msgs, message_json(m, openai));
    json_object_set_new(body, "messages", msgs);
    json_object_set_new(body, "stream", json_true());
    json_object_set_new(body, "stream_options", json_pack("{s:b}", "include_usage", 1));
    pd_setting_names names = {
        .temperature = "temperature",
        .top_p = "top_p",
        .max_tokens = openai ? "max_completion_tokens" : "max_tokens",
        .stop = "stop",
        .seed = "seed",
        .presence_penalty = "presence_penalty",
        .frequency_penalty = "frequency_penalty",
        .top_k = openai ? NULL : "top_k",
        .max_stop = openai ? 4 : 0,   /* "Up to 4 sequences" */
    };
    if (pd_provider_put_settings(body, s, &names, provider_name ? provider_name : "openai", err) != 0)
        return -1;
    if (json_array_size(s->tools))
        json_object_set_new(body, "tools", tools_json(s->tools));
    if (s->output_schema) {
        /* "Structured Outputs": strict makes the model follow the schema exactly, which asks of it
         * that every object be closed and list all its properties as required. Compatible servers
         * get the schema without strict, as they may not know it. */
        json_t *rf = json_pack("{s:s, s:{s:s, s:O}}", "type", "json_schema", "json_schema", "name", "output", "schema",
                               s->output_schema);
        json_object_set_new(body, "response_format", rf);
        if (openai && !strict_turned_off(s->extra)) {
            if (pd_schema_check_closed(s->output_schema, true, "openai's strict structured outputs",
                                       "close it, or give extra {\"openai\": {\"response_format\": {\"json_schema\": "
                                       "{\"strict\": false}}}}",
                                       err) != 0)
                return -1;
            json_object_set_new(json_object_get(rf, "json_schema"), "strict", json_true());
        }
    }
    out->url = pd_url_join(base, "chat/completions");
    return 0;
}

/* Tool-call deltas: each call's id and name arrive first, then its arguments in pieces, all
 * under the call's index (parallel calls have their own). */
static void tool_calls(pd_provider_stream *st, json_t *calls)
{
    size_t i;
    json_t *d;
    json_array_foreach(calls, i, d) {
        json_t *ix = json_object_get(d, "index");
        pd_tool_call *c = pd_stream_call(st, json_is_integer(ix) ? (long)json_integer_value(ix) : (long)i);
        json_t *fn = json_object_get(d, "function");
        const char *id = json_string_value(json_object_get(d, "id"));
        const char *name = json_string_value(json_object_get(fn, "name"));
        if (id && !c->id)
            c->id = pd_strdup(id);
        if (name && !c->name)
            c->name = pd_strdup(name);
        pd_buf_puts(&c->arguments, pd_json_str(fn, "arguments"));
    }
}

/* finish_reason (the chat completion object); function_call is the deprecated name of tool_calls. */
static const pd_finish_word finish_words[] = {
    {"stop", PD_FINISH_STOP},
    {"length", PD_FINISH_LENGTH},
    {"tool_calls", PD_FINISH_TOOL_CALLS},
    {"function_call", PD_FINISH_TOOL_CALLS},
    {"content_filter", PD_FINISH_CONTENT_FILTER},
    {NULL, PD_FINISH_UNKNOWN},
};

static int decode(pd_provider_stream *st, const char *event, json_t *j, pd_provider_text_cb on_text, void *ud,
                  pd_error *err)
{
    (void)event;
    (void)err;
    json_t *usage = json_object_get(j, "usage");
    if (json_is_object(usage)) {
        json_t *in = json_object_get(usage, "prompt_tokens"), *outt = json_object_get(usage, "completion_tokens");
        if (json_is_integer(in))
            st->input_tokens = (long)json_integer_value(in);
        if (json_is_integer(outt))
            st->output_tokens = (long)json_integer_value(outt);
    }
    size_t i;
    json_t *choice;
    json_array_foreach(json_object_get(j, "choices"), i, choice) {
        if (json_integer_value(json_object_get(choice, "index")) != 0)
            continue;   /* we ask for one answer */
        json_t *delta = json_object_get(choice, "delta");
        json_t *content = json_object_get(delta, "content");
        if (json_is_string(content) && json_string_length(content))
            on_text(ud, json_string_value(content), json_string_length(content));
        json_t *refusal = json_object_get(delta, "refusal");
        if (json_is_string(refusal) && json_string_length(refusal))
            on_text(ud, json_string_value(refusal), json_string_length(refusal));
        tool_calls(st, json_object_get(delta, "tool_calls"));
        json_t *fr = json_object_get(choice, "finish_reason");
        if (json_is_string(fr)) {
            pd_stream_set_finish(st, json_string_value(fr), finish_words);
            pd_provider_stream_end(st);   /* the calls are whole */
        }
    }
    return 0;
}

static const pd_provider_wire wire = {
    .auth_header = "Authorization",
    .auth_prefix = "Bearer ",
    .build = build,
    .end_data = "[DONE]",
    .error_member = true,
    .decode = decode,
};

const pd_provider_info pd_provider_openai = {
    .name = "openai",
    .key_env = "OPENAI_API_KEY",
    .base_url_env = "OPENAI_BASE_URL",
    .default_base = "https://api.openai.com/v1",
    .wire = &wire,
};
