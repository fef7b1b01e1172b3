/* bench_stream.c: CPU cost of receiving and rendering a long Markdown answer in small pieces
 * versus whole, latency from a piece's arrival to its appearance (render + curses draw of what
 * changed), the naive re-render-everything-per-piece baseline (quadratic), and each shape of
 * answer alone at several sizes (streamed / whole must not grow with the size).
 * Built and run by tests/bench/bench_stream.sh; draws into an off-screen curses terminal. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <curses.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown/markdown.h"

#define COLS_ 100
#define ROWS_ 40

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* A deterministic answer of about `size` bytes in the shape models write. */
static char *make_answer(size_t size, size_t *len)
{
    char *s = malloc(size + 4096);
    size_t n = 0;
    int sec = 0;
    while (n < size) {
        sec++;
        n += (size_t)sprintf(s + n, "## Section %d: *streaming* and rendering\n\n", sec);
        for (int p = 0; p < 2; p++)
            n += (size_t)sprintf(s + n,
                "This paragraph %d.%d explains **why** incremental rendering matters: every "
                "token that arrives should cost time proportional to its own size, not to the "
                "length of the answer so far. See [the docs](https://example.com/docs/%d) and "
                "the `pd_md_append` function; 漢字 and emoji 😀 are wide.\n\n", sec, p, sec);
        n += (size_t)sprintf(s + n, "1. First point about %d\n2. Second point, with a nested list:\n"
                                    "   - alpha\n   - beta *gamma*\n3. Third point\n\n", sec);
        n += (size_t)sprintf(s + n, "```c\n");
        for (int k = 0; k < 12; k++)
            n += (size_t)sprintf(s + n, "static int f%d_%d(int x) { return x * %d + 1; }\n", sec, k, k);
        n += (size_t)sprintf(s + n, "```\n\n");
        n += (size_t)sprintf(s + n, "| Name | Value | Note |\n|------|------:|:----:|\n");
        for (int k = 0; k < 4; k++)
            n += (size_t)sprintf(s + n, "| row%d | %d | some note text |\n", k, k * sec);
        n += (size_t)sprintf(s + n, "\n> A quoted remark number %d that is long enough to wrap "
                                    "across at least one line of the pane.\n\n", sec);
    }
    *len = n;
    return s;
}

/* Draws lines [from, count) that are visible when following the tail. */
static void draw_tail(WINDOW *w, pd_md *md, size_t from)
{
    size_t n = pd_md_line_count(md);
    size_t top = n > ROWS_ ? n - ROWS_ : 0;
    if (from < top)
        from = top;
    for (size_t i = from; i < n; i++) {
        const pd_md_line *l = pd_md_line_at(md, i);
        wmove(w, (int)(i - top), 0);
        for (size_t k = 0; k < l->n_spans; k++) {
            wattrset(w, (attr_t)(l->spans[k].style == PD_MD_NORMAL ? A_NORMAL : A_BOLD));
            waddnstr(w, l->text + l->spans[k].start, (int)l->spans[k].len);
        }
        wclrtoeol(w);
    }
    wnoutrefresh(w);
    doupdate();
}

typedef struct result {
    double cpu_ms;
    double lat_med_us, lat_p99_us, lat_max_us;
} result;

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Refreshes the pane following the tail: scrolls the window by the lines added (curses then
 * scrolls the terminal) and redraws only lines at or after `from` (those that may have changed). */
static void refresh_tail(WINDOW *w, pd_md *md, size_t *prev_count, size_t *prev_stable)
{
    size_t count = pd_md_line_count(md);
    size_t from = *prev_stable < *prev_count ? *prev_stable : *prev_count;
    if (pd_md_stable_lines(md) < from)
        from = pd_md_stable_lines(md);
    size_t old_top = *prev_count > ROWS_ ? *prev_count - ROWS_ : 0;
    size_t top = count > ROWS_ ? count - ROWS_ : 0;
    if (top > old_top) {
        if (top - old_top < ROWS_)
            wscrl(w, (int)(top - old_top));
        else
            from = 0;
    }
    draw_tail(w, md, from);
    *prev_stable = pd_md_stable_lines(md);
    *prev_count = count;
}

