/* store_write.c: changing the library under its lock: create, update (the versioning rules),
 * delete, rename, labels. A change adds files (a version) or lines (events.jsonl) and rewrites
 * none, so that two clones' changes merge in git; a new prompt's prompt.json is written last,
 * so a crash at any moment leaves a prompt that loads (or no prompt at all). */
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

static json_t *tags_json(char *const *tags, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(tags[i]));
    return a;
}

/* A metadata event's line at a fixed time, for a new prompt's events.jsonl. */
static void initial_event(pd_buf *text, store_event *ev, int64_t ms, const char *at, const char *seed, bool derived)
{
    ev->at = pd_strdup(at);
    ev->at_ms = ms;
    if (derived) {   /* the same on every clone that upgrades the same prompt */
        char *key = store_event_line(&(store_event){.at = ev->at, .id = "", .label = ev->label, .version = ev->version,
                                                    .field = ev->field, .value = ev->value});
        char *data = pd_strf("%s\n%s", seed, key);
        ev->id = pd_id_derived(ms, data, strlen(data));
        free(data);
        free(key);
    } else {
        ev->id = pd_id_new(ms);
    }
    char *line = store_event_line(ev);
    pd_buf_puts(text, line);
    free(line);
    store_event_clear(ev);
}

void store_initial_events(pd_buf *text, const pd_prompt *p, pd_version *const *versions, size_t n, const char *at,
                          const char *by, bool derived_ids)
{
    int64_t ms;
    if (!pd_time_parse_ms(at, &ms)) {   /* no time known: now, or for an upgrade 1970 (the same everywhere) */
        ms = derived_ids ? 0 : pd_now_ms();
        at = NULL;
    }
    char *at_text = at ? pd_strdup(at) : pd_time_format_ms(ms);
    const char *seed = p->id ? p->id : p->slug;
    store_event ev = {.by = pd_strdup(by), .field = pd_strdup("name"), .value = json_string(p->name)};
    initial_event(text, &ev, ms, at_text, seed, derived_ids);
    if (p->description && *p->description) {
        ev = (store_event){.by = pd_strdup(by), .field = pd_strdup("description"), .value = json_string(p->description)};
        initial_event(text, &ev, ms, at_text, seed, derived_ids);
    }
    if (p->n_tags) {
        ev = (store_event){.by = pd_strdup(by), .field = pd_strdup("tags"), .value = tags_json(p->tags, p->n_tags)};
        initial_event(text, &ev, ms, at_text, seed, derived_ids);
    }
    for (size_t i = 0; i < p->n_labels; i++) {
        int v = p->labels[i].version;
        if (v < 1 || (size_t)v > n)
            continue;
        ev = (store_event){.by = pd_strdup(by), .label = pd_strdup(p->labels[i].name),
                           .version = pd_strdup(versions[v - 1]->id)};
        initial_event(text, &ev, ms, at_text, seed, derived_ids);
    }
    free(at_text);
}

/* The new versions' ids: kept when given, else made from their creation time (so ids sort as
 * the history does), each the parent of the next. */
static void give_ids(pd_version *const *versions, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pd_version *v = versions[i];
        v->number = (int)i + 1;
        if (!pd_id_valid(v->id)) {
            int64_t ms;
            if (!v->created_at || !pd_time_parse_ms(v->created_at, &ms))
                ms = pd_now_ms();
            free(v->id);
            v->id = pd_id_new(ms);
        }
        if (i > 0 && !v->parent)
            v->parent = pd_strdup(versions[i - 1]->id);
    }
}

static int fsync_parent(const char *pdir, pd_error *err)
{
    char *parent = pd_strdup(pdir);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    int rc = pd_fsync_dir(parent, err);
    free(parent);
    return rc;
}

