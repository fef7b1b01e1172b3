/* template_parse.c: Mustache source -> tree, with the spec's standalone-line rules, set
 * delimiters, inheritance's block indentation rules, line:col errors and lenient recovery.
 * Hand-written: no maintained C Mustache library in Debian does inheritance, dynamic names, lenient
 * parsing and line:col errors (see template.h). Linear time: delimiter searches are memoized, so
 * "{{" repeated without a closing "}}" cannot make it quadratic. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_priv.h"

#define NONE ((size_t)-1)
#define DELIM_MAX 32
#define MAX_PARTS 255
#define MAX_RESTARTS 8

/* Finds the first occurrence of a pattern at or after a position; remembers the last answer so
 * that searches from increasing positions are linear overall. */
typedef struct finder {
    char pat[DELIM_MAX + 2];
    size_t plen;
    size_t from, pos;
    bool valid;
} finder;

typedef struct nvec {
    tpl_node *v;
    size_t n, cap;
} nvec;

/* An open section/parent/block waiting for its close tag. */
typedef struct open_tag {
    tpl_node node;
    nvec kids;
    size_t tag_start, ls;   /* the open tag's start and its line's start */
    bool clear_start, standalone;
} open_tag;

typedef struct ps {
    const char *src;
    size_t len;
    bool lenient, flat;     /* flat: every section-like tag is literal (last-resort recovery) */
    int max_depth;
    const char *name;
    pd_error *err;
    char open[DELIM_MAX + 1], close[DELIM_MAX + 1];
    size_t olen, clen;
    finder f_open, f_close, f_triple, f_set;
    size_t lc_pos;          /* line/column tracker: position lc_pos is at lc_line:lc_col */
    uint32_t lc_line, lc_col;
    nvec top;
    open_tag *stack;
    size_t depth, cap;
    size_t *lit;            /* sorted positions of tags to keep literal (lenient recovery) */
    size_t n_lit, cap_lit, lit_i;
    bool marked;            /* this pass marked tags literal: parse again */
} ps;

typedef enum { TAG_DONE, TAG_LITERAL, TAG_ERROR } tag_result;

static void finder_set(finder *f, const char *a, size_t alen, const char *b, size_t blen)
{
    memcpy(f->pat, a, alen);
    memcpy(f->pat + alen, b, blen);
    f->plen = alen + blen;
    f->valid = false;
}

/* memmem for short patterns: memchr on the first byte (vectorized) then compare the rest. */
static const char *find_pattern(const char *hay, size_t n, const char *pat, size_t plen)
{
    const char *end = hay + n;
    while ((size_t)(end - hay) >= plen) {
        const char *c = memchr(hay, pat[0], (size_t)(end - hay) - plen + 1);
        if (!c)
            return NULL;
        if (memcmp(c + 1, pat + 1, plen - 1) == 0)
            return c;
        hay = c + 1;
    }
    return NULL;
}

static size_t find(const ps *p, finder *f, size_t from)
{
    if (from > p->len)
        return NONE;
    if (f->valid && from >= f->from && (f->pos == NONE || f->pos >= from))
        return f->pos;
    const char *hit = find_pattern(p->src + from, p->len - from, f->pat, f->plen);
    f->valid = true;
    f->from = from;
    f->pos = hit ? (size_t)(hit - p->src) : NONE;
    return f->pos;
}

static void set_delims(ps *p, const char *o, size_t olen, const char *c, size_t clen)
{
    memcpy(p->open, o, olen);
    p->open[olen] = '\0';
    p->olen = olen;
    memcpy(p->close, c, clen);
    p->close[clen] = '\0';
    p->clen = clen;
    finder_set(&p->f_open, o, olen, "", 0);
    finder_set(&p->f_close, c, clen, "", 0);
    finder_set(&p->f_triple, "}", 1, c, clen);
    finder_set(&p->f_set, "=", 1, c, clen);
}

