/* cmd_show.c: `promptdeck show SLUG [--version N | --label L] [--json]` and
 * `promptdeck versions SLUG [--json]`: one version with its messages, or the version history. */
#include <stdlib.h>
#include <string.h>

#include "cli_lib_priv.h"
#include "cli_select_priv.h"

static void put_field(pd_buf *out, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    pd_buf_printf(out, "%-10s ", name);
    cli_put_safe(out, value, false);
    while (out->len && out->data[out->len - 1] == ' ')
        out->len--;
    pd_buf_putc(out, '\n');
}

static void put_settings(pd_buf *out, const pd_settings *s)
{
    pd_buf line = PD_BUF_INIT;
    if (s->provider || s->model)
        pd_buf_printf(&line, "%s / %s", s->provider ? s->provider : "?", s->model ? s->model : "?");
    put_field(out, "model:", pd_buf_str(&line));
    pd_buf_reset(&line);
    if (s->has_temperature)
        pd_buf_printf(&line, "temperature %g  ", s->temperature);
    if (s->max_output_tokens > 0)
        pd_buf_printf(&line, "max_output_tokens %ld  ", s->max_output_tokens);
    if (s->has_top_p)
        pd_buf_printf(&line, "top_p %g  ", s->top_p);
    for (size_t i = 0; i < s->n_stop; i++) {
        json_t *j = json_string(s->stop_sequences[i]);   /* quoted, escapes visible */
        char *q = json_dumps(j, JSON_ENCODE_ANY);
        pd_buf_printf(&line, "%s%s", i ? ", " : "stop ", q ? q : "");
        free(q);
        json_decref(j);
    }
    put_field(out, "settings:", pd_buf_str(&line));
    pd_buf_free(&line);
    json_t *more[] = {s->extra, s->tools, s->output_schema};
    const char *names[] = {"extra:", "tools:", "schema:"};
    for (int i = 0; i < 3; i++) {
        if (!more[i])
            continue;
        char *t = json_dumps(more[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
        put_field(out, names[i], t);
        free(t);
    }
}

static void print_version(const pd_prompt *p, const pd_version *v)
{
    pd_buf out = PD_BUF_INIT;
    cli_put_safe(&out, p->slug, false);
    pd_buf_printf(&out, "  version %d%s of %d", v->number, v->duplicate ? "'" : "", p->current_version);
    char *labels = cli_version_labels(p, v);
    if (pd_version_is_current(p, v))
        pd_buf_printf(&out, "  [latest%s%s]", *labels ? ", " : "", labels);
    else if (*labels)
        pd_buf_printf(&out, "  [%s]", labels);
    free(labels);
    pd_buf_putc(&out, '\n');
    put_field(&out, "name:", p->name);
    put_settings(&out, &v->settings);
    if (v->author || v->created_at) {
        pd_buf who = PD_BUF_INIT;
        pd_buf_printf(&who, "%s%s%s", v->author ? v->author : "", v->author && v->created_at ? ", " : "",
                      v->created_at ? v->created_at : "");
        put_field(&out, "saved:", pd_buf_str(&who));
        pd_buf_free(&who);
    }
    put_field(&out, "commit:", v->commit_message);
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *m = &v->messages[i];
        if (m->placeholder) {
            pd_buf_puts(&out, "\n--- placeholder: ");
            cli_put_safe(&out, m->placeholder, false);
            pd_buf_puts(&out, " (a conversation goes here at run time) ---\n");
            continue;
        }
        pd_buf_printf(&out, "\n--- %s ---\n", m->role);
        cli_put_safe(&out, m->content, true);
        if (out.len && out.data[out.len - 1] != '\n')
            pd_buf_putc(&out, '\n');
    }
    fputs(pd_buf_str(&out), stdout);
    pd_buf_free(&out);
}

static int show_json(const pd_prompt *p, const pd_version *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "slug", json_string(p->slug));
    json_object_set_new(o, "name", json_string(p->name));
    json_t *vj = cli_version_json(p, v);
    json_object_update(o, vj);
    json_decref(vj);
    cli_print_json(o);
    json_decref(o);
    return PD_EXIT_OK;
}