int store_create_locked(pd_store *s, const pd_prompt *p, pd_version *const *versions, size_t n, pd_error *err)
{
    char *pdir = store_prompt_dir(s, p->slug);
    store_dir_scan scan;
    int rc = -1;
    if (store_refuse_links(s, pdir, err) != 0)
        goto out;
    struct stat st;
    bool there = lstat(pdir, &st) == 0;   /* a new slug's folder mostly is not: nothing to look into */
    if (there && store_scan_dir(pdir, "prompt.json", &scan, NULL) == 0) {
        bool taken = scan.has_meta;
        if (!taken)
            store_remove_leftovers(pdir, &scan);
        store_dir_scan_free(&scan);
        if (taken) {
            pd_error_set(err, PD_ERR_CONFLICT, "prompt \"%s\" already exists", p->slug);
            goto out;
        }
    }
    /* runs left by a delete killed before it removed them belong to the prompt that is gone */
    if (store_runs_remove(s, p->slug, err) != 0)
        goto out;
    /* built in a staging folder renamed into place: whole or not there at all; where the
     * folder is there already (it holds other prompts), written in it under a journal */
    bool in_place = there && rmdir(pdir) != 0 && access(pdir, F_OK) == 0;
    char *journal = in_place ? pd_strf("clear prompt %s\n", p->slug) : NULL;
    char *entry = store_trash_new(s, journal, err);
    free(journal);
    if (!entry)
        goto out;
    const char *wdir = in_place ? pdir : entry;
    int wflags = s->write_flags | (in_place ? 0 : STORE_NEW_FILE);   /* the entry: no one else sees it */
    give_ids(versions, n);
    for (size_t i = 0; i < n; i++)
        if (store_write_version(wdir, versions[i], wflags, err) != 0)
            goto fail;
    const char *updated = p->updated_at ? p->updated_at : versions[n - 1]->created_at;
    char *by = s->author ? pd_strdup(s->author) : store_author();
    pd_buf events = PD_BUF_INIT;
    store_initial_events(&events, p, versions, n, updated, by, false);
    free(by);
    char *epath = pd_path_join(wdir, "events.jsonl");
    rc = store_write_file(epath, events.data, events.len, 0644, STORE_NO_DIR_SYNC | wflags, err);
    free(epath);
    pd_buf_free(&events);
    /* The same bytes on every clone that creates this slug (git merges two such creations):
     * the id from the slug, created_at left out unless it is not the first version's. */
    char *id = p->id ? pd_strdup(p->id) : store_prompt_id_of(p->slug);
    const char *created = p->created_at;
    if (created && versions[0]->created_at && strcmp(created, versions[0]->created_at) == 0)
        created = NULL;
    if (rc == 0)   /* last: from here on it is a prompt */
        rc = store_write_prompt_meta(wdir, id, created, wflags, err);
    free(id);
    if (rc == 0 && !in_place)
        rc = store_trash_place(entry, pdir, s->prompts, s->write_flags, err);
    else if (rc == 0 && !(s->write_flags & STORE_NO_SYNC))   /* make the new directories themselves durable */
        rc = fsync_parent(pdir, err);
    if (rc == 0) {
        if (in_place)
            store_trash_remove(entry);
        else
            free(entry);   /* the entry is the prompt's folder now */
        goto out;
    }
fail:
    if (in_place) {   /* a create that fails leaves nothing */
        char *meta = pd_path_join(pdir, "prompt.json");
        pd_unlink(meta, NULL);
        free(meta);
    }
    store_trash_undo(s, entry);
    rc = -1;
out:
    free(pdir);
    return rc;
}

int store_lock_for_writing(pd_store *s, int *fd, pd_error *err)
{
    if (store_lock(s, fd, err) != 0)
        return -1;
    if (s->format < PD_FORMAT_VERSION && store_upgrade_locked(s, NULL, err) != 0) {
        store_unlock(*fd);
        return -1;
    }
    return 0;
}

