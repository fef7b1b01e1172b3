/* eval_runner.c: an evaluation: every case against every column (version x model), requests
 * running concurrently on the api's non-blocking runs, answers from the response cache, judges
 * for llm-rubric, graded cells as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "run/run.h"

/* One cell of the matrix (case x column x repeat). */
typedef struct cell {
    size_t case_i, col, rep;
    bool done;
    /* the answer */
    char *output, *finish_reason, *error;
    json_t *tool_calls;
    double latency_ms, cost;
    long input_tokens, output_tokens;
    bool cached;
    /* llm-rubric: one verdict (or error) per assertion index */
    pd_eval_verdict *verdicts;
    char **judge_errors;
    size_t judges_left;
    json_t *result;
} cell;

/* A request in flight. */
typedef struct request {
    pd_eval_runner *owner;
    cell *c;
    long assertion;        /* -1: the cell's own question; else the llm-rubric it judges */
    char key[65];          /* the cache entry, "" when not cached */
    pd_run *run;
    struct request *prev, *next;   /* the runner's requests in flight */
} request;

typedef struct judge_prompt {
    char *name;            /* "SLUG" or "SLUG@N" */
    pd_version *version;   /* NULL when it could not be read */
    char *error;
} judge_prompt;

typedef struct judge_job {
    cell *c;
    size_t assertion;
} judge_job;

struct pd_eval_runner {
    pd_http *http;
    pd_eval_run_options o;
    char *cache_dir;       /* NULL: no cache */
    int concurrency;
    cell *cells;
    size_t n_cells, next_cell, n_done, sent, in_flight;
    judge_job *judges;     /* waiting judge requests, FIFO */
    size_t judges_head, judges_len, judges_cap;
    judge_prompt *prompts;
    size_t n_prompts;
    request *flying;       /* requests in flight, a list */
    bool cancelled, pumping;
    char *started_at;
};

static void pump(pd_eval_runner *r);

/* ---- columns ---- */

static const char *column_provider(const pd_eval_column *c)
{
    return c->provider ? c->provider : c->version->settings.provider ? c->version->settings.provider : "openai";
}

static const char *column_model(const pd_eval_column *c)
{
    return c->model ? c->model : c->version->settings.model ? c->version->settings.model : "";
}

/* ---- finishing a cell ---- */

static json_t *real_or_null(double v)
{
    return v < 0 ? json_null() : json_real(v);
}

/* The verdict handed to the grader for assertion index: the judge's, taken once. */
static int give_verdict(void *ud, const pd_eval_case *c, size_t index, const pd_eval_answer *a, pd_eval_verdict *out,
                        pd_error *err)
{
    (void)c;
    (void)a;
    cell *ce = ud;
    if (!ce->verdicts || ce->judge_errors[index])
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s",
                            ce->judge_errors && ce->judge_errors[index] ? ce->judge_errors[index] : "no judge");
    *out = ce->verdicts[index];
    out->reason = pd_strdup(ce->verdicts[index].reason);
    return 0;
}

