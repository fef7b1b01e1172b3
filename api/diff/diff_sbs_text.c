/* diff_sbs_text.c: side-by-side diff as plain text in two columns for a terminal (like
 * diff -y): escapes control characters, expands tabs, measures wide characters, cuts to fit. */
#include <stdlib.h>

#include "diff_priv.h"
#include "base/base.h"

/* Appends s (already sanitized) cut/padded to exactly `width` cells. */
static void put_cell(pd_buf *out, const char *s, size_t n, size_t width, bool pad)
{
    size_t col = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = pd_utf8_next(s + i, n - i, &cp, NULL);
        if (cp == '\t') {
            /* tab stops every 8 columns, as in the output of diff -y (plain text for any
             * terminal or file, not the app's PD_TAB_WIDTH) */
            size_t next = (col / 8 + 1) * 8;
            if (next > width)
                next = width;
            while (col < next) {
                pd_buf_putc(out, ' ');
                col++;
            }
            i += len;
            if (col >= width)
                break;
            continue;
        }
        int w = pd_cp_width(cp);
        if (w < 0)
            w = 1;   /* already sanitized: nothing is hidden; count what is left as one */
        if (col + (size_t)w > width)
            break;
        pd_buf_append(out, s + i, len);
        col += (size_t)w;
        i += len;
    }
    while (pad && col < width) {
        pd_buf_putc(out, ' ');
        col++;
    }
}

static void put_side(pd_buf *out, pd_buf *tmp, const pd_diff_lines *l, long line, size_t width, bool pad)
{
    pd_buf_reset(tmp);
    if (line >= 0)
        pd_text_sanitize(tmp, pd_diff_line(l, (size_t)line), pd_diff_line_len(l, (size_t)line), false);
    put_cell(out, pd_buf_str(tmp), tmp->len, width, pad);
}

static void put_row(pd_buf *out, pd_buf *tmp, const pd_diff *d, const pd_diff_row *r, size_t col)
{
    static const char *const gutter[] = {"   ", " | ", " < ", " > "};
    put_side(out, tmp, &d->a, r->left, col, true);
    pd_buf_puts(out, gutter[r->kind]);
    put_side(out, tmp, &d->b, r->right, col, false);
    while (out->len > 0 && out->data[out->len - 1] == ' ')
        out->len--;
    out->data[out->len] = '\0';
    pd_buf_putc(out, '\n');
}

int pd_diff_write_side_by_side(const pd_diff *d, int width, int context, pd_buf *out, pd_error *err)
{
    if (width < 7 || width > 100000)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "diff: width must be 7 to 100000 columns, not %d", width);
    pd_diff plain = *d;   /* rows without refinement: plain text shows no spans */
    plain.opts.refine = PD_DIFF_REFINE_NONE;
    pd_diff_sbs *s;
    if (pd_diff_side_by_side(&plain, context, &s, err) != 0)
        return -1;
    size_t col = ((size_t)width - 3) / 2;
    pd_buf tmp = PD_BUF_INIT;
    if (context < 0) {
        for (size_t r = 0; r < s->n_rows; r++)
            put_row(out, &tmp, d, &s->rows[r], col);
    } else {
        for (size_t k = 0; k < s->n_hunks; k++) {
            const pd_diff_hunk *h = &s->hunks[k];
            pd_diff_put_hunk_header(out, h);
            for (size_t r = h->row_start; r < h->row_start + h->row_count; r++)
                put_row(out, &tmp, d, &s->rows[r], col);
        }
    }
    pd_buf_free(&tmp);
    pd_diff_sbs_free(s);
    return 0;
}
