/* store_import.c: import and export of "promptdeck-export" documents (format_version 1, whatever
 * the library's own format): every prompt with all its versions, numbers, dates, authors and
 * commit messages, and every partial with all its versions. */
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

#define PD_EXPORT_FORMAT "promptdeck-export"

/* One prompt of the document, decoded and checked. */
typedef struct import_item {
    pd_prompt *p;
    pd_version **v;
    size_t n;
} import_item;

static void item_clear(import_item *it)
{
    pd_prompt_free(it->p);
    for (size_t i = 0; i < it->n; i++)
        pd_version_free(it->v[i]);
    free(it->v);
}

/* author: who versions without one are by (asked once for the whole document). */
static int decode_item(json_t *jp, size_t index, const char *author, import_item *it, pd_error *err)
{
    char where[64];
    snprintf(where, sizeof where, "import: prompts[%zu]", index);
    pd_json_src src = {where, NULL, 0};
    it->p = pd_prompt_decode(jp, &src, err);
    if (!it->p)
        return -1;
    if (!it->p->slug)
        return pd_json_src_error(&src, "slug", err, "missing");
    if (!pd_slug_valid(it->p->slug, err))
        return pd_error_prefix(err, "%s", where);
    if (pd_prompt_validate(it->p, err) != 0)   /* the checks create makes */
        return pd_error_prefix(err, "%s: prompt \"%s\"", where, it->p->slug);
    json_t *vs = json_object_get(jp, "versions");
    if (!json_is_array(vs) || json_array_size(vs) == 0)
        return pd_json_src_error(&src, "versions", err, "expected a non-empty array of versions");
    it->n = json_array_size(vs);
    it->v = pd_xcalloc(it->n, sizeof *it->v);
    for (size_t i = 0; i < it->n; i++) {
        char vwhere[200];
        snprintf(vwhere, sizeof vwhere, "import: prompt \"%s\" versions[%zu]", it->p->slug, i);
        pd_json_src vsrc = {vwhere, NULL, 0};
        it->v[i] = pd_version_decode(json_array_get(vs, i), &vsrc, err);
        if (!it->v[i])
            return -1;
        if (it->v[i]->number != (int)i + 1)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: version %d where %zu was expected (numbers go 1, 2, 3...)",
                                vwhere, it->v[i]->number, i + 1);
        if (pd_version_validate(it->v[i], err) != 0)
            return pd_error_prefix(err, "%s", vwhere);
        if (!it->v[i]->author)
            it->v[i]->author = pd_strdup(author);
        store_fill_version(it->v[i]);
    }
    for (size_t i = 0; i < it->p->n_labels; i++)
        if (it->p->labels[i].version > (int)it->n)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: label \"%s\" is on version %d, which is not there",
                                where, it->p->labels[i].name, it->p->labels[i].version);
    it->p->current_version = (int)it->n;
    return 0;
}

/* Adds the versions the library does not have yet (after its current one, each made from the
 * one before); equal ones are skipped; a different one under an existing number is a CONFLICT.
 * Labels from the document are added where not set here. */
