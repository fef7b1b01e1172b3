/* json_pos.c: parsing JSON files with "file:line" errors, and finding the line of a value by path.
 * jansson reports positions for syntax errors only; once parsed, values carry no position. To
 * say on which line a wrongly typed field is, this walks the (already valid) text by hand. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *pd_json_parse_src(const pd_json_src *src, pd_error *err)
{
    json_error_t je;
    json_t *j = json_loadb(src->text ? src->text : "", src->text ? src->len : 0, JSON_REJECT_DUPLICATES, &je);
    if (j)
        return j;
    if (json_error_code(&je) == json_error_invalid_utf8)
        pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: invalid UTF-8 (column %d)", src->where, je.line > 0 ? je.line : 1,
                     je.column);
    else
        pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %s", src->where, je.line > 0 ? je.line : 1, je.text);
    return NULL;
}

typedef struct scan {
    const char *p, *end;
    int line;
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) {
        if (*s->p == '\n')
            s->line++;
        s->p++;
    }
}

/* At an opening quote: moves past the closing one; start and len give the raw contents. */
static void skip_string(scan *s, const char **start, size_t *len)
{
    s->p++;
    const char *b = s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\' && s->p + 1 < s->end)
            s->p++;
        s->p++;
    }
    if (start)
        *start = b;
    if (len)
        *len = (size_t)(s->p - b);
    if (s->p < s->end)
        s->p++;
}

static void skip_value(scan *s)
{
    skip_ws(s);
    if (s->p >= s->end)
        return;
    if (*s->p == '"') {
        skip_string(s, NULL, NULL);
        return;
    }
    if (*s->p == '{' || *s->p == '[') {
        int depth = 0;
        while (s->p < s->end) {
            char c = *s->p;
            if (c == '"') {
                skip_string(s, NULL, NULL);
                continue;
            }
            if (c == '\n')
                s->line++;
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0) {
                s->p++;
                return;
            }
            s->p++;
        }
        return;
    }
    while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
        s->p++;
}

/* Skips ',' between members or elements; false at the closing bracket. */
static int next_item(scan *s)
{
    skip_ws(s);
    if (s->p < s->end && *s->p == ',') {
        s->p++;
        skip_ws(s);
        return 1;
    }
    return 0;
}

static int find_path(scan *s, const char *path)
{
    skip_ws(s);
    if (*path == '.')
        path++;
    if (!*path || s->p >= s->end)
        return s->line;
    int here = s->line;
    if (*path == '[') {
        char *rest;
        long want = strtol(path + 1, &rest, 10);
        if (*s->p != '[' || *rest != ']')
            return here;
        s->p++;
        skip_ws(s);
        for (long i = 0; s->p < s->end && *s->p != ']'; i++) {
            if (i == want)
                return find_path(s, rest + 1);
            skip_value(s);
            if (!next_item(s))
                break;
        }
        return here;
    }
    size_t klen = strcspn(path, ".[");
    if (*s->p != '{')
        return here;
    s->p++;
    skip_ws(s);
    while (s->p < s->end && *s->p == '"') {
        const char *k;
        size_t n;
        skip_string(s, &k, &n);
        skip_ws(s);
        if (s->p < s->end && *s->p == ':')
            s->p++;
        if (n == klen && memcmp(k, path, n) == 0)
            return find_path(s, path + klen);
        skip_value(s);
        if (!next_item(s))
            break;
    }
    return here;
}

int pd_json_path_line(const char *text, size_t len, const char *path)
{
    if (!text)
        return 0;
    scan s = {text, text + len, 1};
    return find_path(&s, path ? path : "");
}

int pd_json_src_error(const pd_json_src *src, const char *path, pd_error *err, const char *fmt, ...)
{
    char what[PD_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *where = src && src->where ? src->where : "JSON";
    int line = src ? pd_json_path_line(src->text, src->len, path) : 0;
    const char *sep = path && *path ? ": " : "";
    if (line > 0)
        return pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %s%s%s", where, line, path ? path : "", sep, what);
    return pd_error_set(err, PD_ERR_DAMAGED, "%s: %s%s%s", where, path ? path : "", sep, what);
}
