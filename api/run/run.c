/* run.c: a run as a job: render, request, SSE + provider decoding, retries, faults, the record. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider/provider.h"
#include "run_priv.h"
#include "net/net.h"

#define ERROR_BODY_MAX 65536

struct pd_run {
    pd_http *http;
    pd_store *store;
    pd_http_transfer *transfer;
    pd_run_callbacks cb;
    pd_run_record rec;
    pd_buf output;
    const pd_provider_info *provider;   /* the wire format of rec.settings.provider */
    char *key;                   /* owned copy; never in messages or records */
    char **secrets;              /* every key known (environment, config), longest first: */
    size_t n_secrets, secret_max;/* scrubbed from all the run shows and records */
    char *key_env;               /* the variable that sets the key */
    char *key_config;            /* "openai.api_key", for messages */
    bool key_missing;
    char *base;
    pd_provider_request req;
    const pd_prices *prices;     /* the caller's, or own_prices */
    pd_prices *own_prices;
    long connect_timeout_ms, idle_timeout_ms, retry_base_ms, retry_max_ms;
    int max_attempts, attempt;
    double t_start;
    bool done;
    bool no_record;              /* the store gives partials only */
    /* the current attempt */
    long status;
    pd_buf err_body;
    pd_sse sse;
    pd_provider_stream stream;
    pd_error stream_err;         /* set when decoding failed */
    bool stream_failed;
    size_t events;               /* SSE events seen in this attempt */
    size_t calls_given;          /* tool calls given to the caller and the record */
    /* the answer on its way out: the key scrubbed, cut at the cap */
    pd_buf pending;              /* text not yet given: the last len(key)-1 bytes are held back */
    size_t max_answer;           /* bytes of answer kept at most */
    long total_timeout_ms;       /* the whole run, retries included */
    bool cut;                    /* the answer reached max_answer: the run stopped */
    bool in_delta;               /* inside on_delta: a run ended there keeps no held-back text */
};

const pd_run_record *pd_run_record_of(const pd_run *r)
{
    return &r->rec;
}

bool pd_run_done(const pd_run *r)
{
    return r->done;
}

const char *pd_run_key_env(const pd_run *r)
{
    return r->key_env;
}

bool pd_run_cut(const pd_run *r)
{
    return r->cut;
}

/* ---- the answer's text: the key taken out, the cap ---- */

/* Adds a key to scrub (once; shorter than 4 bytes: none, as pd_scrub_secret). */
static void add_secret(pd_run *r, const char *key)
{
    size_t k = key ? strlen(key) : 0;
    if (k < 4)
        return;
    for (size_t i = 0; i < r->n_secrets; i++)
        if (strcmp(r->secrets[i], key) == 0)
            return;
    r->secrets = pd_xrealloc(r->secrets, (r->n_secrets + 1) * sizeof *r->secrets);
    r->secrets[r->n_secrets++] = pd_strdup(key);
    if (k > r->secret_max)
        r->secret_max = k;
}

static int longer_first(const void *a, const void *b)
{
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The value of the environment variable name, NULL when unset or when there is no name (a
 * run on a base URL that takes no key has no key variable). */
static const char *env_value(const char *name)
{
    return name ? getenv(name) : NULL;
}

/* Every key promptdeck knows: the run's, every provider's variables, the config's "*.api_key". */
static void collect_secrets(pd_run *r, const pd_config *cfg)
{
    add_secret(r, r->key);
    add_secret(r, env_value(r->key_env));
    for (size_t i = 0; i < pd_provider_count(); i++) {
        const pd_provider_info *p = pd_provider_at(i);
        add_secret(r, env_value(p->key_env));
        add_secret(r, env_value(p->key_env_alt));
    }
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        size_t n = strlen(cfg->entries[i].key);
        if (n >= 7 && strcmp(cfg->entries[i].key + n - 7, "api_key") == 0)
            add_secret(r, cfg->entries[i].value);
    }
    if (r->n_secrets > 1)   /* a key inside another: the longer first (qsort takes no NULL array) */
        qsort(r->secrets, r->n_secrets, sizeof *r->secrets, longer_first);
}

/* s with every key replaced by "[redacted]". Caller frees. */
static char *scrub_text(const pd_run *r, const char *s)
{
    char *out = pd_strdup(s);
    for (size_t i = 0; out && i < r->n_secrets; i++) {
        char *next = pd_scrub_secret(out, r->secrets[i]);
        free(out);
        out = next;
    }
    return out;
}

