/* model.c: temporary stubs so the tree links; replaced by the real codec. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

void pd_message_clear(pd_message *m)
{
    (void)m;
}

void pd_settings_clear(pd_settings *s)
{
    (void)s;
}

void pd_version_free(pd_version *v)
{
    (void)v;
}

void pd_prompt_free(pd_prompt *p)
{
    (void)p;
}

void pd_partial_free(pd_partial *p)
{
    (void)p;
}

void pd_run_record_free(pd_run_record *r)
{
    (void)r;
}

pd_version *pd_version_dup(const pd_version *v)
{
    (void)v;
    return NULL;
}

pd_prompt *pd_prompt_dup(const pd_prompt *p)
{
    (void)p;
    return NULL;
}

void pd_settings_copy(pd_settings *dst, const pd_settings *src)
{
    (void)dst;
    (void)src;
}

bool pd_slug_valid(const char *slug, pd_error *err)
{
    (void)slug;
    (void)err;
    return false;
}

bool pd_label_name_valid(const char *name, pd_error *err)
{
    (void)name;
    (void)err;
    return false;
}

bool pd_role_valid(const char *role)
{
    (void)role;
    return false;
}

bool pd_version_content_equal(const pd_version *a, const pd_version *b)
{
    (void)a;
    (void)b;
    return false;
}

int pd_prompt_label_version(const pd_prompt *p, const char *label)
{
    (void)p;
    (void)label;
    return -1;
}

char *pd_new_id(void)
{
    return NULL;
}

char *pd_now_rfc3339(void)
{
    return NULL;
}

json_t *pd_version_to_json(const pd_version *v)
{
    (void)v;
    return NULL;
}

json_t *pd_prompt_to_json(const pd_prompt *p)
{
    (void)p;
    return NULL;
}

json_t *pd_settings_to_json(const pd_settings *s)
{
    (void)s;
    return NULL;
}

json_t *pd_messages_to_json(const pd_message *m, size_t n)
{
    (void)m;
    (void)n;
    return NULL;
}

json_t *pd_partial_to_json(const pd_partial *p)
{
    (void)p;
    return NULL;
}

json_t *pd_run_record_to_json(const pd_run_record *r)
{
    (void)r;
    return NULL;
}

pd_version *pd_version_from_json(json_t *j, const char *where, pd_error *err)
{
    (void)j;
    (void)where;
    (void)err;
    return NULL;
}

pd_prompt *pd_prompt_from_json(json_t *j, const char *where, pd_error *err)
{
    (void)j;
    (void)where;
    (void)err;
    return NULL;
}

int pd_settings_from_json(json_t *j, pd_settings *out, const char *where, pd_error *err)
{
    (void)j;
    (void)out;
    (void)where;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_messages_from_json(json_t *arr, pd_message **out, size_t *n, const char *where, pd_error *err)
{
    (void)arr;
    (void)out;
    (void)n;
    (void)where;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

pd_partial *pd_partial_from_json(json_t *j, const char *where, pd_error *err)
{
    (void)j;
    (void)where;
    (void)err;
    return NULL;
}

pd_run_record *pd_run_record_from_json(json_t *j, const char *where, pd_error *err)
{
    (void)j;
    (void)where;
    (void)err;
    return NULL;
}

char *pd_json_dump_pretty(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!s)
        abort();
    size_t n = strlen(s);
    char *out = realloc(s, n + 2);
    if (!out)
        abort();
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}
