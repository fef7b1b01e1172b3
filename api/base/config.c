/* config.c: XDG base directories and the config file (sections of key = value, file:line errors). */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* $VAR/promptdeck when VAR is an absolute path (XDG says relative ones are ignored),
 * else $HOME/fallback/promptdeck. */
static char *xdg_dir(const char *var, const char *fallback)
{
    pd_buf b = PD_BUF_INIT;
    const char *v = getenv(var);
    if (v && v[0] == '/') {
        pd_buf_printf(&b, "%s/promptdeck", v);
    } else {
        const char *home = getenv("HOME");
        pd_buf_printf(&b, "%s/%s/promptdeck", home && *home ? home : ".", fallback);
    }
    return pd_buf_take(&b);
}

char *pd_config_dir(void) { return xdg_dir("XDG_CONFIG_HOME", ".config"); }
char *pd_state_dir(void) { return xdg_dir("XDG_STATE_HOME", ".local/state"); }
char *pd_data_dir(void) { return xdg_dir("XDG_DATA_HOME", ".local/share"); }
char *pd_cache_dir(void) { return xdg_dir("XDG_CACHE_HOME", ".cache"); }

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static bool key_char_ok(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

static bool name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!key_char_ok(*s))
            return false;
    return true;
}

/* Values may be wrapped in double quotes to keep leading/trailing spaces or a '#'. */
static char *unquote(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v[n - 1] = '\0';
        return v + 1;
    }
    char *hash = strstr(v, " #");
    if (hash)
        *hash = '\0';
    return trim(v);
}

static void add_entry(pd_config *c, const char *section, const char *key, const char *value, int line)
{
    c->entries = pd_xrealloc(c->entries, (c->n + 1) * sizeof *c->entries);
    pd_buf k = PD_BUF_INIT;
    if (section[0])
        pd_buf_printf(&k, "%s.%s", section, key);
    else
        pd_buf_puts(&k, key);
    c->entries[c->n].key = pd_buf_take(&k);
    c->entries[c->n].value = pd_strdup(value);
    c->entries[c->n].line = line;
    c->n++;
}

static void parse_text(pd_config *c, char *text, pd_buf *warn)
{
    char section[128] = "";
    int lineno = 0;
    char *save = NULL;
    for (char *line = text; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end || end[1] != '\0') {
                pd_buf_printf(warn, "%s:%d: a section header needs a closing ']'\n", c->path, lineno);
                continue;
            }
            *end = '\0';
            char *name = trim(s + 1);
            if (!name_ok(name) || strlen(name) >= sizeof section) {
                pd_buf_printf(warn, "%s:%d: bad section name '%s'\n", c->path, lineno, name);
                continue;
            }
            strcpy(section, name);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            pd_buf_printf(warn, "%s:%d: expected 'key = value'\n", c->path, lineno);
            continue;
        }
        *eq = '\0';
        char *key = trim(s);
        if (!name_ok(key)) {
            pd_buf_printf(warn, "%s:%d: bad key name '%s'\n", c->path, lineno, key);
            continue;
        }
        add_entry(c, section, key, unquote(trim(eq + 1)), lineno);
    }
}

int pd_config_load(const char *path, pd_config *out, pd_error *err)
{
    memset(out, 0, sizeof *out);
    char *owned = NULL;
    if (!path) {
        char *dir = pd_config_dir();
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "%s/config", dir);
        free(dir);
        path = owned = pd_buf_take(&b);
    }
    /* the default file is opened without blocking and must be a regular one (a FIFO planted
     * there would hang every command and the app); a file named by --config is the user's choice */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (owned ? O_NONBLOCK : 0));
    struct stat st;
    int e = fd < 0 ? errno : fstat(fd, &st) != 0 ? errno : 0;
    if (!e && owned && !S_ISREG(st.st_mode))
        e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    FILE *f = e ? NULL : fdopen(fd, "r");
    if (!f) {
        e = e ? e : errno;
        if (fd >= 0)
            close(fd);
        int rc = e == ENOENT ? 0
                 : e == EINVAL ? pd_error_set(err, PD_ERR_IO, "%s: not a regular file (a FIFO, device or socket): the config file must be a regular one", path)
                               : pd_error_set(err, PD_ERR_IO, "%s: cannot read the config file: %s", path, strerror(e));
        free(owned);
        return rc;
    }
    if (owned)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    out->path = owned ? owned : pd_strdup(path);
    out->owner_only = (st.st_mode & 077) == 0;
    pd_buf text = PD_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pd_buf_append(&text, chunk, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        pd_buf_free(&text);
        pd_error_set(err, PD_ERR_IO, "%s: read error", out->path);   /* before path (out->path) is freed */
        pd_config_free(out);
        return -1;
    }
    pd_buf warn = PD_BUF_INIT;
    if (text.data)
        parse_text(out, text.data, &warn);
    pd_buf_free(&text);
    out->warnings = warn.len ? pd_buf_take(&warn) : NULL;
    pd_buf_free(&warn);
    return 0;
}