/* Line and column (in characters, not bytes) of pos; positions asked for only increase. */
static void line_col(ps *p, size_t pos, uint32_t *line, uint32_t *col)
{
    if (pos < p->lc_pos) {
        p->lc_pos = 0;
        p->lc_line = 1;
        p->lc_col = 1;
    }
    const unsigned char *s = (const unsigned char *)p->src;
    const unsigned char *last = memrchr(s + p->lc_pos, '\n', pos - p->lc_pos);
    size_t from = p->lc_pos;
    if (last) {   /* branch-free counting loops, so the compiler vectorizes them */
        uint32_t lines = 0;
        for (size_t i = p->lc_pos; i <= (size_t)(last - s); i++)
            lines += s[i] == '\n';
        p->lc_line += lines;
        p->lc_col = 1;
        from = (size_t)(last - s) + 1;
    }
    p->lc_col += (uint32_t)pd_utf8_count(p->src + from, pos - from);
    p->lc_pos = pos;
    *line = p->lc_line;
    *col = p->lc_col;
}

static int fail(ps *p, pd_code code, size_t pos, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(ps *p, pd_code code, size_t pos, const char *fmt, ...)
{
    uint32_t line, col;
    line_col(p, pos, &line, &col);
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pd_error_set(p->err, code, "%s:%u:%u: %s", p->name, line, col, what);
}

/* At most 80 bytes of a name, for messages. */
static int shown(size_t n)
{
    return (int)(n > 80 ? 80 : n);
}

static tpl_node *vec_push(nvec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = pd_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    tpl_node *n = &v->v[v->n++];
    memset(n, 0, sizeof *n);
    return n;
}

static nvec *cur(ps *p)
{
    return p->depth ? &p->stack[p->depth - 1].kids : &p->top;
}

static bool is_bol(const ps *p, size_t pos)
{
    return pos == 0 || p->src[pos - 1] == '\n';
}

static void add_text(ps *p, size_t a, size_t b)
{
    if (b <= a)
        return;
    tpl_node *n = vec_push(cur(p));
    n->kind = TN_TEXT;
    n->s = p->src + a;
    n->n = b - a;
    if (is_bol(p, a))
        n->flags |= TF_BOL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The start of pos's line when only spaces/tabs precede pos on it, else NONE. */
static size_t clear_before(const ps *p, size_t pos)
{
    size_t i = pos;
    while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
        i--;
    return (i == 0 || p->src[i - 1] == '\n') ? i : NONE;
}

/* Just past the line end when only spaces/tabs follow pos on its line (or the text ends), else NONE. */
static size_t clear_after(const ps *p, size_t pos)
{
    size_t i = pos;
    while (i < p->len && (p->src[i] == ' ' || p->src[i] == '\t'))
        i++;
    if (i == p->len)
        return i;
    if (p->src[i] == '\n')
        return i + 1;
    if (p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n')
        return i + 2;
    return NONE;
}

static char *leading_ws(const ps *p, size_t pos, size_t *n)
{
    size_t i = pos;
    while (i < p->len && (p->src[i] == ' ' || p->src[i] == '\t'))
        i++;
    *n = i - pos;
    return pd_strndup(p->src + pos, i - pos);
}

static bool name_char_plausible(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '@' || c == ':' || c == '/' || c >= 0x80;
}

/* Checks a name and splits it into parts ("." has none). Returns false when it is not a name. */
static bool split_name(const ps *p, const char *s, size_t n, tpl_node *node)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i]) || s[i] == '\0')
            return false;
        if (p->lenient && !name_char_plausible((unsigned char)s[i]))
            return false;
    }
    if (n == 1 && s[0] == '.') {
        node->s = pd_strndup(s, n);
        node->n = n;
        return true;
    }
    size_t parts = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '.')
            continue;
        if (i == 0 || i + 1 == n || s[i + 1] == '.')
            return false;
        parts++;
    }
    if (parts > MAX_PARTS)
        return false;
    char *both = pd_xmalloc(2 * n + 2);   /* the name, then its parts: one allocation */
    memcpy(both, s, n);
    both[n] = '\0';
    node->s = both;
    node->n = n;
    node->parts = both + n + 1;
    for (size_t i = 0; i < n; i++)
        node->parts[i] = s[i] == '.' ? '\0' : s[i];
    node->parts[n] = '\0';
    node->n_parts = (uint16_t)parts;
    return true;
}

static void trim(const char *src, size_t *a, size_t *b)
{
    while (*a < *b && is_space(src[*a]))
        (*a)++;
    while (*b > *a && is_space(src[*b - 1]))
        (*b)--;
}

