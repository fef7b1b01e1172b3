/* store_sync.c: `promptdeck sync`: the library's changes committed (its files only), the
 * upstream fetched and merged (or rebased onto, as the repository is configured), the merge
 * settled (versions not pushed yet renumbered after the upstream's, label moves and metadata
 * changes that lost reported), and pushed. The library lock is held while files change (commit,
 * merge, settle), not while the network is used. Every git failure leaves the library loadable
 * and loses nothing: a merge git cannot settle is aborted and its files named. */
#include "store_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

#define SYNC_ATTEMPTS 5

typedef struct sync_ctx {
    pd_store *s;
    const pd_sync_opts *o;
    pd_store_report *r;
    char *branch, *upstream, *remote, *merge_ref;
    bool rebase;
    store_ids pushed;    /* the version ids the upstream has */
    char *pre_head;      /* HEAD with this clone's changes committed, before anything was pulled */
    char *marker;        /* store_sync_rescue's mark that this sync runs */
    char *refused;       /* what the upstream said refusing the last push itself ("[remote
                            rejected]": a locked ref, a hook), or NULL when it only moved */
} sync_ctx;

/* git ARGS... (NULL-terminated) in the library's directory. */
static int gitv(sync_ctx *c, store_git_out *o, const char *first, ...)
{
    const char *argv[32];
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 31; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return store_git_run(c->s->dir, NULL, c->o->no_terminal, o, argv);
}

/* The first line of what git said (trimmed). Caller frees. */
static char *first_words(const store_git_out *o)
{
    const char *t = o->err && *o->err ? o->err : o->out ? o->out : "";
    while (*t == '\n' || *t == ' ')
        t++;
    pd_buf b = PD_BUF_INIT;
    for (int lines = 0; *t && lines < 3; lines++) {   /* up to three lines, joined */
        size_t len = strcspn(t, "\n");
        if (len)
            pd_buf_printf(&b, "%s%.*s", b.len ? " / " : "", (int)len, t);
        t += len;
        while (*t == '\n')
            t++;
    }
    return pd_buf_take(&b);
}

static int git_failed(pd_error *err, pd_code code, const char *what, store_git_out *o)
{
    if (o->status == 127 && (!o->err || !*o->err))
        return pd_error_set(err, PD_ERR_IO, "git is not installed (scripts/deps.sh installs it)");
    char *said = first_words(o);
    pd_error_set(err, code, "%s: %s", what, *said ? said : "git failed");
    free(said);
    return -1;
}

/* The next line of text at *cursor (advanced past it), or NULL at the end. Caller frees. */
static char *next_line(const char **cursor)
{
    const char *p = *cursor;
    if (!*p)
        return NULL;
    size_t len = strcspn(p, "\n");
    *cursor = p + len + (p[len] == '\n');
    return pd_strndup(p, len);
}

static char *trimmed(const char *s)
{
    char *t = pd_strdup(s ? s : "");
    size_t n = strlen(t);
    while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' '))
        t[--n] = '\0';
    return t;
}

/* Runs git and gives back its output trimmed, or NULL when it failed. Caller frees. */
static char *git_line(sync_ctx *c, const char *a, const char *b, const char *d, const char *e)
{
    store_git_out o;
    int st = gitv(c, &o, a, b, d, e, NULL);
    char *line = st == 0 ? trimmed(o.out) : NULL;
    store_git_out_free(&o);
    return line;
}

static void progress(sync_ctx *c, const char *step)
{
    if (c->o->progress)
        c->o->progress(c->o->ud, step);
}

static bool git_path_exists(sync_ctx *c, const char *name)
{
    char *p = git_line(c, "rev-parse", "--git-path", name, NULL);
    if (!p)
        return false;
    char *full = p[0] == '/' ? pd_strdup(p) : pd_path_join(c->s->dir, p);
    struct stat st;
    bool r = stat(full, &st) == 0;
    free(full);
    free(p);
    return r;
}

