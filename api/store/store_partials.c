/* store_partials.c: partials (named snippets used as {{> name}}) under DIR/partials/<name>/,
 * versioned like prompts: format 2 keeps partial.json as {"format_version", "name"} (the same
 * on every clone, so two clones creating one partial merge) and one v0001-<id>.json file per
 * version; format 1 (partial.json with current_version, v0001.json files) is read and upgraded. */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/* A partial's directory as read: its layout and versions. */
typedef struct partial_view {
    char *dir;
    int format;          /* 0: no partial here */
    store_dir_scan scan;
    store_vlist vl;
} partial_view;

static void pview_close(partial_view *v)
{
    free(v->dir);
    store_vlist_free(&v->vl);
    store_dir_scan_free(&v->scan);
    *v = (partial_view){0};
}

/* Opens the partial's directory: format 0 when there is none; DAMAGED when partial.json does
 * not read. Format 1 counts versions up to max(current_version, highest file). */
static int pview_open(pd_store *s, const char *name, partial_view *v, pd_error *err)
{
    *v = (partial_view){.dir = pd_path_join(s->partials, name)};
    if (store_refuse_links(s, v->dir, err) != 0) {
        pview_close(v);
        return -1;
    }
    pd_error e = {0};
    if (store_scan_dir(v->dir, "partial.json", &v->scan, &e) != 0 && e.code != PD_ERR_NOT_FOUND) {
        pview_close(v);   /* a folder that does not read (no permission) is damaged, not absent */
        if (err)
            *err = e;
        return -1;
    }
    if (!v->scan.has_meta)
        return 0;
    char *path = pd_path_join(v->dir, "partial.json");
    json_t *j;
    char *text;
    size_t len;
    int rc = store_read_json(path, &j, &text, &len, &v->format, err);
    if (rc == 0) {
        json_t *cv = json_object_get(j, "current_version");
        if (v->format == 1 && (!json_is_integer(cv) || json_integer_value(cv) < 1 || json_integer_value(cv) > 100000000)) {
            pd_json_src src = {path, text, len};
            rc = pd_json_src_error(&src, "current_version", err, "expected a version number");
        }
        v->vl = store_vlist_of(&v->scan, v->format == 2);
        json_decref(j);
        free(text);
    }
    free(path);
    if (rc != 0) {
        pview_close(v);
        return -1;
    }
    return 0;
}

static int read_partial_version(const char *dir, const char *name, const store_vfile *f, pd_partial **out,
                                pd_error *err)
{
    char *path = store_version_path(dir, f->number, f->id);
    json_t *j;
    char *text;
    size_t len;
    int format;
    int rc = store_read_json(path, &j, &text, &len, &format, err);
    if (rc != 0 && err && err->code == PD_ERR_NOT_FOUND) {
        err->code = PD_ERR_DAMAGED;
        pd_error_prefix(err, "partial \"%s\": version file missing", name);
    }
    if (rc == 0) {
        pd_json_src src = {path, text, len};
        json_t *jid = json_object_get(j, "id");
        if (f->id && (!json_is_string(jid) || strcmp(json_string_value(jid), f->id) != 0)) {
            *out = NULL;
            pd_json_src_error(&src, "id", err, "expected \"%s\", the id in the file's name", f->id);
        } else {
            if (f->id) {   /* format 2: name and number are the folder's and the file's */
                json_object_set_new(j, "name", json_string(name));
                json_object_set_new(j, "version", json_integer(f->number));
            }
            *out = pd_partial_decode(j, &src, err);
        }
        if (*out && (*out)->version != f->number) {
            pd_json_src_error(&src, "version", err, "says version %d but the file is for version %d", (*out)->version,
                              f->number);
            pd_partial_free(*out);
            *out = NULL;
        }
        if (*out)
            (*out)->id = pd_strdup(f->id);
        rc = *out ? 0 : -1;
        json_decref(j);
        free(text);
    }
    free(path);
    return rc;
}

int pd_store_get_partial(pd_store *s, const char *name, int version, pd_partial **out, pd_error *err)
{
    *out = NULL;
    if (!pd_slug_valid(name, err))
        return -1;
    partial_view v;
    if (pview_open(s, name, &v, err) != 0)
        return -1;
    int rc = 0;
    long at = -1;
    if (v.format == 0 || v.vl.n == 0)
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "no partial \"%s\" in %s", name, s->dir);
    else if (version == 0)
        at = (long)v.vl.n - 1;
    else if ((at = store_vlist_find(&v.vl, version)) == -2)
        rc = pd_error_set(err, PD_ERR_CONFLICT,
                          "partial \"%s\" has two versions numbered %d (a git merge): run `promptdeck sync` or "
                          "`promptdeck fix`",
                          name, version);
    else if (at < 0)
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "partial \"%s\" has no version %d (versions 1..%d)", name, version,
                          v.vl.v[v.vl.n - 1]->number);
    if (rc == 0)
        rc = read_partial_version(v.dir, name, v.vl.v[at], out, err);
    pview_close(&v);
    return rc;
}

