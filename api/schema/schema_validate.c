/* schema_validate.c: evaluating a compiled schema on a value: applicators, dynamic scope, annotations. */
#include "schema_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than this is taken for a reference loop that keeps finding new values (jansson parses
 * values at most 2048 deep, and each level rarely needs more than a few schemas). */
#define SC_MAX_DEPTH 8192

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 16;
    return pd_xrealloc(p, *cap * size);
}

void sc_path_push_key(sc_ctx *c, const char *key, size_t len)
{
    c->path = grow(c->path, c->depth, &c->path_cap, sizeof *c->path);
    c->path[c->depth++] = (sc_seg){key, len, 0};
}

void sc_path_push_index(sc_ctx *c, size_t index)
{
    c->path = grow(c->path, c->depth, &c->path_cap, sizeof *c->path);
    c->path[c->depth++] = (sc_seg){NULL, 0, index};
}

void sc_path_pop(sc_ctx *c)
{
    c->depth--;
}

bool sc_fail(sc_ctx *c, const char *fmt, ...)
{
    if (!c->reason || c->recorded)
        return false;
    c->recorded = true;
    pd_buf_puts(c->reason, "at ");
    if (c->depth == 0)
        pd_buf_puts(c->reason, "(root)");
    for (size_t i = 0; i < c->depth; i++) {
        if (c->path[i].key)
            sc_pointer_push(c->reason, c->path[i].key, c->path[i].len);
        else
            pd_buf_printf(c->reason, "/%zu", c->path[i].index);
    }
    pd_buf_puts(c->reason, ": ");
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(c->reason, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- annotations: which items or members were evaluated ---- */

static void annot_init(sc_annot *a, const json_t *inst)
{
    a->n = json_is_array(inst) ? json_array_size(inst) : json_is_object(inst) ? json_object_size(inst) : 0;
    a->seen = pd_xcalloc(a->n + 1, 1);
}

static void annot_merge(sc_annot *dst, const sc_annot *src)
{
    for (size_t i = 0; i < dst->n && i < src->n; i++)
        dst->seen[i] |= src->seen[i];
}

/* A temporary for a subschema whose failure is not final: NULL when nobody collects. */
static sc_annot *annot_temp(sc_annot *t, const sc_annot *a, const json_t *inst)
{
    t->seen = NULL;
    t->n = 0;
    if (!a)
        return NULL;
    annot_init(t, inst);
    return t;
}

/* Evaluates a subschema whose failure is not final (anyOf, oneOf, not, if, contains): its
 * reason goes to why (or nowhere), not to the caller's. */
static bool eval_quiet(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a, pd_buf *why)
{
    pd_buf *saved = c->reason;
    bool saved_recorded = c->recorded;
    c->reason = why;
    c->recorded = false;
    bool ok = sc_eval(c, n, inst, a);
    c->reason = saved;
    c->recorded = saved_recorded;
    return ok;
}

/* A subschema on a child value: "property not allowed (additionalProperties is false)" reads
 * better than the false schema's own words. */
static bool eval_child(sc_ctx *c, const sc_node *n, const json_t *inst, const char *what, const char *kw)
{
    if (n->boolean == 0)
        return sc_fail(c, "%s not allowed (%s is false)", what, kw);
    return sc_eval(c, n, inst, NULL);
}

/* ---- in-place applicators ---- */

static const sc_node *dynamic_target(const sc_ctx *c, const sc_node *n)
{
    if (!n->dynref_anchor)
        return n->dynref;
    for (size_t i = 0; i < c->n_scope; i++) {
        const sc_resource *r = c->scope[i];
        for (size_t j = 0; j < r->n_anchors; j++)
            if (r->anchors[j].dynamic && !strcmp(r->anchors[j].name, n->dynref_anchor))
                return r->anchors[j].node;
    }
    return n->dynref;
}

static bool eval_any_of(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    bool any = false;
    pd_buf first = PD_BUF_INIT;
    for (size_t i = 0; i < n->n_any_of && (a || !any); i++) {
        sc_annot t, *tp = annot_temp(&t, a, inst);
        if (eval_quiet(c, n->any_of[i], inst, tp, i == 0 && c->reason ? &first : NULL)) {
            any = true;
            if (tp)
                annot_merge(a, tp);
        }
        free(t.seen);
    }
    if (!any)
        sc_fail(c, "matches none of the %zu schemas in anyOf (the first: %s)", n->n_any_of, pd_buf_str(&first));
    pd_buf_free(&first);
    return any;
}

static bool eval_one_of(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    size_t matched = 0, which = 0;
    pd_buf first = PD_BUF_INIT;
    sc_annot chosen = {NULL, 0};
    for (size_t i = 0; i < n->n_one_of && matched < 2; i++) {
        sc_annot t, *tp = annot_temp(&t, a, inst);
        if (!eval_quiet(c, n->one_of[i], inst, tp, i == 0 && c->reason ? &first : NULL)) {
            free(t.seen);
        } else if (matched++ == 0) {
            which = i;
            chosen = t;
        } else {
            free(t.seen);
            sc_fail(c, "matches schemas %zu and %zu of oneOf, expected exactly one", which, i);
        }
    }
    if (matched == 0)
        sc_fail(c, "matches none of the %zu schemas in oneOf (the first: %s)", n->n_one_of, pd_buf_str(&first));
    if (matched == 1 && a)
        annot_merge(a, &chosen);
    free(chosen.seen);
    pd_buf_free(&first);
    return matched == 1;
}

static bool eval_if(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    sc_annot t, *tp = annot_temp(&t, a, inst);
    bool cond = eval_quiet(c, n->if_, inst, tp, NULL);
    if (cond && tp)
        annot_merge(a, tp);
    free(t.seen);
    const sc_node *branch = cond ? n->then_ : n->else_;
    if (branch && branch->boolean == 0)
        return sc_fail(c, "value not allowed (%s is false)", cond ? "then" : "else");
    return !branch || sc_eval(c, branch, inst, a);
}

static bool eval_in_place(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    if (n->ref && !sc_eval(c, n->ref, inst, a))
        return false;
    if (n->dynref && !sc_eval(c, dynamic_target(c, n), inst, a))
        return false;
    for (size_t i = 0; i < n->n_all_of; i++)
        if (!sc_eval(c, n->all_of[i], inst, a))
            return false;
    if (n->n_any_of && !eval_any_of(c, n, inst, a))
        return false;
    if (n->n_one_of && !eval_one_of(c, n, inst, a))
        return false;
    if (n->not_ && eval_quiet(c, n->not_, inst, NULL, NULL))
        return sc_fail(c, "matches the schema in not");
    if (n->if_ && !eval_if(c, n, inst, a))
        return false;
    for (size_t i = 0; i < n->n_dep_schemas && json_is_object(inst); i++)
        if (json_object_getn(inst, n->dep_schemas[i].name, n->dep_schemas[i].len) &&
            !sc_eval(c, n->dep_schemas[i].node, inst, a))
            return false;
    return true;
}

/* ---- applicators on items and members ---- */

static bool eval_contains(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    json_int_t min = n->min_contains >= 0 ? n->min_contains : 1;
    size_t matches = 0;
    for (size_t i = 0; i < json_array_size(inst); i++) {
        if (!a && n->max_contains < 0 && (json_int_t)matches >= min)
            break;
        sc_path_push_index(c, i);
        if (eval_quiet(c, n->contains, json_array_get(inst, i), NULL, NULL)) {
            matches++;
            if (a)
                a->seen[i] = 1;
        }
        sc_path_pop(c);
    }
    if ((json_int_t)matches < min)
        return min == 1 ? sc_fail(c, "no item matches the schema in contains")
                        : sc_fail(c, "%zu items match contains, fewer than minContains %" JSON_INTEGER_FORMAT,
                                  matches, min);
    if (n->max_contains >= 0 && (json_int_t)matches > n->max_contains)
        return sc_fail(c, "%zu items match contains, more than maxContains %" JSON_INTEGER_FORMAT,
                       matches, n->max_contains);
    return true;
}

static bool eval_items(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    size_t size = json_array_size(inst);
    for (size_t i = 0; i < size; i++) {
        const sc_node *sub = i < n->n_prefix_items ? n->prefix_items[i] : n->items;
        if (!sub)
            continue;
        sc_path_push_index(c, i);
        bool ok = eval_child(c, sub, json_array_get(inst, i), "item", i < n->n_prefix_items ? "prefixItems" : "items");
        sc_path_pop(c);
        if (!ok)
            return false;
        if (a)
            a->seen[i] = 1;
    }
    return !n->contains || eval_contains(c, n, inst, a);
}

static bool eval_property_name(sc_ctx *c, const sc_node *n, const char *key, size_t len)
{
    json_t *name = json_stringn_nocheck(key, len);
    bool ok = eval_child(c, n, name, "property name", "propertyNames");
    json_decref(name);
    return ok;
}

static bool eval_member(sc_ctx *c, const sc_node *n, const char *key, size_t len, const json_t *v,
                        bool *evaluated)
{
    sc_named probe = {key, len, NULL, NULL};
    const sc_named *prop = n->n_props ? bsearch(&probe, n->props, n->n_props, sizeof *n->props, sc_named_cmp) : NULL;
    if (prop) {
        *evaluated = true;
        if (!eval_child(c, prop->node, v, "property", "its schema in properties"))
            return false;
    }
    for (size_t j = 0; j < n->n_pattern_props; j++) {
        if (!sc_regex_search(n->pattern_props[j].re, key, len))
            continue;
        *evaluated = true;
        if (!eval_child(c, n->pattern_props[j].node, v, "property", "its schema in patternProperties"))
            return false;
    }
    if (!*evaluated && n->additional_props) {
        *evaluated = true;
        if (!eval_child(c, n->additional_props, v, "property", "additionalProperties"))
            return false;
    }
    return !n->property_names || eval_property_name(c, n->property_names, key, len);
}

static bool eval_members(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)inst); it; it = json_object_iter_next((json_t *)inst, it), i++) {
        const char *key = json_object_iter_key(it);
        size_t len = json_object_iter_key_len(it);
        bool evaluated = false;
        sc_path_push_key(c, key, len);
        bool ok = eval_member(c, n, key, len, json_object_iter_value(it), &evaluated);
        sc_path_pop(c);
        if (!ok)
            return false;
        if (a && evaluated)
            a->seen[i] = 1;
    }
    return true;
}

