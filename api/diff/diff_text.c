/* diff_text.c: text output of a diff: unified format (as diff -u, applied by patch), the
 * inline word format ([-old-]{+new+}). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_priv.h"
#include "base/base.h"

static void put_text(pd_buf *out, const char *s, size_t n, bool sanitize)
{
    if (sanitize)
        pd_text_sanitize(out, s, n, false);
    else
        pd_buf_append(out, s, n);
}

/* One line of side a (0) or b (1) with its prefix, newline and no-newline marker. */
static void put_line(pd_buf *out, const pd_diff_lines *l, size_t i, char prefix, bool sanitize)
{
    if (prefix)
        pd_buf_putc(out, prefix);
    put_text(out, pd_diff_line(l, i), pd_diff_line_len(l, i), sanitize);
    pd_buf_putc(out, '\n');
    if (i + 1 == l->n && l->no_newline_at_end)
        pd_buf_puts(out, "\\ No newline at end of file\n");
}

static void put_range(pd_buf *out, size_t start, size_t count)
{
    if (count == 0)
        pd_buf_printf(out, "%zu,0", start);
    else if (count == 1)
        pd_buf_printf(out, "%zu", start + 1);
    else
        pd_buf_printf(out, "%zu,%zu", start + 1, count);
}

void pd_diff_put_hunk_header(pd_buf *out, const pd_diff_hunk *h)
{
    pd_buf_puts(out, "@@ -");
    put_range(out, h->a_start, h->a_count);
    pd_buf_puts(out, " +");
    put_range(out, h->b_start, h->b_count);
    pd_buf_puts(out, " @@\n");
}

static void put_labels(pd_buf *out, const char *label_a, const char *label_b)
{
    pd_buf_puts(out, "--- ");
    pd_text_sanitize(out, label_a ? label_a : "a", strlen(label_a ? label_a : "a"), false);
    pd_buf_puts(out, "\n+++ ");
    pd_text_sanitize(out, label_b ? label_b : "b", strlen(label_b ? label_b : "b"), false);
    pd_buf_putc(out, '\n');
}

/* The part of equal run e inside hunk h: [*from, *to) as offsets into the run. */
static void clip_equal(const pd_diff_edit *e, const pd_diff_hunk *h, size_t *from, size_t *to)
{
    size_t lo = h->a_start > e->a ? h->a_start - e->a : 0;
    size_t hi_a = h->a_start + h->a_count;
    size_t hi = hi_a < e->a + e->n ? hi_a - e->a : e->n;
    *from = lo;
    *to = hi > lo ? hi : lo;
}

typedef void (*change_fn)(pd_buf *out, const pd_diff *d, const pd_diff_edit *del, const pd_diff_edit *ins,
                          bool sanitize);

/* Writes the hunks: headers, clipped equal runs with eq_prefix, change blocks through fn. */
static int write_hunks(const pd_diff *d, const char *label_a, const char *label_b, int context, bool sanitize,
                       char eq_prefix, change_fn fn, pd_buf *out, pd_error *err)
{
    if (context < 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "diff: context must be 0 or more, not %d", context);
    pd_diff_hunk *hunks;
    size_t nh;
    if (pd_diff_hunks(d, context, &hunks, &nh, err) != 0)
        return -1;
    if (nh)
        put_labels(out, label_a, label_b);
    for (size_t k = 0; k < nh; k++) {
        const pd_diff_hunk *h = &hunks[k];
        pd_diff_put_hunk_header(out, h);
        for (size_t x = h->edit_start; x < h->edit_start + h->edit_count; x++) {
            const pd_diff_edit *e = &d->edits[x];
            if (e->op == PD_EDIT_EQUAL) {
                size_t from, to;
                clip_equal(e, h, &from, &to);
                for (size_t i = from; i < to; i++)
                    put_line(out, &d->a, e->a + i, eq_prefix, sanitize);
            } else if (e->op == PD_EDIT_DELETE && x + 1 < h->edit_start + h->edit_count &&
                       d->edits[x + 1].op == PD_EDIT_INSERT) {
                fn(out, d, e, &d->edits[x + 1], sanitize);
                x++;
            } else {
                fn(out, d, e->op == PD_EDIT_DELETE ? e : NULL, e->op == PD_EDIT_INSERT ? e : NULL, sanitize);
            }
        }
    }
    free(hunks);
    return 0;
}

static void unified_change(pd_buf *out, const pd_diff *d, const pd_diff_edit *del, const pd_diff_edit *ins,
                           bool sanitize)
{
    for (size_t i = 0; del && i < del->n; i++)
        put_line(out, &d->a, del->a + i, '-', sanitize);
    for (size_t i = 0; ins && i < ins->n; i++)
        put_line(out, &d->b, ins->b + i, '+', sanitize);
}

int pd_diff_write_unified(const pd_diff *d, const char *label_a, const char *label_b, int context,
                          bool sanitize, pd_buf *out, pd_error *err)
{
    return write_hunks(d, label_a, label_b, context, sanitize, ' ', unified_change, out, err);
}

static void put_marked(pd_buf *out, const char *open, const char *s, size_t n, const char *close)
{
    if (n == 0)
        return;
    pd_buf_puts(out, open);
    pd_text_sanitize(out, s, n, false);
    pd_buf_puts(out, close);
}

/* A changed line pair as one line: equal text plain, changes as [-old-]{+new+}. */
static void put_word_line(pd_buf *out, const pd_diff *d, size_t ai, size_t bi)
{
    const char *a = pd_diff_line(&d->a, ai), *b = pd_diff_line(&d->b, bi);
    size_t al = pd_diff_line_len(&d->a, ai), bl = pd_diff_line_len(&d->b, bi);
    pd_diff_block *blocks;
    size_t nb, pos = 0;
    pd_diff_refine_blocks(a, al, b, bl, d->opts.refine, &blocks, &nb);
    for (size_t k = 0; k < nb; k++) {
        pd_text_sanitize(out, a + pos, blocks[k].a_start - pos, false);
        put_marked(out, "[-", a + blocks[k].a_start, blocks[k].a_end - blocks[k].a_start, "-]");
        put_marked(out, "{+", b + blocks[k].b_start, blocks[k].b_end - blocks[k].b_start, "+}");
        pos = blocks[k].a_end;
    }
    pd_text_sanitize(out, a + pos, al - pos, false);
    pd_buf_putc(out, '\n');
    free(blocks);
}

static void words_change(pd_buf *out, const pd_diff *d, const pd_diff_edit *del, const pd_diff_edit *ins,
                         bool sanitize)
{
    (void)sanitize;
    size_t nd = del ? del->n : 0, ni = ins ? ins->n : 0;
    for (size_t i = 0; i < nd || i < ni; i++) {
        if (i < nd && i < ni) {
            put_word_line(out, d, del->a + i, ins->b + i);
        } else if (i < nd) {
            put_marked(out, "[-", pd_diff_line(&d->a, del->a + i), pd_diff_line_len(&d->a, del->a + i), "-]");
            pd_buf_putc(out, '\n');
        } else {
            put_marked(out, "{+", pd_diff_line(&d->b, ins->b + i), pd_diff_line_len(&d->b, ins->b + i), "+}");
            pd_buf_putc(out, '\n');
        }
    }
}

int pd_diff_write_words(const pd_diff *d, const char *label_a, const char *label_b, int context,
                        pd_buf *out, pd_error *err)
{
    return write_hunks(d, label_a, label_b, context, true, 0, words_change, out, err);
}
