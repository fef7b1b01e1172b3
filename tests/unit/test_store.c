/* test_store.c: the library on disk: versioning rules, labels, rename/delete, damaged files of
 * every kind, crash leftovers, partials, runs, import/export and the examples. (The format 2
 * layout itself, ids, events, numbers shared after a merge and the upgrade from format 1 are in
 * test_store_format.c.) */
#define PD_MODULE_store /* white-box: opens store/ private headers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"
#include "store/store_priv.h"   /* white-box: the listing cache's settle time and read count */
#include "t.h"

static char tmp_root[64];

static char *fresh_dir(const char *name)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", tmp_root, name);
    return pd_buf_take(&b);
}

static pd_store *open_empty(const char *name)
{
    char *dir = fresh_dir(name);
    mkdir(dir, 0755);   /* an existing empty directory becomes an empty library */
    pd_store *s = NULL;
    pd_error err = {0};
    if (pd_store_open(dir, true, true, &s, &err) != 0)
        printf("#   open %s: %s\n", dir, err.msg);
    free(dir);
    return s;
}

static void write_text(pd_store *s, const char *rel, const char *text)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", pd_store_dir(s), rel);
    FILE *f = fopen(pd_buf_str(&b), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    pd_buf_free(&b);
}

static bool file_exists(pd_store *s, const char *rel)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", pd_store_dir(s), rel);
    bool r = access(pd_buf_str(&b), F_OK) == 0;
    pd_buf_free(&b);
    return r;
}

/* The path of version number of slug ("" when there is none, "?" when there are several). */
static char *version_file(pd_store *s, const char *slug, int number)
{
    pd_buf pat = PD_BUF_INIT;
    pd_buf_printf(&pat, "%s/prompts/%s/v%04d-*.json", pd_store_dir(s), slug, number);
    glob_t g;
    char *path = pd_strdup("");
    if (glob(pd_buf_str(&pat), 0, NULL, &g) == 0) {
        free(path);
        path = pd_strdup(g.gl_pathc == 1 ? g.gl_pathv[0] : "?");
        globfree(&g);
    }
    pd_buf_free(&pat);
    return path;
}

static bool has_version_file(pd_store *s, const char *slug, int number)
{
    char *p = version_file(s, slug, number);
    bool r = *p && strcmp(p, "?") != 0;
    free(p);
    return r;
}

/* Writes text over the file of version number of slug. */
static void write_version_file(pd_store *s, const char *slug, int number, const char *text)
{
    char *p = version_file(s, slug, number);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(p);
}

/* A one-message version (caller frees). */
static pd_version *ver(const char *content)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->n_messages = 1;
    v->messages = pd_xcalloc(1, sizeof *v->messages);
    v->messages[0].role = pd_strdup("user");
    v->messages[0].content = pd_strdup(content);
    v->settings.provider = pd_strdup("openai");
    v->settings.model = pd_strdup("gpt-4o");
    return v;
}

static int create(pd_store *s, const char *slug, const char *content)
{
    pd_prompt p = {.slug = (char *)slug, .name = "A prompt"};
    pd_version *v = ver(content);
    pd_error err = {0};
    int rc = pd_store_create(s, &p, v, &err);
    if (rc != 0)
        printf("#   create %s: %s\n", slug, err.msg);
    pd_version_free(v);
    return rc;
}

static pd_update_result update_content(pd_store *s, const char *slug, const char *content, int base, int *rc,
                                       pd_error *err)
{
    pd_version *v = ver(content);
    pd_update u = {.content = v, .base_version = base};
    pd_update_result res = {0};
    *rc = pd_store_update(s, slug, &u, &res, err);
    pd_version_free(v);
    return res;
}

static pd_prompt *find(pd_prompt_list *l, const char *slug)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i]->slug, slug) == 0)
            return l->items[i];
    return NULL;
}

