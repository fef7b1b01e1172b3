/* core.h: the app framework: the view stack and split layout, the one event loop, drawing,
 * keys and keymaps, themes, the status row and its line editor, `:` commands, the text buffer,
 * the pane registry and help.
 *
 *   core.h         this interface
 *   core_priv.h    (internal to the app core: app.c, view.c, statusline.c, cmdline.c, loop.c, app_main.c
 *   app.c          the view stack, the split layout, drawing passes (only dirty rows, one doupdate)
 *   app_main.c     the app from start to end: the config and its [keys] checked against the pane registry
 *   clipboard.c    `y` copies out: the pane's text
 *   cmdcomplete.c  Tab on the `:` line: the word before the cursor completed from what it can be there
 *   cmdline.c      `:` commands: splitting a command line into words, the focused view's commands first
 *   draw.c         safe text drawing for every pane: characters as base's pd_char_at reads and measures them
 *   keybar.c       the key bar, as lazygit shows it
 *   keymap.c       builds key bindings from key tables and the config's [keys] section
 *   keys.c         key names <-> key codes, as written in key scripts and the [keys] config section
 *   loop.c         the one event loop: poll() over the tty, a self-pipe fed by the signal handlers
 *   messages.c     the status lines of the session (messages and errors), the last MAX_MESSAGES of them
 *   paste.c        bracketed paste: the terminal is asked to wrap a paste in
 *   search.c       `/` and n/N inside a pane: the pattern is typed on the status row and found as it is
 *   statusline.c   the status row's questions and one-line inputs: yes/no confirmations
 *   textbuf.c      the editor's text buffer: one contiguous byte array plus an undo log
 *   theme.c        loads theme files (see theme.h for the format) into color pairs and attributes
 *   timer.c        one-shot timers on the app loop, made of sources that ask poll() for a timeout
 *   view.c         a view's scroll and cursor state and its dirty rows (only those get redrawn)
 *   view_help.c    `?` and `:help [PANE]`: the keys of a pane (as bound now, after the config's [keys])
 */
#ifndef PD_CORE_H
#define PD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include <poll.h>
#include <stdarg.h>

#include "base/base.h"
#include "store/store.h"

/* keys.h: key codes (characters, function keys, Ctrl/Alt), key names as written in scripts and
 * the config file, and the bindings of keys to actions (defaults + [keys] section overrides). */


/* A key is an int:
 *   - a Unicode code point for a typed character (Ctrl+x is the control code, 1..31, as usual;
 *     Enter is 13 ('\r'), Tab 9, Esc 27, Backspace 127);
 *   - PD_KEY_FN(KEY_xxx) for an ncurses function key (arrows, PgUp, F1, KEY_BTAB ...);
 *   - PD_KEY_ALT(k) for Alt/Meta + k (Esc immediately followed by k). */
#define PD_KEY_FN(k) (0x110000 + (k))
#define PD_KEY_ALT(k) (0x400000 | (k))
#define PD_KEY_CTRL(c) ((c) & 0x1f)
#define PD_KEY_ENTER 13
#define PD_KEY_TAB 9
#define PD_KEY_ESC 27
#define PD_KEY_BACKSPACE 127
/* true for a key that inserts text (a printable character, including space). */
bool pd_key_is_text(int key);

/* Parses one key name: "j", "<Enter>", "<Esc>", "<Tab>", "<S-Tab>", "<Space>", "<BS>", "<Del>",
 * "<Up>", "<Down>", "<Left>", "<Right>", "<Home>", "<End>", "<PgUp>", "<PgDn>", "<Ins>", "<F1>".."<F12>",
 * "<C-s>", "<M-x>" (Alt), "<Lt>" for '<', "<Colon>" for ':'. UTF-8 characters stand for themselves.
 * Returns the number of bytes consumed (> 0), or 0 when name does not start with a key. */
size_t pd_key_parse(const char *name, int *key);
/* The key's name as pd_key_parse reads it ("<C-s>", "j", "<PgDn>"); returns buf. */
const char *pd_key_name(int key, char *buf, size_t size);

/* Global actions: keys every view gets unless the view's own table binds the key first.
 * X(ID, config name, default keys, help) */
