/* store_settle.c: making version numbers unique again after git brought two clones' versions
 * together. The rule, the same for `fix` and `sync`: versions already shared (pushed) keep their
 * numbers, and of two shared versions with one number the smaller id (the one made first) keeps
 * it; every other version follows the highest kept number, in the order (number, id). A
 * renumbering is a rename of the version's file: its content, its id, and the labels and runs
 * that refer to the id do not change. */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

typedef struct plan_acc {
    store_renumber *v;
    size_t n, cap;
    store_pushed_fn pushed;
    void *ud;
} plan_acc;

void store_renumber_free(store_renumber *plan, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(plan[i].dir);
        free(plan[i].name);
        free(plan[i].id);
    }
    free(plan);
}

static void plan_dir(plan_acc *a, const char *dir, const char *name, bool partial, const char *meta)
{
    store_dir_scan scan;
    if (store_scan_dir(dir, meta, &scan, NULL) != 0)
        return;
    store_vlist vl = store_vlist_of(&scan, true);
    bool *moves = pd_xcalloc(vl.n ? vl.n : 1, sizeof *moves);
    bool *local = pd_xcalloc(vl.n ? vl.n : 1, sizeof *local);
    int max_kept = 0, last_kept = 0;
    for (size_t i = 0; i < vl.n; i++) {
        local[i] = a->pushed && !a->pushed(a->ud, dir, vl.v[i]->id);
        moves[i] = local[i] || vl.v[i]->number == last_kept;
        if (!moves[i])
            last_kept = max_kept = vl.v[i]->number;
    }
    int next = max_kept + 1;
    for (size_t i = 0; i < vl.n; i++) {
        if (!moves[i])
            continue;
        int to = next++;
        if (to == vl.v[i]->number)
            continue;
        if (a->n == a->cap) {
            a->cap = a->cap ? a->cap * 2 : 8;
            a->v = pd_xrealloc(a->v, a->cap * sizeof *a->v);
        }
        a->v[a->n++] = (store_renumber){.dir = pd_strdup(dir), .name = pd_strdup(name), .partial = partial,
                                        .local = local[i], .id = pd_strdup(vl.v[i]->id),
                                        .from = vl.v[i]->number, .to = to};
    }
    free(moves);
    free(local);
    store_vlist_free(&vl);
    store_dir_scan_free(&scan);
}

static int plan_prompt(pd_store *s, const char *slug, const char *pdir, void *ud, pd_error *err)
{
    (void)s;
    (void)err;
    plan_dir(ud, pdir, slug, false, "prompt.json");
    return 0;
}

static int plan_partial(pd_store *s, const char *name, const char *dir, void *ud, pd_error *err)
{
    (void)s;
    (void)err;
    plan_dir(ud, dir, name, true, "partial.json");
    return 0;
}

