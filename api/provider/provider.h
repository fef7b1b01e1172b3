/* provider.h: model providers: one descriptor each, in a table; request building (URL, headers, JSON body) and stream decoding.
 *
 *   provider.h            this interface
 *   provider_priv.h       what provider.c shares with the per-provider files (not for other modules)
 *   provider.c            the provider table and look-up, the shared request/decoding helpers and error texts
 *   provider_anthropic.c  Anthropic messages API: request and stream (message_start ... message_stop)
 *   provider_google.c     Gemini streamGenerateContent?alt=sse: request and stream
 *   provider_openai.c     OpenAI chat completions (and every compatible server): request and stream
 */
#ifndef PD_PROVIDER_H
#define PD_PROVIDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "net/net.h"
#include "model/model.h"

/* What differs between providers, one descriptor each, defined in the provider's own file
 * (provider_openai.c, provider_anthropic.c, provider_google.c) and listed once in provider.c's
 * table. Callers ask the table (pd_provider_for, pd_provider_find) instead of testing names.
 * Adding a provider: one provider_<name>.c defining its descriptor, one line in the table. */
typedef struct pd_provider_wire pd_provider_wire;   /* request builder, auth, stream decoder:
                                                       private to the module */
typedef struct pd_provider_info {
    const char *name;            /* the official service: "openai", "anthropic", "google"; also
                                    its config prefix ("google.api_key") */
    const char *alias;           /* another name of the same service ("gemini") or NULL */
    const char *key_env;         /* OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY */
    const char *key_env_alt;     /* read when key_env is unset (GOOGLE_API_KEY) or NULL */
    const char *base_url_env;    /* OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL */
    const char *default_base;    /* https://api.openai.com/v1, https://api.anthropic.com,
                                    https://generativelanguage.googleapis.com */
    const char *bad_key_400;     /* text in a 400 answer's message meaning the key was refused
                                    (Gemini: "API key"), or NULL: only 401/403 mean that */
    const pd_provider_wire *wire;
} pd_provider_info;

/* The wire format a provider name speaks: the provider of that name or alias; any other name
 * (ollama, vllm, openrouter, lmstudio ...) and NULL speak OpenAI's chat completions. Never NULL. */
const pd_provider_info *pd_provider_for(const char *name);
/* The provider whose name or alias is name; NULL with PD_ERR_INVALID_REQUEST naming the known
 * ones when there is none. */
const pd_provider_info *pd_provider_find(const char *name, pd_error *err);
/* The table, openai first: entry i, NULL from pd_provider_count() on. */
const pd_provider_info *pd_provider_at(size_t i);
size_t pd_provider_count(void);

/* A request ready for pd_http_start. */
typedef struct pd_provider_request {
    char *url;
    pd_http_header headers[6];   /* names static; values owned (freed by _clear) */
    size_t n_headers;
    char *body;                  /* JSON */
} pd_provider_request;

/* The conversation the builders take, the same for every provider (the run module makes it: a
 * version's rendered messages with its history placeholders filled, then any later turns), a
 * JSON array of
 *   {"role": "system" | "developer" | "user" | "assistant", "content": "text"}
 *   {"role": "assistant", "content": "text, maybe empty",
 *    "tool_calls": [{"id", "name", "arguments": {...}, "signature": "..."}]}
 *   {"role": "tool", "tool_call_id": "the call's id", "name": "the function", "content": "result"}
 * "arguments" is the JSON value the model gave (its text when it did not parse); "signature" (a
 * Gemini thoughtSignature, may be absent) goes back exactly as it came. An id beginning with
 * PD_LOCAL_CALL_ID_PREFIX was made up for a call that came without one (Gemini) and is never
 * sent. A tool message without tool_call_id is text in the user's turn where the API has no
 * tool role (Anthropic, Gemini). Elements without a role (placeholders) are skipped.
 * Each builder adapts it to its API: OpenAI takes it as it is (tool_calls with arguments as JSON
 * text, role "tool" messages with tool_call_id); Anthropic lifts system and developer text into
 * "system", sends tool calls as tool_use blocks and results as tool_result blocks in the user's
 * turn, and merges consecutive turns of the same role so that user and assistant alternate;
 * Gemini lifts them into systemInstruction, names the roles user and model, sends calls as
 * functionCall parts and results as functionResponse parts, and merges the same way. */
#define PD_LOCAL_CALL_ID_PREFIX "pd_call_"

/* Builds the streaming request in p's wire format. provider_name is the settings' provider
 * (openai keeps the developer role and uses max_completion_tokens; other OpenAI-compatible names
 * get system and max_tokens). base_url NULL or "" is p's default; without a trailing slash is
 * fine either way. api_key may be NULL (no auth header: local servers). messages: the
 * conversation above (borrowed).
 * Errors: INVALID_REQUEST (no model, no user/assistant message for Anthropic/Gemini, a tool
 * result whose call is unknown, bad extra parameters). Caller frees with pd_provider_request_clear. */
