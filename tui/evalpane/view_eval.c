/* view_eval.c: the evaluation pane: a prompt's test cases (rows) run on versions x models
 * (columns) through the api's runner, driven by the app's poll loop; cells fill in as answers
 * are graded, the header sums up each column, h/l move between columns (scrolling sideways). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "evalpane.h"
#include "evalpane_priv.h"
#include "net/net.h"
#include "panes/panes.h"
#include "store/store.h"

enum { ACT_OPEN = PD_VIEW_ACT, ACT_FAILURES, ACT_DISAGREE, ACT_MARK, ACT_DIFF, ACT_CANCEL };

static const pd_keydef eval_keys[] = {
    {ACT_OPEN, "open", "<Enter> o", "Show the selected cell: its answer, each assertion, the request"},
    {ACT_FAILURES, "failures", "f", "Show only cases that failed somewhere (again: all)"},
    {ACT_DISAGREE, "disagree", "D", "Show only cases where the columns disagree (again: all)"},
    {ACT_MARK, "mark", "m", "Mark the selected cell (d then diffs its answer with another)"},
    {ACT_DIFF, "diff", "d", "Diff the answers of the marked cell and the selected one, word by word"},
    {ACT_CANCEL, "cancel", "c", "Stop the evaluation (cells not finished end as errors)"},
    {0, NULL, NULL, NULL},
};

static const char *const eval_notes[] = {
    "Rows are the prompt's test cases (tests.json beside it), columns a version on a model;",
    "  h and l move between columns (the matrix scrolls sideways when they do not fit).",
    "Cells: PASS, FAIL, ERROR (the request failed) or ... (not finished yet).",
    "Header: each column's pass rate, tokens, cost and mean latency so far.",
    "#Commands of this pane",
    ":models PROVIDER:MODEL ...   run again on these models (none: each version's own)",
    NULL,
};

#define NAME_W 18   /* the case names' column */
#define CELL_W 14   /* each matrix column, a blank included */
#define HEADER_LINES 5

typedef struct eval_state {
    char *slug;
    pd_version **versions;
    size_t n_versions;
    pd_eval_column *cols;
    size_t n_cols;
    char **models;           /* :models: "PROVIDER\0MODEL" each (the colon cut); none: the versions' own */
    size_t n_models;
    pd_eval_suite suite;
    pd_http *http;
    pd_eval_run_options opts;    /* kept: the runner borrows it */
    pd_eval_runner *runner;
    int source;
    bool changed;            /* a cell finished since the last refresh */
    bool kept;               /* the results were kept */
    json_t **cells;          /* n cases x n_cols results (borrowed from the report), or NULL */
    json_t *report;          /* the runner's report, refreshed as cells finish */
    size_t *rows;            /* the cases shown (filters) */
    size_t n_rows;
    bool only_failures, only_disagree;
    size_t col;              /* the selected column */
    size_t first_col;        /* the first column shown */
    bool marked;             /* a cell is marked for d */
    size_t mark_case, mark_col;
} eval_state;

/* ---- state ---- */

static json_t *cell_at(const eval_state *s, size_t case_index, size_t col)
{
    return s->cells ? s->cells[case_index * s->n_cols + col] : NULL;
}

static bool cell_passed(json_t *res)
{
    return res && !json_object_get(res, "error") && json_is_true(json_object_get(res, "pass"));
}

static bool row_shown(const eval_state *s, size_t i)
{
    bool any_fail = false, any_pass = false;
    for (size_t c = 0; c < s->n_cols; c++) {
        json_t *res = cell_at(s, i, c);
        if (!res)
            continue;
        if (cell_passed(res))
            any_pass = true;
        else
            any_fail = true;
    }
    if (s->only_failures && !any_fail)
        return false;
    return !s->only_disagree || (any_fail && any_pass);
}

