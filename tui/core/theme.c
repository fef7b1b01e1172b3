/* theme.c: loads theme files (see theme.h for the format) into color pairs and attributes,
 * with a 256 -> 8 color fallback and NO_COLOR / monochrome handling. */
#include "core.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/base.h"

typedef struct color {
    int c256;          /* -1 = the terminal's default */
    int c8;
} color;

typedef struct style_def {
    color fg, bg;
    attr_t attrs;
} style_def;

struct pd_theme {
    char *name;
    style_def def[PD_STYLE__COUNT];
    attr_t attr[PD_STYLE__COUNT];
};

static const char *const style_names[] = {
#define PD_X_NAME(id, name, def) name,
    PD_STYLES(PD_X_NAME)
#undef PD_X_NAME
};
static const char *const style_builtin[] = {
#define PD_X_DEFAULT(id, name, def) def,
    PD_STYLES(PD_X_DEFAULT)
#undef PD_X_DEFAULT
};

static const char *const basic_names[] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

int pd_style_by_name(const char *name)
{
    for (int i = 0; i < PD_STYLE__COUNT; i++)
        if (strcmp(style_names[i], name) == 0)
            return i;
    return -1;
}

/* The xterm palette's RGB for color n (0..255). */
static void xterm_rgb(int n, int rgb[3])
{
    static const int base[16][3] = {{0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
                                    {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
                                    {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
                                    {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255}};
    if (n < 16) {
        memcpy(rgb, base[n], sizeof base[n]);
    } else if (n < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        n -= 16;
        rgb[0] = lv[n / 36];
        rgb[1] = lv[(n / 6) % 6];
        rgb[2] = lv[n % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + (n - 232) * 10;
    }
}

static int nearest(const int rgb[3], int first, int last)
{
    int best = first;
    long bestd = -1;
    for (int i = first; i <= last; i++) {
        int c[3];
        xterm_rgb(i, c);
        long d = 0;
        for (int k = 0; k < 3; k++)
            d += (long)(c[k] - rgb[k]) * (c[k] - rgb[k]);
        if (bestd < 0 || d < bestd) {
            bestd = d;
            best = i;
        }
    }
    return best;
}

/* Parses one color token ("default", "red", "bright-red", "114", "#87d787", "114/green"). */
static int parse_one(const char *t, int *out)
{
    if (!strcasecmp(t, "default") || !strcasecmp(t, "none")) {
        *out = -1;
        return 0;
    }
    bool bright = strncasecmp(t, "bright-", 7) == 0;
    const char *n = bright ? t + 7 : t;
    for (int i = 0; i < 8; i++) {
        if (!strcasecmp(n, basic_names[i])) {
            *out = i + (bright ? 8 : 0);
            return 0;
        }
    }
    if (!strcasecmp(t, "gray") || !strcasecmp(t, "grey")) {
        *out = 8;
        return 0;
    }
    char *end;
    if (t[0] == '#' && strlen(t) == 7) {
        long v = strtol(t + 1, &end, 16);
        if (*end)
            return -1;
        int rgb[3] = {(int)(v >> 16) & 255, (int)(v >> 8) & 255, (int)v & 255};
        *out = nearest(rgb, 16, 255);
        return 0;
    }
    long v = strtol(t, &end, 10);
    if (end == t || *end || v < 0 || v > 255)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_color(const char *t, color *c)
{
    char a[64];
    snprintf(a, sizeof a, "%s", t);
    char *slash = strchr(a, '/');
    if (slash)
        *slash = 0;
    if (parse_one(a, &c->c256) != 0)
        return -1;
    if (slash) {
        if (parse_one(slash + 1, &c->c8) != 0 || c->c8 > 7)
            return -1;
    } else if (c->c256 < 8) {
        c->c8 = c->c256;
    } else {
        int rgb[3];
        xterm_rgb(c->c256, rgb);
        c->c8 = nearest(rgb, 0, 7);
    }
    return 0;
}

static int parse_attr(const char *t, attr_t *a)
{
    static const struct {
        const char *name;
        attr_t a;
    } attrs[] = {{"bold", A_BOLD},         {"dim", A_DIM},       {"underline", A_UNDERLINE},
                 {"reverse", A_REVERSE},   {"italic", A_ITALIC}, {"standout", A_STANDOUT},
                 {"blink", A_BLINK},       {"normal", A_NORMAL}};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (!strcasecmp(t, attrs[i].name)) {
            *a |= attrs[i].a;
            return 0;
        }
    }
    return -1;
}

/* Parses "FG BG [ATTR...]" into d; on error returns -1 with *what set. */
static int parse_style(const char *spec, style_def *d, char *what, size_t wsize)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s", spec);
    style_def s = {{-1, -1}, {-1, -1}, A_NORMAL};
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save), n++) {
        int rc = n == 0 ? parse_color(t, &s.fg) : n == 1 ? parse_color(t, &s.bg) : parse_attr(t, &s.attrs);
        if (rc != 0) {
            snprintf(what, wsize, "unknown %s '%s'", n < 2 ? "color" : "attribute", t);
            return -1;
        }
    }
    if (n < 2) {
        snprintf(what, wsize, "expected FOREGROUND BACKGROUND [ATTRIBUTES]");
        return -1;
    }
    *d = s;
    return 0;
}

static bool file_exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* The directories themes are looked up in, in order (see theme.h); *n of them, each and the
 * array freed by the caller. */
static char **theme_dirs(size_t *n)
{
    char **dirs = pd_xcalloc(16, sizeof *dirs);
    size_t k = 0;
    pd_buf b = PD_BUF_INIT;
    char *cfg = pd_config_dir();
    pd_buf_printf(&b, "%s/themes", cfg ? cfg : ".");
    free(cfg);
    dirs[k++] = pd_buf_take(&b);
    char *data = pd_data_dir();
    if (data) {
        pd_buf_printf(&b, "%s/themes", data);
        free(data);
        dirs[k++] = pd_buf_take(&b);
    }
    const char *env = getenv("PROMPTDECK_THEMES");
    if (env && *env)
        dirs[k++] = pd_strdup(env);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        static const char *const rel[] = {"../share/promptdeck/themes", "themes", "../themes"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            pd_buf_printf(&b, "%s/%s", exe, rel[i]);
            dirs[k++] = pd_buf_take(&b);
        }
    }
    dirs[k++] = pd_strdup("/usr/local/share/promptdeck/themes");
    dirs[k++] = pd_strdup("/usr/share/promptdeck/themes");
    pd_buf_free(&b);
    *n = k;
    return dirs;
}

