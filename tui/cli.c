/* cli.c: the subcommand table and helpers shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>

const pd_cmd pd_commands[] = {
    {"list", cmd_list, "list [--json] [--tag T] [--label L] [QUERY]"},
    {"show", cmd_show, "show SLUG [--version N | --label L] [--json]"},
    {"versions", cmd_versions, "versions SLUG [--json]"},
    {"create", cmd_create, "create SLUG --name NAME --model M --provider P [--message ROLE=TEXT]... [options]"},
    {"update", cmd_update, "update SLUG [--base-version N] [options of create]"},
    {"delete", cmd_delete, "delete SLUG --yes"},
    {"rename", cmd_rename, "rename SLUG NEW-SLUG"},
    {"label", cmd_label, "label SLUG LABEL VERSION"},
    {"unlabel", cmd_unlabel, "unlabel SLUG LABEL"},
    {"import", cmd_import, "import FILE"},
    {"export", cmd_export, "export [SLUG...]"},
    {"partial", cmd_partial, "partial list | show NAME [--version N] | put NAME (--file F | --content TEXT)"},
    {"render", cmd_render, "render SLUG [--version N | --label L] [--var k=v]... [--vars-file F.json] [--lenient] [--json]"},
    {"template", cmd_template, "template render --data DATA.json [--partials-json P.json] [--escape html|none] < TEMPLATE"},
    {"diff", cmd_diff, "diff SLUG V1 V2 | diff --files A B"},
    {"run", cmd_run, "run SLUG [--version N | --label L] [--var k=v]... [--provider P] [--model M] [--base-url URL] [--json]"},
    {"runs", cmd_runs, "runs SLUG [--json] | runs SLUG RUN-ID"},
    {NULL, NULL, NULL},
};

pd_store *cli_store(pd_cli *cli)
{
    if (cli->store)
        return cli->store;
    char *dir = cli->library ? NULL : pd_store_default_dir();
    pd_error err = {0};
    int rc = pd_store_open(cli->library ? cli->library : dir, true, true, &cli->store, &err);
    free(dir);
    if (rc != 0) {
        cli_print_error(&err);
        cli->store = NULL;
    }
    return cli->store;
}

void cli_print_error(const pd_error *err)
{
    fprintf(stderr, "promptdeck: %s\n", err->msg[0] ? err->msg : pd_code_name(err->code));
}

int cli_exit_code(const pd_error *err)
{
    return err->code == PD_ERR_INVALID_REQUEST ? PD_EXIT_USAGE : PD_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("promptdeck: ", stderr);
    if (cmd)
        fprintf(stderr, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'promptdeck --help' for more information.\n");
    return PD_EXIT_USAGE;
}

void cli_print_json(json_t *j)
{
    char *s = pd_json_dump_pretty(j);
    fputs(s, stdout);
    free(s);
}
