/* cmd_edit.c: `promptdeck create SLUG ...` and `promptdeck update SLUG [--base-version N] ...`:
 * a prompt's first version, and new versions or metadata changes by the versioning rules. */
#include <stdlib.h>
#include <string.h>

#include "cli_lib_priv.h"

static const struct { const char *name; unsigned bit; } unset_names[] = {
    {"temperature", PD_SETTING_TEMPERATURE}, {"max-output-tokens", PD_SETTING_MAX_OUTPUT_TOKENS},
    {"top-p", PD_SETTING_TOP_P}, {"stop", PD_SETTING_STOP}, {"extra", PD_SETTING_EXTRA},
    {"tools", PD_SETTING_TOOLS}, {"output-schema", PD_SETTING_OUTPUT_SCHEMA},
};

typedef struct edit_opts {
    const char *name, *description, *commit_message;
    char **tags;
    size_t n_tags;
    bool set_tags;
    pd_message *msgs;
    size_t n_msgs;
    bool set_msgs;
    pd_settings set;     /* the values given */
    unsigned given, unset;   /* PD_SETTING_* bits: fields given, fields to unset */
    long base_version;
    bool json;
} edit_opts;

static void edit_opts_free(edit_opts *o)
{
    for (size_t i = 0; i < o->n_msgs; i++)
        pd_message_clear(&o->msgs[i]);
    free(o->msgs);
    free(o->tags);   /* the strings are argv's */
    pd_settings_clear(&o->set);
}

static pd_message *add_msg(edit_opts *o)
{
    o->msgs = pd_xrealloc(o->msgs, (o->n_msgs + 1) * sizeof *o->msgs);
    o->set_msgs = true;
    pd_message *m = &o->msgs[o->n_msgs++];
    *m = (pd_message){0};
    return m;
}

/* ROLE=TEXT, or ROLE=PATH with from_file. */
static int opt_message(edit_opts *o, const char *arg, bool from_file, pd_error *err)
{
    const char *eq = strchr(arg, '=');
    const char *opt = from_file ? "--message-file" : "--message";
    if (!eq)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s '%s': write ROLE=%s", opt, arg, from_file ? "FILE" : "TEXT");
    char *role = pd_strndup(arg, (size_t)(eq - arg));
    if (!pd_role_valid(role)) {
        pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: unknown role '%s' (system, developer, user, assistant, tool)",
                     opt, role);
        free(role);
        return -1;
    }
    char *content = NULL;
    if (from_file) {
        size_t len;
        if (pd_read_file(eq + 1, &content, &len, err) != 0) {
            free(role);
            err->code = PD_ERR_INVALID_REQUEST;
            return -1;
        }
        if (strlen(content) != len || !pd_utf8_valid(content, len)) {
            free(role);
            free(content);
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: is not UTF-8 text", eq + 1);
        }
    } else {
        content = pd_strdup(eq + 1);
    }
    pd_message *m = add_msg(o);
    m->role = role;
    m->content = content;
    return 0;
}

/* A JSON array of messages, or an object with "messages". */
static int opt_messages_file(edit_opts *o, const char *path, pd_error *err)
{
    json_t *j;
    if (cli_read_json_file(path, &j, err) != 0)
        return -1;
    json_t *arr = json_is_object(j) ? json_object_get(j, "messages") : j;
    pd_message *m = NULL;
    size_t n = 0;
    int rc = pd_messages_from_json(arr ? arr : j, &m, &n, path, err);
    json_decref(j);
    if (rc != 0) {
        err->code = PD_ERR_INVALID_REQUEST;
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        *add_msg(o) = m[i];
    free(m);
    o->set_msgs = true;
    return 0;
}

static int opt_json(const char *opt, const char *text_or_path, bool is_path, json_type kind, json_t **out,
                    pd_error *err)
{
    json_t *j;
    if (is_path) {
        if (cli_read_json_file(text_or_path, &j, err) != 0)
            return -1;
    } else {
        json_error_t je;
        j = json_loads(text_or_path, 0, &je);
        if (!j)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: column %d: %s", opt, je.column, je.text);
    }
    if (json_typeof(j) != kind) {
        json_decref(j);
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: expected a JSON %s", opt,
                            kind == JSON_OBJECT ? "object" : "array");
    }
    json_decref(*out);
    *out = j;
    return 0;
}

