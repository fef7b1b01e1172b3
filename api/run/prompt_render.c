/* prompt_render.c: renders a version's messages with variables (no escaping: prompts are not HTML),
 * reports missing variables by message and line, lists variables, reads library partials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "run_priv.h"
#include "store/store.h"

#define MISSING_SHOWN 20   /* names written into the error message; the list has them all */

static void opts_to_tpl(const pd_render_opts *o, pd_tpl_render_opts *t, pd_tpl_missing_list *missing)
{
    memset(t, 0, sizeof *t);
    t->escape = PD_ESCAPE_NONE;
    if (o) {
        t->lenient = o->lenient;
        t->partials_json = o->partials_json;
        t->partials = o->partials;
        t->partials_ud = o->partials_ud;
    }
    t->missing = missing;
}

static pd_tpl *parse_message(const pd_version *v, size_t i, bool lenient, pd_error *err)
{
    char name[48];
    snprintf(name, sizeof name, "message %zu", i + 1);
    const char *c = v->messages[i].content ? v->messages[i].content : "";
    pd_tpl_parse_opts po = {lenient, 0, name};
    return pd_tpl_parse(c, strlen(c), &po, err);
}

static void add_missing(pd_prompt_missing **out, size_t *n, json_t *seen, const pd_tpl_missing *m, size_t msg)
{
    char key[16];
    snprintf(key, sizeof key, "%c", m->is_partial ? '>' : '=');
    pd_buf k = PD_BUF_INIT;
    pd_buf_printf(&k, "%s%s", key, m->name);
    bool dup = json_object_get(seen, pd_buf_str(&k)) != NULL;
    if (!dup)
        json_object_set_new(seen, pd_buf_str(&k), json_true());
    pd_buf_free(&k);
    if (dup)
        return;
    *out = pd_xrealloc(*out, (*n + 1) * sizeof **out);
    pd_prompt_missing *p = &(*out)[(*n)++];
    p->name = pd_strdup(m->name);
    p->message = msg;
    p->line = m->line;
    p->col = m->col;
    p->partial = pd_strdup(m->partial);
    p->is_partial = m->is_partial;
}

static void free_messages(pd_message *msgs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        pd_message_clear(&msgs[k]);
    free(msgs);
}

/* Renders every message; missing names go to *miss (when miss is not NULL). */
static int render_all(const pd_version *v, json_t *vars, const pd_render_opts *o, pd_message **out,
                      pd_prompt_missing **miss, size_t *n_miss, pd_error *err)
{
    bool lenient = o && o->lenient;
    pd_message *msgs = pd_xcalloc(v->n_messages ? v->n_messages : 1, sizeof *msgs);
    json_t *seen = json_object();
    int rc = 0;
    size_t i;
    for (i = 0; i < v->n_messages && rc == 0; i++) {
        const pd_message *m = &v->messages[i];
        if (m->placeholder) {
            msgs[i].placeholder = pd_strdup(m->placeholder);
            continue;
        }
        msgs[i].role = pd_strdup(m->role);
        pd_tpl *t = parse_message(v, i, lenient, err);
        if (!t) {
            rc = -1;
            break;
        }
        pd_tpl_missing_list ml = {0};
        pd_tpl_render_opts to;
        opts_to_tpl(o, &to, miss ? &ml : NULL);
        pd_buf b = PD_BUF_INIT;
        rc = pd_tpl_render(t, vars, &to, &b, err);
        if (rc != 0)
            pd_error_prefix(err, "message %zu", i + 1);
        msgs[i].content = pd_buf_take(&b);
        for (size_t k = 0; k < ml.n; k++)
            add_missing(miss, n_miss, seen, &ml.items[k], i);
        pd_tpl_missing_list_free(&ml);
        pd_tpl_free(t);
    }
    json_decref(seen);
    if (rc != 0) {
        free_messages(msgs, v->n_messages);
        return -1;
    }
    *out = msgs;
    return 0;
}

