/* view_request.c: the request a run sent (or a stored run would send again), as pd_run_dry
 * builds it: method and URL, the headers with the key redacted, the JSON body indented; wrapped
 * to the pane, scrolled like any pane, y copies it. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "runpanes.h"
#include "runpanes_priv.h"

static const char *const request_notes[] = {
    "What the provider gets for this run: the key is shown as [redacted].",
    "The same as `promptdeck run ... --dry-run` prints.",
    NULL,
};

typedef struct req_state {
    char *text;
    char *title;
    size_t *off, *len;   /* screen rows as byte ranges of text */
    size_t n, cap;
    int width;
} req_state;

static void req_layout(pd_view *v)
{
    req_state *s = v->data;
    s->n = 0;
    s->width = v->width > 1 ? v->width : 80;
    size_t total = strlen(s->text), pos = 0;
    while (pos < total) {
        const char *nl = memchr(s->text + pos, '\n', total - pos);
        size_t end = nl ? (size_t)(nl - s->text) : total, at = pos;
        do {
            size_t n = end > at ? pd_text_fit(s->text + at, end - at, s->width, false) : 0;
            if (s->n == s->cap) {
                s->cap = s->cap ? s->cap * 2 : 64;
                s->off = pd_xrealloc(s->off, s->cap * sizeof *s->off);
                s->len = pd_xrealloc(s->len, s->cap * sizeof *s->len);
            }
            s->off[s->n] = at;
            s->len[s->n++] = n;
            at += n;
        } while (at < end);
        pos = end + 1;
    }
    pd_view_set_lines(v, s->n ? s->n : 1);
    pd_view_dirty_all(v);
}

static void req_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    req_state *s = v->data;
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(v->app, PD_STYLE_CONTROL));
    if (line < s->n)
        pd_pen_text(&p, s->text + s->off[line], s->len[line],
                    pd_app_attr(v->app, line == 0 ? PD_STYLE_RUN_META : PD_STYLE_NORMAL));
    pd_pen_fill(&p, pd_app_attr(v->app, PD_STYLE_NORMAL));
}

static const char *req_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    req_state *s = v->data;
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (line < s->n)
        pd_buf_append(scratch, s->text + s->off[line], s->len[line]);
    return pd_buf_str(scratch);
}

static bool req_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    req_state *s = v->data;
    pd_buf_puts(out, s->text);
    snprintf(what, size, "the request");
    return true;
}

static void req_title(pd_view *v, char *buf, size_t size)
{
    req_state *s = v->data;
    snprintf(buf, size, "%s", s->title);
}

static void req_resize(pd_view *v)
{
    req_layout(v);
}

static void req_close(pd_view *v)
{
    req_state *s = v->data;
    free(s->text);
    free(s->title);
    free(s->off);
    free(s->len);
    free(s);
}

const pd_view_ops pd_request_pane = {
    .name = "request",
    .draw_line = req_draw,
    .resize = req_resize,
    .close = req_close,
    .title = req_title,
    .help_notes = request_notes,
    .line_text = req_line_text,
    .copy = req_copy,
    .keybar = "copy",
};

static void open_request(pd_app *app, pd_view *from, const char *title, const char *text)
{
    req_state *s = pd_xcalloc(1, sizeof *s);
    s->text = pd_strdup(text);
    s->title = pd_strdup(title);
    pd_view *v = pd_view_new(app, &pd_request_pane, s);
    v->has_cursor = false;
    pd_app_push(app, from, v, PD_OPEN_FULL);
    req_layout(v);
}

void pd_open_request_of(pd_app *app, pd_view *from, pd_answer *a, const pd_runpane_request *req)
{
    pd_error err = {0};
    char *text = pd_answer_request_text(a, req, &err);
    if (!text) {
        pd_app_error_err(app, &err);
        return;
    }
    char title[256];
    snprintf(title, sizeof title, "Request: %s v%d (the key redacted)", req->slug ? req->slug : "?", req->version);
    open_request(app, from, title, text);
    free(text);
}

void pd_open_request_record(pd_app *app, pd_view *from, const pd_run_record *rec)
{
    pd_answer *a = pd_answer_new(app, 80);
    pd_answer_show_record(a, rec);
    pd_runpane_request req;
    pd_runpane_request_from_record(&req, rec);
    pd_open_request_of(app, from, a, &req);
    pd_runpane_request_clear(&req);
    pd_answer_free(a);
}
