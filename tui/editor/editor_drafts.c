/* editor_drafts.c: the editor's drafts: written after a pause in typing (and at least every
 * few seconds while typing goes on), before handing the text to another program, when the
 * editor closes unsaved and from the app's exit hook (normal quit, SIGHUP, SIGTERM); offered
 * back at the next start, one by one: restore, or (asked twice) discard. A crash loses at most
 * the last pause's worth of typing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor_priv.h"
#include "editor.h"
#include "runpanes/runpanes.h"
#include "store/store.h"

#define DRAFT_PAUSE_MS 300     /* written this long after the last change */
#define DRAFT_MAX_AGE_MS 2000  /* or at the latest this long after the last write */

const char *ed_when(const char *rfc3339, char *buf, size_t size)
{
    /* 2026-11-21T07:43:26Z -> 2026-11-21 07:43 */
    if (!rfc3339 || strlen(rfc3339) < 16) {
        snprintf(buf, size, "%s", rfc3339 ? rfc3339 : "?");
        return buf;
    }
    snprintf(buf, size, "%.10s %.5s", rfc3339, rfc3339 + 11);
    return buf;
}

bool ed_modified(const editor *ed)
{
    editor *e = (editor *)ed;   /* the cache only */
    unsigned long g = pd_editdoc_generation(ed->doc);
    if (e->mod_known && e->mod_gen == g)
        return e->mod_val;
    pd_version *v = pd_editdoc_version(ed->doc);
    const char *c1 = v->commit_message ? v->commit_message : "";
    const char *c2 = ed->start->commit_message ? ed->start->commit_message : "";
    e->mod_val = !pd_version_content_equal(v, ed->start) || strcmp(c1, c2) != 0;
    pd_version_free(v);
    e->mod_gen = g;
    e->mod_known = true;
    return e->mod_val;
}

void ed_draft_flush(editor *ed)
{
    unsigned long g = pd_editdoc_generation(ed->doc);
    if (ed->drafts_stopped || g == ed->draft_gen)
        return;
    pd_error err = {0};
    ed->draft_gen = g;
    ed->last_draft_ms = ed_now_ms();
    if (!ed_modified(ed)) {
        /* back to where it started: nothing to keep */
        if (ed->draft_on_disk && pd_draft_remove(ed->library, ed->slug, &err) == 0)
            ed->draft_on_disk = false;
        return;
    }
    pd_version *v = pd_editdoc_version(ed->doc);
    pd_draft *d = pd_draft_new(ed->library, ed->slug, ed->base_number, v);
    d->new_name = pd_strdup(ed->new_name);
    if (ed->base_number > 0 && ed->base)
        d->base_id = pd_strdup(ed->base->id);
    pd_version_free(v);
    if (ed->in_text) {
        d->cursor_item = (long)ed->msg;
        d->cursor_offset = (long)pd_tb_cursor(ed->doc->msgs[ed->msg].tb);
    } else {
        d->cursor_item = -1 - (long)ed->field;
    }
    if (pd_draft_save(d, &err) != 0)
        pd_app_error(ed->app, "Draft not saved: %s", err.msg);
    else
        ed->draft_on_disk = true;
    pd_draft_free(d);
}

void ed_changed(editor *ed)
{
    ed->last_change_ms = ed_now_ms();
}

/* Before every wait for input: write when the typing paused, else say when to come back. */
static size_t draft_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    (void)fds;
    (void)max;
    editor *ed = ud;
    if (pd_editdoc_generation(ed->doc) == ed->draft_gen)
        return 0;
    long now = ed_now_ms();
    long due = ed->last_change_ms + DRAFT_PAUSE_MS;
    if (ed->last_draft_ms && ed->last_draft_ms + DRAFT_MAX_AGE_MS < due)
        due = ed->last_draft_ms + DRAFT_MAX_AGE_MS;
    if (now >= due) {
        ed_draft_flush(ed);
        return 0;
    }
    *timeout_ms = (int)(due - now);
    return 0;
}

static void draft_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    (void)ud;
    (void)fds;
    (void)n;   /* the write happens in draft_pollfds, right before the wait */
}

