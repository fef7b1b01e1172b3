/* cmd_manage.c: `promptdeck delete SLUG --yes`, `rename SLUG NEW`, `label SLUG LABEL VERSION
 * [--expect V|none]`, `unlabel SLUG LABEL [--expect V]`: the commands that take plain positional
 * arguments. */
#include <stdarg.h>
#include <string.h>

#include "cli_lib_priv.h"

/* The store operation's result: prints the error, or the message saying what was done. */
static int done(int rc, const pd_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int done(int rc, const pd_error *err, const char *fmt, ...)
{
    if (rc != 0)
        return cli_fail(err);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return PD_EXIT_OK;
}

int cmd_delete(pd_cli *cli, int argc, char **argv)
{
    bool yes = false;
    int rc = cli_simple_args(argv[0], argc, argv, "yes", &yes, 1, "SLUG --yes");
    if (rc != PD_EXIT_OK)
        return rc;
    const char *slug = argv[optind];
    if (!yes)
        return cli_usage_error(argv[0], "deleting removes every version of %s: add --yes to confirm", slug);
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    return done(pd_store_delete(s, slug, &err), &err, "deleted %s\n", slug);
}

int cmd_rename(pd_cli *cli, int argc, char **argv)
{
    int rc = cli_simple_args(argv[0], argc, argv, NULL, NULL, 2, "SLUG NEW-SLUG");
    if (rc != PD_EXIT_OK)
        return rc;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    const char *from = argv[optind], *to = argv[optind + 1];
    return done(pd_store_rename(s, from, to, &err), &err, "renamed %s to %s\n", from, to);
}

/* Parses [--expect V|none] and want positional arguments. */
static int expect_args(int argc, char **argv, int want, const char *usage, const char **expect)
{
    static const struct option opts[] = {{"expect", required_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
    int c;
    *expect = NULL;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c != 'e')
            return cli_bad_option(argv[0], c, argv);
        *expect = optarg;
    }
    if (argc - optind != want)
        return cli_usage_error(argv[0], "usage: promptdeck %s %s", argv[0], usage);
    return PD_EXIT_OK;
}

/* --expect V: the label must still be on version V (its id: a renumbering does not matter), or
 * with "none" not set, else the move is a CONFLICT. *held keeps the version read. */
static int set_expect(pd_store *s, const char *slug, const char *expect, pd_label_move *m, pd_version **held,
                      pd_error *err)
{
    *held = NULL;
    if (!expect)
        return 0;
    m->check_base = true;
    if (strcmp(expect, "none") == 0)
        return 0;
    long n;
    const char *digits = expect[0] == 'v' ? expect + 1 : expect;
    if (cli_parse_long("--expect", digits, 1, 100000000, &n, err) != 0 ||
        pd_store_get_version(s, slug, (int)n, held, err) != 0)
        return -1;
    m->base_id = (*held)->id;
    return 0;
}

static int move_label(pd_store *s, const char *slug, pd_label_move *m, const char *expect, pd_error *err)
{
    pd_version *held;
    int rc = set_expect(s, slug, expect, m, &held, err);
    if (rc == 0)
        rc = pd_store_move_label(s, slug, m, err);
    pd_version_free(held);
    return rc;
}

int cmd_label(pd_cli *cli, int argc, char **argv)
{
    const char *expect;
    int rc = expect_args(argc, argv, 3, "SLUG LABEL VERSION [--expect V|none]", &expect);
    if (rc != PD_EXIT_OK)
        return rc;
    const char *slug = argv[optind], *label = argv[optind + 1], *vtext = argv[optind + 2];
    pd_error err = {0};
    long version;
    if (cli_parse_long("VERSION", vtext, 1, 100000000, &version, &err) != 0)
        return cli_fail(&err);
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_label_move m = {.label = label, .version = (int)version};
    return done(move_label(s, slug, &m, expect, &err), &err, "%s: %s is on version %s\n", slug, label, vtext);
}

int cmd_unlabel(pd_cli *cli, int argc, char **argv)
{
    const char *expect;
    int rc = expect_args(argc, argv, 2, "SLUG LABEL [--expect V]", &expect);
    if (rc != PD_EXIT_OK)
        return rc;
    pd_error err = {0};
    const char *slug = argv[optind], *label = argv[optind + 1];
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_label_move m = {.label = label};
    return done(move_label(s, slug, &m, expect, &err), &err, "%s: label %s removed\n", slug, label);
}