static int merge_item(pd_store *s, const import_item *it, pd_import_counts *c, pd_error *err)
{
    store_pview pv;
    if (store_pview_open_v2(s, it->p->slug, &pv, err) != 0)
        return -1;
    int rc = 0, added = 0;
    /* Versions it has are compared first: a conflict stops before anything is written. The
     * list is in number order: version i + 1 is at i unless numbers are missing or shared. */
    for (size_t i = 0; i < it->n && rc == 0 && (int)i + 1 <= pv.p->current_version; i++) {
        bool in_place = i < pv.vl.n && pv.vl.v[i]->number == (int)i + 1 &&
                        (i + 1 == pv.vl.n || pv.vl.v[i + 1]->number != (int)i + 1) &&
                        (i == 0 || pv.vl.v[i - 1]->number != (int)i + 1);
        long at = in_place ? (long)i : store_pview_pick(&pv, (int)i + 1, err);
        pd_version *have = NULL;
        rc = at < 0 ? -1 : store_read_version(pv.dir, pv.vl.v[at]->number, pv.vl.v[at]->id, &have, err);
        if (rc == 0 && !pd_version_content_equal(have, it->v[i]))
            rc = pd_error_set(err, PD_ERR_CONFLICT,
                              "prompt \"%s\" version %zu differs from the one being imported (nothing imported for it)",
                              it->p->slug, i + 1);
        else if (rc == 0)
            c->versions_skipped++;
        pd_version_free(have);
    }
    const char *parent = pv.p->current_id;
    for (size_t i = (size_t)pv.p->current_version; i < it->n && rc == 0; i++) {
        pd_version *v = it->v[i];
        int64_t ms;
        if (!v->created_at || !pd_time_parse_ms(v->created_at, &ms))
            ms = pd_now_ms();
        free(v->id);
        free(v->parent);
        v->id = pd_id_new(ms);
        v->parent = pd_strdup(parent);
        rc = store_write_version(pv.dir, v, s->write_flags, err);
        parent = v->id;
        added += rc == 0;
    }
    if (rc == 0 && added && !(s->write_flags & STORE_NO_SYNC))
        rc = pd_fsync_dir(pv.dir, err);
    store_events e = {0};
    if (rc == 0)
        rc = store_events_read(pv.dir, &e, err);
    for (size_t i = 0; i < it->p->n_labels && rc == 0; i++) {
        const char *name = it->p->labels[i].name;
        if (pd_prompt_label_version(pv.p, name) != 0)
            continue;
        long at = store_pview_pick(&pv, it->p->labels[i].version, NULL);
        const char *id = at >= 0 ? pv.vl.v[at]->id : it->v[it->p->labels[i].version - 1]->id;
        if (!id)
            continue;
        store_event ev = {.by = store_author(), .label = pd_strdup(name), .version = pd_strdup(id)};
        rc = store_event_append(pv.dir, &ev, &e, err);
        store_event_clear(&ev);
    }
    store_events_free(&e);
    if (rc == 0)
        c->versions_added += added;
    store_pview_close(&pv);
    return rc;
}

/* ---- partials: {"name", "versions": [{"version", "content", "commit_message", "created_at"}...]} ---- */

/* Checks the document's partials before anything is written. */
static int check_partials(json_t *partials, pd_error *err)
{
    if (!partials)
        return 0;
    if (!json_is_array(partials))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: \"partials\" is not an array");
    size_t i, k;
    json_t *jp, *jv;
    json_array_foreach(partials, i, jp) {
        const char *name = json_string_value(json_object_get(jp, "name"));
        json_t *vs = json_object_get(jp, "versions");
        if (!name || !pd_slug_valid(name, err))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: partials[%zu]: \"name\" is not a valid name", i);
        if (!json_is_array(vs) || json_array_size(vs) == 0)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: partial \"%s\": expected a non-empty array of versions", name);
        json_array_foreach(vs, k, jv) {
            const char *content = json_string_value(json_object_get(jv, "content"));
            json_t *cm = json_object_get(jv, "commit_message"), *at = json_object_get(jv, "created_at");
            if (json_integer_value(json_object_get(jv, "version")) != (json_int_t)k + 1)
                return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: partial \"%s\" versions[%zu]: version is not %zu",
                                    name, k, k + 1);
            if (!content || !pd_utf8_valid(content, strlen(content)) || (cm && !json_is_string(cm)) ||
                (at && !json_is_string(at)))
                return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                    "import: partial \"%s\" versions[%zu]: content, commit_message and created_at must be text",
                                    name, k);
        }
    }
    return 0;
}

/* A partial the library does not have: every version of the document's, placed whole (1: it
 * turned out to be there). */
static int create_partial(pd_store *s, const char *name, json_t *vs, pd_import_counts *c, pd_error *err)
{
    size_t n = json_array_size(vs);
    pd_partial *versions = pd_xcalloc(n ? n : 1, sizeof *versions);
    for (size_t i = 0; i < n; i++) {
        json_t *jv = json_array_get(vs, i);
        versions[i].content = (char *)json_string_value(json_object_get(jv, "content"));
        versions[i].commit_message = (char *)json_string_value(json_object_get(jv, "commit_message"));
        versions[i].created_at = (char *)json_string_value(json_object_get(jv, "created_at"));
    }
    int rc = store_partial_create_locked(s, name, versions, n, err);
    for (size_t i = 0; i < n; i++)
        free(versions[i].id);
    free(versions);
    if (rc == 0)
        c->partial_versions_added += (int)n;
    return rc;   /* 1: it is there after all, versions added one by one */
}

