/* markdown.c: streaming Markdown rendering into styled, width-wrapped display lines.
 *
 * libcmark parses; what is hand-written here is what no library does for a terminal: laying the
 * tree out into lines of a given display width (widths and visible forms from base's text
 * measurement, pd_char_at), neutralising control characters, GFM pipe tables (not in
 * libcmark), and the streaming split into finished chunks (rendered once) and an open tail
 * (re-rendered lazily). See markdown.h for the rules. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* newlocale, uselocale */
#endif
#include "markdown.h"
#include "base/base.h"
#include "refs_priv.h"

#include <assert.h>
#include <cmark.h>
#include <ctype.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MIN_WIDTH 8
#define CODE_CONT "\xe2\x86\xaa " /* "↪ " before the pieces of a cut code line */

/* ------------------------------------------------------------------ styled text */

/* A run of styled text: used both for inline content before wrapping and for output lines. */
typedef struct st {
    pd_buf text;
    pd_md_span *spans;
    size_t n, cap;
    int width;
} st;

static void st_free(st *t)
{
    pd_buf_free(&t->text);
    free(t->spans);
    memset(t, 0, sizeof *t);
}

static void st_put(st *t, pd_md_style style, const char *s, size_t n, int w)
{
    if (n == 0)
        return;
    if (t->n && t->spans[t->n - 1].style == style) {
        t->spans[t->n - 1].len += n;
    } else {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 4;
            t->spans = pd_xrealloc(t->spans, t->cap * sizeof *t->spans);
        }
        t->spans[t->n++] = (pd_md_span){t->text.len, n, style};
    }
    /* words are put one at a time: the copy is done here when it fits */
    if (t->text.len + n < t->text.cap) {
        memcpy(t->text.data + t->text.len, s, n);
        t->text.len += n;
        t->text.data[t->text.len] = 0;
    } else {
        pd_buf_append(&t->text, s, n);
    }
    t->width += w;
}

/* Columns of one character of laid-out (already sanitized) text; a byte that is not UTF-8
 * stands for U+FFFD, one column. */
static int cp_width(uint32_t cp)
{
    int w = pd_cp_width(cp);
    return w < 0 ? 1 : w;
}

/* Appends untrusted text: control characters, DEL, C1 controls, bidi overrides and unprintable
 * characters become visible escapes; NULs and bytes that are not UTF-8 become U+FFFD; tabs
 * become spaces (to the next tab stop when code). */
static void st_san(st *t, pd_md_style style, const char *s, size_t n, bool code)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && u[j] >= 0x20 && u[j] < 0x7F)
            j++;
        if (j > i) {
            st_put(t, style, s + i, j - i, (int)(j - i));
            i = j;
            continue;
        }
        pd_char c;
        pd_char_at(s + i, n - i, t->width, &c);
        if (c.kind == PD_CHAR_TAB) {
            int sp = code ? c.width : 1;
            st_put(t, style, "    ", (size_t)sp, sp);
        } else if (c.kind == PD_CHAR_INVALID || (c.kind == PD_CHAR_CONTROL && c.cp == 0)) {
            st_put(t, style, "\xef\xbf\xbd", 3, 1);
        } else if (c.kind != PD_CHAR_TEXT) {
            st_put(t, PD_MD_ESCAPE, c.shown, strlen(c.shown), c.width);
        } else {
            st_put(t, style, s + i, c.len, c.width);
        }
        i += c.len;
    }
}

/* The span index holding byte off (spans cover the text). */
static size_t st_span_at(const st *t, size_t off)
{
    size_t lo = 0, hi = t->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->spans[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Copies bytes [a, b) of src with their styles; w is their display width. */
static void st_copy(st *dst, const st *src, size_t a, size_t b, int w)
{
    if (a >= b)
        return;
    size_t k = st_span_at(src, a);
    while (a < b && k < src->n) {
        size_t end = src->spans[k].start + src->spans[k].len;
        size_t to = end < b ? end : b;
        st_put(dst, src->spans[k].style, src->text.data + a, to - a, 0);
        a = to;
        k++;
    }
    dst->width += w;
}

static int str_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += pd_utf8_next(s + i, n - i, &cp, NULL);
        w += cp_width(cp);
    }
    return w;
}

/* Removes spaces at both ends (used for table cells). */
static void st_trim(st *t)
{
    size_t a = 0, b = t->text.len;
    while (a < b && t->text.data[a] == ' ')
        a++;
    while (b > a && t->text.data[b - 1] == ' ')
        b--;
    if (a == 0 && b == t->text.len)
        return;
    st out = {0};
    st_copy(&out, t, a, b, t->width - (int)(a + t->text.len - b));
    st_free(t);
    *t = out;
}

typedef struct stvec {
    st *v;
    size_t n, cap;
} stvec;

static st *stvec_push(stvec *sv)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = pd_xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    memset(&sv->v[sv->n], 0, sizeof(st));
    return &sv->v[sv->n++];
}

static void stvec_free(stvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        st_free(&sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

/* Starts an output line (writes its prefix); ctx is the caller's. */
typedef void (*line_start_fn)(void *ctx, st *line);

typedef struct wrapper {
    stvec *out;
    size_t last_from;             /* input offset of the last line's start; SIZE_MAX: mid-word */
    line_start_fn start;
    void *ctx;
    st *cur;
    int base;                     /* width of the current line's prefix */
    size_t base_len;
    bool pend;                    /* a space is due before the next word on the line */
    pd_md_style space_style;
    bool cutting;                 /* the text fed ended inside a word wider than avail (being cut):
                                   * what is fed next goes on with it */
} wrapper;

static void wrap_newline(wrapper *w)
{
    w->cur = stvec_push(w->out);
    if (w->start)
        w->start(w->ctx, w->cur);
    w->base = w->cur->width;
    w->base_len = w->cur->text.len;
}

/* Lays out the characters [i, j) of in, a word wider than avail, on w's lines one at a time: a
 * new line when the next does not fit. */
static void wrap_cut(wrapper *w, const st *in, size_t i, size_t j, int avail)
{
    const char *s = in->text.data;
    for (size_t k = i; k < j;) {
        uint32_t cp;
        size_t l = pd_utf8_next(s + k, j - k, &cp, NULL);
        int cw = cp_width(cp);
        if (w->cur->width - w->base + cw > avail && w->cur->width > w->base)
            wrap_newline(w);
        st_copy(w->cur, in, k, k + l, cw);
        k += l;
    }
}

/* Greedy word wrap of inline text in (a '\n' is a hard break) onto w's current line and new
 * ones whose text after the prefix is at most avail wide; words wider than avail are cut. A
 * line is started first when there is none. Lines before the last one never change when more
 * text is fed, as long as text fed before ended between words or inside a word being cut. */
static void wrap_feed(wrapper *w, const st *in, int avail)
{
    const char *s = in->text.data;
    size_t n = in->text.len, i = 0;
    if (n && !w->cur)
        wrap_newline(w);
    if (w->cutting) {
        while (i < n && s[i] != ' ' && s[i] != '\n')
            i++;
        wrap_cut(w, in, 0, i, avail);
        w->cutting = i == n;
    }
    while (i < n) {
        int col = w->cur->width - w->base;
        if (s[i] == '\n') {
            wrap_newline(w);
            w->pend = false;
            w->last_from = ++i;
            continue;
        }
        if (s[i] == ' ') {
            if (col > 0) {
                w->pend = true;
                w->space_style = in->spans[st_span_at(in, i)].style;
            }
            i++;
            continue;
        }
        size_t j = i;
        int ww = 0;
        while (j < n && s[j] != ' ' && s[j] != '\n') {
            if ((unsigned char)s[j] < 0x80) {
                j++, ww++;
                continue;
            }
            uint32_t cp;
            j += pd_utf8_next(s + j, n - j, &cp, NULL);
            ww += cp_width(cp);
        }
        int need = ww + (w->pend ? 1 : 0);
        if (col + need <= avail) {
            if (w->pend)
                st_put(w->cur, w->space_style, " ", 1, 1);
            st_copy(w->cur, in, i, j, ww);
        } else if (ww <= avail) {
            wrap_newline(w);
            w->last_from = i;
            st_copy(w->cur, in, i, j, ww);
        } else {
            w->last_from = SIZE_MAX;
            if (col > 0)
                wrap_newline(w);
            wrap_cut(w, in, i, j, avail);
            w->cutting = j == n;
        }
        w->pend = false;
        i = j;
    }
}

/* Drops the last line when it is empty (after its prefix) and not the only one. */
static void wrap_finish(wrapper *w)
{
    if (w->out->n > 1 && w->cur && w->cur->text.len == w->base_len) {
        st_free(&w->out->v[w->out->n - 1]);
        w->out->n--;
        w->last_from = SIZE_MAX;
    }
}

/* Wraps in (see wrap_feed) into new lines after out's, each started by start (may be NULL).
 * Empty input gives no lines. When last_from is given it gets the offset in `in` where the last
 * line starts, or SIZE_MAX when that line does not start afresh (a cut word): wrapping the input
 * from that offset on, with more text after it, gives the same lines from there. */
static void wrap_lines(const st *in, int avail, stvec *out, line_start_fn start, void *ctx,
                       size_t *last_from)
{
    wrapper w = {out, 0, start, ctx, NULL, 0, 0, false, PD_MD_NORMAL, false};
    if (in->text.len) {
        wrap_feed(&w, in, avail);
        wrap_finish(&w);
    }
    if (last_from)
        *last_from = in->text.len ? w.last_from : SIZE_MAX;
}

static void wrap(const st *in, int avail, stvec *out)
{
    wrap_lines(in, avail, out, NULL, NULL, NULL);
}

/* A paragraph's last line as its text so far wrapped it (no line before its first word) and
 * whether a space is due before the next word: more text is wrapped on from there. The start of
 * a word the text so far ended in may be held back (word): it goes on the line with the rest. */
typedef struct open_line {
    stvec v;
    bool pend, cutting;
    pd_md_style space_style;
    st word;
} open_line;

static void open_line_free(open_line *o)
{
    stvec_free(&o->v);
    st_free(&o->word);
    o->pend = o->cutting = false;
}

static void open_line_copy(open_line *dst, const open_line *src)
{
    open_line_free(dst);
    for (size_t i = 0; i < src->v.n; i++) {
        const st *t = &src->v.v[i];
        st_copy(stvec_push(&dst->v), t, 0, t->text.len, t->width);
    }
    st_copy(&dst->word, &src->word, 0, src->word.text.len, src->word.width);
    dst->pend = src->pend;
    dst->cutting = src->cutting;
    dst->space_style = src->space_style;
}

/* The word held back in o, then in, into joined (o no longer holds it back). */
static void open_line_take_word(open_line *o, const st *in, st *joined)
{
    st_copy(joined, &o->word, 0, o->word.text.len, o->word.width);
    st_copy(joined, in, 0, in->text.len, in->width);
    st_free(&o->word);
}

/* Wraps in after o's line and the word held back (into o, lines after it added); last: nothing
 * follows (wrap_finish). */
static void open_line_feed(open_line *o, const st *in, int avail, bool last)
{
    st joined = {0};
    if (o->word.text.len) {
        open_line_take_word(o, in, &joined);
        in = &joined;
    }
    wrapper w = {&o->v, 0, NULL, NULL, o->v.n ? &o->v.v[o->v.n - 1] : NULL, 0, 0, o->pend,
                 o->space_style, o->cutting};
    wrap_feed(&w, in, avail);
    if (last)
        wrap_finish(&w);
    o->pend = w.pend;
    o->cutting = w.cutting;
    o->space_style = w.space_style;
    st_free(&joined);
}

/* Like open_line_feed with more to follow, when in ends inside a word: the start of that word
 * is held back (wrapped with what follows) unless it is wider than a line or goes on one being
 * cut (then it is cut as the text whole has it, and what follows goes on cutting). */
static void open_line_feed_in_word(open_line *o, const st *in, int avail)
{
    size_t w = in->text.len;   /* after the last blank in `in` (the word held back has none) */
    while (w > 0 && in->text.data[w - 1] != ' ' && in->text.data[w - 1] != '\n')
        w--;
    if (w == 0 && o->cutting) {   /* a long word being cut goes on (no copy, no measure) */
        open_line_feed(o, in, avail, false);
        return;
    }
    st all = {0};
    if (w)
        w += o->word.text.len;
    open_line_take_word(o, in, &all);
    int ww = str_width(all.text.data + w, all.text.len - w);
    if (ww > avail) {
        open_line_feed(o, &all, avail, false);
    } else {
        st head = {0};
        st_copy(&head, &all, 0, w, all.width - ww);
        open_line_feed(o, &head, avail, false);
        st_copy(&o->word, &all, w, all.text.len, ww);
        st_free(&head);
    }
    st_free(&all);
}

/* ------------------------------------------------------------------ the streaming state */

/* One level of container prefix: a quote bar, a list item's marker (first line) and indent. */
typedef struct lvl {
    struct lvl *up;
    char first[24], rest[24];
    pd_md_style st_first, st_rest;
    bool used;
    int total;                    /* display width of the prefixes up to here */
} lvl;

/* The verbatim blocks whose lines are laid out as they come (see cs_on). */
typedef enum verbatim_kind { CODE_FENCED, CODE_INDENTED, CODE_HTML } verbatim_kind;

/* How deep in lists and quotes a split may be (see render_split). */
#define SPLIT_LEVELS 8
/* How many splits are kept, one inside the other: a list's and its last item's at each level */
#define SPLITS_KEPT (2 * SPLIT_LEVELS)

/* The longest tag name that starts another kind of HTML block ("blockquote", "figcaption"). */
#define HTML_BLOCK_NAME_MAX 16

/* A tag name seen at a line's start, and whether it starts an HTML block anywhere. */
typedef struct html_name_seen {
    char name[HTML_BLOCK_NAME_MAX + 2];   /* ('/' before it when closing) */
    bool block;
} html_name_seen;
#define HTML_NAMES_KEPT 8

/* What one container around a nested split takes off the start of each of its lines: a quote's
 * '>' (and one space after it), or a list item's indent (the column its content starts at). */
typedef struct strip {
    bool quote;
    size_t indent;
    bool loose;                   /* the item's list is loose */
} strip;

/* Where renders of a long list or quote may start again (see pd_md's ss_*): at line pos, which
 * starts one of its items or blocks, inside n_strips containers whose prefixes the lines lose
 * before being parsed, laid out inside the prefixes chain[0..n_chain) (outermost first) at
 * `depth` with base style `base`. */
typedef struct split_at {
    size_t pos, lines;
    int line_no;                  /* offered: pos's line in the text rendered (pos its offset) */
    size_t level;                 /* offered: how many lists and quotes hold its box there */
    bool list, tight, sep;
    /* item: the split is at a block of a list's item (not the first): the text from pos is laid
     * out as that item's blocks, its first line read as if it began the item (head: what began
     * it, its marker between spaces, item_w bytes) */
    bool item;
    char head[16];
    size_t item_w;
    int num, depth;
    pd_md_style base;
    strip strips[SPLIT_LEVELS];
    size_t n_strips;
    lvl chain[SPLIT_LEVELS];
    size_t n_chain;
} split_at;


/* What the settled part of the open paragraph leaves open, each taken as text so far (as it is
 * when nothing closes it): a later closer sends the paragraph back to what was settled before
 * the settling that left it (para_unsettle). */
typedef struct pi_open {
    size_t brackets;              /* '[' no ']' closed */
    bool star, under;             /* a run of '*' or '_' that may still open emphasis */
    uint64_t ticks;               /* the lengths of backtick runs no run closed (tick_bit) */
    bool lt;                      /* a '<' that may still start raw HTML or an autolink */
} pi_open;

/* A settling that left something open (taken as text): the settled state before it, and what it
 * left open. */
typedef struct pi_back {
    size_t src, lines, breaks;
    open_line line;
    pi_open opens;
} pi_back;

/* Settlings kept to go back to; the oldest two are made one when there would be more. */
#define PI_BACKS 32

struct pd_md {
    pd_buf src;                   /* the text so far, line ends made LF */
    bool after_cr;                /* the last piece ended in CR: an LF opening the next is its pair */
    int width;
    locale_t loc;                 /* a UTF-8 LC_CTYPE for wcwidth, or 0 to use the caller's */
    pd_md_line *lines;
    size_t n_lines, cap_lines;
    size_t n_done_lines;          /* lines of finished chunks */
    size_t *chunk_end;            /* finished chunk i is [chunk_end[i-1], chunk_end[i]) */
    size_t *chunk_lines;          /* its lines end at chunk_lines[i] */
    size_t n_chunks, cap_chunks;
    /* Link references: libcmark applies a definition to the whole text, before it too, so a
     * chunk is laid out with the chunks whose definitions may apply to its labels (see
     * render_among), and laid out again when a later one defines one of them (relay_chunks). */
    md_refs *refs;
    size_t first_label_chunk;     /* the first chunk with labels (n_chunks: none) */
    md_label_scan tail_scan;      /* the labels of the tail */
    md_keys tail_labels;
    size_t tail_labels_met;       /* those looked up among the chunks' definitions */
    bool tail_refs;               /* a chunk's definitions may apply to the tail */
    md_keys tail_defs;            /* what the tail's complete lines may define */
    md_keys line_defs;            /* and the line being written, at the last render */
    bool tail_all_defs;           /* each line of the tail so far may define one */
    pd_buf among;                 /* chunks and the text laid out among them */
    size_t done;                  /* end of the last finished chunk */
    /* line scanner (complete lines only) */
    size_t scan;                  /* start of the first line not yet complete */
    size_t nl_from;               /* where the search for its end resumes */
    bool start_told;              /* whether the text starts with a byte order mark is known */
    unsigned bom_have;            /* its bytes seen (not kept) */
    bool after_blank, in_fence, fence_top;
    const char *html_end;         /* in a top-level HTML block: the text that ends it on a line
                                   * ("-->"; "" a blank line), or NULL */
    html_name_seen html_names[HTML_NAMES_KEPT];   /* (html_block_name) */
    unsigned html_names_next;
    char fence_ch;
    size_t fence_len, fence_start;
    /* tail */
    bool tail_dirty;
    size_t code_cached;           /* tail lines kept while the tail is an open top-level fence */
    size_t code_next;             /* offset of the first fence line not in code_cached */
    /* Fast path: plain text (letters, digits, spaces, some punctuation) appended on the line
     * that ends the tail's last wrapped paragraph cannot change how anything before it parses,
     * so only that paragraph's last line is wrapped again. */
    bool fp_cand;                 /* the last line emitted ended a wrapped paragraph */
    size_t fp_cand_prefix;        /* its prefix's length in bytes */
    bool fp_ok;
    size_t fp_src;                /* source laid out so far (after its last non-space byte) */
    size_t fp_prefix;             /* bytes of the last line that are its prefix */
    st fp_rest;                   /* the prefix of lines after it */
    int fp_avail;
    /* Open paragraph: the tail ends with a top-level paragraph (starting at pi_start, its first
     * line is line pi_first) whose inline content before pi_src is settled: no text after it can
     * change how it parses. Only [pi_src, end) is parsed again, and only the lines from pi_lines
     * on are laid out again, after pi_line (line pi_lines as the settled content wrapped it). */
    bool pi_on;
    /* Its first line starts with a tag that may still make it an HTML block of one tag (a line
     * that ends in '>': para_lone_tag); looked at up to pi_lone_tag_scan. */
    bool pi_lone_tag;
    size_t pi_lone_tag_scan;
    size_t pi_start, pi_first, pi_lines, pi_src;
    /* The open paragraph is an ATX heading of this level (else 0): its one line, from its text's
     * first character (pi_start), is followed the same way, parsed after a "# " (pi_parse). */
    int pi_heading;
    size_t pi_tried;              /* the word start para_settle last tried */
    pi_open pi_opens;             /* what the settled part left open: all pi_backs left (kept) */
    /* Where a settling first failed for a '*', '_', '`' or '<' left open (0: none failed since
     * the last one that settled): such a run is taken as text once PARA_OPEN_WAIT bytes later */
    size_t pi_run_since;
    /* The last settling at a word start failed for a backtick run it left open: the word starts
     * may all be inside code spans ("`a `b` c `d`"), the next try is inside a word, where the
     * runs pair up (para_settle) */
    bool pi_words_stuck;
    bool pi_hold;                 /* nothing left open is taken as text (see render_para_text) */
    /* Line breaks of the paragraph itself (not inside a link or other inline) in the settled
     * part: from 2 on, no line after pi_src can be a table's delimiter row (try_table's second) */
    size_t pi_breaks;
    /* The paragraph can be no table: its first line is no table's header (para_table_check),
     * so its second line is one like any later one. The first line is looked at from
     * pi_header_scan on until pi_header_done. */
    bool pi_no_table, pi_header_done;
    size_t pi_header_scan;
    /* The settlings that left something open (pi_opens is all they left), oldest first: what
     * may close one goes back to the state before the last of them that left such a thing open
     * (para_unsettle). */
    pi_back pi_backs[PI_BACKS];
    size_t n_pi_backs;
    /* Split: the tail ends with a list or quote (at the top level or the last block of others)
     * and lines before ss.lines are final; the text from ss.pos (where one of its items or blocks
     * starts), its lines without the prefixes of the containers around it, is rendered on its own
     * as the same list (tight or not, numbered from ss.num, after a blank line when ss.sep: the
     * items before showed nothing) or quote (after a blank quote line). The splits kept, the
     * outermost first (n_splits of them), are tried from the innermost (ss: the one rendered);
     * one that fails (its item or list ended) is dropped. */
    split_at ss, splits[SPLITS_KEPT];
    size_t n_splits;
    /* Code: the tail ends with a fenced code block left open, the last block inside lists or
     * quotes; its lines from cs_pos on are laid out after line cs_lines (those before are
     * final), inside the prefixes cs_chain (outermost first), each source line taking the
     * containers' prefixes cs_strips and up to cs_indent spaces off, until one closes the fence
     * (cs_ch, cs_len) or leaves the containers. */
    bool cs_on;
    verbatim_kind cs_kind;            /* fenced (closed by cs_ch, cs_len), indented or HTML */
    size_t cs_pos, cs_lines, cs_len, cs_indent, n_cs_strips, n_cs_chain;
    char cs_ch;
    strip cs_strips[SPLIT_LEVELS];
    lvl cs_chain[SPLIT_LEVELS];
    /* Table: the tail ends with a top-level table (its first line is ti_first) whose rows before
     * ti_src are parsed and kept (ti_rows, the header first) with their columns' widest cells
     * (ti_nat); the first ti_laid of them take ti_lines lines at column widths ti_w. */
    bool ti_on;
    size_t ti_start, ti_src, ti_first, ti_lines, ti_laid, ti_ncol, ti_n, ti_cap, ti_start_src;
    /* A nested table (ti_nested): the last block inside lists or quotes. Its text with the
     * containers' prefixes (ti_strips) taken off each line but its first (as it is from
     * ti_start) is kept in ti_nest, its complete lines (ti_nest_full bytes) read from the source
     * up to ti_nest_src, then what there is of the line being written; the ti_ offsets are in it.
     * Laid out inside the prefixes ti_chain as they stood before its first line, its body rows
     * in style ti_base (a top-level table's: normal). */
    bool ti_nested;
    pd_buf ti_nest;
    size_t ti_nest_src, ti_nest_full, n_ti_strips, n_ti_chain;
    strip ti_strips[SPLIT_LEVELS];
    lvl ti_chain[SPLIT_LEVELS];
    pd_md_style ti_base;
    char *ti_align;
    struct row *ti_rows;
    struct row_open *tr;          /* the table's row being written, when long (render_open_row) */
    int *ti_nat, *ti_w;
    open_line pi_line;
    /* A nested open paragraph (pi_nested): the last block inside lists or quotes. Its text with
     * the containers' prefixes taken off each line (pi_strips; its first line as it is from
     * where the paragraph starts) is kept in pi_nest: its finished lines read from the source up
     * to pi_nest_src (pi_nest_first: not past its first line yet), then the line being written
     * up to pi_nest_part when it is in (else 0); the pi_ offsets are in it. Its lines are laid out pi_avail wide inside the
     * prefixes pi_chain (as they stood before its first line). */
    bool pi_nested, pi_nest_first;
    bool pi_pushed;               /* the settling laid out lines in this render */
    pd_buf pi_nest;
    size_t pi_start_src, pi_nest_src, pi_nest_part, n_pi_strips, n_pi_chain;
    int pi_avail;
    pd_md_style pi_base;          /* the style its text is laid out in (a quote's) */
    strip pi_strips[SPLIT_LEVELS];
    lvl pi_chain[SPLIT_LEVELS];
    /* Marker line: the line being written (from mk_ls, read up to mk_scan) is mk_marks of one
     * thematic break or setext underline character mk_ch after up to 3 spaces (mk_indent), with
     * blanks between them (mk_inside) or not. mk_bad: it is not (or no longer), mk_same: the
     * tail renders as with the line cut to three of them (mk_checked: that was asked). */
    bool mk_on, mk_bad, mk_checked, mk_checked_inside, mk_same, mk_inside, mk_pending;
    bool mk_laid;                 /* the tail's lines are the line cut, as it stands */
    bool whole;                   /* a whole render (render_whole): no marker line or fence
                                   * line followed, the tail rendered as it is */
    size_t mk_ls, mk_scan, mk_marks, mk_indent;
    char mk_ch;
    /* Fence head: the tail's last line, from fh_ls, is one being written that opens a top-level
     * fenced code block (fh_on). The text before it is laid out in the lines before fh_pre (the
     * chunk it becomes), its info string's text before fh_src in those before fh_lines (final)
     * and fh_rest, the last piece of the line (fh_first: its first), which what follows goes on
     * from. The line was read up to fh_scan; its text ends (no blank after) at fh_text_end. */
    bool fh_on, fh_first;
    size_t fh_ls, fh_pre, fh_src, fh_lines, fh_scan, fh_text_end;
    /* fh_nested: the fence line is inside lists or quotes, the last line of their last block
     * (from fh_ls, where its fence starts): the lines before fh_line0 are final, its own are laid
     * out inside the prefixes fh_chain as they stood before it */
    bool fh_nested;
    size_t fh_line0, n_fh_chain;
    lvl fh_chain[SPLIT_LEVELS];
    size_t fh_lead;               /* after the first character of its info string that stands
                                   * for no blank, once fh_lead_found */
    bool fh_lead_found;
    size_t fh_checked_ls;         /* 1 + the start of the last line fence_head_opens looked at */
    /* A verbatim block's line being written (see emit_open_verbatim), from ov_ls - 1 (0: none),
     * its text from ov_ts: laid out (of the source up to ov_read), its last piece from ov_at
     * (ov_first: the line's first) on line ov_line. */
    size_t ov_ls, ov_ts, ov_read, ov_at, ov_line;
    bool ov_first;
    st ov_text;
    bool fh_opens;                /* what it found */
    st fh_rest;
    pd_md_stats stats;
};

/* Forgets the settlings kept to go back to from the i-th on. */
static void pi_backs_drop(pd_md *md, size_t i)
{
    while (md->n_pi_backs > i)
        open_line_free(&md->pi_backs[--md->n_pi_backs].line);
}

static void line_free(pd_md_line *l)
{
    free(l->text);
    free(l->spans);
}

/* Makes l the line t holds (t is left empty). */
static void line_take(pd_md_line *l, st *t)
{
    l->len = t->text.len;
    l->text = pd_buf_take(&t->text);
    l->width = t->width;
    l->spans = t->spans;
    l->n_spans = t->n;
    t->spans = NULL;
    t->n = t->cap = 0;
    t->width = 0;
}

/* The place for one more line. */
static pd_md_line *line_slot(pd_md *md)
{
    if (md->n_lines == md->cap_lines) {
        md->cap_lines = md->cap_lines ? md->cap_lines * 2 : 64;
        md->lines = pd_xrealloc(md->lines, md->cap_lines * sizeof *md->lines);
    }
    return &md->lines[md->n_lines++];
}

static void push_line(pd_md *md, st *t)
{
    line_take(line_slot(md), t);
}

static void truncate_lines(pd_md *md, size_t n)
{
    while (md->n_lines > n)
        line_free(&md->lines[--md->n_lines]);
}

/* ------------------------------------------------------------------ layout of a cmark tree */

/* An item of a list or a block of a quote, as laid out. */
typedef struct top_mark {
    cmark_node *child;
    size_t line;                  /* the number of lines before it (and its blank line) */
    int index;
    bool sep;                     /* a blank line was pending before it (earlier ones empty) */
} top_mark;

/* A list or quote laid out inside `level` others (its index in R's marks): its last item or
 * block and the one before, and the prefixes around it (outermost first), depth and base style
 * they were laid out with. */
typedef struct box_mark {
    cmark_node *box;
    top_mark last, prev;
    lvl chain[SPLIT_LEVELS];
    size_t n_chain;               /* SIZE_MAX: inside too many prefixes to follow */
    int depth;
    pd_md_style base;
} box_mark;

typedef struct R {
    pd_md *md;
    int width;
    const char *src;              /* the chunk's text (for telling fenced from indented code) */
    size_t src_len;
    int seek_line;                /* 0, or the number of the line of src starting at seek_at */
    const char *seek_at;
    bool sep_pending;
    st sep;                       /* the blank line's prefix (quote bars) */
    cmark_node *para;             /* the last top-level paragraph laid out as one (not a table),
                                   * or heading */
    size_t para_line;             /* the index of its first line */
    cmark_node *doc;
    box_mark marks[SPLIT_LEVELS]; /* the last list or quote laid out at each level of nesting */
    box_mark item_marks[SPLIT_LEVELS]; /* the last item of the list in marks, its blocks */
    pd_md_style base;             /* the style the text's top-level blocks are laid out in */
    bool top_loose;               /* the text's first list is loose whatever its last line is */
    cmark_node *table;            /* the last top-level paragraph laid out as a table */
    size_t table_line;            /* the index of its first line */
    /* A code or HTML block that is the text's last block, inside code_depth lists or quotes (it
     * may be open): what kind, the line count before each of its lines and after all of them
     * (code_line_at, n_code_lines + 1 of them), the prefixes of its lines (outermost first;
     * SIZE_MAX: too many to follow). */
    cmark_node *code;
    int code_depth;
    bool src_open_end;            /* the source's last line has no end yet (split_text ends it) */
    verbatim_kind code_kind;
    size_t *code_line_at, n_code_lines;
    lvl code_chain[SPLIT_LEVELS];
    size_t n_code_chain;
    size_t fence_line, n_fence_chain; /* a fenced r->code's first line, the prefixes before it */
    lvl fence_chain[SPLIT_LEVELS];
    /* A paragraph that is the text's last block inside lists or quotes: laid out as one (not a
     * table: npara_laid) from line npara_line, inside the prefixes npara_chain as they stood
     * before its first line. */
    cmark_node *npara;
    pd_md_style npara_base;
    bool npara_laid, npara_table;  /* laid out (as a table) */
    size_t npara_line, n_npara_chain;
    lvl npara_chain[SPLIT_LEVELS];
} R;

static void lvl_init(lvl *l, lvl *up, const char *first, pd_md_style sf, const char *rest,
                     pd_md_style sr)
{
    memset(l, 0, sizeof *l);
    l->up = up;
    snprintf(l->first, sizeof l->first, "%s", first);
    snprintf(l->rest, sizeof l->rest, "%s", rest);
    l->st_first = sf;
    l->st_rest = sr;
    l->total = (up ? up->total : 0) + str_width(rest, strlen(rest));
}

static int avail_of(const R *r, const lvl *l)
{
    int a = r->width - (l ? l->total : 0);
    return a < 1 ? 1 : a;
}

static void put_prefix(st *t, lvl *l, bool consume)
{
    if (!l)
        return;
    put_prefix(t, l->up, consume);
    const char *p = l->used ? l->rest : l->first;
    pd_md_style s = l->used ? l->st_rest : l->st_first;
    st_put(t, s, p, strlen(p), str_width(p, strlen(p)));
    if (consume)
        l->used = true;
}

static void request_sep(R *r, lvl *l)
{
    st_free(&r->sep);
    put_prefix(&r->sep, l, false);
    size_t b = r->sep.text.len;
    while (b > 0 && r->sep.text.data[b - 1] == ' ')
        b--;
    if (b < r->sep.text.len) {
        st t = {0};
        st_copy(&t, &r->sep, 0, b, str_width(r->sep.text.data, b));
        st_free(&r->sep);
        r->sep = t;
    }
    r->sep_pending = true;
}

/* The blank line asked for between blocks, before the next line (none at the very top). */
static void flush_sep(R *r)
{
    if (r->sep_pending && r->md->n_lines > 0) {
        st blank = {0};
        st_copy(&blank, &r->sep, 0, r->sep.text.len, r->sep.width);
        push_line(r->md, &blank);
        st_free(&blank);
    }
    r->sep_pending = false;
}

static void emit(R *r, lvl *l, const st *content)
{
    flush_sep(r);
    st line = {0};
    put_prefix(&line, l, true);
    r->md->fp_cand = false;
    r->md->fp_cand_prefix = line.text.len;
    st_copy(&line, content, 0, content->text.len, content->width);
    push_line(r->md, &line);
    st_free(&line);
}

typedef struct wrap_ctx {
    lvl *l;
    size_t prefix_len;            /* of the last line started */
} wrap_ctx;

static void wrapped_line_start(void *ctx, st *line)
{
    wrap_ctx *c = ctx;
    put_prefix(line, c->l, true);
    c->prefix_len = line->text.len;
}

static void emit_wrapped(R *r, lvl *l, const st *in)
{
    stvec lines = {0};
    wrap_ctx c = {l, 0};
    /* the prefix goes in as each line starts, so lines are pushed without another copy */
    wrap_lines(in, avail_of(r, l), &lines, wrapped_line_start, &c, NULL);
    if (lines.n)
        flush_sep(r);
    for (size_t i = 0; i < lines.n; i++)
        push_line(r->md, &lines.v[i]);
    r->md->fp_cand_prefix = c.prefix_len;
    if (lines.n) {
        pd_md *md = r->md;
        md->fp_cand = true;
        st_free(&md->fp_rest);
        put_prefix(&md->fp_rest, l, false);
        md->fp_avail = avail_of(r, l);
    }
    stvec_free(&lines);
}

/* Lays out t, one line of verbatim text, cut into avail-wide pieces, each after the first marked
 * as a continuation (first: t starts the line; else it goes on from an earlier piece). The
 * pieces before the last never change when more text is added to t; the last is kept in last
 * (NULL: emitted like the others). at (may be NULL: 0): where in t the first piece starts, set to
 * where the last one does; t's fits bytes from there, fits_w wide, are known to fit on the first
 * piece (the last piece laid out before). */
static void emit_cut(R *r, lvl *l, const st *t, size_t *at, bool first, st *last, size_t fits, int fits_w)
{
    int avail = avail_of(r, l);
    int cont_w = str_width(CODE_CONT, strlen(CODE_CONT));
    size_t start = at ? *at : 0, i = start;
    while (i < t->text.len) {
        if (at)
            *at = i;
        st piece = {0};
        int room = avail;
        if (!first && avail > cont_w + 1) {
            st_put(&piece, PD_MD_MARKUP, CODE_CONT, strlen(CODE_CONT), cont_w);
            room -= cont_w;
        }
        size_t j = i;
        int w = 0;
        if (i == start) {
            j = start + fits;
            w = fits_w;
        }
        while (j < t->text.len) {
            uint32_t cp;
            size_t len = 1;
            int cw = 1;   /* laid out text: an ASCII byte is a printable character */
            if ((unsigned char)t->text.data[j] >= 0x80) {
                len = pd_utf8_next(t->text.data + j, t->text.len - j, &cp, NULL);
                cw = cp_width(cp);
            }
            if (w + cw > room && j > i)
                break;
            w += cw;
            j += len;
        }
        if (last && j == t->text.len) {
            st_free(last);
            st_copy(last, t, i, j, w);
        } else {
            st_copy(&piece, t, i, j, w);
            emit(r, l, &piece);
        }
        st_free(&piece);
        i = j;
        first = false;
    }
}

/* One line of verbatim text t: as it is when it fits (even empty), else cut (emit_cut). */
static void emit_line_cut(R *r, lvl *l, const st *t)
{
    if (t->width <= avail_of(r, l))
        emit(r, l, t);
    else
        emit_cut(r, l, t, NULL, true, NULL, 0, 0);
}

/* One verbatim line (code, raw HTML): cut into avail-wide pieces, continuation marked. */
static void emit_verbatim(R *r, lvl *l, const char *s, size_t n, pd_md_style style)
{
    if (n && s[n - 1] == '\r')
        n--;
    st t = {0};
    st_san(&t, style, s, n, true);
    emit_line_cut(r, l, &t);
    st_free(&t);
}

static size_t chain_save(lvl *chain, const lvl *l);

/* Lays out each line of s; when tail, the line count before each and after all goes in
 * r->code_line_at, with the prefixes of l (the tail's last block, see R). */
static void emit_verbatim_lines(R *r, lvl *l, const char *s, pd_md_style style, bool tail)
{
    size_t n = strlen(s);
    if (tail) {
        if (n)
            flush_sep(r); /* the blank line before the block is no line of it */
        r->n_code_chain = chain_save(r->code_chain, l);
        r->code_line_at = pd_xrealloc(r->code_line_at, (n + 2) * sizeof *r->code_line_at);
        r->n_code_lines = 0;
    }
    while (n > 0) {
        if (tail)
            r->code_line_at[r->n_code_lines++] = r->md->n_lines;
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) : n;
        emit_verbatim(r, l, s, len, style);
        if (!nl)
            break;
        n -= len + 1;
        s = nl + 1;
    }
    if (tail)
        r->code_line_at[r->n_code_lines] = r->md->n_lines;
}

/* A fence line: three fence characters and the info string, cut like a code line when wider than
 * the line (a language tag may run on). */
static void emit_fence_line(R *r, lvl *l, char ch, const char *info)
{
    st t = {0};
    char fence[4] = {ch, ch, ch, 0};
    st_put(&t, PD_MD_MARKUP, fence, 3, 3);
    if (info && *info)
        st_san(&t, PD_MD_MARKUP, info, strlen(info), false);
    emit_line_cut(r, l, &t);
    st_free(&t);
}

static void inlines(st *ib, cmark_node *node, pd_md_style style);

/* Adds one inline node c to ib; style is the enclosing style. */
static void inline_node(st *ib, cmark_node *c, pd_md_style style)
{
    const char *lit = cmark_node_get_literal(c);
    bool keep = style == PD_MD_HEADING || style == PD_MD_TABLE_HEAD;
    switch (cmark_node_get_type(c)) {
    case CMARK_NODE_TEXT:
        st_san(ib, style, lit, strlen(lit), false);
        break;
    case CMARK_NODE_CODE:
        st_san(ib, PD_MD_CODE, lit, strlen(lit), false);
        break;
    case CMARK_NODE_HTML_INLINE:
        st_san(ib, PD_MD_MARKUP, lit, strlen(lit), false);
        break;
    case CMARK_NODE_SOFTBREAK:
        st_put(ib, style, " ", 1, 1);
        break;
    case CMARK_NODE_LINEBREAK:
        st_put(ib, style, "\n", 1, 0);
        break;
    case CMARK_NODE_EMPH:
        inlines(ib, c, keep ? style : PD_MD_EMPH);
        break;
    case CMARK_NODE_STRONG:
        inlines(ib, c, keep ? style : PD_MD_STRONG);
        break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: {
        bool image = cmark_node_get_type(c) == CMARK_NODE_IMAGE;
        if (image)
            st_put(ib, PD_MD_MARKUP, "[image: ", 8, 8);
        size_t before = ib->text.len;
        inlines(ib, c, image ? style : PD_MD_LINK);
        if (image)
            st_put(ib, PD_MD_MARKUP, "]", 1, 1);
        const char *url = cmark_node_get_url(c);
        size_t tl = ib->text.len - before, ul = url ? strlen(url) : 0;
        const char *txt = ib->text.data ? ib->text.data + before : "";
        bool same = (tl == ul && memcmp(txt, url, ul) == 0) ||
                    (ul == tl + 7 && strncmp(url, "mailto:", 7) == 0 &&
                     memcmp(txt, url + 7, tl) == 0);
        if (ul && !same) {
            st_put(ib, PD_MD_URL, " <", 2, 2);
            st_san(ib, PD_MD_URL, url, ul, false);
            st_put(ib, PD_MD_URL, ">", 1, 1);
        }
        break;
    }
    default:
        inlines(ib, c, style);
        break;
    }
}

/* Builds the inline content of node into ib. */
static void inlines(st *ib, cmark_node *node, pd_md_style style)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
        inline_node(ib, c, style);
}