/* Replaces every whole key in r->pending with "[redacted]" (the text may hold NULs). */
static void scrub_pending(pd_run *r)
{
    for (size_t i = 0; i < r->n_secrets; i++) {
        const char *key = r->secrets[i];
        size_t k = strlen(key);
        if (r->pending.len < k || !memmem(r->pending.data, r->pending.len, key, k))
            continue;
        pd_buf clean = PD_BUF_INIT;
        const char *s = r->pending.data, *end = s + r->pending.len, *p;
        while ((p = memmem(s, (size_t)(end - s), key, k))) {
            pd_buf_append(&clean, s, (size_t)(p - s));
            pd_buf_puts(&clean, "[redacted]");
            s = p + k;
        }
        pd_buf_append(&clean, s, (size_t)(end - s));
        pd_buf_free(&r->pending);
        r->pending = clean;
    }
}

/* n, or less so that s[0..n) does not end inside a UTF-8 character. */
static size_t utf8_floor(const char *s, size_t n, size_t len)
{
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Gives the pending text to the answer and the caller, all of it or all but the last
 * len(key)-1 bytes (a key may be arriving split across pieces); up to the cap, where the run is
 * marked cut. Nothing while on_delta runs (a run cancelled there ends with what it showed). */
static void release_text(pd_run *r, bool all)
{
    if (r->in_delta)
        return;
    scrub_pending(r);
    size_t k = r->secret_max, len = r->pending.len;
    size_t hold = all || !k ? 0 : k - 1;
    size_t n = len <= hold ? 0 : utf8_floor(r->pending.data, len - hold, len);
    size_t room = r->max_answer - r->output.len;
    if (n > room) {
        n = utf8_floor(r->pending.data, room, len);
        r->cut = true;
    }
    if (n == 0)
        return;
    size_t at = r->output.len;
    pd_buf_append(&r->output, r->pending.data, n);
    r->rec.output = r->output.data;   /* borrowed from the buffer until the run ends */
    memmove(r->pending.data, r->pending.data + n, len - n);
    r->pending.len = len - n;
    r->pending.data[r->pending.len] = '\0';
    if (!r->cb.on_delta)
        return;
    /* the text stays where it is if the callback ends the run (the record takes the buffer) */
    r->in_delta = true;
    r->cb.on_delta(r->cb.ud, r, r->output.data + at, n);
    r->in_delta = false;
}

/* ---- tool calls ---- */

/* The call with the keys taken out of its arguments (a new reference; call is stolen). */
static json_t *scrub_call(const pd_run *r, json_t *call)
{
    char *s = r->n_secrets ? json_dumps(call, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *clean = s ? scrub_text(r, s) : NULL;   /* a key is letters, digits, '-' and '_': no JSON escapes */
    if (!clean || strcmp(clean, s) == 0) {
        free(s);
        free(clean);
        return call;
    }
    json_t *c = json_loads(clean, 0, NULL);
    free(s);
    free(clean);
    if (!c)
        return call;
    json_decref(call);
    return c;
}

/* A call as text, for callers without on_tool_call. */
static void call_as_text(pd_run *r, json_t *call)
{
    char *text = pd_tool_call_args_text(call, JSON_COMPACT);
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "\n[tool call %s, id %s] %s\n", json_string_value(json_object_get(call, "name")),
                  json_string_value(json_object_get(call, "id")), text);
    free(text);
    if (r->cb.on_delta)
        r->cb.on_delta(r->cb.ud, r, b.data, b.len);
    pd_buf_free(&b);
}

/* Gives the calls that are complete, in order, to the record and the caller. */
static void give_calls(pd_run *r)
{
    pd_provider_stream *st = &r->stream;
    if (r->calls_given < st->n_calls && st->calls[r->calls_given].complete && !r->cut)
        release_text(r, true);   /* the text before the call comes first */
    while (r->calls_given < st->n_calls && st->calls[r->calls_given].complete) {
        json_t *call = scrub_call(r, pd_tool_call_json(&st->calls[r->calls_given++]));
        if (!r->rec.tool_calls)
            r->rec.tool_calls = json_array();
        json_array_append_new(r->rec.tool_calls, call);
        if (r->rec.ttft_ms < 0)
            r->rec.ttft_ms = pd_http_now_ms() - r->t_start;
        if (r->cb.on_tool_call)
            r->cb.on_tool_call(r->cb.ud, r, call);
        else
            call_as_text(r, call);
    }
}

/* ---- the end ---- */

static char *cut_message(const pd_run *r);

static void finish(pd_run *r, const char *status, const char *message)
{
    if (r->done)
        return;
    if (strcmp(status, "ok") == 0) {   /* a call still open at a good end is whole */
        pd_provider_stream_end(&r->stream);
        give_calls(r);
    }
    char *cut_msg = NULL;
    if (!r->cut)
        release_text(r, true);
    if (r->cut && strcmp(status, "ok") == 0)   /* the last text held back reached the cap */
        status = "error", message = cut_msg = cut_message(r);
    r->done = true;
    r->transfer = NULL;
    pd_run_record *rec = &r->rec;
    rec->output = pd_buf_take(&r->output);   /* the record owns the text from now on */
    free(rec->status);
    rec->status = pd_strdup(status);
    free(rec->error);
    rec->error = message ? scrub_text(r, message) : NULL;
    rec->total_ms = pd_http_now_ms() - r->t_start;
    rec->input_tokens = r->stream.input_tokens;
    rec->output_tokens = r->stream.output_tokens;
    if (!pd_prices_cost(r->prices, rec->settings.provider, rec->settings.model, rec->input_tokens,
                        rec->output_tokens, &rec->cost))
        rec->cost = -1;
    free(rec->finish_reason);
    rec->finish_reason = pd_strdup(pd_finish_name(r->stream.finish));
    free(rec->provider_finish_reason);
    rec->provider_finish_reason = pd_strdup(r->stream.finish_reason);
    pd_error save_err = {0};
    const pd_error *save_failed = NULL;
    if (r->store && !r->no_record && pd_store_save_run(r->store, rec, &save_err) != 0)
        save_failed = &save_err;
    free(cut_msg);
    if (r->cb.on_done)
        r->cb.on_done(r->cb.ud, r, rec, save_failed);
}

/* ---- one attempt ---- */

static void on_text(void *ud, const char *text, size_t n)
{
    pd_run *r = ud;
    if (r->rec.ttft_ms < 0)
        r->rec.ttft_ms = pd_http_now_ms() - r->t_start;
    if (r->cut)
        return;
    pd_buf_append(&r->pending, text, n);
    release_text(r, false);
}

/* The answer reached the cap: what the run ends with. Caller frees. */
static char *cut_message(const pd_run *r)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "the answer was cut at %zu bytes, the most a run keeps (raise it with --max-answer SIZE or "
                  "max_answer_bytes in the config's [run] section)", r->max_answer);
    return pd_buf_take(&b);
}

