/* model_free.c: freeing, deep-copying and merging the model's structs. */
#include "model.h"

#include <stdlib.h>

#include "base/base.h"

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static char **dup_strv(char *const *v, size_t n)
{
    if (n == 0)
        return NULL;
    char **d = pd_xcalloc(n, sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = pd_strdup(v[i]);
    return d;
}

static json_t *dup_json(json_t *j)
{
    return j ? json_deep_copy(j) : NULL;
}

void pd_message_clear(pd_message *m)
{
    if (!m)
        return;
    free(m->role);
    free(m->content);
    free(m->placeholder);
    m->role = m->content = m->placeholder = NULL;
}

void pd_settings_clear(pd_settings *s)
{
    if (!s)
        return;
    free(s->provider);
    free(s->model);
    free_strv(s->stop_sequences, s->n_stop);
    json_decref(s->extra);
    json_decref(s->tools);
    json_decref(s->output_schema);
    *s = (pd_settings){0};
}

void pd_settings_copy(pd_settings *dst, const pd_settings *src)
{
    *dst = *src;
    dst->provider = pd_strdup(src->provider);
    dst->model = pd_strdup(src->model);
    dst->stop_sequences = dup_strv(src->stop_sequences, src->n_stop);
    dst->extra = dup_json(src->extra);
    dst->tools = dup_json(src->tools);
    dst->output_schema = dup_json(src->output_schema);
}

/* Replaces *dst with a copy of src when src is set. */
static void override_json(json_t **dst, json_t *src)
{
    if (!src)
        return;
    json_decref(*dst);
    *dst = json_deep_copy(src);
}

static void override_str(char **dst, const char *src)
{
    if (!src)
        return;
    free(*dst);
    *dst = pd_strdup(src);
}

void pd_settings_merge(pd_settings *dst, const pd_settings *base, const pd_settings *over)
{
    pd_settings_copy(dst, base);
    if (!over)
        return;
    override_str(&dst->provider, over->provider);
    override_str(&dst->model, over->model);
    if (over->has_temperature) {
        dst->has_temperature = true;
        dst->temperature = over->temperature;
    }
    if (over->max_output_tokens > 0)
        dst->max_output_tokens = over->max_output_tokens;
    if (over->has_top_p) {
        dst->has_top_p = true;
        dst->top_p = over->top_p;
    }
    if (over->n_stop) {
        free_strv(dst->stop_sequences, dst->n_stop);
        dst->stop_sequences = dup_strv(over->stop_sequences, over->n_stop);
        dst->n_stop = over->n_stop;
    }
    override_json(&dst->extra, over->extra);
    override_json(&dst->tools, over->tools);
    override_json(&dst->output_schema, over->output_schema);
}

static void unset_json(json_t **j)
{
    json_decref(*j);
    *j = NULL;
}

void pd_settings_unset(pd_settings *s, unsigned fields)
{
    if (fields & PD_SETTING_PROVIDER) {
        free(s->provider);
        s->provider = NULL;
    }
    if (fields & PD_SETTING_MODEL) {
        free(s->model);
        s->model = NULL;
    }
    if (fields & PD_SETTING_TEMPERATURE) {
        s->has_temperature = false;
        s->temperature = 0;
    }
    if (fields & PD_SETTING_MAX_OUTPUT_TOKENS)
        s->max_output_tokens = 0;
    if (fields & PD_SETTING_TOP_P) {
        s->has_top_p = false;
        s->top_p = 0;
    }
    if (fields & PD_SETTING_STOP) {
        free_strv(s->stop_sequences, s->n_stop);
        s->stop_sequences = NULL;
        s->n_stop = 0;
    }
    if (fields & PD_SETTING_EXTRA)
        unset_json(&s->extra);
    if (fields & PD_SETTING_TOOLS)
        unset_json(&s->tools);
    if (fields & PD_SETTING_OUTPUT_SCHEMA)
        unset_json(&s->output_schema);
}

void pd_version_free(pd_version *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n_messages; i++)
        pd_message_clear(&v->messages[i]);
    free(v->messages);
    pd_settings_clear(&v->settings);
    free(v->commit_message);
    free(v->author);
    free(v->created_at);
    free(v->id);
    free(v->parent);
    free(v);
}

pd_version *pd_version_dup(const pd_version *v)
{
    if (!v)
        return NULL;
    pd_version *d = pd_xcalloc(1, sizeof *d);
    d->number = v->number;
    d->n_messages = v->n_messages;
    if (v->n_messages) {
        d->messages = pd_xcalloc(v->n_messages, sizeof *d->messages);
        for (size_t i = 0; i < v->n_messages; i++) {
            d->messages[i].role = pd_strdup(v->messages[i].role);
            d->messages[i].content = pd_strdup(v->messages[i].content);
            d->messages[i].placeholder = pd_strdup(v->messages[i].placeholder);
        }
    }
    pd_settings_copy(&d->settings, &v->settings);
    d->commit_message = pd_strdup(v->commit_message);
    d->author = pd_strdup(v->author);
    d->created_at = pd_strdup(v->created_at);
    d->id = pd_strdup(v->id);
    d->parent = pd_strdup(v->parent);
    d->duplicate = v->duplicate;
    return d;
}

void pd_prompt_free(pd_prompt *p)
{
    if (!p)
        return;
    free(p->id);
    free(p->slug);
    free(p->name);
    free(p->description);
    free_strv(p->tags, p->n_tags);
    for (size_t i = 0; i < p->n_labels; i++) {
        free(p->labels[i].name);
        free(p->labels[i].version_id);
    }
    free(p->labels);
    free(p->created_at);
    free(p->updated_at);
    free(p->current_id);
    free(p->damage);
    free(p);
}

pd_prompt *pd_prompt_dup(const pd_prompt *p)
{
    if (!p)
        return NULL;
    pd_prompt *d = pd_xcalloc(1, sizeof *d);
    d->id = pd_strdup(p->id);
    d->slug = pd_strdup(p->slug);
    d->name = pd_strdup(p->name);
    d->description = pd_strdup(p->description);
    d->tags = dup_strv(p->tags, p->n_tags);
    d->n_tags = p->n_tags;
    if (p->n_labels) {
        d->labels = pd_xcalloc(p->n_labels, sizeof *d->labels);
        for (size_t i = 0; i < p->n_labels; i++) {
            d->labels[i].name = pd_strdup(p->labels[i].name);
            d->labels[i].version = p->labels[i].version;
            d->labels[i].version_id = pd_strdup(p->labels[i].version_id);
        }
    }
    d->n_labels = p->n_labels;
    d->created_at = pd_strdup(p->created_at);
    d->updated_at = pd_strdup(p->updated_at);
    d->current_version = p->current_version;
    d->current_id = pd_strdup(p->current_id);
    d->duplicates = p->duplicates;
    d->damaged = p->damaged;
    d->damage = pd_strdup(p->damage);
    return d;
}

void pd_partial_free(pd_partial *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->content);
    free(p->created_at);
    free(p->commit_message);
    free(p->id);
    free(p);
}

void pd_run_record_free(pd_run_record *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->prompt_slug);
    free(r->prompt_version_id);
    json_decref(r->variables);
    pd_settings_clear(&r->settings);
    free(r->output);
    free(r->finish_reason);
    free(r->status);
    free(r->error);
    free(r->started_at);
    free(r->provider_finish_reason);
    free(r->continues);
    json_decref(r->messages);
    json_decref(r->tool_calls);
    json_decref(r->partials);
    free(r);
}
