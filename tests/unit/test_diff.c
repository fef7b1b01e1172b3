/* test_diff.c: the diff engine: edit counts as diff --minimal, unified text as GNU diff -u,
 * UTF-8 word/char refinement, side-by-side alignment, hunks, version text. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/diff.h"
#include "t.h"
#include "base/base.h"

static pd_diff *diff_of(const char *a, const char *b)
{
    pd_diff *d = NULL;
    pd_error err = {0};
    if (pd_diff_texts(a, strlen(a), b, strlen(b), NULL, &d, &err) != 0)
        printf("#   diff failed: %s\n", err.msg);
    return d;
}

static char *unified(const char *a, const char *b, int context)
{
    pd_diff *d = diff_of(a, b);
    pd_buf out = PD_BUF_INIT;
    pd_error err = {0};
    pd_diff_write_unified(d, "a", "b", context, false, &out, &err);
    pd_diff_free(d);
    return pd_buf_take(&out);
}

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(s, 1, n, f);
    fclose(f);
}

/* Runs a shell command, returns its stdout. */
static char *run_cmd(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    pd_buf out = PD_BUF_INIT;
    char chunk[4096];
    size_t n;
    while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
        pd_buf_append(&out, chunk, n);
    if (p)
        pclose(p);
    return pd_buf_take(&out);
}

static char tmpdir[] = "/tmp/pd-test-diff.XXXXXX";

/* GNU diff -U context with labels a and b, on the two texts. */
static char *gnu_unified(const char *a, const char *b, int context)
{
    char pa[64], pb[64], cmd[256];
    snprintf(pa, sizeof pa, "%s/a", tmpdir);
    snprintf(pb, sizeof pb, "%s/b", tmpdir);
    write_file(pa, a, strlen(a));
    write_file(pb, b, strlen(b));
    snprintf(cmd, sizeof cmd, "diff -U%d --label a --label b %s %s", context, pa, pb);
    return run_cmd(cmd);
}

static void test_empty_and_identical(void)
{
    pd_diff *d = diff_of("", "");
    CHECK(d && pd_diff_equal(d));
    CHECK_INT(d->n_edits, 0);
    pd_diff_free(d);
    d = diff_of("same\ntext\n", "same\ntext\n");
    CHECK(pd_diff_equal(d));
    CHECK_INT(d->n_edits, 1);
    CHECK_INT(d->edits[0].op, PD_EDIT_EQUAL);
    CHECK_INT(d->edits[0].n, 2);
    pd_diff_free(d);
    char *u = unified("x\n", "x\n", 3);
    CHECK_STR(u, "");
    free(u);
    u = unified("", "a\n", 3);
    CHECK_STR(u, "--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n");
    free(u);
    u = unified("a\nb\n", "", 3);
    CHECK_STR(u, "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n");
    free(u);
}

static void test_no_newline_at_end(void)
{
    pd_diff *d = diff_of("a\nb", "a\nb\n");
    CHECK_INT(d->n_deleted, 1);
    CHECK_INT(d->n_inserted, 1);
    CHECK(d->a.no_newline_at_end);
    CHECK(!d->b.no_newline_at_end);
    CHECK_INT(pd_diff_line_len(&d->a, 1), 1);
    CHECK_INT(pd_diff_line_len(&d->b, 1), 1);
    pd_diff_free(d);
    char *u = unified("a\nb", "a\nc", 3);
    CHECK_STR(u, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
                 "\\ No newline at end of file\n");
    free(u);
}

static void test_all_different(void)
{
    pd_diff *d = diff_of("a\nb\nc\n", "x\ny\n");
    CHECK_INT(d->n_deleted, 3);
    CHECK_INT(d->n_inserted, 2);
    CHECK_INT(d->n_edits, 2);
    CHECK_INT(d->edits[0].op, PD_EDIT_DELETE);
    CHECK_INT(d->edits[1].op, PD_EDIT_INSERT);
    pd_diff_free(d);
}

