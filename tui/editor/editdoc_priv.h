/* editdoc.h: what the editor edits: a version's messages (each a text buffer with its role),
 * the model settings and the commit message, turned back into a pd_version on demand, with
 * one undo history for all of it. No ncurses, so the rules are unit-tested. */
#ifndef PD_MODULE_editor
#error "editor/editdoc_priv.h is private to the editor module: include editor/editor.h"
#endif
#ifndef PD_EDITDOC_H
#define PD_EDITDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "model/model.h"
#include "core/core.h"

/* The one-line fields above the messages, in screen order. */
typedef enum {
    PD_FIELD_COMMIT,          /* commit message */
    PD_FIELD_PROVIDER,
    PD_FIELD_MODEL,
    PD_FIELD_TEMPERATURE,     /* 0..2, "" unsets */
    PD_FIELD_MAX_TOKENS,      /* max_output_tokens, a positive integer, "" unsets */
    PD_FIELD_TOP_P,           /* 0..1, "" unsets */
    PD_FIELD_STOP,            /* stop sequences as a JSON array of strings, "" unsets */
    PD_FIELD__COUNT
} pd_field;

typedef struct pd_edmsg {
    unsigned id;              /* the message's identity in the undo history (moves keep it) */
    char *role;               /* NULL for a history placeholder */
    char *placeholder;        /* the placeholder's name, else NULL */
    pd_textbuf *tb;           /* the content (empty for a placeholder) */
} pd_edmsg;

struct pd_edstep;

typedef struct pd_editdoc {
    pd_edmsg *msgs;
    size_t n_msgs;
    pd_settings settings;     /* edited in place; extra, tools and output_schema are kept as they were */
    char *commit;             /* "" when none */
    unsigned long gen;        /* counts structure and field changes (text changes count in the buffers) */
    unsigned next_id;
    struct pd_edstep *steps;  /* the undo history: [0, n_done) done, [n_done, n_steps) undone */
    size_t n_steps, n_done, cap_steps;
} pd_editdoc;

/* A document holding a copy of v's content. Caller frees with pd_editdoc_free. */
pd_editdoc *pd_editdoc_new(const pd_version *v);
void pd_editdoc_free(pd_editdoc *d);
/* The document as a version (number 0, no author or date). Caller frees. */
pd_version *pd_editdoc_version(const pd_editdoc *d);
/* Changes whenever anything in the document changes. */
unsigned long pd_editdoc_generation(const pd_editdoc *d);

/* ---- undo ----
 * Every change made through this header is a step of one history for the whole document:
 * text edits in any message, messages added, deleted, moved and re-roled, fields set. A run of
 * typing (or of erasing) in one message with no other edit or move between is one step; an
 * insert of another kind (a newline, a paste) is a step of its own. The text buffers are
 * changed only through pd_editdoc_edit (their own undo is the history's tool). */

typedef enum {
    PD_TEXT_TYPE,          /* insert typed text s[0..n) (no newline): a run of them is one step */
    PD_TEXT_INSERT,        /* insert s[0..n) as one step (a newline, a paste) */
    PD_TEXT_BACKSPACE,     /* delete the glyph before the cursor   } a run of erasing */
    PD_TEXT_DELETE,        /* delete the glyph under the cursor    } is one step */
    PD_TEXT_CUT_LINE,      /* cut the cursor's line (pd_tb_cut_line) */
    PD_TEXT_PASTE_LINES,   /* paste the cut lines above the cursor's line */
    PD_TEXT_REPLACE        /* replace the whole text with s[0..n) (an external editor's) */
} pd_text_edit;

/* Applies op at message i's cursor; true when the text changed (a step was recorded). */
bool pd_editdoc_edit(pd_editdoc *d, size_t i, pd_text_edit op, const char *s, size_t n);

/* Where an undone or redone step was, for the caret: in message msg (a text step leaves that
 * buffer's cursor where the change was), or on field field. */
typedef struct pd_edit_place {
    bool in_text;
    size_t msg;
    pd_field field;
} pd_edit_place;
/* Undoes / redoes one step; false when there is none. at may be NULL. */
bool pd_editdoc_undo(pd_editdoc *d, pd_edit_place *at);
bool pd_editdoc_redo(pd_editdoc *d, pd_edit_place *at);

/* ---- fields ---- */
const char *pd_field_label(pd_field f);
/* The field's value as text ("" when unset). Caller frees. */
char *pd_editdoc_field_text(const pd_editdoc *d, pd_field f);
/* Sets a field from text (trimmed; "" unsets): one undo step when the value changes.
 * INVALID_REQUEST saying why when the text is not a valid value (e.g. "temperature must be a
 * number from 0 to 2"). */
int pd_editdoc_set_field(pd_editdoc *d, pd_field f, const char *text, pd_error *err);

/* ---- messages (each change one undo step) ---- */
/* Inserts a message with role and empty content at index at (0..n_msgs). INVALID_REQUEST for
 * an unknown role. */
int pd_editdoc_add_message(pd_editdoc *d, size_t at, const char *role, pd_error *err);
/* Removes message i. A version keeps at least one message: INVALID_REQUEST for the last one. */
int pd_editdoc_delete_message(pd_editdoc *d, size_t i, pd_error *err);
/* Swaps message i with its neighbour (delta -1 or +1); false at the ends. */
bool pd_editdoc_move_message(pd_editdoc *d, size_t i, int delta);
/* Sets message i's role (system, developer, user, assistant, tool). INVALID_REQUEST for an
 * unknown role or a placeholder. */
int pd_editdoc_set_role(pd_editdoc *d, size_t i, const char *role, pd_error *err);

/* Where the first text that is not valid UTF-8 is ("message 2, line 3, column 5: byte <ff>"),
 * or NULL when all is UTF-8. Caller frees. */
char *pd_editdoc_find_invalid(const pd_editdoc *d);

#endif
