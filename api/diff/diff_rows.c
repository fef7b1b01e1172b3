/* diff_rows.c: aligned side-by-side rows for the whole texts, with the changed spans of each
 * paired line (word or character refinement), and the hunks pointing at them. */
#include <stdlib.h>

#include "diff_priv.h"

typedef struct span_store {
    pd_diff_span *v;
    size_t n, cap;
} span_store;

/* Appends spans, returning the index of the first. */
static size_t store_spans(span_store *s, const pd_diff_span *sp, size_t n)
{
    while (s->n + n > s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = pd_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    size_t first = s->n;
    for (size_t i = 0; i < n; i++)
        s->v[s->n++] = sp[i];
    return first;
}

int pd_diff_side_by_side(const pd_diff *d, int context, pd_diff_sbs **out, pd_error *err)
{
    *out = NULL;
    pd_diff_sbs *s = pd_xcalloc(1, sizeof *s);
    if (pd_diff_hunks(d, context, &s->hunks, &s->n_hunks, err) != 0) {
        pd_diff_sbs_free(s);
        return -1;
    }
    size_t cap = d->a.n + d->b.n + 1;
    s->rows = pd_xmalloc(cap * sizeof *s->rows);
    /* span offsets are kept as indices while the store grows, then turned into pointers */
    size_t *li = pd_xmalloc(cap * sizeof *li), *ri = pd_xmalloc(cap * sizeof *ri);
    span_store st = {NULL, 0, 0};
    for (size_t k = 0; k < d->n_edits; k++) {
        const pd_diff_edit *e = &d->edits[k];
        if (e->op == PD_EDIT_EQUAL) {
            for (size_t i = 0; i < e->n; i++)
                s->rows[s->n_rows++] = (pd_diff_row){PD_ROW_EQUAL, (long)(e->a + i), (long)(e->b + i), NULL, 0, NULL, 0};
            continue;
        }
        size_t nd = 0, ni = 0, a0 = e->a, b0 = e->b;
        if (e->op == PD_EDIT_DELETE) {
            nd = e->n;
            if (k + 1 < d->n_edits && d->edits[k + 1].op == PD_EDIT_INSERT) {
                k++;
                ni = d->edits[k].n;
                b0 = d->edits[k].b;
            }
        } else {
            ni = e->n;
        }
        size_t rows = nd > ni ? nd : ni;
        for (size_t i = 0; i < rows; i++) {
            pd_diff_row r = {PD_ROW_CHANGED, i < nd ? (long)(a0 + i) : -1, i < ni ? (long)(b0 + i) : -1, NULL, 0, NULL, 0};
            if (i >= nd)
                r.kind = PD_ROW_INSERTED;
            else if (i >= ni)
                r.kind = PD_ROW_DELETED;
            else if (d->opts.refine != PD_DIFF_REFINE_NONE) {
                pd_diff_span *as, *bs;
                pd_diff_refine_pair(pd_diff_line(&d->a, a0 + i), pd_diff_line_len(&d->a, a0 + i),
                                    pd_diff_line(&d->b, b0 + i), pd_diff_line_len(&d->b, b0 + i), d->opts.refine,
                                    &as, &r.n_left_spans, &bs, &r.n_right_spans, err);
                li[s->n_rows] = store_spans(&st, as, r.n_left_spans);
                ri[s->n_rows] = store_spans(&st, bs, r.n_right_spans);
                free(as);
                free(bs);
            }
            s->rows[s->n_rows++] = r;
        }
    }
    s->spans = st.v;
    s->n_spans = st.n;
    for (size_t r = 0; r < s->n_rows; r++) {
        pd_diff_row *row = &s->rows[r];
        if (row->n_left_spans)
            row->left_spans = s->spans + li[r];
        if (row->n_right_spans)
            row->right_spans = s->spans + ri[r];
    }
    free(li);
    free(ri);
    *out = s;
    return 0;
}

void pd_diff_sbs_free(pd_diff_sbs *s)
{
    if (!s)
        return;
    free(s->rows);
    free(s->hunks);
    free(s->spans);
    free(s);
}