/* The run has used its whole time (--timeout): what it ends with. Caller frees. */
static char *timeout_message(const pd_run *r)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "the run took longer than %.1f s, the most it may take (raise it with --timeout SECONDS or "
                  "timeout in the config's [run] section)", (double)r->total_timeout_ms / 1000.0);
    return pd_buf_take(&b);
}

static bool out_of_time(const pd_run *r)
{
    return pd_http_now_ms() - r->t_start >= (double)r->total_timeout_ms;
}

/* Ends the run on the cap or the deadline, the answer so far kept; false when neither. */
static bool stop_at_limit(pd_run *r)
{
    char *msg = r->cut ? cut_message(r) : out_of_time(r) ? timeout_message(r) : NULL;
    if (!msg)
        return false;
    r->transfer = NULL;
    finish(r, "error", msg);
    free(msg);
    return true;
}

static int on_event(void *ud, const pd_sse_event *ev)
{
    pd_run *r = ud;
    r->events++;
    if (pd_provider_decode(&r->stream, ev, on_text, r, &r->stream_err) != 0) {
        r->stream_failed = true;
        return 1;
    }
    if (r->cut)
        return 1;
    give_calls(r);
    return 0;
}

static void on_response(void *ud, long status)
{
    pd_run *r = ud;
    r->status = status;
}

static bool on_data(void *ud, const char *data, size_t n)
{
    pd_run *r = ud;
    if (stop_at_limit(r))
        return false;
    /* An error body, or (kept while no event came) a 200 answer that is not a stream. */
    if (r->status >= 300 || r->events == 0) {
        size_t room = ERROR_BODY_MAX - r->err_body.len;
        pd_buf_append(&r->err_body, data, n < room ? n : room);
        if (r->status >= 300)
            return true;
    }
    if (pd_sse_feed(&r->sse, data, n, on_event, r, &r->stream_err) == 0)
        return true;
    if (stop_at_limit(r))
        return false;
    /* A broken chunk or an error event: the answer so far is kept, the transfer stops. */
    r->transfer = NULL;
    finish(r, "error", r->stream_err.msg);
    return false;
}

