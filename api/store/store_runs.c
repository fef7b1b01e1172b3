/* store_runs.c: run records under $XDG_STATE_HOME/promptdeck/runs/<library key>/<slug>/<run id>.json,
 * outside the library so that variables and answers never reach its git history, readable by
 * the user alone: save, list, get, keeping them with their prompt when it is renamed or deleted,
 * and moving format 1 ones (DIR/runs) there. */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

char *pd_store_new_record_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
    char *rnd = pd_new_id();
    char *id = pd_strf("%s%03ldZ-%.6s", when, ts.tv_nsec / 1000000L, rnd);
    free(rnd);
    return id;
}

bool pd_store_record_id_valid(const char *id)
{
    if (!id || !*id || strlen(id) > 64)
        return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
              *c == '_'))
            return false;
    return true;
}

static char *runs_dir(const pd_store *s, const char *slug)
{
    return pd_path_join(s->runs, slug);
}

/* Writes a run record, mode 600, in its folder (made mode 700). */
static int write_run(const pd_store *s, const pd_run_record *r, pd_error *err)
{
    char *dir = runs_dir(s, r->prompt_slug);
    int rc = pd_mkdirs(dir, 0700, err);
    if (rc == 0) {
        char *path = pd_strf("%s/%s.json", dir, r->id);
        json_t *j = pd_run_record_to_json(r);
        rc = store_write_json_mode(path, j, 0600, 0, err);
        json_decref(j);
        free(path);
    }
    free(dir);
    return rc;
}

int pd_store_save_run(pd_store *s, pd_run_record *r, pd_error *err)
{
    if (!pd_slug_valid(r->prompt_slug, err))
        return -1;
    if (!r->id)
        r->id = pd_store_new_record_id();
    if (!pd_store_record_id_valid(r->id))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "run id \"%s\": use letters, digits, '-', '_'", r->id);
    if (!r->started_at)
        r->started_at = pd_now_rfc3339();
    return write_run(s, r, err);
}

/* Reads one run file; a damaged one comes back with status "damaged" and the problem in error. */
static pd_run_record *read_run(const char *path, const char *id, const char *slug, pd_error *err)
{
    json_t *j;
    char *text;
    size_t len;
    pd_error local = {0};
    if (store_read_json(path, &j, &text, &len, NULL, &local) != 0) {
        if (local.code == PD_ERR_NOT_FOUND) {
            if (err)
                *err = local;
            return NULL;
        }
    } else {
        pd_json_src src = {path, text, len};
        pd_run_record *r = pd_run_record_decode(j, &src, &local);
        json_decref(j);
        free(text);
        if (r)
            return r;
    }
    pd_run_record *r = pd_xcalloc(1, sizeof *r);
    r->id = pd_strdup(id);
    r->prompt_slug = pd_strdup(slug);
    r->status = pd_strdup("damaged");
    r->error = pd_strdup(local.msg);
    r->input_tokens = r->output_tokens = -1;
    return r;
}

/* The run ids ("<id>.json" files) in dir, sorted newest first. */
static int run_ids(const char *dir, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = pd_xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = pd_strndup(de->d_name, len - 5);
    }
    closedir(d);
    return 0;
}

static int cmp_run_newest(const void *a, const void *b)
{
    return -strcmp((*(pd_run_record *const *)a)->id, (*(pd_run_record *const *)b)->id);
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

int pd_store_list_runs(pd_store *s, const char *slug, pd_run_record ***out, size_t *n, pd_error *err)
{
    *out = NULL;
    *n = 0;
    if (!pd_slug_valid(slug, err))
        return -1;
    char *dirs[2] = {runs_dir(s, slug), pd_path_join(s->old_runs, slug)};   /* format 1 kept them here */
    pd_run_record **rs = NULL;
    size_t got = 0;
    for (int d = 0; d < 2; d++) {
        char **ids;
        size_t cnt;
        run_ids(dirs[d], &ids, &cnt);
        if (cnt)
            rs = pd_xrealloc(rs, (got + cnt) * sizeof *rs);
        for (size_t i = 0; i < cnt; i++) {
            char *path = pd_strf("%s/%s.json", dirs[d], ids[i]);
            pd_run_record *r = read_run(path, ids[i], slug, NULL);
            if (r)   /* NULL: removed meanwhile */
                rs[got++] = r;
            free(path);
        }
        free_ids(ids, cnt);
        free(dirs[d]);
    }
    if (got > 1)
        qsort(rs, got, sizeof *rs, cmp_run_newest);
    *out = rs;
    *n = got;
    return 0;
}

int pd_store_get_run(pd_store *s, const char *slug, const char *run_id, pd_run_record **out, pd_error *err)
{
    *out = NULL;
    if (!pd_slug_valid(slug, err))
        return -1;
    if (!pd_store_record_id_valid(run_id))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" is not a run id", run_id ? run_id : "");
    char *path = pd_strf("%s/%s/%s.json", s->runs, slug, run_id);
    *out = read_run(path, run_id, slug, err);
    free(path);
    if (!*out) {   /* a format 1 library not upgraded yet */
        path = pd_strf("%s/%s/%s.json", s->old_runs, slug, run_id);
        *out = read_run(path, run_id, slug, err);
        free(path);
    }
    if (!*out)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no run %s", slug, run_id);
    return 0;
}