/* mode 0: whole; 1: pieces, refresh after each; 2: pieces, naive full re-render per piece;
 * 3: pieces arriving every `gap_us` (virtual time), refresh at most every 33 ms (the run
 *    pane's frame, tui/runpanes/answer.c FRAME_MS);
 * 4: pieces, Markdown only (render the tail after each piece, no drawing);
 * 5: like 3 but Markdown only (the tail rendered at each frame, no drawing);
 * 6: pieces appended, the tail rendered once at the end (the floor for pieces: appending). */
static result run(WINDOW *w, const char *text, size_t len, size_t piece, int mode, double gap_us)
{
    result r = {0};
    werase(w);
    wrefresh(w);
    size_t n_pieces = mode == 0 ? 1 : (len + piece - 1) / piece;
    double *lat = calloc(n_pieces, sizeof *lat);
    double c0 = cpu_ms(), last_frame = -1e9;
    pd_md *md = pd_md_new(COLS_);
    size_t prev_stable = 0, prev_count = 0;
    for (size_t i = 0; i < n_pieces; i++) {
        size_t off = mode == 0 ? 0 : i * piece;
        size_t n = mode == 0 ? len : (off + piece <= len ? piece : len - off);
        /* only the per-piece modes time each piece (the clock itself costs CPU) */
        bool timed = mode == 1 || mode == 2;
        double t0 = timed ? wall_us() : 0;
        if (mode == 2) {
            pd_md_free(md);
            md = pd_md_new(COLS_);
            pd_md_append(md, text, off + n);
            draw_tail(w, md, 0);
        } else if (mode == 4 || mode == 6) {
            pd_md_append(md, text + off, n);
            if (mode == 4 || i + 1 == n_pieces)
                (void)pd_md_line_count(md);
        } else {
            pd_md_append(md, text + off, n);
            double now = (double)i * gap_us;
            if (mode == 1 || now - last_frame >= 33000 || i + 1 == n_pieces) {
                if (mode == 5)
                    (void)pd_md_line_count(md);
                else
                    refresh_tail(w, md, &prev_count, &prev_stable);
                last_frame = now;
            }
        }
        lat[i] = timed ? wall_us() - t0 : 0;
    }
    r.cpu_ms = cpu_ms() - c0;
    qsort(lat, n_pieces, sizeof *lat, cmp_d);
    r.lat_med_us = lat[n_pieces / 2];
    r.lat_p99_us = lat[n_pieces * 99 / 100];
    r.lat_max_us = lat[n_pieces - 1];
    free(lat);
    pd_md_free(md);
    return r;
}

/* The fastest of `times` runs (the machine's other work only ever adds time). */
static result best_of_n(WINDOW *w, const char *text, size_t len, size_t piece, int mode, double gap,
                        int times)
{
    result best = {1e30, 0, 0, 0};
    for (int k = 0; k < times; k++) {
        result a = run(w, text, len, piece, mode, gap);
        if (a.cpu_ms < best.cpu_ms)
            best = a;
    }
    return best;
}

static result best_of(WINDOW *w, const char *text, size_t len, size_t piece, int mode, double gap)
{
    return best_of_n(w, text, len, piece, mode, gap, 3);
}

/* ---- answer shapes: each alone, long, to show that no shape costs more than linear time ---- */

typedef struct shape {
    const char *name;
    const char *head;            /* written once first */
    const char *unit;            /* written again and again, each '#' replaced by a counter
                                  * ("##": a '#') */
    const char *foot;            /* written once last */
    size_t max_size;             /* larger sizes are skipped (0: none are) */
} shape;

