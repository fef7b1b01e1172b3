/* schema_registry.c: the documents a schema's references may name: given by URI or read from a folder. */
#include "schema_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reg_doc {
    char *uri;
    json_t *doc;
} reg_doc;

typedef struct reg_dir {
    char *prefix;
    char *dir;
} reg_dir;

struct pd_schema_registry {
    reg_doc *docs;
    size_t n_docs;
    reg_dir *dirs;
    size_t n_dirs;
};

pd_schema_registry *pd_schema_registry_new(void)
{
    return pd_xcalloc(1, sizeof(pd_schema_registry));
}

void pd_schema_registry_free(pd_schema_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_docs; i++) {
        free(r->docs[i].uri);
        json_decref(r->docs[i].doc);
    }
    for (size_t i = 0; i < r->n_dirs; i++) {
        free(r->dirs[i].prefix);
        free(r->dirs[i].dir);
    }
    free(r->docs);
    free(r->dirs);
    free(r);
}

void pd_schema_registry_add(pd_schema_registry *r, const char *uri, json_t *doc)
{
    r->docs = pd_xrealloc(r->docs, (r->n_docs + 1) * sizeof *r->docs);
    char *abs;
    sc_uri_split(uri, &abs);   /* "…/schema#" names the same document as "…/schema" */
    r->docs[r->n_docs++] = (reg_doc){abs, json_incref(doc)};
}

void pd_schema_registry_add_dir(pd_schema_registry *r, const char *prefix, const char *dir)
{
    r->dirs = pd_xrealloc(r->dirs, (r->n_dirs + 1) * sizeof *r->dirs);
    r->dirs[r->n_dirs++] = (reg_dir){pd_strdup(prefix), pd_strdup(dir)};
}

/* A relative file name stays under its folder: no "..", no query, no empty segments. */
static bool safe_rest(const char *rest)
{
    if (!*rest || strchr(rest, '?') || strchr(rest, '\\') || rest[0] == '/')
        return false;
    for (const char *p = rest; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 2 && !strncmp(p, "..", 2)))
            return false;
        p += n;
        if (*p == '/')
            p++;
    }
    return true;
}

int sc_registry_find(const pd_schema_registry *r, const char *uri, json_t **out, pd_error *err)
{
    *out = NULL;
    if (!r)
        return 0;
    for (size_t i = 0; i < r->n_docs; i++)
        if (!strcmp(r->docs[i].uri, uri)) {
            *out = json_incref(r->docs[i].doc);
            return 0;
        }
    for (size_t i = 0; i < r->n_dirs; i++) {
        size_t n = strlen(r->dirs[i].prefix);
        if (strncmp(uri, r->dirs[i].prefix, n) != 0 || !safe_rest(uri + n))
            continue;
        pd_buf path = PD_BUF_INIT;
        pd_buf_printf(&path, "%s/%s", r->dirs[i].dir, uri + n);
        FILE *f = fopen(pd_buf_str(&path), "rb");
        if (!f) {
            pd_buf_free(&path);
            continue;
        }
        json_error_t jerr;
        *out = json_loadf(f, JSON_DECODE_ANY, &jerr);
        fclose(f);
        int rc = *out ? 0 : pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s:%d: %s",
                                         pd_buf_str(&path), jerr.line, jerr.text);
        pd_buf_free(&path);
        return rc;
    }
    return 0;
}
