/* cli.h: the command line's shared context, the subcommands' entry points and helpers.
 *
 *   cli.h              this interface
 *   cli_lib_priv.h     helpers shared by the library commands (list, show, versions, create, update ...)
 *   cli_select_priv.h  command-line helpers shared by commands that run or render a version
 *   cli.c              the subcommand table and helpers shared by the subcommands
 *   cli_lib.c          helpers shared by the library commands: safe text in columns, option values, JSON
 *   cli_select.c       choosing a version by number or label, variables from --var / --vars-file
 *   cmd_app.c          `promptdeck [global options] [app options]`: the terminal app
 *   cmd_complete.c     `promptdeck __complete WORD...`, what the shell completion scripts ask
 *   cmd_diff.c         `promptdeck diff SLUG V1 V2` and `promptdeck diff --files A B`: unified
 *   cmd_edit.c         `promptdeck create SLUG ...` and `promptdeck update SLUG [--base-version N] ...`
 *   cmd_eval.c         `promptdeck eval`: a prompt's test cases against versions x models
 *   cmd_list.c         `promptdeck list [--json] [--tag T] [--label L] [QUERY]`: the library's prompts
 *   cmd_manage.c       `promptdeck delete SLUG --yes`, `rename SLUG NEW`
 *   cmd_merge.c        `promptdeck merge SLUG A B [--dry-run]`: version B merged into version A, as diff3 -m
 *   cmd_partial.c      `promptdeck partial list [--json] | show NAME [--version N] [--json] | put NAME (--file F
 *   cmd_render.c       `promptdeck render SLUG`: a prompt version's messages rendered with variables
 *   cmd_run.c          `promptdeck run` (stream a version's answer to stdout) and `promptdeck runs` (history)
 *   cmd_show.c         `promptdeck show SLUG [--version N | --label L] [--json]` and
 *   cmd_sync.c         `promptdeck sync [--no-push] [--json]` (the library with its git upstream)
 *   cmd_template.c     `promptdeck template render|vars`: the Mustache engine on stdin, for tests
 *   cmd_transfer.c     `promptdeck import FILE` and `promptdeck export [SLUG...]`
 *   main.c             global options (--library, --theme, --help, --version), then a subcommand or the app
 */
#ifndef PD_CLI_H
#define PD_CLI_H

#include <stdio.h>

#include "base/base.h"
#include "store/store.h"

#define PD_VERSION_STRING "0.1.0"

/* Exit codes, as diff(1) and friends: */
#define PD_EXIT_OK 0
#define PD_EXIT_FAIL 1     /* not there, conflicts, different, run failed */
#define PD_EXIT_USAGE 2    /* usage error, trouble */

typedef struct pd_cli {
    const char *prog;          /* "promptdeck" */
    const char *library;       /* --library DIR, or NULL for the default */
    const char *theme;         /* --theme NAME|PATH, or NULL */
    const char *config_path;   /* --config FILE, or NULL for the XDG default */
    pd_store *store;           /* opened on first use by cli_store() */
} pd_cli;

/* Opens the library (creating it with the examples when absent). On failure prints the error
 * and returns NULL. The store is closed by main. */
pd_store *cli_store(pd_cli *cli);
/* Prints "promptdeck: <message>" on stderr. */
void cli_print_error(const pd_error *err);
/* The exit code for an error: 2 for INVALID_REQUEST, else 1. */
int cli_exit_code(const pd_error *err);
/* Prints "promptdeck: <fmt>" and a hint to --help on stderr; returns PD_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a JSON value to stdout, pretty, with a trailing newline. Steals no reference. */
void cli_print_json(json_t *j);

/* Subcommands: argv[0] is the subcommand's name; return the exit code. */
typedef int (*pd_cmd_fn)(pd_cli *cli, int argc, char **argv);
typedef struct pd_cmd {
    const char *name;
    pd_cmd_fn fn;
    const char *synopsis;      /* one line, for promptdeck --help */
    const char *usage;         /* the options, for promptdeck CMD --help; NULL: the command prints its own */
    /* What the command takes, for completion (cmd_complete.c; tests/e2e/completion.sh holds it to
     * what --help says and the command accepts): words, options and operands in any order:
     *   --opt       a flag              --opt=KIND  an option whose value is a KIND
     *   --opt>KIND  a flag after which every operand is a KIND (diff --files A B)
     *   KIND        the next operand    KIND...     this operand and every later one
     * KIND: slug, version (a version number of the slug operand), ref (its versions, labels and
     * latest), label (the slug's labels; the library's without a slug), any-label (the library's),
     * tag, provider, partial, partial-version (of the partial operand), run (a run id of the slug),
     * file, dir, text (nothing to offer), or a choice of words a|b|c; for the program's own:
     * library (a folder, the library the other words are read from) and command. NULL: none. */
    const char *args;
} pd_cmd;
/* Terminated by {NULL}. An entry without a synopsis is hidden: not in --help, not completed. */
extern const pd_cmd pd_commands[];
/* The options before a command (main.c) and the app's (cmd_app.c), as a pd_cmd's args. */
extern const char pd_global_args[];
extern const char pd_app_args[];

int cmd_list(pd_cli *cli, int argc, char **argv);
int cmd_show(pd_cli *cli, int argc, char **argv);
int cmd_versions(pd_cli *cli, int argc, char **argv);
int cmd_create(pd_cli *cli, int argc, char **argv);
int cmd_update(pd_cli *cli, int argc, char **argv);
int cmd_delete(pd_cli *cli, int argc, char **argv);
int cmd_rename(pd_cli *cli, int argc, char **argv);
int cmd_label(pd_cli *cli, int argc, char **argv);
int cmd_unlabel(pd_cli *cli, int argc, char **argv);
int cmd_import(pd_cli *cli, int argc, char **argv);
int cmd_export(pd_cli *cli, int argc, char **argv);
int cmd_partial(pd_cli *cli, int argc, char **argv);
int cmd_render(pd_cli *cli, int argc, char **argv);
int cmd_template(pd_cli *cli, int argc, char **argv);
int cmd_diff(pd_cli *cli, int argc, char **argv);
int cmd_run(pd_cli *cli, int argc, char **argv);
int cmd_runs(pd_cli *cli, int argc, char **argv);
int cmd_eval(pd_cli *cli, int argc, char **argv);
int cmd_sync(pd_cli *cli, int argc, char **argv);
int cmd_fix(pd_cli *cli, int argc, char **argv);
int cmd_migrate(pd_cli *cli, int argc, char **argv);
int cmd_merge(pd_cli *cli, int argc, char **argv);
/* `promptdeck __complete WORD...` (hidden): for the shell completion scripts, the words that may
 * stand where the last WORD is typed, one a line (cmd_complete.c). */
int cmd_complete(pd_cli *cli, int argc, char **argv);
/* Where in args (a pd_cmd's args) the first word of a kind completion does not know starts, or
 * NULL when it knows them all: tests hold the tables to it. */
const char *cmd_complete_unknown(const char *args);
/* No subcommand: the terminal app. argv holds what is left after the global options. */
int cmd_app(pd_cli *cli, int argc, char **argv);
/* The pane registry (cmd_app.c): every pane the app can show; *n gets their number. */
struct pd_pane_info;
const struct pd_pane_info *cmd_app_panes(size_t *n);

#endif