static void free_dirs(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

/* Finds NAME.theme; returns a path the caller frees, or NULL. */
static char *find_theme(const char *name)
{
    size_t n;
    char **dirs = theme_dirs(&n);
    char *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        pd_buf path = PD_BUF_INIT;
        pd_buf_printf(&path, "%s/%s.theme", dirs[i], name);
        if (file_exists(path.data))
            found = pd_buf_take(&path);
        pd_buf_free(&path);
    }
    free_dirs(dirs, n);
    return found;
}

static bool is_theme_path(const char *name)
{
    size_t nl = strlen(name);
    return strchr(name, '/') || (nl > 6 && strcmp(name + nl - 6, ".theme") == 0);
}

bool pd_theme_exists(const char *name_or_path)
{
    if (!name_or_path || !*name_or_path || !strcmp(name_or_path, "default"))
        return true;
    if (is_theme_path(name_or_path))
        return file_exists(name_or_path);
    char *path = find_theme(name_or_path);
    free(path);
    return path != NULL;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **pd_theme_names(size_t *n)
{
    size_t nd;
    char **dirs = theme_dirs(&nd);
    char **names = NULL;
    size_t k = 0;
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0 || e->d_name[0] == '.')
                continue;
            char *name = pd_strndup(e->d_name, len - 6);
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++)
                dup = !strcmp(names[j], name);
            if (dup) {
                free(name);
                continue;
            }
            names = pd_xrealloc(names, (k + 1) * sizeof *names);
            names[k++] = name;
        }
        if (d)
            closedir(d);
    }
    free_dirs(dirs, nd);
    if (k)
        qsort(names, k, sizeof *names, compare_names);
    *n = k;
    return names;
}

