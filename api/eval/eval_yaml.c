/* eval_yaml.c: YAML (and JSON, which YAML reads too) to jansson values with libyaml's document
 * loader, keeping the document so that a path ("tests[3].assert[0].type") still finds its line.
 * Plain scalars resolve as js-yaml (promptfoo's reader) does by default: null, booleans,
 * integers, floats; "<<" merges mappings; duplicate keys are errors. */
#include "eval_priv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_DEPTH_MAX 64
#define YAML_VALUES_MAX 1000000   /* values made, aliases counted each time: stops alias bombs */

struct eval_yaml {
    yaml_document_t doc;
    json_t *json;
};

typedef struct conv {
    yaml_document_t *doc;
    const char *where;
    pd_error *err;
    long made;
} conv;

static int line_of(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

static int conv_error(conv *c, const yaml_node_t *n, pd_code code, const char *what)
{
    return pd_error_set(c->err, code, "%s:%d: %s", c->where, line_of(n), what);
}

static bool tag_is(const yaml_node_t *n, const char *tag)
{
    return n->tag && strcmp((const char *)n->tag, tag) == 0;
}

static bool all_digits(const char *s, int (*is)(int))
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!is((unsigned char)*s))
            return false;
    return true;
}

/* A plain scalar's value: null, true/false, an integer, a float, or NULL for a string. */
static json_t *resolve_plain(const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (strcmp(s, nulls[i]) == 0)
            return json_null();
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return json_true();
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return json_false();
    const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
    int base = 0;
    if (all_digits(d, isdigit))
        base = 10;
    else if (d[0] == '0' && d[1] == 'x' && all_digits(d + 2, isxdigit))
        base = 16;
    else if (d[0] == '0' && d[1] == 'o' && d[2] && strspn(d + 2, "01234567") == strlen(d + 2))
        base = 8;
    if (base) {
        errno = 0;
        long long v = strtoll(base == 10 ? d : d + 2, NULL, base);
        if (errno == 0)
            return json_integer(*s == '-' ? -v : v);
        return json_real(strtod(s, NULL));   /* beyond 64 bits: a float, as in JavaScript */
    }
    if (!strcmp(d, ".inf") || !strcmp(d, ".Inf") || !strcmp(d, ".INF") || !strcmp(s, ".nan") ||
        !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
        return json_null();   /* JSON has no infinities or NaN */
    /* [-+]? ( . digits | digits [. digits*] ) ( [eE] [-+]? digits )? */
    const char *p = d;
    size_t before = strspn(p, "0123456789");
    p += before;
    size_t after = 0;
    if (*p == '.') {
        after = strspn(p + 1, "0123456789");
        p += 1 + after;
    }
    if (before + after == 0)
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return NULL;
        p += exp;
    }
    if (*p)
        return NULL;
    double v = strtod(s, NULL);
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *scalar_json(conv *c, yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    bool str_tag = tag_is(n, YAML_STR_TAG);
    if ((plain && str_tag) || tag_is(n, YAML_NULL_TAG) || tag_is(n, YAML_BOOL_TAG) || tag_is(n, YAML_INT_TAG) ||
        tag_is(n, YAML_FLOAT_TAG)) {
        json_t *v = strlen(s) == len ? resolve_plain(s) : NULL;
        if (v)
            return v;
    }
    json_t *v = json_stringn(s, len);
    if (!v)
        conv_error(c, n, PD_ERR_DAMAGED, "text that is not UTF-8");
    return v;
}

static json_t *node_json(conv *c, yaml_node_t *n, int depth);

static bool is_merge_key(const yaml_node_t *k)
{
    return k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           strcmp((const char *)k->data.scalar.value, "<<") == 0;
}

/* Members of a merged mapping that o does not have yet. */
static int merge_into(conv *c, json_t *o, yaml_node_t *src, int depth)
{
    if (src->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = src->data.sequence.items.start; it < src->data.sequence.items.top; it++)
            if (merge_into(c, o, yaml_document_get_node(c->doc, *it), depth) != 0)
                return -1;
        return 0;
    }
    if (src->type != YAML_MAPPING_NODE)
        return conv_error(c, src, PD_ERR_DAMAGED, "\"<<\" merges a mapping (or a list of them) only");
    json_t *m = node_json(c, src, depth + 1);
    if (!m)
        return -1;
    const char *key;
    json_t *v;
    json_object_foreach(m, key, v) {
        if (!json_object_get(o, key))
            json_object_set(o, key, v);
    }
    json_decref(m);
    return 0;
}

