/* model_parse.c: the model's structs from JSON, with errors naming the field (and line). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define PATH_MAX_LEN 160

typedef struct dec {
    const pd_json_src *src;
    pd_error *err;
} dec;

const char *pd_json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

static void join(char *out, const char *prefix, const char *key)
{
    if (snprintf(out, PATH_MAX_LEN, "%s%s%s", prefix, *prefix ? "." : "", key) >= PATH_MAX_LEN)
        out[PATH_MAX_LEN - 1] = '\0';   /* a very long path is cut: it only names the place */
}

static int wrong_type(const dec *d, const char *path, const char *want, const json_t *got)
{
    return pd_json_src_error(d->src, path, d->err, "expected %s, found %s", want, pd_json_type_name(got));
}

/* Fetches member key of o; a missing required member is an error. *v is NULL when absent. */
static int member(const dec *d, json_t *o, const char *prefix, const char *key, bool required, json_t **v,
                  char *path)
{
    join(path, prefix, key);
    *v = json_object_get(o, key);
    if (!*v && required)
        return pd_json_src_error(d->src, prefix, d->err, "missing field \"%s\"", key);
    return 0;
}

static int get_str(const dec *d, json_t *o, const char *prefix, const char *key, bool required, char **out)
{
    char path[PATH_MAX_LEN];
    json_t *v;
    if (member(d, o, prefix, key, required, &v, path) != 0)
        return -1;
    if (!v || (!required && json_is_null(v)))
        return 0;
    if (!json_is_string(v))
        return wrong_type(d, path, "a string", v);
    free(*out);
    *out = pd_strdup(json_string_value(v));
    return 0;
}

static int get_int(const dec *d, json_t *o, const char *prefix, const char *key, bool required, long min,
                   long *out)
{
    char path[PATH_MAX_LEN];
    json_t *v;
    if (member(d, o, prefix, key, required, &v, path) != 0)
        return -1;
    if (!v || (!required && json_is_null(v)))
        return 0;
    if (!json_is_integer(v))
        return wrong_type(d, path, "an integer", v);
    json_int_t n = json_integer_value(v);
    if (n < min || n > 1000000000)
        return pd_json_src_error(d->src, path, d->err, "%lld is out of range", (long long)n);
    *out = (long)n;
    return 0;
}

static int get_num(const dec *d, json_t *o, const char *prefix, const char *key, bool *has, double *out)
{
    char path[PATH_MAX_LEN];
    json_t *v;
    if (member(d, o, prefix, key, false, &v, path) != 0)
        return -1;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return wrong_type(d, path, "a number", v);
    *out = json_number_value(v);
    if (has)
        *has = true;
    return 0;
}

static int get_strv(const dec *d, json_t *o, const char *prefix, const char *key, char ***out, size_t *n)
{
    char path[PATH_MAX_LEN];
    json_t *v;
    if (member(d, o, prefix, key, false, &v, path) != 0)
        return -1;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return wrong_type(d, path, "an array of strings", v);
    size_t cnt = json_array_size(v);
    char **a = cnt ? pd_xcalloc(cnt, sizeof *a) : NULL;
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e)) {
            char epath[PATH_MAX_LEN + 24];
            snprintf(epath, sizeof epath, "%s[%zu]", path, i);
            for (size_t k = 0; k < i; k++)
                free(a[k]);
            free(a);
            return wrong_type(d, epath, "a string", e);
        }
        a[i] = pd_strdup(json_string_value(e));
    }
    *out = a;
    *n = cnt;
    return 0;
}

/* A member that must be a JSON object or array (kind), kept as a new reference. */
static int get_json(const dec *d, json_t *o, const char *prefix, const char *key, json_type kind, json_t **out)
{
    char path[PATH_MAX_LEN];
    json_t *v;
    if (member(d, o, prefix, key, false, &v, path) != 0)
        return -1;
    if (!v || json_is_null(v))
        return 0;
    if (json_typeof(v) != kind)
        return wrong_type(d, path, kind == JSON_OBJECT ? "an object" : "an array", v);
    *out = json_incref(v);
    return 0;
}

static int need_object(const dec *d, json_t *j, const char *path)
{
    if (!json_is_object(j))
        return wrong_type(d, path, "an object", j);
    return 0;
}

static int decode_settings(const dec *d, json_t *o, const char *prefix, pd_settings *s)
{
    long max_tokens = 0;
    if (get_str(d, o, prefix, "provider", false, &s->provider) || get_str(d, o, prefix, "model", false, &s->model) ||
        get_num(d, o, prefix, "temperature", &s->has_temperature, &s->temperature) ||
        get_int(d, o, prefix, "max_output_tokens", false, 0, &max_tokens) ||
        get_num(d, o, prefix, "top_p", &s->has_top_p, &s->top_p) ||
        get_strv(d, o, prefix, "stop_sequences", &s->stop_sequences, &s->n_stop) ||
        get_json(d, o, prefix, "extra", JSON_OBJECT, &s->extra) ||
        get_json(d, o, prefix, "tools", JSON_ARRAY, &s->tools) ||
        get_json(d, o, prefix, "output_schema", JSON_OBJECT, &s->output_schema))
        return -1;
    s->max_output_tokens = max_tokens;
    return 0;
}