static const shape shapes[] = {
    {"paragraph, bold/code/links", "", "word # **bold text** and `code span` with [a link](https://example.com/#) more ", "\n", 0},
    {"paragraph, stray * _ [i]", "", "cost # is 5 * 3 or snake_case_name # and a[i] or [#], x_y* and ** alone, more words ", "\n", 0},
    /* a '[' no ']' follows may still open a link: the text after it is parsed again for a while */
    {"paragraph, a [ never closed", "", "cost # is 5 * 3 or snake_case_name # and a [bracket, x_y* and ** alone, more words ", "\n", 0},
    /* links whose text is many words: the settling waits for each link to close */
    {"paragraph, long link texts", "", "words [aa bb cc dd ee ff gg hh ii #](http://x/#) more ", "\n", 0},
    /* delimiters written as entities ("##" writes a '#'): the parser's text shows a '*' there */
    {"paragraph, entity delimiters", "", "&##42;b&##42; &##95;c&##95; # ", "\n", 0},
    /* escaped backticks: a literal '`' in the parser's text, which may still open a code span */
    {"paragraph, escaped backticks", "", "\\`d\\` # ", "\n", 0},
    /* link texts longer than the wait (PARA_BRACKET_WAIT): the '[' is settled as text, then its
     * ']' comes */
    {"paragraph, links > 128 bytes", "", "words [aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq rr ss tt uu "
                                         "vv ww xx yy zz aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq rr "
                                         "ss tt uu vv ww xx yy zz #](http://x/#) more ", "\n", 0},
    /* paragraph lines starting with '&', digits or a backslash escape: only the second line of a
     * paragraph can be a table's delimiter row, only "1." or "1)" can interrupt it */
    {"paragraph, lines start &", "Intro line of the paragraph\n", "&amp; item # and more words on the line\n", "\n", 0},
    {"paragraph, lines start 2024", "Intro line of the paragraph\n", "2024 saw # and more words on the line\n", "\n", 0},
    {"paragraph, lines start \\", "Intro line of the paragraph\n", "\\- item # and more words on the line\n", "\n", 0},
    /* a second line that, once finished, is no table's delimiter row nor a list item */
    {"paragraph, 2nd line \\", "Name | Value\n\\\n", "more words # and text on the line\n", "\n", 0},
    {"paragraph, 2nd line 1.", "Intro line\n1.\n", "more words # and text on the line\n", "\n", 0},
    /* one word wider than many lines, no space in it (base64, an address) */
    {"paragraph, one long word", "Data: ", "QUJD#ZGVm+/", "\n", 0},
    /* one long line that starts with what may start a block until its second character */
    {"paragraph, a line starts -5", "Intro | line\n-5 degrees ", "word # more ", "\n", 0},
    /* a table's delimiter row still being written: laid out whole at each frame while it may
     * still become one, then (longer than a row can be) followed as the paragraph's text */
    {"delimiter row being written", "Name | Value\n|", "----------", "|\n", 0},
    /* one heading line tens of KB long: followed as an open paragraph */
    {"one heading line", "# ", "word # more ", "\n", 0},
    {"one heading, markup", "## ", "word # *more* `code` ", "\n", 0},
    /* a number tens of KB long (digits of pi): cut between its digits like a long word */
    {"paragraph, a long number", "Pi is 3.", "1415926535", "\n", 0},
    /* one line of '-' or '=' tens of KB long (a thematic break, a setext underline, a list item
     * holding one): laid out as the line cut to three of them */
    {"a line of dashes", "Intro\n\n", "----------", "\n", 0},
    {"a setext underline", "Title\n", "==========", "\n", 0},
    {"dashes in a list item", "- ", "----------", "\n", 0},
    /* one table row tens of KB long: its settled cells kept, its open cell laid out as it comes */
    {"one table row", "| a | b |\n|---|---|\n| ", "cell # text ", "|\n", 0},
    {"one table row, markup", "| a | b | c |\n|---|:-:|--:|\n| x | ", "cell # *text* `a|b` ", "| z |\n", 0},
    /* a run left open early in a long paragraph: taken as text once the paragraph is past it */
    {"paragraph after an open *", "*", "lorem # **bold** and `code` with [a link](u) ", "\n", 0},
    {"paragraph after an open `", "`", "lorem # **bold** and *em* with [a link](u) ", "\n", 0},
    {"paragraph after an open <", "x <y ", "lorem # ipsum ", "\n", 0},
    {"paragraph after an open [", "[", "lorem # **bold** and `code` ", "\n", 0},
    /* one word tens of KB long made of markup (no blank in it): cut where no markup holds it */
    {"one word of [a]", "", "[a]", "\n", 0},
    {"one word of a*", "", "a*", "\n", 0},
    {"one word of `a", "", "`a", "\n", 0},
    {"one word of <a", "x", "<a", "\n", 0},
    {"one word of ![a]", "x", "![a]", "\n", 0},
    {"one word of & \\ ( ##", "x", "&\\(##", "\n", 0},
    {"one word of mixed markup", "", "a*b_c`d[e]f(g)h<i&j\\k", "\n", 0},
    {"words between tabs", "", "word#\t", "\n", 0},
    {"heading, words end in ##", "# ", "ab## ", "\n", 0},
    /* one code line tens of KB long (base64, minified code): its cut pieces kept as it comes */
    {"a long line in a code block", "```\n", "QUJD#ZGVm+/", "\n```\n", 0},
    /* a first line that may still be an HTML block of one tag (until it ends in '>', or not) */
    {"first line may be a tag", "<lorem ", "ipsum # dolor ", "\n", 0},
    {"first line a long tag name", "<", "aaaaaaaaaa", "\n", 0},
    /* a fence line tens of KB long (its info string): cut like a code line, settled as it comes */
    {"a fence's info string", "Intro\n\n~~~ ", "lang # attrs ", "\ncode\n~~~\n", 0},
    {"info string, escapes", "```", "a\\*b &amp; # ", "\n```\n", 0},
    {"fence info in a list item", "- ~~~ ", "lang # attrs ", "\n  code\n  ~~~\n", 0},
    /* what could start an entity reference for a blank ("&#32;") and does not */
    {"info string, &# &T &N", "~~~ ", "&##&T&N&##x&##3 ", "\ncode\n~~~\n", 0},
    {"paragraph, plain text", "", "plain words # and more words that make a long paragraph # ", "\n", 0},
    {"nested list items", "", "- item # with *emphasis*\n  - nested item #\n    - deeper `code`\n", "", 0},
    {"list inside one list item", "- Intro item\n", "  - sub item # with *emphasis* and `code` #\n", "", 0},
    {"list inside a block quote", "> Intro\n>\n", "> - quoted item # with *emphasis* and `code` #\n", "", 0},
    {"loose numbered list in item", "- Intro item\n\n", "  #. numbered item with *emphasis* and `code` #\n\n", "", 0},
    {"table", "| Name | Value | Note |\n|------|------:|:----:|\n", "| row # | **#** | `some` note |\n", "", 0},
    {"table in a list item", "- | Name | Value |\n  |------|------:|\n", "  | row # | **#** |\n", "", 0},
    {"table in a block quote", "> | Name | Value |\n> |------|------:|\n", "> | row # | **#** |\n", "", 0},
    {"code block", "```c\n", "static int f#(int x) { return x * # + 1; }\n", "```\n", 0},
    {"paragraph in a list item", "- Intro item\n- ", "words # and *more* text with `code` ", "\n", 0},
    {"paragraph in a quote", "", "> words # and *more* text with [a link](u) and more\n", "\n", 0},
    {"code block in a list item", "1. Install it:\n\n   ```c\n", "   static int f#(int x) { return x * # + 1; }\n", "   ```\n", 0},
    {"code block in a quote", "> ```c\n", "> static int f#(int x) { return x * # + 1; }\n", "> ```\n", 0},
    {"HTML block", "<div>\n", "<p>para # with <b>bold</b> text</p>\n", "</div>\n", 0},
    {"indented code block", "Intro\n\n", "    static int f#(int x) { return x * # + 1; }\n", "\n", 0},
    {"block quote", "", "> A quoted remark # with *emphasis* that wraps across a line of the pane #\n>\n", "", 0},
    {"headings and paragraphs", "", "## Heading # with *emphasis*\n\nA short paragraph # with `code`.\n\n", "", 0},
    /* many blocks in one list item: rendered again from the last one begun */
    {"headings in a list item", "- Intro\n", "  ## Heading # with *emphasis*\n", "", 0},
    {"blocks in a quote's item", "> 1. Intro\n", ">    ## Step #\n>    Some `text`.\n>    ```\n>    x\n>    ```\n", "", 0},
    /* a heading line tens of KB long inside a quote: its text followed like a paragraph's */
    {"heading in a quote, one line", "> # ", "words # and *more* ", "\n", 0},
    /* a link definition applies to the text before it too: the blocks with its label are laid
     * out again, and the text after the definitions is laid out with them */
    {"link definitions", "", "[r#]: https://example.com/#\n", "", 0},
    {"cited paragraphs, definitions", "", "A paragraph # that cites [r#] with *emphasis* and `code`.\n\n"
                                          "[r#]: https://example.com/#\n\n", "", 0},
    {"long paragraph citing one", "[r]: https://example.com/\n\n", "words # cite [r] and *more* ", "\n", 0},
    /* every paragraph cites the same labels, defined at the end: while a definition line is
     * written, each frame lays out again every paragraph citing it (the address shown in each
     * changes) */
    {"citations defined at the end", "", "A paragraph # that cites [r1] and [r2] with *emphasis*.\n\n",
     "[r1]: https://example.com/1\n[r2]: https://example.com/2 \"Two\"\n", 0},
    {"mixed answer", "", "## Section #: *streaming*\n\nThis paragraph # explains **why** it matters: see "
                        "[the docs](https://example.com/#) and `pd_md_append`.\n\n1. First point #\n"
                        "2. Second point:\n   - alpha\n   - beta *gamma*\n\n```c\nstatic int f#(int x);\n```\n\n"
                        "| Name | Value |\n|------|------:|\n| row | # |\n\n> A quoted remark #.\n\n", "", 0},
};

