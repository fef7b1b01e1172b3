/* config.h: XDG paths, the config file (sections of key = value), environment look-ups. */
#ifndef PD_CONFIG_H
#define PD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* $XDG_CONFIG_HOME/promptdeck (else ~/.config/promptdeck); caller frees. */
char *pd_config_dir(void);
/* $XDG_STATE_HOME/promptdeck (else ~/.local/state/promptdeck): drafts, logs; caller frees. */
char *pd_state_dir(void);
/* $XDG_DATA_HOME/promptdeck (else ~/.local/share/promptdeck); caller frees. */
char *pd_data_dir(void);

/* The config file: lines `key = value`, `# comment`, `[section]`. Keys are looked up as
 * "section.key" ("theme", "keys.quit", "openai.api_key", "openai.base_url" ...). */
typedef struct pd_config_entry {
    char *key;      /* "section.key" or "key" */
    char *value;
    int line;
} pd_config_entry;

typedef struct pd_config {
    char *path;                /* the file read, or NULL when none */
    pd_config_entry *entries;
    size_t n;
    bool owner_only;           /* the file's mode gives no access to group or others */
    /* Problems found while reading ("FILE:LINE: what"), one per line; NULL when none.
     * A line with an error is skipped and the rest is kept. */
    char *warnings;
} pd_config;

/* Loads path, or $XDG_CONFIG_HOME/promptdeck/config when path is NULL. A missing file gives
 * an empty config (not an error). Caller frees with pd_config_free. */
int pd_config_load(const char *path, pd_config *out, pd_error *err);
void pd_config_free(pd_config *c);
/* The value for key, or NULL. The last occurrence wins. */
const char *pd_config_get(const pd_config *c, const char *key);
/* Line of key in the file, or 0. */
int pd_config_line(const pd_config *c, const char *key);

/* A secret from the config file: refuses (PD_ERR_AUTH, saying the file must be chmod 600, as
 * ssh does) when the file is readable by group or others. *out is NULL when the key is unset. */
int pd_config_get_secret(const pd_config *c, const char *key, const char **out, pd_error *err);

#endif
