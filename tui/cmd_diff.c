/* cmd_diff.c: placeholder until its owner lands the real commands. */
#include "cli.h"

int cmd_diff(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}
