/* store_write.c: changing the library under its lock: create, update (the versioning rules),
 * delete, rename, labels. Order of writes: version files first, prompt.json last, so a crash
 * at any moment leaves a prompt that loads (see store_load_prompt). */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define PD_TAG_MAX 64

static int check_text(const char *what, const char *s, bool required, pd_error *err)
{
    if (!s) {
        if (required)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is required", what);
        return 0;
    }
    if (required && !*s)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is empty", what);
    if (!pd_utf8_valid(s, strlen(s)))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is not valid UTF-8", what);
    return 0;
}

static int check_tags(char *const *tags, size_t n, pd_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (check_text("tag", tags[i], true, err) != 0)
            return -1;
        if (strlen(tags[i]) > PD_TAG_MAX)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "tag \"%.20s...\" is longer than %d bytes", tags[i],
                                PD_TAG_MAX);
        for (const char *c = tags[i]; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                return pd_error_set(err, PD_ERR_INVALID_REQUEST, "tag %zu contains a control character", i + 1);
    }
    return 0;
}

static void set_strv(char ***dst, size_t *dn, char *const *src, size_t n)
{
    for (size_t i = 0; i < *dn; i++)
        free((*dst)[i]);
    free(*dst);
    *dst = n ? pd_xcalloc(n, sizeof **dst) : NULL;
    for (size_t i = 0; i < n; i++)
        (*dst)[i] = pd_strdup(src[i]);
    *dn = n;
}

static void replace_str(char **dst, const char *src)
{
    char *d = pd_strdup(src);
    free(*dst);
    *dst = d;
}

int store_create_locked(pd_store *s, const pd_prompt *p, pd_version *const *versions, size_t n, pd_error *err)
{
    char *pdir = store_prompt_dir(s, p->slug);
    char *meta = pd_path_join(pdir, "prompt.json");
    store_dir_scan scan;
    int rc = -1;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) == 0) {
        bool taken = scan.has_meta;
        /* version files without prompt.json: a create or delete that was killed half-way; they
         * were never (or are no longer) part of a prompt */
        for (size_t i = 0; !taken && i < scan.n_versions; i++) {
            char *leftover = store_version_path(pdir, scan.versions[i]);
            pd_unlink(leftover, NULL);
            free(leftover);
        }
        store_dir_scan_free(&scan);
        if (taken) {
            pd_error_set(err, PD_ERR_CONFLICT, "prompt \"%s\" already exists", p->slug);
            goto out;
        }
    }
    if (pd_mkdirs(pdir, 0755, err) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (store_write_version(pdir, versions[i], err) != 0)
            goto out;
    pd_prompt *m = pd_prompt_dup(p);
    if (!m->id)
        m->id = pd_new_id();
    if (!m->description)
        m->description = pd_strdup("");
    if (!m->created_at)
        m->created_at = pd_strdup(versions[0]->created_at);
    if (!m->updated_at)
        m->updated_at = pd_strdup(versions[n - 1]->created_at);
    m->current_version = (int)n;
    m->damaged = false;
    rc = store_write_prompt(pdir, m, err);
    pd_prompt_free(m);
    if (rc == 0) {   /* make the new directories themselves durable */
        char *parent = pd_strdup(pdir);
        char *slash = strrchr(parent, '/');
        if (slash)
            *slash = '\0';
        rc = pd_fsync_dir(parent, err);
        free(parent);
    }
out:
    free(meta);
    free(pdir);
    return rc;
}

int pd_store_create(pd_store *s, const pd_prompt *p, const pd_version *v, pd_error *err)
{
    if (!pd_slug_valid(p->slug, err) || check_text("name", p->name, true, err) ||
        check_text("description", p->description, false, err) || check_tags(p->tags, p->n_tags, err) ||
        pd_version_validate(v, err))
        return -1;
    pd_version *first = pd_version_dup(v);
    first->number = 1;
    store_fill_version(first);
    pd_prompt meta = {.slug = p->slug, .name = p->name, .description = p->description, .tags = p->tags,
                      .n_tags = p->n_tags};
    meta.created_at = meta.updated_at = first->created_at;
    int fd;
    int rc = store_lock(s, &fd, err);
    if (rc == 0) {
        rc = store_create_locked(s, &meta, &first, 1, err);
        store_unlock(fd);
    }
    pd_version_free(first);
    return rc;
}

/* Runs fn on the prompt under the library lock; writes prompt.json when fn returns 1 (changed). */
typedef int (*locked_fn)(pd_store *s, pd_prompt *p, const char *pdir, void *ctx, pd_error *err);

static int with_prompt_locked(pd_store *s, const char *slug, locked_fn fn, void *ctx, pd_error *err)
{
    int fd;
    if (store_lock(s, &fd, err) != 0)
        return -1;
    pd_prompt *p;
    char *pdir;
    int rc = store_get_prompt_dir(s, slug, &p, &pdir, err);
    if (rc == 0) {
        rc = fn(s, p, pdir, ctx, err);
        if (rc == 1) {
            char *now = pd_now_rfc3339();
            free(p->updated_at);
            p->updated_at = now;
            rc = store_write_prompt(pdir, p, err);
        }
        pd_prompt_free(p);
        free(pdir);
    }
    store_unlock(fd);
    return rc < 0 ? -1 : 0;
}

