/* run_resolve.c: what a run uses: the API key and the base URL. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "run_priv.h"

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
