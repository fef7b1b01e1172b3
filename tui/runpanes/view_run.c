/* view_run.c: the run pane: one answer streaming in, rendered as Markdown and wrapped to the
 * pane, following the tail unless scrolled up; usage, latency and finish reason at the end;
 * retries and faults said plainly with the partial text kept; c cancels at once. Also shows a
 * stored run (from the history) and runs it again. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "editor/editor.h"
#include "runpanes.h"
#include "runpanes_priv.h"
#include "store/store.h"

enum { ACT_CANCEL = PD_VIEW_ACT, ACT_RERUN, ACT_HISTORY, ACT_RAW, ACT_FOLLOW_UP, ACT_TOOL_RESULT, ACT_REQUEST };

static const pd_keydef run_keys[] = {
    {ACT_CANCEL, "cancel", "c <C-c>", "Stop the run now (what arrived is kept, marked cancelled)"},
    {ACT_RERUN, "rerun", "r", "Run again with the same variables and settings"},
    {ACT_HISTORY, "history", "H", "Stored runs of this prompt"},
    {ACT_RAW, "raw", "w", "Show the answer as it arrived (raw text) or rendered (Markdown)"},
    {ACT_FOLLOW_UP, "follow-up", "f", "Continue the conversation: type the next message (sent with all the turns before)"},
    {ACT_TOOL_RESULT, "tool-result", "a", "Answer the tool call the model made: its result (@FILE reads a file); the conversation goes on when every call has one"},
    {ACT_REQUEST, "request", "v", "Show the request this run sent (headers with the key redacted, the JSON body)"},
    {0, NULL, NULL, NULL},
};

static const char *const run_notes[] = {
    "The answer follows its end as it streams; scroll up (k, PgUp) to stop following,",
    "G or End to follow again. Control characters from the model are shown as ^X / <U+XXXX>.",
    "Every run is stored with the prompt (H shows them). A conversation goes on in the same pane",
    "(f, a); each turn is a run of its own, continuing the one before, and one from H continues too.",
    NULL,
};

typedef struct run_state {
    pd_runpane_request req;
    bool have_req;
    pd_runloop *loop;
    pd_answer *st;
    int last_height;
} run_state;

void pd_runpane_follow(pd_view *v, size_t n, size_t first_changed)
{
    size_t old = v->n_lines;
    bool at_bottom = v->offset + (size_t)v->height >= old;
    if (n != old) {
        pd_view_set_lines(v, n);
    } else {
        /* only the rows shown (the answer's lines may change from far above them) */
        size_t from = first_changed > v->offset ? first_changed : v->offset;
        size_t to = v->offset + (size_t)v->height < n ? v->offset + (size_t)v->height : n;
        for (size_t i = from; i < to; i++)
            pd_view_dirty_line(v, i);
    }
    if (at_bottom && n > (size_t)v->height)
        pd_view_scroll_to(v, n - (size_t)v->height);
    pd_view_dirty_title(v);
}

void pd_runpane_resized(pd_view *v, int *last_height, size_t n)
{
    bool at_bottom = v->offset + (size_t)*last_height >= v->n_lines;
    v->n_lines = n;
    if (at_bottom && n > (size_t)v->height)
        v->offset = n - (size_t)v->height;
    *last_height = v->height;
}

static void run_update(pd_view *v)
{
    run_state *s = v->data;
    size_t first;
    size_t n = pd_answer_refresh(s->st, &first);
    pd_runpane_follow(v, n, first);
    if (pd_answer_take_finished(s->st))
        pd_app_library_changed(v->app, s->req.slug);   /* the history shows the new run */
}

static void run_after(void *ud)
{
    run_update(ud);
}

static void run_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    run_state *s = v->data;
    pd_answer_draw(s->st, v->win, row, 0, v->width, line);
}

static const char *run_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    run_state *s = v->data;
    return pd_answer_line_text(s->st, line, scratch);
}

