/* drafts.h: edits in progress kept on disk so a dropped SSH connection, a SIGTERM or a crash
 * never loses work; the next start offers them back. No ncurses.
 *
 * One file per (library, prompt): $XDG_STATE_HOME/promptdeck/drafts/<8 hex>-<slug>.json, the
 * hex a hash of the library's directory and '/' in the slug written as '+'. Written atomically
 * (temporary file, fsync, rename) with mode 0600 in a 0700 directory. Contents:
 *   {"format": "promptdeck-draft", "format_version": 1, "library": DIR, "slug": SLUG,
 *    "base_version": N, "base_id": ID (the base version's id; drafts written before ids have
 *    none), "saved_at": RFC3339, "cursor": {"item": I, "offset": B},
 *    "version": {version JSON: messages, settings, commit_message},
 *    "new_name": NAME (only for a prompt not created yet: base_version is then 0)} */
#ifndef PD_MODULE_editor
#error "editor/drafts_priv.h is private to the editor module: include editor/editor.h"
#endif
#ifndef PD_DRAFTS_H
#define PD_DRAFTS_H

#include <stddef.h>

#include "base/base.h"
#include "model/model.h"
#include "store/store.h"

typedef struct pd_draft {
    char *library;         /* the library directory it belongs to */
    char *slug;
    int base_version;      /* the version the edit started from, by number when the draft was
                              written (a sync may renumber it since: see pd_draft_find_base) */
    char *base_id;         /* and by id, which never changes; NULL in an older draft */
    pd_version *version;   /* the edit: messages, settings, commit message */
    char *saved_at;        /* RFC 3339; filled by pd_draft_save */
    long cursor_item;      /* where the editor's cursor was (the editor's own numbering) */
    long cursor_offset;
    char *path;            /* the file (filled by pd_draft_save and pd_draft_load) */
    char *new_name;        /* a prompt not created yet (base_version 0): the name it gets; else NULL */
} pd_draft;

/* $XDG_STATE_HOME/promptdeck/drafts. Caller frees. */
char *pd_drafts_dir(void);
/* The draft file of slug in library. Caller frees. */
char *pd_draft_path(const char *library, const char *slug);

/* Writes d (creating the directory, 0700) to its file. Fills d->path and d->saved_at. */
int pd_draft_save(pd_draft *d, pd_error *err);
/* Reads one draft file. DAMAGED (naming the file) when it is not a draft. Caller frees. */
int pd_draft_load(const char *path, pd_draft **out, pd_error *err);
/* The drafts of library, oldest first. Files that cannot be read are skipped and named in
 * *problems ("FILE: what", one per line; NULL when none; caller frees). Caller frees the list
 * with pd_drafts_free. A missing directory gives an empty list. */
int pd_drafts_list(const char *library, pd_draft ***out, size_t *n, char **problems, pd_error *err);
/* Deletes the draft file of slug in library; no error when there is none. */
int pd_draft_remove(const char *library, const char *slug, pd_error *err);

/* The version d's edit started from: by d->base_id when it has one, and d->base_version
 * becomes that version's number now (a sync may have renumbered it); else by number (a draft
 * written before ids). base (may be NULL) gets it (caller frees). NOT_FOUND when it is gone. */
int pd_draft_find_base(pd_draft *d, pd_store *s, pd_version **base, pd_error *err);

/* A new draft holding a copy of v (base_id NULL: the caller sets it). Caller frees. */
pd_draft *pd_draft_new(const char *library, const char *slug, int base_version, const pd_version *v);
void pd_draft_free(pd_draft *d);
void pd_drafts_free(pd_draft **d, size_t n);

#endif