static int opt_unset(edit_opts *o, const char *what, pd_error *err)
{
    for (size_t i = 0; i < sizeof unset_names / sizeof unset_names[0]; i++)
        if (strcmp(what, unset_names[i].name) == 0) {
            o->unset |= unset_names[i].bit;
            return 0;
        }
    return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                        "--unset '%s': one of temperature, max-output-tokens, top-p, stop, extra, tools, output-schema",
                        what);
}

enum {
    O_NAME = 256, O_DESCRIPTION, O_MODEL, O_PROVIDER, O_MESSAGE, O_MESSAGE_FILE, O_MESSAGES_FILE, O_PLACEHOLDER,
    O_TEMPERATURE, O_MAX_TOKENS, O_TOP_P, O_STOP, O_EXTRA, O_TOOLS_FILE, O_SCHEMA_FILE, O_TAG, O_NO_TAGS,
    O_UNSET, O_COMMIT, O_BASE, O_JSON,
};

static const struct option edit_options[] = {
    {"name", required_argument, NULL, O_NAME},
    {"description", required_argument, NULL, O_DESCRIPTION},
    {"model", required_argument, NULL, O_MODEL},
    {"provider", required_argument, NULL, O_PROVIDER},
    {"message", required_argument, NULL, O_MESSAGE},
    {"message-file", required_argument, NULL, O_MESSAGE_FILE},
    {"messages-file", required_argument, NULL, O_MESSAGES_FILE},
    {"placeholder", required_argument, NULL, O_PLACEHOLDER},
    {"temperature", required_argument, NULL, O_TEMPERATURE},
    {"max-output-tokens", required_argument, NULL, O_MAX_TOKENS},
    {"top-p", required_argument, NULL, O_TOP_P},
    {"stop", required_argument, NULL, O_STOP},
    {"extra", required_argument, NULL, O_EXTRA},
    {"tools-file", required_argument, NULL, O_TOOLS_FILE},
    {"output-schema-file", required_argument, NULL, O_SCHEMA_FILE},
    {"tag", required_argument, NULL, O_TAG},
    {"no-tags", no_argument, NULL, O_NO_TAGS},
    {"unset", required_argument, NULL, O_UNSET},
    {"commit-message", required_argument, NULL, O_COMMIT},
    {"base-version", required_argument, NULL, O_BASE},
    {"json", no_argument, NULL, O_JSON},
    {NULL, 0, NULL, 0},
};

