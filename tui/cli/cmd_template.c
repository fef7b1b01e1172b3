/* cmd_template.c: `promptdeck template render|vars`: the Mustache engine on stdin, for tests,
 * scripts and the spec (prompt rendering, `promptdeck render`, is in cmd_render.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_lib_priv.h"
#include "template/template.h"

/* Reads all of stdin (NUL bytes included). Caller frees. */
static char *read_stdin(size_t *len)
{
    pd_buf b = PD_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        pd_buf_append(&b, chunk, n);
    *len = b.len;
    return pd_buf_take(&b);
}

/* Loads a JSON file (any JSON value). NULL with a message on stderr when it cannot. */
static json_t *load_json_file(const char *cmd, const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j)
        cli_eprintf("promptdeck: %s: %s:%d:%d: %s\n", cmd, path, je.line, je.column, je.text);
    return j;
}

static int template_render(int argc, char **argv)
{
    const char *data_path = NULL, *partials_path = NULL;
    pd_tpl_render_opts o;
    memset(&o, 0, sizeof o);
    o.escape = PD_ESCAPE_HTML;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--data") && i + 1 < argc) {
            data_path = argv[++i];
        } else if (!strcmp(a, "--partials-json") && i + 1 < argc) {
            partials_path = argv[++i];
        } else if (!strcmp(a, "--escape") && i + 1 < argc) {
            const char *e = argv[++i];
            if (strcmp(e, "html") && strcmp(e, "none"))
                return cli_usage_error("template render", "--escape takes html or none, not '%s'", e);
            o.escape = strcmp(e, "html") ? PD_ESCAPE_NONE : PD_ESCAPE_HTML;
        } else if (!strcmp(a, "--lenient")) {
            o.lenient = true;
        } else {
            return cli_usage_error("template render", "unexpected argument '%s'", a);
        }
    }
    json_t *data = data_path ? load_json_file("template render", data_path) : json_object();
    if (!data)
        return PD_EXIT_USAGE;
    if (partials_path) {
        o.partials_json = load_json_file("template render", partials_path);
        if (!json_is_object(o.partials_json)) {
            if (o.partials_json)
                cli_eprintf("promptdeck: template render: %s: expected an object of name -> template\n",
                            partials_path);
            json_decref(o.partials_json);
            json_decref(data);
            return PD_EXIT_USAGE;
        }
    }
    size_t len;
    char *src = read_stdin(&len);
    pd_error err = {0};
    pd_tpl_parse_opts po = {o.lenient, 0, "stdin"};
    pd_tpl *t = pd_tpl_parse(src, len, &po, &err);
    pd_buf out = PD_BUF_INIT;
    int rc = t ? pd_tpl_render(t, data, &o, &out, &err) : -1;
    if (rc == 0 && out.len) {   /* exactly the result, but never raw controls on a terminal */
        cli_write_text(stdout, out.data, out.len);
        if (ferror(stdout))
            rc = pd_error_set(&err, PD_ERR_IO, "template render: cannot write the output");
    }
    pd_buf_free(&out);
    pd_tpl_free(t);
    free(src);
    json_decref(data);
    json_decref(o.partials_json);
    if (rc != 0) {
        cli_print_error(&err);
        return cli_exit_code(&err);
    }
    return PD_EXIT_OK;
}

static int template_vars(int argc, char **argv)
{
    pd_tpl_parse_opts po = {false, 0, "stdin"};
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--lenient"))
            po.lenient = true;
        else
            return cli_usage_error("template vars", "unexpected argument '%s'", argv[i]);
    }
    size_t len;
    char *src = read_stdin(&len);
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src, len, &po, &err);
    free(src);
    if (!t) {
        cli_print_error(&err);
        return cli_exit_code(&err);
    }
    pd_tpl_var_list l = {0};
    pd_tpl_variables(t, &l);
    json_t *j = pd_tpl_var_list_to_json(&l);
    cli_print_json(j);
    json_decref(j);
    pd_tpl_var_list_free(&l);
    pd_tpl_free(t);
    return PD_EXIT_OK;
}

int cmd_template(pd_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc >= 2 && !strcmp(argv[1], "render"))
        return template_render(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "vars"))
        return template_vars(argc, argv);
    return cli_usage_error("template", "expected 'template render --data DATA.json [--partials-json P.json] "
                                       "[--escape html|none] [--lenient] < TEMPLATE' or 'template vars [--lenient] < TEMPLATE'");
}
