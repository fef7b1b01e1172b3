/* cmd_run.c: `promptdeck run` (stream a version's answer to stdout) and `promptdeck runs` (history). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "cli.h"
#include "cli_lib_priv.h"
#include "cli_select_priv.h"
#include "diff/diff.h"
#include "net/net.h"
#include "provider/provider.h"
#include "run/run.h"

/* ---- text from the model on a terminal ---- */

/* Writes model text: exactly as given when stdout is not a terminal; on a terminal, control
 * characters, bad UTF-8 and hidden format characters are shown as visible escapes (^[, \x9B,
 * <U+202E>) so the model cannot move the cursor, change colours, set the title or reorder text. */
static void write_text(const char *s, size_t n, bool tty)
{
    if (!tty) {
        fwrite(s, 1, n, stdout);
        return;
    }
    pd_buf b = PD_BUF_INIT;
    pd_text_sanitize(&b, s, n, true);
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    pd_buf_free(&b);
}

/* ---- run ---- */

/* The answer arrived but did not end cleanly: cut at the token limit, blocked, or ended
 * abnormally (finish length, content_filter, error). */
#define PD_EXIT_UNFINISHED 3

typedef struct run_out {
    bool json, tty;
    bool ended_newline, wrote;
    int exit_code;
    const char *slug;
    volatile sig_atomic_t *interrupted;
} run_out;

static void print_event(json_t *ev)
{
    cli_print_json_line(ev, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(ev);
    fflush(stdout);
}

static void on_delta(void *ud, pd_run *run, const char *text, size_t n)
{
    (void)run;
    run_out *o = ud;
    if (o->json) {
        print_event(json_pack("{s:s, s:s%}", "type", "delta", "text", text, n));
        return;
    }
    write_text(text, n, o->tty);
    o->ended_newline = text[n - 1] == '\n';
    o->wrote = true;
    fflush(stdout);
}

/* A tool call: one event {"type": "tool_call", "id", "name", "arguments"}, or a block of its
 * own on stdout: "[tool call NAME, id ID]" and the arguments as indented JSON. */
static void on_tool_call(void *ud, pd_run *run, json_t *call)
{
    (void)run;
    run_out *o = ud;
    if (o->json) {
        json_t *ev = json_pack("{s:s}", "type", "tool_call");
        json_object_update(ev, call);
        json_object_del(ev, "signature");   /* the provider's, kept in the record */
        print_event(ev);
        return;
    }
    char *text = pd_tool_call_args_text(call, JSON_INDENT(2));
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s%s[tool call %s, id %s]\n%s\n", o->wrote && !o->ended_newline ? "\n" : "", o->wrote ? "\n" : "",
                  json_string_value(json_object_get(call, "name")), json_string_value(json_object_get(call, "id")),
                  text);
    free(text);
    write_text(b.data, b.len, o->tty);
    pd_buf_free(&b);
    o->wrote = o->ended_newline = true;
    fflush(stdout);
}

/* After an answer of tool calls: how to answer them (on stderr). */
static void tool_call_hint(const run_out *o, const pd_run_record *rec)
{
    pd_buf b = PD_BUF_INIT;
    size_t i;
    json_t *c;
    json_array_foreach(rec->tool_calls, i, c)
        pd_buf_printf(&b, " --tool-result %s=@FILE", json_string_value(json_object_get(c, "id")));
    cli_eprintf("promptdeck: the model asked for %zu tool call%s; answer with: promptdeck run %s --continue %s%s\n",
                json_array_size(rec->tool_calls), json_array_size(rec->tool_calls) == 1 ? "" : "s", o->slug,
                rec->id ? rec->id : "RUN-ID", pd_buf_str(&b));
    pd_buf_free(&b);
}

static void on_retry(void *ud, pd_run *run, int attempt, long delay_ms, const char *reason)
{
    (void)run;
    run_out *o = ud;
    if (o->json)
        print_event(json_pack("{s:s, s:i, s:I, s:s}", "type", "retry", "attempt", attempt, "delay_ms",
                              (json_int_t)delay_ms, "reason", reason));
    else
        cli_eprintf("promptdeck: %s (attempt %d)\n", reason, attempt);
}