/* Takes the runner's results again and chooses the rows the filters let through. */
static void ev_refresh(pd_view *v)
{
    eval_state *s = v->data;
    json_decref(s->report);
    s->report = pd_eval_runner_report(s->runner);
    size_t n_cells = s->suite.n * s->n_cols;
    if (!s->cells)
        s->cells = pd_xcalloc(n_cells ? n_cells : 1, sizeof *s->cells);
    memset(s->cells, 0, (n_cells ? n_cells : 1) * sizeof *s->cells);
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(s->report, "results"), i, res) {
        size_t ci = (size_t)json_integer_value(json_object_get(res, "case_index"));
        size_t col = (size_t)json_integer_value(json_object_get(res, "column"));
        if (ci < s->suite.n && col < s->n_cols)
            s->cells[ci * s->n_cols + col] = res;   /* with repeats: the last one */
    }
    s->n_rows = 0;
    for (size_t c = 0; c < s->suite.n; c++)
        if (row_shown(s, c))
            s->rows[s->n_rows++] = c;
    pd_view_set_lines(v, HEADER_LINES + s->n_rows);
    if (v->cursor < HEADER_LINES && s->n_rows)
        v->cursor = HEADER_LINES;
    pd_view_dirty_all(v);
}

/* The case on the cursor line, or false. */
static bool selected_case(pd_view *v, size_t *case_index)
{
    eval_state *s = v->data;
    if (v->cursor < HEADER_LINES || v->cursor - HEADER_LINES >= s->n_rows)
        return false;
    *case_index = s->rows[v->cursor - HEADER_LINES];
    return true;
}

/* "v2 openai:gpt-4o" */
static void column_title(const eval_state *s, size_t c, char *buf, size_t size)
{
    const pd_eval_column *col = &s->cols[c];
    const pd_settings *st = &col->version->settings;
    const char *prov = col->provider ? col->provider : st->provider ? st->provider : "openai";
    const char *model = col->model ? col->model : st->model ? st->model : "?";
    snprintf(buf, size, "v%d %s:%s", col->version->number, prov, model);
}

/* ---- the loop source ---- */

static size_t ev_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    pd_view *v = ud;
    eval_state *s = v->data;
    *timeout_ms = s->changed ? 0 : pd_http_timeout_ms(s->http);
    return pd_http_pollfds(s->http, fds, max);
}

static void finished(pd_view *v)
{
    eval_state *s = v->data;
    pd_app_remove_source(v->app, s->source);
    s->source = 0;
    json_t *sum = json_object_get(s->report, "summary");
    pd_error err = {0};
    if (!s->kept && pd_eval_kept_save(pd_app_store(v->app), s->report, &err) != 0) {
        pd_app_error_err(v->app, &err);
        return;
    }
    s->kept = true;
    pd_app_library_changed(v->app, s->slug);   /* the timeline shows the new pass rates */
    pd_app_status(v->app, "Evaluation done: %lld passed, %lld failed, %lld errors",
                  (long long)json_integer_value(json_object_get(sum, "passed")),
                  (long long)json_integer_value(json_object_get(sum, "failed")),
                  (long long)json_integer_value(json_object_get(sum, "errors")));
}

static void ev_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    pd_view *v = ud;
    eval_state *s = v->data;
    pd_http_step(s->http, fds, n);
    if (s->changed) {
        s->changed = false;
        ev_refresh(v);
    }
    pd_view_dirty_title(v);
    if (pd_eval_runner_done(s->runner))
        finished(v);
}

static void on_result(void *ud, size_t index, json_t *result)
{
    (void)index;
    (void)result;
    eval_state *s = ud;
    s->changed = true;
}

/* ---- drawing ---- */

static void header_cell(const eval_state *s, size_t line, size_t c, char *buf, size_t size)
{
    json_t *col = json_array_get(json_object_get(s->report, "columns"), c);
    long long passed = json_integer_value(json_object_get(col, "passed"));
    long long all = passed + json_integer_value(json_object_get(col, "failed")) +
                    json_integer_value(json_object_get(col, "errors"));
    json_t *x;
    switch (line) {
    case 0: {
        const pd_eval_column *ec = &s->cols[c];
        const char *model = ec->model ? ec->model : ec->version->settings.model;
        int n = snprintf(buf, size, "v%d ", ec->version->number);
        size_t len = model ? strlen(model) : 0, room = CELL_W - 2 - (size_t)n;
        /* a model too long for the column keeps its end, where names differ (gpt-4o-mini) */
        snprintf(buf + n, size - (size_t)n, "%s%s", len > room ? "~" : "", model ? model + (len > room ? len - room + 1 : 0) : "");
        break;
    }
    case 1:
        if (all)
            snprintf(buf, size, "%lld/%lld %lld%%", passed, all, passed * 100 / all);
        else
            snprintf(buf, size, "-");
        break;
    case 2:
        x = json_object_get(col, "tokens");
        snprintf(buf, size, json_is_integer(x) ? "%lld" : "-", (long long)json_integer_value(x));
        break;
    case 3:
        x = json_object_get(col, "cost");
        if (json_is_number(x))
            snprintf(buf, size, "$%.4f", json_number_value(x));
        else
            snprintf(buf, size, "-");
        break;
    default:
        x = json_object_get(col, "latency_ms");
        if (json_is_number(x))
            snprintf(buf, size, "%.0f ms", json_number_value(x));
        else
            snprintf(buf, size, "-");
        break;
    }
}