static void node_clear(tpl_node *n)
{
    if (n->kind != TN_TEXT)
        free((char *)n->s);   /* parts lives in the same allocation */
    free(n->ws);
    free(n->intrinsic);
    pd_tpl_nodes_free(n->kids, n->n_kids);
}

void pd_tpl_nodes_free(tpl_node *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        node_clear(&nodes[i]);
    free(nodes);
}

static bool is_literal(ps *p, size_t pos)
{
    while (p->lit_i < p->n_lit && p->lit[p->lit_i] < pos)
        p->lit_i++;
    return p->lit_i < p->n_lit && p->lit[p->lit_i] == pos;
}

/* Removes n trailing bytes (spaces before a tag) from the last text node of v. */
static void trim_last_text(nvec *v, size_t n)
{
    if (n == 0 || v->n == 0 || v->v[v->n - 1].kind != TN_TEXT)
        return;
    tpl_node *t = &v->v[v->n - 1];
    t->n = t->n > n ? t->n - n : 0;
    if (t->n == 0)
        v->n--;
}

/* The parsed parts of one tag. */
typedef struct tag {
    size_t t, end;          /* the tag's start and just past its end */
    char sigil;             /* 0 for a plain variable */
    size_t a, b;            /* the name (trimmed) */
    bool dynamic;
    size_t ls, eol;         /* line start when clear before, past line end when clear after (or NONE) */
} tag;

static tag_result bad(ps *p, const tag *g, const char *what)
{
    if (p->lenient)
        return TAG_LITERAL;
    fail(p, PD_ERR_PARSE, g->t, "%s", what);
    return TAG_ERROR;
}

static tag_result bad_name(ps *p, const tag *g, const char *what)
{
    if (p->lenient)
        return TAG_LITERAL;
    fail(p, PD_ERR_PARSE, g->t, "%s '%.*s'", what, shown(g->b - g->a), p->src + g->a);
    return TAG_ERROR;
}

/* Reads the tag at g->t: its end, sigil and name. */
static tag_result read_tag(ps *p, tag *g)
{
    size_t a = g->t + p->olen, close;
    char c = a < p->len ? p->src[a] : '\0';
    if (c == '{') {
        close = find(p, &p->f_triple, a + 1);
        g->sigil = '{';
        a++;
        g->end = close == NONE ? NONE : close + 1 + p->clen;
    } else if (c == '=') {
        close = find(p, &p->f_set, a + 1);
        g->sigil = '=';
        a++;
        g->end = close == NONE ? NONE : close + 1 + p->clen;
    } else {
        close = find(p, &p->f_close, a);
        if (c && strchr("#^/!>&<$", c)) {
            g->sigil = c;
            a++;
        }
        g->end = close == NONE ? NONE : close + p->clen;
    }
    if (close == NONE || close < a)
        return bad(p, g, "unclosed tag");
    g->a = a;
    g->b = close;
    g->ls = clear_before(p, g->t);
    g->eol = clear_after(p, g->end);
    if (g->sigil == '!')
        return TAG_DONE;
    trim(p->src, &g->a, &g->b);
    if ((g->sigil == '>' || g->sigil == '<') && g->a < g->b && p->src[g->a] == '*') {
        g->dynamic = true;
        g->a++;
        trim(p->src, &g->a, &g->b);
    }
    if (g->sigil != '=' && g->a == g->b)
        return bad(p, g, g->sigil ? "tag without a name" : "empty tag");
    return TAG_DONE;
}

static tag_result set_delimiters(ps *p, const tag *g)
{
    size_t a = g->a, b = g->b, m = a;
    while (m < b && !is_space(p->src[m]))
        m++;
    size_t c = m;
    while (c < b && is_space(p->src[c]))
        c++;
    for (size_t i = c; i < b; i++)
        if (is_space(p->src[i]))
            return bad(p, g, "delimiters must be two words: {{=<% %>=}}");
    if (m == a || c == b || m - a > DELIM_MAX || b - c > DELIM_MAX)
        return bad(p, g, "delimiters must be two words of at most 32 bytes: {{=<% %>=}}");
    set_delims(p, p->src + a, m - a, p->src + c, b - c);
    return TAG_DONE;
}

/* Emits the text before a tag; when the tag stands alone on its line, drops the line's
 * indentation and end. Returns where scanning continues. */
