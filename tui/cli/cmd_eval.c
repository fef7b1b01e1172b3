/* cmd_eval.c: `promptdeck eval`: a prompt's test cases against versions x models (a table or
 * JSON, results kept), importing promptfoo's tests, listing and comparing kept evaluations. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "cli.h"
#include "cli_lib_priv.h"
#include "cli_select_priv.h"
#include "eval/eval.h"
#include "net/net.h"

typedef struct eval_args {
    const char *slug, *tests, *judge, *base_url;
    const char **versions, **labels, **models;   /* as given, in order */
    size_t n_versions, n_labels, n_models;
    long repeat, concurrency;
    bool no_cache, json, list, compare;
    const char *operands[3];
    size_t n_operands;
} eval_args;

static void push(const char ***arr, size_t *n, const char *v)
{
    *arr = pd_xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = v;
}

static int parse_eval_args(int argc, char **argv, eval_args *a, pd_error *err)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = 0;
#define OPT(name) ((r = cli_take_value(name, &i, argc, argv, &v)) != 0)
        if (!strcmp(argv[i], "--json")) {
            a->json = true;
            continue;
        } else if (!strcmp(argv[i], "--no-cache")) {
            a->no_cache = true;
            continue;
        } else if (!strcmp(argv[i], "--list")) {
            a->list = true;
            continue;
        } else if (!strcmp(argv[i], "--compare")) {
            a->compare = true;
            continue;
        } else if (OPT("--version")) {
            if (r > 0)
                push(&a->versions, &a->n_versions, v);
        } else if (OPT("--label")) {
            if (r > 0)
                push(&a->labels, &a->n_labels, v);
        } else if (OPT("--model")) {
            if (r > 0 && (!strchr(v, ':') || v[0] == ':' || !strchr(v, ':')[1]))
                return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--model '%s': write PROVIDER:MODEL, e.g. openai:gpt-4o-mini", v);
            if (r > 0)
                push(&a->models, &a->n_models, v);
        } else if (OPT("--tests")) {
            a->tests = v;
        } else if (OPT("--judge")) {
            a->judge = v;
        } else if (OPT("--base-url")) {
            a->base_url = v;
        } else if (OPT("--repeat")) {
            if (r > 0 && cli_parse_long("--repeat", v, 1, 1000, &a->repeat, err) != 0)
                return -1;
        } else if (OPT("--concurrency")) {
            if (r > 0 && cli_parse_long("--concurrency", v, 1, 256, &a->concurrency, err) != 0)
                return -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "unknown option '%s'", argv[i]);
        } else if (a->n_operands < 3) {
            a->operands[a->n_operands++] = argv[i];
            continue;
        } else {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "unexpected argument '%s'", argv[i]);
        }
        if (r < 0)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "option '%s' needs a value", argv[i]);
#undef OPT
    }
    return 0;
}

/* ---- the table ---- */

static const char *cell_word(json_t *res)
{
    if (!res)
        return "-";
    if (json_object_get(res, "error"))
        return "ERROR";
    return json_is_true(json_object_get(res, "pass")) ? "PASS" : "FAIL";
}

static void put_column_name(pd_buf *b, json_t *col)
{
    pd_buf_printf(b, "v%" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(col, "version")));
    cli_put_safe(b, json_string_value(json_object_get(col, "provider")), false);
    pd_buf_putc(b, ':');
    cli_put_safe(b, json_string_value(json_object_get(col, "model")), false);
}

/* The header: one line per column with its pass rate, tokens, cost and mean latency. */
static void print_columns(pd_buf *b, json_t *doc)
{
    size_t c;
    json_t *col;
    json_array_foreach(json_object_get(doc, "columns"), c, col) {
        json_int_t p = json_integer_value(json_object_get(col, "passed"));
        json_int_t f = json_integer_value(json_object_get(col, "failed"));
        json_int_t e = json_integer_value(json_object_get(col, "errors"));
        json_int_t n = p + f + e;
        pd_buf_printf(b, "[%zu] ", c + 1);
        put_column_name(b, col);
        pd_buf_printf(b, "  %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT " passed (%.0f%%)", p, n,
                      n ? 100.0 * (double)p / (double)n : 0.0);
        if (e)
            pd_buf_printf(b, ", %" JSON_INTEGER_FORMAT " errors", e);
        json_t *t = json_object_get(col, "tokens"), *cost = json_object_get(col, "cost"),
               *lat = json_object_get(col, "latency_ms");
        if (json_is_integer(t))
            pd_buf_printf(b, "  %" JSON_INTEGER_FORMAT " tokens", json_integer_value(t));
        else
            pd_buf_puts(b, "  tokens -");
        if (json_is_number(cost))
            pd_buf_printf(b, "  $%.4f", json_number_value(cost));
        else
            pd_buf_puts(b, "  cost -");
        if (json_is_number(lat))
            pd_buf_printf(b, "  %.0f ms\n", json_number_value(lat));
        else
            pd_buf_puts(b, "  latency -\n");
    }
}