int cmd_show(pd_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"version", required_argument, NULL, 'v'},
        {"label", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0},
    };
    const char *version = NULL, *label = NULL;
    bool json = false;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":v:l:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'v': version = optarg; break;
        case 'l': label = optarg; break;
        default: return cli_bad_option(argv[0], c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "give one SLUG");
    const char *slug = argv[optind];
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    pd_prompt *p = NULL;
    pd_version *v = NULL;
    if (pd_store_get_prompt(s, slug, &p, &err) != 0 || cli_select_version(s, slug, version, label, &v, &err) != 0) {
        pd_prompt_free(p);
        return cli_fail(&err);
    }
    int rc = PD_EXIT_OK;
    if (json)
        rc = show_json(p, v);
    else
        print_version(p, v);
    pd_version_free(v);
    pd_prompt_free(p);
    return rc;
}

static void print_versions(const pd_prompt *p, pd_version **vs, size_t n)
{
    int width = cli_term_width();
    int author_w = 6;
    for (size_t i = 0; i < n; i++) {
        int w = vs[i]->author ? cli_text_width(vs[i]->author) : 0;
        author_w = w > author_w ? w : author_w;
    }
    author_w = author_w > 16 ? 16 : author_w;
    pd_buf out = PD_BUF_INIT;
    pd_buf_puts(&out, " VER  DATE        ");
    cli_put_fit(&out, "AUTHOR", author_w, true);
    pd_buf_puts(&out, "  MESSAGE\n");
    for (size_t i = n; i-- > 0;) {   /* newest first, as git log */
        const pd_version *v = vs[i];
        char date[11] = "";
        snprintf(date, sizeof date, "%.10s", v->created_at ? v->created_at : "");
        char num[24];   /* a second version with the same number (a git merge) shows as 6' */
        snprintf(num, sizeof num, "%d%s", v->number, v->duplicate ? "'" : "");
        pd_buf_printf(&out, "%4s  ", num);
        cli_put_fit(&out, date, 10, true);
        pd_buf_puts(&out, "  ");
        cli_put_fit(&out, v->author ? v->author : "", author_w, true);
        pd_buf_puts(&out, "  ");
        pd_buf msg = PD_BUF_INIT;
        char *labels = cli_version_labels(p, v);
        bool latest = pd_version_is_current(p, v);
        if (*labels || latest)
            pd_buf_printf(&msg, "(%s%s%s) ", latest ? "latest" : "", *labels && latest ? ", " : "", labels);
        free(labels);
        if (v->commit_message) {   /* the first line of the commit message */
            size_t len = strcspn(v->commit_message, "\n");
            pd_buf_append(&msg, v->commit_message, len);
        }
        cli_put_fit(&out, pd_buf_str(&msg), width - 20 - author_w, false);
        pd_buf_free(&msg);
        while (out.len && out.data[out.len - 1] == ' ')
            out.len--;
        pd_buf_putc(&out, '\n');
    }
    fputs(pd_buf_str(&out), stdout);
    pd_buf_free(&out);
    if (p->duplicates)
        fprintf(stderr, "promptdeck: versions marked ' share their number with another (two clones merged by git): "
                        "run `promptdeck sync` or `promptdeck fix` to renumber\n");
}

int cmd_versions(pd_cli *cli, int argc, char **argv)
{
    bool json = false;
    int rc = cli_simple_args(argv[0], argc, argv, "json", &json, 1, "SLUG [--json]");
    if (rc != PD_EXIT_OK)
        return rc;
    const char *slug = argv[optind];
    pd_store *s = cli_store(cli);
    if (!s)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    pd_prompt *p = NULL;
    pd_version **vs = NULL;
    size_t n = 0;
    int damaged = 0;   /* 1: the healthy versions are listed, the damaged ones reported after */
    if (pd_store_get_prompt(s, slug, &p, &err) != 0 || (damaged = pd_store_list_versions(s, slug, &vs, &n, &err)) < 0) {
        pd_prompt_free(p);
        return cli_fail(&err);
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, cli_version_json(p, vs[i]));
        cli_print_json(arr);
        json_decref(arr);
    } else {
        print_versions(p, vs, n);
    }
    for (size_t i = 0; i < n; i++)
        pd_version_free(vs[i]);
    free(vs);
    pd_prompt_free(p);
    return damaged ? cli_fail(&err) : PD_EXIT_OK;
}