static size_t before_tag(ps *p, size_t *text_start, const tag *g, bool standalone)
{
    if (standalone) {
        add_text(p, *text_start, g->ls);
        *text_start = g->eol;
        return g->eol;
    }
    add_text(p, *text_start, g->t);
    *text_start = g->end;
    return g->end;
}

static tag_result open_section(ps *p, tag *g, size_t *text_start, size_t *next)
{
    if (p->depth >= (size_t)p->max_depth) {
        fail(p, PD_ERR_LIMIT, g->t, "sections nested deeper than %d levels", p->max_depth);
        return TAG_ERROR;
    }
    tpl_node node;
    memset(&node, 0, sizeof node);
    if (!split_name(p, p->src + g->a, g->b - g->a, &node)) {
        node_clear(&node);
        return bad_name(p, g, "bad name");
    }
    bool in_parent = p->depth && p->stack[p->depth - 1].node.kind == TN_PARENT;
    bool clear_start = g->ls != NONE, clear_end = g->eol != NONE;
    bool standalone = clear_start && clear_end;
    node.kind = g->sigil == '#' ? TN_SECTION : g->sigil == '^' ? TN_INVERTED
                : g->sigil == '<' ? TN_PARENT : TN_BLOCK;
    if (g->dynamic)
        node.flags |= TF_DYNAMIC;
    if (node.kind == TN_PARENT) {
        standalone = false;          /* decided at the close tag: the pair must stand alone */
    } else if (node.kind == TN_BLOCK && in_parent) {
        node.flags |= TF_ARG;        /* an argument: its content starts on the next line when */
        standalone = false;          /* the open tag ends its line; text around it is ignored */
        if (clear_end) {
            node.intrinsic = leading_ws(p, g->eol, &node.intrinsic_len);
            add_text(p, *text_start, g->t);
            *text_start = *next = g->eol;
        }
    } else if (node.kind == TN_BLOCK && standalone) {
        node.flags |= TF_STANDALONE;  /* site indentation: the content's own indentation */
        node.intrinsic = leading_ws(p, g->eol, &node.intrinsic_len);
        node.ws = pd_strndup(node.intrinsic, node.intrinsic_len);
        node.ws_len = node.intrinsic_len;
    }
    uint32_t line, col;
    line_col(p, g->t, &line, &col);
    node.line = line;
    node.col = col;
    if (standalone)
        node.flags |= TF_STANDALONE;
    else if (is_bol(p, g->t))
        node.flags |= TF_BOL;
    if (!(node.flags & TF_ARG) || !clear_end)
        *next = before_tag(p, text_start, g, standalone);
    if (p->depth == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->stack = pd_xrealloc(p->stack, p->cap * sizeof *p->stack);
    }
    open_tag *o = &p->stack[p->depth++];
    memset(o, 0, sizeof *o);
    o->node = node;
    o->tag_start = g->t;
    o->ls = g->ls;
    o->clear_start = clear_start;
    o->standalone = standalone;
    return TAG_DONE;
}

static bool close_matches(const ps *p, const open_tag *o, const tag *g)
{
    size_t n = g->b - g->a;
    const char *s = p->src + g->a;
    if (n == o->node.n && memcmp(s, o->node.s, n) == 0)
        return true;
    return (o->node.flags & TF_DYNAMIC) && n == o->node.n + 1 && s[0] == '*' &&
           memcmp(s + 1, o->node.s, n - 1) == 0;
}

/* Remembers a tag to keep literal in the next pass (lenient recovery). */
static void mark_literal(ps *p, size_t pos)
{
    if (p->n_lit == p->cap_lit) {
        p->cap_lit = p->cap_lit ? p->cap_lit * 2 : 16;
        p->lit = pd_xrealloc(p->lit, p->cap_lit * sizeof *p->lit);
    }
    p->lit[p->n_lit++] = pos;
    p->marked = true;
}

