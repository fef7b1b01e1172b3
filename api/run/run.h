/* run.h: a run: a version rendered with variables (Mustache, no escaping), sent to a provider,
 * streamed and recorded, as a non-blocking job; remembered variables.
 *
 *   run.h              this interface
 *   run_priv.h         run.c's helpers for keys and base URLs (internal to the run module)
 *   prompt_render.c    renders a version's messages with variables (no escaping: prompts are not HTML)
 *   remembered_vars.c  the values last given to a prompt's variables
 *   run.c              a run as a job: render, request, SSE + provider decoding, retries, faults, the record
 *   run_messages.c     the conversation a run sends: history placeholders filled from a variable
 *   run_prices.c       the price table (data/prices.tsv and the user's own) and the cost of a run's tokens
 *   run_resolve.c      what a run uses: the API key and the base URL
 */
#ifndef PD_RUN_H
#define PD_RUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "net/net.h"
#include "model/model.h"
#include "provider/provider.h"   /* pd_provider_request */
#include "store/store.h"
#include "template/template.h"   /* pd_partial_lookup, pd_tpl_* */

/* run.h: running a prompt version against a model as a non-blocking job (render, send, stream, record). */



/* A run advances inside the caller's loop through the pd_http it was started on (see http.h):
 * any number of runs may share one pd_http and stream at once. Callbacks come from inside
 * pd_http_step / pd_http_wait, or from pd_run_cancel. */
typedef struct pd_run pd_run;
typedef struct pd_prices pd_prices;   /* the price table: see "prices" below */

typedef struct pd_run_callbacks {
    /* Answer text as it arrives (UTF-8 as the provider sent it; may split nowhere inside a
     * character since it comes from decoded JSON strings). No key promptdeck knows (the run's,
     * every provider's environment variable, the config's "*.api_key") appears in it, nor in the
     * record, its error or its tool calls: each is replaced by "[redacted]", for which the last
     * len(longest key)-1 bytes are held back until more arrives or the run ends. May be NULL. */
    void (*on_delta)(void *ud, pd_run *run, const char *text, size_t n);
    /* The provider asked us to slow down (429) or was overloaded: attempt `attempt` (2, 3 ...)
     * starts in delay_ms. reason is a plain sentence. May be NULL. */
    void (*on_retry)(void *ud, pd_run *run, int attempt, long delay_ms, const char *reason);
    /* The run ended: rec->status is "ok", "error" or "cancelled", rec->output holds all text that
     * arrived, rec->error the message. The record was saved (when a store was given) before
     * this call; save_err is NULL or the reason saving failed. The run may be freed here. */
    void (*on_done)(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err);
    /* A tool call the model made, once all of it has arrived, as the record keeps it ({"id",
     * "name", "arguments": the parsed value or the text}; borrowed), in the provider's order.
     * May be NULL: the call is then given to on_delta as a text block
     * "\n[tool call NAME, id ID] ARGUMENTS\n" (which is not part of the record's output). */
    void (*on_tool_call)(void *ud, pd_run *run, json_t *call);
    void *ud;
} pd_run_callbacks;

