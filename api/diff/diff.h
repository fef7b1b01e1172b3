/* diff.h: minimal line diff (Myers O(ND), linear space) with UTF-8 aware word/character
 * refinement, giving hunks, aligned side-by-side rows and unified text; whole-prompt diffs.
 *
 * Hand-written: no maintained C library in Debian gives a minimal line diff with word
 * refinement as data structures. GNU diffutils is a program, not a library; libgit2's
 * git_diff_buffers (libgit2-dev) reports line hunks through callbacks, with no word or
 * character refinement and no side-by-side rows, and brings all of libgit2 for it; dtl
 * (libdtl-dev) is C++; diff-match-patch has no maintained C port.
 *
 *   diff.h           this interface
 *   diff_priv.h      internal pieces shared by the diff engine's files (not for other modules)
 *   diff_discard.c   a minimal diff of big hashed texts with many edits: Myers after setting aside the lines without a match on the other side
 *   diff_hunks.c     groups the edit runs into hunks with N lines of context (as diff -U N)
 *   diff_lines.c     the line diff: split both texts and hash their lines, trim the common prefix and suffix
 *   diff_merge3.c    three-way merge (as diff3 -m) of texts, line by line, and of two versions message by message
 *   diff_refine.c    word and character refinement of a changed line pair, UTF-8 aware
 *   diff_rows.c      aligned side-by-side rows for the whole texts, with the changed spans of each paired line
 *   diff_sbs_text.c  side-by-side diff as plain text in two columns for a terminal (like diff -y)
 *   diff_seq.c       Myers' O(ND) shortest edit script between two sequences (ids, or hashed lines)
 *   diff_text.c      text output of a diff: unified format (as diff -u, applied by patch)
 *   diff_util.c      the diff engine's small shared pieces: hashing and interning of lines/tokens
 *   diff_version.c   whole-prompt diffs: a version rendered as diffable text
 */
#ifndef PD_DIFF_H
#define PD_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "model/model.h"

/* ---- inputs split into lines ---- */
/* One side of a diff. Line i is data[off[i] .. off[i+1]) INCLUDING its '\n' (the last line may
 * have none: then no_newline_at_end is true). Two lines are equal when their bytes are equal,
 * newline included, as in diff(1). */
typedef struct pd_diff_lines {
    const char *data;          /* owned by the pd_diff that holds it; size bytes, NUL after */
    size_t size;
    size_t *off;               /* n + 1 offsets */
    size_t n;                  /* number of lines */
    bool no_newline_at_end;    /* n > 0 and the last line does not end in '\n' */
} pd_diff_lines;

/* Line i's text without its '\n'. */
static inline const char *pd_diff_line(const pd_diff_lines *l, size_t i) { return l->data + l->off[i]; }
static inline size_t pd_diff_line_len(const pd_diff_lines *l, size_t i)
{
    size_t len = l->off[i + 1] - l->off[i];
    return (len > 0 && l->data[l->off[i + 1] - 1] == '\n') ? len - 1 : len;
}

/* ---- the edit script ---- */
typedef enum { PD_EDIT_EQUAL, PD_EDIT_DELETE, PD_EDIT_INSERT } pd_edit_op;

/* A run of n lines. EQUAL: a[a..a+n) == b[b..b+n). DELETE: a[a..a+n) removed (b is where it
 * would sit in B). INSERT: b[b..b+n) added (a is the position in A). Runs are in order; in a
 * change block the DELETE run comes before the INSERT run; no two runs of one kind touch. */
typedef struct pd_diff_edit {
    pd_edit_op op;
    size_t a, b, n;
} pd_diff_edit;

typedef enum {
    PD_DIFF_REFINE_NONE,       /* side-by-side rows carry no spans */
    PD_DIFF_REFINE_WORD,       /* words, runs of spaces, single punctuation (default) */
    PD_DIFF_REFINE_CHAR        /* single characters (UTF-8 code points) */
} pd_diff_refine;

