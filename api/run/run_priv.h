/* run_priv.h: run.c's helpers for keys and base URLs (internal to the run module). */
#ifndef PD_MODULE_run
#error "run/run_priv.h is private to the run module: include run/run.h"
#endif
#ifndef PD_RUN_IMPL_H
#define PD_RUN_IMPL_H

#include "base/base.h"
#include "model/model.h"
#include "provider/provider.h"

/* True when name is a provider of its own (ollama, openrouter ...) rather than the official
 * service of its wire format p (p's name or alias, or NULL). */
bool pd_run_own_name(const pd_provider_info *p, const char *name);
/* The key for provider `name` (its wire format p): environment, else config "<name>.api_key".
 * The official services read p's key_env, then key_env_alt (OPENAI_API_KEY, ANTHROPIC_API_KEY,
 * GEMINI_API_KEY / GOOGLE_API_KEY);
 * a provider of its own reads <NAME>_API_KEY (OPENROUTER_API_KEY), never another service's key.
 * *key is NULL when none (borrowed from the environment or config); *env_name (caller frees)
 * names the variable to set. Fails (PD_ERR_AUTH) only when the config file holding the key is
 * readable by others. */
int pd_run_find_key(const pd_provider_info *p, const char *name, const pd_config *cfg, const char **key,
                    char **env_name, pd_error *err);
/* The base URL: override, environment, config "<name>.base_url", the official one (borrowed). */
const char *pd_run_find_base(const pd_provider_info *p, const char *name, const pd_config *cfg,
                             const char *override);

/* pd_store_partial_lookup that also gives the version found (0 when none). */
int pd_run_partial_lookup(void *store, const char *name, char **out, int *found_version, pd_error *err);

#endif