int store_runs_remove(pd_store *s, const char *slug, pd_error *err)
{
    char *dir = runs_dir(s, slug);
    char **ids;
    size_t cnt;
    run_ids(dir, &ids, &cnt);
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        char *path = pd_strf("%s/%s.json", dir, ids[i]);
        rc = pd_unlink(path, err);
        free(path);
    }
    free_ids(ids, cnt);
    pd_rmdir_empty_up(dir, s->runs);
    free(dir);
    return rc;
}

int store_runs_move(pd_store *s, const char *from, const char *to, pd_error *err)
{
    char *src = runs_dir(s, from), *dst = runs_dir(s, to);
    char **ids;
    size_t cnt;
    run_ids(src, &ids, &cnt);
    int rc = cnt ? pd_mkdirs(dst, 0700, err) : 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        char *a = pd_strf("%s/%s.json", src, ids[i]), *b = pd_strf("%s/%s.json", dst, ids[i]);
        if (rename(a, b) != 0)
            rc = pd_error_set(err, PD_ERR_IO, "cannot move %s to %s: %s", a, b, strerror(errno));
        free(a);
        free(b);
    }
    free_ids(ids, cnt);
    if (rc == 0)
        pd_rmdir_empty_up(src, s->runs);
    free(src);
    free(dst);
    return rc;
}

/* Moves the run records of one folder of DIR/runs (and those below it) to the state directory. */
static int migrate_runs_dir(pd_store *s, const char *rel, int depth, pd_error *err)
{
    char *dir = *rel ? pd_path_join(s->old_runs, rel) : pd_strdup(s->old_runs);
    store_dir_scan scan;
    int rc = 0;
    if (depth > 64 || store_scan_dir(dir, "", &scan, NULL) != 0) {
        free(dir);
        return 0;
    }
    char **ids;
    size_t cnt;
    run_ids(dir, &ids, &cnt);
    char *dst = *rel ? runs_dir(s, rel) : NULL;
    if (cnt && dst)
        rc = pd_mkdirs(dst, 0700, err);
    for (size_t i = 0; i < cnt && rc == 0 && dst; i++) {   /* byte for byte: damaged ones too */
        char *from = pd_strf("%s/%s.json", dir, ids[i]), *to = pd_strf("%s/%s.json", dst, ids[i]);
        char *data;
        size_t len;
        rc = store_read_file(from, &data, &len, err);
        if (rc == 0) {
            rc = store_write_file(to, data, len, 0600, 0, err);
            free(data);
        }
        if (rc == 0)
            rc = pd_unlink(from, err);
        free(from);
        free(to);
    }
    free(dst);
    free_ids(ids, cnt);
    for (size_t i = 0; i < scan.n_subdirs && rc == 0; i++) {
        char *sub = *rel ? pd_path_join(rel, scan.subdirs[i]) : pd_strdup(scan.subdirs[i]);
        rc = migrate_runs_dir(s, sub, depth + 1, err);
        free(sub);
    }
    store_dir_scan_free(&scan);
    if (rc == 0)
        rmdir(dir);
    free(dir);
    return rc;
}

int store_runs_migrate(pd_store *s, pd_error *err)
{
    return migrate_runs_dir(s, "", 0, err);
}