int store_settle_plan(pd_store *s, const char *const *slugs, size_t n_slugs, store_pushed_fn pushed, void *ud,
                      store_renumber **out, size_t *n, pd_error *err)
{
    plan_acc a = {.pushed = pushed, .ud = ud};
    int rc = 0;
    if (!slugs)
        rc = store_prompts_each(s, plan_prompt, &a, err);
    for (size_t i = 0; slugs && i < n_slugs && rc == 0; i++) {
        char *pdir = store_prompt_dir(s, slugs[i]);
        if (pd_slug_valid(slugs[i], NULL) && store_refuse_links(s, pdir, NULL) == 0)
            plan_dir(&a, pdir, slugs[i], false, "prompt.json");   /* a prompt gone is nothing to plan */
        free(pdir);
    }
    if (rc == 0)
        rc = store_partials_each(s, plan_partial, &a, err);
    if (rc != 0) {
        store_renumber_free(a.v, a.n);
        return -1;
    }
    *out = a.v;
    *n = a.n;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_upstream_ids(const char *dir, bool no_terminal, store_ids *ids, store_git_out *o)
{
    *ids = (store_ids){0};
    const char *argv[] = {"ls-tree", "-r", "--name-only", "@{u}", "--", ".", NULL};
    if (store_git_run(dir, NULL, no_terminal, o, argv) != 0)
        return -1;
    size_t cap = 0;
    for (const char *line = o->out ? o->out : ""; *line;) {
        size_t len = strcspn(line, "\n");
        char *path = pd_strndup(line, len), *base = strrchr(path, '/'), *id;
        int number;
        if (base && store_vfile_name(base + 1, &number, &id) && id) {
            if (ids->n == cap) {
                cap = cap ? cap * 2 : 64;
                ids->v = pd_xrealloc(ids->v, cap * sizeof *ids->v);
            }
            ids->v[ids->n++] = id;
        }
        free(path);
        line += len + (line[len] == '\n');
    }
    store_git_out_free(o);
    if (ids->n > 1)
        qsort(ids->v, ids->n, sizeof *ids->v, cmp_id);
    return 0;
}

bool store_ids_has(const store_ids *ids, const char *id)
{
    return ids->n && bsearch(&id, ids->v, ids->n, sizeof *ids->v, cmp_id) != NULL;
}

void store_ids_free(store_ids *ids)
{
    for (size_t i = 0; i < ids->n; i++)
        free(ids->v[i]);
    free(ids->v);
    *ids = (store_ids){0};
}

static bool upstream_has(void *ud, const char *dir, const char *id)
{
    (void)dir;
    return store_ids_has(ud, id);
}

int store_settle_apply(pd_store *s, const store_renumber *plan, size_t n, pd_store_report *r, pd_error *err)
{
    (void)s;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const store_renumber *p = &plan[i];
        char *from = store_version_path(p->dir, p->from, p->id), *to = store_version_path(p->dir, p->to, p->id);
        rc = store_rename(from, to, err);
        free(from);
        free(to);
        if (rc == 0 && (i + 1 == n || strcmp(plan[i + 1].dir, p->dir) != 0))
            rc = pd_fsync_dir(p->dir, err);
        if (rc != 0)
            break;
        if (r)
            r->renumbered++;
        const char *what = p->partial ? "partial " : "";
        if (p->local)
            store_report_add(r, "your v%d of %s%s is now v%d", p->from, what, p->name, p->to);
        else
            store_report_add(r, "%s%s had two versions numbered %d: the later one (id %s) is now v%d", what, p->name,
                             p->from, p->id, p->to);
    }
    return rc;
}

/* The prompt's other files (tests.json) that git left conflict markers in, settled by the
 * store's settle function; one that cannot be is reported, the others still settled. */
static int settle_prompt_files(pd_store *s, const char *slug, const char *pdir, void *ud, pd_error *err)
{
    (void)err;
    pd_store_report *r = ud;
    store_dir_scan scan;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) != 0)
        return 0;
    for (size_t i = 0; i < scan.n_others; i++) {
        char *path = pd_path_join(pdir, scan.others[i]);
        pd_error serr = {0};
        int rc = s->settle(s->settle_ud, path, &serr);
        if (rc == 1)
            store_report_add(r, "settled the git conflict in prompts/%s/%s: both sides kept", slug, scan.others[i]);
        else if (rc < 0)
            store_report_add(r, "prompts/%s/%s is left as it is: %s", slug, scan.others[i], serr.msg);
        free(path);
    }
    store_dir_scan_free(&scan);
    return 0;
}

int pd_store_fix(pd_store *s, pd_store_report *r, pd_error *err)
{
    int fd;
    if (store_lock_for_writing(s, &fd, err) != 0)
        return -1;
    store_renumber *plan;
    size_t n;
    /* in a git work tree with an upstream, the same rule as sync: what the upstream has keeps
     * its number, this clone's versions not pushed yet follow; else of two, the older id keeps it */
    store_ids up;
    store_git_out o;
    bool in_git = store_upstream_ids(s->dir, true, &up, &o) == 0;
    if (!in_git)
        store_git_out_free(&o);
    int rc = store_settle_plan(s, NULL, 0, in_git ? upstream_has : NULL, &up, &plan, &n, err);
    store_ids_free(&up);
    if (rc == 0) {
        rc = store_settle_apply(s, plan, n, r, err);
        store_renumber_free(plan, n);
        size_t before = r ? r->n : 0;
        if (rc == 0 && s->settle)
            rc = store_prompts_each(s, settle_prompt_files, r, err);
        if (rc == 0 && n == 0 && (!r || r->n == before))
            store_report_add(r, "every version has a number of its own: nothing to fix");
    }
    store_unlock(fd);
    return rc;
}
