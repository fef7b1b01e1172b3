/* test_pane_registry.c: the pane registry (tui/cli/cmd_app.c) against the config check and the
 * keymaps: every registered pane is a known [keys] context, anything else is reported. */
#include <ctype.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/core.h"
#include "t.h"

/* Reports of the config check for one [keys] entry. */
static char *check_one(const pd_pane_info *panes, size_t n, const char *key)
{
    pd_config_entry e = {(char *)key, "x", 7};
    pd_config cfg = {.path = "cfg", .entries = &e, .n = 1};
    pd_buf warn = PD_BUF_INIT;
    pd_keymap_check_config(&cfg, panes, n, &warn);
    char *s = pd_strdup(pd_buf_str(&warn));
    pd_buf_free(&warn);
    return s;
}

static void test_registry_names(void)
{
    size_t n;
    const pd_pane_info *panes = cmd_app_panes(&n);
    CHECK(n >= 11);
    for (size_t i = 0; i < n; i++) {
        const char *name = panes[i].ops->name;
        CHECK(name && *name);
        for (const char *c = name; *c; c++)
            CHECK(islower((unsigned char)*c) || *c == '-');   /* usable as PANE in PANE.ACTION */
        CHECK(panes[i].description && *panes[i].description);
        CHECK(panes[i].ops->draw_line != NULL);
        for (size_t j = 0; j < i; j++) {
            CHECK(panes[j].ops != panes[i].ops);
            CHECK(strcmp(panes[j].ops->name, name) != 0);
        }
    }
    /* the panes every build has: the main screen and the help */
    bool list = false, help = false;
    for (size_t i = 0; i < n; i++) {
        list |= !strcmp(panes[i].ops->name, "list");
        help |= panes[i].ops == &pd_help_pane;
    }
    CHECK(list);
    CHECK(help);
}

/* Every registered pane is a context of [keys]: the check is quiet about it, and its own
 * actions rebind without a warning when its map is built. */
static void test_registry_drives_config_check(void)
{
    size_t n;
    const pd_pane_info *panes = cmd_app_panes(&n);
    for (size_t i = 0; i < n; i++) {
        const pd_view_ops *ops = panes[i].ops;
        char key[128];
        snprintf(key, sizeof key, "keys.%s.%s", ops->name, ops->keys ? ops->keys[0].name : "anything");
        char *w = check_one(panes, n, key);
        CHECK_STR(w, "");
        free(w);
        if (!ops->keys)
            continue;
        pd_config_entry e = {key, "<F9>", 3};
        pd_config cfg = {.path = "cfg", .entries = &e, .n = 1};
        pd_buf warn = PD_BUF_INIT;
        pd_keymap *m = pd_keymap_build(ops->name, ops, ops->keys, &cfg, &warn);
        CHECK_STR(pd_buf_str(&warn), "");
        CHECK_INT(pd_keymap_lookup(m, PD_KEY_FN(KEY_F(9))), ops->keys[0].action);
        pd_keymap_free(m);
        pd_buf_free(&warn);
    }
}

static void test_unknown_pane_reported(void)
{
    size_t n;
    const pd_pane_info *panes = cmd_app_panes(&n);
    const char *unknown[] = {"keys.nopane.up", "keys.lis.sort", "keys.listx.sort", "keys..sort", "keys.nosuch"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        char *w = check_one(panes, n, unknown[i]);
        char expect[128];
        snprintf(expect, sizeof expect, "cfg:7: [keys] %s: no such action\n", unknown[i] + 5);
        CHECK_STR(w, expect);
        free(w);
    }
    /* a pane is only known once registered */
    char *w = check_one(panes, 0, "keys.list.sort");
    CHECK_STR(w, "cfg:7: [keys] list.sort: no such action\n");
    free(w);
    w = check_one(panes, n, "keys.down");   /* a global action */
    CHECK_STR(w, "");
    free(w);
}

int main(void)
{
    RUN(test_registry_names);
    RUN(test_registry_drives_config_check);
    RUN(test_unknown_pane_reported);
    T_DONE();
}
