/* store_watch.c: what views that follow the library ask: a cheap signature of its state on disk
 * (a version saved from the command line, a label moved, a git pull: inotify's word, or stats
 * only, no reads), and which versions the git upstream does not have yet. */
#include "store_priv.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- polling: every folder's stats, its entries read again only when it changed ---- */

/* A folder as the last walk saw it: its stats when its entries were read, and its
 * sub-folders (by name, sorted). */
typedef struct seen_dir {
    char *name;
    int64_t key[5];   /* ino, mtime, ctime (s, ns): what changes when an entry comes or goes */
    bool listed;      /* kids hold its entries as of key */
    bool taken;       /* moved into a new list of its parent's kids (list_kids) */
    struct seen_dir *kids;
    size_t n_kids;
} seen_dir;

struct store_watch {
    store_inotify *in;   /* NULL: not started, or polling */
    bool polling;        /* inotify cannot follow this library: walk it */
    uint64_t changes;    /* with inotify: how many times it told of changes (and restarts) */
    seen_dir root;       /* polling: the folders as last seen */
};

static void seen_dir_clear(seen_dir *d)
{
    for (size_t i = 0; i < d->n_kids; i++) {
        seen_dir_clear(&d->kids[i]);
        free(d->kids[i].name);
    }
    free(d->kids);
    d->kids = NULL;
    d->n_kids = 0;
    d->listed = false;
}

static void stat_key(const struct stat *st, int64_t k[5])
{
    k[0] = (int64_t)st->st_ino;
    k[1] = (int64_t)st->st_mtim.tv_sec;
    k[2] = (int64_t)st->st_mtim.tv_nsec;
    k[3] = (int64_t)st->st_ctim.tv_sec;
    k[4] = (int64_t)st->st_ctim.tv_nsec;
}

/* Mixes in what identifies the state of at/rel (or of its absence) under the name name; st is
 * filled (mode 0 when absent). */
static uint64_t mix_stat(uint64_t h, int at, const char *rel, const char *name, struct stat *st)
{
    int64_t k[6] = {0};
    if (fstatat(at, rel, st, 0) == 0) {
        stat_key(st, k);
        k[5] = (int64_t)st->st_size;
    } else {
        st->st_mode = 0;
    }
    h = pd_hash(h, name, strlen(name) + 1);
    return pd_hash(h, k, sizeof k);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const seen_dir *)a)->name, ((const seen_dir *)b)->name);
}

/* Reads the sub-folders of the folder open as fd (closed here) into d, keeping what is known of
 * those that were there before. */
static void list_kids(seen_dir *d, int fd)
{
    seen_dir *kids = NULL;
    size_t n = 0, cap = 0;
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir && fd >= 0)
        close(fd);
    struct dirent *de;
    while (dir && (de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (de->d_type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
                continue;
        } else if (de->d_type != DT_DIR) {
            continue;   /* a file, or a link (not followed) */
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            kids = pd_xrealloc(kids, cap * sizeof *kids);
        }
        seen_dir key = {.name = de->d_name};
        seen_dir *old = d->n_kids ? bsearch(&key, d->kids, d->n_kids, sizeof *d->kids, by_name) : NULL;
        if (old) {
            old->taken = true;   /* moved over, with what is known under it */
            kids[n] = *old;
            kids[n++].taken = false;
        } else {
            kids[n++] = (seen_dir){.name = pd_strdup(de->d_name)};
        }
    }
    if (dir)
        closedir(dir);
    for (size_t i = 0; i < d->n_kids; i++) {
        if (!d->kids[i].taken) {   /* gone */
            seen_dir_clear(&d->kids[i]);
            free(d->kids[i].name);
        }
    }
    free(d->kids);
    if (n)
        qsort(kids, n, sizeof *kids, by_name);
    d->kids = kids;
    d->n_kids = n;
}

/* The folder at/rel and every folder under it, as seen now. A folder's entries are read again
 * only when its stats changed since they were, or changed so recently (settled: seconds) that
 * an entry added in the same tick of the file clock would not show. Stats are taken relative
 * to the parent folder, open: short paths to look up. */
