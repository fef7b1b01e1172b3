/* store_files.c: the library's JSON files: versioned writes and reads, version file names (both
 * formats), and scanning a prompt directory. */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

int store_write_json(const char *path, json_t *j, int flags, pd_error *err)
{
    return store_write_json_mode(path, j, 0644, flags, err);
}

/* json_dump_callback's pieces written to a file through a 64 KiB buffer: a long string (a run's
 * answer) goes from the JSON value to the file as it is, never copied whole. */
#define SINK_SIZE ((size_t)64 << 10)
typedef struct json_sink {
    int fd;
    pd_buf buf;
} json_sink;

static int sink_flush(json_sink *k)
{
    int rc = store_write_all(k->fd, k->buf.data, k->buf.len);
    pd_buf_reset(&k->buf);
    return rc;
}

static int sink_put(const char *s, size_t n, void *ud)
{
    json_sink *k = ud;
    if (k->buf.len + n > SINK_SIZE && sink_flush(k) != 0)
        return -1;
    if (n >= SINK_SIZE)
        return store_write_all(k->fd, s, n);
    pd_buf_append(&k->buf, s, n);
    return 0;
}

static int fill_json(int fd, void *ud)
{
    json_sink k = {.fd = fd, .buf = PD_BUF_INIT};
    int rc = json_dump_callback(ud, sink_put, &k, PD_JSON_PRETTY);
    pd_buf_putc(&k.buf, '\n');
    if (rc == 0)
        rc = sink_flush(&k);
    pd_buf_free(&k.buf);
    return rc;
}

int store_write_json_mode(const char *path, json_t *j, int mode, int flags, pd_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "format_version", json_integer(PD_FORMAT_VERSION));
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
        if (strcmp(k, "format_version") != 0)
            json_object_set(o, k, v);
    int rc = store_write_file_with(path, fill_json, o, mode, flags, err);
    json_decref(o);
    return rc;
}

static int check_format(json_t *j, const pd_json_src *src, int *format, pd_error *err)
{
    if (!json_is_object(j))
        return pd_json_src_error(src, "", err, "expected a JSON object");
    json_t *fv = json_object_get(j, "format_version");
    if (!fv)
        return pd_json_src_error(src, "", err, "missing field \"format_version\"");
    if (!json_is_integer(fv) || json_integer_value(fv) < PD_FORMAT_OLDEST ||
        json_integer_value(fv) > PD_FORMAT_VERSION) {
        char *shown = json_dumps(fv, JSON_ENCODE_ANY);
        pd_json_src_error(src, "format_version", err, "%s is not supported (this promptdeck reads %d to %d)",
                          shown ? shown : "?", PD_FORMAT_OLDEST, PD_FORMAT_VERSION);
        free(shown);
        return -1;
    }
    if (format)
        *format = (int)json_integer_value(fv);
    return 0;
}

int store_read_json(const char *path, json_t **out, char **text, size_t *len, int *format, pd_error *err)
{
    *out = NULL;
    *text = NULL;
    if (store_read_file(path, text, len, err) != 0) {
        if (err && err->code != PD_ERR_NOT_FOUND)
            err->code = PD_ERR_DAMAGED;
        return -1;
    }
    pd_json_src src = {path, *text, *len};
    json_t *j = pd_json_parse_src(&src, err);
    if (!j || check_format(j, &src, format, err) != 0) {
        json_decref(j);
        free(*text);
        *text = NULL;
        return -1;
    }
    *out = j;
    return 0;
}

bool store_vfile_name(const char *name, int *number, char **id)
{
    *number = 0;
    *id = NULL;
    if (name[0] != 'v')
        return false;
    long n = 0;
    const char *p = name + 1;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (*p - '0');
        if (n > 100000000)
            return false;
    }
    if (n <= 0)
        return false;
    if (strcmp(p, ".json") == 0) {
        *number = (int)n;
        return true;
    }
    if (*p != '-' || strlen(p) != 1 + PD_ID_LEN + 5 || strcmp(p + 1 + PD_ID_LEN, ".json") != 0)
        return false;
    char *candidate = pd_strndup(p + 1, PD_ID_LEN);
    if (!pd_id_valid(candidate)) {
        free(candidate);
        return false;
    }
    *number = (int)n;
    *id = candidate;
    return true;
}

char *store_version_path(const char *dir, int number, const char *id)
{
    return id ? pd_strf("%s/v%04d-%s.json", dir, number, id) : pd_strf("%s/v%04d.json", dir, number);
}