static tag_result close_section(ps *p, tag *g, size_t *text_start, size_t *next)
{
    if (p->depth == 0)
        return bad_name(p, g, "closing tag without an opening tag");
    open_tag *o = &p->stack[p->depth - 1];
    if (!close_matches(p, o, g)) {
        if (p->lenient) {
            /* when it closes an outer section, the sections opened since are the strays */
            for (size_t k = p->depth - 1; k-- > 0;) {
                if (close_matches(p, &p->stack[k], g)) {
                    for (size_t j = k + 1; j < p->depth; j++)
                        mark_literal(p, p->stack[j].tag_start);
                    break;
                }
            }
            return TAG_LITERAL;
        }
        fail(p, PD_ERR_PARSE, g->t, "closing tag '%.*s' does not match '%.*s' opened at line %u, column %u",
             shown(g->b - g->a), p->src + g->a, shown(o->node.n), o->node.s, o->node.line, o->node.col);
        return TAG_ERROR;
    }
    tpl_node *node = &o->node;
    bool clear_start = g->ls != NONE, clear_end = g->eol != NONE;
    bool same_line = !memchr(p->src + o->tag_start, '\n', g->t - o->tag_start);
    size_t pair_ws = o->clear_start ? o->tag_start - o->ls : 0;
    if (node->kind == TN_PARENT) {
        add_text(p, *text_start, g->t);
        *text_start = *next = g->end;
        if (o->clear_start && clear_end) {
            node->flags |= TF_STANDALONE;
            node->ws = pd_strndup(p->src + o->ls, pair_ws);
            node->ws_len = pair_ws;
            node->flags &= (uint8_t)~TF_BOL;
            *text_start = *next = g->eol;
        }
    } else if (node->flags & TF_ARG) {
        add_text(p, *text_start, clear_start ? g->ls : g->t);
        *text_start = *next = g->end;
    } else {
        bool standalone = clear_start && clear_end;
        *next = before_tag(p, text_start, g, standalone);
        if (node->kind == TN_BLOCK && !o->standalone && !standalone && o->clear_start && clear_end &&
            same_line) {
            node->flags |= TF_STANDALONE;     /* "  {{$b}}...{{/b}}": the pair stands alone; the */
            node->flags &= (uint8_t)~TF_BOL;  /* line end is kept */
            node->ws = pd_strndup(p->src + o->ls, pair_ws);
            node->ws_len = pair_ws;
        }
    }
    tpl_node done = *node;
    done.kids = o->kids.v;
    done.n_kids = o->kids.n;
    p->depth--;
    nvec *v = cur(p);
    if (done.flags & TF_STANDALONE && (done.kind == TN_PARENT || !o->standalone))
        trim_last_text(v, pair_ws);
    *vec_push(v) = done;
    return TAG_DONE;
}

static tag_result leaf_tag(ps *p, tag *g, size_t *text_start, size_t *next)
{
    tpl_node node;
    memset(&node, 0, sizeof node);
    if (!split_name(p, p->src + g->a, g->b - g->a, &node)) {
        node_clear(&node);
        return bad_name(p, g, "bad name");
    }
    bool standalone = g->sigil == '>' && g->ls != NONE && g->eol != NONE;
    node.kind = g->sigil == '>' ? TN_PARTIAL : TN_VAR;
    if (g->sigil == 0)
        node.flags |= TF_ESCAPE;
    if (g->dynamic)
        node.flags |= TF_DYNAMIC;
    if (standalone) {
        node.flags |= TF_STANDALONE;
        node.ws = pd_strndup(p->src + g->ls, g->t - g->ls);
        node.ws_len = g->t - g->ls;
    } else if (is_bol(p, g->t)) {
        node.flags |= TF_BOL;
    }
    uint32_t line, col;
    line_col(p, g->t, &line, &col);
    node.line = line;
    node.col = col;
    *next = before_tag(p, text_start, g, standalone);
    *vec_push(cur(p)) = node;
    return TAG_DONE;
}

/* Comments and delimiter changes: removed, with their line when they stand alone. */
static tag_result silent_tag(ps *p, tag *g, size_t *text_start, size_t *next)
{
    bool standalone = g->ls != NONE && g->eol != NONE;
    if (g->sigil == '=') {
        tag_result r = set_delimiters(p, g);
        if (r != TAG_DONE)
            return r;
    }
    *next = before_tag(p, text_start, g, standalone);
    if (!standalone && is_bol(p, g->t)) {
        tpl_node *nop = vec_push(cur(p));
        nop->kind = TN_NOP;
        nop->flags = TF_BOL;
    }
    return TAG_DONE;
}

