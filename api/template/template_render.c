/* template_render.c: renders a parsed Mustache tree against jansson data: context stack, partials
 * (cached per render), inheritance overrides, indentation, escaping and the render limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_priv.h"

/* The parent tags being expanded, newest first; the oldest matching argument wins. */
typedef struct ovr {
    const tpl_node *parent;
    const char *src_name;       /* where the parent tag (and so its arguments) was written */
    const struct ovr *next;
} ovr;

/* What applies to the nodes of one source while they render. */
typedef struct frame {
    const char *indent;         /* written before each non-empty line */
    size_t indent_len;
    const char *dedent;         /* removed from the start of each line of the source */
    size_t dedent_len;
    const ovr *ovr;
    const char *src_name;       /* NULL for the template itself, else the partial's name */
} frame;

typedef struct rs {
    pd_buf *out;
    size_t out_start, max_out;
    const pd_tpl_render_opts *o;
    pd_error *err;
    json_t **stack;             /* context stack, top last */
    size_t sp, scap;
    int depth, max_depth, pdepth, max_pdepth;
    unsigned long long steps, max_steps;
    bool pending;               /* the next inline output starts a line: write the indentation */
    bool escape, lenient;
    json_t *pcache;             /* partial name -> index into tpls */
    pd_tpl **tpls;
    size_t n_tpls, cap_tpls;
    json_t *seen;               /* missing names already reported */
} rs;

static int render_nodes(rs *st, const frame *f, const tpl_node *nodes, size_t n);

static int check_out(rs *st)
{
    if (st->out->len - st->out_start > st->max_out)
        return pd_error_set(st->err, PD_ERR_LIMIT, "rendered output is larger than the limit of %zu bytes",
                            st->max_out);
    return 0;
}

static void push(rs *st, json_t *v)
{
    if (st->sp == st->scap) {
        st->scap = st->scap ? st->scap * 2 : 16;
        st->stack = pd_xrealloc(st->stack, st->scap * sizeof *st->stack);
    }
    st->stack[st->sp++] = v;
}

static json_t *child(json_t *v, const char *part)
{
    if (json_is_object(v))
        return json_object_get(v, part);
    if (json_is_array(v) && part[0] >= '0' && part[0] <= '9' && strlen(part) < 10) {
        char *end;
        unsigned long i = strtoul(part, &end, 10);
        return *end ? NULL : json_array_get(v, i);
    }
    return NULL;
}

/* Resolves a (dotted) name on the context stack; NULL when it does not resolve. */
static json_t *lookup(const rs *st, const tpl_node *n)
{
    if (n->n_parts == 0)
        return st->stack[st->sp - 1];
    const char *part = n->parts;
    json_t *v = NULL;
    for (size_t i = st->sp; i-- > 0 && !v;)
        v = json_is_object(st->stack[i]) ? json_object_get(st->stack[i], part) : NULL;
    for (uint16_t k = 1; v && k < n->n_parts; k++) {
        part += strlen(part) + 1;
        v = child(v, part);
    }
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_TRUE:
    case JSON_OBJECT:
        return true;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    default:
        return false;
    }
}

static void put_escaped(pd_buf *b, const char *s, size_t n)
{
    size_t run = 0, i = 0;
    while (i < n) {
        i += strcspn(s + i, "&<>\"");     /* stops at a NUL byte too: then just step over it */
        if (i >= n)
            break;
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: i++; continue;
        }
        pd_buf_append(b, s + run, i - run);
        pd_buf_puts(b, rep);
        run = ++i;
    }
    pd_buf_append(b, s + run, n - run);
}

/* The shortest decimal that reads back as d ("1.21", not "1.2100000000000000"). */
static void format_real(char *buf, size_t size, double d)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

