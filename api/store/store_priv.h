/* store_internal.h: what the store's files share with each other (not part of the api). */
#ifndef PD_MODULE_store
#error "store/store_priv.h is private to the store module: include store/store.h"
#endif
#ifndef PD_STORE_INTERNAL_H
#define PD_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PD_LIBRARY_FORMAT "promptdeck-library"
#define PD_FORMAT_VERSION 1

struct pd_store {
    char *dir;        /* the library directory */
    char *prompts;    /* DIR/prompts */
    char *partials;   /* DIR/partials */
    char *runs;       /* DIR/runs */
    int settle_seconds;    /* listing: files changed this recently are read again (tests lower it) */
    size_t list_loaded;    /* prompt.json files the last listing read (the rest came from the cache) */
};

/* ---- files (fsutil.c) ---- */
/* "a/b" from a and b. Caller frees. */
char *pd_path_join(const char *a, const char *b);
/* printf into a new string. Caller frees. */
char *pd_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* pd_write_file_atomic with less syncing where the order of writes allows it: */
#define STORE_NO_DIR_SYNC 1   /* file fsynced, its directory not (a later write there syncs it) */
#define STORE_NO_SYNC 2       /* nothing fsynced (caches: losing them costs only time) */
int store_write_file(const char *path, const char *data, size_t len, int mode, int flags, pd_error *err);
/* fsyncs a directory so a rename or unlink in it survives a crash. */
int pd_fsync_dir(const char *dir, pd_error *err);
/* Unlinks path; a missing file is fine. */
int pd_unlink(const char *path, pd_error *err);
/* Removes dir and then its parents while they are empty, stopping at (not removing) top. */
void pd_rmdir_empty_up(const char *dir, const char *top);
/* The library lock (flock on DIR/.lock): *fd to pass to store_unlock. */
int store_lock(pd_store *s, int *fd, pd_error *err);
void store_unlock(int fd);

/* ---- JSON files of the library (store_files.c) ---- */
/* Writes {"format_version": 1, ...members of j} pretty and atomically (flags as
 * store_write_file). Steals no reference. */
int store_write_json(const char *path, json_t *j, int flags, pd_error *err);
/* Reads and parses path, checks format_version; *text (caller frees) is kept for line numbers.
 * NOT_FOUND when absent, DAMAGED "PATH:LINE: what" when unreadable. New reference in *out. */
int store_read_json(const char *path, json_t **out, char **text, size_t *len, pd_error *err);
/* "v0001.json" -> 1; 0 when name is not a version file's name. */
int store_version_file_number(const char *name);
/* DIR/v0001.json for number. Caller frees. */
char *store_version_path(const char *dir, int number);
/* What a prompt (or partial) directory holds: prompt.json (or partial.json), version numbers,
 * subdirectories that are slug segments. */
typedef struct store_dir_scan {
    bool has_meta;
    int *versions;      /* sorted ascending */
    size_t n_versions;
    char **subdirs;     /* sorted */
    size_t n_subdirs;
} store_dir_scan;
int store_scan_dir(const char *dir, const char *meta_name, store_dir_scan *out, pd_error *err);
void store_dir_scan_free(store_dir_scan *d);

/* ---- prompts (store.c) ---- */
/* DIR/prompts/<slug>. Caller frees. */
char *store_prompt_dir(const pd_store *s, const char *slug);
/* Loads prompt.json in pdir (already scanned) for slug; never fails: a damaged prompt comes
 * back with damaged set. NULL when there is no prompt.json. */
pd_prompt *store_load_prompt(const char *pdir, const char *slug, const store_dir_scan *scan);
/* Like pd_store_get_prompt but with the directory path given back (caller frees *pdir). */
int store_get_prompt_dir(pd_store *s, const char *slug, pd_prompt **out, char **pdir, pd_error *err);
/* Writes prompt.json for p in pdir. */
int store_write_prompt(const char *pdir, const pd_prompt *p, pd_error *err);
/* Writes a version file (number v->number) in pdir. */
int store_write_version(const char *pdir, const pd_version *v, pd_error *err);
/* Creates a prompt with all its versions (numbers kept) under the lock already held. */
int store_create_locked(pd_store *s, const pd_prompt *p, pd_version *const *versions, size_t n, pd_error *err);

/* Fills author and created_at when NULL (author: $PROMPTDECK_AUTHOR, git user.name, $USER). */
void store_fill_version(pd_version *v);

/* ---- listing with a validated cache (store_list.c, store_cache.c) ---- */
/* What identifies a file's state: a change to it changes one of these. */
typedef struct store_stat_key {
    uint64_t ino;
    int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} store_stat_key;
/* One directory under prompts/ as last seen: its state, and its prompt when it has one. */
typedef struct store_list_rec {
    char *rel;               /* "" for prompts/ itself, "team", "team/summarize" */
    store_stat_key dir;
    bool has_prompt;
    store_stat_key meta;     /* prompt.json */
    pd_prompt *prompt;       /* owned; NULL without prompt.json */
    bool unsettled;          /* changed too recently to trust the times: always looked at again */
} store_list_rec;
void store_list_rec_clear(store_list_rec *r);
/* Reads DIR/.list-cache: records sorted by rel. Any doubt (missing, other format, checksum,
 * other directory) gives 0 records. Caller clears each and frees the array. */
size_t store_cache_load(const pd_store *s, const store_stat_key *root, store_list_rec **out);
/* Writes DIR/.list-cache atomically (a failure only costs speed next time). */
void store_cache_save(const pd_store *s, const store_stat_key *root, const store_list_rec *recs, size_t n);

/* ---- runs (store_runs.c) ---- */
/* Removes the prompt's run records (those of child prompts stay). */
int store_runs_remove(pd_store *s, const char *slug, pd_error *err);
/* Moves the prompt's run records to another slug. */
int store_runs_move(pd_store *s, const char *from, const char *to, pd_error *err);

/* ---- examples (examples.c) ---- */
/* Adds the example prompts and partial that are not there yet. */
int pd_store_add_examples(pd_store *s, pd_error *err);

#endif
