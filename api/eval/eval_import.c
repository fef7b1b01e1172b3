/* eval_import.c: promptfoo's tests into cases: a YAML or JSON list of {description, vars, assert},
 * or a config whose `tests:` holds them (items may be "file://" references to more files) and
 * whose `defaultTest` applies to each; CSV files go to eval_csv.c. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define IMPORT_DEPTH_MAX 4   /* file:// references followed this deep */

static int import_path(const char *path, int depth, pd_eval_suite *out, pd_buf *warnings, pd_error *err);

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* defaultTest's parts under a case: its vars where the case has none of that name, its
 * assertions first, its threshold when the case has none. */
static void apply_default(pd_eval_case *c, const pd_eval_case *def)
{
    const char *key;
    json_t *v;
    json_object_foreach(def->vars, key, v) {
        if (!json_object_get(c->vars, key))
            json_object_set(c->vars, key, v);
    }
    if (def->n_asserts) {
        pd_eval_assertion *all = pd_xcalloc(def->n_asserts + c->n_asserts, sizeof *all);
        for (size_t i = 0; i < def->n_asserts; i++)
            pd_eval_assertion_copy(&all[i], &def->asserts[i]);
        if (c->n_asserts)
            memcpy(all + def->n_asserts, c->asserts, c->n_asserts * sizeof *all);
        free(c->asserts);
        c->asserts = all;
        c->n_asserts += def->n_asserts;
    }
    if (!c->has_threshold && def->has_threshold) {
        c->has_threshold = true;
        c->threshold = def->threshold;
    }
}

/* "file://name" beside the file that names it. Caller frees. */
static char *resolve_ref(const char *ref, const char *base_dir)
{
    const char *name = ref + strlen("file://");
    pd_buf b = PD_BUF_INIT;
    if (name[0] == '/' || !base_dir || !*base_dir)
        pd_buf_puts(&b, name);
    else
        pd_buf_printf(&b, "%s/%s", base_dir, name);
    return pd_buf_take(&b);
}

typedef struct import_ctx {
    const eval_dec *d;
    const char *base_dir;
    int depth;
} import_ctx;

static int import_item(const import_ctx *ix, json_t *item, const char *path, pd_eval_suite *out)
{
    if (json_is_string(item) && eval_str_starts(json_string_value(item), "file://")) {
        const char *ref = json_string_value(item);
        if (strpbrk(ref, "*?[")) {
            eval_src_warn(ix->d->src, path, ix->d->warnings, "file patterns are not followed; \"%s\" skipped", ref);
            return 0;
        }
        if (ix->depth >= IMPORT_DEPTH_MAX)
            return eval_src_error(ix->d->src, path, ix->d->err, "file:// references nested deeper than %d",
                                  IMPORT_DEPTH_MAX);
        char *file = resolve_ref(ref, ix->base_dir);
        int rc = import_path(file, ix->depth + 1, out, ix->d->warnings, ix->d->err);
        free(file);
        return rc;
    }
    pd_eval_case c;
    if (eval_decode_case(ix->d, item, path, &c) != 0)
        return -1;
    pd_eval_suite_add(out, &c);
    return 0;
}

static int import_tests(const import_ctx *ix, json_t *tests, const char *path, pd_eval_suite *out)
{
    if (json_is_string(tests))
        return import_item(ix, tests, path, out);
    if (!json_is_array(tests))
        return eval_src_error(ix->d->src, path, ix->d->err, "expected a list of test cases, found %s",
                              pd_json_type_name(tests));
    size_t i;
    json_t *item;
    json_array_foreach(tests, i, item) {
        char p[EVAL_PATH_MAX];
        eval_path_index(p, path, i);
        if (import_item(ix, item, p, out) != 0)
            return -1;
    }
    return 0;
}