static tag_result one_tag(ps *p, size_t t, size_t *text_start, size_t *next)
{
    tag g;
    memset(&g, 0, sizeof g);
    g.t = t;
    g.ls = g.eol = NONE;
    if (is_literal(p, t))
        return TAG_LITERAL;
    tag_result r = read_tag(p, &g);
    if (r != TAG_DONE)
        return r;
    bool sectionish = g.sigil && strchr("#^<$/", g.sigil);
    if (sectionish && p->flat)
        return TAG_LITERAL;
    switch (g.sigil) {
    case '!':
    case '=':
        return silent_tag(p, &g, text_start, next);
    case '#':
    case '^':
    case '<':
    case '$':
        return open_section(p, &g, text_start, next);
    case '/':
        return close_section(p, &g, text_start, next);
    default:
        return leaf_tag(p, &g, text_start, next);
    }
}

static void reset(ps *p)
{
    pd_tpl_nodes_free(p->top.v, p->top.n);
    memset(&p->top, 0, sizeof p->top);
    while (p->depth) {
        open_tag *o = &p->stack[--p->depth];
        node_clear(&o->node);
        pd_tpl_nodes_free(o->kids.v, o->kids.n);
    }
    set_delims(p, "{{", 2, "}}", 2);
    p->lc_pos = 0;
    p->lc_line = p->lc_col = 1;
    p->lit_i = 0;
    p->marked = false;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* One pass over the source. Returns 0, -1 on error, or 1 when lenient recovery needs another pass. */
static int scan(ps *p)
{
    reset(p);
    size_t pos = 0, text_start = 0;
    for (;;) {
        size_t t = find(p, &p->f_open, pos);
        if (t == NONE)
            break;
        size_t next = t + p->olen;
        tag_result r = one_tag(p, t, &text_start, &next);
        if (r == TAG_ERROR)
            return -1;
        pos = r == TAG_LITERAL ? t + p->olen : next;
    }
    add_text(p, text_start, p->len);
    if (p->depth && !p->lenient) {
        open_tag *o = &p->stack[p->depth - 1];
        return fail(p, PD_ERR_PARSE, o->tag_start, "section '%.*s' is never closed", shown(o->node.n), o->node.s);
    }
    bool strays = p->marked;   /* stray opens found during the pass may be why others look unclosed */
    for (size_t i = 0; i < p->depth && !strays; i++)
        mark_literal(p, p->stack[i].tag_start);
    if (!p->marked)
        return 0;
    qsort(p->lit, p->n_lit, sizeof *p->lit, cmp_size);
    size_t u = 0;
    for (size_t i = 0; i < p->n_lit; i++)
        if (u == 0 || p->lit[u - 1] != p->lit[i])
            p->lit[u++] = p->lit[i];
    p->n_lit = u;
    return 1;
}

pd_tpl *pd_tpl_parse(const char *src, size_t len, const pd_tpl_parse_opts *opts, pd_error *err)
{
    pd_tpl *t = pd_xcalloc(1, sizeof *t);
    t->src = pd_strndup(src ? src : "", src ? len : 0);
    t->len = src ? len : 0;
    t->name = pd_strdup(opts && opts->name ? opts->name : "template");
    ps p;
    memset(&p, 0, sizeof p);
    p.src = t->src;
    p.len = t->len;
    p.lenient = opts && opts->lenient;
    p.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : PD_TPL_MAX_DEPTH;
    p.name = t->name;
    p.err = err;
    int rc, passes = 0;
    while ((rc = scan(&p)) == 1) {
        if (++passes == MAX_RESTARTS)
            p.flat = true;
    }
    if (rc == 0) {
        t->nodes = p.top.n ? pd_xrealloc(p.top.v, p.top.n * sizeof *p.top.v) : p.top.v;  /* fit */
        t->n_nodes = p.top.n;
        p.top.v = NULL;
        p.top.n = 0;
    }
    reset(&p);
    free(p.stack);
    free(p.lit);
    if (rc != 0) {
        pd_tpl_free(t);
        return NULL;
    }
    return t;
}

void pd_tpl_free(pd_tpl *t)
{
    if (!t)
        return;
    pd_tpl_nodes_free(t->nodes, t->n_nodes);
    free(t->src);
    free(t->name);
    free(t);
}