/* The work tree, the branch and its upstream; refuses a merge or rebase left in progress. */
static int prepare(sync_ctx *c, pd_error *err)
{
    store_git_out o;
    if (gitv(c, &o, "rev-parse", "--show-toplevel", NULL) != 0) {
        int rc = o.status == 127 ? git_failed(err, PD_ERR_IO, "git", &o)
                                 : pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                                "%s is not in a git work tree: clone the team's repository (or git "
                                                "init one) and keep the library in it",
                                                c->s->dir);
        store_git_out_free(&o);
        return rc;
    }
    store_git_out_free(&o);
    /* under the lock: a command opening the library may be cleaning up after a killed sync too */
    int fd;
    if (store_lock(c->s, &fd, err) != 0)
        return -1;
    c->marker = store_sync_rescue(c->s, c->o->no_terminal, c->r);
    store_unlock(fd);
    if (git_path_exists(c, "MERGE_HEAD") || git_path_exists(c, "rebase-merge") || git_path_exists(c, "rebase-apply"))
        return pd_error_set(err, PD_ERR_CONFLICT,
                            "a git merge or rebase is in progress in %s (an interrupted sync or pull?): finish it "
                            "(git commit / git rebase --continue) or drop it (git merge --abort / git rebase --abort), "
                            "then sync again",
                            c->s->dir);
    c->branch = git_line(c, "symbolic-ref", "--quiet", "--short", "HEAD");
    if (!c->branch)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "HEAD is not on a branch in %s: check out a branch, then sync",
                            c->s->dir);
    c->upstream = git_line(c, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}");
    if (c->upstream) {
        char *k1 = pd_strf("branch.%s.remote", c->branch), *k2 = pd_strf("branch.%s.merge", c->branch),
             *k3 = pd_strf("branch.%s.rebase", c->branch);
        c->remote = git_line(c, "config", "--get", k1, NULL);
        c->merge_ref = git_line(c, "config", "--get", k2, NULL);
        char *rb = git_line(c, "config", "--get", "--type=bool", k3);
        if (!rb)
            rb = git_line(c, "config", "--get", "--type=bool", "pull.rebase");
        c->rebase = rb && strcmp(rb, "true") == 0;
        free(rb);
        free(k1);
        free(k2);
        free(k3);
        if (!c->remote || !c->merge_ref || strcmp(c->remote, ".") == 0) {   /* a local upstream: merge only */
            free(c->remote);
            free(c->merge_ref);
            c->remote = c->merge_ref = NULL;
        }
    }
    return 0;
}

/* ---- the commit message: what the staged changes are, in words ---- */

/* What a commit changes, per prompt or partial: "team/greet v6, label production -> v6". */
typedef struct change {
    char *name;          /* slug, or "partial NAME" */
    bool created, deleted;
    int lo, hi, count;   /* version numbers added */
    pd_buf what;         /* label moves and metadata changes, ", " separated */
} change;

typedef struct message {
    change *v;
    size_t n;
    int other;           /* files that are neither */
} message;

static change *change_of(message *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return &m->v[i];
    m->v = pd_xrealloc(m->v, (m->n + 1) * sizeof *m->v);
    m->v[m->n] = (change){.name = pd_strdup(name), .what = PD_BUF_INIT};
    return &m->v[m->n++];
}

static void say(message *m, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(message *m, const char *name, const char *fmt, ...)
{
    change *ch = change_of(m, name);
    va_list ap;
    va_start(ap, fmt);
    char *item = store_vstrf(fmt, ap);
    va_end(ap);
    pd_buf_printf(&ch->what, "%s%s", ch->what.len ? ", " : "", item);
    free(item);
}

static void add_version(message *m, const char *name, int number)
{
    change *ch = change_of(m, name);
    ch->lo = ch->count == 0 || number < ch->lo ? number : ch->lo;
    ch->hi = number > ch->hi ? number : ch->hi;
    ch->count++;
}

/* "team/greet created, v1-v3, label production -> v3". Caller frees. */
static char *change_text(const change *ch)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_puts(&b, ch->name);
    const char *sep = " ";
    if (ch->created || ch->deleted) {
        pd_buf_puts(&b, ch->created ? " created" : " deleted");
        sep = ", ";
    }
    if (ch->count == 1)
        pd_buf_printf(&b, "%sv%d", sep, ch->lo);
    else if (ch->count > 1 && ch->hi - ch->lo + 1 == ch->count)
        pd_buf_printf(&b, "%sv%d-v%d", sep, ch->lo, ch->hi);
    else if (ch->count > 1)
        pd_buf_printf(&b, "%s%d versions", sep, ch->count);
    if (ch->count)
        sep = ", ";
    if (ch->what.len)
        pd_buf_printf(&b, "%s%s", sep, pd_buf_str(&ch->what));
    return pd_buf_take(&b);
}

static void change_free(change *ch)
{
    free(ch->name);
    pd_buf_free(&ch->what);
}

