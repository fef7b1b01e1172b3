/* cmd_transfer.c: `promptdeck import FILE` and `promptdeck export [SLUG...]` (promptdeck-export
 * JSON, format_version 1, on stdout). */
#include "cli_lib_priv.h"

int cmd_import(pd_cli *cli, int argc, char **argv)
{
    bool json = false;
    int rc = cli_simple_args(argv[0], argc, argv, "json", &json, 1, "FILE [--json]   (FILE - is standard input)");
    if (rc != PD_EXIT_OK)
        return rc;
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
    rc = pd_store_import_json(s, doc, &n, &err);
    json_decref(doc);
    if (json) {
        json_t *j = json_pack("{s:i, s:i, s:i, s:i}", "prompts_created", n.prompts_created, "versions_added",
                              n.versions_added, "versions_skipped", n.versions_skipped, "partial_versions_added",
                              n.partial_versions_added);
        cli_print_json(j);
        json_decref(j);
    } else if (rc == 0 || n.versions_added || n.prompts_created || n.partial_versions_added) {
        printf("imported: %d prompts created, %d versions added, %d versions already there", n.prompts_created,
               n.versions_added, n.versions_skipped);
        printf(n.partial_versions_added ? ", %d partial versions added\n" : "\n", n.partial_versions_added);
    }
    return rc == 0 ? PD_EXIT_OK : cli_fail(&err);
}

int cmd_export(pd_cli *cli, int argc, char **argv)
{
    int rc = cli_simple_args(argv[0], argc, argv, NULL, NULL, -1, "[SLUG...]");
    if (rc != PD_EXIT_OK)
        return rc;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    json_t *doc;
    int left_out = pd_store_export_json(s, (const char *const *)argv + optind, (size_t)(argc - optind), &doc, &err);
    if (left_out < 0)
        return cli_fail(&err);
    cli_print_json(doc);   /* the healthy prompts; those left out are reported after */
    json_decref(doc);
    return left_out ? cli_fail(&err) : PD_EXIT_OK;
}
