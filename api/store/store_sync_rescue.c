/* store_sync_rescue.c: a sync killed part-way (kill -9, a closed terminal, a crash) is cleaned
 * up as the library is next opened, or by the next sync. While a sync runs git it keeps
 * GITDIR/promptdeck-sync holding "PID HOST" (and "merge" while git merges the upstream into the
 * library's files); whoever finds one naming a process gone from this host knows the git it ran
 * died with it: under the library lock it removes the lock files git left (index.lock,
 * ORIG_HEAD.lock, refs/...lock), aborts the merge or rebase left in progress and, where a merge
 * died while it held the index (part-way through the files: some half-written, some new ones
 * empty), puts the files it was changing back as the last commit has them. The next sync merges
 * again. */
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
static void remove_locks(const char *top, const char *rel, bool deep, pd_buf *said)
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
            remove_locks(top, r, deep, said);
        } else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && n > 5 && strcmp(e->d_name + n - 5, ".lock") == 0 &&
                   unlink(p) == 0) {
            pd_buf_printf(said, "%s%s", said->len ? ", " : "", r);
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
            pd_error ignored = {0};
            char *slash = strrchr(full, '/');
            *slash = '\0';   /* its folder: no link followed out of the library */
            bool inside = store_refuse_links(s, full, &ignored) == 0;
            *slash = '/';
            if (inside && unlink(full) == 0) {
                n++;
                *slash = '\0';
                pd_rmdir_empty_up(full, s->prompts);   /* a new prompt's folder goes with its files */
                pd_rmdir_empty_up(full, s->partials);
            }
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

/* Writes "PID HOST[ STEP]" to the marker (atomically: a reader sees the old text or the new). */
static int write_marker(const char *marker, long pid, const char *step)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    char *text = pd_strf("%ld %s%s%s\n", pid, host, step ? " " : "", step ? step : "");
    int rc = store_write_file(marker, text, strlen(text), 0644, STORE_NO_SYNC, NULL);
    free(text);
    return rc;
}

/* The marker's text when it names a dead process of this host (*pid), else NULL; *there tells
 * whether there is a marker at all. Caller frees. */
static char *stale_marker(const char *marker, long *pid, bool *there)
{
    char *text = NULL;
    size_t len = 0;
    pd_error ignored = {0};
    *there = store_read_file(marker, &text, &len, &ignored) == 0;
    if (*there && !marker_stale(text, pid)) {
        free(text);
        text = NULL;
    }
    return text;
}

/* Cleans up after the dead sync whose marker (at MARKER in GITDIR) holds TEXT; the marker is
 * left for the caller. Returns what was done ("; removed the lock files git left (...)...", or
 * ""). Caller frees. */
static char *clean_up(pd_store *s, const char *gitdir, const char *marker, const char *text, long pid,
                      bool no_terminal)
{
    char step[32] = "";
    sscanf(text, "%*d %*s %31s", step);
    /* a merge that died holding the index was part-way through the files: noted in the marker
     * first, so that if this clean-up is killed too, the next one still puts them back */
    bool merged = strcmp(step, "merge") == 0 || strcmp(step, "undo") == 0;
    bool undo = strcmp(step, "undo") == 0 || (merged && exists(gitdir, "index.lock"));
    if (undo && strcmp(step, "undo") != 0 && write_marker(marker, pid, "undo") != 0)
        undo = false;   /* the marker cannot be written: neither can git's files be */
    pd_buf said = PD_BUF_INIT;
    remove_locks(gitdir, "", false, &said);
    remove_locks(gitdir, "refs", true, &said);
    const char *merge_abort[] = {"merge", "--abort", NULL}, *rebase_abort[] = {"rebase", "--abort", NULL};
    /* only a merge or rebase the sync started is its to abort (not one begun by hand since) */
    bool merging = merged && exists(gitdir, "MERGE_HEAD"),
         rebasing = merged && (exists(gitdir, "rebase-merge") || exists(gitdir, "rebase-apply"));
    char *aborted = merging ? git_text(s, no_terminal, NULL, merge_abort)
                            : rebasing ? git_text(s, no_terminal, NULL, rebase_abort) : NULL;
    int restored = undo && !merging && !rebasing ? undo_merge_files(s, no_terminal) : 0;
    pd_buf done = PD_BUF_INIT;
    if (said.len)
        pd_buf_printf(&done, "; removed the lock files git left (%s)", said.data);
    if (aborted)
        pd_buf_printf(&done, "; aborted its %s", merging ? "merge" : "rebase");
    if (restored)
        pd_buf_printf(&done, "; put back %d library file%s its merge was changing", restored, restored == 1 ? "" : "s");
    free(aborted);
    pd_buf_free(&said);
    return pd_buf_take(&done);
}

