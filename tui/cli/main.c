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
           "3 a run whose answer did not finish cleanly (cut, filtered, refused), 130 a run cancelled with Ctrl-C.\n"
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

/* Whether the command ARGV[0] makes nothing but its output (export, list, show...), so output
 * that cannot be written is its failure; false for commands that change the library. */
static bool output_is_product(int argc, char **argv)
{
    static const char *const readers[] = {"export", "list", "show", "versions", "render", "diff", "runs", "template"};
    if (argc < 1)
        return false;
    if (strcmp(argv[0], "partial") == 0)
        return argc > 1 && (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "show") == 0);
    for (size_t k = 0; k < sizeof readers / sizeof *readers; k++)
        if (strcmp(argv[0], readers[k]) == 0)
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
    /* output that did not all reach its file (`export > backup.json` on a full disk) is said; for a
     * command whose product is its output it is a failure, never a success with a short file (a
     * change that was saved stays a success: its exit status says what happened to the library);
     * a reader that went away (EPIPE) is no one's trouble */
    bool out_failed = fflush(stdout) != 0;
    int out_errno = errno;
    out_failed = (out_failed || ferror(stdout)) && out_errno != EPIPE;
    if (out_failed && rc == PD_EXIT_OK) {
        fprintf(stderr, "promptdeck: cannot write the output: %s\n", strerror(out_errno));
        if (output_is_product(argc - i, argv + i))
            rc = PD_EXIT_USAGE;
    }
    pd_store_close(cli.store);
    return rc;
}
