/* store.h: the prompt library on disk: listing, versioning rules, labels, partials, runs, locks.
 *
 *   store.h           this interface
 *   store_priv.h      what the store's files share with each other (not part of the api)
 *   author.c          who a new version is by ($PROMPTDECK_AUTHOR, git's user.name, $USER) and when
 *   examples.c        the example prompts and partial a new default library starts with
 *   fsutil.c          the file operations the library relies on: atomic writes, appends, whole-file reads
 *   store.c           opening the library, and reading prompts and versions in either layout
 *   store_cache.c     the listing's memory of the last walk
 *   store_events.c    a prompt's events.jsonl: label moves and metadata changes
 *   store_files.c     the library's JSON files: versioned writes and reads, version file names (both formats)
 *   store_git.c       running git for sync: argv (no shell), `git -C DIR`, the C locale, no prompts
 *   store_import.c    import and export of "promptdeck-export" documents
 *   store_inotify.c   following the library with Linux inotify: a watch on prompts/ and on every folder under it
 *   store_list.c      listing the library's prompts
 *   store_migrate.c   upgrading a format 1 library to format 2 in place
 *   store_news.c      what the last sync brought from the upstream, kept outside the library until the next sync
 *   store_partials.c  partials (named snippets used as {{> name}}) under DIR/partials/<name>/
 *   store_runs.c      run records under $XDG_STATE_HOME/promptdeck/runs/<library key>/<slug>/<run id>.json
 *   store_settle.c    making version numbers unique again after git brought two clones' versions together
 *   store_sync.c      `promptdeck sync`: the library's changes committed (its files only)
 *   store_sync_rescue.c  a sync killed part-way cleaned up as the library opens, or by the next sync
 *   store_trash.c     changes of several files made whole or absent: staging and trash in DIR/.trash
 *   store_watch.c     what views that follow the library ask: a cheap signature of its state on disk
 *   store_write.c     changing the library under its lock: create, update (the versioning rules), delete
 */
#ifndef PD_STORE_H
#define PD_STORE_H

#include <stdbool.h>

#include "base/base.h"
#include "model/model.h"

/* On disk, format 2 (pretty JSON, stable key order; made for git: no file is changed by every
 * save, so two clones that saved merge without conflicts):
 *   DIR/library.json                     {"format": "promptdeck-library", "format_version": 2}
 *   DIR/prompts/<slug>/prompt.json       {"format_version", "id"}: never changes, and is the
 *                                        same on every clone that creates the slug, so git
 *                                        merges two creations of one slug (their versions
 *                                        then share v0001 until a sync or fix); created_at
 *                                        is the first version's (kept when a file holds it)
 *                                        (slug segments are directories)
 *   DIR/prompts/<slug>/v0007-<id>.json   one immutable file per version; the number is in the
 *                                        name only (a sync renames a version not yet pushed)
 *   DIR/prompts/<slug>/events.jsonl      append-only: label moves and name/description/tags
 *                                        changes, one JSON object a line; the greatest (at, id)
 *                                        per label or field wins, on every clone alike
 *   DIR/partials/<name>/partial.json, v0001-<id>.json ...
 *   DIR/.gitattributes                   "*.jsonl merge=union": git merges two appends
 *   DIR/.gitignore, DIR/.lock            flock()ed while writing
 *   DIR/.trash/<entry>/                  a change of several files in progress (a new prompt
 *                                        built, a deleted one moved out, a journal): renamed
 *                                        into place or finished by the next writer; git-ignored
 *                                        by its own .gitignore, never read as a prompt
 * Derived, never stored: current_version (the highest number), updated_at, labels, metadata.
 * Outside the library (per user, keyed by the library's real path, mode 600):
 *   $XDG_STATE_HOME/promptdeck/runs/<key>/<slug>/<run id>.json
 *   $XDG_CACHE_HOME/promptdeck/<key>/list-cache
 * Format 1 (v0001.json files, prompt.json holding everything) is read, and upgraded in place on
 * the first write or by pd_store_migrate.
 * Every write: temporary file, fsync, rename, fsync of the directory. */
typedef struct pd_store pd_store;

/* Opens the library at dir. When dir does not exist and create is true, creates it, and with
 * examples true fills it with a few example prompts. Caller closes. */
int pd_store_open(const char *dir, bool create, bool examples, pd_store **out, pd_error *err);
void pd_store_close(pd_store *s);
const char *pd_store_dir(const pd_store *s);
/* The library's format_version (1 until upgraded, 2). */
int pd_store_format(const pd_store *s);
/* Where the store says things a user should know that are not errors ("upgraded the library
 * to format 2"). Without one they are not said. */
