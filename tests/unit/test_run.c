/* test_run.c: runs as non-blocking jobs in one caller-driven poll() loop, against the fake provider:
 * two providers streaming at once, cancel from inside a callback, free while running. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "net/net.h"
#include "run/run.h"
#include "t.h"

static const char answer[] = "One two three four five six seven eight nine ten \xE2\x82\xAC \xF0\x9F\x98\x80 eleven twelve.";
static pid_t server_pid;
static pd_buf order;   /* one letter per delta: the first letter of the job's name */
static int server_port;

/* Starts tests/servers/fake_provider.py and reads its port. */
static int start_server(void)
{
    const char *top = getenv("PD_TOP");
    char script[4096], answer_path[] = "/tmp/pd-test-run-XXXXXX";
    snprintf(script, sizeof script, "%s/tests/servers/fake_provider.py", top ? top : ".");
    int afd = mkstemp(answer_path);
    if (afd < 0 || write(afd, answer, sizeof answer - 1) != (ssize_t)(sizeof answer - 1))
        return -1;
    close(afd);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    server_pid = fork();
    if (server_pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", script, "--key", "unit-key-1", "--answer-file", answer_path, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    int ok = f && fscanf(f, "%d", &server_port) == 1;
    if (f)
        fclose(f);
    unlink(answer_path);
    return ok ? 0 : -1;
}

static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
    }
}

typedef struct job {
    const char *name;
    pd_run *run;
    pd_buf text;
    int deltas;
    int done;
    char status[32];
    char error[512];
    int cancel_after;        /* cancel from inside on_delta after this many deltas (0: never) */
    struct job *other;
    int other_deltas_before_my_end;   /* the other job's deltas seen before this one ended */
} job;

static void on_delta(void *ud, pd_run *run, const char *text, size_t n)
{
    job *j = ud;
    pd_buf_append(&j->text, text, n);
    pd_buf_putc(&order, j->name[0]);
    j->deltas++;
    CHECK_STR(pd_run_record_of(run)->output, pd_buf_str(&j->text));   /* the live record grows */
    CHECK_STR(pd_run_record_of(run)->status, "running");
    if (j->cancel_after && j->deltas == j->cancel_after)
        pd_run_cancel(run);
}

static void on_done(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err)
{
    (void)run;
    job *j = ud;
    j->done++;
    snprintf(j->status, sizeof j->status, "%s", rec->status);
    snprintf(j->error, sizeof j->error, "%s", rec->error ? rec->error : "");
    CHECK_STR(rec->output, pd_buf_str(&j->text));
    CHECK(save_err == NULL);
    if (j->other)
        j->other_deltas_before_my_end = j->other->deltas;
}

static pd_version *make_version(void)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->number = 3;
    v->n_messages = 1;
    v->messages = pd_xcalloc(1, sizeof *v->messages);
    v->messages[0].role = pd_strdup("user");
    v->messages[0].content = pd_strdup("Count to {{n}}.");
    v->settings.provider = pd_strdup("openai");
    v->settings.model = pd_strdup("fake.trickle");
    return v;
}

/* What every test needs: the version to run and a transfer set. */
typedef struct fixture {
    pd_version *v;
    pd_http *http;
} fixture;

static fixture fixture_new(void)
{
    fixture f = {make_version(), NULL};
    pd_error err = {0};
    CHECK_INT(pd_http_new(&f.http, &err), 0);
    return f;
}

/* Frees the jobs' runs and texts (a job may be NULL), then the fixture. */
static void fixture_free(fixture *f, job *a, job *b)
{
    job *jobs[] = {a, b};
    for (size_t i = 0; i < 2; i++)
        if (jobs[i]) {
            pd_run_free(jobs[i]->run);
            pd_buf_free(&jobs[i]->text);
        }
    pd_http_free(f->http);
    pd_version_free(f->v);
}