void pd_config_free(pd_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->entries[i].key);
        free(c->entries[i].value);
    }
    free(c->entries);
    free(c->path);
    free(c->warnings);
    memset(c, 0, sizeof *c);
}

static const pd_config_entry *find(const pd_config *c, const char *key)
{
    for (size_t i = c->n; i-- > 0;)
        if (!strcmp(c->entries[i].key, key))
            return &c->entries[i];
    return NULL;
}

const char *pd_config_get(const pd_config *c, const char *key)
{
    const pd_config_entry *e = c ? find(c, key) : NULL;
    return e ? e->value : NULL;
}

int pd_config_line(const pd_config *c, const char *key)
{
    const pd_config_entry *e = c ? find(c, key) : NULL;
    return e ? e->line : 0;
}

int pd_config_get_secret(const pd_config *c, const char *key, const char **out, pd_error *err)
{
    *out = NULL;
    const pd_config_entry *e = c ? find(c, key) : NULL;
    if (!e)
        return 0;
    if (!c->owner_only)
        return pd_error_set(err, PD_ERR_AUTH,
                            "%s:%d: holds a key (%s) but is readable by others; "
                            "run 'chmod 600 %s' (the key was not used)",
                            c->path, e->line, key, c->path);
    *out = e->value;
    return 0;
}

int pd_parse_seconds(const char *what, const char *v, double *out, pd_error *err)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d > 0) || d > 86400)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': give seconds, e.g. 30 or 0.5", what, v);
    *out = d;
    return 0;
}

int pd_parse_size(const char *what, const char *v, size_t *out, pd_error *err)
{
    char *end;
    double d = strtod(v, &end);
    int shift = !*end ? 0 : strchr("kK", *end) ? 10 : strchr("mM", *end) ? 20 : strchr("gG", *end) ? 30 : -1;
    if (end == v || shift < 0 || (*end && end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB")) || !(d >= 1) ||
        d * (double)(1L << shift) > (double)((size_t)1 << 40))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': give a size in bytes, e.g. 65536, 512K or 4M", what, v);
    *out = (size_t)(d * (double)(1L << shift));
    return 0;
}

/* A config value parsed by parse; its error prefixed with FILE:LINE. */
static int get_parsed(const pd_config *c, const char *key, pd_error *err,
                      int (*parse)(const char *, const char *, void *, pd_error *), void *out)
{
    const pd_config_entry *e = c ? find(c, key) : NULL;
    if (!e)
        return 0;
    pd_error perr = {0};
    if (parse(key, e->value, out, &perr) == 0)
        return 0;
    return pd_error_set(err, perr.code, "%s:%d: %s", c->path ? c->path : "config", e->line, perr.msg);
}

static int parse_seconds_any(const char *what, const char *v, void *out, pd_error *err)
{
    return pd_parse_seconds(what, v, out, err);
}

static int parse_size_any(const char *what, const char *v, void *out, pd_error *err)
{
    return pd_parse_size(what, v, out, err);
}

int pd_config_get_seconds(const pd_config *c, const char *key, double *out, pd_error *err)
{
    return get_parsed(c, key, err, parse_seconds_any, out);
}

int pd_config_get_size(const pd_config *c, const char *key, size_t *out, pd_error *err)
{
    return get_parsed(c, key, err, parse_size_any, out);
}
