/* cli_select.c: choosing a version by number or label, variables from --var / --vars-file, and option values read from files (@FILE, @-). */
#include "cli_select_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
        if (strlen(version) >= 6 && strspn(version, "0123456789abcdefghjkmnpqrstvwxyz") == strlen(version) &&
            (end == version || *end))   /* an id (or its start): where two versions share a number */
            return pd_store_get_version_id(s, slug, version, out, err);
        if (end == version || *end || n < 1 || n > 1000000)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--version '%s': not a version number or id", version);
        number = (int)n;
    } else if (label) {   /* by the label's version id: never ambiguous */
        return pd_store_get_label_version(s, slug, label, out, err);
    }
    return pd_store_get_version(s, slug, number, out, err);
}

int cli_read_all(const char *path, char **out, size_t *len, pd_error *err)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return pd_error_set(err, PD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    size_t cap = (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) ? (size_t)st.st_size + 1 : 65536;
    char *buf = pd_xmalloc_big(cap);
    size_t n = 0, got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = pd_xrealloc(buf, cap *= 2);
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        return pd_error_set(err, PD_ERR_IO, "cannot read %s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int cli_value_text(const char *v, char **out, pd_error *err)
{
    *out = NULL;
    if (v[0] != '@' || v[1] == '@') {   /* "@@..." is the text "@..." */
        *out = pd_strdup(v[0] == '@' ? v + 1 : v);
        return 0;
    }
    if (!v[1])
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "'@' names a file: write @FILE, @- for standard input, or @@ for a text starting with @");
    size_t len;
    if (cli_read_all(strcmp(v + 1, "-") == 0 ? "-" : v + 1, out, &len, err) != 0)
        return -1;
    if (strlen(*out) != len || !pd_utf8_valid(*out, len)) {
        free(*out);
        *out = NULL;
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is not UTF-8 text", strcmp(v + 1, "-") ? v + 1 : "standard input");
    }
    return 0;
}

int cli_vars_add(json_t *vars, const char *assignment, pd_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "--var '%s': write NAME=VALUE", assignment);
    char *value;
    if (cli_value_text(eq + 1, &value, err) != 0)
        return -1;
    char *name = pd_strndup(assignment, (size_t)(eq - assignment));
    json_object_set_new(vars, name, json_string(value));
    free(name);
    free(value);
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
