/* provider_anthropic.c: Anthropic messages API: request and stream (message_start ... message_stop). */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider_priv.h"

/* Anthropic needs max_tokens: this is used when the version sets none. */
#define DEFAULT_MAX_TOKENS 4096

static json_t *tools_json(json_t *tools)
{
    json_t *out = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tools, i, t) {
        json_t *name, *desc, *params;
        pd_tool_parts(t, &name, &desc, &params);
        json_t *tool = json_object();
        if (name)
            json_object_set(tool, "name", name);
        if (desc)
            json_object_set(tool, "description", desc);
        json_object_set_new(tool, "input_schema", params ? json_incref(params) : json_pack("{s:s}", "type", "object"));
        json_array_append_new(out, tool);
    }
    return out;
}

static json_t *text_block(const char *text)
{
    return json_pack("{s:s, s:s}", "type", "text", "text", text);
}

/* One message as content blocks of its turn: text (empty text is left out: the API refuses empty
 * blocks), tool_use blocks for an assistant's calls, a tool_result block for a tool message. */
static int message_blocks(json_t *messages, size_t i, const char *role, json_t **out, pd_error *err)
{
    json_t *m = json_array_get(messages, i);
    json_t *blocks = json_array();
    const char *text = pd_msg_text(m);
    json_t *id = json_object_get(m, "tool_call_id");
    if (strcmp(role, "tool") == 0 && json_is_string(id)) {
        json_array_append_new(blocks, json_pack("{s:s, s:O, s:s}", "type", "tool_result", "tool_use_id", id,
                                                "content", text));
        *out = blocks;
        return 0;
    }
    if (*text)
        json_array_append_new(blocks, text_block(text));
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(m, "tool_calls"), k, c) {
        json_t *args = pd_call_args_object(c, "anthropic's tool_use input", err);
        if (!args) {
            json_decref(blocks);
            return -1;
        }
        json_array_append_new(blocks, json_pack("{s:s, s:s, s:s, s:O}", "type", "tool_use", "id", pd_json_str(c, "id"),
                                                "name", pd_json_str(c, "name"), "input", args));
    }
    *out = blocks;
    return 0;
}

/* The turns: user and assistant alternate (tool results in the user's turn); a turn of one text
 * block is written as a plain string. */
static int turns_json(json_t *messages, json_t **out, pd_error *err)
{
    if (pd_turns_build(messages, "anthropic", "assistant", "content", message_blocks, out, err) != 0)
        return -1;
    size_t i;
    json_t *m;
    json_array_foreach(*out, i, m) {
        json_t *blocks = json_object_get(m, "content");
        json_t *first = json_array_get(blocks, 0);
        if (json_array_size(blocks) == 0)
            json_object_set_new(m, "content", json_string(""));
        else if (json_array_size(blocks) == 1 && strcmp(pd_json_str(first, "type"), "text") == 0)
            json_object_set(m, "content", json_object_get(first, "text"));
    }
    return 0;
}

static int build(const char *provider_name, const char *base, json_t *messages, const pd_settings *s,
                 json_t **bodyp, pd_provider_request *out, pd_error *err)
{
    (void)provider_name;
    /* "You should either alter temperature or top_p, but not both": Claude Sonnet 4.5 and later
     * refuse the two together. */
    if (s->has_temperature && s->has_top_p)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "anthropic takes temperature or top_p, not both (newer Claude models refuse the two "
                            "together): unset one for this provider");
    json_t *msgs;
    if (turns_json(messages, &msgs, err) != 0)
        return -1;
    json_t *body = *bodyp = json_object();
    json_object_set_new(body, "model", json_string(s->model));
    json_object_set_new(body, "max_tokens",
                        json_integer(s->max_output_tokens > 0 ? s->max_output_tokens : DEFAULT_MAX_TOKENS));
    char *system = pd_system_text(messages);
    if (system)
        json_object_set_new(body, "system", json_string(system));
    free(system);
    json_object_set_new(body, "messages", msgs);
    json_object_set_new(body, "stream", json_true());
    pd_setting_names names = {
        .temperature = "temperature",
        .top_p = "top_p",
        .max_tokens = "max_tokens",
        .stop = "stop_sequences",
        .top_k = "top_k",
        .max_temperature = 1,   /* "Ranges from 0.0 to 1.0" */
    };
    if (pd_provider_put_settings(body, s, &names, "anthropic", err) != 0)
        return -1;
    if (json_array_size(s->tools))
        json_object_set_new(body, "tools", tools_json(s->tools));
    /* Structured outputs ("JSON outputs"): the answer is text following the schema, and the
     * version's own tools stay callable. */
    if (s->output_schema) {
        if (pd_schema_check_closed(s->output_schema, false, "anthropic's structured outputs",
                                   "close it (\"additionalProperties\": false on each object)", err) != 0)
            return -1;
        json_object_set_new(body, "output_config",
                            json_pack("{s:{s:s, s:O}}", "format", "type", "json_schema", "schema", s->output_schema));
    }
    out->url = pd_url_join(base, "v1/messages");
    pd_provider_add_header(out, "anthropic-version", "2023-06-01");
    return 0;
}

