/* cli_select.c: choosing a version by number or label, and variables from --var / --vars-file. */
#include "cli_select_priv.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int cli_select_version(pd_store *s, const char *slug, const char *version, const char *label,
                       pd_version **out, pd_error *err)
{
    *out = NULL;
    if (version && label)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "give --version or --label, not both");
    int number = 0;
    if (version) {
        char *end;
        long n = strtol(version, &end, 10);
        if (end == version || *end || n < 1 || n > 1000000)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--version '%s': not a version number", version);
        number = (int)n;
    } else if (label) {
        pd_prompt *p = NULL;
        if (pd_store_get_prompt(s, slug, &p, err) != 0)
            return -1;
        number = pd_prompt_label_version(p, label);
        pd_prompt_free(p);
        if (number == 0)
            return pd_error_set(err, PD_ERR_NOT_FOUND, "%s: no label '%s'", slug, label);
    }
    return pd_store_get_version(s, slug, number, out, err);
}

int cli_vars_add(json_t *vars, const char *assignment, pd_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--var '%s': write NAME=VALUE", assignment);
    char *name = pd_strndup(assignment, (size_t)(eq - assignment));
    json_object_set_new(vars, name, json_string(eq + 1));
    free(name);
    return 0;
}

int cli_vars_file(json_t *vars, const char *path, pd_error *err)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!j && jerr.line <= 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--vars-file %s: %s", path, jerr.text);
    if (!j)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: must hold a JSON object of variables", path);
    }
    json_object_update(vars, j);
    json_decref(j);
    return 0;
}

int cli_take_value(const char *opt, int *i, int argc, char **argv, const char **out)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *out = argv[++*i];
    return 1;
}

int cli_select_option(cli_selection *sel, int *i, int argc, char **argv, pd_error *err)
{
    const char *opt = argv[*i], *v = NULL;
    int r;
    if ((r = cli_take_value("--version", i, argc, argv, &v)) > 0)
        sel->version = v;
    else if (r == 0 && (r = cli_take_value("--label", i, argc, argv, &v)) > 0)
        sel->label = v;
    else if (r == 0 && (r = cli_take_value("--var", i, argc, argv, &v)) > 0)
        return cli_vars_add(sel->vars, v, err) == 0 ? 1 : -1;
    else if (r == 0 && (r = cli_take_value("--vars-file", i, argc, argv, &v)) > 0)
        return cli_vars_file(sel->vars, v, err) == 0 ? 1 : -1;
    if (r < 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "option '%s' needs a value", opt);
    return r;
}
