/* schema_priv.h: the compiled form of a schema, shared by the schema module's files. */
#ifndef PD_MODULE_schema
#error "schema/schema_priv.h is private to the schema module: include schema/schema.h"
#endif
#ifndef PD_SCHEMA_PRIV_H
#define PD_SCHEMA_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

/* Instance types, as bits (the "type" keyword is a set of them). */
enum {
    SC_T_NULL = 1, SC_T_BOOLEAN = 2, SC_T_OBJECT = 4, SC_T_ARRAY = 8,
    SC_T_NUMBER = 16, SC_T_STRING = 32, SC_T_INTEGER = 64
};

/* Vocabularies in force for a resource (core is always). */
enum {
    SC_V_APPLICATOR = 1, SC_V_UNEVALUATED = 2, SC_V_VALIDATION = 4, SC_V_FORMAT_ASSERT = 8,
    SC_V_DEFAULT = SC_V_APPLICATOR | SC_V_UNEVALUATED | SC_V_VALIDATION,
    /* $schema names an older draft: "items" may be an array (then "additionalItems" is for
     * the rest) and "prefixItems" means nothing */
    SC_V_OLD_ITEMS = 16
};

typedef struct sc_node sc_node;
typedef struct sc_regex sc_regex;

/* A name in an $anchor or $dynamicAnchor of a resource. */
typedef struct sc_anchor {
    char *name;
    sc_node *node;
    bool dynamic;
} sc_anchor;

/* A schema resource: the subschemas under one $id (or a document's root), minus embedded ones. */
typedef struct sc_resource {
    char *uri;                 /* absolute, without fragment */
    const json_t *json;        /* its root schema */
    sc_node *root;
    unsigned vocab;            /* SC_V_* */
    sc_anchor *anchors;
    size_t n_anchors;
} sc_resource;

/* A keyword's member by name: properties, dependentSchemas (node), dependentRequired (value). */
typedef struct sc_named {
    const char *name;
    size_t len;
    sc_node *node;
    const json_t *value;
} sc_named;

typedef struct sc_pattern {
    sc_regex *re;
    sc_node *node;
} sc_pattern;

/* One subschema. Keywords that are absent are NULL (or -1 for counts, 0 for types). */
struct sc_node {
    const json_t *json;
    char *where;               /* its location, for messages: "#/properties/a" */
    sc_resource *res;
    signed char boolean;       /* 1 or 0 for a boolean schema, -1 for an object */
    bool collects;             /* has unevaluatedItems or unevaluatedProperties */
    unsigned types;
    const json_t *enum_vals, *const_val;
    const json_t *multiple_of, *maximum, *exclusive_maximum, *minimum, *exclusive_minimum;
    json_int_t max_length, min_length, max_items, min_items, max_contains, min_contains;
    json_int_t max_props, min_props;
    bool unique_items;
    sc_regex *pattern;
    const json_t *required;
    sc_named *dep_required;
    size_t n_dep_required;
    const char *format;        /* NULL unless formats assert here */
    char *ref_uri, *dynref_uri;             /* as resolved against the base, until linked */
    sc_node *ref, *dynref;
    char *dynref_anchor;       /* set when the $dynamicRef is dynamic (bookended) */
    sc_node **all_of, **any_of, **one_of;
    size_t n_all_of, n_any_of, n_one_of;
    sc_node *not_, *if_, *then_, *else_;
    sc_node **prefix_items;
    size_t n_prefix_items;
    sc_node *items, *contains;
    sc_named *props;           /* sorted by name (sc_named_cmp) */
    size_t n_props;
    sc_pattern *pattern_props;
    size_t n_pattern_props;
    sc_node *additional_props, *property_names;
    sc_named *dep_schemas;
    size_t n_dep_schemas;
    sc_node *unevaluated_items, *unevaluated_props;
};

typedef struct sc_map_entry {
    const json_t *key;
    sc_node *node;
} sc_map_entry;

typedef struct sc_uri_entry {
    char *uri;
    sc_resource *res;
} sc_uri_entry;

struct pd_schema {
    sc_node *root;
    sc_node **nodes;           /* every node, owned */
    size_t n_nodes, cap_nodes;
    sc_map_entry *map;         /* schema json -> node (open addressing) */
    size_t map_cap, map_n;
    sc_resource **res;         /* owned */
    size_t n_res;
    sc_uri_entry *uris;        /* every URI naming a resource (its $id, the URI it was read as) */
    size_t n_uris;
    json_t **docs;             /* the documents it was compiled from (references held) */
    size_t n_docs;
    bool assert_format;
    const pd_schema_registry *registry;   /* while compiling only */
    sc_node **pending;         /* nodes whose references are not linked yet (while compiling) */
    size_t n_pending;
    int walk_depth;            /* subschemas being read, one inside the other (while compiling) */
};

