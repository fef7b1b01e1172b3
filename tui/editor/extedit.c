/* extedit.c: the $VISUAL/$EDITOR hand-off (see extedit.h): a 0600 temporary file, the editor
 * run through sh -c so that EDITOR may carry arguments ("code --wait", "sed -i s/a/b/"), as git
 * and mutt do, and the text read back. */
#include "extedit_priv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

const char *pd_extedit_command(void)
{
    const char *e = getenv("VISUAL");
    if (!e || !*e)
        e = getenv("EDITOR");
    return e && *e ? e : "vi";
}

static void free_members(pd_extedit *x)
{
    free(x->path);
    free(x->command);
    free(x->script);
    memset(x, 0, sizeof *x);
}

void pd_extedit_cancel(pd_extedit *x)
{
    if (x->path)
        unlink(x->path);
    free_members(x);
}

/* false when the command's program surely does not exist: a plain first word that is neither
 * an executable path nor found in PATH. Commands with shell syntax are left to the shell. */
static bool program_exists(const char *command)
{
    size_t n = strcspn(command, " \t");
    if (n == 0 || strpbrk(command, "'\"$`\\;|&<>(){}=*?~"))
        return true;
    char *prog = pd_strndup(command, n);
    bool found = false;
    if (strchr(prog, '/')) {
        found = access(prog, X_OK) == 0;
    } else {
        const char *path = getenv("PATH");
        char *dirs = pd_strdup(path && *path ? path : "/usr/bin:/bin"), *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
            pd_buf b = PD_BUF_INIT;
            pd_buf_printf(&b, "%s/%s", *d ? d : ".", prog);
            found = access(b.data, X_OK) == 0;
            pd_buf_free(&b);
        }
        free(dirs);
    }
    free(prog);
    return found;
}

int pd_extedit_begin(pd_extedit *x, const char *text, size_t len, const char *name_hint, pd_error *err)
{
    memset(x, 0, sizeof *x);
    if (!program_exists(pd_extedit_command()))
        return pd_error_set(err, PD_ERR_NOT_FOUND,
                            "editor \"%s\" not found (set VISUAL or EDITOR); the message is unchanged",
                            pd_extedit_command());
    const char *tmp = getenv("TMPDIR");
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/promptdeck-", tmp && *tmp ? tmp : "/tmp");
    for (const char *h = name_hint ? name_hint : ""; *h && b.len < 200; h++)
        pd_buf_putc(&b, (*h >= 'a' && *h <= 'z') || (*h >= '0' && *h <= '9') || *h == '-' ? *h : '_');
    pd_buf_puts(&b, "-XXXXXX.md");
    x->path = pd_buf_take(&b);
    int fd = mkstemps(x->path, 3);   /* mode 0600 */
    if (fd < 0) {
        int e = errno;
        pd_error_set(err, PD_ERR_IO, "%s: cannot create a temporary file: %s", x->path, strerror(e));
        free_members(x);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            pd_error_set(err, PD_ERR_IO, "%s: cannot write: %s", x->path, strerror(e));
            pd_extedit_cancel(x);
            return -1;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        pd_error_set(err, PD_ERR_IO, "%s: cannot write: %s", x->path, strerror(errno));
        pd_extedit_cancel(x);
        return -1;
    }
    x->orig_len = len;
    x->orig_newline = len > 0 && text[len - 1] == '\n';
    x->command = pd_strdup(pd_extedit_command());
    b = (pd_buf)PD_BUF_INIT;
    pd_buf_printf(&b, "%s \"$@\"", x->command);
    x->script = pd_buf_take(&b);
    x->argv[0] = "sh";
    x->argv[1] = "-c";
    x->argv[2] = x->script;
    x->argv[3] = x->command;
    x->argv[4] = x->path;
    x->argv[5] = NULL;
    return 0;
}

int pd_extedit_finish(pd_extedit *x, int status, char **out, size_t *out_len, pd_error *err)
{
    *out = NULL;
    *out_len = 0;
    int rc = -1;
    if (status < 0) {
        /* err says why already */
    } else if (status == 127) {
        pd_error_set(err, PD_ERR_NOT_FOUND, "editor \"%s\" not found (set VISUAL or EDITOR); the message is unchanged",
                     x->command);
    } else if (status != 0) {
        pd_error_set(err, PD_ERR_CANCELLED, "editor \"%s\" exited with status %d; the message is unchanged",
                     x->command, status);
    } else {
        char *data;
        size_t len;
        if (pd_read_file(x->path, &data, &len, err) == 0) {
            if (memchr(data, '\0', len)) {
                pd_error_set(err, PD_ERR_INVALID_REQUEST,
                             "%s: the edited text holds NUL bytes; the message is unchanged", x->path);
                free(data);
            } else {
                if (!x->orig_newline && len > 0 && data[len - 1] == '\n')
                    data[--len] = '\0';
                *out = data;
                *out_len = len;
                rc = 0;
            }
        }
    }
    pd_extedit_cancel(x);
    return rc;
}

int pd_extedit_run_plain(char *const argv[], pd_error *err)
{
    pid_t pid = fork();
    if (pid < 0)
        return pd_error_set(err, PD_ERR_IO, "cannot start %s: %s", argv[0], strerror(errno));
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return pd_error_set(err, PD_ERR_IO, "waiting for %s: %s", argv[0], strerror(errno));
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}