static void on_done(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err)
{
    run_out *o = ud;
    bool ok = strcmp(rec->status, "ok") == 0;
    if (o->json) {
        if (rec->input_tokens >= 0 || rec->output_tokens >= 0)
            print_event(json_pack("{s:s, s:I, s:I, s:o}", "type", "usage", "input_tokens", (json_int_t)rec->input_tokens,
                                  "output_tokens", (json_int_t)rec->output_tokens, "cost",
                                  rec->cost >= 0 ? json_real(rec->cost) : json_null()));
        json_t *ev = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:f, s:f}", "type", ok ? "done" : "error", "status",
                               rec->status, "run_id", rec->id, "finish_reason", rec->finish_reason,
                               "provider_finish_reason", rec->provider_finish_reason, "ttft_ms", rec->ttft_ms,
                               "total_ms", rec->total_ms);
        if (!ok)
            json_object_set_new(ev, "message", json_string(rec->error ? rec->error : rec->status));
        print_event(ev);
    } else {
        if (o->tty && o->wrote && !o->ended_newline) {
            putchar('\n');
            fflush(stdout);
        }
        if (ok && json_array_size(rec->tool_calls))
            tool_call_hint(o, rec);
    }
    if (!ok) {
        cli_eprintf("promptdeck: run %s: %s\n", rec->status, rec->error ? rec->error : rec->status);
        o->exit_code = strcmp(rec->status, "cancelled") == 0 ? 130 : pd_run_cut(run) ? PD_EXIT_UNFINISHED : PD_EXIT_FAIL;
    }
    char *notice = pd_run_unclean_notice(rec);
    if (notice) {
        cli_eprintf("promptdeck: %s\n", notice);
        o->exit_code = PD_EXIT_UNFINISHED;
        free(notice);
    }
    if (save_err) {
        cli_eprintf("promptdeck: the run was not recorded: %s\n", save_err->msg);
        o->exit_code = PD_EXIT_FAIL;
    }
}

static volatile sig_atomic_t got_interrupt;

static void on_interrupt(int sig)
{
    (void)sig;
    got_interrupt = 1;
}

typedef struct run_args {
    const char *slug, *base_url;
    cli_selection sel;
    pd_settings over;
    bool json;
    double connect_s, idle_s, total_s;
    size_t max_answer;         /* --max-answer SIZE (bytes), 0: the config's or the default */
    /* a conversation continued: --continue RUN-ID (or "last"), --message TEXT, --tool-result
     * ID=TEXT|@FILE (repeatable: [[id, text]...]) */
    const char *continue_id, *message;
    json_t *tool_results;
    bool dry_run;              /* --dry-run: print the request, send nothing */
} run_args;

static int parse_number(const char *opt, const char *v, double lo, double hi, double *out, pd_error *err)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || d < lo || d > hi)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': give a number from %g to %g", opt, v, lo, hi);
    *out = d;
    return 0;
}

/* --tool-result ID=TEXT (or ID=@FILE, ID=@-). */
static int add_tool_result(run_args *a, const char *v, pd_error *err)
{
    const char *eq = strchr(v, '=');
    if (!eq || eq == v)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--tool-result '%s': write CALL-ID=RESULT or CALL-ID=@FILE", v);
    char *text;
    if (cli_value_text(eq + 1, &text, err) != 0)
        return -1;
    json_array_append_new(a->tool_results, json_pack("[s%, s]", v, (size_t)(eq - v), text));
    free(text);
    return 0;
}