typedef struct pd_run_options {
    const char *slug;              /* the prompt (for the record) */
    const pd_version *version;     /* what to run (copied) */
    json_t *variables;             /* object name -> value, or NULL; referenced, not stolen */
    /* Per-run overrides: a field set here wins over the version's (provider/model non-NULL,
     * has_temperature, max_output_tokens > 0, has_top_p, n_stop > 0, extra/tools/output_schema
     * non-NULL). May be NULL. */
    const pd_settings *overrides;
    const char *base_url;          /* overrides the environment and config; NULL: see below */
    const pd_config *config;       /* keys ("openai.api_key" ...) and base URLs; may be NULL */
    pd_store *store;               /* partials come from it and the record is saved in it; may be NULL */
    long connect_timeout_ms;       /* 0: run.connect_timeout, else PD_RUN_CONNECT_TIMEOUT_DEFAULT_MS */
    long idle_timeout_ms;          /* 0: run.idle_timeout, else PD_RUN_IDLE_TIMEOUT_DEFAULT_MS without
                                      a byte ends the run (reasoning models can think a minute
                                      before their first byte) */
    int max_attempts;              /* 0: 4 (one try and three retries on 429/529) */
    long retry_base_ms;            /* 0: 1000; doubles per retry when there is no Retry-After */
    long retry_max_ms;             /* 0: 60000; a longer Retry-After ends the run with an error */
    /* A conversation to send instead of the version's rendered messages (provider.h describes
     * it: a past run's from pd_run_conversation with the next turn added). The version then
     * gives only the settings. Borrowed. NULL: the version's messages are rendered and its
     * history placeholders filled from the variables (pd_run_fill_history). */
    json_t *messages;
    const char *continues;         /* the run this one continues (kept in the record), or NULL */
    /* Prices for the record's cost (pd_prices_cost); NULL: pd_prices_load(config) is read. */
    const pd_prices *prices;
    bool no_record;                /* partials still come from store, but no record is saved
                                      (an evaluation's many runs) */
    /* The answer kept at most (bytes; 0: the config's run.max_answer_bytes, else
     * PD_RUN_MAX_ANSWER_DEFAULT): more ends the run with an error, the text up to the cap kept
     * and recorded, pd_run_cut true. The timeouts given 0 likewise come from the config's
     * run.connect_timeout, run.idle_timeout and run.timeout (seconds) before their defaults; a
     * bad config value fails the start with its file:line. */
    size_t max_answer_bytes;
    /* The whole run at most, retries included (0: run.timeout, else PD_RUN_TIMEOUT_DEFAULT_MS): stops even a stream
     * that never goes idle; an error, the text so far kept. */
    long total_timeout_ms;
} pd_run_options;

#define PD_RUN_MAX_ANSWER_DEFAULT ((size_t)4 << 20)   /* 4 MiB */
#define PD_RUN_TIMEOUT_DEFAULT_MS 600000L             /* 10 minutes */
#define PD_RUN_CONNECT_TIMEOUT_DEFAULT_MS 10000L      /* 10 seconds */
#define PD_RUN_IDLE_TIMEOUT_DEFAULT_MS 120000L        /* 2 minutes without a byte */

/* Resolves, renders and starts the run. Fails without starting anything (and without a
 * record) when the version does not render (PD_ERR_MISSING_VARIABLES, PD_ERR_PARSE), a history
 * placeholder has no list of messages (PD_ERR_MISSING_VARIABLES) or a bad one, a tool call in
 * the conversation has no result (PD_ERR_INVALID_REQUEST), no model
 * is set, or the key is missing for the provider's official endpoint (PD_ERR_AUTH naming the
 * environment variable and config key), or the config file holding the key is readable by
 * others (PD_ERR_AUTH). Keys: the provider's environment variable (OPENAI_API_KEY,
 * ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY), else "<provider>.api_key" in the config.
 * Base URL: base_url, else the environment (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL), else "<provider>.base_url" in the config, else the official one.
 * *out is the caller's to free with pd_run_free (after on_done, or to stop it silently). */
int pd_run_start(pd_http *http, const pd_run_options *o, const pd_run_callbacks *cb, pd_run **out,
                 pd_error *err);
/* What pd_run_start would send, without sending anything or recording: the request (POST to
 * out->url, out->headers with the key's value shown as "[redacted]", out->body the JSON). The
 * same errors as pd_run_start before sending, except that a missing key is none (the request
 * then has no key's header). Caller clears out with pd_provider_request_clear. */
int pd_run_dry(const pd_run_options *o, pd_provider_request *out, pd_error *err);
/* Stops the run at once: the partial answer is kept, the status is "cancelled", the record is
 * saved and on_done is called before this returns. Nothing when the run already ended. */
void pd_run_cancel(pd_run *r);
/* Frees the run; a run still going is stopped without any callback and without a record. */
void pd_run_free(pd_run *r);

/* The record so far (output grows as deltas arrive; status "running" until the end). Borrowed. */
const pd_run_record *pd_run_record_of(const pd_run *r);
bool pd_run_done(const pd_run *r);
/* The run stopped because its answer reached max_answer_bytes (the status is "error"). */
bool pd_run_cut(const pd_run *r);
/* The environment variable that sets this run's key (for messages). Static string. */
const char *pd_run_key_env(const pd_run *r);
/* A run that arrived whole but did not end cleanly (finish length, content_filter or error):
 * a sentence saying so, e.g. "the answer is incomplete: it reached the output-token limit (raise
 * max_output_tokens) (finish: length, anthropic said max_tokens)"; NULL for any other run.
 * Caller frees. */