/* A cell's verdict as text and its style. */
static const char *verdict(json_t *res, pd_style *st)
{
    if (!res) {
        *st = PD_STYLE_DIM;
        return "...";
    }
    if (json_object_get(res, "error")) {
        *st = PD_STYLE_RUN_ERROR;
        return "ERROR";
    }
    if (json_is_true(json_object_get(res, "pass"))) {
        *st = PD_STYLE_COUNT_ADD;
        return "PASS";
    }
    *st = PD_STYLE_COUNT_DEL;
    return "FAIL";
}

static size_t visible_cols(const pd_view *v)
{
    int n = (v->width - NAME_W) / CELL_W;
    return n < 1 ? 1 : (size_t)n;
}

static void ev_draw(pd_view *v, int row, size_t line, bool selected)
{
    eval_state *s = v->data;
    pd_app *app = v->app;
    attr_t normal = pd_app_attr(app, PD_STYLE_NORMAL), cursor = pd_app_cursor_attr(app, v);
    attr_t header = pd_app_attr(app, PD_STYLE_HEADER);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    static const char *const header_names[HEADER_LINES] = {"case", "pass rate", "tokens", "cost", "latency"};
    size_t ci = 0;
    bool is_header = line < HEADER_LINES;
    if (!is_header)
        ci = s->rows[line - HEADER_LINES];
    char name[128];
    if (is_header)
        snprintf(name, sizeof name, "%s", header_names[line]);
    else
        pd_eval_case_name(&s->suite.cases[ci], ci, name, sizeof name);
    p.end = NAME_W - 1;
    pd_pen_str(&p, name, is_header ? header : selected ? cursor : pd_app_attr(app, PD_STYLE_NAME));
    pd_pen_fill(&p, selected ? cursor : normal);
    p.end = v->width;
    pd_pen_pad_to(&p, NAME_W, normal);
    size_t last = s->first_col + visible_cols(v);
    for (size_t c = s->first_col; c < s->n_cols && c < last; c++) {
        int x = NAME_W + (int)(c - s->first_col) * CELL_W;
        pd_pen_pad_to(&p, x, normal);
        int end = x + CELL_W - 1 < v->width ? x + CELL_W - 1 : v->width;
        p.end = end;
        if (is_header) {
            char buf[128];
            header_cell(s, line, c, buf, sizeof buf);
            pd_pen_str(&p, " ", normal);   /* under the cells' mark */
            pd_pen_str(&p, buf, line == 0 ? header : normal);
        } else {
            pd_style st;
            const char *text = verdict(cell_at(s, ci, c), &st);
            bool marked = s->marked && s->mark_case == ci && s->mark_col == c;
            attr_t a = selected && c == s->col ? cursor : pd_app_attr(app, st);
            pd_pen_str(&p, marked ? "*" : " ", pd_app_attr(app, PD_STYLE_MARK));
            pd_pen_str(&p, text, a);
        }
        p.end = v->width;
    }
    pd_pen_fill(&p, normal);
}