static int start_attempt(pd_run *r, long delay_ms, pd_error *err);
static void on_http_done(void *ud, const pd_http_result *res);

/* A message for an HTTP error status, with the provider's own words when it gave some. */
static void status_message(pd_run *r, pd_buf *msg)
{
    char *ptext = pd_provider_error_text(pd_buf_str(&r->err_body), r->err_body.len);
    const char *prov = r->rec.settings.provider;
    long s = r->status;
    /* Gemini answers a bad key with 400 INVALID_ARGUMENT "API key not valid". */
    const char *bad_key_400 = r->provider->bad_key_400;
    bool key_400 = bad_key_400 && s == 400 && ptext && strstr(ptext, bad_key_400);
    if (s == 401 || s == 403 || key_400) {
        if (r->key_missing)
            pd_buf_printf(msg, "%s refused the request (HTTP %ld): no API key was sent; set %s or %s in the config file",
                          prov, s, r->key_env, r->key_config);
        else
            pd_buf_printf(msg, "%s refused the API key (HTTP %ld): the key is wrong or lacks access; check %s or %s in the config file",
                          prov, s, r->key_env, r->key_config);
    } else if (s == 404) {
        pd_buf_printf(msg, "model '%s' not found at %s (HTTP 404)", r->rec.settings.model, r->base);
    } else if (s == 429) {
        pd_buf_printf(msg, "%s is rate limiting (HTTP 429), still after %d attempts", prov, r->attempt);
    } else if (s >= 500) {
        pd_buf_printf(msg, "%s had a server error (HTTP %ld)", prov, s);
    } else {
        pd_buf_printf(msg, "%s rejected the request (HTTP %ld)", prov, s);
    }
    if (ptext) {
        /* The provider's words are untrusted and may echo the key: shortened, scrubbed later. */
        size_t n = strlen(ptext);
        pd_buf_printf(msg, ": %.*s%s", n > 300 ? 300 : (int)n, ptext, n > 300 ? "..." : "");
        free(ptext);
    }
}

static bool retryable(long status)
{
    return status == 429 || status == 529 || status == 503;
}

static void on_http_done(void *ud, const pd_http_result *res)
{
    pd_run *r = ud;
    r->transfer = NULL;
    if (r->done)
        return;
    if (res->status > 0)
        r->status = res->status;
    if (res->code != PD_OK) {
        if (!stop_at_limit(r))
            finish(r, "error", res->message);
        return;
    }
    if (r->status >= 300) {
        if (retryable(r->status) && r->attempt < r->max_attempts) {
            long delay = r->retry_base_ms << (r->attempt - 1);
            if (res->retry_after_s >= 0)
                delay = res->retry_after_s * 1000;
            if (delay <= r->retry_max_ms) {
                pd_buf why = PD_BUF_INIT;
                pd_buf_printf(&why, "%s answered HTTP %ld (%s); retrying in %.1f s",
                              r->rec.settings.provider, r->status,
                              r->status == 429 ? "rate limited" : "overloaded", (double)delay / 1000.0);
                if (r->cb.on_retry)
                    r->cb.on_retry(r->cb.ud, r, r->attempt + 1, delay, pd_buf_str(&why));
                pd_buf_free(&why);
                pd_error err = {0};
                if (start_attempt(r, delay, &err) != 0)
                    finish(r, "error", err.msg);
                return;
            }
        }
        pd_buf msg = PD_BUF_INIT;
        status_message(r, &msg);
        if (r->status == 429 && res->retry_after_s * 1000 > r->retry_max_ms)
            pd_buf_printf(&msg, " (it asked to wait %ld s)", res->retry_after_s);
        finish(r, "error", pd_buf_str(&msg));
        pd_buf_free(&msg);
        return;
    }
    pd_error err = {0};
    if (pd_sse_finish(&r->sse, on_event, r, &err) != 0 || r->stream_failed) {
        finish(r, "error", r->stream_failed ? r->stream_err.msg : err.msg);
        return;
    }
    if (!r->stream.ended && !r->stream.finish_reason) {
        pd_buf msg = PD_BUF_INIT;
        char *ptext = r->events == 0 ? pd_provider_error_text(pd_buf_str(&r->err_body), r->err_body.len) : NULL;
        if (ptext)
            pd_buf_printf(&msg, "%s answered with an error instead of a stream: %.300s",
                          r->rec.settings.provider, ptext);
        else if (r->events == 0)
            pd_buf_printf(&msg, "%s answered without an event stream (is the base URL %s right?)",
                          r->rec.settings.provider, r->base);
        else
            pd_buf_printf(&msg, "the stream from %s ended before the answer was complete (cut mid-way)",
                          r->rec.settings.provider);
        free(ptext);
        finish(r, "error", pd_buf_str(&msg));
        pd_buf_free(&msg);
        return;
    }
    finish(r, "ok", NULL);
}