/* "promptdeck: a v2, label production -> v2; b v4" (cut near 72 columns), then a line each. */
static char *message_text(message *m)
{
    pd_buf subject = PD_BUF_INIT, body = PD_BUF_INIT;
    pd_buf_puts(&subject, "promptdeck: ");
    for (size_t i = 0; i < m->n; i++) {
        char *t = change_text(&m->v[i]);
        if (i == 0 || subject.len + strlen(t) < 70)
            pd_buf_printf(&subject, "%s%s", i ? "; " : "", t);
        else if (subject.data[subject.len - 1] != '.')
            pd_buf_puts(&subject, "; ...");
        pd_buf_printf(&body, "- %s\n", t);
        free(t);
        change_free(&m->v[i]);
    }
    if (m->other)
        pd_buf_printf(m->n ? &body : &subject, "%s%d other file%s%s", m->n ? "- " : "", m->other,
                      m->other == 1 ? "" : "s", m->n ? "\n" : "");
    free(m->v);
    char *msg = pd_strf("%s\n\n%s", pd_buf_str(&subject), pd_buf_str(&body));
    pd_buf_free(&subject);
    pd_buf_free(&body);
    return msg;
}

/* "prompts/a/b/v0006-<id>.json" -> slug "a/b" (kind 'v', number 6); prompt.json 'p';
 * events.jsonl 'e'; partials 'P' (version files) ; anything else 0. *slug caller frees. */
static char classify(const char *path, char **slug, int *number)
{
    *slug = NULL;
    *number = 0;
    bool partial = strncmp(path, "partials/", 9) == 0;
    if (!partial && strncmp(path, "prompts/", 8) != 0)
        return 0;
    const char *rest = path + (partial ? 9 : 8), *base = strrchr(rest, '/');
    if (!base)
        return 0;
    *slug = pd_strndup(rest, (size_t)(base - rest));
    base++;
    char *id;
    if (store_vfile_name(base, number, &id)) {
        free(id);
        return partial ? 'P' : 'v';
    }
    if (!partial && strcmp(base, "prompt.json") == 0)
        return 'p';
    if (!partial && strcmp(base, "events.jsonl") == 0)
        return 'e';
    free(*slug);
    *slug = NULL;
    return 0;
}

/* The version number of id in the prompt's folder now, or 0. */
static int number_of(pd_store *s, const char *slug, const char *id)
{
    char *pdir = store_prompt_dir(s, slug);
    store_dir_scan scan;
    int n = 0;
    if (id && store_scan_dir(pdir, "prompt.json", &scan, NULL) == 0) {
        for (size_t i = 0; i < scan.n_files && !n; i++)
            if (scan.files[i].id && strcmp(scan.files[i].id, id) == 0)
                n = scan.files[i].number;
        store_dir_scan_free(&scan);
    }
    free(pdir);
    return n;
}

static bool has_id(const store_events *e, const char *id)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->v[i].id, id) == 0)
            return true;
    return false;
}

/* The prompt's events as git has them at rev (*then; false when the file is not there) and as
 * they are now (*now: empty when unreadable). Both freed by the caller. */
static bool events_then_now(sync_ctx *c, const char *rev, const char *slug, const char *path, store_events *then,
                            store_events *now)
{
    char *spec = pd_strf("%s:./%s", rev, path);
    store_git_out o;
    bool found = gitv(c, &o, "show", spec, NULL) == 0;
    *then = (store_events){0};
    if (found)
        store_events_parse(o.out, strlen(o.out), then);
    store_git_out_free(&o);
    free(spec);
    char *pdir = store_prompt_dir(c->s, slug);
    if (store_events_read(pdir, now, NULL) != 0)
        *now = (store_events){0};
    free(pdir);
    return found;
}

/* The label moves and metadata changes in path that rev does not have: said in m, and
 * recorded in news when not NULL. */
static void say_events(sync_ctx *c, const char *rev, message *m, pd_sync_news_prompt *news, const char *slug,
                       const char *path)
{
    store_events head, now;
    bool found = events_then_now(c, rev, slug, path, &head, &now);
    for (size_t i = 0; i < now.n; i++) {
        const store_event *ev = &now.v[i];
        if (has_id(&head, ev->id))
            continue;
        if (news && ev->label)
            store_news_add(&news->labels, &news->n_labels, ev->label);
        else if (news)
            store_news_add(&news->fields, &news->n_fields, ev->field);
        if (!found)
            continue;   /* a new prompt: "created" says it */
        if (ev->label && ev->version)
            say(m, slug, "label %s -> v%d", ev->label, number_of(c->s, slug, ev->version));
        else if (ev->label)
            say(m, slug, "label %s removed", ev->label);
        else
            say(m, slug, "%s changed", ev->field);
    }
    store_events_free(&now);
    store_events_free(&head);
}

