/* run_prices.c: the price table (data/prices.tsv and the user's own) and the cost of a run's tokens. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "provider/provider.h"
#include "run.h"

typedef struct price {
    char *provider, *model;    /* model: a name, or a prefix when prefix is set (written "name*") */
    bool prefix;
    double input, output;      /* US dollars per million tokens */
} price;

struct pd_prices {
    price *v;
    size_t n;
};

pd_prices *pd_prices_new(void)
{
    return pd_xcalloc(1, sizeof(pd_prices));
}

void pd_prices_free(pd_prices *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].provider);
        free(p->v[i].model);
    }
    free(p->v);
    free(p);
}

/* A price: a number of dollars, not negative. */
static bool parse_price(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == '\0' && *out >= 0 && *out < 1e6;
}

/* One line: PROVIDER MODEL INPUT OUTPUT (tabs or spaces), or a comment or nothing. Returns the
 * problem, or NULL. */
static const char *add_line(pd_prices *p, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *f[5];
    size_t n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < 5; tok = strtok(NULL, " \t\r\n"))
        f[n++] = tok;
    if (n == 0)
        return NULL;
    if (n != 4)
        return "write PROVIDER MODEL INPUT OUTPUT (dollars per million tokens)";
    double in, out;
    if (!parse_price(f[2], &in) || !parse_price(f[3], &out))
        return "the prices must be numbers of dollars per million tokens, e.g. 2.50";
    p->v = pd_xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    price *e = &p->v[p->n++];
    size_t len = strlen(f[1]);
    e->prefix = len > 0 && f[1][len - 1] == '*';
    e->provider = pd_strdup(f[0]);
    e->model = pd_strndup(f[1], e->prefix ? len - 1 : len);
    e->input = in;
    e->output = out;
    return NULL;
}

int pd_prices_add_file(pd_prices *p, const char *path, pd_buf *warnings, pd_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return pd_error_set(err, errno == ENOENT ? PD_ERR_NOT_FOUND : PD_ERR_IO, "cannot read the price table %s: %s",
                            path, strerror(errno));
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *problem = add_line(p, line);
        if (problem && warnings)
            pd_buf_printf(warnings, "%s:%d: %s\n", path, lineno, problem);
    }
    fclose(f);
    return 0;
}

/* dir/name. Caller frees. */
static char *path_in(const char *dir, const char *name)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", dir, name);
    return pd_buf_take(&b);
}

/* The shipped table: PROMPTDECK_PRICES, else next to the program (installed:
 * ../share/promptdeck; the source tree: ../data, data), else the usual prefixes. NULL when none
 * is found. Caller frees. */
static char *shipped_path(void)
{
    const char *env = getenv("PROMPTDECK_PRICES");
    if (env && *env)
        return pd_strdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const rel[] = {"../share/promptdeck/prices.tsv", "../data/prices.tsv", "data/prices.tsv"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char *path = path_in(exe, rel[i]);
            if (access(path, R_OK) == 0)
                return path;
            free(path);
        }
    }
    static const char *const fixed[] = {"/usr/local/share/promptdeck/prices.tsv", "/usr/share/promptdeck/prices.tsv"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (access(fixed[i], R_OK) == 0)
            return pd_strdup(fixed[i]);
    return NULL;
}

/* Adds path's prices; a file that is not there adds nothing (and says nothing unless named). */
static void add_optional(pd_prices *p, const char *path, bool named, pd_buf *warnings)
{
    pd_error err = {0};
    if (path && pd_prices_add_file(p, path, warnings, &err) != 0 && (named || err.code != PD_ERR_NOT_FOUND) && warnings)
        pd_buf_printf(warnings, "%s\n", err.msg);
}

pd_prices *pd_prices_load(const pd_config *cfg, pd_buf *warnings)
{
    pd_prices *p = pd_prices_new();
    char *shipped = shipped_path();
    add_optional(p, shipped, getenv("PROMPTDECK_PRICES") != NULL, warnings);
    free(shipped);
    char *dir = pd_config_dir();
    char *own = dir ? path_in(dir, "prices.tsv") : NULL;
    add_optional(p, own, false, warnings);
    free(own);
    free(dir);
    add_optional(p, cfg ? pd_config_get(cfg, "prices.file") : NULL, true, warnings);
    return p;
}

bool pd_prices_cost(const pd_prices *p, const char *provider, const char *model, long in, long out, double *cost)
{
    if (!p || !provider || !model || in < 0 || out < 0)
        return false;
    const pd_provider_info *known = pd_provider_find(provider, NULL);
    if (known)
        provider = known->name;   /* gemini is google */
    if (strncmp(model, "models/", 7) == 0)
        model += 7;
    const price *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < p->n; i++) {
        const price *e = &p->v[i];
        size_t len = strlen(e->model);
        bool match = strcmp(e->provider, provider) == 0 &&
                     (e->prefix ? strncmp(model, e->model, len) == 0 : strcmp(model, e->model) == 0);
        /* the longest match wins, a name over a prefix of the same length, a later line on a tie */
        size_t rank = 2 * len + (e->prefix ? 0 : 1);
        if (match && (!best || rank >= best_len)) {
            best = e;
            best_len = rank;
        }
    }
    if (!best)
        return false;
    *cost = ((double)in * best->input + (double)out * best->output) / 1e6;
    return true;
}
