/* store_priv.h: what the store's files share with each other (not part of the api). */
#ifndef PD_MODULE_store
#error "store/store_priv.h is private to the store module: include store/store.h"
#endif
#ifndef PD_STORE_INTERNAL_H
#define PD_STORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store.h"

#define PD_LIBRARY_FORMAT "promptdeck-library"
#define PD_FORMAT_VERSION 2      /* the layout this promptdeck writes (see store.h) */
#define PD_FORMAT_OLDEST 1       /* the oldest it reads, and upgrades on the first write */
#define PD_EXPORT_VERSION 1      /* promptdeck-export documents: unchanged by format 2 */

typedef struct store_watch store_watch;

struct pd_store {
    char *dir;        /* the library directory */
    char *prompts;    /* DIR/prompts */
    char *partials;   /* DIR/partials */
    char *runs;       /* $XDG_STATE_HOME/promptdeck/runs/<key>: run records, outside the library */
    char *old_runs;   /* DIR/runs: where format 1 kept them */
    char *cache;      /* $XDG_CACHE_HOME/promptdeck/<key>/list-cache */
    int format;       /* library.json's format_version */
    int settle_seconds;    /* listing: files changed this recently are read again (tests lower it) */
    size_t list_loaded;    /* prompt directories the last listing read (the rest came from the cache) */
    pd_store_notice_fn notice;
    void *notice_ud;
    pd_store_settle_fn settle;   /* other modules' files git left in conflict (pd_store_set_settle) */
    void *settle_ud;
    /* A writer of many prompts (import) sets these for the time of its writes: */
    int write_flags;   /* OR'ed into a create's writes: STORE_NO_SYNC, the file system is synced once at the end */
    const char *author;   /* who the changes are by, asked once (else store_author() for each prompt) */
    store_watch *watch;   /* pd_store_signature's following of the library, made by its first call */
    bool watch_polls;     /* follow by walking the folders, never with inotify (tests set it; so
                             does PROMPTDECK_WATCH=poll in the environment) */
    bool upgrade_unreported;   /* upgraded from format 1 by a migrate without a report (on opening) */
};

/* ---- files (fsutil.c) ---- */
/* "a/b" from a and b. Caller frees. */
char *pd_path_join(const char *a, const char *b);
/* printf into a new string. Caller frees. */
char *pd_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *store_vstrf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* pd_write_file_atomic with less syncing where the order of writes allows it: */
#define STORE_NO_DIR_SYNC 1   /* file fsynced, its directory not (a later write there syncs it) */
#define STORE_NO_SYNC 2       /* nothing fsynced (caches: losing them costs only time) */
#define STORE_NEW_FILE 4      /* a new file in a folder no one else sees (a trash entry): written in place */
int store_write_file(const char *path, const char *data, size_t len, int mode, int flags, pd_error *err);
/* The same with what fill(fd, ud) writes (0, or -1 with errno set) as the content. */
int store_write_file_with(const char *path, int (*fill)(int fd, void *ud), void *ud, int mode, int flags,
                          pd_error *err);
/* write(2) until all of data is written: 0, or -1 with errno set. */
int store_write_all(int fd, const char *data, size_t len);
/* pd_read_file for a file of the library: a symbolic link, FIFO, device or socket is refused
 * with "PATH: not a regular file (a FIFO)" (PD_ERR_DAMAGED), without blocking. *DATA is the
 * caller's. */
int store_read_file(const char *path, char **data, size_t *len, pd_error *err);
/* Sets ERR to "PATH: not a regular file (KIND)" (PD_ERR_DAMAGED); returns -1. */
int store_refuse_irregular(const char *path, mode_t mode, pd_error *err);
/* -1 with "DIR: not a directory (a symbolic link)..." (PD_ERR_DAMAGED) when a component of PATH
 * below the library's folder exists and is not a real directory (a planted symbolic link would
 * lead reads and writes outside the library); 0 otherwise, also for paths outside it. */
