/* cmd_manage.c: `promptdeck delete SLUG --yes`, `rename SLUG NEW`, `label SLUG LABEL VERSION`,
 * `unlabel SLUG LABEL`: the commands that take plain positional arguments. */
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

int cmd_label(pd_cli *cli, int argc, char **argv)
{
    int rc = cli_simple_args(argv[0], argc, argv, NULL, NULL, 3, "SLUG LABEL VERSION");
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
    return done(pd_store_set_label(s, slug, label, (int)version, &err), &err, "%s: %s is on version %s\n", slug,
                label, vtext);
}

int cmd_unlabel(pd_cli *cli, int argc, char **argv)
{
    int rc = cli_simple_args(argv[0], argc, argv, NULL, NULL, 2, "SLUG LABEL");
    if (rc != PD_EXIT_OK)
        return rc;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    const char *slug = argv[optind], *label = argv[optind + 1];
    return done(pd_store_remove_label(s, slug, label, &err), &err, "%s: label %s removed\n", slug, label);
}
