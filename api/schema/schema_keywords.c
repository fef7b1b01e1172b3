/* schema_keywords.c: reading a subschema's keywords into its node, refusing values the spec does not allow. */
#include "schema_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where a keyword (and what is under it) is, for errors and for its subschemas' nodes. */
typedef struct kw_ctx {
    pd_schema *s;
    sc_node *n;
    pd_error *err;
    pd_buf where;
} kw_ctx;

static const char *kw_where(kw_ctx *k, const char *kw, const char *member, size_t member_len)
{
    pd_buf_reset(&k->where);
    pd_buf_puts(&k->where, k->n->where);
    sc_pointer_push(&k->where, kw, strlen(kw));
    if (member)
        sc_pointer_push(&k->where, member, member_len);
    return pd_buf_str(&k->where);
}

static int kw_error(kw_ctx *k, const char *kw, const char *what)
{
    return sc_schema_error(k->err, kw_where(k, kw, NULL, 0), "%s %s", kw, what);
}

static sc_node *kw_schema(kw_ctx *k, const char *kw, const json_t *v, const char *member, size_t len)
{
    const char *where = kw_where(k, kw, member, len);
    char *copy = pd_strdup(where);
    sc_node *child = sc_walk(k->s, v, k->n->res, NULL, copy, k->err);
    free(copy);
    return child;
}

/* A keyword whose value is one schema. */
static int read_one(kw_ctx *k, const char *kw, sc_node **out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    *out = kw_schema(k, kw, v, NULL, 0);
    return *out ? 0 : -1;
}

/* A keyword whose value is a non-empty array of schemas. */
static int read_list(kw_ctx *k, const char *kw, sc_node ***out, size_t *n_out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return kw_error(k, kw, "must be a non-empty array of schemas");
    size_t n = json_array_size(v);
    *out = pd_xcalloc(n, sizeof **out);
    *n_out = n;
    for (size_t i = 0; i < n; i++) {
        char idx[24];
        int len = snprintf(idx, sizeof idx, "%zu", i);
        (*out)[i] = kw_schema(k, kw, json_array_get(v, i), idx, (size_t)len);
        if (!(*out)[i])
            return -1;
    }
    return 0;
}

int sc_named_cmp(const void *a, const void *b)
{
    const sc_named *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->name, y->name, x->len);
}

/* A keyword whose value is an object of schemas (or, with values_are_names, of string arrays). */
static int read_named(kw_ctx *k, const char *kw, bool values_are_names, sc_named **out, size_t *n_out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    if (!json_is_object(v))
        return kw_error(k, kw, values_are_names ? "must be an object of arrays of property names"
                                                : "must be an object of schemas");
    /* appends: "dependencies" may have put some there already */
    *out = pd_xrealloc(*out, (*n_out + json_object_size(v) + 1) * sizeof **out);
    size_t i = *n_out;
    for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
        sc_named *e = &(*out)[i++];
        e->node = NULL;
        e->name = json_object_iter_key(it);
        e->len = json_object_iter_key_len(it);
        e->value = json_object_iter_value(it);
        if (values_are_names) {
            bool ok = json_is_array(e->value);
            for (size_t j = 0; ok && j < json_array_size(e->value); j++)
                ok = json_is_string(json_array_get(e->value, j));
            if (!ok)
                return sc_schema_error(k->err, kw_where(k, kw, e->name, e->len),
                                       "expected an array of property names");
        } else if (!(e->node = kw_schema(k, kw, e->value, e->name, e->len))) {
            return -1;
        }
    }
    *n_out = i;
    qsort(*out, i, sizeof **out, sc_named_cmp);
    return 0;
}

static int read_pattern_props(kw_ctx *k)
{
    const json_t *v = json_object_get(k->n->json, "patternProperties");
    if (!v)
        return 0;
    if (!json_is_object(v))
        return kw_error(k, "patternProperties", "must be an object of schemas");
    sc_node *n = k->n;
    n->pattern_props = pd_xcalloc(json_object_size(v) + 1, sizeof *n->pattern_props);
    const char *key;
    const json_t *sub;
    json_object_foreach((json_t *)v, key, sub) {
        char msg[256];
        sc_pattern *p = &n->pattern_props[n->n_pattern_props++];
        if (!(p->re = sc_regex_compile(key, msg, sizeof msg)))
            return sc_schema_error(k->err, kw_where(k, "patternProperties", key, strlen(key)),
                                   "not a regular expression: %s", msg);
        if (!(p->node = kw_schema(k, "patternProperties", sub, key, strlen(key))))
            return -1;
    }
    return 0;
}

static int read_ref(kw_ctx *k, const char *kw, char **out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return kw_error(k, kw, "must be a string (a URI reference)");
    *out = sc_uri_resolve(k->n->res->uri, json_string_value(v));
    return 0;
}

