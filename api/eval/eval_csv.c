/* eval_csv.c: promptfoo's CSV tests (RFC 4180): the header names the columns, each row is a case;
 * a column is a variable unless it is one of promptfoo's __ columns: __expected, __expectedN
 * (promptfoo's one-line assertions), __description, __threshold, __metric, __metadata:<key>. */
#include "eval_priv.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct csv_row {
    char **cells;
    size_t n;
    int line;            /* where the row starts */
} csv_row;

typedef struct csv {
    const char *p, *end;
    int line;
    const char *where;
    pd_error *err;
} csv;

static void row_clear(csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i]);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

static void row_add(csv_row *r, pd_buf *cell)
{
    r->cells = pd_xrealloc(r->cells, (r->n + 1) * sizeof *r->cells);
    pd_buf_append(cell, "", 0);
    r->cells[r->n++] = pd_buf_take(cell);
}

/* At a line end (\n, \r\n or \r): moves past it. */
static bool line_end(csv *c)
{
    if (c->p < c->end && *c->p == '\r') {
        c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return true;
    }
    if (c->p < c->end && *c->p == '\n') {
        c->p++;
        c->line++;
        return true;
    }
    return false;
}

/* A quoted field, at its opening quote. */
static int quoted_field(csv *c, pd_buf *cell)
{
    int opened = c->line;
    for (c->p++;; c->p++) {
        if (c->p >= c->end)
            return pd_error_set(c->err, PD_ERR_DAMAGED, "%s:%d: a quoted field is never closed", c->where, opened);
        if (*c->p == '"') {
            if (c->p + 1 < c->end && c->p[1] == '"') {
                pd_buf_putc(cell, '"');
                c->p++;
                continue;
            }
            c->p++;
            if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                return pd_error_set(c->err, PD_ERR_DAMAGED,
                                    "%s:%d: a quoted field must end at its closing quote (a comma or the line's end next)",
                                    c->where, c->line);
            return 0;
        }
        if (*c->p == '\n' || (*c->p == '\r' && (c->p + 1 >= c->end || c->p[1] != '\n')))
            c->line++;
        pd_buf_putc(cell, *c->p);
    }
}

