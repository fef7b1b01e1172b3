/* app_main.c: placeholder until its owner lands the real commands. */
#include "cli.h"

int app_main(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0] ? argv[0] : "app", "not implemented yet");
}
