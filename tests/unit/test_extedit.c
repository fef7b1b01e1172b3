/* test_extedit.c: the $VISUAL/$EDITOR hand-off with fake editors: text read back, editors with
 * arguments, VISUAL before EDITOR, missing editor, failing editor, private temporary file. */
#define PD_MODULE_editor /* white-box: opens editor/ private headers */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "editor/extedit_priv.h"
#include "store/store.h"
#include "t.h"

static char tmp[64];

/* Runs the hand-off on text with the current environment; returns the finish status. */
static int edit(const char *text, char **out, size_t *n, pd_error *err)
{
    pd_extedit x;
    *out = NULL;
    if (pd_extedit_begin(&x, text, strlen(text), "team/summarize", err) != 0)
        return -2;
    int st = pd_extedit_run_plain(x.argv, err);
    return pd_extedit_finish(&x, st, out, n, err);
}

static void test_editor_with_arguments(void)
{
    unsetenv("VISUAL");
    setenv("EDITOR", "sed -i s/a/b/g", 1);
    char *out = NULL;
    size_t n = 0;
    pd_error err = {0};
    CHECK_INT(edit("banana\n\xE4\xB8\xAD a", &out, &n, &err), 0);
    CHECK_STR(out, "bbnbnb\n\xE4\xB8\xAD b");
    CHECK_INT(n, strlen("bbnbnb\n\xE4\xB8\xAD b"));
    free(out);
}

static void test_visual_first(void)
{
    setenv("VISUAL", "sed -i s/x/V/", 1);
    setenv("EDITOR", "sed -i s/x/E/", 1);
    CHECK_STR(pd_extedit_command(), "sed -i s/x/V/");
    char *out = NULL;
    size_t n;
    pd_error err = {0};
    CHECK_INT(edit("x", &out, &n, &err), 0);
    CHECK_STR(out, "V");
    free(out);
    unsetenv("VISUAL");
    unsetenv("EDITOR");
    CHECK_STR(pd_extedit_command(), "vi");
}

static void test_added_newline_taken_off(void)
{
    /* editors add a final newline: it is dropped when the text had none, kept when it had */
    unsetenv("VISUAL");
    setenv("EDITOR", "sed -i -e '$a\\'", 1);   /* makes sure the file ends in a newline */
    char *out = NULL;
    size_t n;
    pd_error err = {0};
    CHECK_INT(edit("no newline", &out, &n, &err), 0);
    CHECK_STR(out, "no newline");
    free(out);
    CHECK_INT(edit("two\n\n", &out, &n, &err), 0);
    CHECK_STR(out, "two\n\n");
    free(out);
}

static void test_missing_editor(void)
{
    unsetenv("VISUAL");
    setenv("EDITOR", "/nonexistent/editor-xyz", 1);
    char *out = (char *)"sentinel";
    size_t n;
    pd_error err = {0};
    CHECK(edit("text", &out, &n, &err) != 0);
    CHECK(out == NULL);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    CHECK(strstr(err.msg, "/nonexistent/editor-xyz") != NULL);
    CHECK(strstr(err.msg, "not found") != NULL);
    /* a plain name looked up in PATH: found before anything runs */
    setenv("EDITOR", "no-such-editor-xyz --wait", 1);
    pd_extedit x;
    CHECK(pd_extedit_begin(&x, "t", 1, "s", &err) != 0);
    CHECK(strstr(err.msg, "no-such-editor-xyz") != NULL);
    /* with shell syntax the shell decides: exit 127 is reported the same way */
    setenv("EDITOR", "no-such-editor-xyz \"$X\"", 1);
    out = NULL;
    CHECK(edit("text", &out, &n, &err) != 0);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
}

static void test_failing_editor(void)
{
    unsetenv("VISUAL");
    setenv("EDITOR", "sh -c 'echo changed > \"$1\"; exit 3' sh", 1);
    char *out = NULL;
    size_t n;
    pd_error err = {0};
    CHECK(edit("text", &out, &n, &err) != 0);
    CHECK(out == NULL);
    CHECK(strstr(err.msg, "status 3") != NULL);
    CHECK(strstr(err.msg, "unchanged") != NULL);
}

static void test_private_file_removed(void)
{
    /* the fake editor records the file's mode and name */
    pd_buf script = PD_BUF_INIT, rec = PD_BUF_INIT;
    pd_buf_printf(&rec, "%s/record", tmp);
    pd_buf_printf(&script, "sh -c 'stat -c \"%%a %%n\" \"$1\" > %s' sh", rec.data);
    unsetenv("VISUAL");
    setenv("EDITOR", script.data, 1);
    setenv("TMPDIR", tmp, 1);
    char *out = NULL;
    size_t n;
    pd_error err = {0};
    CHECK_INT(edit("secret", &out, &n, &err), 0);
    CHECK_STR(out, "secret");
    free(out);
    char *data = NULL;
    size_t len;
    CHECK_INT(pd_read_file(rec.data, &data, &len, &err), 0);
    if (data) {
        CHECK(strncmp(data, "600 ", 4) == 0);
        CHECK(strstr(data, "/promptdeck-team_summarize-") != NULL);
        CHECK(strstr(data, ".md\n") != NULL);
        char *name = data + 4;
        name[strcspn(name, "\n")] = '\0';
        CHECK(access(name, F_OK) != 0);   /* deleted afterwards */
    }
    free(data);
    unsetenv("TMPDIR");
    pd_buf_free(&script);
    pd_buf_free(&rec);
}

static void test_nul_bytes_refused(void)
{
    unsetenv("VISUAL");
    setenv("EDITOR", "sh -c 'printf \"a\\\\000b\" > \"$1\"' sh", 1);
    char *out = NULL;
    size_t n;
    pd_error err = {0};
    CHECK(edit("text", &out, &n, &err) != 0);
    CHECK(out == NULL);
    CHECK(strstr(err.msg, "NUL") != NULL);
}

int main(void)
{
    if (!t_tmpdir(tmp, sizeof tmp, "extedit"))
        return 2;
    RUN(test_editor_with_arguments);
    RUN(test_visual_first);
    RUN(test_added_newline_taken_off);
    RUN(test_missing_editor);
    RUN(test_failing_editor);
    RUN(test_private_file_removed);
    RUN(test_nul_bytes_refused);
    t_rmtree(tmp);
    T_DONE();
}
