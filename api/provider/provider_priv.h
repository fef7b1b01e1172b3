/* provider_impl.h: what provider.c shares with the per-provider files (not for other modules). */
#ifndef PD_MODULE_provider
#error "provider/provider_priv.h is private to the provider module: include provider/provider.h"
#endif
#ifndef PD_PROVIDER_IMPL_H
#define PD_PROVIDER_IMPL_H

#include "provider.h"

/* Each provider fills url, auth headers and body; provider.c adds the common headers. */
int pd_openai_build(const char *provider_name, const char *base, const char *api_key,
                    const pd_message *m, size_t n, const pd_settings *s, pd_provider_request *out,
                    pd_error *err);
int pd_anthropic_build(const char *base, const char *api_key, const pd_message *m, size_t n,
                       const pd_settings *s, pd_provider_request *out, pd_error *err);
int pd_google_build(const char *base, const char *api_key, const pd_message *m, size_t n,
                    const pd_settings *s, pd_provider_request *out, pd_error *err);

int pd_openai_decode(pd_provider_stream *st, json_t *j, pd_provider_text_cb on_text, void *ud, pd_error *err);
int pd_anthropic_decode(pd_provider_stream *st, const char *event, json_t *j, pd_provider_text_cb on_text,
                        void *ud, pd_error *err);
int pd_google_decode(pd_provider_stream *st, json_t *j, pd_provider_text_cb on_text, void *ud, pd_error *err);

/* ---- helpers ---- */
/* Adds a header (value copied). */
void pd_provider_add_header(pd_provider_request *r, const char *name, const char *value);
/* base + path, with exactly one '/' between them. Caller frees. */
char *pd_url_join(const char *base, const char *path);
/* Merges settings->extra into body (objects merge recursively, other values replace).
 * Steals nothing. */
void pd_provider_merge_extra(json_t *body, const pd_settings *s);
/* Dumps body compactly into out->body and decrefs it. */
void pd_provider_set_body(pd_provider_request *out, json_t *body);
/* A tool definition's name, description and parameters schema, whether it is written as
 * {"name", "description", "parameters"|"input_schema"} or OpenAI's
 * {"type": "function", "function": {...}}. Borrowed references; NULL when absent. */
void pd_tool_parts(json_t *tool, json_t **name, json_t **description, json_t **parameters);
/* The text of json (a string) or "" (borrowed). */
const char *pd_json_str(json_t *j, const char *key);
/* Sets st->finish_reason. */
void pd_stream_set_finish(pd_provider_stream *st, const char *reason);
/* A provider's error object ({"message", "type"/"status", "code"}) as one line into err. */
int pd_provider_stream_error(json_t *error_obj, pd_error *err);
/* System and developer messages' contents joined by a blank line; NULL when there are none.
 * Caller frees. */
char *pd_system_text(const pd_message *m, size_t n);
/* Sets the sampling settings that are set in s on obj under the provider's names (NULL: leave out):
 * temperature, top_p, the output-token limit and the stop sequences (as an array). */
typedef struct pd_sampling_names {
    const char *temperature, *top_p, *max_tokens, *stop;
} pd_sampling_names;
void pd_provider_put_sampling(json_t *obj, const pd_settings *s, const pd_sampling_names *names);
/* Emits "[tool call NAME] " through on_text. */
void pd_emit_tool_call(const char *name, pd_provider_text_cb on_text, void *ud);

#endif
