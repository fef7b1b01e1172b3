/* provider.h: model providers: request building (URL, headers, JSON body) and stream decoding. */
#ifndef PD_PROVIDER_H
#define PD_PROVIDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "net/net.h"
#include "model/model.h"

/* The wire formats. Any provider name other than anthropic / google (gemini) speaks OpenAI's
 * chat completions (ollama, vllm, openrouter, lmstudio ...). */
typedef enum {
    PD_PROVIDER_OPENAI = 0,
    PD_PROVIDER_ANTHROPIC,
    PD_PROVIDER_GOOGLE,
} pd_provider_kind;

/* The wire format of a provider name (NULL gives openai). */
pd_provider_kind pd_provider_kind_of(const char *name);
/* "openai", "anthropic", "google" (static). */
const char *pd_provider_kind_name(pd_provider_kind k);
/* The environment variable holding the key: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY. */
const char *pd_provider_key_env(pd_provider_kind k);
/* The environment variable holding the base URL (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL). */
const char *pd_provider_base_env(pd_provider_kind k);
/* The default base URL: https://api.openai.com/v1, https://api.anthropic.com,
 * https://generativelanguage.googleapis.com. */
const char *pd_provider_default_base(pd_provider_kind k);

/* Anthropic needs max_tokens: this is used when the version sets none. */
#define PD_ANTHROPIC_DEFAULT_MAX_TOKENS 4096

/* A request ready for pd_http_start. */
typedef struct pd_provider_request {
    char *url;
    pd_http_header headers[6];   /* names static; values owned (freed by _clear) */
    size_t n_headers;
    char *body;                  /* JSON */
} pd_provider_request;

/* Builds the streaming request. provider_name is the settings' provider (openai keeps the
 * developer role and uses max_completion_tokens; other OpenAI-compatible names get system and
 * max_tokens). base_url without a trailing slash is fine either way. api_key may be NULL (no
 * auth header: local servers). Messages with role NULL (placeholders) are skipped.
 * Errors: INVALID_REQUEST (no model, no user/assistant message for Anthropic/Gemini, bad
 * extra parameters). Caller frees with pd_provider_request_clear. */
int pd_provider_build_request(pd_provider_kind kind, const char *provider_name, const char *base_url,
                              const char *api_key, const pd_message *messages, size_t n_messages,
                              const pd_settings *s, pd_provider_request *out, pd_error *err);
void pd_provider_request_clear(pd_provider_request *r);

/* Decoding a stream: feed each SSE event; text goes to on_text as it arrives. */
typedef void (*pd_provider_text_cb)(void *ud, const char *text, size_t n);

typedef struct pd_provider_stream {
    pd_provider_kind kind;
    long input_tokens, output_tokens;   /* -1 until known */
    char *finish_reason;                /* as the provider says it (stop, end_turn, STOP ...); owned */
    bool ended;                         /* the provider's end marker was seen ([DONE],
                                           message_stop, a Gemini finishReason) */
    char *tool_name;                    /* Anthropic: the tool_use block being streamed; owned */
} pd_provider_stream;

void pd_provider_stream_init(pd_provider_stream *st, pd_provider_kind kind);
void pd_provider_stream_clear(pd_provider_stream *st);
/* Decodes one event. Returns 0; -1 with err for an error event in the stream (PD_ERR_PROVIDER,
 * the provider's message) or a chunk that is not valid JSON (PD_ERR_PROVIDER, saying so). */
int pd_provider_decode(pd_provider_stream *st, const pd_sse_event *ev, pd_provider_text_cb on_text,
                       void *ud, pd_error *err);

/* The message inside an error response body ({"error": {"message": ...}} in its providers'
 * shapes), or NULL when the body has none. Caller frees. */
char *pd_provider_error_text(const char *body, size_t len);

/* Copies s with every occurrence of secret replaced by "[redacted]" (secret NULL or shorter
 * than 4 characters: a plain copy). Caller frees. */
char *pd_scrub_secret(const char *s, const char *secret);

#endif