static int decode_message(const dec *d, json_t *o, const char *path, pd_message *m)
{
    if (need_object(d, o, path) != 0)
        return -1;
    json_t *type = json_object_get(o, "type");
    if (type && json_is_string(type) && strcmp(json_string_value(type), "placeholder") == 0) {
        if (get_str(d, o, path, "name", true, &m->placeholder) != 0)
            return -1;
        return 0;
    }
    if (get_str(d, o, path, "role", true, &m->role) || get_str(d, o, path, "content", false, &m->content))
        return -1;
    if (!pd_role_valid(m->role)) {
        char rpath[PATH_MAX_LEN];
        join(rpath, path, "role");
        return pd_json_src_error(d->src, rpath, d->err,
                                 "unknown role \"%s\" (system, developer, user, assistant, tool)", m->role);
    }
    if (!m->content)
        m->content = pd_strdup("");
    return 0;
}

static int decode_messages(const dec *d, json_t *arr, const char *path, pd_message **out, size_t *n)
{
    if (!json_is_array(arr))
        return wrong_type(d, path, "an array of messages", arr);
    size_t cnt = json_array_size(arr);
    pd_message *m = cnt ? pd_xcalloc(cnt, sizeof *m) : NULL;
    for (size_t i = 0; i < cnt; i++) {
        char epath[PATH_MAX_LEN];
        snprintf(epath, sizeof epath, "%s[%zu]", path, i);
        if (decode_message(d, json_array_get(arr, i), epath, &m[i]) != 0) {
            for (size_t k = 0; k <= i; k++)
                pd_message_clear(&m[k]);
            free(m);
            return -1;
        }
    }
    *out = m;
    *n = cnt;
    return 0;
}

pd_version *pd_version_decode(json_t *j, const pd_json_src *src, pd_error *err)
{
    dec d = {src, err};
    if (need_object(&d, j, "") != 0)
        return NULL;
    pd_version *v = pd_xcalloc(1, sizeof *v);
    long number = 0;
    char path[PATH_MAX_LEN];
    json_t *msgs;
    if (get_int(&d, j, "", "version", true, 1, &number) || member(&d, j, "", "messages", true, &msgs, path) ||
        decode_messages(&d, msgs, "messages", &v->messages, &v->n_messages) ||
        decode_settings(&d, j, "", &v->settings) || get_str(&d, j, "", "commit_message", false, &v->commit_message) ||
        get_str(&d, j, "", "author", false, &v->author) || get_str(&d, j, "", "created_at", false, &v->created_at)) {
        pd_version_free(v);
        return NULL;
    }
    v->number = (int)number;
    return v;
}

static int decode_labels(const dec *d, json_t *o, pd_prompt *p)
{
    json_t *labels = json_object_get(o, "labels");
    if (!labels || json_is_null(labels))
        return 0;
    if (!json_is_object(labels))
        return wrong_type(d, "labels", "an object of label name -> version", labels);
    size_t cnt = json_object_size(labels);
    p->labels = cnt ? pd_xcalloc(cnt, sizeof *p->labels) : NULL;
    const char *name;
    json_t *v;
    json_object_foreach(labels, name, v) {
        char path[PATH_MAX_LEN];
        join(path, "labels", name);
        if (!pd_label_name_valid(name, NULL))
            return pd_json_src_error(d->src, path, d->err, "\"%s\" is not a valid label name", name);
        long version = 0;
        if (get_int(d, labels, "labels", name, true, 1, &version) != 0)
            return -1;
        p->labels[p->n_labels].name = pd_strdup(name);
        p->labels[p->n_labels++].version = (int)version;
    }
    return 0;
}

pd_prompt *pd_prompt_decode(json_t *j, const pd_json_src *src, pd_error *err)
{
    dec d = {src, err};
    if (need_object(&d, j, "") != 0)
        return NULL;
    pd_prompt *p = pd_xcalloc(1, sizeof *p);
    long current = 0;
    if (get_str(&d, j, "", "id", false, &p->id) || get_str(&d, j, "", "slug", false, &p->slug) ||
        get_str(&d, j, "", "name", true, &p->name) || get_str(&d, j, "", "description", false, &p->description) ||
        get_strv(&d, j, "", "tags", &p->tags, &p->n_tags) || decode_labels(&d, j, p) ||
        get_int(&d, j, "", "current_version", false, 0, &current) ||
        get_str(&d, j, "", "created_at", false, &p->created_at) ||
        get_str(&d, j, "", "updated_at", false, &p->updated_at)) {
        pd_prompt_free(p);
        return NULL;
    }
    if (!p->description)
        p->description = pd_strdup("");
    p->current_version = (int)current;
    return p;
}