/* Rows = cases (each repeat a row of its own), columns = [1] [2] ...; then why cells failed. */
static void print_table(json_t *doc, size_t n_cases, size_t repeat)
{
    pd_buf b = PD_BUF_INIT;
    json_t *cols = json_object_get(doc, "columns"), *results = json_object_get(doc, "results");
    size_t n_cols = json_array_size(cols);
    print_columns(&b, doc);
    int width = cli_term_width() - (int)n_cols * 7 - 1;
    if (width > 60)
        width = 60;
    if (width < 12)
        width = 12;
    pd_buf_putc(&b, '\n');
    cli_put_fit(&b, "case", width, true);
    for (size_t c = 0; c < n_cols; c++) {
        char h[32];
        snprintf(h, sizeof h, "[%zu]", c + 1);
        pd_buf_printf(&b, " %-6s", h);
    }
    pd_buf_putc(&b, '\n');
    /* results are case-major: case, then column, then repeat */
    for (size_t i = 0; i < n_cases; i++)
        for (size_t rep = 0; rep < repeat; rep++) {
            json_t *first = json_array_get(results, (i * n_cols) * repeat + rep);
            const char *cname = json_string_value(json_object_get(first, "case"));
            char name[80];
            snprintf(name, sizeof name, "%s", cname ? cname : "?");
            if (repeat > 1) {
                size_t len = strlen(name);
                snprintf(name + len, sizeof name - len, " (%zu)", rep + 1);
            }
            cli_put_fit(&b, name, width, true);
            for (size_t c = 0; c < n_cols; c++)
                pd_buf_printf(&b, " %-6s", cell_word(json_array_get(results, (i * n_cols + c) * repeat + rep)));
            pd_buf_putc(&b, '\n');
        }
    bool said = false;
    size_t k;
    json_t *res;
    json_array_foreach(results, k, res) {
        if (json_is_true(json_object_get(res, "pass")))
            continue;
        if (!said)
            pd_buf_puts(&b, "\nfailures:\n");
        said = true;
        pd_buf_puts(&b, "  ");
        cli_put_safe(&b, json_string_value(json_object_get(res, "case")), false);
        pd_buf_printf(&b, " [%" JSON_INTEGER_FORMAT "]: ", json_integer_value(json_object_get(res, "column")) + 1);
        cli_put_safe(&b, json_string_value(json_object_get(res, "reason")), false);
        pd_buf_putc(&b, '\n');
    }
    fputs(pd_buf_str(&b), stdout);
    pd_buf_free(&b);
}

/* ---- progress ---- */

typedef struct progress {
    pd_eval_runner *runner;
    bool tty;
} progress;

static void on_result(void *ud, size_t index, json_t *result)
{
    (void)index;
    (void)result;
    progress *p = ud;
    if (!p->tty || !p->runner)
        return;
    size_t done, total, sent;
    pd_eval_runner_progress(p->runner, &done, &total, &sent);
    int bar = 30, full = total ? (int)(done * (size_t)bar / total) : bar;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu cells, %zu requests", full, "==============================", bar - full, "",
            done, total, sent);
    fflush(stderr);
}

static volatile sig_atomic_t eval_interrupted;

static void on_eval_interrupt(int sig)
{
    (void)sig;
    eval_interrupted = 1;
}

