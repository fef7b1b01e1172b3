/* editor.h: the message editor: edit a version's messages, settings and commit message in
 * place, undo any edit, review the diff before saving, keep drafts that survive a dropped
 * connection, hand a message to $VISUAL/$EDITOR, and create a prompt on its first save.
 *
 *   view_editor.c    the pane: keys, messages added/deleted/moved/re-roled, opening (drafts
 *                    offered first), new prompts
 *   editor_layout.c  the page: hint, field, header and text rows; caret moves; drawing
 *   editor_wrap.c    a message's rows wrapped at word boundaries
 *   editor_save.c    Ctrl-S: the review pane, saving (or creating), conflicts
 *   editor_drafts.c  when drafts are written, restored and offered
 *   editdoc.c        the document: messages as text buffers, fields, one undo history
 *   drafts.c         draft files on disk (atomic, mode 600)
 *   extedit.c        the message in a temporary file for $VISUAL/$EDITOR */
#ifndef PD_EDITOR_H
#define PD_EDITOR_H

#include "core/core.h"

/* The editor's panes, for the pane registry (tui/cli/cmd_app.c): the editor, and the review
 * shown before a save (also showing a conflict). */
extern const pd_view_ops pd_editor_pane, pd_review_pane;

/* Opens the message editor on slug at version (0 = current) as a full view. */
void pd_open_editor(pd_app *app, const char *slug, int version);
/* Opens the editor on a prompt that does not exist yet: the default first messages with
 * provider and model set (NULL or "": unset). Nothing is stored until the first save, which
 * creates slug with name as its version 1. */
void pd_open_editor_new(pd_app *app, const char *slug, const char *name, const char *provider, const char *model);
/* Called once after the first paint; offers to restore drafts left by a previous session
 * (SIGHUP, crash). */
void pd_editor_check_drafts(pd_app *app);

#endif
