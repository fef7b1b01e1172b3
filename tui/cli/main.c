/* main.c: global options (--library, --theme, --help, --version), then a subcommand or the app. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_select_priv.h"

static void print_help(void)
{
    printf("Usage: promptdeck [--library DIR] [--theme NAME|PATH] [--config FILE] [COMMAND [ARGS]]\n"
           "\n"
           "A terminal app for browsing, versioning, diffing, editing and running LLM prompts.\n"
           "Without a command it starts the app. Commands:\n\n");
    for (const pd_cmd *c = pd_commands; c->name; c++)
        if (c->synopsis)   /* hidden commands have none */
            printf("  promptdeck %s\n", c->synopsis);
    printf("\nOptions:\n"
           "  --library DIR   the prompt library (default $PROMPTDECK_LIBRARY, else\n"
           "                  $XDG_DATA_HOME/promptdeck/library)\n"
           "  --theme T       a theme name from the themes directory, or a theme file's path\n"
           "  --config FILE   the config file (default $XDG_CONFIG_HOME/promptdeck/config)\n"
           "  --help          this help;  --version  the version\n"
           "\nOptions of the app (no command):\n"
           "  --no-mouse      ignore the mouse\n"
           "  --script KEYS --size COLSxROWS --dump DIR\n"
           "                  run off-terminal from a key script, dumping screens (for tests)\n"
           "\nExit status: 0 success, 1 not found / conflict / different / run failed, 2 usage error or trouble,\n"
           "130 a run cancelled with Ctrl-C.\n"
           "See promptdeck(1) for the JSON formats.\n");
}

/* True when args (a subcommand's arguments) ask for help before any "--". */
static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

int main(int argc, char **argv)
{
    pd_cli cli = {.prog = "promptdeck"};
    cli.library = getenv("PROMPTDECK_LIBRARY");
    if (cli.library && !*cli.library)
        cli.library = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_help();
            return PD_EXIT_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("promptdeck %s\n", PD_VERSION_STRING);
            return PD_EXIT_OK;
        }
        if ((r = cli_take_value("--library", &i, argc, argv, &cli.library)) ||
            (r = cli_take_value("--theme", &i, argc, argv, &cli.theme)) ||
            (r = cli_take_value("--config", &i, argc, argv, &cli.config_path))) {
            if (r < 0)
                return cli_usage_error(NULL, "option '%s' needs a value", a);
            continue;
        }
        break;
    }
    int rc;
    if (i >= argc || argv[i][0] == '-') {
        rc = cmd_app(&cli, argc - i, argv + i);
    } else {
        const pd_cmd *c = pd_commands;
        while (c->name && strcmp(c->name, argv[i]) != 0)
            c++;
        if (!c->name)
            return cli_usage_error(NULL, "unknown command '%s'", argv[i]);
        if (c->usage && wants_help(argc - i, argv + i)) {
            printf("Usage: promptdeck %s\n\n%s", c->synopsis, c->usage);
            return PD_EXIT_OK;
        }
        rc = c->fn(&cli, argc - i, argv + i);
    }
    /* output that did not all reach its file (`export > backup.json` on a full disk) is a failure,
     * never a success with a short file; a reader that went away (EPIPE) is no one's trouble */
    bool out_failed = fflush(stdout) != 0;
    int out_errno = errno;
    out_failed = (out_failed || ferror(stdout)) && out_errno != EPIPE;
    if (out_failed && rc == PD_EXIT_OK) {
        fprintf(stderr, "promptdeck: cannot write the output: %s\n", strerror(out_errno));
        rc = PD_EXIT_USAGE;
    }
    pd_store_close(cli.store);
    return rc;
}