/* prefixItems and items; or, in an older draft, items as an array and additionalItems. */
static int read_items(kw_ctx *k)
{
    sc_node *n = k->n;
    if (!(n->res->vocab & SC_V_OLD_ITEMS))
        return read_list(k, "prefixItems", &n->prefix_items, &n->n_prefix_items) ||
               read_one(k, "items", &n->items);
    if (!json_is_array(json_object_get(n->json, "items")))
        return read_one(k, "items", &n->items);
    return read_list(k, "items", &n->prefix_items, &n->n_prefix_items) ||
           read_one(k, "additionalItems", &n->items);
}

/* "dependencies" (before 2019-09): arrays go with dependentRequired, schemas with
 * dependentSchemas. */
static int read_dependencies(kw_ctx *k)
{
    sc_node *n = k->n;
    const json_t *v = json_object_get(n->json, "dependencies");
    if (!v)
        return 0;
    if (!json_is_object(v))
        return kw_error(k, "dependencies", "must be an object");
    size_t size = json_object_size(v);
    n->dep_required = pd_xrealloc(n->dep_required, (n->n_dep_required + size) * sizeof *n->dep_required);
    n->dep_schemas = pd_xrealloc(n->dep_schemas, (n->n_dep_schemas + size) * sizeof *n->dep_schemas);
    for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
        sc_named e = {json_object_iter_key(it), json_object_iter_key_len(it), NULL, json_object_iter_value(it)};
        if (json_is_array(e.value) && (n->res->vocab & SC_V_VALIDATION)) {
            for (size_t j = 0; j < json_array_size(e.value); j++)
                if (!json_is_string(json_array_get(e.value, j)))
                    return sc_schema_error(k->err, kw_where(k, "dependencies", e.name, e.len),
                                           "expected an array of property names");
            n->dep_required[n->n_dep_required++] = e;
        } else if (!json_is_array(e.value)) {
            if (!(e.node = kw_schema(k, "dependencies", e.value, e.name, e.len)))
                return -1;
            n->dep_schemas[n->n_dep_schemas++] = e;
        }
    }
    return 0;
}

static int read_applicators(kw_ctx *k)
{
    sc_node *n = k->n;
    if (read_ref(k, "$ref", &n->ref_uri) || read_ref(k, "$dynamicRef", &n->dynref_uri))
        return -1;
    /* $defs (and older drafts' "definitions" when it is an object): their subschemas get nodes,
     * which references find; the node itself keeps no list of them */
    sc_named *defs = NULL;
    size_t n_defs = 0;
    int rc = read_named(k, "$defs", false, &defs, &n_defs);
    if (rc == 0 && json_is_object(json_object_get(n->json, "definitions")))
        rc = read_named(k, "definitions", false, &defs, &n_defs);
    free(defs);
    if (rc)
        return -1;
    if (!(n->res->vocab & SC_V_APPLICATOR))
        return 0;
    if (read_list(k, "allOf", &n->all_of, &n->n_all_of) ||
        read_list(k, "anyOf", &n->any_of, &n->n_any_of) ||
        read_list(k, "oneOf", &n->one_of, &n->n_one_of) || read_items(k) ||
        read_one(k, "not", &n->not_) || read_one(k, "if", &n->if_) ||
        read_one(k, "then", &n->then_) || read_one(k, "else", &n->else_) ||
        read_one(k, "contains", &n->contains) || read_dependencies(k) ||
        read_one(k, "additionalProperties", &n->additional_props) ||
        read_one(k, "propertyNames", &n->property_names) ||
        read_named(k, "properties", false, &n->props, &n->n_props) ||
        read_named(k, "dependentSchemas", false, &n->dep_schemas, &n->n_dep_schemas) ||
        read_pattern_props(k))
        return -1;
    if (n->res->vocab & SC_V_UNEVALUATED) {
        if (read_one(k, "unevaluatedItems", &n->unevaluated_items) ||
            read_one(k, "unevaluatedProperties", &n->unevaluated_props))
            return -1;
        n->collects = n->unevaluated_items || n->unevaluated_props;
    }
    return 0;
}

static unsigned type_bit(const char *name)
{
    static const char *const names[] = {"null", "boolean", "object", "array", "number", "string", "integer"};
    for (unsigned i = 0; i < 7; i++)
        if (!strcmp(name, names[i]))
            return 1u << i;
    return 0;
}

