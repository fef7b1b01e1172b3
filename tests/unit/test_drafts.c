/* test_drafts.c: drafts on disk: round trip, file modes, per-library listing, damaged files
 * skipped and named, removal; the base version found by its id after a sync renumbered it. */
#define PD_MODULE_editor /* white-box: opens editor/ private headers */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "editor/drafts_priv.h"
#include "store/store.h"
#include "t.h"

static char tmp[64];

static pd_version *sample(void)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->number = 3;
    v->n_messages = 2;
    v->messages = pd_xcalloc(2, sizeof *v->messages);
    v->messages[0].role = pd_strdup("system");
    v->messages[0].content = pd_strdup("You are terse.\n\xE4\xB8\xAD\xE6\x96\x87 \x1b[31m and a tab\t.");
    v->messages[1].role = pd_strdup("user");
    v->messages[1].content = pd_strdup("{{question}}");
    v->settings.provider = pd_strdup("openai");
    v->settings.model = pd_strdup("gpt-4o-mini");
    v->settings.has_temperature = true;
    v->settings.temperature = 0.25;
    v->settings.max_output_tokens = 500;
    v->commit_message = pd_strdup("shorter system prompt");
    return v;
}

static char *lib_dir(const char *name)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", tmp, name);
    mkdir(b.data, 0755);
    return pd_buf_take(&b);
}

