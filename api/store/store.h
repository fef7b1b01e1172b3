/* store.h: the prompt library on disk: listing, versioning rules, labels, partials, runs, locks. */
#ifndef PD_STORE_H
#define PD_STORE_H

#include <stdbool.h>

#include "base/base.h"
#include "model/model.h"

/* On disk (pretty JSON, stable key order, reads well in git):
 *   DIR/library.json                     {"format": "promptdeck-library", "format_version": 1}
 *   DIR/prompts/<slug>/prompt.json       pd_prompt (slug segments are directories)
 *   DIR/prompts/<slug>/v0001.json ...    one immutable file per version
 *   DIR/partials/<name>/partial.json, v0001.json ...
 *   DIR/runs/<slug>/<run id>.json
 *   DIR/.lock                            flock()ed while creating versions
 * Every write: temporary file, fsync, rename, fsync of the directory. */
typedef struct pd_store pd_store;

/* Opens the library at dir. When dir does not exist and create is true, creates it, and with
 * examples true fills it with a few example prompts. Caller closes. */
int pd_store_open(const char *dir, bool create, bool examples, pd_store **out, pd_error *err);
void pd_store_close(pd_store *s);
const char *pd_store_dir(const pd_store *s);
/* The default library directory: $PROMPTDECK_LIBRARY, else $XDG_DATA_HOME/promptdeck/library,
 * else ~/.local/share/promptdeck/library. Caller frees. */
char *pd_store_default_dir(void);

typedef struct pd_prompt_list {
    pd_prompt **items;   /* sorted by slug; damaged prompts included with damaged=true */
    size_t n;
} pd_prompt_list;
void pd_prompt_list_free(pd_prompt_list *l);

/* Lists every prompt's metadata (reads prompt.json files only, not versions). */
int pd_store_list(pd_store *s, pd_prompt_list *out, pd_error *err);
/* One prompt's metadata. NOT_FOUND when absent, DAMAGED when unreadable. Caller frees. */
int pd_store_get_prompt(pd_store *s, const char *slug, pd_prompt **out, pd_error *err);
/* One version; number 0 means current. Caller frees. */
int pd_store_get_version(pd_store *s, const char *slug, int number, pd_version **out, pd_error *err);
/* All versions, oldest first. A damaged version file fails with DAMAGED naming file:line.
 * Caller frees each and the array. */
int pd_store_list_versions(pd_store *s, const char *slug, pd_version ***out, size_t *n, pd_error *err);

/* Creates a prompt with its first version (v->number is ignored: it becomes 1; created_at and
 * author filled when NULL). p supplies slug, name, description, tags; id and dates are made.
 * CONFLICT when the slug exists. */
int pd_store_create(pd_store *s, const pd_prompt *p, const pd_version *v, pd_error *err);

/* What an update changes. NULL fields are left as they are. */
typedef struct pd_update {
    const char *name;
    const char *description;
    char **tags;             /* replaces the tags when set_tags */
    size_t n_tags;
    bool set_tags;
    const pd_version *content;   /* full new content (messages + settings + commit message,
                                    author), or NULL for a metadata-only update */
    int base_version;        /* when > 0: CONFLICT if the current version is no longer this */
} pd_update;

typedef struct pd_update_result {
    int new_version;         /* the version created, or 0 when none */
    bool metadata_changed;
    bool content_unchanged;  /* content given but equal to the current version: nothing created */
} pd_update_result;

/* Applies the versioning rules: content different from the current version creates N+1 (under
 * the library lock, so numbers never repeat or skip); metadata alone creates no version. */
int pd_store_update(pd_store *s, const char *slug, const pd_update *u, pd_update_result *res, pd_error *err);
/* Renames a prompt (moves its directory) keeping id and versions. CONFLICT if `to` exists. */
int pd_store_rename(pd_store *s, const char *from, const char *to, pd_error *err);
/* Deletes a prompt and all its versions (and its runs). */
int pd_store_delete(pd_store *s, const char *slug, pd_error *err);
/* Moves label to version (taking it off any other version). NOT_FOUND if the version is absent. */
int pd_store_set_label(pd_store *s, const char *slug, const char *label, int version, pd_error *err);
int pd_store_remove_label(pd_store *s, const char *slug, const char *label, pd_error *err);

/* Import a promptdeck-export document (see shared/data): keeps version numbers, dates, authors;
 * versions already present (same number, same content) are skipped; a different content under
 * an existing number is a CONFLICT for that prompt. counts may be NULL. */
typedef struct pd_import_counts { int prompts_created, versions_added, versions_skipped; } pd_import_counts;
int pd_store_import_json(pd_store *s, json_t *doc, pd_import_counts *counts, pd_error *err);
/* Export the given slugs (all when n == 0) as a promptdeck-export document. New reference. */
int pd_store_export_json(pd_store *s, const char *const *slugs, size_t n, json_t **out, pd_error *err);

/* Partials. version 0 = latest. put creates a new version when content differs. */
int pd_store_put_partial(pd_store *s, const char *name, const char *content, const char *commit_message,
                         int *new_version, pd_error *err);
int pd_store_get_partial(pd_store *s, const char *name, int version, pd_partial **out, pd_error *err);
/* Names of all partials, sorted. Caller frees each and the array. */
int pd_store_list_partials(pd_store *s, char ***names, size_t *n, pd_error *err);

/* Run records. save fills r->id when NULL. list gives the prompt's runs, newest first. */
int pd_store_save_run(pd_store *s, pd_run_record *r, pd_error *err);
int pd_store_list_runs(pd_store *s, const char *slug, pd_run_record ***out, size_t *n, pd_error *err);
int pd_store_get_run(pd_store *s, const char *slug, const char *run_id, pd_run_record **out, pd_error *err);

/* Low-level helpers other modules use for their own files (drafts, config). */
/* Writes data atomically: temp file in the same directory, fsync, rename, fsync dir; mode e.g. 0644. */
int pd_write_file_atomic(const char *path, const char *data, size_t len, int mode, pd_error *err);
/* Reads a whole file. Caller frees. NOT_FOUND when it does not exist. */
int pd_read_file(const char *path, char **data, size_t *len, pd_error *err);
/* mkdir -p. */
int pd_mkdirs(const char *path, int mode, pd_error *err);

#endif
