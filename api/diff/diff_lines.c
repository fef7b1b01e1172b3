/* diff_lines.c: the line diff: split both texts and hash their lines, trim the common prefix
 * and suffix, then run Myers on the hashed lines; when the texts turn out to differ a lot,
 * intern the lines as integers, set aside lines that occur on one side only and run Myers on
 * the rest. Then slide change runs as diff(1) does and build the edit runs. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diff_priv.h"

/* Splitting and hashing in one pass, 8 bytes at a time: each word is tested for a '\n' with
 * the has-zero-byte trick and mixed into the line's hash. Lines are mostly short; separate
 * memchr and hashing passes were a third of the time on 10,000-line files. The pass reads the
 * caller's text (a word past its end reads as zero bytes); the copy the pd_diff keeps is made
 * afterwards (see own_lines). Equal lines get equal hashes: the steps depend only on the
 * line's bytes. The arrays are sized from the text's length (about 24 bytes a line), with
 * huge pages when big (a 200,000-line text faults 4 KB pages in by the thousand). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static uint64_t mask_low(size_t bytes)
{
    return bytes >= 8 ? ~0ull : (~0ull >> (64 - 8 * bytes));
}

static uint64_t finish_hash(uint64_t h, uint64_t tail, size_t len)
{
    h = (h ^ tail ^ ((uint64_t)len << 1)) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    return h;
}

/* The last len - pos < 8 bytes of src, zeros after. */
static __attribute__((noinline)) uint64_t load_tail(const char *src, size_t pos, size_t len)
{
    uint64_t w = 0;
    memcpy(&w, src + pos, len - pos);
    return w;
}

/* The 8 bytes at src + pos, zeros past len. */
static inline uint64_t load_word(const char *src, size_t pos, size_t len)
{
    uint64_t w;
    if (__builtin_expect(len - pos >= 8, 1))
        memcpy(&w, src + pos, 8);
    else
        w = load_tail(src, pos, len);
    return w;
}

/* Splits src into lines, hashing each, in one pass: *off gets the n + 1 line offsets and
 * *hashes the n hashes (caller frees both); returns n. */
static size_t split_hash(const char *src, size_t len, size_t **offsets, uint64_t **hashes)
{
    size_t cap = len / 24 + 16, n = 0, pos = 0;
    size_t *off = pd_xmalloc_big(cap * sizeof *off);
    uint64_t *hs = pd_xmalloc_big(cap * sizeof *hs);
    while (pos < len) {
        if (n + 1 >= cap) {
            cap *= 2;
            off = pd_xrealloc(off, cap * sizeof *off);
            hs = pd_xrealloc(hs, cap * sizeof *hs);
        }
        size_t start = pos;
        uint64_t h = 0x9E3779B97F4A7C15ull;
        for (;;) {
            uint64_t w = load_word(src, pos, len);
            uint64_t x = w ^ (ONES * '\n');
            uint64_t found = (x - ONES) & ~x & HIGHS;
            size_t avail = len - pos;
            size_t k = found ? (size_t)__builtin_ctzll(found) >> 3 : 8;
            if (k < avail && k < 8) {
                pos += k + 1;
                h = finish_hash(h, w & mask_low(k + 1), pos - start);
                break;
            }
            if (avail <= 8) {
                pos = len;
                h = finish_hash(h, w & mask_low(avail), pos - start);
                break;
            }
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
            pos += 8;
        }
        off[n] = start;
        hs[n++] = h;
    }
    off[n] = len;
    *offsets = off;
    *hashes = hs;
    return n;
}

/* Gives d the texts and their line offsets (split_hash's arrays, freed with d: no copy of
 * them). With take, d keeps a and b themselves (NUL-terminated, freed with d); otherwise
 * copies of both in one block, kept in d->taken[0]. */