/* Prints each different request error once on stderr. */
static void print_errors(json_t *doc)
{
    json_t *seen = json_object();
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(doc, "results"), i, res) {
        const char *e = json_string_value(json_object_get(res, "error"));
        if (!e)
            continue;
        json_t *n = json_object_get(seen, e);
        json_object_set_new(seen, e, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
    const char *e;
    json_t *n;
    json_object_foreach(seen, e, n) {
        pd_buf b = PD_BUF_INIT;
        cli_put_safe(&b, e, false);
        fprintf(stderr, "promptdeck: %" JSON_INTEGER_FORMAT " request%s failed: %s\n", json_integer_value(n),
                json_integer_value(n) == 1 ? "" : "s", pd_buf_str(&b));
        pd_buf_free(&b);
    }
    json_decref(seen);
}

/* ---- running ---- */

/* The columns: each version given (--version, --label; none: the current one) on each model
 * given (none: the version's own). */
static int make_columns(pd_store *store, const eval_args *a, pd_version ***versions, size_t *n_versions,
                        pd_eval_column **cols, size_t *n_cols, pd_error *err)
{
    size_t nv = a->n_versions + a->n_labels;
    *versions = pd_xcalloc(nv ? nv : 1, sizeof **versions);
    *n_versions = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < a->n_versions; i++)
        if ((rc = cli_select_version(store, a->slug, a->versions[i], NULL, &(*versions)[*n_versions], err)) == 0)
            (*n_versions)++;
    for (size_t i = 0; rc == 0 && i < a->n_labels; i++)
        if ((rc = cli_select_version(store, a->slug, NULL, a->labels[i], &(*versions)[*n_versions], err)) == 0)
            (*n_versions)++;
    if (rc == 0 && nv == 0 && (rc = cli_select_version(store, a->slug, NULL, NULL, &(*versions)[0], err)) == 0)
        *n_versions = 1;
    if (rc != 0)
        return rc;
    size_t nm = a->n_models ? a->n_models : 1;
    *n_cols = *n_versions * nm;
    *cols = pd_xcalloc(*n_cols, sizeof **cols);
    for (size_t v = 0; v < *n_versions; v++)
        for (size_t m = 0; m < nm; m++) {
            pd_eval_column *c = &(*cols)[v * nm + m];
            c->version = (*versions)[v];
            if (a->n_models) {
                const char *colon = strchr(a->models[m], ':');
                c->provider = pd_strndup(a->models[m], (size_t)(colon - a->models[m]));
                c->model = colon + 1;
            }
        }
    return 0;
}

/* The cases: --tests FILE, else the prompt's own tests.json. */
static int load_cases(pd_store *store, const eval_args *a, pd_eval_suite *suite, pd_error *err)
{
    if (a->tests) {
        pd_buf warnings = PD_BUF_INIT;
        int rc = pd_eval_tests_read(a->tests, suite, &warnings, err);
        if (warnings.len)
            fprintf(stderr, "%s", pd_buf_str(&warnings));
        pd_buf_free(&warnings);
        return rc;
    }
    char *path = pd_eval_tests_path(pd_store_dir(store), a->slug);
    int rc = pd_eval_suite_load(path, suite, err);
    if (rc == 0 && suite->conflicted)
        fprintf(stderr, "promptdeck: %s holds a git conflict: both sides' cases are used (promptdeck sync or fix "
                        "writes them merged)\n", path);
    free(path);
    if (rc == 0 && suite->n == 0)
        rc = pd_error_set(err, PD_ERR_NOT_FOUND,
                          "%s has no test cases: add some with promptdeck eval import %s FILE (promptfoo YAML or CSV), or give --tests FILE",
                          a->slug, a->slug);
    return rc;
}