static size_t job_max_answer;   /* the options' max_answer_bytes and total_timeout_ms for start_job */
static long job_total_ms;
static const pd_config *job_config;   /* the options' config for start_job (NULL: none) */
static char job_start_error[PD_ERROR_MSG_MAX];   /* why start_job's last start failed */

static int start_job(pd_http *http, job *j, const pd_version *v, const char *provider, const char *model)
{
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%d%s", server_port, strcmp(provider, "openai") ? "" : "/v1");
    pd_settings over = {.provider = (char *)provider, .model = (char *)model};
    json_t *vars = json_pack("{s:s}", "n", "twelve");
    pd_run_options o = {.slug = "count", .version = v, .variables = vars, .overrides = &over, .base_url = base,
                        .max_answer_bytes = job_max_answer, .total_timeout_ms = job_total_ms, .config = job_config};
    pd_run_callbacks cb = {.on_delta = on_delta, .on_done = on_done, .ud = j};
    pd_error err = {0};
    int rc = pd_run_start(http, &o, &cb, &j->run, &err);
    if (rc != 0)
        printf("#   start %s: %s\n", j->name, err.msg);
    snprintf(job_start_error, sizeof job_start_error, "%s", rc ? err.msg : "");
    json_decref(vars);
    return rc;
}

/* The caller's loop, as the app runs it: pollfds, timeout, poll, step. */
static void loop_until(pd_http *http, job **jobs, size_t n, double limit_ms)
{
    double t0 = pd_http_now_ms();
    for (;;) {
        int all = 1;
        for (size_t i = 0; i < n; i++)
            all &= jobs[i]->done > 0;
        if (all || pd_http_now_ms() - t0 > limit_ms)
            return;
        struct pollfd fds[32];
        size_t nf = pd_http_pollfds(http, fds, 32);
        int timeout = pd_http_timeout_ms(http);
        poll(fds, nf, timeout < 0 || timeout > 100 ? 100 : timeout);
        pd_http_step(http, fds, nf);
    }
}

static void test_two_providers_stream_at_once(void)
{
    fixture f = fixture_new();
    pd_http *http = f.http;
    pd_version *v = f.v;
    job a = {.name = "a-openai"}, b = {.name = "b-anthropic"};
    a.other = &b;
    b.other = &a;
    CHECK_INT(start_job(http, &a, v, "openai", "fake.trickle"), 0);
    CHECK_INT(start_job(http, &b, v, "anthropic", "fake.trickle"), 0);
    job *jobs[] = {&a, &b};
    loop_until(http, jobs, 2, 20000);
    CHECK_INT(a.done, 1);
    CHECK_INT(b.done, 1);
    CHECK_STR(a.status, "ok");
    CHECK_STR(b.status, "ok");
    CHECK_STR(pd_buf_str(&a.text), answer);
    CHECK_STR(pd_buf_str(&b.text), answer);
    /* Interleaved: each had deltas from the other before it ended (neither waited for the other). */
    CHECK(a.other_deltas_before_my_end > 0);
    CHECK(b.other_deltas_before_my_end > 0);
    /* The deltas' order alternates somewhere both ways: "...ab..." and "...ba...". */
    CHECK(strstr(pd_buf_str(&order), "ab") && strstr(pd_buf_str(&order), "ba"));
    pd_buf_free(&order);
    const pd_run_record *rec = pd_run_record_of(a.run);
    CHECK_INT(rec->prompt_version, 3);
    CHECK_STR(json_string_value(json_object_get(rec->variables, "n")), "twelve");
    CHECK_STR(rec->settings.model, "fake.trickle");
    CHECK_INT(rec->input_tokens, 11);
    CHECK(rec->ttft_ms >= 0 && rec->total_ms >= rec->ttft_ms);
    CHECK_INT(pd_http_active(http), 0);
    fixture_free(&f, &a, &b);
}

