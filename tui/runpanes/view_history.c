/* view_history.c: every stored run of a prompt, newest first (date, version, model, status,
 * tokens, time, the answer's first line); Enter opens one, r runs it again with the same
 * variables and settings. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "editor/editor.h"
#include "evalpane/evalpane.h"
#include "runpanes.h"
#include "runpanes_priv.h"
#include "store/store.h"

enum { ACT_OPEN = PD_VIEW_ACT, ACT_RERUN, ACT_RELOAD, ACT_REQUEST, ACT_KEEP };

static const pd_keydef history_keys[] = {
    {ACT_OPEN, "open", "<Enter> o", "Show the selected run (answer, usage, latency, error)"},
    {ACT_RERUN, "rerun", "r", "Run the selected run again (same version, variables, model and settings)"},
    {ACT_RELOAD, "reload", "R", "Reload the list"},
    {ACT_REQUEST, "request", "v", "Show the request the selected run sent (the key redacted)"},
    {ACT_KEEP, "keep", "t", "Keep the selected run as a test case (its answer expected)"},
    {0, NULL, NULL, NULL},
};

static const char *const history_notes[] = {
    "Columns: started (UTC), version, provider:model, status, tokens in/out, total time, answer.",
    NULL,
};

typedef struct hist_state {
    char *slug;
    pd_run_record **runs;
    size_t n;
} hist_state;

static void free_runs(hist_state *s)
{
    for (size_t i = 0; i < s->n; i++)
        pd_run_record_free(s->runs[i]);
    free(s->runs);
    s->runs = NULL;
    s->n = 0;
}

static void hist_load(pd_view *v)
{
    hist_state *s = v->data;
    free_runs(s);
    pd_error err = {0};
    if (pd_store_list_runs(pd_app_store(v->app), s->slug, &s->runs, &s->n, &err) != 0) {
        s->runs = NULL;
        s->n = 0;
        if (err.code != PD_ERR_NOT_FOUND)
            pd_app_error_err(v->app, &err);
    }
    pd_view_set_lines(v, s->n ? s->n : 1);
    pd_view_dirty_title(v);
}

static pd_style status_style(const char *st)
{
    if (st && !strcmp(st, "ok"))
        return PD_STYLE_STATUS_INFO;
    return PD_STYLE_RUN_ERROR;
}

static void hist_draw(pd_view *v, int row, size_t line, bool selected)
{
    hist_state *s = v->data;
    pd_app *app = v->app;
    attr_t normal = pd_app_attr(app, PD_STYLE_NORMAL);
    attr_t base = selected && s->n ? pd_app_cursor_attr(app, v) : normal;
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    if (s->n == 0) {
        pd_pen_printf(&p, pd_app_attr(app, PD_STYLE_DIM), " No stored runs of %s yet.", s->slug);
        pd_pen_fill(&p, normal);
        return;
    }
    const pd_run_record *r = s->runs[line];
    attr_t a = selected ? base : 0;
    char when[20] = "";
    if (r->started_at) {
        snprintf(when, sizeof when, "%.16s", r->started_at);
        if (strlen(when) > 10)
            when[10] = ' ';
    }
    pd_pen_printf(&p, a ? a : pd_app_attr(app, PD_STYLE_DATE), " %-16s ", when);
    pd_pen_printf(&p, a ? a : pd_app_attr(app, PD_STYLE_VERSION), "v%-3d ", r->prompt_version);
    pd_pen_printf(&p, a ? a : normal, "%s:%s ", r->settings.provider ? r->settings.provider : "?",
                  r->settings.model ? r->settings.model : "?");
    pd_pen_printf(&p, a ? a : pd_app_attr(app, status_style(r->status)), "%-9s ", r->status ? r->status : "?");
    if (r->input_tokens >= 0 || r->output_tokens >= 0)
        pd_pen_printf(&p, a ? a : pd_app_attr(app, PD_STYLE_DIM), "%ld/%ld tok ", r->input_tokens, r->output_tokens);
    if (r->total_ms > 0)
        pd_pen_printf(&p, a ? a : pd_app_attr(app, PD_STYLE_DIM), "%.1f s ", r->total_ms / 1000.0);
    /* the answer's first line (or the error), drawn sanitized */
    const char *t = r->status && strcmp(r->status, "ok") && r->error && (!r->output || !*r->output) ? r->error
                                                                                                     : r->output;
    if (t) {
        size_t len = strcspn(t, "\n");
        pd_pen_text(&p, t, len, a ? a : normal);
    }
    pd_pen_fill(&p, base);
}

