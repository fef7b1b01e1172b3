/* store_sync_rescue.c: a sync killed part-way (kill -9, a closed terminal, a crash) is cleaned
 * up by the next one. While a sync runs git it keeps GITDIR/promptdeck-sync holding "PID HOST"
 * (and "merge" while git merges the upstream into the library's files); the next sync that finds
 * one naming a process gone from this host knows the git it ran died with it: it removes the
 * lock files git left (index.lock, ORIG_HEAD.lock, refs/...lock), aborts the merge or rebase
 * left in progress and, where a merge died while it held the index (part-way through the
 * files), puts the files it was changing back as the last commit has them. Then the sync goes
 * on as usual and merges again. */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

#define MARKER "promptdeck-sync"

/* git ARGS in the library's folder, with input; its trimmed output, or NULL when it failed. */
static char *git_text(pd_store *s, bool no_terminal, const char *input, const char *const *argv)
{
    store_git_out o;
    int st = store_git_run(s->dir, input, no_terminal, &o, argv);
    char *out = st == 0 && o.out ? pd_strdup(o.out) : NULL;
    store_git_out_free(&o);
    for (size_t n = out ? strlen(out) : 0; n && (out[n - 1] == '\n' || out[n - 1] == '\r'); n--)
        out[n - 1] = '\0';
    return out;
}

static bool exists(const char *dir, const char *name)
{
    char *p = pd_path_join(dir, name);
    struct stat st;
    bool r = lstat(p, &st) == 0;
    free(p);
    return r;
}

/* true when the marker's text names a process of this host that is gone. */
static bool marker_stale(const char *text, long *pid)
{
    char host[256] = "", mine[256] = "";
    if (sscanf(text, "%ld %255s", pid, host) != 2 || *pid <= 0)
        return false;
    gethostname(mine, sizeof mine - 1);
    return strcmp(host, mine) == 0 && kill((pid_t)*pid, 0) != 0 && errno == ESRCH;
}

/* Removes the *.lock files in dir (and below, with deep), naming each in said (relative to top). */
static void remove_locks(const char *top, const char *rel, bool deep, pd_buf *said, bool *index_lock)
{
    char *dir = *rel ? pd_path_join(top, rel) : pd_strdup(top);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *r = *rel ? pd_strf("%s/%s", rel, e->d_name) : pd_strdup(e->d_name);
        char *p = pd_path_join(top, r);
        struct stat st;
        size_t n = strlen(e->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && deep) {
            remove_locks(top, r, deep, said, index_lock);
        } else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && n > 5 && strcmp(e->d_name + n - 5, ".lock") == 0 &&
                   unlink(p) == 0) {
            pd_buf_printf(said, "%s%s", said->len ? ", " : "", r);
            *index_lock |= strcmp(r, "index.lock") == 0;
        }
        free(p);
        free(r);
    }
    if (d)
        closedir(d);
    free(dir);
}

/* A merge of the upstream died while it changed the library's files: the files it changes (those
 * that differ between HEAD and the upstream) are put back as HEAD has them, and those HEAD lacks
 * are removed; the next merge makes them again. Returns how many. */
static int undo_merge_files(pd_store *s, bool no_terminal)
{
    const char *diff[] = {"diff", "--name-status", "--no-renames", "--relative", "HEAD", "@{u}", "--", ".", NULL};
    char *lines = git_text(s, no_terminal, NULL, diff);
    pd_buf back = PD_BUF_INIT;
    int n = 0;
    for (char *l = lines, *next; l && *l; l = next) {
        next = l + strcspn(l, "\n");
        if (*next)
            *next++ = '\0';
        char *path = strchr(l, '\t');
        if (!path || strstr(path, "/../") || path[1] == '/' || strncmp(path + 1, "../", 3) == 0)
            continue;
        path++;
        if (l[0] == 'A') {   /* the upstream's new file: made again by the next merge */
            char *full = pd_path_join(s->dir, path);
            n += unlink(full) == 0;
            free(full);
        } else {
            pd_buf_printf(&back, "%s\n", path);
            n++;
        }
    }
    const char *restore[] = {"restore", "--source=HEAD", "--staged", "--worktree", "--pathspec-from-file=-", NULL};
    char *ok = back.len ? git_text(s, no_terminal, back.data, restore) : NULL;
    free(ok);
    pd_buf_free(&back);
    free(lines);
    return n;
}

char *store_sync_rescue(pd_store *s, bool no_terminal, pd_store_report *r)
{
    const char *where[] = {"rev-parse", "--absolute-git-dir", NULL};
    char *gitdir = git_text(s, no_terminal, NULL, where);
    if (!gitdir)
        return NULL;
    char *marker = pd_path_join(gitdir, MARKER);
    char *text = NULL;
    size_t len = 0;
    long pid = 0;
    pd_error ignored = {0};
    if (store_read_file(marker, &text, &len, &ignored) == 0 && !marker_stale(text, &pid)) {
        free(text);   /* another sync of this repository is running: it keeps its marker */
        free(marker);
        free(gitdir);
        return NULL;
    }
    if (text) {
        pd_buf said = PD_BUF_INIT;
        bool index_lock = false;
        remove_locks(gitdir, "", false, &said, &index_lock);
        remove_locks(gitdir, "refs", true, &said, &index_lock);
        const char *merge_abort[] = {"merge", "--abort", NULL}, *rebase_abort[] = {"rebase", "--abort", NULL};
        bool merging = exists(gitdir, "MERGE_HEAD"), rebasing = exists(gitdir, "rebase-merge") ||
                                                                exists(gitdir, "rebase-apply");
        char *aborted = merging ? git_text(s, no_terminal, NULL, merge_abort)
                                : rebasing ? git_text(s, no_terminal, NULL, rebase_abort) : NULL;
        char step[32] = "";
        sscanf(text, "%*d %*s %31s", step);
        int restored = index_lock && strcmp(step, "merge") == 0 && !merging && !rebasing ? undo_merge_files(s, no_terminal)
                                                                                      : 0;
        pd_buf done = PD_BUF_INIT;
        if (said.len)
            pd_buf_printf(&done, "; removed the lock files git left (%s)", said.data);
        if (aborted)
            pd_buf_printf(&done, "; aborted its %s", merging ? "merge" : "rebase");
        if (restored)
            pd_buf_printf(&done, "; put back %d library file%s its merge was changing", restored,
                          restored == 1 ? "" : "s");
        if (done.len)
            store_report_add(r, "a sync killed part-way (process %ld) was cleaned up%s", pid, done.data);
        pd_buf_free(&done);
        free(aborted);
        pd_buf_free(&said);
        free(text);
    }
    free(gitdir);
    if (store_sync_rescue_step(marker, NULL) != 0) {
        free(marker);
        marker = NULL;
    }
    return marker;
}

int store_sync_rescue_step(const char *marker, const char *step)
{
    if (!marker)
        return 0;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    char *me = pd_strf("%ld %s%s%s\n", (long)getpid(), host, step ? " " : "", step ? step : "");
    int rc = store_write_file(marker, me, strlen(me), 0644, STORE_NO_SYNC, NULL);
    free(me);
    return rc;
}

void store_sync_rescue_done(char *marker)
{
    if (marker)
        unlink(marker);
    free(marker);
}
