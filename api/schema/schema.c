/* schema.c: compiling a schema: a node per subschema, resources and anchors, references linked. */
#include "schema_priv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The base URI of a schema that has no $id and was given none: relative $ids and $refs resolve
 * against it, and it never names anything a registry could have. */
#define SC_DEFAULT_BASE "pd-schema:///root.json"

/* Subschemas nested deeper than this are refused (PD_ERR_LIMIT): no real schema comes close,
 * and each level keeps its location text. */
#define SC_MAX_NESTING 256

/* $schema values that mean this draft (or an older one, read the same way here). */
static const char *const sc_known_drafts[] = {
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema",
    "http://json-schema.org/draft-06/schema",
    "http://json-schema.org/draft-04/schema",
};

int sc_schema_error(pd_error *err, const char *where, const char *fmt, ...)
{
    char msg[PD_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pd_error_set(err, PD_ERR_INVALID_REQUEST, "schema at %s: %s", where, msg);
}

/* ---- json -> node map (open addressing on the pointer) ---- */

static size_t map_slot(const json_t *key, size_t cap)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static sc_node *map_get(const pd_schema *s, const json_t *key)
{
    if (!s->map_cap)
        return NULL;
    for (size_t i = map_slot(key, s->map_cap);; i = (i + 1) & (s->map_cap - 1)) {
        if (!s->map[i].key)
            return NULL;
        if (s->map[i].key == key)
            return s->map[i].node;
    }
}

static void map_put(pd_schema *s, const json_t *key, sc_node *node)
{
    if ((s->map_n + 1) * 2 > s->map_cap) {
        size_t old_cap = s->map_cap;
        sc_map_entry *old = s->map;
        s->map_cap = old_cap ? old_cap * 2 : 64;
        s->map = pd_xcalloc(s->map_cap, sizeof *s->map);
        s->map_n = 0;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key)
                map_put(s, old[i].key, old[i].node);
        free(old);
    }
    size_t i = map_slot(key, s->map_cap);
    while (s->map[i].key)
        i = (i + 1) & (s->map_cap - 1);
    s->map[i] = (sc_map_entry){key, node};
    s->map_n++;
}

/* ---- resources ---- */

static sc_resource *find_resource(const pd_schema *s, const char *uri)
{
    for (size_t i = 0; i < s->n_uris; i++)
        if (!strcmp(s->uris[i].uri, uri))
            return s->uris[i].res;
    return NULL;
}

static void add_uri(pd_schema *s, const char *uri, sc_resource *res)
{
    if (find_resource(s, uri))
        return;
    s->uris = pd_xrealloc(s->uris, (s->n_uris + 1) * sizeof *s->uris);
    s->uris[s->n_uris++] = (sc_uri_entry){pd_strdup(uri), res};
}

static sc_resource *resource_new(pd_schema *s, const char *uri, const json_t *json, unsigned vocab)
{
    sc_resource *r = pd_xcalloc(1, sizeof *r);
    r->uri = pd_strdup(uri);
    r->json = json;
    r->vocab = vocab;
    s->res = pd_xrealloc(s->res, (s->n_res + 1) * sizeof *s->res);
    s->res[s->n_res++] = r;
    add_uri(s, uri, r);
    return r;
}

static void add_anchor(sc_resource *r, const char *name, sc_node *node, bool dynamic)
{
    r->anchors = pd_xrealloc(r->anchors, (r->n_anchors + 1) * sizeof *r->anchors);
    r->anchors[r->n_anchors++] = (sc_anchor){pd_strdup(name), node, dynamic};
}

/* The document named uri (no fragment): one already read, or the registry's (kept in s->docs). */
static const json_t *find_document(pd_schema *s, const char *uri, pd_error *err, int *rc)
{
    *rc = 0;
    sc_resource *r = find_resource(s, uri);
    if (r)
        return r->json;
    json_t *doc;
    if (sc_registry_find(s->registry, uri, &doc, err) != 0) {
        *rc = -1;
        return NULL;
    }
    if (doc) {
        s->docs = pd_xrealloc(s->docs, (s->n_docs + 1) * sizeof *s->docs);
        s->docs[s->n_docs++] = doc;
    }
    return doc;
}

