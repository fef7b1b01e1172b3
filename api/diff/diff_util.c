/* diff_util.c: the diff engine's small shared pieces: hashing and interning of lines/tokens,
 * change marks to edit runs, GNU-style sliding of change runs. (UTF-8 is base's pd_utf8_next.) */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "diff_priv.h"

uint64_t pd_diff_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    return h;
}

void pd_diff_interner_init(pd_diff_interner *in, size_t expected)
{
    size_t cap = 64;
    while (cap < expected)
        cap *= 2;
    in->cap = cap;
    in->slots = pd_xcalloc(cap, sizeof *in->slots);
    in->ids_cap = expected > 16 ? expected : 16;
    in->str = pd_xmalloc(in->ids_cap * sizeof *in->str);
    in->len = pd_xmalloc(in->ids_cap * sizeof *in->len);
    in->hash = pd_xmalloc(in->ids_cap * sizeof *in->hash);
    in->n_ids = 0;
}

void pd_diff_interner_free(pd_diff_interner *in)
{
    free(in->slots);
    free(in->str);
    free(in->len);
    free(in->hash);
    memset(in, 0, sizeof *in);
}

static void interner_grow(pd_diff_interner *in)
{
    size_t cap = in->cap * 2;
    pd_diff_slot *slots = pd_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i].id1)
            continue;
        uint32_t id = in->slots[i].id1 - 1;
        size_t k = in->hash[id] & (cap - 1);
        while (slots[k].id1)
            k = (k + 1) & (cap - 1);
        slots[k] = in->slots[i];
    }
    free(in->slots);
    in->slots = slots;
    in->cap = cap;
}

uint32_t pd_diff_intern(pd_diff_interner *in, const char *s, size_t len)
{
    return pd_diff_intern_hashed(in, s, len, pd_diff_hash(s, len));
}

void pd_diff_intern_prefetch(const pd_diff_interner *in, uint64_t h)
{
    __builtin_prefetch(&in->slots[h & (in->cap - 1)]);
}

uint32_t pd_diff_intern_hashed(pd_diff_interner *in, const char *s, size_t len, uint64_t h)
{
    size_t k = h & (in->cap - 1);
    while (in->slots[k].id1) {
        if (in->slots[k].hash == (uint32_t)(h >> 32)) {
            uint32_t id = in->slots[k].id1 - 1;
            if (in->len[id] == len && memcmp(in->str[id], s, len) == 0)
                return id;
        }
        k = (k + 1) & (in->cap - 1);
    }
    if (in->n_ids == in->ids_cap) {
        in->ids_cap *= 2;
        in->str = pd_xrealloc(in->str, in->ids_cap * sizeof *in->str);
        in->len = pd_xrealloc(in->len, in->ids_cap * sizeof *in->len);
        in->hash = pd_xrealloc(in->hash, in->ids_cap * sizeof *in->hash);
    }
    uint32_t id = (uint32_t)in->n_ids++;
    in->str[id] = s;
    in->len[id] = len;
    in->hash[id] = h;
    in->slots[k] = (pd_diff_slot){(uint32_t)(h >> 32), id + 1};
    if (in->n_ids * 2 > in->cap)
        interner_grow(in);
    return id;
}

static void push_edit(pd_diff_edit **edits, size_t *n, size_t *cap, pd_edit_op op, size_t a, size_t b, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *edits = pd_xrealloc(*edits, *cap * sizeof **edits);
    }
    (*edits)[(*n)++] = (pd_diff_edit){op, a, b, len};
}

void pd_diff_marks_to_edits(const unsigned char *a_chg, size_t n, const unsigned char *b_chg, size_t m,
                            pd_diff_edit **edits, size_t *n_edits, size_t *cap)
{
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        size_t i0 = i, j0 = j;
        while (i < n && a_chg[i])
            i++;
        if (i > i0)
            push_edit(edits, n_edits, cap, PD_EDIT_DELETE, i0, j, i - i0);
        while (j < m && b_chg[j])
            j++;
        if (j > j0)
            push_edit(edits, n_edits, cap, PD_EDIT_INSERT, i, j0, j - j0);
        size_t ie = i, je = j;
        while (i < n && j < m && !a_chg[i] && !b_chg[j]) {
            i++;
            j++;
        }
        if (i > ie)
            push_edit(edits, n_edits, cap, PD_EDIT_EQUAL, ie, je, i - ie);
        if (i == i0 && j == j0) {
            /* inconsistent marks (cannot happen): treat the rest as replaced */
            if (i < n)
                push_edit(edits, n_edits, cap, PD_EDIT_DELETE, i, j, n - i);
            if (j < m)
                push_edit(edits, n_edits, cap, PD_EDIT_INSERT, n, j, m - j);
            break;
        }
    }
}

void pd_diff_trim(const pd_diff_seqs *s, size_t n, size_t m, size_t *pre, size_t *suf)
{
    size_t p = 0, q = 0;
    while (p < n && p < m && pd_diff_seqs_eq(s, p, p))
        p++;
    while (q < n - p && q < m - p && pd_diff_seqs_eq(s, n - 1 - q, m - 1 - q))
        q++;
    *pre = p;
    *suf = q;
}

/* Lines i and j of one text are equal. */
static bool same_line(const pd_diff_lines *l, const uint64_t *h, ptrdiff_t i, ptrdiff_t j)
{
    return h[i] == h[j] && pd_diff_lines_same(l, (size_t)i, l, (size_t)j);
}

/* GNU diff's shift_boundaries (analyze.c), for one side. */
void pd_diff_shift_runs(const pd_diff_lines *l, const uint64_t *h, unsigned char *chg,
                        const unsigned char *other_chg)
{
    ptrdiff_t i = 0, j = 0, i_end = (ptrdiff_t)l->n;
    for (;;) {
        while (i < i_end && !chg[i]) {
            while (other_chg[j++])
                continue;
            i++;
        }
        if (i == i_end)
            break;
        ptrdiff_t start = i, runlength, corresponding;
        while (chg[++i])
            continue;
        while (other_chg[j])
            j++;
        do {
            runlength = i - start;
            while (start && same_line(l, h, start - 1, i - 1)) {
                chg[--start] = 1;
                chg[--i] = 0;
                while (chg[start - 1])
                    start--;
                while (other_chg[--j])
                    continue;
            }
            corresponding = other_chg[j - 1] ? i : i_end;
            while (i != i_end && same_line(l, h, start, i)) {
                chg[start++] = 0;
                chg[i++] = 1;
                while (chg[i])
                    i++;
                while (other_chg[++j])
                    corresponding = i;
            }
        } while (runlength != i - start);
        while (corresponding < i) {
            chg[--start] = 1;
            chg[--i] = 0;
            while (other_chg[--j])
                continue;
        }
    }
}