static void own_lines(pd_diff *d, const char *a, size_t a_len, size_t *a_off, size_t n, const char *b,
                      size_t b_len, size_t *b_off, size_t m, bool take)
{
    const char *ad = a, *bd = b;
    if (!take) {
        char *ac = pd_xmalloc_big(a_len + 1 + b_len + 1), *bc = ac + a_len + 1;
        if (a_len)
            memcpy(ac, a, a_len);
        ac[a_len] = '\0';
        if (b_len)
            memcpy(bc, b, b_len);
        bc[b_len] = '\0';
        d->taken[0] = ac;
        ad = ac;
        bd = bc;
    }
    d->a = (pd_diff_lines){ad, a_len, a_off, n, a_len > 0 && a[a_len - 1] != '\n'};
    d->b = (pd_diff_lines){bd, b_len, b_off, m, b_len > 0 && b[b_len - 1] != '\n'};
}

/* Interns lines first..first+n of l (hashes h), prefetching table slots ahead of the probes. */
static void intern_lines(pd_diff_interner *in, const pd_diff_lines *l, const uint64_t *h, size_t first, size_t n,
                         uint32_t *ids)
{
    for (size_t i = 0; i < n; i++) {
        if (i + 8 < n)
            pd_diff_intern_prefetch(in, h[first + i + 8]);
        size_t k = first + i;
        ids[i] = pd_diff_intern_hashed(in, l->data + l->off[k], l->off[k + 1] - l->off[k], h[k]);
    }
}

/* From this many lines to compare (both sides, common prefix and suffix aside) a minimal diff
 * goes through pd_diff_seq_hashed; smaller ones keep the plain search (at most ~2 ms). */
#define BIG_DIFF_LINES 65536

/* GNU diff's bound on the work of one split in heuristic mode. */
static size_t too_expensive(size_t n, size_t m)
{
    size_t cost = 1;
    for (size_t diags = n + m + 3; diags; diags >>= 2)
        cost <<= 1;
    return cost > 4096 ? cost : 4096;
}

/* Copies the elements of s whose `other` bit is set in seen (they occur on the other side)
 * to r, with their positions in map; marks the others changed. Returns how many were kept. */
static size_t keep_matched(const uint32_t *s, size_t n, const unsigned char *seen, unsigned char other,
                           uint32_t *r, uint32_t *map, unsigned char *chg)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (seen[s[i]] & other) {
            r[k] = s[i];
            map[k++] = (uint32_t)i;
        } else {
            chg[i] = 1;
        }
    }
    return k;
}

static void mark_back(const unsigned char *rchg, size_t rn, const uint32_t *map, unsigned char *chg)
{
    for (size_t k = 0; k < rn; k++)
        if (rchg[k])
            chg[map[k]] = 1;
}

/* The bound on the minimal search (0 = none; the heuristic bounds itself). */
static uint64_t work_bound(const pd_diff_options *o)
{
    uint64_t budget = o->heuristic ? 0 : o->max_work ? o->max_work : PD_DIFF_DEFAULT_MAX_WORK;
    return budget == ULLONG_MAX ? 0 : budget;
}

/* Diffs the middles a[0..n) and b[0..m) (already trimmed): lines without a match on the other
 * side are changes in any shortest script, so only the others go through Myers. */
static int diff_middle(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t n_ids,
                       unsigned char *a_chg, unsigned char *b_chg, const pd_diff_options *o)
{
    unsigned char *seen = pd_xcalloc(n_ids + 1, 1);   /* 1: in a, 2: in b */
    for (size_t i = 0; i < n; i++)
        seen[a[i]] |= 1;
    for (size_t j = 0; j < m; j++)
        seen[b[j]] |= 2;
    uint32_t *ra = pd_xmalloc(2 * (n + m + 2) * sizeof *ra), *rb = ra + n + 1;   /* then the maps */
    uint32_t *ma = rb + m + 1, *mb = ma + n + 1;
    size_t rn = keep_matched(a, n, seen, 2, ra, ma, a_chg);
    size_t rm = keep_matched(b, m, seen, 1, rb, mb, b_chg);
    free(seen);
    unsigned char *rac = pd_xcalloc(rn + rm + 2, 1), *rbc = rac + rn + 1;
    uint64_t budget = work_bound(o);
    pd_diff_seqs seqs = {ra, rb, NULL, NULL};
    int rc = pd_diff_seq(&seqs, rn, rm, rac, rbc, o->heuristic ? too_expensive(rn, rm) : 0, budget);
    mark_back(rac, rn, ma, a_chg);
    mark_back(rbc, rm, mb, b_chg);
    free(rac);
    free(ra);
    return rc;
}

