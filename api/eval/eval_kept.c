/* eval_kept.c: evaluations kept outside the library (per library, mode 600, like run records),
 * listing them, and what changed between two. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eval.h"

static char *kept_dir(pd_store *s)
{
    return pd_store_state_path(s, "evals");
}

int pd_eval_kept_save(pd_store *s, json_t *doc, pd_error *err)
{
    char *dir = kept_dir(s), *id = pd_store_new_record_id();
    json_object_set_new(doc, "id", json_string(id));
    int rc = pd_mkdirs(dir, 0700, err);
    if (rc == 0) {
        pd_buf path = PD_BUF_INIT;
        pd_buf_printf(&path, "%s/%s.json", dir, id);
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        rc = pd_write_file_atomic(pd_buf_str(&path), text, strlen(text), 0600, err);
        free(text);
        pd_buf_free(&path);
    }
    free(dir);
    free(id);
    return rc;
}

/* Loads the evaluation at path; a kept one (in the state folder) is read as the store reads its
 * own files: a FIFO or symbolic link planted there is refused, never waited on nor followed. */
static int load_path(const char *path, bool kept, json_t **out, pd_error *err)
{
    json_error_t je;
    *out = NULL;
    if (kept) {
        char *text = NULL;
        size_t len = 0;
        if (pd_store_read_library_file(path, &text, &len, err) != 0)
            return -1;
        *out = json_loadb(text, len, 0, &je);
        free(text);
    } else {
        *out = json_load_file(path, 0, &je);
    }
    if (!*out)
        return pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %s", path, je.line, je.text);
    const char *fmt = json_string_value(json_object_get(*out, "format"));
    if (!fmt || strcmp(fmt, "promptdeck-eval") != 0 || !json_is_array(json_object_get(*out, "results"))) {
        json_decref(*out);
        *out = NULL;
        return pd_error_set(err, PD_ERR_DAMAGED, "%s: not a promptdeck evaluation", path);
    }
    return 0;
}

int pd_eval_kept_load(pd_store *s, const char *id, json_t **out, pd_error *err)
{
    *out = NULL;
    if (strchr(id, '/'))
        return load_path(id, false, out, err);
    if (!pd_store_record_id_valid(id))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "'%s' is not an evaluation id", id);
    char *dir = kept_dir(s);
    pd_buf path = PD_BUF_INIT;
    pd_buf_printf(&path, "%s/%s.json", dir, id);
    struct stat st;
    int rc;
    if (lstat(pd_buf_str(&path), &st) != 0)
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "no kept evaluation '%s' (promptdeck eval --list SLUG lists them)", id);
    else
        rc = load_path(pd_buf_str(&path), true, out, err);
    pd_buf_free(&path);
    free(dir);
    return rc;
}

static int newest_first(const void *a, const void *b)
{
    return -strcmp(*(char *const *)a, *(char *const *)b);
}

int pd_eval_kept_list(pd_store *s, const char *slug, json_t **out, pd_error *err)
{
    (void)err;
    *out = json_array();
    char *dir = kept_dir(s);
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            names = pd_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = pd_strdup(e->d_name);
        }
    }
    if (d)
        closedir(d);
    if (n)
        qsort(names, n, sizeof *names, newest_first);
    for (size_t i = 0; i < n; i++) {
        pd_buf path = PD_BUF_INIT;
        pd_buf_printf(&path, "%s/%s", dir, names[i]);
        json_t *doc = NULL;
        pd_error lerr = {0};
        if (load_path(pd_buf_str(&path), true, &doc, &lerr) == 0) {
            const char *ds = json_string_value(json_object_get(doc, "slug"));
            if (!slug || (ds && strcmp(ds, slug) == 0))
                json_array_append_new(*out, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(doc, "id"),
                                                      "slug", json_object_get(doc, "slug"), "started_at",
                                                      json_object_get(doc, "started_at"), "columns",
                                                      json_object_get(doc, "columns"), "summary",
                                                      json_object_get(doc, "summary")));
            json_decref(doc);
        }
        pd_buf_free(&path);
        free(names[i]);
    }
    free(names);
    free(dir);
    return 0;
}

/* ---- comparing ---- */

