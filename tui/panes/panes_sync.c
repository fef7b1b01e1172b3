/* panes_sync.c: `promptdeck sync` in the background from the app. A child process (fork) opens
 * the library and runs pd_store_sync without the terminal; it writes each step and then each
 * note of the report to a pipe, a line each ("step ...", "note ...", "fail ...", "done"); the
 * app reads the pipe on its loop, shows the step on the status row, and at the end the result,
 * every note in :messages, and reloads the views. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eval/eval.h"
#include "panes_priv.h"

struct panes_sync {
    pd_app *app;
    panes_sync **slot;   /* the owner's pointer, cleared when the sync ends */
    pid_t pid;
    int fd;              /* the read end of the child's pipe */
    int source;
    pd_buf line;         /* a line not complete yet */
    char *failure;       /* the error the child reported, or NULL */
    char *last_note;     /* the report's last line, or NULL */
    int notes;
    const char *what;    /* "Sync", or "Check" (sync --check) */
};

/* In the child: one line to the app (a line break in text would split it: made a blank). */
static void tell(int fd, const char *kind, const char *text)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s %s", kind, text);
    for (char *c = b.data; c && *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    pd_buf_putc(&b, '\n');
    for (size_t off = 0; off < b.len;) {
        ssize_t n = write(fd, b.data + off, b.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    pd_buf_free(&b);
}

static void child_step(void *ud, const char *step)
{
    tell(*(int *)ud, "step", step);
}

/* The child: never returns, never touches the terminal. */
static void child_sync(const char *dir, int fd, bool check)
{
    int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGCHLD, SIGCONT, SIGINT, SIGQUIT, SIGPIPE, SIGSEGV};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    setsid();   /* no controlling terminal: nothing may ask for a password */
    pd_store *st = NULL;
    pd_error err = {0};
    pd_store_report r = {0};
    int rc = pd_store_open(dir, false, false, &st, &err);
    if (rc == 0) {
        pd_store_set_settle(st, pd_eval_tests_settle, NULL);   /* tests.json git left in conflict */
        pd_sync_opts o = {.no_terminal = true, .check = check, .progress = child_step, .ud = &fd};
        rc = pd_store_sync(st, &o, &r, &err);
    }
    for (size_t i = 0; i < r.n; i++)
        tell(fd, "note", r.notes[i]);
    if (rc != 0)
        tell(fd, "fail", err.msg[0] ? err.msg : "sync failed");
    tell(fd, "done", "");
    _exit(rc == 0 ? 0 : 1);
}

static void sync_free(panes_sync *j)
{
    if (j->source)
        pd_app_remove_source(j->app, j->source);
    if (j->fd >= 0)
        close(j->fd);
    if (j->pid > 0)
        waitpid(j->pid, NULL, 0);
    if (j->slot)
        *j->slot = NULL;
    pd_buf_free(&j->line);
    free(j->failure);
    free(j->last_note);
    free(j);
}

static void sync_line(panes_sync *j, const char *line)
{
    if (!strncmp(line, "step ", 5)) {
        pd_app_status(j->app, "%s: %s...", j->what, line + 5);
    } else if (!strncmp(line, "note ", 5)) {
        pd_app_status(j->app, "%s: %s", j->what, line + 5);
        free(j->last_note);
        j->last_note = pd_strdup(line + 5);
        j->notes++;
    } else if (!strncmp(line, "fail ", 5)) {
        free(j->failure);
        j->failure = pd_strdup(line + 5);
    }
}

/* The child ended (its pipe closed): the result, and the views show what it brought. */
static void sync_finish(panes_sync *j)
{
    int status = 0;
    pid_t pid = j->pid;
    j->pid = 0;
    bool exited = waitpid(pid, &status, 0) == pid && WIFEXITED(status);
    pd_app *app = j->app;
    const char *what = j->what;
    if (!exited)   /* killed part-way, maybe inside git's merge: its half-merged files put back */
        pd_store_recover(pd_app_store(app));
    if (j->failure)
        pd_app_error(app, "%s failed: %s", what, j->failure);
    else if (!exited || WEXITSTATUS(status) != 0)
        pd_app_error(app, "%s failed (it ended without saying why)", what);
    else if (j->notes == 1)
        pd_app_status(app, "%s done: %s", what, j->last_note);
    else if (j->notes)
        pd_app_status(app, "%s done: %s (and %d more in :messages)", what, j->last_note, j->notes - 1);
    else
        pd_app_status(app, "%s done: nothing to do", what);
    sync_free(j);
    pd_app_library_changed(app, NULL);
}

static size_t sync_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    (void)timeout_ms;
    panes_sync *j = ud;
    if (max < 1)
        return 0;
    fds[0] = (struct pollfd){.fd = j->fd, .events = POLLIN};
    return 1;
}

static void sync_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    panes_sync *j = ud;
    if (n < 1 || !(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    char buf[4096];
    ssize_t got = read(j->fd, buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got <= 0) {
        sync_finish(j);
        return;
    }
    pd_buf_append(&j->line, buf, (size_t)got);
    char *start = j->line.data;
    char *nl;
    while ((nl = memchr(start, '\n', j->line.len - (size_t)(start - j->line.data))) != NULL) {
        *nl = '\0';
        sync_line(j, start);
        start = nl + 1;
    }
    size_t rest = j->line.len - (size_t)(start - j->line.data);
    memmove(j->line.data, start, rest);
    j->line.len = rest;
    j->line.data[rest] = '\0';
}

void panes_sync_start(pd_app *app, panes_sync **slot, bool check)
{
    if (*slot) {
        pd_app_status(app, "Sync is running already");
        return;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        pd_app_error(app, "Sync: cannot make a pipe: %s", strerror(errno));
        return;
    }
    char *dir = pd_strdup(pd_store_dir(pd_app_store(app)));
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_sync(dir, p[1], check);
    }
    free(dir);
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        pd_app_error(app, "Sync: cannot start: %s", strerror(errno));
        return;
    }
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    panes_sync *j = pd_xcalloc(1, sizeof *j);
    j->app = app;
    j->slot = slot;
    j->pid = pid;
    j->fd = p[0];
    j->what = check ? "Check" : "Sync";
    pd_source src = {.pollfds = sync_pollfds, .dispatch = sync_dispatch, .ud = j};
    j->source = pd_app_add_source(app, &src);
    *slot = j;
    pd_app_status(app, "%s: started (the app goes on; the result shows here)", j->what);
}

void panes_sync_stop(panes_sync *j)
{
    if (!j)
        return;
    if (j->pid > 0)
        kill(j->pid, SIGTERM);
    j->slot = NULL;
    sync_free(j);
}
