/* cmd_list.c: `promptdeck list [--json] [--tag T] [--label L] [QUERY]`: the library's prompts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_lib_priv.h"

typedef struct list_filter {
    const char *tag, *label, *query;
} list_filter;

static bool contains_ci(const char *hay, const char *needle)
{
    return hay && strcasestr(hay, needle) != NULL;
}

static bool matches(const pd_prompt *p, const list_filter *f)
{
    if (f->tag) {
        bool found = false;
        for (size_t i = 0; i < p->n_tags && !found; i++)
            found = strcasecmp(p->tags[i], f->tag) == 0;
        if (!found)
            return false;
    }
    if (f->label && pd_prompt_label_version(p, f->label) == 0)
        return false;
    if (f->query) {
        bool found = contains_ci(p->slug, f->query) || contains_ci(p->name, f->query) ||
                     contains_ci(p->description, f->query);
        for (size_t i = 0; i < p->n_tags && !found; i++)
            found = contains_ci(p->tags[i], f->query);
        if (!found)
            return false;
    }
    return true;
}

static char *labels_text(const pd_prompt *p)
{
    pd_buf b = PD_BUF_INIT;
    for (size_t i = 0; i < p->n_labels; i++)
        pd_buf_printf(&b, "%s%s:%d", i ? " " : "", p->labels[i].name, p->labels[i].version);
    return pd_buf_take(&b);
}

/* Printable ASCII only: shown as is, a column per byte (most slugs, names and labels). The
 * table's cells take this path; anything else goes through cli_put_fit's sanitizing and
 * width rules. */
static bool plain_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
            return false;
    return true;
}

static int text_width(const char *s)
{
    s = s ? s : "";
    return plain_ascii(s) ? (int)strlen(s) : cli_text_width(s);
}

/* cli_put_fit, without its copies for plain text. */
static void put_fit(pd_buf *out, const char *s, int width, bool pad)
{
    s = s ? s : "";
    if (!plain_ascii(s)) {
        cli_put_fit(out, s, width, pad);
        return;
    }
    int n = (int)strlen(s), used = n;
    if (n <= width) {
        pd_buf_append(out, s, (size_t)n);
    } else if (width > 0) {   /* cut, with "~" where it was cut */
        pd_buf_append(out, s, (size_t)width - 1);
        pd_buf_putc(out, '~');
        used = width;
    } else {
        used = 0;
    }
    for (; pad && used < width; used++)
        pd_buf_putc(out, ' ');
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* SLUG  VER  UPDATED  NAME  LABELS, fitted to the terminal; damaged prompts say why. */
static void print_table(pd_prompt **ps, size_t n)
{
    int width = cli_term_width();
    int slug_w = 4, name_w = 4, label_w = 0;
    for (size_t i = 0; i < n; i++) {
        int w = text_width(ps[i]->slug);
        slug_w = slug_w > w ? slug_w : w;
        w = text_width(ps[i]->name);
        name_w = name_w > w ? name_w : w;
        char *l = labels_text(ps[i]);
        w = text_width(l);
        label_w = label_w > w ? label_w : w;
        free(l);
    }
    slug_w = min_int(slug_w, width / 3);
    int rest = width - slug_w - 20;   /* after "  VER  UPDATED     " */
    if (label_w) {   /* the name first; labels get what is left (at least 6 columns) */
        name_w = min_int(name_w, rest - 2 - min_int(label_w, 6));
        label_w = rest - name_w - 2;
    } else {
        name_w = rest;
    }
    pd_buf out = PD_BUF_INIT;
    put_fit(&out, "SLUG", slug_w, true);
    pd_buf_puts(&out, "   VER  UPDATED     ");
    put_fit(&out, "NAME", name_w, label_w > 0);
    if (label_w)
        pd_buf_puts(&out, "  LABELS");
    pd_buf_putc(&out, '\n');
    for (size_t i = 0; i < n; i++) {
        const pd_prompt *p = ps[i];
        put_fit(&out, p->slug, slug_w, true);
        char ver[16];
        snprintf(ver, sizeof ver, "v%d", p->current_version);
        pd_buf_printf(&out, "  %4s  ", ver);
        char date[11] = "";
        if (p->updated_at)
            snprintf(date, sizeof date, "%.10s", p->updated_at);
        put_fit(&out, date, 10, true);
        pd_buf_puts(&out, "  ");
        if (p->damaged) {
            pd_buf_puts(&out, "DAMAGED: ");
            put_fit(&out, p->damage, rest - 9, false);
        } else {
            put_fit(&out, p->name, name_w, label_w > 0);
            if (label_w) {
                char *l = labels_text(p);
                pd_buf_puts(&out, "  ");
                put_fit(&out, l, label_w, false);
                free(l);
            }
        }
        while (out.len && out.data[out.len - 1] == ' ')
            out.len--;
        pd_buf_putc(&out, '\n');
    }
    fputs(pd_buf_str(&out), stdout);
    pd_buf_free(&out);
}

/* ---- --json ----
 * The array cli_print_json prints (pd_prompt_to_json's members, pretty, two spaces), written
 * directly for prompts whose every string is plain (printable ASCII, no quote or backslash:
 * nothing to escape), through jansson for the others; byte for byte the same text. */
static bool json_plain(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E || *s == '"' || *s == '\\')
            return false;
    return true;
}