static void draft_exit(pd_app *app, void *ud, int signo)
{
    (void)app;
    (void)signo;
    editor *ed = ud;
    ed->hook_id = 0;   /* the app drops hooks as it runs them */
    ed->exiting = true;
    ed_draft_flush(ed);
}

void ed_drafts_start(editor *ed)
{
    pd_source src = {draft_pollfds, draft_dispatch, ed};
    ed->source_id = pd_app_add_source(ed->app, &src);
    ed->hook_id = pd_app_add_exit_hook(ed->app, draft_exit, ed);
}

void ed_drafts_stop(editor *ed, bool discard)
{
    if (ed->drafts_stopped)
        return;
    if (discard) {
        pd_error err = {0};
        if (pd_draft_remove(ed->library, ed->slug, &err) != 0)
            pd_app_error_err(ed->app, &err);
        ed->draft_on_disk = false;
    } else {
        ed_draft_flush(ed);
    }
    ed->drafts_stopped = true;
    if (ed->source_id)
        pd_app_remove_source(ed->app, ed->source_id);
    if (ed->hook_id)
        pd_app_remove_exit_hook(ed->app, ed->hook_id);
    ed->source_id = ed->hook_id = 0;
}

/* ---------------------------------------------------------------- restoring */

editor *ed_restore(pd_app *app, pd_draft *d, pd_error *err)
{
    pd_version *base = NULL;
    const char *new_name = d->base_version == 0 ? (d->new_name ? d->new_name : d->slug) : NULL;
    if (new_name)
        base = pd_xcalloc(1, sizeof *base);   /* a prompt not created yet: its first save creates it */
    else if (pd_draft_find_base(d, pd_app_store(app), &base, err) != 0)   /* by id: renumbered maybe */
        return NULL;
    pd_editdoc *doc = pd_editdoc_new(d->version);
    editor *ed = ed_open(app, d->slug, base, d->base_version, doc, new_name);
    /* unchanged means "as saved", so the restored work counts as modified */
    pd_version_free(ed->start);
    ed->start = pd_version_dup(base);
    free(ed->start->commit_message);
    ed->start->commit_message = NULL;
    ed->draft_on_disk = true;
    ed->mod_known = false;
    if (d->cursor_item >= 0 && (size_t)d->cursor_item < doc->n_msgs) {
        ed->in_text = true;
        ed->msg = (size_t)d->cursor_item;
        pd_tb_set_cursor(doc->msgs[ed->msg].tb, d->cursor_offset > 0 ? (size_t)d->cursor_offset : 0);
    } else if (d->cursor_item < 0 && -1 - d->cursor_item < PD_FIELD__COUNT) {
        ed->in_text = false;
        ed->field = (size_t)(-1 - d->cursor_item);
    }
    pd_prompt *p = NULL;
    int current = 0;
    if (pd_store_get_prompt(pd_app_store(app), d->slug, &p, NULL) == 0)
        current = p->current_version;
    pd_prompt_free(p);
    if (new_name && current)
        pd_app_status(app, "Restored your new prompt %s; a prompt of that name exists now: saving will say so",
                      d->slug);
    else if (new_name)
        pd_app_status(app, "Restored your new prompt %s (Ctrl-S creates it)", d->slug);
    else if (current > d->base_version)
        pd_app_status(app, "Restored your edit of %s (from v%d; v%d was saved since)", d->slug, d->base_version,
                      current);
    else
        pd_app_status(app, "Restored your unsaved edit of %s (from v%d)", d->slug, d->base_version);
    pd_draft_free(d);
    ed_relayout(ed);
    return ed;
}

/* ---------------------------------------------------------------- offering drafts */

typedef struct offer {
    pd_draft **d;
    size_t n, i;
    int hook_id;
} offer;

static void offer_free(offer *o)
{
    for (size_t k = o->i; k < o->n; k++)
        pd_draft_free(o->d[k]);
    free(o->d);
    free(o);
}

static void offer_exit(pd_app *app, void *ud, int signo)
{
    (void)app;
    (void)signo;
    offer_free(ud);   /* the app ends with a question open: the drafts stay on disk */
}