static uint64_t walk(seen_dir *d, int at, const char *rel, int depth, int64_t settled, uint64_t h)
{
    struct stat st;
    h = mix_stat(h, at, rel, ".", &st);   /* a version file added, renamed or removed */
    if (!S_ISDIR(st.st_mode)) {
        seen_dir_clear(d);
        return h;
    }
    static const char *const files[] = {"prompt.json", "events.jsonl"};
    char file[NAME_MAX + 16];
    for (size_t i = 0; i < 2 && strlen(rel) <= NAME_MAX; i++) {
        struct stat fst;
        snprintf(file, sizeof file, "%s/%s", rel, files[i]);
        h = mix_stat(h, at, file, files[i], &fst);
    }
    int64_t key[5];
    stat_key(&st, key);
    bool relist = !d->listed || memcmp(key, d->key, sizeof key) != 0;
    if (!relist && (!d->n_kids || depth >= STORE_WATCH_DEPTH_MAX))
        return h;   /* a prompt's folder as it was: nothing to open */
    int fd = openat(at, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        seen_dir_clear(d);
        return h;
    }
    if (relist) {
        list_kids(d, dup(fd));
        memcpy(d->key, key, sizeof key);
        d->listed = key[1] < settled && key[3] < settled;
    }
    for (size_t i = 0; i < d->n_kids && depth < STORE_WATCH_DEPTH_MAX; i++) {
        seen_dir *k = &d->kids[i];
        h = pd_hash(h, k->name, strlen(k->name) + 1);
        h = walk(k, fd, k->name, depth + 1, settled, h);
    }
    close(fd);
    return h;
}

static uint64_t poll_signature(pd_store *s, store_watch *w)
{
    struct stat st;
    if (stat(s->prompts, &st) != 0 || !S_ISDIR(st.st_mode)) {
        seen_dir_clear(&w->root);
        return 0;
    }
    uint64_t h = walk(&w->root, AT_FDCWD, s->prompts, 0, (int64_t)time(NULL) - 1, PD_HASH_SEED);
    return h ? h : 1;
}

void store_watch_free(store_watch *w)
{
    if (!w)
        return;
    store_inotify_free(w->in);
    seen_dir_clear(&w->root);
    free(w);
}

/* With inotify the signature is the count of the times it told of changes: the same until a
 * change (a read of pending events, no system call more); without it, the walk's. */
uint64_t pd_store_signature(pd_store *s)
{
    store_watch *w = s->watch;
    if (!w) {
        w = s->watch = pd_xcalloc(1, sizeof *w);
        const char *how = getenv("PROMPTDECK_WATCH");
        w->polling = s->watch_polls || (how && !strcmp(how, "poll"));
    }
    if (w->in) {
        int rc = store_inotify_changes(w->in);
        if (rc > 0)
            w->changes++;
        if (rc < 0) {   /* read it all again: the events lost, or out of watches */
            store_inotify_free(w->in);
            w->in = NULL;
            w->changes++;
            w->polling = rc == -2;
        }
    }
    if (!w->in && !w->polling) {
        int rc = store_inotify_start(s->prompts, &w->in);
        if (rc == -1)
            return 0;
        w->polling = rc == -2;
    }
    if (w->polling)
        return poll_signature(s, w);
    uint64_t h = pd_hash(PD_HASH_SEED, &w->changes, sizeof w->changes);
    return h ? h : 1;
}

static bool has_id(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

int pd_store_unpushed(pd_store *s, const char *slug, char ***ids, size_t *n, pd_error *err)
{
    *ids = NULL;
    *n = 0;
    if (!pd_slug_valid(slug, err))
        return -1;
    char *pdir = store_prompt_dir(s, slug);
    store_git_out o;
    const char *argv[] = {"ls-tree", "--name-only", "@{u}", "--", ".", NULL};
    int rc = store_git(pdir, NULL, &o, argv);
    if (rc != 0) {
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "%s: not in git, or no upstream branch", slug);
    } else {
        char **pushed = NULL;   /* the ids of the version files the upstream has here */
        size_t n_pushed = 0, cap = 0;
        for (char *line = o.out; line && *line;) {
            char *end = strchr(line, '\n');
            if (end)
                *end = '\0';
            int number;
            char *id;
            if (store_vfile_name(line, &number, &id) && id) {
                if (n_pushed == cap) {
                    cap = cap ? cap * 2 : 16;
                    pushed = pd_xrealloc(pushed, cap * sizeof *pushed);
                }
                pushed[n_pushed++] = id;
            }
            line = end ? end + 1 : NULL;
        }
        store_dir_scan scan;
        if (store_scan_dir(pdir, "prompt.json", &scan, err) != 0) {
            rc = -1;
        } else {
            for (size_t i = 0; i < scan.n_files; i++) {
                const char *id = scan.files[i].id;
                if (id && !has_id(pushed, n_pushed, id)) {
                    *ids = pd_xrealloc(*ids, (*n + 1) * sizeof **ids);
                    (*ids)[(*n)++] = pd_strdup(id);
                }
            }
            store_dir_scan_free(&scan);
        }
        for (size_t i = 0; i < n_pushed; i++)
            free(pushed[i]);
        free(pushed);
    }
    store_git_out_free(&o);
    free(pdir);
    return rc;
}
