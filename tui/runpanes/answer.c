/* answer.c: one answer on screen (a live run or a stored record) as Markdown lines plus
 * status lines, and the loop source that drives a pane's runs through one pd_http. */
#include "answer_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "core/core.h"
#include "markdown/markdown.h"
#include "store/store.h"

/* ------------------------------------------------------------------ loop source */

struct pd_runloop {
    pd_app *app;
    pd_http *http;
    int source;
    void (*after)(void *ud);
    void *ud;
    double last_refresh;          /* when after() last ran (ms) */
    int frame_ms;                 /* the wait before the next frame (pd_runloop_frame_ms) */
    bool pending;                 /* the network advanced since then */
};

#define CLOCK_TICK_MS 250 /* the elapsed time shown while a run streams */
/* At most this often is a streaming pane laid out and drawn again (about 30 per second): the
 * pieces that arrive in between are appended and shown together (see bench_stream). */
#define FRAME_MS 33
/* A frame costs what laying out the last one took: the next comes this many times that later
 * when that is longer than FRAME_MS, so that an answer whose layout costs much (a hostile one:
 * tens of KB of "[a]" on one line is laid out whole at each frame) takes at most a fifth of a
 * core and keys are read between frames; never more than FRAME_MAX_MS apart. */
#define FRAME_COST_SHARE 4
#define FRAME_MAX_MS 2000

int pd_runloop_frame_ms(double last_cost_ms)
{
    double ms = FRAME_COST_SHARE * last_cost_ms;
    return ms <= FRAME_MS ? FRAME_MS : ms >= FRAME_MAX_MS ? FRAME_MAX_MS : (int)ms;
}

static size_t rl_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    pd_runloop *l = ud;
    size_t n = pd_http_pollfds(l->http, fds, max);
    int t = pd_http_timeout_ms(l->http);
    if (pd_http_active(l->http) > 0 && (t < 0 || t > CLOCK_TICK_MS))
        t = CLOCK_TICK_MS;
    if (l->pending) {
        int due = (int)(l->last_refresh + l->frame_ms - pd_http_now_ms());
        if (due < 0)
            due = 0;
        if (t < 0 || due < t)
            t = due;
    }
    *timeout_ms = t;
    return n;
}

static void rl_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    pd_runloop *l = ud;
    pd_http_step(l->http, fds, n);
    l->pending = true;
    double now = pd_http_now_ms();
    /* a run that just ended is shown at once; a streaming one once per frame */
    if (now - l->last_refresh >= l->frame_ms || pd_http_active(l->http) == 0) {
        l->pending = false;
        l->last_refresh = now;
        if (l->after) {
            l->after(l->ud);
            l->frame_ms = pd_runloop_frame_ms(pd_http_now_ms() - now);
        }
    }
}

pd_runloop *pd_runloop_new(pd_app *app, void (*after)(void *ud), void *ud, pd_error *err)
{
    pd_runloop *l = pd_xcalloc(1, sizeof *l);
    if (pd_http_new(&l->http, err) != 0) {
        free(l);
        return NULL;
    }
    l->app = app;
    l->frame_ms = FRAME_MS;
    l->after = after;
    l->ud = ud;
    pd_source src = {rl_pollfds, rl_dispatch, l};
    l->source = pd_app_add_source(app, &src);
    return l;
}

void pd_runloop_free(pd_runloop *l)
{
    if (!l)
        return;
    pd_app_remove_source(l->app, l->source);
    pd_http_free(l->http);
    free(l);
}

pd_http *pd_runloop_http(pd_runloop *l)
{
    return l->http;
}

/* ------------------------------------------------------------------ requests */

void pd_runpane_request_copy(pd_runpane_request *dst, const pd_runpane_request *src)
{
    memset(dst, 0, sizeof *dst);
    dst->slug = pd_strdup(src->slug);
    dst->version = src->version;
    dst->vars = src->vars ? json_deep_copy(src->vars) : json_object();
    dst->has_overrides = src->has_overrides;
    if (src->has_overrides)
        pd_settings_copy(&dst->overrides, &src->overrides);
}

