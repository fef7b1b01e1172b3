/* fuzz_diff.c: libFuzzer target for the diff engine: splits the input in two texts, diffs them
 * and checks the invariants (the script turns A into B, counts agree, hunks/rows/spans stay in
 * bounds and on character boundaries) and that every output format is produced. */
#define PD_MODULE_diff /* white-box: opens diff/ private headers */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "diff/diff_priv.h"

#define REQUIRE(c)         \
    do {                   \
        if (!(c))          \
            abort();       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_script(const pd_diff *d, const char *b, size_t b_len)
{
    pd_buf out = PD_BUF_INIT;
    size_t ai = 0, bi = 0, del = 0, ins = 0;
    for (size_t k = 0; k < d->n_edits; k++) {
        const pd_diff_edit *e = &d->edits[k];
        REQUIRE(e->n > 0 && e->a == ai && e->b == bi);
        REQUIRE(k == 0 || d->edits[k - 1].op != e->op);
        if (e->op == PD_EDIT_EQUAL) {
            REQUIRE(ai + e->n <= d->a.n && bi + e->n <= d->b.n);
            for (size_t i = 0; i < e->n; i++) {
                size_t la = d->a.off[ai + i + 1] - d->a.off[ai + i];
                REQUIRE(la == d->b.off[bi + i + 1] - d->b.off[bi + i]);
                REQUIRE(memcmp(d->a.data + d->a.off[ai + i], d->b.data + d->b.off[bi + i], la) == 0);
            }
            pd_buf_append(&out, d->a.data + d->a.off[ai], d->a.off[ai + e->n] - d->a.off[ai]);
            ai += e->n;
            bi += e->n;
        } else if (e->op == PD_EDIT_DELETE) {
            ai += e->n;
            del += e->n;
        } else {
            pd_buf_append(&out, d->b.data + d->b.off[bi], d->b.off[bi + e->n] - d->b.off[bi]);
            bi += e->n;
            ins += e->n;
        }
    }
    REQUIRE(ai == d->a.n && bi == d->b.n && del == d->n_deleted && ins == d->n_inserted);
    REQUIRE(out.len == b_len && (b_len == 0 || memcmp(out.data, b, b_len) == 0));
    pd_buf_free(&out);
}

/* Spans sorted, disjoint, non-empty, inside the line, on character boundaries. */
static void check_spans(const char *line, size_t len, const pd_diff_span *s, size_t n)
{
    unsigned char *boundary = calloc(len + 1, 1);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        boundary[i] = 1;
        i += pd_utf8_next(line + i, len - i, &cp, NULL);
    }
    boundary[len] = 1;
    for (size_t k = 0; k < n; k++) {
        REQUIRE(s[k].start < s[k].end && s[k].end <= len);
        REQUIRE(k == 0 || s[k - 1].end <= s[k].start);
        REQUIRE(boundary[s[k].start] && boundary[s[k].end]);
    }
    free(boundary);
}

static void check_rows(const pd_diff *d, const pd_diff_sbs *s)
{
    long next_l = 0, next_r = 0;
    for (size_t r = 0; r < s->n_rows; r++) {
        const pd_diff_row *row = &s->rows[r];
        REQUIRE(row->left == -1 || row->left == next_l);
        REQUIRE(row->right == -1 || row->right == next_r);
        REQUIRE(row->left != -1 || row->right != -1);
        REQUIRE((row->kind == PD_ROW_INSERTED) == (row->left == -1));
        REQUIRE((row->kind == PD_ROW_DELETED) == (row->right == -1));
        if (row->left != -1)
            next_l++;
        if (row->right != -1)
            next_r++;
        if (row->kind == PD_ROW_CHANGED) {
            check_spans(pd_diff_line(&d->a, (size_t)row->left), pd_diff_line_len(&d->a, (size_t)row->left),
                        row->left_spans, row->n_left_spans);
            check_spans(pd_diff_line(&d->b, (size_t)row->right), pd_diff_line_len(&d->b, (size_t)row->right),
                        row->right_spans, row->n_right_spans);
        } else {
            REQUIRE(row->n_left_spans == 0 && row->n_right_spans == 0);
        }
    }
    REQUIRE((size_t)next_l == d->a.n && (size_t)next_r == d->b.n);
    for (size_t h = 0; h < s->n_hunks; h++) {
        const pd_diff_hunk *k = &s->hunks[h];
        REQUIRE(k->a_start + k->a_count <= d->a.n && k->b_start + k->b_count <= d->b.n);
        REQUIRE(k->row_start + k->row_count <= s->n_rows && k->row_count > 0);
        REQUIRE(k->edit_start + k->edit_count <= d->n_edits);
        REQUIRE(h == 0 || s->hunks[h - 1].row_start + s->hunks[h - 1].row_count <= k->row_start);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    uint8_t flags = data[0];
    size_t split = ((size_t)data[1] << 8 | data[2]) % (size - 3 + 1);
    const char *a = (const char *)data + 3, *b = a + split;
    size_t a_len = split, b_len = size - 3 - split;
    pd_diff_options o = PD_DIFF_OPTIONS_INIT;
    o.heuristic = (flags & 1) || size > 8192;
    o.refine = (flags & 2) ? PD_DIFF_REFINE_CHAR : PD_DIFF_REFINE_WORD;
    int context = (flags >> 2) & 7;
    pd_diff *d = NULL;
    pd_error err = {0};
    REQUIRE(pd_diff_texts(a, a_len, b, b_len, &o, &d, &err) == 0);
    check_script(d, b, b_len);
    REQUIRE(pd_diff_equal(d) == (a_len == b_len && memcmp(a, b, a_len) == 0));
    pd_diff_sbs *s = NULL;
    REQUIRE(pd_diff_side_by_side(d, (flags & 32) ? -1 : context, &s, &err) == 0);
    check_rows(d, s);
    pd_diff_sbs_free(s);
    pd_buf out = PD_BUF_INIT;
    REQUIRE(pd_diff_write_unified(d, "a", "b", context, (flags & 64) != 0, &out, &err) == 0);
    REQUIRE((out.len == 0) == pd_diff_equal(d));
    pd_buf_reset(&out);
    REQUIRE(pd_diff_write_words(d, "a", "b", context, &out, &err) == 0);
    pd_buf_reset(&out);
    REQUIRE(pd_diff_write_side_by_side(d, 7 + flags % 90, (flags & 128) ? -1 : context, &out, &err) == 0);
    for (size_t i = 0; i < out.len; i++)
        REQUIRE((unsigned char)out.data[i] >= 0x20 || out.data[i] == '\n' || out.data[i] == '\t');
    pd_buf_free(&out);
    pd_diff_free(d);
    return 0;
}