static void ev_title(pd_view *v, char *buf, size_t size)
{
    eval_state *s = v->data;
    size_t done, total, sent;
    pd_eval_runner_progress(s->runner, &done, &total, &sent);
    int n;
    if (pd_eval_runner_done(s->runner)) {
        json_t *sum = json_object_get(s->report, "summary");
        n = snprintf(buf, size, "Eval %s: %lld/%zu passed", s->slug,
                     (long long)json_integer_value(json_object_get(sum, "passed")), total);
    } else
        n = snprintf(buf, size, "Eval %s: running %zu/%zu cells, %zu requests", s->slug, done, total, sent);
    if (n > 0 && (size_t)n < size && (s->only_failures || s->only_disagree))
        n += snprintf(buf + n, size - (size_t)n, "  [%s%s%s]", s->only_failures ? "failures" : "",
                      s->only_failures && s->only_disagree ? ", " : "", s->only_disagree ? "disagree" : "");
    if (n > 0 && (size_t)n < size && s->n_cols > visible_cols(v))
        snprintf(buf + n, size - (size_t)n, "  columns %zu-%zu of %zu", s->first_col + 1,
                 s->first_col + visible_cols(v) < s->n_cols ? s->first_col + visible_cols(v) : s->n_cols, s->n_cols);
}

static const char *ev_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    eval_state *s = v->data;
    if (line < HEADER_LINES)
        return NULL;
    char name[128];
    size_t ci = s->rows[line - HEADER_LINES];
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, pd_eval_case_name(&s->suite.cases[ci], ci, name, sizeof name));
    return pd_buf_str(scratch);
}

/* ---- keys ---- */

static void select_column(pd_view *v, size_t c)
{
    eval_state *s = v->data;
    if (c >= s->n_cols)
        return;
    s->col = c;
    size_t vis = visible_cols(v);
    if (s->col < s->first_col)
        s->first_col = s->col;
    else if (s->col >= s->first_col + vis)
        s->first_col = s->col + 1 - vis;
    pd_view_dirty_all(v);
}

static void open_cell(pd_view *v)
{
    eval_state *s = v->data;
    size_t ci;
    if (!selected_case(v, &ci))
        return;
    json_t *res = cell_at(s, ci, s->col);
    if (!res) {
        pd_app_status(v->app, "This cell is not finished yet");
        return;
    }
    char title[160];
    column_title(s, s->col, title, sizeof title);
    pd_open_evalcell(v->app, v, res, &s->suite.cases[ci], ci, &s->cols[s->col], title);
}

/* d: the marked cell's answer against the selected one's, in the diff pane (words refined). */
static void diff_cells(pd_view *v)
{
    eval_state *s = v->data;
    size_t ci;
    if (!s->marked || !selected_case(v, &ci)) {
        pd_app_status(v->app, "Mark a cell with m, then d on another diffs their answers");
        return;
    }
    json_t *a = cell_at(s, s->mark_case, s->mark_col), *b = cell_at(s, ci, s->col);
    if (!a || !b) {
        pd_app_status(v->app, "This cell is not finished yet");
        return;
    }
    char name[128], col[160], ta[300], tb[300];
    pd_message ma = {.role = "assistant", .content = (char *)json_string_value(json_object_get(a, "output"))};
    pd_message mb = {.role = "assistant", .content = (char *)json_string_value(json_object_get(b, "output"))};
    pd_version va = {.number = 1, .messages = &ma, .n_messages = 1}, vb = {.number = 2, .messages = &mb, .n_messages = 1};
    column_title(s, s->mark_col, col, sizeof col);
    snprintf(ta, sizeof ta, "%s, %s", pd_eval_case_name(&s->suite.cases[s->mark_case], s->mark_case, name, sizeof name), col);
    column_title(s, s->col, col, sizeof col);
    snprintf(tb, sizeof tb, "%s, %s", pd_eval_case_name(&s->suite.cases[ci], ci, name, sizeof name), col);
    pd_open_diff_versions(v->app, v, &va, ta, &vb, tb);
}