/* Runs the evaluation in a poll loop; fills *doc. */
static int run_eval(const pd_eval_run_options *o, json_t **doc, pd_error *err)
{
    pd_http *http = NULL;
    if (pd_http_new(&http, err) != 0)
        return -1;
    progress prog = {.tty = isatty(STDERR_FILENO) == 1};
    pd_eval_run_options ro = *o;
    ro.on_result = on_result;
    ro.ud = &prog;
    pd_eval_runner *runner = NULL;
    if (pd_eval_runner_start(http, &ro, &runner, err) != 0) {
        pd_http_free(http);
        return -1;
    }
    prog.runner = runner;
    struct sigaction sa = {.sa_handler = on_eval_interrupt}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    while (!pd_eval_runner_done(runner)) {
        int rc = pd_http_wait(http, err);
        if (eval_interrupted || rc != 0)
            pd_eval_runner_cancel(runner);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (prog.tty)
        fprintf(stderr, "\r%*s\r", 70, "");
    *doc = pd_eval_runner_report(runner);
    pd_eval_runner_free(runner);
    pd_http_free(http);
    return 0;
}

static int exit_code_of(json_t *doc)
{
    json_t *s = json_object_get(doc, "summary");
    if (json_integer_value(json_object_get(s, "errors")) > 0)
        return PD_EXIT_USAGE;
    return json_integer_value(json_object_get(s, "failed")) > 0 ? PD_EXIT_FAIL : PD_EXIT_OK;
}

static int eval_run(pd_cli *cli, eval_args *a)
{
    pd_error err = {0};
    pd_config cfg = {0};
    pd_eval_suite suite = {0};
    pd_version **versions = NULL;
    size_t n_versions = 0, n_cols = 0;
    pd_eval_column *cols = NULL;
    json_t *doc = NULL;
    int code = PD_EXIT_USAGE;
    pd_store *store = cli_store(cli);
    if (!store)
        goto done;
    if (pd_config_load(cli->config_path, &cfg, &err) != 0)
        goto fail;
    if (cfg.warnings)
        fprintf(stderr, "%s", cfg.warnings);
    if (make_columns(store, a, &versions, &n_versions, &cols, &n_cols, &err) != 0 ||
        load_cases(store, a, &suite, &err) != 0)
        goto fail;
    pd_eval_run_options o = {
        .slug = a->slug,
        .suite = &suite,
        .columns = cols,
        .n_columns = n_cols,
        .repeat = (int)a->repeat,
        .concurrency = (int)a->concurrency,
        .no_cache = a->no_cache,
        .store = store,
        .config = &cfg,
        .base_url = a->base_url,
        .judge = a->judge,
    };
    if (run_eval(&o, &doc, &err) != 0)
        goto fail;
    pd_error kerr = {0};
    bool kept = pd_eval_kept_save(store, doc, &kerr) == 0;
    if (!kept)
        fprintf(stderr, "promptdeck: the evaluation was not kept: %s\n", kerr.msg);
    if (a->json)
        cli_print_json(doc);
    else
        print_table(doc, suite.n, a->repeat > 0 ? (size_t)a->repeat : 1);
    fflush(stdout);
    print_errors(doc);
    if (kept && !a->json)
        fprintf(stderr, "promptdeck: kept as %s (promptdeck eval --compare ID %s shows what changed)\n",
                json_string_value(json_object_get(doc, "id")), json_string_value(json_object_get(doc, "id")));
    code = exit_code_of(doc);
    goto done;
fail:
    cli_print_error(&err);
    code = PD_EXIT_USAGE;
done:
    json_decref(doc);
    for (size_t i = 0; i < n_cols; i++)
        free((char *)cols[i].provider);
    free(cols);
    for (size_t i = 0; i < n_versions; i++)
        pd_version_free(versions[i]);
    free(versions);
    pd_eval_suite_clear(&suite);
    pd_config_free(&cfg);
    return code;
}

/* ---- import, list, compare ---- */

static int eval_import(pd_cli *cli, eval_args *a)
{
    if (a->n_operands != 3)
        return cli_usage_error("eval", "write: eval import SLUG FILE");
    const char *slug = a->operands[1], *file = a->operands[2];
    pd_store *store = cli_store(cli);
    if (!store)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    pd_prompt *p = NULL;
    if (pd_store_get_prompt(store, slug, &p, &err) != 0)
        return cli_fail(&err);
    pd_prompt_free(p);
    pd_eval_suite add = {0};
    pd_buf warnings = PD_BUF_INIT;
    int code = PD_EXIT_OK;
    int rc = pd_eval_import_file(file, &add, &warnings, &err);
    size_t before = 0, added = add.n;   /* taken by the append */
    if (rc == 0)
        rc = pd_eval_suite_append_file(store, slug, &add, &before, &err);
    if (rc != 0)
        code = cli_fail(&err);
    if (warnings.len)
        fprintf(stderr, "%s", pd_buf_str(&warnings));
    if (code == PD_EXIT_OK) {
        size_t all = before + added;
        if (a->json) {
            json_t *j = json_pack("{s:s, s:I, s:I}", "slug", slug, "added", (json_int_t)added, "cases", (json_int_t)all);
            cli_print_json(j);
            json_decref(j);
        } else {
            printf("added %zu case%s to %s (%zu in all)\n", added, added == 1 ? "" : "s", slug, all);
        }
    }
    pd_buf_free(&warnings);
    pd_eval_suite_clear(&add);
    return code;
}

static int eval_list(pd_cli *cli, eval_args *a)
{
    pd_store *store = cli_store(cli);
    if (!store)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    json_t *list = NULL;
    if (pd_eval_kept_list(store, a->n_operands ? a->operands[0] : NULL, &list, &err) != 0)
        return cli_fail(&err);
    if (a->json) {
        cli_print_json(list);
    } else {
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e) {
            json_t *s = json_object_get(e, "summary");
            pd_buf b = PD_BUF_INIT;
            pd_buf_printf(&b, "%s  ", json_string_value(json_object_get(e, "id")));
            cli_put_safe(&b, json_string_value(json_object_get(e, "slug")), false);
            pd_buf_printf(&b, "  %" JSON_INTEGER_FORMAT " passed, %" JSON_INTEGER_FORMAT " failed, %" JSON_INTEGER_FORMAT
                          " errors  ",
                          json_integer_value(json_object_get(s, "passed")), json_integer_value(json_object_get(s, "failed")),
                          json_integer_value(json_object_get(s, "errors")));
            size_t c;
            json_t *col;
            json_array_foreach(json_object_get(e, "columns"), c, col) {
                pd_buf_puts(&b, c ? ", " : "");
                put_column_name(&b, col);
            }
            printf("%s\n", pd_buf_str(&b));
            pd_buf_free(&b);
        }
        if (json_array_size(list) == 0)
            fprintf(stderr, "promptdeck: no kept evaluations%s%s\n", a->n_operands ? " of " : "",
                    a->n_operands ? a->operands[0] : "");
    }
    json_decref(list);
    return PD_EXIT_OK;
}

