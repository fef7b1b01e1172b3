/* store.c: opening the library, and reading prompts and versions in either layout (format 1:
 * prompt.json holds everything; format 2: prompt.json holds what never changes, the rest is
 * derived from the version files and events.jsonl), with damaged files reported as
 * "FILE:LINE: what" instead of hiding the rest. */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

char *pd_store_default_dir(void)
{
    const char *lib = getenv("PROMPTDECK_LIBRARY");
    if (lib && *lib)
        return pd_strdup(lib);
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return pd_strf("%s/promptdeck/library", xdg);
    const char *home = getenv("HOME");
    return pd_strf("%s/.local/share/promptdeck/library", home && *home ? home : ".");
}

const char *pd_store_dir(const pd_store *s)
{
    return s->dir;
}

int pd_store_format(const pd_store *s)
{
    return s->format;
}

void pd_store_set_notice(pd_store *s, pd_store_notice_fn fn, void *ud)
{
    s->notice = fn;
    s->notice_ud = ud;
}

void pd_store_set_settle(pd_store *s, pd_store_settle_fn fn, void *ud)
{
    s->settle = fn;
    s->settle_ud = ud;
}

int pd_store_lock(pd_store *s, int *fd, pd_error *err)
{
    return store_lock(s, fd, err);
}

void pd_store_unlock(int fd)
{
    store_unlock(fd);
}

void pd_store_close(pd_store *s)
{
    if (!s)
        return;
    free(s->dir);
    free(s->prompts);
    free(s->partials);
    free(s->runs);
    free(s->old_runs);
    free(s->cache);
    store_watch_free(s->watch);
    free(s);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Empty, or holding only .git: a fresh clone or `git init` the library is to live in. */
static bool dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool empty = true;
    struct dirent *de;
    while (empty && (de = readdir(d)) != NULL)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 || strcmp(de->d_name, ".git") == 0;
    closedir(d);
    return empty;
}

static int check_library_json(const char *path, int *format, pd_error *err)
{
    json_t *j;
    char *text;
    size_t len;
    if (store_read_json(path, &j, &text, &len, format, err) != 0)
        return -1;
    json_t *f = json_object_get(j, "format");
    int rc = 0;
    if (!json_is_string(f) || strcmp(json_string_value(f), PD_LIBRARY_FORMAT) != 0) {
        pd_json_src src = {path, text, len};
        rc = pd_json_src_error(&src, "format", err, "expected \"%s\"", PD_LIBRARY_FORMAT);
    }
    json_decref(j);
    free(text);
    return rc;
}

/* What git needs to know about the library's files, written where missing: the lock and
 * temporary files are not content, and events.jsonl files merge by keeping both sides' lines. */
int store_write_git_files(pd_store *s, pd_error *err)
{
    static const char ignore[] = "# written by promptdeck\n.lock\n.list-cache\n.*.tmp.*\n";
    static const char attributes[] = "# written by promptdeck: two clones' label moves and metadata changes merge\n"
                                     "# by keeping the lines of both (git's built-in union driver)\n"
                                     "*.jsonl merge=union\n";
    char *gi = pd_path_join(s->dir, ".gitignore"), *ga = pd_path_join(s->dir, ".gitattributes");
    int rc = 0;
    if (!exists(gi))
        rc = pd_write_file_atomic(gi, ignore, sizeof ignore - 1, 0644, err);
    if (rc == 0 && !exists(ga))
        rc = pd_write_file_atomic(ga, attributes, sizeof attributes - 1, 0644, err);
    free(gi);
    free(ga);
    return rc;
}

/* Makes DIR a library: subdirectories, the examples (each import and put takes the lock and
 * skips what is there, so two first starts at once are harmless), library.json last. */
static int init_library(pd_store *s, bool examples, pd_error *err)
{
    if (pd_mkdirs(s->prompts, 0755, err) || pd_mkdirs(s->partials, 0755, err))
        return -1;
    s->format = PD_FORMAT_VERSION;
    if (examples && pd_store_add_examples(s, err) != 0)
        return -1;
    int fd;
    if (store_lock(s, &fd, err) != 0)
        return -1;
    char *lj = pd_path_join(s->dir, "library.json");
    int rc = 0;
    if (!exists(lj)) {
        rc = store_write_git_files(s, err);
        json_t *j = json_pack("{s:s}", "format", PD_LIBRARY_FORMAT);
        if (rc == 0)
            rc = store_write_json(lj, j, 0, err);
        json_decref(j);
    }
    store_unlock(fd);
    free(lj);
    return rc;
}

