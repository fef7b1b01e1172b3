/* store_partials.c: partials (named snippets used as {{> name}}) under DIR/partials/<name>/,
 * versioned like prompts: v0001.json ... and partial.json written last. */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

/* The partial's newest version: max(partial.json's current_version, highest version file);
 * 0 when the partial does not exist. DAMAGED when partial.json does not read. */
static int partial_current(const char *dir, int *current, char **created_at, pd_error *err)
{
    *current = 0;
    if (created_at)
        *created_at = NULL;
    store_dir_scan scan;
    if (store_scan_dir(dir, "partial.json", &scan, NULL) != 0)
        return 0;
    int max_file = scan.n_versions ? scan.versions[scan.n_versions - 1] : 0;
    bool has_meta = scan.has_meta;
    store_dir_scan_free(&scan);
    if (!has_meta)
        return 0;
    char *path = pd_path_join(dir, "partial.json");
    json_t *j;
    char *text;
    size_t len;
    int rc = store_read_json(path, &j, &text, &len, err);
    if (rc == 0) {
        json_t *cv = json_object_get(j, "current_version");
        if (!json_is_integer(cv) || json_integer_value(cv) < 1 || json_integer_value(cv) > 100000000) {
            pd_json_src src = {path, text, len};
            rc = pd_json_src_error(&src, "current_version", err, "expected a version number");
        } else {
            *current = (int)json_integer_value(cv);
            if (*current < max_file)
                *current = max_file;
            json_t *ca = json_object_get(j, "created_at");
            if (created_at && json_is_string(ca))
                *created_at = pd_strdup(json_string_value(ca));
        }
        json_decref(j);
        free(text);
    }
    free(path);
    return rc;
}

static int read_partial_version(const char *dir, const char *name, int version, pd_partial **out, pd_error *err)
{
    char *path = store_version_path(dir, version);
    json_t *j;
    char *text;
    size_t len;
    int rc = store_read_json(path, &j, &text, &len, err);
    if (rc != 0 && err && err->code == PD_ERR_NOT_FOUND) {
        err->code = PD_ERR_DAMAGED;
        pd_error_prefix(err, "partial \"%s\": version file missing", name);
    }
    if (rc == 0) {
        pd_json_src src = {path, text, len};
        *out = pd_partial_decode(j, &src, err);
        if (*out && (*out)->version != version) {
            pd_json_src_error(&src, "version", err, "says version %d but the file is for version %d", (*out)->version,
                              version);
            pd_partial_free(*out);
            *out = NULL;
        }
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
    char *dir = pd_path_join(s->partials, name);
    int current;
    int rc = partial_current(dir, &current, NULL, err);
    if (rc == 0 && current == 0)
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "no partial \"%s\" in %s", name, s->dir);
    if (rc == 0 && version == 0)
        version = current;
    if (rc == 0 && (version < 1 || version > current))
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "partial \"%s\" has no version %d (versions 1..%d)", name, version,
                          current);
    if (rc == 0)
        rc = read_partial_version(dir, name, version, out, err);
    free(dir);
    return rc;
}

static int put_locked(pd_store *s, const char *name, const char *content, const char *commit_message,
                      int *new_version, pd_error *err)
{
    char *dir = pd_path_join(s->partials, name);
    int current;
    char *created_at;
    int rc = partial_current(dir, &current, &created_at, err);
    pd_partial *cur = NULL;
    if (rc == 0 && current > 0)
        rc = read_partial_version(dir, name, current, &cur, err);
    if (rc == 0 && cur && strcmp(cur->content, content) == 0) {
        pd_partial_free(cur);
        free(created_at);
        free(dir);
        return 0;   /* same content: no new version */
    }
    pd_partial_free(cur);
    pd_partial nv = {.name = (char *)name, .version = current + 1, .content = (char *)content,
                     .commit_message = (char *)commit_message, .created_at = pd_now_rfc3339()};
    if (rc == 0)
        rc = pd_mkdirs(dir, 0755, err);
    if (rc == 0) {
        char *path = store_version_path(dir, nv.version);
        json_t *j = pd_partial_to_json(&nv);
        rc = store_write_json(path, j, STORE_NO_DIR_SYNC, err);   /* partial.json comes next */
        json_decref(j);
        free(path);
    }
    if (rc == 0) {
        json_t *meta = json_pack("{s:s, s:i, s:s, s:s}", "name", name, "current_version", nv.version, "created_at",
                                 created_at ? created_at : nv.created_at, "updated_at", nv.created_at);
        char *path = pd_path_join(dir, "partial.json");
        rc = store_write_json(path, meta, 0, err);
        free(path);
        json_decref(meta);
    }
    if (rc == 0)
        *new_version = nv.version;
    free(nv.created_at);
    free(created_at);
    free(dir);
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
    if (store_lock(s, &fd, err) != 0)
        return -1;
    int rc = put_locked(s, name, content, commit_message, new_version, err);
    store_unlock(fd);
    return rc;
}

typedef struct name_acc {
    char **names;
    size_t n, cap;
} name_acc;

static void walk_partials(const char *dir, const char *name, int depth, name_acc *acc)
{
    store_dir_scan scan;
    if (depth > 64 || store_scan_dir(dir, "partial.json", &scan, NULL) != 0)
        return;
    if (name && scan.has_meta) {
        if (acc->n == acc->cap) {
            acc->cap = acc->cap ? acc->cap * 2 : 16;
            acc->names = pd_xrealloc(acc->names, acc->cap * sizeof *acc->names);
        }
        acc->names[acc->n++] = pd_strdup(name);
    }
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