void pd_runpane_request_clear(pd_runpane_request *r)
{
    free(r->slug);
    json_decref(r->vars);
    if (r->has_overrides)
        pd_settings_clear(&r->overrides);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------ the answer */

typedef struct foot_line {
    char *text;
    pd_style style;
} foot_line;

struct pd_answer {
    pd_app *app;
    int width;
    pd_md *md;
    pd_run *run;
    bool running, started, from_record;
    bool finished;               /* a run ended since pd_answer_take_finished last asked */
    char *header;
    char *retry;                 /* the last retry notice */
    int retries;
    char *status;                /* ok / error / cancelled; NULL while running */
    char *error;
    char *save_error;
    char *finish;
    long in_tok, out_tok;
    double cost;                 /* US dollars; < 0 unknown */
    char *notice;                /* the answer did not end cleanly (pd_run_unclean_notice), or NULL */
    double ttft_ms, total_ms, started_ms;
    foot_line *foot;             /* status lines under the answer */
    size_t n_foot;
    size_t prev_md_count, prev_md_stable, prev_count;
    bool header_changed;
    /* raw mode: the text as it arrived, wrapped, instead of rendered Markdown */
    bool raw;
    size_t *raw_off, *raw_len;   /* display lines as byte ranges of the text */
    size_t raw_n, raw_cap;
    size_t raw_done, raw_n_done; /* text before raw_done (whole lines) is in raw_n_done lines */
    /* the conversation: the turns before this one stay above it in the text */
    json_t *conv;                /* the whole conversation after the last turn that ended well
                                    (to continue it), or NULL */
    json_t *sending;             /* the messages the last turn sent (NULL: the version's) */
    char *last_id;               /* the record of the last turn that ended well */
    json_t *calls;               /* the tool calls of that turn, or NULL */
    size_t n_answered;           /* how many of them have a result (in conv) */
    size_t turn_start;           /* where this turn's answer begins in the text */
    bool tool_blocks;            /* tool calls were shown in this turn's text */
};

pd_answer *pd_answer_new(pd_app *app, int width)
{
    pd_answer *s = pd_xcalloc(1, sizeof *s);
    s->app = app;
    s->width = width < 10 ? 10 : width;
    s->md = pd_md_new(s->width);
    s->in_tok = s->out_tok = -1;
    s->cost = -1;
    s->header_changed = true;
    return s;
}

static void clear_foot(pd_answer *s)
{
    for (size_t i = 0; i < s->n_foot; i++)
        free(s->foot[i].text);
    free(s->foot);
    s->foot = NULL;
    s->n_foot = 0;
}

void pd_answer_free(pd_answer *s)
{
    if (!s)
        return;
    if (s->run && s->running)
        pd_run_cancel(s->run);
    pd_run_free(s->run);
    pd_md_free(s->md);
    free(s->raw_off);
    free(s->raw_len);
    clear_foot(s);
    free(s->header);
    free(s->retry);
    free(s->status);
    free(s->error);
    free(s->save_error);
    free(s->finish);
    free(s->notice);
    json_decref(s->conv);
    json_decref(s->sending);
    json_decref(s->calls);
    free(s->last_id);
    free(s);
}

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? pd_strdup(src) : NULL;
}

static void on_delta(void *ud, pd_run *run, const char *text, size_t n)
{
    (void)run;
    pd_answer *s = ud;
    pd_md_append(s->md, text, n);
    if (s->ttft_ms <= 0)
        s->ttft_ms = pd_http_now_ms() - s->started_ms;
}

static void on_retry(void *ud, pd_run *run, int attempt, long delay_ms, const char *reason)
{
    (void)run;
    pd_answer *s = ud;
    char buf[1024];
    if (reason && *reason)
        snprintf(buf, sizeof buf, "attempt %d: %s", attempt, reason);
    else
        snprintf(buf, sizeof buf, "attempt %d in %.1f s", attempt, (double)delay_ms / 1000.0);
    set_str(&s->retry, buf);
    s->retries = attempt - 1;
}

