/* run_resolve.c: what a run uses: merged settings, the API key and the base URL. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "run_priv.h"

static void replace_json(json_t **dst, json_t *src)
{
    if (!src)
        return;
    json_decref(*dst);
    *dst = json_deep_copy(src);
}

void pd_run_merge_settings(pd_settings *dst, const pd_settings *base, const pd_settings *over)
{
    memset(dst, 0, sizeof *dst);
    pd_settings_copy(dst, base);
    if (!over)
        return;
    if (over->provider) {
        free(dst->provider);
        dst->provider = pd_strdup(over->provider);
    }
    if (over->model) {
        free(dst->model);
        dst->model = pd_strdup(over->model);
    }
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
        for (size_t i = 0; i < dst->n_stop; i++)
            free(dst->stop_sequences[i]);
        free(dst->stop_sequences);
        dst->stop_sequences = pd_xcalloc(over->n_stop, sizeof *dst->stop_sequences);
        for (size_t i = 0; i < over->n_stop; i++)
            dst->stop_sequences[i] = pd_strdup(over->stop_sequences[i]);
        dst->n_stop = over->n_stop;
    }
    replace_json(&dst->extra, over->extra);
    replace_json(&dst->tools, over->tools);
    replace_json(&dst->output_schema, over->output_schema);
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

bool pd_run_own_name(const pd_provider_info *p, const char *name)
{
    return name && strcmp(name, p->name) != 0 && !(p->alias && strcmp(name, p->alias) == 0);
}

/* "OPENROUTER_API_KEY" for "openrouter" (other characters become '_'). Caller frees. */
static char *own_env_name(const char *name)
{
    pd_buf b = PD_BUF_INIT;
    for (const char *c = name; *c; c++)
        pd_buf_putc(&b, (*c >= 'a' && *c <= 'z') ? (char)(*c - 32) :
                        ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) ? *c : '_');
    pd_buf_puts(&b, "_API_KEY");
    return pd_buf_take(&b);
}

int pd_run_find_key(const pd_provider_info *p, const char *name, const pd_config *cfg, const char **key,
                    char **env_name, pd_error *err)
{
    bool own = pd_run_own_name(p, name);
    *env_name = own ? own_env_name(name) : pd_strdup(p->key_env);
    *key = env_nonempty(*env_name);
    if (!*key && !own && p->key_env_alt)
        *key = env_nonempty(p->key_env_alt);
    if (*key || !cfg)
        return 0;
    pd_buf k = PD_BUF_INIT;
    pd_buf_printf(&k, "%s.api_key", own ? name : p->name);
    int rc = pd_config_get_secret(cfg, pd_buf_str(&k), key, err);
    pd_buf_free(&k);
    if (rc == 0 && *key && !**key)
        *key = NULL;
    return rc;
}

const char *pd_run_find_base(const pd_provider_info *p, const char *name, const pd_config *cfg,
                             const char *override)
{
    if (override && *override)
        return override;
    /* A name of its own (ollama, openrouter ...) is configured by name before the environment
     * variable of the wire format, which belongs to the official service's users. */
    bool own_name = pd_run_own_name(p, name);
    const char *v = NULL;
    pd_buf k = PD_BUF_INIT;
    if (cfg && name) {
        pd_buf_printf(&k, "%s.base_url", name);
        v = pd_config_get(cfg, pd_buf_str(&k));
        if (v && !*v)
            v = NULL;
    }
    pd_buf_free(&k);
    if (own_name && v)
        return v;
    const char *env = env_nonempty(p->base_url_env);
    if (env)
        return env;
    if (v)
        return v;
    return p->default_base;
}