int pd_provider_build_request(const pd_provider_info *p, const char *provider_name, const char *base_url,
                              const char *api_key, json_t *messages, const pd_settings *s,
                              pd_provider_request *out, pd_error *err);
void pd_provider_request_clear(pd_provider_request *r);
/* Replaces the key in r's key header (Authorization, x-api-key, x-goog-api-key) with
 * "[redacted]", keeping its prefix ("Bearer "): the request as it may be shown. */
void pd_provider_request_redact(const pd_provider_info *p, pd_provider_request *r);

/* Why an answer ended, the same for every provider (each provider's words are mapped in its own
 * file: OpenAI finish_reason, Anthropic stop_reason, Gemini finishReason / blockReason). */
typedef enum pd_finish {
    PD_FINISH_UNKNOWN = 0,      /* the provider said nothing (some compatible servers) */
    PD_FINISH_STOP,             /* complete: end of turn, a stop sequence */
    PD_FINISH_LENGTH,           /* cut at the output-token limit or the context window */
    PD_FINISH_TOOL_CALLS,       /* the model called tools and waits for their results */
    PD_FINISH_CONTENT_FILTER,   /* blocked or cut by the provider's filters, or refused */
    PD_FINISH_ERROR,            /* ended for another reason (a malformed call, an unknown word) */
} pd_finish;
/* "stop", "length", "tool_calls", "content_filter", "error"; NULL for PD_FINISH_UNKNOWN. */
const char *pd_finish_name(pd_finish f);
/* The value of a name above (PD_FINISH_UNKNOWN for NULL or another word). */
pd_finish pd_finish_parse(const char *name);
/* True when the answer ended as the model meant it: unknown, stop or tool_calls. */
bool pd_finish_clean(pd_finish f);

/* Decoding a stream: feed each SSE event; text goes to on_text as it arrives, tool calls are
 * gathered in the stream (pd_provider_stream.calls) as their pieces arrive. */
typedef void (*pd_provider_text_cb)(void *ud, const char *text, size_t n);

/* A tool call the model makes. Parallel calls are kept apart, in the order the provider gives. */
typedef struct pd_tool_call {
    char *id;                /* the provider's id; PD_LOCAL_CALL_ID_PREFIX and a number when it gave
                                none (Gemini) */
    char *name;
    pd_buf arguments;        /* JSON text, joined from the pieces as they arrive */
    char *signature;         /* Gemini's thoughtSignature for this call, or NULL */
    long index;              /* where the provider put it (OpenAI's tool_calls index, Anthropic's
                                content block) */
    bool complete;           /* all of it arrived (its block ended, the answer finished) */
} pd_tool_call;

typedef struct pd_provider_stream {
    const pd_provider_info *provider;
    long input_tokens, output_tokens;   /* -1 until known */
    char *finish_reason;                /* as the provider says it (stop, end_turn, STOP ...); owned */
    pd_finish finish;                   /* finish_reason mapped */
    bool ended;                         /* the provider's end marker was seen ([DONE],
                                           message_stop, a Gemini finishReason) */
    pd_tool_call *calls;                /* n_calls tool calls, in order; owned */
    size_t n_calls;
} pd_provider_stream;

/* Starts decoding p's stream format. */
void pd_provider_stream_init(pd_provider_stream *st, const pd_provider_info *p);
void pd_provider_stream_clear(pd_provider_stream *st);
/* Decodes one event. Returns 0; -1 with err for an error event in the stream (PD_ERR_PROVIDER,
 * the provider's message) or a chunk that is not valid JSON (PD_ERR_PROVIDER, saying so). */
int pd_provider_decode(pd_provider_stream *st, const pd_sse_event *ev, pd_provider_text_cb on_text,
                       void *ud, pd_error *err);
/* The stream ended well: every call gathered is complete. */
void pd_provider_stream_end(pd_provider_stream *st);
/* A call as the conversation and the run record keep it: {"id", "name", "arguments": the parsed
 * JSON value, or the text when it does not parse, "signature" when there is one}. New reference. */
json_t *pd_tool_call_json(const pd_tool_call *c);
/* The arguments of such a call as text: the text it holds, or its JSON dumped with
 * json_dumps_flags (JSON_COMPACT, JSON_INDENT(2) ...); "{}" when it has none. Caller frees. */
char *pd_tool_call_args_text(json_t *call, size_t json_dumps_flags);

/* The message inside an error response body ({"error": {"message": ...}} in its providers'
 * shapes), or NULL when the body has none. Caller frees. */
char *pd_provider_error_text(const char *body, size_t len);

/* Copies s with every occurrence of secret replaced by "[redacted]" (secret NULL or shorter
 * than 4 characters: a plain copy). Caller frees. */
char *pd_scrub_secret(const char *s, const char *secret);

#endif
