/* cmd_render.c: `promptdeck render SLUG`: a prompt version's messages rendered with variables
 * (Mustache, no escaping), with library partials; exit 1 listing missing variables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_lib_priv.h"
#include "cli_select_priv.h"
#include "run/run.h"

typedef struct render_args {
    const char *slug, *partials_path;
    cli_selection sel;          /* --version, --label, --var, --vars-file */
    bool lenient, json, list_vars;
} render_args;

static int parse_render_args(int argc, char **argv, render_args *a, pd_error *err)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = cli_select_option(&a->sel, &i, argc, argv, err);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (!strcmp(argv[i], "--json")) {
            a->json = true;
        } else if (!strcmp(argv[i], "--lenient")) {
            a->lenient = true;
        } else if (!strcmp(argv[i], "--list-vars")) {
            a->list_vars = true;
        } else if ((r = cli_take_value("--partials-json", &i, argc, argv, &v)) != 0) {
            if (r < 0)
                return pd_error_set(err, PD_ERR_INVALID_REQUEST, "render: --partials-json needs a file");
            a->partials_path = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "render: unknown option '%s'", argv[i]);
        } else if (!a->slug) {
            a->slug = argv[i];
        } else {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "render: unexpected argument '%s'", argv[i]);
        }
    }
    if (!a->slug)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "render: which prompt? give its SLUG");
    return 0;
}

/* "[role]\ncontent\n" blocks separated by a blank line; placeholders as "[placeholder NAME]". */
static void print_messages(const pd_message *m, size_t n)
{
    bool tty = isatty(STDOUT_FILENO);
    pd_buf b = PD_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            pd_buf_putc(&b, '\n');
        if (m[i].placeholder) {
            pd_buf_puts(&b, "[placeholder ");
            cli_put_safe(&b, m[i].placeholder, false);
            pd_buf_puts(&b, "]\n");
            continue;
        }
        pd_buf_putc(&b, '[');
        cli_put_safe(&b, m[i].role ? m[i].role : "", false);
        pd_buf_puts(&b, "]\n");
        if (tty)
            cli_put_safe(&b, m[i].content, true);
        else
            pd_buf_puts(&b, m[i].content);
        if (b.len && b.data[b.len - 1] != '\n')
            pd_buf_putc(&b, '\n');
    }
    fwrite(pd_buf_str(&b), 1, b.len, stdout);
    pd_buf_free(&b);
}

static int render_version(pd_store *s, const render_args *a, const pd_version *v, pd_error *err)
{
    pd_render_opts o = {a->lenient, pd_store_partial_lookup, s, NULL};
    if (a->partials_path && cli_read_json_file(a->partials_path, &o.partials_json, err) != 0)
        return -1;
    int rc;
    if (a->list_vars) {
        pd_prompt_var *vars = NULL;
        size_t n = 0;
        rc = pd_prompt_variables(v, &o, &vars, &n, err);
        if (rc == 0) {
            json_t *j = pd_prompt_vars_to_json(vars, n);
            cli_print_json(j);
            json_decref(j);
        }
        pd_prompt_var_free(vars, n);
    } else {
        pd_message *out = NULL;
        size_t n = 0;
        rc = pd_prompt_render(v, a->sel.vars, &o, &out, &n, err);
        if (rc == 0 && a->json) {
            json_t *j = json_pack("{s:s, s:i, s:o}", "slug", a->slug, "version", v->number, "messages",
                                  pd_messages_to_json(out, n));
            cli_print_json(j);
            json_decref(j);
        } else if (rc == 0) {
            print_messages(out, n);
        }
        for (size_t i = 0; i < n; i++)
            pd_message_clear(&out[i]);
        free(out);
    }
    json_decref(o.partials_json);
    return rc;
}

int cmd_render(pd_cli *cli, int argc, char **argv)
{
    render_args a;
    memset(&a, 0, sizeof a);
    a.sel.vars = json_object();
    pd_error err = {0};
    int rc = parse_render_args(argc, argv, &a, &err);
    pd_store *s = rc == 0 ? cli_store(cli) : NULL;
    if (rc != 0) {
        json_decref(a.sel.vars);
        return cli_usage_error(NULL, "%s", err.msg);
    }
    if (!s) {
        json_decref(a.sel.vars);
        return PD_EXIT_FAIL;
    }
    pd_version *v = NULL;
    rc = cli_select_version(s, a.slug, a.sel.version, a.sel.label, &v, &err);
    if (rc == 0)
        rc = render_version(s, &a, v, &err);
    pd_version_free(v);
    json_decref(a.sel.vars);
    if (rc != 0) {
        if (err.code == PD_ERR_MISSING_VARIABLES)
            pd_error_prefix(&err, "render %s", a.slug);
        return cli_fail(&err);
    }
    return PD_EXIT_OK;
}
