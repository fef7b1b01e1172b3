/* cmd_app.c: `promptdeck [global options] [app options]`: the terminal app, or its scripted
 * off-terminal mode (--script KEYS --size COLSxROWS --dump DIR) used by the tests; and the
 * pane registry, the one table of every pane the app can show. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "core/core.h"
#include "editor/editor.h"
#include "evalpane/evalpane.h"
#include "panes/panes.h"
#include "runpanes/runpanes.h"

/* Every pane, like tig's VIEW_INFO: its name is its context in the config's [keys]
 * (PANE.ACTION = KEYS, checked against this table) and in `:help PANE`. A new pane is one
 * line here. */
static const pd_pane_info panes[] = {
    {&pd_list_pane, "The prompts of the library (the main screen)"},
    {&pd_timeline_pane, "A prompt's versions, newest first, with labels"},
    {&pd_detail_pane, "One version: messages, settings, tools, variables"},
    {&pd_diff_pane, "Two versions compared, side by side or unified"},
    {&pd_editor_pane, "Edits a version's messages and settings"},
    {&pd_review_pane, "What an edit changes, before saving (or a conflict)"},
    {&pd_merge_pane, "Two versions merged, their conflicts side by side"},
    {&pd_vars_pane, "The variables of a run, before it starts"},
    {&pd_run_pane, "One answer streaming in, or a stored run"},
    {&pd_compare_pane, "Two runs side by side (two versions or two models)"},
    {&pd_history_pane, "The stored runs of a prompt, newest first"},
    {&pd_request_pane, "The request a run sent, its key redacted"},
    {&pd_eval_pane, "Test cases run on versions and models, filling in live"},
    {&pd_evalcell_pane, "One evaluation cell: its assertions, answer, request"},
    {&pd_help_pane, "The keys of a pane (? in it, or :help PANE)"},
};

const pd_pane_info *cmd_app_panes(size_t *n)
{
    *n = sizeof panes / sizeof panes[0];
    return panes;
}

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

/* After the first screen: PROMPTDECK_TIMING=FILE gets the benchmark's probe (the time from the
 * start of cmd_app to here), then the editor offers to restore drafts a previous session left. */
static void first_paint(pd_app *app, void *ud)
{
    const double *t0 = ud;
    const char *path = getenv("PROMPTDECK_TIMING");
    if (path && *path) {
        FILE *f = fopen(path, "a");
        if (f) {
            fprintf(f, "first_paint_ms %.3f\n", now_ms() - *t0);
            fclose(f);
        }
    }
    pd_editor_check_drafts(app);
}

int cmd_app(pd_cli *cli, int argc, char **argv)
{
    double t0 = now_ms();
    pd_app_setup setup = {.config_path = cli->config_path, .theme = cli->theme, .cols = 80, .rows = 24,
                          .open_first = pd_open_list, .first_paint = first_paint, .ud = &t0};
    setup.panes = cmd_app_panes(&setup.n_panes);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--script") && i + 1 < argc)
            setup.script = argv[++i];
        else if (!strcmp(a, "--dump") && i + 1 < argc)
            setup.dump_dir = argv[++i];
        else if (!strcmp(a, "--size") && i + 1 < argc) {
            int cols, rows;
            if (sscanf(argv[++i], "%dx%d", &cols, &rows) != 2 || cols < 10 || rows < 3 || cols > 1000 || rows > 1000)
                return cli_usage_error(NULL, "--size: expected COLSxROWS, e.g. 80x24");
            setup.cols = cols;
            setup.rows = rows;
        } else if (!strcmp(a, "--no-mouse"))
            setup.no_mouse = true;
        else if (!strcmp(a, "app"))
            continue;
        else
            return usage();
    }
    setup_locale();
    setup.store = cli_store(cli);
    if (!setup.store)
        return PD_EXIT_FAIL;
    pd_error err = {0};
    int sig = pd_app_main(&setup, &err);
    if (sig < 0) {
        cli_print_error(&err);
        return PD_EXIT_USAGE;
    }
    return sig ? 128 + sig : PD_EXIT_OK;
}