static int start_attempt(pd_run *r, long delay_ms, pd_error *err)
{
    /* Silence is cut short when the run's deadline comes first (then said so: stop_at_limit). */
    double left = (double)r->total_timeout_ms - (pd_http_now_ms() - r->t_start) - (double)delay_ms;
    long idle_ms = r->idle_timeout_ms;
    if (left < (double)idle_ms)
        idle_ms = left > 1 ? (long)left : 1;
    r->attempt++;
    r->status = 0;
    r->stream_failed = false;
    r->events = 0;
    pd_buf_reset(&r->err_body);
    pd_sse_clear(&r->sse);
    pd_sse_init(&r->sse);
    pd_http_request hr = {
        .method = "POST",
        .url = r->req.url,
        .headers = r->req.headers,
        .n_headers = r->req.n_headers,
        .body = r->req.body,
        .body_len = strlen(r->req.body),
        .connect_timeout_ms = r->connect_timeout_ms,
        .idle_timeout_ms = idle_ms,
        .delay_ms = delay_ms,
    };
    pd_http_callbacks hc = {.on_response = on_response, .on_data = on_data, .on_done = on_http_done, .ud = r};
    return pd_http_start(r->http, &hr, &hc, &r->transfer, err);
}

/* ---- start ---- */

/* The partials a render looks up, with the version found ({"name": version}). */
typedef struct partials_used {
    pd_store *store;
    json_t *used;
} partials_used;

static int lookup_partial(void *ud, const char *name, char **out, pd_error *err)
{
    partials_used *p = ud;
    int version = 0;
    int rc = pd_run_partial_lookup(p->store, name, out, &version, err);
    if (rc == 0 && *out)
        json_object_set_new(p->used, name, json_integer(version));
    return rc;
}

/* The conversation to send: o->messages, or the version rendered with its history placeholders
 * filled; the partials used go into the record. */
static int conversation(pd_run *r, const pd_run_options *o, json_t **out, pd_error *err)
{
    if (o->messages) {
        *out = json_deep_copy(o->messages);
        return 0;
    }
    partials_used used = {o->store, json_object()};
    pd_render_opts ro = {.partials = o->store ? lookup_partial : NULL, .partials_ud = &used};
    pd_message *msgs = NULL;
    size_t n = 0;
    int rc = pd_prompt_render(o->version, o->variables, &ro, &msgs, &n, err);
    if (rc == 0)
        rc = pd_run_fill_history(msgs, n, o->variables, out, err);
    for (size_t i = 0; i < n; i++)
        pd_message_clear(&msgs[i]);
    free(msgs);
    if (rc == 0 && json_object_size(used.used))
        r->rec.partials = json_incref(used.used);
    json_decref(used.used);
    return rc;
}

/* Key and base URL for r->rec.settings.provider; fails when the official endpoint gets no key
 * (unless dry: a request only shown). */
