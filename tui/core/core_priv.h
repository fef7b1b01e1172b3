/* core_priv.h: (internal to the app core: app.c, view.c, statusline.c, cmdline.c, loop.c,
 * app_main.c ...) the app's state. Panes use core.h only. */
#ifndef PD_MODULE_core
#error "core/core_priv.h is private to the core module: include core/core.h"
#endif
#ifndef PD_APP_PRIV_H
#define PD_APP_PRIV_H

#include <signal.h>

#include "core.h"
#include "base/base.h"

typedef enum { STATUSLINE_NONE, STATUSLINE_CONFIRM, STATUSLINE_INPUT } statusline_kind;

/* The status row's open question or one-line input (statusline.c). */
typedef struct app_statusline {
    statusline_kind kind;
    bool cmdline;           /* the `:` line (history, commands) */
    char *label;
    pd_textbuf *text;       /* the line being edited (with its cursor) while kind is INPUT */
    pd_input_fn done, changed;
    pd_confirm_fn confirm;
    void *ud;
    size_t hist_pos;        /* cmdline history browsing */
    /* Tab completion (cmdcomplete.c): the words offered for the word at comp_from, the one
     * shown (comp_i < n_comp while Tab goes round them) */
    char **comp;
    size_t n_comp, comp_i, comp_from;
    unsigned long comp_gen;  /* the text's generation after the last completion */
} app_statusline;

/* One status line kept for `:messages`. */
typedef struct app_message {
    bool error;
    unsigned repeats;       /* shown again right after itself */
    char *text;
} app_message;

/* How `y` copies out (config `clipboard`). */
typedef enum { CLIPBOARD_AUTO, CLIPBOARD_OSC52, CLIPBOARD_FILE } app_clipboard;

typedef struct app_source {
    int id;
    pd_source s;
    bool dead;
} app_source;

typedef struct app_hook {
    int id;
    pd_exit_fn fn;
    void *ud;
} app_hook;

struct pd_app {
    pd_store *store;
    pd_config config;
    bool config_loaded;
    pd_theme *theme;
    char *theme_name;
    pd_keymap *global_keys;
    const pd_pane_info *panes;   /* the registry (pd_app_setup), not owned */
    size_t n_panes;
    pd_keymap **maps;            /* one per registered pane, built on first use */
    pd_buf warnings;             /* config/theme/key problems, shown once in the status bar */

    /* terminal */
    SCREEN *screen;
    FILE *term_in, *term_out;
    WINDOW *status_win;
    bool scripted;
    bool mouse;
    int rows, cols;
    int cursor_visible;          /* last curs_set value, -1 unknown */

    /* views */
    pd_view **stack;
    size_t n_views, cap_views;
    pd_view *focus;
    pd_view **dead;
    size_t n_dead;
    int split_pct;               /* width of the left pane in percent */
    bool zoomed;                 /* the focused pane of a split takes the whole screen */
    bool layout_dirty;
    int sep_x;                   /* column of the split separator, -1 when none */

    /* status bar */
    pd_buf status;
    bool status_error;
    bool status_dirty;
    char *mode;
    app_statusline statusline;
    char **history;              /* cmdline history, oldest first */
    size_t n_history;
    app_message *messages;       /* the last status lines, oldest first (:messages) */
    size_t n_messages;
    bool keybar;                 /* the bar of the focused pane's main keys is on */
    WINDOW *keybar_win;          /* the row above the status row while it is shown */

    /* search (search.c) */
    char *last_search;           /* the last pattern searched for, in any pane */
    pd_view *search_view;        /* the pane a `/` being typed searches */
    size_t search_cursor, search_offset;   /* where it was when `/` was typed */
    char *search_before;         /* its search before (Esc puts it back) */

    /* copy and paste */
    app_clipboard clipboard;
    pd_buf paste;                /* a bracketed paste being received */

    /* loop */
    app_source *sources;
    size_t n_sources;
    int next_id;
    app_hook *hooks;
    size_t n_hooks;
    struct app_timer **timers;   /* pending one-shot timers (timer.c) */
    size_t n_timers;
    bool quit;
    int quit_signal;
    int sigpipe[2];
    long last_click_ms;
    int last_click_y;

    /* scripted mode */
    char *dump_dir;
};

/* app.c */
/* A new app knowing the panes of the registry (kept, not copied). */
pd_app *pd_app_new(const pd_pane_info *panes, size_t n_panes);
void pd_app_free(pd_app *app);
/* Starts curses (on the terminal, or off-terminal at cols x rows when scripted). */
int pd_app_start_screen(pd_app *app, int cols, int rows, pd_error *err);
void pd_app_stop_screen(pd_app *app);
/* (Re)loads the theme; problems are added to app->warnings. */
void pd_app_load_theme(pd_app *app, const char *name);
/* One key through prompts, the focused view and the generic handling. */
void pd_app_handle_key(pd_app *app, int key);
/* A mouse event at screen (y, x). */
void pd_app_handle_mouse(pd_app *app, pd_mouse_kind kind, int y, int x);
/* Draws what is dirty and updates the terminal once. */
void pd_app_draw(pd_app *app);
/* The terminal changed size. */
void pd_app_resized(pd_app *app, int rows, int cols);
/* Frees views closed during the last handler. */
void pd_app_reap(pd_app *app);
/* The keymap of a registered pane's context (NULL when it has no keys of its own). */
pd_keymap *pd_app_pane_keys(pd_app *app, const pd_view_ops *ops);
/* The keymap for v's context. */
pd_keymap *pd_app_view_keys(pd_app *app, const pd_view *v);
/* Quits, asking first when a view holds unsaved work (ops->unsaved). */
void pd_app_quit_asking(pd_app *app);
/* Runs the exit hooks once. */
void pd_app_run_exit_hooks(pd_app *app, int signo);

