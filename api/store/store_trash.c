/* store_trash.c: changes that span several files made whole or absent: DIR/.trash/<entry>. */
/* A change of several files (create, delete, rename, a new partial) works in an entry of
 * DIR/.trash, on the library's file system so that rename(2) moves a whole folder atomically:
 * a new prompt is built there and renamed into place, a deleted one is renamed there and then
 * removed. Where a folder cannot move whole (a prompt whose folder holds other prompts), the
 * entry holds a journal saying what must hold afterwards; a change that fails, and one killed
 * (found by the next writer under the lock), is finished by it: the prompt is whole or gone,
 * and its leftovers are never adopted by the next prompt with that slug. DIR/.trash has its
 * own .gitignore ("*"): git never sees it, a delete is a deletion to `git status`. */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

static char *trash_dir(const pd_store *s)
{
    return pd_path_join(s->dir, ".trash");
}

char *store_trash_new(pd_store *s, const char *journal, pd_error *err)
{
    char *top = trash_dir(s);
    if (store_refuse_links(s, top, err) != 0) {
        free(top);
        return NULL;
    }
    if (mkdir(top, 0755) != 0 && errno != EEXIST) {
        pd_error_set(err, PD_ERR_IO, "cannot create directory %s: %s", top, strerror(errno));
        free(top);
        return NULL;
    }
    char *gi = pd_path_join(top, ".gitignore");
    struct stat st;
    int rc = 0;
    if (lstat(gi, &st) != 0) {   /* git is told to look away first */
        static const char ignore[] = "# written by promptdeck: changes in progress, never content\n*\n";
        rc = store_write_file(gi, ignore, sizeof ignore - 1, 0644, 0, err);
    }
    free(gi);
    if (rc != 0) {
        free(top);
        return NULL;
    }
    char *id = pd_new_id();
    char *entry = pd_strf("%s/%ld-%s", top, (long)getpid(), id);
    free(id);
    free(top);
    if (mkdir(entry, 0755) != 0) {
        pd_error_set(err, PD_ERR_IO, "cannot create directory %s: %s", entry, strerror(errno));
        free(entry);
        return NULL;
    }
    if (journal) {
        char *jp = pd_path_join(entry, "journal");
        rc = store_write_file(jp, journal, strlen(journal), 0644, 0, err);
        free(jp);
        if (rc != 0) {
            store_trash_remove(entry);
            return NULL;
        }
    }
    return entry;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void store_trash_remove(char *entry)
{
    if (!entry)
        return;
    nftw(entry, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(entry);
}

int store_trash_place(const char *staging, const char *dir, const char *top, int flags, pd_error *err)
{
    char *parent = pd_strdup(dir);
    *strrchr(parent, '/') = '\0';
    bool sync = !(flags & STORE_NO_SYNC);
    int rc = sync ? pd_fsync_dir(staging, err) : 0;
    if (rc == 0 && rename(staging, dir) != 0) {   /* its parents made only when missing */
        rc = errno == ENOENT ? pd_mkdirs(parent, 0755, err) : 0;
        if (rc == 0)
            rc = store_rename(staging, dir, err);
    }
    if (rc == 0 && sync && (rc = pd_fsync_dir(parent, err)) != 0)
        rename(dir, staging);
    if (rc != 0)
        pd_rmdir_empty_up(parent, top);
    free(parent);
    return rc;
}

void store_remove_leftovers(const char *dir, const store_dir_scan *scan)
{
    for (size_t i = 0; i < scan->n_files; i++) {
        char *leftover = store_version_path(dir, scan->files[i].number, scan->files[i].id);
        pd_unlink(leftover, NULL);
        free(leftover);
    }
    char *events = pd_path_join(dir, "events.jsonl");
    pd_unlink(events, NULL);
    free(events);
    for (size_t i = 0; i < scan->n_others; i++) {
        char *other = pd_path_join(dir, scan->others[i]);
        pd_unlink(other, NULL);
        free(other);
    }
}

/* The folder of a prompt or partial named in a journal line; NULL for a line that is not one
 * of ours (a planted journal names nothing outside the library). */
static char *journal_dir(pd_store *s, const char *kind, const char *name, const char **meta, const char **top)
{
    if (!pd_slug_valid(name, NULL))
        return NULL;
    if (strcmp(kind, "prompt") == 0) {
        *meta = "prompt.json";
        *top = s->prompts;
        return store_prompt_dir(s, name);
    }
    if (strcmp(kind, "partial") == 0) {
        *meta = "partial.json";
        *top = s->partials;
        return pd_path_join(s->partials, name);
    }
    return NULL;
}

/* Whether dir holds its meta file (prompt.json, partial.json). */
static bool has_meta(pd_store *s, const char *dir, const char *meta)
{
    if (store_refuse_links(s, dir, NULL) != 0)
        return false;
    char *path = pd_path_join(dir, meta);
    struct stat st;
    bool r = lstat(path, &st) == 0;
    free(path);
    return r;
}

/* Removes the files of the prompt or partial in dir (its meta file first: when that cannot go,
 * nothing does), not its children. */
static int drop_dir(pd_store *s, const char *dir, const char *meta, const char *top)
{
    struct stat st;
    if (lstat(dir, &st) != 0 && errno == ENOENT)
        return 0;   /* gone already */
    if (store_refuse_links(s, dir, NULL) != 0)
        return -1;
    char *path = pd_path_join(dir, meta);
    int rc = pd_unlink(path, NULL);
    free(path);
    if (rc == 0)
        rc = pd_fsync_dir(dir, NULL);
    if (rc != 0)
        return -1;
    store_dir_scan scan;
    if (store_scan_dir(dir, meta, &scan, NULL) == 0) {
        store_remove_leftovers(dir, &scan);
        store_dir_scan_free(&scan);
    }
    pd_rmdir_empty_up(dir, top);
    return 0;
}

/* "unwrite KIND NAME NUMBER ID SIZE": the version goes unless events.jsonl grew past SIZE
 * (the rest of its update was written). */
static int unwrite(pd_store *s, char **w, const char *dir)
{
    struct stat st;
    char *events = pd_path_join(dir, "events.jsonl");
    bool grew = stat(events, &st) == 0 && (long long)st.st_size > atoll(w[5]);
    free(events);
    if (grew || !pd_id_valid(w[4]) || store_refuse_links(s, dir, NULL) != 0)
        return 0;
    char *path = store_version_path(dir, atoi(w[3]), w[4]);
    struct stat vst;
    bool there = lstat(path, &vst) == 0;
    int rc = there ? pd_unlink(path, NULL) : 0;
    free(path);
    return rc == 0 && there ? pd_fsync_dir(dir, NULL) : rc;
}

/* One journal line: "clear KIND NAME" (without its meta file the folder keeps none of its own
 * files), "drop-if KIND NEW OLD" (once NEW is whole, OLD goes: a rename past its commit) or
 * "unwrite ...". -1 when it could not be done (the entry stays for the next writer). */
static int journal_line(pd_store *s, char *line)
{
    char *w[6] = {0};
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " ", &save); t && n < 6; t = strtok_r(NULL, " ", &save))
        w[n++] = t;
    const char *meta, *top;
    char *dir = n >= 3 ? journal_dir(s, w[1], w[2], &meta, &top) : NULL;
    int rc = 0;
    if (dir && n == 3 && strcmp(w[0], "clear") == 0) {
        if (!has_meta(s, dir, meta))
            rc = drop_dir(s, dir, meta, top);
    } else if (dir && n == 4 && strcmp(w[0], "drop-if") == 0) {
        char *from = journal_dir(s, w[1], w[3], &meta, &top);
        if (from && has_meta(s, dir, meta) && has_meta(s, from, meta))
            rc = drop_dir(s, from, meta, top);
        free(from);
    } else if (dir && n == 6 && strcmp(w[0], "unwrite") == 0) {
        rc = unwrite(s, w, dir);
    }
    free(dir);
    return rc;
}

void store_trash_undo(pd_store *s, char *entry)
{
    if (!entry)
        return;
    char *jp = pd_path_join(entry, "journal");
    char *text;
    int rc = 0;
    if (store_read_file(jp, &text, NULL, NULL) == 0) {
        for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (journal_line(s, line) != 0)
                rc = -1;
        free(text);
    }
    free(jp);
    if (rc == 0)
        store_trash_remove(entry);
    else
        free(entry);   /* kept: the next writer tries again */
}

void store_trash_sweep(pd_store *s)
{
    char *top = trash_dir(s);
    DIR *d = store_refuse_links(s, top, NULL) == 0 ? opendir(top) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')   /* ., .., .gitignore */
            continue;
        store_trash_undo(s, pd_path_join(top, de->d_name));
    }
    if (d)
        closedir(d);
    free(top);
}
