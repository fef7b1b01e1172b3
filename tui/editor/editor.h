/* editor.h: the message editor: edit a version's messages, settings and commit message in
 * place, undo any edit, review the diff before saving, keep drafts that survive a dropped
 * connection, hand a message to $VISUAL/$EDITOR, and create a prompt on its first save.
 *
 *                    offered first), new prompts
 *
 *   editor.h         this interface
 *   drafts_priv.h    edits in progress kept on disk so a dropped SSH connection
 *   editdoc_priv.h   what the editor edits: a version's messages (each a text buffer with its role)
 *   editor_priv.h    (internal to the editor: view_editor.c, editor_layout.c, editor_save.c, editor_drafts.c)
 *   extedit_priv.h   hands a text to the user's own editor
 *   drafts.c         edits in progress on disk (see drafts.h): JSON through the model codec
 *   editdoc.c        the editor's document (see editdoc.h): messages as text buffers
 *   editor_drafts.c  the editor's drafts: written after a pause in typing
 *   editor_layout.c  the editor's page: rows of fields, message headers and text wrapped at words
 *   editor_save.c    saving from the editor: refuse what cannot be stored, say when there is nothing to save
 *   editor_wrap.c    the editor's rows: a message's lines wrapped at word boundaries, as the detail pane wraps
 *   extedit.c        the $VISUAL/$EDITOR hand-off (see extedit.h): a 0600 temporary file
 *   view_editor.c    the editor pane: edit a version's messages in place
 *   view_merge.c     the merge pane: two versions from one base, conflicts settled side by side, reviewed, saved
 */
#ifndef PD_EDITOR_H
#define PD_EDITOR_H

#include "core/core.h"

/* The editor's panes, for the pane registry (tui/cli/cmd_app.c): the editor, and the review
 * shown before a save (also showing a conflict). */
extern const pd_view_ops pd_editor_pane, pd_review_pane, pd_merge_pane;

/* Opens the message editor on slug at version (0 = current) as a full view. */
void pd_open_editor(pd_app *app, const char *slug, int version);
/* Opens the editor on a prompt that does not exist yet: the default first messages with
 * provider and model set (NULL or "": unset). Nothing is stored until the first save, which
 * creates slug with name as its version 1. */
void pd_open_editor_new(pd_app *app, const char *slug, const char *name, const char *provider, const char *model);
/* Merges version theirs of slug into version ours (0: the current one), from their merge base
 * (pd_merge_find_base): the merge pane shows each conflict side by side to settle, then the
 * editor's review saves the result as a new version on top of the current one, with the commit
 * message "merge vT into vO". A merge without conflicts goes straight to the review. Says in
 * the status line when there is nothing to merge. */
void pd_open_merge(pd_app *app, pd_view *from, const char *slug, int ours, int theirs);
/* Called once after the first paint; offers to restore drafts left by a previous session
 * (SIGHUP, crash). */
void pd_editor_check_drafts(pd_app *app);

#endif
