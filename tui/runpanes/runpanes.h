/* runpanes.h: the run panes: the variables form, the run pane (a streamed answer), compare and
 * run history.
 *
 *   runpanes.h       this interface
 *   answer_priv.h    (internal to the run panes) one answer on screen: a run started through api/run.h
 *   runpanes_priv.h  (internal to the run panes: view_vars.c, view_run.c, view_compare.c, view_history.c) how
 *   answer.c         one answer on screen (a live run or a stored record) as Markdown lines plus status lines
 *   view_compare.c   two runs side by side (two versions, or one version on two models) with the same
 *   view_history.c   every stored run of a prompt, newest first
 *   view_request.c   the request a run sent (or a stored run would send again), as pd_run_dry builds it
 *   view_run.c       the run pane: one answer streaming in, rendered as Markdown and wrapped to the pane
 *   view_vars.c      the variables form before a run: one field per variable the version uses
 */
#ifndef PD_RUNPANES_H
#define PD_RUNPANES_H

#include "core/core.h"

/* The run panes, for the pane registry (tui/cli/cmd_app.c). */
extern const pd_view_ops pd_vars_pane, pd_run_pane, pd_history_pane, pd_compare_pane, pd_request_pane;

/* The variables form then the run pane for slug at version (0 = current). */
void pd_open_vars(pd_app *app, const char *slug, int version);
/* The run history of slug. */
void pd_open_history(pd_app *app, const char *slug);
/* Runs v1 and v2 with the same variables and shows them side by side. */
void pd_open_compare(pd_app *app, const char *slug, int v1, int v2);

#endif