static char *commit_message(sync_ctx *c, const char *name_status)
{
    message m = {0};
    const char *cursor = name_status;
    char *l;
    while ((l = next_line(&cursor)) != NULL) {
        char *tab = strchr(l, '\t');
        char *path = tab ? tab + 1 : NULL;
        char *slug = NULL;
        int number;
        char kind = path ? classify(path, &slug, &number) : 0;
        bool added = l[0] == 'A', deleted = l[0] == 'D';
        char *partial = kind == 'P' ? pd_strf("partial %s", slug) : NULL;
        if (kind == 'v' && added)
            add_version(&m, slug, number);
        else if (kind == 'P' && added)
            add_version(&m, partial, number);
        else if (kind == 'p' && (added || deleted))
            *(added ? &change_of(&m, slug)->created : &change_of(&m, slug)->deleted) = true;
        else if (kind == 'e' && !deleted)
            say_events(c, "HEAD", &m, NULL, slug, path);
        else if (!kind)
            m.other++;
        free(partial);
        free(slug);
        free(l);
    }
    return message_text(&m);
}

/* Stages everything under the library and commits it (only it: other staged files stay). */
static int commit_library(sync_ctx *c, const char *fixed_message, pd_error *err)
{
    store_git_out o;
    if (gitv(c, &o, "add", "-A", "--", ".", NULL) != 0) {
        int rc = git_failed(err, PD_ERR_IO, "git add failed", &o);
        store_git_out_free(&o);
        return rc;
    }
    store_git_out_free(&o);
    if (gitv(c, &o, "diff", "--cached", "--name-status", "--relative", "--no-renames", "--", ".", NULL) != 0) {
        int rc = git_failed(err, PD_ERR_IO, "git diff failed", &o);
        store_git_out_free(&o);
        return rc;
    }
    if (!*o.out) {
        store_git_out_free(&o);
        return 0;
    }
    char *msg = fixed_message ? pd_strdup(fixed_message) : commit_message(c, o.out);
    store_git_out_free(&o);
    int rc = 0;
    if (gitv(c, &o, "commit", "--quiet", "-m", msg, "--", ".", NULL) != 0)
        rc = git_failed(err, PD_ERR_IO, "git commit failed", &o);
    else if (c->r) {
        c->r->committed++;
        char *subject = pd_strndup(msg, strcspn(msg, "\n"));
        store_report_add(c->r, "committed: %s", subject);
        free(subject);
    }
    store_git_out_free(&o);
    free(msg);
    return rc;
}

/* ---- merging the upstream ---- */

/* true when path (relative to the repository's top) is a file in one of the library's prompt
 * folders, the only files the store's settle function is asked about. */
static bool in_prompts(sync_ctx *c, const char *top, const char *path, char **full)
{
    *full = pd_strf("%s/%s", top, path);
    char *slash = strrchr(*full, '/');
    *slash = '\0';
    char *dir = realpath(*full, NULL), *prompts = realpath(c->s->prompts, NULL);
    *slash = '/';
    size_t n = prompts ? strlen(prompts) : 0;
    bool in = dir && prompts && strncmp(dir, prompts, n) == 0 && dir[n] == '/';
    free(dir);
    free(prompts);
    return in;
}

/* A merge or rebase of the upstream stopped on conflicts: when every conflicted file is one the
 * store's settle function knows (the eval module's tests.json), it is settled and added and
 * the merge committed, or the rebase continued (it may stop again at a later commit). true
 * when the merge or rebase is finished. */
static bool settle_conflicts(sync_ctx *c)
{
    char *top = c->s->settle ? git_line(c, "rev-parse", "--show-toplevel", NULL, NULL) : NULL;
    bool done = false;
    for (int round = 0; top && !done && round < 10000; round++) {
        char *files = git_line(c, "diff", "--name-only", "--diff-filter=U", NULL);
        const char *cursor = files ? files : "";
        char *l;
        bool settled = files && *files;
        while (settled && (l = next_line(&cursor)) != NULL) {
            char *full = NULL;
            pd_error serr = {0};
            settled = *l != '"' && in_prompts(c, top, l, &full) && c->s->settle(c->s->settle_ud, full, &serr) == 1 &&
                      gitv(c, NULL, "add", "--", full, NULL) == 0;
            if (settled)
                store_report_add(c->r, "settled the git conflict in %s: both sides kept", l);
            free(full);
            free(l);
        }
        free(files);
        if (!settled)
            break;
        if (git_path_exists(c, "MERGE_HEAD"))
            done = gitv(c, NULL, "commit", "--no-edit", "--quiet", NULL) == 0;
        else if (gitv(c, NULL, "rebase", "--continue", NULL) == 0)
            done = true;
        else if (!git_path_exists(c, "rebase-merge") && !git_path_exists(c, "rebase-apply"))
            break;
    }
    free(top);
    return done;
}

