/* cmd_library.c: placeholder until its owner lands the real commands. */
#include "cli.h"

int cmd_create(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_update(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_delete(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_rename(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_label(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_unlabel(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_import(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_export(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}

int cmd_partial(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}