/* unevaluatedItems / unevaluatedProperties: the items or members nothing else evaluated. */
static bool eval_unevaluated(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *a)
{
    if (json_is_array(inst) && n->unevaluated_items) {
        for (size_t i = 0; i < json_array_size(inst); i++) {
            if (a->seen[i])
                continue;
            sc_path_push_index(c, i);
            bool ok = eval_child(c, n->unevaluated_items, json_array_get(inst, i), "item", "unevaluatedItems");
            sc_path_pop(c);
            if (!ok)
                return false;
            a->seen[i] = 1;
        }
    }
    if (json_is_object(inst) && n->unevaluated_props) {
        size_t i = 0;
        for (void *it = json_object_iter((json_t *)inst); it; it = json_object_iter_next((json_t *)inst, it), i++) {
            if (a->seen[i])
                continue;
            sc_path_push_key(c, json_object_iter_key(it), json_object_iter_key_len(it));
            bool ok = eval_child(c, n->unevaluated_props, json_object_iter_value(it), "property",
                                 "unevaluatedProperties");
            sc_path_pop(c);
            if (!ok)
                return false;
            a->seen[i] = 1;
        }
    }
    return true;
}

/* ---- one subschema ---- */

/* The same subschema again on the same value, with nothing consumed in between, never ends. */
static bool in_loop(const sc_ctx *c, const sc_node *n, const json_t *inst)
{
    for (size_t i = c->n_stack; i-- > 0 && c->stack[i].inst == inst;)
        if (c->stack[i].node == n)
            return true;
    return false;
}

