/* test_remembered_vars.c: the variables form's remembered values on disk: path, round trip,
 * merging with what was remembered, file modes, unusable files read as none, symlinks neither
 * read nor written through, and a save that cannot write. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "run/run.h"
#include "store/store.h"
#include "t.h"

static char tmp[64];

static char *under_tmp(const char *rel)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", tmp, rel);
    return pd_buf_take(&b);
}

static void put_file(const char *path, const char *text)
{
    pd_error err = {0};
    CHECK_INT(pd_write_file_atomic(path, text, strlen(text), 0600, &err), 0);
}

/* The remembered object as compact JSON with sorted keys. Caller frees. */
static char *loaded(const char *slug)
{
    json_t *j = pd_run_remembered_vars_load(slug);
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return t;
}

static void test_path(void)
{
    char *p = pd_run_remembered_vars_path("team/summarize");
    char *want = under_tmp("promptdeck/vars/team%summarize.json");
    CHECK_STR(p, want);
    free(p);
    free(want);
}

static void test_round_trip_and_merge(void)
{
    char *t = loaded("greet");
    CHECK_STR(t, "{}");   /* nothing remembered yet */
    free(t);
    pd_error err = {0};
    json_t *v = json_pack("{s:s, s:s}", "name", "Ada", "topic", "line 1\nline 2");
    CHECK_INT(pd_run_remembered_vars_save("greet", v, &err), 0);
    json_decref(v);
    t = loaded("greet");
    CHECK_STR(t, "{\"name\":\"Ada\",\"topic\":\"line 1\\nline 2\"}");
    free(t);
    /* a later save keeps the names it does not give (another version's variables) */
    v = json_pack("{s:s, s:s}", "name", "Grace", "lang", "fr");
    CHECK_INT(pd_run_remembered_vars_save("greet", v, &err), 0);
    json_decref(v);
    t = loaded("greet");
    CHECK_STR(t, "{\"lang\":\"fr\",\"name\":\"Grace\",\"topic\":\"line 1\\nline 2\"}");
    free(t);
    t = loaded("other");
    CHECK_STR(t, "{}");   /* per prompt */
    free(t);
    struct stat st;
    char *p = pd_run_remembered_vars_path("greet");
    CHECK_INT(stat(p, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    char *dir = under_tmp("promptdeck/vars");
    CHECK_INT(stat(dir, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0700);
    free(dir);
    free(p);
}

static void test_unusable_files(void)
{
    char *dir = under_tmp("promptdeck/vars");
    pd_error err = {0};
    CHECK_INT(pd_mkdirs(dir, 0700, &err), 0);
    free(dir);
    char *p = pd_run_remembered_vars_path("bad");
    put_file(p, "[1, 2]");   /* not an object */
    char *t = loaded("bad");
    CHECK_STR(t, "{}");
    free(t);
    put_file(p, "{\"a\": ");   /* not JSON */
    t = loaded("bad");
    CHECK_STR(t, "{}");
    free(t);
    /* saving over an unusable file starts afresh */
    json_t *v = json_pack("{s:s}", "a", "1");
    CHECK_INT(pd_run_remembered_vars_save("bad", v, &err), 0);
    json_decref(v);
    t = loaded("bad");
    CHECK_STR(t, "{\"a\":\"1\"}");
    free(t);
    free(p);
    /* a FIFO there is not waited on */
    p = pd_run_remembered_vars_path("fifo");
    CHECK_INT(mkfifo(p, 0600), 0);
    t = loaded("fifo");
    CHECK_STR(t, "{}");
    free(t);
    free(p);
}

static void test_symlink_not_followed(void)
{
    char *target = under_tmp("elsewhere.json");
    put_file(target, "{\"secret\": \"s\"}");
    char *p = pd_run_remembered_vars_path("linked");
    CHECK_INT(symlink(target, p), 0);
    char *t = loaded("linked");
    CHECK_STR(t, "{}");   /* not read through the link */
    free(t);
    pd_error err = {0};
    json_t *v = json_pack("{s:s}", "x", "1");
    CHECK_INT(pd_run_remembered_vars_save("linked", v, &err), 0);
    json_decref(v);
    struct stat st;
    CHECK_INT(lstat(p, &st), 0);
    CHECK(S_ISREG(st.st_mode));   /* the link was replaced by the file */
    char *data = NULL;
    CHECK_INT(pd_read_file(target, &data, NULL, &err), 0);
    CHECK_STR(data, "{\"secret\": \"s\"}");   /* and its target left alone */
    free(data);
    free(p);
    free(target);
}

static void test_save_fails(void)
{
    char *blocker = under_tmp("blocker");
    put_file(blocker, "");
    setenv("XDG_STATE_HOME", blocker, 1);   /* the folder cannot be made under a file */
    pd_error err = {0};
    json_t *v = json_pack("{s:s}", "x", "1");
    CHECK_INT(pd_run_remembered_vars_save("greet", v, &err), -1);
    CHECK(err.code != PD_OK && err.msg[0]);
    json_decref(v);
    setenv("XDG_STATE_HOME", tmp, 1);
    free(blocker);
}

int main(void)
{
    if (!t_tmpdir(tmp, sizeof tmp, "vars"))
        return 2;
    setenv("XDG_STATE_HOME", tmp, 1);
    RUN(test_path);
    RUN(test_round_trip_and_merge);
    RUN(test_unusable_files);
    RUN(test_symlink_not_followed);
    RUN(test_save_fails);
    t_rmtree(tmp);
    T_DONE();
}