typedef struct pd_diff_options {
    bool heuristic;            /* false (default): minimal script, as `diff --minimal`.
                                  true: may give a longer script to bound time on hard inputs */
    pd_diff_refine refine;     /* for pd_diff_side_by_side; default WORD */
    unsigned long long max_work;  /* minimal mode only: the bound on the search, in diagonal
                                  steps (about 1 ns each); past it pd_diff_texts fails with
                                  PD_ERR_LIMIT instead of running for minutes (inputs with
                                  hundreds of thousands of lines that share little). 0 =
                                  PD_DIFF_DEFAULT_MAX_WORK; ULLONG_MAX = unbounded */
} pd_diff_options;
#define PD_DIFF_DEFAULT_MAX_WORK 20000000000ull   /* about 10 to 30 seconds */
#define PD_DIFF_OPTIONS_INIT {false, PD_DIFF_REFINE_WORD, 0}

typedef struct pd_diff {
    pd_diff_lines a, b;        /* copies of the inputs, split */
    pd_diff_edit *edits;       /* the whole script, EQUAL runs included */
    size_t n_edits;
    size_t n_deleted;          /* lines deleted from A */
    size_t n_inserted;         /* lines inserted from B */
    pd_diff_options opts;
    char *taken[2];            /* the texts pd_diff_texts_take kept, or (in taken[0]) the copies
                                  pd_diff_texts made: a and b are in them */
} pd_diff;

/* Diffs two texts (any bytes, NULs included; a_len/b_len are their sizes). Copies both.
 * o may be NULL for the defaults. Caller frees *out with pd_diff_free. */
int pd_diff_texts(const char *a, size_t a_len, const char *b, size_t b_len,
                  const pd_diff_options *o, pd_diff **out, pd_error *err);
/* As pd_diff_texts, but takes a and b (malloc'd, NUL at a[a_len] and b[b_len]; NULL when the
 * length is 0) instead of copying them: pd_diff_free frees them, and so does a failure here.
 * Spares a copy of both texts and its fresh pages (the diff command on big files). */
int pd_diff_texts_take(char *a, size_t a_len, char *b, size_t b_len, const pd_diff_options *o, pd_diff **out,
                       pd_error *err);
void pd_diff_free(pd_diff *d);
/* true when the texts are byte-equal (no DELETE/INSERT runs). */
bool pd_diff_equal(const pd_diff *d);

/* ---- hunks ---- */
/* A change region with up to `context` equal lines around it; changes closer than
 * 2*context+1 lines share a hunk (as diff -U). Line numbers are 0-based. */
typedef struct pd_diff_hunk {
    size_t a_start, a_count;   /* lines of A shown (context included) */
    size_t b_start, b_count;
    size_t edit_start, edit_count;  /* the runs of d->edits it covers (first/last EQUAL runs
                                       are clipped to a_start..a_start+a_count) */
    size_t row_start, row_count;    /* its rows in pd_diff_side_by_side's rows */
} pd_diff_hunk;

/* Caller frees *out (free()). *n is 0 (and *out NULL) when the texts are equal. */
int pd_diff_hunks(const pd_diff *d, int context, pd_diff_hunk **out, size_t *n, pd_error *err);

/* ---- aligned side-by-side rows ---- */
typedef enum {
    PD_ROW_EQUAL,              /* left and right are the same line */
    PD_ROW_CHANGED,            /* a deleted line paired with an inserted one; spans say what differs */
    PD_ROW_DELETED,            /* left only (right = -1) */
    PD_ROW_INSERTED            /* right only (left = -1) */
} pd_row_kind;

/* A changed byte range [start, end) inside one line (offsets from the line's first byte, never
 * inside a UTF-8 multibyte character, never past the line's end, '\n' excluded). */
typedef struct pd_diff_span {
    size_t start, end;
} pd_diff_span;

typedef struct pd_diff_row {
    pd_row_kind kind;
    long left, right;          /* line index in A / in B, or -1 */
    const pd_diff_span *left_spans;   /* CHANGED rows only; point into the pd_diff_sbs */
    size_t n_left_spans;
    const pd_diff_span *right_spans;
    size_t n_right_spans;
} pd_diff_row;

/* Rows for the whole texts (every line once, in order): equal lines side by side; in a change
 * block the i-th deleted line is paired with the i-th inserted line (CHANGED), the remainder
 * are DELETED or INSERTED rows. */
typedef struct pd_diff_sbs {
    pd_diff_row *rows;
    size_t n_rows;
    pd_diff_hunk *hunks;       /* with the context given; row_start/row_count index rows */
    size_t n_hunks;
    pd_diff_span *spans;       /* storage the rows point into */
    size_t n_spans;
} pd_diff_sbs;