char *pd_run_unclean_notice(const pd_run_record *rec);

/* ---- prices (run_prices.c) ---- */
/* What tokens cost (pd_prices): lines "PROVIDER MODEL INPUT OUTPUT" (dollars per million input
 * and output tokens; MODEL a name or a prefix ending in *; '#' starts a comment), as in
 * data/prices.tsv. */
/* An empty table; pd_prices_free frees one (NULL is fine). */
pd_prices *pd_prices_new(void);
void pd_prices_free(pd_prices *p);
/* Adds the prices in the file at path (later ones win over earlier ones of the same name). A
 * line that is not a price is skipped and named in warnings ("FILE:LINE: what", may be NULL).
 * Errors: PD_ERR_NOT_FOUND (no such file), PD_ERR_IO. */
int pd_prices_add_file(pd_prices *p, const char *path, pd_buf *warnings, pd_error *err);
/* The table runs use: the one shipped with promptdeck ($PROMPTDECK_PRICES, else
 * share/promptdeck/prices.tsv by the program, the source tree's data/prices.tsv,
 * /usr/local/share or /usr/share/promptdeck/prices.tsv), then $XDG_CONFIG_HOME/promptdeck/prices.tsv,
 * then the file the config names ("prices.file"). Files not there are skipped; what could not be
 * read goes to warnings (may be NULL). Caller frees. */
pd_prices *pd_prices_load(const pd_config *cfg, pd_buf *warnings);
/* The cost in US dollars of in input and out output tokens on provider's model (the longest
 * name or prefix that matches; "gemini" is "google"; a "models/" prefix is dropped): false when
 * no price is known or a count is unknown (< 0). */
bool pd_prices_cost(const pd_prices *p, const char *provider, const char *model, long in, long out, double *cost);

/* ---- the conversation (run_messages.c) ---- */
/* The conversation of a version's rendered messages (pd_prompt_render): each message as
 * {"role", "content"}, each history placeholder replaced by the messages in the variable of its
 * name (a JSON array, or text holding one, as --var history=@file.json gives), checked by
 * pd_run_messages_check. An empty list inserts nothing. Errors: PD_ERR_MISSING_VARIABLES when the
 * variable is absent, PD_ERR_INVALID_REQUEST naming the message and field that is wrong.
 * *out is a new reference. */
int pd_run_fill_history(const pd_message *m, size_t n, json_t *vars, json_t **out, pd_error *err);
/* Checks a list of messages given by someone (a history variable, a conversation file) and
 * writes it in the conversation's form (provider.h): roles system, developer, user, assistant,
 * tool; content text (or [{"type": "text", "text"}] blocks, joined; null beside tool calls);
 * an assistant's tool_calls as {"id", "name", "arguments"} or OpenAI's {"id", "type",
 * "function": {"name", "arguments": "JSON text"}}; a tool message's tool_call_id (and name).
 * list may be a string holding the JSON. what names the list in messages ("the variable
 * 'history'"). *out is a new reference. */
int pd_run_messages_check(json_t *list, const char *what, json_t **out, pd_error *err);
/* A run's whole conversation: the messages it sent and its answer as the assistant's turn (text
 * and tool calls), to continue it. NULL for a record older than conversations (no messages).
 * New reference. */
json_t *pd_run_conversation(const pd_run_record *r);
/* Adds the result of the call call_id (asked for by the last assistant turn) as a tool message
 * with the call's name. PD_ERR_INVALID_REQUEST naming the calls there are when there is no such call. */
int pd_run_conversation_add_tool_result(json_t *conv, const char *call_id, const char *text, pd_error *err);
/* Adds a user message. */
void pd_run_conversation_add_user(json_t *conv, const char *text);
/* Every tool call of an assistant turn has its result after it, before the next assistant turn
 * (as every provider requires); PD_ERR_INVALID_REQUEST listing the calls without one. */
int pd_run_conversation_check(json_t *conv, pd_error *err);

/* The values last given to a prompt's variables, remembered for the next run's form: a JSON
 * object name -> value in $XDG_STATE_HOME/promptdeck/vars/<slug>.json ('/' in the slug written
 * as '%'), readable by the user only (file 0600, folder 0700). */