typedef void (*pd_store_notice_fn)(void *ud, const char *message);
void pd_store_set_notice(pd_store *s, pd_store_notice_fn fn, void *ud);
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
/* pd_store_list for a first screen: when the listing cache holds, only what decides the order
 * (every folder) and the first n_first prompts by slug are checked against the files, the others
 * are as the last listing saw them. 1 when some were not checked: then pd_store_list soon after
 * gives the checked listing; 0 when all were (as pd_store_list). */
int pd_store_list_first(pd_store *s, size_t n_first, pd_prompt_list *out, pd_error *err);
/* A number that changes whenever the library's prompts change on disk, from this process or
 * any other (the command line, a teammate's git pull): a prompt added, removed or renamed, a
 * version added or renumbered, a label moved, metadata changed. Cheap enough to poll every
 * second: on Linux the first call watches prompts/ and every folder under it with inotify
 * (one descriptor, a watch a folder, until pd_store_close), and later calls only read what
 * inotify queued (nothing: the same number). Without inotify (another system, out of watches:
 * fs.inotify.max_user_watches; or PROMPTDECK_WATCH=poll in the environment: a library on a
 * network file system, whose other machines' changes inotify does not hear of; tests)
 * each call stats every folder, its prompt.json and events.jsonl, and lists again only the
 * folders whose stats changed; it reads no file. The number is this handle's: two handles on
 * one library may give different numbers for the same state. 0 when the library cannot be
 * read. */
uint64_t pd_store_signature(pd_store *s);
/* The ids of slug's versions its git upstream does not have yet (saved here, not pushed: a
 * sync may still renumber them). NOT_FOUND when the library is not in git or its branch has no
 * upstream (nothing to tell). Runs one git command. Caller frees each id and the array. */
int pd_store_unpushed(pd_store *s, const char *slug, char ***ids, size_t *n, pd_error *err);
/* One prompt's metadata. NOT_FOUND when absent, DAMAGED when unreadable. Caller frees. */
int pd_store_get_prompt(pd_store *s, const char *slug, pd_prompt **out, pd_error *err);
/* One version; number 0 means current. A number two versions share (a git merge without sync)
 * is a CONFLICT saying to run sync or fix. Caller frees. */
int pd_store_get_version(pd_store *s, const char *slug, int number, pd_version **out, pd_error *err);
/* The version label is on ("latest": the current one), found by the version's id: a label is
 * never ambiguous, even where two versions share a number. NOT_FOUND without the label. */
int pd_store_get_label_version(pd_store *s, const char *slug, const char *label, pd_version **out, pd_error *err);
/* The current version of p as a listing gave it (its number and id), read from that file
 * alone, without loading the prompt again: for going over every prompt's text (a search).
 * NOT_FOUND or DAMAGED when the listing is out of date (pd_store_get_version then). Caller frees. */
int pd_store_get_listed_version(pd_store *s, const pd_prompt *p, pd_version **out, pd_error *err);
/* One version by its id, or by an unambiguous prefix of 6 or more characters. Caller frees. */
int pd_store_get_version_id(pd_store *s, const char *slug, const char *id, pd_version **out, pd_error *err);
/* All versions, oldest first (by number; a shared number: by id, the later ones with duplicate
 * set). Damaged version files are left out: then 1 with *out the healthy ones and ERR (DAMAGED)
 * naming the first damaged file:line and how many more there are; -1 only when the prompt
 * itself does not load. Caller frees each and the array (also when 1). */
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
    const char *base_id;     /* when set: CONFLICT if the current version's id is no longer this
                                (survives a renumbering by sync, unlike base_version) */
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
/* A label move made from what a user saw: refused with CONFLICT when the label moved since. */
typedef struct pd_label_move {
    const char *label;
    int version;             /* where to: a number (0 with version_id NULL: remove the label) */
    const char *version_id;  /* or the version's id (wins over version) */
    bool check_base;         /* refuse unless the label is still where the caller saw it: */
    const char *base_id;     /*   on the version with this id, or not set when NULL */
} pd_label_move;
int pd_store_move_label(pd_store *s, const char *slug, const pd_label_move *m, pd_error *err);

/* What the last sync brought from the upstream, per prompt, kept outside the library
 * ($XDG_STATE_HOME/promptdeck/sync/<key>/last-sync.json, mode 600) until the next sync: the
 * views mark it without running git. */