static void put_value(rs *st, const json_t *v, bool escape)
{
    char num[64];
    const char *s = NULL;
    size_t n = 0;
    char *dump = NULL;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER:
        n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
        break;
    case JSON_REAL:
        format_real(num, sizeof num, json_real_value(v));
        s = num;
        n = strlen(num);
        break;
    case JSON_TRUE:
        s = "true";
        n = 4;
        break;
    case JSON_FALSE:
        s = "false";
        n = 5;
        break;
    case JSON_NULL:
        return;
    default:
        dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        s = dump ? dump : "";
        n = strlen(s);
        break;
    }
    if (escape)
        put_escaped(st->out, s, n);
    else
        pd_buf_append(st->out, s, n);
    free(dump);
}

static void note_missing(rs *st, const frame *f, const tpl_node *n, const char *name, bool is_partial)
{
    pd_tpl_missing_list *l = st->o->missing;
    if (!l)
        return;
    if (!st->seen)
        st->seen = json_object();
    pd_buf key = PD_BUF_INIT;
    pd_buf_printf(&key, "%s%s", is_partial ? ">" : "", name);
    if (json_object_get(st->seen, pd_buf_str(&key))) {
        pd_buf_free(&key);
        return;
    }
    json_object_set_new(st->seen, pd_buf_str(&key), json_true());
    pd_buf_free(&key);
    l->items = pd_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    pd_tpl_missing *m = &l->items[l->n++];
    m->name = pd_strdup(name);
    m->line = (int)n->line;
    m->col = (int)n->col;
    m->partial = pd_strdup(f->src_name);
    m->is_partial = is_partial;
}

/* Writes the indentation when n begins an output line. */
static void indent_before(rs *st, const frame *f, const tpl_node *n)
{
    if (n->flags & TF_BOL) {
        st->pending = false;
        pd_buf_append(st->out, f->indent, f->indent_len);
    } else if (st->pending && !(n->flags & TF_STANDALONE)) {
        st->pending = false;
        pd_buf_append(st->out, f->indent, f->indent_len);
    }
}

/* Text, line by line when lines must be re-indented. */
static void put_text(rs *st, const frame *f, const tpl_node *n)
{
    const char *s = n->s;
    size_t len = n->n;
    if (!f->indent_len && !f->dedent_len) {
        st->pending = false;
        pd_buf_append(st->out, s, len);
        return;
    }
    bool bol = n->flags & TF_BOL, first = true;
    while (len) {
        const char *nl = memchr(s, '\n', len);
        size_t seg = nl ? (size_t)(nl - s) + 1 : len;
        bool starts = first ? bol : true;
        if (starts) {
            size_t k = 0;
            while (k < f->dedent_len && k < seg && s[k] == f->dedent[k])
                k++;
            s += k;
            seg -= k;
            len -= k;
        }
        bool empty = (seg == 1 && s[0] == '\n') || (seg == 2 && s[0] == '\r' && s[1] == '\n');
        if ((starts || (first && st->pending)) && !empty && (seg || nl == NULL))
            pd_buf_append(st->out, f->indent, f->indent_len);
        st->pending = false;
        pd_buf_append(st->out, s, seg);
        s += seg;
        len -= seg;
        first = false;
    }
}

/* indent = f->indent + (ws without the frame's dedent prefix). */
static void child_indent(const frame *f, const char *ws, size_t ws_len, pd_buf *b)
{
    size_t k = 0;
    while (k < f->dedent_len && k < ws_len && ws[k] == f->dedent[k])
        k++;
    pd_buf_append(b, f->indent, f->indent_len);
    pd_buf_append(b, ws + k, ws_len - k);
}