/* Files kept for the library outside it go under <base>/<name>-<hash of its real path>. */
static char *outside_dir(const char *base, const char *dir, const char *sub)
{
    char *real = realpath(dir, NULL);
    const char *path = real ? real : dir;
    const char *name = strrchr(path, '/');
    name = name && name[1] ? name + 1 : "library";
    pd_buf safe = PD_BUF_INIT;
    for (const char *c = name; *c && safe.len < 32; c++)   /* readable, and never a path */
        pd_buf_putc(&safe, strchr("abcdefghijklmnopqrstuvwxyz0123456789-_", *c) ? *c : '_');
    char *out = pd_strf("%s/%s%s%s-%016llx", base, sub, *sub ? "/" : "", pd_buf_str(&safe),
                        (unsigned long long)pd_hash(PD_HASH_SEED, path, strlen(path)));
    pd_buf_free(&safe);
    free(real);
    return out;
}

static void set_outside_paths(pd_store *s)
{
    char *state = pd_state_dir(), *cache = pd_cache_dir();
    s->runs = outside_dir(state, s->dir, "runs");
    char *c = outside_dir(cache, s->dir, "");
    s->cache = pd_path_join(c, "list-cache");
    free(c);
    free(state);
    free(cache);
}

char *pd_store_state_path(const pd_store *s, const char *sub)
{
    char *state = pd_state_dir();
    char *out = outside_dir(state, s->dir, sub);
    free(state);
    return out;
}

int pd_store_open(const char *dir, bool create, bool examples, pd_store **out, pd_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no library directory given");
    pd_store *s = pd_xcalloc(1, sizeof *s);
    s->dir = pd_strdup(dir);
    size_t n = strlen(s->dir);
    while (n > 1 && s->dir[n - 1] == '/')
        s->dir[--n] = '\0';
    s->prompts = pd_path_join(s->dir, "prompts");
    s->partials = pd_path_join(s->dir, "partials");
    s->old_runs = pd_path_join(s->dir, "runs");
    s->settle_seconds = 2;   /* file times are coarse: what changed this recently is read again */
    s->format = PD_FORMAT_VERSION;
    char *lj = pd_path_join(s->dir, "library.json");
    int rc = 0;
    struct stat st;
    if (stat(s->dir, &st) != 0) {
        if (errno != ENOENT || !create) {
            rc = pd_error_set(err, PD_ERR_NOT_FOUND, "library %s: %s", s->dir, strerror(errno));
        } else if (pd_mkdirs(s->dir, 0755, err) == 0) {
            set_outside_paths(s);
            rc = init_library(s, examples, err);
        } else {
            rc = -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "library %s is not a directory", s->dir);
    } else if (exists(lj)) {
        rc = check_library_json(lj, &s->format, err);
    } else if (exists(s->prompts) || dir_is_empty(s->dir)) {
        /* an interrupted set-up, a checkout without library.json, or an empty directory made
         * for the library: make it a library, without examples */
        set_outside_paths(s);
        rc = init_library(s, false, err);
    } else {
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST,
                          "%s is not a promptdeck library (no library.json or prompts/ in it) and not empty",
                          s->dir);
    }
    free(lj);
    if (rc == 0 && !s->runs)
        set_outside_paths(s);
    if (rc != 0) {
        pd_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

char *store_prompt_dir(const pd_store *s, const char *slug)
{
    return pd_path_join(s->prompts, slug);
}

static void set_damage(pd_prompt *p, const char *msg)
{
    if (p->damaged)
        return;   /* the first problem found is the one reported */
    p->damaged = true;
    p->damage = pd_strdup(msg);
}

/* ---- format 1: prompt.json holds the metadata, labels by number and current_version ---- */

/* The rules a format 1 prompt.json must follow beyond types: versions 1..current all present,
 * labels on existing versions. Sets damage on p. */
static void check_prompt_v1(pd_prompt *p, const pd_json_src *src, const store_dir_scan *scan)
{
    store_vlist vl = store_vlist_of(scan, false);
    int max_file = vl.n ? vl.v[vl.n - 1]->number : 0;
    if (p->current_version < max_file)   /* a crash after writing a version file, before prompt.json */
        p->current_version = max_file;
    pd_error err = {0};
    int want = 1;
    for (size_t i = 0; i < vl.n && want <= p->current_version; i++)
        if (vl.v[i]->number == want)
            want++;
    store_vlist_free(&vl);
    if (p->current_version < 1) {
        pd_json_src_error(src, "current_version", &err, "the prompt has no versions");
        set_damage(p, err.msg);
        return;
    }
    if (want <= p->current_version) {
        pd_json_src_error(src, "current_version", &err, "version file v%04d.json is missing (current_version is %d)",
                          want, p->current_version);
        set_damage(p, err.msg);
        return;
    }
    for (size_t i = 0; i < p->n_labels; i++) {
        if (p->labels[i].version > p->current_version) {
            char path[96];
            snprintf(path, sizeof path, "labels.%s", p->labels[i].name);
            pd_json_src_error(src, path, &err, "version %d does not exist (newest is %d)", p->labels[i].version,
                              p->current_version);
            set_damage(p, err.msg);
            return;
        }
    }
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const pd_label *)a)->name, ((const pd_label *)b)->name);
}

