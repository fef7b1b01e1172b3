/* cli.c: the subcommand table and helpers shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_lib_priv.h"
#include "eval/eval.h"

/* Options more than one command takes, written once. */
#define EDIT_ARGS                                                                                              \
    "--name=text --description=text --tag=tag --model=text --provider=provider --message=text "                \
    "--message-file=text --messages-file=file --placeholder=text --temperature=text --max-output-tokens=text " \
    "--top-p=text --stop=text --extra=text --tools-file=file --output-schema-file=file --commit-message=text --json"
#define SELECT_ARGS "--version=version --label=label --var=text --vars-file=file"

const char pd_global_args[] = "--library=library --theme=file --config=file --help -h --version -V";
const char pd_app_args[] = "--no-mouse --script=file --size=text --dump=dir";

const pd_cmd pd_commands[] = {
    {"list", cmd_list, "list [--json] [--tag T] [--label L] [QUERY]",
     "Lists the prompts (slug, current version, last change, name, labels). QUERY matches\n"
     "slug, name, description and tags.\n"
     "  --tag T      only prompts tagged T        --label L   only prompts with label L\n"
     "  --json       a JSON array of prompts (see promptdeck(1))\n",
     "--json --tag=tag --label=any-label text"},
    {"show", cmd_show, "show SLUG [--version N | --label L] [--json]",
     "Shows one version of a prompt (default: the current one): messages and settings.\n"
     "  --version N  that version                 --label L   the version label L is on\n"
     "  --json       the version as JSON, messages included\n",
     "--version=version --label=label --json slug"},
    {"versions", cmd_versions, "versions SLUG [--json]",
     "Lists a prompt's versions, newest first: number, date, author, labels, commit message.\n"
     "  --json       a JSON array of versions with their numbers, oldest first\n",
     "--json slug"},
    {"create", cmd_create, "create SLUG --name NAME --model M --provider P [--message ROLE=TEXT]... [options]",
     "Creates a prompt with its version 1.\n"
     "  --name NAME  --description D  --tag T (repeatable)\n"
     "  --model M  --provider openai|anthropic|google|NAME\n"
     "  --message ROLE=TEXT (repeatable; roles: system developer user assistant tool)\n"
     "  --message-file ROLE=FILE  --messages-file F.json  --placeholder NAME (history slot)\n"
     "  --temperature X  --max-output-tokens N  --top-p X  --stop S (repeatable)\n"
     "  --extra JSON  --tools-file F.json  --output-schema-file F.json\n"
     "  --commit-message TEXT  --json (prints {\"slug\", \"version\"})\n",
     EDIT_ARGS " text"},
    {"update", cmd_update, "update SLUG [--base-version N] [options of create]",
     "Changes a prompt. New messages or settings create the next version; name, description\n"
     "or tags alone create none; content equal to the current version creates nothing.\n"
     "  --base-version N   refuse (CONFLICT, exit 1) if someone saved after version N\n"
     "  --unset FIELD      clear a setting: temperature, max-output-tokens, top-p, stop, extra,\n"
     "                     tools, output-schema      --no-tags  drop every tag\n"
     "  and every option of create\n",
     EDIT_ARGS " --base-version=version --no-tags "
     "--unset=temperature|max-output-tokens|top-p|stop|extra|tools|output-schema slug"},
    {"delete", cmd_delete, "delete SLUG --yes", "Deletes a prompt with all its versions and runs. --yes is required.\n",
     "--yes slug"},
    {"rename", cmd_rename, "rename SLUG NEW-SLUG", "Moves a prompt to a new slug, keeping its id, versions and labels.\n",
     "slug text"},
    {"label", cmd_label, "label SLUG LABEL VERSION [--expect V|none]",
     "Puts LABEL (production, staging, any name) on VERSION, taking it off any other version:\n"
     "promote and rollback.\n"
     "  --expect V   refuse (CONFLICT, exit 1) unless LABEL is still on version V (none: not set),\n"
     "               as when you looked\n",
     "--expect=version slug any-label version"},
    {"unlabel", cmd_unlabel, "unlabel SLUG LABEL [--expect V]", "Removes LABEL from the prompt.\n"
     "  --expect V   refuse (CONFLICT, exit 1) unless LABEL is still on version V\n",
     "--expect=version slug label"},
    {"import", cmd_import, "import FILE [--json]",
     "Imports a promptdeck-export JSON document (FILE - reads stdin), keeping version numbers,\n"
     "dates, authors, settings, tags and labels. Versions already present are skipped; a\n"
     "different content under an existing number leaves that prompt alone (exit 1).\n"
     "  --json       {\"prompts_created\", \"versions_added\", \"versions_skipped\"}\n",
     "--json file"},
    {"export", cmd_export, "export [SLUG...]", "Prints the prompts (all when none are named) as a promptdeck-export JSON document.\n",
     "slug..."},
    {"partial", cmd_partial, "partial list | show NAME [--version N] | put NAME (--file F | --content TEXT)",
     "Partials are named, versioned snippets used in templates as {{> NAME}}.\n"
     "  list [--json]   show NAME [--version N] [--json]\n"
     "  put NAME (--file F | --content TEXT) [--commit-message TEXT] [--json]\n"
     "                  (a new version only when the text changed)\n",
     "--json --version=partial-version --file=file --content=text --commit-message=text list|show|put partial"},
    {"render", cmd_render, "render SLUG [--version N | --label L] [--var k=v]... [--vars-file F.json] [--lenient] [--json]",
     "Renders a version's messages with variables (Mustache, no HTML escaping).\n"
     "  --version N | --label L   --var NAME=VALUE (repeatable)  --vars-file F.json\n"
     "  --partials-json F.json    partials by name, looked up before the library's\n"
     "  --lenient    missing variables render empty; unreadable tags stay literal text\n"
     "  --json       {\"slug\", \"version\", \"messages\"}   --list-vars  the variables as JSON\n"
     "Missing variables are listed (name, message, line) and the exit status is 1.\n",
     SELECT_ARGS " --partials-json=file --lenient --json --list-vars slug"},
    {"template", cmd_template, "template render [--data DATA.json] [--partials-json P.json] [--escape html|none] [--lenient] < TEMPLATE | template vars",
     "  template render --data DATA.json [--partials-json P.json] [--escape html|none] [--lenient]\n"
     "      renders the Mustache template on stdin and prints exactly the result\n"
     "      (default escaping: html, as the Mustache spec)\n"
     "  template vars [--lenient] < TEMPLATE\n"
     "      lists the variables the template uses, as JSON\n",
     "--data=file --partials-json=file --escape=html|none --lenient render|vars"},
    {"diff", cmd_diff, "diff SLUG V1 V2 | diff --files A B", NULL,
     "--files>file -U=text --unified=text --minimal -u --heuristic --word --char -y --side-by-side --all "
     "--width=text -W=text slug ref ref"},
    {"run", cmd_run, "run SLUG [--version N | --label L] [--var k=v]... [--provider P] [--model M] [--base-url URL] [--json] [--dry-run]"
     " | run SLUG --continue RUN-ID [--message TEXT] [--tool-result ID=@FILE]...",
     "Runs a version against its model and streams the answer to stdout; the run is recorded.\n"
     "  --version N | --label L   --var NAME=VALUE (repeatable)  --vars-file F.json\n"
     "           (VALUE @FILE: the file's text, @-: standard input, @@...: a text starting with @)\n"
     "  --provider openai|anthropic|google  --model M  --base-url URL\n"
     "  --temperature X  --max-output-tokens N  --connect-timeout S  --idle-timeout S\n"
     "  --timeout S  the whole run at most (default 600)\n"
     "  --max-answer SIZE  the answer kept at most (default 4M; 512K, 65536 ...)\n"
     "  --json   one JSON event per line (delta, tool_call, retry, usage, done, error)\n"
     "  --dry-run  prints the request (POST URL, headers with the key redacted, the JSON body)\n"
     "           and sends nothing (with --json: {\"method\", \"url\", \"headers\", \"body\"})\n"
     "  --continue RUN-ID|last  sends that run's conversation again with the next turn:\n"
     "           --message TEXT, and --tool-result CALL-ID=TEXT|@FILE|@- for each call it made\n"
     "Keys: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY), or the\n"
     "config file (mode 600). Exit 1 when the run fails, after printing what arrived; exit 3\n"
     "when the answer arrived but did not finish cleanly (cut at the token limit, blocked by a\n"
     "filter or refused, ended abnormally: finish length, content_filter or error) or was cut at\n"
     "--max-answer. The key is never shown nor recorded: where the answer holds it, [redacted].\n",
     SELECT_ARGS " --provider=provider --model=text --base-url=text --temperature=text "
     "--max-output-tokens=text --connect-timeout=text --idle-timeout=text --timeout=text --max-answer=text --json --dry-run --continue=run "
     "--message=text --tool-result=text slug"},
    {"runs", cmd_runs, "runs SLUG [--json] | runs SLUG RUN-ID",
     "Lists a prompt's recorded runs, newest first, or shows one run.\n",
     "--json slug run"},
    {"eval", cmd_eval, "eval SLUG [--version N | --label L]... [--model PROVIDER:MODEL]... [--tests FILE] [--json]"
     " | eval import SLUG FILE | eval --list [SLUG] | eval --compare A B",
     "Runs the prompt's test cases (DIR/prompts/SLUG/tests.json) against versions x models and\n"
     "grades the answers with their assertions (promptfoo's); results are kept (outside the library).\n"
     "  --version N | --label L   columns (repeatable; default: the current version)\n"
     "  --model PROVIDER:MODEL    each version on this model too (repeatable; default: its own)\n"
     "  --tests FILE    promptfoo YAML/JSON/CSV or a tests.json instead of the prompt's cases\n"
     "  --repeat N  --concurrency N (requests in flight, default 4)  --base-url URL\n"
     "  --no-cache      ask every time (answers are otherwise reused for identical requests)\n"
     "  --judge SLUG    the prompt judging llm-rubric assertions (given {{rubric}}, {{output}})\n"
     "  --json          {\"summary\", \"columns\", \"results\"} (see promptdeck(1))\n"
     "  import SLUG FILE   adds promptfoo test cases (YAML, JSON or CSV) to the prompt's\n"
     "  --list [SLUG]      kept evaluations    --compare A B   what changed from A to B\n"
     "Exit 0 when every case passed, 1 when one failed (compare: a regression), 2 on errors.\n",
     "--version=version --label=label --model=text --tests=file --repeat=text --concurrency=text --no-cache "
     "--base-url=text --judge=slug --json --list --compare slug slug file"},
    {"merge", cmd_merge, "merge SLUG A B [--dry-run]", NULL, "--dry-run slug ref ref"},
    {"sync", cmd_sync, "sync [--no-push | --check] [--json]",
     "Synchronizes the library with its git upstream (the library is a git work tree or a folder\n"
     "inside one): commits the library's changes (its files only), fetches and merges the\n"
     "upstream, renumbers your versions not pushed yet after the upstream's (and says so), says\n"
     "which of your label moves lost to a later one, and pushes. Without an upstream: commits.\n"
     "  --no-push    stop after the merge        --json  what was done, as JSON\n"
     "  --check      only fetch, and say (and mark in the app) which prompts the upstream changed\n",
     "--no-push --check --json"},
    {"fix", cmd_fix, "fix [--json]",
     "Renumbers versions that share a number (two clones merged with plain git) by sync's rule:\n"
     "the upstream's versions keep their numbers, yours not pushed yet follow the highest (without\n"
     "an upstream, the one made first keeps it). Labels stay on their versions.\n",
     "--json"},
    {"migrate", cmd_migrate, "migrate [--json]",
     "Upgrades a format 1 library (v0001.json files) to format 2 in place; the first change\n"
     "made with this promptdeck does it too.\n",
     "--json"},
    {"__complete", cmd_complete, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static void print_notice(void *ud, const char *message)
{
    (void)ud;
    cli_eprintf("promptdeck: %s\n", message);
}

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
    } else {
        pd_store_set_notice(cli->store, print_notice, NULL);   /* a format upgrade says so */
        pd_store_set_settle(cli->store, pd_eval_tests_settle, NULL);   /* tests.json git left in conflict */
        pd_store_recover(cli->store);   /* a sync killed part-way: no half-merged file is read */
        /* a format 1 library is upgraded once, here, before any screen is drawn; where it cannot
         * be written it is still read as it is */
        pd_error up = {0};
        if (pd_store_format(cli->store) < 2 && pd_store_migrate(cli->store, NULL, &up) != 0)
            cli_eprintf("promptdeck: %s is in format 1 and could not be upgraded (%s): read as it is\n",
                        pd_store_dir(cli->store), up.msg);
    }
    return cli->store;
}

void cli_print_error(const pd_error *err)
{
    cli_eprintf("promptdeck: %s\n", err->msg[0] ? err->msg : pd_code_name(err->code));
}

int cli_exit_code(const pd_error *err)
{
    return err->code == PD_ERR_INVALID_REQUEST ? PD_EXIT_USAGE : PD_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    pd_buf b = PD_BUF_INIT;   /* the message echoes arguments: made safe as a whole */
    if (cmd)
        pd_buf_printf(&b, "%s: ", cmd);
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cli_eprintf("promptdeck: %s\nTry 'promptdeck --help' for more information.\n", pd_buf_str(&b));
    pd_buf_free(&b);
    return PD_EXIT_USAGE;
}

void cli_print_json(json_t *j)
{
    char *s = pd_json_dump_pretty(j);
    pd_buf b = PD_BUF_INIT;   /* no raw control, on a terminal or not */
    pd_json_escape_controls(&b, s, strlen(s));
    fputs(pd_buf_str(&b), stdout);
    pd_buf_free(&b);
    free(s);
}
