/* eval_file.c: a prompt's test cases on disk, DIR/prompts/<slug>/tests.json beside its versions
 * and events (git keeps it with them): load, atomic save, append. The store's rename and delete
 * are to move and remove it with the prompt's own files. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define TESTS_FILE "tests.json"

char *pd_eval_tests_path(const char *library_dir, const char *slug)
{
    if (!library_dir || !pd_slug_valid(slug, NULL))
        return NULL;
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/prompts/%s/" TESTS_FILE, library_dir, slug);
    return pd_buf_take(&b);
}

int pd_eval_suite_load(const char *path, pd_eval_suite *out, pd_error *err)
{
    char *text = NULL;
    size_t len = 0;
    pd_error rerr = {0};
    if (pd_read_file(path, &text, &len, &rerr) != 0) {
        if (rerr.code != PD_ERR_NOT_FOUND) {
            if (err)
                *err = rerr;
            return -1;
        }
        out->cases = NULL;
        out->n = 0;
        return 0;
    }
    pd_json_src src = {path, text, len};
    json_t *j = pd_json_parse_src(&src, err);
    int rc = j ? pd_eval_suite_decode(j, &src, out, err) : -1;
    json_decref(j);
    free(text);
    return rc;
}

int pd_eval_suite_save(const char *path, const pd_eval_suite *s, pd_error *err)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char *dir = pd_strndup(path, (size_t)(slash - path));
        int rc = pd_mkdirs(dir, 0755, err);
        free(dir);
        if (rc != 0)
            return -1;
    }
    json_t *j = pd_eval_suite_to_json(s);
    char *text = pd_json_dump_pretty(j);
    json_decref(j);
    int rc = pd_write_file_atomic(path, text, strlen(text), 0644, err);
    free(text);
    return rc;
}

int pd_eval_suite_append_file(const char *path, pd_eval_case *c, size_t *index, pd_error *err)
{
    pd_eval_suite s;
    if (pd_eval_suite_load(path, &s, err) != 0)
        return -1;
    size_t i = pd_eval_suite_add(&s, c);
    int rc = pd_eval_suite_save(path, &s, err);
    if (rc == 0 && index)
        *index = i;
    pd_eval_suite_clear(&s);
    return rc;
}