/* For `/`: the row's fields and the run's whole answer (or error), so a search finds the run
 * whose answer holds the text. */
static const char *hist_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    hist_state *s = v->data;
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (line < s->n) {
        const pd_run_record *r = s->runs[line];
        pd_buf_printf(scratch, "%s v%d %s:%s %s %s %s", r->started_at ? r->started_at : "", r->prompt_version,
                      r->settings.provider ? r->settings.provider : "?", r->settings.model ? r->settings.model : "?",
                      r->status ? r->status : "?", r->output ? r->output : "", r->error ? r->error : "");
    }
    return pd_buf_str(scratch);
}

/* y: the selected run's answer (or its error). */
static bool hist_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    hist_state *s = v->data;
    if (v->cursor >= s->n) {
        pd_app_status(v->app, "No run selected");
        return false;
    }
    const pd_run_record *r = s->runs[v->cursor];
    bool answer = r->output && *r->output;
    pd_buf_puts(out, answer ? r->output : r->error ? r->error : "");
    snprintf(what, size, "the %s of the run of %.16s", answer ? "answer" : "error", r->started_at ? r->started_at : "?");
    return true;
}

static const char *hist_slug(pd_view *v)
{
    hist_state *s = v->data;
    return s->slug;
}

static void hist_title(pd_view *v, char *buf, size_t size)
{
    hist_state *s = v->data;
    snprintf(buf, size, "Runs: %s (%zu, newest first; Enter opens, r runs again)", s->slug, s->n);
}

static bool hist_key(pd_view *v, int key, int action)
{
    (void)key;
    hist_state *s = v->data;
    if ((action == ACT_OPEN || action == ACT_RERUN || action == ACT_REQUEST || action == ACT_KEEP || action == PD_ACT_ENTER) && (s->n == 0 || v->cursor >= s->n)) {
        pd_app_status(v->app, "No run selected");
        return true;
    }
    switch (action) {
    case PD_ACT_ENTER:
    case ACT_OPEN:
        pd_open_run_record(v->app, v, s->runs[v->cursor]);
        return true;
    case ACT_RERUN: {
        pd_runpane_request req;
        pd_runpane_request_from_record(&req, s->runs[v->cursor]);
        pd_open_run(v->app, v, &req);
        pd_runpane_request_clear(&req);
        return true;
    }
    case ACT_REQUEST:
        pd_open_request_record(v->app, v, s->runs[v->cursor]);
        return true;
    case ACT_KEEP:
        pd_eval_keep_run(v->app, s->slug, s->runs[v->cursor]);
        return true;
    case ACT_RELOAD:
        hist_load(v);
        pd_app_status(v->app, "%zu runs", s->n);
        return true;
    default:
        return false;
    }
}

static void hist_changed(pd_view *v, const char *slug)
{
    hist_state *s = v->data;
    if (!slug || !strcmp(slug, s->slug))
        hist_load(v);
}

static void hist_close(pd_view *v)
{
    hist_state *s = v->data;
    free_runs(s);
    free(s->slug);
    free(s);
}

const pd_view_ops pd_history_pane = {
    .name = "history",
    .draw_line = hist_draw,
    .key = hist_key,
    .close = hist_close,
    .title = hist_title,
    .changed = hist_changed,
    .keys = history_keys,
    .help_notes = history_notes,
    .line_text = hist_line_text,
    .copy = hist_copy,
    .keybar = "open rerun copy",
    .prompt_slug = hist_slug,
};

void pd_open_history(pd_app *app, const char *slug)
{
    hist_state *s = pd_xcalloc(1, sizeof *s);
    s->slug = pd_strdup(slug);
    pd_view *v = pd_view_new(app, &pd_history_pane, s);
    v->has_cursor = true;
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
    hist_load(v);
}
