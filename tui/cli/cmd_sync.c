/* cmd_sync.c: `promptdeck sync [--no-push | --check] [--json]` (the library with its git upstream),
 * `promptdeck fix` (numbers two versions share after a plain git merge) and `promptdeck
 * migrate` (format 1 to 2): each says what it did, a line each. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_lib_priv.h"

static void print_report(const pd_store_report *r)
{
    pd_buf out = PD_BUF_INIT;
    for (size_t i = 0; i < r->n; i++) {
        cli_put_safe(&out, r->notes[i], false);
        pd_buf_putc(&out, '\n');
    }
    fputs(pd_buf_str(&out), stdout);
    pd_buf_free(&out);
}

static void print_report_json(const pd_store_report *r)
{
    json_t *notes = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(notes, json_string(r->notes[i]));
    json_t *o = json_pack("{s:b, s:b, s:b, s:i, s:i, s:o}", "committed", r->committed > 0, "pulled", r->pulled,
                          "pushed", r->pushed, "renumbered", r->renumbered, "lost_moves", r->lost_moves, "notes",
                          notes);
    if (r->news.at)   /* a sync that recorded what came in (not fix or migrate) */
        json_object_set_new(o, "incoming", pd_sync_news_to_json(&r->news));
    cli_print_json(o);
    json_decref(o);
}

/* Says what was done (also before a failure: what was done until then), then the error. */
static int finish(int rc, pd_store_report *r, const pd_error *err, bool json)
{
    if (json)
        print_report_json(r);
    else
        print_report(r);
    pd_store_report_free(r);
    return rc == 0 ? PD_EXIT_OK : cli_fail(err);
}

static void say_step(void *ud, const char *step)
{
    (void)ud;
    fprintf(stderr, "promptdeck: %s...\n", step);
}

int cmd_sync(pd_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"no-push", no_argument, NULL, 'n'},
        {"check", no_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    pd_sync_opts o = {0};
    bool json = false;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.no_push = true; break;
        case 'c': o.check = true; break;
        case 'j': json = true; break;
        default: return cli_bad_option(argv[0], c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "sync takes no arguments (the library is --library DIR)");
    if (o.check && o.no_push)
        return cli_usage_error(argv[0], "--check only fetches: it takes no --no-push");
    if (isatty(STDERR_FILENO))
        o.progress = say_step;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_store_report r = {0};
    pd_error err = {0};
    return finish(pd_store_sync(s, &o, &r, &err), &r, &err, json);
}

/* fix and migrate: no options but --json. */
static int simple(pd_cli *cli, int argc, char **argv, int (*fn)(pd_store *, pd_store_report *, pd_error *))
{
    bool json = false;
    int rc = cli_simple_args(argv[0], argc, argv, "json", &json, 0, "[--json]");
    if (rc != PD_EXIT_OK)
        return rc;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_store_report r = {0};
    pd_error err = {0};
    return finish(fn(s, &r, &err), &r, &err, json);
}

int cmd_fix(pd_cli *cli, int argc, char **argv)
{
    return simple(cli, argc, argv, pd_store_fix);
}

int cmd_migrate(pd_cli *cli, int argc, char **argv)
{
    return simple(cli, argc, argv, pd_store_migrate);
}
