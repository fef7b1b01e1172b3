/* view_compare.c: two runs side by side (two versions, or one version on two models) with the
 * same variables, both streaming at once through one pd_http; c cancels both, r runs both again. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "editor/editor.h"
#include "runpanes.h"
#include "runpanes_priv.h"

enum { ACT_CANCEL = PD_VIEW_ACT, ACT_RERUN, ACT_HISTORY, ACT_RAW };

static const pd_keydef compare_keys[] = {
    {ACT_CANCEL, "cancel", "c <C-c>", "Stop both runs now (what arrived is kept, marked cancelled)"},
    {ACT_RERUN, "rerun", "r", "Run both again with the same variables"},
    {ACT_HISTORY, "history", "H", "Stored runs of this prompt"},
    {ACT_RAW, "raw", "w", "Show the answer as it arrived (raw text) or rendered (Markdown)"},
    {0, NULL, NULL, NULL},
};

static const char *const compare_notes[] = {
    "Left and right scroll together and follow the end while streaming;",
    "scroll up to stop following, G or End to follow again.",
    NULL,
};

#define SEP " \xe2\x94\x82 "
#define SEP_W 3

typedef struct cmp_state {
    pd_runpane_request req[2];
    pd_runloop *loop;
    pd_answer *st[2];
    int last_height;
} cmp_state;

static int col_width(const pd_view *v, int side)
{
    int left = (v->width - SEP_W) / 2;
    if (left < 1)
        left = 1;
    return side == 0 ? left : (v->width - left - SEP_W > 1 ? v->width - left - SEP_W : 1);
}

static void cmp_update(pd_view *v)
{
    cmp_state *s = v->data;
    size_t f0, f1;
    size_t n0 = pd_answer_refresh(s->st[0], &f0), n1 = pd_answer_refresh(s->st[1], &f1);
    pd_runpane_follow(v, n0 > n1 ? n0 : n1, f0 < f1 ? f0 : f1);
    bool done0 = pd_answer_take_finished(s->st[0]), done1 = pd_answer_take_finished(s->st[1]);
    if (done0 || done1)
        pd_app_library_changed(v->app, s->req[0].slug);   /* the history shows the new runs */
}

static void cmp_after(void *ud)
{
    cmp_update(ud);
}

static void cmp_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    cmp_state *s = v->data;
    int lw = col_width(v, 0);
    pd_answer_draw(s->st[0], v->win, row, 0, lw, line);
    pd_pen p = pd_pen_at(v->win, row, lw, SEP_W, pd_app_attr(v->app, PD_STYLE_CONTROL));
    pd_pen_str(&p, SEP, pd_app_attr(v->app, PD_STYLE_DIM));
    pd_answer_draw(s->st[1], v->win, row, lw + SEP_W, col_width(v, 1), line);
}

static void cmp_title(pd_view *v, char *buf, size_t size)
{
    cmp_state *s = v->data;
    char a[96], b[96];
    pd_answer_summary(s->st[0], a, sizeof a);
    pd_answer_summary(s->st[1], b, sizeof b);
    snprintf(buf, size, "Compare: %s — left %s | right %s", s->req[0].slug, a, b);
}

static void cmp_start(pd_view *v)
{
    cmp_state *s = v->data;
    for (int i = 0; i < 2; i++) {
        pd_error err = {0};
        if (pd_answer_start(s->st[i], s->loop, &s->req[i], &err) != 0)
            pd_app_error_err(v->app, &err);
    }
    cmp_update(v);
}

static bool cmp_key(pd_view *v, int key, int action)
{
    (void)key;
    cmp_state *s = v->data;
    switch (action) {
    case ACT_CANCEL: {
        bool any = false;
        for (int i = 0; i < 2; i++)
            if (pd_answer_running(s->st[i])) {
                pd_answer_cancel(s->st[i]);
                any = true;
            }
        pd_app_status(v->app, any ? "Cancelled; the partial answers are kept" : "Nothing is running");
        cmp_update(v);
        return true;
    }
    case ACT_RERUN:
        cmp_start(v);
        return true;
    case ACT_HISTORY:
        pd_open_history(v->app, s->req[0].slug);
        return true;
    case ACT_RAW: {
        bool raw = !pd_answer_raw(s->st[0]);
        for (int i = 0; i < 2; i++)
            pd_answer_set_raw(s->st[i], raw);
        pd_app_status(v->app, raw ? "Raw text as it arrived (w: rendered)" : "Rendered Markdown (w: raw text)");
        cmp_update(v);
        return true;
    }
    default:
        return false;
    }
}

static void cmp_resize(pd_view *v)
{
    cmp_state *s = v->data;
    for (int i = 0; i < 2; i++)
        pd_answer_set_width(s->st[i], col_width(v, i));
    size_t f0, f1;
    size_t n0 = pd_answer_refresh(s->st[0], &f0), n1 = pd_answer_refresh(s->st[1], &f1);
    pd_runpane_resized(v, &s->last_height, n0 > n1 ? n0 : n1);
}

static void cmp_close(pd_view *v)
{
    cmp_state *s = v->data;
    for (int i = 0; i < 2; i++) {
        pd_answer_free(s->st[i]);
        pd_runpane_request_clear(&s->req[i]);
    }
    pd_runloop_free(s->loop);
    free(s);
}

const pd_view_ops pd_compare_pane = {
    .name = "compare",
    .draw_line = cmp_draw,
    .key = cmp_key,
    .resize = cmp_resize,
    .close = cmp_close,
    .title = cmp_title,
    .keys = compare_keys,
    .help_notes = compare_notes,
    .keybar = "cancel rerun raw history",
};

void pd_open_compare_runs(pd_app *app, pd_view *from, const pd_runpane_request *a, const pd_runpane_request *b)
{
    cmp_state *s = pd_xcalloc(1, sizeof *s);
    pd_view *v = pd_view_new(app, &pd_compare_pane, s);
    v->has_cursor = false;
    pd_runpane_request_copy(&s->req[0], a);
    pd_runpane_request_copy(&s->req[1], b);
    int half = (pd_app_cols(app) - SEP_W) / 2;
    for (int i = 0; i < 2; i++)
        s->st[i] = pd_answer_new(app, half);
    pd_error err = {0};
    s->loop = pd_runloop_new(app, cmp_after, v, &err);
    pd_app_push(app, from, v, PD_OPEN_FULL);
    if (!s->loop) {
        pd_app_error_err(app, &err);
        return;
    }
    cmp_start(v);
}