/* ---- GFM pipe tables (laid out by hand: libcmark has no table extension) ---- */

typedef struct row {
    st *cells;
    size_t n;
} row;

static void table_reset(pd_md *md);

static void row_free(row *rw)
{
    for (size_t i = 0; i < rw->n; i++)
        st_free(&rw->cells[i]);
    free(rw->cells);
}

static st *row_add(row *rw)
{
    rw->cells = pd_xrealloc(rw->cells, (rw->n + 1) * sizeof *rw->cells);
    memset(&rw->cells[rw->n], 0, sizeof(st));
    return &rw->cells[rw->n++];
}

static bool is_break(cmark_node *c)
{
    cmark_node_type t = cmark_node_get_type(c);
    return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* Splits the inline nodes [from, to) at '|' into cells. */
/* Cuts a row's inline content into its cells at the '|'s of its text, in pieces (a row being
 * written is cut as its text settles): the cells so far are out's, the last one open. */
typedef struct row_cut {
    row *out;
    pd_md_style style;
    bool first;                   /* nothing cut yet */
    bool lead, trail;             /* the row starts with a '|'; its text so far ends with one */
} row_cut;

static void row_cut_text(row_cut *rc, const char *lit, size_t n)
{
    if (rc->first) {
        size_t k = 0;
        while (k < n && lit[k] == ' ')
            k++;
        rc->lead = k < n && lit[k] == '|';
    }
    rc->first = false;
    for (size_t i = 0; i <= n;) {
        const char *bar = memchr(lit + i, '|', n - i);
        size_t end = bar ? (size_t)(bar - lit) : n;
        st_san(&rc->out->cells[rc->out->n - 1], rc->style, lit + i, end - i, false);
        if (!bar)
            break;
        row_add(rc->out);
        i = end + 1;
    }
    size_t e = n;
    while (e > 0 && lit[e - 1] == ' ')
        e--;
    rc->trail = e > 0 ? lit[e - 1] == '|' : rc->trail;   /* blanks alone (a piece) keep it */
}

static void row_cut_nodes(row_cut *rc, cmark_node *from, cmark_node *to)
{
    for (cmark_node *c = from; c != to; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
            const char *lit = cmark_node_get_literal(c);
            row_cut_text(rc, lit, strlen(lit));
        } else {
            inline_node(&rc->out->cells[rc->out->n - 1], c, rc->style);
            rc->first = rc->trail = false;
        }
    }
}

/* The cells' blanks trimmed, the empty cells before the row's leading '|' and after its
 * trailing one dropped. */
static void row_cut_end(row_cut *rc)
{
    row *out = rc->out;
    for (size_t i = 0; i < out->n; i++)
        st_trim(&out->cells[i]);
    if (rc->trail && out->n > 1 && out->cells[out->n - 1].text.len == 0)
        st_free(&out->cells[--out->n]);
    if (rc->lead && out->n > 1 && out->cells[0].text.len == 0) {
        st_free(&out->cells[0]);
        memmove(out->cells, out->cells + 1, (out->n - 1) * sizeof *out->cells);
        out->n--;
    }
}

static void split_row(cmark_node *from, cmark_node *to, pd_md_style style, row *out)
{
    row_cut rc = {out, style, true, false, false};
    row_add(out);
    row_cut_nodes(&rc, from, to);
    row_cut_end(&rc);
}

/* The longest delimiter row, the blanks around it aside: a longer line of '|', '-' and ':' is
 * text. No table has one (it would have hundreds of columns); without a bound, such a line
 * streamed without end would be laid out whole at each render while it may still become one. */
#define DELIM_ROW_MAX 1024

/* Length of s[0, n) without the blanks at its ends. */
static size_t trimmed_len(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return n - i;
}

/* The columns of the delimiter row s ("|---|:-:|"), their alignments in *align (when not NULL;
 * caller frees); 0 when s is none. */
static size_t parse_delim_text(const char *s, char **align)
{
    size_t n = 0;
    bool bar = false;
    char *al = NULL;
    if (trimmed_len(s, strlen(s)) > DELIM_ROW_MAX)
        return 0;
    while (*s == ' ')
        s++;
    if (*s == '|')
        s++, bar = true;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        bool left = *s == ':';
        if (left)
            s++;
        int dashes = 0;
        while (*s == '-')
            s++, dashes++;
        bool right = *s == ':';
        if (right)
            s++;
        while (*s == ' ')
            s++;
        if (dashes == 0 || (*s && *s != '|')) {
            free(al);
            return 0;
        }
        al = pd_xrealloc(al, n + 1);
        al[n++] = left && right ? 'c' : right ? 'r' : 'l';
        if (*s == '|')
            s++, bar = true;
    }
    if (n == 0 || (!bar && n < 2) || !align) {
        free(al);
        return n == 0 || (!bar && n < 2) ? 0 : n;
    }
    *align = al;
    return n;
}

/* The delimiter row the text nodes [from, to) make (parse_delim_text). */
static size_t parse_delim(cmark_node *from, cmark_node *to, char **align)
{
    pd_buf b = PD_BUF_INIT;
    for (cmark_node *c = from; c != to; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) != CMARK_NODE_TEXT) {
            pd_buf_free(&b);
            return 0;
        }
        pd_buf_puts(&b, cmark_node_get_literal(c));
    }
    size_t n = parse_delim_text(pd_buf_str(&b), align);
    pd_buf_free(&b);
    return n;
}

static void pad(st *t, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n > 32 ? 32 : n;
        st_put(t, PD_MD_NORMAL, spaces, (size_t)k, k);
        n -= k;
    }
}

/* A column's lines in a row: those of a, then those of b (when not NULL). */
typedef struct col_lines {
    const stvec *a, *b;
} col_lines;

static size_t col_height(const col_lines *c)
{
    return (c->a ? c->a->n : 0) + (c->b ? c->b->n : 0);
}

static const st *col_line(const col_lines *c, size_t h)
{
    size_t na = c->a ? c->a->n : 0;
    return h < na ? &c->a->v[h] : c->b && h - na < c->b->n ? &c->b->v[h - na] : NULL;
}

/* Line h of a table row whose column c is laid out in the lines col[c], at the given column
 * widths. */
static void table_line(st *t, const col_lines *col, size_t h, size_t ncol, const int *w, const char *align)
{
    for (size_t c = 0; c < ncol; c++) {
        if (c > 0)
            st_put(t, PD_MD_MARKUP, " \xe2\x94\x82 ", 5, 3);
        const st *cell = col_line(&col[c], h);
        int cw = cell ? cell->width : 0, space = w[c] - cw;
        int before = align[c] == 'r' ? space : align[c] == 'c' ? space / 2 : 0;
        pad(t, before);
        if (cell)
            st_copy(t, cell, 0, cell->text.len, cw);
        if (c + 1 < ncol)
            pad(t, space - before);
    }
}

/* Lays out one row of a table at the given column widths (the header with its rule below). */
static void emit_table_row(R *r, lvl *l, const row *rw, bool header, size_t ncol, const int *w,
                           const char *align)
{
    stvec *cl = pd_xcalloc(ncol, sizeof *cl);
    col_lines *col = pd_xcalloc(ncol, sizeof *col);
    size_t height = 1;
    for (size_t c = 0; c < ncol; c++) {
        if (c < rw->n)
            wrap(&rw->cells[c], w[c], &cl[c]);
        col[c].a = &cl[c];
        if (cl[c].n > height)
            height = cl[c].n;
    }
    for (size_t h = 0; h < height; h++) {
        st t = {0};
        table_line(&t, col, h, ncol, w, align);
        emit(r, l, &t);
        st_free(&t);
    }
    free(col);
    for (size_t c = 0; c < ncol; c++)
        stvec_free(&cl[c]);
    free(cl);
    if (header) {
        st t = {0};
        for (size_t c = 0; c < ncol; c++) {
            if (c > 0)
                st_put(&t, PD_MD_MARKUP, "\xe2\x94\x80\xe2\x94\xbc\xe2\x94\x80", 9, 3);
            for (int k = 0; k < w[c]; k++)
                st_put(&t, PD_MD_MARKUP, "\xe2\x94\x80", 3, 1);
        }
        emit(r, l, &t);
        st_free(&t);
    }
}

/* The first inline node of each line of para (caller frees *starts). */
static size_t line_starts(cmark_node *para, cmark_node ***starts)
{
    size_t n = 0, cap = 0;
    *starts = NULL;
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        bool first = c == cmark_node_first_child(para);
        if (!first && !(is_break(c) && cmark_node_next(c)))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *starts = pd_xrealloc(*starts, cap * sizeof **starts);
        }
        (*starts)[n++] = first ? c : cmark_node_next(c);
    }
    return n;
}

/* The widest line of a cell (its hard breaks kept). */
static int cell_width(const st *cell)
{
    int cw = 0;
    stvec tmp = {0};
    wrap(cell, 1 << 20, &tmp);
    for (size_t k = 0; k < tmp.n; k++)
        if (tmp.v[k].width > cw)
            cw = tmp.v[k].width;
    stvec_free(&tmp);
    return cw;
}

/* Turns the columns' natural widths w into the widths laid out; false when the table cannot fit
 * (then it is shown as the paragraph it is written as). */
static bool table_widths(const R *r, lvl *l, size_t ncol, int *w)
{
    int total = 0;
    for (size_t ci = 0; ci < ncol; ci++) {
        if (w[ci] < 1)
            w[ci] = 1;
        total += w[ci];
    }
    int room = avail_of(r, l) - 3 * (int)(ncol - 1);
    if (total <= room)
        return true;
    if (room < 3 * (int)ncol)
        return false;
    /* fair shares: narrow columns keep their width, wide ones split the rest */
    bool *fixed = pd_xcalloc(ncol, sizeof *fixed);
    size_t left = ncol;
    int rem = room;
    bool changed = true;
    while (changed && left > 0) {
        changed = false;
        int share = rem / (int)left;
        for (size_t ci = 0; ci < ncol; ci++)
            if (!fixed[ci] && w[ci] <= share) {
                fixed[ci] = true;
                rem -= w[ci];
                left--;
                changed = true;
            }
    }
    for (size_t ci = 0, k = 0; ci < ncol; ci++)
        if (!fixed[ci]) {
            w[ci] = rem / (int)left + ((int)k < rem % (int)left ? 1 : 0);
            k++;
        }
    free(fixed);
    return true;
}

/* Renders a paragraph that is a pipe table; false when it is not one (or cannot fit). */
static void npara_laid(R *r, lvl *l, pd_md_style base);

static bool try_table(R *r, lvl *l, cmark_node *para, pd_md_style base)
{
    cmark_node **starts, *c;
    size_t n_rows = line_starts(para, &starts);
    if (n_rows < 2) {
        free(starts);
        return false;
    }
    /* the header must hold a '|' */
    bool has_bar = false;
    for (c = starts[0]; c && !is_break(c); c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT && strchr(cmark_node_get_literal(c), '|'))
            has_bar = true;
    char *align = NULL;
    cmark_node *end1 = n_rows > 2 ? cmark_node_previous(starts[2]) : NULL;
    size_t ncol = has_bar ? parse_delim(starts[1], end1, &align) : 0;
    if (ncol == 0) {
        free(starts);
        return false;
    }
    row *rows = pd_xcalloc(n_rows - 1, sizeof *rows);
    size_t nr = 0;
    bool ok = true;
    for (size_t i = 0; i < n_rows; i++) {
        if (i == 1)
            continue;
        cmark_node *end = i + 1 < n_rows ? cmark_node_previous(starts[i + 1]) : NULL;
        split_row(starts[i], end, i == 0 ? PD_MD_TABLE_HEAD : base, &rows[nr]);
        if (i == 0 && rows[nr].n != ncol)
            ok = false;
        nr++;
    }
    free(starts);
    int *w = pd_xcalloc(ncol, sizeof *w);
    if (ok) {
        for (size_t ri = 0; ri < nr; ri++)
            for (size_t ci = 0; ci < ncol && ci < rows[ri].n; ci++) {
                int cw = cell_width(&rows[ri].cells[ci]);
                if (cw > w[ci])
                    w[ci] = cw;
            }
        ok = table_widths(r, l, ncol, w);
    }
    if (ok) {
        if (!l && cmark_node_parent(para) == r->doc) {
            r->table = para;
            r->table_line = r->md->n_lines + (r->sep_pending && r->md->n_lines > 0);
        } else if (para == r->npara) {
            npara_laid(r, l, base);
            r->npara_table = true;
        }
        for (size_t ri = 0; ri < nr; ri++)
            emit_table_row(r, l, &rows[ri], ri == 0, ncol, w, align);
    }
    for (size_t i = 0; i < nr; i++)
        row_free(&rows[i]);
    free(rows);
    free(w);
    free(align);
    return ok;
}

/* The fence character when the code block starts with a fence in the source, 0 when it is
 * indented (libcmark 0.30 does not say). libcmark places a fenced block at its fence, an indented
 * one at its text after the indent, which may start with a fence's characters too: then that
 * line is its text's first (in a fence, the same line with no info string would close it). */
static char fence_char_of(R *r, cmark_node *node)
{
    int line = cmark_node_get_start_line(node), col = cmark_node_get_start_column(node);
    const char *s = r->src, *end = r->src + r->src_len;
    /* blocks come in the order of their lines: from the line found last (each line once) */
    int i = 1;
    if (r->seek_line && r->seek_line <= line)
        i = r->seek_line, s = r->seek_at;
    /* lines end as libcmark ends them: \n, \r\n or a lone \r */
    for (; i < line && s < end; i++) {
        while (s < end && *s != '\n' && *s != '\r')
            s++;
        if (s < end && *s == '\r' && s + 1 < end && s[1] == '\n')
            s++;
        if (s < end)
            s++;
        r->md->stats.lines_sought++;
    }
    r->seek_line = i;
    r->seek_at = s;
    s += col > 0 ? col - 1 : 0;
    const char *at = s, *info = cmark_node_get_fence_info(node), *lit = cmark_node_get_literal(node);
    info = info ? info : "";
    lit = lit ? lit : "";
    while (s < end && *s == ' ')
        s++;
    if (!(end - s >= 3 && (*s == '`' || *s == '~') && s[1] == *s && s[2] == *s))
        return 0;
    size_t n = 0, lit_n = strcspn(lit, "\n");
    while (at + n < end && at[n] != '\n' && at[n] != '\r')
        n++;
    if (!info[0] && lit[lit_n] == '\n' && n == lit_n && memcmp(at, lit, n) == 0)
        return 0;   /* an indented block's first line */
    return *s;
}

static void render_block(R *r, cmark_node *node, lvl *l, pd_md_style base, int depth);

/* Copies l and the prefixes around it into chain, outermost first: how many, or SIZE_MAX when
 * there are more than SPLIT_LEVELS (nothing copied). */
static size_t chain_save(lvl *chain, const lvl *l)
{
    size_t n = 0;
    for (const lvl *p = l; p; p = p->up)
        n++;
    if (n > SPLIT_LEVELS)
        return SIZE_MAX;
    size_t k = n;
    for (const lvl *p = l; p; p = p->up)
        chain[--k] = *p;
    return n;
}

/* Links copies of n saved prefixes (outermost first) into chain: the innermost, or NULL when n
 * is 0. Unless as_saved, their first lines are taken as written before (rest prefixes). */
static lvl *chain_rebuild(lvl *chain, const lvl *saved, size_t n, bool as_saved)
{
    lvl *l = NULL;
    for (size_t i = 0; i < n; i++) {
        chain[i] = saved[i];
        chain[i].up = l;
        chain[i].used = chain[i].used || !as_saved;
        l = &chain[i];
    }
    return l;
}

/* doc's last block that is no list or quote, and how many lists and quotes hold it. */
static cmark_node *last_block(cmark_node *doc, int *depth_out)
{
    cmark_node *b = doc ? cmark_node_last_child(doc) : NULL;
    int depth = 0;
    while (b && (cmark_node_get_type(b) == CMARK_NODE_LIST ||
                 cmark_node_get_type(b) == CMARK_NODE_BLOCK_QUOTE)) {
        b = cmark_node_last_child(b);
        if (b && cmark_node_get_type(b) == CMARK_NODE_ITEM)
            b = cmark_node_last_child(b);
        depth++;
    }
    *depth_out = depth;
    return b;
}

/* What of the tail's last block may be followed as more text comes: a code or HTML block
 * (r->code), a paragraph or heading inside one or more lists or quotes (r->npara). */
static void tail_candidates(R *r, cmark_node *doc)
{
    cmark_node *b = last_block(doc, &r->code_depth);
    cmark_node_type t = b ? cmark_node_get_type(b) : CMARK_NODE_NONE;
    r->code = t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ? b : NULL;
    r->npara = (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) && r->code_depth ? b : NULL;
}

static void quote_lvl(lvl *ql, lvl *up)
{
    lvl_init(ql, up, "\xe2\x94\x82 ", PD_MD_QUOTE, "\xe2\x94\x82 ", PD_MD_QUOTE);
}

/* Notes where child number `index` of a list, quote or list item (box) begins; outer: the
 * prefixes around box (an item's own, its blocks'), depth and base: what render_block was given
 * for it (an item: render_children). */
static void note_box_child(R *r, cmark_node *box, cmark_node *child, int index, lvl *outer,
                           int depth, pd_md_style base)
{
    size_t level = 0, quotes = 0;
    for (cmark_node *p = cmark_node_parent(box); p && p != r->doc; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        level += t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE;
        quotes += t == CMARK_NODE_BLOCK_QUOTE;
    }
    cmark_node_type type = cmark_node_get_type(box);
    /* a quote's blocks are laid out in its style; the quote itself in that of what holds it */
    if (type == CMARK_NODE_BLOCK_QUOTE)
        base = quotes ? PD_MD_QUOTE : r->base;
    /* an item's blocks are marked at the level of its list, inside the item's prefixes (outer) */
    if (type == CMARK_NODE_ITEM)
        level--;
    if (level >= SPLIT_LEVELS)
        return;
    box_mark *m = type == CMARK_NODE_ITEM ? &r->item_marks[level] : &r->marks[level];
    if (m->box != box) {
        m->box = box;
        m->last = (top_mark){0};
        m->depth = depth;
        m->base = base;
        m->n_chain = chain_save(m->chain, outer);
    }
    /* a block after the item's first is laid out with its marker shown (by the first block) */
    if (type == CMARK_NODE_ITEM && index > 0 && !outer->used)
        m->n_chain = SIZE_MAX;
    m->prev = m->last;
    m->last = (top_mark){child, r->md->n_lines, index, r->sep_pending};
}

static void render_children(R *r, cmark_node *node, lvl *l, pd_md_style base, int depth,
                            bool sep)
{
    bool first = true;
    int index = 0;
    cmark_node_type type = cmark_node_get_type(node);
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        if (type == CMARK_NODE_BLOCK_QUOTE)
            note_box_child(r, node, c, index++, l->up, depth - 1, base);
        else if (type == CMARK_NODE_ITEM)
            note_box_child(r, node, c, index++, l, depth, base);
        if (!first && sep)
            request_sep(r, l);
        render_block(r, c, l, base, depth);
        first = false;
    }
}

static void render_list(R *r, cmark_node *list, lvl *l, pd_md_style base, int depth)
{
    static const char *bullets[] = {"\xe2\x80\xa2 ", "\xe2\x97\xa6 ", "\xe2\x96\xaa "};
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    bool tight = cmark_node_get_list_tight(list);
    int num = cmark_node_get_list_start(list);
    char delim = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.';
    int levels = 0;
    for (lvl *p = l; p; p = p->up)
        levels += p->st_first == PD_MD_MARKUP;
    bool first = true;
    int index = 0;
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
        note_box_child(r, list, item, index++, l, depth - 1, base);
        char marker[24], indent[24];
        if (ordered)
            snprintf(marker, sizeof marker, "%d%c ", num++, delim);
        else
            snprintf(marker, sizeof marker, "%s", bullets[levels % 3]);
        int mw = str_width(marker, strlen(marker));
        memset(indent, ' ', (size_t)mw);
        indent[mw] = 0;
        if (!first && !tight)
            request_sep(r, l);
        first = false;
        lvl il;
        lvl_init(&il, l, marker, PD_MD_MARKUP, indent, PD_MD_NORMAL);
        if (!cmark_node_first_child(item)) {
            st empty = {0};
            emit(r, &il, &empty);
        }
        render_children(r, item, &il, base, depth + 1, !tight);
    }
}

/* Notes that r->npara is laid out from the next line on, inside l, its text in style base. */
static void npara_laid(R *r, lvl *l, pd_md_style base)
{
    r->npara_laid = true;
    r->npara_base = base;
    r->npara_line = r->md->n_lines + (r->sep_pending && r->md->n_lines > 0);
    r->n_npara_chain = chain_save(r->npara_chain, l);
}

static void render_block(R *r, cmark_node *node, lvl *l, pd_md_style base, int depth)
{
    r->md->fp_cand = false; /* a later block, even an empty one, ends the paragraph */
    if (depth > 64) {
        /* deeper nesting than a screen can show: the text as it was written */
        const char *lit = "[nested too deep]";
        st t = {0};
        st_put(&t, PD_MD_MARKUP, lit, strlen(lit), (int)strlen(lit));
        emit(r, l, &t);
        st_free(&t);
        return;
    }
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH: {
        if (try_table(r, l, node, base))
            break;
        if (!l && depth == 0) {
            r->para = node;
            r->para_line = r->md->n_lines + (r->sep_pending && r->md->n_lines > 0);
        }
        if (node == r->npara)
            npara_laid(r, l, base);
        st ib = {0};
        inlines(&ib, node, base);
        emit_wrapped(r, l, &ib);
        st_free(&ib);
        break;
    }
    case CMARK_NODE_HEADING: {
        st ib = {0};
        int level = cmark_node_get_heading_level(node);
        if (!l && depth == 0) {   /* a long one being written is followed like a paragraph */
            r->para = node;
            r->para_line = r->md->n_lines + (r->sep_pending && r->md->n_lines > 0);
        }
        if (node == r->npara)
            npara_laid(r, l, PD_MD_HEADING);
        char hashes[8];
        memset(hashes, '#', (size_t)level);
        hashes[level] = ' ';
        st_put(&ib, PD_MD_MARKUP, hashes, (size_t)level + 1, level + 1);
        inlines(&ib, node, PD_MD_HEADING);
        emit_wrapped(r, l, &ib);
        st_free(&ib);
        break;
    }
    case CMARK_NODE_CODE_BLOCK: {
        char fc = fence_char_of(r, node);
        if (fc) {
            if (node == r->code) {
                r->fence_line = r->md->n_lines + (r->sep_pending && r->md->n_lines > 0);
                r->n_fence_chain = chain_save(r->fence_chain, l);
            }
            emit_fence_line(r, l, fc, cmark_node_get_fence_info(node));
            /* a top-level fence in the tail is followed by render_open_fence */
            bool tail = node == r->code && r->code_depth > 0;
            r->code_kind = CODE_FENCED;
            emit_verbatim_lines(r, l, cmark_node_get_literal(node), PD_MD_CODEBLOCK, tail);
            emit_fence_line(r, l, fc, NULL);
        } else {
            lvl il;
            lvl_init(&il, l, "    ", PD_MD_NORMAL, "    ", PD_MD_NORMAL);
            r->code_kind = CODE_INDENTED;
            emit_verbatim_lines(r, &il, cmark_node_get_literal(node), PD_MD_CODEBLOCK, node == r->code);
        }
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        r->code_kind = CODE_HTML;
        emit_verbatim_lines(r, l, cmark_node_get_literal(node), PD_MD_MARKUP, node == r->code);
        break;
    case CMARK_NODE_THEMATIC_BREAK: {
        st t = {0};
        int a = avail_of(r, l);
        for (int i = 0; i < a; i++)
            st_put(&t, PD_MD_MARKUP, "\xe2\x94\x80", 3, 1);
        emit(r, l, &t);
        st_free(&t);
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE: {
        lvl ql;
        quote_lvl(&ql, l);
        render_children(r, node, &ql, PD_MD_QUOTE, depth + 1, true);
        break;
    }
    case CMARK_NODE_LIST:
        render_list(r, node, l, base, depth + 1);
        break;
    default:
        render_children(r, node, l, base, depth + 1, true);
        break;
    }
}

/* Offset in src of line `line` (1-based), column `col` (1-based bytes). */
static size_t src_offset(const char *src, size_t len, int line, int col)
{
    size_t off = 0;
    for (int i = 1; i < line && off < len; i++) {
        const char *nl = memchr(src + off, '\n', len - off);
        off = nl ? (size_t)(nl - src) + 1 : len;
    }
    off += col > 0 ? (size_t)col - 1 : 0;
    return off < len ? off : len;
}

static cmark_node *parse(pd_md *md, const char *s, size_t n)
{
    md->stats.parsed_bytes += n;
    int opts = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8;
    /* libcmark drops a byte order mark at the start of what it parses, where the text has none
     * (pd_md_append drops it): a part's (a chunk after a fence, a paragraph's unsettled end) is
     * kept by giving libcmark another to drop (the positions it gives are after it) */
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        char *t = pd_xmalloc(n + 3);
        memcpy(t, "\xEF\xBB\xBF", 3);
        memcpy(t + 3, s, n);
        cmark_node *doc = cmark_parse_document(t, n + 3, opts);
        free(t);
        return doc;
    }
    return cmark_parse_document(s, n, opts);
}

/* Some inline text of node holds one of chars (literal: an unmatched delimiter, bracket...). */
static bool text_has(cmark_node *node, const char *chars)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT && strpbrk(cmark_node_get_literal(c), chars))
            return true;
        if (text_has(c, chars))
            return true;
    }
    return false;
}

/* What a render of the tail ends with: a top-level paragraph (followed as pd_md's pi_*), or a
 * list or quote (top-level, or the last block of one) whose last item or block (not its first)
 * can be where the next renders start (pd_md's ss). Offsets are in the text rendered; the split's
 * strips are those of the containers around it in that text. */
typedef struct tail_end {
    bool para;
    size_t para_start, para_line;
    int para_heading;             /* the paragraph is a heading of this level (else 0) */
    bool table;                   /* a top-level table */
    size_t table_start, table_line;
    split_at splits[SPLITS_KEPT]; /* offered, the outermost first */
    size_t n_splits;
    /* An open fenced code block, the last block inside lists or quotes (see cs_on): from
     * code_off in the text rendered (code_line_no its line; code_off its length: the text
     * ended with a complete line), its lines are laid out again after line code_lines */
    bool code, code_at_end;
    verbatim_kind code_kind;
    size_t code_off, code_lines, code_len, code_indent, n_code_strips, n_code_chain;
    int code_line_no;
    char code_ch;
    strip code_strips[SPLIT_LEVELS];
    lvl code_chain[SPLIT_LEVELS];
    /* The first line of that block, a fence line still being written (see fh_nested): its fence
     * (fhead_len of fhead_ch) starts fhead_col bytes into line fhead_line_no of the text
     * rendered; it is line fhead_line, inside the prefixes fhead_chain */
    bool fhead;
    int fhead_line_no;
    size_t fhead_col, fhead_line, fhead_len, n_fhead_chain;
    char fhead_ch;
    lvl fhead_chain[SPLIT_LEVELS];
    /* A paragraph, the last block inside lists or quotes (see pi_nested): it starts npara_col
     * bytes into line npara_line_no of the text rendered, its first line is line npara_line; or
     * the text of an ATX heading of level npara_heading (else 0) being written */
    bool npara, npara_table;      /* (laid out as a table: see ti_nested) */
    int npara_line_no, npara_heading;
    size_t npara_col, npara_line, n_npara_strips, n_npara_chain;
    pd_md_style npara_base;
    strip npara_strips[SPLIT_LEVELS];
    lvl npara_chain[SPLIT_LEVELS];
} tail_end;