static void take_record(pd_answer *s, const pd_run_record *rec)
{
    set_str(&s->status, rec->status ? rec->status : "error");
    set_str(&s->error, rec->error);
    set_str(&s->finish, rec->finish_reason);
    s->in_tok = rec->input_tokens;
    s->out_tok = rec->output_tokens;
    s->cost = rec->cost;
    free(s->notice);
    s->notice = pd_run_unclean_notice(rec);
    if (rec->ttft_ms > 0)
        s->ttft_ms = rec->ttft_ms;
    s->total_ms = rec->total_ms;
}

/* Appends a block of Markdown to the text, a blank line apart from what is there. */
static void md_block(pd_answer *s, const char *md)
{
    size_t len;
    const char *t = pd_md_text(s->md, &len);
    if (len && t[len - 1] != '\n')
        pd_md_append(s->md, "\n\n", 2);
    else if (len && (len < 2 || t[len - 2] != '\n'))
        pd_md_append(s->md, "\n", 1);
    pd_md_append(s->md, md, strlen(md));
}

/* A fenced code block holding text (the fence longer than any run of backquotes in it). */
static void md_fenced(pd_buf *b, const char *info, const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    char fence[64];
    size_t n = longest < 3 ? 3 : longest + 1;
    if (n >= sizeof fence)
        n = sizeof fence - 1;
    memset(fence, '`', n);
    fence[n] = '\0';
    size_t len = strlen(text);
    pd_buf_printf(b, "%s%s\n%s%s%s\n", fence, info, text, len && text[len - 1] == '\n' ? "" : "\n", fence);
}

/* A tool call as its own block: name, id, the arguments pretty-printed. */
static void show_tool_call(pd_answer *s, json_t *call)
{
    const char *name = json_string_value(json_object_get(call, "name"));
    const char *id = json_string_value(json_object_get(call, "id"));
    json_t *args = json_object_get(call, "arguments");
    char *pretty = json_is_string(args) ? pd_strdup(json_string_value(args))
                   : args ? json_dumps(args, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER)
                          : pd_strdup("");
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "**⚙ tool call %s** · id %s\n\n", name ? name : "?", id && *id ? id : "(none)");
    md_fenced(&b, json_is_string(args) ? "" : "json", pretty ? pretty : "");
    md_block(s, pd_buf_str(&b));
    pd_buf_free(&b);
    free(pretty);
    s->tool_blocks = true;
}

static void show_tool_result(pd_answer *s, const char *name, const char *id, const char *text)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "**↳ result of %s** · id %s\n\n", name ? name : "?", id && *id ? id : "(none)");
    md_fenced(&b, "", text ? text : "");
    md_block(s, pd_buf_str(&b));
    pd_buf_free(&b);
}

static void show_user(pd_answer *s, const char *text)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "**You:** %s\n", text ? text : "");
    md_block(s, pd_buf_str(&b));
    pd_buf_free(&b);
    md_block(s, "");
}

/* The turns of a continued conversation before its last answer: what follows the version's
 * first user message (which the first turn's pane did not show either). */
static void show_earlier_turns(pd_answer *s, json_t *messages)
{
    size_t i;
    json_t *m;
    bool past_first = false;
    json_array_foreach(messages, i, m) {
        const char *role = json_string_value(json_object_get(m, "role"));
        const char *content = json_string_value(json_object_get(m, "content"));
        if (!role)
            continue;
        if (!past_first) {
            past_first = !strcmp(role, "user");
            continue;
        }
        if (!strcmp(role, "user")) {
            show_user(s, content);
        } else if (!strcmp(role, "assistant")) {
            if (content && *content)
                md_block(s, content);
            size_t k;
            json_t *call;
            json_array_foreach(json_object_get(m, "tool_calls"), k, call)
                show_tool_call(s, call);
        } else if (!strcmp(role, "tool")) {
            show_tool_result(s, json_string_value(json_object_get(m, "name")),
                             json_string_value(json_object_get(m, "tool_call_id")), content);
        }
    }
}

static void on_tool_call(void *ud, pd_run *run, json_t *call)
{
    (void)run;
    show_tool_call(ud, call);
}