/* Builds rows (refined as d->opts.refine says) and hunks. Caller frees with pd_diff_sbs_free. */
int pd_diff_side_by_side(const pd_diff *d, int context, pd_diff_sbs **out, pd_error *err);
void pd_diff_sbs_free(pd_diff_sbs *s);

/* ---- refinement of one line pair ---- */
/* The changed spans of a (a_len bytes) and b, at word or character granularity. UTF-8 aware:
 * a span never splits a multibyte character; invalid bytes count as one character each.
 * Spans are sorted, disjoint and non-empty. Very long or very different lines are bounded in
 * time (the result may then be coarser than minimal). Caller frees *a_spans and *b_spans. */
int pd_diff_refine_pair(const char *a, size_t a_len, const char *b, size_t b_len, pd_diff_refine mode,
                        pd_diff_span **a_spans, size_t *n_a, pd_diff_span **b_spans, size_t *n_b,
                        pd_error *err);

/* ---- text output ---- */
/* Unified diff ("--- label_a", "+++ label_b", "@@ -l,n +l,n @@", "\ No newline at end of file")
 * appended to out; nothing when equal. patch(1) applies it. When sanitize is true, control
 * characters and invalid UTF-8 in lines are shown escaped (for terminals; no longer applies). */
int pd_diff_write_unified(const pd_diff *d, const char *label_a, const char *label_b, int context,
                          bool sanitize, pd_buf *out, pd_error *err);
/* Like unified, but a changed line pair is one line with [-old-]{+new+} inline (word or char
 * refinement per d->opts.refine; WORD when NONE). Always sanitized. */
int pd_diff_write_words(const pd_diff *d, const char *label_a, const char *label_b, int context,
                        pd_buf *out, pd_error *err);
/* Two columns in `width` terminal cells, like diff -y: "left | right", "left <", "> right".
 * Tabs expanded, wide characters measured, lines cut to fit, always sanitized. context < 0
 * shows every line; otherwise only hunks, separated by a line of dashes. */
int pd_diff_write_side_by_side(const pd_diff *d, int width, int context, pd_buf *out, pd_error *err);

/* ---- whole-prompt diffs ---- */
/* A version as diffable text:
 *   version 3
 *   author: NAME              (when set)
 *   date: RFC3339             (when set)
 *   commit: MESSAGE           (when set; further lines indented by two spaces)
 *   <blank>
 *   [system]                  one block per message: "[role]" then its content,
 *   content...                a blank line between blocks
 *   [placeholder history]     a history placeholder
 *   [settings]                then the settings as pretty JSON with sorted keys
 *   {...}
 * Caller frees. */
char *pd_diff_version_text(const pd_version *v);
/* The settings alone as sorted-key pretty JSON ("{}\n" when nothing is set). Caller frees. */
char *pd_diff_settings_text(const pd_settings *s);
/* Diffs two versions' texts (any two versions). Caller frees *out. */
int pd_diff_versions(const pd_version *a, const pd_version *b, const pd_diff_options *o,
                     pd_diff **out, pd_error *err);
/* Diffs only the settings (sorted-key JSON). Caller frees *out. */
int pd_diff_settings(const pd_settings *a, const pd_settings *b, const pd_diff_options *o,
                     pd_diff **out, pd_error *err);

/* ---- three-way merge (as diff3 -m) ---- */
/* Two texts made from one base (ours and theirs) merged line by line over the two line diffs
 * base->ours and base->theirs: the base lines both diffs keep are stable; between them, the
 * side that changed wins, or both when they changed alike, or it is a conflict. Changes that
 * touch (adjacent lines, no stable line between) are one conflict, as in diff3 and git. */
typedef enum {
    PD_MERGE_UNCHANGED,        /* the three agree */
    PD_MERGE_OURS,             /* only ours changed it: ours taken */
    PD_MERGE_THEIRS,           /* only theirs changed it: theirs taken */
    PD_MERGE_SAME,             /* both changed it the same way */
    PD_MERGE_CONFLICT,         /* both changed it differently */
    PD_MERGE_CLEAN             /* (messages only) both changed it, the lines merged without conflict */
} pd_merge_kind;

typedef enum { PD_SIDE_BASE, PD_SIDE_OURS, PD_SIDE_THEIRS } pd_merge_side;

/* A run of lines: base[start[BASE], +n[BASE]) stands where ours and theirs have their runs. */
typedef struct pd_merge_region {
    pd_merge_kind kind;
    size_t start[3], n[3];     /* indexed by pd_merge_side */
} pd_merge_region;

