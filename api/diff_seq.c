/* diff_seq.c: Myers' O(ND) shortest edit script between two sequences (ids, or hashed lines),
 * in linear space (the middle-snake divide and conquer of Myers 1986, section 4b), as GNU
 * diff's diffseq. Hand-written: no packaged C library exposes this (see diff.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff_core.h"

typedef ptrdiff_t idx;

typedef struct seq_ctx {
    const pd_diff_seqs *s;
    unsigned char *a_chg, *b_chg;
    idx *fd, *bd;              /* furthest x on each diagonal, indexed by x - y */
    size_t max_cost;           /* 0 = minimal */
    uint64_t work, budget;     /* diagonal steps taken, and the bound (0 = none) */
    bool over;                 /* the budget ran out: stop */
} seq_ctx;

typedef struct partition {
    idx xmid, ymid;
    bool lo_minimal, hi_minimal;
} partition;

/* When giving up on a hard split: the forward diagonal reaching furthest (max x + y) or the
 * backward one reaching furthest back, whichever made more progress. */
static void give_up(const seq_ctx *c, idx xoff, idx xlim, idx yoff, idx ylim, idx fmin, idx fmax,
                    idx bmin, idx bmax, partition *p)
{
    idx fxybest = -1, fxbest = xoff, bxybest = PTRDIFF_MAX, bxbest = xlim;
    for (idx d = fmax; d >= fmin; d -= 2) {
        idx x = c->fd[d] < xlim ? c->fd[d] : xlim, y = x - d;
        if (ylim < y) {
            x = ylim + d;
            y = ylim;
        }
        if (fxybest < x + y) {
            fxybest = x + y;
            fxbest = x;
        }
    }
    for (idx d = bmax; d >= bmin; d -= 2) {
        idx x = c->bd[d] > xoff ? c->bd[d] : xoff, y = x - d;
        if (y < yoff) {
            x = yoff + d;
            y = yoff;
        }
        if (x + y < bxybest) {
            bxybest = x + y;
            bxbest = x;
        }
    }
    if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
        p->xmid = fxbest;
        p->ymid = fxybest - fxbest;
        p->lo_minimal = true;
        p->hi_minimal = false;
    } else {
        p->xmid = bxbest;
        p->ymid = bxybest - bxbest;
        p->lo_minimal = false;
        p->hi_minimal = true;
    }
}

/* Finds the midpoint of a shortest edit script for a[xoff..xlim) vs b[yoff..ylim) by running
 * the forward and backward searches until they overlap. */
static void middle_snake(seq_ctx *c, idx xoff, idx xlim, idx yoff, idx ylim, bool minimal, partition *p)
{
    const pd_diff_seqs *s = c->s;
    idx *fd = c->fd, *bd = c->bd;
    const idx dmin = xoff - ylim, dmax = xlim - yoff;
    const idx fmid = xoff - yoff, bmid = xlim - ylim;
    idx fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = ((fmid - bmid) & 1) != 0;

    fd[fmid] = xoff;
    bd[bmid] = xlim;
    for (size_t cost = 1;; cost++) {
        if (fmin > dmin)
            fd[--fmin - 1] = -1;
        else
            ++fmin;
        if (fmax < dmax)
            fd[++fmax + 1] = -1;
        else
            --fmax;
        for (idx d = fmax; d >= fmin; d -= 2) {
            idx tlo = fd[d - 1], thi = fd[d + 1];
            idx x = tlo >= thi ? tlo + 1 : thi, y = x - d;
            while (x < xlim && y < ylim && pd_diff_seqs_eq(s, (size_t)x, (size_t)y)) {
                x++;
                y++;
            }
            fd[d] = x;
            if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
                p->xmid = x;
                p->ymid = y;
                p->lo_minimal = p->hi_minimal = true;
                return;
            }
        }
        if (bmin > dmin)
            bd[--bmin - 1] = PTRDIFF_MAX;
        else
            ++bmin;
        if (bmax < dmax)
            bd[++bmax + 1] = PTRDIFF_MAX;
        else
            --bmax;
        for (idx d = bmax; d >= bmin; d -= 2) {
            idx tlo = bd[d - 1], thi = bd[d + 1];
            idx x = tlo < thi ? tlo : thi - 1, y = x - d;
            while (xoff < x && yoff < y && pd_diff_seqs_eq(s, (size_t)x - 1, (size_t)y - 1)) {
                x--;
                y--;
            }
            bd[d] = x;
            if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
                p->xmid = x;
                p->ymid = y;
                p->lo_minimal = p->hi_minimal = true;
                return;
            }
        }
        c->work += (uint64_t)(fmax - fmin + bmax - bmin) / 2 + 2;
        if (c->budget && c->work > c->budget) {
            c->over = true;
            give_up(c, xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax, p);
            return;
        }
        if (!minimal && c->max_cost && cost >= c->max_cost) {
            give_up(c, xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax, p);
            return;
        }
    }
}

/* Marks the changes of a[xoff..xlim) vs b[yoff..ylim). Recurses on the lower half and loops
 * on the upper one; depth stays near log2 of the edit distance. */
static void compare(seq_ctx *c, idx xoff, idx xlim, idx yoff, idx ylim, bool minimal)
{
    while (!c->over) {
        while (xoff < xlim && yoff < ylim && pd_diff_seqs_eq(c->s, (size_t)xoff, (size_t)yoff)) {
            xoff++;
            yoff++;
        }
        while (xoff < xlim && yoff < ylim && pd_diff_seqs_eq(c->s, (size_t)xlim - 1, (size_t)ylim - 1)) {
            xlim--;
            ylim--;
        }
        if (xoff == xlim) {
            while (yoff < ylim)
                c->b_chg[yoff++] = 1;
            return;
        }
        if (yoff == ylim) {
            while (xoff < xlim)
                c->a_chg[xoff++] = 1;
            return;
        }
        partition p;
        middle_snake(c, xoff, xlim, yoff, ylim, minimal, &p);
        compare(c, xoff, p.xmid, yoff, p.ymid, p.lo_minimal);
        xoff = p.xmid;
        yoff = p.ymid;
        minimal = p.hi_minimal;
    }
}

int pd_diff_seq(const pd_diff_seqs *s, size_t n, size_t m, unsigned char *a_chg, unsigned char *b_chg,
                size_t max_cost, uint64_t budget)
{
    if (n > (size_t)PTRDIFF_MAX / 4 || m > (size_t)PTRDIFF_MAX / 4)
        return -1;
    if (n == 0 || m == 0) {
        memset(a_chg, 1, n);
        memset(b_chg, 1, m);
        return 0;
    }
    size_t diags = n + m + 3;
    idx *mem = pd_xmalloc(2 * diags * sizeof *mem);
    seq_ctx c = {s, a_chg, b_chg, mem + m + 1, mem + diags + m + 1, max_cost, 0, budget, false};
    compare(&c, 0, (idx)n, 0, (idx)m, max_cost == 0);
    free(mem);
    return c.over ? -2 : 0;
}
