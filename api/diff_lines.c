/* diff_lines.c: the line diff: split both texts, intern lines as integers, trim the common
 * prefix and suffix, set aside lines that occur only on one side, run Myers on the rest, then
 * slide change runs as diff(1) does and build the edit runs. */
#include <stdlib.h>
#include <string.h>

#include "diff_core.h"

/* Copies src and splits it into lines (one pass), hashing each line into *hashes. */
static void split_lines(const char *src, size_t len, pd_diff_lines *l, uint64_t **hashes)
{
    char *data = pd_xmalloc(len + 1);
    if (len)
        memcpy(data, src, len);
    data[len] = '\0';
    size_t cap = len / 32 + 16, n = 0;
    size_t *off = pd_xmalloc(cap * sizeof *off);
    uint64_t *h = pd_xmalloc(cap * sizeof *h);
    for (const char *p = data, *end = data + len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        if (n + 1 >= cap) {
            cap *= 2;
            off = pd_xrealloc(off, cap * sizeof *off);
            h = pd_xrealloc(h, cap * sizeof *h);
        }
        off[n] = (size_t)(p - data);
        h[n] = pd_diff_hash(p, (size_t)(next - p));
        p = next;
    }
    off[n] = len;
    l->data = data;
    l->size = len;
    l->off = off;
    l->n = n;
    l->no_newline_at_end = len > 0 && data[len - 1] != '\n';
    *hashes = h;
}

/* Interns the lines of l (hashes precomputed), prefetching table slots ahead. */
static uint32_t *intern_lines(pd_diff_interner *in, const pd_diff_lines *l, const uint64_t *h)
{
    uint32_t *ids = pd_xmalloc((l->n + 1) * sizeof *ids);
    for (size_t i = 0; i < l->n; i++) {
        if (i + 8 < l->n)
            pd_diff_intern_prefetch(in, h[i + 8]);
        ids[i] = pd_diff_intern_hashed(in, l->data + l->off[i], l->off[i + 1] - l->off[i], h[i]);
    }
    return ids;
}

/* GNU diff's bound on the work of one split in heuristic mode. */
static size_t too_expensive(size_t n, size_t m)
{
    size_t cost = 1;
    for (size_t diags = n + m + 3; diags; diags >>= 2)
        cost <<= 1;
    return cost > 4096 ? cost : 4096;
}

/* Diffs the middles a[0..n) and b[0..m) (already trimmed): lines without a match on the other
 * side are changes in any shortest script, so only the others go through Myers. */
static int diff_middle(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t n_ids,
                       unsigned char *a_chg, unsigned char *b_chg, bool heuristic)
{
    uint32_t *in_a = pd_xcalloc(n_ids, sizeof *in_a), *in_b = pd_xcalloc(n_ids, sizeof *in_b);
    for (size_t i = 0; i < n; i++)
        in_a[a[i]] = 1;
    for (size_t j = 0; j < m; j++)
        in_b[b[j]] = 1;
    uint32_t *ra = pd_xmalloc((n + 1) * sizeof *ra), *rb = pd_xmalloc((m + 1) * sizeof *rb);
    size_t *ma = pd_xmalloc((n + 1) * sizeof *ma), *mb = pd_xmalloc((m + 1) * sizeof *mb);
    size_t rn = 0, rm = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_b[a[i]]) {
            ra[rn] = a[i];
            ma[rn++] = i;
        } else {
            a_chg[i] = 1;
        }
    }
    for (size_t j = 0; j < m; j++) {
        if (in_a[b[j]]) {
            rb[rm] = b[j];
            mb[rm++] = j;
        } else {
            b_chg[j] = 1;
        }
    }
    free(in_a);
    free(in_b);
    unsigned char *rac = pd_xcalloc(rn + 1, 1), *rbc = pd_xcalloc(rm + 1, 1);
    int rc = pd_diff_seq(ra, rn, rb, rm, rac, rbc, heuristic ? too_expensive(rn, rm) : 0);
    for (size_t k = 0; k < rn; k++)
        if (rac[k])
            a_chg[ma[k]] = 1;
    for (size_t k = 0; k < rm; k++)
        if (rbc[k])
            b_chg[mb[k]] = 1;
    free(rac);
    free(rbc);
    free(ra);
    free(rb);
    free(ma);
    free(mb);
    return rc;
}

int pd_diff_texts(const char *a, size_t a_len, const char *b, size_t b_len,
                  const pd_diff_options *o, pd_diff **out, pd_error *err)
{
    *out = NULL;
    if ((!a && a_len) || (!b && b_len))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "diff: NULL text with a non-zero length");
    pd_diff *d = pd_xcalloc(1, sizeof *d);
    pd_diff_options defaults = PD_DIFF_OPTIONS_INIT;
    d->opts = o ? *o : defaults;
    uint64_t *ha, *hb;
    split_lines(a ? a : "", a_len, &d->a, &ha);
    split_lines(b ? b : "", b_len, &d->b, &hb);
    size_t n = d->a.n, m = d->b.n;

    pd_diff_interner in;
    pd_diff_interner_init(&in, n + m);
    uint32_t *ia = intern_lines(&in, &d->a, ha), *ib = intern_lines(&in, &d->b, hb);
    size_t n_ids = in.n_ids;
    pd_diff_interner_free(&in);
    free(ha);
    free(hb);

    /* change marks with a zero sentinel on each side, as pd_diff_shift_runs wants */
    unsigned char *a_mem = pd_xcalloc(n + 2, 1), *b_mem = pd_xcalloc(m + 2, 1);
    unsigned char *a_chg = a_mem + 1, *b_chg = b_mem + 1;
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && ia[pre] == ib[pre])
        pre++;
    while (suf < n - pre && suf < m - pre && ia[n - 1 - suf] == ib[m - 1 - suf])
        suf++;
    int rc = diff_middle(ia + pre, n - pre - suf, ib + pre, m - pre - suf, n_ids, a_chg + pre, b_chg + pre,
                         d->opts.heuristic);
    if (rc == 0) {
        pd_diff_shift_runs(ia, a_chg, n, b_chg, m);
        pd_diff_shift_runs(ib, b_chg, m, a_chg, n);
        size_t cap = 0;
        pd_diff_marks_to_edits(a_chg, n, b_chg, m, &d->edits, &d->n_edits, &cap);
        for (size_t k = 0; k < d->n_edits; k++) {
            if (d->edits[k].op == PD_EDIT_DELETE)
                d->n_deleted += d->edits[k].n;
            else if (d->edits[k].op == PD_EDIT_INSERT)
                d->n_inserted += d->edits[k].n;
        }
    }
    free(ia);
    free(ib);
    free(a_mem);
    free(b_mem);
    if (rc != 0) {
        pd_diff_free(d);
        return pd_error_set(err, PD_ERR_LIMIT, "diff: inputs too large (%zu and %zu lines)", n, m);
    }
    *out = d;
    return 0;
}

void pd_diff_free(pd_diff *d)
{
    if (!d)
        return;
    free((char *)d->a.data);
    free(d->a.off);
    free((char *)d->b.data);
    free(d->b.off);
    free(d->edits);
    free(d);
}

bool pd_diff_equal(const pd_diff *d)
{
    return d->n_deleted == 0 && d->n_inserted == 0;
}
