/* view.h: a pane of the terminal app: the operations every view fills in, its scroll/cursor
 * state, and dirty-line tracking so only changed rows are redrawn (as tig does).
 *
 * Writing a view (see view_help.c for a small complete one):
 *   static const pd_keydef my_keys[] = {{PD_VIEW_ACT + 0, "edit", "e", "Edit"}, {0}};
 *   static const pd_view_ops my_ops = {.name = "myview", .draw_line = my_draw, .key = my_key,
 *                                      .close = my_close, .title = my_title, .keys = my_keys};
 *   pd_view *v = pd_view_new(app, &my_ops, state);
 *   pd_view_set_lines(v, n);            // how many content lines there are
 *   pd_app_push(app, from, v, PD_OPEN_SPLIT);
 * The app owns the view from then on: it calls ops->close(v) (free v->data there) and frees v.
 * Generic keys (j/k, g/G, PgUp/PgDn, mouse wheel/click) move v->cursor / v->offset for you; a
 * view only handles what is its own. When the view's content changes, call pd_view_dirty_line /
 * pd_view_dirty_all (or pd_view_set_lines): the app redraws those rows on its next pass. */
#ifndef PD_VIEW_H
#define PD_VIEW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

typedef struct pd_app pd_app;
typedef struct pd_view pd_view;

typedef enum {
    PD_MOUSE_CLICK,        /* button 1 press/click */
    PD_MOUSE_DOUBLE,       /* button 1 double click */
    PD_MOUSE_WHEEL_UP,
    PD_MOUSE_WHEEL_DOWN
} pd_mouse_kind;

typedef struct pd_view_ops {
    /* Short name: "list", "timeline", "detail", "diff", "help", "editor", "vars", "run" ...
     * Also the context name of the view's keys in the config ([keys] list.new = a). */
    const char *name;
    /* Draws content line `line` (< v->n_lines) on row `row` of v->win. Must paint the whole row
     * (v->width columns; pd_draw_* helpers pad with blanks). `selected` is true when this line
     * is the cursor line of a view with a cursor (draw it with the cursor style). Required. */
    void (*draw_line)(pd_view *v, int row, size_t line, bool selected);
    /* A key, with the action it is bound to here: one of the view's own actions (>=
     * PD_VIEW_ACT) from ops->keys, else a global PD_ACT_*, else PD_ACT_NONE. Return true when
     * handled; unhandled keys get the generic handling (navigation, help, back, quit ...). */
    bool (*key)(pd_view *v, int key, int action);
    /* Mouse at (row, col) of the content area. NULL or returning false: the default (click
     * selects the line, double click selects and sends ENTER, the wheel scrolls 3 lines). */
    bool (*mouse)(pd_view *v, pd_mouse_kind kind, int row, int col);
    /* The content area changed size (v->width/v->height already updated). Re-wrap here. May be
     * NULL. All rows are redrawn afterwards. */
    void (*resize)(pd_view *v);
    /* The view is going away: free v->data. May be NULL. */
    void (*close)(pd_view *v);
    /* The title bar text (plain; it is drawn sanitized and clipped). May be NULL (uses name). */
    void (*title)(pd_view *v, char *buf, size_t size);
    /* The cursor moved to v->cursor (key, mouse or pd_view_move_cursor). May be NULL. */
    void (*select)(pd_view *v);
    /* A `:` command typed while this view has the focus (argv[0] is the command name).
     * Return true when it was the view's. May be NULL. */
    bool (*command)(pd_view *v, int argc, char **argv);
    /* Something in the library changed (slug, or NULL for "anything"): reload what is shown.
     * Sent to every open view by pd_app_library_changed. May be NULL. */
    void (*changed)(pd_view *v, const char *slug);
    /* The view's own keys (and its `?` help), ending with {0}. May be NULL. */
    const pd_keydef *keys;
    /* Help lines shown under the keys in `?` (e.g. what the colors mean), NULL-terminated.
     * May be NULL. */
    const char *const *help_notes;
} pd_view_ops;

struct pd_view {
    const pd_view_ops *ops;
    pd_app *app;
    void *data;            /* the view's own state, freed by ops->close */
    WINDOW *win;           /* the content area (the title bar is a separate row above it) */
    int width, height;     /* of the content area */
    size_t n_lines;        /* content lines (set with pd_view_set_lines) */
    size_t offset;         /* first content line shown on row 0 */
    size_t cursor;         /* selected line (when has_cursor) */
    bool has_cursor;       /* false: a pager where j/k scroll the text */
    int hscroll;           /* columns scrolled to the right, for views that use it */
    /* Views with a text cursor (editors, forms): when show_caret is set and the view has the
     * focus, the terminal cursor is put at (caret_row, caret_col) of the content area. */
    bool show_caret;
    int caret_row, caret_col;

    /* ---- private to the app ---- */
    unsigned char *row_dirty;   /* one per row of win */
    bool all_dirty, title_dirty;
    bool split;            /* opened as the right pane of the view below it */
    int x, y;              /* position of the title row on the screen */
};

/* A new view (not shown yet: pass it to pd_app_push). data is owned by the view from now on
 * (ops->close frees it). Never fails (allocation failure aborts, as pd_xmalloc does). */
pd_view *pd_view_new(pd_app *app, const pd_view_ops *ops, void *data);

/* Sets the number of content lines, keeps cursor and offset in range, marks all rows dirty. */
void pd_view_set_lines(pd_view *v, size_t n);
/* Marks one content line for redrawing (no-op when it is not visible). */
void pd_view_dirty_line(pd_view *v, size_t line);
/* Marks every row (and the title) for redrawing. */
void pd_view_dirty_all(pd_view *v);
/* Marks the title bar for redrawing. */
void pd_view_dirty_title(pd_view *v);
/* Selects a line, scrolling so that it is visible (only the rows that change are redrawn;
 * small scrolls use the terminal's scroll). Calls ops->select. */
void pd_view_move_cursor(pd_view *v, size_t line);
/* Scrolls the view by delta lines (clamped), keeping the cursor visible. */
void pd_view_scroll(pd_view *v, long delta);
/* Shows line at the top (clamped, e.g. for "next change"); the cursor follows if needed. */
void pd_view_scroll_to(pd_view *v, size_t line);
/* true when v has the keyboard focus. */
bool pd_view_focused(const pd_view *v);

#endif