static int parse_run_args(int argc, char **argv, run_args *a, pd_error *err)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = cli_select_option(&a->sel, &i, argc, argv, err);
        double d = 0;
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
#define OPT(name) ((r = cli_take_value(name, &i, argc, argv, &v)) != 0)
        if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--dry-run")) {
            *(argv[i][2] == 'j' ? &a->json : &a->dry_run) = true;
            continue;
        }
        if (OPT("--provider")) {
            a->over.provider = (char *)v;
        } else if (OPT("--model")) {
            a->over.model = (char *)v;
        } else if (OPT("--base-url")) {
            a->base_url = v;
        } else if (OPT("--temperature")) {
            if (r > 0 && parse_number("--temperature", v, 0, 2, &a->over.temperature, err) != 0)
                return -1;
            a->over.has_temperature = true;
        } else if (OPT("--max-output-tokens")) {
            if (r > 0 && parse_number("--max-output-tokens", v, 1, 10000000, &d, err) != 0)
                return -1;
            a->over.max_output_tokens = (long)d;
        } else if (OPT("--continue")) {
            a->continue_id = v;
        } else if (OPT("--message")) {
            a->message = v;
        } else if (OPT("--tool-result")) {
            if (r > 0 && add_tool_result(a, v, err) != 0)
                return -1;
        } else if (OPT("--connect-timeout")) {
            if (r > 0 && pd_parse_seconds("--connect-timeout", v, &a->connect_s, err) != 0)
                return -1;
        } else if (OPT("--idle-timeout")) {
            if (r > 0 && pd_parse_seconds("--idle-timeout", v, &a->idle_s, err) != 0)
                return -1;
        } else if (OPT("--timeout")) {
            if (r > 0 && pd_parse_seconds("--timeout", v, &a->total_s, err) != 0)
                return -1;
        } else if (OPT("--max-answer")) {
            if (r > 0 && pd_parse_size("--max-answer", v, &a->max_answer, err) != 0)
                return -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "unknown option '%s'", argv[i]);
        } else if (!a->slug) {
            a->slug = argv[i];
            continue;
        } else {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "unexpected argument '%s'", argv[i]);
        }
        if (r < 0)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "option '%s' needs a value", argv[i]);
#undef OPT
    }
    if (!a->slug)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "which prompt? give its SLUG");
    bool turn = a->message || json_array_size(a->tool_results);
    if (turn && !a->continue_id)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--message and --tool-result continue a run: give --continue RUN-ID");
    if (a->continue_id && !turn)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--continue needs the next turn: --message TEXT or --tool-result ID=@FILE");
    if (a->continue_id && (json_object_size(a->sel.vars) || a->sel.version || a->sel.label))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "--continue sends the run's conversation as it was: --var, --vars-file, --version and "
                            "--label do not apply (start a new run for those)");
    return 0;
}

/* --continue: the run continued ("last": the prompt's newest), its conversation with the tool
 * results and the message added, and the version it ran. */
static int prepare_continue(pd_store *store, const run_args *a, pd_run_record **prev, json_t **conv, pd_version **v,
                            pd_error *err)
{
    *prev = NULL;
    *conv = NULL;
    if (strcmp(a->continue_id, "last") == 0) {
        pd_run_record **runs = NULL;
        size_t n = 0;
        if (pd_store_list_runs(store, a->slug, &runs, &n, err) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            if (i == 0)
                *prev = runs[i];
            else
                pd_run_record_free(runs[i]);
        }
        free(runs);
        if (!*prev)
            return pd_error_set(err, PD_ERR_NOT_FOUND, "%s has no run to continue", a->slug);
    } else if (pd_store_get_run(store, a->slug, a->continue_id, prev, err) != 0) {
        return -1;
    }
    *conv = pd_run_conversation(*prev);
    if (!*conv)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "run %s was recorded before runs kept their conversation: it cannot be continued", (*prev)->id);
    size_t i;
    json_t *tr;
    json_array_foreach(a->tool_results, i, tr)
        if (pd_run_conversation_add_tool_result(*conv, json_string_value(json_array_get(tr, 0)),
                                                json_string_value(json_array_get(tr, 1)), err) != 0)
            return -1;
    if (a->message)
        pd_run_conversation_add_user(*conv, a->message);
    char number[16];
    snprintf(number, sizeof number, "%d", (*prev)->prompt_version);
    return cli_select_version(store, a->slug, number, NULL, v, err);
}

/* What a run needs: the version, the variables, the settings over the version's (a conversation
 * goes on with the settings it had, the options given now over them: *over, cleared by the
 * caller), the conversation. prev and conv: the run continued and the conversation (else NULL). */
