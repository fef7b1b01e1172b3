/* store_files.c: the library's JSON files: versioned writes and reads, version file names, and
 * scanning a prompt directory. */
#include "store_priv.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

int store_write_json(const char *path, json_t *j, int flags, pd_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "format_version", json_integer(PD_FORMAT_VERSION));
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
        if (strcmp(k, "format_version") != 0)
            json_object_set(o, k, v);
    char *text = pd_json_dump_pretty(o);
    json_decref(o);
    int rc = store_write_file(path, text, strlen(text), 0644, flags, err);
    free(text);
    return rc;
}

static int check_format(json_t *j, const pd_json_src *src, pd_error *err)
{
    if (!json_is_object(j))
        return pd_json_src_error(src, "", err, "expected a JSON object");
    json_t *fv = json_object_get(j, "format_version");
    if (!fv)
        return pd_json_src_error(src, "", err, "missing field \"format_version\"");
    if (!json_is_integer(fv) || json_integer_value(fv) != PD_FORMAT_VERSION) {
        char *shown = json_dumps(fv, JSON_ENCODE_ANY);
        pd_json_src_error(src, "format_version", err, "%s is not supported (this promptdeck reads %d)",
                          shown ? shown : "?", PD_FORMAT_VERSION);
        free(shown);
        return -1;
    }
    return 0;
}

int store_read_json(const char *path, json_t **out, char **text, size_t *len, pd_error *err)
{
    *out = NULL;
    *text = NULL;
    if (pd_read_file(path, text, len, err) != 0) {
        if (err && err->code != PD_ERR_NOT_FOUND)
            err->code = PD_ERR_DAMAGED;
        return -1;
    }
    pd_json_src src = {path, *text, *len};
    json_t *j = pd_json_parse_src(&src, err);
    if (!j || check_format(j, &src, err) != 0) {
        json_decref(j);
        free(*text);
        *text = NULL;
        return -1;
    }
    *out = j;
    return 0;
}

int store_version_file_number(const char *name)
{
    if (name[0] != 'v')
        return 0;
    long n = 0;
    const char *p = name + 1;
    if (*p < '0' || *p > '9')
        return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (*p - '0');
        if (n > 100000000)
            return 0;
    }
    return strcmp(p, ".json") == 0 && n > 0 ? (int)n : 0;
}

char *store_version_path(const char *dir, int number)
{
    return pd_strf("%s/v%04d.json", dir, number);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A slug segment: [a-z0-9_-]+, so temporary files, version files, ".git" or a stray "Notes"
 * directory are never taken for one. */
static bool is_segment(const char *name)
{
    return name[0] && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(name);
}

static bool is_dir(const char *dir, const struct dirent *de)
{
    if (de->d_type == DT_DIR)
        return true;
    if (de->d_type != DT_UNKNOWN)
        return false;
    char *p = pd_path_join(dir, de->d_name);
    struct stat st;
    bool r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return r;
}

int store_scan_dir(const char *dir, const char *meta_name, store_dir_scan *out, pd_error *err)
{
    *out = (store_dir_scan){0};
    DIR *d = opendir(dir);
    if (!d)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "cannot read directory %s", dir);
    size_t cap_v = 0, cap_s = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        int num;
        if (strcmp(name, meta_name) == 0) {
            out->has_meta = true;
        } else if ((num = store_version_file_number(name)) > 0) {
            if (out->n_versions == cap_v) {
                cap_v = cap_v ? cap_v * 2 : 8;
                out->versions = pd_xrealloc(out->versions, cap_v * sizeof *out->versions);
            }
            out->versions[out->n_versions++] = num;
        } else if (is_segment(name) && is_dir(dir, de)) {
            if (out->n_subdirs == cap_s) {
                cap_s = cap_s ? cap_s * 2 : 8;
                out->subdirs = pd_xrealloc(out->subdirs, cap_s * sizeof *out->subdirs);
            }
            out->subdirs[out->n_subdirs++] = pd_strdup(name);
        }
    }
    closedir(d);
    if (out->n_versions > 1)
        qsort(out->versions, out->n_versions, sizeof *out->versions, cmp_int);
    if (out->n_subdirs > 1)
        qsort(out->subdirs, out->n_subdirs, sizeof *out->subdirs, cmp_str);
    return 0;
}

void store_dir_scan_free(store_dir_scan *d)
{
    free(d->versions);
    for (size_t i = 0; i < d->n_subdirs; i++)
        free(d->subdirs[i]);
    free(d->subdirs);
    *d = (store_dir_scan){0};
}