static int read_type(kw_ctx *k, const json_t *v)
{
    if (json_is_string(v)) {
        k->n->types = type_bit(json_string_value(v));
        return k->n->types ? 0 : kw_error(k, "type", "must name a JSON Schema type (null, boolean, "
                                          "object, array, number, string, integer)");
    }
    if (!json_is_array(v))
        return kw_error(k, "type", "must be a type name or an array of them");
    for (size_t i = 0; i < json_array_size(v); i++) {
        const char *name = json_string_value(json_array_get(v, i));
        unsigned bit = name ? type_bit(name) : 0;
        if (!bit || (k->n->types & bit))
            return kw_error(k, "type", "must be an array of distinct type names");
        k->n->types |= bit;
    }
    return k->n->types ? 0 : kw_error(k, "type", "must not be an empty array");
}

/* A non-negative integer keyword (2.0 is an integer too). */
static int read_count(kw_ctx *k, const char *kw, json_int_t *out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    double d = json_number_value(v);
    if (json_is_integer(v) && json_integer_value(v) >= 0)
        *out = json_integer_value(v);
    else if (json_is_real(v) && d >= 0 && d == floor(d) && d < 9.2e18)
        *out = (json_int_t)d;
    else
        return kw_error(k, kw, "must be a non-negative integer");
    return 0;
}

static int read_number(kw_ctx *k, const char *kw, const json_t **out)
{
    const json_t *v = json_object_get(k->n->json, kw);
    if (!v)
        return 0;
    if (!json_is_number(v))
        return kw_error(k, kw, "must be a number");
    *out = v;
    return 0;
}

static bool distinct_strings(const json_t *a)
{
    if (!json_is_array(a))
        return false;
    for (size_t i = 0; i < json_array_size(a); i++) {
        if (!json_is_string(json_array_get(a, i)))
            return false;
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(a, i), json_array_get(a, j)))
                return false;
    }
    return true;
}

static int read_validation(kw_ctx *k)
{
    sc_node *n = k->n;
    const json_t *j = n->json, *v;
    if ((v = json_object_get(j, "type")) && read_type(k, v))
        return -1;
    if ((v = json_object_get(j, "enum")) && !json_is_array(v))
        return kw_error(k, "enum", "must be an array");
    n->enum_vals = v;
    n->const_val = json_object_get(j, "const");
    if (read_number(k, "multipleOf", &n->multiple_of) || read_number(k, "maximum", &n->maximum) ||
        read_number(k, "exclusiveMaximum", &n->exclusive_maximum) ||
        read_number(k, "minimum", &n->minimum) ||
        read_number(k, "exclusiveMinimum", &n->exclusive_minimum))
        return -1;
    if (n->multiple_of && json_number_value(n->multiple_of) <= 0)
        return kw_error(k, "multipleOf", "must be greater than 0");
    if (read_count(k, "maxLength", &n->max_length) || read_count(k, "minLength", &n->min_length) ||
        read_count(k, "maxItems", &n->max_items) || read_count(k, "minItems", &n->min_items) ||
        read_count(k, "maxContains", &n->max_contains) ||
        read_count(k, "minContains", &n->min_contains) ||
        read_count(k, "maxProperties", &n->max_props) ||
        read_count(k, "minProperties", &n->min_props))
        return -1;
    if ((v = json_object_get(j, "uniqueItems")) && !json_is_boolean(v))
        return kw_error(k, "uniqueItems", "must be true or false");
    n->unique_items = json_is_true(v);
    if ((v = json_object_get(j, "pattern"))) {
        char msg[256];
        if (!json_is_string(v))
            return kw_error(k, "pattern", "must be a string (a regular expression)");
        if (!(n->pattern = sc_regex_compile(json_string_value(v), msg, sizeof msg)))
            return sc_schema_error(k->err, kw_where(k, "pattern", NULL, 0),
                                   "not a regular expression: %s", msg);
    }
    if ((v = json_object_get(j, "required")) && !distinct_strings(v))
        return kw_error(k, "required", "must be an array of distinct property names");
    n->required = v;
    return read_named(k, "dependentRequired", true, &n->dep_required, &n->n_dep_required);
}

static int read_format(kw_ctx *k)
{
    const json_t *v = json_object_get(k->n->json, "format");
    if (!v)
        return 0;
    if (!json_is_string(v))
        return kw_error(k, "format", "must be a string");
    if (k->s->assert_format || (k->n->res->vocab & SC_V_FORMAT_ASSERT))
        k->n->format = json_string_value(v);
    return 0;
}

int sc_keywords_read(pd_schema *s, sc_node *n, pd_error *err)
{
    kw_ctx k = {s, n, err, PD_BUF_INIT};
    int rc = read_applicators(&k);
    if (rc == 0 && (n->res->vocab & SC_V_VALIDATION))
        rc = read_validation(&k);
    if (rc == 0)
        rc = read_format(&k);
    if (rc == 0 && (n->ref_uri || n->dynref_uri)) {
        s->pending = pd_xrealloc(s->pending, (s->n_pending + 1) * sizeof *s->pending);
        s->pending[s->n_pending++] = n;
    }
    pd_buf_free(&k.where);
    return rc;
}