typedef struct pd_sync_news_prompt {
    char *slug;
    bool created;            /* the prompt came in whole */
    char **versions;         /* ids of the versions that came in */
    size_t n_versions;
    char **labels;           /* labels whose moves came in */
    size_t n_labels;
    char **fields;           /* metadata that changed: "name", "description", "tags" */
    size_t n_fields;
} pd_sync_news_prompt;
typedef struct pd_sync_news {
    char *at;                      /* when that sync ran (RFC 3339); NULL: none recorded */
    pd_sync_news_prompt *prompts;  /* the prompts it brought changes to */
    size_t n;
    char **upstream;               /* prompts the upstream changed that it could not pull */
    size_t n_upstream;
} pd_sync_news;
void pd_sync_news_free(pd_sync_news *n);
/* Reads what the last sync recorded (nothing when no sync ran). Caller frees with
 * pd_sync_news_free. */
int pd_store_last_sync(pd_store *s, pd_sync_news *out, pd_error *err);
/* A number that changes when a sync records its news (stats one file): for views that follow
 * the library (a `sync --check` run from a terminal). */
uint64_t pd_store_last_sync_signature(const pd_store *s);
/* The prompt's news, or NULL when the last sync brought it nothing. */
const pd_sync_news_prompt *pd_sync_news_find(const pd_sync_news *n, const char *slug);
/* true when the version with id came in with the last sync. */
bool pd_sync_news_has_version(const pd_sync_news *n, const char *slug, const char *id);
/* true when the upstream has changes to slug that are not pulled yet. */
bool pd_sync_news_upstream(const pd_sync_news *n, const char *slug);
/* {"synced_at", "prompts": [{"slug", "created", "versions": [ids], "labels", "fields"}],
 * "upstream": [slugs]}. New reference. */
json_t *pd_sync_news_to_json(const pd_sync_news *n);

/* What a migrate, fix or sync did, a line each, for the user ("your v5 of team/greet is now
  * v6"). pd_store_report_free frees them. */
typedef struct pd_store_report {
    char **notes;            /* one line each */
    size_t n;
    int renumbered;          /* versions that got another number */
    int lost_moves;          /* label moves or metadata changes of this clone that lost */
    int committed;           /* 1 when a commit was made (sync) */
    bool pulled, pushed;     /* sync: the upstream brought commits; this clone's were pushed */
    pd_sync_news news;       /* sync: what came in (also recorded for pd_store_last_sync) */
} pd_store_report;
void pd_store_report_free(pd_store_report *r);
/* Upgrades a format 1 library in place (prompt by prompt, crash-safe: each prompt's new files
 * first, its prompt.json last, library.json at the end). Nothing to do for format 2. */
int pd_store_migrate(pd_store *s, pd_store_report *r, pd_error *err);
/* Renumbers versions that share a number (after a git merge that did not go through sync):
 * the older id keeps the number, the others follow the highest one; and settles the files of
 * other modules git left in conflict (pd_store_set_settle). Nothing else changes. */
int pd_store_fix(pd_store *s, pd_store_report *r, pd_error *err);

/* Synchronizes the library with its git upstream: commits its pending changes (files under
 * the library only), fetches and merges the upstream, settles (versions not yet pushed get
 * numbers after the upstream's; label moves that lost are reported), commits that, pushes.
 * The library may be a git work tree or any folder inside one. Without an upstream: commits
 * only. A failure leaves the library loadable and loses nothing (a merge git cannot settle is
 * aborted, naming the files). progress (may be NULL) is told each step. */
typedef struct pd_sync_opts {
    bool no_push;
    bool check;              /* only fetch, and record which prompts the upstream changed that
                                are not pulled yet (news.upstream); nothing committed, merged or
                                pushed; what the last sync brought stays marked */
    bool no_terminal;        /* git runs without the terminal (nothing may ask for a password) */
    void (*progress)(void *ud, const char *step);
    void *ud;
} pd_sync_opts;
int pd_store_sync(pd_store *s, const pd_sync_opts *o, pd_store_report *r, pd_error *err);
/* What a sync killed part-way left (git's lock files, a merge part-way through the library's
 * files: some half-written, some empty) cleaned up, as pd_store_sync does at its start, so that
 * the library reads as before that sync. Call it after opening the library (and setting the
 * notice, which says what was done). Only a few stats unless the repository holds the mark of
 * a sync whose process is gone; what cannot be locked or written is left as it is (read as it
 * is). 1 when something was cleaned up, else 0. */
int pd_store_recover(pd_store *s);

/* Import a promptdeck-export document (see shared/data): keeps version numbers, dates, authors;
 * versions already present (same number, same content) are skipped; a different content under
 * an existing number is a CONFLICT for that prompt. The same for the partials the document
 * holds ("partials": [{"name", "versions": [{"version", "content", "commit_message",
 * "created_at"}...]}...]). counts may be NULL. */
