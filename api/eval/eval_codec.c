/* eval_codec.c: test cases and assertions from JSON (tests.json, or promptfoo's tests once read
 * as JSON), with errors naming file, line and field; and back to JSON in a stable key order. */
#include "eval_priv.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A number or a boolean as the text promptfoo would compare (String(value)); NULL otherwise. */
static json_t *scalar_as_string(const json_t *v)
{
    char num[64];
    if (json_is_string(v))
        return json_incref((json_t *)v);
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return json_string(num);
    }
    if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        return json_string(num);
    }
    if (json_is_boolean(v))
        return json_string(json_is_true(v) ? "true" : "false");
    return NULL;
}

static void set_value(pd_eval_assertion *a, json_t *v)
{
    json_decref(a->value);
    a->value = v;
}

/* A list of strings: an array of strings or numbers, or "a,b" text. */
static bool normalise_list(pd_eval_assertion *a, const char **what)
{
    json_t *list;
    if (json_is_string(a->value)) {
        list = eval_split_list(json_string_value(a->value), what);
        if (!list)
            return false;
    } else if (json_is_array(a->value)) {
        list = json_array();
        size_t i;
        json_t *item;
        json_array_foreach(a->value, i, item) {
            json_t *s = scalar_as_string(item);
            if (!s) {
                json_decref(list);
                *what = "the list must hold strings";
                return false;
            }
            json_array_append_new(list, s);
        }
    } else {
        *what = "needs a list of strings";
        return false;
    }
    set_value(a, list);
    if (json_array_size(list) == 0) {
        *what = "needs at least one value";
        return false;
    }
    return true;
}

/* A string value; numbers and booleans become their text. required: absent is an error. */
static bool normalise_string(pd_eval_assertion *a, bool required, const char **what)
{
    if (!a->value) {
        *what = "needs a value";
        return !required;
    }
    json_t *s = scalar_as_string(a->value);
    if (!s) {
        *what = "needs a string value";
        return false;
    }
    set_value(a, s);
    if (required && !*json_string_value(s)) {
        *what = "needs a value that is not empty";
        return false;
    }
    return true;
}

bool eval_value_normalise(pd_eval_assertion *a, const char **what)
{
    const char *dummy;
    if (!what)
        what = &dummy;
    if (json_is_null(a->value))
        set_value(a, NULL);
    switch (a->type) {
    case PD_EVAL_EQUALS:
        if (json_is_object(a->value) || json_is_array(a->value))
            return true;
        return normalise_string(a, false, what);
    case PD_EVAL_LEVENSHTEIN:
        return normalise_string(a, false, what);
    case PD_EVAL_CONTAINS:
    case PD_EVAL_ICONTAINS:
    case PD_EVAL_STARTS_WITH:
    case PD_EVAL_REGEX:
    case PD_EVAL_FINISH_REASON:
        return normalise_string(a, true, what);
    case PD_EVAL_CONTAINS_ANY:
    case PD_EVAL_CONTAINS_ALL:
    case PD_EVAL_ICONTAINS_ANY:
    case PD_EVAL_ICONTAINS_ALL:
        return normalise_list(a, what);
    case PD_EVAL_IS_JSON:
    case PD_EVAL_CONTAINS_JSON:
        if (json_is_string(a->value) && !*json_string_value(a->value))
            set_value(a, NULL);
        if (!a->value || json_is_object(a->value) || json_is_boolean(a->value) || json_is_string(a->value))
            return true;
        *what = "needs a JSON Schema (an object), or none";
        return false;
    case PD_EVAL_TOOLS_CALL:
        if (!a->value || json_is_string(a->value))
            return true;
        return normalise_list(a, what);
    case PD_EVAL_LLM_RUBRIC:
        if (json_is_object(a->value))
            return true;
        return normalise_string(a, true, what);
    case PD_EVAL_LATENCY:
    case PD_EVAL_COST:
    case PD_EVAL_N_TYPES:
        break;
    }
    return true;
}