int pd_store_create(pd_store *s, const pd_prompt *p, const pd_version *v, pd_error *err)
{
    if (pd_prompt_validate(p, err) || pd_version_validate(v, err))
        return -1;
    pd_version *first = pd_version_dup(v);
    free(first->id);
    free(first->parent);
    first->id = first->parent = NULL;
    store_fill_version(first);
    pd_prompt meta = {.slug = p->slug, .name = p->name, .description = p->description, .tags = p->tags,
                      .n_tags = p->n_tags};
    meta.created_at = meta.updated_at = first->created_at;
    int fd;
    int rc = store_lock_for_writing(s, &fd, err);
    if (rc == 0) {
        rc = store_create_locked(s, &meta, &first, 1, err);
        store_unlock(fd);
    }
    pd_version_free(first);
    return rc;
}

/* Runs fn on the prompt (format 2; a format 1 one is upgraded first) under the library lock. */
typedef int (*locked_fn)(pd_store *s, store_pview *pv, void *ctx, pd_error *err);

int store_pview_open_v2(pd_store *s, const char *slug, store_pview *pv, pd_error *err)
{
    int rc = store_pview_open(s, slug, pv, err);
    if (rc == 0 && pv->format < PD_FORMAT_VERSION) {
        rc = store_migrate_prompt(pv->dir, slug, err);
        store_pview_close(pv);
        if (rc == 0)
            rc = store_pview_open(s, slug, pv, err);
    }
    return rc;
}

static int with_prompt_locked(pd_store *s, const char *slug, locked_fn fn, void *ctx, pd_error *err)
{
    int fd;
    if (store_lock_for_writing(s, &fd, err) != 0)
        return -1;
    store_pview pv;
    int rc = store_pview_open_v2(s, slug, &pv, err);
    if (rc == 0) {
        rc = fn(s, &pv, ctx, err);
        store_pview_close(&pv);
    }
    store_unlock(fd);
    return rc < 0 ? -1 : 0;
}

typedef struct update_ctx {
    const pd_update *u;
    pd_update_result *res;
} update_ctx;

static bool strv_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* Appends the metadata changes of u that differ from p; sets *changed. */
static int apply_metadata(store_pview *pv, const pd_update *u, bool *changed, pd_error *err)
{
    const pd_prompt *p = pv->p;
    store_events e;
    if (store_events_read(pv->dir, &e, err) != 0)
        return -1;
    char *by = store_author();
    store_event evs[3] = {{0}};
    size_t n = 0;
    if (u->name && strcmp(u->name, p->name) != 0)
        evs[n++] = (store_event){.field = "name", .value = json_string(u->name)};
    if (u->description && strcmp(u->description, p->description ? p->description : "") != 0)
        evs[n++] = (store_event){.field = "description", .value = json_string(u->description)};
    if (u->set_tags && !strv_equal(p->tags, p->n_tags, u->tags, u->n_tags))
        evs[n++] = (store_event){.field = "tags", .value = tags_json(u->tags, u->n_tags)};
    pd_buf lines = PD_BUF_INIT;   /* one append: all of the changes or none */
    for (size_t i = 0; i < n; i++) {
        store_event ev = {.by = by, .field = pd_strdup(evs[i].field), .value = evs[i].value};
        store_event_stamp(&ev, &e);
        char *line = store_event_line(&ev);
        pd_buf_puts(&lines, line);
        free(line);
        ev.by = NULL;
        store_event_clear(&ev);
    }
    int rc = 0;
    if (n > 0) {
        char *path = pd_path_join(pv->dir, "events.jsonl");
        rc = store_append_file(path, lines.data, lines.len, 0644, err);
        free(path);
    }
    pd_buf_free(&lines);
    *changed = n > 0 && rc == 0;
    free(by);
    store_events_free(&e);
    return rc;
}