static bool prompt_plain(const pd_prompt *p)
{
    bool plain = json_plain(p->id) && json_plain(p->slug) && json_plain(p->name) && json_plain(p->description) &&
                 json_plain(p->created_at) && json_plain(p->updated_at) && json_plain(p->damage);
    for (size_t i = 0; plain && i < p->n_tags; i++)
        plain = p->tags[i] && json_plain(p->tags[i]);
    for (size_t i = 0; plain && i < p->n_labels; i++)
        plain = p->labels[i].name && json_plain(p->labels[i].name);
    return plain;
}

/* Pieces appended without printf: 10,000 prompts' members through vfprintf made `list --json`
 * cost a third more than `list`. */
static void put3(pd_buf *b, const char *a, const char *m, const char *z)
{
    pd_buf_puts(b, a);
    pd_buf_puts(b, m);
    pd_buf_puts(b, z);
}

static void put_int(pd_buf *b, int v)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%d", v);
    pd_buf_append(b, digits, (size_t)n);
}

/* "key": "value", at the members' indentation (nothing when value is NULL, as jansson). */
static void put_member(pd_buf *b, bool *first, const char *key, const char *value)
{
    if (!value)
        return;
    put3(b, *first ? "\n    \"" : ",\n    \"", key, "\": \"");
    put3(b, value, "\"", "");
    *first = false;
}

static void put_prompt_json(pd_buf *b, const pd_prompt *p)
{
    bool first = true;
    pd_buf_puts(b, "  {");
    put_member(b, &first, "id", p->id);
    put_member(b, &first, "slug", p->slug);
    put_member(b, &first, "name", p->name);
    put_member(b, &first, "description", p->description ? p->description : "");
    pd_buf_puts(b, first ? "\n    \"tags\": [" : ",\n    \"tags\": [");
    for (size_t i = 0; i < p->n_tags; i++)
        put3(b, i ? ",\n      \"" : "\n      \"", p->tags[i], "\"");
    pd_buf_puts(b, p->n_tags ? "\n    ],\n    \"labels\": {" : "],\n    \"labels\": {");
    for (size_t i = 0; i < p->n_labels; i++) {
        put3(b, i ? ",\n      \"" : "\n      \"", p->labels[i].name, "\": ");
        put_int(b, p->labels[i].version);
    }
    pd_buf_puts(b, p->n_labels ? "\n    },\n    \"current_version\": " : "},\n    \"current_version\": ");
    put_int(b, p->current_version);
    first = false;
    put_member(b, &first, "created_at", p->created_at);
    put_member(b, &first, "updated_at", p->updated_at);
    if (p->duplicates)
        pd_buf_puts(b, ",\n    \"duplicate_numbers\": true");
    if (p->damaged) {
        pd_buf_puts(b, ",\n    \"damaged\": true");
        put_member(b, &first, "damage", p->damage);
    }
    pd_buf_puts(b, "\n  }");
}

/* One element through jansson, indented as an array's, with no raw control (as
 * cli_print_json): only these need the escaping pass, a plain prompt has nothing to escape. */
static void put_prompt_jansson(pd_buf *b, const pd_prompt *p)
{
    json_t *j = pd_prompt_to_json(p);
    char *text = pd_json_dump_pretty(j);
    json_decref(j);
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        n--;
    pd_buf safe = PD_BUF_INIT;
    pd_json_escape_controls(&safe, text, n);
    free(text);
    pd_buf_puts(b, "  ");
    for (size_t i = 0; i < safe.len; i++) {
        pd_buf_putc(b, safe.data[i]);
        if (safe.data[i] == '\n')
            pd_buf_puts(b, "  ");
    }
    pd_buf_free(&safe);
}

static void print_json(pd_prompt **ps, size_t n)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_puts(&b, n ? "[\n" : "[]");
    for (size_t i = 0; i < n; i++) {
        (prompt_plain(ps[i]) ? put_prompt_json : put_prompt_jansson)(&b, ps[i]);
        pd_buf_puts(&b, i + 1 < n ? ",\n" : "\n]");
    }
    pd_buf_putc(&b, '\n');
    fwrite(b.data, 1, b.len, stdout);
    pd_buf_free(&b);
}

int cmd_list(pd_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"tag", required_argument, NULL, 't'},
        {"label", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0},
    };
    list_filter f = {0};
    bool json = false;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":t:l:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 't': f.tag = optarg; break;
        case 'l': f.label = optarg; break;
        default: return cli_bad_option(argv[0], c, argv);
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(argv[0], "give at most one QUERY (quote words: \"a b\")");
    f.query = optind < argc ? argv[optind] : NULL;
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_prompt_list l = {0};
    pd_error err = {0};
    if (pd_store_list(s, &l, &err) != 0)
        return cli_fail(&err);
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++)
        if (matches(l.items[i], &f))
            l.items[n++] = l.items[i];
        else
            pd_prompt_free(l.items[i]);
    l.n = n;
    if (json) {
        print_json(l.items, l.n);
    } else if (l.n) {
        print_table(l.items, l.n);
    }
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i]->duplicates)
            fprintf(stderr, "promptdeck: %s has two versions with the same number (two clones merged by git): run "
                            "`promptdeck sync` or `promptdeck fix` to renumber\n",
                    l.items[i]->slug);
    pd_prompt_list_free(&l);
    return PD_EXIT_OK;
}