/* After a turn that ended well: the conversation so far and the calls waiting for results. */
static void take_conversation(pd_answer *s, const pd_run_record *rec)
{
    json_t *conv = pd_run_conversation(rec);
    if (!conv)
        return;
    json_decref(s->conv);
    s->conv = conv;
    set_str(&s->last_id, rec->id);
    json_decref(s->calls);
    s->calls = json_array_size(rec->tool_calls) ? json_incref(rec->tool_calls) : NULL;
    s->n_answered = 0;
}

static void on_done(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err)
{
    (void)run;
    pd_answer *s = ud;
    s->running = false;
    s->finished = true;
    take_record(s, rec);
    /* what arrived is what the record holds: show exactly that */
    size_t have;
    const char *text = pd_md_text(s->md, &have);
    have -= s->turn_start;
    size_t out_len = rec->output ? strlen(rec->output) : 0;
    if (!s->tool_blocks && out_len > have && memcmp(text + s->turn_start, rec->output, have) == 0)
        pd_md_append(s->md, rec->output + have, out_len - have);
    if (save_err && save_err->code != PD_OK)
        set_str(&s->save_error, save_err->msg);
    if (rec->status && !strcmp(rec->status, "ok"))
        take_conversation(s, rec);
}

static void make_header(pd_answer *s, const char *slug, int version, const pd_settings *st,
                        const char *extra)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s v%d · %s · %s%s%s", slug ? slug : "?", version,
             st && st->provider ? st->provider : "openai", st && st->model ? st->model : "(no model)",
             extra ? " · " : "", extra ? extra : "");
    set_str(&s->header, buf);
    s->header_changed = true;
}

/* A new turn: the status lines go, the text stays. */
static void reset_turn(pd_answer *s)
{
    set_str(&s->status, NULL);
    set_str(&s->error, NULL);
    set_str(&s->save_error, NULL);
    set_str(&s->finish, NULL);
    set_str(&s->retry, NULL);
    s->in_tok = s->out_tok = -1;
    s->cost = -1;
    set_str(&s->notice, NULL);
    s->retries = 0;
    s->ttft_ms = s->total_ms = 0;
    s->tool_blocks = false;
    s->turn_start = pd_md_text(s->md, NULL) ? strlen(pd_md_text(s->md, NULL)) : 0;
    s->header_changed = true;
}

/* A new answer: nothing of the last one stays. */
static void reset_answer(pd_answer *s)
{
    pd_md_clear(s->md);
    s->prev_md_count = s->prev_md_stable = 0;
    s->raw_n = s->raw_done = s->raw_n_done = 0;
    json_decref(s->conv);
    json_decref(s->calls);
    s->conv = s->calls = NULL;
    set_str(&s->last_id, NULL);
    s->n_answered = 0;
    reset_turn(s);
}

/* What running req on its version v takes in this app: its config (keys, limits) and store. */
static pd_run_options request_options(const pd_answer *s, const pd_runpane_request *req, const pd_version *v)
{
    return (pd_run_options){.slug = req->slug, .version = v, .variables = req->vars,
                            .overrides = req->has_overrides ? &req->overrides : NULL,
                            .config = pd_app_config(s->app), .store = pd_app_store(s->app)};
}

/* Sends req's version (messages NULL) or the conversation messages (a reference taken),
 * continuing the run continues. */
