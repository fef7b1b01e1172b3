/* cmdline.c: `:` commands: splitting a command line into words, the focused view's commands
 * first, then the app's own (quit, help, theme, split, mouse, messages, keybar, redraw). */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

char **pd_cmd_split(const char *line, int *argc)
{
    char **argv = NULL;
    int n = 0;
    const char *s = line;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        pd_buf w = PD_BUF_INIT;
        pd_buf_puts(&w, "");
        char quote = 0;
        while (*s && (quote || (*s != ' ' && *s != '\t'))) {
            if (quote && *s == quote) {
                quote = 0;
            } else if (!quote && (*s == '\'' || *s == '"')) {
                quote = *s;
            } else if (*s == '\\' && s[1] && quote != '\'') {
                s++;
                pd_buf_putc(&w, *s);
            } else {
                pd_buf_putc(&w, *s);
            }
            s++;
        }
        argv = pd_xrealloc(argv, (size_t)(n + 2) * sizeof *argv);
        argv[n++] = pd_buf_take(&w);
        argv[n] = NULL;
    }
    *argc = n;
    return argv;
}

void pd_cmd_free_argv(char **argv, int argc)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

const pd_cmddef pd_global_commands[] = {
    {"quit", "", "Quit"},
    {"help", "PANE", "This help, or the keys of a pane"},
    {"theme", "THEME", "Switch theme"},
    {"split", "PERCENT", "Width of the left pane"},
    {"mouse", "on|off", "Mouse clicks and wheel"},
    {"messages", "", "The status lines of this session"},
    {"keybar", "on|off", "The bar of main keys"},
    {"redraw", "", "Repaint the screen"},
    {NULL, NULL, NULL},
};

int pd_cmd_global(pd_app *app, int argc, char **argv)
{
    const char *c = argv[0];
    if (!strcmp(c, "q") || !strcmp(c, "quit") || !strcmp(c, "qa") || !strcmp(c, "exit")) {
        pd_app_quit_asking(app);
        return 0;
    }
    if (!strcmp(c, "help") || !strcmp(c, "h")) {
        if (argc < 2) {
            pd_open_help(app, app->focus ? app->focus->ops : NULL);
        } else if (!strcmp(argv[1], "panes")) {
            pd_open_help_panes(app);
        } else {
            const pd_pane_info *pane = pd_app_pane(app, argv[1]);
            if (!pane) {
                pd_app_error(app, "help: no pane '%s' (:help panes lists them)", argv[1]);
                return -1;
            }
            pd_open_help(app, pane->ops);
        }
        return 0;
    }
    if (!strcmp(c, "theme")) {
        if (argc < 2) {
            pd_app_status(app, "theme: %s", pd_theme_name(app->theme));
            return 0;
        }
        if (!pd_theme_exists(argv[1])) {
            pd_app_error(app, "theme '%s' not found (Tab lists the themes); keeping %s", argv[1],
                         pd_theme_name(app->theme));
            return -1;
        }
        pd_app_load_theme(app, argv[1]);
        if (app->warnings.len) {
            pd_app_error(app, "%s", pd_buf_str(&app->warnings));
            pd_buf_reset(&app->warnings);
            return -1;
        }
        pd_app_status(app, "theme: %s", pd_theme_name(app->theme));
        return 0;
    }
    if (!strcmp(c, "split")) {
        int pct = argc > 1 ? atoi(argv[1]) : 0;
        if (pct < 15 || pct > 85) {
            pd_app_error(app, "split: give the left pane's width in percent, 15 to 85");
            return -1;
        }
        app->split_pct = pct;
        app->zoomed = false;
        app->layout_dirty = true;
        return 0;
    }
    if (!strcmp(c, "mouse")) {
        bool on = argc < 2 || !strcmp(argv[1], "on");
        if (!app->scripted)
            mousemask(on ? (BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
        app->mouse = on;
        pd_app_status(app, "mouse %s", on ? "on" : "off");
        return 0;
    }
    if (!strcmp(c, "messages") || !strcmp(c, "mes")) {
        pd_open_messages(app);
        return 0;
    }
    if (!strcmp(c, "keybar")) {
        bool on = argc < 2 ? !app->keybar : !strcmp(argv[1], "on");
        if (argc >= 2 && !on && strcmp(argv[1], "off") != 0) {
            pd_app_error(app, "keybar: on or off");
            return -1;
        }
        app->keybar = on;
        app->layout_dirty = true;
        return 0;
    }
    if (!strcmp(c, "redraw")) {
        clearok(curscr, TRUE);
        pd_app_redraw_all(app);
        return 0;
    }
    pd_app_error(app, "%s: no such command (? lists the commands)", c);
    return -1;
}

int pd_app_run_command(pd_app *app, const char *line)
{
    int argc;
    char **argv = pd_cmd_split(line, &argc);
    int rc = 0;
    if (argc > 0) {
        /* the focused pane first, then the panes under it (":open" from the timeline reaches
         * the list), then the app's own commands */
        bool done = false;
        pd_view *f = app->focus;
        if (f && f->ops->command)
            done = f->ops->command(f, argc, argv);
        for (size_t i = app->n_views; !done && i-- > 0;) {
            pd_view *v = app->stack[i];
            if (v != f && v->ops->command)
                done = v->ops->command(v, argc, argv);
        }
        if (!done)
            rc = pd_cmd_global(app, argc, argv);
    }
    pd_cmd_free_argv(argv, argc);
    return rc;
}
