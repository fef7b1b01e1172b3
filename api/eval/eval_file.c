/* eval_file.c: a prompt's test cases on disk, DIR/prompts/<slug>/tests.json beside its versions
 * and events (git keeps it with them): load, atomic save, append under the library's lock. Two
 * clones that each added cases merge in git with a conflict on the one array; such a file is
 * read as the union of both sides' cases (a case both sides hold, once), and written back so by
 * the next append, by sync (which settles it before finishing the merge) and by fix. The
 * store's rename and delete move and remove it with the prompt's own files. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define TESTS_FILE "tests.json"
#define MARKER_LEN 7   /* git's conflict markers: <<<<<<< ||||||| ======= >>>>>>> */

char *pd_eval_tests_path(const char *library_dir, const char *slug)
{
    if (!library_dir || !pd_slug_valid(slug, NULL))
        return NULL;
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/prompts/%s/" TESTS_FILE, library_dir, slug);
    return pd_buf_take(&b);
}

/* Which of git's conflict markers line is: '<', '|', '=', '>' or 0. */
static char marker_of(const char *line, size_t len)
{
    if (len < MARKER_LEN || !strchr("<|=>", line[0]))
        return 0;
    for (size_t i = 1; i < MARKER_LEN; i++)
        if (line[i] != line[0])
            return 0;
    if (len > MARKER_LEN && line[MARKER_LEN] != ' ' && line[MARKER_LEN] != '\r')
        return 0;
    return line[0] == '=' && len > MARKER_LEN && line[MARKER_LEN] != '\r' ? 0 : line[0];
}

/* Splits text that git left conflict markers in into our side and theirs (lines outside the
 * conflicts go to both; a diff3 base section to neither). false when text has no conflict, or
 * markers out of order (then it is read as it is, and its errors say where). */
static bool split_sides(const char *text, size_t len, pd_buf *ours, pd_buf *theirs)
{
    enum { BOTH, OURS, BASE, THEIRS } at = BOTH;
    bool any = false;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        size_t next = end < len ? end + 1 : end;
        char m = marker_of(text + i, end - i);
        if (m == '<' && at == BOTH)
            at = OURS;
        else if (m == '|' && at == OURS)
            at = BASE;
        else if (m == '=' && (at == OURS || at == BASE))
            at = THEIRS;
        else if (m == '>' && at == THEIRS) {
            at = BOTH;
            any = true;
        } else if (m) {
            return false;
        } else {
            if (at == BOTH || at == OURS)
                pd_buf_append(ours, text + i, next - i);
            if (at == BOTH || at == THEIRS)
                pd_buf_append(theirs, text + i, next - i);
        }
        i = next;
    }
    return any && at == BOTH;
}

/* Parses and checks one side; NULL with err (naming the side) when it does not read. */
static json_t *read_side(const char *path, const char *side, const pd_buf *text, pd_error *err)
{
    pd_buf where = PD_BUF_INIT;
    pd_buf_printf(&where, "%s (%s side of a git conflict)", path, side);
    pd_json_src src = {pd_buf_str(&where), text->data ? text->data : "", text->len};
    json_t *j = pd_json_parse_src(&src, err);
    pd_eval_suite check;
    if (j && pd_eval_suite_decode(j, &src, &check, err) != 0) {
        json_decref(j);
        j = NULL;
    } else if (j) {
        pd_eval_suite_clear(&check);
    }
    pd_buf_free(&where);
    return j;
}

/* Both sides' cases: ours, then each of theirs that ours does not hold. New reference. */
static json_t *union_of_sides(const char *path, const pd_buf *ours, const pd_buf *theirs, pd_error *err)
{
    json_t *a = read_side(path, "our", ours, err);
    json_t *b = a ? read_side(path, "their", theirs, err) : NULL;
    if (!b) {
        json_decref(a);
        return NULL;
    }
    json_t *cases = json_object_get(a, "cases"), *more = json_object_get(b, "cases");
    size_t n = json_array_size(cases), i, k;
    json_t *c;
    json_array_foreach(more, i, c) {
        for (k = 0; k < n && !json_equal(json_array_get(cases, k), c); k++)
            ;
        if (k == n)
            json_array_append(cases, c);
    }
    json_decref(b);
    return a;
}

int pd_eval_suite_load(const char *path, pd_eval_suite *out, pd_error *err)
{
    char *text = NULL;
    size_t len = 0;
    pd_error rerr = {0};
    if (pd_store_read_library_file(path, &text, &len, &rerr) != 0) {
        if (rerr.code != PD_ERR_NOT_FOUND) {
            if (err)
                *err = rerr;
            return -1;
        }
        *out = (pd_eval_suite){0};
        return 0;
    }
    pd_buf ours = PD_BUF_INIT, theirs = PD_BUF_INIT;
    bool conflicted = split_sides(text, len, &ours, &theirs);
    pd_json_src src = {path, text, len};
    json_t *j = conflicted ? union_of_sides(path, &ours, &theirs, err) : pd_json_parse_src(&src, err);
    int rc = j ? pd_eval_suite_decode(j, conflicted ? NULL : &src, out, err) : -1;
    if (rc == 0)
        out->conflicted = conflicted;
    json_decref(j);
    pd_buf_free(&ours);
    pd_buf_free(&theirs);
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

int pd_eval_suite_append_file(pd_store *store, const char *slug, pd_eval_suite *add, size_t *index, pd_error *err)
{
    char *path = pd_eval_tests_path(pd_store_dir(store), slug);
    if (!path)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "\"%s\" is not a prompt's slug", slug ? slug : "");
    int fd;
    if (pd_store_lock(store, &fd, err) != 0) {
        free(path);
        return -1;
    }
    pd_eval_suite s;
    int rc = pd_eval_suite_load(path, &s, err);
    if (rc == 0) {
        if (index)
            *index = s.n;
        for (size_t i = 0; i < add->n; i++)
            pd_eval_suite_add(&s, &add->cases[i]);
        pd_eval_suite_clear(add);
        rc = pd_eval_suite_save(path, &s, err);
        pd_eval_suite_clear(&s);
    }
    pd_store_unlock(fd);
    free(path);
    return rc;
}

int pd_eval_tests_settle(void *ud, const char *path, pd_error *err)
{
    (void)ud;
    const char *base = strrchr(path, '/');
    if (strcmp(base ? base + 1 : path, TESTS_FILE) != 0)
        return 0;
    pd_eval_suite s;
    if (pd_eval_suite_load(path, &s, err) != 0)
        return -1;
    int rc = s.conflicted ? (pd_eval_suite_save(path, &s, err) == 0 ? 1 : -1) : 0;
    pd_eval_suite_clear(&s);
    return rc;
}