static int merge_upstream(sync_ctx *c, pd_error *err)
{
    char *count = git_line(c, "rev-list", "--count", "HEAD..@{u}", NULL);
    bool behind = count && strcmp(count, "0") != 0;
    if (behind)
        store_report_add(c->r, "pulled %s commit%s from %s", count, strcmp(count, "1") == 0 ? "" : "s", c->upstream);
    free(count);
    if (!behind)
        return 0;
    c->r->pulled = true;
    progress(c, c->rebase ? "rebasing onto the upstream" : "merging the upstream");
    store_git_out o;
    int st = c->rebase ? gitv(c, &o, "rebase", "--quiet", "@{u}", NULL)
                       : gitv(c, &o, "merge", "--no-edit", "--quiet", "@{u}", NULL);
    if (st == 0 || settle_conflicts(c)) {
        store_git_out_free(&o);
        return 0;
    }
    char *said = first_words(&o);
    store_git_out_free(&o);
    char *conflicts = git_line(c, "diff", "--name-only", "--diff-filter=U", NULL);
    for (char *p = conflicts; p && *p; p++)
        if (*p == '\n')
            *p = ' ';
    if (git_path_exists(c, "MERGE_HEAD"))
        gitv(c, NULL, "merge", "--abort", NULL);
    if (git_path_exists(c, "rebase-merge") || git_path_exists(c, "rebase-apply"))
        gitv(c, NULL, "rebase", "--abort", NULL);
    if (conflicts && *conflicts)
        pd_error_set(err, PD_ERR_CONFLICT,
                     "git could not merge %s: conflicting changes in %s. Nothing was merged (your changes are "
                     "committed here): merge them by hand (git pull), then sync again",
                     c->upstream, conflicts);
    else
        pd_error_set(err, PD_ERR_IO, "git could not merge %s: %s. Nothing was merged (your changes are committed here)",
                     c->upstream, said);
    free(conflicts);
    free(said);
    return -1;
}

/* ---- settling what the merge brought ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool pushed_id(void *ud, const char *dir, const char *id)
{
    (void)dir;
    sync_ctx *c = ud;
    return store_ids_has(&c->pushed, id);
}

/* The ids of the version files the upstream has under the library. */
static int load_pushed(sync_ctx *c, pd_error *err)
{
    store_ids_free(&c->pushed);
    store_git_out o;
    if (store_upstream_ids(c->s->dir, c->o->no_terminal, &c->pushed, &o) != 0) {
        int rc = git_failed(err, PD_ERR_IO, "git ls-tree failed", &o);
        store_git_out_free(&o);
        return rc;
    }
    return 0;
}

static bool same_key(const store_event *a, const store_event *b)
{
    return a->label ? b->label && strcmp(a->label, b->label) == 0 : b->field && strcmp(a->field, b->field) == 0;
}

/* Reports this clone's label moves and metadata changes in path that lost to the upstream's:
 * for each label or field, the latest of ours, when the winner came from the upstream. */
static void report_lost(sync_ctx *c, const char *slug, const char *path)
{
    store_events up, now;
    events_then_now(c, "@{u}", slug, path, &up, &now);
    for (size_t i = 0; i < now.n; i++) {
        const store_event *mine = &now.v[i];
        if (has_id(&up, mine->id))
            continue;
        const store_event *w = store_events_winner(&now, mine->label, mine->field);
        if (!w || !has_id(&up, w->id))
            continue;   /* ours won (or another of ours) */
        bool latest_of_mine = true;
        for (size_t k = 0; k < now.n && latest_of_mine; k++)
            latest_of_mine = !(same_key(mine, &now.v[k]) && !has_id(&up, now.v[k].id) &&
                               store_event_later(&now.v[k], mine));
        if (!latest_of_mine)
            continue;
        const char *who = w->by ? w->by : "someone";
        c->r->lost_moves++;
        if (mine->label) {
            char *yours = mine->version ? pd_strf("to v%d", number_of(c->s, slug, mine->version)) : pd_strdup("off");
            char *theirs = w->version ? pd_strf("move to v%d", number_of(c->s, slug, w->version)) : pd_strdup("removal");
            store_report_add(c->r, "%s: your move of %s %s lost to %s's %s (the later move wins)", slug, mine->label,
                             yours, who, theirs);
            free(yours);
            free(theirs);
        } else {
            store_report_add(c->r, "%s: your change of the %s lost to %s's (the later change wins)", slug, mine->field,
                             who);
        }
    }
    store_events_free(&now);
    store_events_free(&up);
}

/* Adds to *slugs the prompts with a file in git's list of paths (one a line); sorted, unique
 * at the end (see settle). */
static void add_prompts_of(const char *paths, char ***slugs, size_t *n, size_t *cap)
{
    const char *cursor = paths ? paths : "";
    char *l;
    while ((l = next_line(&cursor)) != NULL) {
        char *slug;
        int number;
        char kind = classify(l, &slug, &number);
        if (kind && kind != 'P') {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *slugs = pd_xrealloc(*slugs, *cap * sizeof **slugs);
            }
            (*slugs)[(*n)++] = slug;
            slug = NULL;
        }
        free(slug);
        free(l);
    }
}