static void finish_cell(pd_eval_runner *r, cell *ce)
{
    const pd_eval_case *c = &r->o.suite->cases[ce->case_i];
    const pd_eval_column *col = &r->o.columns[ce->col];
    char name[64];
    json_t *j = json_object();
    json_object_set_new(j, "case", json_string(pd_eval_case_name(c, ce->case_i, name, sizeof name)));
    json_object_set_new(j, "case_index", json_integer((json_int_t)ce->case_i));
    json_object_set_new(j, "column", json_integer((json_int_t)ce->col));
    json_object_set_new(j, "repeat", json_integer((json_int_t)ce->rep));
    json_object_set_new(j, "version", json_integer(col->version->number));
    json_object_set_new(j, "provider", json_string(column_provider(col)));
    json_object_set_new(j, "model", json_string(column_model(col)));
    if (ce->error) {
        json_object_set_new(j, "pass", json_false());
        json_object_set_new(j, "score", json_integer(0));
        json_object_set_new(j, "output", json_string(ce->output ? ce->output : ""));
        json_object_set_new(j, "error", json_string(ce->error));
        json_object_set_new(j, "reason", json_string(ce->error));
        json_object_set_new(j, "assertions", json_array());
    } else {
        pd_eval_answer a = {
            .output = ce->output,
            .finish_reason = ce->finish_reason,
            .latency_ms = ce->latency_ms,
            .input_tokens = ce->input_tokens,
            .output_tokens = ce->output_tokens,
            .cost = ce->cost,
            .tool_calls = ce->tool_calls,
            .tools = col->version->settings.tools,
        };
        pd_eval_result res;
        pd_eval_grade(c, &a, give_verdict, ce, &res);
        json_object_set_new(j, "pass", json_boolean(res.pass));
        json_object_set_new(j, "score", json_real(res.score));
        json_object_set_new(j, "output", json_string(ce->output ? ce->output : ""));
        json_object_set_new(j, "reason", json_string(res.reason ? res.reason : ""));
        json_object_set_new(j, "assertions", pd_eval_result_checks_json(c, &res));
        pd_eval_result_clear(&res);
    }
    long tokens = -1;
    if (ce->input_tokens >= 0 || ce->output_tokens >= 0)
        tokens = (ce->input_tokens > 0 ? ce->input_tokens : 0) + (ce->output_tokens > 0 ? ce->output_tokens : 0);
    json_object_set_new(j, "latency_ms", real_or_null(ce->latency_ms));
    json_object_set_new(j, "tokens", tokens < 0 ? json_null() : json_integer(tokens));
    json_object_set_new(j, "cost", real_or_null(ce->cost));
    json_object_set_new(j, "finish_reason", ce->finish_reason ? json_string(ce->finish_reason) : json_null());
    json_object_set_new(j, "cached", json_boolean(ce->cached));
    ce->result = j;
    ce->done = true;
    r->n_done++;
    if (r->o.on_result)
        r->o.on_result(r->o.ud, (size_t)(ce - r->cells), j);
}

static void cell_error(pd_eval_runner *r, cell *ce, const char *msg)
{
    if (ce->done)
        return;
    free(ce->error);
    ce->error = pd_strdup(msg);
    finish_cell(r, ce);
}

/* ---- judges ---- */

/* The judge prompt named name ("SLUG" or "SLUG@N"), read once. */
static judge_prompt *judge_prompt_for(pd_eval_runner *r, const char *name)
{
    for (size_t i = 0; i < r->n_prompts; i++)
        if (strcmp(r->prompts[i].name, name) == 0)
            return &r->prompts[i];
    r->prompts = pd_xrealloc(r->prompts, (r->n_prompts + 1) * sizeof *r->prompts);
    judge_prompt *p = &r->prompts[r->n_prompts++];
    memset(p, 0, sizeof *p);
    p->name = pd_strdup(name);
    char *slug = pd_strdup(name), *at = strrchr(slug, '@');
    int number = 0;
    if (at) {
        *at = '\0';
        number = atoi(at + 1);
    }
    pd_error err = {0};
    if (!r->o.store)
        pd_error_set(&err, PD_ERR_INVALID_REQUEST, "no library to read it from");
    else if (at && number <= 0)
        pd_error_set(&err, PD_ERR_INVALID_REQUEST, "'%s' is not a version number", at + 1);
    else
        pd_store_get_version(r->o.store, slug, number, &p->version, &err);
    if (!p->version) {
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "judge prompt '%s': %s", name, err.msg);
        p->error = pd_buf_take(&b);
    }
    free(slug);
    return p;
}

static const char *judge_name(const pd_eval_runner *r, const pd_eval_assertion *a)
{
    const char *own = json_string_value(json_object_get(a->extra, "judge"));
    return own ? own : r->o.judge;
}

static void queue_judge(pd_eval_runner *r, cell *ce, size_t assertion)
{
    if (r->judges_len == r->judges_cap) {
        r->judges_cap = r->judges_cap ? 2 * r->judges_cap : 16;
        r->judges = pd_xrealloc(r->judges, r->judges_cap * sizeof *r->judges);
    }
    r->judges[r->judges_len++] = (judge_job){ce, assertion};
}

static void judged(pd_eval_runner *r, cell *ce, size_t assertion, const char *reply, const char *error)
{
    pd_error err = {0};
    if (error) {
        ce->judge_errors[assertion] = pd_strdup(error);
    } else if (pd_eval_verdict_parse(reply, &ce->verdicts[assertion], &err) != 0) {
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "the judge's reply has no verdict: %s", err.msg);
        ce->judge_errors[assertion] = pd_buf_take(&b);
    }
    if (--ce->judges_left == 0)
        finish_cell(r, ce);
}