typedef struct update_ctx {
    const pd_update *u;
    pd_update_result *res;
} update_ctx;

static bool strv_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static bool apply_metadata(pd_prompt *p, const pd_update *u)
{
    bool changed = false;
    if (u->name && strcmp(u->name, p->name) != 0) {
        replace_str(&p->name, u->name);
        changed = true;
    }
    if (u->description && strcmp(u->description, p->description ? p->description : "") != 0) {
        replace_str(&p->description, u->description);
        changed = true;
    }
    if (u->set_tags && !strv_equal(p->tags, p->n_tags, u->tags, u->n_tags)) {
        set_strv(&p->tags, &p->n_tags, u->tags, u->n_tags);
        changed = true;
    }
    return changed;
}

static int read_current(pd_store *s, const pd_prompt *p, pd_version **out, pd_error *err)
{
    return pd_store_get_version(s, p->slug, p->current_version, out, err);
}

static int update_locked(pd_store *s, pd_prompt *p, const char *pdir, void *vctx, pd_error *err)
{
    update_ctx *c = vctx;
    const pd_update *u = c->u;
    if (u->base_version > 0 && p->current_version != u->base_version) {
        pd_version *cur = NULL;
        read_current(s, p, &cur, NULL);
        pd_buf who = PD_BUF_INIT;
        if (cur && cur->author)
            pd_buf_printf(&who, " by %s", cur->author);
        if (cur && cur->created_at)
            pd_buf_printf(&who, " at %s", cur->created_at);
        pd_error_set(err, PD_ERR_CONFLICT,
                     "conflict: prompt \"%s\" is now at version %d (saved%s), but this change is based on version %d; "
                     "nothing was saved",
                     p->slug, p->current_version, pd_buf_str(&who), u->base_version);
        pd_buf_free(&who);
        pd_version_free(cur);
        return -1;
    }
    c->res->metadata_changed = apply_metadata(p, u);
    if (u->content) {
        pd_version *cur;
        if (read_current(s, p, &cur, err) != 0)
            return -1;
        bool same = pd_version_content_equal(cur, u->content);
        pd_version_free(cur);
        if (same) {
            c->res->content_unchanged = true;
        } else {
            pd_version *nv = pd_version_dup(u->content);
            nv->number = p->current_version + 1;
            store_fill_version(nv);
            int rc = store_write_version(pdir, nv, err);
            pd_version_free(nv);
            if (rc != 0)
                return -1;
            p->current_version++;
            c->res->new_version = p->current_version;
        }
    }
    return c->res->metadata_changed || c->res->new_version ? 1 : 0;
}

int pd_store_update(pd_store *s, const char *slug, const pd_update *u, pd_update_result *res, pd_error *err)
{
    pd_update_result local;
    if (!res)
        res = &local;
    *res = (pd_update_result){0};
    if ((u->name && check_text("name", u->name, true, err)) ||
        check_text("description", u->description, false, err) ||
        (u->set_tags && check_tags(u->tags, u->n_tags, err)) || (u->content && pd_version_validate(u->content, err)))
        return -1;
    update_ctx c = {u, res};
    return with_prompt_locked(s, slug, update_locked, &c, err);
}

typedef struct label_ctx {
    const char *label;
    int version;   /* 0: remove */
} label_ctx;

static int label_locked(pd_store *s, pd_prompt *p, const char *pdir, void *vctx, pd_error *err)
{
    (void)s;
    (void)pdir;
    label_ctx *c = vctx;
    size_t i = 0;
    while (i < p->n_labels && strcmp(p->labels[i].name, c->label) != 0)
        i++;
    if (c->version == 0) {
        if (i == p->n_labels)
            return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no label \"%s\"", p->slug, c->label);
        free(p->labels[i].name);
        memmove(&p->labels[i], &p->labels[i + 1], (p->n_labels - i - 1) * sizeof *p->labels);
        p->n_labels--;
        return 1;
    }
    if (c->version < 1 || c->version > p->current_version)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no version %d (versions 1..%d)", p->slug,
                            c->version, p->current_version);
    if (i < p->n_labels) {
        if (p->labels[i].version == c->version)
            return 0;
        p->labels[i].version = c->version;   /* moving it takes it off the old version */
        return 1;
    }
    /* insert keeping the labels sorted by name */
    p->labels = pd_xrealloc(p->labels, (p->n_labels + 1) * sizeof *p->labels);
    size_t at = 0;
    while (at < p->n_labels && strcmp(p->labels[at].name, c->label) < 0)
        at++;
    memmove(&p->labels[at + 1], &p->labels[at], (p->n_labels - at) * sizeof *p->labels);
    p->labels[at].name = pd_strdup(c->label);
    p->labels[at].version = c->version;
    p->n_labels++;
    return 1;
}