static void offer_next(pd_app *app, offer *o);

static void discard_done(pd_app *app, void *ud, bool yes)
{
    offer *o = ud;
    pd_draft *d = o->d[o->i];
    if (yes) {
        pd_error err = {0};
        if (pd_draft_remove(d->library, d->slug, &err) != 0)
            pd_app_error_err(app, &err);
        else
            pd_app_status(app, "Draft of %s discarded", d->slug);
    } else {
        pd_app_status(app, "Kept the draft of %s for the next start", d->slug);
    }
    pd_draft_free(d);
    o->i++;
    offer_next(app, o);
}

static void restore_done(pd_app *app, void *ud, bool yes)
{
    offer *o = ud;
    pd_draft *d = o->d[o->i];
    char q[PD_ERROR_MSG_MAX + 128];
    if (!yes) {
        snprintf(q, sizeof q, "Discard that edit of %s for good? n keeps it for the next start", d->slug);
        pd_app_confirm(app, q, discard_done, o);
        return;
    }
    pd_error err = {0};
    editor *ed = ed_restore(app, d, &err);
    if (!ed) {
        /* e.g. the prompt was deleted since: say why, and let it go or keep it */
        if (err.code == PD_ERR_NOT_FOUND)
            snprintf(q, sizeof q, "%s v%d no longer exists: discard your edit of it? n keeps it", d->slug,
                     d->base_version);
        else
            snprintf(q, sizeof q, "Cannot restore (%.40s): discard that edit? n keeps it", err.msg);
        pd_app_confirm(app, q, discard_done, o);
        return;
    }
    o->i++;
    pd_app_remove_exit_hook(app, o->hook_id);
    if (o->i < o->n) {
        /* the rest are offered when this editor closes */
        ed->n_offers = o->n - o->i;
        ed->offers = pd_xmalloc(ed->n_offers * sizeof *ed->offers);
        memcpy(ed->offers, o->d + o->i, ed->n_offers * sizeof *ed->offers);
        o->i = o->n;
    }
    offer_free(o);
}

static void offer_next(pd_app *app, offer *o)
{
    while (o->i < o->n && ed_is_open(app, o->d[o->i]->slug))
        pd_draft_free(o->d[o->i++]);
    if (o->i >= o->n) {
        pd_app_remove_exit_hook(app, o->hook_id);
        offer_free(o);
        return;
    }
    pd_draft *d = o->d[o->i];
    if (d->base_version > 0)   /* its number now */
        pd_draft_find_base(d, pd_app_store(app), NULL, NULL);
    char q[320];
    char when[32];
    char count[64] = "";
    if (o->n > 1)
        snprintf(count, sizeof count, " (%zu of %zu)", o->i + 1, o->n);
    if (d->base_version > 0)
        snprintf(q, sizeof q, "Restore unsaved edit of %s (v%d, %s)?%s", d->slug, d->base_version,
                 ed_when(d->saved_at, when, sizeof when), count);
    else
        snprintf(q, sizeof q, "Restore the unsaved new prompt %s (%s)?%s", d->slug, ed_when(d->saved_at, when, sizeof when),
                 count);
    pd_app_confirm(app, q, restore_done, o);
}

void ed_offer_drafts(pd_app *app, pd_draft **offers, size_t n)
{
    offer *o = pd_xcalloc(1, sizeof *o);
    o->d = offers;
    o->n = n;
    o->hook_id = pd_app_add_exit_hook(app, offer_exit, o);
    offer_next(app, o);
}

void pd_editor_check_drafts(pd_app *app)
{
    pd_draft **list = NULL;
    size_t n = 0;
    char *problems = NULL;
    pd_error err = {0};
    if (pd_drafts_list(pd_store_dir(pd_app_store(app)), &list, &n, &problems, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    if (problems) {
        problems[strcspn(problems, "\n")] = '\0';
        pd_app_error(app, "A draft could not be read (it is left alone): %s", problems);
        free(problems);
    }
    if (n == 0) {
        free(list);
        return;
    }
    ed_offer_drafts(app, list, n);
}