static size_t indent_of(const char *l, size_t n);
static bool fence_open(const char *l, size_t n, char *ch, size_t *len);
static bool fence_closes(char ch, size_t len, const char *l, size_t n);

/* Lines of text that need a prefix taken off (see strip) hold no tab. */
static bool has_tab(const char *s, size_t n)
{
    return memchr(s, '\t', n) != NULL;
}

typedef enum strip_result { STRIP_FAIL, STRIP_OK, STRIP_BLANK } strip_result;

/* Takes the prefixes of n containers off line l (no tab in it): *off gets where its text in the
 * innermost one starts. STRIP_BLANK: the line is blank inside a list item (libcmark takes up to
 * the item's indent off it, what is left is kept: spaces in a code block); STRIP_FAIL: the line
 * does not continue the containers (it may end them, or be a lazy continuation line; *off gets
 * where the prefixes it has end). */
static strip_result strip_line(const char *l, size_t len, const strip *strips, size_t n,
                               size_t *off)
{
    size_t i = 0;
    bool blank = false;
    for (size_t k = 0; k < n; k++) {
        if (strips[k].quote) {
            size_t sp = indent_of(l + i, len - i);
            if (sp > 3 || i + sp >= len || l[i + sp] != '>')
                return *off = i, STRIP_FAIL;
            i += sp + 1;
            if (i < len && l[i] == ' ')
                i++;
        } else {
            size_t sp = indent_of(l + i, len - i);
            if (i + sp == len) {
                i += sp < strips[k].indent ? sp : strips[k].indent;
                blank = true;
                continue;
            }
            if (sp < strips[k].indent)
                return *off = i, STRIP_FAIL;
            i += strips[k].indent;
        }
    }
    *off = i;
    return blank ? STRIP_BLANK : STRIP_OK;
}

/* The column (0-based, after the strips) where the content of list item `item` starts, from its
 * first line in r->src; false when that line has a tab or is not what libcmark read. */
static bool item_indent(const R *r, cmark_node *item, const strip *strips, size_t n, size_t *indent)
{
    size_t ls = src_offset(r->src, r->src_len, cmark_node_get_start_line(item), 1);
    const char *l = r->src + ls, *nl = memchr(l, '\n', r->src_len - ls);
    size_t len = nl ? (size_t)(nl - l) : r->src_len - ls, off;
    if (has_tab(l, len) || strip_line(l, len, strips, n, &off) != STRIP_OK)
        return false;
    size_t i = off + indent_of(l + off, len - off);
    if (i - off > 3 || (int)i + 1 != cmark_node_get_start_column(item))
        return false;
    size_t m = i;
    if (m < len && strchr("-*+", l[m]))
        m++;
    else {
        while (m < len && m - i < 9 && l[m] >= '0' && l[m] <= '9')
            m++;
        if (m == i || m >= len || (l[m] != '.' && l[m] != ')'))
            return false;
        m++;
    }
    size_t pad = indent_of(l + m, len - m);
    if (m + pad == len || pad >= 5)
        pad = 1;
    if (pad == 0)
        return false;
    *indent = m + pad - off;
    return true;
}

/* Some block before child (in document order, up to doc) holds a literal bracket that a later
 * link definition could make a link. */
static bool bracket_before(cmark_node *doc, cmark_node *child)
{
    for (cmark_node *n = child; n && n != doc; n = cmark_node_parent(n))
        for (cmark_node *p = cmark_node_previous(n); p; p = cmark_node_previous(p))
            if (text_has(p, "[]"))
                return true;
    return false;
}

/* The loose list box (the last block of the text, or `level` last blocks down, inside n
 * containers that take strips off its lines) is loose without the text's last, incomplete line
 * too: that line does not follow a blank line, or the text before it, parsed, makes the same
 * list loose. */
static bool loose_without_last_line(const R *r, cmark_node *box, size_t level,
                                    const strip *strips, size_t n)
{
    const char *nl = memrchr(r->src, '\n', r->src_len);
    if (!nl || nl == r->src)
        return false;
    size_t cut = (size_t)(nl - r->src) + 1, ps = cut - 1, off;
    while (ps > 0 && r->src[ps - 1] != '\n')
        ps--;
    if (strip_line(r->src + ps, cut - 1 - ps, strips, n, &off) == STRIP_OK &&
        indent_of(r->src + ps + off, cut - 1 - ps - off) < cut - 1 - ps - off)
        return true;
    cmark_node *doc = parse(r->md, r->src, cut);
    cmark_node *b = doc ? cmark_node_last_child(doc) : NULL;
    for (size_t k = 0; b && k < level; k++) {
        b = cmark_node_last_child(b);
        if (b && cmark_node_get_type(b) == CMARK_NODE_ITEM)
            b = cmark_node_last_child(b);
    }
    bool loose = b && cmark_node_get_type(b) == CMARK_NODE_LIST &&
                 cmark_node_get_start_line(b) == cmark_node_get_start_line(box) &&
                 !cmark_node_get_list_tight(b);
    cmark_node_free(doc);
    return loose;
}

/* The item_w bytes that begin list item `item` (its first line after the prefixes of the n
 * containers around its list: spaces, its marker, spaces) into head, a space for each past the
 * line's end; false when they do not fit. */
static bool item_head(const R *r, cmark_node *item, const strip *strips, size_t n, size_t item_w,
                      char *head, size_t size)
{
    size_t ls = src_offset(r->src, r->src_len, cmark_node_get_start_line(item), 1), off;
    const char *l = r->src + ls, *nl = memchr(l, '\n', r->src_len - ls);
    size_t len = nl ? (size_t)(nl - l) : r->src_len - ls;
    if (item_w >= size || strip_line(l, len, strips, n, &off) != STRIP_OK)
        return false;
    for (size_t k = 0; k < item_w; k++)
        head[k] = off + k < len ? l[off + k] : ' ';
    return true;
}

/* Offers a split at the last item or block of box (laid out as m says) whose first line is
 * complete, inside n containers that take strips off its lines (see tail_end_of). With item (an
 * item of the list box, its content item_w bytes in): at the last block of that item but its
 * first, when that block's first line starts right at the item's content (so it reads the same
 * as the item's first line). */
static void split_offer(const R *r, cmark_node *doc, cmark_node *box, size_t level,
                        const box_mark *m, const strip *strips, size_t n, cmark_node *item,
                        size_t item_w, tail_end *te)
{
    if (m->box != (item ? item : box) || m->n_chain == SIZE_MAX)
        return;
    /* the last item or block whose first line is complete: what that line starts ("> #" a
     * heading, "> #x" not) is settled */
    const top_mark *c = &m->last;
    size_t start = src_offset(r->src, r->src_len, cmark_node_get_start_line(c->child), 1);
    if (!memchr(r->src + start, '\n', r->src_len - start)) {
        c = &m->prev;
        if (!c->child)
            return;
        start = src_offset(r->src, r->src_len, cmark_node_get_start_line(c->child), 1);
    }
    if (c->index < 1 || start == 0 || r->src[start - 1] != '\n')
        return;
    if (n && (c->sep || has_tab(r->src + start, r->src_len - start)))
        return;
    if (bracket_before(doc, c->child))
        return;
    split_at sp = {0};
    if (item) {
        const char *l = r->src + start, *nl = memchr(l, '\n', r->src_len - start);
        size_t len = (size_t)(nl - l), off;
        if (has_tab(l, len) || strip_line(l, len, strips, n, &off) != STRIP_OK ||
            indent_of(l + off, len - off) != item_w || off + item_w >= len ||
            !item_head(r, item, strips, n, item_w, sp.head, sizeof sp.head))
            return;
        sp.item = true;
        sp.item_w = item_w;
    }
    sp.list = cmark_node_get_type(box) == CMARK_NODE_LIST;
    sp.sep = c->sep;
    if (sp.list) {
        sp.tight = cmark_node_get_list_tight(box);
        sp.num = cmark_node_get_list_start(box) + c->index;
        /* a list made loose by an incomplete line ("- " after a blank line) may not stay loose
         * ("- - -" is a rule); made loose by complete lines, it does */
        if (!sp.tight && r->src[r->src_len - 1] != '\n' && !(r->top_loose && box == cmark_node_first_child(doc)) &&
            !loose_without_last_line(r, box, level, strips, n))
            return;
    }
    sp.lines = c->line;
    sp.depth = m->depth;
    sp.base = m->base;
    memcpy(sp.strips, strips, n * sizeof *strips);
    sp.n_strips = n;
    memcpy(sp.chain, m->chain, m->n_chain * sizeof *m->chain);
    sp.n_chain = m->n_chain;
    sp.pos = start;
    sp.line_no = cmark_node_get_start_line(c->child);
    sp.level = level;
    if (te->n_splits < SPLITS_KEPT)
        te->splits[te->n_splits++] = sp;
}

static bool blank_so_far(const char *l, size_t len, const strip *strips, size_t n);
static bool heading_text_start(const char *s, size_t base, size_t end, size_t *start);

/* The HTML block starting at l ends at a blank line (libcmark's kinds 6 and 7), not at a
 * marker that may come on any later line ("-->", "</script>", "?>", ...). */
static bool html_ends_at_blank(const char *l, size_t n)
{
    static const char *const other[] = {"<!", "<?", "<script", "<pre", "<style", "<textarea"};
    size_t i = indent_of(l, n);
    for (size_t k = 0; k < sizeof other / sizeof *other; k++) {
        size_t m = strlen(other[k]);
        if (n - i >= m && strncasecmp(l + i, other[k], m) == 0)
            return false;
    }
    return true;
}

/* The line's text (after its indent) starts with a fence's character. */
static bool fence_chars_start(const char *l, size_t n)
{
    size_t i = indent_of(l, n);
    return i < n && (l[i] == '`' || l[i] == '~');
}

/* Offers to lay out the lines of node, the text's last block (inside the n containers that take
 * strips off its lines), as they come (see cs_on): a fenced code block left open inside lists or
 * quotes, an indented code block, an HTML block that ends at a blank line; when libcmark read
 * its lines one for one as the strips read them (te->code). Its lines before the first blank
 * one at its end, or the one being written, are final. */
/* Offers the fence line [ls, le) (line line_no of the text; its fence off bytes in, after up to 3
 * spaces), the text's last and still being written, to be followed (see fh_nested). */
static void fence_head_offer(const R *r, size_t ls, size_t off, size_t le, int line_no, tail_end *te)
{
    const char *s = r->src;
    size_t at = ls + off + indent_of(s + ls + off, le - ls - off);
    char ch;
    size_t len;
    /* (laid out at least MIN_WIDTH wide, as a top-level one: its fence fits on its first line) */
    if (r->n_fence_chain == SIZE_MAX)
        return;
    int total = r->n_fence_chain ? r->fence_chain[r->n_fence_chain - 1].total : 0;
    if (r->width - total < MIN_WIDTH || !fence_open(s + at, le - at, &ch, &len))
        return;
    te->fhead = true;
    te->fhead_line_no = line_no;
    te->fhead_col = at - ls;
    te->fhead_line = r->fence_line;
    te->fhead_ch = ch;
    te->fhead_len = len;
    memcpy(te->fhead_chain, r->fence_chain, r->n_fence_chain * sizeof *r->fence_chain);
    te->n_fhead_chain = r->n_fence_chain;
}

static void code_offer(const R *r, cmark_node *node, const strip *strips, size_t n, tail_end *te)
{
    const char *s = r->src;
    size_t len = r->src_len, off;
    verbatim_kind kind = r->code_kind;
    if (r->n_code_chain == SIZE_MAX || !r->code_line_at || has_tab(s, len))
        return;
    int line_no = cmark_node_get_start_line(node);
    size_t ls = src_offset(s, len, line_no, 1);
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    char ch = 0;
    size_t flen = 0, indent = 0;
    if (strip_line(s + ls, le - ls, strips, n, &off) != STRIP_OK) {
        /* a fence on a list item's first line ("- ~~~"): where libcmark found it (spaces after
         * the marker, up to 4, are the item's: the fence is not indented in it) */
        if (kind != CODE_FENCED)
            return;
        off = (size_t)cmark_node_get_start_column(node) - 1;
        if (off >= le - ls || indent_of(s + ls + off, le - ls - off))
            return;
    }
    if (kind == CODE_FENCED) {
        if (!nl) {
            fence_head_offer(r, ls, off, le, line_no, te);
            return;
        }
        if (!fence_open(s + ls + off, le - ls - off, &ch, &flen))
            return;
        indent = indent_of(s + ls + off, le - ls - off);
        ls = le + 1;
        line_no++;
    } else if (kind == CODE_HTML ? !nl || !html_ends_at_blank(s + ls + off, le - ls - off)
                                 : !nl && fence_chars_start(s + ls + off, le - ls - off)) {
        /* an HTML block's first line, once finished, tells what kind it is ("<span>" alone or
         * not); an indented block's is its text whatever comes (unless a fence's characters
         * start it: see fence_char_of) */
        return;
    }
    /* final: lines laid out for good; blanks: blank lines after them; partial: the last line,
     * still being written, is in the block */
    size_t final = 0, blanks = 0, final_off = ls;
    int final_line = line_no;
    bool partial = false;
    for (; ls < len; ls = le + 1, line_no++) {
        nl = memchr(s + ls, '\n', len - ls);
        le = nl ? (size_t)(nl - s) : len;
        if (nl && le + 1 == len && r->src_open_end)
            nl = NULL; /* still being written in the source */
        strip_result res = strip_line(s + ls, le - ls, strips, n, &off);
        if (res == STRIP_FAIL) {
            if (!nl && blank_so_far(s + ls, le - ls, strips, n))
                break; /* left out (split_text) */
            return;
        }
        const char *c = s + ls + off;
        size_t cn = le - ls - off;
        bool blank = indent_of(c, cn) == cn;
        if (kind == CODE_FENCED && res == STRIP_OK && fence_closes(ch, flen, c, cn))
            return;
        if (kind != CODE_FENCED && blank) {
            blanks++;
            if (!nl)
                break;
            continue;
        }
        if ((kind == CODE_INDENTED && indent_of(c, cn) < 4) || (kind == CODE_HTML && blanks))
            return; /* the block ended before */
        if (!nl) {
            partial = true;
            break;
        }
        final += blanks + 1;
        blanks = 0;
        final_off = le + 1;
        final_line = line_no + 1;
    }
    /* libcmark drops blank lines at the end of an indented block (an HTML one ends there) */
    size_t lines = final + (partial ? blanks + 1 : kind == CODE_FENCED ? blanks : 0);
    const char *lit = cmark_node_get_literal(node);
    size_t lit_lines = 0, lit_len = strlen(lit);
    for (const char *q = lit; (q = memchr(q, '\n', lit_len - (size_t)(q - lit))) != NULL; q++)
        lit_lines++;
    if (lit_len && lit[lit_len - 1] != '\n')
        lit_lines++;
    if (lit_lines != lines || r->n_code_lines != lit_lines)
        return;
    te->code = true;
    te->code_kind = kind;
    te->code_off = final_off;
    te->code_at_end = final_off >= len;
    te->code_line_no = final_line;
    te->code_lines = r->code_line_at[final];
    te->code_ch = ch;
    te->code_len = flen;
    te->code_indent = kind == CODE_INDENTED ? 4 : indent;
    memcpy(te->code_strips, strips, n * sizeof *strips);
    te->n_code_strips = n;
    memcpy(te->code_chain, r->code_chain, r->n_code_chain * sizeof *r->code_chain);
    te->n_code_chain = r->n_code_chain;
}

/* Where a line is in its paragraph, for para_line_settled. */
typedef enum para_line_kind {
    PARA_LINE_FIRST,     /* the first: parsed on its own as the start of a paragraph */
    PARA_LINE_SECOND,    /* a later line that may be the second, a table's delimiter row */
    PARA_LINE_LATE       /* from the third on (see pi_breaks) */
} para_line_kind;
static bool para_line_settled(const char *l, size_t n, para_line_kind kind);

/* Takes the containers' prefixes off a line of a paragraph inside them (no tab in it) as
 * libcmark reads it: the paragraph's text on it starts at *off (spaces after the prefixes are
 * the line's own). A line that does not continue
 * all the containers continues the paragraph lazily when what follows their prefixes is text no
 * appending makes a block start. False when the line ends the paragraph (blank, a block start
 * where the containers stop). */
static bool para_line_in_boxes(const char *l, size_t len, const strip *strips, size_t n, size_t *off,
                               bool *lazy_spaces)
{
    strip_result res = strip_line(l, len, strips, n, off);
    *lazy_spaces = false;
    if (res == STRIP_BLANK)
        return false;
    size_t a = *off + indent_of(l + *off, len - *off);
    if (a == len)
        return false;
    if (res == STRIP_OK)
        return true;
    /* where the containers stop any block may start (a list item "3." too): as a first line.
     * libcmark keeps the spaces a lazy line starts with, which a paragraph's later line read on
     * its own loses: they only show inside an inline that holds the line end (a code span), so
     * the caller takes them off (*off) once nothing can be open there (lazy_spaces) */
    if (!para_line_settled(l + a, len - a, PARA_LINE_FIRST))
        return false;
    *lazy_spaces = a > *off;
    *off = a;
    return true;
}

/* A line still being written that has nothing but the containers' prefixes (or blanks) so far:
 * what it will be is not known yet (left out). */
static bool blank_so_far(const char *l, size_t len, const strip *strips, size_t n)
{
    size_t off;
    (void)strip_line(l, len, strips, n, &off);
    return off + indent_of(l + off, len - off) == len;
}

/* Offers to follow node, the text's last block inside the n containers that take strips off its
 * lines, as an open paragraph (see pi_nested): when it was laid out as one, with its first
 * line settled, no '[' before it (a link definition) and its later lines inside the containers
 * (te->npara). */
static void npara_offer(const R *r, cmark_node *node, const strip *strips, size_t n, tail_end *te)
{
    const char *s = r->src;
    size_t len = r->src_len, off;
    if (!r->npara_laid || r->n_npara_chain == SIZE_MAX || has_tab(s, len))
        return;
    int line_no = cmark_node_get_start_line(node);
    size_t ls = src_offset(s, len, line_no, 1);
    size_t start = src_offset(s, len, line_no, cmark_node_get_start_column(node));
    const char *nl = memchr(s + start, '\n', len - start);
    size_t le = nl ? (size_t)(nl - s) : len;
    int heading = cmark_node_get_type(node) == CMARK_NODE_HEADING ? cmark_node_get_heading_level(node) : 0;
    /* an ATX heading's text on the line being written (its one line) */
    if (heading && (nl || !heading_text_start(s, start, le, &start)))
        return;
    if (start >= len || memchr(s, '[', start) ||
        (!heading && !r->npara_table && !para_line_settled(s + start, le - start, PARA_LINE_FIRST)))
        return;
    for (size_t k = le + 1; nl && k < len; k = le + 1) {
        nl = memchr(s + k, '\n', len - k);
        le = nl ? (size_t)(nl - s) : len;
        bool lazy_spaces;
        if (!para_line_in_boxes(s + k, le - k, strips, n, &off, &lazy_spaces) &&
            !(!nl && blank_so_far(s + k, le - k, strips, n)))
            return;
    }
    te->npara = true;
    te->npara_table = r->npara_table;
    te->npara_heading = heading;
    te->npara_line_no = line_no;
    te->npara_col = start - ls;
    te->npara_line = r->npara_line;
    te->npara_base = r->npara_base;
    memcpy(te->npara_strips, strips, n * sizeof *strips);
    te->n_npara_strips = n;
    memcpy(te->npara_chain, r->npara_chain, r->n_npara_chain * sizeof *r->npara_chain);
    te->n_npara_chain = r->n_npara_chain;
}

/* After laying out doc (parsed from r->src): fills te. A split is only offered when nothing
 * before it can depend on text after it: no link definition ("]:") in the text, no literal
 * bracket that a later definition could make a link (render_split stops at a definition). The
 * deepest list or quote that has one is split: the last block of the tail, or the last block of
 * its last item or block, and so on. */
static void tail_end_of(const R *r, cmark_node *doc, tail_end *te)
{
    memset(te, 0, sizeof *te);
    cmark_node *last = cmark_node_last_child(doc);
    if (!last)
        return;
    te->para = r->para && r->para == last;
    te->table = r->table && r->table == last;
    if (te->table) {
        te->table_start = src_offset(r->src, r->src_len, cmark_node_get_start_line(r->table),
                                     cmark_node_get_start_column(r->table));
        te->table_line = r->table_line;
    }
    if (te->para) {
        te->para_start = src_offset(r->src, r->src_len, cmark_node_get_start_line(r->para),
                                    cmark_node_get_start_column(r->para));
        te->para_line = r->para_line;
        te->para_heading = cmark_node_get_type(r->para) == CMARK_NODE_HEADING ? cmark_node_get_heading_level(r->para)
                                                                              : 0;
    }
    if (memmem(r->src, r->src_len, "]:", 2))
        return;
    strip strips[SPLIT_LEVELS];
    size_t n = 0;
    cmark_node *box = last;
    for (size_t level = 0; box && level < SPLIT_LEVELS; level++) {
        cmark_node_type t = cmark_node_get_type(box);
        if (t != CMARK_NODE_LIST && t != CMARK_NODE_BLOCK_QUOTE)
            break;
        split_offer(r, doc, box, level, &r->marks[level], strips, n, NULL, 0, te);
        cmark_node *inner = cmark_node_last_child(box);
        if (!inner || n + 1 >= SPLIT_LEVELS)
            break;
        if (t == CMARK_NODE_LIST) {
            if (!item_indent(r, inner, strips, n, &strips[n].indent))
                break;
            split_offer(r, doc, box, level, &r->item_marks[level], strips, n, inner,
                        strips[n].indent, te);
            strips[n].quote = false;
            strips[n++].loose = !cmark_node_get_list_tight(box);
            inner = cmark_node_last_child(inner);
        } else {
            strips[n++] = (strip){true, 0, false};
        }
        box = inner;
    }
    if (box && box == r->code)
        code_offer(r, box, strips, n, te);
    if (box && box == r->npara)
        npara_offer(r, box, strips, n, te);
}

/* Drops doc's blocks that do not start on lines [first, last]. */
static void keep_blocks(cmark_node *doc, int first, int last)
{
    cmark_node *next;
    for (cmark_node *c = cmark_node_first_child(doc); c; c = next) {
        next = cmark_node_next(c);
        int line = cmark_node_get_start_line(c);
        if (line < first || line > last) {
            cmark_node_unlink(c);
            cmark_node_free(c);
        }
    }
}

static int count_lines(const char *s, size_t n)
{
    int k = 0;
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        k++;
    return k;
}

/* What holds the texts laid out together apart: a blank line ends a paragraph, list or quote
 * before it, a one-line HTML block (dropped with what comes from the other texts) then ends
 * anything a blank line does not, and the text after starts with a block of its own. */
#define AMONG_SEP "\n<!-- -->\n\n"

/* Keeps only doc's blocks that start on the lines of text[from, from + n) (the rest of text is
 * there for its link reference definitions: see render_among); false when the last of them
 * takes in the text after (an open fence or HTML block would: then it is not what it is
 * without that text). */
static bool keep_part(cmark_node *doc, const char *text, size_t len, size_t from, size_t n)
{
    if (!doc || (!from && n == len))
        return true;
    int first = 1 + count_lines(text, from), last = first + (n ? count_lines(text + from, n - 1) : 0);
    keep_blocks(doc, first, last);
    cmark_node *b = cmark_node_last_child(doc);
    const char *sep = memmem(text + from + n, len - from - n, AMONG_SEP, strlen(AMONG_SEP));
    return !b || !sep || cmark_node_get_end_line(b) <= count_lines(text, (size_t)(sep - text) + 1);
}

/* Renders text[0, len) as one chunk, appending lines (after a blank line when lines exist), of
 * its blocks only those of text[from, from + n) (see keep_part: when false and strict,
 * nothing). */
static bool render_text_part(pd_md *md, const char *text, size_t len, size_t from, size_t n, bool strict,
                             tail_end *te)
{
    R r = {0};
    r.md = md;
    r.width = md->width;
    r.src = text;
    r.src_len = len;
    r.sep_pending = true;
    cmark_node *doc = parse(md, r.src, r.src_len);
    r.doc = doc;
    if (!keep_part(doc, text, len, from, n) && strict) {
        cmark_node_free(doc);
        return false;
    }
    if (te)
        tail_candidates(&r, doc);
    if (doc)
        render_children(&r, doc, NULL, PD_MD_NORMAL, 0, true);
    if (te)
        tail_end_of(&r, doc, te);
    cmark_node_free(doc);
    st_free(&r.sep);
    free(r.code_line_at);
    return true;
}

static void render_text(pd_md *md, const char *text, size_t len, tail_end *te)
{
    (void)render_text_part(md, text, len, 0, len, false, te);
}

/* ------------------------------------------------------------------ streaming */

static locale_t utf8_locale(void)
{
    static const char *names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        locale_t l = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (l)
            return l;
    }
    return (locale_t)0;
}

/* Runs the layout under a UTF-8 LC_CTYPE so wcwidth knows wide characters. */
#define WITH_LOCALE(md, stmt)                                                             \
    do {                                                                                  \
        locale_t old_ = (md)->loc ? uselocale((md)->loc) : (locale_t)0;                   \
        stmt;                                                                             \
        if ((md)->loc)                                                                    \
            uselocale(old_);                                                              \
    } while (0)

/* The tail from pos on has no labels or definitions looked at yet. */
static void tail_refs_reset(pd_md *md, size_t pos)
{
    md_label_scan_start(&md->tail_scan, pos);
    md->tail_labels.n = md->tail_defs.n = md->line_defs.n = md->tail_labels_met = 0;
    md->tail_refs = false;
    md->tail_all_defs = true;
}

pd_md *pd_md_new(int width)
{
    pd_md *md = pd_xcalloc(1, sizeof *md);
    md->width = width < MIN_WIDTH ? MIN_WIDTH : width;
    md->loc = utf8_locale();
    md->refs = md_refs_new();
    md->first_label_chunk = SIZE_MAX;
    md->tail_all_defs = true;
    return md;
}

/* Whatever the renders of the tail followed (open fence, fast path, open paragraph, split,
 * code, table, marker line) is forgotten: the next render of the tail is a full one. */
static void tail_unfollow(pd_md *md)
{
    md->code_cached = md->code_next = 0;
    md->fp_ok = md->pi_on = md->cs_on = md->mk_on = md->fh_on = md->fh_nested = false;
    md->n_splits = 0;
    md->fh_checked_ls = md->ov_ls = 0;
    table_reset(md);
}

void pd_md_clear(pd_md *md)
{
    truncate_lines(md, 0);
    pd_buf_reset(&md->src);
    md->n_chunks = md->n_done_lines = md->done = md->scan = md->nl_from = 0;
    md->after_blank = md->in_fence = md->fence_top = md->after_cr = md->start_told = false;
    md_refs_clear(md->refs);
    md->first_label_chunk = SIZE_MAX;
    tail_refs_reset(md, 0);
    md->bom_have = 0;
    md->html_end = NULL;
    md->tail_dirty = false;
    tail_unfollow(md);
}

void pd_md_free(pd_md *md)
{
    if (!md)
        return;
    pd_md_clear(md);
    free(md->lines);
    free(md->chunk_end);
    free(md->chunk_lines);
    md_refs_free(md->refs);
    md_keys_free(&md->tail_labels);
    md_keys_free(&md->tail_defs);
    md_keys_free(&md->line_defs);
    pd_buf_free(&md->among);
    pd_buf_free(&md->src);
    st_free(&md->fp_rest);
    st_free(&md->fh_rest);
    st_free(&md->ov_text);
    open_line_free(&md->pi_line);
    pi_backs_drop(md, 0);
    pd_buf_free(&md->pi_nest);
    pd_buf_free(&md->ti_nest);
    if (md->loc)
        freelocale(md->loc);
    free(md);
}

/* ------------------------------------------------------------------ link references */

static size_t chunk_start(const pd_md *md, size_t k)
{
    return k ? md->chunk_end[k - 1] : 0;
}

/* The labels of src[a, b) into *k (emptied first). */
static void labels_of(const pd_md *md, size_t a, size_t b, md_keys *k)
{
    md_label_scan sc;
    md_label_scan_start(&sc, a);
    k->n = 0;
    md_label_scan_run(&sc, md->src.data, b, k);
}

/* Where the text laid out ends (the bytes of a character not complete yet are not). */
static size_t tail_end_pos(const pd_md *md)
{
    size_t end = md->src.len - pd_utf8_incomplete_tail(md->src.data, md->src.len);
    return end < md->scan ? md->scan : end;
}

/* Appends chunk k's text to t. */
static void among_chunk(const pd_md *md, pd_buf *t, size_t k)
{
    pd_buf_append(t, md->src.data + chunk_start(md, k), md->chunk_end[k] - chunk_start(md, k));
}

/* Lays out src[a, b), chunk `self` (or the text after the chunks: self == n_chunks), with the
 * chunks defs[0, n) whose definitions may apply to its labels before and after it, in their
 * order in the text, and when `tail` the text after the chunks (it may define some too):
 * libcmark is told definitions only by reading them. Only src[a, b)'s blocks are laid out (te
 * is left as it is when other text was read). */
static void render_among(pd_md *md, size_t self, size_t a, size_t b, const size_t *defs, size_t n,
                         bool tail, tail_end *te)
{
    const char *s = md->src.data;
    if (!n && !tail) {
        render_text(md, s + a, b - a, te);
        return;
    }
    pd_buf *t = &md->among;
    pd_buf_reset(t);
    size_t k = 0;
    for (; k < n && defs[k] < self; k++) {
        among_chunk(md, t, defs[k]);
        pd_buf_append(t, AMONG_SEP, strlen(AMONG_SEP));
    }
    size_t at = t->len;
    pd_buf_append(t, s + a, b - a);
    for (; k < n; k++) {
        pd_buf_append(t, AMONG_SEP, strlen(AMONG_SEP));
        among_chunk(md, t, defs[k]);
    }
    if (tail) {
        pd_buf_append(t, AMONG_SEP, strlen(AMONG_SEP));
        pd_buf_append(t, s + md->done, tail_end_pos(md) - md->done);
    }
    md->stats.among_bytes += t->len - (b - a);
    (void)render_text_part(md, t->data, t->len, at, b - a, false, NULL);
}

/* The text s[0, n) (a part of the tail) and after it the chunks whose definitions may apply to
 * the tail, into md->among; false when there are none. */
static bool among_after(pd_md *md, const char *s, size_t n)
{
    size_t *defs, nd;
    md_refs_definers(md->refs, &md->tail_labels, SIZE_MAX, &defs, &nd);
    if (!nd)
        return false;
    pd_buf *t = &md->among;
    pd_buf_reset(t);
    pd_buf_append(t, s, n);
    pd_buf_putc(t, '\n');
    for (size_t k = 0; k < nd; k++) {
        pd_buf_append(t, AMONG_SEP, strlen(AMONG_SEP));
        among_chunk(md, t, defs[k]);
    }
    md->stats.among_bytes += t->len - n;
    return true;
}

/* parse(), for a part of the tail when the definitions of chunks may apply to it (tail_refs):
 * read with those chunks after it, its blocks only kept (when the last would take them in, all
 * are: no caller takes that for a paragraph). */
static cmark_node *parse_part(pd_md *md, const char *s, size_t n)
{
    if (!md->tail_refs || !among_after(md, s, n))
        return parse(md, s, n);
    cmark_node *doc = parse(md, md->among.data, md->among.len);
    (void)keep_part(doc, md->among.data, md->among.len, 0, n);
    return doc;
}

/* Lays out the text after the chunks, src[a, b) (when te: the tail), or the chunk being
 * finished, with the chunks whose definitions may apply to it. */
static void render_chunk(pd_md *md, size_t a, size_t b, tail_end *te)
{
    size_t *defs = NULL, n = 0;
    if (md_refs_any_defs(md->refs)) {
        md_keys labels = {0};
        labels_of(md, a, b, &labels);
        md_refs_definers(md->refs, &labels, SIZE_MAX, &defs, &n);
        md_keys_free(&labels);
    }
    render_among(md, md->n_chunks, a, b, defs, n, false, te);
}

/* Lays out finished chunk k again, with the chunks and the tail whose definitions may apply. */
static void render_done_chunk(pd_md *md, size_t k)
{
    size_t *defs, n;
    md_refs_definers_of(md->refs, k, &defs, &n);
    bool tail = (md->tail_defs.n || md->line_defs.n) && md_refs_has_labels(md->refs, k);
    render_among(md, k, chunk_start(md, k), md->chunk_end[k], defs, n, tail, NULL);
}

/* Lays out again the finished chunks which[0, n) (in order: a definition may apply to them),
 * the lines of those between moved; the tail's lines are dropped (laid out again after). */