static char *make_shape(const shape *sh, size_t size, size_t *len)
{
    char *s = malloc(size + 4096);
    size_t n = (size_t)sprintf(s, "%s", sh->head);
    for (int k = 1; n < size; k++)
        for (const char *u = sh->unit; *u; u++)
            if (u[0] == '#' && u[1] == '#')
                s[n++] = *u++;
            else
                n += *u == '#' ? (size_t)sprintf(s + n, "%d", k) : (s[n] = *u, 1);
    n += (size_t)sprintf(s + n, "%s", sh->foot);
    *len = n;
    return s;
}

/* Markdown only, no drawing: whole, paced (tail rendered at each 33 ms frame, pieces at 2000/s)
 * and rendered after every piece, for each shape at each size in BENCH_STREAM_SHAPE_SIZES. */
static void bench_shapes(WINDOW *w, size_t piece)
{
    const char *env = getenv("BENCH_STREAM_SHAPE_SIZES");
    char sizes[256];
    snprintf(sizes, sizeof sizes, "%s", env && *env ? env : "20480 204800");
    const char *only = getenv("BENCH_STREAM_SHAPE");
    fprintf(stderr, "\nshapes, Markdown only, %zu-byte pieces (RATIO = streamed / whole; goal <= 2 paced, "
                    "flat in size after every piece; append: the pieces appended, rendered once):\n", piece);
    fprintf(stderr, "%-28s %8s %9s %10s %7s %13s %7s %8s %10s\n", "shape", "bytes", "whole ms",
            "paced ms", "RATIO", "each-piece ms", "ratio", "us/KB", "append ms");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        if (only && *only && !strstr(shapes[i].name, only))
            continue;
        char list[256];
        snprintf(list, sizeof list, "%s", sizes);
        for (char *tok = strtok(list, " ,"); tok; tok = strtok(NULL, " ,")) {
            size_t len;
            if (shapes[i].max_size && (size_t)atol(tok) > shapes[i].max_size) {
                fprintf(stderr, "%-28s %8s skipped: still quadratic, measured up to %zu bytes\n",
                        shapes[i].name, tok, shapes[i].max_size);
                continue;
            }
            char *text = make_shape(&shapes[i], (size_t)atol(tok), &len);
            /* one answer takes a few ms: the best of several runs, whole and paced alike */
            result whole = best_of_n(w, text, len, piece, 0, 0, 7);
            result paced = best_of_n(w, text, len, piece, 5, 500, 7);
            result each = best_of(w, text, len, piece, 4, 0);
            result appended = best_of_n(w, text, len, piece, 6, 0, 7);
            double wm = whole.cpu_ms > 0.01 ? whole.cpu_ms : 0.01;
            fprintf(stderr, "%-28s %8zu %9.1f %10.1f %7.2f %13.1f %7.2f %8.0f %10.1f\n", shapes[i].name,
                    len, whole.cpu_ms, paced.cpu_ms, paced.cpu_ms / wm, each.cpu_ms, each.cpu_ms / wm,
                    each.cpu_ms * 1e3 / ((double)len / 1024), appended.cpu_ms);
            free(text);
        }
    }
}

