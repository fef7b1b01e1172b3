/* store_migrate.c: upgrading a format 1 library to format 2 in place. Each prompt is upgraded
 * on its own and crash-safely: its new files first (v0001-<id>.json, events.jsonl), then its
 * prompt.json (whose format_version says which layout the prompt is read in), then the old
 * version files go; library.json is bumped last. Ids and events are derived from the old
 * files' content, so two clones that upgrade the same commit write identical files and git
 * merges them without a conflict. */
#include "store_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void store_report_add(pd_store_report *r, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *note = store_vstrf(fmt, ap);
    va_end(ap);
    r->notes = pd_xrealloc(r->notes, (r->n + 1) * sizeof *r->notes);
    r->notes[r->n++] = note;
}

void pd_store_report_free(pd_store_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->notes[i]);
    free(r->notes);
    pd_sync_news_free(&r->news);
    *r = (pd_store_report){0};
}

/* Reads a format 1 prompt: prompt.json and versions 1..current (numbers checked). */
static int read_v1(const char *pdir, pd_prompt **p, pd_version ***vs, size_t *n, pd_error *err)
{
    *p = NULL;
    *vs = NULL;
    *n = 0;
    store_dir_scan scan;
    if (store_scan_dir(pdir, "prompt.json", &scan, err) != 0)
        return -1;
    int format = 0;
    pd_prompt *got = store_load_prompt_fmt(pdir, "", &scan, &format);
    store_dir_scan_free(&scan);
    if (!got || format != 1 || got->damaged) {
        if (got && got->damaged)
            pd_error_set(err, PD_ERR_DAMAGED, "%s", got->damage);
        else
            pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is not a format 1 prompt", pdir);
        pd_prompt_free(got);
        return -1;
    }
    size_t cnt = (size_t)got->current_version;
    pd_version **v = pd_xcalloc(cnt, sizeof *v);
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++)
        rc = store_read_version(pdir, (int)i + 1, NULL, &v[i], err);
    if (rc != 0) {
        for (size_t i = 0; i < cnt; i++)
            pd_version_free(v[i]);
        free(v);
        pd_prompt_free(got);
        return -1;
    }
    *p = got;
    *vs = v;
    *n = cnt;
    return 0;
}

/* Format 2 files next to a format 1 prompt.json: an upgrade killed half-way. */
static void remove_v2_leftovers(const char *pdir)
{
    store_dir_scan scan;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) != 0)
        return;
    for (size_t i = 0; i < scan.n_files; i++) {
        if (!scan.files[i].id)
            continue;
        char *path = store_version_path(pdir, scan.files[i].number, scan.files[i].id);
        pd_unlink(path, NULL);
        free(path);
    }
    store_dir_scan_free(&scan);
}

/* Format 1 version files next to a format 2 META (prompt.json or partial.json): an upgrade
 * killed after its switch, before the old files went. Each one whose number has its new file
 * (the upgrade writes them all before the switch) goes now, as an unkilled upgrade leaves it. */
static void remove_v1_leftovers(const char *dir, const char *meta)
{
    char *path = pd_path_join(dir, meta), *text = NULL;
    json_t *j = NULL;
    size_t len;
    int format = 0;
    store_dir_scan scan;
    if (store_read_json(path, &j, &text, &len, &format, NULL) == 0 && format == 2 &&
        store_scan_dir(dir, meta, &scan, NULL) == 0) {
        store_vlist now = store_vlist_of(&scan, true);
        for (size_t i = 0; i < scan.n_files; i++) {
            if (scan.files[i].id || store_vlist_find(&now, scan.files[i].number) == -1)
                continue;
            char *old = store_version_path(dir, scan.files[i].number, NULL);
            pd_unlink(old, NULL);
            free(old);
        }
        store_vlist_free(&now);
        store_dir_scan_free(&scan);
    }
    json_decref(j);
    free(text);
    free(path);
}

int store_migrate_prompt(const char *pdir, const char *slug, pd_error *err)
{
    pd_prompt *p;
    pd_version **vs;
    size_t n;
    if (read_v1(pdir, &p, &vs, &n, err) != 0)
        return -1;
    remove_v2_leftovers(pdir);
    if (!p->id) {   /* hand-made: an id every clone derives alike */
        char *seed = pd_strf("prompt id\n%s\n%s", slug, p->name);
        p->id = pd_strf("%016llx", (unsigned long long)pd_hash(PD_HASH_SEED, seed, strlen(seed)));
        free(seed);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        pd_version *v = vs[i];
        int64_t ms = 0;
        pd_time_parse_ms(v->created_at, &ms);
        json_t *j = pd_version_to_json(v);
        char *body = pd_json_dump_pretty(j);
        char *seed = pd_strf("prompt\n%s\n%s", p->id, body);
        v->id = pd_id_derived(ms, seed, strlen(seed));
        v->parent = i > 0 ? pd_strdup(vs[i - 1]->id) : NULL;
        free(seed);
        free(body);
        json_decref(j);
        rc = store_write_version(pdir, v, 0, err);
    }
    const char *at = p->updated_at ? p->updated_at : p->created_at ? p->created_at : vs[n - 1]->created_at;
    pd_buf events = PD_BUF_INIT;
    store_initial_events(&events, p, vs, n, at, NULL, true);
    char *epath = pd_path_join(pdir, "events.jsonl");
    if (rc == 0)
        rc = store_write_file(epath, events.data, events.len, 0644, STORE_NO_DIR_SYNC, err);
    free(epath);
    pd_buf_free(&events);
    if (rc == 0)   /* the switch: from here on the prompt is read in format 2 */
        rc = store_write_prompt_meta(pdir, p->id, p->created_at ? p->created_at : vs[0]->created_at, 0, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *old = store_version_path(pdir, (int)i + 1, NULL);
        rc = pd_unlink(old, err);
        free(old);
    }
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_prompt_free(p);
    return rc;
}