static pd_prompt *load_v1(json_t *j, const pd_json_src *src, const store_dir_scan *scan, pd_error *err)
{
    pd_prompt *p = pd_prompt_decode(j, src, err);
    if (p)
        check_prompt_v1(p, src, scan);
    return p;
}

/* ---- format 2: prompt.json holds id and created_at; the rest is derived ---- */

static char *event_str(const store_events *e, const char *field)
{
    const store_event *w = store_events_winner(e, NULL, field);
    return w && json_is_string(w->value) ? pd_strdup(json_string_value(w->value)) : NULL;
}

static void derive_tags(pd_prompt *p, const store_events *e)
{
    const store_event *w = store_events_winner(e, NULL, "tags");
    if (!w)
        return;
    p->n_tags = json_array_size(w->value);
    p->tags = p->n_tags ? pd_xcalloc(p->n_tags, sizeof *p->tags) : NULL;
    for (size_t i = 0; i < p->n_tags; i++)
        p->tags[i] = pd_strdup(json_string_value(json_array_get(w->value, i)));
}

static int cmp_label_event(const void *a, const void *b)
{
    return strcmp((*(const store_event *const *)a)->label, (*(const store_event *const *)b)->label);
}

/* Labels: for each label named in the events, its winning move; removed ones are left out. */
static void derive_labels(pd_prompt *p, const store_events *e, const store_vlist *vl, const char *pdir)
{
    const store_event **moves = pd_xcalloc(e->n ? e->n : 1, sizeof *moves);
    size_t n = 0;
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].label)
            moves[n++] = &e->v[i];
    if (n > 1)
        qsort(moves, n, sizeof *moves, cmp_label_event);
    for (size_t i = 0; i < n && !p->damaged;) {
        const store_event *w = moves[i];
        size_t k = i + 1;
        for (; k < n && strcmp(moves[k]->label, w->label) == 0; k++)
            if (store_event_later(moves[k], w))
                w = moves[k];
        i = k;
        if (!w->version)
            continue;
        long at = store_vlist_find_id(vl, w->version);
        if (at < 0) {
            char *msg = pd_strf("%s/events.jsonl:%d: label %s is on version %s, which is not in the prompt's "
                                "folder (no v*-%s.json)",
                                pdir, w->line, w->label, w->version, w->version);
            set_damage(p, msg);
            free(msg);
            break;
        }
        p->labels = pd_xrealloc(p->labels, (p->n_labels + 1) * sizeof *p->labels);
        p->labels[p->n_labels].name = pd_strdup(w->label);
        p->labels[p->n_labels].version = vl->v[at]->number;
        p->labels[p->n_labels++].version_id = pd_strdup(w->version);
    }
    free(moves);
}