#define PD_GLOBAL_ACTIONS(X)                                                                  \
    X(UP, "up", "k <Up> <C-p>", "Move up")                                                    \
    X(DOWN, "down", "j <Down> <C-n>", "Move down")                                            \
    X(PAGE_UP, "page-up", "<PgUp> <C-b>", "Page up")                                          \
    X(PAGE_DOWN, "page-down", "<PgDn> <C-f> <Space>", "Page down")                            \
    X(HALF_UP, "half-page-up", "<C-u>", "Half a page up")                                     \
    X(HALF_DOWN, "half-page-down", "<C-d>", "Half a page down")                               \
    X(TOP, "top", "g <Home>", "Go to the first line")                                         \
    X(BOTTOM, "bottom", "G <End>", "Go to the last line")                                     \
    X(LEFT, "left", "h <Left>", "Scroll left / collapse")                                     \
    X(RIGHT, "right", "l <Right>", "Scroll right / expand")                                   \
    X(ENTER, "enter", "<Enter>", "Open the selected item")                                    \
    X(BACK, "back", "q <Esc>", "Go back (q on the main screen quits)")                        \
    X(QUIT, "quit", "Q", "Quit")                                                              \
    X(NEXT_PANE, "next-pane", "<Tab>", "Focus the other pane")                                \
    X(PREV_PANE, "prev-pane", "<S-Tab>", "Focus the other pane")                              \
    X(SPLIT_LEFT, "split-left", "<Lt>", "Move the split to the left")                         \
    X(SPLIT_RIGHT, "split-right", ">", "Move the split to the right")                         \
    X(ZOOM, "zoom", "+", "Zoom: the focused pane takes the whole width (again: back)")       \
    X(HELP, "help", "? <F1>", "Show the keys of this pane")                                   \
    X(CMDLINE, "command", ":", "Open the command line")                                       \
    X(SEARCH, "search", "/", "Search this pane as you type (Enter keeps, Esc goes back)")    \
    X(SEARCH_NEXT, "search-next", "n", "Next match (during a search: Esc ends it)")          \
    X(SEARCH_PREV, "search-prev", "N", "Previous match")                                     \
    X(COPY, "copy", "y", "Copy to the clipboard (OSC 52) or to a file")                     \
    X(KEYBAR, "keybar", "K", "Show / hide the bar of main keys")                             \
    X(REDRAW, "redraw", "<C-l>", "Redraw the screen")                                         \
    X(SUSPEND, "suspend", "<C-z>", "Suspend to the shell (fg comes back)")

typedef enum {
    PD_ACT_NONE = 0,
#define PD_X_ENUM(id, name, keys, help) PD_ACT_##id,
    PD_GLOBAL_ACTIONS(PD_X_ENUM)
#undef PD_X_ENUM
    PD_ACT__GLOBAL_END,
    /* Views number their own actions from here (PD_VIEW_ACT + 0, + 1, ...). */
    PD_VIEW_ACT = 100
} pd_action;

/* One entry of a view's key table: its own actions, their config names, default keys and help.
 * The table ends with an entry whose action is 0. The same table drives `?` help.
 * A user rebinds with `VIEW.NAME = KEYS` in the [keys] section (e.g. `timeline.promote = P`);
 * global actions with `NAME = KEYS` (e.g. `down = j <Down>`). Rebinding replaces the defaults. */
typedef struct pd_keydef {
    int action;          /* >= PD_VIEW_ACT */
    const char *name;    /* config name, [a-z-] */
    const char *keys;    /* default keys, separated by spaces: "d <C-d>" */
    const char *help;    /* one line for `?` */
} pd_keydef;

/* draw.h: safe text drawing: UTF-8 with wide characters and tabs aligned, control characters
 * and escape sequences shown visibly (ESC as ^[, DEL as ^?, C1 and bad bytes as <9b>/<ff>),
 * clipped to a width. Every pane draws prompt/model text through these functions. The
 * characters, their widths and tab stops (PD_TAB_WIDTH) are base.h's text measurement:
 * pd_char_at, pd_text_width, pd_text_fit. */


/* One drawing run on a row. col is the text's own column of its first byte (for tab stops and
 * horizontal scrolling: text before column `skip` is not drawn). */
typedef struct pd_pen {
    WINDOW *win;
    int x;            /* next screen column in win */
    int end;          /* first screen column NOT to draw into (the clip) */
    int col;          /* logical text column (tabs align to multiples of PD_TAB_WIDTH) */
    int skip;         /* logical columns to hide at the start (horizontal scroll) */
    attr_t ctrl;      /* attributes for visible control characters */
} pd_pen;

/* Starts a pen on row y of win, from screen column x to x+width (exclusive). */
pd_pen pd_pen_at(WINDOW *win, int y, int x, int width, attr_t ctrl_attr);
/* Draws len bytes of UTF-8 text with attr. Returns the screen columns used. Never writes past
 * the clip; a wide character that does not fit is replaced by blanks. */