static int resolve_endpoint(pd_run *r, const pd_run_options *o, bool dry, pd_error *err)
{
    const char *name = r->rec.settings.provider;
    const char *key = NULL;
    if (pd_run_find_key(r->provider, name, o->config, &key, &r->key_env, err) != 0)
        return -1;
    r->key = pd_strdup(key);
    r->key_missing = key == NULL;
    collect_secrets(r, o->config);
    pd_buf k = PD_BUF_INIT;
    bool own = pd_run_own_name(r->provider, name);
    pd_buf_printf(&k, "%s.api_key", own ? name : r->provider->name);
    r->key_config = pd_buf_take(&k);
    r->base = pd_strdup(pd_run_find_base(r->provider, name, o->config, o->base_url));
    const char *official = r->provider->default_base;
    if (dry || !r->key_missing || strncmp(r->base, official, strlen(official)) != 0)
        return 0;
    char *dir = pd_config_dir();
    const char *alt = own ? NULL : r->provider->key_env_alt;
    int rc = pd_error_set(err, PD_ERR_AUTH, "no API key for %s: set %s%s%s%s, or %s in %s%s (mode 600)",
                          name ? name : r->provider->name, r->key_env, alt ? " (or " : "", alt ? alt : "",
                          alt ? ")" : "", r->key_config,
                          o->config && o->config->path ? o->config->path : dir,
                          o->config && o->config->path ? "" : "/config");
    free(dir);
    return rc;
}

/* Copies err's message with the key taken out (it may echo what the provider said). */
static void scrub_error(const pd_run *r, pd_error *err)
{
    char *clean = scrub_text(r, err->msg);
    snprintf(err->msg, sizeof err->msg, "%s", clean);
    free(clean);
}

/* Milliseconds: the option's when given, else the config's key (seconds), else fallback. */
static int limit_ms(long given, const pd_config *cfg, const char *key, long fallback, long *out, pd_error *err)
{
    double s = 0;
    if (given <= 0 && pd_config_get_seconds(cfg, key, &s, err) != 0)
        return -1;
    *out = given > 0 ? given : s > 0 ? (long)(s * 1000) : fallback;
    return 0;
}

/* The run's limits: the options', else the config's [run] section (connect_timeout,
 * idle_timeout, timeout, max_answer_bytes), else the defaults: every caller (the command line,
 * the app, evaluations) gets the same. */
static int limits(const pd_run_options *o, pd_run *r, pd_error *err)
{
    size_t cap = 0;
    if (limit_ms(o->connect_timeout_ms, o->config, "run.connect_timeout", PD_RUN_CONNECT_TIMEOUT_DEFAULT_MS, &r->connect_timeout_ms, err) ||
        limit_ms(o->idle_timeout_ms, o->config, "run.idle_timeout", PD_RUN_IDLE_TIMEOUT_DEFAULT_MS, &r->idle_timeout_ms, err) ||
        limit_ms(o->total_timeout_ms, o->config, "run.timeout", PD_RUN_TIMEOUT_DEFAULT_MS, &r->total_timeout_ms, err) ||
        (o->max_answer_bytes == 0 && pd_config_get_size(o->config, "run.max_answer_bytes", &cap, err) != 0))
        return -1;
    r->max_answer = o->max_answer_bytes > 0 ? o->max_answer_bytes : cap > 0 ? cap : PD_RUN_MAX_ANSWER_DEFAULT;
    return 0;
}

/* A run ready to send: settings merged, the conversation, key, base URL and request. dry: a
 * missing key is no error. *out is freed with pd_run_free (also after a failure). */
static int prepare(const pd_run_options *o, const pd_run_callbacks *cb, bool dry, pd_run **out, pd_error *err)
{
    pd_run *r = *out = pd_xcalloc(1, sizeof *r);
    if (!o->version) {
        r->done = true;
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "run: no version given");
    }
    r->store = o->store;
    r->prices = o->prices;
    r->no_record = o->no_record;
    if (cb)
        r->cb = *cb;
    if (limits(o, r, err) != 0) {
        r->done = true;
        return -1;
    }
    r->max_attempts = o->max_attempts > 0 ? o->max_attempts : 4;
    r->retry_base_ms = o->retry_base_ms > 0 ? o->retry_base_ms : 1000;
    r->retry_max_ms = o->retry_max_ms > 0 ? o->retry_max_ms : 60000;
    pd_sse_init(&r->sse);
    pd_run_record *rec = &r->rec;
    rec->prompt_slug = pd_strdup(o->slug);
    rec->prompt_version = o->version->number;
    rec->prompt_version_id = pd_strdup(o->version->id);   /* the number may change in a sync; the id not */
    rec->variables = o->variables ? json_deep_copy(o->variables) : json_object();
    pd_settings_merge(&rec->settings, &o->version->settings, o->overrides);
    if (!rec->settings.provider)
        rec->settings.provider = pd_strdup("openai");
    r->provider = pd_provider_for(rec->settings.provider);
    pd_provider_stream_init(&r->stream, r->provider);
    rec->input_tokens = rec->output_tokens = -1;
    rec->ttft_ms = -1;
    rec->cost = -1;
    rec->status = pd_strdup("running");
    rec->started_at = pd_now_rfc3339();
    rec->continues = pd_strdup(o->continues);
    int rc = conversation(r, o, &rec->messages, err);
    if (rc == 0)
        rc = pd_run_conversation_check(rec->messages, err);
    if (rc == 0)
        rc = resolve_endpoint(r, o, dry, err);
    if (rc == 0)
        rc = pd_provider_build_request(r->provider, rec->settings.provider, r->base, r->key, rec->messages,
                                       &rec->settings, &r->req, err);
    if (rc != 0) {
        scrub_error(r, err);
        r->done = true;
    }
    return rc;
}

