/* panes.h: the browsing panes (prompt list, version timeline, detail, diff) and how to open
 * them; other panes may open these too (the editor shows its review and conflicts with
 * pd_open_diff_versions).
 *
 *   panes.h          this interface
 *   panes_priv.h     (internal to the browsing panes) what the list and the timeline share
 *   panes_live.c     the views follow the library on disk
 *   panes_meta.c     a prompt's name, description and tags edited in the app
 *   panes_sync.c     `promptdeck sync` in the background from the app
 *   panes_text.c     the short forms the list and the timeline draw in narrow columns: labels
 *   view_detail.c    one version in full: header (date, author, commit, labels)
 *   view_diff.c      two versions compared, side by side with aligned rows and word-level highlights
 *   view_list.c      the main screen: prompts in folders made from their slugs (collapsible), name
 *   view_timeline.c  a prompt's versions, newest first, laid out as tig's main view: number, a short date
 */
#ifndef PD_PANES_H
#define PD_PANES_H

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