int pd_pen_text(pd_pen *p, const char *s, size_t len, attr_t attr);
/* Same for a NUL-terminated string. */
int pd_pen_str(pd_pen *p, const char *s, attr_t attr);
/* printf into the pen (text is sanitized like pd_pen_text). */
int pd_pen_printf(pd_pen *p, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fills the rest of the clip with blanks in attr. */
void pd_pen_fill(pd_pen *p, attr_t attr);
/* Moves to the screen column x (relative to the window), filling with blanks in attr. */
void pd_pen_pad_to(pd_pen *p, int x, attr_t attr);
/* Screen columns left before the clip. */
int pd_pen_left(const pd_pen *p);

/* Draws s on row y at x, clipped to width, padding the rest with blanks: the common case. */
void pd_draw_line(WINDOW *win, int y, int x, int width, const char *s, attr_t attr, attr_t ctrl);

/* theme.h: named styles (color pair + attributes) read from plain-text theme files.
 *
 * Theme file format (themes/default.theme is the reference): one style per line,
 *     NAME = FOREGROUND BACKGROUND [ATTRIBUTE...]
 * colors: default (the terminal's own), black red green yellow blue magenta cyan white,
 * bright-black .. bright-white, a number 0-255, or #rrggbb (nearest of the 256 colors);
 * COLOR/FALLBACK (e.g. 114/green) names the color used on 8-color terminals (otherwise the
 * nearest of the 8 is taken). Attributes: bold dim underline reverse italic standout blink normal.
 * `# comments`, blank lines. Unknown style names and bad values are reported as FILE:LINE and
 * the built-in default of that style is kept. With NO_COLOR set or a monochrome terminal only
 * the attributes are used. */


/* X(ID, name, built-in default) — the built-ins equal themes/default.theme. */
#define PD_STYLES(X)                                                         \
    X(NORMAL, "normal", "default default")                                   \
    X(TITLE, "title", "black white")                                         \
    X(TITLE_FOCUS, "title-focus", "black cyan bold")                         \
    X(STATUS, "status", "default default")                                   \
    X(STATUS_INFO, "status-info", "green default")                           \
    X(ERROR, "error", "white red bold")                                      \
    X(PROMPT, "prompt", "yellow default bold")                               \
    X(CURSOR, "cursor", "black cyan")                                        \
    X(CURSOR_BLUR, "cursor-unfocused", "default 238/white")                  \
    X(MARK, "mark", "yellow default bold")                                   \
    X(CONTROL, "control", "magenta default bold")                            \
    X(DIM, "dim", "244/white default")                                       \
    X(FOLDER, "folder", "blue default bold")                                 \
    X(NAME, "name", "default default bold")                                  \
    X(SLUG, "slug", "cyan default")                                          \
    X(VERSION, "version", "yellow default")                                  \
    X(DATE, "date", "244/white default")                                     \
    X(AUTHOR, "author", "green default")                                     \
    X(LABEL, "label", "magenta default")                                     \
    X(LABEL_PRODUCTION, "label-production", "white 22/green bold")           \
    X(LABEL_STAGING, "label-staging", "black 178/yellow")                    \
    X(TAG, "tag", "blue default")                                            \
    X(COUNT_ADD, "count-add", "green default")                               \
    X(COUNT_DEL, "count-del", "red default")                                 \
    X(HEADER, "header", "yellow default bold")                               \
    X(ROLE_SYSTEM, "role-system", "magenta default bold")                    \
    X(ROLE_USER, "role-user", "green default bold")                          \
    X(ROLE_ASSISTANT, "role-assistant", "cyan default bold")                 \
    X(ROLE_OTHER, "role-other", "yellow default bold")                       \
    X(KEY, "key", "cyan default bold")                                       \
    X(VARIABLE, "variable", "yellow default")                                \
    X(SEARCH, "search-match", "black yellow")                                \
    X(DIFF_ADD, "diff-add", "green default")                                 \
    X(DIFF_DEL, "diff-del", "red default")                                   \
    X(DIFF_ADD_WORD, "diff-add-word", "black 114/green")                     \
    X(DIFF_DEL_WORD, "diff-del-word", "black 210/red")                       \
    X(DIFF_HUNK, "diff-hunk", "cyan default")                                \
    X(DIFF_CONTEXT, "diff-context", "default default")                       \
    X(DIFF_EMPTY, "diff-empty", "238/white default")                         \
    X(LINE_NUMBER, "line-number", "244/white default")                       \
    X(EDITOR_TEXT, "editor-text", "default default")                         \
    X(EDITOR_SELECTION, "editor-selection", "black 153/cyan")                \
    X(RUN_OUTPUT, "run-output", "default default")                           \
    X(RUN_META, "run-meta", "244/white default")                             \
    X(RUN_ERROR, "run-error", "red default bold")

typedef enum {
#define PD_X_STYLE(id, name, def) PD_STYLE_##id,
    PD_STYLES(PD_X_STYLE)
#undef PD_X_STYLE
    PD_STYLE__COUNT
} pd_style;

typedef struct pd_theme pd_theme;

/* Loads a theme: name_or_path is a NAME (looked up as NAME.theme in the themes directories:
 * $XDG_CONFIG_HOME/promptdeck/themes, $XDG_DATA_HOME/promptdeck/themes, $PROMPTDECK_THEMES,
 * the install's share/promptdeck/themes next to the program, the source tree's themes/,
 * /usr/local/share and /usr/share/promptdeck/themes) or a PATH (contains a '/' or ends in .theme); NULL =
 * "default". Always returns a theme: on problems, *warnings (caller frees; NULL when none)
 * says "FILE:LINE: what" and the built-in defaults are used where needed. Call after initscr. */
pd_theme *pd_theme_load(const char *name_or_path, char **warnings);
void pd_theme_free(pd_theme *t);
/* The attributes (A_* | COLOR_PAIR) of a style. */
attr_t pd_theme_attr(const pd_theme *t, pd_style s);
/* A style by name ("diff-add"), or -1. */
int pd_style_by_name(const char *name);
/* The theme's name (file stem). */
const char *pd_theme_name(const pd_theme *t);
/* true when pd_theme_load would find name_or_path (a name in the themes directories, or a
 * readable path; "default" always). */
bool pd_theme_exists(const char *name_or_path);
/* The names of the themes in the themes directories, sorted, each once. Caller frees each
 * and the array. */
char **pd_theme_names(size_t *n);
/* The style of a label (production and staging stand out). */
pd_style pd_style_for_label(const char *label);

/* The style of a message role's header (system and developer, user, assistant, others);
 * defined in editor_layout.c, for every pane that shows messages. */
pd_style pd_role_style(const char *role);

/* keymap.h: (internal to the app) the key -> action bindings of one context, built from a
 * key table's defaults and the [keys] section of the config. */


typedef struct pd_binding {
    int key;
    int action;
} pd_binding;

typedef struct pd_keymap {
    const void *owner;        /* the view ops (or NULL for the global map) it was built for */
    char *context;            /* NULL for the global map */
    const pd_keydef *defs;
    pd_binding *b;
    size_t n;
} pd_keymap;

/* Builds the map of context (NULL: global) from defs plus config overrides; problems go to
 * warnings as "FILE:LINE: what". Caller frees with pd_keymap_free. */
pd_keymap *pd_keymap_build(const char *context, const void *owner, const pd_keydef *defs,
                           const pd_config *cfg, pd_buf *warnings);
void pd_keymap_free(pd_keymap *m);
/* The action bound to key, or PD_ACT_NONE. */
int pd_keymap_lookup(const pd_keymap *m, int key);
/* The key names bound to action, comma separated ("j, <Down>"); returns buf. */
const char *pd_keymap_keys(const pd_keymap *m, int action, char *buf, size_t size);
/* The global actions as a key table (ending with {0}). */
const pd_keydef *pd_global_keydefs(void);
/* Reports [keys] entries naming no global action ("keys.foo") and no registered pane
 * ("keys.nopane.foo"). (An unknown action of a registered pane is reported when that pane's
 * map is built.) */
struct pd_pane_info;
void pd_keymap_check_config(const pd_config *cfg, const struct pd_pane_info *panes, size_t n_panes,
                            pd_buf *warnings);

/* textbuf.h: the text buffer of the editor (and of the status row's line editor): UTF-8 text,
 * glyph-wise cursor moves, display columns, soft-wrapped rows, insert/delete, a line kill
 * buffer, and grouped undo/redo. No ncurses.
 *
 * Positions are byte offsets into the text. The cursor always sits on a glyph boundary: a glyph
 * is one code point with the combining marks that follow it, one tab, one control character,
 * or one byte of invalid UTF-8 (kept byte-exact, shown as <ff>). A glyph's on-screen form is
 * never raw control text: see pd_tb_glyph. */

/* Tabs stop every PD_TAB_WIDTH columns (base.h), as everywhere else. */

/* ---- glyphs: how a piece of text looks on a terminal ---- */
typedef enum {
    PD_GLYPH_TEXT,      /* printable text, shown as is (with its combining marks) */
    PD_GLYPH_TAB,       /* shown as `width` spaces */
    PD_GLYPH_CONTROL,   /* C0 control or DEL, shown as ^X */
    PD_GLYPH_INVALID,   /* a byte of invalid UTF-8, shown as <ff> */
    PD_GLYPH_HIDDEN,    /* a code point not safe to print (C1 controls, bidi and zero-width
                           format characters, unassigned), shown as <U+XXXX> */
    PD_GLYPH_NEWLINE    /* '\n': ends a line; width 0, nothing shown */
} pd_glyph_kind;

typedef struct pd_glyph {
    pd_glyph_kind kind;
    size_t len;         /* bytes of text it covers */
    int width;          /* terminal columns */
    char show[48];      /* NUL-terminated UTF-8 that is safe to draw (spaces for a tab) */
} pd_glyph;

/* Decodes the glyph at s[pos] (pos < len) for a glyph starting at screen column col (tabs
 * depend on it). Works on any bytes; never reads past len. */
void pd_glyph_at(const char *s, size_t len, size_t pos, int col, pd_glyph *g);
/* The end of the screen row starting at row_start of s (see the layout below): where the glyphs
 * that fit in width columns end, or the next '\n' / len. */
size_t pd_text_row_end(const char *s, size_t len, size_t row_start, int width);
/* Start of the glyph that ends at pos (pos > 0), i.e. the previous cursor stop. */
size_t pd_glyph_prev(const char *s, size_t len, size_t pos);
/* Terminal columns of s[0..len) drawn from column 0 (a single line; '\n' counts 0). */
int pd_tb_text_width(const char *s, size_t len);

/* ---- the buffer ---- */
typedef struct pd_textbuf pd_textbuf;

/* A buffer holding a copy of text[0..len). Caller frees with pd_tb_free. */
pd_textbuf *pd_tb_new(const char *text, size_t len);
void pd_tb_free(pd_textbuf *tb);

/* The text, NUL-terminated (it may hold NULs itself: use pd_tb_len). Valid until the next
 * change. */
const char *pd_tb_text(const pd_textbuf *tb);
size_t pd_tb_len(const pd_textbuf *tb);
/* Wrapped rows given by their start offsets (ascending, start[0] == 0, n >= 1): the index of
 * the last row starting at or before pos (shared by the text buffer's and the editor's row caches). */
size_t pd_rows_find(const size_t *start, size_t n, size_t pos);
/* A copy of the text. Caller frees. */
char *pd_tb_dup(const pd_textbuf *tb);
size_t pd_tb_cursor(const pd_textbuf *tb);
/* Moves the cursor to pos (clamped, and moved back to the glyph boundary at or before it). */
void pd_tb_set_cursor(pd_textbuf *tb, size_t pos);

/* ---- layout: logical lines and soft-wrapped rows ----
 * A row holds the glyphs of a line that fit in `width` columns (width <= 0: no wrapping, a row
 * is the whole line). A row's end is the next row's start; the position of a line's '\n' (or of
 * the end of the text) belongs to the line's last row. */
size_t pd_tb_line_start(const pd_textbuf *tb, size_t pos);
size_t pd_tb_line_end(const pd_textbuf *tb, size_t pos);     /* position of the '\n' or len */
/* The end of the row starting at row_start (a line start or a previous row's end). */
size_t pd_tb_row_end(const pd_textbuf *tb, size_t row_start, int width);
/* The start of the row holding pos. */
size_t pd_tb_row_start(const pd_textbuf *tb, size_t pos, int width);
/* The start of the row after / before the one starting at row_start; false at the end / start
 * of the text. */
bool pd_tb_next_row(const pd_textbuf *tb, size_t row_start, int width, size_t *next);
bool pd_tb_prev_row(const pd_textbuf *tb, size_t row_start, int width, size_t *prev);
/* Screen column of pos within its row. */
int pd_tb_column(const pd_textbuf *tb, size_t pos, int width);
/* Columns of pos's line before pos, as laid out in rows of width (for "col N" displays). */
int pd_tb_line_column(const pd_textbuf *tb, size_t pos, int width);
/* 1-based logical line number of pos, and the number of lines. */
size_t pd_tb_line_number(const pd_textbuf *tb, size_t pos);
size_t pd_tb_line_count(const pd_textbuf *tb);

/* ---- moves (width as for the layout; rows move by screen row) ---- */
typedef enum {
    PD_MOVE_CHAR_LEFT, PD_MOVE_CHAR_RIGHT,
    PD_MOVE_WORD_LEFT,     /* to the start of this or the previous word */
    PD_MOVE_WORD_RIGHT,    /* to the start of the next word (or the end of the text) */
    PD_MOVE_UP, PD_MOVE_DOWN,          /* one row, keeping the goal column */
    PD_MOVE_HOME, PD_MOVE_END,         /* start / end of the logical line */
    PD_MOVE_DOC_START, PD_MOVE_DOC_END
} pd_tb_move_kind;
void pd_tb_move(pd_textbuf *tb, pd_tb_move_kind m, int width);
/* Puts the cursor in the row starting at row_start, at screen column col (or on the glyph
 * covering it, or at the row's end). */
void pd_tb_place(pd_textbuf *tb, size_t row_start, int col, int width);
/* Moves by n rows (negative: up), keeping the goal column; PgUp/PgDn use height - 1. */
void pd_tb_move_rows(pd_textbuf *tb, long n, int width);

/* ---- changes (each one is undoable) ---- */
/* Inserts s[0..n) at the cursor and puts the cursor after it. Consecutive typing (inserts that
 * continue each other, without a newline) forms one undo step. */
void pd_tb_insert(pd_textbuf *tb, const char *s, size_t n);
/* Deletes the glyph before / after the cursor; false when there is none. */
bool pd_tb_backspace(pd_textbuf *tb);
bool pd_tb_delete(pd_textbuf *tb);
/* Deletes [from, to) (clamped) as one undo step and puts the cursor at from. */
void pd_tb_delete_range(pd_textbuf *tb, size_t from, size_t to);
/* Replaces the whole text as one undo step (the cursor is kept where it can be). */
void pd_tb_replace_all(pd_textbuf *tb, const char *s, size_t n);

/* Cuts the cursor's logical line (with its newline) into the kill buffer; cuts right after
 * each other collect their lines together. false when there is nothing to cut. */
bool pd_tb_cut_line(pd_textbuf *tb);
/* Copies the cursor's line into the kill buffer without changing the text. */
void pd_tb_copy_line(pd_textbuf *tb);
/* Inserts the kill buffer's lines above the cursor's line; false when it is empty. */
bool pd_tb_paste_lines(pd_textbuf *tb);
/* The kill buffer (always whole lines, each ending in '\n'). */
const char *pd_tb_kill_buffer(const pd_textbuf *tb, size_t *len);

/* Ends the current undo group (the next change starts a new step). */
void pd_tb_break_group(pd_textbuf *tb);
/* Undo / redo one step; false when there is nothing to undo / redo. */
bool pd_tb_undo(pd_textbuf *tb);
bool pd_tb_redo(pd_textbuf *tb);
/* Counts every change, undo and redo: lets a caller see that something changed. */
unsigned long pd_tb_generation(const pd_textbuf *tb);

/* view.h: a pane of the terminal app: the operations every view fills in, its scroll/cursor
 * state, and dirty-line tracking so only changed rows are redrawn (as tig does).
 *
 * Writing a view (see view_help.c for a small complete one):
 *   static const pd_keydef my_keys[] = {{PD_VIEW_ACT + 0, "edit", "e", "Edit"}, {0}};
 *   const pd_view_ops pd_my_pane = {.name = "my", .draw_line = my_draw, .key = my_key,
 *                                   .close = my_close, .title = my_title, .keys = my_keys};
 *   void pd_open_my(pd_app *app, pd_view *from)    // one pattern: pd_open_<pane>[_<variant>]
 *   {
 *       pd_view *v = pd_view_new(app, &pd_my_pane, state);
 *       pd_view_set_lines(v, n);        // how many content lines there are
 *       pd_app_push(app, from, v, PD_OPEN_SPLIT);
 *   }
 * declare pd_my_pane and pd_open_my in the module's header, and add the pane to the registry
 * (one line in tui/cli/cmd_app.c, see pd_pane_info below): its name is then a context of the
 * config's [keys] and of `:help`.
 * The app owns the view from then on: it calls ops->close(v) (free v->data there) and frees v.
 * Generic keys (j/k, g/G, PgUp/PgDn, mouse wheel/click) move v->cursor / v->offset for you; a
 * view only handles what is its own. When the view's content changes, call pd_view_dirty_line /
 * pd_view_dirty_all (or pd_view_set_lines): the app redraws those rows on its next pass. */



typedef struct pd_app pd_app;
typedef struct pd_view pd_view;

typedef enum {
    PD_MOUSE_CLICK,        /* button 1 press/click */
    PD_MOUSE_DOUBLE,       /* button 1 double click */
    PD_MOUSE_WHEEL_UP,
    PD_MOUSE_WHEEL_DOWN
} pd_mouse_kind;

/* A `:` command a pane handles (in ops->command): its name, its arguments as Tab completes
 * them ("SLUG", "VERSION", "LABEL", "THEME", "PANE", "name|changed" for words to choose from,
 * "TEXT" and the like for anything), what it does. Tables end with {0}. */
typedef struct pd_cmddef {
    const char *name;
    const char *args;
    const char *help;
} pd_cmddef;

typedef struct pd_view_ops {
    /* Short name: "list", "timeline", "detail", "diff", "help", "editor", "vars", "run" ...
     * Also the context name of the view's keys in the config ([keys] list.new = a) and of
     * `:help NAME`: unique among the registered panes (pd_pane_info). */
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
    /* The plain text content line `line` shows (what draw_line draws, without styles), for
     * `/` and n/N: build it in scratch (reset it first) and return its data, or return text
     * the view keeps (NUL-terminated); read before the next call. NULL: no search here.
     * The core finds the lines, moves there and highlights the matches on screen. */
    const char *(*line_text)(pd_view *v, size_t line, pd_buf *scratch);
    /* `y`: the text to copy (the selected item, the message on screen, the answer) into out,
     * and what it is into what ("message 2 (user)"); false when there is nothing to copy
     * (say why with pd_app_status). NULL: y copies every line through line_text. */
    bool (*copy)(pd_view *v, pd_buf *out, char *what, size_t what_size);
    /* A paste (bracketed paste: the text as pasted, line ends as '\n'): insert it as one
     * edit, one undo step. NULL: the pane takes no text; a paste there is dropped with a
     * message (it never runs as keys). */
    void (*paste)(pd_view *v, const char *text, size_t len);
    /* The main keys shown in the key bar, as action names of ops->keys or global ones,
     * separated by spaces ("open edit diff run"); the bar adds `/ search` (when the pane
     * has line_text) and `? help`. NULL: only those. */
    const char *keybar;
    /* The pane's `:` commands, for Tab on the command line. May be NULL. */
    const pd_cmddef *commands;
    /* The prompt the pane shows, for completing version numbers and labels on the command
     * line. May be NULL. */
    const char *(*prompt_slug)(pd_view *v);
    /* The keys every pane shares that work here, for `?` (ending with {0}): action is a
     * global PD_ACT_*, help what it does here (NULL: its usual help); `?` then lists only
     * these. May be NULL: all of them. Either way `?` leaves out a key the pane binds to an
     * action of its own, and a printable key when types_text is set. */
    const pd_keydef *global_help;
    /* Printable keys type text in this pane (an editor): they are not shared keys here. */
    bool types_text;
    /* Work in this view that is not saved: what it is into buf ("your edit of alpha"), true.
     * Quitting (q on the main screen, Q, :quit) asks first while a view says so. May be NULL. */
    bool (*unsaved)(pd_view *v, char *buf, size_t size);
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
    char *search;          /* the search shown highlighted (n/N go to its matches), or NULL */
    size_t search_line;    /* the line n/N last went to */
    bool search_line_set;
};

/* A new view (not shown yet: pass it to pd_app_push). data is owned by the view from now on
 * (ops->close frees it). Never fails (allocation failure aborts, as pd_xmalloc does). */
pd_view *pd_view_new(pd_app *app, const pd_view_ops *ops, void *data);
/* Frees a view that was never shown (e.g. loading its content failed); ops->close runs. */
void pd_view_free(pd_view *v);

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
/* Turns v's search on with pattern (highlighted, n/N go to it) or off (NULL or ""), as `/`
 * does, without moving; for a pane that handles `/` itself (the help's filter). */
void pd_view_set_search(pd_view *v, const char *pattern);
/* Where pattern first occurs in text[0..len) at or after byte `from`, as `/` matches: plain
 * text, ignoring case unless the pattern has a capital letter; *match_len gets the length
 * matched. Returns the byte offset, or (size_t)-1. */
size_t pd_search_find(const char *text, size_t len, size_t from, const char *pattern, size_t *match_len);

/* app.h: the terminal app's framework: the view stack and split layout, status bar, prompts,
 * `:` commands, theme, config, library access, and the one event loop (poll over the tty, a
 * signal self-pipe and registered sources such as the libcurl multi).
 *
 * Layout: the screen shows the focused part of the view stack: the top view alone (opened
 * PD_OPEN_FULL), or the top view on the right of the view below it (opened PD_OPEN_SPLIT;
 * the split is movable with < and >, Tab moves the focus between the two, + zooms the focused
 * one to the whole width and back). The last screen
 * row is the status bar (messages, errors, prompts, the command line); the row above it the
 * key bar (the focused pane's ops->keybar; K hides it). Every pane with ops->line_text gets
 * `/` and n/N, ops->copy (or line_text) gets `y`, ops->paste gets bracketed pastes.
 *
 * Nothing here blocks: prompts and confirmations call back when answered. */



/* ---- views ---- */
typedef enum {
    PD_OPEN_FULL = 0,      /* the view takes the whole screen */
    PD_OPEN_SPLIT = 1      /* the view opens on the right of `from` */
} pd_open_mode;

/* Shows v above `from` (NULL: above the top of the stack). Views above `from` are closed
 * first, so opening from the left pane replaces the right pane. v gets the focus. The app owns
 * v from now on. */
void pd_app_push(pd_app *app, pd_view *from, pd_view *v, pd_open_mode mode);
/* Closes v and every view above it; the focus goes to the view below. Closing the last view
 * quits. Safe to call from v's own key handler (the view is freed after the handler returns). */
void pd_app_pop(pd_app *app, pd_view *v);
/* Puts v in old's place (same mode); old is closed. */
void pd_app_replace(pd_app *app, pd_view *old, pd_view *v);
/* The focused view, the view just below v (or NULL), the view just above v (or NULL). */
pd_view *pd_app_focus(pd_app *app);
pd_view *pd_app_below(pd_app *app, const pd_view *v);
pd_view *pd_app_above(pd_app *app, const pd_view *v);
/* Gives v the focus (v must be visible). */
void pd_app_set_focus(pd_app *app, pd_view *v);
/* Tells every open view that the library changed (ops->changed), e.g. after a save. */
void pd_app_library_changed(pd_app *app, const char *slug);
/* Redraws everything on the next pass (after a resize, an external program ...). */
void pd_app_redraw_all(pd_app *app);
/* Screen size. */
int pd_app_cols(const pd_app *app);
int pd_app_rows(const pd_app *app);

/* ---- the pane registry ----
 * One entry per kind of pane, like tig's VIEW_INFO: the app's key contexts (the config's
 * [keys] PANE.ACTION entries are checked against it), `:help PANE`, `:help panes` and the
 * keymaps (one per entry, built on first use) all come from this one table. The program that
 * wires the modules together owns the table (tui/cli/cmd_app.c) and hands it to pd_app_main:
 * adding a pane is one line there. */
typedef struct pd_pane_info {
    const pd_view_ops *ops;      /* ops->name is the pane's context name */
    const char *description;     /* one line: what the pane shows */
} pd_pane_info;
/* The registered pane named name (its context), or NULL. */
const pd_pane_info *pd_app_pane(const pd_app *app, const char *name);
/* The help pane (`?`, :help), the core's own pane: register it with the others. */
extern const pd_view_ops pd_help_pane;

/* ---- status bar ---- */
/* A message (sanitized, one line) shown until the next key. */
void pd_app_status(pd_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error, shown in the error style until the next key. */
void pd_app_error(pd_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows err's message as an error (with the code name when the message is empty). */
void pd_app_error_err(pd_app *app, const pd_error *err);
/* The mode shown at the left of the status bar when nothing else is ("LIST", "EDIT" ...):
 * the focused view's ops->name in capitals unless set here. NULL resets. */
void pd_app_set_mode(pd_app *app, const char *mode);

/* ---- prompts on the status row (one at a time; a new one cancels the previous, and one
 * still open when the app ends is cancelled too: callbacks always run once) ---- */
/* Asks a yes/no question; y answers yes, n/Esc/anything else no. */
typedef void (*pd_confirm_fn)(pd_app *app, void *ud, bool yes);
void pd_app_confirm(pd_app *app, const char *question, pd_confirm_fn fn, void *ud);
/* A one-line input with editing (Left/Right, Home/End, Backspace, Del, C-u, C-w, C-a, C-e).
 * done(text) on Enter, done(NULL) on Esc/C-c; changed(text) after every edit (may be NULL:
 * used for filter-as-you-type). text is valid during the call only. */
typedef void (*pd_input_fn)(pd_app *app, void *ud, const char *text);
void pd_app_input(pd_app *app, const char *prompt, const char *initial, pd_input_fn done,
                  pd_input_fn changed, void *ud);
/* true while a prompt or the command line is open. */
bool pd_app_prompting(const pd_app *app);

/* ---- `:` command line ---- */
/* Opens the command line (initial may be NULL). */
void pd_app_cmdline(pd_app *app, const char *initial);
/* Runs a command line ("label production", "quit", "theme light"): the focused view's
 * ops->command first, then the app's. Returns 0, or -1 after showing an error. */
int pd_app_run_command(pd_app *app, const char *line);

/* ---- shared things ---- */
pd_store *pd_app_store(pd_app *app);
const pd_config *pd_app_config(pd_app *app);
/* The attributes of a theme style. */
attr_t pd_app_attr(const pd_app *app, pd_style s);
/* Current cursor style for a view (focused or not). */
attr_t pd_app_cursor_attr(const pd_app *app, const pd_view *v);
/* Copies text[0..len) out of the app: to the terminal's clipboard through OSC 52 (over SSH
 * and in tmux too), or to the file $XDG_STATE_HOME/promptdeck/clipboard when the config says
 * `clipboard = file` or the terminal cannot take it (TERM=linux ...). The status row says
 * what (`what`: "message 2 (user)") went where. Returns 0, or -1 after showing an error. */
int pd_app_copy(pd_app *app, const char *text, size_t len, const char *what);
/* true in scripted mode (--script): no real terminal, no external programs. */
bool pd_app_scripted(const pd_app *app);
/* The names of the keys bound to a view action / global action in v's context ("e, <C-e>").
 * Returns buf. */
const char *pd_app_keys_for(pd_app *app, const pd_view *v, int action, char *buf, size_t size);

/* ---- event loop ---- */
/* A source of events other than keys (curl's sockets, a child's pipe, a timer). Before every
 * poll() the app calls pollfds(ud, fds, max, &timeout_ms): add up to max entries (fd and
 * events), return how many, and lower *timeout_ms (-1 = none) if you need to run by then.
 * After poll() returns (ready or timed out) it calls dispatch(ud, fds, n) with those same
 * entries, revents filled in. dispatch may open views, set messages, even remove sources. */
typedef struct pd_source {
    size_t (*pollfds)(void *ud, struct pollfd *fds, size_t max, int *timeout_ms);
    void (*dispatch)(void *ud, struct pollfd *fds, size_t n);
    void *ud;
} pd_source;
/* Registers a source; returns its id (> 0). The struct is copied. */
int pd_app_add_source(pd_app *app, const pd_source *src);
/* Removes a source (safe from inside any callback). */
void pd_app_remove_source(pd_app *app, int id);

/* A one-shot timer: fn(app, ud) runs from the loop (never from a signal handler) about ms
 * milliseconds from now. Returns its id (> 0) for pd_app_cancel_timer. Timers still pending
 * when the app ends are dropped without running. */
typedef void (*pd_timer_fn)(pd_app *app, void *ud);
int pd_app_add_timer(pd_app *app, int ms, pd_timer_fn fn, void *ud);
/* Cancels a timer that has not run yet (an unknown or finished id is ignored). */
void pd_app_cancel_timer(pd_app *app, int id);

/* Called once before the app ends: signo 0 on a normal quit, SIGHUP/SIGTERM when killed
 * (the terminal may be gone: do not draw; write drafts to disk). Hooks run in the loop (not in
 * the signal handler), newest first. Returns an id for pd_app_remove_exit_hook. */
typedef void (*pd_exit_fn)(pd_app *app, void *ud, int signo);
int pd_app_add_exit_hook(pd_app *app, pd_exit_fn fn, void *ud);
void pd_app_remove_exit_hook(pd_app *app, int id);
/* Asks the loop to end after this pass (exit hooks run with signo 0). */
void pd_app_quit(pd_app *app);
/* Milliseconds on a monotonic clock (for delays such as a preview's). */
long pd_app_now_ms(void);

/* Leaves curses mode, runs argv[0] with argv (searching PATH) on the terminal, waits, and
 * comes back (redrawing everything). Returns the exit status (0..255), or -1 with err set when
 * it could not run (or in scripted mode). */
int pd_app_run_external(pd_app *app, char *const argv[], pd_error *err);

/* ---- start-up ---- */
/* What the program hands the app: the library, where the config is, the pane registry, and
 * what to open first. Nothing here is owned by the app. */
typedef struct pd_app_setup {
    pd_store *store;
    const char *config_path;          /* NULL: $XDG_CONFIG_HOME/promptdeck/config */
    const char *theme;                /* --theme NAME|PATH; NULL: the config's, else default */
    bool no_mouse;                    /* --no-mouse (the config's mouse = false does the same) */
    const pd_pane_info *panes;        /* the registry: every pane the app can show */
    size_t n_panes;
    /* scripted mode (tests): the key script, the screen size and where :dump writes;
     * script NULL: the real terminal. */
    const char *script;
    int cols, rows;
    const char *dump_dir;
    void (*open_first)(pd_app *app);  /* opens the first pane (the main screen). Required. */
    /* Runs once the first screen is on the terminal (e.g. offers to restore drafts). May be NULL. */
    void (*first_paint)(pd_app *app, void *ud);
    void *ud;
} pd_app_setup;
/* Runs the app: loads the config (its problems show in the status bar), checks its [keys]
 * against the registry, starts the screen, opens the first pane and runs the loop until quit.
 * Returns the signal that ended it (0 on a quit), or -1 with err set when the screen could not
 * start or the script failed. */
int pd_app_main(const pd_app_setup *setup, pd_error *err);

#endif