/* Adds the versions of one partial the library does not have yet; the ones it has must be the
 * same (else a CONFLICT, before anything is written for it). The store is locked. */
static int merge_partial(pd_store *s, json_t *jp, pd_import_counts *c, pd_error *err)
{
    const char *name = json_string_value(json_object_get(jp, "name"));
    json_t *vs = json_object_get(jp, "versions");
    pd_partial *have = NULL;
    pd_error e = {0};
    int have_n = 0;
    if (pd_store_get_partial(s, name, 0, &have, &e) == 0)
        have_n = have->version;
    else if (e.code != PD_ERR_NOT_FOUND)
        return *err = e, -1;
    pd_partial_free(have);
    for (int i = 1; i <= have_n && (size_t)i <= json_array_size(vs); i++) {
        pd_partial *p = NULL;
        if (pd_store_get_partial(s, name, i, &p, err) != 0)
            return -1;
        bool same = strcmp(p->content, json_string_value(json_object_get(json_array_get(vs, (size_t)i - 1), "content"))) == 0;
        pd_partial_free(p);
        if (!same)
            return pd_error_set(err, PD_ERR_CONFLICT,
                                "partial \"%s\" version %d differs from the one being imported (nothing imported for it)", name, i);
    }
    int rc = have_n == 0 ? create_partial(s, name, vs, c, err) : 1;
    if (rc <= 0)   /* a new partial: all its versions or none (a killed import tears none) */
        return rc;
    for (size_t i = (size_t)have_n; i < json_array_size(vs); i++) {
        json_t *jv = json_array_get(vs, i);
        int added = 0;
        if (store_partial_put_locked(s, name, json_string_value(json_object_get(jv, "content")),
                                     json_string_value(json_object_get(jv, "commit_message")),
                                     json_string_value(json_object_get(jv, "created_at")), &added, err) != 0)
            return -1;
        c->partial_versions_added += added > 0;
    }
    return 0;
}

/* One partial with all its versions, as {"name", "versions"}: -1 with err when one does not
 * read (an export with a version missing would not be the partial). */
static int export_partial(pd_store *s, const char *name, json_t **out, pd_error *err)
{
    pd_partial *latest = NULL;
    if (pd_store_get_partial(s, name, 0, &latest, err) != 0)
        return -1;
    json_t *vs = json_array();
    int rc = 0;
    for (int v = 1; rc == 0 && v <= latest->version; v++) {
        pd_partial *p = NULL;
        rc = pd_store_get_partial(s, name, v, &p, err);
        if (rc == 0) {
            json_t *jv = pd_partial_to_json(p);
            json_object_del(jv, "name");
            json_array_append_new(vs, jv);
        }
        pd_partial_free(p);
    }
    pd_partial_free(latest);
    if (rc != 0) {
        json_decref(vs);
        return -1;
    }
    *out = json_pack("{s:s, s:o}", "name", name, "versions", vs);
    return 0;
}

/* The partials asked for (all when select is false; one asked for that is not there is skipped:
 * it renders empty), or NULL when none; each that does not read is left out and said in left. */
static json_t *export_partials(pd_store *s, const pd_export_opts *o, pd_store_report *left)
{
    char **all = NULL;
    size_t n = 0;
    if (!o->select_partials)
        pd_store_list_partials(s, &all, &n, NULL);
    else
        n = o->n_partials;
    json_t *arr = n ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = all ? all[i] : o->partials[i];
        json_t *jp;
        pd_error e = {0};
        if (export_partial(s, name, &jp, &e) == 0)
            json_array_append_new(arr, jp);
        else if (!o->select_partials || e.code != PD_ERR_NOT_FOUND)
            store_report_add(left, "partial \"%s\" left out: %s", name, e.msg);
        if (all)
            free(all[i]);
    }
    free(all);
    return arr;
}

static int check_doc(json_t *doc, pd_error *err)
{
    if (!json_is_object(doc))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: expected a JSON object");
    json_t *f = json_object_get(doc, "format"), *fv = json_object_get(doc, "format_version");
    if (!json_is_string(f) || strcmp(json_string_value(f), PD_EXPORT_FORMAT) != 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: \"format\" is not \"%s\"", PD_EXPORT_FORMAT);
    if (!json_is_integer(fv) || json_integer_value(fv) != PD_EXPORT_VERSION)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: format_version is not %d (this promptdeck reads %d)",
                            PD_EXPORT_VERSION, PD_EXPORT_VERSION);
    if (!json_is_array(json_object_get(doc, "prompts")))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: \"prompts\" is not an array");
    return check_partials(json_object_get(doc, "partials"), err);
}