typedef struct pd_merge3 {
    pd_diff *ours, *theirs;    /* base->ours and base->theirs (a: the base's lines) */
    pd_merge_region *regions;  /* in order, covering the three texts whole */
    size_t n_regions;
    size_t n_conflicts;
} pd_merge3;

/* How a conflict is settled: NONE leaves conflict markers; BOTH is ours then theirs. */
typedef enum { PD_PICK_NONE, PD_PICK_OURS, PD_PICK_THEIRS, PD_PICK_BOTH } pd_merge_pick;

/* The names put on conflict markers ("<<<<<<< ours", "||||||| base", ">>>>>>> theirs"). */
typedef struct pd_merge_labels {
    const char *ours, *base, *theirs;
} pd_merge_labels;

/* Merges ours and theirs (any bytes; lines as in pd_diff_texts) made from base. o may be NULL
 * (minimal diffs). Caller frees *out with pd_merge3_free. */
int pd_merge3_texts(const char *base, size_t base_len, const char *ours, size_t ours_len,
                    const char *theirs, size_t theirs_len, const pd_diff_options *o,
                    pd_merge3 **out, pd_error *err);
void pd_merge3_free(pd_merge3 *m);
/* The bytes of one side of region r (*len of them; not NUL-terminated). */
const char *pd_merge3_text(const pd_merge3 *m, const pd_merge_region *r, pd_merge_side side, size_t *len);
/* Appends the merged text to out: the i-th conflict settled by picks[i] (picks may be NULL:
 * all NONE). An unsettled conflict is written as diff3 -m writes it ("<<<<<<< ours", ours'
 * lines, "||||||| base" and the base's lines when show_base, "=======", theirs' lines,
 * ">>>>>>> theirs"; a side whose last line has no newline gets one before the next marker). */
void pd_merge3_write(const pd_merge3 *m, const pd_merge_pick *picks, const pd_merge_labels *labels,
                     bool show_base, pd_buf *out);

/* Two versions merged message by message. Messages are compared whole (role and content) and
 * lined up with the line merge above over one line per message, so a message added, removed
 * or changed on one side is taken; where both sides changed messages at the same place they
 * are paired by position: the same role on both sides merges its contents line by line (kind
 * CLEAN or CONFLICT with text set); a removal against an edit, different roles or a history
 * placeholder changed on both sides is a conflict of the whole message (text NULL: pick ours,
 * theirs, or both as two messages). */
typedef struct pd_merge_msg {
    const pd_message *base, *ours, *theirs;   /* into the versions merged; NULL where absent */
    pd_merge_kind kind;
    pd_merge3 *text;           /* the line merge of the contents (CLEAN or CONFLICT), or NULL */
    size_t first_conflict;     /* the number of conflicts in the messages before this one */
} pd_merge_msg;

typedef struct pd_version_merge {
    const pd_version *base, *ours, *theirs;   /* not owned: kept alive by the caller */
    pd_merge_msg *msgs;
    size_t n_msgs;
    size_t n_conflicts;        /* line conflicts and whole-message conflicts, in message order */
    pd_merge_kind settings;    /* CONFLICT: both changed the settings differently; ours are kept */
} pd_version_merge;

/* Caller frees *out with pd_version_merge_free. */
int pd_merge_versions(const pd_version *base, const pd_version *ours, const pd_version *theirs,
                      pd_version_merge **out, pd_error *err);
void pd_version_merge_free(pd_version_merge *m);
/* The merged version (number 0, no id, parent = ours' id, no commit message; settings as
 * m->settings says): conflict i settled by picks[i] (NULL: none settled; an unsettled line
 * conflict is written with markers named by labels, an unsettled whole-message conflict keeps
 * both messages). A message removed by a pick (theirs or ours where that side removed it) is
 * left out. Caller frees. */
pd_version *pd_version_merge_result(const pd_version_merge *m, const pd_merge_pick *picks,
                                    const pd_merge_labels *labels);
/* The merge base of a and b among a prompt's versions: their nearest common ancestor following
 * parent ids (a version without a parent, from a format 1 history, follows to the version
 * numbered one less). NULL when they have none. */
const pd_version *pd_merge_find_base(pd_version *const *all, size_t n, const pd_version *a,
                                     const pd_version *b);

#endif
