/* diff_core.h: internal pieces shared by the diff engine's files (not for other modules). */
#ifndef PD_MODULE_diff
#error "diff/diff_priv.h is private to the diff module: include diff/diff.h"
#endif
#ifndef PD_DIFF_CORE_H
#define PD_DIFF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diff.h"

/* Two sequences as the Myers core sees them: interned ids (equal iff the ids are), or the
 * 64-bit hashes of lines, which spares interning when the texts are close; a script found on
 * hashes is then checked line by line against the bytes (see diff_lines.c). */
typedef struct pd_diff_seqs {
    const uint32_t *a_ids, *b_ids;     /* when set */
    const uint64_t *a_hash, *b_hash;   /* otherwise */
} pd_diff_seqs;

static inline bool pd_diff_seqs_eq(const pd_diff_seqs *s, size_t x, size_t y)
{
    return s->a_ids ? s->a_ids[x] == s->b_ids[y] : s->a_hash[x] == s->b_hash[y];
}

/* Line i of la and line j of lb have the same bytes. */
static inline bool pd_diff_lines_same(const pd_diff_lines *la, size_t i, const pd_diff_lines *lb, size_t j)
{
    size_t len = la->off[i + 1] - la->off[i];
    return len == lb->off[j + 1] - lb->off[j] && memcmp(la->data + la->off[i], lb->data + lb->off[j], len) == 0;
}

/* Marks a shortest edit script between a[0..n) and b[0..m) of s: a_chg[i] = 1 when a[i] is
 * deleted, b_chg[j] = 1 when b[j] is inserted (both arrays zeroed by the caller). Minimal when
 * max_cost == 0; otherwise each split gives up after max_cost steps and takes the furthest
 * point reached (bounded time, maybe longer script). budget (0 = none) bounds the total
 * number of diagonal steps. Returns 0, -1 when the sizes overflow, -2 when over budget (the
 * marks are then incomplete). */
int pd_diff_seq(const pd_diff_seqs *s, size_t n, size_t m, unsigned char *a_chg, unsigned char *b_chg,
                size_t max_cost, uint64_t budget);

/* A minimal script of the hashed lines ha[0..n) vs hb[0..m), marked as pd_diff_seq does.
 * The plain search costs about D * D / 2 steps for D edits; when that passes plain_budget, the
 * lines whose hash the other side lacks are marked changed and kept out of the search (such a
 * line is a change in every script, so the script stays minimal; a filter finds them and may
 * keep a few in). Which of several minimal scripts comes out may then differ from the plain
 * search's (diff --minimal's). ha and hb are reordered meanwhile and given back as they were.
 * Returns as pd_diff_seq (budget bounds each search). */
int pd_diff_seq_hashed(uint64_t *ha, size_t n, uint64_t *hb, size_t m, unsigned char *a_chg, unsigned char *b_chg,
                       uint64_t plain_budget, uint64_t budget);

/* The lengths of the common prefix and (then) the common suffix of a[0..n) and b[0..m). */
void pd_diff_trim(const pd_diff_seqs *s, size_t n, size_t m, size_t *pre, size_t *suf);

/* Slides each run of changes in the lines l (hashes h) over equal neighbours as GNU diff
 * does (up as far as it goes, then down, then back to line up with a change in the other
 * text), so that output reads like diff(1)'s. Keeps the script's length. chg[-1], chg[n],
 * other_chg[-1] and other_chg[other_n] must exist and be 0 (sentinels). */
void pd_diff_shift_runs(const pd_diff_lines *l, const uint64_t *h, unsigned char *chg,
                        const unsigned char *other_chg);

/* Interns byte strings as small integers: equal strings get equal ids (0, 1, 2 ...). A slot
 * keeps the full hash next to the id so most probes touch one cache line. */
typedef struct pd_diff_slot {
    uint32_t hash;             /* high half of the 64-bit hash (the low bits pick the slot) */
    uint32_t id1;              /* id + 1, 0 = empty */
} pd_diff_slot;
typedef struct pd_diff_interner {
    pd_diff_slot *slots;
    size_t cap;                /* power of two */
    const char **str;          /* per id */
    size_t *len;
    uint64_t *hash;            /* per id, for growing */
    size_t n_ids, ids_cap;
} pd_diff_interner;

void pd_diff_interner_init(pd_diff_interner *in, size_t expected);
uint32_t pd_diff_intern(pd_diff_interner *in, const char *s, size_t len);
/* The same with h = pd_diff_hash(s, len) computed by the caller, who may have called
 * pd_diff_intern_prefetch(in, h) some calls earlier to hide the cache miss. */
uint32_t pd_diff_intern_hashed(pd_diff_interner *in, const char *s, size_t len, uint64_t h);
void pd_diff_intern_prefetch(const pd_diff_interner *in, uint64_t h);
void pd_diff_interner_free(pd_diff_interner *in);
uint64_t pd_diff_hash(const char *s, size_t len);

/* The changed blocks of a refined line pair: a[a_start..a_end) became b[b_start..b_end) (one
 * side may be empty). Sorted; the text between blocks is equal on both sides. */
typedef struct pd_diff_block {
    size_t a_start, a_end, b_start, b_end;
} pd_diff_block;
/* Refines a line pair into blocks (byte offsets, on character boundaries). Caller frees. */
void pd_diff_refine_blocks(const char *a, size_t a_len, const char *b, size_t b_len, pd_diff_refine mode,
                           pd_diff_block **blocks, size_t *n);

/* Turns change marks into EQUAL/DELETE/INSERT runs (appended to *edits, growing *cap). */
void pd_diff_marks_to_edits(const unsigned char *a_chg, size_t n, const unsigned char *b_chg, size_t m,
                            pd_diff_edit **edits, size_t *n_edits, size_t *cap);

/* Appends "@@ -l,n +l,n @@\n" for h, numbered as diff -u does. */
void pd_diff_put_hunk_header(pd_buf *out, const pd_diff_hunk *h);

#endif
