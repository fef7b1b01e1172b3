/* test_store_format.c: the library's format 2, made for git: version ids, the events fold (the
 * same winner whatever order the lines are in), two versions sharing a number after a merge
 * (listed, refused where a number is asked, renumbered by fix), label moves from a stale view
 * refused, the upgrade of a format 1 library (crash-safe per prompt, the same files on two
 * clones), and the record of what the last sync brought (outside the library, mode 600, links
 * never followed). */
#define PD_MODULE_store /* white-box: opens store/ private headers */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"
#include "store/store_priv.h"
#include "t.h"

static char tmp_root[64];

static pd_store *open_lib(const char *name)
{
    char *dir = pd_strf("%s/%s", tmp_root, name);
    pd_store *s = NULL;
    pd_error err = {0};
    if (pd_store_open(dir, true, false, &s, &err) != 0)
        printf("#   open %s: %s\n", dir, err.msg);
    free(dir);
    return s;
}

static void write_text(const char *dir, const char *rel, const char *text)
{
    char *path = pd_strf("%s/%s", dir, rel);
    char *parent = pd_strdup(path);
    *strrchr(parent, '/') = '\0';
    pd_mkdirs(parent, 0755, NULL);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(parent);
    free(path);
}

static char *read_text(const char *dir, const char *rel)
{
    char *path = pd_strf("%s/%s", dir, rel), *data = NULL;
    pd_read_file(path, &data, NULL, NULL);
    free(path);
    return data;
}

static int save(pd_store *s, const char *slug, const char *content)
{
    pd_message m = {.role = "user", .content = (char *)content};
    pd_version v = {.messages = &m, .n_messages = 1};
    pd_error err = {0};
    pd_prompt *p = NULL;
    if (pd_store_get_prompt(s, slug, &p, NULL) != 0) {
        pd_prompt np = {.slug = (char *)slug, .name = (char *)slug};
        int rc = pd_store_create(s, &np, &v, &err);
        if (rc != 0)
            printf("#   create %s: %s\n", slug, err.msg);
        return rc == 0 ? 1 : -1;
    }
    pd_prompt_free(p);
    pd_update u = {.content = &v};
    pd_update_result r = {0};
    if (pd_store_update(s, slug, &u, &r, &err) != 0) {
        printf("#   update %s: %s\n", slug, err.msg);
        return -1;
    }
    return r.new_version;
}

static void test_ids_and_times(void)
{
    int64_t t0 = 1767225600000;   /* 2026-01-01T00:00:00Z */
    char *a = pd_id_new(t0), *b = pd_id_new(t0 + 1), *c = pd_id_new(t0);
    CHECK(pd_id_valid(a) && pd_id_valid(b) && strlen(a) == PD_ID_LEN);
    CHECK(strcmp(a, b) < 0);          /* later sorts after */
    CHECK(strcmp(a, c) != 0);         /* same millisecond, still different */
    CHECK(strncmp(a, c, 10) == 0);    /* the time part */
    char *d1 = pd_id_derived(t0, "abc", 3), *d2 = pd_id_derived(t0, "abc", 3), *d3 = pd_id_derived(t0, "abd", 3);
    CHECK_STR(d1, d2);
    CHECK(strcmp(d1, d3) != 0);
    CHECK(!pd_id_valid("01JD") && !pd_id_valid("01jdxxxxxxxxxxxxxxxxxxxxxi") && !pd_id_valid(NULL));
    free(a);
    free(b);
    free(c);
    free(d1);
    free(d2);
    free(d3);
    int64_t ms;
    CHECK(pd_time_parse_ms("2026-01-01T00:00:00Z", &ms) && ms == t0);
    CHECK(pd_time_parse_ms("2025-12-31T19:00:00.250-05:00", &ms) && ms == t0 + 250);
    CHECK(pd_time_parse_ms("2026-01-01T00:00:00.1234Z", &ms) && ms == t0 + 123);
    CHECK(!pd_time_parse_ms("2026-01-01", &ms) && !pd_time_parse_ms("yesterday", &ms));
    char *f = pd_time_format_ms(t0 + 7);
    CHECK_STR(f, "2026-01-01T00:00:00.007Z");
    free(f);
}