char *store_sync_rescue(pd_store *s, bool no_terminal, pd_store_report *r)
{
    const char *where[] = {"rev-parse", "--absolute-git-dir", NULL};
    char *gitdir = git_text(s, no_terminal, NULL, where);
    if (!gitdir)
        return NULL;
    char *marker = pd_path_join(gitdir, MARKER);
    long pid = 0;
    bool there;
    char *text = stale_marker(marker, &pid, &there);
    if (there && !text) {   /* another sync of this repository is running: it keeps its marker */
        free(marker);
        free(gitdir);
        return NULL;
    }
    if (text) {
        char *done = clean_up(s, gitdir, marker, text, pid, no_terminal);
        if (*done)
            store_report_add(r, "a sync killed part-way (process %ld) was cleaned up%s", pid, done);
        free(done);
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
    return marker ? write_marker(marker, (long)getpid(), step) : 0;
}

void store_sync_rescue_done(char *marker)
{
    if (marker)
        unlink(marker);
    free(marker);
}

/* The folder a "gitdir: PATH" file (a linked worktree's or a submodule's .git, in DIR) names,
 * or NULL. Caller frees. */
static char *gitdir_of_file(const char *dir, const char *dotgit)
{
    char *text = NULL, *found = NULL;
    size_t len = 0;
    pd_error ignored = {0};
    if (store_read_file(dotgit, &text, &len, &ignored) == 0 && strlen(text) == len && strncmp(text, "gitdir: ", 8) == 0) {
        char *path = text + 8;
        path[strcspn(path, "\r\n")] = '\0';
        found = *path == '/' ? pd_strdup(path) : *path ? pd_path_join(dir, path) : NULL;
    }
    free(text);
    return found;
}

/* The git directory of the repository dir is in, found as git finds it (DIR/.git, else its
 * parent's, and so on up: a directory, or a file "gitdir: PATH" as a linked worktree or a
 * submodule has), without running git: a few stats. NULL outside a repository. Caller frees. */
static char *find_gitdir(const char *dir)
{
    char *d = realpath(dir, NULL), *found = NULL;
    for (bool top = !d; !top;) {
        char *dotgit = pd_strf("%s%s.git", d, strcmp(d, "/") ? "/" : "");
        struct stat st;
        if (stat(dotgit, &st) == 0) {   /* a .git that is neither is no repository to git either */
            top = true;
            found = S_ISDIR(st.st_mode) ? pd_strdup(dotgit) : S_ISREG(st.st_mode) ? gitdir_of_file(d, dotgit) : NULL;
        }
        free(dotgit);
        char *slash = strrchr(d, '/');
        top |= !slash || strcmp(d, "/") == 0;
        if (!top)
            slash[slash == d] = '\0';   /* the parent ("/" kept for the root) */
    }
    free(d);
    return found;
}

int pd_store_recover(pd_store *s)
{
    char *gitdir = find_gitdir(s->dir);
    char *marker = gitdir ? pd_path_join(gitdir, MARKER) : NULL;
    struct stat st;
    int rc = 0;
    long pid = 0;
    bool there = false;
    char *text = NULL;
    /* what cannot be written (another user's checkout) is read as it is */
    if (marker && lstat(marker, &st) == 0 && access(gitdir, W_OK) == 0)
        text = stale_marker(marker, &pid, &there);
    int fd;
    pd_error ignored = {0};
    if (text && store_lock(s, &fd, &ignored) == 0) {
        free(text);   /* read again under the lock: a sync starting may have cleaned up already */
        text = stale_marker(marker, &pid, &there);
        char *done = text ? clean_up(s, gitdir, marker, text, pid, true) : NULL;
        if (done && unlink(marker) == 0 && *done) {
            store_notice(s, "a sync killed part-way (process %ld) was cleaned up%s; the next sync merges the upstream "
                            "again", pid, done);
            rc = 1;
        }
        free(done);
        store_unlock(fd);
    }
    free(text);
    free(marker);
    free(gitdir);
    return rc;
}
