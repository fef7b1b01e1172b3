/* markdown.h: streaming Markdown -> styled display lines for a given width (libcmark + wcwidth).
 *
 * Text is appended as it arrives. Finished blocks (everything before a blank line followed by a
 * line starting at column 0 that is not a list item, outside a code fence; and top-level fenced
 * code blocks once closed) are rendered once and kept; only the open tail is parsed and rendered
 * again, lazily, when lines are asked for. An open top-level code fence in the tail is rendered
 * line by line (its finished lines are kept too, and kept when it closes), plain text appended to
 * the paragraph being written only re-wraps that paragraph's last line, and in a long top-level
 * paragraph only the part after the last point no later text can change is parsed again and
 * wrapped on from the paragraph's last line as laid out so far (a '*' or '_' that can never open
 * emphasis, a line whose first characters make it no block start ("-5", "#tag", "= x"), a line
 * known to be none once finished, a '[' closed by a
 * later ']', and delimiters escaped or written as entities do not hold that point back, a '[' left
 * open holds it back for 128 bytes, then is taken as text until a ']' closes it, when the
 * paragraph is parsed again from before that '[', and a "](" holds it back while its address and
 * title may still come; a run of '*', '_' or '`' or a '<' left open is taken as text too, 128
 * bytes after it first held the point back, until what may close it comes; a word wider than
 * a line is cut between two of its characters that no markup holds together, the part after
 * parsed after a character like the one before it); a long list or block quote,
 * at the top level or the last block of others (a list in a list item, in a quote), is parsed
 * again from its last item or block only (its lines without the prefixes of the containers around
 * it), a long list item from its last block (read as if it began the item), and when that ends
 * with a paragraph or ATX heading, a table, a fenced code block or a fence line being written,
 * only that paragraph's unsettled part as above (its lines without the containers' prefixes),
 * that table's last rows, that block's new lines or that line's unsettled info string; a long
 * top-level table from its last rows (the rows before are kept parsed and laid out again only
 * when the columns' widths change), so a long answer costs linear time, whatever its shape. One
 * line is the exception: the second line of a paragraph whose first may be a table's header,
 * while it may still become a delimiter row ("|---|:-"), has that paragraph laid out whole at each
 * render until it is finished (a delimiter row is a few bytes a column).
 *
 * Rendering is a pure function of the text so far and the width: appending in any pieces gives
 * the same lines as appending it whole.
 *
 * Output lines hold UTF-8 text that never contains control characters or escape sequences
 * (model output is untrusted): C0/C1 controls, DEL, bidi overrides and characters wcwidth() calls
 * unprintable are shown visibly ("^[", "^?", "<U+202E>") with style PD_MD_ESCAPE.
 *
 * GFM pipe tables are not part of CommonMark (libcmark does not parse them): a paragraph whose
 * second line is a delimiter row (|---|:--:|) is laid out here as aligned columns, cells wrapped
 * when the table is wider than the width. A link reference definition applies to the whole
 * text, before it too: a block is parsed with the blocks whose definitions may apply to its
 * labels, and laid out again when one comes later.
 *
 *   markdown.h  this interface
 *   markdown.c  streaming Markdown rendering into styled, width-wrapped display lines
 *   refs.c      which blocks use and define which link reference labels
 *   refs_priv.h its interface, private to this folder
 */
#ifndef PD_MARKDOWN_H
#define PD_MARKDOWN_H

#include <stddef.h>

typedef enum pd_md_style {
    PD_MD_NORMAL = 0,
    PD_MD_HEADING,     /* heading text */
    PD_MD_EMPH,        /* *emphasis* */
    PD_MD_STRONG,      /* **strong** */
    PD_MD_CODE,        /* `inline code` */
    PD_MD_CODEBLOCK,   /* lines of a code block (verbatim) */
    PD_MD_QUOTE,       /* block quote text and its bar */
    PD_MD_LINK,        /* link text */
    PD_MD_URL,         /* the link's address shown after its text */
    PD_MD_MARKUP,      /* list bullets, heading #, code fences, rules, table borders, raw HTML */
    PD_MD_TABLE_HEAD,  /* table header cells */
    PD_MD_ESCAPE,      /* a control character made visible (^[, <U+0085>) */
    PD_MD_N_STYLES
} pd_md_style;

typedef struct pd_md_span {
    size_t start, len;       /* byte range in the line's text */
    pd_md_style style;
} pd_md_span;

typedef struct pd_md_line {
    char *text;              /* UTF-8, NUL-terminated, no control characters */
    size_t len;
    int width;               /* display columns */
    pd_md_span *spans;       /* cover text in order; adjacent spans differ in style */
    size_t n_spans;
} pd_md_line;

typedef struct pd_md pd_md;

/* A renderer for lines at most width columns wide (widths below 8 are treated as 8; code lines
 * and fence lines wider than the width are cut into width-sized pieces marked with a leading
 * "↪").
 * Caller frees with pd_md_free. */
pd_md *pd_md_new(int width);
void pd_md_free(pd_md *md);
/* Appends model text (any bytes; invalid UTF-8 shows as U+FFFD). */
void pd_md_append(pd_md *md, const char *text, size_t len);
/* Forgets all text. */
void pd_md_clear(pd_md *md);
/* Re-renders everything for a new width (linear in the text). */
void pd_md_set_width(pd_md *md, int width);
int pd_md_width(const pd_md *md);

/* The lines so far (renders the open tail first when text arrived since the last call). The
 * pointers stay valid until the next append, clear, set_width or line call. */
size_t pd_md_line_count(pd_md *md);
const pd_md_line *pd_md_line_at(pd_md *md, size_t i);
/* Lines before this index do not change as more text arrives (until the width changes). A link
 * reference definition applies to the text before it too, so this ends before the first block
 * with a label ("[x]"); a definition lays out again only the blocks with its label. */
size_t pd_md_stable_lines(const pd_md *md);

/* The text appended so far (NUL-terminated). */
const char *pd_md_text(const pd_md *md, size_t *len);

/* Counters for benchmarks and tests: bytes laid out for finished blocks and for the tail (or
 * searched for its line ends), how
 * many times the tail was rendered, how many of those only re-wrapped the last line (plain text
 * appended to the paragraph being written), only parsed the open paragraph's unsettled end, or
 * only the last items of a list (blocks of a quote, rows of a table, lines of a code block in
 * one), and all the bytes given to
 * the Markdown parser (streaming keeps this within a small multiple of the text's length). */
typedef struct pd_md_stats {
    size_t done_bytes, tail_bytes, tail_renders, fast_renders, para_renders, split_renders;
    size_t head_renders;          /* of a fence line being written, from its settled part */
    size_t lines_sought;          /* source lines walked to find where code blocks start */
    size_t parsed_bytes;
    size_t relaid_chunks;         /* finished blocks laid out again for a link reference defined */
    size_t among_bytes;           /* bytes read beside a block for the definitions they hold */
} pd_md_stats;
void pd_md_get_stats(const pd_md *md, pd_md_stats *out);

/* Renders text whole at width: lines joined with '\n' (each ends with '\n'), no styles.
 * Caller frees. */
char *pd_md_render_plain(const char *text, size_t len, int width);
/* Like pd_md_render_plain with each span written as {style-name:text} (for tests). */
char *pd_md_render_tagged(const char *text, size_t len, int width);
/* Both, for the lines already in md. Caller frees. */
char *pd_md_dump(pd_md *md, int tagged);
/* "normal", "heading", ... (static string). */
const char *pd_md_style_name(pd_md_style style);

#endif
