/* app_main.c: `promptdeck [global options] [app options]`: the terminal app, or its scripted
 * off-terminal mode (--script KEYS --size COLSxROWS --dump DIR) used by the tests. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_priv.h"
#include "cli/cli.h"
#include "editor/editor.h"
#include "runpanes/runpanes.h"
#include "panes/panes.h"

static const char *const known_contexts[] = {"list", "timeline", "detail", "diff", "help", "editor",
                                             "vars", "run", "history", "compare", "review", NULL};

static int usage(void)
{
    return cli_usage_error(NULL, "app options: [--script FILE --size COLSxROWS --dump DIR] [--no-mouse]");
}

/* The locale's character type must be UTF-8 for ncursesw: take the user's, else C.UTF-8. */
static void setup_locale(void)
{
    setlocale(LC_ALL, "");
    const char *ct = setlocale(LC_CTYPE, NULL);
    if (!ct || (!strstr(ct, "UTF-8") && !strstr(ct, "utf8") && !strstr(ct, "UTF8") && !strstr(ct, "utf-8")))
        if (!setlocale(LC_CTYPE, "C.UTF-8"))
            setlocale(LC_CTYPE, "en_US.UTF-8");
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* PROMPTDECK_TIMING=FILE: the benchmark's probe (time from here to the first screen). */
static void report_timing(double t0)
{
    const char *path = getenv("PROMPTDECK_TIMING");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "first_paint_ms %.3f\n", now_ms() - t0);
        fclose(f);
    }
}

int app_main(pd_cli *cli, int argc, char **argv)
{
    double t0 = now_ms();
    const char *script = NULL, *dump = NULL;
    int cols = 80, rows = 24;
    bool mouse = true;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--script") && i + 1 < argc)
            script = argv[++i];
        else if (!strcmp(a, "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(a, "--size") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &cols, &rows) != 2 || cols < 10 || rows < 3 || cols > 1000 || rows > 1000)
                return cli_usage_error(NULL, "--size: expected COLSxROWS, e.g. 80x24");
        } else if (!strcmp(a, "--no-mouse"))
            mouse = false;
        else if (!strcmp(a, "app"))
            continue;
        else
            return usage();
    }
    setup_locale();
    pd_store *store = cli_store(cli);
    if (!store)
        return PD_EXIT_FAIL;

    pd_app *app = pd_app_new();
    app->store = store;
    app->scripted = script != NULL;
    app->dump_dir = pd_strdup(dump);
    pd_error err = {0};
    if (pd_config_load(cli->config_path, &app->config, &err) != 0) {
        pd_buf_printf(&app->warnings, "%s", err.msg);
        memset(&app->config, 0, sizeof app->config);
    } else {
        app->config_loaded = true;
        if (app->config.warnings)
            pd_buf_printf(&app->warnings, "%s", app->config.warnings);
    }
    const char *m = pd_config_get(&app->config, "mouse");
    if (m && (!strcmp(m, "false") || !strcmp(m, "off") || !strcmp(m, "no") || !strcmp(m, "0")))
        mouse = false;
    app->mouse = mouse;
    const char *split = pd_config_get(&app->config, "split");
    if (split && atoi(split) >= 15 && atoi(split) <= 85)
        app->split_pct = atoi(split);
    app->global_keys = pd_keymap_build(NULL, NULL, pd_global_keydefs(), &app->config, &app->warnings);
    pd_keymap_check_config(&app->config, known_contexts, &app->warnings);

    if (pd_app_start_screen(app, cols, rows, &err) != 0) {
        cli_print_error(&err);
        pd_app_free(app);
        return PD_EXIT_USAGE;
    }
    const char *theme = cli->theme ? cli->theme : pd_config_get(&app->config, "theme");
    pd_app_load_theme(app, theme);

    pd_open_list(app);
    if (app->warnings.len) {
        /* several problems: show the first line, the rest are on stderr after quitting */
        pd_app_error(app, "%s", pd_buf_str(&app->warnings));
    }
    pd_app_draw(app);
    report_timing(t0);
    pd_editor_check_drafts(app);

    int rc = 0, sig = 0;
    if (script) {
        rc = pd_loop_script(app, script, &err);
    } else {
        sig = pd_loop_run(app);
    }
    pd_app_stop_screen(app);
    if (app->warnings.len && !script)
        fprintf(stderr, "promptdeck: %s\n", pd_buf_str(&app->warnings));
    pd_app_free(app);
    if (rc != 0) {
        cli_print_error(&err);
        return PD_EXIT_USAGE;
    }
    return sig ? 128 + sig : PD_EXIT_OK;
}