/* The cell's answer came: grade it now, or first ask its judges. */
static void answered(pd_eval_runner *r, cell *ce)
{
    const pd_eval_case *c = &r->o.suite->cases[ce->case_i];
    if (!pd_eval_case_needs_judge(c)) {
        finish_cell(r, ce);
        return;
    }
    ce->verdicts = pd_xcalloc(c->n_asserts, sizeof *ce->verdicts);
    ce->judge_errors = pd_xcalloc(c->n_asserts, sizeof *ce->judge_errors);
    ce->judges_left = 1;   /* held until every judge is queued */
    for (size_t i = 0; i < c->n_asserts; i++) {
        if (c->asserts[i].type != PD_EVAL_LLM_RUBRIC)
            continue;
        ce->judges_left++;
        if (!judge_name(r, &c->asserts[i]))
            judged(r, ce, i, NULL,
                   "no judge prompt: give the assertion \"judge\": \"SLUG\" (a prompt of the library) or eval --judge SLUG");
        else
            queue_judge(r, ce, i);
    }
    if (--ce->judges_left == 0)
        finish_cell(r, ce);
}

/* ---- answers ---- */

static void take_answer(cell *ce, const char *output, const char *finish, json_t *calls, double latency, double cost,
                        long in_tok, long out_tok)
{
    ce->output = pd_strdup(output ? output : "");
    ce->finish_reason = pd_strdup(finish);
    ce->tool_calls = calls ? json_deep_copy(calls) : NULL;
    ce->latency_ms = latency;
    ce->cost = cost;
    ce->input_tokens = in_tok;
    ce->output_tokens = out_tok;
}

static double number_of(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    return json_is_number(v) ? json_number_value(v) : -1;
}

/* A request's answer (from a run or the cache) reaches its cell. */
static void deliver(pd_eval_runner *r, cell *ce, long assertion, const pd_run_record *rec, json_t *kept,
                    const char *error)
{
    if (ce->done)
        return;
    if (assertion >= 0) {
        const char *reply = rec ? rec->output : json_string_value(json_object_get(kept, "output"));
        judged(r, ce, (size_t)assertion, reply ? reply : "", error);
        return;
    }
    if (error) {
        if (rec && rec->output)
            ce->output = pd_strdup(rec->output);
        cell_error(r, ce, error);
        return;
    }
    if (rec) {
        take_answer(ce, rec->output, rec->finish_reason, rec->tool_calls, rec->total_ms > 0 ? rec->total_ms : -1,
                    rec->cost, rec->input_tokens, rec->output_tokens);
    } else {
        ce->cached = true;
        take_answer(ce, json_string_value(json_object_get(kept, "output")),
                    json_string_value(json_object_get(kept, "finish_reason")), json_object_get(kept, "tool_calls"),
                    number_of(kept, "latency_ms"), number_of(kept, "cost"), (long)number_of(kept, "input_tokens"),
                    (long)number_of(kept, "output_tokens"));
        if (json_is_null(json_object_get(kept, "tool_calls"))) {
            json_decref(ce->tool_calls);
            ce->tool_calls = NULL;
        }
    }
    answered(r, ce);
}

static void on_run_done(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err)
{
    (void)save_err;
    request *q = ud;
    pd_eval_runner *r = q->owner;
    r->in_flight--;
    if (q->prev)
        q->prev->next = q->next;
    else
        r->flying = q->next;
    if (q->next)
        q->next->prev = q->prev;
    bool ok = rec->status && strcmp(rec->status, "ok") == 0;
    if (ok && q->key[0] && r->cache_dir) {
        pd_error err = {0};
        pd_eval_cache_put(r->cache_dir, q->key, rec, &err);   /* a cache that cannot be written is no cache */
    }
    deliver(r, q->c, q->assertion, rec, NULL, ok ? NULL : rec->error ? rec->error : rec->status);
    pd_run_free(run);
    free(q);
    pump(r);
}

/* Starts (or answers from the cache) one request: the cell's question, or the judge of its
 * assertion `assertion`. */