/* pd_diff_texts_take keeps the caller's texts (no copy) and gives what pd_diff_texts gives;
 * it frees them when it fails (ASan's leak check holds it to that under make check). */
static void test_take_texts(void)
{
    const char *a = "one\ntwo\nthree", *b = "one\n2\nthree\nfour\n";
    char *ta = pd_strdup(a), *tb = pd_strdup(b);
    pd_diff *d = NULL, *want = diff_of(a, b);
    pd_error err = {0};
    CHECK(pd_diff_texts_take(ta, strlen(a), tb, strlen(b), NULL, &d, &err) == 0);
    CHECK(d && d->a.data == ta && d->b.data == tb);
    if (d && want) {
        CHECK_INT(d->n_edits, want->n_edits);
        CHECK_INT(d->n_deleted, want->n_deleted);
        CHECK_INT(d->n_inserted, want->n_inserted);
        CHECK(d->a.no_newline_at_end && !d->b.no_newline_at_end);
        pd_buf u1 = PD_BUF_INIT, u2 = PD_BUF_INIT;
        pd_diff_write_unified(d, "a", "b", 3, false, &u1, &err);
        pd_diff_write_unified(want, "a", "b", 3, false, &u2, &err);
        CHECK_STR(pd_buf_str(&u1), pd_buf_str(&u2));
        pd_buf_free(&u1);
        pd_buf_free(&u2);
    }
    pd_diff_free(d);
    pd_diff_free(want);
    CHECK(pd_diff_texts_take(NULL, 0, pd_strdup("x\n"), 2, NULL, &d, &err) == 0);
    CHECK(d && d->n_inserted == 1 && d->a.n == 0);
    pd_diff_free(d);
    CHECK(pd_diff_texts_take(NULL, 3, pd_strdup("x\n"), 2, NULL, &d, &err) != 0 && !d);
}