static void test_round_trip(void)
{
    char *lib = lib_dir("lib1");
    pd_version *v = sample();
    pd_draft *d = pd_draft_new(lib, "team/summarize", 3, v);
    d->cursor_item = 2;
    d->cursor_offset = 17;
    pd_error err = {0};
    CHECK_INT(pd_draft_save(d, &err), 0);
    CHECK(d->path != NULL);
    CHECK(d->saved_at != NULL);
    CHECK(d->path && strstr(d->path, "/promptdeck/drafts/") != NULL);
    CHECK(d->path && strstr(d->path, "-team+summarize.json") != NULL);
    struct stat st;
    CHECK_INT(stat(d->path, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    char *dir = pd_drafts_dir();
    CHECK_INT(stat(dir, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0700);
    pd_draft *back = NULL;
    CHECK_INT(pd_draft_load(d->path, &back, &err), 0);
    CHECK(back != NULL);
    if (back) {
        CHECK_STR(back->slug, "team/summarize");
        CHECK_INT(back->base_version, 3);
        CHECK(pd_version_content_equal(back->version, v));
        CHECK_STR(back->version->commit_message, "shorter system prompt");
        CHECK_STR(back->version->messages[0].content, v->messages[0].content);
        CHECK_INT(back->cursor_item, 2);
        CHECK_INT(back->cursor_offset, 17);
        CHECK_STR(back->saved_at, d->saved_at);
    }
    /* saving again overwrites the same file and leaves no temporary file behind */
    free(d->version->messages[1].content);
    d->version->messages[1].content = pd_strdup("changed");
    CHECK_INT(pd_draft_save(d, &err), 0);
    pd_draft **list;
    size_t n;
    CHECK_INT(pd_drafts_list(lib, &list, &n, NULL, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(list[0]->version->messages[1].content, "changed");
    pd_drafts_free(list, n);
    pd_buf cmd = PD_BUF_INIT;
    pd_buf_printf(&cmd, "test $(ls -A '%s' | wc -l) = 1", dir);
    CHECK_INT(system(cmd.data), 0);
    pd_buf_free(&cmd);
    CHECK_INT(pd_draft_remove(lib, "team/summarize", &err), 0);
    CHECK(access(d->path, F_OK) != 0);
    CHECK_INT(pd_draft_remove(lib, "team/summarize", &err), 0);   /* gone already: fine */
    pd_draft_free(back);
    pd_draft_free(d);
    pd_version_free(v);
    free(dir);
    free(lib);
}

static void test_list_per_library(void)
{
    char *a = lib_dir("liba"), *b = lib_dir("libb");
    pd_version *v = sample();
    pd_error err = {0};
    const char *slugs[] = {"one", "two"};
    for (int i = 0; i < 2; i++) {
        pd_draft *d = pd_draft_new(a, slugs[i], 1, v);
        CHECK_INT(pd_draft_save(d, &err), 0);
        pd_draft_free(d);
    }
    pd_draft *d = pd_draft_new(b, "three", 1, v);
    CHECK_INT(pd_draft_save(d, &err), 0);
    pd_draft_free(d);
    /* the same library named another way (trailing "/.") finds the same drafts */
    pd_buf other = PD_BUF_INIT;
    pd_buf_printf(&other, "%s/.", a);
    pd_draft **list;
    size_t n;
    char *problems = NULL;
    CHECK_INT(pd_drafts_list(other.data, &list, &n, &problems, &err), 0);
    CHECK_INT(n, 2);
    CHECK(problems == NULL);
    pd_drafts_free(list, n);
    CHECK_INT(pd_drafts_list(b, &list, &n, NULL, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(list[0]->slug, "three");
    pd_drafts_free(list, n);
    char *c = lib_dir("libc");
    CHECK_INT(pd_drafts_list(c, &list, &n, NULL, &err), 0);
    CHECK_INT(n, 0);
    pd_drafts_free(list, n);
    pd_draft_remove(a, "one", &err);
    pd_draft_remove(a, "two", &err);
    pd_draft_remove(b, "three", &err);
    pd_buf_free(&other);
    pd_version_free(v);
    free(a);
    free(b);
    free(c);
}

static void test_damaged_skipped(void)
{
    char *lib = lib_dir("libd");
    pd_error err = {0};
    pd_version *v = sample();
    pd_draft *d = pd_draft_new(lib, "good", 2, v);
    CHECK_INT(pd_draft_save(d, &err), 0);
    char *bad = pd_draft_path(lib, "bad");
    CHECK_INT(pd_write_file_atomic(bad, "{\"format\": \"promptdeck-draft\",", 31, 0600, &err), 0);
    char *wrong = pd_draft_path(lib, "wrong");
    const char *w = "{\"format\": \"something-else\", \"library\": \"x\", \"slug\": \"s\", \"base_version\": 1, \"version\": {}}";
    CHECK_INT(pd_write_file_atomic(wrong, w, strlen(w), 0600, &err), 0);
    pd_draft **list;
    size_t n;
    char *problems = NULL;
    CHECK_INT(pd_drafts_list(lib, &list, &n, &problems, &err), 0);
    CHECK_INT(n, 1);
    CHECK(problems != NULL);
    if (problems) {
        CHECK(strstr(problems, bad) != NULL);
        CHECK(strstr(problems, wrong) != NULL);
        CHECK(strstr(problems, "not a promptdeck draft") != NULL);
    }
    /* the damaged files are kept, never deleted behind the user's back */
    CHECK_INT(access(bad, F_OK), 0);
    pd_draft *x = NULL;
    CHECK(pd_draft_load(bad, &x, &err) != 0);
    CHECK_INT(err.code, PD_ERR_DAMAGED);
    CHECK(x == NULL);
    free(problems);
    pd_drafts_free(list, n);
    pd_draft_free(d);
    pd_version_free(v);
    free(bad);
    free(wrong);
    free(lib);
}

static void test_invalid_utf8_kept(void)
{
    /* JSON cannot hold invalid UTF-8, but a draft must not lose what was typed */
    char *lib = lib_dir("libe");
    pd_version *v = sample();
    free(v->messages[1].content);
    v->messages[1].content = pd_strdup("bad \xFF byte \xE4\xB8 cut");
    pd_draft *d = pd_draft_new(lib, "bad-utf8", 1, v);
    pd_error err = {0};
    CHECK_INT(pd_draft_save(d, &err), 0);
    pd_draft *back = NULL;
    CHECK_INT(pd_draft_load(d->path, &back, &err), 0);
    if (back) {
        CHECK_STR(back->version->messages[1].content, "bad \xFF byte \xE4\xB8 cut");
        CHECK_STR(back->version->messages[0].content, v->messages[0].content);
    }
    pd_draft_free(back);
    /* a damaged hex string is reported, not half-read */
    const char *bad = "{\"format\": \"promptdeck-draft\", \"library\": \"x\", \"slug\": \"s\", "
                      "\"base_version\": 1, \"version\": {\"version\": 1, \"messages\": "
                      "[{\"role\": \"user\", \"content_hex\": \"4g\"}]}}";
    CHECK_INT(pd_write_file_atomic(d->path, bad, strlen(bad), 0600, &err), 0);
    CHECK(pd_draft_load(d->path, &back, &err) != 0);
    CHECK(strstr(err.msg, "content_hex") != NULL);
    pd_draft_remove(lib, "bad-utf8", &err);
    pd_draft_free(d);
    pd_version_free(v);
    free(lib);
}

/* A sync renumbers a version not pushed yet (v2 becomes v3, the upstream's version is v2 now):
 * a draft made from it finds it by id, with its number now, and a save from it is not refused. */
static void test_base_after_renumbering(void)
{
    char *lib = lib_dir("libr");
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(lib, true, false, &s, &err), 0);
    if (!s)
        return;
    pd_version *v = sample();
    pd_prompt p = {.slug = "p", .name = "P"};
    CHECK_INT(pd_store_create(s, &p, v, &err), 0);
    free(v->messages[1].content);
    v->messages[1].content = pd_strdup("mine");
    pd_update u = {.content = v};
    pd_update_result res = {0};
    CHECK_INT(pd_store_update(s, "p", &u, &res, &err), 0);
    pd_version *mine = NULL;
    CHECK_INT(pd_store_get_version(s, "p", 2, &mine, &err), 0);
    if (!mine)
        return;
    pd_draft *d = pd_draft_new(lib, "p", 2, v);
    d->base_id = pd_strdup(mine->id);
    CHECK_INT(pd_draft_save(d, &err), 0);
    /* what a sync's settling does: the upstream's version takes v2, this clone's becomes v3 */
    pd_buf from = PD_BUF_INIT, to = PD_BUF_INIT, up = PD_BUF_INIT;
    pd_buf_printf(&from, "%s/prompts/p/v0002-%s.json", lib, mine->id);
    pd_buf_printf(&to, "%s/prompts/p/v0003-%s.json", lib, mine->id);
    CHECK_INT(rename(from.data, to.data), 0);
    const char *up_id = "01aaaaaaaaaaaaaaaaaaaaaaaa";
    pd_buf_printf(&up, "%s/prompts/p/v0002-%s.json", lib, up_id);
    const char *up_text = "{\"format_version\": 2, \"id\": \"01aaaaaaaaaaaaaaaaaaaaaaaa\", \"parent\": null, "
                          "\"messages\": [{\"role\": \"user\", \"content\": \"theirs\"}], "
                          "\"provider\": \"openai\", \"model\": \"m\", \"created_at\": \"2026-01-01T00:00:00Z\"}\n";
    CHECK_INT(pd_write_file_atomic(up.data, up_text, strlen(up_text), 0644, &err), 0);

    pd_draft *back = NULL;
    CHECK_INT(pd_draft_load(d->path, &back, &err), 0);
    pd_version *base = NULL;
    if (back) {
        CHECK_STR(back->base_id, mine->id);
        CHECK_INT(pd_draft_find_base(back, s, &base, &err), 0);
        CHECK_INT(back->base_version, 3);
    }
    if (base) {
        CHECK_STR(base->id, mine->id);
        CHECK_STR(base->messages[1].content, "mine");
        /* the save check goes by the id: the base is still the current version */
        free(v->messages[1].content);
        v->messages[1].content = pd_strdup("mine, edited");
        pd_update again = {.content = v, .base_id = base->id};
        CHECK_INT(pd_store_update(s, "p", &again, &res, &err), 0);
        CHECK_INT(res.new_version, 4);
    }
    /* a draft written before ids goes by its number */
    if (back) {
        free(back->base_id);
        back->base_id = NULL;
        back->base_version = 2;
        pd_version *by_number = NULL;
        CHECK_INT(pd_draft_find_base(back, s, &by_number, &err), 0);
        CHECK(by_number && strcmp(by_number->id, up_id) == 0);
        pd_version_free(by_number);
    }
    pd_version_free(base);
    pd_draft_free(back);
    pd_draft_remove(lib, "p", &err);
    pd_draft_free(d);
    pd_buf_free(&from);
    pd_buf_free(&to);
    pd_buf_free(&up);
    pd_version_free(mine);
    pd_version_free(v);
    pd_store_close(s);
    free(lib);
}

int main(void)
{
    if (!t_tmpdir(tmp, sizeof tmp, "drafts"))
        return 2;
    setenv("XDG_STATE_HOME", tmp, 1);
    RUN(test_round_trip);
    RUN(test_list_per_library);
    RUN(test_damaged_skipped);
    RUN(test_invalid_utf8_kept);
    RUN(test_base_after_renumbering);
    t_rmtree(tmp);
    T_DONE();
}
