/* panes.h: the browsing panes (prompt list, version timeline, detail, diff) and how to open
 * them; other panes may open these too (the editor shows its review and conflicts with
 * pd_open_diff_versions). */
#ifndef PD_VIEWS_H
#define PD_VIEWS_H

#include "core/core.h"

/* The panes' operations, for the pane registry (tui/cli/cmd_app.c). */
extern const pd_view_ops pd_list_pane, pd_timeline_pane, pd_detail_pane, pd_diff_pane;

/* The prompt list (the main screen). */
void pd_open_list(pd_app *app);
/* The version timeline of slug, on the right of from (NULL: full screen). */
void pd_open_timeline(pd_app *app, pd_view *from, const char *slug);
/* One version's messages, settings, tools, schema and variables (version 0 = current). */
void pd_open_detail(pd_app *app, pd_view *from, const char *slug, int version);
/* Diff of two stored versions of slug (v1 older side, v2 newer side). */
void pd_open_diff(pd_app *app, pd_view *from, const char *slug, int v1, int v2);
/* Diff of two versions held in memory (e.g. saved vs edited): copies them. Titles name the
 * sides ("v3", "your edit"), in the pane's title and in place of each text's "version N" line. */
void pd_open_diff_versions(pd_app *app, pd_view *from, const pd_version *a, const char *a_title,
                           const pd_version *b, const char *b_title);

#endif
