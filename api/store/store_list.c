/* store_list.c: listing the library's prompts. A walk of prompts/ reads directory names, and
 * for each prompt its prompt.json, events.jsonl and current version (the others are not read:
 * their numbers are in their names). The listing cache remembers the last walk; it is never
 * trusted blindly: before a remembered prompt is used, its directory's, prompt.json's and
 * events.jsonl's inode, size and times are compared with the files (a version added or
 * renumbered changes the directory; anything different, or changed in the last seconds, is read
 * again). Measured by tests/bench/bench_list.sh. */
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

#define PD_SLUG_DEPTH_MAX 64

void store_list_rec_clear(store_list_rec *r)
{
    free(r->rel);
    pd_prompt_free(r->prompt);
    *r = (store_list_rec){0};
}

static void key_from_stat(store_stat_key *k, const struct stat *st)
{
    k->ino = (uint64_t)st->st_ino;
    k->size = (int64_t)st->st_size;
    k->mtime_s = (int64_t)st->st_mtim.tv_sec;
    k->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    k->ctime_s = (int64_t)st->st_ctim.tv_sec;
    k->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

static bool key_eq(const store_stat_key *a, const store_stat_key *b)
{
    return a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
           a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

static bool key_recent(const store_stat_key *k, int64_t settle)
{
    return k->mtime_s >= settle || k->ctime_s >= settle;
}

/* Stats rel (or rel/name) under the prompts directory fd. */
static int stat_at(int fd, const char *rel, const char *name, store_stat_key *k)
{
    char path[512];   /* rel/name, built by hand: a warm listing builds 30,000 of them */
    if (!*rel && !name)
        rel = ".";   /* prompts/ itself */
    size_t r = strlen(rel), n = name ? strlen(name) : 0;
    if (r + n + 2 > sizeof path)
        return -1;
    memcpy(path, rel, r);
    if (name) {
        if (r)
            path[r++] = '/';
        memcpy(path + r, name, n);
        r += n;
    }
    path[r] = '\0';
    struct stat st;
    if (fstatat(fd, path, &st, 0) != 0)
        return -1;
    key_from_stat(k, &st);
    return 0;
}

/* A prompt found by the walk whose files are still to be read: its record (an index: the
 * records grow while walking) and its directory's scan. */
typedef struct pending_load {
    size_t at;
    store_dir_scan scan;
} pending_load;

typedef struct rec_acc {
    store_list_rec *v;
    size_t n, cap;
    pending_load *pending;
    size_t n_pending, cap_pending;
} rec_acc;

static store_list_rec *push(rec_acc *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = pd_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    store_list_rec *r = &a->v[a->n++];
    *r = (store_list_rec){0};
    return r;
}

/* Adds r to the records; a prompt to read later takes the scan over (*scan is emptied). */
static void keep(rec_acc *a, const store_list_rec *r, bool load, store_dir_scan *scan)
{
    *push(a) = *r;
    if (!load)
        return;
    if (a->n_pending == a->cap_pending) {
        a->cap_pending = a->cap_pending ? a->cap_pending * 2 : 256;
        a->pending = pd_xrealloc(a->pending, a->cap_pending * sizeof *a->pending);
    }
    a->pending[a->n_pending++] = (pending_load){a->n - 1, *scan};
    *scan = (store_dir_scan){0};
}

/* Runs fn over [0, n): in two threads, each half, when n is at least min (the stats and reads
 * of a large library take a core each; a thread costs more than a few hundred of them). */
typedef void (*range_fn)(void *ctx, size_t from, size_t to);
typedef struct range_job {
    range_fn fn;
    void *ctx;
    size_t from, to;
} range_job;

static void *run_range(void *arg)
{
    const range_job *j = arg;
    j->fn(j->ctx, j->from, j->to);
    return NULL;
}

static void in_two_threads(size_t n, size_t min, range_fn fn, void *ctx)
{
    range_job first = {fn, ctx, 0, n / 2};
    pthread_t t;
    if (n >= min && pthread_create(&t, NULL, run_range, &first) == 0) {
        fn(ctx, n / 2, n);
        pthread_join(t, NULL);
    } else {
        fn(ctx, 0, n);
    }
}

/* Looks at one directory: its state (taken before reading, so a change while reading shows next
 * time) and its subdirectories (scan; caller frees). *load: it holds a prompt, to be read by
 * read_pending (its files' state is taken there, before reading them). parent_checked: rel's
 * parent was just found to be a real directory, so only rel itself can be a planted link.
 * -1 when it is gone. */
static int look(pd_store *s, int fd, const char *rel, int64_t settle, bool parent_checked, store_list_rec *r,
                store_dir_scan *scan, bool *load)
{
    *load = false;
    r->rel = pd_strdup(rel);
    struct stat st;   /* rel itself, a link not followed: a directory's state, one stat */
    bool plain_dir = fstatat(fd, *rel ? rel : ".", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    if (plain_dir)
        key_from_stat(&r->dir, &st);
    else if (stat_at(fd, rel, NULL, &r->dir) != 0)
        return -1;
    char *dir = *rel ? pd_path_join(s->prompts, rel) : pd_strdup(s->prompts);
    pd_error e = {0};
    int rc = 0;
    /* a planted link: listed as damaged, not followed */
    if (!parent_checked || !plain_dir)
        rc = store_refuse_links(s, dir, &e);
    if (rc == 0)
        rc = store_scan_dir(dir, "prompt.json", scan, &e);
    if (rc != 0 && *rel && e.code != PD_ERR_NOT_FOUND) {   /* there, but not readable: listed as damaged */
        r->prompt = store_unreadable_prompt(rel, e.msg);
        r->has_prompt = true;
        r->unsettled = true;   /* looked at again every time */
        rc = 0;
    } else if (rc == 0 && scan->has_meta && *rel) {
        *load = true;
    }
    r->unsettled = r->unsettled || key_recent(&r->dir, settle);
    free(dir);
    return rc;
}

/* One directory looked at (look's results), before it is kept. */
typedef struct looked {
    char *rel;
    int rc;
    store_list_rec r;
    store_dir_scan scan;
    bool load;
} looked;

/* What the threads of a walk share: each writes only its own records (read_range: the
 * pending prompts' records in acc; look_range: its entries of subs). */
typedef struct walk_ctx {
    pd_store *s;
    int fd;
    int64_t settle;
    rec_acc *acc;
    looked *subs;
} walk_ctx;

static void read_range(void *arg, size_t from, size_t to)
{
    const walk_ctx *c = arg;
    for (size_t i = from; i < to; i++) {
        pending_load *pl = &c->acc->pending[i];
        store_list_rec *r = &c->acc->v[pl->at];
        if (stat_at(c->fd, r->rel, "prompt.json", &r->meta) != 0)
            r->unsettled = true;
        if (stat_at(c->fd, r->rel, "events.jsonl", &r->events) != 0)
            r->events = (store_stat_key){0};
        char *dir = pd_path_join(c->s->prompts, r->rel);
        r->prompt = store_load_prompt(dir, r->rel, &pl->scan);
        free(dir);
        r->has_prompt = r->prompt != NULL;
        r->unsettled = r->unsettled ||
                       (r->has_prompt && (key_recent(&r->meta, c->settle) || key_recent(&r->events, c->settle)));
        store_dir_scan_free(&pl->scan);
    }
}

#define READ_THREAD_MIN 200

static void read_pending(pd_store *s, int fd, int64_t settle, rec_acc *acc)
{
    walk_ctx c = {s, fd, settle, acc, NULL};
    in_two_threads(acc->n_pending, READ_THREAD_MIN, read_range, &c);
    s->list_loaded += acc->n_pending;
    free(acc->pending);
    acc->pending = NULL;
    acc->n_pending = acc->cap_pending = 0;
}

/* The names of scan's subdirectories and links, taken out of it (the rest of a prompt's scan
 * goes to the reader). */
static store_dir_scan take_subdirs(store_dir_scan *scan)
{
    store_dir_scan subs = {0};
    subs.subdirs = scan->subdirs;
    subs.n_subdirs = scan->n_subdirs;
    subs.links = scan->links;
    subs.n_links = scan->n_links;
    scan->subdirs = scan->links = NULL;
    scan->n_subdirs = scan->n_links = 0;
    return subs;
}

static void walk_looked(pd_store *s, int fd, looked *l, int depth, int64_t settle, rec_acc *acc);

/* Walks rel and everything under it, adding a record per directory. */
static void walk(pd_store *s, int fd, const char *rel, int depth, int64_t settle, bool parent_checked, rec_acc *acc)
{
    if (depth > PD_SLUG_DEPTH_MAX || strlen(rel) > 128)
        return;
    looked l = {(char *)rel, 0, {0}, {0}, false};
    l.rc = look(s, fd, rel, settle, parent_checked, &l.r, &l.scan, &l.load);
    walk_looked(s, fd, &l, depth, settle, acc);
}

/* Looks at a folder's subdirectories (their stats, link checks and scans: a cold listing's other
 * cost beside the reads) in two threads when there are many. */
static void look_range(void *arg, size_t from, size_t to)
{
    const walk_ctx *c = arg;
    for (size_t i = from; i < to; i++) {
        looked *l = &c->subs[i];
        l->rc = look(c->s, c->fd, l->rel, c->settle, true, &l->r, &l->scan, &l->load);
    }
}

#define LOOK_THREAD_MIN 200

/* Keeps what look found at l->rel and walks on below it. */
static void walk_looked(pd_store *s, int fd, looked *l, int depth, int64_t settle, rec_acc *acc)
{
    if (l->rc != 0) {
        store_list_rec_clear(&l->r);
        store_dir_scan_free(&l->scan);
        return;
    }
    const char *rel = l->rel;
    store_dir_scan subs = take_subdirs(&l->scan);
    keep(acc, &l->r, l->load, &l->scan);
    store_dir_scan_free(&l->scan);
    if (subs.n_subdirs >= LOOK_THREAD_MIN && depth + 1 <= PD_SLUG_DEPTH_MAX) {
        looked *ls = pd_xcalloc(subs.n_subdirs, sizeof *ls);
        size_t n = 0;
        for (size_t i = 0; i < subs.n_subdirs; i++) {
            char *sub = *rel ? pd_path_join(rel, subs.subdirs[i]) : pd_strdup(subs.subdirs[i]);
            if (strlen(sub) > 128)
                free(sub);
            else
                ls[n++].rel = sub;
        }
        walk_ctx c = {s, fd, settle, acc, ls};
        in_two_threads(n, LOOK_THREAD_MIN, look_range, &c);
        for (size_t i = 0; i < n; i++) {
            walk_looked(s, fd, &ls[i], depth + 1, settle, acc);
            free(ls[i].rel);
        }
        free(ls);
    } else {
        for (size_t i = 0; i < subs.n_subdirs; i++) {
            char *sub = *rel ? pd_path_join(rel, subs.subdirs[i]) : pd_strdup(subs.subdirs[i]);
            walk(s, fd, sub, depth + 1, settle, true, acc);
            free(sub);
        }
    }
    for (size_t i = 0; i < subs.n_links; i++) {   /* looked at alone: it is refused there */
        char *sub = *rel ? pd_path_join(rel, subs.links[i]) : pd_strdup(subs.links[i]);
        walk(s, fd, sub, PD_SLUG_DEPTH_MAX, settle, true, acc);
        free(sub);
    }
    store_dir_scan_free(&subs);
}

static int cmp_rec(const void *a, const void *b)
{
    return strcmp(((const store_list_rec *)a)->rel, ((const store_list_rec *)b)->rel);
}

static const store_list_rec *find_rec(const store_list_rec *old, size_t n, const char *rel)
{
    store_list_rec key = {.rel = (char *)rel};
    return bsearch(&key, old, n, sizeof *old, cmp_rec);
}

static bool known(const store_list_rec *old, size_t n, const char *rel)
{
    return find_rec(old, n, rel) != NULL;
}

static bool still_valid(int fd, const store_list_rec *r)
{
    store_stat_key k;
    if (r->unsettled || stat_at(fd, r->rel, NULL, &k) != 0 || !key_eq(&k, &r->dir))
        return false;
    if (!r->has_prompt)
        return true;
    if (stat_at(fd, r->rel, "prompt.json", &k) != 0 || !key_eq(&k, &r->meta))
        return false;
    if (stat_at(fd, r->rel, "events.jsonl", &k) != 0)
        k = (store_stat_key){0};
    return key_eq(&k, &r->events);
}

/* Which remembered records still hold: valid[i] for recs[from..to). Only stats: safe to run
 * in a second thread beside the first. */
typedef struct check_ctx {
    int fd;
    const store_list_rec *recs;
    bool *valid;
} check_ctx;

static void check_range(void *arg, size_t from, size_t to)
{
    const check_ctx *c = arg;
    for (size_t i = from; i < to; i++)
        c->valid[i] = still_valid(c->fd, &c->recs[i]);
}

/* The stats are the warm listing's cost (three a prompt, a microsecond or more each). */
#define CHECK_THREAD_MIN 2000

/* What decides the listing's order, and its first n_first prompts: every folder and every
 * record with others below it are checked (an entry added, removed or renamed changes its
 * folder). true when they all hold: then valid[] says which of the first prompts hold (the
 * others are read again) and takes the rest as remembered; false: everything is to be checked. */
static bool first_hold(int fd, const store_list_rec *old, size_t n_old, size_t n_first, bool *valid)
{
    bool *parent = pd_xcalloc(n_old ? n_old : 1, sizeof *parent);   /* has records below it */
    const char *last = NULL;
    size_t last_len = 0;
    for (size_t i = 0; i < n_old; i++) {   /* siblings are neighbours: one search a folder */
        const char *slash = strrchr(old[i].rel, '/');
        size_t len = slash ? (size_t)(slash - old[i].rel) : 0;
        if (!slash || (last && len == last_len && strncmp(old[i].rel, last, len) == 0))
            continue;
        last = old[i].rel;
        last_len = len;
        char *up = pd_strndup(old[i].rel, len);
        const store_list_rec *p = find_rec(old, n_old, up);
        if (p)
            parent[p - old] = true;
        free(up);
    }
    bool hold = true;
    size_t prompts = 0;
    for (size_t i = 0; i < n_old && hold; i++) {
        const store_list_rec *r = &old[i];
        if (!r->has_prompt || parent[i])
            hold = valid[i] = still_valid(fd, r);
        else if (prompts++ < n_first)
            valid[i] = still_valid(fd, r);   /* read again when not */
        else
            valid[i] = true;   /* as remembered */
    }
    free(parent);
    return hold;
}

/* Brings the remembered records up to date; returns true when anything changed. With
 * n_first (not SIZE_MAX) and first_hold: only those checked, *unchecked set, nothing changed. */
static bool refresh(pd_store *s, int fd, store_list_rec *old, size_t n_old, int64_t settle, size_t n_first,
                    bool *unchecked, rec_acc *acc)
{
    bool changed = false;
    check_ctx c = {fd, old, pd_xcalloc(n_old ? n_old : 1, sizeof *c.valid)};
    *unchecked = n_first != SIZE_MAX && first_hold(fd, old, n_old, n_first, c.valid);
    if (!*unchecked)
        in_two_threads(n_old, CHECK_THREAD_MIN, check_range, &c);
    bool all_valid = true;
    for (size_t i = 0; i < n_old && all_valid; i++)
        all_valid = c.valid[i];
    for (size_t i = 0; i < n_old; i++) {
        if (c.valid[i]) {   /* taken over; old keeps its rel for known() unless all hold */
            store_list_rec *r = push(acc);
            *r = old[i];
            r->rel = all_valid ? old[i].rel : pd_strdup(old[i].rel);
            old[i].prompt = NULL;
            if (all_valid)
                old[i].rel = NULL;
            continue;
        }
        changed = true;
        store_dir_scan scan = {0};
        store_list_rec r = {0};
        bool load;
        if (look(s, fd, old[i].rel, settle, false, &r, &scan, &load) != 0) {   /* gone */
            store_list_rec_clear(&r);
            store_dir_scan_free(&scan);
            continue;
        }
        store_dir_scan subs = take_subdirs(&scan);
        keep(acc, &r, load, &scan);
        store_dir_scan_free(&scan);
        for (size_t k = 0; k < subs.n_subdirs + subs.n_links; k++) {   /* new subdirectories are walked */
            bool link = k >= subs.n_subdirs;
            const char *name = link ? subs.links[k - subs.n_subdirs] : subs.subdirs[k];
            char *sub = *old[i].rel ? pd_path_join(old[i].rel, name) : pd_strdup(name);
            if (!known(old, n_old, sub))
                walk(s, fd, sub, link ? PD_SLUG_DEPTH_MAX : 1, settle, true, acc);
            free(sub);
        }
        store_dir_scan_free(&subs);
    }
    free(c.valid);
    return changed;
}

static bool in_order(const void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    const char *p = base;
    for (size_t i = 1; i < n; i++)
        if (cmp(p + (i - 1) * size, p + i * size) > 0)
            return false;
    return true;
}

static int cmp_prompt(const void *a, const void *b)
{
    return strcmp((*(pd_prompt *const *)a)->slug, (*(pd_prompt *const *)b)->slug);
}

/* pd_store_list and pd_store_list_first: n_first SIZE_MAX checks everything. */
static int list(pd_store *s, size_t n_first, bool *unchecked, pd_prompt_list *out, pd_error *err)
{
    *out = (pd_prompt_list){0};
    /* prompts/ planted as a link would list another tree, or an empty one (an export then a
     * silently empty backup): refused, as every link in the library is */
    int fd = open(s->prompts, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    struct stat lst;
    if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && lstat(s->prompts, &lst) == 0 && S_ISLNK(lst.st_mode))
        return pd_error_set(err, PD_ERR_IO, "%s: not a directory (a symbolic link): promptdeck follows "
                            "no link in the library (put the folder itself there)", s->prompts);
    if (fd < 0)
        return pd_error_set(err, PD_ERR_IO, "cannot read %s: %s", s->prompts, strerror(errno));
    /* the cache is for this directory on this device (its times are checked as a record's) */
    struct stat st;
    store_stat_key root = {0};
    if (fstat(fd, &st) == 0)
        root = (store_stat_key){.ino = (uint64_t)st.st_ino, .size = (int64_t)st.st_dev};
    int64_t settle = (int64_t)time(NULL) - s->settle_seconds;
    s->list_loaded = 0;
    store_list_rec *old = NULL;
    size_t n_old = store_cache_load(s, &root, &old);
    rec_acc acc = {0};
    bool changed = true;
    *unchecked = false;
    if (n_old > 0)
        changed = refresh(s, fd, old, n_old, settle, n_first, unchecked, &acc);
    else
        walk(s, fd, "", 0, settle, false, &acc);
    read_pending(s, fd, settle, &acc);
    close(fd);
    for (size_t i = 0; i < n_old; i++)
        store_list_rec_clear(&old[i]);
    free(old);
    if (!in_order(acc.v, acc.n, sizeof *acc.v, cmp_rec))   /* as remembered: in order already */
        qsort(acc.v, acc.n, sizeof *acc.v, cmp_rec);
    if (changed)
        store_cache_save(s, &root, acc.v, acc.n);
    for (size_t i = 0; i < acc.n; i++) {
        if (acc.v[i].prompt) {
            if (out->n == 0)
                out->items = pd_xcalloc(acc.n, sizeof *out->items);
            out->items[out->n++] = acc.v[i].prompt;
            acc.v[i].prompt = NULL;
        }
        store_list_rec_clear(&acc.v[i]);
    }
    free(acc.v);
    if (!in_order(out->items, out->n, sizeof *out->items, cmp_prompt))
        qsort(out->items, out->n, sizeof *out->items, cmp_prompt);
    return 0;
}

int pd_store_list(pd_store *s, pd_prompt_list *out, pd_error *err)
{
    bool unchecked;
    return list(s, SIZE_MAX, &unchecked, out, err);
}

int pd_store_list_first(pd_store *s, size_t n_first, pd_prompt_list *out, pd_error *err)
{
    bool unchecked;
    int rc = list(s, n_first, &unchecked, out, err);
    return rc == 0 && unchecked ? 1 : rc;
}

static int prompts_each(pd_store *s, const char *rel, int depth, store_prompt_fn fn, void *ud, pd_error *err)
{
    char *dir = *rel ? pd_path_join(s->prompts, rel) : pd_strdup(s->prompts);
    store_dir_scan scan;
    int rc = 0;
    if (depth <= PD_SLUG_DEPTH_MAX && store_scan_dir(dir, "prompt.json", &scan, NULL) == 0) {
        if (*rel && scan.has_meta)
            rc = fn(s, rel, dir, ud, err);
        for (size_t i = 0; i < scan.n_subdirs && rc == 0; i++) {
            char *sub = *rel ? pd_path_join(rel, scan.subdirs[i]) : pd_strdup(scan.subdirs[i]);
            rc = prompts_each(s, sub, depth + 1, fn, ud, err);
            free(sub);
        }
        store_dir_scan_free(&scan);
    }
    free(dir);
    return rc;
}

int store_prompts_each(pd_store *s, store_prompt_fn fn, void *ud, pd_error *err)
{
    return prompts_each(s, "", 0, fn, ud, err);
}