static pd_run_options run_options(const run_args *a, pd_store *store, const pd_config *cfg, const pd_version *v,
                                  const pd_run_record *prev, json_t *conv, pd_settings *over)
{
    static const pd_settings none;
    pd_settings_merge(over, prev ? &prev->settings : &none, &a->over);
    return (pd_run_options){
        .slug = a->slug,
        .version = v,
        .variables = prev ? prev->variables : a->sel.vars,
        .overrides = over,
        .base_url = a->base_url,
        .config = cfg,
        .store = store,
        .connect_timeout_ms = (long)(a->connect_s * 1000),
        .idle_timeout_ms = (long)(a->idle_s * 1000),
        .total_timeout_ms = (long)(a->total_s * 1000),
        .max_answer_bytes = a->max_answer,
        .messages = conv,
        .continues = prev ? prev->id : NULL,
    };
}

/* --dry-run: the request on stdout, the key redacted: "POST URL", the headers, a blank line and
 * the body as indented JSON; with --json {"method", "url", "headers": {...}, "body": {...}}. */
static int dry_run(const run_args *a, const pd_run_options *o)
{
    pd_provider_request req;
    pd_error err = {0};
    if (pd_run_dry(o, &req, &err) != 0) {
        cli_print_error(&err);
        return cli_exit_code(&err);
    }
    json_t *body = json_loads(req.body, 0, NULL);
    if (a->json) {
        json_t *headers = json_object();
        for (size_t i = 0; i < req.n_headers; i++)
            json_object_set_new(headers, req.headers[i].name, json_string(req.headers[i].value));
        json_t *j = json_pack("{s:s, s:s, s:o, s:o}", "method", "POST", "url", req.url, "headers", headers, "body", body);
        cli_print_json(j);
        json_decref(j);
    } else {
        cli_oprintf("POST %s\n", req.url);   /* the URL and headers may come from arguments */
        for (size_t i = 0; i < req.n_headers; i++)
            cli_oprintf("%s: %s\n", req.headers[i].name, req.headers[i].value);
        putchar('\n');
        cli_print_json(body);   /* the prompt's text: no raw control, as every JSON output */
        json_decref(body);
    }
    pd_provider_request_clear(&req);
    return PD_EXIT_OK;
}