/* The vocabularies the meta-schema named by $schema puts in force. Unknown meta-schemas (not in
 * the registry) are read as this draft; a meta-schema requiring a vocabulary not known here is
 * an error, as the spec asks. */
static int read_vocabulary(pd_schema *s, sc_resource *res, const json_t *meta_ref, const char *where,
                           pd_error *err)
{
    if (!json_is_string(meta_ref))
        return sc_schema_error(err, where, "$schema must be a string");
    char *full = sc_uri_resolve(res->uri, json_string_value(meta_ref));
    char *abs;
    sc_uri_split(full, &abs);
    free(full);
    int rc = 0;
    const json_t *meta = NULL;
    bool known = false;
    for (size_t i = 0; i < sizeof sc_known_drafts / sizeof *sc_known_drafts; i++)
        known |= !strcmp(abs, sc_known_drafts[i]);
    if (!known)
        meta = find_document(s, abs, err, &rc);
    else if (strcmp(abs, sc_known_drafts[0]) != 0)
        res->vocab |= SC_V_OLD_ITEMS;
    const json_t *vocab = json_object_get(meta, "$vocabulary");
    if (rc == 0 && json_is_object(vocab)) {
        static const struct { const char *name; unsigned bit; } names[] = {
            {"core", 0}, {"applicator", SC_V_APPLICATOR}, {"unevaluated", SC_V_UNEVALUATED},
            {"validation", SC_V_VALIDATION}, {"meta-data", 0}, {"format-annotation", 0},
            {"format-assertion", SC_V_FORMAT_ASSERT}, {"content", 0},
        };
        const char *prefix = "https://json-schema.org/draft/2020-12/vocab/";
        const char *key;
        const json_t *required;
        res->vocab = 0;
        json_object_foreach((json_t *)vocab, key, required) {
            bool found = false;
            for (size_t i = 0; i < sizeof names / sizeof *names && !found; i++)
                if (!strncmp(key, prefix, strlen(prefix)) && !strcmp(key + strlen(prefix), names[i].name)) {
                    res->vocab |= names[i].bit;
                    found = true;
                }
            if (!found && json_is_true(required)) {
                rc = sc_schema_error(err, where, "the meta-schema %s requires the vocabulary %s, "
                                     "which is not supported", abs, key);
                break;
            }
        }
    }
    free(abs);
    return rc;
}

/* A new resource for node n ($id, or a document's root). */
static int start_resource(pd_schema *s, sc_node *n, sc_resource *parent, const char *doc_uri,
                          sc_resource **out, pd_error *err)
{
    const json_t *id = json_is_object(n->json) ? json_object_get(n->json, "$id") : NULL;
    *out = parent;
    if (!id && parent)
        return 0;
    if (id && !json_is_string(id))
        return sc_schema_error(err, n->where, "$id must be a string");
    char *full = id ? sc_uri_resolve(parent ? parent->uri : doc_uri, json_string_value(id))
                    : pd_strdup(doc_uri);
    char *abs;
    const char *frag = sc_uri_split(full, &abs);
    int rc = 0;
    if (frag && *frag) {
        rc = sc_schema_error(err, n->where, "$id \"%s\" has a fragment: name places with $anchor",
                             json_string_value(id));
    } else {
        sc_resource *r = resource_new(s, abs, n->json, parent ? parent->vocab : SC_V_DEFAULT);
        r->root = n;
        if (!parent && strcmp(abs, doc_uri) != 0)
            add_uri(s, doc_uri, r);   /* read as doc_uri, named abs inside */
        const json_t *meta = json_is_object(n->json) ? json_object_get(n->json, "$schema") : NULL;
        if (meta)
            rc = read_vocabulary(s, r, meta, n->where, err);
        *out = r;
    }
    free(full);
    free(abs);
    return rc;
}