static void relay_chunks(pd_md *md, const size_t *which_in, size_t n)
{
    if (!n)
        return;
    size_t *which = pd_xmalloc(n * sizeof *which);
    memcpy(which, which_in, n * sizeof *which);
    size_t first = which[0], from = first ? md->chunk_lines[first - 1] : 0;
    truncate_lines(md, md->n_done_lines);
    size_t n_old = md->n_done_lines - from;
    pd_md_line *old = pd_xmalloc((n_old ? n_old : 1) * sizeof *old);
    if (n_old)
        memcpy(old, md->lines + from, n_old * sizeof *old);
    md->n_lines = from;
    size_t at = 0, w = 0;
    for (size_t k = first; k < md->n_chunks; k++) {
        size_t old_end = md->chunk_lines[k] - from;
        if (w < n && which[w] == k) {
            for (size_t i = at; i < old_end; i++)
                line_free(&old[i]);
            WITH_LOCALE(md, render_done_chunk(md, k));
            w++;
        } else {
            for (size_t i = at; i < old_end; i++)
                *line_slot(md) = old[i];
        }
        at = old_end;
        md->chunk_lines[k] = md->n_lines;
    }
    free(old);
    free(which);
    md->n_done_lines = md->n_lines;
    md->stats.relaid_chunks += n;
    tail_unfollow(md);
}

/* The tail [done, pos) holds link reference definitions and nothing else. */
static bool defines_only(pd_md *md, size_t pos)
{
    cmark_node *doc = parse(md, md->src.data + md->done, pos - md->done);
    bool none = doc && !cmark_node_first_child(doc);
    cmark_node_free(doc);
    return none;
}

/* Makes the first lines of the tail (to `lines`) those of the finished chunk [done, pos), and
 * lays out again the chunks its definitions may apply to (then the tail's lines are dropped:
 * true). */
static bool commit_lines_to(pd_md *md, size_t pos, size_t lines)
{
    tail_unfollow(md);
    md->stats.done_bytes += pos - md->done;
    md->n_done_lines = lines;
    if (md->n_chunks == md->cap_chunks) {
        md->cap_chunks = md->cap_chunks ? md->cap_chunks * 2 : 16;
        md->chunk_end = pd_xrealloc(md->chunk_end, md->cap_chunks * sizeof *md->chunk_end);
        md->chunk_lines = pd_xrealloc(md->chunk_lines, md->cap_chunks * sizeof *md->chunk_lines);
    }
    md->chunk_lines[md->n_chunks] = lines;
    md->chunk_end[md->n_chunks++] = pos;
    md_keys labels = {0}, defs = md->tail_defs;
    /* a chunk that shows nothing (definitions only) shows nothing whatever they define; one
     * line of it is one definition, which never applies when one before defined its label */
    const char *s = md->src.data;
    if (lines > (md->n_chunks > 1 ? md->chunk_lines[md->n_chunks - 2] : 0))
        labels_of(md, md->done, pos, &labels);
    else if (defs.n == 1 && s[md->done] == '[' && !memchr(s + md->done, '\n', pos - 1 - md->done)) {
        uint64_t exact = md_def_key(s, md->done, pos - 1, true);
        if (exact != MD_KEY_ANY && !md_refs_define_first(md->refs, exact))
            defs.n = 0;
    }
    md_refs_add(md->refs, &labels, &defs);
    if (labels.n && md->first_label_chunk == SIZE_MAX)
        md->first_label_chunk = md->n_chunks - 1;
    md_keys_free(&labels);
    md->done = pos;
    memset(&md->tail_defs, 0, sizeof md->tail_defs);
    tail_refs_reset(md, pos);
    size_t *users = NULL, n = 0;
    if (defs.n)
        md_refs_users(md->refs, &defs, md->n_chunks - 1, &users, &n);
    md_keys_free(&defs);
    relay_chunks(md, users, n);
    return n > 0;
}

/* Makes the lines so far those of the finished chunk [done, pos). */
static void commit_lines(pd_md *md, size_t pos)
{
    (void)commit_lines_to(md, pos, md->n_lines);
}

static void commit(pd_md *md, size_t pos)
{
    if (pos <= md->done)
        return;
    if (md->fh_on && !md->fh_nested && pos == md->fh_ls) {
        /* the text before a fence line laid out while it was written: its lines are the
         * chunk's, the fence line's stay the tail's (unless they were dropped) */
        md->fh_on = !commit_lines_to(md, pos, md->fh_pre);
        return;
    }
    truncate_lines(md, md->n_done_lines);
    WITH_LOCALE(md, render_chunk(md, md->done, pos, NULL));
    commit_lines(md, pos);
}

static size_t indent_of(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && l[i] == ' ')
        i++;
    return i;
}

/* "```lang" / "~~~": a code fence opening (indent <= 3), the info string's '`'s looked for from
 * ticks_from on (0: all of it). */
static bool fence_open_from(const char *l, size_t n, char *ch, size_t *len, size_t ticks_from)
{
    size_t i = indent_of(l, n);
    if (i > 3 || i + 3 > n || (l[i] != '`' && l[i] != '~'))
        return false;
    size_t k = i;
    while (k < n && l[k] == l[i])
        k++;
    if (k - i < 3)
        return false;
    if (ticks_from < k)
        ticks_from = k;
    if (l[i] == '`' && ticks_from < n && memchr(l + ticks_from, '`', n - ticks_from))
        return false;
    *ch = l[i];
    *len = k - i;
    return true;
}

static bool fence_open(const char *l, size_t n, char *ch, size_t *len)
{
    return fence_open_from(l, n, ch, len, 0);
}

/* The line closes a code fence of len ch characters. */
static bool fence_closes(char ch, size_t len, const char *l, size_t n)
{
    size_t i = indent_of(l, n);
    if (i > 3)
        return false;
    size_t k = i;
    while (k < n && l[k] == ch)
        k++;
    if (k - i < len)
        return false;
    while (k < n && (l[k] == ' ' || l[k] == '\t'))
        k++;
    return k == n;
}

static bool fence_close(const pd_md *md, const char *l, size_t n)
{
    return fence_closes(md->fence_ch, md->fence_len, l, n);
}

static bool list_item_start(const char *l, size_t n)
{
    if ((l[0] == '-' || l[0] == '*' || l[0] == '+') && (n == 1 || l[1] == ' ' || l[1] == '\t'))
        return true;
    size_t i = 0;
    while (i < n && i < 10 && l[i] >= '0' && l[i] <= '9')
        i++;
    if (i == 0 || i > 9 || i >= n || (l[i] != '.' && l[i] != ')'))
        return false;
    return i + 1 == n || l[i + 1] == ' ' || l[i + 1] == '\t';
}

/* True when s[0, n) is valid UTF-8 (and holds no NUL unless nul_ok): what libcmark reads as
 * it is. ASCII is passed over byte by byte, the rest decoded. */
static bool utf8_valid(const char *s, size_t n, bool nul_ok)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint64_t w;
        if (n - i >= 8 && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080u)) &&
            (nul_ok || !((w - 0x0101010101010101u) & ~w & 0x8080808080808080u))) {
            i += 8;   /* eight ASCII bytes (none NUL unless nul_ok) */
            continue;
        }
        if (u[i] < 0x80) {
            if (!u[i] && !nul_ok)
                return false;
            i++;
            continue;
        }
        uint32_t cp;
        int k = pd_utf8_decode(s + i, n - i, &cp);
        if (k <= 0 || (!cp && !nul_ok))
            return false;
        i += (size_t)k;
    }
    return true;
}

static void commit_fence(pd_md *md, size_t close, size_t pos);

static bool ascii_letter(unsigned char c);

/* The line l (n bytes) holds s, which starts with no letter (case-insensitive). */
static bool line_has(const char *l, size_t n, const char *s)
{
    size_t m = strlen(s);
    for (const char *p = l, *end = l + n; (p = memchr(p, s[0], (size_t)(end - p))) && (size_t)(end - p) >= m; p++)
        if (strncasecmp(p, s, m) == 0)
            return true;
    return false;
}

/* libcmark parses probe (n bytes) into a document whose last block is an HTML block. */
static bool html_block_last(const char *probe, size_t n)
{
    cmark_node *doc = cmark_parse_document(probe, n, CMARK_OPT_VALIDATE_UTF8);
    cmark_node *c = doc ? cmark_node_last_child(doc) : NULL;
    bool html = c && cmark_node_get_type(c) == CMARK_NODE_HTML_BLOCK;
    cmark_node_free(doc);
    return html;
}

/* The tag (len bytes: a name of at most HTML_BLOCK_NAME_MAX, '/' before it when closing) starts
 * an HTML block wherever it is (CommonMark's first and sixth kinds: "pre", "div", "/div"),
 * asked of libcmark: "<tag x" (no complete tag, so not the seventh kind) starts one? */
static bool html_block_tag(const char *name, size_t len)
{
    char probe[HTML_BLOCK_NAME_MAX + 8];
    int n = snprintf(probe, sizeof probe, "<%.*s x\n", (int)len, name);
    return html_block_last(probe, (size_t)n);
}

/* html_block_tag, remembered for the last few names (few recur). */
static bool html_block_name(pd_md *md, const char *name, size_t len)
{
    for (size_t i = 0; i < HTML_NAMES_KEPT; i++)
        if (strlen(md->html_names[i].name) == len && strncasecmp(md->html_names[i].name, name, len) == 0)
            return md->html_names[i].block;
    html_name_seen *kept = &md->html_names[md->html_names_next++ % HTML_NAMES_KEPT];
    snprintf(kept->name, sizeof kept->name, "%.*s", (int)len, name);
    kept->block = html_block_tag(name, len);
    return kept->block;
}

/* What ends the HTML block that the complete top-level line l (n bytes, at its first column)
 * starts, the line after a blank one or none when block_start: a text on some line (comments,
 * declarations, processing instructions, CDATA, <script>, <pre>, <style>, <textarea>: blank
 * lines do not end them) or "" a blank line (the other kinds); NULL when it starts none. The
 * start conditions are CommonMark's: the first five by the line's start, the sixth by a tag name
 * (html_block_name), the seventh (a line of one tag, after no paragraph) asked of libcmark. */
static const char *html_block_end(pd_md *md, const char *l, size_t n, bool block_start)
{
    static const struct {
        const char *start, *end;
        bool name;                /* a tag name: followed by a blank, '>' or the line's end */
    } kinds[] = {{"<!--", "-->", false},         {"<?", "?>", false},           {"<![CDATA[", "]]>", false},
                 {"<script", "</script>", true}, {"<pre", "</pre>", true},      {"<style", "</style>", true},
                 {"<textarea", "</textarea>", true}};
    if (!n || l[0] != '<')
        return NULL;
    const char *end = NULL;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds && !end; k++) {
        size_t m = strlen(kinds[k].start);
        if (n >= m && strncasecmp(l, kinds[k].start, m) == 0 &&
            (!kinds[k].name || n == m || memchr(" \t\v\f>", l[m], 5)))
            end = kinds[k].end;
    }
    if (!end && n > 2 && l[1] == '!' && ascii_letter((unsigned char)l[2]))
        end = ">";   /* a declaration */
    if (end) {   /* (libcmark 0.30 wants "<!" and a capital letter: its own rules are asked) */
        pd_buf probe = PD_BUF_INIT;
        pd_buf_puts(&probe, "x\n");
        pd_buf_append(&probe, l, n);
        bool html = html_block_last(probe.data, probe.len);
        pd_buf_free(&probe);
        return html && !line_has(l, n, end) ? end : NULL;   /* (or all on one line) */
    }
    size_t k = 1 + (n > 1 && l[1] == '/'), name = k;
    while (k < n && k - name <= HTML_BLOCK_NAME_MAX && isalnum((unsigned char)l[k]))
        k++;
    bool ends_name = k == n || memchr(" \t\v\f>", l[k], 5) || (l[k] == '/' && k + 1 < n && l[k + 1] == '>');
    if (k > name && ascii_letter((unsigned char)l[name]) && k - name <= HTML_BLOCK_NAME_MAX && ends_name &&
        html_block_name(md, l + 1, k - 1))
        return "";
    size_t t = n;
    while (t > 0 && (l[t - 1] == ' ' || l[t - 1] == '\t'))
        t--;
    return block_start && t > 0 && l[t - 1] == '>' && html_block_last(l, n) ? "" : NULL;
}

/* Where the text of line l (n bytes) starts after any quote and list item markers. */
static size_t after_markers(const char *l, size_t n)
{
    size_t i = 0;
    for (bool more = true; more;) {
        while (i < n && (l[i] == ' ' || l[i] == '\t'))
            i++;
        size_t k = i;
        while (k < n && k - i < 9 && l[k] >= '0' && l[k] <= '9')
            k++;
        more = i < n && (l[i] == '>' || (k == i && strchr("-*+", l[i]) && i + 1 < n && (l[i + 1] == ' ' || l[i + 1] == '\t')) ||
                         (k > i && k + 1 < n && (l[k] == '.' || l[k] == ')') && (l[k + 1] == ' ' || l[k + 1] == '\t')));
        if (more)
            i = k > i ? k + 1 : i + 1;
    }
    return i;
}

/* The line l (n bytes), after any quote and list item markers, starts what may define a link
 * reference ("[label]: destination"); *looked (when not NULL) counts the bytes looked at. */
static bool may_define_link(const char *l, size_t n, size_t *looked)
{
    size_t i = after_markers(l, n);
    if (i >= n || l[i] != '[')
        return false;
    if (looked)
        *looked += n - i;
    return memmem(l + i, n - i, "]:", 2) != NULL;
}

/* The longest line being written that is looked at for a link reference definition. */
#define DEF_LINE_MAX 4096

/* Looks at one complete line [ls, le) and commits finished chunks before it. */
static void scan_line(pd_md *md, size_t ls, size_t le)
{
    const char *l = md->src.data + ls;
    size_t n = le - ls;
    if (n && l[n - 1] == '\r')
        n--;
    if (md->html_end && *md->html_end) {   /* no chunk ends inside (blank lines do not end it) */
        if (line_has(l, n, md->html_end))
            md->html_end = NULL;
        md->after_blank = false;
        return;
    }
    if (md->in_fence) {
        if (fence_close(md, l, n)) {
            md->in_fence = false;
            if (md->fence_top)
                commit_fence(md, ls, le + 1);
        }
        md->after_blank = false;
        return;
    }
    bool blank = true;
    for (size_t i = 0; i < n && blank; i++)
        blank = l[i] == ' ' || l[i] == '\t';
    /* a line that may define a link reference: a run of them at the top level is cut into
     * chunks of one, so each is parsed once */
    bool def = !blank && may_define_link(l, n, NULL), def_top = def && l[0] == '[';
    if (!blank && md->after_blank && l[0] != ' ' && l[0] != '\t' && !list_item_start(l, n)) {
        commit(md, ls);
    } else if (def_top && md->tail_all_defs && ls > md->done) {
        if (defines_only(md, ls))
            commit(md, ls);
        else
            md->tail_all_defs = false;
    }
    if (!blank && !def_top)
        md->tail_all_defs = false;
    if (def)
        md_keys_add(&md->tail_defs, md_def_key(l, after_markers(l, n), n, false));
    if (md->html_end && blank)
        md->html_end = NULL;
    else if (!md->html_end)
        md->html_end = html_block_end(md, l, n, md->after_blank || ls == md->done);
    if (md->html_end) {   /* a fence's first line there is its text */
        md->after_blank = false;
        return;
    }
    if (fence_open(l, n, &md->fence_ch, &md->fence_len)) {
        md->in_fence = true;
        md->fence_top = l[0] == md->fence_ch;
        md->fence_start = ls;
        if (md->fence_top)
            commit(md, ls);
    }
    md->after_blank = blank;
}

/* Line ends as libcmark reads them (LF, CRLF, a lone CR) are stored as LF, so the chunk
 * scanner, which looks for LF only, splits lines where the parser does, however the text is
 * cut into pieces (a CRLF may be split between two). */
static void append_lf_normalized(pd_md *md, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (md->after_cr && *p == '\n')
        p++;
    md->after_cr = false;
    while (p < end) {
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        if (!cr) {
            pd_buf_append(&md->src, p, (size_t)(end - p));
            return;
        }
        pd_buf_append(&md->src, p, (size_t)(cr - p));
        pd_buf_putc(&md->src, '\n');
        p = cr + 1;
        if (p == end)
            md->after_cr = true;
        else if (*p == '\n')
            p++;
    }
}

/* A small piece with no line end (most of a model's tokens): appended in one pass over its
 * bytes, without the searches a long one needs. False when it is not such a piece. */
static bool append_small(pd_md *md, const char *text, size_t len)
{
    pd_buf *b = &md->src;
    if (len > 16 || md->after_cr || md->nl_from != b->len || b->cap - b->len <= len)
        return false;
    char *to = b->data + b->len;   /* copied as it is looked at: the bytes after len are spare */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' || text[i] == '\r') {
            *to = '\0';
            return false;
        }
        to[i] = text[i];
    }
    b->len += len;
    b->data[b->len] = '\0';
    md->nl_from = b->len;
    return true;
}

static void append_text(pd_md *md, const char *text, size_t len);

/* A byte order mark at the text's very start is not kept (libcmark drops it there, and the
 * columns it gives on the first line are after it): until it is told, the bytes that may be
 * one wait (md->bom_have). False when all of text was taken. */
static bool bom_dropped(pd_md *md, const char **text, size_t *len)
{
    static const char bom[] = "\xEF\xBB\xBF";
    while (*len && md->bom_have < 3 && **text == bom[md->bom_have]) {
        md->bom_have++;
        (*text)++;
        (*len)--;
    }
    if (md->bom_have == 3 || !*len) {
        md->start_told = md->bom_have == 3;
        return *len > 0;
    }
    md->start_told = true;   /* no byte order mark: the bytes that waited are text */
    if (md->bom_have)
        append_text(md, bom, md->bom_have);
    return true;
}

void pd_md_append(pd_md *md, const char *text, size_t len)
{
    if (len == 0 || (!md->start_told && !bom_dropped(md, &text, &len)))
        return;
    append_text(md, text, len);
}

static void append_text(pd_md *md, const char *text, size_t len)
{
    md->tail_dirty = true;
    if (append_small(md, text, len))
        return;
    append_lf_normalized(md, text, len);
    if (md->nl_from < md->scan)
        md->nl_from = md->scan;
    while (md->nl_from < md->src.len) {
        const char *s = md->src.data;
        const char *nl = memchr(s + md->nl_from, '\n', md->src.len - md->nl_from);
        if (!nl) {
            md->nl_from = md->src.len;
            break;
        }
        size_t ls = md->scan, le = (size_t)(nl - s);
        md->scan = md->nl_from = le + 1;
        scan_line(md, ls, le);
    }
}

/* Where the character that ends at u[c - 1] starts (not before from): its lead byte. */
static size_t char_start_before(const unsigned char *u, size_t from, size_t c)
{
    size_t k = c - 1;
    while (k > from && c - k < 4 && (u[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* Text read by libcmark (from a point where it may be cut) may be cut between u[c - 1] and u[c]
 * with the same characters on each side when read alone: not after a backslash that may escape
 * u[c], inside what may be an entity reference ("&am|p;"), inside a UTF-8 character or less
 * than 4 bytes after a bad one (libcmark's U+FFFD for it takes in what follows). */
static bool cut_keeps_escapes(const unsigned char *u, size_t from, size_t c)
{
    unsigned char n = u[c];
    if ((n & 0xC0) == 0x80)
        return false;
    size_t k = c;
    while (k > from && u[k - 1] == '\\')
        k--;
    if ((c - k) % 2)
        return false;
    /* a character starting up to 3 bytes before: complete before c (libcmark takes a bad one
     * with up to 3 bytes after its first, whatever they are: "\xF7m#" is one U+FFFD) */
    for (k = c > from + 3 ? c - 3 : from; k < c; k++) {
        uint32_t cp;
        if (u[k] >= 0xC0 && pd_utf8_decode((const char *)u + k, c - k, &cp) == 0)
            return false;
    }
    if (isalnum(n) || n == '#' || n == ';') {
        for (k = c; k > from && c - k < 40 && (isalnum(u[k - 1]) || u[k - 1] == '#'); k--)
            ;
        if (k > from && u[k - 1] == '&')
            return false;
    }
    /* nor after an entity reference before punctuation: in an info string libcmark reads
     * references before escapes, and "&#92;(" is an escaped '(' (found by a fuzz run) */
    if (ispunct(n) && c > from && u[c - 1] == ';') {
        for (k = c - 1; k > from && c - k < 40 && (isalnum(u[k - 1]) || u[k - 1] == '#'); k--)
            ;
        if (k > from && k < c - 1 && u[k - 1] == '&')
            return false;
    }
    return true;
}

/* ---- the opening line of a top-level fence being written: its info string settles ---- */

/* The info string of a fence line being written is read again at each render from the last
 * point it settled at, and settles once this much of it would be read again. */
#define FH_SETTLE 64

/* The fence line's text [a, b) as its own info string needs no parse: no escape, entity, NUL or
 * bad byte (the line's start, from fh_ls, is parsed for what comes before its info string). */
static bool fence_part_plain(const pd_md *md, size_t a, size_t b)
{
    const char *s = md->src.data + a;
    return a > md->fh_ls && !memchr(s, '\\', b - a) && !memchr(s, '&', b - a) && utf8_valid(s, b - a, false);
}

/* Appends to out[i] the info string libcmark reads from part i of the fence line, its text
 * [cut[i], cut[i + 1]) (n parts, at most 2, all read in one parse when they need one, each as a
 * fence line of its own closed before the next): the line from its start when the part starts
 * at fh_ls, else after "~~~ x" (its leading blanks kept); all but the last part with an 'x'
 * after them (their trailing blanks kept). The 'x's are not laid out. at_end: the last part ends
 * the text so far (nothing follows it in the parse either). fence_len: the line's fence run. */
static void fence_parts_put(pd_md *md, st *out, const size_t *cut, size_t n, bool at_end, size_t fence_len)
{
    assert(n <= 2);
    const char *s = md->src.data;
    pd_buf doc_text = {0};
    bool plain[2];
    for (size_t i = 0; i < n; i++) {
        if ((plain[i] = fence_part_plain(md, cut[i], cut[i + 1])))
            continue;
        if (cut[i] != md->fh_ls)
            pd_buf_append(&doc_text, s + md->fh_ls, fence_len), pd_buf_puts(&doc_text, " x");
        pd_buf_append(&doc_text, s + cut[i], cut[i + 1] - cut[i]);
        if (i + 1 == n && at_end)
            break;   /* nothing after it, as in the whole (bad UTF-8 there is read up to the end) */
        pd_buf_puts(&doc_text, i + 1 < n ? "x\n" : "\n");
        pd_buf_append(&doc_text, s + md->fh_ls, fence_len);
        pd_buf_putc(&doc_text, '\n');
    }
    cmark_node *doc = NULL, *cb = NULL;
    if (doc_text.len) {
        md->stats.parsed_bytes += doc_text.len;
        doc = cmark_parse_document(doc_text.data, doc_text.len, CMARK_OPT_VALIDATE_UTF8);
        cb = doc ? cmark_node_first_child(doc) : NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t more = i + 1 < n;
        if (plain[i]) {
            size_t len = cut[i + 1] - cut[i];
            while (!more && len && isspace((unsigned char)s[cut[i] + len - 1]))
                len--;
            st_san(&out[i], PD_MD_MARKUP, s + cut[i], len, false);
            continue;
        }
        const char *info = cb ? cmark_node_get_fence_info(cb) : NULL;
        size_t got = info ? strlen(info) : 0, skip = cut[i] != md->fh_ls;
        if (got >= skip + more) /* the 'x's are there (a part is never all blank) */
            st_san(&out[i], PD_MD_MARKUP, info + skip, got - skip - more, false);
        cb = cb ? cmark_node_next(cb) : NULL;
    }
    if (doc)
        cmark_node_free(doc);
    pd_buf_free(&doc_text);
}

/* The '&' at u[a] starts what is or may still become (the text is read up to lim) an entity
 * reference that may stand for a blank: a numeric one ("&#32;", "&#x9;"), "&Tab;", "&NewLine;". */
static bool entity_may_blank(const unsigned char *u, size_t a, size_t lim)
{
    static const char *const names[] = {"Tab;", "NewLine;"};
    size_t i = a + 1;
    if (i >= lim)
        return true;
    if (u[i] == '#') {
        bool hex = ++i < lim && (u[i] == 'x' || u[i] == 'X');
        size_t digits = i += hex;
        while (i < lim && i - digits < 16 && (hex ? isxdigit(u[i]) : isdigit(u[i])))
            i++;
        return i >= lim || (i > digits && u[i] == ';');
    }
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t n = strlen(names[k]), m = 0;
        while (m < n && i + m < lim && u[i + m] == (unsigned char)names[k][m])
            m++;
        if (m == n || i + m == lim)
            return true;
    }
    return false;
}

/* The character u[q] of an info string (read from from) stands for no blank whatever follows:
 * it is none, nor what may be part of an entity reference for one ("&#32;", "&Tab;"). libcmark
 * trims the blanks the references stand for too. */
static bool info_char_no_blank(const unsigned char *u, size_t from, size_t q, size_t lim)
{
    if (u[q] == '&')   /* what it may start stands for an '&' or what its name says */
        return !entity_may_blank(u, q, lim);
    if (isspace(u[q]))
        return false;
    size_t k = q;
    if (isalnum(u[q]) || u[q] == '#' || u[q] == ';')
        while (k > from && q - k < 40 && (isalnum(u[k - 1]) || u[k - 1] == '#'))
            k--;
    return !(k > from && u[k - 1] == '&' && k <= q && entity_may_blank(u, k - 1, lim));
}

/* Where the fence line's info string settles (0: not yet): the last point before fh_text_end
 * where it may be cut (cut_keeps_escapes) before a character that stands for no blank and after
 * the first such (so that libcmark trims the same blanks at its ends in the parts as in the
 * whole), once FH_SETTLE bytes or more would be read again. */
static size_t fence_head_cut(pd_md *md, size_t info)
{
    const unsigned char *u = (const unsigned char *)md->src.data;
    size_t from = md->fh_src > info ? md->fh_src : info;
    if (md->fh_text_end < from + FH_SETTLE)
        return 0;
    for (; md->fh_lead < md->fh_scan && !md->fh_lead_found; md->fh_lead++)
        md->fh_lead_found = info_char_no_blank(u, info, md->fh_lead, md->fh_scan);
    size_t p = md->fh_text_end - 1;
    while (p > from && p > md->fh_lead && p + FH_SETTLE > md->fh_text_end &&
           !(cut_keeps_escapes(u, from, p) && info_char_no_blank(u, from, p, md->fh_scan)))
        p--;
    return p > from && p > md->fh_lead && p + FH_SETTLE > md->fh_text_end ? p : 0;
}

/* Lays out the tail up to end, whose last line is the fence line [scan, end) (its fence ch, len
 * of them): the text before it as the chunk it becomes (once), a blank line, then the fence line
 * from what of it is settled: the settling goes on (the pieces of the line before the last are
 * final), only what came since is read again. While the line is still being written (writing),
 * a closing fence line after it, as a whole render gives (libcmark closes the block there). */
static void fence_head_lay(pd_md *md, size_t end, char ch, size_t len, bool writing)
{
    const char *s = md->src.data;
    R r = {0};
    r.md = md;
    r.width = md->width;
    lvl chain[SPLIT_LEVELS], *l = chain_rebuild(chain, md->fh_chain, md->fh_nested ? md->n_fh_chain : 0, true);
    if (!md->fh_on) {
        tail_unfollow(md);   /* what other renders of the tail followed is no longer there */
        truncate_lines(md, md->n_done_lines);
        md->fh_ls = md->scan;
        if (md->fh_ls > md->done)
            render_chunk(md, md->done, md->fh_ls, NULL);
        md->fh_pre = md->n_lines;
        r.sep_pending = true;
        flush_sep(&r);
        md->fh_on = md->fh_first = true;
        md->fh_lines = md->n_lines;
        md->fh_src = md->fh_ls;
        md->fh_scan = md->fh_text_end = md->fh_lead = md->fh_ls + len;
        md->fh_lead_found = false;
        st_free(&md->fh_rest);
        char fence[3] = {ch, ch, ch};
        st_put(&md->fh_rest, PD_MD_MARKUP, fence, 3, 3);
    }
    for (size_t i = end; i > md->fh_scan; i--)
        if (!isspace((unsigned char)s[i - 1])) {
            md->fh_text_end = i;
            break;
        }
    md->fh_scan = end;
    /* what settles, then what follows it to the end of the text, with up to 4 of the blanks
     * after it (libcmark reads a bad UTF-8 character there with up to 3 bytes after it) */
    size_t cut[3] = {md->fh_src}, n = 0, settle = fence_head_cut(md, md->fh_ls + len);
    if (settle)
        cut[++n] = settle;
    cut[++n] = end - md->fh_text_end > 4 ? md->fh_text_end + 4 : end;
    st info[2], t = {0};
    memset(info, 0, sizeof info);
    if (md->fh_text_end > md->fh_src)
        fence_parts_put(md, info, cut, n, writing && cut[n] == end, len);
    truncate_lines(md, md->fh_lines);
    /* past its first piece, the prefixes' first ones (a list item's marker) were shown */
    for (lvl *p = md->fh_nested && md->fh_lines > md->fh_line0 ? l : NULL; p; p = p->up)
        p->used = true;
    st_copy(&t, &md->fh_rest, 0, md->fh_rest.text.len, md->fh_rest.width);
    if (settle) {
        st_copy(&t, &info[0], 0, info[0].text.len, info[0].width);
        emit_cut(&r, l, &t, NULL, md->fh_first, &md->fh_rest, md->fh_rest.text.len, md->fh_rest.width);
        md->fh_first = md->fh_first && md->n_lines == md->fh_lines;
        md->fh_lines = md->n_lines;
        md->fh_src = settle;
        st_free(&t);
        st_copy(&t, &md->fh_rest, 0, md->fh_rest.text.len, md->fh_rest.width);
    }
    st_copy(&t, &info[n - 1], 0, info[n - 1].text.len, info[n - 1].width);
    emit_cut(&r, l, &t, NULL, md->fh_first, NULL, md->fh_rest.text.len, md->fh_rest.width);
    if (writing)
        emit_fence_line(&r, l, ch, NULL);
    st_free(&t);
    st_free(&info[0]);
    st_free(&info[1]);
    st_free(&r.sep);
    md->stats.tail_bytes += end - md->fh_src;
    md->stats.head_renders++;
}

/* The tail's last line [scan, end), which looks like a fence's first at the top level, opens a
 * fenced code block in the tail parsed whole (not so inside an HTML block before it). Looked at
 * once per line: the lines before it decide. */
static bool fence_head_opens(pd_md *md, size_t end)
{
    if (md->fh_checked_ls == md->scan + 1)
        return md->fh_opens;
    md->fh_checked_ls = md->scan + 1;
    int line = 1;
    for (const char *p = md->src.data + md->done; (p = memchr(p, '\n', (size_t)(md->src.data + md->scan - p))); p++)
        line++;
    cmark_node *doc = parse(md, md->src.data + md->done, end - md->done);
    cmark_node *last = doc ? cmark_node_last_child(doc) : NULL;
    md->fh_opens = last && cmark_node_get_type(last) == CMARK_NODE_CODE_BLOCK &&
                   cmark_node_get_start_line(last) == line;
    if (doc)
        cmark_node_free(doc);
    return md->fh_opens;
}

/* Renders the tail when its last line is one being written that opens a fenced code block at
 * the top level (at its first column, so the text before it is a chunk of its own when it ends:
 * scan_line), as a whole render of it gives (see fence_head_lay). False when it is not. */
static bool render_fence_head(pd_md *md, size_t end)
{
    char ch;
    if (md->fh_on && md->fh_nested) {
        /* still that line, still a fence's (a '`' in a '`' fence's info string is not) */
        const char *f = md->src.data + md->fh_ls;
        size_t n = end - md->fh_ls, len;
        bool same_line = end > md->fh_ls && end >= md->fh_scan &&
                         !memchr(md->src.data + md->fh_scan, '\n', end - md->fh_scan);
        if (!md->whole && same_line && fence_open_from(f, n, &ch, &len, md->fh_scan - md->fh_ls)) {
            fence_head_lay(md, end, ch, len, true);
            md->fp_ok = false;
            return true;
        }
        md->fh_on = md->fh_nested = false;
        return false;
    }
    const char *l = md->src.data + md->scan;
    bool same = md->fh_on && md->fh_ls == md->scan;
    size_t len, ticks_from = same ? md->fh_scan - md->scan : 0;
    if (md->whole || md->in_fence || end <= md->scan || !fence_open_from(l, end - md->scan, &ch, &len, ticks_from) ||
        l[0] != ch) {
        /* the line ended as a fence's first: render_open_fence goes on from it */
        md->fh_on = md->fh_on && md->in_fence && md->fence_start == md->done && md->fh_ls == md->done;
        return false;
    }
    if (!same && !fence_head_opens(md, end))
        return false;
    md->fh_on = same;
    fence_head_lay(md, end, ch, len, true);
    md->fp_ok = false;
    return true;
}

/* Lays out a verbatim block's line being written (its text [ts, end), the line from ls) inside
 * the prefixes l, after its other lines (as emit_verbatim would): its text laid out so far
 * (ov_text, of the source up to ov_read) is kept and what came since is added, and only its
 * pieces from the last one (at ov_at, on line ov_line) are laid out again: a long line (base64,
 * minified code) costs its length once. */
static void emit_open_verbatim(pd_md *md, R *r, lvl *l, size_t ls, size_t ts, size_t end, pd_md_style style)
{
    if (md->ov_ls != ls + 1 || md->ov_ts != ts || md->ov_read > end) {   /* another line */
        md->ov_ls = ls + 1;
        md->ov_ts = md->ov_read = ts;
        st_free(&md->ov_text);
        md->ov_at = 0;
        md->ov_first = true;
        md->ov_line = md->n_lines;
    }
    st_san(&md->ov_text, style, md->src.data + md->ov_read, end - md->ov_read, true);
    md->stats.tail_bytes += end - md->ov_read;
    md->ov_read = end;
    truncate_lines(md, md->ov_line);
    if (!md->ov_text.text.len) {   /* nothing after the prefixes yet: an empty line */
        emit(r, l, &md->ov_text);
        return;
    }
    size_t at = md->ov_at;
    emit_cut(r, l, &md->ov_text, &at, md->ov_first, NULL, 0, 0);
    if (at != md->ov_at) {   /* the pieces before the one at `at` are final */
        md->ov_first = false;
        md->ov_at = at;
        md->ov_line = md->n_lines - 1;
    }
}

/* The open top-level fence's line being written, [ls, end) (see emit_open_verbatim). */
static void emit_open_code_line(pd_md *md, R *r, size_t ls, size_t end)
{
    emit_open_verbatim(md, r, NULL, ls, ls, end, PD_MD_CODEBLOCK);
}

/* The tail is an open top-level fence whose last, incomplete line does not close it. */
static bool tail_is_open_fence(const pd_md *md, size_t end)
{
    if (!md->in_fence || !md->fence_top || md->fence_start != md->done)
        return false;
    return !(end > md->scan && fence_close(md, md->src.data + md->scan, end - md->scan));
}

static void render_open_fence(pd_md *md, size_t end)
{
    R r = {0};
    r.md = md;
    r.width = md->width;
    if (md->code_cached == 0) {
        const char *s = md->src.data + md->done;
        const char *nl = memchr(s, '\n', md->scan - md->done);
        size_t open_len = (size_t)(nl - s);
        if (md->fh_on && !md->fh_nested) {   /* laid out while it was written: the rest of it is added */
            fence_head_lay(md, md->done + open_len, md->fence_ch, md->fence_len, false);
            md->fh_on = false;
        } else {
            truncate_lines(md, md->n_done_lines);
            r.sep_pending = true;
            /* libcmark reads the info string (backslash escapes, entities) */
            md->stats.parsed_bytes += open_len;
            cmark_node *doc = cmark_parse_document(s, open_len, CMARK_OPT_VALIDATE_UTF8);
            cmark_node *cb = doc ? cmark_node_first_child(doc) : NULL;
            emit_fence_line(&r, NULL, md->fence_ch, cb ? cmark_node_get_fence_info(cb) : NULL);
            cmark_node_free(doc);
        }
        md->code_next = md->done + open_len + 1;
    } else if (md->ov_ls == md->scan + 1 && md->code_next >= md->scan) {
        emit_open_code_line(md, &r, md->scan, end);   /* the same line goes on: its final pieces stay */
        st_free(&r.sep);
        return;
    } else if (md->ov_ls == md->code_next + 1) {
        /* the line being written has ended: it is finished from what of it was laid out */
        size_t le = (size_t)((const char *)memchr(md->src.data + md->code_next, '\n', md->scan - md->code_next) -
                             md->src.data);
        emit_open_code_line(md, &r, md->code_next, le);
        md->code_next = le + 1;
    } else {
        truncate_lines(md, md->n_done_lines + md->code_cached);
    }
    md->stats.tail_bytes += md->scan - md->code_next;
    while (md->code_next < md->scan) {
        const char *s = md->src.data + md->code_next;
        const char *nl = memchr(s, '\n', md->scan - md->code_next);
        size_t len = (size_t)(nl - s);
        emit_verbatim(&r, NULL, s, len, PD_MD_CODEBLOCK);
        md->code_next += len + 1;
    }
    md->code_cached = md->n_lines - md->n_done_lines;
    if (end > md->scan)
        emit_open_code_line(md, &r, md->scan, end);
    st_free(&r.sep);
}

/* Commits the top-level fenced code block [done, pos) whose closing fence line starts at close:
 * the lines laid out while it was open (or its first line, while it was written) are kept (its
 * lines after them added) when libcmark would read its text as it is (valid UTF-8, no NUL);
 * otherwise it is parsed whole. */
static void commit_fence(pd_md *md, size_t close, size_t pos)
{
    const char *s = md->src.data;
    bool head = !md->code_cached && md->fh_on && !md->fh_nested && md->fh_ls == md->done;
    size_t from = md->done;
    if (head)   /* its first line's end */
        from = (size_t)((const char *)memchr(s + md->done, '\n', close - md->done) - s) + 1;
    bool keep = (md->code_cached || head) && md->fence_start == md->done && md->code_next <= close &&
                utf8_valid(s + from, close - from, false);
    if (!keep) {
        commit(md, pos);
        return;
    }
    if (head) {
        WITH_LOCALE(md, fence_head_lay(md, from - 1, md->fence_ch, md->fence_len, false));
        md->fh_on = false;
        md->code_next = from;
        md->code_cached = md->n_lines - md->n_done_lines;
    }
    R r = {0};
    r.md = md;
    r.width = md->width;
    truncate_lines(md, md->n_done_lines + md->code_cached);
    WITH_LOCALE(md, {
        while (md->code_next < close) {
            const char *nl = memchr(s + md->code_next, '\n', close - md->code_next);
            size_t len = (size_t)(nl - s) - md->code_next;
            emit_verbatim(&r, NULL, s + md->code_next, len, PD_MD_CODEBLOCK);
            md->code_next += len + 1;
        }
        emit_fence_line(&r, NULL, md->fence_ch, NULL);
    });
    st_free(&r.sep);
    commit_lines(md, pos);
}

static bool fast_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == ' ' || c == ',' || c == '.' || c == ':' || c == '?' || c == '!' || c == '\'' || c == '"';
}

/* True when the line's text, after its container markers ("- ", "* ", "+ ", "> ", "1. ",
 * "1) " and indentation, nested), starts with a letter: then no text appended to the line can
 * make it a list item, heading, quote, fence or break ("- 1" + ". x" is an ordered list). */
static bool line_content_is_settled(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ') {
            i += 2;
            continue;
        }
        if (i < n && s[i] == '>') {
            i++;
            continue;
        }
        size_t d = i;
        while (d < n && d - i < 9 && s[d] >= '0' && s[d] <= '9')
            d++;
        if (d > i && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ') {
            i = d + 2;
            continue;
        }
        break;
    }
    if (i >= n)
        return false;
    unsigned char c = (unsigned char)s[i];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* After a full render of the tail up to end: can plain text appended later take the fast path?
 * Not when the tail could be a table ('|'), holds a link reference definition or raw HTML (a
 * line starting with '[' or '<'), the current line's text does not start with a letter, or the
 * text before the end is not plain (a closing delimiter, a backslash, a newline). */
static void fast_path_check(pd_md *md, size_t from, size_t end)
{
    md->fp_ok = false;
    if (!md->fp_cand || md->n_lines <= md->n_done_lines || md->in_fence)
        return;
    const char *s = md->src.data;
    size_t e = end;
    while (e > md->scan && s[e - 1] == ' ')
        e--;
    if (e <= md->scan || !fast_byte((unsigned char)s[e - 1]))
        return;
    if (memchr(s + from, '|', end - from))
        return;
    /* libcmark's replacement of invalid UTF-8 can swallow the bytes after it */
    if (!utf8_valid(s + md->scan, end - md->scan, true))
        return;
    if (!line_content_is_settled(s + md->scan, end - md->scan))
        return;
    for (size_t ls = from; ls < end;) {
        size_t i = ls + indent_of(s + ls, end - ls);
        if (i < end && i - ls <= 3 && (s[i] == '[' || s[i] == '<'))
            return;
        const char *nl = memchr(s + ls, '\n', end - ls);
        if (!nl)
            break;
        ls = (size_t)(nl - s) + 1;
    }
    md->fp_ok = true;
    md->fp_src = e;
    md->fp_prefix = md->fp_cand_prefix;
}

/* Copies [from, line end) of an output line into t with its styles. */
static void line_slice(st *t, const pd_md_line *l, size_t from, size_t to)
{
    st src = {{l->text, l->len, l->len + 1}, l->spans, l->n_spans, l->n_spans, l->width};
    st_copy(t, &src, from, to, str_width(l->text + from, to - from));
}

static bool plain_text(const char *s, size_t n);

static bool render_fast(pd_md *md, size_t end)
{
    if (!md->fp_ok || end <= md->fp_src || md->scan > md->fp_src)
        return false;
    const char *s = md->src.data;
    /* invalid UTF-8 goes to libcmark, which replaces it its own way */
    if (!plain_text(s + md->fp_src, end - md->fp_src))
        return false;
    pd_md_line *last = &md->lines[md->n_lines - 1];
    if (last->n_spans == 0 || last->spans[last->n_spans - 1].style == PD_MD_ESCAPE ||
        md->fp_prefix >= last->len)
        return false;
    pd_md_style style = last->spans[last->n_spans - 1].style;
    st content = {0}, first = {0};
    line_slice(&first, last, 0, md->fp_prefix);
    line_slice(&content, last, md->fp_prefix, last->len);
    st_san(&content, style, s + md->fp_src, end - md->fp_src, false);
    stvec lines = {0};
    wrap(&content, md->fp_avail, &lines);
    line_free(last);
    md->n_lines--;
    for (size_t i = 0; i < lines.n; i++) {
        st line = {0};
        const st *pre = i == 0 ? &first : &md->fp_rest;
        st_copy(&line, pre, 0, pre->text.len, pre->width);
        st_copy(&line, &lines.v[i], 0, lines.v[i].text.len, lines.v[i].width);
        push_line(md, &line);
        st_free(&line);
    }
    if (lines.n > 1)
        md->fp_prefix = md->fp_rest.text.len;
    stvec_free(&lines);
    st_free(&content);
    st_free(&first);
    md->stats.tail_bytes += end - md->fp_src;
    md->stats.fast_renders++;
    size_t e = end;
    while (s[e - 1] == ' ')
        e--;
    md->fp_src = e;
    return true;
}

/* ---- the open paragraph: settled inline content is kept, only the rest is parsed again ---- */

static bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}


/* True when the line (from its first non-blank character, n bytes) can no longer be a table's
 * delimiter row, whatever is appended: it holds a character that is not '|', '-', ':' or a blank
 * outside an entity (which may stand for one of those), or a backslash escape of another, or,
 * with neither, is longer than a row can be (its text is then the line as written). */
static bool para_line_not_delim_row(const char *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (l[i] == '&') {
            size_t j = i + 1;
            while (j < n && (isalnum((unsigned char)l[j]) || l[j] == '#'))
                j++;
            if (j == n)
                return false; /* an entity may still be in writing */
            if (l[j] != ';')
                return true;  /* a literal '&' */
            i = j;
        } else if (l[i] == '\\') {
            if (++i == n)
                return false;
            if (!strchr("|-:", l[i]))
                return true;  /* an escaped character no delimiter row has, or a '\\' */
        } else if (l[i] == '\v' || l[i] == '\f') {
            /* libcmark trims them at a line's end (the row is what is before), not inside */
            size_t k = i;
            while (k < n && l[k] && strchr(" \t\v\f", l[k]))
                k++;
            if (k < n)
                return true;
        } else if (!strchr("|-: \t", l[i])) {
            return true;
        }
    }
    return !memchr(l, '&', n) && !memchr(l, '\\', n) && trimmed_len(l, n) > DELIM_ROW_MAX;
}

