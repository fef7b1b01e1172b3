/* cli_lib.c: helpers shared by the library commands: safe text in columns, option values, JSON. */
#include "cli_lib_priv.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/base.h"

#include "diff/diff.h"

int cli_term_width(void)
{
    struct winsize ws;
    int w = 0;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        w = ws.ws_col;
    if (w <= 0) {
        const char *c = getenv("COLUMNS");
        w = c ? atoi(c) : 0;
    }
    if (w <= 0)
        w = 80;
    return w < 40 ? 40 : w;
}

bool cli_is_terminal(FILE *f)
{
    static int known[3] = {-1, -1, -1};   /* stdin, stdout, stderr */
    int fd = fileno(f);
    if (fd < 0)
        return false;
    if (fd > 2)
        return isatty(fd) == 1;
    if (known[fd] < 0)
        known[fd] = isatty(fd) == 1;
    return known[fd] == 1;
}

void cli_write_text(FILE *f, const char *s, size_t n)
{
    if (!cli_is_terminal(f)) {
        fwrite(s, 1, n, f);
        return;
    }
    pd_buf b = PD_BUF_INIT;
    pd_text_sanitize(&b, s, n, true);
    fwrite(pd_buf_str(&b), 1, b.len, f);
    pd_buf_free(&b);
}

void cli_oprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_buf text = PD_BUF_INIT;
    pd_buf_vprintf(&text, fmt, ap);
    va_end(ap);
    cli_write_text(stdout, pd_buf_str(&text), text.len);
    pd_buf_free(&text);
}

void cli_eprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_buf text = PD_BUF_INIT, b = PD_BUF_INIT;
    pd_buf_vprintf(&text, fmt, ap);
    va_end(ap);
    pd_text_sanitize(&b, text.data ? text.data : "", text.len, true);
    fputs(pd_buf_str(&b), stderr);
    pd_buf_free(&b);
    pd_buf_free(&text);
}

void cli_print_json_line(json_t *j, size_t flags)
{
    char *s = json_dumps(j, flags | JSON_COMPACT);
    if (!s)
        return;
    pd_buf b = PD_BUF_INIT;
    pd_json_escape_controls(&b, s, strlen(s));
    pd_buf_putc(&b, '\n');
    fputs(pd_buf_str(&b), stdout);
    pd_buf_free(&b);
    free(s);
}

void cli_put_safe(pd_buf *out, const char *s, bool keep_newlines)
{
    if (s)
        pd_text_sanitize(out, s, strlen(s), keep_newlines);
}

/* Width of one UTF-8 character of already safe text (what the terminal is given as is; a tab
 * counts one); *len gets its byte length. Widths follow the user's LC_CTYPE (wcwidth). */
static int char_width(const char *s, size_t *len)
{
    static bool locale_set;
    if (!locale_set) {
        setlocale(LC_CTYPE, "");
        locale_set = true;
    }
    uint32_t cp;
    *len = pd_utf8_next(s, strlen(s), &cp, NULL);
    int w = pd_cp_width(cp);
    return w < 0 ? 1 : w;
}

int cli_text_width(const char *s)
{
    pd_buf safe = PD_BUF_INIT;
    cli_put_safe(&safe, s, false);
    int w = 0;
    for (const char *p = pd_buf_str(&safe); *p;) {
        size_t len;
        w += char_width(p, &len);
        p += len;
    }
    pd_buf_free(&safe);
    return w;
}

void cli_put_fit(pd_buf *out, const char *s, int width, bool pad)
{
    pd_buf safe = PD_BUF_INIT;
    cli_put_safe(&safe, s ? s : "", false);
    for (size_t i = 0; i < safe.len; i++)   /* one line in a column: a tab is one blank */
        if (safe.data[i] == '\t')
            safe.data[i] = ' ';
    const char *p = pd_buf_str(&safe);
    int used = 0, total = cli_text_width(p);
    if (total <= width) {
        pd_buf_puts(out, p);
        used = total;
    } else if (width > 0) {
        while (*p) {
            size_t len;
            int w = char_width(p, &len);
            if (used + w > width - 1)
                break;
            pd_buf_append(out, p, len);
            used += w;
            p += len;
        }
        pd_buf_putc(out, '~');
        used++;
    }
    while (pad && used < width) {
        pd_buf_putc(out, ' ');
        used++;
    }
    pd_buf_free(&safe);
}

int cli_parse_long(const char *opt, const char *s, long min, long max, long *out, pd_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < min || v > max)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': expected a whole number from %ld to %ld", opt, s,
                            min, max);
    *out = v;
    return 0;
}

int cli_parse_double(const char *opt, const char *s, double min, double max, double *out, pd_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < min || v > max)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': expected a number from %g to %g", opt, s, min,
                            max);
    *out = v;
    return 0;
}

int cli_read_json_file(const char *path, json_t **out, pd_error *err)
{
    json_error_t je;
    bool in = strcmp(path, "-") == 0;
    *out = in ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);
    if (*out)
        return 0;
    const char *name = in ? "<stdin>" : path;
    if (je.line <= 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: %s", name, je.text);
    return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s:%d:%d: %s", name, je.line, je.column, je.text);
}

json_t *cli_version_json(const pd_prompt *p, const pd_version *v)
{
    json_t *vj = pd_version_to_json(v);
    json_t *o = json_object();
    json_object_set(o, "version", json_object_get(vj, "version"));
    json_t *labels = json_array();
    for (size_t i = 0; i < p->n_labels; i++)
        if (pd_label_is_on(&p->labels[i], v))
            json_array_append_new(labels, json_string(p->labels[i].name));
    json_object_set_new(o, "labels", labels);
    const char *k;
    json_t *val;
    json_object_foreach(vj, k, val)
        if (strcmp(k, "version") != 0)
            json_object_set(o, k, val);
    json_decref(vj);
    if (v->id) {   /* identity: the number may change in a sync while the version is not pushed */
        json_object_set_new(o, "id", json_string(v->id));
        json_object_set_new(o, "parent", v->parent ? json_string(v->parent) : json_null());
    }
    return o;
}

char *cli_version_labels(const pd_prompt *p, const pd_version *v)
{
    pd_buf b = PD_BUF_INIT;
    for (size_t i = 0; i < p->n_labels; i++)
        if (pd_label_is_on(&p->labels[i], v))
            pd_buf_printf(&b, "%s%s", b.len ? ", " : "", p->labels[i].name);
    return pd_buf_take(&b);
}

int cli_fail(const pd_error *err)
{
    cli_print_error(err);
    return cli_exit_code(err);
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", arg);
    if (optopt && optopt != '?')
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

void cli_getopt_reset(void)
{
    optind = 0;
    opterr = 0;
}

int cli_simple_args(const char *cmd, int argc, char **argv, const char *flag, bool *flag_set, int want,
                    const char *usage)
{
    const struct option opts[] = {{flag ? flag : "", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", flag ? opts : opts + 1, NULL)) != -1) {
        if (c != 'f' || !flag_set)
            return cli_bad_option(cmd, c, argv);
        *flag_set = true;
    }
    if (want >= 0 && argc - optind != want)
        return cli_usage_error(cmd, "usage: promptdeck %s %s", cmd, usage);
    return PD_EXIT_OK;
}