static int take_option(edit_opts *o, int c, const char *arg, pd_error *err)
{
    pd_settings *s = &o->set;
    long n;
    switch (c) {
    case O_NAME: o->name = arg; return 0;
    case O_DESCRIPTION: o->description = arg; return 0;
    case O_COMMIT: o->commit_message = arg; return 0;
    case O_JSON: o->json = true; return 0;
    case O_MODEL: free(s->model); s->model = pd_strdup(arg); o->given |= PD_SETTING_MODEL; return 0;
    case O_PROVIDER:
        if (!pd_slug_valid(arg, NULL) || strchr(arg, '/'))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "--provider '%s': openai, anthropic, google, or a name of [a-z0-9_-]", arg);
        free(s->provider);
        s->provider = pd_strdup(arg);
        o->given |= PD_SETTING_PROVIDER;
        return 0;
    case O_MESSAGE: return opt_message(o, arg, false, err);
    case O_MESSAGE_FILE: return opt_message(o, arg, true, err);
    case O_MESSAGES_FILE: return opt_messages_file(o, arg, err);
    case O_PLACEHOLDER: add_msg(o)->placeholder = pd_strdup(arg); return 0;
    case O_TEMPERATURE:
        o->given |= PD_SETTING_TEMPERATURE;
        s->has_temperature = true;
        return cli_parse_double("--temperature", arg, 0, 2, &s->temperature, err);
    case O_TOP_P:
        o->given |= PD_SETTING_TOP_P;
        s->has_top_p = true;
        return cli_parse_double("--top-p", arg, 0, 1, &s->top_p, err);
    case O_MAX_TOKENS:
        o->given |= PD_SETTING_MAX_OUTPUT_TOKENS;
        if (cli_parse_long("--max-output-tokens", arg, 1, 10000000, &n, err) != 0)
            return -1;
        s->max_output_tokens = n;
        return 0;
    case O_STOP:
        o->given |= PD_SETTING_STOP;
        s->stop_sequences = pd_xrealloc(s->stop_sequences, (s->n_stop + 1) * sizeof *s->stop_sequences);
        s->stop_sequences[s->n_stop++] = pd_strdup(arg);
        return 0;
    case O_EXTRA:
        o->given |= PD_SETTING_EXTRA;
        return opt_json("--extra", arg, false, JSON_OBJECT, &s->extra, err);
    case O_TOOLS_FILE:
        o->given |= PD_SETTING_TOOLS;
        return opt_json("--tools-file", arg, true, JSON_ARRAY, &s->tools, err);
    case O_SCHEMA_FILE:
        o->given |= PD_SETTING_OUTPUT_SCHEMA;
        return opt_json("--output-schema-file", arg, true, JSON_OBJECT, &s->output_schema, err);
    case O_TAG:
        o->tags = pd_xrealloc(o->tags, (o->n_tags + 1) * sizeof *o->tags);
        o->tags[o->n_tags++] = (char *)arg;
        o->set_tags = true;
        return 0;
    case O_NO_TAGS: o->set_tags = true; o->n_tags = 0; return 0;
    case O_UNSET: return opt_unset(o, arg, err);
    case O_BASE: return cli_parse_long("--base-version", arg, 1, 100000000, &o->base_version, err);
    }
    return pd_error_set(err, PD_ERR_INVALID_REQUEST, "unexpected option");
}

/* Parses argv into o; *slug gets the one positional argument. */
static int parse_edit(const char *cmd, int argc, char **argv, edit_opts *o, const char **slug)
{
    pd_error err = {0};
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, ":", edit_options, NULL)) != -1) {
        if (c == '?' || c == ':')
            return cli_bad_option(cmd, c, argv);
        if (take_option(o, c, optarg, &err) != 0)
            return cli_fail(&err);
    }
    if (argc - optind != 1)
        return cli_usage_error(cmd, "give one SLUG");
    *slug = argv[optind];
    return PD_EXIT_OK;
}

/* Applies the options to v (a copy of the version being changed): the settings given win over
 * v's (pd_settings_merge), then --unset clears fields. */
static void apply_settings(const edit_opts *o, pd_version *v)
{
    if (o->set_msgs) {
        for (size_t i = 0; i < v->n_messages; i++)
            pd_message_clear(&v->messages[i]);
        free(v->messages);
        v->messages = pd_xcalloc(o->n_msgs ? o->n_msgs : 1, sizeof *v->messages);
        for (size_t i = 0; i < o->n_msgs; i++) {
            v->messages[i].role = pd_strdup(o->msgs[i].role);
            v->messages[i].content = pd_strdup(o->msgs[i].content);
            v->messages[i].placeholder = pd_strdup(o->msgs[i].placeholder);
        }
        v->n_messages = o->n_msgs;
    }
    pd_settings merged;
    pd_settings_merge(&merged, &v->settings, &o->set);
    pd_settings_unset(&merged, o->unset);
    pd_settings_clear(&v->settings);
    v->settings = merged;
    free(v->commit_message);
    v->commit_message = pd_strdup(o->commit_message);
    free(v->author);
    free(v->created_at);
    v->author = v->created_at = NULL;   /* filled by the store */
}