/* True when a line of a top-level paragraph starting with the digits at l[i] (n bytes in all)
 * can no longer interrupt it as an ordered list, whatever is appended: only a number 1 (leading
 * zeros allowed, 9 digits at most) then '.' or ')' then a blank or the line end can. */
static bool para_digits_settled(const char *l, size_t i, size_t n)
{
    size_t d = i;
    while (d < n && l[d] == '0')
        d++;
    if (d < n && l[d] == '1')
        d++;
    if (d - i > 9 || (d < n && l[d] >= '0' && l[d] <= '9'))
        return true;
    if (d == n || (d > i && l[d - 1] != '1'))
        return d < n; /* all zeros so far: a '1' may follow */
    if (l[d] != '.' && l[d] != ')')
        return true;
    return d + 1 < n && l[d + 1] != ' ' && l[d + 1] != '\t';
}

/* No line after pi_src can be a table's delimiter row: it is the third or later, or the
 * paragraph can be no table. */
static bool para_past_table(const pd_md *md)
{
    return md->pi_breaks >= 2 || md->pi_no_table;
}

/* The kind of the paragraph's lines after pi_src. */
static para_line_kind para_later_line(const pd_md *md)
{
    return para_past_table(md) ? PARA_LINE_LATE : PARA_LINE_SECOND;
}

/* The text the open paragraph's offsets are in: the source, or a nested paragraph's own. */
static const char *pi_text(const pd_md *md)
{
    return md->pi_nested ? md->pi_nest.data : md->src.data;
}

static size_t pi_text_len(const pd_md *md)
{
    return md->pi_nested ? md->pi_nest.len : md->src.len;
}

/* Follows the paragraph's first line as it arrives, up to end: once it is finished with no '|'
 * in it, nor an '&' (an entity may write one), nor what may open an inline that holds its line
 * end (a code span, link, emphasis or raw HTML: the paragraph's first line would go on), it is
 * no table's header (try_table: the header must hold a '|'). */
static void para_table_check(pd_md *md, size_t end)
{
    const char *s = pi_text(md);
    size_t i = md->pi_header_scan;
    for (; !md->pi_header_done && i < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '|' || c == '&' || c == '`' || c == '[' || c == '<' || c == '*' || c == '_')
            md->pi_header_done = true;
        else if (s[i] == '\n')
            md->pi_header_done = md->pi_no_table = true;
    }
    md->pi_header_scan = i;
}

/* The '[' at l[0] (n bytes) starts no link reference definition whatever follows: no label
 * ("[...]" and a ':' after it, the label at most 999 characters, no '[' unescaped in it) can
 * start there. A label may go on to later lines: not known before the line is longer. */
static bool no_link_label(const char *l, size_t n)
{
    for (size_t k = 1, chars = 0; k < n; k++) {
        if ((l[k] & 0xC0) != 0x80 && ++chars > 999)
            return true;
        if (l[k] == '\\')
            k++;
        else if (l[k] == '[')
            return true;
        else if (l[k] == ']')
            return k + 1 < n && l[k + 1] != ':';
    }
    return false;
}

/* The '<' at l[0] (n bytes) starts no HTML block whatever follows: it is followed by no tag name
 * ("<3", "< x") or by one ended by what no tag has there ("<a<a", "<b&"), and by no '!' or '?'
 * (a comment, declaration or processing instruction). */
static bool no_html_block(const char *l, size_t n)
{
    size_t k = 1 + (n > 1 && l[1] == '/');
    if (k >= n)
        return false;
    if (l[1] == '!' || l[1] == '?')
        return false;
    if (!ascii_letter((unsigned char)l[k]))
        return true;
    while (k < n && (isalnum((unsigned char)l[k]) || l[k] == '-'))
        k++;
    return k < n && !strchr(" \t\v\f\r>/", l[k]);
}

/* What HTML block a line starting with '<' (l, n bytes, after its indent) may start. */
typedef enum html_start {
    HTML_NEVER,                   /* none, whatever follows */
    HTML_MAYBE,                   /* one that more text decides */
    HTML_LONE_TAG                 /* only a line of one tag (the seventh kind: it cannot interrupt
                                   * a paragraph, and a first line is one only when it ends in '>') */
} html_start;

/* Whether a tag name starts one of the other kinds ("<div", "<pre") is asked of libcmark once
 * the name is complete (html_block_tag). */
static html_start html_start_kind(const char *l, size_t n)
{
    if (no_html_block(l, n))
        return HTML_NEVER;
    size_t k = 1 + (n > 1 && l[1] == '/'), name = k;
    if (k >= n || l[1] == '!' || l[1] == '?')
        return HTML_MAYBE;
    while (k < n && (isalnum((unsigned char)l[k]) || l[k] == '-'))
        k++;
    if (k - name > HTML_BLOCK_NAME_MAX)
        return HTML_LONE_TAG;
    if (k == n)
        return HTML_MAYBE;   /* the name may still become a block tag's */
    return html_block_tag(l + 1, k - 1) ? HTML_MAYBE : HTML_LONE_TAG;
}

/* True when no text appended to this line of a paragraph can make it a block start (list item,
 * heading, quote, fence, HTML, break), a setext underline or a table's delimiter row; a first
 * line must not start with '[' either (a link definition). Once true, true for any longer
 * line. */
static bool para_line_settled(const char *l, size_t n, para_line_kind kind)
{
    bool first = kind == PARA_LINE_FIRST;
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i == n)
        return false;
    unsigned char c = (unsigned char)l[i];
    if (ascii_letter(c) || c >= 0x80)
        return true;
    if (c >= '0' && c <= '9') {
        if (!first)
            return para_digits_settled(l, i, n);
        size_t d = i;
        while (d < n && l[d] >= '0' && l[d] <= '9')
            d++;
        return d - i >= 10 || (d < n && l[d] != '.' && l[d] != ')');   /* a marker has 1 to 9 */
    }
    if (c == '*' || c == '_') {
        if (c == '*' && (i + 1 >= n || l[i + 1] == ' ' || l[i + 1] == '\t'))
            return false;
        for (size_t k = i; k < n; k++)
            if (l[k] != (char)c && l[k] != ' ' && l[k] != '\t')
                return true;
        return false;
    }
    if (c == '`' || c == '~') {
        size_t k = i;
        while (k < n && l[k] == (char)c)
            k++;
        return k - i < 3 && k < n;
    }
    if (c == '[')
        return !first || no_link_label(l + i, n - i);
    if (c == '<') {
        html_start h = html_start_kind(l + i, n - i);
        return h == HTML_NEVER || (h == HTML_LONE_TAG && !first);
    }
    /* "-5", "+1", "= x", "#tag": no list item (a blank after the marker), heading (1 to 6 '#'
     * then a blank), thematic break or setext underline ('-' or '=' and blanks only) */
    if (c == '+')
        return i + 1 < n && l[i + 1] != ' ' && l[i + 1] != '\t';
    if (c == '#') {
        size_t k = i;
        while (k < n && l[k] == '#')
            k++;
        return k - i > 6 || (k < n && l[k] != ' ' && l[k] != '\t');
    }
    if (c == '=' && first)
        return true;   /* no underline: there is no line before */
    if (c == '-' || c == '=') {
        if (c == '-' && (i + 1 >= n || l[i + 1] == ' ' || l[i + 1] == '\t'))
            return false;
        if (c == '-' && kind == PARA_LINE_SECOND && !para_line_not_delim_row(l + i, n - i))
            return false;
        for (size_t k = i; k < n; k++)
            if (l[k] != (char)c && l[k] != ' ' && l[k] != '\t')
                return true;
        return false;
    }
    /* a second line: "\\|---|", "\\----" and "&#124;---|" are a table's delimiter row ("\\[" is
     * none) */
    if (c == '\\' || c == '&' || c == '|' || c == ':')
        return kind != PARA_LINE_SECOND || para_line_not_delim_row(l + i, n - i);
    return c && strchr("\"'()!,.;?/%$@{}^", c);
}

/* The start of the text of the ATX heading on the tail's last line (from base to end) in *start:
 * false when that line holds no such heading with text after its blanks, or holds a tab or is
 * finished (a heading has one line: what follows is another block). */
static bool heading_text_start(const char *s, size_t base, size_t end, size_t *start)
{
    size_t ls = end;
    while (ls > base && s[ls - 1] != '\n')
        ls--;
    size_t i = ls + indent_of(s + ls, end - ls), hashes = i;
    while (i < end && s[i] == '#')
        i++;
    if (i == hashes || i - hashes > 6 || hashes - ls > 3 || i >= end || s[i] != ' ' ||
        memchr(s + ls, '\t', end - ls))
        return false;
    while (i < end && s[i] == ' ')
        i++;
    *start = i;
    return i < end;
}

/* A paragraph starts being followed: nothing of it is settled yet. */
static void pi_settling_reset(pd_md *md)
{
    md->pi_tried = md->pi_breaks = md->pi_run_since = 0;
    md->pi_words_stuck = md->pi_lone_tag = false;
    memset(&md->pi_opens, 0, sizeof md->pi_opens);
    open_line_free(&md->pi_line);
    pi_backs_drop(md, 0);
}

/* A heading's marker starts its first line, as render_block lays it out. */
static void pi_heading_marker(pd_md *md)
{
    if (!md->pi_heading)
        return;
    st marker = {0};
    st_put(&marker, PD_MD_MARKUP, "######", (size_t)md->pi_heading, md->pi_heading);
    st_put(&marker, PD_MD_MARKUP, " ", 1, 1);
    open_line_feed(&md->pi_line, &marker, md->pi_avail, false);
    st_free(&marker);
}

/* After a render of the tail from base: follows its last block when that is a top-level
 * paragraph (or ATX heading) whose first line is settled and with no '[' before it from base (no
 * link definition there, so the paragraph parses the same on its own). */
static void para_follow(pd_md *md, const tail_end *te, size_t base, size_t end)
{
    if (!te->para) {
        md->pi_on = false;
        return;
    }
    const char *s = md->src.data;
    size_t start = base + te->para_start;
    if (te->para_heading && !heading_text_start(s, base, end, &start))
        start = SIZE_MAX;
    if (md->pi_on && !md->pi_nested && md->pi_start == start && md->pi_heading == te->para_heading)
        return; /* the same paragraph: what was settled stays settled */
    md->pi_on = false;
    if (start == SIZE_MAX)
        return;
    size_t ls = start;
    while (ls > base && s[ls - 1] != '\n')
        ls--;
    const char *nl = memchr(s + ls, '\n', end - ls);
    size_t le = nl ? (size_t)(nl - s) : end;
    if (start >= end || memchr(s + base, '[', start - base))
        return;
    /* a first line of one tag so far: followed while it does not end in '>' (para_lone_tag) */
    bool lone_tag = !te->para_heading && s[start] == '<' &&
                    html_start_kind(s + start, le - start) == HTML_LONE_TAG;
    if (!te->para_heading && (start - ls > 3 || (!lone_tag && !para_line_settled(s + ls, le - ls, PARA_LINE_FIRST)) ||
                              indent_of(s + ls, le - ls) != start - ls))
        return;
    md->pi_on = true;
    md->pi_heading = te->para_heading;
    md->pi_nested = false;
    md->pi_avail = md->width;
    md->pi_base = md->pi_heading ? PD_MD_HEADING : PD_MD_NORMAL;
    md->pi_start = md->pi_src = start;
    md->pi_first = md->pi_lines = te->para_line;
    pi_settling_reset(md);
    md->pi_lone_tag = lone_tag;   /* (after the reset: a nested paragraph has none) */
    md->pi_lone_tag_scan = start;
    md->pi_no_table = md->pi_header_done = md->pi_heading > 0;   /* a heading is no table */
    md->pi_header_scan = start;
    pi_heading_marker(md);
}

/* The character next to inline node c on one side (after: its first, else its last), as the
 * inline parser saw it: '\n' for a line break before c (a soft or hard one) or the paragraph's
 * start or end, 0 when not known (a line end after c, another kind of node there, or the edge of
 * an emphasis or link). */
static unsigned char char_beside(cmark_node *c, bool after)
{
    cmark_node *d = after ? cmark_node_next(c) : cmark_node_previous(c);
    if (!d)
        return cmark_node_get_type(cmark_node_parent(c)) == CMARK_NODE_PARAGRAPH ? '\n' : 0;
    cmark_node_type t = cmark_node_get_type(d);
    /* before a line end the parser saw what it trims after ("*\v": a '\v' is no blank to the
     * flanking rules); a hard break written "\\" + line end: the '\\' after a run */
    if (t == CMARK_NODE_SOFTBREAK && after)
        return 0;
    if (t == CMARK_NODE_SOFTBREAK || (t == CMARK_NODE_LINEBREAK && !after))
        return '\n';
    const char *lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(d) : NULL;
    if (!lit || !*lit)
        return 0;
    return (unsigned char)(after ? lit[0] : lit[strlen(lit) - 1]);
}

/* Whitespace as libcmark's flanking rules see it (cmark_utf8proc_is_space, ASCII part): not
 * '\v', which a run beside it treats as any other character. */
static bool md_space(unsigned char c)
{
    return c == '\n' || c == ' ' || c == '\t' || c == '\f' || c == '\r';
}

/* A blank byte (what ends a word). */
static bool blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Whether a run of '*' or '_' between prev and next (see char_beside; ASCII) can open and can
 * close emphasis (libcmark's flanking rules; '_' opens only when not right-flanking or after
 * punctuation, closes only when not left-flanking or before punctuation). Unknown or non-ASCII
 * neighbours: it may, unless a blank beside it tells. */
static void run_can(char ch, unsigned char prev, unsigned char next, bool *open, bool *close)
{
    *open = !(next && md_space(next));
    *close = !(prev && md_space(prev));
    if (!prev || !next || prev >= 0x80 || next >= 0x80)
        return;
    bool pp = ispunct(prev), np = ispunct(next);
    bool left = !md_space(next) && (!np || md_space(prev) || pp);
    bool right = !md_space(prev) && (!pp || md_space(next) || np);
    *open = ch == '*' ? left : left && (!right || pp);
    *close = ch == '*' ? right : right && (!left || np);
}

static bool run_never_opens(char ch, unsigned char prev, unsigned char next)
{
    bool open, close;
    run_can(ch, prev, next, &open, &close);
    return !open;
}

static bool run_never_closes(char ch, unsigned char prev, unsigned char next)
{
    bool open, close;
    run_can(ch, prev, next, &open, &close);
    return !close;
}

/* The bit of pi_open.ticks for a backtick run of n (bit 63: 64 or more). */
static uint64_t tick_bit(size_t n)
{
    return (uint64_t)1 << (n >= 64 ? 63 : n - 1);
}

/* Calls fn for each run of '*' or '_' in text node c with the characters beside it (see
 * char_beside); stops and returns true when fn does. */
static bool text_runs(cmark_node *c, bool (*fn)(char ch, unsigned char prev, unsigned char next, void *ctx),
                      void *ctx)
{
    const char *lit = cmark_node_get_literal(c);
    for (size_t i = strcspn(lit, "*_"), n = strlen(lit); i < n; i += strcspn(lit + i, "*_")) {
        size_t j = i;
        while (lit[j] == lit[i])
            j++;
        unsigned char prev = i ? (unsigned char)lit[i - 1] : char_beside(c, false);
        unsigned char next = lit[j] ? (unsigned char)lit[j] : char_beside(c, true);
        if (fn(lit[i], prev, next, ctx))
            return true;
        i = j;
    }
    return false;
}

/* text_runs: notes a run that may still open emphasis in the pi_open ctx. */
static bool note_run_open(char ch, unsigned char prev, unsigned char next, void *ctx)
{
    pi_open *o = ctx;
    if (!run_never_opens(ch, prev, next))
        *(ch == '*' ? &o->star : &o->under) = true;
    return false;
}

/* What node, parsed from text with its escapes and entities calmed (delimiters_calmed: the
 * characters beside a delimiter in a text node are those beside it in the source, a backslash
 * escape drops only the backslash before a punctuation character, which is punctuation on both
 * sides; an escaped '*' or '[' counted as one costs time, never a wrong line), leaves open in *o
 * (literal text now, which text after may close): a '*' or '_' run that may still open emphasis
 * (one that never can stays text whatever follows: "5 * 3", "snake_case"), a backtick run, a
 * '<' (when lt_live: some '<' of the source may still start raw HTML or an autolink), the '['
 * no ']' closed; *excess gets the ']' no '[' of node opened. False when a code span holds a
 * calmed escaped backtick ("\\~"): it may end elsewhere in the source. */
static bool inlines_left_open(cmark_node *node, bool lt_live, pi_open *o, size_t *excess)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_CODE && strstr(cmark_node_get_literal(c), "\\~"))
            return false;
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
            const char *lit = cmark_node_get_literal(c);
            if (lt_live && strchr(lit, '<'))
                o->lt = true;
            for (const char *b = strchr(lit, '`'); b; b = strchr(b, '`')) {
                size_t k = strspn(b, "`");
                o->ticks |= tick_bit(k);
                b += k;
            }
            for (const char *b = strpbrk(lit, "[]"); b; b = strpbrk(b + 1, "[]")) {
                if (*b == '[')
                    ++o->brackets;
                else if (o->brackets)
                    --o->brackets;
                else
                    ++*excess;
            }
            (void)text_runs(c, note_run_open, o);
        }
        if (!inlines_left_open(c, lt_live, o, excess))
            return false;
    }
    return true;
}

static bool pi_open_any(const pi_open *o)
{
    return o->brackets || o->star || o->under || o->ticks || o->lt;
}

/* Adds what o leaves open to *to. */
static void pi_open_add(pi_open *to, const pi_open *o)
{
    to->brackets += o->brackets;
    to->star |= o->star;
    to->under |= o->under;
    to->ticks |= o->ticks;
    to->lt |= o->lt;
}

/* text_runs: a run that may close emphasis a run in the pi_open ctx left open. */
static bool run_may_close(char ch, unsigned char prev, unsigned char next, void *ctx)
{
    const pi_open *o = ctx;
    return (ch == '*' ? o->star : o->under) && !run_never_closes(ch, prev, next);
}

/* Some text of node holds a run of '*' or '_' (text: no emphasis took it) that may close what o
 * left open. */
static bool inlines_may_close(cmark_node *node, const pi_open *o)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT && text_runs(c, run_may_close, (void *)o))
            return true;
        if (inlines_may_close(c, o))
            return true;
    }
    return false;
}

/* Some text of node (parsed calmed: see para_calmed) holds a ']' no '[' before it in node opened
 * (it closes a '[' before node; looked for when brackets), or may hold what closes anything: a
 * code span holding a calmed escaped backtick may end earlier in the source. */
static bool closes_bracket_before(cmark_node *node, bool brackets, size_t *open)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_CODE && strstr(cmark_node_get_literal(c), "\\~"))
            return true;
        if (brackets && cmark_node_get_type(c) == CMARK_NODE_TEXT)
            for (const char *b = strpbrk(cmark_node_get_literal(c), "[]"); b; b = strpbrk(b + 1, "[]")) {
                if (*b == '[')
                    ++*open;
                else if (!*open)
                    return true;
                else
                    --*open;
            }
        if (closes_bracket_before(c, brackets, open))
            return true;
    }
    return false;
}

/* The source s[from, to) (of the n bytes so far, whose end ends the paragraph as it stands; from
 * starts no escape) holds what may close what o left open (noted in *closes): a run of '*' or
 * '_' that may both close and open emphasis (judged by the
 * source's characters beside it, as libcmark does: one the parse of the text alone took to
 * open may close an earlier one in the whole: "*a" then "-*-*"; one that only closes closes the
 * nearest, in the text, unless the parse shows it as text: inlines_may_close), a backtick run
 * as long as one left open, a '>' (the end of raw HTML or an autolink). Runs in code spans
 * count too (that only costs time). */
static bool src_closes_open(const char *s, size_t from, size_t to, size_t n, const pi_open *o,
                            pi_open *closes)
{
    bool any = false;
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        /* no escape in a code span: "\\`" may end one */
        if (c == '\\' && i + 1 < to && ispunct((unsigned char)s[i + 1]) && s[i + 1] != '`') {
            i++;
            continue;
        }
        if (c == '>' && o->lt)
            any = closes->lt = true;
        if (c != '`' && c != '*' && c != '_')
            continue;
        size_t k = i;
        while (k < to && s[k] == c)
            k++;
        unsigned char prev = i ? (unsigned char)s[i - 1] : '\n', next = k < n ? (unsigned char)s[k] : '\n';
        if (c == '`' && (o->ticks & tick_bit(k - i))) {
            closes->ticks |= tick_bit(k - i);
            any = true;
        } else if (c != '`' && (c == '*' ? o->star : o->under) && !run_never_closes(c, prev, next) &&
                   !run_never_opens(c, prev, next)) {
            *(c == '*' ? &closes->star : &closes->under) = true;
            any = true;
        }
        i = k - 1;
    }
    return any;
}

/* The text [from, to) of the open paragraph, parsed calmed as node (NULL: plain text), may close
 * what its settled part left open (pi_opens): a ']' no '[' of it opened, or see
 * src_closes_open. *closes gets what it may close. */
static bool closes_open(const pd_md *md, cmark_node *node, size_t from, size_t to, pi_open *closes)
{
    const pi_open *o = &md->pi_opens;
    size_t open = 0;
    memset(closes, 0, sizeof *closes);
    /* a code span holding a calmed escaped backtick may end elsewhere in the source: anything */
    if (node && closes_bracket_before(node, false, &open)) {
        *closes = *o;
        return true;
    }
    closes->brackets = node && o->brackets && closes_bracket_before(node, true, &open);
    closes->star = closes->under = node && (o->star || o->under) && inlines_may_close(node, o);
    /* the calmed parse may hold no code span where the source has one ("`a\\`"), and show text
     * the source has in it, or the other way round */
    if ((o->star || o->under) && memmem(pi_text(md) + from, to - from, "\\`", 2))
        closes->star = closes->under = true;
    if (o->star || o->under || o->ticks || o->lt)
        (void)src_closes_open(pi_text(md), from, to, pi_text_len(md), o, closes);
    return pi_open_any(closes);
}

static cmark_node *only_block(cmark_node *doc, cmark_node_type type)
{
    cmark_node *p = doc ? cmark_node_first_child(doc) : NULL;
    return p && cmark_node_get_type(p) == type && !cmark_node_next(p) ? p : NULL;
}

static cmark_node *only_paragraph(cmark_node *doc)
{
    return only_block(doc, CMARK_NODE_PARAGRAPH);
}

/* In node's inlines in order, a code span comes after a backtick run shown as text (*seen: one
 * was, before node). */
static bool code_after_open_tick(cmark_node *node, bool *seen)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_CODE && *seen)
            return true;
        if (t == CMARK_NODE_TEXT && strchr(cmark_node_get_literal(c), '`'))
            *seen = true;
        if (code_after_open_tick(c, seen))
            return true;
    }
    return false;
}

