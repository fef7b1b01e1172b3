/* cmd_partial.c: `promptdeck partial list [--json] | show NAME [--version N] [--json] |
 * put NAME (--file F | --content TEXT) [--commit-message M]`: snippets used as {{> NAME}}. */
#include <stdlib.h>
#include <string.h>

#include "cli_lib_priv.h"

enum { P_JSON = 'j', P_VERSION = 'v', P_FILE = 'f', P_CONTENT = 'c', P_COMMIT = 'm' };

typedef struct partial_opts {
    bool json;
    long version;
    const char *file, *content, *commit_message;
} partial_opts;

static int parse(int argc, char **argv, partial_opts *o, int want_args, const char *usage)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, P_JSON}, {"version", required_argument, NULL, P_VERSION},
        {"file", required_argument, NULL, P_FILE}, {"content", required_argument, NULL, P_CONTENT},
        {"commit-message", required_argument, NULL, P_COMMIT}, {NULL, 0, NULL, 0},
    };
    pd_error err = {0};
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case P_JSON: o->json = true; break;
        case P_VERSION:
            if (cli_parse_long("--version", optarg, 1, 100000000, &o->version, &err) != 0)
                return cli_fail(&err);
            break;
        case P_FILE: o->file = optarg; break;
        case P_CONTENT: o->content = optarg; break;
        case P_COMMIT: o->commit_message = optarg; break;
        default: return cli_bad_option("partial", c, argv);
        }
    }
    if (argc - optind != want_args)
        return cli_usage_error("partial", "usage: promptdeck partial %s", usage);
    return PD_EXIT_OK;
}

static int partial_list(pd_store *s, const partial_opts *o)
{
    char **names = NULL;
    size_t n = 0;
    pd_error err = {0};
    if (pd_store_list_partials(s, &names, &n, &err) != 0)
        return cli_fail(&err);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        pd_partial *p = NULL;
        pd_error perr = {0};
        if (pd_store_get_partial(s, names[i], 0, &p, &perr) == 0) {
            json_array_append_new(arr, json_pack("{s:s, s:i, s:s?}", "name", p->name, "current_version", p->version,
                                                 "updated_at", p->created_at));
            if (!o->json) {   /* names come from the folder: made safe as list's table */
                pd_buf b = PD_BUF_INIT;
                cli_put_safe(&b, p->name, false);
                printf("%-24s v%-4d %.10s\n", pd_buf_str(&b), p->version, p->created_at ? p->created_at : "");
                pd_buf_free(&b);
            }
        } else {
            json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "name", names[i], "damaged", 1, "damage", perr.msg));
            if (!o->json) {
                pd_buf b = PD_BUF_INIT, nb = PD_BUF_INIT;
                cli_put_safe(&b, perr.msg, false);
                cli_put_safe(&nb, names[i], false);
                printf("%-24s DAMAGED: %s\n", pd_buf_str(&nb), pd_buf_str(&b));
                pd_buf_free(&b);
                pd_buf_free(&nb);
            }
        }
        pd_partial_free(p);
        free(names[i]);
    }
    free(names);
    if (o->json)
        cli_print_json(arr);
    json_decref(arr);
    return PD_EXIT_OK;
}

static int partial_show(pd_store *s, const char *name, const partial_opts *o)
{
    pd_partial *p = NULL;
    pd_error err = {0};
    if (pd_store_get_partial(s, name, (int)o->version, &p, &err) != 0)
        return cli_fail(&err);
    if (o->json) {
        json_t *j = pd_partial_to_json(p);
        cli_print_json(j);
        json_decref(j);
    } else {
        pd_buf b = PD_BUF_INIT;
        cli_put_safe(&b, p->content, true);
        fputs(pd_buf_str(&b), stdout);
        if (b.len && b.data[b.len - 1] != '\n')
            putchar('\n');
        pd_buf_free(&b);
    }
    pd_partial_free(p);
    return PD_EXIT_OK;
}

static int partial_put(pd_store *s, const char *name, const partial_opts *o)
{
    pd_error err = {0};
    if (!o->file == !o->content)
        return cli_usage_error("partial", "put: give --file F or --content TEXT");
    char *content = NULL;
    size_t len = 0;
    if (o->file && pd_read_file(o->file, &content, &len, &err) != 0)
        return cli_fail(&err);
    if (o->file && strlen(content) != len) {
        free(content);
        return cli_usage_error("partial", "%s: contains NUL bytes", o->file);
    }
    int version = 0;
    int rc = pd_store_put_partial(s, name, content ? content : o->content, o->commit_message, &version, &err);
    free(content);
    if (rc != 0)
        return cli_fail(&err);
    if (o->json) {
        json_t *j = json_pack("{s:s, s:o}", "name", name, "new_version", version ? json_integer(version) : json_null());
        cli_print_json(j);
        json_decref(j);
    } else if (version) {
        printf("partial %s: saved version %d\n", name, version);
    } else {
        printf("partial %s: no new version: the content equals the latest\n", name);
    }
    return PD_EXIT_OK;
}

int cmd_partial(pd_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(argv[0], "give list, show NAME or put NAME");
    const char *sub = argv[1];
    bool list = strcmp(sub, "list") == 0, show = strcmp(sub, "show") == 0, put = strcmp(sub, "put") == 0;
    if (!list && !show && !put)
        return cli_usage_error(argv[0], "unknown '%s': give list, show NAME or put NAME", sub);
    partial_opts o = {0};
    int rc = parse(argc - 1, argv + 1, &o, list ? 0 : 1,
                   list ? "list [--json]" : show ? "show NAME [--version N] [--json]"
                                                 : "put NAME (--file F | --content TEXT) [--commit-message M]");
    if (rc != PD_EXIT_OK)
        return rc;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    const char *name = list ? NULL : argv[1 + optind];
    return list ? partial_list(s, &o) : show ? partial_show(s, name, &o) : partial_put(s, name, &o);
}