/* The file's path. Caller frees. */
char *pd_run_remembered_vars_path(const char *slug);
/* What is remembered for slug: a new object, empty when nothing is (no file, not a regular file,
 * a symlink, or not a JSON object: a file that cannot be used is as good as none). */
json_t *pd_run_remembered_vars_load(const char *slug);
/* Remembers values (an object name -> value, not stolen; may be NULL) over what is remembered
 * for slug: other names stay. Written atomically (a new file renamed into place, so a symlink
 * there is replaced, never followed). */
int pd_run_remembered_vars_save(const char *slug, json_t *values, pd_error *err);

/* prompt_render.h: rendering a prompt version's messages with variables (Mustache, no escaping),
 * listing the variables it uses, and reading partials from the library. */



typedef struct pd_render_opts {
    bool lenient;                  /* missing variables render empty; tags that do not parse stay
                                      literal text */
    pd_partial_lookup partials;    /* e.g. pd_store_partial_lookup with partials_ud = the store;
                                      may be NULL */
    void *partials_ud;
    json_t *partials_json;         /* object name -> template, consulted before `partials`; may be NULL */
} pd_render_opts;

/* Renders every message of v with vars (a JSON object; NULL = no variables). opts may be NULL
 * (strict, no partials). *out gets n_out = v->n_messages messages, same roles, rendered content;
 * placeholders are copied unchanged. Caller frees each with pd_message_clear and the array.
 * Errors: PD_ERR_MISSING_VARIABLES (strict) whose message lists every missing name with its
 * message index and line: "missing variables: topic (message 1, line 3), lang (message 2, line 1)"
 * (and "; missing partials: header (message 1, line 1)" for partials no lookup found);
 * PD_ERR_PARSE "message N:LINE:COL: what" (strict); PD_ERR_LIMIT; errors from the partial lookup. */
int pd_prompt_render(const pd_version *v, json_t *vars, const pd_render_opts *opts,
                     pd_message **out, size_t *n_out, pd_error *err);

/* A missing variable, for the app to point at. */
typedef struct pd_prompt_missing {
    char *name;
    size_t message;    /* 0-based index into v->messages */
    int line, col;     /* 1-based, in that message (or in the partial when partial is set) */
    char *partial;     /* NULL, or the partial the tag is in */
    bool is_partial;   /* name is a partial ({{> name}}) that no lookup found */
} pd_prompt_missing;
void pd_prompt_missing_free(pd_prompt_missing *m, size_t n);

/* Like pd_prompt_render but returns only the missing variables (unique by name, first-use order;
 * n = 0 when none). opts->lenient is honoured for parsing. Caller frees with pd_prompt_missing_free. */
int pd_prompt_missing_vars(const pd_version *v, json_t *vars, const pd_render_opts *opts,
                           pd_prompt_missing **out, size_t *n, pd_error *err);

/* A variable a version uses, for the variables form. */
typedef struct pd_prompt_var {
    char *name;        /* as written: "topic", "user.name", "examples" */
    bool section;      /* used as {{#name}} / {{^name}}: a list, object or flag */
    bool variable;     /* used as a value {{name}} somewhere */
    char *scope;       /* innermost enclosing section's name on first use, or NULL at top level */
    size_t message;    /* first use: 0-based message index */
    int line, col;
} pd_prompt_var;
void pd_prompt_var_free(pd_prompt_var *v, size_t n);

/* The variables of all messages, unique by name in first-use order. Partials are followed (through
 * opts' lookups; each partial once) so their variables are listed too. opts may be NULL. In strict
 * mode a message that does not parse fails with PD_ERR_PARSE; lenient skips what does not parse.
 * Caller frees with pd_prompt_var_free. */
int pd_prompt_variables(const pd_version *v, const pd_render_opts *opts, pd_prompt_var **out,
                        size_t *n, pd_error *err);
/* [{"name", "section", "variable", "scope", "message", "line", "col"}]. New reference. */
json_t *pd_prompt_vars_to_json(const pd_prompt_var *v, size_t n);

/* A pd_partial_lookup over the library: store is a pd_store *. "name" gives the latest version,
 * "name@N" version N. Absent: returns 0 with *out NULL. *out caller-frees. */
int pd_store_partial_lookup(void *store, const char *name, char **out, pd_error *err);

#endif