/* When the version was made (its created_at), or NULL. Caller frees. */
static char *version_created_at(const char *pdir, const store_vfile *f)
{
    pd_version *v = NULL;
    char *at = NULL;
    if (store_read_version(pdir, f->number, f->id, &v, NULL) == 0 && v->created_at)
        at = pd_strdup(v->created_at);
    pd_version_free(v);
    return at;
}

/* updated_at: the later of the current version's creation and the newest event. */
static void derive_updated(pd_prompt *p, const char *pdir, const store_vfile *cur, const store_events *e)
{
    pd_version *v = NULL;
    int64_t vms = INT64_MIN;
    if (store_read_version(pdir, cur->number, cur->id, &v, NULL) == 0 && v->created_at &&
        !pd_time_parse_ms(v->created_at, &vms))
        vms = INT64_MIN;
    if (!p->created_at && v && v->created_at)   /* a prompt of one version: the same file */
        p->created_at = pd_strdup(v->created_at);
    if (e->newest_at && (!v || !v->created_at || e->newest_ms > vms))
        p->updated_at = pd_strdup(e->newest_at);
    else if (v && v->created_at)
        p->updated_at = pd_strdup(v->created_at);
    else
        p->updated_at = pd_strdup(p->created_at);
    pd_version_free(v);
}

static pd_prompt *load_v2(json_t *j, const pd_json_src *src, const char *pdir, const store_dir_scan *scan,
                          pd_error *err)
{
    json_t *id = json_object_get(j, "id"), *created = json_object_get(j, "created_at");
    if (id && !json_is_string(id)) {
        pd_json_src_error(src, "id", err, "expected a string");
        return NULL;
    }
    if (created && !json_is_string(created)) {
        pd_json_src_error(src, "created_at", err, "expected a string");
        return NULL;
    }
    pd_prompt *p = pd_xcalloc(1, sizeof *p);
    p->id = pd_strdup(json_string_value(id));
    p->created_at = pd_strdup(json_string_value(created));
    store_events e;
    pd_error eerr = {0};
    if (store_events_read(pdir, &e, &eerr) != 0) {
        set_damage(p, eerr.msg);
        return p;
    }
    p->name = event_str(&e, "name");
    p->description = event_str(&e, "description");
    if (!p->description)
        p->description = pd_strdup("");
    derive_tags(p, &e);
    store_vlist vl = store_vlist_of(scan, true);
    if (vl.n == 0) {
        pd_error nerr = {0};
        pd_json_src_error(src, "", &nerr, "the prompt has no versions (no v0001-<id>.json file next to it)");
        set_damage(p, nerr.msg);
    } else {
        const store_vfile *cur = vl.v[vl.n - 1];
        if (!p->created_at && vl.n > 1)   /* not in prompt.json: when the first version was made */
            p->created_at = version_created_at(pdir, vl.v[0]);
        p->current_version = cur->number;
        p->current_id = pd_strdup(cur->id);
        for (size_t i = 1; i < vl.n; i++)
            p->duplicates = p->duplicates || vl.v[i]->number == vl.v[i - 1]->number;
        derive_labels(p, &e, &vl, pdir);
        derive_updated(p, pdir, cur, &e);
    }
    store_vlist_free(&vl);
    store_events_free(&e);
    return p;
}

/* Reads prompt.json in pdir and loads the prompt in its layout; NULL with err when unreadable. */
static pd_prompt *load_any(const char *pdir, const store_dir_scan *scan, int *format, pd_error *err)
{
    char *path = pd_path_join(pdir, "prompt.json");
    json_t *j;
    char *text;
    size_t len;
    pd_prompt *p = NULL;
    if (store_read_json(path, &j, &text, &len, format, err) == 0) {
        pd_json_src src = {path, text, len};
        p = *format == 1 ? load_v1(j, &src, scan, err) : load_v2(j, &src, pdir, scan, err);
        json_decref(j);
        free(text);
    }
    free(path);
    if (p && p->n_labels > 1)
        qsort(p->labels, p->n_labels, sizeof *p->labels, cmp_label);
    return p;
}