static json_t *mapping_json(conv *c, yaml_node_t *n, int depth)
{
    json_t *o = json_object();
    yaml_node_pair_t *pairs = n->data.mapping.pairs.start, *end = n->data.mapping.pairs.top;
    for (yaml_node_pair_t *p = pairs; p < end; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        if (is_merge_key(k))
            continue;
        if (k->type != YAML_SCALAR_NODE) {
            conv_error(c, k, PD_ERR_DAMAGED, "a key must be text, not a list or mapping");
            goto fail;
        }
        json_t *key = json_stringn((const char *)k->data.scalar.value, k->data.scalar.length);
        if (!key || strlen(json_string_value(key)) != k->data.scalar.length) {
            json_decref(key);
            conv_error(c, k, PD_ERR_DAMAGED, "a key that is not UTF-8 text");
            goto fail;
        }
        const char *name = json_string_value(key);
        if (json_object_get(o, name)) {
            pd_buf b = PD_BUF_INIT;
            pd_buf_printf(&b, "duplicate key \"%s\"", name);
            conv_error(c, k, PD_ERR_DAMAGED, pd_buf_str(&b));
            pd_buf_free(&b);
            json_decref(key);
            goto fail;
        }
        json_t *v = node_json(c, yaml_document_get_node(c->doc, p->value), depth + 1);
        if (!v) {
            json_decref(key);
            goto fail;
        }
        json_object_set_new(o, name, v);
        json_decref(key);
    }
    for (yaml_node_pair_t *p = pairs; p < end; p++)
        if (is_merge_key(yaml_document_get_node(c->doc, p->key)) &&
            merge_into(c, o, yaml_document_get_node(c->doc, p->value), depth) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *node_json(conv *c, yaml_node_t *n, int depth)
{
    if (depth > YAML_DEPTH_MAX) {
        conv_error(c, n, PD_ERR_LIMIT, "nested deeper than 64 levels (or an alias inside itself)");
        return NULL;
    }
    if (++c->made > YAML_VALUES_MAX) {
        conv_error(c, n, PD_ERR_LIMIT, "more than a million values once aliases are expanded");
        return NULL;
    }
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return scalar_json(c, n);
    case YAML_SEQUENCE_NODE: {
        json_t *a = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            json_t *v = node_json(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!v) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, v);
        }
        return a;
    }
    case YAML_MAPPING_NODE:
        return mapping_json(c, n, depth);
    case YAML_NO_NODE:
        break;
    }
    return json_null();
}

int eval_yaml_load(const char *text, size_t len, const char *where, eval_yaml **out, pd_error *err)
{
    *out = NULL;
    eval_yaml *y = pd_xcalloc(1, sizeof *y);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        abort();   /* out of memory: fatal in the api */
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %s%s%s", where, (int)parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "not YAML", parser.context ? " " : "",
                     parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        free(y);
        return -1;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    conv c = {&y->doc, where, err, 0};
    y->json = root ? node_json(&c, root, 0) : json_null();
    if (!y->json) {
        eval_yaml_free(y);
        return -1;
    }
    *out = y;
    return 0;
}

void eval_yaml_free(eval_yaml *y)
{
    if (!y)
        return;
    json_decref(y->json);
    yaml_document_delete(&y->doc);
    free(y);
}

json_t *eval_yaml_json(const eval_yaml *y)
{
    return y->json;
}

/* The value under key in mapping n (looking through "<<" merges too), or NULL. */
static yaml_node_t *mapping_get(yaml_document_t *doc, yaml_node_t *n, const char *key, size_t klen, int depth)
{
    if (!n || depth > YAML_DEPTH_MAX)
        return NULL;
    if (n->type == YAML_SEQUENCE_NODE) {   /* a merge of several mappings: the first that has it */
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            yaml_node_t *v = mapping_get(doc, yaml_document_get_node(doc, *it), key, klen, depth + 1);
            if (v)
                return v;
        }
        return NULL;
    }
    if (n->type != YAML_MAPPING_NODE)
        return NULL;
    yaml_node_t *merged = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k->type != YAML_SCALAR_NODE)
            continue;
        if (is_merge_key(k))
            merged = yaml_document_get_node(doc, p->value);
        else if (k->data.scalar.length == klen && memcmp(k->data.scalar.value, key, klen) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return merged ? mapping_get(doc, merged, key, klen, depth + 1) : NULL;
}

int eval_yaml_path_line(const eval_yaml *y, const char *path)
{
    yaml_document_t *doc = (yaml_document_t *)&y->doc;
    yaml_node_t *n = yaml_document_get_root_node(doc);
    int line = line_of(n);
    const char *p = path ? path : "";
    while (n && *p) {
        yaml_node_t *next = NULL;
        if (*p == '.')
            p++;
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            if (*end != ']' || n->type != YAML_SEQUENCE_NODE || i < 0 ||
                i >= n->data.sequence.items.top - n->data.sequence.items.start)
                break;
            next = yaml_document_get_node(doc, n->data.sequence.items.start[i]);
            p = end + 1;
        } else {
            size_t klen = strcspn(p, ".[");
            next = mapping_get(doc, n, p, klen, 0);
            p += klen;
        }
        if (!next)
            break;
        n = next;
        line = line_of(n);
    }
    return line;
}

json_t *eval_yaml_parse_value(const char *text, size_t len, pd_error *err)
{
    eval_yaml *y;
    if (eval_yaml_load(text, len, "schema", &y, err) != 0)
        return NULL;
    json_t *v = json_incref(y->json);
    eval_yaml_free(y);
    return v;
}