/* A number member: absent or null leaves *has false. */
static int get_number(const eval_dec *d, json_t *o, const char *path, const char *key, bool *has, double *out)
{
    char p[EVAL_PATH_MAX];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    eval_path_key(p, path, key);
    if (!json_is_number(v))
        return eval_src_error(d->src, p, d->err, "expected a number, found %s", pd_json_type_name(v));
    *out = json_number_value(v);
    if (!isfinite(*out))
        return eval_src_error(d->src, p, d->err, "expected a finite number");
    *has = true;
    return 0;
}

static int get_string(const eval_dec *d, json_t *o, const char *path, const char *key, char **out)
{
    char p[EVAL_PATH_MAX];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        eval_path_key(p, path, key);
        return eval_src_error(d->src, p, d->err, "expected a string, found %s", pd_json_type_name(v));
    }
    free(*out);
    *out = pd_strdup(json_string_value(v));
    return 0;
}

/* Keeps member key (not in known) in *extra. */
static void keep_extra(json_t **extra, const char *key, json_t *v)
{
    if (!*extra)
        *extra = json_object();
    json_object_set(*extra, key, v);
}

static bool key_in(const char *key, const char *const *known)
{
    for (; *known; known++)
        if (strcmp(key, *known) == 0)
            return true;
    return false;
}

/* An assertion promptdeck cannot run (what: "assertion type \"javascript\""): skipped with a
 * warning when importing promptfoo's tests (1), an error in tests.json (-1). */
static int cannot_run(const eval_dec *d, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cannot_run(const eval_dec *d, const char *path, const char *fmt, ...)
{
    pd_buf what = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&what, fmt, ap);
    va_end(ap);
    int rc = 1;
    if (d->promptfoo)
        eval_src_warn(d->src, path, d->warnings, "%s cannot run in promptdeck; assertion skipped", pd_buf_str(&what));
    else
        rc = eval_src_error(d->src, path, d->err, "%s is not known here (known: %s)", pd_buf_str(&what),
                            pd_eval_type_list());
    pd_buf_free(&what);
    return rc;
}

int eval_decode_assertion(const eval_dec *d, json_t *j, const char *path, pd_eval_assertion *out)
{
    static const char *const known[] = {"type", "value", "threshold", "weight", "metric", NULL};
    char p[EVAL_PATH_MAX];
    memset(out, 0, sizeof *out);
    if (!json_is_object(j))
        return eval_src_error(d->src, path, d->err, "expected an assertion (an object), found %s",
                              pd_json_type_name(j));
    if (json_object_get(j, "$ref"))
        return cannot_run(d, path, "an assertion template ($ref)");
    json_t *type = json_object_get(j, "type");
    eval_path_key(p, path, "type");
    if (!type)
        return eval_src_error(d->src, path, d->err, "missing field \"type\"");
    if (!json_is_string(type))
        return eval_src_error(d->src, p, d->err, "expected a string, found %s", pd_json_type_name(type));
    if (!pd_eval_type_parse(json_string_value(type), &out->type, &out->negate))
        return cannot_run(d, p, "assertion type \"%s\"", json_string_value(type));
    if (json_object_get(j, "transform") || json_object_get(j, "contextTransform"))
        return cannot_run(d, p, "an assertion's transform (JavaScript)");
    json_t *value = json_object_get(j, "value");
    if (d->promptfoo && json_is_string(value) && eval_str_starts(json_string_value(value), "file://")) {
        eval_path_key(p, path, "value");
        return cannot_run(d, p, "a value read from a file (%s)", json_string_value(value));
    }

    if (get_number(d, j, path, "threshold", &out->has_threshold, &out->threshold) != 0 ||
        get_number(d, j, path, "weight", &out->has_weight, &out->weight) != 0 ||
        get_string(d, j, path, "metric", &out->metric) != 0)
        goto fail;
    if (out->has_weight && out->weight < 0) {
        eval_path_key(p, path, "weight");
        eval_src_error(d->src, p, d->err, "a weight cannot be negative");
        goto fail;
    }
    out->value = value ? json_deep_copy(value) : NULL;
    const char *problem = NULL;
    if (!eval_value_normalise(out, &problem)) {
        eval_path_key(p, path, value ? "value" : "type");
        eval_src_error(d->src, p, d->err, "%s %s", json_string_value(type), problem);
        goto fail;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        if (!key_in(key, known))
            keep_extra(&out->extra, key, v);
    }
    return 0;
fail:
    pd_eval_assertion_clear(out);
    return -1;
}