static void ask(pd_eval_runner *r, cell *ce, long assertion)
{
    const pd_eval_case *c = &r->o.suite->cases[ce->case_i];
    const pd_eval_column *col = &r->o.columns[ce->col];
    pd_settings over = {0};
    const pd_version *v = col->version;
    json_t *vars = json_incref(c->vars);
    if (assertion >= 0) {
        const pd_eval_assertion *a = &c->asserts[assertion];
        judge_prompt *jp = judge_prompt_for(r, judge_name(r, a));
        if (!jp->version) {
            json_decref(vars);
            deliver(r, ce, assertion, NULL, NULL, jp->error);
            return;
        }
        v = jp->version;
        json_decref(vars);
        vars = json_is_object(c->vars) ? json_copy(c->vars) : json_object();
        pd_buf rubric = PD_BUF_INIT;
        json_object_set_new(vars, "rubric", json_string(pd_eval_rubric(a, c->vars, &rubric)));
        pd_buf_free(&rubric);
        json_object_set_new(vars, "output", json_string(ce->output ? ce->output : ""));
        const char *prov = json_string_value(json_object_get(a->extra, "provider"));
        const char *colon = prov ? strchr(prov, ':') : NULL;
        if (colon) {
            over.provider = pd_strndup(prov, (size_t)(colon - prov));
            over.model = pd_strdup(colon + 1);
        }
    } else {
        over.provider = pd_strdup(col->provider);
        over.model = pd_strdup(col->model);
    }
    pd_run_options o = {
        .slug = assertion >= 0 ? judge_name(r, &c->asserts[assertion]) : r->o.slug,
        .version = v,
        .variables = vars,
        .overrides = &over,
        .base_url = r->o.base_url,
        .config = r->o.config,
        .store = r->o.store,
        .connect_timeout_ms = r->o.connect_timeout_ms,
        .idle_timeout_ms = r->o.idle_timeout_ms,
        .no_record = true,
    };
    request *q = pd_xcalloc(1, sizeof *q);
    q->owner = r;
    q->c = ce;
    q->assertion = assertion;
    pd_error err = {0};
    int rc = 0;
    if (r->cache_dir) {
        pd_provider_request req;
        rc = pd_run_dry(&o, &req, &err);
        if (rc == 0) {
            pd_eval_cache_key(req.url, over.model ? over.model : v->settings.model, req.body, q->key);
            if (ce->rep > 0) {   /* each repeat asks again, once: an entry of its own */
                char salted[96];
                snprintf(salted, sizeof salted, "%s repeat %zu", q->key, ce->rep);
                pd_eval_sha256_hex(salted, strlen(salted), q->key);
            }
            pd_provider_request_clear(&req);
            json_t *kept = pd_eval_cache_get(r->cache_dir, q->key);
            if (kept) {
                deliver(r, ce, assertion, NULL, kept, NULL);
                json_decref(kept);
                free(q);
                goto out;
            }
        }
    }
    pd_run_callbacks cb = {.on_done = on_run_done, .ud = q};
    if (rc == 0)
        rc = pd_run_start(r->http, &o, &cb, &q->run, &err);
    if (rc != 0) {
        free(q);
        deliver(r, ce, assertion, NULL, NULL, err.msg);
    } else {
        r->in_flight++;
        r->sent++;
        q->next = r->flying;
        if (q->next)
            q->next->prev = q;
        r->flying = q;
    }
out:
    pd_settings_clear(&over);
    json_decref(vars);
}

static void pump(pd_eval_runner *r)
{
    if (r->pumping)
        return;
    r->pumping = true;
    while (!r->cancelled && r->in_flight < (size_t)r->concurrency) {
        if (r->judges_head < r->judges_len) {
            judge_job jj = r->judges[r->judges_head++];
            ask(r, jj.c, (long)jj.assertion);
        } else if (r->next_cell < r->n_cells) {
            ask(r, &r->cells[r->next_cell++], -1);
        } else {
            break;
        }
    }
    r->pumping = false;
}

/* ---- the runner ---- */