/* A length no backtick run of s[0, n) has (at most 1000: libcmark looks for no longer closer). */
static size_t tick_length_absent(const char *s, size_t n)
{
    bool seen[1001] = {false};
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k < n && s[k] == '`')
            k++;
        if (k > i && k - i <= 1000)
            seen[k - i] = true;
        i = k;
    }
    size_t t = 1;
    while (t < 1000 && seen[t])
        t++;
    return t;
}

/* Parses s[0, n), a part of the open paragraph, alone (*doc: the caller frees it): its block, or
 * NULL when it is not one paragraph. A heading's text is parsed after a "# ", so that it is one
 * heading whatever it starts with and loses its closing '#'s at its end as the whole line does.
 * When the settled part left a backtick run open (taken as text), the text is parsed after a run
 * of a length none of it has and a space (taken off again): libcmark, once it looked for a run's
 * closer to the paragraph's end in vain, remembers where it saw the last run of each length and
 * takes a later opener whose remembered closer is behind it as text ("``-`-` `-`" shows the last
 * "`-`" as text); the run put first makes it do that in the part as in the whole. */
static cmark_node *pi_parse(pd_md *md, const char *s, size_t n, cmark_node **doc, size_t *lead)
{
    /* what the text is parsed after: a backtick run and a space (taken off again), and, cut
     * inside a word (para_settle_in_word), a character like the one before it there, which the
     * first text node keeps (*lead: its bytes, for the caller to lay out without): '}' for
     * ASCII punctuation, 'a' for any other ASCII character (a letter, a digit, a control
     * character: libcmark's flanking rules tell only those apart), the same character when not
     * ASCII; so a '*' there is judged as in the whole, and nothing there starts a block */
    char before[1012];
    size_t ticks = md->pi_opens.ticks && memchr(s, '`', n) ? tick_length_absent(s, n) : 0;
    size_t k = md->pi_heading ? 2 : 0;
    memcpy(before, "# ", k);
    memset(before + k, '`', ticks);
    if (ticks)
        before[k + ticks] = ' ', k += ticks + 1;
    size_t taken = k;   /* what is taken off the first text node */
    const unsigned char *u = (const unsigned char *)pi_text(md);
    size_t at = md->pi_src;
    *lead = 0;
    if (at > 0 && !blank_byte(u[at - 1])) {
        if (u[at - 1] < 0x80) {
            before[k] = ispunct(u[at - 1]) ? '}' : 'a';
            *lead = 1;
        } else {
            size_t b = at - 1;
            while (b > 0 && at - b < 4 && (u[b] & 0xC0) == 0x80)
                b--;
            memcpy(before + k, u + b, at - b);
            *lead = at - b;
        }
        k += *lead;
    }
    if (!k) {
        *doc = parse_part(md, s, n);
        return only_paragraph(*doc);
    }
    char *h = pd_xmalloc(n + k);
    memcpy(h, before, k);
    memcpy(h + k, s, n);
    *doc = parse_part(md, h, n + k);
    free(h);
    size_t head = md->pi_heading ? 2 : 0;
    cmark_node *block = head ? only_block(*doc, CMARK_NODE_HEADING) : only_paragraph(*doc);
    cmark_node *first = block ? cmark_node_first_child(block) : NULL;
    const char *lit = first && cmark_node_get_type(first) == CMARK_NODE_TEXT ? cmark_node_get_literal(first) : NULL;
    if (block && k > head && (!lit || strncmp(lit, before + head, k - head) != 0))
        return NULL;
    if (block && taken > head) {
        if (lit[taken - head])
            cmark_node_set_literal(first, lit + taken - head);
        else
            cmark_node_free(first);
    }
    return block;
}

/* Lays out the inlines of para (from pi_parse) in the open paragraph's style, without the lead
 * bytes its first text node starts with. */
static void pi_inlines(const pd_md *md, st *out, cmark_node *para, size_t lead)
{
    if (!lead) {
        inlines(out, para, md->pi_base);
        return;
    }
    st all = {0};
    inlines(&all, para, md->pi_base);
    if (all.text.len >= lead)
        st_copy(out, &all, lead, all.text.len, all.width - str_width(all.text.data, lead));
    st_free(&all);
}

/* Moves pi_src to the last word start before end at which the paragraph's inlines are settled:
 * the text from pi_src to the spaces or line end before that word parses alone as one paragraph
 * with nothing left open (so nothing after can pair with it), those spaces are plain (not a hard
 * break), and the word starts so that nothing appended makes it a block start.
 * The paragraph's wrapped lines before the last one that content makes are then final: they
 * replace the lines from pi_lines on. */
/* True when the word at s[w] (before end) starts with what makes no block start whatever follows:
 * an ASCII letter, an '&' (an entity or a literal '&') or a backslash escape of punctuation. */
static bool para_word_settled(const char *s, size_t w, size_t end)
{
    unsigned char c = (unsigned char)s[w], next = w + 1 < end ? (unsigned char)s[w + 1] : 0;
    return ascii_letter(c) || c == '&' || (c == '\\' && next < 0x80 && ispunct(next));
}

/* The start of the last word before end (after pi_src's) that para_word_settled after a space, a
 * tab or a line end, plus one; 0 when none. */
static size_t para_word_before(const pd_md *md, size_t end)
{
    const char *s = pi_text(md);
    size_t p = end;
    while (p > md->pi_src + 1 &&
           !(para_word_settled(s, p - 1, end) && (s[p - 2] == ' ' || s[p - 2] == '\t' || s[p - 2] == '\n')))
        p--;
    return p > md->pi_src + 1 ? p : 0;
}

static bool pi_text_plain(const pd_md *md, size_t end);
static size_t para_delim_line(const pd_md *md, size_t end);
static bool para_settle_at(pd_md *md, size_t p, pi_open *left);
static void para_settle_words(pd_md *md, size_t end);
static void para_push(pd_md *md, st *content);
static bool render_para_text(pd_md *md, size_t end);

/* Where the oldest '[' in [from, to) that no ']' after it closes is (escapes skipped), else
 * from: how long a link may have been in writing. Only paces the settling (a guess of the
 * parser's brackets: a wrong guess costs time, never a wrong line). */
static size_t oldest_open_bracket(const char *s, size_t from, size_t to)
{
    size_t depth = 0, oldest = from;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\' && i + 1 < to)
            i++;
        else if (s[i] == '[' && depth++ == 0)
            oldest = i;
        else if (s[i] == ']' && depth > 0)
            depth--;
    }
    return depth ? oldest : from;
}

/* Makes *c a copy of s[0, n) the first time it is called (see delimiters_calmed). */
static char *calm_copy(char **c, const char *s, size_t n)
{
    if (!*c) {
        *c = pd_xmalloc(n + 1);
        memcpy(*c, s, n);
        (*c)[n] = 0;
    }
    return *c;
}

/* A ']' in [from, to) that no '[' there opened (escapes skipped: a guess of the parser's). */
static bool bracket_closed_in(const char *s, size_t from, size_t to)
{
    size_t depth = 0;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\' && i + 1 < to)
            i++;
        else if (s[i] == '[')
            depth++;
        else if (s[i] == ']' && depth-- == 0)
            return true;
    }
    return false;
}

/* A copy of s[0, n) in which no text the parser shows is a delimiter that is not one: each
 * backslash-escaped '*', '_', '[' and ']' made an escaped '!', each escaped '`' an escaped '~'
 * (a backslash is literal in a code span, where "\\`" can end it: a code span holding "\\~" is
 * taken as unsettled), and each entity ("&#42;", "&ast;", or what looks like one) '&' then all
 * ';'. The same blocks, inlines and punctuation beside every delimiter (libcmark judges a run by
 * the source's bytes beside it: '&' and ';' around an entity, punctuation around an escape), and the
 * parser's text shows the source's characters beside each delimiter. NULL when there is nothing
 * to calm. Caller frees. */
static char *delimiters_calmed(const char *s, size_t n)
{
    char *c = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '&') {
            size_t j = i + 1;
            while (j < n && (ascii_letter((unsigned char)s[j]) || (s[j] >= '0' && s[j] <= '9') ||
                             s[j] == '#'))
                j++;
            if (j < n && j > i + 1 && s[j] == ';') {
                /* "&;;;", not ";;;;": a ';' after '&' ends no entity, but would end one the
                 * source begins before it and never ends ("&#93&a;" is no ']') */
                memset(calm_copy(&c, s, n) + i + 1, ';', j - i);
                i = j;
            }
            continue;
        }
        if (s[i] != '\\')
            continue;
        if (strchr("*_[]`", s[i + 1]) && s[i + 1])
            calm_copy(&c, s, n)[i + 1] = s[i + 1] == '`' ? '~' : '!';
        i++;   /* the escaped character, or the second of "\\\\" */
    }
    return c;
}

/* Skips what libcmark's links take as spaces between their parts (spaces, tabs, line ends). */
static size_t link_spaces(const char *s, size_t k, size_t to)
{
    while (k < to && s[k] && strchr(" \t\v\f\r\n", s[k]))
        k++;
    return k;
}

/* Whether text appended after `to` may still make the '(' at s[k] (after a ']') the rest of an
 * inline link, "(<dest> \"title\")" with spaces and line ends between, as libcmark scans one
 * (inlines.c, handle_close_bracket): the text so far parses that "[...](" as text, the whole may
 * not. False once what follows the '(' can be none, or is a whole one (which the parse judged).
 * Errs towards true (that only costs time). */
static bool link_rest_open(const char *s, size_t k, size_t to)
{
    k = link_spaces(s, k + 1, to);
    if (k < to && s[k] == '<') {
        for (k++; k < to && s[k] != '>'; k += s[k] == '\\' ? 2 : 1)
            if (s[k] == '\n' || s[k] == '<')
                return false;
        if (k >= to)
            return true;
        k++;
    } else {
        size_t depth = 0;
        /* a NUL is no space (libcmark reads it as U+FFFD) */
        for (; k < to && !(s[k] && strchr(" \t\v\f\r\n", s[k])) && (s[k] != ')' || depth); k++) {
            if (s[k] == '\\' && k + 1 < to && ispunct((unsigned char)s[k + 1]))
                k++;
            else if (s[k] == '(')
                depth++;
            else if (s[k] == ')')
                depth--;
        }
        if (k >= to)
            return true;
        if (s[k] == ')')
            return false;
    }
    size_t t = link_spaces(s, k, to);
    if (t >= to)
        return true;
    if (t > k && (s[t] == '"' || s[t] == '\'' || s[t] == '(')) {
        char close = s[t] == '(' ? ')' : s[t];
        for (t++; t < to && s[t] != close; t++)
            if (s[t] == '\\' && t + 1 < to && ispunct((unsigned char)s[t + 1]))
                t++;
        if (t >= to)
            return true;
        t = link_spaces(s, t + 1, to);
    }
    return t >= to;
}

/* Some "](" in [from, to) may still become an inline link (link_rest_open). */
static bool link_may_form(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i + 1 < to; i++)
        if (s[i] == ']' && s[i + 1] == '(' && link_rest_open(s, i + 1, to))
            return true;
    return false;
}

/* What to ask what can still change in the open paragraph's text [from, to), parsed as para:
 * para itself, or when the text holds escapes or entities, its calmed copy parsed (the parse
 * shows "\\*", "\\[" and "&#42;" as a '*' or '[' still open); NULL when that is not one
 * paragraph. *doc gets what to free (or NULL). */
static cmark_node *para_calmed(pd_md *md, size_t from, size_t to, cmark_node *para,
                               cmark_node **doc)
{
    size_t n = to - from;
    char *calm = delimiters_calmed(pi_text(md) + from, n);
    *doc = NULL;
    if (!calm)
        return para;
    /* no delimiter, bracket, backtick or '<' left ("&amp; and" calmed): no text node or code
     * span of its parse can hold one, so an empty paragraph answers the same (without a parse) */
    size_t i = 0;
    while (i < n && !strchr("*_[]`<", calm[i]))
        i++;
    cmark_node *block = NULL;
    size_t lead;
    if (i == n)
        block = *doc = cmark_node_new(CMARK_NODE_PARAGRAPH);
    else
        block = pi_parse(md, calm, n, doc, &lead);
    free(calm);
    return block;
}

/* Bytes of an open paragraph after a '[' no ']' closed before that '[' is taken as text for now
 * (a later ']' that closes it has the text from before it parsed again). */
#define PARA_BRACKET_WAIT 128
/* The same for a run of '*', '_' or '`' or a '<' left open, from where a settling first failed
 * for one (pi_run_since). */
#define PARA_OPEN_WAIT 128

/* What may close something the settled part left open (closes: a ']', a '*', a backtick run, a
 * '>') has come: the paragraph goes back to what was settled before the last settling that left
 * such a thing open (what it settled may change; what was settled before is as it was), so only
 * the text from there is parsed again. The lines after it are laid out again by the caller,
 * which asks again about what the older settlings left open. closes NULL: back to before the
 * first of them. */
static void para_unsettle(pd_md *md, const pi_open *closes)
{
    size_t i = closes ? md->n_pi_backs : 1;
    while (i > 1) {
        const pi_open *o = &md->pi_backs[i - 1].opens;
        if ((o->brackets && closes->brackets) || (o->star && closes->star) || (o->under && closes->under) ||
            (o->ticks & closes->ticks) || (o->lt && closes->lt))
            break;
        i--;
    }
    if (!i)
        return;
    pi_back *b = &md->pi_backs[i - 1];
    md->pi_src = b->src;
    md->pi_lines = b->lines;
    md->pi_breaks = b->breaks;
    open_line_free(&md->pi_line);
    md->pi_line = b->line;
    memset(&b->line, 0, sizeof b->line);
    pi_backs_drop(md, i - 1);
    memset(&md->pi_opens, 0, sizeof md->pi_opens);
    for (size_t k = 0; k < md->n_pi_backs; k++)
        pi_open_add(&md->pi_opens, &md->pi_backs[k].opens);
    md->pi_run_since = 0;
    md->fp_ok = false;
}

/* Keeps the settled state to go back to before a settling that leaves o open; the oldest two
 * kept are made one (the older state, what both left open) when there is no room. */
static void pi_backs_push(pd_md *md, const pi_open *o)
{
    if (md->n_pi_backs == PI_BACKS) {
        pi_back *a = &md->pi_backs[0], *b = &md->pi_backs[1];
        pi_open_add(&a->opens, &b->opens);
        open_line_free(&b->line);
        memmove(b, b + 1, (PI_BACKS - 2) * sizeof *b);
        md->n_pi_backs--;
    }
    pi_back *n = &md->pi_backs[md->n_pi_backs++];
    n->src = md->pi_src;
    n->lines = md->pi_lines;
    n->breaks = md->pi_breaks;
    memset(&n->line, 0, sizeof n->line);
    open_line_copy(&n->line, &md->pi_line);
    n->opens = *o;
    pi_open_add(&md->pi_opens, o);
}

static bool attr_name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '-';
}

/* The '<' at s[i] may still start raw HTML or an autolink when text comes after to, as far as
 * its first 1 KB tells (errs towards true: that only costs time): false once what follows can
 * be none of them, or ends one before `parsed` (a '>' outside quotes: the parse of the text up
 * to there judged it). An autolink or an
 * address holds no blank; an open tag is a name, then attributes after blanks (a name, then
 * maybe '=' and a value, quoted or not), then maybe '/', then '>'; a closing tag a name, blanks
 * and '>'; comments, declarations and processing instructions ("<!", "<?") are taken as
 * alive. */
static bool lt_may_open(const char *s, size_t i, size_t parsed, size_t to)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = i + 1, lim = to - i > 1024 ? i + 1024 : to;
    if (k < lim && (u[k] == '!' || u[k] == '?'))
        return true;
    /* up to the first blank: a tag's name, or an autolink or address (no '<' in any) */
    while (k < lim && !md_space(u[k]) && u[k] != '\v' && u[k] != '>' && u[k] != '<')
        k++;
    if (k >= lim)
        return true;
    if (u[k] == '<')
        return false;
    if (u[k] == '>')
        return k >= parsed;   /* ended: judged by the parse when it saw it */
    /* blanks: only an open or closing tag goes on; its name was all before them */
    size_t n = i + 1 + (s[i + 1] == '/');
    if (n >= k || !ascii_letter(u[n]))
        return false;
    for (size_t j = n; j < k; j++)
        if (!isalnum(u[j]) && u[j] != '-')
            return false;
    bool closing = s[i + 1] == '/';
    for (;;) {
        bool blank = false;
        while (k < lim && (md_space(u[k]) || u[k] == '\v'))
            k++, blank = true;
        if (k >= lim)
            return true;
        if (u[k] == '/' && !closing) {   /* "/>" */
            if (k + 1 >= lim)
                return true;
            if (u[++k] != '>')
                return false;
        }
        if (u[k] == '>')
            return k >= parsed;   /* the end: judged by the parse when it saw it */
        if (closing || !blank || !(ascii_letter(u[k]) || u[k] == '_' || u[k] == ':'))
            return false;
        while (k < lim && attr_name_char(u[k]))
            k++;
        size_t e = k;
        while (e < lim && (md_space(u[e]) || u[e] == '\v'))
            e++;
        if (e >= lim)
            return true;
        if (u[e] != '=')
            continue;
        for (e++; e < lim && (md_space(u[e]) || u[e] == '\v'); e++)
            ;
        if (e >= lim)
            return true;
        if (u[e] == '"' || u[e] == '\'') {
            const char *q = memchr(s + e + 1, s[e], lim - e - 1);
            if (!q)
                return true;
            k = (size_t)(q - s) + 1;
        } else {
            k = e;
            while (k < lim && !md_space(u[k]) && !strchr("\v\"'=<>`", u[k]))
                k++;
            if (k == e)
                return false;
            if (k < lim && strchr("\"'=<`", u[k]))
                return false;
        }
    }
}

/* Some '<' in s[from, to), parsed, may still start raw HTML or an autolink (lt_may_open,
 * looking up to len). */
static bool lt_live_in(const char *s, size_t from, size_t to, size_t len)
{
    for (const char *p = memchr(s + from, '<', to - from); p; p = memchr(p + 1, '<', (size_t)(s + to - p - 1)))
        if (lt_may_open(s, (size_t)(p - s), to, len))
            return true;
    return false;
}

/* The paragraph's text may be cut between u[c - 1] and u[c], two characters of one word, and
 * each side parsed alone (the part after c after a character like the one before it:
 * pi_parse): no markup, escape or entity holds both, and the run of '*' or '_' a part would end
 * with would be judged without what follows it. Not: after a '*' or '_'; inside a backtick
 * run; in "](" or "!["; after a backslash that escapes u[c]; inside what may be an entity
 * ("&am|p;"); inside a UTF-8 character; beside a NUL. A '[' or '<' whose closer may come later is
 * what is left open (para_settle_at). */
static bool cut_inside_word(const unsigned char *u, size_t from, size_t c)
{
    unsigned char p = u[c - 1], n = u[c];
    if (blank_byte(p) || blank_byte(n) || !p || !n || p == '*' || p == '_' ||
        (p == '`' && n == '`') || (p == ']' && n == '(') || (p == '!' && n == '['))
        return false;
    if (p >= 0x80) {   /* a character shown as it is (pi_parse puts it before the part after) */
        size_t k = char_start_before(u, from, c);
        pd_char ch;
        pd_char_at((const char *)u + k, c - k, 0, &ch);
        if (ch.kind != PD_CHAR_TEXT || ch.len != c - k)
            return false;
    }
    return cut_keeps_escapes(u, from, c);
}

/* Inside the paragraph's last word when it is wider than a line (laid out cut into pieces: an
 * address, base64, or a run of markup with no blank in it): settles up to a point near end where
 * the word may be cut (cut_inside_word), in a word wider than a line (so that it is cut there
 * too) or in the word being cut already. Else such a word would be parsed again whole at each
 * render. */
/* The last point in (lim, end) where the word may be cut (cut_inside_word) with, from pi_src,
 * an even number of '`' before it, and outside what they enclose an even number of '*' and as
 * many ']' as '[' (a guess at a part that leaves nothing open: "`a`a`a", "a*b*c"); 0 when
 * none. */
static size_t cut_point_even(const pd_md *md, size_t lim, size_t end)
{
    const unsigned char *u = (const unsigned char *)pi_text(md);
    size_t ticks = 0, stars = 0, best = 0;
    long depth = 0;
    for (size_t i = md->pi_src; i < end; i++) {
        if (i > lim && !(ticks % 2) && !(stars % 2) && !depth && cut_inside_word(u, md->pi_src, i))
            best = i;
        ticks += u[i] == '`';
        if (!(ticks % 2)) {   /* not in a code span */
            stars += u[i] == '*';
            depth += (u[i] == '[') - (u[i] == ']');
        }
    }
    return best;
}

static void para_settle_in_word(pd_md *md, size_t end)
{
    const unsigned char *u = (const unsigned char *)pi_text(md);
    size_t lim = end - md->pi_src > 64 ? end - 64 : md->pi_src, c = end - 1;
    size_t even = end - md->pi_src < 4096 ? cut_point_even(md, lim, end) : 0;
    if (even)
        c = even;
    for (int tries = 0; tries < 4; tries++) {
        while (c > lim && !cut_inside_word(u, md->pi_src, c))
            c--;
        if (c <= lim || (!tries && c == md->pi_tried))
            return;
        size_t r = c, most = 4 * (size_t)md->pi_avail + 64;
        while (r > md->pi_src && c - r < most && !blank_byte(u[r - 1]))
            r--;
        /* a shorter word only when the word starts did not settle for a backtick run left open
         * (they may all be inside code spans: "`a `b` c `d`") */
        if (!(r == md->pi_src && md->pi_line.cutting) && str_width(pi_text(md) + r, c - r) <= md->pi_avail &&
            !md->pi_words_stuck)
            return;
        if (!tries)
            md->pi_tried = c;
        pi_open left;
        if (para_settle_at(md, c, &left))
            return;
        /* then before the last of what the part before it left open ("a*a*a", "`a`a`a": the
         * part before one point of two leaves a '*' or '`' open) */
        const pi_open *o = &left;
        char ch = o->ticks ? '`' : o->star ? '*' : o->under ? '_' : o->lt ? '<' : o->brackets ? '[' : 0;
        if (!ch)
            return;
        lim = end - md->pi_src > 512 ? end - 512 : md->pi_src;
        while (--c > lim && u[c] != (unsigned char)ch)
            ;
        while (c > lim && u[c - 1] == (unsigned char)ch)
            c--;
    }
}

/* Settles what it can of the paragraph before end: up to a word start, then inside a long word. */
static void para_settle(pd_md *md, size_t end)
{
    if (md->pi_words_stuck) {   /* inside a word first: the word starts are inside runs */
        size_t src = md->pi_src;
        para_settle_in_word(md, end);
        if (md->pi_src != src)
            return;
    }
    para_settle_words(md, end);
    para_settle_in_word(md, end);
}

/* Settles the paragraph up to its last word start, or when the text before that one is not
 * settled, the word start before (it ended inside "**bold text"), or the one before the link
 * being written (it ended inside "[the text of a link": when the link began less than
 * PARA_BRACKET_WAIT bytes before, the last word start is not tried). */
static void para_settle_words(pd_md *md, size_t end)
{
    size_t p = para_word_before(md, end);
    if (!p || p == md->pi_tried)
        return;
    md->pi_tried = p;
    size_t bracket = oldest_open_bracket(pi_text(md), md->pi_src, p - 1);
    if (bracket == md->pi_src || p - 1 - bracket >= PARA_BRACKET_WAIT) {
        if (para_settle_at(md, p - 1, NULL))
            return;
        bracket = oldest_open_bracket(pi_text(md), md->pi_src, p - 1);
    }
    if ((p = para_word_before(md, bracket > md->pi_src ? bracket : p - 1)) != 0)
        (void)para_settle_at(md, p - 1, NULL);
}

/* The heading text s[start, a) (settled up to from) would end with '#'s taken for its closing
 * ones: a run of them after a blank (or all of it). A run that goes on before from was not: the
 * settling up to from made sure. */
static bool heading_closes(const char *s, size_t start, size_t from, size_t a)
{
    size_t h = a;
    while (h > from && s[h - 1] == '#')
        h--;
    if (h == a || (h == from && h > start && s[h - 1] == '#'))
        return false;
    return h == start || s[h - 1] == ' ' || s[h - 1] == '\t';
}

/* Settles the paragraph up to the word starting at p (see para_settle); false when the text
 * before it is not settled (*left, when given: what that text left open, if it got as far as
 * asking). */
static bool para_settle_at(pd_md *md, size_t p, pi_open *left)
{
    pi_open none;
    left = left ? left : &none;
    memset(left, 0, sizeof *left);
    const char *s = pi_text(md);
    size_t a = p;
    while (a > md->pi_src && (s[a - 1] == ' ' || s[a - 1] == '\t'))
        a--;
    bool line_end = a > md->pi_src && s[a - 1] == '\n';
    if (line_end)
        a--;
    /* inside a word (para_settle_in_word): its part after p is parsed after a character like
     * the one before (pi_parse) */
    bool mid_word = a == p;
    /* libcmark trims these at a paragraph's end; a backslash before a line end is a break */
    if (a <= md->pi_src || !s[a - 1] || strchr(" \t\n\v\f\r", s[a - 1]) || (s[a - 1] == '\\' && !mid_word))
        return false;
    /* with definitions, "[a]" is a link that a "[]", "[b]" or "(u)" after it may still make
     * another */
    if (md->tail_refs && s[a - 1] == ']')
        return false;
    /* a line in it that may be a table's delimiter row needs the whole paragraph to tell (a lazy
     * line after it has it settled up to there: para_nest_sync) */
    size_t bad = para_delim_line(md, p);
    if (bad && bad < p)
        return false;
    /* a heading has one line, and '#'s at the end of a part after a blank would be taken for its
     * closing ones */
    if (md->pi_heading && (line_end || memchr(s + md->pi_src, '\n', a - md->pi_src) ||
                           heading_closes(s, md->pi_start, md->pi_src, a)))
        return false;
    /* a line cut at a is parsed as it will be only when settled there ("01) x" cut is "01)") */
    size_t ls = a;
    while (!line_end && ls > md->pi_src && s[ls - 1] != '\n')
        ls--;
    if (!line_end && ls > md->pi_src && !para_line_settled(s + ls, a - ls, para_later_line(md)))
        return false;
    /* plain text is one text node (valid UTF-8): no need to ask the parser */
    bool plain = pi_text_plain(md, a);
    if (!plain && !utf8_valid(s + md->pi_src, a - md->pi_src, true))
        return false;
    cmark_node *doc = NULL;
    size_t lead = 0;
    cmark_node *para = plain ? NULL : pi_parse(md, s + md->pi_src, a - md->pi_src, &doc, &lead);
    cmark_node *calm_doc = NULL;
    cmark_node *check = para ? para_calmed(md, md->pi_src, a, para, &calm_doc) : NULL;
    size_t excess = 0;
    pi_open o = {0};
    bool lt_live = !plain && lt_live_in(s, md->pi_src, a, pi_text_len(md));
    bool ok = plain || (check && inlines_left_open(check, lt_live, &o, &excess));
    /* "[a](" then spaces: the address may still come (the parse shows text) */
    if (ok && !plain && link_may_form(s, md->pi_src, a))
        ok = false;
    /* a backtick run left open is taken as text only when no code span comes after it (see
     * pi_parse) and the part holds no "\\`" (it may close one) */
    if (ok && (o.ticks || md->pi_opens.ticks)) {
        bool seen = md->pi_opens.ticks != 0;
        if (code_after_open_tick(check, &seen) || memmem(s + md->pi_src, a - md->pi_src, "\\`", 2))
            ok = false;
    }
    /* a link being written closes soon: only a '[' left open this long is settled as text, and
     * not when a ']' that may close it has come (it would be parsed again at once) */
    if (ok && o.brackets && (a - oldest_open_bracket(s, md->pi_src, a) < PARA_BRACKET_WAIT ||
                             bracket_closed_in(s, a, pi_text_len(md))))
        ok = false;
    /* so do emphasis and code spans: a run left open is settled as text PARA_OPEN_WAIT bytes
     * after a settling first failed for one */
    if (ok && (o.star || o.under || o.ticks || o.lt)) {
        if (!md->pi_run_since)
            md->pi_run_since = a;
        ok = a >= md->pi_run_since + PARA_OPEN_WAIT;   /* (an earlier word start is no later) */
    }
    if (ok && md->pi_hold && pi_open_any(&o))
        ok = false;
    pi_open closes;
    if (ok && pi_open_any(&md->pi_opens) && closes_open(md, check, md->pi_src, a, &closes)) {
        para_unsettle(md, &closes);
        ok = false;
    }
    if (calm_doc)
        cmark_node_free(calm_doc);
    if (!mid_word)
        md->pi_words_stuck = !ok && o.ticks;
    *left = o;
    st add = {0};
    if (ok) {
        if (plain)
            st_san(&add, md->pi_base, s + md->pi_src, a - md->pi_src, false);
        else
            pi_inlines(md, &add, para, lead);
    }
    if (ok) {
        /* what is left open is text unless something later closes it (see above) */
        if (pi_open_any(&o))
            pi_backs_push(md, &o);
        md->pi_run_since = 0;
        for (cmark_node *c = para ? cmark_node_first_child(para) : NULL; c; c = cmark_node_next(c))
            md->pi_breaks += is_break(c);
        if (line_end) {
            st_put(&add, md->pi_base, " ", 1, 1);
            md->pi_breaks++;
        }
        else
            for (size_t k = a; k < p; k++)   /* spaces or tabs: a space each, as st_san has it */
                st_put(&add, md->pi_base, " ", 1, 1);
        md->pi_src = p;
        /* cut inside a word: its start is held back, or cut as the text whole has it */
        if (mid_word)
            open_line_feed_in_word(&md->pi_line, &add, md->pi_avail);
        else
            open_line_feed(&md->pi_line, &add, md->pi_avail, false);
        /* the lines before the last are final (the text fed ends between words) */
        stvec *v = &md->pi_line.v;
        if (v->n >= 2) {
            md->pi_pushed = true;
            truncate_lines(md, md->pi_lines);
            for (size_t i = 0; i + 1 < v->n; i++) {
                para_push(md, &v->v[i]);
                st_free(&v->v[i]);
            }
            md->pi_lines += v->n - 1;
            v->v[0] = v->v[v->n - 1];
            v->n = 1;
        }
    }
    st_free(&add);
    if (doc)
        cmark_node_free(doc);
    return ok;
}

/* Text of bytes that fast_byte takes, or also '-', '+', '=' and '|' (mid_line), as valid UTF-8.
 * tabs: tabs too (a paragraph's text: laid out as blanks, as libcmark's text holds them). */
static bool text_of_tabs(const char *s, size_t n, bool mid_line, bool tabs)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (!fast_byte(c) && !(mid_line && (c == '-' || c == '+' || c == '=' || c == '|')) && !(tabs && c == '\t'))
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = pd_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* Text that libcmark reads as one plain text node (letters, digits, spaces, plain punctuation,
 * valid UTF-8; no line end). */
static bool text_of(const char *s, size_t n, bool mid_line)
{
    return text_of_tabs(s, n, mid_line, false);
}

static bool plain_text(const char *s, size_t n)
{
    return text_of(s, n, false);
}

/* The open paragraph's text from pi_src to end is read as one plain text node: plain_text, or,
 * when something other than blanks stands before pi_src on its line (so it starts no block),
 * plain text with '-', '+', '=', '|' (a line of dashes too long to be a delimiter row) and tabs
 * in it. */