static void test_cancel_inside_a_callback_keeps_the_other_running(void)
{
    fixture f = fixture_new();
    pd_http *http = f.http;
    pd_version *v = f.v;
    job a = {.name = "cancelled", .cancel_after = 3}, b = {.name = "google"};
    CHECK_INT(start_job(http, &a, v, "openai", "fake.trickle"), 0);
    CHECK_INT(start_job(http, &b, v, "google", "fake.trickle"), 0);
    job *jobs[] = {&a, &b};
    loop_until(http, jobs, 2, 20000);
    CHECK_INT(a.done, 1);
    CHECK_STR(a.status, "cancelled");
    CHECK_INT(a.deltas, 3);
    CHECK(strncmp(answer, pd_buf_str(&a.text), a.text.len) == 0);
    CHECK_STR(b.status, "ok");
    CHECK_STR(pd_buf_str(&b.text), answer);
    pd_run_cancel(a.run);   /* a second cancel does nothing */
    CHECK_INT(a.done, 1);
    CHECK_INT(pd_http_active(http), 0);
    fixture_free(&f, &a, &b);
}

static void test_free_while_running_is_silent(void)
{
    fixture f = fixture_new();
    job a = {.name = "freed"};
    CHECK_INT(start_job(f.http, &a, f.v, "openai", "fake.slow"), 0);
    CHECK_INT(pd_http_active(f.http), 1);
    pd_run_free(a.run);
    a.run = NULL;
    CHECK_INT(pd_http_active(f.http), 0);
    CHECK_INT(pd_http_timeout_ms(f.http), -1);   /* nothing left to wait for */
    pd_http_step(f.http, NULL, 0);
    CHECK_INT(a.done, 0);
    fixture_free(&f, &a, NULL);
}

static void test_start_errors_name_the_problem(void)
{
    pd_version *v = make_version();
    pd_http *http = NULL;
    pd_error err = {0};
    CHECK_INT(pd_http_new(&http, &err), 0);
    pd_run *r = NULL;
    pd_run_options o = {.slug = "count", .version = v};
    CHECK_INT(pd_run_start(http, &o, NULL, &r, &err), -1);
    CHECK_INT(err.code, PD_ERR_MISSING_VARIABLES);
    CHECK(strstr(err.msg, "n") != NULL);
    json_t *vars = json_pack("{s:s}", "n", "1");
    o.variables = vars;
    unsetenv("OPENAI_API_KEY");
    unsetenv("OPENAI_BASE_URL");
    CHECK_INT(pd_run_start(http, &o, NULL, &r, &err), -1);
    CHECK_INT(err.code, PD_ERR_AUTH);
    CHECK(strstr(err.msg, "OPENAI_API_KEY") != NULL);
    CHECK(r == NULL);
    json_decref(vars);
    pd_http_free(http);
    pd_version_free(v);
}

/* Tool calls reach the caller one by one, whole, apart from the text; without on_tool_call each
 * comes to on_delta as a block of text, and the record keeps them either way. */
typedef struct calls_seen {
    pd_buf text;
    json_t *calls;
    int done;
} calls_seen;

static void seen_delta(void *ud, pd_run *run, const char *text, size_t n)
{
    (void)run;
    pd_buf_append(&((calls_seen *)ud)->text, text, n);
}

static void seen_call(void *ud, pd_run *run, json_t *call)
{
    (void)run;
    json_array_append(((calls_seen *)ud)->calls, call);
}

static void seen_done(void *ud, pd_run *run, const pd_run_record *rec, const pd_error *save_err)
{
    (void)run;
    (void)save_err;
    calls_seen *c = ud;
    c->done++;
    CHECK_STR(rec->status, "ok");
    CHECK_STR(rec->finish_reason, "tool_calls");
    CHECK_INT(json_array_size(rec->tool_calls), 2);
}

