/* store_git.c: running git for sync: argv (no shell), `git -C DIR`, the C locale, no prompts
 * (GIT_TERMINAL_PROMPT=0, no editor), output captured through pipes and polled (no deadlock
 * on a large output), and credentials in URLs hidden from anything shown. */
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"

void store_git_out_free(store_git_out *o)
{
    if (!o)
        return;
    free(o->out);
    free(o->err);
    o->out = o->err = NULL;
}

/* The user and password of a URL ("scheme" "://user:token@host/x") shown as three stars, wherever
 * a URL appears. */
static void hide_credentials(char *s)
{
    for (char *p = s ? strstr(s, "://") : NULL; p; p = strstr(p, "://")) {
        char *host = p + 3;
        char *at = host + strcspn(host, "@/ \t\n'\"");
        size_t len = (size_t)(at - host);
        if (*at == '@' && len >= 3) {
            memcpy(host, "***", 3);
            memmove(host + 3, at, strlen(at) + 1);
        } else if (*at == '@') {
            memset(host, '*', len);
        }
        p = host;
    }
}

static void child(const char *dir, int in, int out, int errfd, const char *const *argv, bool no_terminal)
{
    if (no_terminal)
        setsid();   /* no controlling terminal: ssh cannot ask for a passphrase either */
    dup2(in, 0);
    dup2(out, 1);
    dup2(errfd, 2);
    setenv("LC_ALL", "C", 1);
    setenv("GIT_TERMINAL_PROMPT", "0", 1);
    setenv("GIT_EDITOR", ":", 1);
    setenv("GIT_MERGE_AUTOEDIT", "no", 1);
    unsetenv("GIT_DIR");   /* the library's own repository, whatever the caller's environment says */
    unsetenv("GIT_WORK_TREE");
    size_t n = 0;
    while (argv[n])
        n++;
    const char **full = calloc(n + 4, sizeof *full);
    if (!full)
        _exit(127);
    full[0] = "git";
    full[1] = "-C";
    full[2] = dir;
    for (size_t i = 0; i < n; i++)
        full[3 + i] = argv[i];
    execvp("git", (char *const *)full);
    _exit(127);
}

/* Writes input to fd while reading out and err until both close. */
static void pump(int in, const char *input, int out, int errfd, pd_buf *o, pd_buf *e)
{
    size_t in_len = input ? strlen(input) : 0, in_at = 0;
    if (in_len == 0) {
        close(in);
        in = -1;
    }
    while (out >= 0 || errfd >= 0) {
        struct pollfd fds[3] = {{out, POLLIN, 0}, {errfd, POLLIN, 0}, {in, POLLOUT, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        char buf[8192];
        int *fd[2] = {&out, &errfd};
        pd_buf *dst[2] = {o, e};
        for (int k = 0; k < 2; k++) {
            if (*fd[k] < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(*fd[k], buf, sizeof buf);
            if (r > 0) {
                pd_buf_append(dst[k], buf, (size_t)r);
            } else if (r == 0 || errno != EINTR) {
                close(*fd[k]);
                *fd[k] = -1;
            }
        }
        if (in >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(in, input + in_at, in_len - in_at);
            if (w > 0)
                in_at += (size_t)w;
            if (w < 0 || in_at == in_len) {
                close(in);
                in = -1;
            }
        }
    }
    if (in >= 0)
        close(in);
}

int store_git_run(const char *dir, const char *input, bool no_terminal, store_git_out *o, const char *const *argv)
{
    int pin[2], pout[2], perr[2];
    if (o)
        *o = (store_git_out){.status = -1};
    if (pipe2(pin, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(pout, O_CLOEXEC) != 0) {
        close(pin[0]);
        close(pin[1]);
        return -1;
    }
    if (pipe2(perr, O_CLOEXEC) != 0) {
        close(pin[0]);
        close(pin[1]);
        close(pout[0]);
        close(pout[1]);
        return -1;
    }
    /* a closed pipe must not kill us: git that exits early is an error it reports */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ign, &old);
    pid_t pid = fork();
    if (pid == 0)
        child(dir, pin[0], pout[1], perr[1], argv, no_terminal);
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    pd_buf out = PD_BUF_INIT, err = PD_BUF_INIT;
    int status = -1;
    if (pid > 0) {
        pump(pin[1], input, pout[0], perr[0], &out, &err);
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    } else {
        close(pin[1]);
        close(pout[0]);
        close(perr[0]);
    }
    sigaction(SIGPIPE, &old, NULL);
    char *so = pd_buf_take(&out), *se = pd_buf_take(&err);
    hide_credentials(so);
    hide_credentials(se);
    if (o) {
        o->status = status;
        o->out = so;
        o->err = se;
    } else {
        free(so);
        free(se);
    }
    return status;
}

int store_git(const char *dir, const char *input, store_git_out *o, const char *const *argv)
{
    return store_git_run(dir, input, false, o, argv);
}