static void print_changes(const char *title, json_t *items)
{
    if (json_array_size(items) == 0)
        return;
    printf("%s:\n", title);
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) {
        pd_buf b = PD_BUF_INIT;
        pd_buf_puts(&b, "  ");
        cli_put_safe(&b, json_string_value(json_object_get(c, "case")), false);
        json_t *bv = json_object_get(c, "before_version");
        if (bv)
            pd_buf_printf(&b, "  v%" JSON_INTEGER_FORMAT "->v%" JSON_INTEGER_FORMAT " ", json_integer_value(bv),
                          json_integer_value(json_object_get(c, "version")));
        else
            pd_buf_printf(&b, "  v%" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(c, "version")));
        cli_put_safe(&b, json_string_value(json_object_get(c, "provider")), false);
        pd_buf_putc(&b, ':');
        cli_put_safe(&b, json_string_value(json_object_get(c, "model")), false);
        const char *before = json_string_value(json_object_get(c, "before")),
                   *after = json_string_value(json_object_get(c, "after"));
        pd_buf_printf(&b, "  %s -> %s", before ? before : "(none)", after ? after : "(none)");
        const char *why = json_string_value(json_object_get(c, "reason"));
        if (why && after && strcmp(after, "pass") != 0) {
            pd_buf_puts(&b, ": ");
            cli_put_safe(&b, why, false);
        }
        printf("%s\n", pd_buf_str(&b));
        pd_buf_free(&b);
    }
}

static int eval_compare(pd_cli *cli, eval_args *a)
{
    if (a->n_operands != 2)
        return cli_usage_error("eval", "write: eval --compare RESULT-A RESULT-B (ids from eval --list)");
    pd_store *store = cli_store(cli);
    if (!store)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    json_t *ea = NULL, *eb = NULL;
    if (pd_eval_kept_load(store, a->operands[0], &ea, &err) != 0 || pd_eval_kept_load(store, a->operands[1], &eb, &err) != 0) {
        json_decref(ea);
        return cli_fail(&err);
    }
    json_t *diff = pd_eval_compare(ea, eb);
    size_t regressions = json_array_size(json_object_get(diff, "regressions"));
    if (a->json) {
        cli_print_json(diff);
    } else {
        print_changes("pass -> fail", json_object_get(diff, "regressions"));
        print_changes("fail -> pass", json_object_get(diff, "fixes"));
        print_changes("only in B", json_object_get(diff, "added"));
        print_changes("only in A", json_object_get(diff, "removed"));
        json_t *u = json_object_get(diff, "unchanged");
        printf("%zu regressions, %zu fixes, %" JSON_INTEGER_FORMAT " still passing, %" JSON_INTEGER_FORMAT
               " still failing\n",
               regressions, json_array_size(json_object_get(diff, "fixes")), json_integer_value(json_object_get(u, "passed")),
               json_integer_value(json_object_get(u, "failed")));
    }
    json_decref(diff);
    json_decref(ea);
    json_decref(eb);
    return regressions ? PD_EXIT_FAIL : PD_EXIT_OK;
}

int cmd_eval(pd_cli *cli, int argc, char **argv)
{
    eval_args a = {0};
    pd_error err = {0};
    int code;
    if (parse_eval_args(argc, argv, &a, &err) != 0) {
        code = cli_usage_error(argv[0], "%s", err.msg);
    } else if (a.compare) {
        code = eval_compare(cli, &a);
    } else if (a.list) {
        code = eval_list(cli, &a);
    } else if (a.n_operands && strcmp(a.operands[0], "import") == 0) {
        code = eval_import(cli, &a);
    } else if (a.n_operands == 0) {
        code = cli_usage_error(argv[0], "which prompt? give its SLUG");
    } else if (a.n_operands > 1) {
        code = cli_usage_error(argv[0], "unexpected argument '%s'", a.operands[1]);
    } else {
        a.slug = a.operands[0];
        code = eval_run(cli, &a);
    }
    free(a.versions);
    free(a.labels);
    free(a.models);
    return code;
}