static int base_conflict(pd_store *s, const store_pview *pv, const pd_update *u, pd_error *err)
{
    pd_version *cur = NULL;
    pd_store_get_version(s, pv->p->slug, 0, &cur, NULL);
    pd_buf who = PD_BUF_INIT, base = PD_BUF_INIT;
    if (cur && cur->author)
        pd_buf_printf(&who, " by %s", cur->author);
    if (cur && cur->created_at)
        pd_buf_printf(&who, " at %s", cur->created_at);
    long at = u->base_id ? store_vlist_find_id(&pv->vl, u->base_id) : -1;
    if (u->base_version > 0)
        pd_buf_printf(&base, "version %d", u->base_version);
    else if (at >= 0)
        pd_buf_printf(&base, "version %d", pv->vl.v[at]->number);
    else
        pd_buf_printf(&base, "version id %s", u->base_id);
    pd_error_set(err, PD_ERR_CONFLICT,
                 "conflict: prompt \"%s\" is now at version %d (saved%s), but this change is based on %s; "
                 "nothing was saved",
                 pv->p->slug, pv->p->current_version, pd_buf_str(&who), pd_buf_str(&base));
    pd_buf_free(&who);
    pd_buf_free(&base);
    pd_version_free(cur);
    return -1;
}

/* Takes back a version written by a change that then failed: a save that reports failure
 * leaves no trace. */
static void unwrite_version(const char *pdir, int number, const char *id)
{
    char *path = store_version_path(pdir, number, id);
    pd_unlink(path, NULL);
    pd_fsync_dir(pdir, NULL);
    free(path);
}

/* Writes the next version (content of u) after the current one, its parent; *new_id is its id
 * (caller frees), NULL when the content is unchanged. With more to write after it (metadata),
 * *entry (for store_trash_remove) holds a journal that takes the version back unless
 * events.jsonl grew: a writer killed in between leaves no half update. */
static int add_version(pd_store *s, store_pview *pv, const pd_version *content, bool more, char **entry,
                       pd_update_result *res, char **new_id, pd_error *err)
{
    pd_version *cur;
    if (store_read_version(pv->dir, pv->p->current_version, pv->p->current_id, &cur, err) != 0)
        return -1;
    bool same = pd_version_content_equal(cur, content);
    pd_version_free(cur);
    if (same) {
        res->content_unchanged = true;
        return 0;
    }
    pd_version *nv = pd_version_dup(content);
    nv->number = pv->p->current_version + 1;
    free(nv->created_at);
    nv->created_at = NULL;
    store_fill_version(nv);
    free(nv->id);
    free(nv->parent);
    nv->id = pd_id_new(pd_now_ms());
    nv->parent = pd_strdup(pv->p->current_id);
    int rc = 0;
    if (more) {
        char *events = pd_path_join(pv->dir, "events.jsonl");
        struct stat st;
        char *journal = pd_strf("unwrite prompt %s %d %s %lld\n", pv->p->slug, nv->number, nv->id,
                                stat(events, &st) == 0 ? (long long)st.st_size : 0LL);
        *entry = store_trash_new(s, journal, err);
        rc = *entry ? 0 : -1;
        free(journal);
        free(events);
    }
    if (rc == 0)
        rc = store_write_version(pv->dir, nv, 0, err);
    if (rc == 0 && pd_fsync_dir(pv->dir, err) != 0) {
        unwrite_version(pv->dir, nv->number, nv->id);
        rc = -1;
    }
    if (rc == 0) {
        res->new_version = nv->number;
        *new_id = nv->id;
        nv->id = NULL;
    }
    pd_version_free(nv);
    return rc;
}

static int update_locked(pd_store *s, store_pview *pv, void *vctx, pd_error *err)
{
    update_ctx *c = vctx;
    const pd_update *u = c->u;
    if ((u->base_version > 0 && pv->p->current_version != u->base_version) ||
        (u->base_id && strcmp(pv->p->current_id, u->base_id) != 0))
        return base_conflict(s, pv, u, err);
    char *new_id = NULL, *entry = NULL;
    bool more = u->name || u->description || u->set_tags;
    if (u->content && add_version(s, pv, u->content, more, &entry, c->res, &new_id, err) != 0) {
        store_trash_remove(entry);
        return -1;
    }
    int rc = apply_metadata(pv, u, &c->res->metadata_changed, err);
    if (rc != 0 && new_id) {   /* all of the update or nothing */
        unwrite_version(pv->dir, c->res->new_version, new_id);
        c->res->new_version = 0;
    }
    store_trash_remove(entry);
    free(new_id);
    return rc;
}