int pd_eval_runner_start(pd_http *http, const pd_eval_run_options *o, pd_eval_runner **out, pd_error *err)
{
    *out = NULL;
    if (!o->suite || o->suite->n == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s has no test cases", o->slug ? o->slug : "the prompt");
    if (o->n_columns == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no version to evaluate");
    pd_eval_runner *r = pd_xcalloc(1, sizeof *r);
    r->http = http;
    r->o = *o;
    r->concurrency = o->concurrency > 0 ? o->concurrency : 4;
    size_t repeat = o->repeat > 0 ? (size_t)o->repeat : 1;
    r->cache_dir = o->no_cache ? NULL : o->cache_dir ? pd_strdup(o->cache_dir) : pd_eval_cache_dir();
    r->n_cells = o->suite->n * o->n_columns * repeat;
    r->cells = pd_xcalloc(r->n_cells, sizeof *r->cells);
    size_t k = 0;
    for (size_t i = 0; i < o->suite->n; i++)
        for (size_t c = 0; c < o->n_columns; c++)
            for (size_t rep = 0; rep < repeat; rep++)
                r->cells[k++] = (cell){.case_i = i, .col = c, .rep = rep, .latency_ms = -1, .cost = -1,
                                       .input_tokens = -1, .output_tokens = -1};
    r->started_at = pd_now_rfc3339();
    *out = r;
    pump(r);
    return 0;
}

bool pd_eval_runner_done(const pd_eval_runner *r)
{
    return r->n_done == r->n_cells;
}

void pd_eval_runner_progress(const pd_eval_runner *r, size_t *done, size_t *total, size_t *sent)
{
    if (done)
        *done = r->n_done;
    if (total)
        *total = r->n_cells;
    if (sent)
        *sent = r->sent;
}

void pd_eval_runner_cancel(pd_eval_runner *r)
{
    r->cancelled = true;
    while (r->flying)   /* its on_done takes it off the list */
        pd_run_cancel(r->flying->run);
    for (size_t i = 0; i < r->n_cells; i++)
        cell_error(r, &r->cells[i], "cancelled");
}

void pd_eval_runner_free(pd_eval_runner *r)
{
    if (!r)
        return;
    while (r->flying) {
        request *q = r->flying;
        r->flying = q->next;
        pd_run_free(q->run);
        free(q);
    }
    for (size_t i = 0; i < r->n_cells; i++) {
        cell *ce = &r->cells[i];
        free(ce->output);
        free(ce->finish_reason);
        free(ce->error);
        json_decref(ce->tool_calls);
        json_decref(ce->result);
        if (ce->verdicts) {
            size_t n = r->o.suite->cases[ce->case_i].n_asserts;
            for (size_t a = 0; a < n; a++) {
                free(ce->verdicts[a].reason);
                free(ce->judge_errors[a]);
            }
        }
        free(ce->verdicts);
        free(ce->judge_errors);
    }
    free(r->cells);
    free(r->judges);
    for (size_t i = 0; i < r->n_prompts; i++) {
        free(r->prompts[i].name);
        pd_version_free(r->prompts[i].version);
        free(r->prompts[i].error);
    }
    free(r->prompts);
    free(r->cache_dir);
    free(r->started_at);
    free(r);
}

/* ---- the report ---- */

typedef struct column_sum {
    size_t passed, failed, errors, n_latency;
    long tokens;
    double cost, latency;
    bool has_tokens, has_cost;
} column_sum;

json_t *pd_eval_runner_report(const pd_eval_runner *r)
{
    column_sum *sums = pd_xcalloc(r->o.n_columns, sizeof *sums);
    json_t *results = json_array();
    size_t passed = 0, failed = 0, errors = 0;
    for (size_t i = 0; i < r->n_cells; i++) {
        json_t *j = r->cells[i].result;
        if (!j)
            continue;
        column_sum *s = &sums[r->cells[i].col];
        if (json_object_get(j, "error"))
            s->errors++, errors++;
        else if (json_is_true(json_object_get(j, "pass")))
            s->passed++, passed++;
        else
            s->failed++, failed++;
        json_t *t = json_object_get(j, "tokens");
        if (json_is_integer(t))
            s->tokens += (long)json_integer_value(t), s->has_tokens = true;
        double cost = number_of(j, "cost"), lat = number_of(j, "latency_ms");
        if (cost >= 0)
            s->cost += cost, s->has_cost = true;
        if (lat >= 0)
            s->latency += lat, s->n_latency++;
        json_array_append(results, j);
    }
    json_t *cols = json_array();
    for (size_t c = 0; c < r->o.n_columns; c++) {
        const pd_eval_column *col = &r->o.columns[c];
        column_sum *s = &sums[c];
        json_array_append_new(
            cols, json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "version", col->version->number, "provider",
                            column_provider(col), "model", column_model(col), "passed", (json_int_t)s->passed, "failed",
                            (json_int_t)s->failed, "errors", (json_int_t)s->errors, "tokens",
                            s->has_tokens ? json_integer(s->tokens) : json_null(), "cost",
                            s->has_cost ? json_real(s->cost) : json_null(), "latency_ms",
                            s->n_latency ? json_real(s->latency / (double)s->n_latency) : json_null()));
    }
    free(sums);
    return json_pack("{s:s, s:i, s:n, s:s, s:s, s:o, s:{s:I, s:I, s:I}, s:o}", "format", "promptdeck-eval",
                     "format_version", 1, "id", "slug", r->o.slug ? r->o.slug : "", "started_at", r->started_at,
                     "columns", cols, "summary", "passed", (json_int_t)passed, "failed", (json_int_t)failed, "errors",
                     (json_int_t)errors, "results", results);
}