static int decode_vars(const eval_dec *d, json_t *vars, const char *path, pd_eval_case *out)
{
    char p[EVAL_PATH_MAX];
    eval_path_key(p, path, "vars");
    if (!vars || json_is_null(vars))
        return 0;
    if (!json_is_object(vars))
        return eval_src_error(d->src, p, d->err, "expected an object of variables, found %s%s",
                              pd_json_type_name(vars),
                              json_is_array(vars) ? " (lists of variable sets are not supported)" : "");
    const char *key;
    json_t *v;
    json_object_foreach(vars, key, v) {
        if (json_is_null(v)) {
            char vp[EVAL_PATH_MAX];
            eval_path_key(vp, p, key);
            return eval_src_error(d->src, vp, d->err, "a variable cannot be null");
        }
        if (d->promptfoo && json_is_string(v) && eval_str_starts(json_string_value(v), "file://")) {
            char vp[EVAL_PATH_MAX];
            eval_path_key(vp, p, key);
            eval_src_warn(d->src, vp, d->warnings, "file:// variables are not loaded; kept as the text \"%s\"",
                          json_string_value(v));
        }
        json_object_set(out->vars, key, v);
    }
    return 0;
}

static int decode_asserts(const eval_dec *d, json_t *list, const char *path, pd_eval_case *out)
{
    char p[EVAL_PATH_MAX];
    eval_path_key(p, path, "assert");
    if (!list || json_is_null(list))
        return 0;
    if (!json_is_array(list))
        return eval_src_error(d->src, p, d->err, "expected a list of assertions, found %s",
                              pd_json_type_name(list));
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        char ip[EVAL_PATH_MAX];
        eval_path_index(ip, p, i);
        pd_eval_assertion a;
        int rc = eval_decode_assertion(d, item, ip, &a);
        if (rc < 0)
            return -1;
        if (rc == 0)
            pd_eval_case_add_assertion(out, &a);
    }
    return 0;
}

int eval_decode_case(const eval_dec *d, json_t *j, const char *path, pd_eval_case *out)
{
    static const char *const known[] = {"description", "vars", "assert", "threshold", "expected", NULL};
    pd_eval_case_init(out);
    if (!json_is_object(j)) {
        eval_src_error(d->src, path, d->err, "expected a test case (an object), found %s", pd_json_type_name(j));
        goto fail;
    }
    if (get_string(d, j, path, "description", &out->description) != 0 ||
        decode_vars(d, json_object_get(j, "vars"), path, out) != 0 ||
        decode_asserts(d, json_object_get(j, "assert"), path, out) != 0 ||
        get_number(d, j, path, "threshold", &out->has_threshold, &out->threshold) != 0 ||
        get_string(d, j, path, "expected", &out->expected) != 0)
        goto fail;
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        /* promptfoo's other members (options, provider ...) mean nothing here; its metadata is kept */
        if (!key_in(key, known) && (!d->promptfoo || strcmp(key, "metadata") == 0))
            keep_extra(&out->extra, key, v);
    }
    return 0;
fail:
    pd_eval_case_clear(out);
    return -1;
}

int pd_eval_case_decode(json_t *j, const pd_json_src *src, const char *path, pd_eval_case *out, pd_error *err)
{
    eval_src es = {src ? src->where : NULL, src, NULL};
    eval_dec d = {.src = &es, .err = err};
    return eval_decode_case(&d, j, path ? path : "", out);
}

