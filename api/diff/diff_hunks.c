/* diff_hunks.c: groups the edit runs into hunks with N lines of context (as diff -U N), and
 * numbers the side-by-side rows each run occupies so hunks can point at rows. */
#include <stdint.h>
#include <stdlib.h>

#include "diff_priv.h"

/* The first row of each edit run; a DELETE followed by an INSERT shares rows (max of both). */
static size_t *row_starts(const pd_diff *d, size_t *total)
{
    size_t *rs = pd_xmalloc((d->n_edits + 1) * sizeof *rs);
    size_t row = 0;
    for (size_t k = 0; k < d->n_edits; k++) {
        const pd_diff_edit *e = &d->edits[k];
        rs[k] = row;
        if (e->op == PD_EDIT_DELETE && k + 1 < d->n_edits && d->edits[k + 1].op == PD_EDIT_INSERT) {
            rs[k + 1] = row;
            row += e->n > d->edits[k + 1].n ? e->n : d->edits[k + 1].n;
            k++;
        } else {
            row += e->n;
        }
    }
    rs[d->n_edits] = row;
    *total = row;
    return rs;
}

int pd_diff_hunks(const pd_diff *d, int context, pd_diff_hunk **out, size_t *n, pd_error *err)
{
    (void)err;
    *out = NULL;
    *n = 0;
    size_t ctx = context < 0 ? SIZE_MAX / 4 : (size_t)context;
    size_t total_rows, cap = 0;
    size_t *rs = row_starts(d, &total_rows);
    const pd_diff_edit *E = d->edits;
    size_t ne = d->n_edits, k = 0;
    while (k < ne) {
        while (k < ne && E[k].op == PD_EDIT_EQUAL)
            k++;
        if (k == ne)
            break;
        pd_diff_hunk h;
        size_t lead = (k > 0) ? (E[k - 1].n < ctx ? E[k - 1].n : ctx) : 0;
        h.a_start = E[k].a - lead;
        h.b_start = E[k].b - lead;
        h.row_start = rs[k] - lead;
        h.edit_start = lead ? k - 1 : k;
        /* take changes and the equal runs between them while the gap is at most 2*ctx */
        size_t j = k;
        while (j < ne) {
            if (E[j].op != PD_EDIT_EQUAL) {
                j++;
                continue;
            }
            if (j + 1 < ne && E[j].n <= 2 * ctx) {
                j++;
                continue;
            }
            break;
        }
        /* j is the trailing equal run (or ne) */
        size_t a_end, b_end, row_end, edit_end;
        if (j < ne) {
            size_t trail = E[j].n < ctx ? E[j].n : ctx;
            a_end = E[j].a + trail;
            b_end = E[j].b + trail;
            row_end = rs[j] + trail;
            edit_end = trail ? j + 1 : j;
        } else {
            a_end = d->a.n;
            b_end = d->b.n;
            row_end = total_rows;
            edit_end = ne;
        }
        h.a_count = a_end - h.a_start;
        h.b_count = b_end - h.b_start;
        h.row_count = row_end - h.row_start;
        h.edit_count = edit_end - h.edit_start;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = pd_xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = h;
        k = j;
    }
    free(rs);
    return 0;
}
