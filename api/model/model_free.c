/* model_free.c: freeing and deep-copying the model's structs. */
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
    for (size_t i = 0; i < p->n_labels; i++)
        free(p->labels[i].name);
    free(p->labels);
    free(p->created_at);
    free(p->updated_at);
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
        }
    }
    d->n_labels = p->n_labels;
    d->created_at = pd_strdup(p->created_at);
    d->updated_at = pd_strdup(p->updated_at);
    d->current_version = p->current_version;
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
    free(p);
}

void pd_run_record_free(pd_run_record *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->prompt_slug);
    json_decref(r->variables);
    pd_settings_clear(&r->settings);
    free(r->output);
    free(r->finish_reason);
    free(r->status);
    free(r->error);
    free(r->started_at);
    free(r);
}
