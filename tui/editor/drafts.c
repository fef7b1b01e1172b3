/* drafts.c: edits in progress on disk (see drafts.h): JSON through the model codec, atomic
 * writes through the store's helper, one file per library and prompt. */
#include "drafts_priv.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

#define DRAFT_FORMAT "promptdeck-draft"

char *pd_drafts_dir(void)
{
    char *state = pd_state_dir();
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/drafts", state);
    free(state);
    return pd_buf_take(&b);
}

/* The library directory as an absolute path without symlinks when it exists, so one library
 * reached by two spellings has one set of drafts. Caller frees. */
static char *canonical_library(const char *library)
{
    char *real = realpath(library, NULL);
    if (real) {
        char *copy = pd_strdup(real);
        free(real);
        return copy;
    }
    return pd_strdup(library);
}

/* FNV-1a, 32 bits: a short stable tag of the library directory for file names. */
static uint32_t hash_library(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static void file_prefix(pd_buf *b, const char *canon)
{
    pd_buf_printf(b, "%08x-", (unsigned)hash_library(canon));
}

char *pd_draft_path(const char *library, const char *slug)
{
    char *canon = canonical_library(library);
    char *dir = pd_drafts_dir();
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/", dir);
    file_prefix(&b, canon);
    for (const char *s = slug; *s; s++)
        pd_buf_putc(&b, *s == '/' ? '+' : *s);
    pd_buf_puts(&b, ".json");
    free(dir);
    free(canon);
    return pd_buf_take(&b);
}

pd_draft *pd_draft_new(const char *library, const char *slug, int base_version, const pd_version *v)
{
    pd_draft *d = pd_xcalloc(1, sizeof *d);
    d->library = canonical_library(library);
    d->slug = pd_strdup(slug);
    d->base_version = base_version;
    d->version = pd_version_dup(v);
    return d;
}

void pd_draft_free(pd_draft *d)
{
    if (!d)
        return;
    free(d->library);
    free(d->slug);
    free(d->base_id);
    pd_version_free(d->version);
    free(d->saved_at);
    free(d->path);
    free(d->new_name);
    free(d);
}

void pd_drafts_free(pd_draft **d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pd_draft_free(d[i]);
    free(d);
}

/* JSON strings must be UTF-8, but a draft keeps whatever was typed or pasted: a message whose
 * content is not UTF-8 is written as "content_hex" instead of "content". */
static void put_raw_contents(json_t *vj, const pd_version *v)
{
    json_t *msgs = json_object_get(vj, "messages");
    for (size_t i = 0; i < v->n_messages && i < json_array_size(msgs); i++) {
        const char *c = v->messages[i].content;
        if (!c || pd_utf8_valid(c, strlen(c)))
            continue;
        pd_buf hex = PD_BUF_INIT;
        for (const unsigned char *p = (const unsigned char *)c; *p; p++)
            pd_buf_printf(&hex, "%02x", *p);
        json_t *m = json_array_get(msgs, i);
        json_object_del(m, "content");
        json_object_set_new(m, "content_hex", json_string(pd_buf_str(&hex)));
        pd_buf_free(&hex);
    }
}

/* The other way: "content_hex" members become "content": "" for the codec; returns how many. */
static size_t take_raw_contents(json_t *vj)
{
    size_t n = 0, i;
    json_t *m;
    json_array_foreach(json_object_get(vj, "messages"), i, m) {
        if (json_is_string(json_object_get(m, "content_hex"))) {
            json_object_set_new(m, "content", json_string(""));
            n++;
        }
    }
    return n;
}

static int put_back_raw_contents(json_t *vj, pd_version *v, const char *path, pd_error *err)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(vj, "messages"), i, m) {
        const char *hex = json_string_value(json_object_get(m, "content_hex"));
        if (!hex || i >= v->n_messages)
            continue;
        size_t n = strlen(hex);
        if (n % 2)
            return pd_error_set(err, PD_ERR_DAMAGED, "%s: messages[%zu].content_hex has an odd length", path, i);
        char *raw = pd_xmalloc(n / 2 + 1);
        for (size_t k = 0; k < n / 2; k++) {
            unsigned b = 0;
            if (!isxdigit((unsigned char)hex[2 * k]) || !isxdigit((unsigned char)hex[2 * k + 1]) ||
                sscanf(hex + 2 * k, "%2x", &b) != 1 || b == 0) {
                free(raw);
                return pd_error_set(err, PD_ERR_DAMAGED, "%s: messages[%zu].content_hex is not hex", path, i);
            }
            raw[k] = (char)b;
        }
        raw[n / 2] = '\0';
        free(v->messages[i].content);
        v->messages[i].content = raw;
    }
    return 0;
}

int pd_draft_save(pd_draft *d, pd_error *err)
{
    char *dir = pd_drafts_dir();
    if (pd_mkdirs(dir, 0700, err) != 0) {
        free(dir);
        return -1;
    }
    free(dir);
    if (!d->path)
        d->path = pd_draft_path(d->library, d->slug);
    free(d->saved_at);
    d->saved_at = pd_now_rfc3339();

    int number = d->version->number;
    if (d->version->number < 1)   /* the codec wants a version number; the base is the honest one */
        d->version->number = d->base_version > 0 ? d->base_version : 1;
    json_t *vj = pd_version_to_json(d->version);
    d->version->number = number;
    if (vj)
        put_raw_contents(vj, d->version);
    if (!vj)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "%s: the draft of %s cannot be written as JSON (is all its text UTF-8?)", d->path,
                            d->slug);
    json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:{s:I, s:I}, s:o}", "format", DRAFT_FORMAT,
                          "format_version", 1, "library", d->library, "slug", d->slug, "base_version",
                          d->base_version, "saved_at", d->saved_at, "cursor", "item", (json_int_t)d->cursor_item,
                          "offset", (json_int_t)d->cursor_offset, "version", vj);
    if (!j)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: the draft of %s cannot be written as JSON", d->path,
                            d->slug);
    if (d->new_name)
        json_object_set_new(j, "new_name", json_string(d->new_name));
    if (d->base_id)
        json_object_set_new(j, "base_id", json_string(d->base_id));
    char *text = pd_json_dump_pretty(j);
    json_decref(j);
    int rc = pd_write_file_atomic(d->path, text, strlen(text), 0600, err);
    free(text);
    return rc;
}