static int read_anchors(sc_node *n, pd_error *err)
{
    static const char *const kws[] = {"$anchor", "$dynamicAnchor"};
    for (int k = 0; k < 2; k++) {
        const json_t *a = json_object_get(n->json, kws[k]);
        if (!a)
            continue;
        const char *name = json_string_value(a);
        bool ok = name && ((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_');
        for (const char *p = name; ok && *p; p++)
            ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || *p == '-' || *p == '.';
        if (!ok)
            return sc_schema_error(err, n->where, "%s must be a name (a letter or _, then letters, "
                                   "digits, '-', '_', '.')", kws[k]);
        add_anchor(n->res, name, n, k == 1);
    }
    return 0;
}

sc_node *sc_walk(pd_schema *s, const json_t *json, sc_resource *parent, const char *doc_uri,
                 const char *where, pd_error *err)
{
    sc_node *n = map_get(s, json);
    if (n)
        return n;
    if (!json_is_object(json) && !json_is_boolean(json)) {
        sc_schema_error(err, where, "a schema must be an object or a boolean, not %s",
                        sc_type_name(sc_type_of(json)));
        return NULL;
    }
    if (s->walk_depth >= SC_MAX_NESTING) {
        pd_error_set(err, PD_ERR_LIMIT, "schema at %.200s...: subschemas nest more than %d deep",
                     where, SC_MAX_NESTING);
        return NULL;
    }
    n = pd_xcalloc(1, sizeof *n);
    if (s->n_nodes == s->cap_nodes) {
        s->cap_nodes = s->cap_nodes ? s->cap_nodes * 2 : 32;
        s->nodes = pd_xrealloc(s->nodes, s->cap_nodes * sizeof *s->nodes);
    }
    s->nodes[s->n_nodes++] = n;
    map_put(s, json, n);
    n->json = json;
    n->where = pd_strdup(where);
    n->boolean = json_is_object(json) ? -1 : json_is_true(json);
    n->max_length = n->min_length = n->max_items = n->min_items = -1;
    n->max_contains = n->min_contains = n->max_props = n->min_props = -1;
    if (start_resource(s, n, parent, doc_uri, &n->res, err) != 0)
        return NULL;
    if (n->boolean >= 0)
        return n;
    s->walk_depth++;
    int rc = read_anchors(n, err) != 0 || sc_keywords_read(s, n, err) != 0 ? -1 : 0;
    s->walk_depth--;
    return rc == 0 ? n : NULL;
}

/* Reads document uri from the registry and walks it: its root resource, or NULL. */
static sc_resource *load_document(pd_schema *s, const char *uri, pd_error *err, int *rc)
{
    const json_t *doc = find_document(s, uri, err, rc);
    if (!doc)
        return NULL;
    pd_buf where = PD_BUF_INIT;
    pd_buf_printf(&where, "%s#", uri);
    sc_node *root = sc_walk(s, doc, NULL, uri, pd_buf_str(&where), err);
    pd_buf_free(&where);
    if (!root)
        *rc = -1;
    return root ? find_resource(s, uri) : NULL;
}

sc_node *sc_resolve(pd_schema *s, const char *uri, const char *written, const char *where, pd_error *err)
{
    char *abs;
    const char *frag = sc_uri_split(uri, &abs);
    char *dec = frag ? sc_pct_decode(frag) : NULL;
    sc_node *n = NULL;
    int rc = 0;
    sc_resource *res = find_resource(s, abs);
    if (!res)
        res = load_document(s, abs, err, &rc);
    if (rc != 0) {
        pd_error_prefix(err, "schema at %s: reading %s", where, abs);
    } else if (!res) {
        sc_schema_error(err, where, "\"%s\" does not resolve: no schema here has the URI %s, and "
                        "other documents are read only from a registry", written, abs);
    } else if (frag && !dec) {
        sc_schema_error(err, where, "\"%s\": bad %%-escape in the fragment", written);
    } else if (!dec || !*dec) {
        n = res->root;
    } else if (dec[0] == '/') {
        const json_t *target = sc_pointer_get(res->json, dec);
        if (!target) {
            sc_schema_error(err, where, "\"%s\" does not resolve: nothing at %s", written, dec);
        } else {
            n = map_get(s, target);
            if (!n) {
                pd_buf w = PD_BUF_INIT;
                pd_buf_printf(&w, "%s#%s", res->uri, frag);
                n = sc_walk(s, target, res, NULL, pd_buf_str(&w), err);
                pd_buf_free(&w);
            }
        }
    } else {
        for (size_t i = 0; i < res->n_anchors && !n; i++)
            if (!strcmp(res->anchors[i].name, dec))
                n = res->anchors[i].node;
        if (!n)
            sc_schema_error(err, where, "\"%s\" does not resolve: no anchor \"%s\" there", written, dec);
    }
    free(dec);
    free(abs);
    return n;
}

/* Links node n's $ref and $dynamicRef to their nodes. */
static int link_refs(pd_schema *s, sc_node *n, pd_error *err)
{
    pd_buf where = PD_BUF_INIT;
    int rc = 0;
    if (n->ref_uri) {
        pd_buf_printf(&where, "%s/$ref", n->where);
        n->ref = sc_resolve(s, n->ref_uri, json_string_value(json_object_get(n->json, "$ref")),
                            pd_buf_str(&where), err);
        rc = n->ref ? 0 : -1;
    }
    if (rc == 0 && n->dynref_uri) {
        pd_buf_reset(&where);
        pd_buf_printf(&where, "%s/$dynamicRef", n->where);
        n->dynref = sc_resolve(s, n->dynref_uri, json_string_value(json_object_get(n->json, "$dynamicRef")),
                               pd_buf_str(&where), err);
        rc = n->dynref ? 0 : -1;
        /* Dynamic only when the fragment is a name and the first target has that
         * $dynamicAnchor itself (the "bookend"); otherwise it is a plain $ref. */
        const char *frag = strchr(n->dynref_uri, '#');
        const json_t *anchor = n->dynref ? json_object_get(n->dynref->json, "$dynamicAnchor") : NULL;
        if (frag && frag[1] && frag[1] != '/' && anchor && !strcmp(json_string_value(anchor), frag + 1))
            n->dynref_anchor = pd_strdup(frag + 1);
    }
    pd_buf_free(&where);
    return rc;
}

int pd_schema_compile(const json_t *schema, pd_schema **out, pd_error *err)
{
    return pd_schema_compile_with(schema, NULL, out, err);
}

int pd_schema_compile_with(const json_t *schema, const pd_schema_options *opts, pd_schema **out,
                           pd_error *err)
{
    *out = NULL;
    pd_schema *s = pd_xcalloc(1, sizeof *s);
    s->registry = opts ? opts->registry : NULL;
    s->assert_format = opts && opts->assert_format;
    s->docs = pd_xmalloc(sizeof *s->docs);
    s->docs[s->n_docs++] = json_incref((json_t *)schema);
    const char *base = opts && opts->base_uri ? opts->base_uri : SC_DEFAULT_BASE;
    s->root = sc_walk(s, schema, NULL, base, "#", err);
    int rc = s->root ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < s->n_pending; i++)
        rc = link_refs(s, s->pending[i], err);
    free(s->pending);
    s->pending = NULL;
    s->registry = NULL;
    if (rc != 0) {
        pd_schema_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

static void node_free(sc_node *n)
{
    free(n->where);
    free(n->ref_uri);
    free(n->dynref_uri);
    free(n->dynref_anchor);
    sc_regex_free(n->pattern);
    for (size_t i = 0; i < n->n_pattern_props; i++)
        sc_regex_free(n->pattern_props[i].re);
    free(n->pattern_props);
    free(n->all_of);
    free(n->any_of);
    free(n->one_of);
    free(n->prefix_items);
    free(n->props);
    free(n->dep_schemas);
    free(n->dep_required);
    free(n);
}

void pd_schema_free(pd_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_nodes; i++)
        node_free(s->nodes[i]);
    for (size_t i = 0; i < s->n_res; i++) {
        for (size_t j = 0; j < s->res[i]->n_anchors; j++)
            free(s->res[i]->anchors[j].name);
        free(s->res[i]->anchors);
        free(s->res[i]->uri);
        free(s->res[i]);
    }
    for (size_t i = 0; i < s->n_uris; i++)
        free(s->uris[i].uri);
    for (size_t i = 0; i < s->n_docs; i++)
        json_decref(s->docs[i]);
    free(s->pending);
    free(s->nodes);
    free(s->map);
    free(s->res);
    free(s->uris);
    free(s->docs);
    free(s);
}