/* y: the answer as it arrived (the Markdown source). */
static bool run_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    run_state *s = v->data;
    const char *t = pd_answer_text(s->st);
    if (!t || !*t) {
        pd_app_status(v->app, "No answer to copy yet");
        return false;
    }
    pd_buf_puts(out, t);
    snprintf(what, size, "the answer%s", pd_answer_running(s->st) ? " so far" : "");
    return true;
}

static const char *run_slug(pd_view *v)
{
    run_state *s = v->data;
    return s->req.slug;
}

static void run_title(pd_view *v, char *buf, size_t size)
{
    run_state *s = v->data;
    char sum[128];
    pd_answer_summary(s->st, sum, sizeof sum);
    snprintf(buf, size, "Run: %s v%d — %s", s->req.slug ? s->req.slug : "?", s->req.version, sum);
}

static void run_start(pd_view *v)
{
    run_state *s = v->data;
    pd_error err = {0};
    if (pd_answer_start(s->st, s->loop, &s->req, &err) != 0)
        pd_app_error_err(v->app, &err);
    run_update(v);
}

/* A follow-up can be typed: the last turn ended well and every tool call has its result. */
static bool follow_up_ready(pd_view *v)
{
    run_state *s = v->data;
    if (pd_answer_running(s->st)) {
        pd_app_status(v->app, "Wait for the answer to end (c cancels)");
        return false;
    }
    if (!pd_answer_can_continue(s->st)) {
        pd_app_status(v->app, "Only an answer that ended well can be continued (r runs again)");
        return false;
    }
    if (pd_answer_pending_call(s->st)) {
        pd_app_status(v->app, "The model asked for a tool call: a answers it first");
        return false;
    }
    return true;
}

static void continue_turn(pd_view *v, const char *text)
{
    run_state *s = v->data;
    pd_error err = {0};
    if (pd_answer_continue(s->st, s->loop, &s->req, text, &err) != 0)
        pd_app_error_err(v->app, &err);
    run_update(v);
}

static void follow_up_done(pd_app *app, void *ud, const char *text)
{
    (void)app;
    pd_view *v = ud;
    if (!text || !*text || !follow_up_ready(v))
        return;
    continue_turn(v, text);
}

/* "@FILE" is the file's text; "@@..." the text "@...". Caller frees; NULL with err set. */
static char *result_text(const char *text, pd_error *err)
{
    if (text[0] != '@' || text[1] == '@')
        return pd_strdup(text[0] == '@' ? text + 1 : text);
    char *data;
    size_t len;
    if (pd_read_file(text + 1, &data, &len, err) != 0)
        return NULL;
    if (strlen(data) != len || !pd_utf8_valid(data, len)) {
        free(data);
        pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is not UTF-8 text", text + 1);
        return NULL;
    }
    return data;
}

static void tool_result_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    run_state *s = v->data;
    if (!text)
        return;
    pd_error err = {0};
    char *result = result_text(text, &err);
    if (!result || pd_answer_tool_result(s->st, result, &err) != 0) {
        pd_app_error_err(app, &err);
        free(result);
        return;
    }
    free(result);
    json_t *next = pd_answer_pending_call(s->st);
    if (next) {
        const char *name = json_string_value(json_object_get(next, "name"));
        pd_app_status(app, "Result kept; a answers the next call (%s)", name ? name : "?");
        run_update(v);
        return;
    }
    continue_turn(v, NULL);   /* every call has its result: the model goes on */
}