typedef struct pd_import_counts {
    int prompts_created, versions_added, versions_skipped;
    int partial_versions_added;
} pd_import_counts;
int pd_store_import_json(pd_store *s, json_t *doc, pd_import_counts *counts, pd_error *err);
/* What an export holds. */
typedef struct pd_export_opts {
    const char *const *slugs;    /* these prompts; none: all */
    size_t n_slugs;
    bool select_partials;        /* only the partials named here (those the prompts use), not all; */
    const char *const *partials; /* one that is not in the library is skipped (it renders empty) */
    size_t n_partials;
} pd_export_opts;
/* A promptdeck-export document (new reference in *out) of the prompts and partials o asks for,
 * each with all its versions ("partials" member only when there are some). A prompt or partial
 * that does not read whole is left out, the rest exported: then 1, each left out said as a line
 * of *left (prompt "p" left out: FILE:LINE: what; caller frees with pd_store_report_free).
 * A slug asked for that is not there: -1 with err, nothing exported. */
int pd_store_export(pd_store *s, const pd_export_opts *o, json_t **out, pd_store_report *left, pd_error *err);
/* pd_store_export of the slugs (all when n == 0) and every partial, with ERR naming the first
 * left out (file:line) and how many more when it returns 1. */
int pd_store_export_json(pd_store *s, const char *const *slugs, size_t n, json_t **out, pd_error *err);

/* Partials. version 0 = latest. put creates a new version when content differs. A number two
 * versions share is a CONFLICT, as for prompts. */
int pd_store_put_partial(pd_store *s, const char *name, const char *content, const char *commit_message,
                         int *new_version, pd_error *err);
int pd_store_get_partial(pd_store *s, const char *name, int version, pd_partial **out, pd_error *err);
/* Names of all partials, sorted. Caller frees each and the array. */
int pd_store_list_partials(pd_store *s, char ***names, size_t *n, pd_error *err);

/* Run records (outside the library: see above). save fills r->id when NULL. list gives the
 * prompt's runs, newest first. */
int pd_store_save_run(pd_store *s, pd_run_record *r, pd_error *err);
int pd_store_list_runs(pd_store *s, const char *slug, pd_run_record ***out, size_t *n, pd_error *err);
int pd_store_get_run(pd_store *s, const char *slug, const char *run_id, pd_run_record **out, pd_error *err);

/* A new id for a record kept outside the library (a run, an evaluation):
 * "20261121T072930123Z-a1b2c3", UTC time with milliseconds, then randomness; sorts by time.
 * Caller frees. */
char *pd_store_new_record_id(void);
/* true when id could be a record id (1..64 of [A-Za-z0-9_-]): safe as a file name under the
 * state folder, so an id from the command line never walks out of it. */
bool pd_store_record_id_valid(const char *id);
/* Where other modules keep files of their own for this library outside it (like run records):
 * $XDG_STATE_HOME/promptdeck/<sub>/<key> (sub "evals" ...). Caller frees. */
char *pd_store_state_path(const pd_store *s, const char *sub);

/* The library's lock, for other modules' files in it (the eval module's tests.json): held,
 * no other process writes the library. Not taken twice by one process. */
int pd_store_lock(pd_store *s, int *fd, pd_error *err);
void pd_store_unlock(int fd);
/* How files other modules keep in a prompt's folder (tests.json) are settled when git left
 * conflict markers in them: fn rewrites the file at path merged when it is one it knows and it
 * holds a conflict (1), else leaves it (0), or fails (-1, err set). sync calls it for the files
 * a merge of the upstream left in conflict, then finishes the merge; fix for every such file.
 * Called with the lock held. Without one, such a conflict stops sync as any other does. */
typedef int (*pd_store_settle_fn)(void *ud, const char *path, pd_error *err);
void pd_store_set_settle(pd_store *s, pd_store_settle_fn fn, void *ud);

/* Low-level helpers other modules use for their own files (drafts, config). */
/* Writes data atomically: temp file in the same directory, fsync, rename, fsync dir; mode e.g. 0644. */
int pd_write_file_atomic(const char *path, const char *data, size_t len, int mode, pd_error *err);
/* Reads a whole file. Caller frees. NOT_FOUND when it does not exist. */
int pd_read_file(const char *path, char **data, size_t *len, pd_error *err);
/* pd_read_file for a file inside the library (another module's, e.g. a prompt's tests.json): a
 * symbolic link, FIFO, device or socket planted there is refused with "PATH: not a regular file
 * (a FIFO)" (PD_ERR_DAMAGED) without following or blocking. *DATA is the caller's. */
int pd_store_read_library_file(const char *path, char **data, size_t *len, pd_error *err);
/* mkdir -p. */
int pd_mkdirs(const char *path, int mode, pd_error *err);

#endif
