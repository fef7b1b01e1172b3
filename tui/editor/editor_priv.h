/* editor_priv.h: (internal to the editor: view_editor.c, editor_layout.c, editor_save.c,
 * editor_drafts.c) the editor pane's state and the functions its files share. */
#ifndef PD_MODULE_editor
#error "editor/editor_priv.h is private to the editor module: include editor/editor.h"
#endif
#ifndef PD_EDITOR_PRIV_H
#define PD_EDITOR_PRIV_H

#include "core/core.h"
#include "drafts_priv.h"
#include "editdoc_priv.h"

/* A screen row of the document: a line of key hints, the fields, then per message a header and
 * its text rows. */
typedef enum { ROW_NONE, ROW_HINT, ROW_FIELD, ROW_HEADER, ROW_TEXT } row_kind;
typedef struct drow {
    row_kind kind;
    size_t item;              /* field index, or message index */
    size_t start;             /* ROW_TEXT: byte offset where the row starts */
} drow;

/* The row starts of one line of one message's text (editor_wrap.c). */
typedef struct ed_rows {
    const pd_textbuf *tb;
    unsigned long gen;        /* the text as it was when they were found */
    size_t len;
    size_t line;              /* the line's start */
    int width;
    size_t *start;
    size_t n, cap;
    bool complete;            /* the last row found ends the line */
} ed_rows;

typedef struct editor {
    pd_app *app;
    pd_view *view;
    char *library;            /* the library directory (drafts are per library) */
    char *slug;
    char *new_name;           /* a prompt not created yet: its name (the first save creates it); else NULL */
    int base_number;          /* the saved version a save must find current (base_version); 0 when new */
    pd_version *base;         /* that version: the review diffs against it */
    int from_number;          /* the version whose content the edit started from */
    pd_version *start;        /* the content at open (or restore): unchanged means "no draft" */
    pd_editdoc *doc;

    /* caret: in a message's text, or on a field row */
    bool in_text;
    size_t field;
    size_t msg;
    int goal;                 /* column kept by vertical moves, -1 when none */
    drow top;                 /* first row on screen */
    drow *vis;                /* the rows on screen (height of them; ROW_NONE past the end) */
    size_t n_vis;
    ed_rows rows;             /* kept row starts (editor_wrap.c) */

    /* drafts */
    unsigned long draft_gen;  /* document generation last written (or at open) */
    long last_change_ms, last_draft_ms;
    bool draft_on_disk;
    bool drafts_stopped;
    bool exiting;             /* the app is ending (its exit hooks ran) */
    unsigned long mod_gen;    /* cache of ed_modified */
    bool mod_val, mod_known;
    int source_id, hook_id;
    pd_draft **offers;        /* drafts still to offer once this editor closes */
    size_t n_offers;
} editor;

/* ---- layout (editor_layout.c) ---- */
int ed_text_width(const editor *ed);
bool ed_next_row(const editor *ed, drow *r);
bool ed_prev_row(const editor *ed, drow *r);
bool ed_is_stop(const editor *ed, const drow *r);
drow ed_caret_row(const editor *ed);
/* Orders rows on the page: <0, 0, >0. */
int ed_row_cmp(const drow *a, const drow *b);
/* Makes top valid after changes, scrolls so the caret is visible, recomputes ed->vis and the
 * caret's screen position, marks the view dirty. */
void ed_relayout(editor *ed);
/* Puts the caret on row r (a stop) at column col. */
void ed_place_caret(editor *ed, const drow *r, int col);
/* Moves the caret n stops down (n < 0: up), crossing fields and messages. */
void ed_move_stops(editor *ed, long n);
/* Draws one screen row. */
void ed_draw_row(editor *ed, int row);
/* Fills buf with the hint row's text (the main keys, as bound now). */
void ed_hint(editor *ed, char *buf, size_t size);

/* ---- rows wrapped at words (editor_wrap.c); width is ed_text_width ---- */
/* The end of the row starting at start of s, wrapped at width columns: after the last blank
 * that fits when the line goes on (where the row is full when a word alone is longer); the
 * next '\n' or len when the line ends first. */
size_t ed_wrap_row_end(const char *s, size_t len, size_t start, int width);
/* The rows of a message's text: the end of the row starting at start, the start of the row
 * holding pos (a wrapped row's end belongs to the row below), the next and previous row's
 * start (false at the text's end / start), the screen column of pos in its row, and the
 * cursor put in the row starting at start at column col (on the glyph covering it). */
size_t ed_row_end(const editor *ed, const pd_textbuf *tb, size_t start);
size_t ed_row_start(const editor *ed, const pd_textbuf *tb, size_t pos);
bool ed_row_next(const editor *ed, const pd_textbuf *tb, size_t start, size_t *next);
bool ed_row_prev(const editor *ed, const pd_textbuf *tb, size_t start, size_t *prev);
int ed_row_column(const editor *ed, const pd_textbuf *tb, size_t pos);
void ed_row_place(const editor *ed, pd_textbuf *tb, size_t start, int col);

/* ---- saving (editor_save.c) ---- */
/* Ctrl-S: nothing to save, refused text, or the review pane. */
void ed_save(editor *ed);

/* ---- drafts (editor_drafts.c) ---- */
/* Starts the draft machinery for a new editor (source + exit hook). */
void ed_drafts_start(editor *ed);
/* Stops it: writes a last draft when there is unsaved work (discard false), or removes the
 * draft (discard true). */
void ed_drafts_stop(editor *ed, bool discard);
/* Notes a change now (the draft is written after a pause). */
void ed_changed(editor *ed);
/* Writes the draft now if the document changed since the last write. */
void ed_draft_flush(editor *ed);
/* true when the document differs from what it was at open (content or commit message). */
bool ed_modified(const editor *ed);
/* Offers the drafts in offers[0..n) one by one (takes the array). */
void ed_offer_drafts(pd_app *app, pd_draft **offers, size_t n);

/* ---- the pane (view_editor.c) ---- */
/* Opens an editor on doc (taken) for slug; base is the saved version saves are checked against
 * (taken), from the version the content came from. new_name: slug does not exist yet and the
 * first save creates it with that name (base is then an empty version 0). */
editor *ed_open(pd_app *app, const char *slug, pd_version *base, int from, pd_editdoc *doc, const char *new_name);
/* Closes the editor pane (after a save or a discard). */
void ed_close(editor *ed);
/* true when an editor on slug is open. */
bool ed_is_open(pd_app *app, const char *slug);
/* Opens an editor on a draft (taken when it succeeds). NULL with err set when it cannot (the
 * draft and its file are left alone). */
editor *ed_restore(pd_app *app, pd_draft *d, pd_error *err);

long ed_now_ms(void);
/* "2026-11-21 07:43" from an RFC 3339 time; returns buf. */
const char *ed_when(const char *rfc3339, char *buf, size_t size);

#endif