static bool ev_key(pd_view *v, int key, int act)
{
    (void)key;
    eval_state *s = v->data;
    size_t ci;
    switch (act) {
    case PD_ACT_LEFT:
        if (s->col > 0)
            select_column(v, s->col - 1);
        return true;
    case PD_ACT_RIGHT:
        select_column(v, s->col + 1);
        return true;
    case PD_ACT_ENTER:
    case ACT_OPEN: open_cell(v); return true;
    case ACT_FAILURES:
        s->only_failures = !s->only_failures;
        ev_refresh(v);
        pd_app_status(v->app, s->only_failures ? "Only cases that failed somewhere" : "Every case");
        return true;
    case ACT_DISAGREE:
        s->only_disagree = !s->only_disagree;
        ev_refresh(v);
        pd_app_status(v->app, s->only_disagree ? "Only cases where the columns disagree" : "Every case");
        return true;
    case ACT_MARK:
        if (!selected_case(v, &ci))
            return true;
        if (s->marked && s->mark_case == ci && s->mark_col == s->col)
            s->marked = false;
        else {
            s->marked = true;
            s->mark_case = ci;
            s->mark_col = s->col;
        }
        pd_view_dirty_all(v);
        return true;
    case ACT_DIFF: diff_cells(v); return true;
    case ACT_CANCEL:
        if (!pd_eval_runner_done(s->runner)) {
            pd_eval_runner_cancel(s->runner);
            ev_refresh(v);
            finished(v);
        }
        return true;
    default: return false;
    }
}

static void ev_select(pd_view *v)
{
    eval_state *s = v->data;
    if (v->cursor < HEADER_LINES && s->n_rows)
        pd_view_move_cursor(v, HEADER_LINES);
}

static void ev_resize(pd_view *v)
{
    eval_state *s = v->data;
    select_column(v, s->col);
}

static void stop(pd_view *v);
static void free_models(eval_state *s);
static bool ev_command(pd_view *v, int argc, char **argv);

static void ev_close(pd_view *v)
{
    eval_state *s = v->data;
    stop(v);
    free_models(s);
    pd_http_free(s->http);
    free(s->rows);
    pd_eval_suite_clear(&s->suite);
    for (size_t i = 0; i < s->n_versions; i++)
        pd_version_free(s->versions[i]);
    free(s->versions);
    free(s->slug);
    free(s);
}

static const pd_cmddef eval_commands[] = {
    {"models", "TEXT", "Run again on these models (PROVIDER:MODEL ...; none: each version's own)"},
    {NULL, NULL, NULL},
};

static const pd_keydef eval_global_help[] = {
    {PD_ACT_UP, NULL, NULL, "Previous case"},
    {PD_ACT_DOWN, NULL, NULL, "Next case"},
    {PD_ACT_LEFT, NULL, NULL, "Previous column"},
    {PD_ACT_RIGHT, NULL, NULL, "Next column"},
    {PD_ACT_PAGE_UP, NULL, NULL, NULL},
    {PD_ACT_PAGE_DOWN, NULL, NULL, NULL},
    {PD_ACT_TOP, NULL, NULL, NULL},
    {PD_ACT_BOTTOM, NULL, NULL, NULL},
    {PD_ACT_BACK, NULL, NULL, "Close the evaluation (a running one stops)"},
    {0, NULL, NULL, NULL},
};

const pd_view_ops pd_eval_pane = {
    .name = "eval",
    .draw_line = ev_draw,
    .key = ev_key,
    .close = ev_close,
    .title = ev_title,
    .select = ev_select,
    .resize = ev_resize,
    .keys = eval_keys,
    .help_notes = eval_notes,
    .line_text = ev_line_text,
    .keybar = "open failures disagree mark diff",
    .global_help = eval_global_help,
    .command = ev_command,
    .commands = eval_commands,
};

/* ---- starting ---- */

/* Stops and forgets the evaluation running or shown. */
static void stop(pd_view *v)
{
    eval_state *s = v->data;
    if (s->source)
        pd_app_remove_source(v->app, s->source);
    s->source = 0;
    if (s->runner) {
        pd_eval_runner_cancel(s->runner);
        pd_eval_runner_free(s->runner);
    }
    s->runner = NULL;
    json_decref(s->report);
    s->report = NULL;
    free(s->cells);
    s->cells = NULL;
    free(s->cols);
    s->cols = NULL;
}