/* Only a prompt this sync brought in, or one this clone has changes in beyond the upstream,
 * can hold two versions with one number: those are planned, not every prompt of the library
 * (a sync of one changed prompt among 10,000 read all their folders). */
static int settle(sync_ctx *c, pd_error *err)
{
    store_git_out ours, came = {0};
    bool listed = gitv(c, &ours, "diff", "--name-only", "--relative", "@{u}", "HEAD", "--", ".", NULL) == 0;
    bool known = listed && (!c->r->pulled || (c->pre_head && gitv(c, &came, "diff", "--name-only", "--relative",
                                                                    c->pre_head, "HEAD", "--", ".", NULL) == 0));
    char **slugs = NULL;
    size_t n_slugs = 0, cap = 0;
    add_prompts_of(listed ? ours.out : NULL, &slugs, &n_slugs, &cap);
    add_prompts_of(came.out, &slugs, &n_slugs, &cap);
    store_git_out_free(&came);
    if (n_slugs > 1)
        qsort(slugs, n_slugs, sizeof *slugs, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n_slugs; i++) {
        if (u && strcmp(slugs[u - 1], slugs[i]) == 0)
            free(slugs[i]);
        else
            slugs[u++] = slugs[i];
    }
    n_slugs = u;
    store_renumber *plan = NULL;
    size_t n = 0;
    int rc = load_pushed(c, err);
    if (rc == 0)
        rc = store_settle_plan(c->s, known ? (const char *const *)slugs : NULL, n_slugs, pushed_id, c, &plan, &n, err);
    for (size_t i = 0; i < n_slugs; i++)
        free(slugs[i]);
    free(slugs);
    if (rc == 0)
        rc = store_settle_apply(c->s, plan, n, c->r, err);
    store_renumber_free(plan, n);
    if (rc == 0 && n > 0)
        rc = commit_library(c, "promptdeck sync: versions not pushed yet renumbered after the upstream's", err);
    const char *cursor = listed && ours.out ? ours.out : "";   /* renumbering changed no events.jsonl */
    char *l;
    while (rc == 0 && (l = next_line(&cursor)) != NULL) {
        char *slug;
        int number;
        if (classify(l, &slug, &number) == 'e')
            report_lost(c, slug, l);
        free(slug);
        free(l);
    }
    store_git_out_free(&ours);
    return rc;
}

/* ---- what came in: recorded for the views until the next sync, and said ---- */

/* The id in a version file's path, or NULL. Caller frees. */
static char *version_id_of(const char *path)
{
    const char *base = strrchr(path, '/');
    int number;
    char *id = NULL;
    if (base)
        store_vfile_name(base + 1, &number, &id);
    return id;
}

static void remove_string(char **v, size_t *n, const char *str)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(v[i], str)) {
            free(v[i]);
            v[i--] = v[--*n];
        }
}

/* What the pull brought to each prompt: the tree at c->pre_head against HEAD. This clone's own
 * versions were committed before pre_head: a renumbering shows them removed and added again,
 * so they are left out. A note for each prompt says it ("came in: team/greet v6-v7, label
 * production -> v7"). */
static void news_pulled(sync_ctx *c, pd_sync_news *news)
{
    store_git_out o;
    if (gitv(c, &o, "diff", "--name-status", "--relative", "--no-renames", c->pre_head, "HEAD", "--", "prompts",
             NULL) != 0) {
        store_git_out_free(&o);
        return;
    }
    message m = {0};
    char **gone = NULL;
    size_t n_gone = 0;
    const char *cursor = o.out;
    char *l;
    while ((l = next_line(&cursor)) != NULL) {
        char *tab = strchr(l, '\t'), *slug = NULL;
        int number;
        char kind = tab ? classify(tab + 1, &slug, &number) : 0;
        char *id = kind == 'v' ? version_id_of(tab + 1) : NULL;
        if (kind == 'v' && id && l[0] == 'D')
            store_news_add(&gone, &n_gone, id);
        else if (kind == 'v' && id && l[0] == 'A') {
            pd_sync_news_prompt *np = store_news_prompt(news, slug);
            store_news_add(&np->versions, &np->n_versions, id);
        }
        else if (kind == 'p' && l[0] == 'A')
            store_news_prompt(news, slug)->created = change_of(&m, slug)->created = true;
        else if (kind == 'e' && l[0] != 'D')
            say_events(c, c->pre_head, &m, store_news_prompt(news, slug), slug, tab + 1);
        free(id);
        free(slug);
        free(l);
    }
    store_git_out_free(&o);
    for (size_t i = 0; i < news->n; i++) {
        pd_sync_news_prompt *np = &news->prompts[i];
        for (size_t k = 0; k < n_gone; k++)
            remove_string(np->versions, &np->n_versions, gone[k]);
        for (size_t k = 0; k < np->n_versions; k++)
            add_version(&m, np->slug, number_of(c->s, np->slug, np->versions[k]));
        if (!np->n_versions && !np->n_labels && !np->n_fields && !np->created) {   /* only ours, renumbered */
            free(np->slug);
            free(np->versions);   /* (labels and fields are empty) */
            news->prompts[i--] = news->prompts[--news->n];
        }
    }
    for (size_t k = 0; k < n_gone; k++)
        free(gone[k]);
    free(gone);
    for (size_t i = 0; i < m.n; i++) {
        if (pd_sync_news_find(news, m.v[i].name)) {
            char *t = change_text(&m.v[i]);
            store_report_add(c->r, "came in: %s", t);
            free(t);
        }
        change_free(&m.v[i]);
    }
    free(m.v);
}