/* The fallback for texts that differ a lot: interned lines, unmatched ones set aside. */
static int diff_interned(const pd_diff *d, const uint64_t *ha, const uint64_t *hb, size_t pre, size_t n, size_t m,
                         unsigned char *a_chg, unsigned char *b_chg)
{
    pd_diff_interner in;
    pd_diff_interner_init(&in, n + m);
    uint32_t *ids = pd_xmalloc((n + m + 1) * sizeof *ids);
    intern_lines(&in, &d->a, ha, pre, n, ids);
    intern_lines(&in, &d->b, hb, pre, m, ids + n);
    size_t n_ids = in.n_ids;
    pd_diff_interner_free(&in);
    int rc = diff_middle(ids, n, ids + n, m, n_ids, a_chg, b_chg, &d->opts);
    free(ids);
    return rc;
}

/* Every line the marks leave unchanged equals its partner byte for byte (a script found by
 * comparing hashes is wrong only if two different lines share a 64-bit hash). Compared a run
 * of unchanged lines at a time: equal bytes split into equal lines. */
static bool unchanged_lines_equal(const pd_diff *d, const unsigned char *a_chg, const unsigned char *b_chg)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < d->a.n && a_chg[i])
            i++;
        while (j < d->b.n && b_chg[j])
            j++;
        if (i == d->a.n || j == d->b.n)
            return i == d->a.n && j == d->b.n;
        size_t k = 1;
        while (i + k < d->a.n && j + k < d->b.n && !a_chg[i + k] && !b_chg[j + k])
            k++;
        size_t len = d->a.off[i + k] - d->a.off[i];
        if (len != d->b.off[j + k] - d->b.off[j] ||
            memcmp(d->a.data + d->a.off[i], d->b.data + d->b.off[j], len) != 0)
            return false;
        i += k;
        j += k;
    }
}

/* Myers straight on the line hashes first: when the texts are close (the usual case) this
 * spares interning them. Big texts with many edits (the plain search's cost grows with their
 * square) set aside the lines whose hash the other side lacks first (diff_discard.c); small
 * ones and few edits keep the plain search, whose choice among equally short scripts is
 * diff --minimal's. Past a budget linear in the sizes, or when the bytes disagree with a hash,
 * the interned path takes over, which sets aside exactly the lines without a match. */
static int diff_lines(pd_diff *d, uint64_t *ha, uint64_t *hb, unsigned char *a_chg, unsigned char *b_chg)
{
    size_t n = d->a.n, m = d->b.n, pre, suf;
    pd_diff_seqs full = {NULL, NULL, ha, hb};
    pd_diff_trim(&full, n, m, &pre, &suf);
    size_t mn = n - pre - suf, mm = m - pre - suf;
    pd_diff_seqs mid = {NULL, NULL, ha + pre, hb + pre};
    uint64_t quick = 32 * (uint64_t)(mn + mm) + 100000, bound = work_bound(&d->opts);
    if (bound && bound < quick)
        quick = bound;
    int rc;
    if (d->opts.heuristic || mn + mm < BIG_DIFF_LINES)
        rc = pd_diff_seq(&mid, mn, mm, a_chg + pre, b_chg + pre, d->opts.heuristic ? too_expensive(mn, mm) : 0, quick);
    else
        rc = pd_diff_seq_hashed(ha + pre, mn, hb + pre, mm, a_chg + pre, b_chg + pre,
                                2 * (uint64_t)(mn + mm) + 262144, quick);
    if (rc == 0 && unchanged_lines_equal(d, a_chg, b_chg))
        return 0;
    if (rc == -1)
        return rc;
    memset(a_chg, 0, n);
    memset(b_chg, 0, m);
    return diff_interned(d, ha, hb, 0, n, m, a_chg, b_chg);
}