pd_prompt *store_load_prompt_fmt(const char *pdir, const char *slug, const store_dir_scan *scan, int *format)
{
    int local_format = 0;
    if (!format)
        format = &local_format;
    *format = 0;
    if (!scan->has_meta)
        return NULL;
    pd_error err = {0};
    pd_prompt *p = load_any(pdir, scan, format, &err);
    if (p && p->damaged) {
        /* The directory was scanned before the files were read: a version saved in between is
         * named in prompt.json or events.jsonl but not in the scan. Look again once. */
        store_dir_scan fresh;
        if (store_scan_dir(pdir, "prompt.json", &fresh, NULL) == 0) {
            pd_prompt *again = load_any(pdir, &fresh, format, &err);
            if (again) {
                pd_prompt_free(p);
                p = again;
            }
            store_dir_scan_free(&fresh);
        }
    }
    if (!p) {   /* unreadable: still listed, with what is known */
        p = store_unreadable_prompt(slug, err.msg);
        p->current_version = scan->n_files ? scan->files[scan->n_files - 1].number : 0;
    }
    free(p->slug);
    p->slug = pd_strdup(slug);
    if (!p->id && *format == 2)   /* a hand-made prompt.json without one */
        p->id = store_prompt_id_of(slug);
    if (!p->name)
        p->name = pd_strdup(slug);
    return p;
}

pd_prompt *store_unreadable_prompt(const char *slug, const char *damage)
{
    pd_prompt *p = pd_xcalloc(1, sizeof *p);
    p->slug = pd_strdup(slug);
    p->name = pd_strdup(slug);
    p->description = pd_strdup("");
    set_damage(p, damage);
    return p;
}

pd_prompt *store_load_prompt(const char *pdir, const char *slug, const store_dir_scan *scan)
{
    return store_load_prompt_fmt(pdir, slug, scan, NULL);
}

void pd_prompt_list_free(pd_prompt_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        pd_prompt_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_pview_close(store_pview *pv)
{
    pd_prompt_free(pv->p);
    free(pv->dir);
    store_vlist_free(&pv->vl);
    store_dir_scan_free(&pv->scan);
    *pv = (store_pview){0};
}

int store_pview_open(pd_store *s, const char *slug, store_pview *pv, pd_error *err)
{
    *pv = (store_pview){0};
    if (!pd_slug_valid(slug, err))
        return -1;
    pv->dir = store_prompt_dir(s, slug);
    if (store_refuse_links(s, pv->dir, err) != 0) {
        store_pview_close(pv);
        return -1;
    }
    if (store_scan_dir(pv->dir, "prompt.json", &pv->scan, NULL) == 0)
        pv->p = store_load_prompt_fmt(pv->dir, slug, &pv->scan, &pv->format);
    if (!pv->p) {
        store_pview_close(pv);
        return pd_error_set(err, PD_ERR_NOT_FOUND, "no prompt \"%s\" in %s", slug, s->dir);
    }
    if (pv->p->damaged) {
        pd_error_set(err, PD_ERR_DAMAGED, "prompt \"%s\" is damaged: %s", slug, pv->p->damage);
        store_pview_close(pv);
        return -1;
    }
    /* the versions as the prompt was loaded (a fresh scan may have been taken for it) */
    store_dir_scan_free(&pv->scan);
    if (store_scan_dir(pv->dir, "prompt.json", &pv->scan, err) != 0) {
        store_pview_close(pv);
        return -1;
    }
    pv->vl = store_vlist_of(&pv->scan, pv->format == 2);
    if (pv->format == 1) {   /* format 1 knows versions 1..current_version only */
        while (pv->vl.n && pv->vl.v[pv->vl.n - 1]->number > pv->p->current_version)
            pv->vl.n--;
    }
    return 0;
}

int pd_store_get_prompt(pd_store *s, const char *slug, pd_prompt **out, pd_error *err)
{
    store_pview pv;
    *out = NULL;
    if (store_pview_open(s, slug, &pv, err) != 0)
        return -1;
    *out = pv.p;
    pv.p = NULL;
    store_pview_close(&pv);
    return 0;
}

int store_read_version(const char *pdir, int number, const char *id, pd_version **out, pd_error *err)
{
    *out = NULL;
    char *path = store_version_path(pdir, number, id);
    json_t *j;
    char *text;
    size_t len;
    int format;
    if (store_read_json(path, &j, &text, &len, &format, err) != 0) {
        if (err && err->code == PD_ERR_NOT_FOUND) {
            err->code = PD_ERR_DAMAGED;
            pd_error_prefix(err, "%s", "version file missing");
        }
        free(path);
        return -1;
    }
    pd_json_src src = {path, text, len};
    pd_version *v = NULL;
    json_t *jid = json_object_get(j, "id"), *parent = json_object_get(j, "parent");
    if (id && format != 2) {
        pd_json_src_error(&src, "format_version", err, "a version file named with an id must be format 2");
    } else if (id && (!json_is_string(jid) || strcmp(json_string_value(jid), id) != 0)) {
        pd_json_src_error(&src, "id", err, "expected \"%s\", the id in the file's name", id);
    } else if (id && parent && !json_is_null(parent) &&
               (!json_is_string(parent) || !pd_id_valid(json_string_value(parent)))) {
        pd_json_src_error(&src, "parent", err, "expected a version id or null");
    } else {
        if (id)   /* format 2 keeps the number in the file's name only */
            json_object_set_new(j, "version", json_integer(number));
        v = pd_version_decode(j, &src, err);
    }
    if (v && v->number != number) {
        pd_json_src_error(&src, "version", err, "says version %d but the file is for version %d", v->number, number);
        pd_version_free(v);
        v = NULL;
    }
    if (v && id) {
        v->id = pd_strdup(id);
        v->parent = pd_strdup(json_string_value(parent));
    }
    json_decref(j);
    free(text);
    free(path);
    *out = v;
    return v ? 0 : -1;
}

long store_pview_pick(const store_pview *pv, int number, pd_error *err)
{
    if (pv->vl.n == 0)
        return pd_error_set(err, PD_ERR_DAMAGED, "prompt \"%s\" has no versions", pv->p->slug);
    if (number == 0)
        return (long)pv->vl.n - 1;
    long at = store_vlist_find(&pv->vl, number);
    if (at == -2)
        return pd_error_set(err, PD_ERR_CONFLICT,
                            "prompt \"%s\" has two versions numbered %d (saved on two clones and merged by git): "
                            "run `promptdeck sync` or `promptdeck fix` to renumber them, or name one by id",
                            pv->p->slug, number);
    if (at < 0)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no version %d (versions 1..%d)", pv->p->slug,
                            number, pv->p->current_version);
    return at;
}