pd_partial *pd_partial_decode(json_t *j, const pd_json_src *src, pd_error *err)
{
    dec d = {src, err};
    if (need_object(&d, j, "") != 0)
        return NULL;
    pd_partial *p = pd_xcalloc(1, sizeof *p);
    long version = 0;
    if (get_str(&d, j, "", "name", true, &p->name) || get_int(&d, j, "", "version", true, 1, &version) ||
        get_str(&d, j, "", "content", true, &p->content) ||
        get_str(&d, j, "", "commit_message", false, &p->commit_message) ||
        get_str(&d, j, "", "created_at", false, &p->created_at)) {
        pd_partial_free(p);
        return NULL;
    }
    p->version = (int)version;
    return p;
}

static int get_count(const dec *d, json_t *o, const char *key, long *out)
{
    json_t *v = json_object_get(o, key);
    *out = -1;
    if (!v || json_is_null(v))
        return 0;
    return get_int(d, o, "", key, true, 0, out);
}

pd_run_record *pd_run_record_decode(json_t *j, const pd_json_src *src, pd_error *err)
{
    dec d = {src, err};
    if (need_object(&d, j, "") != 0)
        return NULL;
    pd_run_record *r = pd_xcalloc(1, sizeof *r);
    r->cost = -1;   /* unknown unless the record says */
    long version = 0;
    json_t *settings = json_object_get(j, "settings");
    if (get_str(&d, j, "", "id", true, &r->id) || get_str(&d, j, "", "prompt_slug", true, &r->prompt_slug) ||
        get_int(&d, j, "", "prompt_version", false, 0, &version) ||
        get_str(&d, j, "", "prompt_version_id", false, &r->prompt_version_id) ||
        get_json(&d, j, "", "variables", JSON_OBJECT, &r->variables) ||
        (settings && (need_object(&d, settings, "settings") || decode_settings(&d, settings, "settings", &r->settings))) ||
        get_str(&d, j, "", "status", false, &r->status) || get_str(&d, j, "", "error", false, &r->error) ||
        get_str(&d, j, "", "output", false, &r->output) || get_count(&d, j, "input_tokens", &r->input_tokens) ||
        get_count(&d, j, "output_tokens", &r->output_tokens) ||
        get_str(&d, j, "", "finish_reason", false, &r->finish_reason) ||
        get_num(&d, j, "", "ttft_ms", NULL, &r->ttft_ms) || get_num(&d, j, "", "total_ms", NULL, &r->total_ms) ||
        get_str(&d, j, "", "started_at", false, &r->started_at) ||
        get_str(&d, j, "", "provider_finish_reason", false, &r->provider_finish_reason) ||
        get_num(&d, j, "", "cost", NULL, &r->cost) || get_str(&d, j, "", "continues", false, &r->continues) ||
        get_json(&d, j, "", "messages", JSON_ARRAY, &r->messages) ||
        get_json(&d, j, "", "tool_calls", JSON_ARRAY, &r->tool_calls) ||
        get_json(&d, j, "", "partials", JSON_OBJECT, &r->partials)) {
        pd_run_record_free(r);
        return NULL;
    }
    r->prompt_version = (int)version;
    return r;
}

/* The same without text positions. */
#define NO_TEXT(where) (&(pd_json_src){(where), NULL, 0})

pd_version *pd_version_from_json(json_t *j, const char *where, pd_error *err)
{
    return pd_version_decode(j, NO_TEXT(where), err);
}

pd_prompt *pd_prompt_from_json(json_t *j, const char *where, pd_error *err)
{
    return pd_prompt_decode(j, NO_TEXT(where), err);
}

pd_partial *pd_partial_from_json(json_t *j, const char *where, pd_error *err)
{
    return pd_partial_decode(j, NO_TEXT(where), err);
}

pd_run_record *pd_run_record_from_json(json_t *j, const char *where, pd_error *err)
{
    return pd_run_record_decode(j, NO_TEXT(where), err);
}

int pd_settings_from_json(json_t *j, pd_settings *out, const char *where, pd_error *err)
{
    dec d = {NO_TEXT(where), err};
    *out = (pd_settings){0};
    if (need_object(&d, j, "") != 0 || decode_settings(&d, j, "", out) != 0) {
        pd_settings_clear(out);
        return -1;
    }
    return 0;
}

int pd_messages_from_json(json_t *arr, pd_message **out, size_t *n, const char *where, pd_error *err)
{
    dec d = {NO_TEXT(where), err};
    *out = NULL;
    *n = 0;
    return decode_messages(&d, arr, "messages", out, n);
}
