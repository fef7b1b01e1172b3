/* refs.c: the index of link reference labels used and defined by a streamed text's finished
 * blocks (see refs_priv.h). libcmark keeps its reference map to itself, so which labels a text
 * has is found here, erring towards more. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "refs_priv.h"

/* libcmark takes no label longer than this (a longer "[...]" is plain text) */
#define LABEL_MAX 999

void md_keys_add(md_keys *k, uint64_t key)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->keys = pd_xrealloc(k->keys, k->cap * sizeof *k->keys);
    }
    k->keys[k->n++] = key;
}

void md_keys_free(md_keys *k)
{
    free(k->keys);
    memset(k, 0, sizeof *k);
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The key of the label s[0, n) (FNV-1a; never MD_KEY_ANY unless the label has a byte outside
 * ASCII); exact: of the label as libcmark matches it (whitespace runs one space, none at the
 * ends), else with no whitespace. */
static uint64_t label_hash(const char *s, size_t n, bool exact)
{
    uint64_t h = 14695981039346656037u;
    bool space = false, any = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return MD_KEY_ANY;
        if (is_space(c)) {
            space = true;
            continue;
        }
        if (exact && space && any)
            h = (h ^ ' ') * 1099511628211u;
        space = false;
        any = true;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 1099511628211u;
    }
    return h == MD_KEY_ANY ? 1 : h;
}

static uint64_t label_key(const char *s, size_t n)
{
    return label_hash(s, n, false);
}

static bool blank_label(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return false;
    return true;
}

void md_label_scan_start(md_label_scan *sc, size_t from)
{
    memset(sc, 0, sizeof *sc);
    sc->pos = from;
}

void md_label_scan_run(md_label_scan *sc, const char *s, size_t to, md_keys *out)
{
    for (; sc->pos < to; sc->pos++) {
        char c = s[sc->pos];
        if (sc->escaped) {
            sc->escaped = false;
            continue;
        }
        if (c == '\\')
            sc->escaped = true;
        else if (c == '[')
            sc->open = sc->pos + 1;
        else if (c == ']' && sc->open) {
            size_t from = sc->open, n = sc->pos - from;
            if (n <= LABEL_MAX && !blank_label(s + from, n))
                md_keys_add(out, label_key(s + from, n));
            sc->open = 0;
        }
    }
}

uint64_t md_def_key(const char *l, size_t at, size_t n, bool exact)
{
    size_t i = at + 1;
    while (i < n && l[i] != ']' && l[i] != '[' && l[i] != '\\')
        i++;
    if (i >= n || l[i] != ']' || i + 1 >= n || l[i + 1] != ':' || i - at - 1 > LABEL_MAX ||
        blank_label(l + at + 1, i - at - 1))
        return MD_KEY_ANY;
    return label_hash(l + at + 1, i - at - 1, exact);
}

/* key -> chunks, as chained entries in a table that doubles */
typedef struct entry {
    uint64_t key;
    size_t chunk, next;           /* next: index + 1 of the next entry in the bucket, or 0 */
} entry;

typedef struct multimap {
    entry *e;
    size_t n, cap;
    size_t *head;                 /* index + 1 of each bucket's first entry, or 0 */
    size_t n_head;
} multimap;

static size_t bucket(const multimap *m, uint64_t key)
{
    return (size_t)(key ^ (key >> 29)) & (m->n_head - 1);
}

static void map_put(multimap *m, uint64_t key, size_t chunk)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->e = pd_xrealloc(m->e, m->cap * sizeof *m->e);
    }
    if (m->n + 1 > m->n_head / 2) {
        m->n_head = m->n_head ? m->n_head * 2 : 128;
        free(m->head);
        m->head = pd_xcalloc(m->n_head, sizeof *m->head);
        for (size_t i = 0; i < m->n; i++) {
            size_t b = bucket(m, m->e[i].key);
            m->e[i].next = m->head[b];
            m->head[b] = i + 1;
        }
    }
    size_t b = bucket(m, key);
    m->e[m->n] = (entry){key, chunk, m->head[b]};
    m->head[b] = ++m->n;
}

static void map_free(multimap *m)
{
    free(m->e);
    free(m->head);
    memset(m, 0, sizeof *m);
}

struct md_refs {
    multimap labels, defs;        /* by key: the chunks that have the label, that define it */
    size_t *label_from;           /* chunk i's label keys are labels_of[label_from[i], [i+1]) */
    uint64_t *labels_of;
    size_t n_labels_of, cap_labels_of;
    size_t n, cap;                /* chunks */
    size_t *with_labels, n_with_labels;   /* the chunks with labels, with definitions */
    size_t *with_defs, n_with_defs;
    multimap defined;             /* exact keys of labels a chunk surely defines */
    unsigned *stamp;              /* per chunk: the query that last listed it */
    unsigned query;
    size_t *out, n_out, cap_out;
};

md_refs *md_refs_new(void)
{
    return pd_xcalloc(1, sizeof(md_refs));
}

void md_refs_clear(md_refs *r)
{
    map_free(&r->labels);
    map_free(&r->defs);
    map_free(&r->defined);
    free(r->label_from);
    free(r->labels_of);
    free(r->with_labels);
    free(r->with_defs);
    free(r->stamp);
    free(r->out);
    memset(r, 0, sizeof *r);
}

