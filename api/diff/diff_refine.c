/* diff_refine.c: word and character refinement of a changed line pair, UTF-8 aware: tokens
 * are interned and diffed with the same Myers core as lines; the result is changed blocks
 * (byte offsets on character boundaries) and, from them, highlight spans for each side. */
#include <stdlib.h>
#include <string.h>

#include "diff_priv.h"

/* Past this many tokens in total the pair is not diffed token by token: the changed middle
 * (after the common prefix and suffix) is one block. Bounds time on 10 MB lines. */
#define REFINE_MAX_TOKENS 200000
/* Past this many tokens the token diff uses the bounded (heuristic) search. */
#define REFINE_MINIMAL_TOKENS 8000
#define REFINE_MAX_COST 256

typedef struct tok {
    size_t off, len;
} tok;

typedef enum { CL_WORD, CL_SPACE, CL_SINGLE } char_class;

static char_class classify(uint32_t cp, bool valid)
{
    if (!valid)
        return CL_SINGLE;
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_')
            return CL_WORD;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v')
            return CL_SPACE;
        return CL_SINGLE;
    }
    if (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A))
        return CL_SPACE;
    /* punctuation blocks, and scripts written without spaces (CJK, kana, hangul): one token
     * per character. This is a word-class rule, not a display width: it is kept apart from
     * pd_cp_width on purpose (punctuation and Latin-1 symbols are narrow yet split apart;
     * a wide character is not always one without spaces around it). */
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x2E80 && cp <= 0x9FFF) ||
        (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
        (cp >= 0x80 && cp <= 0xBF))
        return CL_SINGLE;
    return CL_WORD;
}

static tok *tokenize(const char *s, size_t len, pd_diff_refine mode, size_t *n_out)
{
    size_t cap = 16, n = 0;
    tok *t = pd_xmalloc(cap * sizeof *t);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        bool valid;
        size_t cl = pd_utf8_next(s + i, len - i, &cp, &valid);
        size_t start = i;
        i += cl;
        char_class k = classify(cp, valid);
        if (mode != PD_DIFF_REFINE_CHAR && k != CL_SINGLE) {
            while (i < len) {
                size_t l2 = pd_utf8_next(s + i, len - i, &cp, &valid);
                if (classify(cp, valid) != k)
                    break;
                i += l2;
            }
        }
        if (n == cap) {
            cap *= 2;
            t = pd_xrealloc(t, cap * sizeof *t);
        }
        t[n++] = (tok){start, i - start};
    }
    *n_out = n;
    return t;
}

static void push_block(pd_diff_block **b, size_t *n, size_t *cap, pd_diff_block blk)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *b = pd_xrealloc(*b, *cap * sizeof **b);
    }
    (*b)[(*n)++] = blk;
}

static bool all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Blocks from token marks; a replacement separated from the next one by blanks only is
 * merged with it ("[-a b-]{+c d+}" reads better than "[-a-]{+c+} [-b-]{+d+}"). */
static void marks_to_blocks(const char *a, const tok *ta, const unsigned char *ac, size_t n, const tok *tb,
                            const unsigned char *bc, size_t m, size_t a_len, size_t b_len,
                            pd_diff_block **blocks, size_t *nb)
{
    pd_diff_edit *edits = NULL;
    size_t ne = 0, ecap = 0, bcap = 0;
    pd_diff_marks_to_edits(ac, n, bc, m, &edits, &ne, &ecap);
#define A_OFF(i) ((i) < n ? ta[i].off : a_len)
#define B_OFF(j) ((j) < m ? tb[j].off : b_len)
    for (size_t k = 0; k < ne; k++) {
        const pd_diff_edit *e = &edits[k];
        if (e->op == PD_EDIT_EQUAL)
            continue;
        pd_diff_block blk = {A_OFF(e->a), A_OFF(e->a), B_OFF(e->b), B_OFF(e->b)};
        if (e->op == PD_EDIT_DELETE) {
            blk.a_end = A_OFF(e->a + e->n);
            if (k + 1 < ne && edits[k + 1].op == PD_EDIT_INSERT) {
                k++;
                blk.b_end = B_OFF(edits[k].b + edits[k].n);
            }
        } else {
            blk.b_end = B_OFF(e->b + e->n);
        }
        if (*nb > 0) {
            pd_diff_block *prev = &(*blocks)[*nb - 1];
            bool prev_repl = prev->a_end > prev->a_start && prev->b_end > prev->b_start;
            bool repl = blk.a_end > blk.a_start && blk.b_end > blk.b_start;
            if (prev_repl && repl && all_space(a + prev->a_end, blk.a_start - prev->a_end)) {
                prev->a_end = blk.a_end;
                prev->b_end = blk.b_end;
                continue;
            }
        }
        push_block(blocks, nb, &bcap, blk);
    }
#undef A_OFF
#undef B_OFF
    free(edits);
}