static bool pi_text_plain(const pd_md *md, size_t end)
{
    const char *s = pi_text(md);
    if (plain_text(s + md->pi_src, end - md->pi_src))
        return true;
    size_t j = md->pi_src;
    while (j > md->pi_start && md->pi_src - j < 64 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    return j > md->pi_start && !blank_byte((unsigned char)s[j - 1]) && s[j - 1] != '\n' &&
           text_of_tabs(s + md->pi_src, end - md->pi_src, true, true);
}

/* A finished line of a paragraph (its text from the first non-blank character, n bytes) that
 * is no table's delimiter row: it holds what no row holds, or, written plainly (no escape but a
 * hard break's, no entity), its cells are not a row's. */
static bool para_finished_not_delim_row(const char *l, size_t n)
{
    if (para_line_not_delim_row(l, n))
        return true;
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\v' || l[n - 1] == '\f'))
        n--;   /* what libcmark trims at a line's end */
    if (n && l[n - 1] == '\\')
        n--; /* a hard break: not in the row's text */
    if (memchr(l, '\\', n) || memchr(l, '&', n))
        return false;
    char text[256];
    if (n >= sizeof text)
        return false;
    memcpy(text, l, n);
    text[n] = 0;
    return parse_delim_text(text, NULL) == 0;
}

/* The start of the first line after pi_src (before end) that may still be the paragraph's
 * second line and a table's delimiter row, else 0: what else a line is, the parse of
 * [pi_src, end) tells as the whole text's does (a line after pi_src is never its first). */
static size_t para_delim_line(const pd_md *md, size_t end)
{
    if (para_past_table(md))
        return 0;
    const char *s = pi_text(md);
    for (const char *nl = memchr(s + md->pi_src, '\n', end - md->pi_src); nl;) {
        size_t ls = (size_t)(nl - s) + 1;
        if (ls == end)
            break;
        nl = memchr(s + ls, '\n', end - ls);
        size_t le = nl ? (size_t)(nl - s) : end, a = ls;
        while (a < le && (s[a] == ' ' || s[a] == '\t'))
            a++;
        if (!(nl ? para_finished_not_delim_row(s + a, le - a) : para_line_not_delim_row(s + a, le - a)))
            return ls;
    }
    return 0;
}

/* Pushes a line of the open paragraph (content consumed or copied; the caller frees it): nested,
 * after the prefixes of its containers (its first line's as they stood before it). */
static void para_push(pd_md *md, st *content)
{
    if (!md->pi_nested) {
        push_line(md, content);
        return;
    }
    /* the paragraph's first line has the prefixes as they stood before it (an item's marker) */
    lvl chain[SPLIT_LEVELS];
    lvl *l = chain_rebuild(chain, md->pi_chain, md->n_pi_chain, md->n_lines == md->pi_first);
    st line = {0};
    put_prefix(&line, l, false);
    st_copy(&line, content, 0, content->text.len, content->width);
    push_line(md, &line);
    st_free(&line);
}

/* Every line of s from ls to end is blank: no container's marker either (after a blank line
 * one starts a block: "  >" makes the item's list loose). */
static bool blank_lines_to_end(const char *s, size_t ls, size_t end)
{
    for (size_t i = ls; i < end; i++)
        if (s[i] != ' ' && s[i] != '\n')
            return false;
    return true;
}

/* Brings a nested open paragraph's text (pi_nest) up to the source's end: each line after its
 * first with its containers' prefixes taken off (a last one blank so far left out; once in, what
 * comes of it is appended). False when a line ends the paragraph (blank, a block start, a tab). */
static bool para_nest_sync(pd_md *md, size_t end)
{
    const char *s = md->src.data;
    for (size_t ls = md->pi_nest_src; ls < end;) {
        size_t from = md->pi_nest_part ? md->pi_nest_part : ls, off = 0;
        const char *nl = memchr(s + from, '\n', end - from);
        size_t le = nl ? (size_t)(nl - s) : end;
        if (md->pi_nest_part) {
            off = md->pi_nest_part - ls; /* the line's text so far is in: the rest follows it */
        } else if (!md->pi_nest_first) {
            if (has_tab(s + ls, le - ls))
                return false;
            bool lazy_spaces;
            if (!para_line_in_boxes(s + ls, le - ls, md->pi_strips, md->n_pi_strips, &off,
                                    &lazy_spaces)) {
                /* a line with only its containers' prefixes so far (a blank line in them: it
                 * starts nothing right after the paragraph), or blank lines that end it with
                 * nothing after them yet: laid out the same */
                if ((!nl && blank_so_far(s + ls, le - ls, md->pi_strips, md->n_pi_strips)) ||
                    blank_lines_to_end(s, ls, end))
                    break;
                return false;
            }
            /* nothing open where the line starts: the paragraph settled up to there (not while
             * the line may be its second, a table's delimiter row: the first tells) */
            if (lazy_spaces && md->pi_src < md->pi_nest.len &&
                (!para_past_table(md) || !para_settle_at(md, md->pi_nest.len, NULL)))
                return false;
        }
        pd_buf_append(&md->pi_nest, s + ls + off, le - ls - off);
        md->pi_nest_part = le;
        if (!nl)
            break;
        pd_buf_putc(&md->pi_nest, '\n');
        md->pi_nest_part = 0;
        ls = le + 1;
        md->pi_nest_src = ls;
        md->pi_nest_first = false;
    }
    return true;
}

/* After a render of the tail from base (split: from ss.pos, its lines taking ss.strips off; not
 * full), follows the paragraph inside lists or quotes te offers (see pi_nested). */
static void ntable_follow(pd_md *md, const tail_end *te, size_t start, size_t n_outer, size_t end);

/* Where line line_no of the text a render of the tail laid out (from base; line_at: see
 * split_text) starts in the source (*ls), and how far in its text starts past the prefixes of
 * the n_outer containers around the text rendered (*off); false when they are not there. */
static bool rendered_line_start(const pd_md *md, size_t base, size_t n_outer, const size_t *line_at,
                                int line_no, size_t end, size_t *ls, size_t *off)
{
    const char *s = md->src.data;
    *off = 0;
    if (!line_at) {
        *ls = base;
        for (int i = 1; i < line_no; i++)
            *ls = (size_t)((const char *)memchr(s + *ls, '\n', end - *ls) - s) + 1;
        return true;
    }
    *ls = line_at[line_no - 1];
    const char *nl = memchr(s + *ls, '\n', end - *ls);
    return !n_outer || strip_line(s + *ls, (nl ? (size_t)(nl - s) : end) - *ls, md->ss.strips, n_outer, off) == STRIP_OK;
}

/* After a render of the tail from base (see npara_follow): follows the fence line being written
 * that te offers (see fh_nested). */
static void fhead_follow(pd_md *md, const tail_end *te, size_t base, bool full,
                         const size_t *line_at, size_t end)
{
    size_t ls, off, n_outer = full ? 0 : md->ss.n_strips;
    if (!te->fhead || !rendered_line_start(md, base, n_outer, line_at, te->fhead_line_no, end, &ls, &off)) {
        if (md->fh_nested)
            md->fh_on = md->fh_nested = false;
        return;
    }
    size_t at = ls + off + te->fhead_col;
    if (md->fh_on && md->fh_nested && md->fh_ls == at)
        return; /* the same line: what of it settled stays settled */
    md->fh_on = md->fh_nested = md->fh_first = true;
    md->fh_ls = md->fh_src = at;
    md->fh_lines = md->fh_line0 = te->fhead_line;
    md->fh_scan = md->fh_text_end = md->fh_lead = at + te->fhead_len;
    md->fh_lead_found = false;
    st_free(&md->fh_rest);
    char fence[3] = {te->fhead_ch, te->fhead_ch, te->fhead_ch};
    st_put(&md->fh_rest, PD_MD_MARKUP, fence, 3, 3);
    memcpy(md->fh_chain, te->fhead_chain, te->n_fhead_chain * sizeof *te->fhead_chain);
    md->n_fh_chain = te->n_fhead_chain;
}

static void npara_follow(pd_md *md, const tail_end *te, size_t base, bool full,
                         const size_t *line_at, size_t end)
{
    size_t n_outer = full ? 0 : md->ss.n_strips, off = 0;
    if (md->ti_nested && !(te->npara && te->npara_table))
        table_reset(md);
    if (!te->npara || n_outer + te->n_npara_strips > SPLIT_LEVELS)
        return;
    size_t ls;
    if (!rendered_line_start(md, base, n_outer, line_at, te->npara_line_no, end, &ls, &off))
        return;
    size_t start = ls + off + te->npara_col;
    if (te->npara_table) {
        md->pi_on = false;
        ntable_follow(md, te, start, n_outer, end);
        return;
    }
    if (md->pi_on && md->pi_nested && md->pi_start_src == start && md->pi_heading == te->npara_heading)
        return; /* the same paragraph: what was settled stays settled */
    md->pi_on = md->pi_nested = md->pi_nest_first = true;
    md->pi_heading = te->npara_heading;
    md->pi_base = te->npara_base;
    md->pi_start_src = md->pi_nest_src = start;
    md->pi_nest.len = md->pi_nest_part = 0;
    md->pi_start = md->pi_src = 0;
    md->pi_first = md->pi_lines = te->npara_line;
    pi_settling_reset(md);
    md->pi_no_table = md->pi_header_done = md->pi_heading > 0;   /* a heading is no table */
    md->pi_header_scan = 0;
    memcpy(md->pi_strips, md->ss.strips, n_outer * sizeof *md->pi_strips);
    memcpy(md->pi_strips + n_outer, te->npara_strips, te->n_npara_strips * sizeof *te->npara_strips);
    md->n_pi_strips = n_outer + te->n_npara_strips;
    memcpy(md->pi_chain, te->npara_chain, te->n_npara_chain * sizeof *te->npara_chain);
    md->n_pi_chain = te->n_npara_chain;
    int total = md->n_pi_chain ? md->pi_chain[md->n_pi_chain - 1].total : 0;
    md->pi_avail = md->width - total < 1 ? 1 : md->width - total;
    pi_heading_marker(md);
}

/* Renders the open paragraph (a nested one's text brought up to end first). */
static bool render_para(pd_md *md, size_t end)
{
    size_t lines = md->n_lines;
    md->pi_pushed = false;
    bool ok = !(md->pi_on && md->pi_nested) || para_nest_sync(md, end);
    if (ok && md->pi_nested)
        end = md->pi_nest.len;
    ok = ok && render_para_text(md, end);
    /* a failed render may have settled part of the paragraph's lines: what follows the last
     * line laid out before (render_fast) no longer holds */
    if (!ok && (md->pi_pushed || md->n_lines != lines))
        md->fp_ok = false;
    /* the whole tail is laid out instead, and what was taken as text may be closed in it: the
     * lines from before the first such thing on are its */
    if (!ok && md->pi_on && pi_open_any(&md->pi_opens))
        para_unsettle(md, NULL);
    return ok;
}

/* The open paragraph's first line, which starts with a tag (pi_lone_tag), is no HTML block of
 * one tag: it does not end in '>' (so far, or once finished: then it never will). */
static bool para_lone_tag(pd_md *md, size_t end)
{
    const char *s = pi_text(md);
    const char *nl = memchr(s + md->pi_lone_tag_scan, '\n', end - md->pi_lone_tag_scan);
    size_t le = nl ? (size_t)(nl - s) : end;
    md->pi_lone_tag_scan = le;
    while (le > md->pi_start && isspace((unsigned char)s[le - 1]))
        le--;
    if (le > md->pi_start && s[le - 1] == '>')
        return false;
    if (nl)
        md->pi_lone_tag = false;
    return true;
}

/* Renders the open paragraph from its settled part: parses [pi_src, end) alone and wraps it after
 * pi_ib from line pi_lines on. False when that is not known to give the lines a full render
 * gives (a line that may start a block; the text no longer one paragraph). */
static bool render_para_text(pd_md *md, size_t end)
{
    if (!md->pi_on || end <= md->pi_src || (md->pi_lone_tag && !para_lone_tag(md, end)))
        return false;
    const char *s = pi_text(md);
    /* A line that may be a table's delimiter row needs the paragraph's first line to tell:
     * settling the text before it may make it a later one (pi_breaks), else the paragraph is
     * rendered whole. Any other line is what the parse of [pi_src, end) makes it (a block start,
     * or text), as in the whole text; the settling does not cut it (para_settle_at). */
    para_table_check(md, end);
    size_t bad = para_delim_line(md, end);
    if (bad) {
        para_settle(md, bad);
        bad = para_delim_line(md, end);
    }
    if (bad)
        return false;
    para_settle(md, end);
    /* a ']' that closed a settled '[' takes pi_breaks back */
    if (para_delim_line(md, end))
        return false;
    /* a heading has one line: what follows its end is another block (the settling stops there) */
    const char *nl = md->pi_heading ? memchr(s + md->pi_src, '\n', end - md->pi_src) : NULL;
    if (nl && nl + 1 < s + end)
        return false;
    st ib = {0};
    if (pi_text_plain(md, end)) {
        /* what libcmark would make of it: one text node, the trailing spaces dropped */
        size_t e = end;
        while (s[e - 1] == ' ' || s[e - 1] == '\t')
            e--;
        st_san(&ib, md->pi_base, s + md->pi_src, e - md->pi_src, false);
    } else {
        cmark_node *doc;
        size_t lead;
        cmark_node *para = pi_parse(md, s + md->pi_src, end - md->pi_src, &doc, &lead);
        if (!para) {
            cmark_node_free(doc);
            st_free(&ib);
            return false;
        }
        pi_inlines(md, &ib, para, lead);
        bool closes = false;
        pi_open what, *which = &what;
        if (pi_open_any(&md->pi_opens)) {
            cmark_node *calm_doc, *check = para_calmed(md, md->pi_src, end, para, &calm_doc);
            closes = !check || closes_open(md, check, md->pi_src, end, &what);
            if (!check)
                which = NULL;
            if (calm_doc)
                cmark_node_free(calm_doc);
        }
        cmark_node_free(doc);
        if (closes) {
            /* laid out again from before what was left open, none of it taken as text this
             * time (else the same would happen again) */
            st_free(&ib);
            para_unsettle(md, which);
            md->pi_hold = true;
            bool ok = render_para_text(md, end);
            md->pi_hold = false;
            return ok;
        }
    }
    open_line o = {0};
    open_line_copy(&o, &md->pi_line);
    open_line_feed(&o, &ib, md->pi_avail, true);
    st_free(&ib);
    stvec *lines = &o.v;
    truncate_lines(md, md->pi_lines);
    /* a last line left empty is dropped when the paragraph has others (as wrap_lines does) */
    if (lines->n == 1 && lines->v[0].text.len == 0 && md->pi_lines > md->pi_first)
        st_free(&lines->v[--lines->n]);
    for (size_t i = 0; i < lines->n; i++)
        para_push(md, &lines->v[i]);
    open_line_free(&o);
    md->fp_ok = md->fp_cand = false;
    md->stats.tail_bytes += end - md->pi_src;
    md->stats.para_renders++;
    return true;
}

/* ---- a long top-level list or quote: its finished items or blocks are kept ---- */

/* ---- a code block left open inside lists or quotes: its finished lines are kept ---- */


/* After a render of the tail from base (split: from ss.pos, its lines taking ss.strips off; not
 * full), follows the open code block te offers (see cs_on). */
static void code_follow(pd_md *md, const tail_end *te, size_t base, bool full,
                        const size_t *line_at, size_t end)
{
    md->cs_on = false;
    size_t n_outer = full ? 0 : md->ss.n_strips;
    if (!te->code || n_outer + te->n_code_strips > SPLIT_LEVELS)
        return;
    md->cs_on = true;
    md->cs_pos = te->code_at_end ? end : line_at ? line_at[te->code_line_no - 1] : base + te->code_off;
    md->cs_lines = te->code_lines;
    md->cs_kind = te->code_kind;
    md->cs_ch = te->code_ch;
    md->cs_len = te->code_len;
    md->cs_indent = te->code_indent;
    memcpy(md->cs_strips, md->ss.strips, n_outer * sizeof *md->cs_strips);
    memcpy(md->cs_strips + n_outer, te->code_strips, te->n_code_strips * sizeof *te->code_strips);
    md->n_cs_strips = n_outer + te->n_code_strips;
    memcpy(md->cs_chain, te->code_chain, te->n_code_chain * sizeof *te->code_chain);
    md->n_cs_chain = te->n_code_chain;
}

/* One line of an open verbatim block laid out: its text c (n bytes) after the containers'
 * prefixes, less the block's indent (up to cs_indent spaces), in its style. */
static void code_line(R *r, lvl *l, const char *c, size_t n)
{
    pd_md *md = r->md;
    size_t k = 0;
    while (k < n && k < md->cs_indent && c[k] == ' ')
        k++;
    emit_verbatim(r, l, c + k, n - k, md->cs_kind == CODE_HTML ? PD_MD_MARKUP : PD_MD_CODEBLOCK);
}

/* code_line for the line being written at cs_pos (from ls; or that ended since it was): laid out
 * from what of it was before (emit_open_verbatim). */
static void code_line_open(R *r, lvl *l, size_t ls, const char *c, size_t n)
{
    pd_md *md = r->md;
    size_t k = 0;
    while (k < n && k < md->cs_indent && c[k] == ' ')
        k++;
    size_t ts = (size_t)(c + k - md->src.data);
    emit_open_verbatim(md, r, l, ls, ts, ts + n - k, md->cs_kind == CODE_HTML ? PD_MD_MARKUP : PD_MD_CODEBLOCK);
}

/* Lays out the open verbatim block's lines from cs_pos to end (see cs_on): false when a line
 * ends it (closes the fence, is blank in an HTML block or not indented in an indented one) with
 * text after it, or leaves its containers (the tail is then rendered as it was before). Blank
 * lines of an indented block wait for the line after them (libcmark drops them at its end). */
static bool render_code_lines(pd_md *md, size_t end)
{
    if (!md->cs_on || end < md->cs_pos)
        return false;
    const char *s = md->src.data;
    R r = {0};
    r.md = md;
    r.width = md->width;
    lvl chain[SPLIT_LEVELS], *l = chain_rebuild(chain, md->cs_chain, md->n_cs_chain, false);
    /* the line at cs_pos laid out before as it was being written: its final pieces stay, and
     * what was read of it is not looked at again (emit_open_verbatim) */
    bool open_same = md->ov_ls == md->cs_pos + 1 && md->ov_read <= end;
    size_t open_ls = open_same ? md->cs_pos : SIZE_MAX;   /* (cs_pos moves on as lines end) */
    truncate_lines(md, open_same ? md->ov_line : md->cs_lines);
    size_t blanks_from = SIZE_MAX; /* the first of the blank lines waiting */
    for (size_t ls = md->cs_pos; ls < end;) {
        size_t seen = ls == open_ls ? md->ov_read : ls;   /* read before from here */
        const char *nl = memchr(s + seen, '\n', end - seen);   /* (none before it) */
        size_t le = nl ? (size_t)(nl - s) : end, off;
        md->stats.tail_bytes += le - seen;   /* searched */
        if (has_tab(s + ls, (seen > ls ? md->ov_ts : le) - ls) || has_tab(s + seen, le - seen))
            return false;
        strip_result res = strip_line(s + ls, le - ls, md->cs_strips, md->n_cs_strips, &off);
        if (res == STRIP_FAIL) {
            if (!nl && blank_so_far(s + ls, le - ls, md->cs_strips, md->n_cs_strips))
                break; /* blank so far: left out, as split_text leaves it */
            return false;
        }
        const char *c = s + ls + off;
        size_t n = le - ls - off;
        bool blank = indent_of(c, n) == n;
        /* the text's last line ending the block lays out as the open block does (a fence's
         * closing line after the code); what may follow needs its containers laid out again */
        bool ends = md->cs_kind == CODE_FENCED ? fence_closes(md->cs_ch, md->cs_len, c, n)
                    : md->cs_kind == CODE_HTML ? blank
                                               : !blank && indent_of(c, n) < 4;
        if (ends) {
            if (md->cs_kind == CODE_FENCED ? le + (nl != NULL) < end
                                           : !blank_lines_to_end(s, ls, end))
                return false;
            md->cs_on = md->cs_kind != CODE_FENCED;
            break;
        }
        /* libcmark replaces bad UTF-8 its own way (it may take more bytes): it lays those out */
        size_t from = ls + off;   /* [ov_ts, seen) was looked at before (the prefixes may have grown) */
        if (seen > ls && md->ov_ts > from && !utf8_valid(c, md->ov_ts - from, false))
            return false;
        if (seen > from)
            from = seen;
        if (!utf8_valid(s + from, le - from, false))
            return false;
        if (md->cs_kind == CODE_INDENTED && blank) {
            if (blanks_from == SIZE_MAX)
                blanks_from = ls;
            if (!nl)
                break;
            ls = le + 1;
            continue;
        }
        for (size_t b = blanks_from; b < ls;) {
            const char *bl = memchr(s + b, '\n', ls - b);
            size_t be = (size_t)(bl - s), boff;
            (void)strip_line(s + b, be - b, md->cs_strips, md->n_cs_strips, &boff);
            code_line(&r, l, s + b + boff, be - b - boff);
            b = be + 1;
        }
        blanks_from = SIZE_MAX;
        if (ls == md->cs_pos && (!nl || ls == open_ls))
            code_line_open(&r, l, ls, c, n);
        else
            code_line(&r, l, c, n);
        if (!nl)
            break; /* a line still being written */
        ls = le + 1;
        md->cs_pos = ls;
        md->cs_lines = md->n_lines;
    }
    if (md->cs_kind == CODE_FENCED)
        emit_fence_line(&r, l, md->cs_ch, NULL);
    st_free(&r.sep);
    md->fp_ok = false;
    /* (the text of a line being written counts as it is read: emit_open_verbatim) */
    md->stats.tail_bytes += (md->ov_ls == md->cs_pos + 1 ? md->ov_ts : end) - md->cs_pos;
    md->stats.split_renders++;
    return true;
}

/* render_code_lines; when it fails, what it kept of a line being written is forgotten (another
 * render lays the tail out its own way). */
static bool render_code(pd_md *md, size_t end)
{
    if (render_code_lines(md, end))
        return true;
    md->ov_ls = 0;
    return false;
}

/* After a render of the tail from base: where the next renders may start (see ss). A full
 * render (base is the tail's start) replaces the splits; a render from ss (the innermost split
 * kept) adds those it offers inside it: line_at (when its text lost prefixes) gives the offset of
 * each line it parsed in the source. */
static void split_follow(pd_md *md, const tail_end *te, size_t base, bool full,
                         const size_t *line_at)
{
    size_t n_outer = full ? 0 : md->ss.n_strips;
    /* a later item or block of the box split at (ss's) takes its place */
    if (full || (te->n_splits && te->splits[0].level == 0 && te->splits[0].item == md->ss.item))
        md->n_splits -= full ? md->n_splits : 1;
    for (size_t i = 0; i < te->n_splits && md->n_splits < SPLITS_KEPT; i++) {
        const split_at *sp = &te->splits[i];
        if (n_outer + sp->n_strips > SPLIT_LEVELS)
            break;
        split_at *to = &md->splits[md->n_splits++];
        *to = *sp;
        to->pos = line_at ? line_at[sp->line_no - 1] : base + sp->pos;
        memcpy(to->strips, md->ss.strips, n_outer * sizeof *to->strips);
        memcpy(to->strips + n_outer, sp->strips, sp->n_strips * sizeof *sp->strips);
        to->n_strips = n_outer + sp->n_strips;
    }
}

/* The tail's text from ss.pos to end with the containers' prefixes taken off each line (into
 * out; line_at gets each line's offset in the source). A last line not complete that does not
 * continue the containers yet is left out when it is blank so far. False when a line ends them
 * or continues them lazily. */
static bool split_text(const pd_md *md, size_t end, pd_buf *out, size_t **line_at)
{
    const char *s = md->src.data;
    size_t n_lines = 0, cap = 0;
    for (size_t ls = md->ss.pos; ls < end;) {
        const char *nl = memchr(s + ls, '\n', end - ls);
        size_t le = nl ? (size_t)(nl - s) : end, off;
        strip_result res = strip_line(s + ls, le - ls, md->ss.strips, md->ss.n_strips, &off);
        if (res == STRIP_FAIL) {
            if (!nl && indent_of(s + ls, le - ls) == le - ls)
                break;
            return false;
        }
        if (n_lines == cap) {
            cap = cap ? cap * 2 : 16;
            *line_at = pd_xrealloc(*line_at, cap * sizeof **line_at);
        }
        (*line_at)[n_lines++] = ls;
        pd_buf_append(out, s + ls + off, le - ls - off);
        /* a last line not complete is a line all the same ("> " inside an open fence is one
           more line of its code): when nothing is left of it, a newline keeps it one */
        if (nl || (le > ls && (res == STRIP_BLANK || off == le - ls)))
            pd_buf_putc(out, '\n');
        ls = le + 1;
    }
    return true;
}

/* The text of an item's blocks (split_text's) read as the item: its first line, the item's
 * content column in, begins with the item's marker; false when it is not that far in. */
static bool split_item_text(const split_at *ss, pd_buf *text)
{
    if (text->len <= ss->item_w || indent_of(text->data, text->len) != ss->item_w)
        return false;
    memcpy(text->data, ss->head, ss->item_w);
    return true;
}

/* Renders the tail from ss.pos: false when that text no longer starts with the list (or it
 * stopped being tight) or the quote, or may define a link (which applies to the text before it
 * too), or (nested) leaves the containers around it, so the tail is rendered whole. */
static bool render_split_at(pd_md *md, size_t end)
{
    if (end <= md->ss.pos || memmem(md->src.data + md->ss.pos, end - md->ss.pos, "]:", 2))
        return false;
    const split_at *ss = &md->ss;
    R r = {0};
    r.md = md;
    r.width = md->width;
    r.src = md->src.data + ss->pos;
    r.src_len = end - ss->pos;
    r.src_open_end = md->src.data[end - 1] != '\n';
    r.base = ss->base;
    r.top_loose = ss->list && !ss->tight;
    pd_buf text = PD_BUF_INIT;
    size_t *line_at = NULL;
    bool nested = ss->n_strips > 0 || ss->item;
    if (nested) {
        if (has_tab(r.src, r.src_len) || !split_text(md, end, &text, &line_at) ||
            (ss->item && !split_item_text(ss, &text))) {
            pd_buf_free(&text);
            free(line_at);
            return false;
        }
        r.src = pd_buf_str(&text);
        r.src_len = text.len;
    }
    cmark_node *doc = parse(md, r.src, r.src_len);
    r.doc = doc;
    tail_candidates(&r, doc);
    cmark_node *top = doc ? cmark_node_first_child(doc) : NULL;
    bool ok = top && cmark_node_get_type(top) ==
                         (ss->list ? CMARK_NODE_LIST : CMARK_NODE_BLOCK_QUOTE);
    /* nested, the text must stay inside the containers: the list or quote, then only blocks of
     * the innermost container when they cannot change what is before them (a quote's, or a loose
     * list's item's: "2" before its "." is a paragraph of the item holding the list); an item's
     * blocks stay that item's */
    const strip *in = ss->n_strips ? &ss->strips[ss->n_strips - 1] : NULL;
    ok = ok && (!in || !cmark_node_next(top) || in->quote || in->loose);
    cmark_node *item = ok && ss->item ? cmark_node_first_child(top) : NULL;
    ok = ok && (!ss->item || (!cmark_node_next(top) && !cmark_node_next(item)));
    if (ok && ss->list) {
        ok = !ss->tight || cmark_node_get_list_tight(top);
        cmark_node_set_list_tight(top, ss->tight);
        cmark_node_set_list_start(top, ss->num);
    }
    if (!ok) {
        cmark_node_free(doc);
        pd_buf_free(&text);
        free(line_at);
        return false;
    }
    /* the prefixes around it, all written before (on the lines of the items before) */
    lvl chain[SPLIT_LEVELS], *outer = chain_rebuild(chain, ss->chain, ss->n_chain, false);
    truncate_lines(md, ss->lines);
    if (ss->list) {
        if (outer)
            request_sep(&r, outer);
        r.sep_pending = !ss->tight || ss->sep;
    } else {
        lvl ql;
        quote_lvl(&ql, outer);
        request_sep(&r, &ql);
    }
    if (item)
        render_children(&r, item, outer, ss->base, ss->depth, !ss->tight);
    else
        render_children(&r, doc, outer, ss->base, ss->depth, true);
    tail_end te;
    tail_end_of(&r, doc, &te);
    cmark_node_free(doc);
    st_free(&r.sep);
    free(r.code_line_at);
    md->stats.tail_bytes += end - ss->pos;
    md->stats.split_renders++;
    size_t base = ss->pos;
    if (!nested)
        para_follow(md, &te, base, end);
    else
        md->pi_on = false;
    code_follow(md, &te, base, false, line_at, end);
    npara_follow(md, &te, base, false, line_at, end);
    fhead_follow(md, &te, base, false, line_at, end);
    split_follow(md, &te, base, false, line_at);
    fast_path_check(md, base, end);
    pd_buf_free(&text);
    free(line_at);
    return true;
}

/* Renders the tail from the innermost split that still holds (see ss). */
static bool render_split(pd_md *md, size_t end)
{
    while (md->n_splits > 0) {
        md->ss = md->splits[md->n_splits - 1];
        if (render_split_at(md, end))
            return true;
        md->n_splits--;
    }
    return false;
}

/* ---- a long top-level table: its finished rows are parsed once, laid out again only when the
 * columns' widths change ---- */

static void row_open_free(pd_md *md);

static void table_reset(pd_md *md)
{
    row_open_free(md);
    for (size_t i = 0; i < md->ti_n; i++)
        row_free(&md->ti_rows[i]);
    free(md->ti_rows);
    free(md->ti_align);
    free(md->ti_nat);
    free(md->ti_w);
    md->ti_rows = NULL;
    md->ti_align = NULL;
    md->ti_nat = md->ti_w = NULL;
    md->ti_n = md->ti_cap = 0;
    md->ti_on = md->ti_nested = false;
}

/* Keeps rw (taken) as the table's next row; its cells' widths are cws's (measured when NULL). */
static void table_keep_row(pd_md *md, row *rw, const int *cws)
{
    if (md->ti_n == md->ti_cap) {
        md->ti_cap = md->ti_cap ? md->ti_cap * 2 : 64;
        md->ti_rows = pd_xrealloc(md->ti_rows, md->ti_cap * sizeof *md->ti_rows);
    }
    for (size_t c = 0; c < md->ti_ncol && c < rw->n; c++) {
        int cw = cws ? cws[c] : cell_width(&rw->cells[c]);
        if (cw > md->ti_nat[c])
            md->ti_nat[c] = cw;
    }
    md->ti_rows[md->ti_n++] = *rw;
    memset(rw, 0, sizeof *rw);
}

/* Some text node among the inline nodes [from, to) holds one of chars. */
static bool range_has(cmark_node *from, cmark_node *to, const char *chars)
{
    for (cmark_node *c = from; c != to; c = cmark_node_next(c))
        if ((cmark_node_get_type(c) == CMARK_NODE_TEXT &&
             strpbrk(cmark_node_get_literal(c), chars)) || text_has(c, chars))
            return true;
    return false;
}

/* Lays out the kept rows at the column widths w inside the prefixes l (as they stood before the
 * table's first line): all of them from the table's first line when the widths changed, else
 * those not laid out yet; the `keep` lines after theirs stay when neither happened. True when
 * those lines were dropped. */
static bool table_lay_kept(pd_md *md, R *r, lvl *l, const int *w, size_t keep)
{
    size_t ncol = md->ti_ncol, laid = md->ti_laid;
    bool changed = !md->ti_w || memcmp(md->ti_w, w, ncol * sizeof *w) != 0;
    if (changed) {
        truncate_lines(md, md->ti_first);
        md->ti_laid = md->ti_lines = 0;
        free(md->ti_w);
        md->ti_w = pd_xmalloc(ncol * sizeof *w);
        memcpy(md->ti_w, w, ncol * sizeof *w);
    } else {
        truncate_lines(md, md->ti_first + md->ti_lines + (laid < md->ti_n ? 0 : keep));
    }
    /* past the first line, the prefixes' first ones (a list item's marker) were shown */
    for (lvl *p = md->ti_laid ? l : NULL; p; p = p->up)
        p->used = true;
    for (; md->ti_laid < md->ti_n; md->ti_laid++)
        emit_table_row(r, l, &md->ti_rows[md->ti_laid], md->ti_laid == 0, ncol, w, md->ti_align);
    if (changed || laid < md->ti_n)
        md->ti_lines = md->n_lines - md->ti_first;
    return changed || laid < md->ti_n;
}

/* Starts following the table whose text is s from start, its first line laid out as line `line`:
 * when its header and delimiter rows are complete, parsing those two rows on their own. */
static void table_head(pd_md *md, const char *s, size_t start, size_t end, size_t line)
{
    const char *nl1 = memchr(s + start, '\n', end - start);
    const char *nl2 = nl1 ? memchr(nl1 + 1, '\n', (size_t)(s + end - nl1 - 1)) : NULL;
    if (!nl2)
        return;
    cmark_node *doc = parse(md, s + start, (size_t)(nl2 - s) - start);
    cmark_node *para = only_paragraph(doc), **starts = NULL;
    size_t n = para ? line_starts(para, &starts) : 0;
    char *align = NULL;
    size_t ncol = n == 2 && !text_has(para, "*_`[]<")
                      ? parse_delim(starts[1], NULL, &align) : 0;
    row head = {0};
    if (ncol)
        split_row(starts[0], cmark_node_previous(starts[1]), PD_MD_TABLE_HEAD, &head);
    if (ncol && head.n == ncol) {
        md->ti_on = true;
        md->ti_start = start;
        md->ti_src = (size_t)(nl2 - s) + 1;
        md->ti_first = line;
        md->ti_ncol = ncol;
        md->ti_align = align;
        align = NULL;
        md->ti_nat = pd_xcalloc(ncol, sizeof *md->ti_nat);
        md->ti_laid = md->ti_lines = 0;
        table_keep_row(md, &head, NULL);
    }
    row_free(&head);
    free(align);
    free(starts);
    cmark_node_free(doc);
}

/* After a full render of the tail: follows its last block when that is a top-level table (see
 * table_head; a nested one is npara_follow's). */
static void table_follow(pd_md *md, const tail_end *te, size_t end)
{
    if (!te->table) {
        if (!md->ti_nested)
            table_reset(md);
        return;
    }
    size_t start = md->done + te->table_start;
    if (md->ti_on && !md->ti_nested && md->ti_start == start) {
        /* the rows kept stand; the lines just laid out may have other column widths */
        free(md->ti_w);
        md->ti_w = NULL;
        md->ti_first = te->table_line;
        return;
    }
    table_reset(md);
    const char *s = md->src.data;
    if (memmem(s + md->done, end - md->done, "]:", 2))
        return;
    md->ti_base = PD_MD_NORMAL;
    table_head(md, s, start, end, te->table_line);
}

/* Brings the nested table's text (ti_nest) up to end: false when a line ends the table or leaves
 * its containers (a line being written with nothing but their prefixes so far is left out). */
static bool table_nest_sync(pd_md *md, size_t end)
{
    const char *s = md->src.data;
    md->ti_nest.len = md->ti_nest_full;
    for (size_t ls = md->ti_nest_src; ls < end;) {
        const char *nl = memchr(s + ls, '\n', end - ls);
        size_t le = nl ? (size_t)(nl - s) : end, off = 0;
        if (ls != md->ti_start_src) {
            if (has_tab(s + ls, le - ls))
                return false;
            if (strip_line(s + ls, le - ls, md->ti_strips, md->n_ti_strips, &off) != STRIP_OK ||
                indent_of(s + ls + off, le - ls - off) == le - ls - off) {
                if (!nl && blank_so_far(s + ls, le - ls, md->ti_strips, md->n_ti_strips))
                    break;
                return false;
            }
        }
        pd_buf_append(&md->ti_nest, s + ls + off, le - ls - off);
        if (!nl)
            break;
        pd_buf_putc(&md->ti_nest, '\n');
        md->ti_nest_full = md->ti_nest.len;
        ls = md->ti_nest_src = le + 1;
    }
    return true;
}

/* After a render of the tail: follows the table inside lists or quotes te offers, which starts
 * at start in the source (its lines lose the prefixes of the n_outer containers around the
 * render's text, then te's). */
static void ntable_follow(pd_md *md, const tail_end *te, size_t start, size_t n_outer, size_t end)
{
    if (md->ti_on && md->ti_nested && md->ti_start_src == start) {
        free(md->ti_w);   /* the rows kept stand, as table_follow's */
        md->ti_w = NULL;
        md->ti_first = te->npara_line;
        return;
    }
    table_reset(md);
    if (memmem(md->src.data + md->done, end - md->done, "]:", 2) ||
        n_outer + te->n_npara_strips > SPLIT_LEVELS)
        return;
    md->ti_nested = true;
    md->ti_start_src = md->ti_nest_src = start;
    md->ti_nest.len = md->ti_nest_full = 0;
    memcpy(md->ti_strips, md->ss.strips, n_outer * sizeof *md->ti_strips);
    memcpy(md->ti_strips + n_outer, te->npara_strips, te->n_npara_strips * sizeof *te->npara_strips);
    md->n_ti_strips = n_outer + te->n_npara_strips;
    memcpy(md->ti_chain, te->npara_chain, te->n_npara_chain * sizeof *te->npara_chain);
    md->n_ti_chain = te->n_npara_chain;
    md->ti_base = te->npara_base;
    if (table_nest_sync(md, end))
        table_head(md, md->ti_nest.data, 0, md->ti_nest.len, te->npara_line);
    if (!md->ti_on)
        md->ti_nested = false;
}

/* Renders the table from its kept rows and the rows from ti_src (parsed on their own; those
 * complete and closed are kept). False when the text from ti_src may not be rows of it any more
 * (a line that may start a block, inline markup across lines). */
static bool render_open_row(pd_md *md, size_t end);

static bool render_table(pd_md *md, size_t end)
{
    if (!md->ti_nested && render_open_row(md, end))
        return true;
    if (md->ti_on && md->ti_nested) {
        if (!table_nest_sync(md, end))
            return false;
        end = md->ti_nest.len;
    }
    const char *s = md->ti_nested ? md->ti_nest.data : md->src.data;
    if (!md->ti_on || end < md->ti_src || memmem(s + md->ti_src, end - md->ti_src, "]:", 2))
        return false;
    size_t n_nl = 0, from = md->ti_src;
    for (size_t ls = from; ls < end;) {
        const char *nl = memchr(s + ls, '\n', end - ls);
        size_t le = nl ? (size_t)(nl - s) : end;
        size_t i = ls + indent_of(s + ls, le - ls);
        /* no link definition here (no "]:"), so a row may start with '['; rows come after the
         * delimiter row, so one may start with '\\' or '&' */
        if (!(i < le && strchr("|\\&", s[i])) && !para_line_settled(s + ls, le - ls, false))
            return false;
        if (!nl || le + 1 == end)
            break;
        n_nl++;
        ls = le + 1;
    }
    cmark_node *doc = NULL, *para = NULL, **starts = NULL;
    size_t n = 0;
    if (end > from) {
        doc = parse(md, s + from, end - from);
        para = only_paragraph(doc);
        n = para ? line_starts(para, &starts) : 0;
        if (n != n_nl + 1) {
            free(starts);
            cmark_node_free(doc);
            return false;
        }
    }
    row *rows = pd_xcalloc(n + 1, sizeof *rows);
    size_t kept = 0;
    bool closed = true;
    for (size_t k = 0; k < n; k++) {
        cmark_node *to = k + 1 < n ? cmark_node_previous(starts[k + 1]) : NULL;
        split_row(starts[k], to, md->ti_base, &rows[k]);
        closed = closed && k + 1 < n && !range_has(starts[k], to, "*_`[]<");
        if (closed) {
            table_keep_row(md, &rows[k], NULL);
            kept++;
            md->ti_src = (size_t)((const char *)memchr(s + md->ti_src, '\n', end - md->ti_src) - s) + 1;
        }
    }
    free(starts);
    if (doc)
        cmark_node_free(doc);
    size_t ncol = md->ti_ncol;
    int *w = pd_xcalloc(ncol, sizeof *w);
    memcpy(w, md->ti_nat, ncol * sizeof *w);
    for (size_t k = kept; k < n; k++)
        for (size_t c = 0; c < ncol && c < rows[k].n; c++) {
            int cw = cell_width(&rows[k].cells[c]);
            if (cw > w[c])
                w[c] = cw;
        }
    R r = {0};
    r.md = md;
    r.width = md->width;
    lvl chain[SPLIT_LEVELS], *l = chain_rebuild(chain, md->ti_chain, md->ti_nested ? md->n_ti_chain : 0, true);
    bool ok = table_widths(&r, l, ncol, w);
    if (ok) {
        table_lay_kept(md, &r, l, w, 0);
        for (size_t k = kept; k < n; k++)
            emit_table_row(&r, l, &rows[k], false, ncol, w, md->ti_align);
        md->fp_ok = md->fp_cand = false;
        md->stats.tail_bytes += end - from;
        md->stats.split_renders++;
    }
    for (size_t k = 0; k < n; k++)
        row_free(&rows[k]);
    free(rows);
    free(w);
    st_free(&r.sep);
    return ok;
}

/* ---- a long table row being written: its settled part cut into cells, its open cell wrapped as
 * it comes ---- */

/* Rows shorter than this are parsed whole at each render (render_table). */
#define ROW_FOLLOW_MIN 256

/* The table's last line, a row being written (from ti_src == start): its text before src is
 * settled (parses alone as it does in the row, nothing left open) and cut into cells (the last
 * one open, untrimmed). The cells before the open one are complete: trimmed, their natural
 * widths nat, laid out in wrapped at the widths wrapped_w. The open cell is laid out w wide as it
 * settles: done its finished lines, ol its last one (fed its first `fed` bytes). The row's first
 * `pushed` lines, after the kept rows', stay (the first `later` of them are laid out again while
 * the text not settled holds cells after the open one). A line end that ends the row has it kept
 * as laid out. */
typedef struct row_open {
    size_t start, src, tried, fed, pushed, n_cells;
    size_t later;                 /* the first lines laid out with cells after the open one in them */
    bool markup;                  /* its settled text holds what may pair with a later row's (see
                                   * render_table's rows kept) */
    row cells;
    row_cut cut;
    int open_nat;                 /* the open cell's width on one line (line_width_on) so far */
    bool open_pend;
    int w;                        /* 0: the open cell is not laid out yet */
    open_line ol;
    stvec done;
    stvec *wrapped;
    int *nat, *wrapped_w;
} row_open;

/* The column t ends at laid out on one line from column col (*pend: a space is due before its
 * first word), as wrap_feed lays it out at no width limit: a run of spaces is one, none at the
 * start of the line. */
static int line_width_on(const st *t, int col, bool *pend)
{
    const char *s = t->text.data;
    size_t n = t->text.len;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            *pend |= col > 0;
            i++;
            continue;
        }
        size_t j = i + strcspn(s + i, " ");   /* (st text holds no NUL: st_san) */
        col += str_width(s + i, j - i) + (*pend ? 1 : 0);
        *pend = false;
        i = j;
    }
    return col;
}