/* statusline.c */
bool pd_statusline_key(pd_app *app, int key);
void pd_statusline_draw(pd_app *app);
void pd_statusline_clear(pd_app *app);
/* Cancels an open question or input: its callback gets NULL / false (so it can free its data). */
void pd_statusline_cancel(pd_app *app);

/* cmdline.c */
int pd_cmd_global(pd_app *app, int argc, char **argv);
/* Splits a command line into words (quotes '...' "..." and backslash); caller frees each + array. */
char **pd_cmd_split(const char *line, int *argc);
void pd_cmd_free_argv(char **argv, int argc);

/* loop.c */
int pd_loop_run(pd_app *app);
int pd_loop_script(pd_app *app, const char *script_path, pd_error *err);
/* Writes the screen as text to path. */
int pd_screen_dump(pd_app *app, const char *path, pd_error *err);

/* timer.c */
void pd_timers_free(pd_app *app);

/* view_help.c */
/* The help of the pane ops (its keys as bound now, its notes), then what every pane shares;
 * nothing when ops is the help itself. */
void pd_open_help(pd_app *app, const pd_view_ops *ops);
/* The registered panes, one line each. */
void pd_open_help_panes(pd_app *app);
/* `:messages`: the status lines of the session, newest last, in the help pane. */
void pd_open_messages(pd_app *app);

/* draw.c */
/* What cell (y, x) of win shows: its text (UTF-8 with its combining marks, "" when blank) into
 * text (PD_CELL_MAX bytes), its attributes and color pair; returns the columns it takes. */
#define PD_CELL_MAX (CCHARW_MAX * 4 + 1)
int pd_cell_at(WINDOW *win, int y, int x, char *text, attr_t *attrs, short *pair);

/* view.c */
void pd_view_attach(pd_view *v, int y, int x, int height, int width);
void pd_view_detach(pd_view *v);

/* search.c */
/* `/` in v: asks for the pattern on the status row, finding as it is typed. false when v
 * has no search (no line_text). */
bool pd_search_start(pd_app *app, pd_view *v);
/* n (dir 1) / N (dir -1) in v; false when v has no search. */
bool pd_search_next(pd_app *app, pd_view *v, int dir);
/* Paints the matches of v's search on row `row` (just drawn) in the search style. */
void pd_search_mark_row(pd_view *v, int row);
/* A view is going away: a `/` still being typed for it ends. */
void pd_search_forget(pd_app *app, pd_view *v);

/* clipboard.c */
/* `y` in v: the pane's text (ops->copy, else its lines) copied out; false when v has
 * neither. */
bool pd_copy_view(pd_app *app, pd_view *v);
/* Reads the config's `clipboard` setting into app->clipboard; problems go to warnings. */
void pd_clipboard_config(pd_app *app);
/* base64 of data[0..len) appended to out (RFC 4648, with padding). */
void pd_base64(const unsigned char *data, size_t len, pd_buf *out);

/* paste.c */
/* Bracketed paste on (enter true) or off: the terminal then wraps a paste in ESC[200~ ...
 * ESC[201~. Also off on suspend, external programs and exit. */
void pd_paste_mode(pd_app *app, bool on);
/* The key codes ncurses gives for the start and end of a paste (defined with define_key). */
#define PD_CURSES_PASTE_START (KEY_MAX + 1)
#define PD_CURSES_PASTE_END (KEY_MAX + 2)
/* A paste arrived: to the status row's input, else to the focused pane's ops->paste, else
 * dropped with a message. */
void pd_app_handle_paste(pd_app *app, const char *text, size_t len);

/* keybar.c */
/* true when the key bar takes a row now (on, and the screen is tall enough). */
bool pd_keybar_shown(const pd_app *app);
/* Places (or removes) the bar's window for the current screen size. */
void pd_keybar_layout(pd_app *app);
/* Draws the focused pane's main keys. */
void pd_keybar_draw(pd_app *app);

/* messages.c */
/* Keeps a status line for :messages (the last 200). */
void pd_messages_add(pd_app *app, bool error, const char *text);
void pd_messages_free(pd_app *app);

/* cmdcomplete.c */
/* Tab (dir 1) / S-Tab (-1) in the command line: completes the word before the cursor (a
 * command, a slug, a version number, a pane, a theme ...); several candidates: the longest
 * part they share, then each in turn (the key bar lists them). */
void pd_cmdline_complete(pd_app *app, int dir);
/* Forgets the candidates (the line was edited or closed). */
void pd_cmdline_complete_reset(app_statusline *sl);
/* The app's own commands. */
extern const pd_cmddef pd_global_commands[];

#endif