/* pd_diff_texts and pd_diff_texts_take: with take, a and b are the caller's malloc'd texts,
 * kept by the diff or freed here on failure. */
static int diff_texts(const char *a, size_t a_len, const char *b, size_t b_len, bool take,
                      const pd_diff_options *o, pd_diff **out, pd_error *err)
{
    *out = NULL;
    int bad = (!a && a_len) || (!b && b_len) ? 1 : a_len >= UINT32_MAX / 2 || b_len >= UINT32_MAX / 2 ? 2 : 0;
    if (bad && take) {
        free((char *)a);
        free((char *)b);
    }
    if (bad == 1)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "diff: NULL text with a non-zero length");
    if (bad == 2)   /* line numbers and ids are 32-bit */
        return pd_error_set(err, PD_ERR_LIMIT, "diff: inputs too large (%zu and %zu bytes)", a_len, b_len);
    pd_diff *d = pd_xcalloc(1, sizeof *d);
    pd_diff_options defaults = PD_DIFF_OPTIONS_INIT;
    d->opts = o ? *o : defaults;
    if (take) {
        d->taken[0] = (char *)a;
        d->taken[1] = (char *)b;
    }
    uint64_t *ha, *hb;
    size_t *a_off, *b_off;
    size_t n = split_hash(a, a_len, &a_off, &ha);
    size_t m = split_hash(b, b_len, &b_off, &hb);
    own_lines(d, a ? a : "", a_len, a_off, n, b ? b : "", b_len, b_off, m, take);
    /* change marks with a zero sentinel on each side, as pd_diff_shift_runs wants */
    unsigned char *chg_mem = pd_xcalloc(n + m + 3, 1);
    unsigned char *a_chg = chg_mem + 1, *b_chg = a_chg + n + 1;
    int rc = diff_lines(d, ha, hb, a_chg, b_chg);
    if (rc == 0) {
        pd_diff_shift_runs(&d->a, ha, a_chg, b_chg);
        pd_diff_shift_runs(&d->b, hb, b_chg, a_chg);
        size_t cap = 0;
        pd_diff_marks_to_edits(a_chg, n, b_chg, m, &d->edits, &d->n_edits, &cap);
        for (size_t k = 0; k < d->n_edits; k++) {
            if (d->edits[k].op == PD_EDIT_DELETE)
                d->n_deleted += d->edits[k].n;
            else if (d->edits[k].op == PD_EDIT_INSERT)
                d->n_inserted += d->edits[k].n;
        }
    }
    free(ha);
    free(hb);
    free(chg_mem);
    if (rc == -2) {
        pd_diff_free(d);
        return pd_error_set(err, PD_ERR_LIMIT,
                            "diff: the texts (%zu and %zu lines) differ too much for a minimal diff in reasonable "
                            "time; a heuristic diff (--heuristic) bounds the time",
                            n, m);
    }
    if (rc != 0) {
        pd_diff_free(d);
        return pd_error_set(err, PD_ERR_LIMIT, "diff: inputs too large (%zu and %zu lines)", n, m);
    }
    *out = d;
    return 0;
}

int pd_diff_texts(const char *a, size_t a_len, const char *b, size_t b_len,
                  const pd_diff_options *o, pd_diff **out, pd_error *err)
{
    return diff_texts(a, a_len, b, b_len, false, o, out, err);
}

int pd_diff_texts_take(char *a, size_t a_len, char *b, size_t b_len, const pd_diff_options *o, pd_diff **out,
                       pd_error *err)
{
    return diff_texts(a, a_len, b, b_len, true, o, out, err);
}

void pd_diff_free(pd_diff *d)
{
    if (!d)
        return;
    free(d->a.off);
    free(d->b.off);
    free(d->taken[0]);
    free(d->taken[1]);
    free(d->edits);
    free(d);
}

bool pd_diff_equal(const pd_diff *d)
{
    return d->n_deleted == 0 && d->n_inserted == 0;
}