static int start_turn(pd_answer *s, pd_runloop *loop, const pd_runpane_request *req, json_t *messages,
                      const char *continues, pd_error *err)
{
    if (s->run) {
        if (s->running)
            pd_run_cancel(s->run);
        pd_run_free(s->run);
        s->run = NULL;
    }
    s->started = true;
    s->from_record = false;
    pd_version *v = NULL;
    if (pd_store_get_version(pd_app_store(s->app), req->slug, req->version, &v, err) != 0) {
        make_header(s, req->slug, req->version, req->has_overrides ? &req->overrides : NULL, NULL);
        set_str(&s->status, "error");
        set_str(&s->error, err->msg);
        return -1;
    }
    pd_settings shown;
    pd_settings_copy(&shown, &v->settings);
    if (req->has_overrides) {
        if (req->overrides.provider)
            set_str(&shown.provider, req->overrides.provider);
        if (req->overrides.model)
            set_str(&shown.model, req->overrides.model);
    }
    make_header(s, req->slug, v->number, &shown, NULL);
    pd_settings_clear(&shown);
    pd_run_options o = request_options(s, req, v);
    json_decref(s->sending);
    s->sending = messages ? json_incref(messages) : NULL;
    o.messages = messages;
    o.continues = continues;
    pd_run_callbacks cb = {.on_delta = on_delta, .on_retry = on_retry, .on_done = on_done,
                           .on_tool_call = on_tool_call, .ud = s};
    s->started_ms = pd_http_now_ms();
    s->running = true;
    int rc = pd_run_start(pd_runloop_http(loop), &o, &cb, &s->run, err);
    pd_version_free(v);
    if (rc != 0) {
        s->running = false;
        s->run = NULL;
        set_str(&s->status, "error");
        set_str(&s->error, err->msg);
        return -1;
    }
    return 0;
}

int pd_answer_start(pd_answer *s, pd_runloop *loop, const pd_runpane_request *req, pd_error *err)
{
    reset_answer(s);
    return start_turn(s, loop, req, NULL, NULL, err);
}

char *pd_answer_request_text(pd_answer *s, const pd_runpane_request *req, pd_error *err)
{
    pd_version *v = NULL;
    if (pd_store_get_version(pd_app_store(s->app), req->slug, req->version, &v, err) != 0)
        return NULL;
    pd_run_options o = request_options(s, req, v);
    o.messages = s->sending;
    pd_provider_request r;
    int rc = pd_run_dry(&o, &r, err);
    pd_version_free(v);
    if (rc != 0)
        return NULL;
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "POST %s\n", r.url);
    for (size_t i = 0; i < r.n_headers; i++)
        pd_buf_printf(&b, "%s: %s\n", r.headers[i].name, r.headers[i].value);
    pd_buf_putc(&b, '\n');
    json_t *body = json_loads(r.body, 0, NULL);
    char *pretty = body ? json_dumps(body, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    pd_buf_puts(&b, pretty ? pretty : r.body);
    pd_buf_putc(&b, '\n');
    free(pretty);
    json_decref(body);
    pd_provider_request_clear(&r);
    return pd_buf_take(&b);
}

bool pd_answer_can_continue(const pd_answer *s)
{
    return s->conv && !s->running;
}

json_t *pd_answer_pending_call(const pd_answer *s)
{
    return s->conv && !s->running ? json_array_get(s->calls, s->n_answered) : NULL;
}

const char *pd_answer_run_id(const pd_answer *s)
{
    return s->last_id;
}

json_t *pd_answer_conversation(const pd_answer *s)
{
    return s->conv;
}

int pd_answer_continue(pd_answer *s, pd_runloop *loop, const pd_runpane_request *req, const char *text,
                       pd_error *err)
{
    if (!pd_answer_can_continue(s))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "there is no finished answer to continue");
    if (pd_answer_pending_call(s))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "the model asked for %zu tool call%s: answer %s first (a)",
                            json_array_size(s->calls), json_array_size(s->calls) > 1 ? "s" : "",
                            json_array_size(s->calls) > 1 ? "them" : "it");
    json_t *next = json_deep_copy(s->conv);
    if (text) {
        pd_run_conversation_add_user(next, text);
        show_user(s, text);
    }
    char *id = pd_strdup(s->last_id);
    reset_turn(s);
    int rc = start_turn(s, loop, req, next, id, err);
    free(id);
    json_decref(next);
    return rc;
}

int pd_answer_tool_result(pd_answer *s, const char *text, pd_error *err)
{
    json_t *call = pd_answer_pending_call(s);
    if (!call)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no tool call is waiting for a result");
    const char *id = json_string_value(json_object_get(call, "id"));
    if (pd_run_conversation_add_tool_result(s->conv, id ? id : "", text, err) != 0)
        return -1;
    s->n_answered++;
    show_tool_result(s, json_string_value(json_object_get(call, "name")), id, text);
    s->header_changed = true;
    return 0;
}