int pd_draft_load(const char *path, pd_draft **out, pd_error *err)
{
    *out = NULL;
    char *data;
    size_t len;
    if (pd_read_file(path, &data, &len, err) != 0)
        return -1;
    json_error_t je;
    json_t *j = json_loadb(data, len, 0, &je);
    free(data);
    if (!j)
        return pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %s", path, je.line, je.text);
    const char *format = NULL, *library = NULL, *slug = NULL, *saved_at = NULL;
    json_int_t base = 0, item = 0, offset = 0;
    json_t *vj = NULL;
    if (json_unpack_ex(j, &je, 0, "{s:s, s:s, s:s, s:I, s?s, s?{s?I, s?I}, s:o}", "format", &format, "library",
                       &library, "slug", &slug, "base_version", &base, "saved_at", &saved_at, "cursor", "item",
                       &item, "offset", &offset, "version", &vj) != 0 ||
        strcmp(format, DRAFT_FORMAT) != 0) {
        pd_error_set(err, PD_ERR_DAMAGED, "%s: not a promptdeck draft (%s)", path,
                     format && strcmp(format, DRAFT_FORMAT) != 0 ? "wrong format" : je.text);
        json_decref(j);
        return -1;
    }
    size_t raw = take_raw_contents(vj);
    pd_version *v = pd_version_from_json(vj, path, err);
    if (!v || (raw && put_back_raw_contents(vj, v, path, err) != 0)) {
        pd_version_free(v);
        json_decref(j);
        return -1;
    }
    pd_draft *d = pd_xcalloc(1, sizeof *d);
    d->library = pd_strdup(library);
    d->slug = pd_strdup(slug);
    d->base_version = (int)base;
    d->version = v;
    d->saved_at = pd_strdup(saved_at);
    d->cursor_item = (long)item;
    d->cursor_offset = (long)offset;
    d->path = pd_strdup(path);
    d->new_name = pd_strdup(json_string_value(json_object_get(j, "new_name")));
    d->base_id = pd_strdup(json_string_value(json_object_get(j, "base_id")));
    json_decref(j);
    *out = d;
    return 0;
}

int pd_draft_find_base(pd_draft *d, pd_store *s, pd_version **base, pd_error *err)
{
    pd_version *v = NULL;
    int rc = d->base_id ? pd_store_get_version_id(s, d->slug, d->base_id, &v, err)
                        : pd_store_get_version(s, d->slug, d->base_version, &v, err);
    if (rc != 0)
        return -1;
    d->base_version = v->number;
    if (base)
        *base = v;
    else
        pd_version_free(v);
    return 0;
}

static int by_saved_at(const void *a, const void *b)
{
    const pd_draft *x = *(pd_draft *const *)a, *y = *(pd_draft *const *)b;
    int c = strcmp(x->saved_at ? x->saved_at : "", y->saved_at ? y->saved_at : "");
    return c ? c : strcmp(x->slug, y->slug);
}

int pd_drafts_list(const char *library, pd_draft ***out, size_t *n, char **problems, pd_error *err)
{
    (void)err;
    *out = NULL;
    *n = 0;
    if (problems)
        *problems = NULL;
    char *canon = canonical_library(library);
    char *dir = pd_drafts_dir();
    pd_buf prefix = PD_BUF_INIT, probs = PD_BUF_INIT;
    file_prefix(&prefix, canon);
    DIR *dh = opendir(dir);
    size_t cap = 0;
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        size_t nl = strlen(e->d_name);
        if (strncmp(e->d_name, prefix.data, prefix.len) != 0 || nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        pd_buf path = PD_BUF_INIT;
        pd_buf_printf(&path, "%s/%s", dir, e->d_name);
        pd_draft *d;
        pd_error le = {0};
        if (pd_draft_load(path.data, &d, &le) != 0) {
            pd_buf_printf(&probs, "%s\n", le.msg);
        } else if (strcmp(d->library, canon) != 0) {
            pd_draft_free(d);   /* another library whose name hashes the same */
        } else {
            if (*n == cap) {
                cap = cap ? cap * 2 : 8;
                *out = pd_xrealloc(*out, cap * sizeof **out);
            }
            (*out)[(*n)++] = d;
        }
        pd_buf_free(&path);
    }
    if (dh)
        closedir(dh);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_saved_at);
    if (problems && probs.len)
        *problems = pd_buf_take(&probs);
    pd_buf_free(&probs);
    pd_buf_free(&prefix);
    free(dir);
    free(canon);
    return 0;
}

int pd_draft_remove(const char *library, const char *slug, pd_error *err)
{
    char *path = pd_draft_path(library, slug);
    int rc = 0;
    if (unlink(path) != 0 && errno != ENOENT)
        rc = pd_error_set(err, PD_ERR_IO, "%s: cannot delete the draft: %s", path, strerror(errno));
    free(path);
    return rc;
}