static int get_partial(rs *st, const char *name, pd_tpl **out)
{
    json_t *idx = json_object_get(st->pcache, name);
    if (idx) {
        *out = st->tpls[json_integer_value(idx)];
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    const json_t *pj = st->o->partials_json ? json_object_get(st->o->partials_json, name) : NULL;
    if (json_is_string(pj)) {
        len = json_string_length(pj);
        text = pd_strndup(json_string_value(pj), len);
    } else if (st->o->partials) {
        if (st->o->partials(st->o->partials_ud, name, &text, st->err) != 0)
            return -1;
        len = text ? strlen(text) : 0;
    }
    pd_tpl *t = NULL;
    if (text) {
        pd_buf label = PD_BUF_INIT;
        pd_buf_printf(&label, "partial %s", name);
        pd_tpl_parse_opts po = {st->lenient, st->o->max_depth, pd_buf_str(&label)};
        t = pd_tpl_parse(text, len, &po, st->err);
        pd_buf_free(&label);
        free(text);
        if (!t)
            return -1;
    }
    if (st->n_tpls == st->cap_tpls) {
        st->cap_tpls = st->cap_tpls ? st->cap_tpls * 2 : 8;
        st->tpls = pd_xrealloc(st->tpls, st->cap_tpls * sizeof *st->tpls);
    }
    st->tpls[st->n_tpls] = t;
    json_object_set_new(st->pcache, name, json_integer((json_int_t)st->n_tpls++));
    *out = t;
    return 0;
}

static int render_section(rs *st, const frame *f, const tpl_node *n)
{
    json_t *v = lookup(st, n);
    bool yes = truthy(v);
    if (n->kind == TN_INVERTED)
        return yes ? 0 : render_nodes(st, f, n->kids, n->n_kids);
    if (!yes)
        return 0;
    if (!json_is_array(v)) {
        push(st, v);
        int rc = render_nodes(st, f, n->kids, n->n_kids);
        st->sp--;
        return rc;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        push(st, json_array_get(v, i));
        int rc = render_nodes(st, f, n->kids, n->n_kids);
        st->sp--;
        if (rc)
            return rc;
    }
    return 0;
}

/* {{> name}} and {{< name}}...{{/name}}. */
static int render_partial(rs *st, const frame *f, const tpl_node *n)
{
    const char *name = n->s;
    if (n->flags & TF_DYNAMIC) {
        json_t *v = lookup(st, n);
        if (!json_is_string(v)) {
            if (!v)
                note_missing(st, f, n, n->s, false);
            return 0;
        }
        name = json_string_value(v);
    }
    pd_tpl *t;
    if (get_partial(st, name, &t) != 0)
        return -1;
    if (!t) {
        note_missing(st, f, n, name, true);
        return 0;
    }
    if (st->pdepth >= st->max_pdepth)
        return pd_error_set(st->err, PD_ERR_LIMIT,
                            "%s:%u:%u: partials nested deeper than %d levels (does '%s' include itself?)",
                            f->src_name ? f->src_name : "template", n->line, n->col, st->max_pdepth, name);
    ovr o = {n, f->src_name, f->ovr};
    pd_buf ind = PD_BUF_INIT;
    frame nf = {"", 0, "", 0, n->kind == TN_PARENT ? &o : f->ovr, name};
    if (n->flags & TF_STANDALONE) {
        child_indent(f, n->ws, n->ws_len, &ind);
        nf.indent = pd_buf_str(&ind);
        nf.indent_len = ind.len;
        st->pending = true;
    }
    st->pdepth++;
    int rc = render_nodes(st, &nf, t->nodes, t->n_nodes);
    st->pdepth--;
    st->pending = false;   /* an empty expansion must not indent what follows it */
    pd_buf_free(&ind);
    return rc;
}

/* {{$name}}: the oldest override in the chain of parents being expanded, else the default. */
static int render_block(rs *st, const frame *f, const tpl_node *n)
{
    const tpl_node *def = n;
    const char *def_src = f->src_name;
    for (const ovr *o = f->ovr; o; o = o->next) {
        for (size_t i = 0; i < o->parent->n_kids; i++) {
            const tpl_node *k = &o->parent->kids[i];
            if (k->kind == TN_BLOCK && (k->flags & TF_ARG) && k->n == n->n && memcmp(k->s, n->s, n->n) == 0) {
                def = k;
                def_src = o->src_name;
            }
        }
    }
    pd_buf ind = PD_BUF_INIT;
    frame nf = *f;
    nf.src_name = def_src;
    nf.dedent = def->intrinsic ? def->intrinsic : "";
    nf.dedent_len = def->intrinsic_len;
    if (n->flags & TF_STANDALONE) {
        child_indent(f, n->ws, n->ws_len, &ind);
        nf.indent = pd_buf_str(&ind);
        nf.indent_len = ind.len;
        st->pending = true;
    }
    int rc = render_nodes(st, &nf, def->kids, def->n_kids);
    st->pending = false;
    pd_buf_free(&ind);
    return rc;
}

static int render_nodes(rs *st, const frame *f, const tpl_node *nodes, size_t n)
{
    if (++st->depth > st->max_depth) {
        st->depth--;
        return pd_error_set(st->err, PD_ERR_LIMIT, "rendering nested deeper than %d levels", st->max_depth);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const tpl_node *node = &nodes[i];
        if (++st->steps > st->max_steps) {
            rc = pd_error_set(st->err, PD_ERR_LIMIT, "rendering takes more than %llu steps (sections or "
                              "partials repeating too much)", st->max_steps);
            break;
        }
        if (node->kind == TN_TEXT) {
            put_text(st, f, node);
            rc = check_out(st);
            continue;
        }
        indent_before(st, f, node);
        switch (node->kind) {
        case TN_VAR: {
            json_t *v = lookup(st, node);
            if (!v)
                note_missing(st, f, node, node->s, false);
            else
                put_value(st, v, st->escape && (node->flags & TF_ESCAPE));
            rc = check_out(st);
            break;
        }
        case TN_SECTION:
        case TN_INVERTED:
            rc = render_section(st, f, node);
            break;
        case TN_PARTIAL:
        case TN_PARENT:
            rc = render_partial(st, f, node);
            break;
        case TN_BLOCK:
            if (!(node->flags & TF_ARG))
                rc = render_block(st, f, node);
            break;
        default:
            break;
        }
    }
    st->depth--;
    return rc;
}

int pd_tpl_render(const pd_tpl *t, json_t *data, const pd_tpl_render_opts *opts, pd_buf *out, pd_error *err)
{
    static const pd_tpl_render_opts defaults;
    const pd_tpl_render_opts *o = opts ? opts : &defaults;
    rs st;
    memset(&st, 0, sizeof st);
    st.out = out;
    st.out_start = out->len;
    st.max_out = o->max_output ? o->max_output : PD_TPL_MAX_OUTPUT;
    st.o = o;
    st.err = err;
    st.max_depth = 4 * (o->max_depth > 0 ? o->max_depth : PD_TPL_MAX_DEPTH);
    st.max_pdepth = o->max_partial_depth > 0 ? o->max_partial_depth : PD_TPL_MAX_PARTIAL_DEPTH;
    st.max_steps = o->max_steps ? o->max_steps : PD_TPL_MAX_STEPS;
    st.escape = o->escape == PD_ESCAPE_HTML;
    st.lenient = o->lenient;
    st.pcache = json_object();
    json_t *empty = data ? NULL : json_object();
    push(&st, data ? data : empty);
    frame f = {"", 0, "", 0, NULL, NULL};
    pd_buf_append(out, "", 0);   /* out->data is a string even when nothing renders */
    int rc = render_nodes(&st, &f, t->nodes, t->n_nodes);
    for (size_t i = 0; i < st.n_tpls; i++)
        pd_tpl_free(st.tpls[i]);
    free(st.tpls);
    free(st.stack);
    json_decref(st.pcache);
    json_decref(st.seen);
    json_decref(empty);
    return rc ? -1 : 0;
}

int pd_tpl_render_string(const char *src, size_t len, json_t *data, const pd_tpl_render_opts *opts,
                         char **out, pd_error *err)
{
    pd_tpl_parse_opts po = {opts && opts->lenient, opts ? opts->max_depth : 0, NULL};
    *out = NULL;
    pd_tpl *t = pd_tpl_parse(src, len, &po, err);
    if (!t)
        return -1;
    pd_buf b = PD_BUF_INIT;
    int rc = pd_tpl_render(t, data, opts, &b, err);
    pd_tpl_free(t);
    if (rc) {
        pd_buf_free(&b);
        return -1;
    }
    *out = pd_buf_take(&b);
    return 0;
}

void pd_tpl_missing_list_free(pd_tpl_missing_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].partial);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