static bool tok_eq(const char *a, const tok *x, const char *b, const tok *y)
{
    return x->len == y->len && memcmp(a + x->off, b + y->off, x->len) == 0;
}

/* Marks the changed tokens of the middles (after the common prefix and suffix, compared by
 * bytes so that a 10 MB line is not interned when its middle is too big to diff). */
static void diff_tokens(const char *a, const tok *ta, size_t n, const char *b, const tok *tb, size_t m,
                        unsigned char *ac, unsigned char *bc)
{
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && tok_eq(a, &ta[pre], b, &tb[pre]))
        pre++;
    while (suf < n - pre && suf < m - pre && tok_eq(a, &ta[n - 1 - suf], b, &tb[m - 1 - suf]))
        suf++;
    size_t mn = n - pre - suf, mm = m - pre - suf;
    if (mn + mm > REFINE_MAX_TOKENS) {
        memset(ac + pre, 1, mn);
        memset(bc + pre, 1, mm);
        return;
    }
    pd_diff_interner in;
    pd_diff_interner_init(&in, mn + mm);
    uint32_t *ia = pd_xmalloc((mn + mm + 1) * sizeof *ia), *ib = ia + mn;
    for (size_t i = 0; i < mn; i++)
        ia[i] = pd_diff_intern(&in, a + ta[pre + i].off, ta[pre + i].len);
    for (size_t j = 0; j < mm; j++)
        ib[j] = pd_diff_intern(&in, b + tb[pre + j].off, tb[pre + j].len);
    pd_diff_interner_free(&in);
    size_t cost = mn + mm > REFINE_MINIMAL_TOKENS ? REFINE_MAX_COST : 0;
    pd_diff_seqs seqs = {ia, ib, NULL, NULL};
    if (pd_diff_seq(&seqs, mn, mm, ac + pre, bc + pre, cost, 0) != 0) {
        memset(ac + pre, 1, mn);
        memset(bc + pre, 1, mm);
    }
    free(ia);
}

void pd_diff_refine_blocks(const char *a, size_t a_len, const char *b, size_t b_len, pd_diff_refine mode,
                           pd_diff_block **blocks, size_t *nb)
{
    *blocks = NULL;
    *nb = 0;
    if (mode == PD_DIFF_REFINE_NONE)
        mode = PD_DIFF_REFINE_WORD;
    size_t n, m;
    tok *ta = tokenize(a, a_len, mode, &n), *tb = tokenize(b, b_len, mode, &m);
    unsigned char *ac = pd_xcalloc(n + 1, 1), *bc = pd_xcalloc(m + 1, 1);
    diff_tokens(a, ta, n, b, tb, m, ac, bc);
    marks_to_blocks(a, ta, ac, n, tb, bc, m, a_len, b_len, blocks, nb);
    free(ac);
    free(bc);
    free(ta);
    free(tb);
}

int pd_diff_refine_pair(const char *a, size_t a_len, const char *b, size_t b_len, pd_diff_refine mode,
                        pd_diff_span **a_spans, size_t *n_a, pd_diff_span **b_spans, size_t *n_b,
                        pd_error *err)
{
    (void)err;
    pd_diff_block *blocks;
    size_t nb;
    pd_diff_refine_blocks(a ? a : "", a ? a_len : 0, b ? b : "", b ? b_len : 0, mode, &blocks, &nb);
    *a_spans = pd_xmalloc((nb + 1) * sizeof **a_spans);
    *b_spans = pd_xmalloc((nb + 1) * sizeof **b_spans);
    *n_a = *n_b = 0;
    for (size_t k = 0; k < nb; k++) {
        if (blocks[k].a_end > blocks[k].a_start)
            (*a_spans)[(*n_a)++] = (pd_diff_span){blocks[k].a_start, blocks[k].a_end};
        if (blocks[k].b_end > blocks[k].b_start)
            (*b_spans)[(*n_b)++] = (pd_diff_span){blocks[k].b_start, blocks[k].b_end};
    }
    free(blocks);
    return 0;
}