int pd_store_update(pd_store *s, const char *slug, const pd_update *u, pd_update_result *res, pd_error *err)
{
    pd_update_result local;
    if (!res)
        res = &local;
    *res = (pd_update_result){0};
    if ((u->name && pd_prompt_check_name(u->name, err)) || pd_prompt_check_description(u->description, err) ||
        (u->set_tags && pd_prompt_check_tags(u->tags, u->n_tags, err)) || (u->content && pd_version_validate(u->content, err)))
        return -1;
    update_ctx c = {u, res};
    return with_prompt_locked(s, slug, update_locked, &c, err);
}

/* "version 7" or, for a version not here, its id. Caller frees. */
static char *version_name(const store_pview *pv, const char *id)
{
    long at = store_vlist_find_id(&pv->vl, id);
    return at >= 0 ? pd_strf("version %d", pv->vl.v[at]->number) : pd_strf("version %s", id);
}

static int label_conflict(const store_pview *pv, const pd_label_move *m, const store_event *now, pd_error *err)
{
    char *is = now && now->version ? version_name(pv, now->version) : NULL;
    char *was = m->base_id ? version_name(pv, m->base_id) : NULL;
    pd_buf who = PD_BUF_INIT;
    if (now)
        pd_buf_printf(&who, " (moved%s%s at %s)", now->by ? " by " : "", now->by ? now->by : "", now->at);
    pd_error_set(err, PD_ERR_CONFLICT,
                 "conflict: label %s of \"%s\" is now %s%s%s, but this move was asked for when it was %s%s; "
                 "nothing changed",
                 m->label, pv->p->slug, is ? "on " : "not set", is ? is : "", pd_buf_str(&who), was ? "on " : "not set",
                 was ? was : "");
    pd_buf_free(&who);
    free(is);
    free(was);
    return -1;
}

static int label_locked(pd_store *s, store_pview *pv, void *vctx, pd_error *err)
{
    (void)s;
    const pd_label_move *m = vctx;
    store_events e;
    if (store_events_read(pv->dir, &e, err) != 0)
        return -1;
    const store_event *now = store_events_winner(&e, m->label, NULL);
    const char *now_id = now ? now->version : NULL;
    int rc = 0;
    const char *to = NULL;
    if (m->check_base && (m->base_id ? !now_id || strcmp(now_id, m->base_id) != 0 : now_id != NULL)) {
        rc = label_conflict(pv, m, now, err);
    } else if (m->version_id || m->version) {
        long at = m->version_id ? store_pview_pick_id(pv, m->version_id, err) : store_pview_pick(pv, m->version, err);
        rc = at < 0 ? -1 : 0;
        if (at >= 0)
            to = pv->vl.v[at]->id;
    } else if (!now_id) {
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no label \"%s\"", pv->p->slug, m->label);
    }
    bool same = to ? now_id && strcmp(to, now_id) == 0 : now_id == NULL;
    if (rc == 0 && !same) {
        store_event ev = {.by = store_author(), .label = pd_strdup(m->label), .version = pd_strdup(to)};
        rc = store_event_append(pv->dir, &ev, &e, err);
        store_event_clear(&ev);
    }
    store_events_free(&e);
    return rc;
}

int pd_store_move_label(pd_store *s, const char *slug, const pd_label_move *m, pd_error *err)
{
    if (!pd_label_name_valid(m->label, err))
        return -1;
    if (!m->version_id && m->version < 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "version %d: versions start at 1", m->version);
    if (m->check_base && m->base_id && !pd_id_valid(m->base_id))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" is not a version id", m->base_id);
    return with_prompt_locked(s, slug, label_locked, (void *)m, err);
}