/* Streams the run to stdout; returns the exit code. */
static int stream_run(const run_args *a, const pd_run_options *o)
{
    pd_error err = {0};
    pd_http *http = NULL;
    if (pd_http_new(&http, &err) != 0) {
        cli_print_error(&err);
        return PD_EXIT_USAGE;
    }
    run_out out = {.json = a->json, .tty = isatty(STDOUT_FILENO) == 1, .slug = a->slug, .interrupted = &got_interrupt};
    pd_run_callbacks cb = {
        .on_delta = on_delta, .on_retry = on_retry, .on_done = on_done, .on_tool_call = on_tool_call, .ud = &out};
    pd_run *run = NULL;
    int rc = pd_run_start(http, o, &cb, &run, &err);
    if (rc != 0) {
        pd_http_free(http);
        cli_print_error(&err);
        return cli_exit_code(&err);
    }
    /* Ctrl-C cancels the run (the partial answer is recorded as cancelled). */
    struct sigaction sa = {.sa_handler = on_interrupt}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    while (!pd_run_done(run)) {
        rc = pd_http_wait(http, &err);
        if (got_interrupt || rc != 0) {
            if (rc < 0)
                cli_print_error(&err);
            pd_run_cancel(run);
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    pd_run_free(run);
    pd_http_free(http);
    return out.exit_code;
}

int cmd_run(pd_cli *cli, int argc, char **argv)
{
    pd_error err = {0};
    run_args a = {.sel.vars = json_object(), .tool_results = json_array()};
    int code = PD_EXIT_OK;
    pd_config cfg = {0};
    pd_version *v = NULL;
    pd_store *store = NULL;
    pd_run_record *prev = NULL;
    json_t *conv = NULL;
    if (parse_run_args(argc, argv, &a, &err) != 0) {
        code = cli_usage_error(argv[0], "%s", err.msg);
        goto done;
    }
    if (pd_config_load(cli->config_path, &cfg, &err) != 0) {
        cli_print_error(&err);
        code = PD_EXIT_USAGE;
        goto done;
    }
    if (cfg.warnings)
        fprintf(stderr, "%s", cfg.warnings);
    if (!(store = cli_store(cli))) {
        code = PD_EXIT_USAGE;
        goto done;
    }
    if (a.continue_id ? prepare_continue(store, &a, &prev, &conv, &v, &err) != 0
                      : cli_select_version(store, a.slug, a.sel.version, a.sel.label, &v, &err) != 0) {
        cli_print_error(&err);
        code = cli_exit_code(&err);
        goto done;
    }
    pd_settings over;
    pd_run_options o = run_options(&a, store, &cfg, v, prev, conv, &over);
    pd_buf warnings = PD_BUF_INIT;
    pd_prices *prices = a.dry_run ? NULL : pd_prices_load(&cfg, &warnings);
    fputs(pd_buf_str(&warnings), stderr);
    pd_buf_free(&warnings);
    o.prices = prices;
    code = a.dry_run ? dry_run(&a, &o) : stream_run(&a, &o);
    pd_prices_free(prices);
    pd_settings_clear(&over);
done:
    pd_version_free(v);
    pd_config_free(&cfg);
    pd_run_record_free(prev);
    json_decref(conv);
    json_decref(a.sel.vars);
    json_decref(a.tool_results);
    return code;
}

/* ---- runs ---- */

/* One line per run: id, version, status, provider/model, tokens, total time. */
/* Dollars: cents from $1 on, else up to six decimals without trailing zeros ($0.000327). */
static void put_cost(pd_buf *b, double cost)
{
    if (cost >= 1) {
        pd_buf_printf(b, "$%.2f", cost);
        return;
    }
    char s[32];
    snprintf(s, sizeof s, "%.6f", cost);
    size_t n = strlen(s);
    while (n > 3 && s[n - 1] == '0')
        n--;
    pd_buf_printf(b, "$%.*s", (int)n, s);
}

static void print_run_line(const pd_run_record *r)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s  v%d  %-9s  ", r->id ? r->id : "?", r->prompt_version, r->status ? r->status : "?");
    cli_put_safe(&b, r->settings.provider ? r->settings.provider : "?", false);
    pd_buf_putc(&b, '/');
    cli_put_safe(&b, r->settings.model ? r->settings.model : "?", false);
    if (r->input_tokens >= 0 || r->output_tokens >= 0)
        pd_buf_printf(&b, "  %ld/%ld tok", r->input_tokens, r->output_tokens);
    else
        pd_buf_puts(&b, "  -");
    if (r->cost >= 0) {
        pd_buf_puts(&b, "  ");
        put_cost(&b, r->cost);
    }
    pd_buf_printf(&b, "  %.0f ms\n", r->total_ms);
    cli_write_text(stdout, pd_buf_str(&b), b.len);
    pd_buf_free(&b);
}

/* A turn's text (ending with a newline) and its tool calls, one line each. */
static void print_turn(const char *text, json_t *calls, bool tty)
{
    const char *o = text ? text : "";
    write_text(o, strlen(o), tty);
    if (*o && o[strlen(o) - 1] != '\n')
        putchar('\n');
    size_t i;
    json_t *c;
    json_array_foreach(calls, i, c) {
        char *a = pd_tool_call_args_text(c, JSON_COMPACT);
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "[tool call %s, id %s] %s\n", json_string_value(json_object_get(c, "name")),
                      json_string_value(json_object_get(c, "id")), a);
        write_text(b.data, b.len, tty);
        pd_buf_free(&b);
        free(a);
    }
}

