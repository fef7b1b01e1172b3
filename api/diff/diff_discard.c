/* diff_discard.c: a minimal diff of big hashed texts with many edits: Myers after setting aside the lines without a match on the other side. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "diff_priv.h"

/* A set of hashes that may answer "maybe" for a hash it lacks, never "no" for one it has:
 * one bit per hash, picked by its high bits. Eight bits per line or more keep the false
 * "maybe"s near 1 in 10 (they only keep an unmatched line in the search). */
typedef struct hash_filter {
    uint64_t *words;
    unsigned shift;            /* bit index = hash >> shift */
} hash_filter;

static void filter_init(hash_filter *f, const uint64_t *h, size_t n, size_t lines)
{
    unsigned log2_bits = 9;
    while (log2_bits < 30 && ((size_t)1 << log2_bits) < 8 * lines)
        log2_bits++;
    f->shift = 64 - log2_bits;
    f->words = pd_xcalloc(((size_t)1 << log2_bits) / 64, sizeof *f->words);
    for (size_t i = 0; i < n; i++) {
        uint64_t bit = h[i] >> f->shift;
        f->words[bit >> 6] |= 1ull << (bit & 63);
    }
}

static bool filter_maybe(const hash_filter *f, uint64_t h)
{
    uint64_t bit = h >> f->shift;
    return (f->words[bit >> 6] >> (bit & 63)) & 1;
}

/* The lines of one side set aside: their positions and hashes, in order. */
typedef struct set_aside {
    size_t *pos;
    uint64_t *hash;
    size_t n, cap;
} set_aside;

/* Moves the hashes of h[0..n) that the other side's filter may hold to the front, in order,
 * and the others into out. Returns how many stayed. */
static size_t compact(uint64_t *h, size_t n, const hash_filter *other, set_aside *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (filter_maybe(other, h[i])) {
            h[k++] = h[i];
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 64;
            out->pos = pd_xrealloc(out->pos, out->cap * sizeof *out->pos);
            out->hash = pd_xrealloc(out->hash, out->cap * sizeof *out->hash);
        }
        out->pos[out->n] = i;
        out->hash[out->n++] = h[i];
    }
    return k;
}

/* Undoes compact, back to front (every line moves to its place or further right): h gets its
 * n hashes back; chg[0..kept) holds the marks of the kept lines, which move with them, and
 * the lines set aside are marked changed. */
static void expand(uint64_t *h, unsigned char *chg, size_t n, size_t kept, const set_aside *aside)
{
    size_t k = kept, s = aside->n;
    for (size_t i = n; i-- > 0;) {
        if (s > 0 && aside->pos[s - 1] == i) {
            h[i] = aside->hash[--s];
            chg[i] = 1;
        } else {
            k--;
            h[i] = h[k];
            chg[i] = chg[k];
        }
    }
}

/* Adds to *unmatched how many of h[0..n) the other side's filter rules out, stopping early
 * once *unmatched squared over 2 passes limit. */
static void count_unmatched(const uint64_t *h, size_t n, const hash_filter *other, uint64_t limit,
                            uint64_t *unmatched)
{
    uint64_t k = *unmatched;
    for (size_t i = 0; i < n; i++) {
        k += !filter_maybe(other, h[i]);
        if ((i & 4095) == 4095 && k * k / 2 > limit)
            break;
    }
    *unmatched = k;
}

int pd_diff_seq_hashed(uint64_t *ha, size_t n, uint64_t *hb, size_t m, unsigned char *a_chg, unsigned char *b_chg,
                       uint64_t plain_budget, uint64_t budget)
{
    size_t lines = n > m ? n : m;
    hash_filter fa, fb;
    filter_init(&fa, ha, n, lines);
    filter_init(&fb, hb, m, lines);
    /* the unmatched lines are at most the edit distance D, and the plain search costs about
       D * D / 2 diagonal steps: skip it when that is over its budget anyway */
    uint64_t unmatched = 0;
    count_unmatched(ha, n, &fb, plain_budget, &unmatched);
    count_unmatched(hb, m, &fa, plain_budget, &unmatched);
    if (unmatched * unmatched / 2 <= plain_budget) {
        pd_diff_seqs all = {NULL, NULL, ha, hb};
        int rc = pd_diff_seq(&all, n, m, a_chg, b_chg, 0, plain_budget < budget ? plain_budget : budget);
        if (rc != -2 || plain_budget >= budget) {
            free(fa.words);
            free(fb.words);
            return rc;
        }
        memset(a_chg, 0, n);
        memset(b_chg, 0, m);
    }
    set_aside aside_a = {0}, aside_b = {0};
    size_t rn = compact(ha, n, &fb, &aside_a);
    size_t rm = compact(hb, m, &fa, &aside_b);
    free(fa.words);
    free(fb.words);
    pd_diff_seqs kept = {NULL, NULL, ha, hb};
    int rc = pd_diff_seq(&kept, rn, rm, a_chg, b_chg, 0, budget);
    expand(ha, a_chg, n, rn, &aside_a);
    expand(hb, b_chg, m, rm, &aside_b);
    free(aside_a.pos);
    free(aside_a.hash);
    free(aside_b.pos);
    free(aside_b.hash);
    return rc;
}