static int import_doc(const import_ctx *ix, json_t *root, pd_eval_suite *out)
{
    if (json_is_array(root))
        return import_tests(ix, root, "", out);
    if (!json_is_object(root) || !json_object_get(root, "tests"))
        return eval_src_error(ix->d->src, "", ix->d->err,
                              "expected a list of test cases or a promptfoo config with \"tests:\"");
    pd_eval_suite got = {0};
    if (import_tests(ix, json_object_get(root, "tests"), "tests", &got) != 0)
        goto fail;
    json_t *def = json_object_get(root, "defaultTest");
    if (def && !json_is_null(def)) {
        if (json_is_string(def)) {
            eval_src_error(ix->d->src, "defaultTest", ix->d->err, "a defaultTest from a file is not supported");
            goto fail;
        }
        pd_eval_case dc;
        if (eval_decode_case(ix->d, def, "defaultTest", &dc) != 0)
            goto fail;
        for (size_t i = 0; i < got.n; i++)
            apply_default(&got.cases[i], &dc);
        pd_eval_case_clear(&dc);
    }
    for (size_t i = 0; i < got.n; i++)
        pd_eval_suite_add(out, &got.cases[i]);
    pd_eval_suite_clear(&got);
    return 0;
fail:
    pd_eval_suite_clear(&got);
    return -1;
}

static int import_yaml_at(const char *text, size_t len, const char *where, const char *base_dir, int depth,
                          pd_eval_suite *out, pd_buf *warnings, pd_error *err)
{
    eval_yaml *y;
    if (eval_yaml_load(text, len, where, &y, err) != 0)
        return -1;
    eval_src src = {where, NULL, y};
    eval_dec d = {.src = &src, .err = err, .promptfoo = true, .warnings = warnings};
    import_ctx ix = {&d, base_dir, depth};
    pd_eval_suite got = {0};
    int rc = import_doc(&ix, eval_yaml_json(y), &got);
    eval_yaml_free(y);
    for (size_t i = 0; rc == 0 && i < got.n; i++)
        pd_eval_suite_add(out, &got.cases[i]);
    pd_eval_suite_clear(&got);
    return rc;
}

int pd_eval_import_yaml(const char *text, size_t len, const char *where, const char *base_dir,
                        pd_eval_suite *out, pd_buf *warnings, pd_error *err)
{
    return import_yaml_at(text, len, where ? where : "tests.yaml", base_dir, 0, out, warnings, err);
}

static int import_path(const char *path, int depth, pd_eval_suite *out, pd_buf *warnings, pd_error *err)
{
    char *text;
    size_t len;
    if (pd_read_file(path, &text, &len, err) != 0)
        return -1;
    int rc;
    if (ends_with(path, ".csv") || ends_with(path, ".CSV")) {
        rc = pd_eval_import_csv(text, len, path, out, warnings, err);
    } else {
        const char *slash = strrchr(path, '/');
        char *dir = slash ? pd_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
        rc = import_yaml_at(text, len, path, dir ? dir : ".", depth, out, warnings, err);
        free(dir);
    }
    free(text);
    return rc;
}

int pd_eval_import_file(const char *path, pd_eval_suite *out, pd_buf *warnings, pd_error *err)
{
    return import_path(path, 0, out, warnings, err);
}

int pd_eval_tests_read(const char *path, pd_eval_suite *out, pd_buf *warnings, pd_error *err)
{
    char *text;
    size_t len;
    if (pd_read_file(path, &text, &len, err) != 0)
        return -1;
    json_t *j = json_loadb(text, len, 0, NULL);
    const char *format = json_string_value(json_object_get(j, "format"));
    bool ours = format && strcmp(format, EVAL_FORMAT_NAME) == 0;
    int rc;
    if (ours) {
        pd_json_src src = {path, text, len};
        pd_eval_suite got;
        rc = pd_eval_suite_decode(j, &src, &got, err);
        for (size_t i = 0; rc == 0 && i < got.n; i++)
            pd_eval_suite_add(out, &got.cases[i]);
        if (rc == 0)
            pd_eval_suite_clear(&got);
    }
    json_decref(j);
    free(text);
    return ours ? rc : import_path(path, 0, out, warnings, err);
}
