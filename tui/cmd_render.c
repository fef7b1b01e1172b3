/* cmd_render.c: `promptdeck render SLUG`: a prompt version's messages rendered with variables. */
#include "cli.h"

int cmd_render(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    return cli_usage_error(argv[0], "not implemented yet");
}
