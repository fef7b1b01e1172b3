/* panes.h: entry points of the panes other helpers own, called by the core views.
 *
 * Temporary stub definitions live in tui/panes_stub.c (they say "not available yet" in the
 * status bar). When you implement one of these in your own file, DELETE its stub from
 * tui/panes_stub.c in the same commit (the tree must link with exactly one definition). */
#ifndef PD_PANES_H
#define PD_PANES_H

#include "app.h"

/* Editor helper: opens the message editor on slug at version (0 = current) as a full view. */
void pd_editor_open(pd_app *app, const char *slug, int version);
/* Editor helper: called once after the first paint; offers to restore drafts left by a
 * previous session (SIGHUP, crash). */
void pd_editor_check_drafts(pd_app *app);

/* Run-panes helper: the variables form then the run pane for slug at version (0 = current). */
void pd_runpane_open_vars(pd_app *app, const char *slug, int version);
/* Run-panes helper: the run history of slug. */
void pd_history_open(pd_app *app, const char *slug);
/* Run-panes helper: runs v1 and v2 with the same variables and shows them side by side. */
void pd_compare_open(pd_app *app, const char *slug, int v1, int v2);

#endif