int pd_store_set_label(pd_store *s, const char *slug, const char *label, int version, pd_error *err)
{
    if (version < 1)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "version %d: versions start at 1", version);
    pd_label_move m = {.label = label, .version = version};
    return pd_store_move_label(s, slug, &m, err);
}

int pd_store_remove_label(pd_store *s, const char *slug, const char *label, pd_error *err)
{
    pd_label_move m = {.label = label};
    return pd_store_move_label(s, slug, &m, err);
}

/* Removes the parents of dir left empty, up to top. */
static void remove_empty_parents(const char *dir, const char *top)
{
    char *parent = pd_strdup(dir);
    *strrchr(parent, '/') = '\0';
    pd_rmdir_empty_up(parent, top);
    free(parent);
}

/* Moves path (dir/name when name is given) into the trash entry, durably (the directory it left
 * synced); on failure it is back. */
static int trash_move(const char *dir, const char *entry, const char *name, pd_error *err)
{
    bool file = strcmp(name, "gone") != 0;
    char *from = file ? pd_path_join(dir, name) : pd_strdup(dir);
    char *to = pd_path_join(entry, name);
    int rc = store_rename(from, to, err);
    if (rc == 0 && (rc = file ? pd_fsync_dir(dir, err) : fsync_parent(dir, err)) != 0)
        rename(to, from);
    free(from);
    free(to);
    return rc;
}

/* Removes the prompt slug in pdir (scanned) in one step nothing sees half done: its folder
 * moves whole into the trash; a folder holding other prompts keeps them, and its prompt.json
 * moves to the trash first, under a journal that removes the rest of its files. On failure
 * the prompt is still there. */
static int remove_prompt(pd_store *s, const char *slug, const char *pdir, const store_dir_scan *scan, pd_error *err)
{
    bool whole = scan->n_subdirs == 0 && scan->n_links == 0;
    char *journal = whole ? NULL : pd_strf("clear prompt %s\n", slug);
    char *entry = store_trash_new(s, journal, err);
    free(journal);
    if (!entry)
        return -1;
    int rc = whole ? trash_move(pdir, entry, "gone", err) : trash_move(pdir, entry, "prompt.json", err);
    if (rc == 0 && whole)
        remove_empty_parents(pdir, s->prompts);
    if (rc == 0 && !whole)
        store_trash_undo(s, entry);   /* its journal removes the rest */
    else
        store_trash_remove(entry);
    return rc;
}

int pd_store_delete(pd_store *s, const char *slug, pd_error *err)
{
    if (!pd_slug_valid(slug, err))
        return -1;
    int fd;
    if (store_lock_for_writing(s, &fd, err) != 0)
        return -1;
    /* A damaged prompt can be deleted too: that is one way out of the damage. */
    char *pdir = store_prompt_dir(s, slug);
    store_dir_scan scan;
    int rc;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) != 0 || !scan.has_meta) {
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "no prompt \"%s\" in %s", slug, s->dir);
    } else {
        rc = remove_prompt(s, slug, pdir, &scan, err);
        if (rc == 0)
            rc = store_runs_remove(s, slug, err);
    }
    store_dir_scan_free(&scan);
    free(pdir);
    store_unlock(fd);
    return rc;
}

/* Copies a file byte for byte (not synced: the caller syncs the directory after). */
static int copy_file(const char *from, const char *to, const char *name, pd_error *err)
{
    char *src = pd_path_join(from, name), *dst = pd_path_join(to, name);
    char *data;
    size_t len;
    int rc = store_read_file(src, &data, &len, err);
    if (rc == 0) {
        rc = store_write_file(dst, data, len, 0644, STORE_NO_DIR_SYNC, err);
        free(data);
    }
    free(src);
    free(dst);
    return rc;
}

