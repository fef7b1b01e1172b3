/* diff_seq.c: Myers' O(ND) shortest edit script between two sequences (ids, or hashed lines),
 * in linear space (the middle-snake divide and conquer of Myers 1986, section 4b), as GNU
 * diff's diffseq. Hand-written: no packaged C library exposes this (see diff.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "diff_priv.h"

typedef ptrdiff_t idx;

typedef struct seq_ctx {
    const pd_diff_seqs *s;
    unsigned char *a_chg, *b_chg;
    idx *fd, *bd;              /* furthest x on each diagonal x - y, in windows of cap entries
                                  around the split's middle diagonals, grown by doubling as
                                  the cost explored grows (not sized by n + m: the pages of
                                  arrays that large cost more than the search on close texts) */
    size_t cap;
    idx fo, bo;                /* the current split's diagonal d is fd[d + fo], bd[d + bo] */
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
        idx fx = c->fd[d + c->fo], x = fx < xlim ? fx : xlim, y = x - d;
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
        idx bx = c->bd[d + c->bo], x = bx > xoff ? bx : xoff, y = x - d;
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

/* Doubles the windows, keeping their contents in the middle of the new ones. */
static void grow_windows(seq_ctx *c)
{
    size_t cap = c->cap * 2;
    idx *mem = pd_xmalloc(2 * cap * sizeof *mem);
    memcpy(mem + cap / 4, c->fd, c->cap * sizeof *mem);
    memcpy(mem + cap + cap / 4, c->bd, c->cap * sizeof *mem);
    free(c->fd);
    c->fd = mem;
    c->bd = mem + cap;
    c->fo += (idx)(cap / 4);
    c->bo += (idx)(cap / 4);
    c->cap = cap;
}

/* Finds the midpoint of a shortest edit script for a[xoff..xlim) vs b[yoff..ylim) by running
 * the forward and backward searches until they overlap. At cost D the forward search touches
 * diagonals fmid - D - 1 .. fmid + D + 1 (the backward one the same around bmid), which the
 * windows hold while D + 2 <= cap / 2. */
static void middle_snake(seq_ctx *c, idx xoff, idx xlim, idx yoff, idx ylim, bool minimal, partition *p)
{
    const pd_diff_seqs *s = c->s;
    const idx dmin = xoff - ylim, dmax = xlim - yoff;
    const idx fmid = xoff - yoff, bmid = xlim - ylim;
    idx fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = ((fmid - bmid) & 1) != 0;

    c->fo = (idx)(c->cap / 2) - fmid;
    c->bo = (idx)(c->cap / 2) - bmid;
    c->fd[fmid + c->fo] = xoff;
    c->bd[bmid + c->bo] = xlim;
    for (size_t cost = 1;; cost++) {
        if (cost + 2 > c->cap / 2)
            grow_windows(c);
        idx *fd = c->fd, *bd = c->bd;
        const idx fo = c->fo, bo = c->bo;
        if (fmin > dmin)
            fd[--fmin - 1 + fo] = -1;
        else
            ++fmin;
        if (fmax < dmax)
            fd[++fmax + 1 + fo] = -1;
        else
            --fmax;
        for (idx d = fmax; d >= fmin; d -= 2) {
            idx tlo = fd[d - 1 + fo], thi = fd[d + 1 + fo];
            idx x = tlo >= thi ? tlo + 1 : thi, y = x - d;
            while (x < xlim && y < ylim && pd_diff_seqs_eq(s, (size_t)x, (size_t)y)) {
                x++;
                y++;
            }
            fd[d + fo] = x;
            if (odd && bmin <= d && d <= bmax && bd[d + bo] <= x) {
                p->xmid = x;
                p->ymid = y;
                p->lo_minimal = p->hi_minimal = true;
                return;
            }
        }
        if (bmin > dmin)
            bd[--bmin - 1 + bo] = PTRDIFF_MAX;
        else
            ++bmin;
        if (bmax < dmax)
            bd[++bmax + 1 + bo] = PTRDIFF_MAX;
        else
            --bmax;
        for (idx d = bmax; d >= bmin; d -= 2) {
            idx tlo = bd[d - 1 + bo], thi = bd[d + 1 + bo];
            idx x = tlo < thi ? tlo : thi - 1, y = x - d;
            while (xoff < x && yoff < y && pd_diff_seqs_eq(s, (size_t)x - 1, (size_t)y - 1)) {
                x--;
                y--;
            }
            bd[d + bo] = x;
            if (!odd && fmin <= d && d <= fmax && x <= fd[d + fo]) {
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
    size_t cap = 1024;
    idx *mem = pd_xmalloc(2 * cap * sizeof *mem);
    seq_ctx c = {s, a_chg, b_chg, mem, mem + cap, cap, 0, 0, max_cost, 0, budget, false};
    compare(&c, 0, (idx)n, 0, (idx)m, max_cost == 0);
    free(c.fd);
    return c.over ? -2 : 0;
}
