/* runpanes.h: TABLE */
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