long store_pview_pick_id(const store_pview *pv, const char *id, pd_error *err)
{
    size_t len = id ? strlen(id) : 0;
    long found = -1;
    for (size_t i = 0; len >= 6 && len <= PD_ID_LEN && i < pv->vl.n; i++) {
        if (!pv->vl.v[i]->id || strncmp(pv->vl.v[i]->id, id, len) != 0)
            continue;
        if (found >= 0)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "prompt \"%s\": more than one version id starts with %s",
                                pv->p->slug, id);
        found = (long)i;
    }
    if (found < 0)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no version with id %s", pv->p->slug,
                            id ? id : "");
    return found;
}

/* Reads the version at index i of pv, with its place among versions sharing its number. */
static int read_at(const store_pview *pv, long i, pd_version **out, pd_error *err)
{
    const store_vfile *f = pv->vl.v[i];
    if (store_read_version(pv->dir, f->number, f->id, out, err) != 0)
        return -1;
    for (long k = i - 1; k >= 0 && pv->vl.v[k]->number == f->number; k--)
        (*out)->duplicate++;
    return 0;
}

/* One version of slug: pick says which (its index in the prompt's versions, or -1 with err). */
typedef long (*pick_fn)(const store_pview *pv, const void *what, pd_error *err);

static int get_picked(pd_store *s, const char *slug, pick_fn pick, const void *what, pd_version **out, pd_error *err)
{
    *out = NULL;
    store_pview pv;
    if (store_pview_open(s, slug, &pv, err) != 0)
        return -1;
    long at = pick(&pv, what, err);
    int rc = at < 0 ? -1 : read_at(&pv, at, out, err);
    store_pview_close(&pv);
    return rc;
}

static long pick_number(const store_pview *pv, const void *what, pd_error *err)
{
    int number = *(const int *)what;
    if (number < 0)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no version %d", pv->p->slug, number);
    return store_pview_pick(pv, number, err);
}