static bool run_key(pd_view *v, int key, int action)
{
    (void)key;
    run_state *s = v->data;
    switch (action) {
    case ACT_CANCEL:
        if (!pd_answer_running(s->st)) {
            pd_app_status(v->app, "Nothing is running");
        } else {
            pd_answer_cancel(s->st);
            pd_app_status(v->app, "Cancelled; the partial answer is kept");
        }
        run_update(v);
        return true;
    case ACT_RERUN:
        if (!s->have_req)
            return true;
        run_start(v);
        return true;
    case ACT_HISTORY:
        pd_open_history(v->app, s->req.slug);
        return true;
    case ACT_FOLLOW_UP:
        if (!follow_up_ready(v))
            return true;
        pd_app_input(v->app, "Follow-up: ", "", follow_up_done, NULL, v);
        return true;
    case ACT_TOOL_RESULT: {
        json_t *call = pd_answer_pending_call(s->st);
        if (!call) {
            pd_app_status(v->app, pd_answer_running(s->st) ? "Wait for the answer to end"
                                                             : "No tool call is waiting for a result");
            return true;
        }
        char prompt[256];
        const char *name = json_string_value(json_object_get(call, "name"));
        const char *id = json_string_value(json_object_get(call, "id"));
        snprintf(prompt, sizeof prompt, "Result of %.80s (%.60s; @FILE reads a file): ", name ? name : "?",
                 id && *id ? id : "no id");
        pd_app_input(v->app, prompt, "", tool_result_done, NULL, v);
        return true;
    }
    case ACT_REQUEST:
        if (s->have_req)
            pd_open_request_of(v->app, v, s->st, &s->req);
        return true;
    case ACT_RAW:
        pd_answer_set_raw(s->st, !pd_answer_raw(s->st));
        pd_app_status(v->app, pd_answer_raw(s->st) ? "Raw text as it arrived (w: rendered)" : "Rendered Markdown (w: raw text)");
        run_update(v);
        return true;
    default:
        return false;
    }
}

static void run_resize(pd_view *v)
{
    run_state *s = v->data;
    pd_answer_set_width(s->st, v->width);
    size_t first;
    pd_runpane_resized(v, &s->last_height, pd_answer_refresh(s->st, &first));
}

static void run_close(pd_view *v)
{
    run_state *s = v->data;
    pd_answer_free(s->st);         /* cancels a run still going: it is recorded as cancelled */
    pd_runloop_free(s->loop);
    pd_runpane_request_clear(&s->req);
    free(s);
}

const pd_view_ops pd_run_pane = {
    .name = "run",
    .draw_line = run_draw,
    .key = run_key,
    .resize = run_resize,
    .close = run_close,
    .title = run_title,
    .keys = run_keys,
    .help_notes = run_notes,
    .line_text = run_line_text,
    .copy = run_copy,
    .keybar = "cancel rerun follow-up tool-result raw history copy",
    .prompt_slug = run_slug,
};

static pd_view *run_new(pd_app *app, pd_view *from)
{
    run_state *s = pd_xcalloc(1, sizeof *s);
    pd_view *v = pd_view_new(app, &pd_run_pane, s);
    v->has_cursor = false;
    pd_error err = {0};
    s->loop = pd_runloop_new(app, run_after, v, &err);
    int cols = pd_app_cols(app);
    s->st = pd_answer_new(app, from ? cols / 2 : cols);
    if (!s->loop)
        pd_app_error_err(app, &err);
    return v;
}

void pd_open_run(pd_app *app, pd_view *from, const pd_runpane_request *req)
{
    pd_view *v = run_new(app, from);
    run_state *s = v->data;
    pd_runpane_request_copy(&s->req, req);
    s->have_req = true;
    pd_app_push(app, from, v, from ? PD_OPEN_SPLIT : PD_OPEN_FULL);
    if (s->loop)
        run_start(v);
}

void pd_runpane_request_from_record(pd_runpane_request *out, const pd_run_record *rec)
{
    memset(out, 0, sizeof *out);
    out->slug = pd_strdup(rec->prompt_slug);
    out->version = rec->prompt_version;
    out->vars = rec->variables ? json_deep_copy(rec->variables) : json_object();
    out->has_overrides = true;
    pd_settings_copy(&out->overrides, &rec->settings);
}

void pd_open_run_record(pd_app *app, pd_view *from, const pd_run_record *rec)
{
    pd_view *v = run_new(app, from);
    run_state *s = v->data;
    pd_runpane_request_from_record(&s->req, rec);
    s->have_req = true;
    pd_answer_show_record(s->st, rec);
    pd_app_push(app, from, v, from ? PD_OPEN_SPLIT : PD_OPEN_FULL);
    run_update(v);
    pd_view_scroll_to(v, 0);
}
