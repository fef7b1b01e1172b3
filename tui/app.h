/* app.h: the terminal app's framework: the view stack and split layout, status bar, prompts,
 * `:` commands, theme, config, library access, and the one event loop (poll over the tty, a
 * signal self-pipe and registered sources such as the libcurl multi).
 *
 * Layout: the screen shows the focused part of the view stack: the top view alone (opened
 * PD_OPEN_FULL), or the top view on the right of the view below it (opened PD_OPEN_SPLIT;
 * the split is movable with < and >, Tab moves the focus between the two). The last screen
 * row is the status bar (messages, errors, prompts, the command line).
 *
 * Nothing here blocks: prompts and confirmations call back when answered. */
#ifndef PD_APP_H
#define PD_APP_H

#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>

#include "buf.h"
#include "config.h"
#include "draw.h"
#include "store.h"
#include "theme.h"
#include "view.h"

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

/* Leaves curses mode, runs argv[0] with argv (searching PATH) on the terminal, waits, and
 * comes back (redrawing everything). Returns the exit status (0..255), or -1 with err set when
 * it could not run (or in scripted mode). */
int pd_app_run_external(pd_app *app, char *const argv[], pd_error *err);

#endif
