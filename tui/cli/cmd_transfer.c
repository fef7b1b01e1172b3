/* cmd_transfer.c: `promptdeck import FILE` and `promptdeck export [SLUG...]` (promptdeck-export
 * JSON, format_version 1, on stdout). */
#include "cli_lib_priv.h"

#include <stdlib.h>
#include <string.h>

#include "template/template.h"

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

/* Adds to names (an object used as a set) the partials the strings in j name ({{> name}},
 * {{< parent}}; name@3 is name). false when one names a partial from a variable ({{>*var}}):
 * then any partial may be used. */
static bool collect_partials(json_t *j, json_t *names)
{
    if (json_is_object(j) || json_is_array(j)) {
        const char *key;
        json_t *v;
        size_t i;
        bool all_known = true;
        if (json_is_object(j)) {
            json_object_foreach(j, key, v) all_known &= collect_partials(v, names);
        } else {
            json_array_foreach(j, i, v) all_known &= collect_partials(v, names);
        }
        return all_known;
    }
    const char *text = json_string_value(j);
    if (!text || !strstr(text, "{{"))
        return true;
    for (const char *p = strstr(text, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *q = p + 2;
        if (*q != '>')
            continue;
        q += strspn(q + 1, " \t") + 1;
        if (*q == '*')
            return false;
    }
    pd_tpl_parse_opts po = {.lenient = true};
    pd_tpl *t = pd_tpl_parse(text, strlen(text), &po, NULL);
    if (!t)
        return true;
    char **used;
    size_t n = pd_tpl_partial_names(t, &used);
    for (size_t i = 0; i < n; i++) {
        char *at = strrchr(used[i], '@');
        if (at && at != used[i] && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1))
            *at = '\0';
        json_object_set_new(names, used[i], json_true());
    }
    pd_tpl_names_free(used, n);
    pd_tpl_free(t);
    return true;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Exports the slugs with the partials they use, and those partials use, and so on: one more
 * round while the partials found name more. */
static int export_with_used_partials(pd_store *s, pd_export_opts *o, json_t **doc, pd_store_report *left,
                                     pd_error *err)
{
    json_t *names = json_object();
    o->select_partials = true;
    int rc;
    for (;;) {
        const char **list = pd_xcalloc(json_object_size(names) + 1, sizeof *list);
        const char *key;
        json_t *v;
        o->n_partials = 0;
        json_object_foreach(names, key, v) list[o->n_partials++] = key;
        qsort(list, o->n_partials, sizeof *list, cmp_name);   /* in name order, as all of them are */
        o->partials = list;
        pd_store_report_free(left);
        *left = (pd_store_report){0};
        rc = pd_store_export(s, o, doc, left, err);
        free(list);
        o->partials = NULL;
        if (rc < 0)
            break;
        size_t had = json_object_size(names);
        bool known = collect_partials(json_object_get(*doc, "prompts"), names) &&
                     collect_partials(json_object_get(*doc, "partials"), names);
        if (!known) {   /* a partial named by a variable: any of them */
            o->select_partials = false;
            json_decref(*doc);
            pd_store_report_free(left);
            *left = (pd_store_report){0};
            rc = pd_store_export(s, o, doc, left, err);
            break;
        }
        if (json_object_size(names) == had)
            break;
        json_decref(*doc);
    }
    json_decref(names);
    return rc;
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
    json_t *doc = NULL;
    pd_store_report left = {0};
    pd_export_opts o = {.slugs = (const char *const *)argv + optind, .n_slugs = (size_t)(argc - optind)};
    /* named prompts: with the partials they use; the whole library: with all of them */
    int left_out = o.n_slugs ? export_with_used_partials(s, &o, &doc, &left, &err)
                             : pd_store_export(s, &o, &doc, &left, &err);
    if (left_out < 0) {
        pd_store_report_free(&left);
        return cli_fail(&err);
    }
    cli_print_json(doc);   /* the healthy prompts and partials; those left out are said after */
    json_decref(doc);
    for (size_t i = 0; i < left.n; i++)
        cli_eprintf("promptdeck: %s\n", left.notes[i]);
    pd_store_report_free(&left);
    return left_out ? PD_EXIT_FAIL : PD_EXIT_OK;
}
