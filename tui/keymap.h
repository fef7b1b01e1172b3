/* keymap.h: (internal to the app) the key -> action bindings of one context, built from a
 * key table's defaults and the [keys] section of the config. */
#ifndef PD_KEYMAP_H
#define PD_KEYMAP_H

#include "buf.h"
#include "config.h"
#include "keys.h"

typedef struct pd_binding {
    int key;
    int action;
} pd_binding;

typedef struct pd_keymap {
    const void *owner;        /* the view ops (or NULL for the global map) it was built for */
    char *context;            /* NULL for the global map */
    const pd_keydef *defs;
    pd_binding *b;
    size_t n;
} pd_keymap;

/* Builds the map of context (NULL: global) from defs plus config overrides; problems go to
 * warnings as "FILE:LINE: what". Caller frees with pd_keymap_free. */
pd_keymap *pd_keymap_build(const char *context, const void *owner, const pd_keydef *defs,
                           const pd_config *cfg, pd_buf *warnings);
void pd_keymap_free(pd_keymap *m);
/* The action bound to key, or PD_ACT_NONE. */
int pd_keymap_lookup(const pd_keymap *m, int key);
/* The key names bound to action, comma separated ("j, <Down>"); returns buf. */
const char *pd_keymap_keys(const pd_keymap *m, int action, char *buf, size_t size);
/* The global actions as a key table (ending with {0}). */
const pd_keydef *pd_global_keydefs(void);
/* Reports [keys] entries naming no global action and no known context ("keys.foo"). */
void pd_keymap_check_config(const pd_config *cfg, const char *const *contexts, pd_buf *warnings);

#endif