/* Imports every prompt; a prompt that conflicts (or is damaged here) is left as it is and the
 * others still go in; the first such problem is reported at the end. */
static int import_all(pd_store *s, import_item *items, size_t n, json_t *partials, pd_import_counts *c,
                      pd_error *err)
{
    int failed = 0;
    pd_error first = {0};
    size_t k;
    json_t *jp;
    json_array_foreach(partials, k, jp) {   /* first: the prompts may use them */
        pd_error e = {0};
        if (merge_partial(s, jp, c, &e) == 0)
            continue;
        if (e.code != PD_ERR_CONFLICT && e.code != PD_ERR_DAMAGED)
            return *err = e, -1;
        if (failed++ == 0)
            first = e;
    }
    for (size_t i = 0; i < n; i++) {
        pd_error e = {0};
        int rc = store_create_locked(s, items[i].p, items[i].v, items[i].n, &e);
        if (rc == 0) {
            c->prompts_created++;
            c->versions_added += (int)items[i].n;
            continue;
        }
        if (e.code == PD_ERR_CONFLICT)   /* it exists: add what is new */
            rc = merge_item(s, &items[i], c, &e);
        if (rc == 0)
            continue;
        if (e.code != PD_ERR_CONFLICT && e.code != PD_ERR_DAMAGED) {
            *err = e;
            return -1;
        }
        if (failed++ == 0)
            first = e;
    }
    if (failed) {
        *err = first;
        if (failed > 1)
            pd_error_prefix(err, "%d prompts or partials were not imported; the first", failed);
        return -1;
    }
    return 0;
}

static int cmp_name_at(const void *a, const void *b, void *compares)
{
    const char *const *x = *(const char *const *const *)a, *const *y = *(const char *const *const *)b;
    if (compares)
        ++*(size_t *)compares;
    int d = strcmp(*x, *y);
    return d ? d : x < y ? -1 : x > y;   /* equal names in the order given */
}

long store_first_repeat(const char *const *names, size_t n, size_t *compares)
{
    if (compares)
        *compares = 0;
    const char *const **order = pd_xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = &names[i];
    qsort_r(order, n, sizeof *order, cmp_name_at, compares);
    long first = -1;
    for (size_t i = 1; i < n; i++) {
        if (compares)
            ++*compares;
        long at = (long)(order[i] - names);
        if (strcmp(*order[i], *order[i - 1]) == 0 && (first < 0 || at < first))
            first = at;
    }
    free(order);
    return first;
}

/* The import's writes, under the lock: each new prompt is built in the trash and renamed into
 * place unsynced, then the file system is synced once (syncfs) before success is reported:
 * one sync instead of one per file and folder (10,000 prompts took minutes). */
static int import_locked(pd_store *s, import_item *items, size_t n, json_t *partials, const char *author,
                         pd_import_counts *c, pd_error *err)
{
    int fd = -1;
    if (store_lock_for_writing(s, &fd, err) != 0)
        return -1;
    s->write_flags = STORE_NO_SYNC;
    s->author = author;
    int rc = import_all(s, items, n, partials, c, err);
    s->write_flags = 0;
    s->author = NULL;
    pd_error serr = {0};
    int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || syncfs(dfd) != 0) {   /* what went in, durable; else not reported as done */
        pd_error_set(&serr, PD_ERR_IO, "import: cannot sync the library's file system (%s): %s", s->dir,
                     strerror(errno));
        if (rc == 0)
            *err = serr;
        rc = -1;
    }
    if (dfd >= 0)
        close(dfd);
    store_unlock(fd);
    return rc;
}