/* Small inputs whose output GNU diff prints exactly so (hunk merging, context, ranges). */
static void test_unified_matches_gnu(void)
{
    static const char *const cases[][2] = {
        {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
         "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\nnineteen\n20\n"},
        {"1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\nX\n4\n5\n6\n7\n8\nY\n"},
        {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n"},
        {"a\nb\nc\n", "a\nc"},
        {"fn\n{\n  x;\n}\n", "fn\n{\n  x;\n}\n\nfn2\n{\n  y;\n}\n"},
        {"a\nb\nc\nd\ne\nf\n", "b\nc\nd\ne\n"},
        {"", "x\ny"},
        {"x\ny", ""},
        {"one\ntwo\nthree\n", "zero\none\nthree\nfour\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int ctx = 0; ctx <= 3; ctx++) {
            char *mine = unified(cases[i][0], cases[i][1], ctx);
            char *gnu = gnu_unified(cases[i][0], cases[i][1], ctx);
            if (strcmp(mine, gnu) != 0)
                printf("#   case %zu, context %d\n", i, ctx);
            CHECK_STR(mine, gnu);
            free(mine);
            free(gnu);
        }
    }
}

/* Applies the edit script to A and checks it gives B; checks counts. */
static void check_script(const pd_diff *d, const char *b, size_t b_len)
{
    pd_buf out = PD_BUF_INIT;
    size_t del = 0, ins = 0, ai = 0, bi = 0;
    for (size_t k = 0; k < d->n_edits; k++) {
        const pd_diff_edit *e = &d->edits[k];
        CHECK(e->n > 0);
        CHECK(e->a == ai && e->b == bi);
        if (e->op == PD_EDIT_EQUAL) {
            pd_buf_append(&out, d->a.data + d->a.off[e->a], d->a.off[e->a + e->n] - d->a.off[e->a]);
            ai += e->n;
            bi += e->n;
        } else if (e->op == PD_EDIT_DELETE) {
            del += e->n;
            ai += e->n;
        } else {
            pd_buf_append(&out, d->b.data + d->b.off[e->b], d->b.off[e->b + e->n] - d->b.off[e->b]);
            ins += e->n;
            bi += e->n;
        }
    }
    CHECK(ai == d->a.n && bi == d->b.n);
    CHECK_INT(del, d->n_deleted);
    CHECK_INT(ins, d->n_inserted);
    CHECK(out.len == b_len && (b_len == 0 || memcmp(out.data, b, b_len) == 0));
    pd_buf_free(&out);
}

/* Counts of '<' and '>' lines in `diff --minimal` (normal format). */
static void gnu_counts(const char *a, const char *b, size_t *del, size_t *ins)
{
    char pa[64], pb[64], cmd[256];
    snprintf(pa, sizeof pa, "%s/a", tmpdir);
    snprintf(pb, sizeof pb, "%s/b", tmpdir);
    write_file(pa, a, strlen(a));
    write_file(pb, b, strlen(b));
    snprintf(cmd, sizeof cmd, "diff --minimal %s %s", pa, pb);
    char *out = run_cmd(cmd);
    *del = *ins = 0;
    for (const char *p = out; *p;) {
        if (p[0] == '<' && p[1] == ' ')
            (*del)++;
        else if (p[0] == '>' && p[1] == ' ')
            (*ins)++;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    free(out);
}

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void random_text(pd_buf *b, unsigned lines, unsigned alphabet)
{
    for (unsigned i = 0; i < lines; i++)
        pd_buf_printf(b, "%u\n", rnd(alphabet));
}

/* A mutated copy of a: deletions, insertions, replacements; maybe no newline at the end. */
static void mutate(const pd_buf *a, pd_buf *b, unsigned alphabet)
{
    const char *p = pd_buf_str(a);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        unsigned r = rnd(10);
        if (r == 0)
            pd_buf_printf(b, "%u\n", rnd(alphabet + 3));
        if (r != 1)
            pd_buf_append(b, p, len);
        p += len;
    }
    if (b->len && rnd(5) == 0)
        b->data[--b->len] = '\0';
}

static void test_random_against_gnu(void)
{
    for (int it = 0; it < 300; it++) {
        pd_buf a = PD_BUF_INIT, b = PD_BUF_INIT;
        unsigned alphabet = 2 + rnd(20);
        random_text(&a, rnd(80), alphabet);
        if (rnd(2))
            mutate(&a, &b, alphabet);
        else
            random_text(&b, rnd(80), alphabet);
        pd_diff *d = diff_of(pd_buf_str(&a), pd_buf_str(&b));
        size_t del, ins;
        gnu_counts(pd_buf_str(&a), pd_buf_str(&b), &del, &ins);
        if (d->n_deleted + d->n_inserted != del + ins)
            printf("#   iteration %d: %zu+%zu vs GNU %zu+%zu\n", it, d->n_deleted, d->n_inserted, del, ins);
        CHECK_INT(d->n_deleted + d->n_inserted, del + ins);
        check_script(d, pd_buf_str(&b), b.len);
        pd_diff_free(d);
        pd_buf_free(&a);
        pd_buf_free(&b);
    }
}

/* Two unrelated 3000-line texts over a 3-line alphabet: a hard case for the minimal search. */
static void hard_pair(pd_buf *a, pd_buf *b)
{
    random_text(a, 3000, 3);
    random_text(b, 3000, 3);
}

static void test_heuristic_and_work_bound(void)
{
    pd_buf a = PD_BUF_INIT, b = PD_BUF_INIT;
    hard_pair(&a, &b);
    pd_diff_options o = PD_DIFF_OPTIONS_INIT;
    o.heuristic = true;
    pd_diff *d = NULL;
    pd_error err = {0};
    CHECK(pd_diff_texts(a.data, a.len, b.data, b.len, &o, &d, &err) == 0);
    check_script(d, b.data, b.len);
    pd_diff_free(d);
    /* a bound on the minimal search gives a clear LIMIT error instead of a long wait */
    o.heuristic = false;
    o.max_work = 1000;
    CHECK(pd_diff_texts(a.data, a.len, b.data, b.len, &o, &d, &err) != 0);
    CHECK(d == NULL);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK(strstr(err.msg, "--heuristic") != NULL);
    o.max_work = ULLONG_MAX;
    CHECK(pd_diff_texts(a.data, a.len, b.data, b.len, &o, &d, &err) == 0);
    check_script(d, b.data, b.len);
    pd_diff_free(d);
    pd_buf_free(&a);
    pd_buf_free(&b);
}

static void check_spans(const char *a, const char *b, pd_diff_refine mode, const char *want_a, const char *want_b)
{
    pd_diff_span *as, *bs;
    size_t na, nb;
    pd_error err = {0};
    CHECK(pd_diff_refine_pair(a, strlen(a), b, strlen(b), mode, &as, &na, &bs, &nb, &err) == 0);
    pd_buf ga = PD_BUF_INIT, gb = PD_BUF_INIT;
    for (size_t i = 0; i < na; i++)
        pd_buf_printf(&ga, "%s%.*s", i ? "|" : "", (int)(as[i].end - as[i].start), a + as[i].start);
    for (size_t i = 0; i < nb; i++)
        pd_buf_printf(&gb, "%s%.*s", i ? "|" : "", (int)(bs[i].end - bs[i].start), b + bs[i].start);
    CHECK_STR(pd_buf_str(&ga), want_a);
    CHECK_STR(pd_buf_str(&gb), want_b);
    pd_buf_free(&ga);
    pd_buf_free(&gb);
    free(as);
    free(bs);
}

static void test_word_refinement_utf8(void)
{
    check_spans("You are a helpful assistant.", "You are a concise assistant.", PD_DIFF_REFINE_WORD, "helpful",
                "concise");
    check_spans("le café noir", "le café blanc", PD_DIFF_REFINE_WORD, "noir", "blanc");
    check_spans("naïve idea", "naïf idea", PD_DIFF_REFINE_WORD, "naïve", "naïf");
    /* characters: the 2-byte ï is one unit, never split */
    check_spans("naïve", "naive", PD_DIFF_REFINE_CHAR, "ï", "i");
    check_spans("日本語です", "日本人です", PD_DIFF_REFINE_WORD, "語", "人");
    /* invalid UTF-8 is compared byte by byte */
    check_spans("a\xff b", "a\xfe b", PD_DIFF_REFINE_CHAR, "\xff", "\xfe");
    check_spans("x \xe2\x82 y", "x \xe2\x82\xac y", PD_DIFF_REFINE_CHAR, "\xe2\x82", "\xe2\x82\xac");
    /* pure insertion: nothing on the left */
    check_spans("one three", "one two three", PD_DIFF_REFINE_WORD, "", "two ");
    check_spans("same", "same", PD_DIFF_REFINE_WORD, "", "");
    check_spans("", "new", PD_DIFF_REFINE_WORD, "", "new");
    /* neighbouring replacements separated by a blank read as one */
    check_spans("use red big cars", "use blue small cars", PD_DIFF_REFINE_WORD, "red big", "blue small");
}

static void test_long_line_refinement_bounded(void)
{
    size_t n = 4 * 1024 * 1024;
    char *a = malloc(n), *b = malloc(n);
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = (char)("ab cd ef\xc3\xa9"[rnd(9)]);
    a[n - 1] = b[n - 1] = 'z';
    for (size_t i = 0; i < 100; i++)
        b[rnd((unsigned)n - 2)] = 'Q';
    pd_diff_span *as, *bs;
    size_t na, nb;
    pd_error err = {0};
    CHECK(pd_diff_refine_pair(a, n, b, n, PD_DIFF_REFINE_WORD, &as, &na, &bs, &nb, &err) == 0);
    CHECK(na >= 1 && nb >= 1);
    for (size_t i = 0; i < nb; i++)
        CHECK(bs[i].start < bs[i].end && bs[i].end <= n && (i == 0 || bs[i - 1].end <= bs[i].start));
    free(as);
    free(bs);
    free(a);
    free(b);
}

/* Diffs big texts a and b (then freed): as many edits as GNU diff --minimal, a valid script. */
static void check_big_like_gnu(pd_buf *a, pd_buf *b)
{
    pd_diff *d = diff_of(a->data, b->data);
    CHECK(d != NULL);
    size_t del, ins;
    gnu_counts(a->data, b->data, &del, &ins);
    CHECK_INT(d->n_deleted + d->n_inserted, del + ins);
    check_script(d, b->data, b->len);
    pd_diff_free(d);
    pd_buf_free(a);
    pd_buf_free(b);
}

/* A million short lines with scattered replacements: as GNU diff --minimal, and a valid script. */
static void test_million_short_lines(void)
{
    pd_buf a = PD_BUF_INIT, b = PD_BUF_INIT;
    random_text(&a, 1000000, 1000);
    const char *p = a.data;
    for (unsigned i = 0; i < 1000000; i++) {
        const char *nl = strchr(p, '\n');
        if (rnd(1000) == 0)
            pd_buf_printf(&b, "x%u\n", rnd(50));
        else
            pd_buf_append(&b, p, (size_t)(nl - p) + 1);
        p = nl + 1;
    }
    check_big_like_gnu(&a, &b);
}

/* 100,000 distinct lines with 1,500 scattered edits: many edits for the plain search, so the
 * lines without a match are set aside first (diff_discard.c); as GNU diff --minimal, valid. */
static void test_big_scattered_edits(void)
{
    pd_buf a = PD_BUF_INIT, b = PD_BUF_INIT;
    for (unsigned i = 0; i < 100000; i++)
        pd_buf_printf(&a, "%u %s\n", i, rnd(3) ? "text" : "");
    const char *p = a.data;
    for (unsigned i = 0; i < 100000; i++) {
        const char *nl = strchr(p, '\n');
        unsigned r = rnd(200);
        if (r == 0)
            pd_buf_printf(&b, "inserted %u\n", rnd(5));
        if (r == 1)
            pd_buf_printf(&b, "%.*s changed\n", (int)(nl - p), p);
        else if (r != 2)
            pd_buf_append(&b, p, (size_t)(nl - p) + 1);
        p = nl + 1;
    }
    check_big_like_gnu(&a, &b);
}

/* A 10 MB single line changed in a few places: one line out, one in; spans bounded and valid;
 * every output format finishes. */
static void test_ten_megabyte_line(void)
{
    size_t n = 10 * 1024 * 1024;
    char *a = malloc(n + 1), *b = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        a[i] = (char)("abc de\t"[rnd(7)]);
    memcpy(b, a, n);
    for (int i = 0; i < 20; i++)
        b[rnd((unsigned)n)] = 'Z';
    a[n] = b[n] = '\0';
    pd_diff *d = diff_of(a, b);
    CHECK_INT(d->n_deleted, 1);
    CHECK_INT(d->n_inserted, 1);
    pd_diff_sbs *s = NULL;
    pd_error err = {0};
    CHECK(pd_diff_side_by_side(d, 3, &s, &err) == 0);
    CHECK_INT(s->n_rows, 1);
    CHECK(s->rows[0].n_right_spans >= 1);
    for (size_t i = 0; i < s->rows[0].n_right_spans; i++)
        CHECK(s->rows[0].right_spans[i].start < s->rows[0].right_spans[i].end &&
              s->rows[0].right_spans[i].end <= n);
    pd_diff_sbs_free(s);
    pd_buf out = PD_BUF_INIT;
    CHECK(pd_diff_write_words(d, "a", "b", 3, &out, &err) == 0);
    CHECK(out.len > n);
    pd_buf_reset(&out);
    CHECK(pd_diff_write_side_by_side(d, 80, 3, &out, &err) == 0);
    CHECK(out.len < 200);
    pd_buf_free(&out);
    pd_diff_free(d);
    free(a);
    free(b);
}

static void test_side_by_side_rows(void)
{
    pd_diff *d = diff_of("x\nold line\nb\ny\n", "x\nnew line\ny\nz\n");
    pd_diff_sbs *s = NULL;
    pd_error err = {0};
    CHECK(pd_diff_side_by_side(d, -1, &s, &err) == 0);
    CHECK_INT(s->n_rows, 5);
    static const struct { pd_row_kind k; long l, r; } want[] = {
        {PD_ROW_EQUAL, 0, 0}, {PD_ROW_CHANGED, 1, 1}, {PD_ROW_DELETED, 2, -1}, {PD_ROW_EQUAL, 3, 2},
        {PD_ROW_INSERTED, -1, 3}};
    for (size_t i = 0; i < 5 && i < s->n_rows; i++) {
        CHECK_INT(s->rows[i].kind, want[i].k);
        CHECK_INT(s->rows[i].left, want[i].l);
        CHECK_INT(s->rows[i].right, want[i].r);
    }
    CHECK_INT(s->rows[1].n_left_spans, 1);
    CHECK_INT(s->rows[1].left_spans[0].start, 0);
    CHECK_INT(s->rows[1].left_spans[0].end, 3);
    CHECK_INT(s->rows[1].right_spans[0].end, 3);
    CHECK_INT(s->n_hunks, 1);
    CHECK_INT(s->hunks[0].row_start, 0);
    CHECK_INT(s->hunks[0].row_count, 5);
    pd_diff_sbs_free(s);

    pd_buf out = PD_BUF_INIT;
    CHECK(pd_diff_write_side_by_side(d, 29, -1, &out, &err) == 0);
    CHECK_STR(pd_buf_str(&out), "x               x\n"
                                "old line      | new line\n"
                                "b             <\n"
                                "y               y\n"
                                "              > z\n");
    pd_buf_free(&out);
    pd_diff_free(d);
}

static void test_hunks_rows_and_context(void)
{
    pd_buf a = PD_BUF_INIT, b = PD_BUF_INIT;
    for (int i = 0; i < 30; i++) {
        pd_buf_printf(&a, "line %d\n", i);
        if (i == 5)
            pd_buf_puts(&b, "changed 5\nextra\n");
        else if (i != 20)
            pd_buf_printf(&b, "line %d\n", i);
    }
    pd_diff *d = diff_of(a.data, b.data);
    pd_diff_sbs *s = NULL;
    pd_error err = {0};
    CHECK(pd_diff_side_by_side(d, 2, &s, &err) == 0);
    CHECK_INT(s->n_hunks, 2);
    CHECK_INT(s->hunks[0].a_start, 3);
    CHECK_INT(s->hunks[0].a_count, 5);
    CHECK_INT(s->hunks[0].b_start, 3);
    CHECK_INT(s->hunks[0].b_count, 6);
    /* rows of the first hunk: 2 context, changed, inserted, 2 context */
    CHECK_INT(s->hunks[0].row_start, 3);
    CHECK_INT(s->hunks[0].row_count, 6);
    CHECK_INT(s->rows[5].kind, PD_ROW_CHANGED);
    CHECK_INT(s->rows[6].kind, PD_ROW_INSERTED);
    /* second hunk's rows show the deleted line 20 */
    const pd_diff_hunk *h = &s->hunks[1];
    CHECK_INT(s->rows[h->row_start + 2].kind, PD_ROW_DELETED);
    CHECK_INT(s->rows[h->row_start + 2].left, 20);
    pd_diff_sbs_free(s);
    pd_diff_free(d);
    pd_buf_free(&a);
    pd_buf_free(&b);
}

static void test_words_output(void)
{
    pd_diff *d = diff_of("keep\nYou are a helpful bot.\ngone\n", "keep\nYou are a terse bot.\n");
    pd_buf out = PD_BUF_INIT;
    pd_error err = {0};
    CHECK(pd_diff_write_words(d, "a", "b", 3, &out, &err) == 0);
    CHECK_STR(pd_buf_str(&out), "--- a\n+++ b\n@@ -1,3 +1,2 @@\nkeep\nYou are a [-helpful-]{+terse+} bot.\n[-gone-]\n");
    pd_buf_free(&out);
    pd_diff_free(d);
}

static void test_sanitize(void)
{
    pd_buf out = PD_BUF_INIT;
    pd_text_sanitize(&out, "a\x1b[31mb\tc\x7f\xc2\x9b\xff\xc3\xa9", 15, false);
    CHECK_STR(pd_buf_str(&out), "a^[[31mb\tc^?\\x9B\\xFF\xc3\xa9");
    pd_buf_free(&out);
    pd_buf_reset(&out);
    pd_diff *d = diff_of("x\n", "\x1b]0;title\x07\n");
    pd_error err = {0};
    CHECK(pd_diff_write_unified(d, "a", "b", 3, true, &out, &err) == 0);
    CHECK_STR(pd_buf_str(&out), "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+^[]0;title^G\n");
    pd_buf_reset(&out);
    CHECK(pd_diff_write_unified(d, "a", "b", 3, false, &out, &err) == 0);
    CHECK(strchr(pd_buf_str(&out), 0x1b) != NULL);
    pd_buf_free(&out);
    pd_diff_free(d);
}

static void test_version_text(void)
{
    pd_message msgs[] = {{"system", "Be brief.", NULL}, {NULL, NULL, "history"}, {"user", "Hi {{name}}\n", NULL}};
    pd_version v = {0};
    v.number = 2;
    v.messages = msgs;
    v.n_messages = 3;
    v.settings.model = "gpt-4o";
    v.settings.provider = "openai";
    v.settings.has_temperature = true;
    v.settings.temperature = 0.7;
    v.commit_message = "Shorter\nand kinder";
    v.author = "ann";
    v.created_at = "2024-02-12T05:52:54-05:00";
    char *t = pd_diff_version_text(&v);
    CHECK_STR(t, "version 2\nauthor: ann\ndate: 2024-02-12T05:52:54-05:00\ncommit: Shorter\n  and kinder\n"
                 "\n[system]\nBe brief.\n\n[placeholder history]\n\n[user]\nHi {{name}}\n"
                 "\n[settings]\n{\n  \"model\": \"gpt-4o\",\n  \"provider\": \"openai\",\n  \"temperature\": 0.7\n}\n");
    free(t);
    pd_version w = v;
    w.number = 3;
    w.settings.temperature = 0.7 + 1e-16;
    pd_diff *d = NULL;
    pd_error err = {0};
    CHECK(pd_diff_settings(&v.settings, &w.settings, NULL, &d, &err) == 0);
    CHECK_INT(d->n_deleted, 1);
    CHECK_INT(d->n_inserted, 1);
    pd_diff_free(d);
    CHECK(pd_diff_versions(&v, &w, NULL, &d, &err) == 0);
    CHECK_INT(d->n_deleted, 2);
    CHECK_INT(d->n_inserted, 2);
    pd_diff_free(d);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    RUN(test_empty_and_identical);
    RUN(test_no_newline_at_end);
    RUN(test_all_different);
    RUN(test_take_texts);
    RUN(test_unified_matches_gnu);
    RUN(test_random_against_gnu);
    RUN(test_heuristic_and_work_bound);
    RUN(test_word_refinement_utf8);
    RUN(test_long_line_refinement_bounded);
    RUN(test_million_short_lines);
    RUN(test_big_scattered_edits);
    RUN(test_ten_megabyte_line);
    RUN(test_side_by_side_rows);
    RUN(test_hunks_rows_and_context);
    RUN(test_words_output);
    RUN(test_sanitize);
    RUN(test_version_text);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    free(run_cmd(cmd));
    T_DONE();
}