static int cmp_vfile(const void *a, const void *b)
{
    const store_vfile *x = a, *y = b;
    if (x->number != y->number)
        return (x->number > y->number) - (x->number < y->number);
    if (!x->id || !y->id)
        return (x->id != NULL) - (y->id != NULL);
    return strcmp(x->id, y->id);
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

/* Whether the entry is of this type (DT_DIR, DT_REG, DT_LNK), asking lstat() when readdir cannot
 * say (a link is a link, never what it points to). */
static bool is_type(const char *dir, const struct dirent *de, unsigned char type)
{
    if (de->d_type != DT_UNKNOWN)
        return de->d_type == type;
    char *p = pd_path_join(dir, de->d_name);
    struct stat st;
    bool r = lstat(p, &st) == 0 && (type == DT_DIR   ? S_ISDIR(st.st_mode)
                                    : type == DT_LNK ? S_ISLNK(st.st_mode)
                                                     : S_ISREG(st.st_mode));
    free(p);
    return r;
}

/* A temporary file of an atomic write (".NAME.tmp.XXXXXX"), never part of a prompt. */
static bool is_temp_file(const char *name)
{
    return name[0] == '.' && strstr(name, ".tmp.") != NULL;
}

static void push_name(char ***names, size_t *n, size_t *cap, const char *name)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *names = pd_xrealloc(*names, *cap * sizeof **names);
    }
    (*names)[(*n)++] = pd_strdup(name);
}

int store_scan_dir(const char *dir, const char *meta_name, store_dir_scan *out, pd_error *err)
{
    *out = (store_dir_scan){0};
    DIR *d = opendir(dir);
    if (!d)
        return pd_error_set(err, errno == ENOENT || errno == ENOTDIR ? PD_ERR_NOT_FOUND : PD_ERR_DAMAGED,
                            "cannot read directory %s: %s", dir, strerror(errno));
    size_t cap_v = 0, cap_s = 0, cap_o = 0, cap_l = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        int num;
        char *id;
        if (strcmp(name, meta_name) == 0) {
            out->has_meta = true;
        } else if (strcmp(name, "events.jsonl") == 0) {
            out->has_events = true;
        } else if (store_vfile_name(name, &num, &id)) {
            if (out->n_files == cap_v) {
                cap_v = cap_v ? cap_v * 2 : 8;
                out->files = pd_xrealloc(out->files, cap_v * sizeof *out->files);
            }
            out->files[out->n_files++] = (store_vfile){num, id};
        } else if (is_segment(name) && is_type(dir, de, DT_DIR)) {
            push_name(&out->subdirs, &out->n_subdirs, &cap_s, name);
        } else if (is_segment(name) && is_type(dir, de, DT_LNK)) {
            push_name(&out->links, &out->n_links, &cap_l, name);
        } else if (!is_temp_file(name) && is_type(dir, de, DT_REG)) {
            push_name(&out->others, &out->n_others, &cap_o, name);
        }
    }
    closedir(d);
    if (out->n_files > 1)
        qsort(out->files, out->n_files, sizeof *out->files, cmp_vfile);
    if (out->n_subdirs > 1)
        qsort(out->subdirs, out->n_subdirs, sizeof *out->subdirs, cmp_str);
    return 0;
}

void store_dir_scan_free(store_dir_scan *d)
{
    for (size_t i = 0; i < d->n_files; i++)
        free(d->files[i].id);
    free(d->files);
    for (size_t i = 0; i < d->n_subdirs; i++)
        free(d->subdirs[i]);
    free(d->subdirs);
    for (size_t i = 0; i < d->n_others; i++)
        free(d->others[i]);
    free(d->others);
    for (size_t i = 0; i < d->n_links; i++)
        free(d->links[i]);
    free(d->links);
    *d = (store_dir_scan){0};
}

store_vlist store_vlist_of(const store_dir_scan *scan, bool format2)
{
    store_vlist l = {0};
    if (scan->n_files)
        l.v = pd_xcalloc(scan->n_files, sizeof *l.v);
    for (size_t i = 0; i < scan->n_files; i++)
        if ((scan->files[i].id != NULL) == format2)
            l.v[l.n++] = &scan->files[i];
    return l;
}

void store_vlist_free(store_vlist *l)
{
    free(l->v);
    *l = (store_vlist){0};
}

long store_vlist_find(const store_vlist *l, int number)
{
    long found = -1;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i]->number != number)
            continue;
        if (found >= 0)
            return -2;
        found = (long)i;
    }
    return found;
}

long store_vlist_find_id(const store_vlist *l, const char *id)
{
    for (size_t i = 0; id && i < l->n; i++)
        if (strcmp(l->v[i]->id ? l->v[i]->id : "", id) == 0)
            return (long)i;
    return -1;
}

int pd_store_read_library_file(const char *path, char **data, size_t *len, pd_error *err)
{
    return store_read_file(path, data, len, err);
}
