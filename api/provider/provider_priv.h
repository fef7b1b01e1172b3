/* provider_priv.h: what provider.c shares with the per-provider files (not for other modules). */
#ifndef PD_MODULE_provider
#error "provider/provider_priv.h is private to the provider module: include provider/provider.h"
#endif
#ifndef PD_PROVIDER_PRIV_H
#define PD_PROVIDER_PRIV_H

#include "provider.h"

/* How a provider speaks: the part of its descriptor that only this module uses. */
struct pd_provider_wire {
    /* The key's header: "Authorization" with "Bearer ", "x-api-key" with "" ... */
    const char *auth_header, *auth_prefix;
    /* Makes the body (*body, a new object) and out->url, and adds the provider's own headers;
     * provider.c has checked the model and extra's names, added Content-Type, Accept and the
     * key's header, and afterwards merges extra's block for this provider into the body. */
    int (*build)(const char *provider_name, const char *base, json_t *messages, const pd_settings *s,
                 json_t **body, pd_provider_request *out, pd_error *err);
    /* Before JSON parsing: an event whose data is end_data ("[DONE]") ends the stream, an event
     * named ignored_event ("ping") is skipped (either NULL: none). */
    const char *end_data, *ignored_event;
    /* A chunk with a non-null "error" member is an error (Anthropic: false, it sends error
     * events that decode reads itself). */
    bool error_member;
    /* One parsed chunk; event is the SSE event name ("message" when none). */
    int (*decode)(pd_provider_stream *st, const char *event, json_t *j, pd_provider_text_cb on_text,
                  void *ud, pd_error *err);
};

/* The descriptors, one per provider_<name>.c. */
extern const pd_provider_info pd_provider_openai, pd_provider_anthropic, pd_provider_google;

/* ---- helpers ---- */
/* Adds a header (value copied). */
void pd_provider_add_header(pd_provider_request *r, const char *name, const char *value);
/* base + path, with exactly one '/' between them. Caller frees. */
char *pd_url_join(const char *base, const char *path);
/* A tool definition's name, description and parameters schema, whether it is written as
 * {"name", "description", "parameters"|"input_schema"} or OpenAI's
 * {"type": "function", "function": {...}}. Borrowed references; NULL when absent. */
void pd_tool_parts(json_t *tool, json_t **name, json_t **description, json_t **parameters);
/* The text of json (a string) or "" (borrowed). */
const char *pd_json_str(json_t *j, const char *key);
/* A provider's finish words and what they mean; a table ends with {NULL, 0}. */
typedef struct pd_finish_word {
    const char *word;
    pd_finish finish;
} pd_finish_word;
/* Sets st->finish_reason to word and st->finish to word's meaning in words (a word the table
 * does not know: PD_FINISH_ERROR, so that it is noticed). */
void pd_stream_set_finish(pd_provider_stream *st, const char *word, const pd_finish_word *words);
/* A provider's error object ({"message", "type"/"status", "code"}) as one line into err. */
int pd_provider_stream_error(json_t *error_obj, pd_error *err);
/* ---- output schemas ---- */
/* Checks that schema keeps the rules of a provider's constrained decoding: every object schema
 * (one with "properties", or type "object") sets additionalProperties to false, and with
 * all_required lists each of its properties in "required" (OpenAI's strict mode); the root is an
 * object. INVALID_REQUEST naming the first place that does not, for the provider and feature
 * named ("openai's strict structured outputs"), and how to fix it (hint). */
int pd_schema_check_closed(json_t *schema, bool all_required, const char *feature, const char *hint, pd_error *err);

/* ---- the conversation (see provider.h) ---- */
/* A message's role (NULL for a placeholder) and text ("" when none; borrowed). */
const char *pd_msg_role(json_t *m);
const char *pd_msg_text(json_t *m);
/* True for system and developer: the instructions, which Anthropic and Gemini take apart. */
bool pd_msg_is_system(const char *role);
/* System and developer messages' contents joined by a blank line; NULL when there are none.
 * Caller frees. */
char *pd_system_text(json_t *messages);
/* One message (messages[i], role not system) as the items of its turn (content blocks, parts):
 * *out a new array. */
typedef int (*pd_turn_items_fn)(json_t *messages, size_t i, const char *role, json_t **out, pd_error *err);
/* The turns of an API without a system role: system and developer messages left out (see
 * pd_system_text), each other message's items from items_of under key ("content", "parts") in a
 * turn of role "user", or model_role for the assistant's; consecutive messages of one role merged
 * into one turn, so that the two alternate. No turn at all is an error naming the provider.
 * *out a new array. */
int pd_turns_build(json_t *messages, const char *provider, const char *model_role, const char *key,
                   pd_turn_items_fn items_of, json_t **out, pd_error *err);
/* A call's arguments as the object the API needs (field names it: "anthropic's tool_use
 * input"): borrowed; NULL with INVALID_REQUEST when they are not one (text that did not parse). */
json_t *pd_call_args_object(json_t *call, const char *field, pd_error *err);
/* The id a call is sent with: NULL for an id made up here (PD_LOCAL_CALL_ID_PREFIX). */
const char *pd_call_sent_id(const char *id);
/* The function a tool result answers: the message's "name", else the name of the call with its
 * tool_call_id in the messages before index `before`. NULL when neither is known. */
const char *pd_tool_result_name(json_t *messages, size_t before, json_t *result);
/* ---- settings ---- */
/* The fields a provider gives the provider-neutral settings: the version's temperature, top_p,
 * max_output_tokens and stop_sequences, and extra's neutral names seed, presence_penalty,
 * frequency_penalty and top_k. NULL: the API has no such field, and a version that sets it is
 * refused before anything is sent. */
typedef struct pd_setting_names {
    const char *temperature, *top_p, *max_tokens, *stop, *seed, *presence_penalty, *frequency_penalty, *top_k;
    size_t max_stop;           /* the most stop sequences the API takes; 0: no limit */
    double max_temperature;    /* 0: 2 */
} pd_setting_names;
/* Puts every neutral setting s sets on obj (the body, Gemini's generationConfig) under its name
 * for the provider (named in errors). INVALID_REQUEST for a setting the provider has no field for
 * or a value out of its range. */
int pd_provider_put_settings(json_t *obj, const pd_settings *s, const pd_setting_names *names, const char *provider,
                             pd_error *err);
/* The call at the provider's index, added (empty, incomplete) when there is none yet. */
pd_tool_call *pd_stream_call(pd_provider_stream *st, long index);

#endif