static bool eval_object_schema(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *out)
{
    sc_annot local = {NULL, 0}, *a = out;
    if (n->collects) {
        annot_init(&local, inst);
        a = &local;
    }
    bool ok = sc_assert(c, n, inst) && eval_in_place(c, n, inst, a) &&
              (!json_is_array(inst) || eval_items(c, n, inst, a)) &&
              (!json_is_object(inst) || eval_members(c, n, inst, a)) &&
              (!n->collects || eval_unevaluated(c, n, inst, a));
    if (ok && n->collects && out)
        annot_merge(out, a);
    free(local.seen);
    return ok;
}

bool sc_eval(sc_ctx *c, const sc_node *n, const json_t *inst, sc_annot *out)
{
    if (n->boolean >= 0)
        return n->boolean ? true : sc_fail(c, "no value is allowed here (the schema %s is false)", n->where);
    if (in_loop(c, n, inst))
        return sc_fail(c, "the schema %s applies itself to this value again: a $ref loop", n->where);
    if (c->n_stack >= SC_MAX_DEPTH)
        return sc_fail(c, "schemas nest more than %d deep", SC_MAX_DEPTH);
    c->stack = grow(c->stack, c->n_stack, &c->stack_cap, sizeof *c->stack);
    c->stack[c->n_stack++] = (struct sc_frame){n, inst};
    bool new_scope = c->n_scope == 0 || c->scope[c->n_scope - 1] != n->res;
    if (new_scope) {
        c->scope = grow(c->scope, c->n_scope, &c->scope_cap, sizeof *c->scope);
        c->scope[c->n_scope++] = n->res;
    }
    bool ok = eval_object_schema(c, n, inst, out);
    c->n_scope -= new_scope;
    c->n_stack--;
    return ok;
}

bool pd_schema_validate(const pd_schema *s, const json_t *instance, pd_buf *reason)
{
    sc_ctx c = {.schema = s, .reason = reason};
    bool ok = sc_eval(&c, s->root, instance, NULL);
    free(c.path);
    free(c.scope);
    free(c.stack);
    return ok;
}
