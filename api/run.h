/* run.h: running a prompt version against a model as a non-blocking job (render, send, stream, record). */
#ifndef PD_RUN_H
#define PD_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "config.h"
#include "error.h"
#include "http.h"
#include "model.h"
#include "store.h"

/* A run advances inside the caller's loop through the pd_http it was started on (see http.h):
 * any number of runs may share one pd_http and stream at once. Callbacks come from inside
 * pd_http_step / pd_http_wait, or from pd_run_cancel. */
typedef struct pd_run pd_run;

typedef struct pd_run_callbacks {
    /* Answer text as it arrives (UTF-8 as the provider sent it; may split nowhere inside a
     * character since it comes from decoded JSON strings). May be NULL. */
    void (*on_delta)(void *ud, pd_run *run, const char *text, size_t n);
    /* The provider asked us to slow down (429) or was overloaded: attempt `attempt` (2, 3 ...)
     * starts in delay_ms. reason is a plain sentence. May be NULL. */
    void (*on_retry)(void *ud, pd_run *run, int attempt, long delay_ms, const char *reason);
    /* The run ended: rec->status is "ok", "error" or "cancelled", rec->output holds all text that
     * arrived, rec->error the message. The record was saved (when a store was given) before
     * this call; save_err is NULL or the reason saving failed. The run may be freed here. */
    void (*on_done)(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err);
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
    long connect_timeout_ms;       /* 0: 10 s */
    long idle_timeout_ms;          /* 0: 120 s without a byte ends the run (reasoning models can
                                      think a minute before their first byte) */
    int max_attempts;              /* 0: 4 (one try and three retries on 429/529) */
    long retry_base_ms;            /* 0: 1000; doubles per retry when there is no Retry-After */
    long retry_max_ms;             /* 0: 60000; a longer Retry-After ends the run with an error */
} pd_run_options;

/* Resolves, renders and starts the run. Fails without starting anything (and without a
 * record) when the version does not render (PD_ERR_MISSING_VARIABLES, PD_ERR_PARSE), no model
 * is set, or the key is missing for the provider's official endpoint (PD_ERR_AUTH naming the
 * environment variable and config key), or the config file holding the key is readable by
 * others (PD_ERR_AUTH). Keys: the provider's environment variable (OPENAI_API_KEY,
 * ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY), else "<provider>.api_key" in the config.
 * Base URL: base_url, else the environment (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL), else "<provider>.base_url" in the config, else the official one.
 * *out is the caller's to free with pd_run_free (after on_done, or to stop it silently). */
int pd_run_start(pd_http *http, const pd_run_options *o, const pd_run_callbacks *cb, pd_run **out,
                 pd_error *err);
/* Stops the run at once: the partial answer is kept, the status is "cancelled", the record is
 * saved and on_done is called before this returns. Nothing when the run already ended. */
void pd_run_cancel(pd_run *r);
/* Frees the run; a run still going is stopped without any callback and without a record. */
void pd_run_free(pd_run *r);

/* The record so far (output grows as deltas arrive; status "running" until the end). Borrowed. */
const pd_run_record *pd_run_record_of(const pd_run *r);
bool pd_run_done(const pd_run *r);
/* The environment variable that sets this run's key (for messages). Static string. */
const char *pd_run_key_env(const pd_run *r);

#endif