static void test_examples(void)
{
    char *dir = fresh_dir("examples");
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(dir, true, true, &s, &err), 0);
    pd_prompt_list l = {0};
    CHECK_INT(pd_store_list(s, &l, &err), 0);
    CHECK(l.n >= 3);
    bool multi = false, labelled = false;
    for (size_t i = 0; i < l.n; i++) {
        CHECK(!l.items[i]->damaged);
        multi = multi || l.items[i]->current_version > 1;
        labelled = labelled || l.items[i]->n_labels > 0;
    }
    CHECK(multi && labelled);
    pd_partial *part = NULL;
    CHECK_INT(pd_store_get_partial(s, "tone", 0, &part, &err), 0);
    pd_partial_free(part);
    pd_version *v = NULL;
    CHECK_INT(pd_store_get_version(s, "examples/summarize", 0, &v, &err), 0);
    CHECK(v && strstr(v->messages[0].content, "{{> tone}}") != NULL);
    pd_version_free(v);
    pd_prompt_list_free(&l);
    pd_store_close(s);
    /* opening again changes nothing; a non-library directory is refused */
    CHECK_INT(pd_store_open(dir, true, true, &s, &err), 0);
    pd_store_close(s);
    char *other = fresh_dir("not-a-library");
    mkdir(other, 0755);
    pd_buf f = PD_BUF_INIT;
    pd_buf_printf(&f, "%s/notes.txt", other);
    FILE *fp = fopen(pd_buf_str(&f), "w");
    if (fp)
        fclose(fp);
    CHECK(pd_store_open(other, true, true, &s, &err) != 0);
    CHECK(strstr(err.msg, "not a promptdeck library") != NULL);
    char *missing = fresh_dir("missing");
    CHECK(pd_store_open(missing, false, false, &s, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_buf_free(&f);
    free(missing);
    free(other);
    free(dir);
}

static void test_versioning(void)
{
    pd_store *s = open_empty("versioning");
    pd_error err = {0};
    int rc;
    CHECK_INT(create(s, "greet", "Hello {{name}}"), 0);
    CHECK(file_exists(s, "prompts/greet/prompt.json") && has_version_file(s, "greet", 1));
    CHECK(file_exists(s, "prompts/greet/events.jsonl"));
    CHECK(create(s, "greet", "again") != 0);
    pd_prompt p = {.slug = "Bad Slug", .name = "x"};
    pd_version *v = ver("x");
    CHECK(pd_store_create(s, &p, v, &err) != 0);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    pd_version_free(v);

    pd_update_result r = update_content(s, "greet", "Hello {{name}}!", 0, &rc, &err);
    CHECK_INT(rc, 0);
    CHECK_INT(r.new_version, 2);
    r = update_content(s, "greet", "Hello {{name}}!", 0, &rc, &err);
    CHECK_INT(rc, 0);
    CHECK_INT(r.new_version, 0);
    CHECK(r.content_unchanged);
    CHECK(!has_version_file(s, "greet", 3));

    /* a model setting alone makes a version */
    pd_version *nv = ver("Hello {{name}}!");
    nv->settings.has_temperature = true;
    nv->settings.temperature = 0.5;
    pd_update u = {.content = nv};
    CHECK_INT(pd_store_update(s, "greet", &u, &r, &err), 0);
    CHECK_INT(r.new_version, 3);
    pd_version_free(nv);

    /* metadata only: no version */
    char *tags[] = {"greeting"};
    pd_update meta = {.name = "Greeter", .description = "says hello", .tags = tags, .n_tags = 1, .set_tags = true};
    CHECK_INT(pd_store_update(s, "greet", &meta, &r, &err), 0);
    CHECK(r.metadata_changed);
    CHECK_INT(r.new_version, 0);
    pd_prompt *got = NULL;
    CHECK_INT(pd_store_get_prompt(s, "greet", &got, &err), 0);
    CHECK_STR(got->name, "Greeter");
    CHECK_STR(got->description, "says hello");
    CHECK_INT(got->n_tags, 1);
    CHECK_INT(got->current_version, 3);
    CHECK_INT(strlen(got->id), 16);
    pd_prompt_free(got);

    /* versions are immutable and complete */
    pd_version **vs = NULL;
    size_t n = 0;
    CHECK_INT(pd_store_list_versions(s, "greet", &vs, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(vs[0]->messages[0].content, "Hello {{name}}");
        CHECK_INT(vs[2]->number, 3);
        CHECK(vs[2]->author != NULL && vs[2]->created_at != NULL);
        /* each has an id; each was made from the one before */
        CHECK(pd_id_valid(vs[0]->id) && pd_id_valid(vs[2]->id) && strcmp(vs[0]->id, vs[2]->id) != 0);
        CHECK(vs[0]->parent == NULL);
        CHECK(vs[1]->parent && strcmp(vs[1]->parent, vs[0]->id) == 0);
        CHECK(vs[2]->parent && strcmp(vs[2]->parent, vs[1]->id) == 0);
    }
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_version *one = NULL;
    CHECK_INT(pd_store_get_version(s, "greet", 1, &one, &err), 0);
    pd_version_free(one);
    CHECK(pd_store_get_version(s, "greet", 9, &one, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK(pd_store_get_version(s, "nope", 0, &one, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);

    /* --base-version: refused once someone saved after it */
    r = update_content(s, "greet", "v4", 3, &rc, &err);
    CHECK_INT(rc, 0);
    CHECK_INT(r.new_version, 4);
    r = update_content(s, "greet", "v5 from a stale editor", 3, &rc, &err);
    CHECK(rc != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK(strstr(err.msg, "version 4") != NULL);
    pd_store_close(s);
}

static void test_labels(void)
{
    pd_store *s = open_empty("labels");
    pd_error err = {0};
    int rc;
    create(s, "p", "one");
    update_content(s, "p", "two", 0, &rc, &err);
    update_content(s, "p", "three", 0, &rc, &err);
    CHECK_INT(pd_store_set_label(s, "p", "production", 2, &err), 0);
    CHECK_INT(pd_store_set_label(s, "p", "staging", 3, &err), 0);
    CHECK_INT(pd_store_set_label(s, "p", "production", 3, &err), 0);   /* promote: moves */
    pd_prompt *p = NULL;
    pd_store_get_prompt(s, "p", &p, &err);
    CHECK_INT(pd_prompt_label_version(p, "production"), 3);
    CHECK_INT(p->n_labels, 2);
    pd_prompt_free(p);
    CHECK_INT(pd_store_set_label(s, "p", "production", 1, &err), 0);   /* rollback */
    CHECK(pd_store_set_label(s, "p", "production", 7, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK(pd_store_set_label(s, "p", "latest", 1, &err) != 0);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    CHECK_INT(pd_store_remove_label(s, "p", "staging", &err), 0);
    CHECK(pd_store_remove_label(s, "p", "staging", &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_store_get_prompt(s, "p", &p, &err);
    CHECK_INT(p->n_labels, 1);
    CHECK_INT(pd_prompt_label_version(p, "production"), 1);
    CHECK_INT(pd_prompt_label_version(p, "latest"), 3);
    pd_prompt_free(p);
    pd_store_close(s);
}

static void test_delete_rename_nested(void)
{
    pd_store *s = open_empty("rename");
    pd_error err = {0};
    int rc;
    create(s, "team", "parent");
    create(s, "team/child", "child");
    update_content(s, "team", "parent 2", 0, &rc, &err);
    pd_run_record run = {.prompt_slug = "team", .prompt_version = 2, .status = "ok", .output = "x"};
    CHECK_INT(pd_store_save_run(s, &run, &err), 0);
    pd_prompt *before = NULL;
    pd_store_get_prompt(s, "team", &before, &err);

    CHECK(pd_store_rename(s, "team", "team/child", &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK_INT(pd_store_rename(s, "team", "crew", &err), 0);
    pd_prompt *after = NULL;
    CHECK_INT(pd_store_get_prompt(s, "crew", &after, &err), 0);
    CHECK(before && after && strcmp(before->id, after->id) == 0);
    CHECK(after && after->current_version == 2);
    pd_prompt_free(before);
    pd_prompt_free(after);
    pd_prompt *gone = NULL;
    CHECK(pd_store_get_prompt(s, "team", &gone, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK_INT(pd_store_get_prompt(s, "team/child", &gone, &err), 0);   /* the child stayed */
    pd_prompt_free(gone);
    pd_run_record **runs = NULL;
    size_t n = 0;
    pd_store_list_runs(s, "crew", &runs, &n, &err);
    CHECK_INT(n, 1);
    for (size_t i = 0; i < n; i++)
        pd_run_record_free(runs[i]);
    free(runs);

    CHECK_INT(pd_store_delete(s, "crew", &err), 0);
    CHECK(!file_exists(s, "prompts/crew"));
    CHECK(!file_exists(s, "runs/crew"));
    CHECK(pd_store_delete(s, "crew", &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_prompt_list l = {0};
    pd_store_list(s, &l, &err);
    CHECK_INT(l.n, 1);
    CHECK(l.n == 1 && strcmp(l.items[0]->slug, "team/child") == 0);
    pd_prompt_list_free(&l);
    free(run.id);
    free(run.started_at);
    pd_store_close(s);
}

/* The files another module keeps in a prompt's folder (the eval module's tests.json) belong to
 * the prompt: a rename carries them, a delete removes them; a nested prompt's are its own. */
static void test_rename_delete_own_files(void)
{
    pd_store *s = open_empty("ownfiles");
    pd_error err = {0};
    create(s, "suite", "parent");
    create(s, "suite/kid", "child");
    write_text(s, "prompts/suite/tests.json", "{\"tests\": []}\n");
    write_text(s, "prompts/suite/kid/tests.json", "{\"kid\": true}\n");

    CHECK_INT(pd_store_rename(s, "suite", "moved", &err), 0);
    char *data = NULL;
    size_t len = 0;
    pd_buf path = PD_BUF_INIT;
    pd_buf_printf(&path, "%s/prompts/moved/tests.json", pd_store_dir(s));
    CHECK_INT(pd_read_file(pd_buf_str(&path), &data, &len, &err), 0);
    CHECK_STR(data ? data : "", "{\"tests\": []}\n");
    free(data);
    pd_buf_free(&path);
    CHECK(!file_exists(s, "prompts/suite/tests.json"));
    CHECK(file_exists(s, "prompts/suite/kid/tests.json"));   /* the nested prompt stayed */
    CHECK(!file_exists(s, "prompts/moved/kid"));

    CHECK_INT(pd_store_delete(s, "moved", &err), 0);
    CHECK(!file_exists(s, "prompts/moved/tests.json"));
    CHECK(!file_exists(s, "prompts/moved"));
    CHECK_INT(pd_store_delete(s, "suite/kid", &err), 0);
    CHECK(!file_exists(s, "prompts/suite"));
    pd_store_close(s);
}

/* The signature views poll: the same while nothing changes, another after any change made
 * through another handle on the library (another process, as far as this one can tell).
 * (More in test_store_watch.c.) */
static void test_signature(void)
{
    pd_store *s = open_empty("signature");
    pd_store *other = NULL;
    pd_error err = {0};
    int rc;
    create(s, "watched", "one");
    CHECK_INT(pd_store_open(pd_store_dir(s), false, false, &other, &err), 0);
    uint64_t a = pd_store_signature(s);
    CHECK(a != 0);
    CHECK(pd_store_signature(s) == a);
    update_content(other, "watched", "two", 0, &rc, &err);
    uint64_t b = pd_store_signature(s);
    CHECK(b != a);
    CHECK_INT(pd_store_set_label(other, "watched", "production", 1, &err), 0);
    uint64_t c = pd_store_signature(s);
    CHECK(c != b);
    create(other, "team/nested", "deep");
    uint64_t d = pd_store_signature(s);
    CHECK(d != c);
    CHECK_INT(pd_store_rename(other, "team/nested", "team/moved", &err), 0);
    CHECK(pd_store_signature(s) != d);
    pd_store_close(other);
    pd_store_close(s);
}

/* Versions the git upstream does not have yet: none to tell without an upstream; none after a
 * push; a version saved after it is the one. (Real git, a bare repository as the remote.) */
static void test_unpushed(void)
{
    if (system("git --version >/dev/null 2>&1") != 0) {
        printf("#   skipped: no git\n");
        return;
    }
    setenv("GIT_AUTHOR_NAME", "T", 1);
    setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "T", 1);
    setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
    pd_buf cmd = PD_BUF_INIT;
    pd_buf_printf(&cmd, "cd '%s' && git init -q --bare remote.git && git clone -q remote.git clone 2>/dev/null",
                  tmp_root);
    CHECK_INT(system(pd_buf_str(&cmd)), 0);
    pd_buf_reset(&cmd);
    pd_buf_printf(&cmd, "%s/clone/lib", tmp_root);
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(pd_buf_str(&cmd), true, false, &s, &err), 0);
    if (!s) {
        pd_buf_free(&cmd);
        return;
    }
    create(s, "pushed", "one");
    char **ids = NULL;
    size_t n = 9;
    CHECK(pd_store_unpushed(s, "pushed", &ids, &n, &err) != 0);   /* no upstream yet */
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK_INT(n, 0);
    pd_buf_reset(&cmd);
    pd_buf_printf(&cmd, "cd '%s/clone' && git add -A && git commit -q -m one && git push -q -u origin HEAD 2>/dev/null",
                  tmp_root);
    CHECK_INT(system(pd_buf_str(&cmd)), 0);
    CHECK_INT(pd_store_unpushed(s, "pushed", &ids, &n, &err), 0);
    CHECK_INT(n, 0);
    free(ids);
    int rc;
    update_content(s, "pushed", "two", 0, &rc, &err);
    CHECK_INT(pd_store_unpushed(s, "pushed", &ids, &n, &err), 0);
    CHECK_INT(n, 1);
    pd_version *v2 = NULL;
    CHECK_INT(pd_store_get_version(s, "pushed", 2, &v2, &err), 0);
    CHECK(n == 1 && v2 && v2->id && strcmp(ids[0], v2->id) == 0);
    pd_version_free(v2);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    pd_buf_free(&cmd);
    pd_store_close(s);
}

/* Every kind of damage is listed with file:line, never hides the others, never crashes. */
static void test_damaged(void)
{
    pd_store *s = open_empty("damaged");
    pd_error err = {0};
    int rc;
    const char *slugs[] = {"good", "syntax", "types", "format", "utf8", "missing", "badversion", "noversions",
                           "badevents"};
    for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++)
        create(s, slugs[i], "text");
    update_content(s, "missing", "two", 0, &rc, &err);
    update_content(s, "missing", "three", 0, &rc, &err);
    pd_store_set_label(s, "missing", "production", 2, &err);
    update_content(s, "badversion", "two", 0, &rc, &err);
    write_text(s, "prompts/syntax/prompt.json", "{\n  \"format_version\": 2,\n  \"id\": \"x\"\n  \"oops\": 1\n}\n");
    write_text(s, "prompts/types/prompt.json", "{\n  \"format_version\": 2,\n  \"id\": 5\n}\n");
    write_text(s, "prompts/format/prompt.json", "{\n  \"format_version\": 7,\n  \"id\": \"x\"\n}\n");
    write_text(s, "prompts/utf8/prompt.json", "{\n  \"format_version\": 2,\n  \"id\": \"\xc3\x28\"\n}\n");
    char *v2 = version_file(s, "missing", 2);
    unlink(v2);   /* production is on it */
    free(v2);
    char *v1 = version_file(s, "noversions", 1);
    unlink(v1);
    free(v1);
    write_version_file(s, "badversion", 2,
                       "{\n  \"format_version\": 2,\n  \"id\": \"x\",\n  \"messages\": [\n    {\"role\": 5}\n  ]\n}\n");
    /* lines that are not events (a torn write, conflict markers) are skipped, not damage */
    pd_buf ev = PD_BUF_INIT;
    pd_buf_printf(&ev, "%s/prompts/badevents/events.jsonl", pd_store_dir(s));
    FILE *f = fopen(pd_buf_str(&ev), "a");
    if (f) {
        fputs("<<<<<<< HEAD\n{\"at\": \"never\"}\n=======\n>>>>>>> theirs\n{\"at\":\"2026-01-01T00:00:00.000Z\",\"id\":", f);
        fclose(f);
    }
    pd_buf_free(&ev);

    pd_prompt_list l = {0};
    CHECK_INT(pd_store_list(s, &l, &err), 0);
    CHECK_INT(l.n, 9);
    struct { const char *slug, *needle; } want[] = {
        {"syntax", "prompts/syntax/prompt.json:4: "},
        {"types", "prompts/types/prompt.json:3: id: expected a string"},
        {"format", "prompts/format/prompt.json:2: format_version: 7 is not supported"},
        {"utf8", "prompts/utf8/prompt.json:3: invalid UTF-8"},
        {"missing", "prompts/missing/events.jsonl:2: label production is on version "},
        {"noversions", "prompts/noversions/prompt.json:1: the prompt has no versions"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pd_prompt *p = find(&l, want[i].slug);
        CHECK(p && p->damaged && p->damage && strstr(p->damage, want[i].needle) != NULL);
        if (p && (!p->damage || !strstr(p->damage, want[i].needle)))
            printf("#   %s: %s\n", want[i].slug, p->damage ? p->damage : "(not damaged)");
    }
    CHECK(find(&l, "good") && !find(&l, "good")->damaged);
    CHECK(find(&l, "badversion") && !find(&l, "badversion")->damaged);   /* the list reads no version */
    CHECK(find(&l, "badevents") && !find(&l, "badevents")->damaged);
    pd_prompt_list_free(&l);

    pd_prompt *p = NULL;
    CHECK(pd_store_get_prompt(s, "syntax", &p, &err) != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK(strstr(err.msg, "prompt.json:4:") != NULL);
    pd_version *v = NULL;
    CHECK(pd_store_get_version(s, "missing", 1, &v, &err) != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK(pd_store_get_version(s, "badversion", 2, &v, &err) != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK(strstr(err.msg, ".json:3: id: expected \"") != NULL);
    write_version_file(s, "badversion", 2, "{\n  \"format_version\": 2,\n  \"messages\": [\n    {\"role\": 5}\n  ]\n}\n");
    CHECK(pd_store_get_version(s, "badversion", 2, &v, &err) != 0);
    CHECK(strstr(err.msg, ".json:1: ") != NULL);   /* no id: the file's name says one */
    CHECK_INT(pd_store_get_version(s, "badversion", 1, &v, &err), 0);
    pd_version_free(v);
    pd_version **vs = NULL;
    size_t n = 0;
    CHECK(pd_store_list_versions(s, "badversion", &vs, &n, &err) != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK_INT((int)n, 1);   /* the healthy version 1 still comes back (the caller frees it) */
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    CHECK_INT(pd_store_get_version(s, "badevents", 0, &v, &err), 0);
    pd_version_free(v);
    /* after a torn last line, the next event starts a line of its own */
    CHECK_INT(pd_store_set_label(s, "badevents", "production", 1, &err), 0);
    CHECK_INT(pd_store_get_prompt(s, "badevents", &p, &err), 0);
    CHECK(p && pd_prompt_label_version(p, "production") == 1);
    pd_prompt_free(p);
    /* updates refuse damaged prompts; delete is the way out */
    update_content(s, "syntax", "new", 0, &rc, &err);
    CHECK(rc != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK_INT(pd_store_delete(s, "syntax", &err), 0);
    pd_store_close(s);
}

/* What a kill -9 can leave: a version file without more, a torn event line, temporary files,
 * a create that died before prompt.json. */
static void test_crash_leftovers(void)
{
    pd_store *s = open_empty("crash");
    pd_error err = {0};
    int rc;
    create(s, "p", "one");
    /* an update killed after its version file: the version is there (the file is the commit) */
    pd_version *v1 = NULL;
    pd_store_get_version(s, "p", 1, &v1, &err);
    pd_buf vp = PD_BUF_INIT;
    char *id2 = pd_id_new(pd_now_ms());
    pd_buf_printf(&vp, "prompts/p/v0002-%s.json", id2);
    pd_buf text = PD_BUF_INIT;
    pd_buf_printf(&text, "{\n  \"format_version\": 2,\n  \"id\": \"%s\",\n  \"parent\": \"%s\",\n"
                  "  \"messages\": [{\"role\": \"user\", \"content\": \"two\"}]\n}\n", id2, v1 ? v1->id : "");
    write_text(s, pd_buf_str(&vp), pd_buf_str(&text));
    pd_version_free(v1);
    write_text(s, "prompts/p/.v0003-x.json.tmp.abc123", "{ half a fi");
    write_text(s, "prompts/p/.prompt.json.tmp.xyz", "");
    /* a create that died before prompt.json: not a prompt */
    pd_buf d = PD_BUF_INIT;
    pd_buf_printf(&d, "%s/prompts/half", pd_store_dir(s));
    mkdir(pd_buf_str(&d), 0755);
    pd_buf_free(&d);
    pd_buf_reset(&vp);
    pd_buf_printf(&vp, "prompts/half/v0001-%s.json", id2);
    write_text(s, pd_buf_str(&vp), "{}");
    write_text(s, "prompts/half/events.jsonl", "{}\n");
    pd_prompt_list l = {0};
    pd_store_list(s, &l, &err);
    CHECK_INT(l.n, 1);
    CHECK(l.n == 1 && !l.items[0]->damaged && l.items[0]->current_version == 2);
    pd_prompt_list_free(&l);
    pd_update_result r = update_content(s, "p", "three", 0, &rc, &err);
    CHECK_INT(rc, 0);
    CHECK_INT(r.new_version, 3);
    pd_version *v = NULL;
    CHECK_INT(pd_store_get_version(s, "p", 3, &v, &err), 0);
    CHECK(v && v->parent && strcmp(v->parent, id2) == 0);
    pd_version_free(v);
    CHECK_INT(create(s, "half", "again"), 0);   /* the leftovers are cleared */
    CHECK_INT(pd_store_get_version(s, "half", 1, &v, &err), 0);
    CHECK(v && strcmp(v->messages[0].content, "again") == 0);
    pd_version_free(v);
    pd_prompt *h = NULL;
    CHECK_INT(pd_store_get_prompt(s, "half", &h, &err), 0);
    CHECK(h && h->current_version == 1 && strcmp(h->name, "A prompt") == 0);
    pd_prompt_free(h);
    free(id2);
    pd_buf_free(&vp);
    pd_buf_free(&text);
    pd_store_close(s);
}

/* Gives path (relative to the library) a distinct modification time, as time passing would. */
static void touch_at(pd_store *s, const char *rel, long when)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", pd_store_dir(s), rel);
    struct timespec ts[2] = {{when, 0}, {when, 0}};
    utimensat(AT_FDCWD, pd_buf_str(&b), ts, 0);
    pd_buf_free(&b);
}

static size_t list_count(pd_store *s, const char *slug, pd_prompt **copy)
{
    pd_prompt_list l = {0};
    pd_store_list(s, &l, NULL);
    size_t n = l.n;
    if (copy)
        *copy = find(&l, slug) ? pd_prompt_dup(find(&l, slug)) : NULL;
    pd_prompt_list_free(&l);
    return n;
}

/* The listing cache is used only while every directory and prompt.json is as it was. */
static void test_list_cache(void)
{
    pd_store *s = open_empty("cache");
    s->settle_seconds = -100000;   /* trust file times at once (the test gives changes distinct times) */
    create(s, "a", "one");
    create(s, "b", "two");
    create(s, "team/c", "three");
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK(access(s->cache, F_OK) == 0 && strncmp(s->cache, pd_store_dir(s), strlen(pd_store_dir(s))) != 0);
    CHECK(!file_exists(s, ".list-cache"));   /* outside the library */
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK_INT(s->list_loaded, 0);   /* all from the cache */

    /* a line appended to events.jsonl (a rename by hand, a git pull) */
    FILE *f = NULL;
    pd_buf ep = PD_BUF_INIT;
    pd_buf_printf(&ep, "%s/prompts/a/events.jsonl", pd_store_dir(s));
    if ((f = fopen(pd_buf_str(&ep), "a")) != NULL) {
        fputs("{\"at\":\"2099-01-01T00:00:00.000Z\",\"id\":\"01jz0000000000000000000000\",\"set\":\"name\","
              "\"value\":\"Renamed by hand\"}\n", f);
        fclose(f);
    }
    pd_buf_free(&ep);
    pd_prompt *p = NULL;
    CHECK_INT(list_count(s, "a", &p), 3);
    CHECK(p && strcmp(p->name, "Renamed by hand") == 0);
    CHECK_INT(s->list_loaded, 1);
    pd_prompt_free(p);
    /* a version file added from outside (a git pull) */
    write_text(s, "prompts/a/v0002-01jz0000000000000000000001.json",
               "{\"format_version\": 2, \"id\": \"01jz0000000000000000000001\", \"messages\": []}\n");
    touch_at(s, "prompts/a", 1000000001);
    CHECK_INT(list_count(s, "a", &p), 3);
    CHECK(p && p->current_version == 2);
    pd_prompt_free(p);
    /* a new prompt in a folder, a removed prompt, a damaged one */
    create(s, "team/d", "four");
    touch_at(s, "prompts/team", 1000000002);
    touch_at(s, "prompts/team/d", 1000000003);
    CHECK_INT(list_count(s, NULL, NULL), 4);
    CHECK_INT(pd_store_delete(s, "b", NULL), 0);
    touch_at(s, "prompts", 1000000004);
    CHECK_INT(list_count(s, NULL, NULL), 3);
    write_text(s, "prompts/team/c/prompt.json", "{ broken json, longer than before ......................... }");
    CHECK_INT(list_count(s, "team/c", &p), 3);
    CHECK(p && p->damaged);
    pd_prompt_free(p);
    /* a damaged cache file is ignored: everything is read again */
    if ((f = fopen(s->cache, "w")) != NULL) {
        fputs("PDLCACH3 and then nonsense", f);
        fclose(f);
    }
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK_INT(s->list_loaded, 3);
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK_INT(s->list_loaded, 0);
    pd_store_close(s);

    /* a copy of the library (its own cache key) does not use this library's cache */
    char *copy = fresh_dir("cache-copy");
    pd_buf cmd = PD_BUF_INIT;
    pd_buf_printf(&cmd, "cp -a '%s/cache' '%s'", tmp_root, copy);
    CHECK(system(pd_buf_str(&cmd)) == 0);
    pd_store *c = NULL;
    CHECK_INT(pd_store_open(copy, false, false, &c, NULL), 0);
    if (c) {
        c->settle_seconds = -100000;
        CHECK_INT(list_count(c, NULL, NULL), 3);
        CHECK_INT(c->list_loaded, 3);
        pd_store_close(c);
    }
    pd_buf_free(&cmd);
    free(copy);
}

/* What another process does to the library, in a child process of its own (a second program
 * saving while the first one lists): 0 when it succeeded. */
typedef enum other_change { OTHER_VERSION, OTHER_LABEL, OTHER_RENAME, OTHER_DELETE } other_change;

static int by_other_process(const char *dir, other_change what, const char *slug)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pd_store *o = NULL;
        int rc = pd_store_open(dir, false, false, &o, NULL);
        if (rc == 0 && what == OTHER_VERSION) {
            pd_update_result r = update_content(o, slug, "saved by another process", 0, &rc, NULL);
            rc = rc == 0 && r.new_version > 0 ? 0 : -1;
        } else if (rc == 0 && what == OTHER_LABEL) {
            rc = pd_store_set_label(o, slug, "production", 1, NULL);
        } else if (rc == 0 && what == OTHER_RENAME) {
            rc = pd_store_rename(o, slug, "team/renamed", NULL);
        } else if (rc == 0) {
            rc = pd_store_delete(o, slug, NULL);
        }
        pd_store_close(o);
        _exit(rc == 0 ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Replaces the text from with to (the same length) in the library's file rel, as a git checkout
 * with preserved times would leave it: the size and the modification times (to the nanosecond)
 * of the file and of its folder are as before; in_place keeps the inode too (only the change
 * time tells), otherwise a new file is renamed over it (git's way). */
static void rewrite_keeping_times(pd_store *s, const char *rel, const char *from, const char *to, bool in_place)
{
    pd_buf path = PD_BUF_INIT, tmp = PD_BUF_INIT;
    pd_buf_printf(&path, "%s/%s", pd_store_dir(s), rel);
    char *folder = pd_strdup(pd_buf_str(&path));
    *strrchr(folder, '/') = '\0';
    struct stat fst, dst;
    char *text = NULL;
    size_t len = 0;
    CHECK(stat(pd_buf_str(&path), &fst) == 0 && stat(folder, &dst) == 0);
    CHECK(pd_read_file(pd_buf_str(&path), &text, &len, NULL) == 0);
    char *at = text ? strstr(text, from) : NULL;
    CHECK(at != NULL && strlen(from) == strlen(to));
    if (at) {
        memcpy(at, to, strlen(to));
        pd_buf_printf(&tmp, "%s.new", in_place ? pd_buf_str(&path) : folder);
        FILE *f = fopen(in_place ? pd_buf_str(&path) : pd_buf_str(&tmp), "w");
        if (f) {
            fwrite(text, 1, len, f);
            fclose(f);
        }
        if (!in_place)
            CHECK(rename(pd_buf_str(&tmp), pd_buf_str(&path)) == 0);
        struct timespec ft[2] = {fst.st_atim, fst.st_mtim}, dt[2] = {dst.st_atim, dst.st_mtim};
        CHECK(utimensat(AT_FDCWD, pd_buf_str(&path), ft, 0) == 0 && utimensat(AT_FDCWD, folder, dt, 0) == 0);
        struct stat after;
        CHECK(stat(pd_buf_str(&path), &after) == 0 && after.st_size == fst.st_size &&
              after.st_mtim.tv_sec == fst.st_mtim.tv_sec && after.st_mtim.tv_nsec == fst.st_mtim.tv_nsec);
    }
    free(text);
    free(folder);
    pd_buf_free(&path);
    pd_buf_free(&tmp);
}

/* The warm listing (from its cache) sees every kind of change made since, by another process,
 * within the same second (the cache trusts file times at once here), and a git pull that kept
 * sizes and modification times: the inode and the change time tell, as in git's index. */
static void test_list_cache_sees_changes(void)
{
    pd_store *s = open_empty("cache-changes");
    s->settle_seconds = -100000;
    const char *dir = pd_store_dir(s);
    create(s, "a", "one");
    create(s, "team/b", "two");
    create(s, "team/c", "three");
    pd_update u = {.name = "Name one"};
    CHECK_INT(pd_store_update(s, "a", &u, NULL, NULL), 0);
    pd_prompt *p = NULL;
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK_INT(list_count(s, NULL, NULL), 3);
    CHECK_INT(s->list_loaded, 0);   /* warm: all from the cache */

    CHECK_INT(by_other_process(dir, OTHER_VERSION, "a"), 0);   /* a version added */
    CHECK_INT(list_count(s, "a", &p), 3);
    CHECK(p && p->current_version == 2);
    CHECK_INT(s->list_loaded, 1);
    pd_prompt_free(p);
    CHECK_INT(by_other_process(dir, OTHER_LABEL, "team/b"), 0);   /* a label event appended */
    CHECK_INT(list_count(s, "team/b", &p), 3);
    CHECK(p && p->n_labels == 1 && strcmp(p->labels[0].name, "production") == 0);
    pd_prompt_free(p);
    CHECK_INT(by_other_process(dir, OTHER_RENAME, "team/c"), 0);   /* a prompt renamed */
    CHECK_INT(list_count(s, "team/renamed", &p), 3);
    CHECK(p != NULL);
    pd_prompt_free(p);
    CHECK_INT(list_count(s, "team/c", &p), 3);
    CHECK(p == NULL);
    CHECK_INT(by_other_process(dir, OTHER_DELETE, "team/renamed"), 0);   /* a prompt deleted */
    CHECK_INT(list_count(s, "team/renamed", &p), 2);
    CHECK(p == NULL);

    /* a git pull that kept sizes and times: events.jsonl rewritten in place, then replaced */
    CHECK_INT(list_count(s, NULL, NULL), 2);
    rewrite_keeping_times(s, "prompts/a/events.jsonl", "Name one", "Name two", true);
    CHECK_INT(list_count(s, "a", &p), 2);
    CHECK(p && strcmp(p->name, "Name two") == 0);
    pd_prompt_free(p);
    rewrite_keeping_times(s, "prompts/a/events.jsonl", "Name two", "Name 333", false);
    CHECK_INT(list_count(s, "a", &p), 2);
    CHECK(p && strcmp(p->name, "Name 333") == 0);
    pd_prompt_free(p);
    /* prompt.json too (it never changes in format 2, but a hand or a merge may) */
    CHECK_INT(list_count(s, "a", &p), 2);
    char *id = p && p->id && strlen(p->id) == 16 ? pd_strdup(p->id) : pd_strdup("(no 16-char id)");
    pd_prompt_free(p);
    rewrite_keeping_times(s, "prompts/a/prompt.json", id, "feedfacefeedface", true);
    CHECK_INT(list_count(s, "a", &p), 2);
    CHECK(p && p->id && strcmp(p->id, "feedfacefeedface") == 0);
    pd_prompt_free(p);
    free(id);
    CHECK_INT(list_count(s, NULL, NULL), 2);
    CHECK_INT(s->list_loaded, 0);   /* and, nothing changed, all from the cache again */
    pd_store_close(s);
}

/* The first screen's listing: with the cache holding, only the folders and the first prompts
 * are checked; the others are shown as remembered until pd_store_list; a change to what decides
 * the order (a prompt added) has everything checked at once. */
static void test_list_first(void)
{
    pd_store *s = open_empty("list-first");
    s->settle_seconds = -100000;
    create(s, "a", "one");
    create(s, "b", "two");
    create(s, "c", "three");
    CHECK_INT(list_count(s, NULL, NULL), 3);
    pd_update u = {.name = "First renamed"};
    CHECK_INT(pd_store_update(s, "a", &u, NULL, NULL), 0);
    u.name = "Last renamed";
    CHECK_INT(pd_store_update(s, "c", &u, NULL, NULL), 0);
    pd_prompt_list l = {0};
    CHECK_INT(pd_store_list_first(s, 1, &l, NULL), 1);   /* a checked, c as remembered */
    CHECK(l.n == 3 && find(&l, "a") && strcmp(find(&l, "a")->name, "First renamed") == 0);
    CHECK(find(&l, "c") && strcmp(find(&l, "c")->name, "A prompt") == 0);
    CHECK_INT(s->list_loaded, 1);
    pd_prompt_list_free(&l);
    CHECK_INT(pd_store_list(s, &l, NULL), 0);   /* then all of it */
    CHECK(l.n == 3 && find(&l, "c") && strcmp(find(&l, "c")->name, "Last renamed") == 0);
    pd_prompt_list_free(&l);
    CHECK_INT(pd_store_list_first(s, 1, &l, NULL), 1);   /* nothing changed since */
    CHECK_INT(s->list_loaded, 0);
    pd_prompt_list_free(&l);
    create(s, "bb", "four");   /* the order changed: all checked */
    u.name = "Renamed again";
    CHECK_INT(pd_store_update(s, "c", &u, NULL, NULL), 0);
    CHECK_INT(pd_store_list_first(s, 1, &l, NULL), 0);
    CHECK(l.n == 4 && find(&l, "bb") && find(&l, "c") && strcmp(find(&l, "c")->name, "Renamed again") == 0);
    pd_prompt_list_free(&l);
    pd_store_close(s);
}

/* The current version as a listing gave it: read from its file alone; out of date listings
 * and planted links say so instead of reading something else. */
static void test_listed_version(void)
{
    pd_store *s = open_empty("listed");
    CHECK_INT(create(s, "greet", "Hello"), 0);
    CHECK_INT(create(s, "team/ask", "Ask {{q}}"), 0);
    pd_prompt_list l = {0};
    pd_error err = {0};
    CHECK_INT(pd_store_list(s, &l, &err), 0);
    pd_prompt *greet = find(&l, "greet"), *ask = find(&l, "team/ask");
    pd_version *v = NULL;
    CHECK(greet && pd_store_get_listed_version(s, greet, &v, &err) == 0 && v && v->n_messages == 1 &&
          strcmp(v->messages[0].content, "Hello") == 0 && v->number == 1 && v->id && greet->current_id &&
          strcmp(v->id, greet->current_id) == 0);
    pd_version_free(v);
    v = NULL;
    CHECK(ask && pd_store_get_listed_version(s, ask, &v, &err) == 0 && v && strcmp(v->messages[0].content, "Ask {{q}}") == 0);
    pd_version_free(v);
    v = NULL;
    /* deleted since the listing: no version, an error */
    CHECK_INT(pd_store_delete(s, "team/ask", NULL), 0);
    CHECK(ask && pd_store_get_listed_version(s, ask, &v, &err) != 0 && v == NULL);
    /* the prompt's folder replaced by a link to a copy elsewhere: refused, not read through */
    char *dir = pd_path_join(pd_store_dir(s), "prompts/greet");
    char *moved = pd_path_join(tmp_root, "listed-elsewhere");
    CHECK(rename(dir, moved) == 0 && symlink(moved, dir) == 0);
    err = (pd_error){0};
    CHECK(greet && pd_store_get_listed_version(s, greet, &v, &err) != 0 && v == NULL && strstr(err.msg, "link"));
    free(dir);
    free(moved);
    pd_prompt_list_free(&l);
    pd_store_close(s);
}

static void test_partials(void)
{
    pd_store *s = open_empty("partials");
    pd_error err = {0};
    int nv = -1;
    CHECK_INT(pd_store_put_partial(s, "tone", "Be kind.", "first", &nv, &err), 0);
    CHECK_INT(nv, 1);
    CHECK_INT(pd_store_put_partial(s, "tone", "Be kind.", NULL, &nv, &err), 0);
    CHECK_INT(nv, 0);
    CHECK_INT(pd_store_put_partial(s, "tone", "Be very kind.", NULL, &nv, &err), 0);
    CHECK_INT(nv, 2);
    CHECK_INT(pd_store_put_partial(s, "shared/footer", "-- \n", NULL, &nv, &err), 0);
    pd_partial *p = NULL;
    CHECK_INT(pd_store_get_partial(s, "tone", 0, &p, &err), 0);
    CHECK(p && p->version == 2 && strcmp(p->content, "Be very kind.") == 0);
    pd_partial_free(p);
    CHECK_INT(pd_store_get_partial(s, "tone", 1, &p, &err), 0);
    CHECK(p && strcmp(p->content, "Be kind.") == 0 && strcmp(p->commit_message, "first") == 0);
    pd_partial_free(p);
    CHECK(pd_store_get_partial(s, "tone", 3, &p, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK(pd_store_get_partial(s, "nope", 0, &p, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    char **names = NULL;
    size_t n = 0;
    CHECK_INT(pd_store_list_partials(s, &names, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(names[0], "shared/footer");
        CHECK_STR(names[1], "tone");
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    pd_store_close(s);
}

static void test_runs(void)
{
    pd_store *s = open_empty("runs");
    pd_error err = {0};
    create(s, "p", "x");
    pd_run_record a = {.id = "20260101T000000000Z-aaaaaa", .prompt_slug = "p", .prompt_version = 1,
                       .status = "ok", .output = "first", .input_tokens = 3, .output_tokens = 4};
    pd_run_record b = {.id = "20260102T000000000Z-bbbbbb", .prompt_slug = "p", .prompt_version = 1,
                       .status = "error", .error = "boom", .input_tokens = -1, .output_tokens = -1};
    CHECK_INT(pd_store_save_run(s, &a, &err), 0);
    CHECK_INT(pd_store_save_run(s, &b, &err), 0);
    /* outside the library, readable by the user alone */
    CHECK(!file_exists(s, "runs"));
    pd_buf rp = PD_BUF_INIT;
    pd_buf_printf(&rp, "%s/p/%s.json", s->runs, a.id);
    struct stat st;
    CHECK(stat(pd_buf_str(&rp), &st) == 0 && (st.st_mode & 0777) == 0600);
    pd_buf_reset(&rp);
    pd_buf_printf(&rp, "%s/p", s->runs);
    CHECK(stat(pd_buf_str(&rp), &st) == 0 && (st.st_mode & 0777) == 0700);
    pd_buf_printf(&rp, "/20260103T000000000Z-cccccc.json");
    FILE *f = fopen(pd_buf_str(&rp), "w");
    if (f) {
        fputs("{ broken", f);
        fclose(f);
    }
    pd_buf_free(&rp);
    pd_run_record **rs = NULL;
    size_t n = 0;
    CHECK_INT(pd_store_list_runs(s, "p", &rs, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(rs[0]->status, "damaged");   /* newest first; damage shown, not hidden */
        CHECK(strstr(rs[0]->error, "cccccc.json:1:") != NULL);
        CHECK_STR(rs[1]->error, "boom");
        CHECK_STR(rs[2]->output, "first");
        CHECK_INT(rs[2]->output_tokens, 4);
    }
    for (size_t i = 0; i < n; i++)
        pd_run_record_free(rs[i]);
    free(rs);
    pd_run_record *one = NULL;
    CHECK_INT(pd_store_get_run(s, "p", a.id, &one, &err), 0);
    pd_run_record_free(one);
    CHECK(pd_store_get_run(s, "p", "../../etc/passwd", &one, &err) != 0);
    CHECK(pd_store_get_run(s, "p", "20990101T000000000Z-zzzzzz", &one, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    free(a.started_at);
    free(b.started_at);
    pd_store_close(s);
}

/* Import finds a slug given twice by sorting, not by comparing each with each (60,000 prompts
 * took 10 s to refuse): counted comparisons, no timing. The refusal names the slug. */
static void test_import_repeats_linear(void)
{
    size_t n = 60000, compares = 0;
    char **names = calloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = pd_strf("team/prompt-%05zu", (i * 7919) % n);
    CHECK(store_first_repeat((const char *const *)names, n, &compares) == -1);
    CHECK(compares > 0 && compares < 40 * n);   /* n log2 n is 16 n; each against each 30,000 n */
    free(names[n - 1]);
    names[n - 1] = pd_strdup(names[10]);
    free(names[20]);
    names[20] = pd_strdup(names[5000]);   /* repeats a later one: the first repeat is at 5000 */
    CHECK_INT(store_first_repeat((const char *const *)names, n, &compares), 5000);
    CHECK(compares < 40 * n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    CHECK_INT(store_first_repeat(NULL, 0, NULL), -1);

    pd_store *st = open_empty("import-twice");
    json_t *prompts = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(prompts, json_pack("{s:s, s:s, s:[{s:i, s:[{s:s, s:s}]}]}", "slug", i == 1 ? "b" : "a",
                                                 "name", "A", "versions", "version", 1, "messages", "role", "user", "content", "x"));
    json_t *doc = json_pack("{s:s, s:i, s:o}", "format", "promptdeck-export", "format_version", 1, "prompts", prompts);
    pd_error err = {0};
    CHECK(pd_store_import_json(st, doc, NULL, &err) != 0);
    CHECK(strstr(err.msg, "prompt \"a\" appears twice") != NULL);
    pd_prompt_list l = {0};
    CHECK_INT(pd_store_list(st, &l, &err), 0);
    CHECK_INT(l.n, 0);   /* nothing written */
    pd_prompt_list_free(&l);
    json_decref(doc);
    pd_store_close(st);
}

static void test_import_export(void)
{
    pd_store *src = open_empty("export-src");
    pd_error err = {0};
    int rc;
    create(src, "a", "one");
    update_content(src, "a", "two", 0, &rc, &err);
    pd_store_set_label(src, "a", "production", 1, &err);
    create(src, "b/c", "bee");
    json_t *doc = NULL;
    CHECK_INT(pd_store_export_json(src, NULL, 0, &doc, &err), 0);
    pd_store *dst = open_empty("export-dst");
    pd_import_counts c = {0};
    CHECK_INT(pd_store_import_json(dst, doc, &c, &err), 0);
    CHECK_INT(c.prompts_created, 2);
    CHECK_INT(c.versions_added, 3);
    CHECK_INT(pd_store_import_json(dst, doc, &c, &err), 0);   /* twice: nothing added */
    CHECK_INT(c.prompts_created, 0);
    CHECK_INT(c.versions_added, 0);
    CHECK_INT(c.versions_skipped, 3);
    json_t *again = NULL;
    CHECK_INT(pd_store_export_json(dst, NULL, 0, &again, &err), 0);
    CHECK(json_equal(doc, again));
    json_decref(again);

    /* a new version in the source is added; a different one under the same number conflicts */
    update_content(src, "a", "three", 0, &rc, &err);
    json_decref(doc);
    const char *only[] = {"a"};
    pd_store_export_json(src, only, 1, &doc, &err);
    CHECK_INT(json_array_size(json_object_get(doc, "prompts")), 1);
    CHECK_INT(pd_store_import_json(dst, doc, &c, &err), 0);
    CHECK_INT(c.versions_added, 1);
    update_content(dst, "a", "four here", 0, &rc, &err);
    update_content(src, "a", "four there", 0, &rc, &err);
    json_decref(doc);
    pd_store_export_json(src, only, 1, &doc, &err);
    CHECK(pd_store_import_json(dst, doc, &c, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK(strstr(err.msg, "version 4") != NULL);
    json_decref(doc);

    json_t *bad = json_pack("{s:s, s:i, s:[{s:s, s:s, s:[{s:i, s:[]}]}]}", "format", "promptdeck-export",
                            "format_version", 1, "prompts", "slug", "x", "name", "X", "versions", "version", 2,
                            "messages");
    CHECK(pd_store_import_json(dst, bad, &c, &err) != 0);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    json_decref(bad);
    pd_store_close(src);
    pd_store_close(dst);
}

/* DIR/.trash: what a killed change left there is finished by the next writer and never read as
 * a prompt; a journal naming something outside the library does nothing; git is told to look
 * away; a .trash planted as a link is never written through. */
static void test_trash(void)
{
    pd_store *s = open_empty("trash");
    pd_error err = {0};
    int rc;
    create(s, "a", "one");
    create(s, "keep", "k");
    create(s, "half/child", "c");
    CHECK(file_exists(s, ".trash/.gitignore"));
    /* a rename a -> b killed after b/prompt.json: a copy of a at b, a still there */
    pd_buf d = PD_BUF_INIT;
    pd_buf_printf(&d, "cp -r '%s/prompts/a' '%s/prompts/b'", pd_store_dir(s), pd_store_dir(s));
    CHECK_INT(system(pd_buf_str(&d)), 0);
    pd_buf_reset(&d);
    pd_buf_printf(&d, "%s/.trash/1-k1", pd_store_dir(s));
    mkdir(pd_buf_str(&d), 0755);
    write_text(s, ".trash/1-k1/journal", "drop-if prompt b a\nclear prompt b\nclear prompt a\n");
    /* a create of "half" killed before its prompt.json, in a folder that holds another prompt */
    write_text(s, "prompts/half/events.jsonl", "{}\n");
    write_text(s, "prompts/half/tests.json", "{}");
    pd_buf_reset(&d);
    pd_buf_printf(&d, "%s/.trash/1-k2", pd_store_dir(s));
    mkdir(pd_buf_str(&d), 0755);
    write_text(s, ".trash/1-k2/journal", "clear prompt half\nclear prompt ../../outside\nclear nothing x\n");
    /* a staging folder of a killed create, holding a whole prompt: never listed, never adopted */
    pd_buf_reset(&d);
    pd_buf_printf(&d, "cp -r '%s/prompts/keep' '%s/.trash/1-k3'", pd_store_dir(s), pd_store_dir(s));
    CHECK_INT(system(pd_buf_str(&d)), 0);
    write_text(s, "outside-marker", "x");
    CHECK_INT(list_count(s, "a", NULL), 4);   /* a, b (the copy), keep, half/child: nothing from .trash */
    update_content(s, "keep", "k2", 0, &rc, &err);   /* the next writer finishes what was left */
    CHECK_INT(rc, 0);
    CHECK(!file_exists(s, "prompts/a"));
    CHECK(file_exists(s, "prompts/b/prompt.json"));
    CHECK(!file_exists(s, "prompts/half/events.jsonl") && !file_exists(s, "prompts/half/tests.json"));
    CHECK(file_exists(s, "prompts/half/child/prompt.json"));
    CHECK(!file_exists(s, ".trash/1-k1") && !file_exists(s, ".trash/1-k2") && !file_exists(s, ".trash/1-k3"));
    CHECK(file_exists(s, "outside-marker"));
    CHECK_INT(list_count(s, "b", NULL), 3);
    CHECK_INT(create(s, "half", "new"), 0);
    pd_prompt *h = NULL;
    CHECK_INT(pd_store_get_prompt(s, "half", &h, &err), 0);
    CHECK(h && h->current_version == 1);
    pd_prompt_free(h);
    /* a .trash that is a link: no change writes through it */
    pd_buf_reset(&d);
    pd_buf_printf(&d, "rm -rf '%s/.trash' && mkdir '%s/away' && ln -s '%s/away' '%s/.trash'", pd_store_dir(s),
                  tmp_root, tmp_root, pd_store_dir(s));
    CHECK_INT(system(pd_buf_str(&d)), 0);
    pd_prompt p = {.slug = "linked", .name = "L"};
    pd_version *v = ver("x");
    CHECK(pd_store_create(s, &p, v, &err) != 0);
    CHECK(strstr(err.msg, "symbolic link") != NULL);
    pd_version_free(v);
    pd_buf_reset(&d);
    pd_buf_printf(&d, "%s/away", tmp_root);
    DIR *away = opendir(pd_buf_str(&d));
    int entries = 0;
    for (struct dirent *de; away && (de = readdir(away)) != NULL;)
        entries += de->d_name[0] != '.';
    if (away)
        closedir(away);
    CHECK_INT(entries, 0);
    pd_buf_free(&d);
    pd_store_close(s);
}

/* Export: each prompt or partial that does not read is left out and said, the rest written;
 * only the partials asked for. */
static void test_export_left_out(void)
{
    pd_store *s = open_empty("export-left");
    pd_error err = {0};
    create(s, "a", "one");
    create(s, "b", "two");
    CHECK_INT(pd_store_put_partial(s, "good", "G", NULL, NULL, &err), 0);
    CHECK_INT(pd_store_put_partial(s, "bad", "B", NULL, NULL, &err), 0);
    write_text(s, "partials/bad/partial.json", "{\"name\": ");
    write_text(s, "prompts/b/prompt.json", "[");
    const char *slugs[] = {"a", "b"};
    pd_export_opts o = {.slugs = slugs, .n_slugs = 2};
    pd_store_report left = {0};
    json_t *doc = NULL;
    CHECK_INT(pd_store_export(s, &o, &doc, &left, &err), 1);
    CHECK_INT(json_array_size(json_object_get(doc, "prompts")), 1);
    CHECK_INT(left.n, 2);
    CHECK(left.n == 2 && strstr(left.notes[0], "prompts/b/prompt.json:1:") != NULL);
    CHECK(left.n == 2 && strstr(left.notes[1], "partials/bad/partial.json:") != NULL);
    json_t *parts = json_object_get(doc, "partials");
    CHECK(json_array_size(parts) >= 1);
    json_decref(doc);
    pd_store_report_free(&left);
    left = (pd_store_report){0};
    const char *only[] = {"good", "missing"};
    o = (pd_export_opts){.slugs = slugs, .n_slugs = 1, .select_partials = true, .partials = only, .n_partials = 2};
    CHECK_INT(pd_store_export(s, &o, &doc, &left, &err), 0);
    parts = json_object_get(doc, "partials");
    CHECK_INT(json_array_size(parts), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(parts, 0), "name")), "good");
    json_decref(doc);
    pd_store_report_free(&left);
    const char *nope[] = {"nope"};
    o = (pd_export_opts){.slugs = nope, .n_slugs = 1};
    left = (pd_store_report){0};
    CHECK_INT(pd_store_export(s, &o, &doc, &left, &err), -1);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_store_report_free(&left);
    pd_store_close(s);
}

static void test_atomic_helpers(void)
{
    char *dir = fresh_dir("files/deep/er");
    pd_error err = {0};
    CHECK_INT(pd_mkdirs(dir, 0755, &err), 0);
    pd_buf p = PD_BUF_INIT;
    pd_buf_printf(&p, "%s/f.txt", dir);
    CHECK_INT(pd_write_file_atomic(pd_buf_str(&p), "hello", 5, 0600, &err), 0);
    char *data = NULL;
    size_t len = 0;
    CHECK_INT(pd_read_file(pd_buf_str(&p), &data, &len, &err), 0);
    CHECK_INT(len, 5);
    CHECK_STR(data, "hello");
    free(data);
    struct stat st;
    CHECK(stat(pd_buf_str(&p), &st) == 0 && (st.st_mode & 0777) == 0600);
    pd_buf_printf(&p, ".missing");
    CHECK(pd_read_file(pd_buf_str(&p), &data, &len, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_buf_free(&p);
    free(dir);
}

int main(void)
{
    if (!t_tmpdir(tmp_root, sizeof tmp_root, "test-store"))
        return 2;
    /* run records and caches go outside the library: here, not in the user's home */
    setenv("XDG_STATE_HOME", tmp_root, 1);
    setenv("XDG_CACHE_HOME", tmp_root, 1);
    RUN(test_examples);
    RUN(test_versioning);
    RUN(test_labels);
    RUN(test_delete_rename_nested);
    RUN(test_rename_delete_own_files);
    RUN(test_signature);
    RUN(test_unpushed);
    RUN(test_damaged);
    RUN(test_crash_leftovers);
    RUN(test_list_cache);
    RUN(test_list_cache_sees_changes);
    RUN(test_list_first);
    RUN(test_listed_version);
    RUN(test_partials);
    RUN(test_runs);
    RUN(test_import_export);
    RUN(test_import_repeats_linear);
    RUN(test_atomic_helpers);
    RUN(test_trash);
    RUN(test_export_left_out);
    t_rmtree(tmp_root);
    T_DONE();
}