int pd_store_import_json(pd_store *s, json_t *doc, pd_import_counts *counts, pd_error *err)
{
    pd_import_counts local = {0};
    pd_import_counts *c = counts ? counts : &local;
    *c = (pd_import_counts){0};
    if (check_doc(doc, err) != 0)
        return -1;
    json_t *prompts = json_object_get(doc, "prompts");
    size_t n = json_array_size(prompts);
    import_item *items = pd_xcalloc(n ? n : 1, sizeof *items);
    int rc = 0;
    char *author = store_author();
    /* Everything is decoded and checked before anything is written (and before the lock). */
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = decode_item(json_array_get(prompts, i), i, author, &items[i], err);
    if (rc == 0) {   /* sorted, not each against each: 60,000 prompts took 10 s */
        const char **slugs = pd_xmalloc((n ? n : 1) * sizeof *slugs);
        for (size_t i = 0; i < n; i++)
            slugs[i] = items[i].p->slug;
        long twice = store_first_repeat(slugs, n, NULL);
        free(slugs);
        if (twice >= 0)
            rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "import: prompt \"%s\" appears twice", items[twice].p->slug);
    }
    if (rc == 0)
        rc = import_locked(s, items, n, json_object_get(doc, "partials"), author, c, err);
    free(author);
    for (size_t i = 0; i < n; i++)
        item_clear(&items[i]);
    free(items);
    return rc;
}

static int export_one(pd_store *s, const char *slug, json_t *arr, pd_error *err)
{
    pd_prompt *p;
    if (pd_store_get_prompt(s, slug, &p, err) != 0)
        return -1;
    if (p->duplicates) {
        pd_error_set(err, PD_ERR_CONFLICT,
                     "prompt \"%s\" has two versions with the same number (a git merge): run `promptdeck sync` or "
                     "`promptdeck fix` before exporting it",
                     slug);
        pd_prompt_free(p);
        return -1;
    }
    pd_version **vs;
    size_t n;
    int listed = pd_store_list_versions(s, slug, &vs, &n, err);
    if (listed != 0) {   /* an export with a version missing would not be the prompt */
        for (size_t i = 0; listed > 0 && i < n; i++)
            pd_version_free(vs[i]);
        if (listed > 0)
            free(vs);
        pd_prompt_free(p);
        return -1;
    }
    json_t *jp = pd_prompt_to_json(p);
    json_object_del(jp, "current_version");   /* implied by the versions */
    json_t *jv = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(jv, pd_version_to_json(vs[i]));
        pd_version_free(vs[i]);
    }
    free(vs);
    json_object_set_new(jp, "versions", jv);
    json_array_append_new(arr, jp);
    pd_prompt_free(p);
    return 0;
}

int pd_store_export(pd_store *s, const pd_export_opts *o, json_t **out, pd_store_report *left, pd_error *err)
{
    *out = NULL;
    json_t *arr = json_array();
    size_t was = left->n;
    pd_prompt_list l = {0};
    if (o->n_slugs == 0 && pd_store_list(s, &l, err) != 0) {
        json_decref(arr);
        return -1;
    }
    size_t n = o->n_slugs ? o->n_slugs : l.n;
    for (size_t i = 0; i < n; i++) {   /* a damaged prompt is left out and said, the rest exported */
        const char *slug = o->n_slugs ? o->slugs[i] : l.items[i]->slug;
        pd_error e = {0};
        if (export_one(s, slug, arr, &e) == 0)
            continue;
        if (o->n_slugs && (e.code == PD_ERR_NOT_FOUND || e.code == PD_ERR_INVALID_REQUEST)) {   /* asked for */
            *err = e;
            json_decref(arr);
            return -1;
        }
        store_report_add(left, "prompt \"%s\" left out: %s", slug, e.msg);
    }
    pd_prompt_list_free(&l);
    json_t *partials = export_partials(s, o, left);
    *out = json_pack("{s:s, s:i, s:o, s:o*}", "format", PD_EXPORT_FORMAT, "format_version", PD_EXPORT_VERSION, "prompts",
                     arr, "partials", partials);
    return left->n > was ? 1 : 0;
}

int pd_store_export_json(pd_store *s, const char *const *slugs, size_t n, json_t **out, pd_error *err)
{
    pd_store_report left = {0};
    pd_export_opts o = {.slugs = slugs, .n_slugs = n};
    int rc = pd_store_export(s, &o, out, &left, err);
    if (rc == 1 && err) {   /* the first one left out, and how many more */
        pd_error_set(err, PD_ERR_DAMAGED, "%s", left.notes[0]);
        if (left.n > 1)
            pd_error_prefix(err, "%zu prompts or partials left out; the first", left.n);
    }
    pd_store_report_free(&left);
    return rc;
}