int pd_eval_suite_decode(json_t *j, const pd_json_src *src, pd_eval_suite *out, pd_error *err)
{
    eval_src es = {src ? src->where : NULL, src, NULL};
    eval_dec d = {.src = &es, .err = err};
    if (!json_is_object(j))
        return eval_src_error(&es, "", err, "expected an object, found %s", pd_json_type_name(j));
    json_t *format = json_object_get(j, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), EVAL_FORMAT_NAME) != 0)
        return eval_src_error(&es, "format", err, "expected \"%s\"", EVAL_FORMAT_NAME);
    json_t *version = json_object_get(j, "format_version");
    if (!json_is_integer(version) || json_integer_value(version) < 1)
        return eval_src_error(&es, "format_version", err, "expected a version number");
    if (json_integer_value(version) > EVAL_FORMAT_VERSION)
        return eval_src_error(&es, "format_version", err,
                              "written by a newer promptdeck (format %" JSON_INTEGER_FORMAT ", this one reads %d)",
                              json_integer_value(version), EVAL_FORMAT_VERSION);
    json_t *cases = json_object_get(j, "cases");
    if (!json_is_array(cases))
        return eval_src_error(&es, cases ? "cases" : "", err, "expected a list of cases in \"cases\"");
    pd_eval_suite s = {0};
    size_t i;
    json_t *item;
    json_array_foreach(cases, i, item) {
        char p[EVAL_PATH_MAX];
        eval_path_index(p, "cases", i);
        pd_eval_case c;
        if (eval_decode_case(&d, item, p, &c) != 0) {
            pd_eval_suite_clear(&s);
            return -1;
        }
        pd_eval_suite_add(&s, &c);
    }
    *out = s;
    return 0;
}

/* ---- to JSON ---- */

/* Whole numbers as integers ("threshold": 5, not 5.0). */
static json_t *number_json(double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static void put_extra(json_t *o, const json_t *extra)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)extra, key, v) {
        if (!json_object_get(o, key))
            json_object_set(o, key, v);
    }
}

json_t *pd_eval_assertion_to_json(const pd_eval_assertion *a)
{
    char type[48];
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(pd_eval_assertion_type(a, type, sizeof type)));
    if (a->value)
        json_object_set(o, "value", a->value);
    if (a->has_threshold)
        json_object_set_new(o, "threshold", number_json(a->threshold));
    if (a->has_weight)
        json_object_set_new(o, "weight", number_json(a->weight));
    if (a->metric)
        json_object_set_new(o, "metric", json_string(a->metric));
    put_extra(o, a->extra);
    return o;
}

json_t *pd_eval_case_to_json(const pd_eval_case *c)
{
    json_t *o = json_object();
    if (c->description)
        json_object_set_new(o, "description", json_string(c->description));
    json_object_set_new(o, "vars", c->vars ? json_deep_copy(c->vars) : json_object());
    json_t *list = json_array();
    for (size_t i = 0; i < c->n_asserts; i++)
        json_array_append_new(list, pd_eval_assertion_to_json(&c->asserts[i]));
    json_object_set_new(o, "assert", list);
    if (c->has_threshold)
        json_object_set_new(o, "threshold", number_json(c->threshold));
    if (c->expected)
        json_object_set_new(o, "expected", json_string(c->expected));
    put_extra(o, c->extra);
    return o;
}

json_t *pd_eval_suite_to_json(const pd_eval_suite *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string(EVAL_FORMAT_NAME));
    json_object_set_new(o, "format_version", json_integer(EVAL_FORMAT_VERSION));
    json_t *cases = json_array();
    for (size_t i = 0; i < s->n; i++)
        json_array_append_new(cases, pd_eval_case_to_json(&s->cases[i]));
    json_object_set_new(o, "cases", cases);
    return o;
}