typedef struct upgrade_ctx {
    pd_store_report *r;
    int prompts, damaged;
} upgrade_ctx;

static int upgrade_one(pd_store *s, const char *slug, const char *pdir, void *ud, pd_error *err)
{
    upgrade_ctx *c = ud;
    store_dir_scan scan;
    if (store_scan_dir(pdir, "prompt.json", &scan, err) != 0)
        return -1;
    int format = 0;
    pd_prompt *p = store_load_prompt_fmt(pdir, slug, &scan, &format);
    store_dir_scan_free(&scan);
    int rc = 0;
    if (p && format == 1) {
        pd_error e = {0};
        if (p->damaged || store_migrate_prompt(pdir, slug, &e) != 0) {
            /* left as it is: still read in format 1, listed as damaged until repaired */
            c->damaged++;
            store_report_add(c->r, "%s: left in format 1: %s", slug, p->damaged ? p->damage : e.msg);
            if (!p->damaged && e.code != PD_ERR_DAMAGED) {
                *err = e;
                rc = -1;
            }
        } else {
            c->prompts++;
        }
    } else if (p && s->format < PD_FORMAT_VERSION) {   /* library.json is bumped after every prompt */
        remove_v1_leftovers(pdir, "prompt.json");
    }
    pd_prompt_free(p);
    return rc;
}

static int partial_leftovers(pd_store *s, const char *name, const char *dir, void *ud, pd_error *err)
{
    (void)s, (void)name, (void)ud, (void)err;
    remove_v1_leftovers(dir, "partial.json");
    return 0;
}

int store_upgrade_locked(pd_store *s, pd_store_report *r, pd_error *err)
{
    upgrade_ctx c = {r, 0, 0};
    int rc = store_prompts_each(s, upgrade_one, &c, err);
    if (rc == 0)
        rc = store_partials_migrate(s, err);
    if (rc == 0 && s->format < PD_FORMAT_VERSION)
        store_partials_each(s, partial_leftovers, NULL, err);
    if (rc == 0)
        rc = store_runs_migrate(s, err);
    if (rc == 0)
        rc = store_write_git_files(s, err);
    if (rc == 0 && s->format < PD_FORMAT_VERSION) {
        char *old_cache = pd_path_join(s->dir, ".list-cache");
        pd_unlink(old_cache, NULL);
        free(old_cache);
        char *lj = pd_path_join(s->dir, "library.json");
        json_t *j = json_pack("{s:s}", "format", PD_LIBRARY_FORMAT);
        rc = store_write_json(lj, j, 0, err);   /* last: the library is format 2 */
        json_decref(j);
        free(lj);
        if (rc == 0) {
            s->format = PD_FORMAT_VERSION;
            store_notice(s,
                         "upgraded the library %s to format 2 (%d prompts%s): versions are named by id, label "
                         "moves and metadata changes go to events.jsonl, run records moved to %s",
                         s->dir, c.prompts, c.damaged ? ", some damaged ones left as they were" : "", s->runs);
        }
    }
    if (rc == 0 && (c.prompts || c.damaged))
        store_report_add(r, "upgraded %d prompts to format 2", c.prompts);
    return rc;
}

int pd_store_migrate(pd_store *s, pd_store_report *r, pd_error *err)
{
    int fd;
    if (store_lock(s, &fd, err) != 0)
        return -1;
    bool was = s->format < PD_FORMAT_VERSION;
    int rc = store_upgrade_locked(s, r, err);
    store_unlock(fd);
    if (rc == 0 && was && !r) {
        s->upgrade_unreported = true;
    } else if (rc == 0 && !was && r && r->n == 0) {
        /* the command line upgrades a library as it opens it: `migrate` then tells of that */
        if (s->upgrade_unreported)
            store_report_add(r, "upgraded the library to format %d as it was opened", PD_FORMAT_VERSION);
        else
            store_report_add(r, "the library is already in format %d", PD_FORMAT_VERSION);
        s->upgrade_unreported = false;
    }
    return rc;
}
