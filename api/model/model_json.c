/* model_json.c: the model's structs as JSON (snake_case names, keys in a fixed order). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* Sets key to a string when s is not NULL (jansson refuses invalid UTF-8: then nothing is set,
 * which pd_version_validate prevents for anything stored). */
static void set_str(json_t *o, const char *key, const char *s)
{
    if (s)
        json_object_set_new(o, key, json_string(s));
}

static void set_strv(json_t *o, const char *key, char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    json_object_set_new(o, key, a);
}

/* Copies every member of src into dst, in src's order. */
static void append_members(json_t *dst, json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach(src, k, v)
        json_object_set(dst, k, v);
}

json_t *pd_messages_to_json(const pd_message *m, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        if (m[i].placeholder) {
            set_str(o, "type", "placeholder");
            set_str(o, "name", m[i].placeholder);
        } else {
            set_str(o, "role", m[i].role);
            set_str(o, "content", m[i].content ? m[i].content : "");
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *pd_settings_to_json(const pd_settings *s)
{
    json_t *o = json_object();
    set_str(o, "provider", s->provider);
    set_str(o, "model", s->model);
    if (s->has_temperature)
        json_object_set_new(o, "temperature", json_real(s->temperature));
    if (s->max_output_tokens > 0)
        json_object_set_new(o, "max_output_tokens", json_integer(s->max_output_tokens));
    if (s->has_top_p)
        json_object_set_new(o, "top_p", json_real(s->top_p));
    if (s->n_stop)
        set_strv(o, "stop_sequences", s->stop_sequences, s->n_stop);
    if (s->extra)
        json_object_set(o, "extra", s->extra);
    if (s->tools)
        json_object_set(o, "tools", s->tools);
    if (s->output_schema)
        json_object_set(o, "output_schema", s->output_schema);
    return o;
}

json_t *pd_version_to_json(const pd_version *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(v->number));
    json_object_set_new(o, "messages", pd_messages_to_json(v->messages, v->n_messages));
    json_t *s = pd_settings_to_json(&v->settings);
    append_members(o, s);
    json_decref(s);
    set_str(o, "commit_message", v->commit_message);
    set_str(o, "author", v->author);
    set_str(o, "created_at", v->created_at);
    return o;
}

json_t *pd_prompt_to_json(const pd_prompt *p)
{
    json_t *o = json_object();
    set_str(o, "id", p->id);
    set_str(o, "slug", p->slug);
    set_str(o, "name", p->name);
    set_str(o, "description", p->description ? p->description : "");
    set_strv(o, "tags", p->tags, p->n_tags);
    json_t *labels = json_object();
    for (size_t i = 0; i < p->n_labels; i++)
        json_object_set_new(labels, p->labels[i].name, json_integer(p->labels[i].version));
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "current_version", json_integer(p->current_version));
    set_str(o, "created_at", p->created_at);
    set_str(o, "updated_at", p->updated_at);
    if (p->duplicates)   /* two versions share a number: sync or fix renumbers */
        json_object_set_new(o, "duplicate_numbers", json_true());
    if (p->damaged) {
        json_object_set_new(o, "damaged", json_true());
        set_str(o, "damage", p->damage);
    }
    return o;
}

json_t *pd_partial_to_json(const pd_partial *p)
{
    json_t *o = json_object();
    set_str(o, "name", p->name);
    json_object_set_new(o, "version", json_integer(p->version));
    set_str(o, "content", p->content ? p->content : "");
    set_str(o, "commit_message", p->commit_message);
    set_str(o, "created_at", p->created_at);
    return o;
}

static json_t *count_or_null(long n)
{
    return n >= 0 ? json_integer(n) : json_null();
}

json_t *pd_run_record_to_json(const pd_run_record *r)
{
    json_t *o = json_object();
    set_str(o, "id", r->id);
    set_str(o, "prompt_slug", r->prompt_slug);
    json_object_set_new(o, "prompt_version", json_integer(r->prompt_version));
    set_str(o, "prompt_version_id", r->prompt_version_id);
    json_object_set_new(o, "variables", r->variables ? json_incref(r->variables) : json_object());
    json_object_set_new(o, "settings", pd_settings_to_json(&r->settings));
    set_str(o, "status", r->status);
    set_str(o, "error", r->error);
    set_str(o, "output", r->output ? r->output : "");
    json_object_set_new(o, "input_tokens", count_or_null(r->input_tokens));
    json_object_set_new(o, "output_tokens", count_or_null(r->output_tokens));
    set_str(o, "finish_reason", r->finish_reason);
    set_str(o, "provider_finish_reason", r->provider_finish_reason);
    json_object_set_new(o, "ttft_ms", json_real(r->ttft_ms));
    json_object_set_new(o, "total_ms", json_real(r->total_ms));
    set_str(o, "started_at", r->started_at);
    json_object_set_new(o, "cost", r->cost >= 0 ? json_real(r->cost) : json_null());
    set_str(o, "continues", r->continues);
    if (r->messages)
        json_object_set(o, "messages", r->messages);
    if (r->tool_calls)
        json_object_set(o, "tool_calls", r->tool_calls);
    if (r->partials)
        json_object_set(o, "partials", r->partials);
    return o;
}

char *pd_json_dump_pretty(const json_t *j)
{
    char *s = json_dumps(j, PD_JSON_PRETTY);
    if (!s)
        s = strdup("null");
    size_t n = s ? strlen(s) : 0;
    char *out = s ? realloc(s, n + 2) : NULL;
    if (!out)
        abort();   /* out of memory: fatal in the api, as pd_xmalloc */
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}