static int rename_locked(pd_store *s, store_pview *pv, void *vctx, pd_error *err)
{
    const char *to = vctx;
    char *to_dir = store_prompt_dir(s, to);
    store_dir_scan scan;
    int rc = store_refuse_links(s, to_dir, err);
    if (rc == 0 && store_scan_dir(to_dir, "prompt.json", &scan, NULL) == 0) {
        if (scan.has_meta)
            rc = pd_error_set(err, PD_ERR_CONFLICT, "prompt \"%s\" already exists", to);
        else
            store_remove_leftovers(to_dir, &scan);
        store_dir_scan_free(&scan);
    }
    if (rc == 0)   /* runs a killed delete left under the new slug are not this prompt's */
        rc = store_runs_remove(s, to, err);
    if (rc == 0) {
        rmdir(to_dir);   /* an empty folder is no obstacle */
        size_t n = strlen(pv->dir);
        bool inside = strncmp(to_dir, pv->dir, n) == 0 && to_dir[n] == '/';
        if (pv->scan.n_subdirs == 0 && pv->scan.n_links == 0 && !inside && access(to_dir, F_OK) != 0) {
            /* the folder moves whole: the new slug is there whole or not at all */
            rc = store_trash_place(pv->dir, to_dir, s->prompts, 0, err);
            if (rc == 0) {
                fsync_parent(pv->dir, NULL);
                remove_empty_parents(pv->dir, s->prompts);
                rc = store_runs_move(s, pv->p->slug, to, err);
            }
            free(to_dir);
            return rc;
        }
    }
    /* Else copied under a journal: the new copy complete (versions, events, then prompt.json)
     * before the old one goes; a failure takes the copy back, a crash before prompt.json leaves
     * a copy the next writer takes back, one after it an old prompt the next writer removes. */
    char *journal = pd_strf("drop-if prompt %s %s\nclear prompt %s\nclear prompt %s\n", to, pv->p->slug, to,
                            pv->p->slug);
    char *entry = rc == 0 ? store_trash_new(s, journal, err) : NULL;
    free(journal);
    if (rc == 0 && !entry)
        rc = -1;
    if (rc == 0)
        rc = pd_mkdirs(to_dir, 0755, err);
    for (size_t i = 0; i < pv->vl.n && rc == 0; i++) {
        char *path = store_version_path("", pv->vl.v[i]->number, pv->vl.v[i]->id);
        rc = copy_file(pv->dir, to_dir, path + 1, err);
        free(path);
    }
    if (rc == 0 && pv->scan.has_events)
        rc = copy_file(pv->dir, to_dir, "events.jsonl", err);
    for (size_t i = 0; i < pv->scan.n_others && rc == 0; i++)   /* tests.json and the like */
        rc = copy_file(pv->dir, to_dir, pv->scan.others[i], err);
    if (rc == 0)   /* as it is: the id stays, and a created_at left out stays derived */
        rc = copy_file(pv->dir, to_dir, "prompt.json", err);
    if (rc == 0)
        rc = fsync_parent(to_dir, err);
    if (rc == 0)   /* the old one goes: prompt.json first (back where it was on failure) */
        rc = trash_move(pv->dir, entry, "prompt.json", err);
    if (rc != 0 && entry) {   /* no copy stays */
        char *meta = pd_path_join(to_dir, "prompt.json");
        pd_unlink(meta, NULL);
        free(meta);
    }
    store_trash_undo(s, entry);   /* the rest of the old prompt goes, or the copy */
    if (rc == 0)
        rc = store_runs_move(s, pv->p->slug, to, err);
    free(to_dir);
    return rc;
}

int pd_store_rename(pd_store *s, const char *from, const char *to, pd_error *err)
{
    if (!pd_slug_valid(from, err) || !pd_slug_valid(to, err))
        return -1;
    if (strcmp(from, to) == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" is already the prompt's slug", to);
    return with_prompt_locked(s, from, rename_locked, (void *)to, err);
}