void md_refs_free(md_refs *r)
{
    if (!r)
        return;
    md_refs_clear(r);
    free(r);
}

static void keys_put(multimap *m, const md_keys *k, size_t chunk)
{
    for (size_t i = 0; i < k->n; i++)
        map_put(m, k->keys[i], chunk);
}

void md_refs_add(md_refs *r, const md_keys *labels, const md_keys *defs)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->label_from = pd_xrealloc(r->label_from, (r->cap + 1) * sizeof *r->label_from);
        r->with_labels = pd_xrealloc(r->with_labels, r->cap * sizeof *r->with_labels);
        r->with_defs = pd_xrealloc(r->with_defs, r->cap * sizeof *r->with_defs);
        r->stamp = pd_xrealloc(r->stamp, r->cap * sizeof *r->stamp);
    }
    size_t i = r->n++;
    r->stamp[i] = 0;
    if (!i)
        r->label_from[0] = 0;
    if (r->n_labels_of + labels->n > r->cap_labels_of) {
        r->cap_labels_of = (r->n_labels_of + labels->n) * 2;
        r->labels_of = pd_xrealloc(r->labels_of, r->cap_labels_of * sizeof *r->labels_of);
    }
    if (labels->n)
        memcpy(r->labels_of + r->n_labels_of, labels->keys, labels->n * sizeof *labels->keys);
    r->n_labels_of += labels->n;
    r->label_from[i + 1] = r->n_labels_of;
    keys_put(&r->labels, labels, i);
    keys_put(&r->defs, defs, i);
    if (labels->n)
        r->with_labels[r->n_with_labels++] = i;
    if (defs->n)
        r->with_defs[r->n_with_defs++] = i;
}

bool md_refs_define_first(md_refs *r, uint64_t exact)
{
    const multimap *m = &r->defined;
    if (m->n)
        for (size_t e = m->head[bucket(m, exact)]; e; e = m->e[e - 1].next)
            if (m->e[e - 1].key == exact)
                return false;
    map_put(&r->defined, exact, r->n);
    return true;
}

bool md_refs_has_labels(const md_refs *r, size_t i)
{
    return i < r->n && r->label_from[i + 1] > r->label_from[i];
}

bool md_refs_any_defs(const md_refs *r)
{
    return r->n_with_defs > 0;
}

static void out_add(md_refs *r, size_t chunk, size_t self)
{
    if (chunk == self || r->stamp[chunk] == r->query)
        return;
    r->stamp[chunk] = r->query;
    if (r->n_out == r->cap_out) {
        r->cap_out = r->cap_out ? r->cap_out * 2 : 16;
        r->out = pd_xrealloc(r->out, r->cap_out * sizeof *r->out);
    }
    r->out[r->n_out++] = chunk;
}

static void out_key(md_refs *r, const multimap *m, uint64_t key, size_t self)
{
    if (!m->n)
        return;
    for (size_t e = m->head[bucket(m, key)]; e; e = m->e[e - 1].next)
        if (m->e[e - 1].key == key)
            out_add(r, m->e[e - 1].chunk, self);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void query_start(md_refs *r)
{
    if (++r->query == 0) {   /* wrapped: no stamp may look current */
        if (r->n)
            memset(r->stamp, 0, r->n * sizeof *r->stamp);
        r->query = 1;
    }
    r->n_out = 0;
}

static void query_end(md_refs *r, size_t **out, size_t *n)
{
    if (r->n_out > 1)
        qsort(r->out, r->n_out, sizeof *r->out, cmp_size);
    *out = r->out;
    *n = r->n_out;
}

/* The chunks in m under each of keys[0, n), or all of `every` for MD_KEY_ANY, and m's chunks
 * under MD_KEY_ANY when there are keys. */
static void lookup(md_refs *r, const multimap *m, const size_t *every, size_t n_every,
                   const uint64_t *keys, size_t n, size_t self, size_t **out, size_t *n_out)
{
    query_start(r);
    for (size_t i = 0; i < n; i++) {
        if (keys[i] != MD_KEY_ANY) {
            out_key(r, m, keys[i], self);
            continue;
        }
        for (size_t k = 0; k < n_every; k++)
            out_add(r, every[k], self);
        break;
    }
    if (n)
        out_key(r, m, MD_KEY_ANY, self);
    query_end(r, out, n_out);
}

void md_refs_definers(md_refs *r, const md_keys *labels, size_t self, size_t **out, size_t *n)
{
    lookup(r, &r->defs, r->with_defs, r->n_with_defs, labels->keys, labels->n, self, out, n);
}

void md_refs_definers_of(md_refs *r, size_t i, size_t **out, size_t *n)
{
    lookup(r, &r->defs, r->with_defs, r->n_with_defs, r->labels_of + r->label_from[i],
           r->label_from[i + 1] - r->label_from[i], i, out, n);
}

void md_refs_users(md_refs *r, const md_keys *defs, size_t self, size_t **out, size_t *n)
{
    lookup(r, &r->labels, r->with_labels, r->n_with_labels, defs->keys, defs->n, self, out, n);
}
