/* app_main.c: the app from start to end: the config and its [keys] checked against the pane
 * registry, the screen, the first pane, the loop (on the terminal or from a key script). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* A setting turned off: false, off, no or 0. */
static bool config_false(const char *v)
{
    return v && (!strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "0"));
}

/* The config's settings the app itself reads (theme, mouse, keybar, clipboard, split, global
 * keys); problems go to app->warnings. */
static void load_config(pd_app *app, const pd_app_setup *setup)
{
    pd_error err = {0};
    if (pd_config_load(setup->config_path, &app->config, &err) != 0) {
        pd_buf_printf(&app->warnings, "%s", err.msg);
        memset(&app->config, 0, sizeof app->config);
    } else {
        app->config_loaded = true;
        if (app->config.warnings)
            pd_buf_printf(&app->warnings, "%s", app->config.warnings);
    }
    const char *m = pd_config_get(&app->config, "mouse");
    app->mouse = !setup->no_mouse && !config_false(m);
    const char *kb = pd_config_get(&app->config, "keybar");
    app->keybar = !config_false(kb);
    pd_clipboard_config(app);
    const char *split = pd_config_get(&app->config, "split");
    if (split && atoi(split) >= 15 && atoi(split) <= 85)
        app->split_pct = atoi(split);
    app->global_keys = pd_keymap_build(NULL, NULL, pd_global_keydefs(), &app->config, &app->warnings);
    pd_keymap_check_config(&app->config, app->panes, app->n_panes, &app->warnings);
}

/* What the store says while the app runs goes to its message line, not to the terminal. */
static void app_notice(void *ud, const char *message)
{
    pd_app_status(ud, "%s", message);
}

int pd_app_main(const pd_app_setup *setup, pd_error *err)
{
    pd_app *app = pd_app_new(setup->panes, setup->n_panes);
    app->store = setup->store;
    app->scripted = setup->script != NULL;
    app->dump_dir = pd_strdup(setup->dump_dir);
    load_config(app, setup);
    if (pd_app_start_screen(app, setup->cols, setup->rows, err) != 0) {
        pd_app_free(app);
        return -1;
    }
    pd_app_load_theme(app, setup->theme ? setup->theme : pd_config_get(&app->config, "theme"));
    if (app->store)
        pd_store_set_notice(app->store, app_notice, app);

    setup->open_first(app);
    if (app->warnings.len) {
        /* several problems: show the first line, the rest are on stderr after quitting */
        pd_app_error(app, "%s", pd_buf_str(&app->warnings));
    }
    pd_app_draw(app);
    if (setup->first_paint)
        setup->first_paint(app, setup->ud);

    int rc = 0, sig = 0;
    if (setup->script)
        rc = pd_loop_script(app, setup->script, err);
    else
        sig = pd_loop_run(app);
    pd_app_stop_screen(app);
    if (app->store)
        pd_store_set_notice(app->store, NULL, NULL);
    if (app->warnings.len && !setup->script)
        fprintf(stderr, "promptdeck: %s\n", pd_buf_str(&app->warnings));
    pd_app_free(app);
    return rc != 0 ? -1 : sig;
}
