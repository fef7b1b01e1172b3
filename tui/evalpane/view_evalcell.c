/* view_evalcell.c: one cell of an evaluation as a pager: the verdict, each assertion's result,
 * the answer rendered from Markdown, and what was asked (version, model, the case's variables). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "evalpane_priv.h"
#include "markdown/markdown.h"
#include "run/run.h"

typedef struct cell_line {
    char *text;
    pd_style style;
} cell_line;

typedef struct cell_state {
    json_t *result;
    char *case_name;
    char *column;
    char *vars;              /* the case's variables as compact JSON */
    char *request;           /* the request rebuilt (POST URL, headers, body), or why not */
    cell_line *lines;
    size_t n;
} cell_state;

static void add(cell_state *s, pd_style style, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(cell_state *s, pd_style style, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s->lines = pd_xrealloc(s->lines, (s->n + 1) * sizeof *s->lines);
    s->lines[s->n++] = (cell_line){pd_strdup(pd_buf_str(&b)), style};
    pd_buf_free(&b);
}

/* Each line of text, indented two columns. */
static void add_lines(cell_state *s, pd_style style, const char *text)
{
    for (const char *line = text, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        add(s, style, "  %.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
        if (!nl)
            break;
    }
}

static void clear_lines(cell_state *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i].text);
    free(s->lines);
    s->lines = NULL;
    s->n = 0;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Lays the cell out at width. */
static void layout(pd_view *v)
{
    cell_state *s = v->data;
    json_t *r = s->result;
    clear_lines(s);
    bool error = json_object_get(r, "error") != NULL, pass = json_is_true(json_object_get(r, "pass"));
    add(s, error ? PD_STYLE_RUN_ERROR : pass ? PD_STYLE_COUNT_ADD : PD_STYLE_COUNT_DEL, "%s  score %.2f  %s",
        error ? "ERROR" : pass ? "PASS" : "FAIL", json_number_value(json_object_get(r, "score")), str_of(r, "reason"));
    add(s, PD_STYLE_NORMAL, "%s", "");
    add(s, PD_STYLE_HEADER, "Assertions");
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(r, "assertions"), i, a) {
        bool ok = json_is_true(json_object_get(a, "pass"));
        add(s, ok ? PD_STYLE_COUNT_ADD : PD_STYLE_COUNT_DEL, "  %s %s: %s",
            json_is_true(json_object_get(a, "error")) ? "ERROR" : ok ? "PASS " : "FAIL ", str_of(a, "type"),
            str_of(a, "reason"));
    }
    if (i == 0)
        add(s, PD_STYLE_DIM, "  none");
    add(s, PD_STYLE_NORMAL, "%s", "");
    add(s, PD_STYLE_HEADER, "Answer");
    const char *out = str_of(r, "output");
    int width = v->width > 4 ? v->width - 2 : 2;
    char *md = pd_md_render_plain(out, strlen(out), width);
    add_lines(s, PD_STYLE_RUN_OUTPUT, md);
    free(md);
    add(s, PD_STYLE_NORMAL, "%s", "");
    add(s, PD_STYLE_HEADER, "Request");
    add(s, PD_STYLE_RUN_META, "  %s, variables %s", s->column, s->vars);
    json_t *tok = json_object_get(r, "tokens"), *lat = json_object_get(r, "latency_ms"),
           *cost = json_object_get(r, "cost");
    pd_buf b = PD_BUF_INIT;
    if (json_is_integer(tok))
        pd_buf_printf(&b, "%lld tokens, ", (long long)json_integer_value(tok));
    if (json_is_number(lat))
        pd_buf_printf(&b, "%.0f ms, ", json_number_value(lat));
    if (json_is_number(cost))
        pd_buf_printf(&b, "$%.4f, ", json_number_value(cost));
    pd_buf_printf(&b, "finish %s%s", json_is_string(json_object_get(r, "finish_reason")) ? str_of(r, "finish_reason") : "?",
                  json_is_true(json_object_get(r, "cached")) ? ", from the cache" : "");
    add(s, PD_STYLE_RUN_META, "  %s", pd_buf_str(&b));
    pd_buf_free(&b);
    add_lines(s, PD_STYLE_NORMAL, s->request);
    pd_view_set_lines(v, s->n);
}

static void cell_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    cell_state *s = v->data;
    attr_t ctrl = pd_app_attr(v->app, PD_STYLE_CONTROL);
    pd_draw_line(v->win, row, 0, v->width, s->lines[line].text, pd_app_attr(v->app, s->lines[line].style), ctrl);
}

static void cell_title(pd_view *v, char *buf, size_t size)
{
    cell_state *s = v->data;
    snprintf(buf, size, "Eval cell: %s, %s", s->case_name, s->column);
}

static const char *cell_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    (void)scratch;
    cell_state *s = v->data;
    return s->lines[line].text;
}

static bool cell_copy(pd_view *v, pd_buf *out, char *what, size_t what_size)
{
    cell_state *s = v->data;
    pd_buf_puts(out, str_of(s->result, "output"));
    snprintf(what, what_size, "the answer");
    return true;
}

static void cell_close(pd_view *v)
{
    cell_state *s = v->data;
    clear_lines(s);
    json_decref(s->result);
    free(s->case_name);
    free(s->column);
    free(s->vars);
    free(s->request);
    free(s);
}

const pd_view_ops pd_evalcell_pane = {
    .name = "evalcell",
    .draw_line = cell_draw,
    .close = cell_close,
    .title = cell_title,
    .resize = layout,
    .line_text = cell_line_text,
    .copy = cell_copy,
};

/* What the cell's request was: rebuilt as the runner builds it (pd_run_dry), the key redacted. */
static char *request_text(pd_app *app, const pd_eval_case *c, const pd_eval_column *col)
{
    pd_settings over = {.provider = (char *)col->provider, .model = (char *)col->model};
    pd_run_options o = {.version = col->version, .variables = c->vars, .overrides = &over,
                        .config = pd_app_config(app), .store = pd_app_store(app), .no_record = true};
    pd_provider_request req = {0};
    pd_error err = {0};
    pd_buf b = PD_BUF_INIT;
    if (pd_run_dry(&o, &req, &err) != 0) {
        pd_buf_printf(&b, "(the request cannot be rebuilt: %s)\n", err.msg);
        return pd_buf_take(&b);
    }
    pd_buf_printf(&b, "POST %s\n", req.url);
    for (size_t i = 0; i < req.n_headers; i++)
        pd_buf_printf(&b, "%s: %s\n", req.headers[i].name, req.headers[i].value);
    json_t *body = json_loads(req.body, 0, NULL);
    char *pretty = body ? json_dumps(body, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    pd_buf_puts(&b, pretty ? pretty : req.body);
    free(pretty);
    json_decref(body);
    pd_provider_request_clear(&req);
    return pd_buf_take(&b);
}

void pd_open_evalcell(pd_app *app, pd_view *from, json_t *result, const pd_eval_case *c, size_t case_index,
                      const pd_eval_column *col, const char *column)
{
    cell_state *s = pd_xcalloc(1, sizeof *s);
    s->result = json_incref(result);
    char name[128];
    s->case_name = pd_strdup(pd_eval_case_name(c, case_index, name, sizeof name));
    s->column = pd_strdup(column);
    s->vars = json_dumps(c->vars, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!s->vars)
        s->vars = pd_strdup("{}");
    s->request = request_text(app, c, col);
    pd_view *v = pd_view_new(app, &pd_evalcell_pane, s);
    v->width = pd_app_cols(app);
    layout(v);
    pd_app_push(app, from, v, PD_OPEN_FULL);
}