/* The winner per label and field is the greatest (at, id), whatever the order of the lines. */
static void test_events_fold(void)
{
    pd_store *s = open_lib("fold");
    save(s, "p", "one");
    save(s, "p", "two");
    pd_version **vs = NULL;
    size_t n = 0;
    CHECK_INT(pd_store_list_versions(s, "p", &vs, &n, NULL), 0);
    CHECK_INT(n, 2);
    if (n != 2)
        return;
    char *pdir = store_prompt_dir(s, "p");
    /* two clones' lines, in either order (a union merge keeps both, ours first) */
#define L1 "{\"at\":\"2026-03-01T10:00:00.000Z\",\"id\":\"01jnkz0000aaaaaaaaaaaaaaaa\",\"by\":\"Ada\"," \
           "\"label\":\"production\",\"version\":\"%s\"}\n"
#define L2 "{\"at\":\"2026-03-01T10:00:00.000Z\",\"id\":\"01jnkz0000bbbbbbbbbbbbbbbb\",\"by\":\"Bo\"," \
           "\"label\":\"production\",\"version\":\"%s\"}\n"
    const char *l3 = "{\"at\":\"2026-03-01T09:00:00.000Z\",\"id\":\"01jnkz0000cccccccccccccccc\",\"by\":\"Cy\","
                     "\"set\":\"name\",\"value\":\"Older name\"}\n";
    const char *l4 = "{\"at\":\"2026-03-01T11:00:00+01:00\",\"id\":\"01jnkz0000dddddddddddddddd\",\"by\":\"Di\","
                     "\"set\":\"name\",\"value\":\"Newer name\"}\n";   /* 10:00Z: later than l3 */
    char *a = pd_strf(L1, vs[0]->id), *b = pd_strf(L2, vs[1]->id);
    for (int order = 0; order < 2; order++) {
        char *text = order ? pd_strf("%s%s%s%s", b, l4, a, l3) : pd_strf("%s%s%s%s", l3, a, l4, b);
        char *path = pd_strf("%s/events.jsonl", pdir);
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        pd_prompt *p = NULL;
        CHECK_INT(pd_store_get_prompt(s, "p", &p, NULL), 0);
        CHECK(p && pd_prompt_label_version(p, "production") == 2);   /* same at: the greater id */
        CHECK(p && p->n_labels == 1 && strcmp(p->labels[0].version_id, vs[1]->id) == 0);
        CHECK(p && strcmp(p->name, "Newer name") == 0);
        CHECK(p && strcmp(p->updated_at, "2026-03-01T10:00:00.000Z") >= 0);
        pd_prompt_free(p);
        free(text);
        free(path);
    }
    /* a move made now overrides whatever it saw, even one stamped in the future */
    char *future = pd_strf("{\"at\":\"2099-01-01T00:00:00.000Z\",\"id\":\"01jnkz0000eeeeeeeeeeeeeeee\","
                           "\"label\":\"staging\",\"version\":\"%s\"}\n", vs[1]->id);
    char *path = pd_strf("%s/events.jsonl", pdir);
    FILE *f = fopen(path, "a");
    fputs(future, f);
    fclose(f);
    CHECK_INT(pd_store_set_label(s, "p", "staging", 1, NULL), 0);
    pd_prompt *p = NULL;
    CHECK_INT(pd_store_get_prompt(s, "p", &p, NULL), 0);
    CHECK(p && pd_prompt_label_version(p, "staging") == 1);
    pd_prompt_free(p);
    CHECK_INT(pd_store_remove_label(s, "p", "staging", NULL), 0);
    CHECK_INT(pd_store_get_prompt(s, "p", &p, NULL), 0);
    CHECK(p && pd_prompt_label_version(p, "staging") == 0 && p->n_labels == 1);
    pd_prompt_free(p);
    /* nothing rewrites the file: every line is still there */
    char *all = read_text(pdir, "events.jsonl");
    CHECK(all && strstr(all, "01jnkz0000aaaaaaaaaaaaaaaa") && strstr(all, "01jnkz0000eeeeeeeeeeeeeeee"));
    free(all);
    free(future);
    free(path);
    free(a);
    free(b);
    free(pdir);
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_store_close(s);
}