int cmd_create(pd_cli *cli, int argc, char **argv)
{
    edit_opts o = {0};
    const char *slug = NULL;
    int rc = parse_edit(argv[0], argc, argv, &o, &slug);
    if (rc == PD_EXIT_OK && (!o.name || !o.set.model || !o.set.provider))
        rc = cli_usage_error(argv[0], "--name, --model and --provider are required");
    else if (rc == PD_EXIT_OK && (!o.n_msgs || o.unset || o.base_version || (o.set_tags && !o.n_tags)))
        rc = cli_usage_error(argv[0], o.n_msgs ? "--unset, --no-tags and --base-version are for update"
                                               : "give at least one --message ROLE=TEXT (or --messages-file)");
    pd_store *s = rc == PD_EXIT_OK ? cli_store(cli) : NULL;
    if (rc == PD_EXIT_OK && !s)
        rc = PD_EXIT_USAGE;
    if (rc == PD_EXIT_OK) {
        pd_version *v = pd_xcalloc(1, sizeof *v);
        apply_settings(&o, v);
        pd_prompt p = {.slug = (char *)slug, .name = (char *)o.name, .description = (char *)o.description,
                       .tags = o.tags, .n_tags = o.n_tags};
        pd_error err = {0};
        if (pd_store_create(s, &p, v, &err) != 0) {
            rc = cli_fail(&err);
        } else if (o.json) {
            json_t *j = json_pack("{s:s, s:i}", "slug", slug, "version", 1);
            cli_print_json(j);
            json_decref(j);
        } else {
            printf("created %s version 1\n", slug);
        }
        pd_version_free(v);
    }
    edit_opts_free(&o);
    return rc;
}

static bool changes_content(const edit_opts *o)
{
    return o->set_msgs || o->given || o->unset;
}

/* One attempt: the current version with the options applied, saved as based on it. */
static int try_update(pd_store *s, const char *slug, const edit_opts *o, pd_update_result *res, int *current,
                      pd_error *err)
{
    pd_version *cur = NULL;
    if (pd_store_get_version(s, slug, 0, &cur, err) != 0)
        return -1;
    *current = cur->number;
    pd_version *next = NULL;
    if (changes_content(o)) {
        next = pd_version_dup(cur);
        apply_settings(o, next);
    }
    pd_update u = {.name = o->name, .description = o->description, .tags = o->tags, .n_tags = o->n_tags,
                   .set_tags = o->set_tags, .content = next,
                   .base_version = o->base_version ? (int)o->base_version : cur->number};
    int rc = pd_store_update(s, slug, &u, res, err);
    pd_version_free(next);
    pd_version_free(cur);
    return rc;
}

static void print_update(const char *slug, const edit_opts *o, const pd_update_result *r, int current)
{
    if (o->json) {
        json_t *j = json_pack("{s:s, s:o, s:i, s:b, s:b}", "slug", slug, "new_version",
                              r->new_version ? json_integer(r->new_version) : json_null(), "current_version",
                              r->new_version ? r->new_version : current, "metadata_changed", r->metadata_changed,
                              "content_unchanged", r->content_unchanged);
        cli_print_json(j);
        json_decref(j);
        return;
    }
    if (r->new_version)
        printf("%s: saved version %d\n", slug, r->new_version);
    else if (r->content_unchanged)
        printf("%s: no new version: the content equals version %d\n", slug, current);
    if (r->metadata_changed)
        printf("%s: name/description/tags updated%s\n", slug, r->new_version ? "" : " (no new version)");
    if (!r->new_version && !r->content_unchanged && !r->metadata_changed)
        printf("%s: nothing changed\n", slug);
}

int cmd_update(pd_cli *cli, int argc, char **argv)
{
    edit_opts o = {0};
    const char *slug = NULL;
    int rc = parse_edit(argv[0], argc, argv, &o, &slug);
    if (rc == PD_EXIT_OK && o.set_msgs && o.n_msgs == 0)
        rc = cli_usage_error(argv[0], "a version needs at least one message");
    pd_store *s = rc == PD_EXIT_OK ? cli_store(cli) : NULL;
    if (rc == PD_EXIT_OK && !s)
        rc = PD_EXIT_USAGE;
    if (rc == PD_EXIT_OK) {
        pd_error err = {0};
        pd_update_result res = {0};
        int current = 0, attempt = 0, r;
        /* Without --base-version, someone saving meanwhile only means: apply the options to
         * their version instead (bounded retries). With it, their save is a CONFLICT. */
        while ((r = try_update(s, slug, &o, &res, &current, &err)) != 0 && err.code == PD_ERR_CONFLICT &&
               !o.base_version && ++attempt < 1000)
            ;
        if (r != 0)
            rc = cli_fail(&err);
        else
            print_update(slug, &o, &res, current);
    }
    edit_opts_free(&o);
    return rc;
}