/* Writes one format 2 partial version file. */
static int write_partial_version(const char *dir, const pd_partial *p, const char *parent, int flags, pd_error *err)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(p->id));
    json_object_set_new(j, "parent", parent ? json_string(parent) : json_null());
    json_object_set_new(j, "content", json_string(p->content));
    if (p->commit_message)
        json_object_set_new(j, "commit_message", json_string(p->commit_message));
    if (p->created_at)
        json_object_set_new(j, "created_at", json_string(p->created_at));
    char *path = store_version_path(dir, p->version, p->id);
    int rc = store_write_json(path, j, flags, err);
    free(path);
    json_decref(j);
    return rc;
}

static int write_partial_meta(const char *dir, const char *name, pd_error *err)
{
    json_t *meta = json_pack("{s:s}", "name", name);
    char *path = pd_path_join(dir, "partial.json");
    int rc = store_write_json(path, meta, 0, err);
    free(path);
    json_decref(meta);
    return rc;
}

/* Upgrades a format 1 partial: new version files first (ids derived from name, number and
 * content, so two clones upgrading it write the same files), partial.json, then the old files
 * go. */
static int migrate_partial(pd_store *s, const char *name, const char *dir_unused, void *ud, pd_error *err)
{
    (void)dir_unused;
    (void)ud;
    partial_view v;
    if (pview_open(s, name, &v, err) != 0)
        return -1;
    int rc = 0;
    char *parent = NULL;
    for (size_t i = 0; v.format == 1 && i < v.vl.n && rc == 0; i++) {
        pd_partial *p;
        rc = read_partial_version(v.dir, name, v.vl.v[i], &p, err);
        if (rc != 0)
            break;
        int64_t ms = 0;
        pd_time_parse_ms(p->created_at, &ms);
        char *seed = pd_strf("partial\n%s\n%d\n%s", name, p->version, p->content);
        p->id = pd_id_derived(ms, seed, strlen(seed));
        free(seed);
        rc = write_partial_version(v.dir, p, parent, STORE_NO_DIR_SYNC, err);
        free(parent);
        parent = pd_strdup(p->id);
        pd_partial_free(p);
    }
    free(parent);
    if (v.format == 1 && rc == 0)
        rc = write_partial_meta(v.dir, name, err);
    for (size_t i = 0; v.format == 1 && i < v.vl.n && rc == 0; i++) {
        char *old = store_version_path(v.dir, v.vl.v[i]->number, NULL);
        rc = pd_unlink(old, err);
        free(old);
    }
    pview_close(&v);
    return rc;
}

/* A new partial with its n versions (numbered from 1, each the parent of the next), built in a
 * staging folder renamed into place (whole or not there at all); where its folder is there (it
 * holds other partials) written in it under a journal, partial.json last. A killed put's or
 * delete's files there first go. */
static int put_new_partial(pd_store *s, const partial_view *v, const char *name, const pd_partial *nv, size_t n,
                           pd_error *err)
{
    store_remove_leftovers(v->dir, &v->scan);
    rmdir(v->dir);
    bool in_place = access(v->dir, F_OK) == 0;
    char *journal = in_place ? pd_strf("clear partial %s\n", name) : NULL;
    char *entry = store_trash_new(s, journal, err);
    free(journal);
    if (!entry)
        return -1;
    const char *wdir = in_place ? v->dir : entry;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = write_partial_version(wdir, &nv[i], i ? nv[i - 1].id : NULL, STORE_NO_DIR_SYNC, err);
    if (rc == 0)
        rc = write_partial_meta(wdir, name, err);
    if (rc == 0 && !in_place)
        rc = store_trash_place(entry, v->dir, s->partials, 0, err);
    if (rc == 0) {
        store_trash_remove(entry);
        return 0;
    }
    if (in_place) {
        char *meta = pd_path_join(v->dir, "partial.json");
        pd_unlink(meta, NULL);
        free(meta);
    }
    store_trash_undo(s, entry);
    return -1;
}