/* Starts the evaluation on every version x model (the version's own without :models). */
static int start(pd_view *v, pd_error *err)
{
    eval_state *s = v->data;
    size_t nm = s->n_models ? s->n_models : 1;
    s->n_cols = s->n_versions * nm;
    s->cols = pd_xcalloc(s->n_cols, sizeof *s->cols);
    for (size_t i = 0; i < s->n_versions; i++)
        for (size_t m = 0; m < nm; m++) {
            pd_eval_column *c = &s->cols[i * nm + m];
            c->version = s->versions[i];
            if (s->n_models) {
                c->provider = s->models[m];
                c->model = s->models[m] + strlen(s->models[m]) + 1;
            }
        }
    s->opts = (pd_eval_run_options){.slug = s->slug,
                                    .suite = &s->suite,
                                    .columns = s->cols,
                                    .n_columns = s->n_cols,
                                    .store = pd_app_store(v->app),
                                    .config = pd_app_config(v->app),
                                    .on_result = on_result,
                                    .ud = s};
    if (pd_eval_runner_start(s->http, &s->opts, &s->runner, err) != 0)
        return -1;
    s->kept = false;
    s->col = s->first_col = 0;
    s->marked = false;
    pd_source src = {ev_pollfds, ev_dispatch, v};
    s->source = pd_app_add_source(v->app, &src);
    ev_refresh(v);
    return 0;
}

static void free_models(eval_state *s)
{
    for (size_t i = 0; i < s->n_models; i++)
        free(s->models[i]);
    free(s->models);
    s->models = NULL;
    s->n_models = 0;
}

/* :models PROVIDER:MODEL ...: the evaluation again on these models (none: the versions' own). */
static bool ev_command(pd_view *v, int argc, char **argv)
{
    eval_state *s = v->data;
    if (strcmp(argv[0], "models") != 0)
        return false;
    for (int i = 1; i < argc; i++)
        if (!strchr(argv[i], ':') || argv[i][0] == ':' || !strchr(argv[i], ':')[1]) {
            pd_app_error(v->app, "models: expected PROVIDER:MODEL, e.g. openai:gpt-4o-mini (got '%s')", argv[i]);
            return true;
        }
    stop(v);
    free_models(s);
    s->n_models = (size_t)(argc - 1);
    s->models = pd_xcalloc(s->n_models ? s->n_models : 1, sizeof *s->models);
    for (size_t i = 0; i < s->n_models; i++) {
        s->models[i] = pd_strdup(argv[i + 1]);
        *strchr(s->models[i], ':') = '\0';
    }
    pd_error err = {0};
    if (start(v, &err) != 0) {   /* only when there is nothing to run: the pane goes */
        pd_app_error_err(v->app, &err);
        pd_app_pop(v->app, v);
        return true;
    }
    if (pd_eval_runner_done(s->runner))
        finished(v);
    return true;
}

/* ---- opening ---- */

static int load(pd_app *app, eval_state *s, const int *versions, size_t n, pd_error *err)
{
    pd_store *store = pd_app_store(app);
    char *path = pd_eval_tests_path(pd_store_dir(store), s->slug);
    int rc = pd_eval_suite_load(path, &s->suite, err);
    free(path);
    if (rc != 0)
        return rc;
    if (s->suite.conflicted)
        pd_app_status(app, "prompts/%s/tests.json holds a git conflict: both sides' cases are shown (sync or fix "
                           "writes them merged)",
                      s->slug);
    if (s->suite.n == 0)
        return pd_error_set(err, PD_ERR_NOT_FOUND,
                            "%s has no test cases: add some with promptdeck eval import %s FILE, or keep a run from the history",
                            s->slug, s->slug);
    size_t nv = n ? n : 1;
    s->versions = pd_xcalloc(nv, sizeof *s->versions);
    for (size_t i = 0; i < nv; i++) {
        if (pd_store_get_version(store, s->slug, n ? versions[i] : 0, &s->versions[i], err) != 0)
            return -1;
        s->n_versions++;
    }
    s->rows = pd_xcalloc(s->suite.n, sizeof *s->rows);
    return pd_http_new(&s->http, err);
}

void pd_open_eval(pd_app *app, pd_view *from, const char *slug, const int *versions, size_t n)
{
    eval_state *s = pd_xcalloc(1, sizeof *s);
    s->slug = pd_strdup(slug);
    pd_view *v = pd_view_new(app, &pd_eval_pane, s);
    v->has_cursor = true;
    pd_error err = {0};
    if (load(app, s, versions, n, &err) != 0 || start(v, &err) != 0) {
        pd_app_error_err(app, &err);
        pd_view_free(v);
        return;
    }
    pd_app_push(app, from, v, PD_OPEN_FULL);
    if (pd_eval_runner_done(s->runner))
        finished(v);
}