static void print_run(const pd_run_record *r, bool tty)
{
    cli_oprintf("run:        %s\n", r->id ? r->id : "?");
    cli_oprintf("prompt:     %s v%d\n", r->prompt_slug ? r->prompt_slug : "?", r->prompt_version);
    cli_oprintf("started:    %s\n", r->started_at ? r->started_at : "?");
    cli_oprintf("model:      %s/%s\n", r->settings.provider ? r->settings.provider : "?",
                r->settings.model ? r->settings.model : "?");
    cli_oprintf("status:     %s\n", r->status ? r->status : "?");
    if (r->error) {
        fputs("error:      ", stdout);
        write_text(r->error, strlen(r->error), tty);
        putchar('\n');
    }
    if (r->finish_reason && r->provider_finish_reason && strcmp(r->finish_reason, r->provider_finish_reason) != 0)
        cli_oprintf("finish:     %s (%s)\n", r->finish_reason, r->provider_finish_reason);
    else if (r->finish_reason)
        cli_oprintf("finish:     %s\n", r->finish_reason);
    if (r->input_tokens >= 0 || r->output_tokens >= 0)
        cli_oprintf("tokens:     %ld in, %ld out\n", r->input_tokens, r->output_tokens);
    pd_buf cost = PD_BUF_INIT;
    if (r->cost >= 0)
        put_cost(&cost, r->cost);
    else if (r->input_tokens < 0 || r->output_tokens < 0)
        pd_buf_puts(&cost, "unknown (no token counts)");
    else
        pd_buf_puts(&cost, "unknown (no price for this model in the price table)");
    cli_oprintf("cost:       %s\n", pd_buf_str(&cost));
    pd_buf_free(&cost);
    cli_oprintf("latency:    %.0f ms to first token, %.0f ms total\n", r->ttft_ms, r->total_ms);
    const char *name;
    json_t *val;
    json_object_foreach(r->variables, name, val) {
        char *s = json_is_string(val) ? pd_strdup(json_string_value(val)) : json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
        cli_oprintf("var:        %s = ", name);
        write_text(s ? s : "", s ? strlen(s) : 0, tty);
        putchar('\n');
        free(s);
    }
    if (r->continues)
        cli_oprintf("continues:  %s\n", r->continues);
    const char *pname;
    json_t *pv;
    json_object_foreach(r->partials, pname, pv)
        cli_oprintf("partial:    %s v%" JSON_INTEGER_FORMAT "\n", pname, json_integer_value(pv));
    cli_oprintf("\n");
    /* the conversation sent, then the answer */
    size_t i;
    json_t *m;
    json_array_foreach(r->messages, i, m) {
        const char *id = json_string_value(json_object_get(m, "tool_call_id"));
        cli_oprintf("--- %s%s%s%s\n", json_string_value(json_object_get(m, "role")), id ? " (" : "", id ? id : "", id ? ")" : "");
        print_turn(json_string_value(json_object_get(m, "content")), json_object_get(m, "tool_calls"), tty);
    }
    if (r->messages)
        cli_oprintf("--- answer\n");
    print_turn(r->output, r->tool_calls, tty);
}

int cmd_runs(pd_cli *cli, int argc, char **argv)
{
    const char *slug = NULL, *id = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(argv[0], "unknown option '%s'", argv[i]);
        else if (!slug)
            slug = argv[i];
        else if (!id)
            id = argv[i];
        else
            return cli_usage_error(argv[0], "unexpected argument '%s'", argv[i]);
    }
    if (!slug)
        return cli_usage_error(argv[0], "which prompt? give its SLUG");
    pd_store *store = cli_store(cli);
    if (!store)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    bool tty = isatty(STDOUT_FILENO) == 1;
    if (id) {
        pd_run_record *r = NULL;
        if (pd_store_get_run(store, slug, id, &r, &err) != 0) {
            cli_print_error(&err);
            return cli_exit_code(&err);
        }
        if (json) {
            json_t *j = pd_run_record_to_json(r);
            cli_print_json(j);
            json_decref(j);
        } else {
            print_run(r, tty);
        }
        pd_run_record_free(r);
        return PD_EXIT_OK;
    }
    pd_run_record **runs = NULL;
    size_t n = 0;
    if (pd_store_list_runs(store, slug, &runs, &n, &err) != 0) {
        cli_print_error(&err);
        return cli_exit_code(&err);
    }
    if (n == 0) {   /* no runs: say so when the prompt itself is unknown */
        pd_prompt *p = NULL;
        if (pd_store_get_prompt(store, slug, &p, &err) != 0 && err.code == PD_ERR_NOT_FOUND) {
            free(runs);
            cli_print_error(&err);
            return cli_exit_code(&err);
        }
        pd_prompt_free(p);
        if (!json)
            cli_eprintf("promptdeck: %s has no runs yet (promptdeck run %s, or x in the app)\n", slug, slug);
    }
    json_t *arr = json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr)
            json_array_append_new(arr, pd_run_record_to_json(runs[i]));
        else
            print_run_line(runs[i]);
        pd_run_record_free(runs[i]);
    }
    free(runs);
    if (arr) {
        cli_print_json(arr);
        json_decref(arr);
    }
    return PD_EXIT_OK;
}
