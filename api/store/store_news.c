/* store_news.c: what the last sync brought from the upstream, kept outside the library until the next sync. */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

#define NEWS_FILE "last-sync.json"

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void pd_sync_news_free(pd_sync_news *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        pd_sync_news_prompt *p = &n->prompts[i];
        free(p->slug);
        free_strings(p->versions, p->n_versions);
        free_strings(p->labels, p->n_labels);
        free_strings(p->fields, p->n_fields);
    }
    free(n->prompts);
    free_strings(n->upstream, n->n_upstream);
    free(n->at);
    *n = (pd_sync_news){0};
}

static bool has_string(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return true;
    return false;
}

void store_news_add(char ***v, size_t *n, const char *str)
{
    if (!str || has_string(*v, *n, str))
        return;
    *v = pd_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = pd_strdup(str);
}

pd_sync_news_prompt *store_news_prompt(pd_sync_news *n, const char *slug)
{
    for (size_t i = 0; i < n->n; i++)
        if (!strcmp(n->prompts[i].slug, slug))
            return &n->prompts[i];
    n->prompts = pd_xrealloc(n->prompts, (n->n + 1) * sizeof *n->prompts);
    n->prompts[n->n] = (pd_sync_news_prompt){.slug = pd_strdup(slug)};
    return &n->prompts[n->n++];
}

const pd_sync_news_prompt *pd_sync_news_find(const pd_sync_news *n, const char *slug)
{
    for (size_t i = 0; n && slug && i < n->n; i++)
        if (!strcmp(n->prompts[i].slug, slug))
            return &n->prompts[i];
    return NULL;
}

bool pd_sync_news_has_version(const pd_sync_news *n, const char *slug, const char *id)
{
    const pd_sync_news_prompt *p = pd_sync_news_find(n, slug);
    return p && id && has_string(p->versions, p->n_versions, id);
}

bool pd_sync_news_upstream(const pd_sync_news *n, const char *slug)
{
    return n && slug && has_string(n->upstream, n->n_upstream, slug);
}

static json_t *strings_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

json_t *pd_sync_news_to_json(const pd_sync_news *n)
{
    json_t *prompts = json_array();
    for (size_t i = 0; i < n->n; i++) {
        const pd_sync_news_prompt *p = &n->prompts[i];
        json_array_append_new(prompts, json_pack("{s:s, s:b, s:o, s:o, s:o}", "slug", p->slug, "created", p->created,
                                                 "versions", strings_json(p->versions, p->n_versions), "labels",
                                                 strings_json(p->labels, p->n_labels), "fields",
                                                 strings_json(p->fields, p->n_fields)));
    }
    return json_pack("{s:s?, s:o, s:o}", "synced_at", n->at, "prompts", prompts, "upstream",
                     strings_json(n->upstream, n->n_upstream));
}

/* The strings of member key of o (those that are strings) added to *v. */
static void strings_from(json_t *o, const char *key, char ***v, size_t *n)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(o, key), i, e)
        if (json_is_string(e))
            store_news_add(v, n, json_string_value(e));
}

static char *news_path(const pd_store *s)
{
    char *dir = pd_store_state_path(s, "sync");
    char *path = pd_path_join(dir, NEWS_FILE);
    free(dir);
    return path;
}

int pd_store_last_sync(pd_store *s, pd_sync_news *out, pd_error *err)
{
    *out = (pd_sync_news){0};
    char *path = news_path(s), *text = NULL;
    size_t len;
    json_t *j = NULL;
    pd_error e = {0};
    int rc = store_read_json(path, &j, &text, &len, NULL, &e);
    if (rc == 0) {
        const char *at = json_string_value(json_object_get(j, "synced_at"));
        out->at = at ? pd_strdup(at) : NULL;
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(j, "prompts"), i, p) {
            const char *slug = json_string_value(json_object_get(p, "slug"));
            if (!slug || !pd_slug_valid(slug, NULL))
                continue;
            pd_sync_news_prompt *np = store_news_prompt(out, slug);
            np->created = json_is_true(json_object_get(p, "created"));
            strings_from(p, "versions", &np->versions, &np->n_versions);
            strings_from(p, "labels", &np->labels, &np->n_labels);
            strings_from(p, "fields", &np->fields, &np->n_fields);
        }
        strings_from(j, "upstream", &out->upstream, &out->n_upstream);
    } else if (e.code == PD_ERR_NOT_FOUND) {
        rc = 0;   /* no sync yet: nothing came in */
    } else if (err) {
        *err = e;
    }
    json_decref(j);
    free(text);
    free(path);
    return rc;
}

uint64_t pd_store_last_sync_signature(const pd_store *s)
{
    char *path = news_path(s);
    struct stat st;
    uint64_t sig = 0;
    if (lstat(path, &st) == 0)
        sig = ((uint64_t)st.st_ino * 1000003u) ^ ((uint64_t)st.st_mtim.tv_sec * 1000000007u) ^
              (uint64_t)st.st_mtim.tv_nsec ^ ((uint64_t)st.st_size << 40);
    free(path);
    return sig;
}

int store_news_write(pd_store *s, const pd_sync_news *n, pd_error *err)
{
    char *dir = pd_store_state_path(s, "sync");
    int rc = pd_mkdirs(dir, 0700, err);
    if (rc == 0) {
        char *path = pd_path_join(dir, NEWS_FILE);
        json_t *j = pd_sync_news_to_json(n);
        rc = store_write_json_mode(path, j, 0600, STORE_NO_DIR_SYNC, err);
        json_decref(j);
        free(path);
    }
    free(dir);
    return rc;
}
