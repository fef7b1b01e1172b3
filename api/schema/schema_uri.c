/* schema_uri.c: URI references resolved against a base (RFC 3986 section 5), and JSON pointers. */
#include "schema_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A URI reference cut into its five parts (pointers into the text; NULL when absent). */
typedef struct uri_parts {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
} uri_parts;

static void uri_parse(const char *s, uri_parts *u)
{
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (isalpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            u->scheme = p;
            u->scheme_n = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->auth = p;
        u->auth_n = strcspn(p, "/?#");
        p += u->auth_n;
    }
    u->path = p;
    u->path_n = strcspn(p, "?#");
    p += u->path_n;
    if (*p == '?') {
        u->query = ++p;
        u->query_n = strcspn(p, "#");
        p += u->query_n;
    }
    if (*p == '#') {
        u->frag = p + 1;
        u->frag_n = strlen(p + 1);
    }
}

/* RFC 3986 5.2.4, on a NUL-terminated copy. */
static char *remove_dots(const char *in, size_t n)
{
    char *out = pd_xmalloc(n + 1);
    size_t o = 0, i = 0;
    while (i < n) {
        const char *p = in + i;
        size_t left = n - i;
        if (left >= 3 && !strncmp(p, "../", 3)) {
            i += 3;
        } else if (left >= 2 && !strncmp(p, "./", 2)) {
            i += 2;
        } else if ((left >= 3 && !strncmp(p, "/./", 3)) || (left == 2 && !strncmp(p, "/.", 2))) {
            i += 2;
            if (left == 2) {
                out[o++] = '/';
            }
        } else if ((left >= 4 && !strncmp(p, "/../", 4)) || (left == 3 && !strncmp(p, "/..", 3))) {
            i += 3;
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            if (left == 3)
                out[o++] = '/';
        } else if ((left == 1 && *p == '.') || (left == 2 && !strncmp(p, "..", 2))) {
            i = n;
        } else {
            size_t j = (*p == '/') ? 1 : 0;
            while (j < left && p[j] != '/')
                j++;
            memcpy(out + o, p, j);
            o += j;
            i += j;
        }
    }
    out[o] = '\0';
    return out;
}

char *sc_uri_resolve(const char *base, const char *ref)
{
    if (!base || !*base)
        return pd_strdup(ref);
    uri_parts b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    pd_buf out = PD_BUF_INIT;
    const uri_parts *auth_from = &r, *query_from = &r;
    char *path = NULL;
    if (r.scheme) {
        path = remove_dots(r.path, r.path_n);
    } else if (r.auth) {
        path = remove_dots(r.path, r.path_n);
    } else {
        auth_from = &b;
        if (r.path_n == 0) {
            path = pd_strndup(b.path, b.path_n);
            if (!r.query)
                query_from = &b;
        } else if (r.path[0] == '/') {
            path = remove_dots(r.path, r.path_n);
        } else {
            pd_buf m = PD_BUF_INIT;
            if (b.auth && b.path_n == 0) {
                pd_buf_putc(&m, '/');
            } else {
                size_t k = b.path_n;
                while (k > 0 && b.path[k - 1] != '/')
                    k--;
                pd_buf_append(&m, b.path, k);
            }
            pd_buf_append(&m, r.path, r.path_n);
            path = remove_dots(pd_buf_str(&m), m.len);
            pd_buf_free(&m);
        }
    }
    const uri_parts *scheme_from = r.scheme ? &r : &b;
    if (scheme_from->scheme) {
        pd_buf_append(&out, scheme_from->scheme, scheme_from->scheme_n);
        pd_buf_putc(&out, ':');
    }
    if (auth_from->auth) {
        pd_buf_puts(&out, "//");
        pd_buf_append(&out, auth_from->auth, auth_from->auth_n);
    }
    pd_buf_puts(&out, path);
    free(path);
    if (query_from->query) {
        pd_buf_putc(&out, '?');
        pd_buf_append(&out, query_from->query, query_from->query_n);
    }
    if (r.frag) {
        pd_buf_putc(&out, '#');
        pd_buf_append(&out, r.frag, r.frag_n);
    }
    return pd_buf_take(&out);
}

const char *sc_uri_split(const char *uri, char **abs)
{
    const char *hash = strchr(uri, '#');
    *abs = hash ? pd_strndup(uri, (size_t)(hash - uri)) : pd_strdup(uri);
    return hash ? hash + 1 : NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *sc_pct_decode(const char *s)
{
    pd_buf out = PD_BUF_INIT;
    pd_buf_puts(&out, "");
    for (const char *p = s; *p; p++) {
        if (*p != '%') {
            pd_buf_putc(&out, *p);
            continue;
        }
        int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
        if (lo < 0) {
            pd_buf_free(&out);
            return NULL;
        }
        pd_buf_putc(&out, (char)(hi * 16 + lo));
        p += 2;
    }
    return pd_buf_take(&out);
}

/* One reference token of a pointer (up to the next '/'), unescaped into tok. False when a '~'
 * is not followed by 0 or 1. */
static bool pointer_token(const char *p, size_t n, pd_buf *tok)
{
    pd_buf_reset(tok);
    pd_buf_puts(tok, "");
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '~') {
            pd_buf_putc(tok, p[i]);
        } else if (i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
            pd_buf_putc(tok, p[i + 1] == '0' ? '~' : '/');
            i++;
        } else {
            return false;
        }
    }
    return true;
}

static bool array_index(const char *s, size_t n, size_t *out)
{
    if (n == 0 || (n > 1 && s[0] == '0') || n > 18)
        return false;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

const json_t *sc_pointer_get(const json_t *root, const char *ptr)
{
    const json_t *cur = root;
    pd_buf tok = PD_BUF_INIT;
    const char *p = ptr;
    while (cur && *p) {
        if (*p != '/') {
            cur = NULL;
            break;
        }
        p++;
        size_t n = strcspn(p, "/");
        size_t idx;
        if (!pointer_token(p, n, &tok))
            cur = NULL;
        else if (json_is_object(cur))
            cur = json_object_getn(cur, tok.data, tok.len);
        else if (json_is_array(cur) && array_index(tok.data, tok.len, &idx))
            cur = json_array_get(cur, idx);
        else
            cur = NULL;
        p += n;
    }
    pd_buf_free(&tok);
    return cur;
}

void sc_pointer_push(pd_buf *b, const char *key, size_t len)
{
    pd_buf_putc(b, '/');
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '~')
            pd_buf_puts(b, "~0");
        else if (key[i] == '/')
            pd_buf_puts(b, "~1");
        else
            pd_buf_putc(b, key[i]);
    }
}
