/* eval_src.c: where decoded text came from, so that errors and warnings say
 * "FILE:LINE: path.to.field: what" for a JSON file and a YAML file alike. */
#include "eval_priv.h"

#include <stdarg.h>
#include <stdio.h>

int eval_src_line(const eval_src *src, const char *path)
{
    if (!src)
        return 0;
    if (src->yaml)
        return eval_yaml_path_line(src->yaml, path);
    if (src->json)
        return pd_json_path_line(src->json->text, src->json->len, path);
    return 0;
}

/* "WHERE:LINE: PATH: what" into b. */
static void format_at(pd_buf *b, const eval_src *src, const char *path, const char *fmt, va_list ap)
{
    const char *where = src && src->where ? src->where : "tests";
    int line = eval_src_line(src, path);
    if (line > 0)
        pd_buf_printf(b, "%s:%d: ", where, line);
    else
        pd_buf_printf(b, "%s: ", where);
    if (path && *path)
        pd_buf_printf(b, "%s: ", path);
    pd_buf_vprintf(b, fmt, ap);
}

int eval_src_error(const eval_src *src, const char *path, pd_error *err, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    format_at(&b, src, path, fmt, ap);
    va_end(ap);
    pd_error_set(err, PD_ERR_DAMAGED, "%s", pd_buf_str(&b));
    pd_buf_free(&b);
    return -1;
}

void eval_src_warn(const eval_src *src, const char *path, pd_buf *warnings, const char *fmt, ...)
{
    if (!warnings)
        return;
    va_list ap;
    va_start(ap, fmt);
    format_at(warnings, src, path, fmt, ap);
    va_end(ap);
    pd_buf_putc(warnings, '\n');
}

void eval_path_key(char *out, const char *path, const char *key)
{
    if (snprintf(out, EVAL_PATH_MAX, "%s%s%s", path, *path ? "." : "", key) >= EVAL_PATH_MAX)
        out[EVAL_PATH_MAX - 1] = '\0';   /* a very long path is cut: it only names the place */
}

void eval_path_index(char *out, const char *path, size_t i)
{
    if (snprintf(out, EVAL_PATH_MAX, "%s[%zu]", path, i) >= EVAL_PATH_MAX)
        out[EVAL_PATH_MAX - 1] = '\0';
}