/* The prompts the upstream changed that HEAD does not have (a merge that failed, a push that
 * kept being rejected). */
static void news_upstream(sync_ctx *c, pd_sync_news *news)
{
    store_git_out o;
    if (gitv(c, &o, "diff", "--name-only", "--relative", "HEAD...@{u}", "--", "prompts", NULL) == 0) {
        const char *cursor = o.out;
        char *l;
        while ((l = next_line(&cursor)) != NULL) {
            char *slug;
            int number;
            if (classify(l, &slug, &number) && slug)
                store_news_add(&news->upstream, &news->n_upstream, slug);
            free(slug);
            free(l);
        }
    }
    store_git_out_free(&o);
}

static int cmp_news(const void *a, const void *b)
{
    return strcmp(((const pd_sync_news_prompt *)a)->slug, ((const pd_sync_news_prompt *)b)->slug);
}

/* Replaces what the sync before recorded with what this one brought (nothing, when it
 * brought nothing: the marks of the sync before go). */
static void record_news(sync_ctx *c)
{
    pd_sync_news *news = &c->r->news;
    pd_sync_news_free(news);
    news->at = pd_now_rfc3339();
    news_pulled(c, news);
    if (c->upstream)
        news_upstream(c, news);
    if (news->n > 1)
        qsort(news->prompts, news->n, sizeof *news->prompts, cmp_news);
    if (news->n_upstream > 1)
        qsort(news->upstream, news->n_upstream, sizeof *news->upstream, cmp_str);
    pd_error err = {0};
    if (store_news_write(c->s, news, &err) != 0)
        store_report_add(c->r, "what came in is not marked in the app: %s", err.msg);
}

/* ---- pushing ---- */

/* 0 pushed (or nothing to push), 1 rejected because the upstream moved, -1 failed. */
static int push(sync_ctx *c, pd_error *err)
{
    char *ahead = git_line(c, "rev-list", "--count", "@{u}..HEAD", NULL);
    bool nothing = ahead && strcmp(ahead, "0") == 0;
    free(ahead);
    if (nothing)
        return 0;
    if (!c->remote) {
        store_report_add(c->r, "the upstream %s is a local branch: not pushed", c->upstream);
        return 0;
    }
    progress(c, "pushing");
    char *refspec = pd_strf("HEAD:%s", c->merge_ref);
    store_git_out o;
    int st = gitv(c, &o, "push", "--quiet", c->remote, refspec, NULL);
    free(refspec);
    int rc = 0;
    if (st != 0) {
        bool moved = (o.err && (strstr(o.err, "[rejected]") || strstr(o.err, "non-fast-forward") ||
                                strstr(o.err, "fetch first") || strstr(o.err, "[remote rejected]")));
        /* a push racing another is refused by the remote too (its ref locked): tried again, but
         * if it never goes, what the remote said is the reason given, not "kept moving" */
        free(c->refused);
        c->refused = moved && !strstr(o.err, "[rejected]") && strstr(o.err, "[remote rejected]") ? first_words(&o) : NULL;
        rc = moved ? 1
                   : git_failed(err, PD_ERR_NETWORK,
                                "git push failed (your changes are committed here; sync again to push them)", &o);
    } else {
        c->r->pushed = true;
        store_report_add(c->r, "pushed to %s", c->upstream);
    }
    store_git_out_free(&o);
    return rc;
}

static int fetch(sync_ctx *c, pd_error *err)
{
    if (!c->remote)
        return 0;
    progress(c, "fetching");
    store_git_out o;
    int rc = 0;
    if (gitv(c, &o, "fetch", "--quiet", c->remote, NULL) != 0)
        rc = git_failed(err, PD_ERR_NETWORK,
                        "git fetch failed (your changes are committed here; sync again when the remote answers)", &o);
    store_git_out_free(&o);
    return rc;
}