/* "missing variables: topic (message 1, line 3), ...; missing partials: header (message 1, line 1)" */
static int missing_error(const pd_prompt_missing *m, size_t n, pd_error *err)
{
    pd_buf b = PD_BUF_INIT;
    for (int partials = 0; partials < 2; partials++) {
        size_t shown = 0, total = 0;
        for (size_t i = 0; i < n; i++) {
            if (m[i].is_partial != (partials == 1))
                continue;
            if (total++ >= MISSING_SHOWN)
                continue;
            if (shown++ == 0)
                pd_buf_printf(&b, "%smissing %s: ", b.len ? "; " : "", partials ? "partials" : "variables");
            else
                pd_buf_puts(&b, ", ");
            pd_buf_printf(&b, "%.100s (message %zu, %s%.100s%sline %d)", m[i].name, m[i].message + 1,
                          m[i].partial ? "partial " : "", m[i].partial ? m[i].partial : "",
                          m[i].partial ? " " : "", m[i].line);
        }
        if (total > shown)
            pd_buf_printf(&b, " and %zu more", total - shown);
    }
    pd_error_set(err, PD_ERR_MISSING_VARIABLES, "%s", pd_buf_str(&b));
    pd_buf_free(&b);
    return -1;
}

int pd_prompt_render(const pd_version *v, json_t *vars, const pd_render_opts *opts, pd_message **out,
                     size_t *n_out, pd_error *err)
{
    *out = NULL;
    *n_out = 0;
    bool strict = !(opts && opts->lenient);
    pd_prompt_missing *miss = NULL;
    size_t n_miss = 0;
    pd_message *msgs;
    if (render_all(v, vars, opts, &msgs, strict ? &miss : NULL, &n_miss, err) != 0)
        return -1;
    if (n_miss) {
        missing_error(miss, n_miss, err);
        pd_prompt_missing_free(miss, n_miss);
        free_messages(msgs, v->n_messages);
        return -1;
    }
    *out = msgs;
    *n_out = v->n_messages;
    return 0;
}

int pd_prompt_missing_vars(const pd_version *v, json_t *vars, const pd_render_opts *opts,
                           pd_prompt_missing **out, size_t *n, pd_error *err)
{
    *out = NULL;
    *n = 0;
    pd_message *msgs;
    if (render_all(v, vars, opts, &msgs, out, n, err) != 0) {
        pd_prompt_missing_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    free_messages(msgs, v->n_messages);
    return 0;
}

void pd_prompt_missing_free(pd_prompt_missing *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].name);
        free(m[i].partial);
    }
    free(m);
}

/* ---- variables ---- */

typedef struct vars_acc {
    pd_prompt_var *v;
    size_t n;
    json_t *idx;        /* name -> position */
    json_t *visited;    /* partials already listed */
    const pd_render_opts *o;
    bool lenient;
} vars_acc;

static void merge(vars_acc *a, const pd_tpl_var_list *l, size_t msg)
{
    for (size_t i = 0; i < l->n; i++) {
        const pd_tpl_var *t = &l->items[i];
        json_t *at = json_object_get(a->idx, t->name);
        if (at) {
            pd_prompt_var *p = &a->v[json_integer_value(at)];
            p->section |= t->section;
            p->variable |= t->variable;
            continue;
        }
        json_object_set_new(a->idx, t->name, json_integer((json_int_t)a->n));
        a->v = pd_xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        pd_prompt_var *p = &a->v[a->n++];
        p->name = pd_strdup(t->name);
        p->section = t->section;
        p->variable = t->variable;
        p->scope = pd_strdup(t->scope);
        p->message = msg;
        p->line = t->line;
        p->col = t->col;
    }
}

static int partial_text(const pd_render_opts *o, const char *name, char **text, pd_error *err)
{
    *text = NULL;
    const json_t *pj = o && o->partials_json ? json_object_get(o->partials_json, name) : NULL;
    if (json_is_string(pj)) {
        *text = pd_strdup(json_string_value(pj));
        return 0;
    }
    return o && o->partials ? o->partials(o->partials_ud, name, text, err) : 0;
}