int pd_run_start(pd_http *http, const pd_run_options *o, const pd_run_callbacks *cb, pd_run **out,
                 pd_error *err)
{
    *out = NULL;
    pd_run *r;
    int rc = prepare(o, cb, false, &r, err);
    if (!r->prices)
        r->prices = r->own_prices = pd_prices_load(o->config, NULL);
    r->http = http;
    r->t_start = pd_http_now_ms();
    if (rc == 0 && start_attempt(r, 0, err) != 0) {
        scrub_error(r, err);
        r->done = true;
        rc = -1;
    }
    if (rc != 0) {
        pd_run_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int pd_run_dry(const pd_run_options *o, pd_provider_request *out, pd_error *err)
{
    memset(out, 0, sizeof *out);
    pd_run *r;
    int rc = prepare(o, NULL, true, &r, err);
    if (rc == 0) {
        *out = r->req;   /* the run gives its request away */
        memset(&r->req, 0, sizeof r->req);
        pd_provider_request_redact(r->provider, out);
    }
    pd_run_free(r);
    return rc;
}

void pd_run_cancel(pd_run *r)
{
    if (!r || r->done)
        return;
    pd_http_cancel(r->http, r->transfer);
    r->transfer = NULL;
    finish(r, "cancelled", "cancelled by the user");
}

void pd_run_free(pd_run *r)
{
    if (!r)
        return;
    if (r->transfer)
        pd_http_cancel(r->http, r->transfer);
    pd_run_record *rec = &r->rec;
    free(rec->id);
    free(rec->prompt_slug);
    free(rec->prompt_version_id);
    json_decref(rec->variables);
    pd_settings_clear(&rec->settings);
    if (rec->output != r->output.data)
        free(rec->output);
    free(rec->finish_reason);
    free(rec->provider_finish_reason);
    free(rec->status);
    free(rec->error);
    free(rec->started_at);
    free(rec->continues);
    json_decref(rec->messages);
    json_decref(rec->tool_calls);
    json_decref(rec->partials);
    pd_buf_free(&r->output);
    pd_buf_free(&r->pending);
    pd_buf_free(&r->err_body);
    pd_sse_clear(&r->sse);
    pd_provider_stream_clear(&r->stream);
    pd_provider_request_clear(&r->req);
    pd_prices_free(r->own_prices);
    free(r->key);
    for (size_t i = 0; i < r->n_secrets; i++)
        free(r->secrets[i]);
    free(r->secrets);
    free(r->key_env);
    free(r->key_config);
    free(r->base);
    free(r);
}

char *pd_run_unclean_notice(const pd_run_record *rec)
{
    pd_finish f = pd_finish_parse(rec->finish_reason);
    if (!rec->status || strcmp(rec->status, "ok") != 0 || pd_finish_clean(f))
        return NULL;
    const char *prov = rec->settings.provider ? rec->settings.provider : "the provider";
    pd_buf b = PD_BUF_INIT;
    if (f == PD_FINISH_LENGTH)
        pd_buf_puts(&b, "the answer is incomplete: it reached the output-token limit (raise max_output_tokens)");
    else if (f == PD_FINISH_CONTENT_FILTER)
        pd_buf_printf(&b, "the answer was blocked or refused by %s's filters", prov);
    else
        pd_buf_printf(&b, "%s ended the answer abnormally", prov);
    pd_buf_printf(&b, " (finish: %s", rec->finish_reason);
    if (rec->provider_finish_reason && strcmp(rec->provider_finish_reason, rec->finish_reason) != 0)
        pd_buf_printf(&b, ", %s said %s", prov, rec->provider_finish_reason);
    pd_buf_putc(&b, ')');
    return pd_buf_take(&b);
}
