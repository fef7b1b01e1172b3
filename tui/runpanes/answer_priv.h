/* answer_priv.h: (internal to the run panes) one answer on screen: a run started through
 * api/run.h (or a stored run record) rendered as Markdown lines plus its status lines, and the
 * event-loop source that drives the runs of a pane through one pd_http. */
#ifndef PD_MODULE_runpanes
#error "runpanes/answer_priv.h is private to the runpanes module: include runpanes/runpanes.h"
#endif
#ifndef PD_ANSWER_PRIV_H
#define PD_ANSWER_PRIV_H

#include <jansson.h>

#include "core/core.h"
#include "net/net.h"
#include "model/model.h"
#include "run/run.h"

/* ---- the loop source: a pd_http registered with the app's poll() ---- */
typedef struct pd_runloop pd_runloop;
/* after(ud) is called once after every pass in which the network advanced (or the clock
 * ticked while something runs): refresh what is shown there. Caller frees with
 * pd_runloop_free (which removes the source). NULL with err set when curl cannot start. */
pd_runloop *pd_runloop_new(pd_app *app, void (*after)(void *ud), void *ud, pd_error *err);
void pd_runloop_free(pd_runloop *l);
pd_http *pd_runloop_http(pd_runloop *l);
/* How long after a frame that took last_cost_ms to lay out the next one comes (ms): about 30 a
 * second, fewer when laying one out costs more than a fifth of that. */
int pd_runloop_frame_ms(double last_cost_ms);

/* ---- what to run ---- */
typedef struct pd_runpane_request {
    char *slug;
    int version;                 /* the version number */
    json_t *vars;                /* object, owned (a reference) */
    pd_settings overrides;       /* provider/model (and from a record: everything) */
    bool has_overrides;
} pd_runpane_request;
/* Deep copy / free of the members. */
void pd_runpane_request_copy(pd_runpane_request *dst, const pd_runpane_request *src);
void pd_runpane_request_clear(pd_runpane_request *r);

/* ---- one answer ---- */
typedef struct pd_answer pd_answer;

/* An answer for width columns. Caller frees with pd_answer_free. */
pd_answer *pd_answer_new(pd_app *app, int width);
void pd_answer_free(pd_answer *s);
/* Starts req on loop's pd_http; the header line says what runs. On failure the answer shows
 * the error itself (and returns -1 with err set). */
int pd_answer_start(pd_answer *s, pd_runloop *loop, const pd_runpane_request *req, pd_error *err);
/* ---- conversations (a turn that ended well can be continued) ---- */
/* true when the last turn ended well and nothing runs: a follow-up or tool results can be sent. */
bool pd_answer_can_continue(const pd_answer *s);
/* The first tool call of the last turn still without a result ({"id", "name", "arguments"},
 * borrowed), or NULL. */
json_t *pd_answer_pending_call(const pd_answer *s);
/* Gives the pending call its result (shown as a block under it). */
int pd_answer_tool_result(pd_answer *s, const char *text, pd_error *err);
/* Sends the next turn: the whole conversation plus text as the user's message (NULL: none, after
 * tool results), on req's version settings; the record continues the last one. The earlier turns
 * stay above. Fails while a tool call has no result. */
int pd_answer_continue(pd_answer *s, pd_runloop *loop, const pd_runpane_request *req, const char *text,
                       pd_error *err);
/* The record id of the last turn that ended well (NULL: none) and its whole conversation
 * (borrowed, NULL: none). */
const char *pd_answer_run_id(const pd_answer *s);
json_t *pd_answer_conversation(const pd_answer *s);

/* The request the answer's last turn sent (or would send again, for a stored run: its
 * messages as recorded) on req's version and settings: "POST URL", the headers with the key
 * redacted, a blank line, the JSON body indented (pd_run_dry). Caller frees; NULL with err set. */
char *pd_answer_request_text(pd_answer *s, const pd_runpane_request *req, pd_error *err);

/* Shows a stored record (no network); a continued conversation shows its earlier turns, and it
 * can be continued. */
void pd_answer_show_record(pd_answer *s, const pd_run_record *rec);
/* Stops the run at once: the partial answer stays, marked cancelled. */
void pd_answer_cancel(pd_answer *s);
bool pd_answer_running(const pd_answer *s);
/* true once after a run ended (and its record was saved): time to tell the other panes. */
bool pd_answer_take_finished(pd_answer *s);
/* "ok", "error", "cancelled", "running" or "" (not started). */
const char *pd_answer_status(const pd_answer *s);
void pd_answer_set_width(pd_answer *s, int width);
/* Raw mode shows the text exactly as it arrived (control characters made visible), wrapped,
 * instead of the rendered Markdown. */
void pd_answer_set_raw(pd_answer *s, bool raw);
bool pd_answer_raw(const pd_answer *s);
/* Brings the lines up to date. Returns the line count; *first_changed is the first line that
 * may differ from the last call's. */
size_t pd_answer_refresh(pd_answer *s, size_t *first_changed);
size_t pd_answer_count(const pd_answer *s);
/* Draws line `line` (blank past the end) at (row, x) width columns, sanitized, styled. */
void pd_answer_draw(pd_answer *s, WINDOW *win, int row, int x, int width, size_t line);
/* The plain text of line `line` (what pd_answer_draw shows, without styles), built in scratch. */
const char *pd_answer_line_text(pd_answer *s, size_t line, pd_buf *scratch);
/* One line summary for titles ("streaming 2.1 s", "done in 3.2 s", "cancelled"). */
void pd_answer_summary(const pd_answer *s, char *buf, size_t size);
/* The answer text so far. */
const char *pd_answer_text(const pd_answer *s);

#endif
