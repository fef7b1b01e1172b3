/* cmd_transfer.c: `promptdeck import FILE` and `promptdeck export [SLUG...]` (promptdeck-export
 * JSON, format_version 1, on stdout). */
#include "cli_lib.h"

int cmd_import(pd_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    bool json = false;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c != 'j')
            return cli_bad_option(argv[0], c, argv);
        json = true;
    }
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "give one FILE (- for standard input)");
    pd_error err = {0};
    json_t *doc;
    if (cli_read_json_file(argv[optind], &doc, &err) != 0)
        return cli_fail(&err);
    pd_store *s = cli_store(cli);
    if (!s) {
        json_decref(doc);
        return PD_EXIT_USAGE;
    }
    pd_import_counts n = {0};
    int rc = pd_store_import_json(s, doc, &n, &err);
    json_decref(doc);
    if (json) {
        json_t *j = json_pack("{s:i, s:i, s:i}", "prompts_created", n.prompts_created, "versions_added",
                              n.versions_added, "versions_skipped", n.versions_skipped);
        cli_print_json(j);
        json_decref(j);
    } else if (rc == 0 || n.versions_added || n.prompts_created) {
        printf("imported: %d prompts created, %d versions added, %d versions already there\n", n.prompts_created,
               n.versions_added, n.versions_skipped);
    }
    return rc == 0 ? PD_EXIT_OK : cli_fail(&err);
}

int cmd_export(pd_cli *cli, int argc, char **argv)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", none, NULL)) != -1)
        return cli_bad_option(argv[0], c, argv);
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    json_t *doc;
    if (pd_store_export_json(s, (const char *const *)argv + optind, (size_t)(argc - optind), &doc, &err) != 0)
        return cli_fail(&err);
    cli_print_json(doc);
    json_decref(doc);
    return PD_EXIT_OK;
}