int store_partial_put_locked(pd_store *s, const char *name, const char *content, const char *commit_message,
                             const char *created_at, int *new_version, pd_error *err)
{
    partial_view v;
    if (pview_open(s, name, &v, err) != 0)
        return -1;
    if (v.format == 1) {
        pview_close(&v);
        if (migrate_partial(s, name, NULL, NULL, err) != 0 || pview_open(s, name, &v, err) != 0)
            return -1;
    }
    int rc = 0;
    pd_partial *cur = NULL;
    if (v.vl.n > 0)
        rc = read_partial_version(v.dir, name, v.vl.v[v.vl.n - 1], &cur, err);
    if (rc == 0 && cur && strcmp(cur->content, content) == 0) {
        pd_partial_free(cur);
        pview_close(&v);
        return 0;   /* same content: no new version */
    }
    pd_partial nv = {.version = cur ? cur->version + 1 : 1, .content = (char *)content,
                     .commit_message = (char *)commit_message,
                     .created_at = created_at ? pd_strdup(created_at) : pd_now_rfc3339(),
                     .id = pd_id_new(pd_now_ms())};
    if (rc == 0 && v.format == 0) {
        rc = put_new_partial(s, &v, name, &nv, 1, err);
    } else if (rc == 0 && (rc = write_partial_version(v.dir, &nv, cur ? cur->id : NULL, 0, err)) != 0) {
        char *path = store_version_path(v.dir, nv.version, nv.id);   /* a failed put leaves nothing */
        pd_unlink(path, NULL);
        pd_fsync_dir(v.dir, NULL);
        free(path);
    }
    if (rc == 0)
        *new_version = nv.version;
    pd_partial_free(cur);
    free(nv.created_at);
    free(nv.id);
    pview_close(&v);
    return rc;
}

int store_partial_create_locked(pd_store *s, const char *name, pd_partial *versions, size_t n, pd_error *err)
{
    partial_view v;
    if (pview_open(s, name, &v, err) != 0)
        return -1;
    int rc = v.format != 0 ? 1 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        versions[i].version = (int)i + 1;
        free(versions[i].id);
        versions[i].id = pd_id_new(pd_now_ms());
    }
    if (rc == 0 && n > 0)
        rc = put_new_partial(s, &v, name, versions, n, err);
    pview_close(&v);
    return rc;
}

int pd_store_put_partial(pd_store *s, const char *name, const char *content, const char *commit_message,
                         int *new_version, pd_error *err)
{
    int local;
    if (!new_version)
        new_version = &local;
    *new_version = 0;
    if (!pd_slug_valid(name, err))
        return -1;
    if (!content || !pd_utf8_valid(content, strlen(content)))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "partial \"%s\": content is not valid UTF-8", name);
    if (commit_message && !pd_utf8_valid(commit_message, strlen(commit_message)))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "commit message is not valid UTF-8");
    int fd;
    if (store_lock_for_writing(s, &fd, err) != 0)
        return -1;
    int rc = store_partial_put_locked(s, name, content, commit_message, NULL, new_version, err);
    store_unlock(fd);
    return rc;
}

typedef struct name_acc {
    char **names;
    size_t n, cap;
} name_acc;

static void acc_add(name_acc *acc, const char *name)
{
    if (acc->n == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->names = pd_xrealloc(acc->names, acc->cap * sizeof *acc->names);
    }
    acc->names[acc->n++] = pd_strdup(name);
}

/* A folder that does not read is listed (pd_store_get_partial then says why), not left out. */
static void walk_partials(const char *dir, const char *name, int depth, name_acc *acc)
{
    store_dir_scan scan;
    pd_error e = {0};
    if (depth > 64)
        return;
    if (store_scan_dir(dir, "partial.json", &scan, &e) != 0) {
        if (name && e.code != PD_ERR_NOT_FOUND)
            acc_add(acc, name);
        return;
    }
    if (name && scan.has_meta)
        acc_add(acc, name);
    for (size_t i = 0; i < scan.n_subdirs; i++) {
        char *sub = pd_path_join(dir, scan.subdirs[i]);
        char *subname = name ? pd_path_join(name, scan.subdirs[i]) : pd_strdup(scan.subdirs[i]);
        walk_partials(sub, subname, depth + 1, acc);
        free(sub);
        free(subname);
    }
    store_dir_scan_free(&scan);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pd_store_list_partials(pd_store *s, char ***names, size_t *n, pd_error *err)
{
    (void)err;
    name_acc acc = {0};
    walk_partials(s->partials, NULL, 0, &acc);
    if (acc.n > 1)
        qsort(acc.names, acc.n, sizeof *acc.names, cmp_name);
    *names = acc.names;
    *n = acc.n;
    return 0;
}

int store_partials_each(pd_store *s, store_partial_fn fn, void *ud, pd_error *err)
{
    char **names;
    size_t n;
    pd_store_list_partials(s, &names, &n, NULL);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *dir = pd_path_join(s->partials, names[i]);
        if (rc == 0)
            rc = fn(s, names[i], dir, ud, err);
        free(dir);
        free(names[i]);
    }
    free(names);
    return rc;
}

int store_partials_migrate(pd_store *s, pd_error *err)
{
    return store_partials_each(s, migrate_partial, NULL, err);
}