int store_refuse_links(const pd_store *s, const char *path, pd_error *err);
/* Appends data (whole lines) to path with O_APPEND and fsyncs it; creates it (mode) when absent.
 * When the file does not end in a newline (a torn last line), one is written first. */
int store_append_file(const char *path, const char *data, size_t len, int mode, pd_error *err);
/* fsyncs a directory so a rename or unlink in it survives a crash. */
int pd_fsync_dir(const char *dir, pd_error *err);
/* Unlinks path; a missing file is fine. */
int pd_unlink(const char *path, pd_error *err);
/* rename(2) with an error naming both paths. */
int store_rename(const char *from, const char *to, pd_error *err);
/* Removes dir and then its parents while they are empty, stopping at (not removing) top. */
void pd_rmdir_empty_up(const char *dir, const char *top);
/* The library lock (flock on the library's folder, which nothing deletes while it is held):
 * *fd to pass to store_unlock. Once it is held, what a killed writer left in DIR/.trash is
 * finished (store_trash_sweep). */
int store_lock(pd_store *s, int *fd, pd_error *err);
void store_unlock(int fd);
/* The lock, with a format 1 library upgraded first (store_write.c). */
int store_lock_for_writing(pd_store *s, int *fd, pd_error *err);
/* Tells the store's notice function, when one is set. */
void store_notice(pd_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the last sync's news (store_news.c) ---- */
/* Adds a copy of str to the array unless it holds it already. */
void store_news_add(char ***v, size_t *n, const char *str);
/* The prompt's entry in n, added when absent. */
pd_sync_news_prompt *store_news_prompt(pd_sync_news *n, const char *slug);
/* Records n as the last sync's news (replacing what the sync before recorded). */
int store_news_write(pd_store *s, const pd_sync_news *n, pd_error *err);

/* Writes the library's .gitignore and .gitattributes where missing (store.c). */
int store_write_git_files(pd_store *s, pd_error *err);

/* ---- JSON files of the library (store_files.c) ---- */
/* Writes {"format_version": 2, ...members of j} pretty and atomically (flags as
 * store_write_file). Steals no reference. */
int store_write_json(const char *path, json_t *j, int flags, pd_error *err);
/* The same with the file's mode (0600 for run records). */
int store_write_json_mode(const char *path, json_t *j, int mode, int flags, pd_error *err);
/* Reads and parses path, checks format_version (1 or 2; *format gets it when not NULL); *text
 * (caller frees) is kept for line numbers. NOT_FOUND when absent, DAMAGED "PATH:LINE: what"
 * when unreadable. New reference in *out. */
int store_read_json(const char *path, json_t **out, char **text, size_t *len, int *format, pd_error *err);

/* Version files. Format 1: "v0007.json" (the number inside too). Format 2: "v0007-<id>.json",
 * the number in the name only, so that renumbering is a rename and the content never changes. */
typedef struct store_vfile {
    int number;
    char *id;           /* NULL for a format 1 file */
} store_vfile;
/* Parses a version file name: true for either kind (*id NULL or a new string; caller frees). */
bool store_vfile_name(const char *name, int *number, char **id);
/* DIR/v0007.json (id NULL) or DIR/v0007-<id>.json. Caller frees. */
char *store_version_path(const char *dir, int number, const char *id);
/* What a prompt (or partial) directory holds. */
typedef struct store_dir_scan {
    bool has_meta;        /* prompt.json (or partial.json) */
    bool has_events;      /* events.jsonl */
    store_vfile *files;   /* sorted by (number, id); format 1 files (id NULL) first */
    size_t n_files;
    char **subdirs;       /* sorted: slug segments */
    size_t n_subdirs;
    char **others;        /* other regular files (another module's, like the eval module's
                             tests.json): part of the prompt, carried by a rename, removed
                             by a delete; temporary files of atomic writes left out */
    size_t n_others;
    char **links;         /* symbolic links with slug-segment names: never followed, the
                             listing reports them */
    size_t n_links;
} store_dir_scan;
int store_scan_dir(const char *dir, const char *meta_name, store_dir_scan *out, pd_error *err);
void store_dir_scan_free(store_dir_scan *d);
/* The format 2 versions of a scan, in order (number, id): a view into the scan. */
typedef struct store_vlist {
    const store_vfile **v;
    size_t n;
} store_vlist;
store_vlist store_vlist_of(const store_dir_scan *scan, bool format2);
void store_vlist_free(store_vlist *l);
/* The index in l of the version with this number (-1 none, -2 more than one), or with this id. */
long store_vlist_find(const store_vlist *l, int number);
long store_vlist_find_id(const store_vlist *l, const char *id);

/* ---- events.jsonl: label moves and metadata changes (store_events.c) ---- */
typedef struct store_event {
    char *at;          /* RFC 3339 as written */
    int64_t at_ms;
    char *id;
    char *by;          /* may be NULL */
    char *label;       /* a label move: the label ... */
    char *version;     /* ... and the version id it moved to; NULL: removed */
    char *field;       /* a metadata change: "name", "description" or "tags" ... */
    json_t *value;     /* ... and its new value */
    int line;          /* 1-based line in the file */
} store_event;
typedef struct store_events {
    store_event *v;
    size_t n;
    int64_t newest_ms; /* the greatest at_ms, or INT64_MIN when none */
    const char *newest_at;
} store_events;
/* Reads pdir/events.jsonl (missing: no events). Lines that do not parse are skipped (a torn
 * write, or conflict markers a merge without the union driver left): the others still count. */
int store_events_read(const char *pdir, store_events *out, pd_error *err);
/* The same from text (a version of the file git keeps). */
void store_events_parse(const char *text, size_t len, store_events *out);
void store_events_free(store_events *e);
/* The event that decides a label (label set) or field (field set): the greatest (at, id), so
 * every clone computes the same winner whatever order the lines are in. NULL when none. */
const store_event *store_events_winner(const store_events *e, const char *label, const char *field);
/* true when a decides over b: the later at, or at the same millisecond the greater id. */
bool store_event_later(const store_event *a, const store_event *b);
/* Fills ev->at, at_ms and id for a new event: now, or 1 ms after the event it overrides when
 * the clock says otherwise (a move made after seeing another always wins over it). */
void store_event_stamp(store_event *ev, const store_events *e);
/* One event as its line (compact JSON, fixed key order, trailing newline). Caller frees. */
char *store_event_line(const store_event *ev);
/* Stamps ev and appends it to pdir/events.jsonl (fsynced). */
int store_event_append(const char *pdir, store_event *ev, store_events *e, pd_error *err);
void store_event_clear(store_event *ev);

/* ---- prompts (store.c) ---- */
/* DIR/prompts/<slug>. Caller frees. */
char *store_prompt_dir(const pd_store *s, const char *slug);
/* Loads the prompt in pdir (already scanned) for slug, in the layout its prompt.json's
 * format_version says; never fails: a damaged prompt comes back with damaged set. NULL when
 * there is no prompt.json. *format (may be NULL) gets the layout. */
pd_prompt *store_load_prompt_fmt(const char *pdir, const char *slug, const store_dir_scan *scan, int *format);
/* A prompt listed with only its slug, damaged with this message (a folder that does not read).
 * Caller frees. */
pd_prompt *store_unreadable_prompt(const char *slug, const char *damage);
pd_prompt *store_load_prompt(const char *pdir, const char *slug, const store_dir_scan *scan);
/* A prompt opened for reading its versions or changing it. */
typedef struct store_pview {
    pd_prompt *p;          /* loaded and not damaged */
    char *dir;
    int format;            /* its layout: 1 or 2 */
    store_dir_scan scan;
    store_vlist vl;        /* its versions (of its layout), in order */
} store_pview;
/* NOT_FOUND when absent, DAMAGED when damaged. Close with store_pview_close. */
int store_pview_open(pd_store *s, const char *slug, store_pview *pv, pd_error *err);
void store_pview_close(store_pview *pv);
/* store_pview_open, with a format 1 prompt upgraded first (lock held; store_write.c). */
int store_pview_open_v2(pd_store *s, const char *slug, store_pview *pv, pd_error *err);
/* The version of pv numbered number (0: the current one): its index in pv->vl, or -1 with err
 * (NOT_FOUND, or CONFLICT for a number two versions share). */
long store_pview_pick(const store_pview *pv, int number, pd_error *err);
/* The version with id, or an unambiguous prefix of at least 6 characters: index or -1 with err. */
long store_pview_pick_id(const store_pview *pv, const char *id, pd_error *err);
/* Reads one version file (number and id as in the file name; id NULL for format 1). */
int store_read_version(const char *pdir, int number, const char *id, pd_version **out, pd_error *err);
/* Writes a format 2 version file for v (v->id and v->number set) in pdir, fsynced (flags:
 * STORE_NO_SYNC or 0; its directory is never synced here). */
int store_write_version(const char *pdir, const pd_version *v, int flags, pd_error *err);
/* A format 2 prompt.json: {"format_version": 2, "id", "created_at"} (created_at NULL: left out,
 * then it is the first version's); flags as store_write_file's. */
int store_write_prompt_meta(const char *pdir, const char *id, const char *created_at, int flags, pd_error *err);
/* The id of a prompt created as slug: a hash of the slug alone, so that two clones creating the
 * same slug write the same prompt.json (16 hex digits). Caller frees. */
char *store_prompt_id_of(const char *slug);
/* The events that give a new prompt its name, description, tags and labels (labels by id,
 * versions[] numbered 1..n), at time `at` (RFC 3339). Appended to *text. */
void store_initial_events(pd_buf *text, const pd_prompt *p, pd_version *const *versions, size_t n, const char *at,
                          const char *by, bool derived_ids);
/* The index of the first of names that repeats an earlier one, or -1 (sorted: n log n).
 * compares (NULL or not) counts the comparisons made (store_import.c; tests hold it to n log n). */
long store_first_repeat(const char *const *names, size_t n, size_t *compares);
/* Creates a prompt with all its versions (numbers 1..n kept, ids made) under the lock held. */
int store_create_locked(pd_store *s, const pd_prompt *p, pd_version *const *versions, size_t n, pd_error *err);

/* Fills author and created_at when NULL (author: $PROMPTDECK_AUTHOR, git user.name, $USER). */
void store_fill_version(pd_version *v);
/* Who makes a change now (as a version's author). Caller frees. */
char *store_author(void);

/* ---- format upgrade and settling (store_migrate.c, store_settle.c) ---- */
/* Upgrades the whole library to format 2 when it is older; the lock is held. */
int store_upgrade_locked(pd_store *s, pd_store_report *r, pd_error *err);
/* Upgrades one format 1 prompt directory in place (new files first, prompt.json last). */
int store_migrate_prompt(const char *pdir, const char *slug, pd_error *err);
/* A renumbering: which version of which prompt (or partial) gets which number. */
typedef struct store_renumber {
    char *dir;         /* the prompt's or partial's directory */
    char *name;        /* its slug or name, for messages */
    bool partial;
    bool local;        /* not pushed yet (sync), else one of two shared versions with one number */
    char *id;
    int from, to;
} store_renumber;
/* Which versions are already shared (pushed): they keep their numbers. NULL: all are. */
typedef bool (*store_pushed_fn)(void *ud, const char *dir, const char *id);
/* Works out, for every prompt and partial, the renumbering that makes numbers unique: shared
 * versions keep theirs (a shared number held twice: the older id keeps it), the others follow
 * the highest kept number in their order. slugs: only these prompts (and every partial); NULL:
 * every prompt. */
int store_settle_plan(pd_store *s, const char *const *slugs, size_t n_slugs, store_pushed_fn pushed, void *ud,
                      store_renumber **out, size_t *n, pd_error *err);
/* Applies a plan (renames; lock held) and reports each renumbering in r. */
int store_settle_apply(pd_store *s, const store_renumber *plan, size_t n, pd_store_report *r, pd_error *err);
void store_renumber_free(store_renumber *plan, size_t n);
/* Adds a line to a report. */
void store_report_add(pd_store_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- listing with a validated cache (store_list.c, store_cache.c) ---- */
/* What identifies a file's state: a change to it changes one of these. */
typedef struct store_stat_key {
    uint64_t ino;
    int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} store_stat_key;
/* One directory under prompts/ as last seen: its state, and its prompt when it has one. */
typedef struct store_list_rec {
    char *rel;               /* "" for prompts/ itself, "team", "team/summarize" */
    store_stat_key dir;      /* the directory: version files added or renamed change it */
    bool has_prompt;
    store_stat_key meta;     /* prompt.json */
    store_stat_key events;   /* events.jsonl (all zero when absent) */
    pd_prompt *prompt;       /* owned; NULL without prompt.json */
    bool unsettled;          /* changed too recently to trust the times: always looked at again */
} store_list_rec;
void store_list_rec_clear(store_list_rec *r);
/* Calls fn for every prompt directory (one with prompt.json) under prompts/, in slug order;
 * stops at the first failure. */
typedef int (*store_prompt_fn)(pd_store *s, const char *slug, const char *pdir, void *ud, pd_error *err);
int store_prompts_each(pd_store *s, store_prompt_fn fn, void *ud, pd_error *err);
/* Reads the listing cache: records sorted by rel. Any doubt (missing, other format, checksum,
 * other directory) gives 0 records. Caller clears each and frees the array. */
size_t store_cache_load(const pd_store *s, const store_stat_key *root, store_list_rec **out);
/* Writes the listing cache atomically (a failure only costs speed next time). */
void store_cache_save(const pd_store *s, const store_stat_key *root, const store_list_rec *recs, size_t n);

/* ---- runs (store_runs.c) ---- */
/* Removes the prompt's run records (those of child prompts stay). */
int store_runs_remove(pd_store *s, const char *slug, pd_error *err);
/* Moves the prompt's run records to another slug. */
int store_runs_move(pd_store *s, const char *from, const char *to, pd_error *err);
/* Moves format 1 run records (DIR/runs) to the state directory. */
int store_runs_migrate(pd_store *s, pd_error *err);

/* ---- changes of several files made whole or absent (store_trash.c) ---- */
/* A new entry DIR/.trash/<unique> (DIR/.trash made git-ignored first), with a journal file
 * holding `journal` (NULL: none) when given: lines "clear KIND NAME" (the folder of prompt or
 * partial NAME keeps none of its own files unless its meta file is there), "drop-if KIND
 * NEW OLD" (when both are whole, OLD goes) and "unwrite prompt SLUG NUMBER ID SIZE" (that
 * version file goes unless events.jsonl grew past SIZE bytes). The caller holds the lock; NULL
 * with err set.
 * Caller passes it to store_trash_remove or store_trash_undo, which free it. */
char *store_trash_new(pd_store *s, const char *journal, pd_error *err);
/* The change succeeded: removes the entry and all it holds (links are not followed). */
void store_trash_remove(char *entry);
/* Renames the folder built in staging (an entry) to dir, its parents made first, durably: what
 * is there is whole or not there at all. On failure it is back in staging and the parents it
 * made, up to top, are gone. flags STORE_NO_SYNC: not synced (the caller syncs it all later). */
int store_trash_place(const char *staging, const char *dir, const char *top, int flags, pd_error *err);
/* The change failed (or a journal finishes it): does what its journal says, then removes the
 * entry (kept for the next writer when a step could not be done). */
void store_trash_undo(pd_store *s, char *entry);
/* Under the lock, before a change: finishes every change a killed writer left (its journal),
 * removes every entry. */
void store_trash_sweep(pd_store *s);
/* Version files (either layout), events.jsonl and the other files (tests.json and the like) of
 * the scanned folder dir, not its meta file: what a killed change left without it. */
void store_remove_leftovers(const char *dir, const store_dir_scan *scan);

/* ---- partials (store_partials.c) ---- */
/* Upgrades every format 1 partial. */
int store_partials_migrate(pd_store *s, pd_error *err);
/* Calls fn for every partial directory (name, dir). */
typedef int (*store_partial_fn)(pd_store *s, const char *name, const char *dir, void *ud, pd_error *err);
int store_partials_each(pd_store *s, store_partial_fn fn, void *ud, pd_error *err);
/* pd_store_put_partial with the store locked by the caller (nothing checked): a new version
 * unless content is the latest's; created_at NULL: now. */
int store_partial_put_locked(pd_store *s, const char *name, const char *content, const char *commit_message,
                             const char *created_at, int *new_version, pd_error *err);
/* A partial the library does not have, with all its versions at once (an import): numbered
 * from 1 and given ids here, placed whole or not at all. 1 (nothing written) when the partial
 * is there already. The store is locked by the caller. */
int store_partial_create_locked(pd_store *s, const char *name, pd_partial *versions, size_t n, pd_error *err);

/* ---- git (store_git.c) ---- */
/* A git command's outcome: its exit status and what it printed (credentials in URLs hidden). */
typedef struct store_git_out {
    int status;        /* exit status; -1 when git could not be started */
    char *out, *err;   /* owned */
} store_git_out;
/* Runs git -C dir ARGS... (argv, no shell; LC_ALL=C, GIT_TERMINAL_PROMPT=0, no editor) with
 * input on stdin (may be NULL). Returns the status; *o (may be NULL) keeps the output. */
int store_git(const char *dir, const char *input, store_git_out *o, const char *const *argv);
/* The same; with no_terminal, git runs in a session of its own (nothing can ask on the terminal). */
int store_git_run(const char *dir, const char *input, bool no_terminal, store_git_out *o, const char *const *argv);
/* Version ids (sorted, owned). */
typedef struct store_ids {
    char **v;
    size_t n;
} store_ids;
/* The ids of the version files the upstream of dir's branch has under dir (store_settle.c):
 * 0, or -1 when git fails (not a work tree, no upstream) with what git said left in *o for the
 * caller to report and free. Free *ids with store_ids_free. */
int store_upstream_ids(const char *dir, bool no_terminal, store_ids *ids, store_git_out *o);
bool store_ids_has(const store_ids *ids, const char *id);
void store_ids_free(store_ids *ids);

/* ---- a sync killed part-way (store_sync_rescue.c) ---- */
/* At the start of a sync, under the library lock (pd_store_recover takes it too): cleans up
 * after a sync of this repository that was killed (saying what it did in r), then marks this
 * one as running. Returns the mark (NULL: none made) for
 * store_sync_rescue_done, which removes and frees it when the sync ends, however it ends. */
char *store_sync_rescue(pd_store *s, bool no_terminal, pd_store_report *r);
void store_sync_rescue_done(char *marker);
/* Notes in the mark what the sync is doing ("merge": git changes the library's files; NULL:
 * nothing of the kind), for the next sync if this one is killed. */
int store_sync_rescue_step(const char *marker, const char *step);
void store_git_out_free(store_git_out *o);

/* ---- following the library (store_watch.c, store_inotify.c) ---- */
#define STORE_WATCH_DEPTH_MAX 64   /* folders deeper under prompts/ are not followed */
/* Frees what pd_store_signature kept (its watches, its memory of the folders). */
void store_watch_free(store_watch *w);
/* The library followed with inotify (Linux): prompts/ and every folder under it are watched,
 * folders that appear later too. */
typedef struct store_inotify store_inotify;
/* 0 with *out watching; -1 when prompts/ cannot be read; -2 when inotify cannot follow it (not
 * Linux, out of inotify instances or watches: max_user_watches): then polling must. */
int store_inotify_start(const char *prompts, store_inotify **out);
/* What happened since the last call, without waiting: 0 nothing, 1 a change; -1 when the
 * events do not say (the queue overflowed, prompts/ itself went away): free and start again;
 * -2 when a new folder could not be watched (out of watches): free, and poll from then on. */
int store_inotify_changes(store_inotify *w);
void store_inotify_free(store_inotify *w);

/* ---- examples (examples.c) ---- */
/* Adds the example prompts and partial that are not there yet. */
int pd_store_add_examples(pd_store *s, pd_error *err);

#endif