void pd_answer_show_record(pd_answer *s, const pd_run_record *rec)
{
    reset_answer(s);
    s->started = true;
    s->from_record = true;
    make_header(s, rec->prompt_slug, rec->prompt_version, &rec->settings, rec->started_at);
    if (rec->continues)
        show_earlier_turns(s, rec->messages);
    if (rec->output)
        md_block(s, rec->output);
    size_t i;
    json_t *call;
    json_array_foreach(rec->tool_calls, i, call)
        show_tool_call(s, call);
    take_record(s, rec);
    json_decref(s->sending);
    s->sending = rec->messages ? json_incref(rec->messages) : NULL;
    if (rec->status && !strcmp(rec->status, "ok"))
        take_conversation(s, rec);
}

void pd_answer_cancel(pd_answer *s)
{
    if (s->run && s->running)
        pd_run_cancel(s->run);
}

bool pd_answer_take_finished(pd_answer *s)
{
    bool f = s->finished;
    s->finished = false;
    return f;
}

bool pd_answer_running(const pd_answer *s)
{
    return s->running;
}

const char *pd_answer_status(const pd_answer *s)
{
    if (s->running)
        return "running";
    return s->status ? s->status : "";
}

const char *pd_answer_text(const pd_answer *s)
{
    return pd_md_text(s->md, NULL);
}

void pd_answer_set_width(pd_answer *s, int width)
{
    s->width = width < 10 ? 10 : width;
    pd_md_set_width(s->md, s->width);
    s->prev_md_count = s->prev_md_stable = 0;
    s->raw_n = s->raw_done = s->raw_n_done = 0;
    s->header_changed = true;
}

void pd_answer_set_raw(pd_answer *s, bool raw)
{
    s->raw = raw;
    s->raw_n = s->raw_done = s->raw_n_done = 0;
    s->prev_md_count = s->prev_md_stable = 0;
    s->header_changed = true;
}

bool pd_answer_raw(const pd_answer *s)
{
    return s->raw;
}

static void raw_push(pd_answer *s, size_t off, size_t len)
{
    if (s->raw_n == s->raw_cap) {
        s->raw_cap = s->raw_cap ? s->raw_cap * 2 : 64;
        s->raw_off = pd_xrealloc(s->raw_off, s->raw_cap * sizeof *s->raw_off);
        s->raw_len = pd_xrealloc(s->raw_len, s->raw_cap * sizeof *s->raw_len);
    }
    s->raw_off[s->raw_n] = off;
    s->raw_len[s->raw_n++] = len;
}

/* Lays out the raw text from the last unfinished line on (whole lines are kept). */
static size_t raw_layout(pd_answer *s)
{
    size_t len;
    const char *t = pd_md_text(s->md, &len);
    size_t first = s->raw_n_done;
    s->raw_n = s->raw_n_done;
    size_t pos = s->raw_done;
    while (pos < len) {
        const char *nl = memchr(t + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - t) : len;
        size_t at = pos;
        do {
            size_t n = end > at ? pd_text_fit(t + at, end - at, s->width, true) : 0;
            raw_push(s, at, n);
            at += n;
        } while (at < end);
        if (!nl)
            break;
        pos = end + 1;
        s->raw_done = pos;
        s->raw_n_done = s->raw_n;
    }
    return first;
}