/* Lists t's variables, then those of the partials it names (each once, depth-first). */
static int list_tpl(vars_acc *a, const pd_tpl *t, size_t msg, int depth, pd_error *err)
{
    pd_tpl_var_list l = {0};
    pd_tpl_variables(t, &l);
    merge(a, &l, msg);
    pd_tpl_var_list_free(&l);
    char **names = NULL;
    size_t n = pd_tpl_partial_names(t, &names);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (json_object_get(a->visited, names[i]) || depth >= PD_TPL_MAX_PARTIAL_DEPTH)
            continue;
        json_object_set_new(a->visited, names[i], json_true());
        char *text;
        if ((rc = partial_text(a->o, names[i], &text, err)) != 0 || !text)
            continue;
        pd_buf label = PD_BUF_INIT;
        pd_buf_printf(&label, "partial %s", names[i]);
        pd_tpl_parse_opts po = {a->lenient, 0, pd_buf_str(&label)};
        pd_tpl *pt = pd_tpl_parse(text, strlen(text), &po, err);
        pd_buf_free(&label);
        free(text);
        if (pt) {
            rc = list_tpl(a, pt, msg, depth + 1, err);
            pd_tpl_free(pt);
        } else {
            rc = -1;
        }
    }
    pd_tpl_names_free(names, n);
    return rc;
}

int pd_prompt_variables(const pd_version *v, const pd_render_opts *opts, pd_prompt_var **out, size_t *n,
                        pd_error *err)
{
    vars_acc a = {NULL, 0, json_object(), json_object(), opts, opts && opts->lenient};
    int rc = 0;
    for (size_t i = 0; i < v->n_messages && rc == 0; i++) {
        if (v->messages[i].placeholder)
            continue;
        pd_tpl *t = parse_message(v, i, a.lenient, err);
        if (!t) {
            rc = -1;
            break;
        }
        rc = list_tpl(&a, t, i, 0, err);
        pd_tpl_free(t);
    }
    json_decref(a.idx);
    json_decref(a.visited);
    if (rc != 0) {
        pd_prompt_var_free(a.v, a.n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    *out = a.v;
    *n = a.n;
    return 0;
}

void pd_prompt_var_free(pd_prompt_var *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].scope);
    }
    free(v);
}

json_t *pd_prompt_vars_to_json(const pd_prompt_var *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", pd_tpl_json_string(v[i].name));
        json_object_set_new(o, "section", json_boolean(v[i].section));
        json_object_set_new(o, "variable", json_boolean(v[i].variable));
        json_object_set_new(o, "scope", v[i].scope ? pd_tpl_json_string(v[i].scope) : json_null());
        json_object_set_new(o, "message", json_integer((json_int_t)v[i].message));
        json_object_set_new(o, "line", json_integer(v[i].line));
        json_object_set_new(o, "col", json_integer(v[i].col));
        json_array_append_new(a, o);
    }
    return a;
}

/* ---- library partials ---- */

int pd_store_partial_lookup(void *store, const char *name, char **out, pd_error *err)
{
    int version;
    return pd_run_partial_lookup(store, name, out, &version, err);
}

int pd_run_partial_lookup(void *store, const char *name, char **out, int *found_version, pd_error *err)
{
    *out = NULL;
    *found_version = 0;
    const char *at = strrchr(name, '@');
    int version = 0;
    char *base = NULL;
    if (at && at[1]) {
        char *end;
        long n = strtol(at + 1, &end, 10);
        if (*end == '\0' && n > 0 && n < 1000000) {
            version = (int)n;
            base = pd_strndup(name, (size_t)(at - name));
        }
    }
    pd_partial *p = NULL;
    pd_error e = {0};
    int rc = pd_store_get_partial(store, base ? base : name, version, &p, &e);
    free(base);
    if (rc != 0) {
        if (e.code == PD_ERR_NOT_FOUND || e.code == PD_ERR_INVALID_REQUEST)
            return 0;
        if (err)
            *err = e;
        return -1;
    }
    *out = pd_strdup(p->content ? p->content : "");
    *found_version = p->version;
    pd_partial_free(p);
    return 0;
}