static void usage_from(pd_provider_stream *st, json_t *usage)
{
    json_t *in = json_object_get(usage, "input_tokens"), *o = json_object_get(usage, "output_tokens");
    if (json_is_integer(in))
        st->input_tokens = (long)json_integer_value(in);
    if (json_is_integer(o))
        st->output_tokens = (long)json_integer_value(o);
}

/* stop_reason ("Stop reasons and fallback"): pause_turn (a server-tool loop hit its limit; send
 * the content back to go on) leaves the answer unfinished as max_tokens does. */
static const pd_finish_word finish_words[] = {
    {"end_turn", PD_FINISH_STOP},
    {"stop_sequence", PD_FINISH_STOP},
    {"max_tokens", PD_FINISH_LENGTH},
    {"model_context_window_exceeded", PD_FINISH_LENGTH},
    {"pause_turn", PD_FINISH_LENGTH},
    {"tool_use", PD_FINISH_TOOL_CALLS},
    {"refusal", PD_FINISH_CONTENT_FILTER},
    {NULL, PD_FINISH_UNKNOWN},
};

static int decode(pd_provider_stream *st, const char *event, json_t *j, pd_provider_text_cb on_text, void *ud,
                  pd_error *err)
{
    const char *type = pd_json_str(j, "type");
    if (!*type)
        type = event;
    if (!strcmp(type, "error"))
        return pd_provider_stream_error(json_object_get(j, "error"), err);
    long index = (long)json_integer_value(json_object_get(j, "index"));
    if (!strcmp(type, "message_start")) {
        usage_from(st, json_object_get(json_object_get(j, "message"), "usage"));
    } else if (!strcmp(type, "content_block_start")) {
        /* a tool_use block: the call's id and name, its input {} then given in pieces */
        json_t *block = json_object_get(j, "content_block");
        if (!strcmp(pd_json_str(block, "type"), "tool_use")) {
            pd_tool_call *c = pd_stream_call(st, index);
            free(c->id);
            free(c->name);
            c->id = pd_strdup(pd_json_str(block, "id"));
            c->name = pd_strdup(pd_json_str(block, "name"));
        }
    } else if (!strcmp(type, "content_block_delta")) {
        json_t *d = json_object_get(j, "delta");
        const char *dt = pd_json_str(d, "type");
        json_t *text = json_object_get(d, "text");
        if (!strcmp(dt, "text_delta") && json_is_string(text) && json_string_length(text))
            on_text(ud, json_string_value(text), json_string_length(text));
        else if (!strcmp(dt, "input_json_delta"))
            pd_buf_puts(&pd_stream_call(st, index)->arguments, pd_json_str(d, "partial_json"));
    } else if (!strcmp(type, "content_block_stop")) {
        for (size_t i = 0; i < st->n_calls; i++)
            if (st->calls[i].index == index)
                st->calls[i].complete = true;
    } else if (!strcmp(type, "message_delta")) {
        json_t *sr = json_object_get(json_object_get(j, "delta"), "stop_reason");
        if (json_is_string(sr))
            pd_stream_set_finish(st, json_string_value(sr), finish_words);
        usage_from(st, json_object_get(j, "usage"));
    } else if (!strcmp(type, "message_stop")) {
        st->ended = true;
        pd_provider_stream_end(st);
    }
    return 0;
}

static const pd_provider_wire wire = {
    .auth_header = "x-api-key",
    .auth_prefix = "",
    .build = build,
    .ignored_event = "ping",
    .error_member = false,   /* error events: decode */
    .decode = decode,
};

const pd_provider_info pd_provider_anthropic = {
    .name = "anthropic",
    .key_env = "ANTHROPIC_API_KEY",
    .base_url_env = "ANTHROPIC_BASE_URL",
    .default_base = "https://api.anthropic.com",
    .wire = &wire,
};