/* ---- schema.c ---- */
/* The node for subschema json, made (with its subschemas) when new. parent is the resource it
 * sits in (NULL for a document's root, whose URI is then doc_uri); where is its location. */
sc_node *sc_walk(pd_schema *s, const json_t *json, sc_resource *parent, const char *doc_uri,
                 const char *where, pd_error *err);
/* The node a reference names (uri: resolved against its base; written: as the schema has it,
 * for the error, with where the reference is). */
sc_node *sc_resolve(pd_schema *s, const char *uri, const char *written, const char *where, pd_error *err);
/* Error helper: "schema at WHERE: ..." as PD_ERR_INVALID_REQUEST; returns -1. */
int sc_schema_error(pd_error *err, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- schema_keywords.c ---- */
/* Reads node->json's keywords into node, walking its subschemas. */
int sc_keywords_read(pd_schema *s, sc_node *node, pd_error *err);
int sc_named_cmp(const void *a, const void *b);

/* ---- schema_registry.c ---- */
/* *out: the document for uri (no fragment) as a new reference, or NULL when the registry has
 * none. -1 when a file is there but does not parse. */
int sc_registry_find(const pd_schema_registry *r, const char *uri, json_t **out, pd_error *err);

/* ---- schema_uri.c ---- */
/* ref resolved against base (RFC 3986 section 5.2, dot segments removed); caller frees. */
char *sc_uri_resolve(const char *base, const char *ref);
/* Splits uri at '#': *abs gets the part before (caller frees); returns the fragment (pointing
 * into uri) or NULL when there is no '#'. */
const char *sc_uri_split(const char *uri, char **abs);
/* %XX decoded; caller frees. NULL when an escape is broken. */
char *sc_pct_decode(const char *s);
/* The value at JSON pointer ptr (already %-decoded) under root, or NULL. */
const json_t *sc_pointer_get(const json_t *root, const char *ptr);
/* Appends "/" + key escaped as a JSON pointer token (~0, ~1). */
void sc_pointer_push(pd_buf *b, const char *key, size_t len);

/* ---- schema_regex.c ---- */
/* NULL with *msg set (static or in msgbuf) when pattern does not compile. */
sc_regex *sc_regex_compile(const char *pattern, char *msgbuf, size_t msgsize);
bool sc_regex_search(const sc_regex *re, const char *s, size_t len);
const char *sc_regex_source(const sc_regex *re);
void sc_regex_free(sc_regex *re);

/* ---- schema_equal.c ---- */
bool sc_json_equal(const json_t *a, const json_t *b);
/* The SC_T_* bit of a value (integers, and reals with no fraction, are SC_T_INTEGER). */
unsigned sc_type_of(const json_t *v);
const char *sc_type_name(unsigned type_bit);
/* <0, 0, >0 comparing two numbers exactly (integers against reals too). */
int sc_num_cmp(const json_t *a, const json_t *b);
/* Whether number x is an integer multiple of m (> 0), exactly on the decimal values written. */
bool sc_multiple_of(const json_t *x, const json_t *m);
/* Appends a number as written (shortest form that reads back the same). */
void sc_num_print(pd_buf *b, const json_t *v);

/* ---- schema_format.c ---- */
/* Whether s (len bytes) is of the named format; unknown formats pass. */
bool sc_format_check(const char *format, const char *s, size_t len);

/* ---- validation (schema_validate.c, schema_assert.c) ---- */
/* Which array items / object members (by iteration index) have been evaluated. */
typedef struct sc_annot {
    unsigned char *seen;
    size_t n;
} sc_annot;

typedef struct sc_seg {
    const char *key;           /* NULL for an array index */
    size_t len;
    size_t index;
} sc_seg;

typedef struct sc_ctx {
    const pd_schema *schema;
    pd_buf *reason;            /* where the first failure goes; NULL when nobody reads it */
    bool recorded;             /* a failure is in reason already */
    sc_seg *path;              /* the instance location */
    size_t depth, path_cap;
    sc_resource **scope;       /* the dynamic scope, outermost first */
    size_t n_scope, scope_cap;
    struct sc_frame { const sc_node *node; const json_t *inst; } *stack;
    size_t n_stack, stack_cap;
} sc_ctx;

bool sc_eval(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *out);
/* Records a failure (when c->reason is set and still empty): "at /a/0: <message>". False. */
bool sc_fail(sc_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The assertion keywords of n on inst (no applicators). */
bool sc_assert(sc_ctx *c, const sc_node *n, const json_t *inst);
void sc_path_push_key(sc_ctx *c, const char *key, size_t len);
void sc_path_push_index(sc_ctx *c, size_t index);
void sc_path_pop(sc_ctx *c);

#endif