int pd_store_set_label(pd_store *s, const char *slug, const char *label, int version, pd_error *err)
{
    if (!pd_label_name_valid(label, err))
        return -1;
    if (version < 1)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "version %d: versions start at 1", version);
    label_ctx c = {label, version};
    return with_prompt_locked(s, slug, label_locked, &c, err);
}

int pd_store_remove_label(pd_store *s, const char *slug, const char *label, pd_error *err)
{
    if (!pd_label_name_valid(label, err))
        return -1;
    label_ctx c = {label, 0};
    return with_prompt_locked(s, slug, label_locked, &c, err);
}

/* Removes prompt.json first (after that the prompt is gone), then the version files. */
static int remove_prompt_files(pd_store *s, const char *pdir, pd_error *err)
{
    char *meta = pd_path_join(pdir, "prompt.json");
    int rc = pd_unlink(meta, err);
    free(meta);
    if (rc == 0)
        rc = pd_fsync_dir(pdir, err);
    store_dir_scan scan;
    if (rc == 0 && store_scan_dir(pdir, "prompt.json", &scan, NULL) == 0) {
        for (size_t i = 0; i < scan.n_versions && rc == 0; i++) {
            char *vp = store_version_path(pdir, scan.versions[i]);
            rc = pd_unlink(vp, err);
            free(vp);
        }
        store_dir_scan_free(&scan);
    }
    pd_rmdir_empty_up(pdir, s->prompts);
    return rc;
}

int pd_store_delete(pd_store *s, const char *slug, pd_error *err)
{
    if (!pd_slug_valid(slug, err))
        return -1;
    int fd;
    if (store_lock(s, &fd, err) != 0)
        return -1;
    /* A damaged prompt can be deleted too: that is one way out of the damage. */
    char *pdir = store_prompt_dir(s, slug);
    store_dir_scan scan;
    int rc;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) != 0 || !scan.has_meta) {
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "no prompt \"%s\" in %s", slug, s->dir);
    } else {
        rc = remove_prompt_files(s, pdir, err);
        if (rc == 0)
            rc = store_runs_remove(s, slug, err);
    }
    store_dir_scan_free(&scan);
    free(pdir);
    store_unlock(fd);
    return rc;
}

/* Copies the version files byte for byte. */
static int copy_versions(const char *from, const char *to, int n, pd_error *err)
{
    for (int i = 1; i <= n; i++) {
        char *src = store_version_path(from, i), *dst = store_version_path(to, i);
        char *data;
        size_t len;
        int rc = pd_read_file(src, &data, &len, err);
        if (rc == 0)
            rc = store_write_file(dst, data, len, 0644, STORE_NO_DIR_SYNC, err);
        if (rc == 0)
            free(data);
        free(src);
        free(dst);
        if (rc != 0)
            return -1;
    }
    return 0;
}

typedef struct rename_ctx {
    const char *to;
} rename_ctx;

static int rename_locked(pd_store *s, pd_prompt *p, const char *pdir, void *vctx, pd_error *err)
{
    rename_ctx *c = vctx;
    char *to_dir = store_prompt_dir(s, c->to);
    store_dir_scan scan;
    int rc = 0;
    if (store_scan_dir(to_dir, "prompt.json", &scan, NULL) == 0) {
        if (scan.has_meta)
            rc = pd_error_set(err, PD_ERR_CONFLICT, "prompt \"%s\" already exists", c->to);
        store_dir_scan_free(&scan);
    }
    /* New copy complete (versions, then prompt.json) before the old one goes: a crash leaves
     * two loadable prompts at worst, never a damaged one. */
    if (rc == 0)
        rc = pd_mkdirs(to_dir, 0755, err);
    if (rc == 0)
        rc = copy_versions(pdir, to_dir, p->current_version, err);
    if (rc == 0) {
        char *old_slug = p->slug;
        p->slug = pd_strdup(c->to);
        replace_str(&p->updated_at, NULL);
        p->updated_at = pd_now_rfc3339();
        rc = store_write_prompt(to_dir, p, err);
        free(p->slug);
        p->slug = old_slug;
    }
    if (rc == 0)
        rc = remove_prompt_files(s, pdir, err);
    if (rc == 0)
        rc = store_runs_move(s, p->slug, c->to, err);
    free(to_dir);
    return rc;   /* 0: prompt.json of the old place is gone, nothing more to write */
}

int pd_store_rename(pd_store *s, const char *from, const char *to, pd_error *err)
{
    if (!pd_slug_valid(from, err) || !pd_slug_valid(to, err))
        return -1;
    if (strcmp(from, to) == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" is already the prompt's slug", to);
    rename_ctx c = {to};
    return with_prompt_locked(s, from, rename_locked, &c, err);
}