static void run_calls(fixture *f, const char *provider, bool with_callback, calls_seen *c)
{
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%d%s", server_port, strcmp(provider, "openai") ? "" : "/v1");
    pd_settings over = {.provider = (char *)provider, .model = "fake.parallel"};
    json_t *vars = json_pack("{s:s}", "n", "two");
    pd_run_options o = {.slug = "count", .version = f->v, .variables = vars, .overrides = &over, .base_url = base};
    pd_run_callbacks cb = {.on_delta = seen_delta, .on_done = seen_done, .on_tool_call = with_callback ? seen_call : NULL, .ud = c};
    pd_run *run = NULL;
    pd_error err = {0};
    CHECK_INT(pd_run_start(f->http, &o, &cb, &run, &err), 0);
    double t0 = pd_http_now_ms();
    while (run && !pd_run_done(run) && pd_http_now_ms() - t0 < 20000)
        pd_http_wait(f->http, &err);
    CHECK_INT(c->done, 1);
    pd_run_free(run);
    json_decref(vars);
}

static void test_tool_calls(void)
{
    setenv("OPENAI_API_KEY", "unit-key-1", 1);   /* test_start_errors took it away */
    fixture f = fixture_new();
    static const char *const providers[] = {"openai", "anthropic", "google"};
    for (size_t i = 0; i < 3; i++) {
        calls_seen c = {PD_BUF_INIT, json_array(), 0};
        run_calls(&f, providers[i], true, &c);
        printf("# %s\n", providers[i]);
        CHECK_INT(json_array_size(c.calls), 2);
        CHECK_STR(json_string_value(json_object_get(json_array_get(c.calls, 0), "name")), "get_weather");
        CHECK_STR(json_string_value(json_object_get(json_array_get(c.calls, 1), "name")), "get_time");
        CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(c.calls, 1), "arguments"), "zone")),
                  "Europe/Paris");
        CHECK(strstr(pd_buf_str(&c.text), "tool call") == NULL);
        pd_buf_free(&c.text);
        json_decref(c.calls);
    }
    calls_seen c = {PD_BUF_INIT, json_array(), 0};
    run_calls(&f, "anthropic", false, &c);
    CHECK_STR(pd_buf_str(&c.text), "\n[tool call get_weather, id toolu_01A] {\"city\":\"Paris\"}\n"
                                   "\n[tool call get_time, id toolu_01B] {\"zone\":\"Europe/Paris\"}\n");
    pd_buf_free(&c.text);
    json_decref(c.calls);
    fixture_free(&f, NULL, NULL);
}

/* The request a run would send, without sending it; the key redacted. */
static void test_dry(void)
{
    setenv("OPENAI_API_KEY", "unit-key-1", 1);
    pd_version *v = make_version();
    json_t *vars = json_pack("{s:s}", "n", "3");
    pd_run_options o = {.slug = "count", .version = v, .variables = vars};
    pd_provider_request req;
    pd_error err = {0};
    CHECK_INT(pd_run_dry(&o, &req, &err), 0);
    CHECK_STR(req.url, "https://api.openai.com/v1/chat/completions");
    CHECK_STR(req.headers[2].name, "Authorization");
    CHECK_STR(req.headers[2].value, "Bearer [redacted]");
    CHECK(strstr(req.body, "\"content\":\"Count to 3.\"") != NULL);
    pd_provider_request_clear(&req);
    json_object_clear(vars);
    CHECK_INT(pd_run_dry(&o, &req, &err), -1);   /* the same errors before sending */
    CHECK_INT(err.code, PD_ERR_MISSING_VARIABLES);
    json_decref(vars);
    pd_version_free(v);
}

/* The key never reaches the caller even split across deltas; the cap and the deadline stop a
 * run with the text so far. */