static long pick_id(const store_pview *pv, const void *what, pd_error *err)
{
    return store_pview_pick_id(pv, what, err);
}

static long pick_label(const store_pview *pv, const void *what, pd_error *err)
{
    const char *label = what;
    if (label && strcmp(label, "latest") == 0)
        return store_pview_pick(pv, 0, err);
    for (size_t i = 0; label && i < pv->p->n_labels; i++) {
        const pd_label *l = &pv->p->labels[i];
        if (strcmp(l->name, label) == 0)
            return l->version_id ? store_pview_pick_id(pv, l->version_id, err) : store_pview_pick(pv, l->version, err);
    }
    return pd_error_set(err, PD_ERR_NOT_FOUND, "%s: no label '%s'", pv->p->slug, label ? label : "");
}

int pd_store_get_version(pd_store *s, const char *slug, int number, pd_version **out, pd_error *err)
{
    return get_picked(s, slug, pick_number, &number, out, err);
}

int pd_store_get_listed_version(pd_store *s, const pd_prompt *p, pd_version **out, pd_error *err)
{
    *out = NULL;
    if (!pd_slug_valid(p->slug, err))
        return -1;
    if (p->current_version < 1)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no versions", p->slug);
    char *pdir = store_prompt_dir(s, p->slug);
    int rc = store_refuse_links(s, pdir, err);
    if (rc == 0)
        rc = store_read_version(pdir, p->current_version, p->current_id, out, err);
    free(pdir);
    return rc;
}

int pd_store_get_version_id(pd_store *s, const char *slug, const char *id, pd_version **out, pd_error *err)
{
    return get_picked(s, slug, pick_id, id, out, err);
}

int pd_store_get_label_version(pd_store *s, const char *slug, const char *label, pd_version **out, pd_error *err)
{
    return get_picked(s, slug, pick_label, label, out, err);
}

int pd_store_list_versions(pd_store *s, const char *slug, pd_version ***out, size_t *n, pd_error *err)
{
    *out = NULL;
    *n = 0;
    store_pview pv;
    if (store_pview_open(s, slug, &pv, err) != 0)
        return -1;
    size_t cnt = pv.vl.n, damaged = 0;
    pd_version **vs = pd_xcalloc(cnt ? cnt : 1, sizeof *vs);
    for (size_t i = 0; i < cnt; i++) {   /* a damaged version hides none of the others */
        pd_error e = {0};
        if (read_at(&pv, (long)i, &vs[*n], &e) == 0)
            (*n)++;
        else if (damaged++ == 0 && err)
            *err = e;
    }
    if (damaged > 1 && err) {
        size_t used = strlen(err->msg);
        snprintf(err->msg + used, sizeof err->msg - used, " (and %zu more damaged versions)", damaged - 1);
    }
    if (damaged && err)
        err->code = PD_ERR_DAMAGED;
    *out = vs;
    store_pview_close(&pv);
    return damaged ? 1 : 0;
}

int store_write_version(const char *pdir, const pd_version *v, int flags, pd_error *err)
{
    json_t *body = pd_version_to_json(v);
    json_object_del(body, "version");   /* the number is in the file's name */
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(v->id));
    json_object_set_new(j, "parent", v->parent ? json_string(v->parent) : json_null());
    json_object_update(j, body);
    json_decref(body);
    char *path = store_version_path(pdir, v->number, v->id);
    int rc = store_write_json(path, j, STORE_NO_DIR_SYNC | flags, err);   /* the directory is synced after */
    free(path);
    json_decref(j);
    return rc;
}

char *store_prompt_id_of(const char *slug)
{
    char *seed = pd_strf("prompt id\n%s", slug);
    char *id = pd_strf("%016llx", (unsigned long long)pd_hash(PD_HASH_SEED, seed, strlen(seed)));
    free(seed);
    return id;
}

int store_write_prompt_meta(const char *pdir, const char *id, const char *created_at, int flags, pd_error *err)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(id));
    if (created_at)
        json_object_set_new(j, "created_at", json_string(created_at));
    char *path = pd_path_join(pdir, "prompt.json");
    int rc = store_write_json(path, j, flags, err);
    free(path);
    json_decref(j);
    return rc;
}