/* A label move or a save made from what the user saw is refused once someone changed it. */
static void test_stale_moves(void)
{
    pd_store *s = open_lib("stale");
    pd_error err = {0};
    save(s, "p", "one");
    save(s, "p", "two");
    save(s, "p", "three");
    pd_version *v1 = NULL, *v2 = NULL;
    pd_store_get_version(s, "p", 1, &v1, NULL);
    pd_store_get_version(s, "p", 2, &v2, NULL);
    /* the screen showed production unset; the command line sets it meanwhile */
    CHECK_INT(pd_store_set_label(s, "p", "production", 2, &err), 0);
    pd_label_move m = {.label = "production", .version = 3, .check_base = true, .base_id = NULL};
    CHECK(pd_store_move_label(s, "p", &m, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK(strstr(err.msg, "is now on version 2") && strstr(err.msg, "when it was not set"));
    m.base_id = v1->id;   /* it showed production on v1 */
    CHECK(pd_store_move_label(s, "p", &m, &err) != 0);
    CHECK(strstr(err.msg, "when it was on version 1"));
    m.base_id = v2->id;   /* up to date */
    CHECK_INT(pd_store_move_label(s, "p", &m, &err), 0);
    pd_prompt *p = NULL;
    pd_store_get_prompt(s, "p", &p, NULL);
    CHECK(p && pd_prompt_label_version(p, "production") == 3);
    /* by id, and removing with a base */
    pd_label_move rm = {.label = "production", .check_base = true, .base_id = p->current_id};
    CHECK_INT(pd_store_move_label(s, "p", &rm, &err), 0);
    CHECK(pd_store_move_label(s, "p", &rm, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    pd_label_move byid = {.label = "staging", .version_id = v1->id};
    CHECK_INT(pd_store_move_label(s, "p", &byid, &err), 0);
    pd_prompt_free(p);
    pd_store_get_prompt(s, "p", &p, NULL);
    CHECK(p && pd_prompt_label_version(p, "staging") == 1 && pd_prompt_label_version(p, "production") == 0);
    /* a save based on an id that is no longer current */
    pd_message msg = {.role = "user", .content = "four"};
    pd_version nv = {.messages = &msg, .n_messages = 1};
    pd_update u = {.content = &nv, .base_id = v2->id};
    CHECK(pd_store_update(s, "p", &u, NULL, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK(strstr(err.msg, "based on version 2"));
    u.base_id = p->current_id;
    pd_update_result r = {0};
    CHECK_INT(pd_store_update(s, "p", &u, &r, &err), 0);
    CHECK_INT(r.new_version, 4);
    pd_prompt_free(p);
    pd_version_free(v1);
    pd_version_free(v2);
    pd_store_close(s);
}

/* Two clones saved version 3 and git merged them: both files are there. */
static void test_shared_numbers(void)
{
    pd_store *s = open_lib("shared");
    pd_error err = {0};
    save(s, "p", "one");
    save(s, "p", "two");
    save(s, "p", "three here");
    pd_version *mine = NULL;
    pd_store_get_version(s, "p", 3, &mine, NULL);
    CHECK_INT(pd_store_set_label(s, "p", "production", 3, &err), 0);
    /* the other clone's v3, made from v2 a little later */
    char *pdir = store_prompt_dir(s, "p");
    char *theirs_id = pd_id_new(pd_now_ms() + 5);
    char *name = pd_strf("v0003-%s.json", theirs_id);
    char *text = pd_strf("{\n  \"format_version\": 2,\n  \"id\": \"%s\",\n  \"parent\": \"%s\",\n  \"messages\": "
                         "[{\"role\": \"user\", \"content\": \"three there\"}],\n  \"author\": \"Ada\",\n"
                         "  \"created_at\": \"2026-03-01T10:00:00Z\"\n}\n",
                         theirs_id, mine->parent);
    write_text(pdir, name, text);

    pd_prompt_list l = {0};
    CHECK_INT(pd_store_list(s, &l, &err), 0);
    CHECK(l.n == 1 && !l.items[0]->damaged && l.items[0]->duplicates && l.items[0]->current_version == 3);
    CHECK(l.n == 1 && strcmp(l.items[0]->current_id, theirs_id) == 0);   /* the greater id is the later */
    pd_prompt_list_free(&l);
    pd_version **vs = NULL;
    size_t n = 0;
    CHECK_INT(pd_store_list_versions(s, "p", &vs, &n, &err), 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK(vs[2]->number == 3 && vs[2]->duplicate == 0 && strcmp(vs[2]->id, mine->id) == 0);
        CHECK(vs[3]->number == 3 && vs[3]->duplicate == 1 && strcmp(vs[3]->id, theirs_id) == 0);
        CHECK(strcmp(vs[3]->parent, vs[1]->id) == 0 && strcmp(vs[2]->parent, vs[1]->id) == 0);   /* a fork */
    }
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_version *v = NULL;
    CHECK(pd_store_get_version(s, "p", 3, &v, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK(strstr(err.msg, "promptdeck sync") && strstr(err.msg, "promptdeck fix"));
    CHECK_INT(pd_store_get_version_id(s, "p", theirs_id, &v, &err), 0);
    CHECK(v && strcmp(v->messages[0].content, "three there") == 0 && v->duplicate == 1);
    pd_version_free(v);
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", mine->id + 18);   /* not a prefix: not found */
    CHECK(pd_store_get_version_id(s, "p", prefix, &v, &err) != 0);
    CHECK_INT(pd_store_get_version(s, "p", 0, &v, &err), 0);   /* current: the later one */
    CHECK(v && strcmp(v->id, theirs_id) == 0);
    pd_version_free(v);
    CHECK(pd_store_set_label(s, "p", "staging", 3, &err) != 0);
    CHECK_INT(err.code, PD_ERR_CONFLICT);
    CHECK_INT(pd_store_get_label_version(s, "p", "production", &v, &err), 0);   /* labels follow ids */
    CHECK(v && strcmp(v->id, mine->id) == 0);
    pd_version_free(v);
    CHECK_INT(pd_store_get_label_version(s, "p", "latest", &v, &err), 0);
    CHECK(v && strcmp(v->id, theirs_id) == 0);
    pd_version_free(v);
    CHECK(pd_store_get_label_version(s, "p", "canary", &v, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    json_t *doc = NULL;
    CHECK(pd_store_export_json(s, NULL, 0, &doc, &err) != 0);
    CHECK(strstr(err.msg, "fix"));
    json_decref(doc);
    /* a save still works (after the highest), made from the current one */
    CHECK_INT(save(s, "p", "four"), 4);

    /* fix: the older id keeps 3, the other follows the highest; labels stay on their versions */
    pd_store_report r = {0};
    CHECK_INT(pd_store_fix(s, &r, &err), 0);
    CHECK_INT(r.renumbered, 1);
    CHECK(r.n == 1 && strstr(r.notes[0], "had two versions numbered 3") && strstr(r.notes[0], "is now v5"));
    pd_store_report_free(&r);
    CHECK_INT(pd_store_list_versions(s, "p", &vs, &n, &err), 0);
    CHECK_INT(n, 5);
    if (n == 5) {
        CHECK(vs[2]->number == 3 && strcmp(vs[2]->id, mine->id) == 0);
        CHECK(vs[4]->number == 5 && strcmp(vs[4]->id, theirs_id) == 0 && vs[4]->duplicate == 0);
    }
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_prompt *p = NULL;
    CHECK_INT(pd_store_get_prompt(s, "p", &p, &err), 0);
    CHECK(p && !p->duplicates && p->current_version == 5 && pd_prompt_label_version(p, "production") == 3);
    pd_prompt_free(p);
    CHECK_INT(pd_store_fix(s, &r, &err), 0);
    CHECK(r.renumbered == 0 && r.n == 1 && strstr(r.notes[0], "nothing to fix"));
    pd_store_report_free(&r);
    free(text);
    free(name);
    free(theirs_id);
    free(pdir);
    pd_version_free(mine);
    pd_store_close(s);
}

/* The settling rule with a set of versions already pushed: those keep their numbers, the
 * others follow the highest kept number in their order. */
static bool pushed_if_listed(void *ud, const char *dir, const char *id)
{
    (void)dir;
    return strstr(ud, id) != NULL;
}

static void test_settle_local(void)
{
    pd_store *s = open_lib("settle");
    save(s, "p", "one");
    save(s, "p", "mine two");
    save(s, "p", "mine three");
    pd_version **vs = NULL;
    size_t n = 0;
    pd_store_list_versions(s, "p", &vs, &n, NULL);
    CHECK_INT(n, 3);
    /* upstream has one and its own two and three */
    char *pdir = store_prompt_dir(s, "p");
    pd_buf pushed = PD_BUF_INIT;
    pd_buf_printf(&pushed, "%s ", vs[0]->id);
    for (int k = 2; k <= 3; k++) {
        char *id = pd_id_new(pd_now_ms() - 100000 + k);   /* older than mine: order is by number first */
        char *name = pd_strf("v%04d-%s.json", k, id);
        char *text = pd_strf("{\"format_version\": 2, \"id\": \"%s\", \"messages\": [{\"role\": \"user\", "
                             "\"content\": \"theirs %d\"}]}\n", id, k);
        write_text(pdir, name, text);
        pd_buf_printf(&pushed, "%s ", id);
        free(id);
        free(name);
        free(text);
    }
    store_renumber *plan = NULL;
    size_t np = 0;
    CHECK_INT(store_settle_plan(s, NULL, 0, pushed_if_listed, (void *)pd_buf_str(&pushed), &plan, &np, NULL), 0);
    CHECK_INT(np, 2);
    if (np == 2) {
        CHECK(plan[0].local && plan[0].from == 2 && plan[0].to == 4 && strcmp(plan[0].id, vs[1]->id) == 0);
        CHECK(plan[1].local && plan[1].from == 3 && plan[1].to == 5 && strcmp(plan[1].id, vs[2]->id) == 0);
    }
    pd_store_report r = {0};
    CHECK_INT(store_settle_apply(s, plan, np, &r, NULL), 0);
    CHECK(r.n == 2 && strcmp(r.notes[0], "your v2 of p is now v4") == 0);
    pd_store_report_free(&r);
    store_renumber_free(plan, np);
    pd_version *v = NULL;
    CHECK_INT(pd_store_get_version(s, "p", 5, &v, NULL), 0);
    CHECK(v && strcmp(v->messages[0].content, "mine three") == 0 && strcmp(v->parent, vs[1]->id) == 0);
    pd_version_free(v);
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_buf_free(&pushed);
    free(pdir);
    pd_store_close(s);
}

/* A hand-made format 1 prompt: no id, no dates. */
#define SOLO_V1 "{\n  \"format_version\": 1,\n  \"name\": \"Solo\",\n  \"current_version\": 1\n}\n"

/* Writes a format 1 library by hand, as an older promptdeck left it. */
static void write_format1(const char *dir)
{
    write_text(dir, "library.json", "{\n  \"format_version\": 1,\n  \"format\": \"promptdeck-library\"\n}\n");
    write_text(dir, "prompts/team/greet/prompt.json",
               "{\n  \"format_version\": 1,\n  \"id\": \"0123456789abcdef\",\n  \"slug\": \"team/greet\",\n"
               "  \"name\": \"Greeter\",\n  \"description\": \"Says hello\",\n  \"tags\": [\"a\", \"b\"],\n"
               "  \"labels\": {\"production\": 1, \"staging\": 2},\n  \"current_version\": 2,\n"
               "  \"created_at\": \"2025-01-01T00:00:00Z\",\n  \"updated_at\": \"2025-01-03T00:00:00Z\"\n}\n");
    write_text(dir, "prompts/team/greet/v0001.json",
               "{\n  \"format_version\": 1,\n  \"version\": 1,\n  \"messages\": [{\"role\": \"user\", \"content\": "
               "\"Hi\"}],\n  \"model\": \"m\",\n  \"author\": \"Ada\",\n  \"created_at\": \"2025-01-01T00:00:00Z\"\n}\n");
    write_text(dir, "prompts/team/greet/v0002.json",
               "{\n  \"format_version\": 1,\n  \"version\": 2,\n  \"messages\": [{\"role\": \"user\", \"content\": "
               "\"Hello\"}],\n  \"model\": \"m\",\n  \"commit_message\": \"warmer\",\n  \"author\": \"Bo\",\n"
               "  \"created_at\": \"2025-01-02T00:00:00Z\"\n}\n");
    write_text(dir, "prompts/solo/prompt.json", SOLO_V1);
    write_text(dir, "prompts/solo/v0001.json",
               "{\n  \"format_version\": 1,\n  \"version\": 1,\n  \"messages\": [{\"role\": \"system\", \"content\": "
               "\"x\"}]\n}\n");
    write_text(dir, "partials/tone/partial.json",
               "{\n  \"format_version\": 1,\n  \"name\": \"tone\",\n  \"current_version\": 2\n}\n");
    write_text(dir, "partials/tone/v0001.json",
               "{\n  \"format_version\": 1,\n  \"name\": \"tone\",\n  \"version\": 1,\n  \"content\": \"Be kind.\"\n}\n");
    write_text(dir, "partials/tone/v0002.json",
               "{\n  \"format_version\": 1,\n  \"name\": \"tone\",\n  \"version\": 2,\n  \"content\": \"Be very kind.\"\n}\n");
    write_text(dir, "runs/team/greet/20250101T000000000Z-aaaaaa.json",
               "{\n  \"format_version\": 1,\n  \"id\": \"20250101T000000000Z-aaaaaa\",\n  \"prompt_slug\": \"team/greet\",\n"
               "  \"prompt_version\": 1,\n  \"status\": \"ok\",\n  \"output\": \"hey\"\n}\n");
}

/* What a library shows: every prompt's metadata and versions, as JSON text. */
static char *snapshot(pd_store *s)
{
    pd_prompt_list l = {0};
    pd_store_list(s, &l, NULL);
    json_t *all = json_array();
    for (size_t i = 0; i < l.n; i++) {
        json_t *p = pd_prompt_to_json(l.items[i]);
        pd_version **vs = NULL;
        size_t n = 0;
        pd_store_list_versions(s, l.items[i]->slug, &vs, &n, NULL);
        json_t *va = json_array();
        for (size_t k = 0; k < n; k++) {
            json_array_append_new(va, pd_version_to_json(vs[k]));
            pd_version_free(vs[k]);
        }
        free(vs);
        json_object_set_new(p, "versions", va);
        json_array_append_new(all, p);
    }
    pd_prompt_list_free(&l);
    char *text = pd_json_dump_pretty(all);
    json_decref(all);
    return text;
}

static void test_migration(void)
{
    char *dir = pd_strf("%s/old", tmp_root), *twin = pd_strf("%s/old-twin", tmp_root);
    write_format1(dir);
    write_format1(twin);
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(dir, false, false, &s, &err), 0);
    if (!s)
        return;
    CHECK_INT(pd_store_format(s), 1);
    char *before = snapshot(s);   /* read in format 1 */
    CHECK(strstr(before, "\"Greeter\"") && strstr(before, "\"production\": 1"));
    pd_run_record **runs = NULL;
    size_t nr = 0;
    pd_store_list_runs(s, "team/greet", &runs, &nr, NULL);
    CHECK_INT(nr, 1);
    for (size_t i = 0; i < nr; i++)
        pd_run_record_free(runs[i]);
    free(runs);

    /* a crash in the middle: one prompt's new files written, its prompt.json still format 1 */
    char *solo = store_prompt_dir(s, "solo");
    CHECK_INT(store_migrate_prompt(solo, "solo", &err), 0);
    free(solo);
    char *solo_meta = read_text(dir, "prompts/solo/prompt.json");
    write_text(dir, "prompts/solo/prompt.json", SOLO_V1);
    write_text(dir, "prompts/solo/v0001.json",
               "{\n  \"format_version\": 1,\n  \"version\": 1,\n  \"messages\": [{\"role\": \"system\", \"content\": "
               "\"x\"}]\n}\n");
    char *mid = snapshot(s);
    CHECK_STR(mid, before);   /* still read as format 1, nothing doubled */
    free(mid);
    free(solo_meta);

    int notices = 0;
    pd_store_report r = {0};
    CHECK_INT(pd_store_migrate(s, &r, &err), 0);
    CHECK_INT(pd_store_format(s), 2);
    CHECK(r.n >= 1 && strstr(r.notes[0], "upgraded 2 prompts"));
    pd_store_report_free(&r);
    (void)notices;
    char *after = snapshot(s);
    /* the same prompts, metadata, labels and versions (the hand-made one gained an id and a
     * time, both derived: the same on every clone) */
    char *solo_id = read_text(dir, "prompts/solo/prompt.json");
    CHECK(solo_id && strstr(solo_id, "\"id\": \""));
    free(solo_id);
    CHECK(strstr(after, "\"updated_at\": \"1970-01-01T00:00:00.000Z\""));
    CHECK_STR(strstr(after, "\"slug\": \"team/greet\""), strstr(before, "\"slug\": \"team/greet\""));
    char *lj = read_text(dir, "library.json"), *ga = read_text(dir, ".gitattributes");
    CHECK(lj && strstr(lj, "\"format_version\": 2"));
    CHECK(ga && strstr(ga, "*.jsonl merge=union"));
    free(lj);
    free(ga);
    char *old = pd_strf("%s/prompts/team/greet/v0001.json", dir), *old_runs = pd_strf("%s/runs", dir);
    CHECK(access(old, F_OK) != 0 && access(old_runs, F_OK) != 0);
    free(old);
    free(old_runs);
    pd_store_list_runs(s, "team/greet", &runs, &nr, NULL);
    CHECK(nr == 1 && strcmp(runs[0]->output, "hey") == 0);
    for (size_t i = 0; i < nr; i++)
        pd_run_record_free(runs[i]);
    free(runs);
    pd_partial *part = NULL;
    CHECK_INT(pd_store_get_partial(s, "tone", 0, &part, &err), 0);
    CHECK(part && part->version == 2 && strcmp(part->content, "Be very kind.") == 0 && pd_id_valid(part->id));
    pd_partial_free(part);
    /* a second upgrade has nothing to do */
    CHECK_INT(pd_store_migrate(s, &r, &err), 0);
    CHECK(r.n == 1 && strstr(r.notes[0], "already in format 2"));
    pd_store_report_free(&r);

    /* the twin clone upgrades on its first write and writes the very same files */
    pd_store *t = NULL;
    CHECK_INT(pd_store_open(twin, false, false, &t, &err), 0);
    CHECK_INT(pd_store_put_partial(t, "tone", "Be very kind.", NULL, NULL, &err), 0);   /* same content: no version */
    CHECK_INT(pd_store_format(t), 2);
    const char *files[] = {"prompts/team/greet/prompt.json", "prompts/team/greet/events.jsonl",
                           "prompts/solo/prompt.json", "prompts/solo/events.jsonl", "partials/tone/partial.json",
                           "library.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *a = read_text(dir, files[i]), *b = read_text(twin, files[i]);
        CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    pd_version *v = NULL;
    pd_store_get_version(s, "team/greet", 2, &v, NULL);
    char *vname = pd_strf("prompts/team/greet/v0002-%s.json", v ? v->id : "");
    char *a = read_text(dir, vname), *b = read_text(twin, vname);
    CHECK(a && b && strcmp(a, b) == 0 && strstr(a, "\"parent\": \""));
    free(a);
    free(b);
    free(vname);
    pd_version_free(v);
    free(before);
    free(after);
    pd_store_close(t);
    pd_store_close(s);
    free(dir);
    free(twin);
}

/* An upgrade killed after a folder's switch (its prompt.json or partial.json in format 2),
 * before its old version files went: the next upgrade removes those whose new file is there,
 * as an unkilled one leaves the folder (kill_trials found them left for good), and keeps an
 * old file that has none. */
static void test_migration_killed_after_switch(void)
{
    char *dir = pd_strf("%s/killed", tmp_root);
    write_format1(dir);
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(dir, false, false, &s, &err), 0);
    CHECK_INT(pd_store_migrate(s, NULL, &err), 0);
    char *clean = snapshot(s);
    pd_store_close(s);
    const char *old[] = {"prompts/team/greet/v0001.json", "prompts/team/greet/v0002.json",
                         "partials/tone/v0001.json", "partials/tone/v0002.json"};
    char *twin = pd_strf("%s/killed-twin", tmp_root);
    write_format1(twin);
    for (size_t i = 0; i < 4; i++) {   /* what the kill left: the old files beside the new */
        char *text = read_text(twin, old[i]);
        write_text(dir, old[i], text ? text : "");
        free(text);
    }
    write_text(dir, "prompts/team/greet/v0003.json", "{\"format_version\": 1, \"version\": 3}\n");
    write_text(dir, "library.json", "{\n  \"format_version\": 1,\n  \"format\": \"promptdeck-library\"\n}\n");
    CHECK_INT(pd_store_open(dir, false, false, &s, &err), 0);
    if (!s)
        return;
    char *mid = snapshot(s);
    CHECK_STR(mid, clean);   /* the old files are not read beside the new */
    CHECK_INT(pd_store_migrate(s, NULL, &err), 0);
    CHECK_INT(pd_store_format(s), 2);
    for (size_t i = 0; i < 4; i++) {
        char *path = pd_strf("%s/%s", dir, old[i]);
        CHECK(access(path, F_OK) != 0);
        free(path);
    }
    char *no_new = pd_strf("%s/prompts/team/greet/v0003.json", dir);   /* nothing to say it was upgraded */
    CHECK(access(no_new, F_OK) == 0);
    free(no_new);
    char *after = snapshot(s);
    CHECK_STR(after, clean);
    free(after);
    free(mid);
    free(clean);
    pd_store_close(s);
    free(twin);
    free(dir);
}

/* Import keeps the export format and round-trips into a format 2 library exactly. */
static void test_import_round_trip(void)
{
    pd_store *a = open_lib("rt-a"), *b = open_lib("rt-b");
    save(a, "x", "one");
    save(a, "x", "two");
    pd_store_set_label(a, "x", "production", 1, NULL);
    char *tags[] = {"t1"};
    pd_update u = {.description = "d", .tags = tags, .n_tags = 1, .set_tags = true};
    pd_store_update(a, "x", &u, NULL, NULL);
    json_t *d1 = NULL, *d2 = NULL;
    CHECK_INT(pd_store_export_json(a, NULL, 0, &d1, NULL), 0);
    CHECK_INT(json_integer_value(json_object_get(d1, "format_version")), 1);
    CHECK_INT(pd_store_import_json(b, d1, NULL, NULL), 0);
    CHECK_INT(pd_store_export_json(b, NULL, 0, &d2, NULL), 0);
    char *t1 = pd_json_dump_pretty(d1), *t2 = pd_json_dump_pretty(d2);
    CHECK_STR(t2, t1);
    free(t1);
    free(t2);
    json_decref(d1);
    json_decref(d2);
    pd_store_close(a);
    pd_store_close(b);
}

/* What the last sync brought: recorded outside the library, read back; a damaged record or a
 * link planted in its place marks nothing and is never followed; the next record replaces it. */
static void test_sync_news(void)
{
    pd_store *s = open_lib("news");
    pd_sync_news n;
    pd_error err = {0};
    CHECK_INT(pd_store_last_sync(s, &n, &err), 0);   /* no sync yet: nothing */
    CHECK(n.n == 0 && n.n_upstream == 0 && n.at == NULL);
    CHECK(pd_store_last_sync_signature(s) == 0);
    pd_sync_news_free(&n);

    pd_sync_news w = {.at = pd_strdup("2026-12-05T10:00:00Z")};
    pd_sync_news_prompt *np = store_news_prompt(&w, "team/greet");
    store_news_add(&np->versions, &np->n_versions, "01aaaaaaaaaaaaaaaaaaaaaaaa");
    store_news_add(&np->versions, &np->n_versions, "01aaaaaaaaaaaaaaaaaaaaaaaa");   /* once */
    store_news_add(&np->labels, &np->n_labels, "production");
    store_news_add(&w.upstream, &w.n_upstream, "other");
    CHECK_INT(store_news_write(s, &w, &err), 0);
    pd_sync_news_free(&w);
    char *dir = pd_store_state_path(s, "sync");
    char *path = pd_path_join(dir, "last-sync.json");
    struct stat st;
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600);
    CHECK(strncmp(path, pd_store_dir(s), strlen(pd_store_dir(s))) != 0);   /* outside the library */
    uint64_t sig = pd_store_last_sync_signature(s);
    CHECK(sig != 0);
    CHECK_INT(pd_store_last_sync(s, &n, &err), 0);
    CHECK_INT((int)n.n, 1);
    CHECK_STR(n.at, "2026-12-05T10:00:00Z");
    CHECK(pd_sync_news_has_version(&n, "team/greet", "01aaaaaaaaaaaaaaaaaaaaaaaa"));
    CHECK(!pd_sync_news_has_version(&n, "team/greet", "01bbbbbbbbbbbbbbbbbbbbbbbb"));
    CHECK(!pd_sync_news_has_version(&n, "other", "01aaaaaaaaaaaaaaaaaaaaaaaa"));
    const pd_sync_news_prompt *g = pd_sync_news_find(&n, "team/greet");
    CHECK(g && g->n_versions == 1 && g->n_labels == 1 && !strcmp(g->labels[0], "production"));
    CHECK(pd_sync_news_upstream(&n, "other") && !pd_sync_news_upstream(&n, "team/greet"));
    pd_sync_news_free(&n);

    /* a record naming no valid slug, or not JSON: nothing marked, no crash */
    write_text(dir, "last-sync.json", "{\"format_version\": 2, \"prompts\": [{\"slug\": \"../x\", \"versions\": [1]}]}");
    CHECK_INT(pd_store_last_sync(s, &n, &err), 0);
    CHECK_INT((int)n.n, 0);
    pd_sync_news_free(&n);
    CHECK(pd_store_last_sync_signature(s) != sig);
    write_text(dir, "last-sync.json", "{\"format_version\": 2, \"prompts\": [");
    CHECK_INT(pd_store_last_sync(s, &n, &err), -1);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK_INT((int)n.n, 0);
    pd_sync_news_free(&n);

    /* a link planted in its place: not followed when read, replaced when written */
    char *target = pd_strf("%s/not-yours", tmp_root);
    write_text(tmp_root, "not-yours", "{\"format_version\": 2, \"prompts\": [{\"slug\": \"a\"}]}");
    unlink(path);
    CHECK(symlink(target, path) == 0);
    CHECK_INT(pd_store_last_sync(s, &n, &err), -1);
    CHECK_INT((int)n.n, 0);
    pd_sync_news_free(&n);
    pd_sync_news empty = {0};
    CHECK_INT(store_news_write(s, &empty, &err), 0);
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
    char *text = NULL;
    size_t len;
    CHECK(pd_read_file(target, &text, &len, NULL) == 0 && strstr(text, "\"a\""));
    free(text);
    free(target);
    free(path);
    free(dir);
    pd_store_close(s);
}

int main(void)
{
    if (!t_tmpdir(tmp_root, sizeof tmp_root, "test-store-format"))
        return 2;
    setenv("XDG_STATE_HOME", tmp_root, 1);
    setenv("XDG_CACHE_HOME", tmp_root, 1);
    setenv("PROMPTDECK_AUTHOR", "Tester", 1);
    RUN(test_ids_and_times);
    RUN(test_events_fold);
    RUN(test_stale_moves);
    RUN(test_shared_numbers);
    RUN(test_settle_local);
    RUN(test_migration);
    RUN(test_migration_killed_after_switch);
    RUN(test_import_round_trip);
    RUN(test_sync_news);
    t_rmtree(tmp_root);
    T_DONE();
}