static void row_open_free(pd_md *md)
{
    row_open *tr = md->tr;
    if (!tr)
        return;
    row_free(&tr->cells);
    open_line_free(&tr->ol);
    stvec_free(&tr->done);
    for (size_t i = 0; i < tr->n_cells; i++)
        stvec_free(&tr->wrapped[i]);
    free(tr->wrapped);
    free(tr->nat);
    free(tr->wrapped_w);
    free(tr);
    md->tr = NULL;
}

/* Moves the open cell's finished lines (all of ol's but its last) to done. */
static void row_open_done(row_open *tr)
{
    stvec *v = &tr->ol.v;
    if (v->n < 2)
        return;
    for (size_t i = 0; i + 1 < v->n; i++)
        *stvec_push(&tr->done) = v->v[i];
    v->v[0] = v->v[v->n - 1];
    v->n = 1;
}

/* Feeds the open cell's bytes from `fed` on to its lines (when laid out) and, with `measure`,
 * to its width (up to `most`: wider, it gets the same share of the table's width). */
static void row_open_feed(row_open *tr, bool measure, int most)
{
    const st *cell = &tr->cells.cells[tr->cells.n - 1];
    if (tr->fed < cell->text.len) {
        st part = {0};
        st_copy(&part, cell, tr->fed, cell->text.len, 0);   /* (wrap_feed measures its words) */
        if (measure && tr->open_nat <= most)
            tr->open_nat = line_width_on(&part, tr->open_nat, &tr->open_pend);
        if (tr->w > 0) {
            open_line_feed(&tr->ol, &part, tr->w, false);
            row_open_done(tr);
        }
        st_free(&part);
    }
    tr->fed = cell->text.len;
}

/* After the settled text was cut on: the cells it completed are trimmed and measured, the open
 * cell's new text laid out (from its start when it is new). */
static void row_open_cells(row_open *tr, size_t before, int most)
{
    if (tr->cells.n == before) {
        row_open_feed(tr, true, most);
        return;
    }
    tr->wrapped = pd_xrealloc(tr->wrapped, tr->cells.n * sizeof *tr->wrapped);
    tr->nat = pd_xrealloc(tr->nat, tr->cells.n * sizeof *tr->nat);
    tr->wrapped_w = pd_xrealloc(tr->wrapped_w, tr->cells.n * sizeof *tr->wrapped_w);
    for (size_t k = before - 1; k + 1 < tr->cells.n; k++) {
        st_trim(&tr->cells.cells[k]);
        tr->nat[k] = cell_width(&tr->cells.cells[k]);
        memset(&tr->wrapped[k], 0, sizeof *tr->wrapped);
        tr->wrapped_w[k] = 0;
    }
    tr->n_cells = tr->cells.n - 1;
    open_line_free(&tr->ol);
    stvec_free(&tr->done);
    tr->w = 0;
    tr->fed = 0;
    tr->pushed = 0;
    tr->open_nat = 0;
    tr->open_pend = false;
    row_open_feed(tr, true, most);
}

/* Settles the row up to its last word start (after a blank, a letter or a non-ASCII character:
 * it goes on the cell of the text before it) when the text from src to the blanks before it
 * parses alone with nothing left open. */
static void row_open_settle(pd_md *md, size_t end)
{
    row_open *tr = md->tr;
    const char *s = md->src.data;
    const unsigned char *u = (const unsigned char *)s;
    size_t p = end - 1;
    while (p > tr->src && !(s[p - 1] == ' ' && (ascii_letter(u[p]) || (u[p] >= 0xC2 && u[p] < 0xF5))))
        p--;
    if (p <= tr->src || p == tr->tried)
        return;
    tr->tried = p;
    size_t a = p;
    while (a > tr->src && s[a - 1] == ' ')
        a--;
    if (a <= tr->src || s[a - 1] == '\\' || s[a - 1] == '\t')
        return;
    size_t before = tr->cells.n;
    if (text_of(s + tr->src, a - tr->src, true)) {
        row_cut_text(&tr->cut, s + tr->src, p - tr->src);
    } else {
        if (!utf8_valid(s + tr->src, a - tr->src, true) || link_may_form(s, tr->src, a))
            return;
        cmark_node *doc = parse(md, s + tr->src, a - tr->src), *para = only_paragraph(doc), *calm_doc = NULL;
        char *calm = para ? delimiters_calmed(s + tr->src, a - tr->src) : NULL;
        cmark_node *check = calm ? only_paragraph(calm_doc = parse(md, calm, a - tr->src)) : para;
        size_t excess = 0;
        pi_open o = {0};
        bool ok = check && inlines_left_open(check, true, &o, &excess) && !pi_open_any(&o);
        free(calm);
        if (calm_doc)
            cmark_node_free(calm_doc);
        if (ok) {
            row_cut_nodes(&tr->cut, cmark_node_first_child(para), NULL);
            row_cut_text(&tr->cut, s + a, p - a);
            tr->markup |= range_has(cmark_node_first_child(para), NULL, "*_`[]<");
        }
        if (doc)
            cmark_node_free(doc);
        if (!ok)
            return;
    }
    tr->src = p;
    row_open_cells(tr, before, md->width);
}

/* t holds nothing but spaces (st_trim leaves it empty). */
static bool blank_st(const st *t)
{
    size_t a = 0;
    while (a < t->text.len && t->text.data[a] == ' ')
        a++;
    return a == t->text.len;
}

/* Renders a top-level table whose last line is a row being written, at least ROW_FOLLOW_MIN
 * bytes long, from its kept rows, the row's settled cells and the text after them (parsed
 * alone); false when that is not known to give the lines a full render gives. */
static bool open_row_laid(pd_md *md, size_t end);

static bool render_open_row(pd_md *md, size_t end)
{
    bool ok = open_row_laid(md, end);
    if (!ok && md->tr)
        md->tr->pushed = 0;   /* laid out another way: its lines are not this one's */
    return ok;
}

static bool open_row_laid(pd_md *md, size_t end)
{
    const char *s = md->src.data;
    if (!md->ti_on || end < md->ti_src + ROW_FOLLOW_MIN) {
        row_open_free(md);
        return false;
    }
    row_open *tr = md->tr;
    if (tr && tr->start != md->ti_src)
        row_open_free(md), tr = NULL;
    size_t from = tr ? tr->src : md->ti_src, seen = from > md->ti_src ? from - 1 : from;
    /* the row ends (a line end after it): laid out and kept, unless a '\\' makes a break there */
    const char *nl = memchr(s + from, '\n', end - from);
    size_t all = end;
    if (nl && (!tr || (const char *)nl == s + from || nl[-1] == '\\' || tr->markup))
        return false;
    if (nl)
        end = (size_t)(nl - s);
    if (memmem(s + seen, end - seen, "]:", 2) || !utf8_valid(s + from, end - from, true))
        return false;
    if (!tr) {
        size_t i = md->ti_src + indent_of(s + md->ti_src, end - md->ti_src);
        if (!(i < end && strchr("|\\&", s[i])) && !para_line_settled(s + md->ti_src, end - md->ti_src, false))
            return false;
        tr = md->tr = pd_xcalloc(1, sizeof *tr);
        tr->start = tr->src = md->ti_src;
        row_add(&tr->cells);
        tr->cut = (row_cut){&tr->cells, PD_MD_NORMAL, true, false, false};
    }
    row_open_settle(md, end);
    /* the text after the settled part: the open cell's rest, then cells after it */
    row rest = {0};
    row_add(&rest);
    row_cut rc = tr->cut;
    rc.out = &rest;
    cmark_node *doc = NULL;
    if (end > tr->src && text_of(s + tr->src, end - tr->src, true)) {
        row_cut_text(&rc, s + tr->src, end - tr->src);
    } else if (end > tr->src) {
        doc = parse(md, s + tr->src, end - tr->src);
        cmark_node *para = only_paragraph(doc);
        if (!para) {
            cmark_node_free(doc);
            row_free(&rest);
            return false;
        }
        row_cut_nodes(&rc, cmark_node_first_child(para), NULL);
        bool markup = range_has(cmark_node_first_child(para), NULL, "*_`[]<");
        cmark_node_free(doc);
        if (nl && markup) {
            row_free(&rest);
            return false;
        }
    }
    /* the row's cells as row_cut_end leaves them: k of them, from `first` on */
    const st *open = &tr->cells.cells[tr->cells.n - 1];
    size_t n_open = tr->cells.n - 1, nc = n_open + rest.n, first = 0, k = nc;
    for (size_t i = 1; i < rest.n; i++)
        st_trim(&rest.cells[i]);
    bool partial_blank = blank_st(open), rest0_blank = blank_st(&rest.cells[0]);
    bool open_blank = partial_blank && rest0_blank, pend = tr->open_pend;
    int open_w = tr->open_nat > md->width ? tr->open_nat : line_width_on(&rest.cells[0], tr->open_nat, &pend);
    bool last_blank = rest.n > 1 ? rest.cells[rest.n - 1].text.len == 0 : open_blank;
    bool cell0_blank = n_open ? tr->cells.cells[0].text.len == 0 : open_blank;
    if (rc.trail && k > 1 && last_blank)
        k--;
    if (rc.lead && k > 1 && cell0_blank)
        first = 1, k--;
    size_t ncol = md->ti_ncol, oc = n_open - first;   /* the open cell's column (may be past the last) */
    bool open_shown = n_open >= first && oc < ncol && n_open < first + k;
    int *w = pd_xcalloc(ncol, sizeof *w), *cws = pd_xcalloc(ncol, sizeof *cws);
    memcpy(w, md->ti_nat, ncol * sizeof *w);
    for (size_t i = first; i < first + k && i - first < ncol; i++) {
        int cw;
        if (i < n_open)
            cw = tr->nat[i];
        else if (i > n_open)
            cw = cell_width(&rest.cells[i - n_open]);
        else
            cw = open_w;
        cws[i - first] = cw;
        if (cw > w[i - first])
            w[i - first] = cw;
    }
    R r = {0};
    r.md = md;
    r.width = md->width;
    bool ok = table_widths(&r, NULL, ncol, w);
    if (ok) {
        if (table_lay_kept(md, &r, NULL, w, tr->pushed))
            tr->pushed = 0;
        /* the columns' lines: complete cells', the open cell's, the cells' after it */
        col_lines *col = pd_xcalloc(ncol, sizeof *col);
        stvec *after = pd_xcalloc(rest.n, sizeof *after);
        open_line tail = {0};
        size_t height = 1;
        for (size_t i = first; i < first + k && i - first < ncol; i++) {
            size_t c = i - first;
            if (i < n_open) {
                if (tr->wrapped_w[i] != w[c]) {
                    stvec_free(&tr->wrapped[i]);
                    wrap(&tr->cells.cells[i], w[c], &tr->wrapped[i]);
                    tr->wrapped_w[i] = w[c];
                }
                col[c].a = &tr->wrapped[i];
            } else if (i > n_open) {
                wrap(&rest.cells[i - n_open], w[c], &after[i - n_open]);
                col[c].a = &after[i - n_open];
            } else {
                if (tr->w != w[c]) {   /* laid out again at the new width */
                    open_line_free(&tr->ol);
                    stvec_free(&tr->done);
                    tr->w = w[c];
                    tr->fed = 0;
                    tr->pushed = 0;
                    row_open_feed(tr, false, 0);
                }
                open_line_copy(&tail, &tr->ol);
                open_line_feed(&tail, &rest.cells[0], tr->w, true);
                col[c] = (col_lines){&tr->done, &tail.v};   /* done's lines then the tail's */
            }
            if (col_height(&col[c]) > height)
                height = col_height(&col[c]);
        }
        /* lines before the open cell's last finished one stay; the first of them are laid out again
         * while the text after it holds cells after it (a '|' in a code span being written), and
         * once more when it no longer does */
        size_t stay = tr->done.n, later = 0;
        for (size_t c = oc + 1; open_shown && c < ncol; c++)
            if (col_height(&col[c]) > later)
                later = col_height(&col[c]);
        if (!open_shown || tr->pushed > height)
            tr->pushed = 0;
        size_t row_at = md->ti_first + md->ti_lines;
        for (size_t h = 0; h < tr->pushed && h < (later > tr->later ? later : tr->later); h++) {
            st t = {0};
            table_line(&t, col, h, ncol, w, md->ti_align);
            line_free(&md->lines[row_at + h]);
            line_take(&md->lines[row_at + h], &t);
            st_free(&t);
        }
        tr->later = later;
        truncate_lines(md, row_at + tr->pushed);
        for (size_t h = tr->pushed; h < height; h++) {
            st t = {0};
            table_line(&t, col, h, ncol, w, md->ti_align);
            emit(&r, NULL, &t);
            st_free(&t);
        }
        if (open_shown && stay > tr->pushed && stay <= height)
            tr->pushed = stay;
        open_line_free(&tail);
        for (size_t i = 0; i < rest.n; i++)
            stvec_free(&after[i]);
        free(after);
        free(col);
        md->fp_ok = md->fp_cand = false;
        md->stats.tail_bytes += end - tr->src;
        md->stats.split_renders++;
    }
    if (ok && nl) {   /* finished: kept as laid out, the rows after it are render_table's */
        row rw = {0};
        for (size_t i = first; i < first + k; i++) {
            st *cell = row_add(&rw);
            const st *whole = i < n_open ? &tr->cells.cells[i] : i > n_open ? &rest.cells[i - n_open] : open;
            st_copy(cell, whole, 0, whole->text.len, whole->width);
            if (i == n_open) {
                st_copy(cell, &rest.cells[0], 0, rest.cells[0].text.len, rest.cells[0].width);
                st_trim(cell);
            }
        }
        table_keep_row(md, &rw, cws);
        md->ti_laid = md->ti_n;
        md->ti_lines = md->n_lines - md->ti_first;
        md->ti_src = end + 1;
        row_open_free(md);
        ok = all == end + 1;
    }
    row_free(&rest);
    free(w);
    free(cws);
    st_free(&r.sep);
    return ok;
}

/* ---- a long line of one thematic break or setext underline character being written ---- */

/* Lines this long of marker characters are followed (shorter ones cost little to lay out). */
#define MARKER_LINE_MIN 64

/* Reads the line being written from mk_scan up to end (see mk_on). */
static void marker_scan(pd_md *md, size_t end)
{
    const char *s = md->src.data;
    if (!md->mk_on || md->mk_ls != md->scan) {
        md->mk_on = true;
        md->mk_ls = md->mk_scan = md->scan;
        md->mk_bad = md->mk_checked = md->mk_inside = md->mk_pending = md->mk_laid = false;
        md->mk_marks = md->mk_indent = 0;
        md->mk_ch = 0;
    }
    for (size_t i = md->mk_scan; i < end && !md->mk_bad; i++) {
        char c = s[i];
        if (!md->mk_ch && c == ' ' && md->mk_indent < 3)
            md->mk_indent++;
        else if (!md->mk_ch && strchr("-*_=", c) && c)
            md->mk_ch = c, md->mk_marks = 1;
        else if (md->mk_ch && c == md->mk_ch)
            md->mk_marks++, md->mk_inside |= md->mk_pending, md->mk_pending = false;
        else if (md->mk_ch && (c == ' ' || c == '\t'))
            md->mk_pending = true;
        else
            md->mk_bad = true;
    }
    md->mk_scan = end;
}

/* The tail [done, ls) and the line being written cut to three of its markers (with blanks between
 * them when it has some). Caller frees. */
static char *marker_cut(const pd_md *md, size_t *len)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_append(&b, md->src.data + md->done, md->mk_ls - md->done);
    for (size_t i = 0; i < md->mk_indent; i++)
        pd_buf_putc(&b, ' ');
    for (int i = 0; i < 3; i++) {
        if (i && md->mk_inside)
            pd_buf_putc(&b, ' ');
        pd_buf_putc(&b, md->mk_ch);
    }
    *len = b.len;
    return pd_buf_take(&b);
}

static char *render_whole(const char *text, size_t len, int width, int tagged);

/* Renders the tail whose line being written is a long line of one marker (see mk_on) as the tail
 * with that line cut to three of them: what such a line is (a thematic break, a setext
 * underline) does not depend on its length; where it would be laid out as text (in a code or
 * HTML block, a paragraph of '='), the check made once per line (the two render alike) fails
 * and the line is laid out as usual. */
static bool render_marker_line(pd_md *md, size_t end)
{
    if (md->whole || end <= md->scan)
        return false;
    bool inside = md->mk_on && md->mk_ls == md->scan && md->mk_inside;
    marker_scan(md, end);
    if (md->mk_bad || md->mk_marks < 3 || end - md->mk_ls < MARKER_LINE_MIN) {
        md->mk_laid = false;
        return false;
    }
    if (md->mk_laid && inside == md->mk_inside)
        return true;   /* more of the same marker: the same lines */
    size_t len;
    char *cut = marker_cut(md, &len);
    if (!md->mk_checked || md->mk_checked_inside != md->mk_inside) {   /* "---" -> "-- -": asked again */
        md->mk_checked = true;
        md->mk_checked_inside = md->mk_inside;
        char *whole = render_whole(md->src.data + md->done, end - md->done, md->width, 1),
             *as_cut = render_whole(cut, len, md->width, 1);
        md->mk_same = strcmp(whole, as_cut) == 0;
        free(whole);
        free(as_cut);
    }
    if (md->mk_same) {
        truncate_lines(md, md->n_done_lines);
        render_text(md, cut, len, NULL);
        bool on = md->mk_on;   /* the marker line is followed on */
        tail_unfollow(md);
        md->mk_on = on;
        md->fp_cand = false;
        md->stats.tail_bytes += len;
    }
    md->mk_laid = md->mk_same;
    free(cut);
    return md->mk_same;
}

/* How the tail is laid out for link references: */
typedef enum tail_refs_kind {
    TAIL_ALONE,                   /* as it is */
    TAIL_DEFS_AFTER,              /* the definitions of chunks may apply to it: with them read
                                   * after it, and its open paragraph followed so (parse_part) */
    TAIL_DEFINES,                 /* it may define a label: whole, with the chunks before it
                                   * whose definitions may apply (render_among) */
} tail_refs_kind;

/* Looks at the tail's labels and definitions up to end (the line being written is looked at
 * for one while it is short: looking at a long one at each render would cost its length each
 * time; once it ends it is). The chunks the tail's definitions may apply to are laid out again. */
static tail_refs_kind tail_refs_update(pd_md *md, size_t end)
{
    const char *s = md->src.data;
    md->line_defs.n = 0;
    if (!md->in_fence && !(md->html_end && *md->html_end) && end - md->scan < DEF_LINE_MAX &&
        may_define_link(s + md->scan, end - md->scan, &md->stats.tail_bytes))
        md_keys_add(&md->line_defs, md_def_key(s + md->scan, after_markers(s + md->scan, end - md->scan),
                                               end - md->scan, false));
    if (md_refs_any_defs(md->refs)) {
        md_label_scan_run(&md->tail_scan, s, end, &md->tail_labels);
        if (!md->tail_refs && md->tail_labels_met < md->tail_labels.n) {
            md_keys fresh = {md->tail_labels.keys + md->tail_labels_met, md->tail_labels.n - md->tail_labels_met, 0};
            size_t *defs, n;
            md_refs_definers(md->refs, &fresh, SIZE_MAX, &defs, &n);
            md->tail_labels_met = md->tail_labels.n;
            if (n) {   /* what was followed was parsed without them */
                md->tail_refs = true;
                tail_unfollow(md);
            }
        }
    }
    if (!md->tail_defs.n && !md->line_defs.n)
        return md->tail_refs ? TAIL_DEFS_AFTER : TAIL_ALONE;
    md_keys all = {0};
    for (size_t i = 0; i < md->tail_defs.n; i++)
        md_keys_add(&all, md->tail_defs.keys[i]);
    for (size_t i = 0; i < md->line_defs.n; i++)
        md_keys_add(&all, md->line_defs.keys[i]);
    size_t *users, n;
    md_refs_users(md->refs, &all, SIZE_MAX, &users, &n);
    md_keys_free(&all);
    relay_chunks(md, users, n);
    return TAIL_DEFINES;
}

static void render_tail(pd_md *md)
{
    if (!md->tail_dirty)
        return;
    md->tail_dirty = false;
    size_t end = tail_end_pos(md);
    md->stats.tail_renders++;
    /* a line begun with a letter after a blank line starts a block of its own: the definitions
     * before it are finished now, not when the line ends (and then read once) */
    if (md->tail_defs.n && md->after_blank && end > md->scan && md->scan > md->done &&
        ascii_letter((unsigned char)md->src.data[md->scan]) && !md->in_fence && !(md->html_end && *md->html_end))
        commit(md, md->scan);
    tail_refs_kind refs = tail_refs_update(md, end);
    if (refs == TAIL_DEFS_AFTER) {
        /* plain text on the last line, the open paragraph's end: parsed with the definitions */
        bool fast = false;
        WITH_LOCALE(md, fast = render_para(md, end) || render_fast(md, end));
        if (fast)
            return;
    } else if (refs == TAIL_ALONE) {
        bool head = false;
        WITH_LOCALE(md, head = render_fence_head(md, end));
        if (head)
            return;
        if (tail_is_open_fence(md, end)) {
            md->fp_ok = false;
            WITH_LOCALE(md, render_open_fence(md, end));
            return;
        }
        bool fast = false;
        /* the open paragraph settles as it goes (render_fast alone would leave it all to parse) */
        bool para_first = md->pi_on;
        WITH_LOCALE(md, fast = render_marker_line(md, end) || (para_first && render_para(md, end)) ||
                               render_fast(md, end) || (!para_first && render_para(md, end)) ||
                               render_code(md, end) || (md->ti_nested && render_table(md, end)) ||
                               render_split(md, end) || (!md->ti_nested && render_table(md, end)));
        if (fast)
            return;
    }
    md->code_cached = md->code_next = md->ov_ls = 0;
    truncate_lines(md, md->n_done_lines);
    md->stats.tail_bytes += end - md->done;
    md->fp_cand = false;
    tail_end te = {0};
    if (refs == TAIL_DEFS_AFTER && end > md->done && among_after(md, md->src.data + md->done, end - md->done)) {
        bool laid = false;
        WITH_LOCALE(md, laid = render_text_part(md, md->among.data, md->among.len, 0, end - md->done, true, &te));
        tail_unfollow(md);
        if (laid) {   /* only the open paragraph is followed */
            para_follow(md, &te, md->done, end);
            fast_path_check(md, md->done, end);
            return;
        }
        refs = TAIL_DEFINES;
    }
    if (end > md->done)
        WITH_LOCALE(md, render_chunk(md, md->done, end, &te));
    if (refs != TAIL_ALONE) {   /* parts of it parsed alone would lack the definitions */
        tail_unfollow(md);
        return;
    }
    para_follow(md, &te, md->done, end);
    code_follow(md, &te, md->done, true, NULL, end);
    npara_follow(md, &te, md->done, true, NULL, end);
    fhead_follow(md, &te, md->done, true, NULL, end);
    split_follow(md, &te, md->done, true, NULL);
    table_follow(md, &te, end);
    fast_path_check(md, md->done, end);
}

void pd_md_set_width(pd_md *md, int width)
{
    if (width < MIN_WIDTH)
        width = MIN_WIDTH;
    if (width == md->width)
        return;
    /* laid out again from the text, as if it came in one piece: the lines of finished chunks
     * may come from the renders that followed them as they came (a fence's kept lines), not
     * from a parse of their text alone, which the chunk scanner's cuts do not always allow (a
     * fence opened in a list item it cannot see) */
    bool told = md->start_told, after_cr = md->after_cr;
    unsigned bom_have = md->bom_have;
    size_t n = md->src.len;
    char *text = pd_xmalloc(n + 1);
    if (n)
        memcpy(text, md->src.data, n);
    pd_md_clear(md);
    md->width = width;
    md->start_told = told;
    md->bom_have = bom_have;
    if (n)
        append_text(md, text, n);
    md->after_cr = after_cr;
    md->tail_dirty = true;
    free(text);
}

int pd_md_width(const pd_md *md)
{
    return md->width;
}

size_t pd_md_line_count(pd_md *md)
{
    render_tail(md);
    return md->n_lines;
}

const pd_md_line *pd_md_line_at(pd_md *md, size_t i)
{
    render_tail(md);
    return i < md->n_lines ? &md->lines[i] : NULL;
}

size_t pd_md_stable_lines(const pd_md *md)
{
    size_t k = md->first_label_chunk;   /* a definition may still come for its labels */
    return k < md->n_chunks && k ? md->chunk_lines[k - 1] : k < md->n_chunks ? 0 : md->n_done_lines;
}

const char *pd_md_text(const pd_md *md, size_t *len)
{
    if (len)
        *len = md->src.len;
    return pd_buf_str(&md->src);
}

void pd_md_get_stats(const pd_md *md, pd_md_stats *out)
{
    *out = md->stats;
}

const char *pd_md_style_name(pd_md_style style)
{
    static const char *names[PD_MD_N_STYLES] = {
        "normal", "heading", "emphasis", "strong", "code", "codeblock",
        "quote", "link", "url", "markup", "table-head", "escape"};
    return (unsigned)style < PD_MD_N_STYLES ? names[style] : "?";
}

char *pd_md_dump(pd_md *md, int tagged)
{
    pd_buf out = PD_BUF_INIT;
    size_t n = pd_md_line_count(md);
    for (size_t i = 0; i < n; i++) {
        const pd_md_line *l = &md->lines[i];
        if (!tagged) {
            pd_buf_append(&out, l->text, l->len);
        } else {
            for (size_t k = 0; k < l->n_spans; k++) {
                const pd_md_span *sp = &l->spans[k];
                if (sp->style == PD_MD_NORMAL)
                    pd_buf_append(&out, l->text + sp->start, sp->len);
                else
                    pd_buf_printf(&out, "{%s:%.*s}", pd_md_style_name(sp->style), (int)sp->len,
                                  l->text + sp->start);
            }
        }
        pd_buf_putc(&out, '\n');
    }
    return pd_buf_take(&out);
}

/* The text laid out whole, as the streamed lines are checked against (mk_same's check, the
 * tests): no shortcut taken. */
static char *render_whole(const char *text, size_t len, int width, int tagged)
{
    pd_md *md = pd_md_new(width);
    md->whole = true;
    pd_md_append(md, text, len);
    char *s = pd_md_dump(md, tagged);
    pd_md_free(md);
    return s;
}

char *pd_md_render_plain(const char *text, size_t len, int width)
{
    return render_whole(text, len, width, 0);
}

char *pd_md_render_tagged(const char *text, size_t len, int width)
{
    return render_whole(text, len, width, 1);
}
