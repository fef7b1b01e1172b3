/* keymap.c: builds key bindings from key tables and the config's [keys] section. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pd_keydef global_defs[] = {
#define PD_X_DEF(id, name, keys, help) {PD_ACT_##id, name, keys, help},
    PD_GLOBAL_ACTIONS(PD_X_DEF)
#undef PD_X_DEF
    {0, NULL, NULL, NULL},
};

const pd_keydef *pd_global_keydefs(void)
{
    return global_defs;
}

static void add_binding(pd_keymap *m, int key, int action)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->b[i].key == key) {
            m->b[i].action = action;   /* a later binding of the same key wins */
            return;
        }
    }
    m->b = pd_xrealloc(m->b, (m->n + 1) * sizeof *m->b);
    m->b[m->n++] = (pd_binding){key, action};
}

static void remove_action(pd_keymap *m, int action)
{
    size_t j = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->b[i].action != action)
            m->b[j++] = m->b[i];
    m->n = j;
}

/* Binds every key named in spec ("j <Down>, <C-n>") to action; returns -1 on a bad name. */
static int bind_spec(pd_keymap *m, const char *spec, int action, const char **bad)
{
    const char *s = spec;
    while (*s) {
        if (*s == ' ' || *s == ',' || *s == '\t') {
            s++;
            continue;
        }
        int key;
        size_t n = pd_key_parse(s, &key);
        if (n == 0 || (s[n] && s[n] != ' ' && s[n] != ',' && s[n] != '\t')) {
            *bad = s;
            return -1;
        }
        add_binding(m, key, action);
        s += n;
    }
    return 0;
}

pd_keymap *pd_keymap_build(const char *context, const void *owner, const pd_keydef *defs,
                           const pd_config *cfg, pd_buf *warnings)
{
    pd_keymap *m = pd_xcalloc(1, sizeof *m);
    m->owner = owner;
    m->context = pd_strdup(context);
    m->defs = defs;
    for (const pd_keydef *d = defs; d && d->action; d++) {
        const char *bad;
        if (bind_spec(m, d->keys, d->action, &bad) != 0 && warnings)
            pd_buf_printf(warnings, "built-in key table %s: bad key name '%s'\n", context ? context : "global", bad);
    }
    if (!cfg)
        return m;
    for (const pd_keydef *d = defs; d && d->action; d++) {
        char key[160];
        if (context)
            snprintf(key, sizeof key, "keys.%s.%s", context, d->name);
        else
            snprintf(key, sizeof key, "keys.%s", d->name);
        const char *spec = pd_config_get(cfg, key);
        if (!spec)
            continue;
        remove_action(m, d->action);
        const char *bad;
        if (bind_spec(m, spec, d->action, &bad) != 0) {
            if (warnings)
                pd_buf_printf(warnings, "%s:%d: [keys] %s: unknown key name '%s'\n",
                              cfg->path ? cfg->path : "config", pd_config_line(cfg, key), key + 5, bad);
            /* keep the defaults for this action */
            remove_action(m, d->action);
            bind_spec(m, d->keys, d->action, &bad);
        }
    }
    /* entries of this context naming no action of it */
    if (context) {
        size_t cl = strlen(context);
        for (size_t i = 0; i < cfg->n; i++) {
            const char *k = cfg->entries[i].key;
            if (strncmp(k, "keys.", 5) != 0 || strncmp(k + 5, context, cl) != 0 || k[5 + cl] != '.')
                continue;
            const char *name = k + 6 + cl;
            const pd_keydef *d = defs;
            while (d && d->action && strcmp(d->name, name) != 0)
                d++;
            if ((!d || !d->action) && warnings)
                pd_buf_printf(warnings, "%s:%d: [keys] %s: no such action in the %s pane\n",
                              cfg->path ? cfg->path : "config", cfg->entries[i].line, k + 5, context);
        }
    }
    return m;
}

void pd_keymap_free(pd_keymap *m)
{
    if (!m)
        return;
    free(m->b);
    free(m->context);
    free(m);
}

int pd_keymap_lookup(const pd_keymap *m, int key)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->b[i].key == key)
            return m->b[i].action;
    return PD_ACT_NONE;
}

const char *pd_keymap_keys(const pd_keymap *m, int action, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = 0;
    for (size_t i = 0; m && i < m->n; i++) {
        if (m->b[i].action != action)
            continue;
        char name[32];
        pd_key_name(m->b[i].key, name, sizeof name);
        int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "", name);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    return buf;
}

void pd_keymap_check_config(const pd_config *cfg, const pd_pane_info *panes, size_t n_panes, pd_buf *warnings)
{
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        const char *k = cfg->entries[i].key;
        if (strncmp(k, "keys.", 5) != 0)
            continue;
        const char *name = k + 5;
        const char *dot = strchr(name, '.');
        bool known = false;
        if (!dot) {
            for (const pd_keydef *d = global_defs; d->action && !known; d++)
                known = strcmp(d->name, name) == 0;
        } else {
            size_t len = (size_t)(dot - name);
            for (size_t p = 0; p < n_panes && !known; p++)
                known = strlen(panes[p].ops->name) == len && strncmp(panes[p].ops->name, name, len) == 0;
        }
        if (!known)
            pd_buf_printf(warnings, "%s:%d: [keys] %s: no such action\n", cfg->path ? cfg->path : "config",
                          cfg->entries[i].line, name);
    }
}