static void add_foot(pd_answer *s, pd_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_foot(pd_answer *s, pd_style style, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* wrapped to the width, so long messages stay readable */
    const char *t = pd_buf_str(&b);
    size_t len = b.len, at = 0;
    do {
        size_t n = len - at ? pd_text_fit(t + at, len - at, s->width, true) : 0;
        s->foot = pd_xrealloc(s->foot, (s->n_foot + 1) * sizeof *s->foot);
        s->foot[s->n_foot++] = (foot_line){pd_strndup(t + at, n), style};
        at += n;
        while (at < len && (t[at] == ' ' || t[at] == '\n'))
            at++;
    } while (at < len);
    pd_buf_free(&b);
}

static void fmt_ms(char *buf, size_t size, double ms)
{
    if (ms < 1000)
        snprintf(buf, size, "%.0f ms", ms);
    else
        snprintf(buf, size, "%.1f s", ms / 1000.0);
}

static void build_foot(pd_answer *s)
{
    clear_foot(s);
    if (!s->started)
        return;
    char a[32], b[32];
    size_t len;
    pd_md_text(s->md, &len);
    if (s->running) {
        fmt_ms(a, sizeof a, pd_http_now_ms() - s->started_ms);
        if (len == 0)
            add_foot(s, PD_STYLE_RUN_META, "● waiting for the first token · %s  (c cancels)", a);
        else
            add_foot(s, PD_STYLE_RUN_META, "● streaming · %s · %zu bytes  (c cancels)", a, len);
        if (s->retry)
            add_foot(s, PD_STYLE_RUN_ERROR, "↻ %s", s->retry);
        return;
    }
    const char *st = s->status ? s->status : "";
    if (!strcmp(st, "cancelled"))
        add_foot(s, PD_STYLE_RUN_ERROR, "■ cancelled%s", len ? " — the partial answer is kept above" : "");
    else if (!strcmp(st, "error"))
        add_foot(s, PD_STYLE_RUN_ERROR, "✗ %s%s", s->error ? s->error : "the run failed",
                 len ? " (what arrived is kept above)" : "");
    if (!strcmp(st, "ok"))
        add_foot(s, PD_STYLE_RUN_META, "✓ done%s%s", s->finish ? " · finish: " : "", s->finish ? s->finish : "");
    else if (s->finish)
        add_foot(s, PD_STYLE_RUN_META, "finish: %s", s->finish);
    if (s->notice)
        add_foot(s, PD_STYLE_RUN_ERROR, "! %s", s->notice);
    if (s->in_tok >= 0 || s->out_tok >= 0) {
        pd_buf tok = PD_BUF_INIT;
        if (s->in_tok >= 0)
            pd_buf_printf(&tok, "%ld in", s->in_tok);
        if (s->out_tok >= 0)
            pd_buf_printf(&tok, "%s%ld out", s->in_tok >= 0 ? ", " : "", s->out_tok);
        if (s->cost >= 0)
            pd_buf_printf(&tok, " · cost $%.6f", s->cost);
        add_foot(s, PD_STYLE_RUN_META, "tokens: %s", pd_buf_str(&tok));
        pd_buf_free(&tok);
    }
    if (s->total_ms > 0) {
        fmt_ms(b, sizeof b, s->total_ms);
        fmt_ms(a, sizeof a, s->ttft_ms);
        if (s->ttft_ms > 0 && len)
            add_foot(s, PD_STYLE_RUN_META, "time: first token %s · total %s", a, b);
        else
            add_foot(s, PD_STYLE_RUN_META, "time: total %s", b);
    }
    if (s->retries > 0 && s->retry)
        add_foot(s, PD_STYLE_RUN_META, "retried %d time%s; %s", s->retries, s->retries > 1 ? "s" : "", s->retry);
    if (s->save_error)
        add_foot(s, PD_STYLE_RUN_ERROR, "! the run was not recorded: %s", s->save_error);
}

/* Display lines: the header, the answer's lines, a blank line, the status lines. */
size_t pd_answer_count(const pd_answer *s)
{
    return s->prev_count;
}

size_t pd_answer_refresh(pd_answer *s, size_t *first_changed)
{
    size_t mdn, from;
    if (s->raw) {
        from = raw_layout(s);
        mdn = s->raw_n;
    } else {
        mdn = pd_md_line_count(s->md);
        from = s->prev_md_stable < s->prev_md_count ? s->prev_md_stable : s->prev_md_count;
        if (pd_md_stable_lines(s->md) < from)   /* laid out again (a link reference defined) */
            from = pd_md_stable_lines(s->md);
    }
    size_t first = s->header_changed ? 0 : 1 + from;
    s->header_changed = false;
    s->prev_md_count = mdn;
    s->prev_md_stable = s->raw ? s->raw_n_done : pd_md_stable_lines(s->md);
    build_foot(s);
    s->prev_count = 1 + mdn + (s->n_foot ? 1 + s->n_foot : 0);
    if (first_changed)
        *first_changed = first;
    return s->prev_count;
}

static attr_t md_attr(pd_app *app, pd_md_style st)
{
    attr_t out = pd_app_attr(app, PD_STYLE_RUN_OUTPUT);
    switch (st) {
    case PD_MD_HEADING: return pd_app_attr(app, PD_STYLE_HEADER);
    case PD_MD_EMPH: return out | A_ITALIC;
    case PD_MD_STRONG: return out | A_BOLD;
    case PD_MD_TABLE_HEAD: return out | A_BOLD;
    case PD_MD_CODE:
    case PD_MD_CODEBLOCK: return pd_app_attr(app, PD_STYLE_SLUG);
    case PD_MD_QUOTE: return pd_app_attr(app, PD_STYLE_DIM);
    case PD_MD_LINK: return out | A_UNDERLINE;
    case PD_MD_URL:
    case PD_MD_MARKUP: return pd_app_attr(app, PD_STYLE_DIM);
    case PD_MD_ESCAPE: return pd_app_attr(app, PD_STYLE_CONTROL);
    default: return out;
    }
}

void pd_answer_draw(pd_answer *s, WINDOW *win, int row, int x, int width, size_t line)
{
    pd_app *app = s->app;
    attr_t normal = pd_app_attr(app, PD_STYLE_NORMAL);
    pd_pen p = pd_pen_at(win, row, x, width, pd_app_attr(app, PD_STYLE_CONTROL));
    size_t mdn = s->prev_md_count;
    if (line == 0) {
        pd_pen_str(&p, s->header ? s->header : "", pd_app_attr(app, PD_STYLE_RUN_META) | A_BOLD);
    } else if (line <= mdn && s->raw) {
        pd_pen_text(&p, pd_md_text(s->md, NULL) + s->raw_off[line - 1], s->raw_len[line - 1],
                    pd_app_attr(app, PD_STYLE_RUN_OUTPUT));
    } else if (line <= mdn) {
        const pd_md_line *l = pd_md_line_at(s->md, line - 1);
        for (size_t k = 0; l && k < l->n_spans; k++)
            pd_pen_text(&p, l->text + l->spans[k].start, l->spans[k].len, md_attr(app, l->spans[k].style));
    } else if (line >= mdn + 2 && line - mdn - 2 < s->n_foot) {
        foot_line *f = &s->foot[line - mdn - 2];
        pd_pen_str(&p, f->text, pd_app_attr(app, f->style));
    }
    pd_pen_fill(&p, normal);
}

const char *pd_answer_line_text(pd_answer *s, size_t line, pd_buf *scratch)
{
    size_t mdn = s->prev_md_count;
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (line == 0) {
        pd_buf_puts(scratch, s->header ? s->header : "");
    } else if (line <= mdn && s->raw) {
        pd_buf_append(scratch, pd_md_text(s->md, NULL) + s->raw_off[line - 1], s->raw_len[line - 1]);
    } else if (line <= mdn) {
        const pd_md_line *l = pd_md_line_at(s->md, line - 1);
        for (size_t k = 0; l && k < l->n_spans; k++)
            pd_buf_append(scratch, l->text + l->spans[k].start, l->spans[k].len);
    } else if (line >= mdn + 2 && line - mdn - 2 < s->n_foot) {
        pd_buf_puts(scratch, s->foot[line - mdn - 2].text);
    }
    return pd_buf_str(scratch);
}

void pd_answer_summary(const pd_answer *s, char *buf, size_t size)
{
    char t[32];
    if (!s->started) {
        snprintf(buf, size, "not started");
    } else if (s->running) {
        fmt_ms(t, sizeof t, pd_http_now_ms() - s->started_ms);
        snprintf(buf, size, "streaming %s", t);
    } else if (s->from_record) {
        snprintf(buf, size, "stored run: %s", s->status ? s->status : "?");
    } else {
        fmt_ms(t, sizeof t, s->total_ms);
        snprintf(buf, size, "%s in %s", s->status ? s->status : "?", t);
    }
}