static const char *str_of(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* A column's identity: version, provider, model. */
static char *column_key(json_t *j)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%" JSON_INTEGER_FORMAT "\x1f%s\x1f%s", json_integer_value(json_object_get(j, "version")),
                  str_of(j, "provider"), str_of(j, "model"));
    return pd_buf_take(&b);
}

/* The cell's identity across evaluations: case, its column (by identity, or by position when
 * the two evaluations share no column: version 2 against version 3), repeat. */
static char *cell_key(json_t *res, bool by_position)
{
    char *col = by_position ? pd_strdup("") : column_key(res);
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s\x1f%s\x1f%" JSON_INTEGER_FORMAT "\x1f%" JSON_INTEGER_FORMAT, str_of(res, "case"), col,
                  by_position ? json_integer_value(json_object_get(res, "column")) : 0,
                  json_integer_value(json_object_get(res, "repeat")));
    free(col);
    return pd_buf_take(&b);
}

/* True when a and b have no column in common. */
static bool no_common_column(json_t *a, json_t *b)
{
    json_t *keys = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(a, "columns"), i, c) {
        char *k = column_key(c);
        json_object_set_new(keys, k, json_true());
        free(k);
    }
    bool none = true;
    json_array_foreach(json_object_get(b, "columns"), i, c) {
        char *k = column_key(c);
        none = none && !json_object_get(keys, k);
        free(k);
    }
    json_decref(keys);
    return none;
}

static const char *outcome(json_t *res)
{
    if (!res)
        return NULL;
    if (json_object_get(res, "error") && !json_is_null(json_object_get(res, "error")))
        return "error";
    return json_is_true(json_object_get(res, "pass")) ? "pass" : "fail";
}

static json_t *change(json_t *before, json_t *after)
{
    json_t *res = after ? after : before;
    const char *o1 = outcome(before), *o2 = outcome(after);
    json_t *j = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:s?, s:s?, s:O?}", "case", json_object_get(res, "case"),
                          "version", json_object_get(res, "version"), "provider", json_object_get(res, "provider"),
                          "model", json_object_get(res, "model"), "repeat", json_object_get(res, "repeat"), "before", o1,
                          "after", o2, "reason", json_object_get(res, "reason"));
    if (before && after && !json_equal(json_object_get(before, "version"), json_object_get(after, "version")))
        json_object_set(j, "before_version", json_object_get(before, "version"));
    return j;
}

json_t *pd_eval_compare(json_t *a, json_t *b)
{
    json_t *index = json_object();   /* key -> a's result */
    bool by_position = no_common_column(a, b);
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(a, "results"), i, res) {
        char *k = cell_key(res, by_position);
        json_object_set(index, k, res);
        free(k);
    }
    json_t *regressions = json_array(), *fixes = json_array(), *added = json_array(), *removed;
    size_t same_pass = 0, same_fail = 0;
    json_array_foreach(json_object_get(b, "results"), i, res) {
        char *k = cell_key(res, by_position);
        json_t *before = json_object_get(index, k);
        if (!before) {
            json_array_append_new(added, change(NULL, res));
        } else {
            bool was = strcmp(outcome(before), "pass") == 0, is = strcmp(outcome(res), "pass") == 0;
            if (was && !is)
                json_array_append_new(regressions, change(before, res));
            else if (!was && is)
                json_array_append_new(fixes, change(before, res));
            else if (is)
                same_pass++;
            else
                same_fail++;
            json_object_del(index, k);
        }
        free(k);
    }
    removed = json_array();
    json_array_foreach(json_object_get(a, "results"), i, res) {
        char *k = cell_key(res, by_position);
        if (json_object_get(index, k))
            json_array_append_new(removed, change(res, NULL));
        free(k);
    }
    json_decref(index);
    return json_pack("{s:O?, s:O?, s:o, s:o, s:o, s:o, s:{s:I, s:I}}", "a", json_object_get(a, "id"), "b",
                     json_object_get(b, "id"), "regressions", regressions, "fixes", fixes, "added", added, "removed",
                     removed, "unchanged", "passed", (json_int_t)same_pass, "failed", (json_int_t)same_fail);
}
