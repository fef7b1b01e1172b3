/* runpanes.h: (internal to the run panes: view_vars.c, view_run.c, view_compare.c,
 * view_history.c) how they open each other. The public entry points are in runpanes.h. */
#ifndef PD_MODULE_runpanes
#error "runpanes/runpanes_priv.h is private to the runpanes module: include runpanes/runpanes.h"
#endif
#ifndef PD_RUNPANES_PRIV_H
#define PD_RUNPANES_PRIV_H

#include "core/core.h"
#include "answer_priv.h"

/* The run pane: starts req (copied) at once, on the right of from (NULL: full screen). */
void pd_open_run(pd_app *app, pd_view *from, const pd_runpane_request *req);
/* The run pane showing a stored run; r runs it again with the same variables and settings. */
void pd_open_run_record(pd_app *app, pd_view *from, const pd_run_record *rec);
/* Two runs side by side, both streaming at once (requests copied). */
void pd_open_compare_runs(pd_app *app, pd_view *from, const pd_runpane_request *a, const pd_runpane_request *b);
/* The request of the answer's last turn on req (pd_answer_request_text) in a pane of its own,
 * full screen; an error is said on the status row. */
void pd_open_request_of(pd_app *app, pd_view *from, pd_answer *a, const pd_runpane_request *req);
/* The same for a stored run. */
void pd_open_request_record(pd_app *app, pd_view *from, const pd_run_record *rec);
/* A run request that re-runs a stored record (its variables and settings). */
void pd_runpane_request_from_record(pd_runpane_request *out, const pd_run_record *rec);

/* Shared by the run and compare panes: the lines shown follow the tail unless scrolled up. */
void pd_runpane_follow(pd_view *v, size_t n, size_t first_changed);
/* After a resize re-wrapped the pane to n lines: a pane that showed the end still does.
 * *last_height is the pane's height before (updated). */
void pd_runpane_resized(pd_view *v, int *last_height, size_t n);

#endif