int main(int argc, char **argv)
{
    size_t size = argc > 1 ? (size_t)atol(argv[1]) : 200 * 1024;
    size_t piece = argc > 2 ? (size_t)atol(argv[2]) : 4;
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w");
    SCREEN *scr = newterm("xterm-256color", out, stdin);
    if (!scr) {
        fprintf(stderr, "bench_stream: no terminfo for xterm-256color\n");
        return 2;
    }
    resizeterm(ROWS_, COLS_);
    WINDOW *w = newwin(ROWS_, COLS_, 0, 0);
    size_t len;
    char *text = make_answer(size, &len);
    if (getenv("BENCH_STREAM_SHAPES_ONLY")) {
        bench_shapes(w, piece);
        goto done;
    }

    scrollok(w, TRUE);
    idlok(w, TRUE);
    run(w, text, len, piece, 0, 0); /* warm up */
    result whole = best_of(w, text, len, piece, 0, 0);
    result each = best_of(w, text, len, piece, 1, 0);
    result paced = best_of(w, text, len, piece, 3, 500);
    result mdonly = best_of(w, text, len, piece, 4, 0);
    result mdpaced = best_of(w, text, len, piece, 5, 500);
    fprintf(stderr, "answer %zu bytes in %zu-byte pieces (%zu pieces), pane %dx%d, curses output to /dev/null\n",
            len, piece, (len + piece - 1) / piece, COLS_, ROWS_);
    fprintf(stderr, "whole (parse, lay out, draw once):                       %8.1f ms CPU\n", whole.cpu_ms);
    fprintf(stderr, "pieces at 2000/s, tail rendered <= 30 times/s, no drawing: %6.1f ms CPU  RATIO %.2f (goal <= 2)\n",
            mdpaced.cpu_ms, mdpaced.cpu_ms / whole.cpu_ms);
    fprintf(stderr, "  the same with the pane drawn at each frame (run pane):   %6.1f ms CPU  ratio %.2f\n",
            paced.cpu_ms, paced.cpu_ms / whole.cpu_ms);
    fprintf(stderr, "pieces, tail rendered after every piece, no drawing:       %6.1f ms CPU  ratio %.2f\n",
            mdonly.cpu_ms, mdonly.cpu_ms / whole.cpu_ms);
    fprintf(stderr, "  the same with the pane drawn after every piece:          %6.1f ms CPU  ratio %.2f\n",
            each.cpu_ms, each.cpu_ms / whole.cpu_ms);
    fprintf(stderr, "latency piece arrival -> on screen (append + render tail + draw + doupdate):\n"
                    "  median %.1f us, p99 %.1f us, max %.1f us (plus at most one 33 ms frame when paced, as the run pane does)\n",
            each.lat_med_us, each.lat_p99_us, each.lat_max_us);

    /* naive baseline: quadratic, so measured on smaller answers and compared at equal size */
    fprintf(stderr, "\nnaive re-render-everything-per-piece vs incremental, both drawing after every piece:\n");
    fprintf(stderr, "%10s %14s %14s %10s\n", "size", "incremental", "naive", "naive/inc");
    double naive_last = 0, naive_size = 0;
    for (size_t sz = 6400; sz <= 25600; sz *= 2) {
        size_t l2;
        char *t2 = make_answer(sz, &l2);
        result a = run(w, t2, l2, piece, 1, 0), b = run(w, t2, l2, piece, 2, 0);
        fprintf(stderr, "%9zuB %11.1f ms %11.1f ms %9.1fx\n", l2, a.cpu_ms, b.cpu_ms, b.cpu_ms / a.cpu_ms);
        naive_last = b.cpu_ms;
        naive_size = (double)l2;
        free(t2);
    }
    double extrap = naive_last * ((double)len / naive_size) * ((double)len / naive_size);
    fprintf(stderr, "naive at %zu bytes (quadratic extrapolation): ~%.0f ms vs incremental %.1f ms (%.0fx)\n",
            len, extrap, each.cpu_ms, extrap / each.cpu_ms);
    bench_shapes(w, piece);
done:
    delwin(w);
    endwin();
    delscreen(scr);
    fclose(out);
    free(text);
    return 0;
}