/* One row into r. false at the end of the text. -1 on error (via *rc). */
static bool next_row(csv *c, csv_row *r, int *rc)
{
    *rc = 0;
    memset(r, 0, sizeof *r);
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r'))   /* empty lines are skipped */
        line_end(c);
    if (c->p >= c->end)
        return false;
    r->line = c->line;
    pd_buf cell = PD_BUF_INIT;
    for (;;) {
        pd_buf_reset(&cell);
        if (c->p < c->end && *c->p == '"') {
            if (quoted_field(c, &cell) != 0) {
                *rc = -1;
                break;
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                pd_buf_putc(&cell, *c->p++);
        }
        if (!pd_utf8_valid(pd_buf_str(&cell), cell.len)) {
            *rc = pd_error_set(c->err, PD_ERR_DAMAGED, "%s:%d: field %zu is not UTF-8 text", c->where, c->line,
                               r->n + 1);
            break;
        }
        row_add(r, &cell);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        line_end(c);
        break;
    }
    pd_buf_free(&cell);
    if (*rc != 0)
        row_clear(r);
    return *rc == 0;
}

/* ---- columns ---- */
typedef enum {
    COL_VAR, COL_EXPECTED, COL_DESCRIPTION, COL_THRESHOLD, COL_METRIC, COL_METADATA, COL_METADATA_LIST,
    COL_IGNORED
} col_kind;

typedef struct column {
    char *name;          /* trimmed header */
    col_kind kind;
    const char *key;     /* COL_METADATA*: the key (inside name) */
    size_t key_len;
} column;

static char *trim_dup(const char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return pd_strndup(s, n);
}

static void classify(column *col, const char *where, int line, pd_buf *warnings)
{
    const char *n = col->name;
    col->kind = COL_VAR;
    if (eval_str_starts(n, "__expected"))
        col->kind = COL_EXPECTED;
    else if (!strcmp(n, "__description"))
        col->kind = COL_DESCRIPTION;
    else if (!strcmp(n, "__threshold"))
        col->kind = COL_THRESHOLD;
    else if (!strcmp(n, "__metric"))
        col->kind = COL_METRIC;
    else if (eval_str_starts(n, "__metadata:") && n[11]) {
        col->key = n + 11;
        col->key_len = strlen(col->key);
        col->kind = COL_METADATA;
        if (col->key_len > 2 && !strcmp(col->key + col->key_len - 2, "[]")) {
            col->key_len -= 2;
            col->kind = COL_METADATA_LIST;
        }
    } else if (!strcmp(n, "__metadata") || !strcmp(n, "__prefix") || !strcmp(n, "__suffix") ||
               !strcmp(n, "__providerOutput") || eval_str_starts(n, "__config:") || eval_str_starts(n, "__metadata:")) {
        col->kind = COL_IGNORED;
        if (warnings)
            pd_buf_printf(warnings, "%s:%d: column \"%s\" is not supported; ignored\n", where, line, n);
    } else if (n[0] == '_' && n[1] != '_' && (eval_str_starts(n, "_expected") || eval_str_starts(n, "_description") ||
                                              eval_str_starts(n, "_threshold") || eval_str_starts(n, "_metadata"))) {
        if (warnings)
            pd_buf_printf(warnings, "%s:%d: column \"%s\" is a variable; did you mean \"_%s\"?\n", where, line, n, n);
    }
}

static int read_header(csv *c, column **cols, size_t *n, pd_buf *warnings)
{
    csv_row h;
    int rc;
    if (!next_row(c, &h, &rc))
        return rc != 0 ? -1 : pd_error_set(c->err, PD_ERR_DAMAGED, "%s:1: no header row", c->where);
    *cols = pd_xcalloc(h.n, sizeof **cols);
    *n = h.n;
    for (size_t i = 0; i < h.n; i++) {
        column *col = &(*cols)[i];
        col->name = trim_dup(h.cells[i]);
        if (!*col->name) {
            rc = pd_error_set(c->err, PD_ERR_DAMAGED, "%s:%d: column %zu has no name", c->where, h.line, i + 1);
            break;
        }
        for (size_t k = 0; k < i; k++) {
            if (!strcmp((*cols)[k].name, col->name)) {
                rc = pd_error_set(c->err, PD_ERR_DAMAGED, "%s:%d: column \"%s\" is named twice", c->where, h.line,
                                  col->name);
                break;
            }
        }
        if (rc != 0)
            break;
        classify(col, c->where, h.line, warnings);
    }
    row_clear(&h);
    return rc;
}

static void columns_free(column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cols[i].name);
    free(cols);
}

/* metadata[key] = value (a list for "key[]": split at commas, "\," kept as a comma). */
static void put_metadata(pd_eval_case *c, const column *col, const char *value)
{
    if (!*value)
        return;
    if (!c->extra)
        c->extra = json_object();
    json_t *meta = json_object_get(c->extra, "metadata");
    if (!meta) {
        meta = json_object();
        json_object_set_new(c->extra, "metadata", meta);
    }
    char *key = pd_strndup(col->key, col->key_len);
    if (col->kind == COL_METADATA) {
        json_object_set_new(meta, key, json_string(value));
    } else {
        json_t *list = json_array();
        pd_buf item = PD_BUF_INIT;
        for (const char *p = value;; p++) {
            if (*p == '\\' && p[1] == ',') {
                pd_buf_putc(&item, ',');
                p++;
            } else if (*p == ',' || !*p) {
                pd_buf_append(&item, "", 0);
                char *t = trim_dup(item.data);
                json_array_append_new(list, json_string(t));
                free(t);
                pd_buf_reset(&item);
                if (!*p)
                    break;
            } else {
                pd_buf_putc(&item, *p);
            }
        }
        pd_buf_free(&item);
        json_object_set_new(meta, key, list);
    }
    free(key);
}

