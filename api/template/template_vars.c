/* template_vars.c: lists the variables a parsed template uses (first-use order, section flags),
 * for the app's variables form and `promptdeck template vars`. */
#include <stdlib.h>
#include <string.h>

#include "template_priv.h"

/* The list being filled and an index name -> position, so many names stay linear. */
typedef struct walker {
    pd_tpl_var_list *l;
    json_t *idx;
} walker;

static void note(walker *w, const tpl_node *n, bool section, const char *scope)
{
    pd_tpl_var_list *l = w->l;
    json_t *at = json_object_get(w->idx, n->s);
    pd_tpl_var *v = at ? &l->items[json_integer_value(at)] : NULL;
    if (!v) {
        json_object_set_new(w->idx, n->s, json_integer((json_int_t)l->n));
        l->items = pd_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
        v = &l->items[l->n++];
        memset(v, 0, sizeof *v);
        v->name = pd_strdup(n->s);
        v->scope = pd_strdup(scope);
        v->line = (int)n->line;
        v->col = (int)n->col;
    }
    if (section)
        v->section = true;
    else
        v->variable = true;
}

static void walk(const tpl_node *nodes, size_t n, walker *l, const char *scope)
{
    for (size_t i = 0; i < n; i++) {
        const tpl_node *k = &nodes[i];
        bool named = k->n_parts > 0;
        switch (k->kind) {
        case TN_VAR:
            if (named)
                note(l, k, false, scope);
            break;
        case TN_PARTIAL:
        case TN_PARENT:
            if (named && (k->flags & TF_DYNAMIC))
                note(l, k, false, scope);
            if (k->kind == TN_PARENT)
                walk(k->kids, k->n_kids, l, scope);
            break;
        case TN_SECTION:
        case TN_INVERTED:
            if (named)
                note(l, k, true, scope);
            walk(k->kids, k->n_kids, l, named && k->kind == TN_SECTION ? k->s : scope);
            break;
        case TN_BLOCK:
            walk(k->kids, k->n_kids, l, scope);
            break;
        default:
            break;
        }
    }
}

void pd_tpl_variables(const pd_tpl *t, pd_tpl_var_list *list)
{
    walker w = {list, json_object()};
    for (size_t i = 0; i < list->n; i++)
        json_object_set_new(w.idx, list->items[i].name, json_integer((json_int_t)i));
    walk(t->nodes, t->n_nodes, &w, NULL);
    json_decref(w.idx);
}

void pd_tpl_var_list_free(pd_tpl_var_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].scope);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

json_t *pd_tpl_var_list_to_json(const pd_tpl_var_list *list)
{
    json_t *a = json_array();
    for (size_t i = 0; i < list->n; i++) {
        const pd_tpl_var *v = &list->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", pd_tpl_json_string(v->name));
        json_object_set_new(o, "section", json_boolean(v->section));
        json_object_set_new(o, "variable", json_boolean(v->variable));
        json_object_set_new(o, "scope", v->scope ? pd_tpl_json_string(v->scope) : json_null());
        json_object_set_new(o, "line", json_integer(v->line));
        json_object_set_new(o, "col", json_integer(v->col));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *pd_tpl_json_string(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    pd_buf b = PD_BUF_INIT;   /* not UTF-8: keep the valid sequences, U+FFFD for the rest */
    for (size_t i = 0, len = strlen(s); i < len;) {
        uint32_t cp;
        bool valid;
        size_t n = pd_utf8_next(s + i, len - i, &cp, &valid);
        if (valid)
            pd_buf_append(&b, s + i, n);
        else
            pd_buf_puts(&b, "\xEF\xBF\xBD");
        i += n;
    }
    j = json_string(pd_buf_str(&b));
    pd_buf_free(&b);
    return j ? j : json_string("");
}

static void partial_names(const tpl_node *nodes, size_t n, json_t *seen, char ***names, size_t *count)
{
    for (size_t i = 0; i < n; i++) {
        const tpl_node *k = &nodes[i];
        if ((k->kind == TN_PARTIAL || k->kind == TN_PARENT) && !(k->flags & TF_DYNAMIC) &&
            !json_object_get(seen, k->s)) {
            json_object_set_new(seen, k->s, json_true());
            *names = pd_xrealloc(*names, (*count + 1) * sizeof **names);
            (*names)[(*count)++] = pd_strdup(k->s);
        }
        partial_names(k->kids, k->n_kids, seen, names, count);
    }
}

size_t pd_tpl_partial_names(const pd_tpl *t, char ***names)
{
    size_t count = 0;
    json_t *seen = json_object();
    *names = NULL;
    partial_names(t->nodes, t->n_nodes, seen, names, &count);
    json_decref(seen);
    return count;
}

void pd_tpl_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}