static void read_theme_file(pd_theme *t, const char *path, pd_buf *warn)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        pd_buf_printf(warn, "%s: cannot open theme: %s\n", path, strerror(errno));
        return;
    }
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        s[strcspn(s, "\r\n")] = 0;
        if (*s == 0 || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            pd_buf_printf(warn, "%s:%d: expected NAME = FOREGROUND BACKGROUND [ATTRIBUTES]\n", path, lineno);
            continue;
        }
        char *end = eq;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        *end = 0;
        char *hash = strchr(eq + 1, '#');
        if (hash && hash > eq + 1 && (hash[-1] == ' ' || hash[-1] == '\t'))
            *hash = 0;   /* trailing comment (a #rrggbb color follows a '=' or space directly) */
        int id = pd_style_by_name(s);
        if (id < 0) {
            pd_buf_printf(warn, "%s:%d: unknown style '%s'\n", path, lineno, s);
            continue;
        }
        char what[160];
        if (parse_style(eq + 1, &t->def[id], what, sizeof what) != 0)
            pd_buf_printf(warn, "%s:%d: %s: %s\n", path, lineno, s, what);
    }
    fclose(f);
}

/* Turns the definitions into attributes for this terminal. */
static void realize(pd_theme *t)
{
    const char *nc = getenv("NO_COLOR");
    bool use_color = has_colors() && !(nc && *nc);
    if (use_color && start_color() == ERR)
        use_color = false;
    bool defaults = use_color && use_default_colors() == OK;
    bool c256 = use_color && COLORS >= 256;
    for (int i = 0; i < PD_STYLE__COUNT; i++) {
        style_def *d = &t->def[i];
        attr_t a = d->attrs;
        if (use_color && i + 1 < COLOR_PAIRS) {
            int fg = c256 ? d->fg.c256 : d->fg.c8;
            int bg = c256 ? d->bg.c256 : d->bg.c8;
            if (!defaults) {
                if (fg < 0)
                    fg = COLOR_WHITE;
                if (bg < 0)
                    bg = COLOR_BLACK;
            }
            if (fg >= COLORS)
                fg = d->fg.c8;
            if (bg >= COLORS)
                bg = d->bg.c8;
            init_pair((short)(i + 1), (short)fg, (short)bg);
            a |= COLOR_PAIR(i + 1);
        } else if (!use_color && d->bg.c256 >= 0 && !(a & A_REVERSE)) {
            a |= A_REVERSE;   /* without colors a background becomes reverse video */
        }
        t->attr[i] = a;
    }
}

pd_theme *pd_theme_load(const char *name_or_path, char **warnings)
{
    pd_theme *t = pd_xcalloc(1, sizeof *t);
    pd_buf warn = PD_BUF_INIT;
    for (int i = 0; i < PD_STYLE__COUNT; i++) {
        char what[160];
        if (parse_style(style_builtin[i], &t->def[i], what, sizeof what) != 0)
            pd_buf_printf(&warn, "built-in style %s: %s\n", style_names[i], what);
    }
    const char *name = name_or_path && *name_or_path ? name_or_path : "default";
    char *path = NULL;
    if (is_theme_path(name)) {
        path = pd_strdup(name);
    } else {
        path = find_theme(name);
        if (!path && strcmp(name, "default") != 0)
            pd_buf_printf(&warn,
                          "theme '%s' not found in ~/.config/promptdeck/themes, $PROMPTDECK_THEMES or the "
                          "installed themes; using the default colors\n",
                          name);
    }
    if (path)
        read_theme_file(t, path, &warn);
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : (path ? path : name);
    t->name = pd_strndup(base, strlen(base) > 6 && strstr(base, ".theme") ? strlen(base) - 6 : strlen(base));
    free(path);
    realize(t);
    if (warn.len && warn.data[warn.len - 1] == '\n')
        warn.data[--warn.len] = 0;
    *warnings = warn.len ? pd_buf_take(&warn) : NULL;
    pd_buf_free(&warn);
    return t;
}

void pd_theme_free(pd_theme *t)
{
    if (!t)
        return;
    free(t->name);
    free(t);
}

attr_t pd_theme_attr(const pd_theme *t, pd_style s)
{
    return (s >= 0 && s < PD_STYLE__COUNT) ? t->attr[s] : A_NORMAL;
}

const char *pd_theme_name(const pd_theme *t)
{
    return t->name;
}

pd_style pd_style_for_label(const char *label)
{
    if (!strcmp(label, "production"))
        return PD_STYLE_LABEL_PRODUCTION;
    if (!strcmp(label, "staging"))
        return PD_STYLE_LABEL_STAGING;
    return PD_STYLE_LABEL;
}