/* A finite number filling the whole (trimmed) text. */
static bool parse_number(const char *s, double *out)
{
    char *t = trim_dup(s), *end;
    bool ok = *t && !strpbrk(t, "xXnN") && (*out = strtod(t, &end), !*end) && isfinite(*out);
    free(t);
    return ok;
}

static int row_case(csv *c, const column *cols, const csv_row *r, pd_eval_case *out, pd_buf *warnings)
{
    pd_eval_case_init(out);
    const char *metric = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const column *col = &cols[i];
        const char *v = r->cells[i];
        switch (col->kind) {
        case COL_VAR:
            json_object_set_new(out->vars, col->name, json_string(v));
            break;
        case COL_EXPECTED: {
            char *t = trim_dup(v);
            pd_eval_assertion a;
            pd_error aerr = {0};
            int rc = *t ? pd_eval_assertion_from_string(t, &a, &aerr) : 1;
            free(t);
            if (rc == 0) {
                pd_eval_case_add_assertion(out, &a);
            } else if (rc < 0 && aerr.code == PD_ERR_INVALID_REQUEST) {
                if (warnings)
                    pd_buf_printf(warnings, "%s:%d: column %s: %s; skipped\n", c->where, r->line, col->name, aerr.msg);
            } else if (rc < 0) {
                pd_eval_case_clear(out);
                return pd_error_set(c->err, PD_ERR_DAMAGED, "%s:%d: column %s: %s", c->where, r->line, col->name,
                                    aerr.msg);
            }
            break;
        }
        case COL_DESCRIPTION:
            if (*v) {
                free(out->description);
                out->description = pd_strdup(v);
            }
            break;
        case COL_THRESHOLD:
            if (parse_number(v, &out->threshold))
                out->has_threshold = true;
            else if (*v && warnings)
                pd_buf_printf(warnings, "%s:%d: __threshold \"%s\" is not a number; ignored\n", c->where, r->line, v);
            break;
        case COL_METRIC:
            metric = *v ? v : NULL;
            break;
        case COL_METADATA:
        case COL_METADATA_LIST:
            put_metadata(out, col, v);
            break;
        case COL_IGNORED:
            break;
        }
    }
    for (size_t i = 0; metric && i < out->n_asserts; i++) {
        free(out->asserts[i].metric);
        out->asserts[i].metric = pd_strdup(metric);
    }
    return 0;
}

int pd_eval_import_csv(const char *text, size_t len, const char *where, pd_eval_suite *out, pd_buf *warnings,
                       pd_error *err)
{
    csv c = {text, text + len, 1, where ? where : "tests.csv", err};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    column *cols = NULL;
    size_t n_cols = 0;
    if (read_header(&c, &cols, &n_cols, warnings) != 0) {
        columns_free(cols, n_cols);
        return -1;
    }
    pd_eval_suite got = {0};
    csv_row r;
    int rc = 0;
    while (next_row(&c, &r, &rc)) {
        if (r.n != n_cols) {
            rc = pd_error_set(err, PD_ERR_DAMAGED, "%s:%d: %zu fields, but the header names %zu columns", c.where,
                              r.line, r.n, n_cols);
        } else {
            pd_eval_case k;
            rc = row_case(&c, cols, &r, &k, warnings);
            if (rc == 0)
                pd_eval_suite_add(&got, &k);
        }
        row_clear(&r);
        if (rc != 0)
            break;
    }
    for (size_t i = 0; rc == 0 && i < got.n; i++)
        pd_eval_suite_add(out, &got.cases[i]);
    pd_eval_suite_clear(&got);
    columns_free(cols, n_cols);
    return rc;
}