/* sync --check: fetches, and records which prompts the upstream changed beside what the last
 * sync brought (kept). */
static int check_upstream(sync_ctx *c, pd_error *err)
{
    if (!c->upstream)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no upstream branch for %s: nothing to check (git push -u "
                                                         "REMOTE %s sets one)", c->branch, c->branch);
    if (fetch(c, err) != 0)
        return -1;
    pd_sync_news *news = &c->r->news;
    pd_sync_news_free(news);
    if (pd_store_last_sync(c->s, news, err) != 0)
        return -1;
    for (size_t i = 0; i < news->n_upstream; i++)
        free(news->upstream[i]);
    news->n_upstream = 0;
    news_upstream(c, news);
    if (news->n_upstream > 1)
        qsort(news->upstream, news->n_upstream, sizeof *news->upstream, cmp_str);
    pd_buf names = PD_BUF_INIT;
    for (size_t i = 0; i < news->n_upstream; i++)
        pd_buf_printf(&names, "%s%s", i ? ", " : "", news->upstream[i]);
    if (news->n_upstream)
        store_report_add(c->r, "changed on %s, not pulled yet: %s (sync pulls them)", c->upstream, pd_buf_str(&names));
    else
        store_report_add(c->r, "%s changed none of the library's prompts", c->upstream);
    pd_buf_free(&names);
    return store_news_write(c->s, news, err);
}

/* Under the lock: commit what is pending; then, with an upstream, merge it and settle. */
static int locked_step(sync_ctx *c, bool merge, pd_error *err)
{
    int fd;
    if (store_lock(c->s, &fd, err) != 0)
        return -1;
    int rc = 0;
    if (c->s->format < PD_FORMAT_VERSION)
        rc = store_upgrade_locked(c->s, c->r, err);
    if (rc == 0)
        rc = commit_library(c, NULL, err);
    if (rc == 0 && !c->pre_head)
        c->pre_head = git_line(c, "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
    if (rc == 0 && merge) {
        store_sync_rescue_step(c->marker, "merge");
        rc = merge_upstream(c, err);
        store_sync_rescue_step(c->marker, NULL);
    }
    if (rc == 0 && merge)
        rc = settle(c, err);
    store_unlock(fd);
    return rc;
}

int pd_store_sync(pd_store *s, const pd_sync_opts *o, pd_store_report *r, pd_error *err)
{
    pd_sync_opts none = {0};
    pd_store_report local = {0};
    sync_ctx c = {.s = s, .o = o ? o : &none, .r = r ? r : &local};
    int rc = prepare(&c, err);
    if (rc == 0 && c.o->check) {
        rc = check_upstream(&c, err);
    } else if (rc == 0 && !c.upstream) {
        rc = locked_step(&c, false, err);
        if (rc == 0)
            store_report_add(c.r, "no upstream branch for %s: committed here, nothing pulled or pushed (git push -u "
                                  "REMOTE %s sets one)",
                             c.branch, c.branch);
    }
    for (int attempt = 0; rc == 0 && c.upstream && !c.o->check && attempt < SYNC_ATTEMPTS; attempt++) {
        rc = fetch(&c, err);
        if (rc == 0)
            rc = locked_step(&c, true, err);
        if (rc == 0 && c.o->no_push) {
            store_report_add(c.r, "not pushed (--no-push)");
            break;
        }
        if (rc == 0 && (rc = push(&c, err)) == 0)
            break;
        if (rc == 1) {   /* someone pushed meanwhile: fetch and merge again */
            rc = 0;
            if (attempt + 1 == SYNC_ATTEMPTS && c.refused)
                rc = pd_error_set(err, PD_ERR_NETWORK, "%s refused the push %d times (your changes are committed "
                                  "here; sync again to push them): %s", c.upstream, SYNC_ATTEMPTS, c.refused);
            else if (attempt + 1 == SYNC_ATTEMPTS)
                rc = pd_error_set(err, PD_ERR_CONFLICT, "%s kept moving while syncing: sync again", c.upstream);
        }
    }
    if (c.pre_head)
        record_news(&c);
    if (rc == 0 && c.upstream && c.r->n == 0)
        store_report_add(c.r, "up to date with %s", c.upstream);
    store_sync_rescue_done(c.marker);
    store_ids_free(&c.pushed);
    free(c.refused);
    free(c.pre_head);
    free(c.branch);
    free(c.upstream);
    free(c.remote);
    free(c.merge_ref);
    pd_store_report_free(&local);
    return rc;
}