static void test_limits_and_the_key(void)
{
    fixture f = fixture_new();
    job a = {.name = "leak"}, b = {.name = "cap"}, c = {.name = "drip"};
    CHECK_INT(start_job(f.http, &a, f.v, "anthropic", "fake.leak"), 0);
    job_max_answer = 10;
    CHECK_INT(start_job(f.http, &b, f.v, "openai", "fake"), 0);
    job_max_answer = 0;
    job_total_ms = 1000;
    CHECK_INT(start_job(f.http, &c, f.v, "google", "fake.drip"), 0);
    job_total_ms = 0;
    job *jobs[] = {&a, &b, &c};
    double t0 = pd_http_now_ms();
    loop_until(f.http, jobs, 3, 20000);
    CHECK_STR(a.status, "ok");
    CHECK_STR(pd_buf_str(&a.text), "Your key is [redacted]; again: [redacted].");
    CHECK(!pd_run_cut(a.run));
    CHECK_STR(b.status, "error");
    CHECK(pd_run_cut(b.run));
    CHECK_STR(pd_buf_str(&b.text), "One two th");
    CHECK(strstr(b.error, "the answer was cut at 10 bytes") != NULL);
    CHECK_STR(c.status, "error");
    CHECK(!pd_run_cut(c.run));
    CHECK(strstr(c.error, "the run took longer than 1.0 s") != NULL);
    CHECK(strncmp(answer, pd_buf_str(&c.text), c.text.len) == 0);
    CHECK(pd_http_now_ms() - t0 < 5000);
    fixture_free(&f, &a, &b);
    pd_run_free(c.run);
    pd_buf_free(&c.text);
}

/* Limits the options leave at 0 come from the config's [run] section, for every caller alike
 * (the app passes only its config); a bad value there stops the start with its file:line. */
static void test_limits_from_the_config(void)
{
    char path[] = "/tmp/pd-test-run-config-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "[run]\nmax_answer_bytes = 12\n";
    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    pd_config cfg;
    pd_error err = {0};
    CHECK_INT(pd_config_load(path, &cfg, &err), 0);
    fixture f = fixture_new();
    job a = {.name = "config cap"}, b = {.name = "option cap"};
    job_config = &cfg;
    CHECK_INT(start_job(f.http, &a, f.v, "openai", "fake"), 0);
    job_max_answer = 5;   /* the option wins over the config */
    CHECK_INT(start_job(f.http, &b, f.v, "openai", "fake"), 0);
    job_max_answer = 0;
    job *jobs[] = {&a, &b};
    loop_until(f.http, jobs, 2, 20000);
    CHECK(pd_run_cut(a.run));
    CHECK_STR(pd_buf_str(&a.text), "One two thre");
    CHECK(pd_run_cut(b.run));
    CHECK_STR(pd_buf_str(&b.text), "One t");
    fixture_free(&f, &a, &b);
    pd_config_free(&cfg);

    fd = open(path, O_WRONLY | O_TRUNC);
    text = "[run]\n\nidle_timeout = -3\n";
    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    CHECK_INT(pd_config_load(path, &cfg, &err), 0);
    f = fixture_new();
    job c = {.name = "bad config"};
    CHECK_INT(start_job(f.http, &c, f.v, "openai", "fake"), -1);
    CHECK(strstr(job_start_error, ":3: run.idle_timeout '-3': give seconds") != NULL);
    fixture_free(&f, &c, NULL);
    pd_config_free(&cfg);
    job_config = NULL;
    unlink(path);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (start_server() != 0) {
        printf("not ok - fake provider server did not start\n");
        stop_server();
        return 1;
    }
    setenv("OPENAI_API_KEY", "unit-key-1", 1);
    setenv("ANTHROPIC_API_KEY", "unit-key-1", 1);
    setenv("GEMINI_API_KEY", "unit-key-1", 1);
    RUN(test_two_providers_stream_at_once);
    RUN(test_cancel_inside_a_callback_keeps_the_other_running);
    RUN(test_free_while_running_is_silent);
    RUN(test_start_errors_name_the_problem);
    RUN(test_tool_calls);
    RUN(test_dry);
    RUN(test_limits_and_the_key);
    RUN(test_limits_from_the_config);
    stop_server();
    T_DONE();
}
