/* cmd_complete.c: `promptdeck __complete WORD...`, what the shell completion scripts ask. */
/* The words are the command line after the program, the last one being typed (maybe empty). The
 * answer is the words that may stand there and start as it does, one a line, made safe for a
 * terminal: commands and options from the command table (pd_cmd.args, pd_global_args,
 * pd_app_args), slugs, version numbers, labels, tags, partials and run ids from the library
 * (--library or $PROMPTDECK_LIBRARY as given on the line; slugs come from the listing, which
 * reads no version file), providers from the provider table. Where a file or folder name goes,
 * the answer is the line ":file" or ":dir" alone: the shell completes those itself. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "provider/provider.h"

/* One word of an args string (pd_cmd.args): an option or an operand. */
typedef struct arg_word {
    const char *name;      /* "--tag", "-U"; for an operand its kind, as kind */
    size_t name_len;
    const char *kind;      /* what the value or operand is: "tag", "a|b", ""; not NUL-terminated */
    size_t kind_len;
    char sep;              /* '=': an option with a value; '>': a flag choosing the operands' kind;
                              0: a flag, or an operand */
    bool repeats;          /* an operand written KIND...: every later operand too */
} arg_word;

typedef struct completer {
    const char *cur;       /* what is typed of the word, after any "--opt=" */
    const char *lead;      /* "--opt=" before cur in the same word (lead_len bytes), else "" */
    size_t lead_len;
    const char *library;   /* --library on the line, else the program's (environment) */
    char *library_owned;   /* the above when its ~ was expanded */
    const char *slug;      /* the slug operand, for versions, labels and runs */
    const char *partial;   /* the partial operand, for its versions */
    pd_store *store;       /* opened on first use (never created) */
    bool store_tried;
    pd_prompt_list prompts;   /* listed on first use */
    bool prompts_tried;
    bool files;            /* the answer is ":file" or ":dir" (dirs true) */
    bool dirs;
    pd_buf out;
} completer;

/* Reads the args word at *p, advancing past it; false after the last one. */
static bool next_word(const char **p, arg_word *w)
{
    const char *s = *p;
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    size_t n = strcspn(s, " ");
    *p = s + n;
    memset(w, 0, sizeof *w);
    w->name = s;
    if (*s == '-') {
        size_t k = strcspn(s, "=> ");
        w->name_len = k;
        w->kind = s + (k < n ? k + 1 : n);
        w->kind_len = k < n ? n - k - 1 : 0;
        w->sep = k < n ? s[k] : 0;
    } else {
        w->repeats = n > 3 && !memcmp(s + n - 3, "...", 3);
        w->kind = s;
        w->kind_len = w->name_len = w->repeats ? n - 3 : n;
    }
    return true;
}

/* The option of args that a names ("--tag" or "--tag=x"); false when it has none such. */
static bool find_option(const char *args, const char *a, arg_word *out)
{
    size_t len = strcspn(a, "=");
    arg_word w;
    for (const char *p = args; next_word(&p, &w);)
        if (w.name[0] == '-' && w.name_len == len && !memcmp(w.name, a, len)) {
            *out = w;
            return true;
        }
    return false;
}

/* The kind of operand number i (from 0) in args; false when the command takes no more. */
static bool find_operand(const char *args, int i, arg_word *out)
{
    arg_word w;
    for (const char *p = args; next_word(&p, &w);) {
        if (w.name[0] == '-')
            continue;
        *out = w;
        if (i-- == 0 || w.repeats)
            return true;
    }
    return false;
}

static bool kind_is(const arg_word *w, const char *kind)
{
    return w->kind_len == strlen(kind) && !memcmp(w->kind, kind, w->kind_len);
}

/* Offers word (n bytes) when it starts with what is typed. */
static void offer_n(completer *c, const char *word, size_t n)
{
    size_t typed = strlen(c->cur);
    if (n < typed || memcmp(word, c->cur, typed) != 0)
        return;
    pd_text_sanitize(&c->out, c->lead, c->lead_len, false);
    pd_text_sanitize(&c->out, word, n, false);
    pd_buf_putc(&c->out, '\n');
}

static void offer(completer *c, const char *word)
{
    offer_n(c, word, strlen(word));
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Offers the n words (not owned) sorted, each once. Frees the array. */
static void offer_set(completer *c, const char **words, size_t n)
{
    qsort(words, n, sizeof *words, compare_strings);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(words[i], words[i - 1]) != 0)
            offer(c, words[i]);
    free(words);
}

static void offer_number(completer *c, int n)
{
    char s[16];
    snprintf(s, sizeof s, "%d", n);
    offer(c, s);
}

/* The library the line names (never created, never upgraded), or NULL. */
static pd_store *library(completer *c)
{
    if (!c->store_tried) {
        c->store_tried = true;
        char *dflt = c->library ? NULL : pd_store_default_dir();
        pd_error err = {0};
        if (pd_store_open(c->library ? c->library : dflt, false, false, &c->store, &err) != 0)
            c->store = NULL;
        free(dflt);
    }
    return c->store;
}

/* Every prompt's metadata (from the listing cache), or NULL. */
static const pd_prompt_list *prompts(completer *c)
{
    if (!c->prompts_tried) {
        c->prompts_tried = true;
        pd_error err = {0};
        if (library(c) && pd_store_list(c->store, &c->prompts, &err) != 0)
            memset(&c->prompts, 0, sizeof c->prompts);
    }
    return &c->prompts;
}

static void offer_slugs(completer *c)
{
    const pd_prompt_list *l = prompts(c);
    for (size_t i = 0; i < l->n; i++)
        offer(c, l->items[i]->slug);
}

/* The slug's versions; with refs also its labels and "latest". */
static void offer_versions_of(completer *c, bool refs)
{
    pd_version **v = NULL;
    size_t n = 0;
    pd_error err = {0};
    if (!c->slug || !library(c) || pd_store_list_versions(c->store, c->slug, &v, &n, &err) < 0)
        return;
    int last = 0;   /* oldest first: a number two versions share comes twice in a row */
    for (size_t i = 0; i < n; i++) {
        if (v[i]->number != last)
            offer_number(c, v[i]->number);
        last = v[i]->number;
        pd_version_free(v[i]);
    }
    free(v);
    if (!refs)
        return;
    pd_prompt *p = NULL;
    if (pd_store_get_prompt(c->store, c->slug, &p, &err) == 0)
        for (size_t i = 0; i < p->n_labels; i++)
            offer(c, p->labels[i].name);
    pd_prompt_free(p);
    offer(c, "latest");
}

static void offer_versions(completer *c)
{
    offer_versions_of(c, false);
}

static void offer_refs(completer *c)
{
    offer_versions_of(c, true);
}

/* Every label or every tag used in the library. */
static void offer_library_names(completer *c, bool tags)
{
    const pd_prompt_list *l = prompts(c);
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += tags ? l->items[i]->n_tags : l->items[i]->n_labels;
    const char **words = pd_xcalloc(n ? n : 1, sizeof *words);
    n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const pd_prompt *p = l->items[i];
        for (size_t j = 0; j < (tags ? p->n_tags : p->n_labels); j++)
            words[n++] = tags ? p->tags[j] : p->labels[j].name;
    }
    offer_set(c, words, n);
}

static void offer_any_labels(completer *c)
{
    offer_library_names(c, false);
}

static void offer_tags(completer *c)
{
    offer_library_names(c, true);
}

/* The slug's labels; without a slug, the library's. */
static void offer_labels(completer *c)
{
    if (!c->slug) {
        offer_any_labels(c);
        return;
    }
    pd_prompt *p = NULL;
    pd_error err = {0};
    if (library(c) && pd_store_get_prompt(c->store, c->slug, &p, &err) == 0)
        for (size_t i = 0; i < p->n_labels; i++)
            offer(c, p->labels[i].name);
    pd_prompt_free(p);
}

static void offer_providers(completer *c)
{
    for (size_t i = 0; i < pd_provider_count(); i++)
        offer(c, pd_provider_at(i)->name);
}

static void offer_partials(completer *c)
{
    char **names = NULL;
    size_t n = 0;
    pd_error err = {0};
    if (!library(c) || pd_store_list_partials(c->store, &names, &n, &err) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        offer(c, names[i]);
        free(names[i]);
    }
    free(names);
}

static void offer_partial_versions(completer *c)
{
    pd_partial *p = NULL;
    pd_error err = {0};
    if (c->partial && library(c) && pd_store_get_partial(c->store, c->partial, 0, &p, &err) == 0)
        for (int v = 1; v <= p->version; v++)
            offer_number(c, v);
    pd_partial_free(p);
}

static void offer_runs(completer *c)
{
    pd_run_record **r = NULL;
    size_t n = 0;
    pd_error err = {0};
    if (!c->slug || !library(c) || pd_store_list_runs(c->store, c->slug, &r, &n, &err) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        offer(c, r[i]->id);
        pd_run_record_free(r[i]);
    }
    free(r);
}

static void offer_commands(completer *c)
{
    for (const pd_cmd *cmd = pd_commands; cmd->name; cmd++)
        if (cmd->synopsis)
            offer(c, cmd->name);
}

static void offer_files(completer *c)
{
    c->files = true;
}

static void offer_dirs(completer *c)
{
    c->files = c->dirs = true;
}

static void offer_nothing(completer *c)
{
    (void)c;
}

/* The kinds of pd_cmd.args, and what each offers. */
static const struct {
    const char *kind;
    void (*offer)(completer *c);
} kinds[] = {
    {"command", offer_commands},
    {"slug", offer_slugs},
    {"version", offer_versions},
    {"ref", offer_refs},
    {"label", offer_labels},
    {"any-label", offer_any_labels},
    {"tag", offer_tags},
    {"provider", offer_providers},
    {"partial", offer_partials},
    {"partial-version", offer_partial_versions},
    {"run", offer_runs},
    {"file", offer_files},
    {"library", offer_dirs},
    {"dir", offer_dirs},
    {"text", offer_nothing},
};

/* The kinds table's entry for w's kind, or -1 (a flag, a choice of words, a kind not known). */
static int kind_index(const arg_word *w)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kind_is(w, kinds[i].kind))
            return (int)i;
    return -1;
}

const char *cmd_complete_unknown(const char *args)
{
    arg_word w;
    for (const char *p = args; next_word(&p, &w);)
        if ((w.sep || w.name[0] != '-') && !memchr(w.kind, '|', w.kind_len) && kind_index(&w) < 0)
            return w.name;
    return NULL;
}

/* Offers what a value or operand of w's kind may be: a choice of words, or a kind's. */
static void offer_kind(completer *c, const arg_word *w)
{
    if (memchr(w->kind, '|', w->kind_len)) {
        for (const char *p = w->kind, *end = w->kind + w->kind_len; p < end;) {
            const char *bar = memchr(p, '|', (size_t)(end - p));
            size_t n = (size_t)((bar ? bar : end) - p);
            offer_n(c, p, n);
            p += n + 1;
        }
        return;
    }
    int k = kind_index(w);
    if (k >= 0)
        kinds[k].offer(c);
}

/* The options of args, and --help, which every command takes (first > 0: a command's args). */
static void offer_options(completer *c, const char *args, int first)
{
    arg_word w;
    for (const char *p = args; next_word(&p, &w);)
        if (w.name[0] == '-')
            offer_n(c, w.name, w.name_len);
    if (first > 0)
        offer(c, "--help");
}

/* Remembers a value or operand the later words depend on: the library, the slug, the partial. */
static void note(completer *c, const arg_word *w, const char *value)
{
    if (kind_is(w, "slug") && !c->slug) {
        c->slug = value;
    } else if (kind_is(w, "partial") && !c->partial) {
        c->partial = value;
    } else if (kind_is(w, "library")) {
        free(c->library_owned);
        c->library_owned = NULL;
        const char *home = getenv("HOME");
        if (!strncmp(value, "~/", 2) && home) {   /* the shell has not expanded it yet */
            pd_buf b = PD_BUF_INIT;
            pd_buf_printf(&b, "%s%s", home, value + 1);
            value = c->library_owned = pd_buf_take(&b);
        }
        c->library = value;
    }
}

/* What the word being typed is, after the words before it. */
typedef enum {
    OPTION_VALUE,   /* the value of the option *k */
    OPERAND,        /* an operand of kind *k (a '>' flag's kind when one was given) */
    NO_OPERAND,     /* an operand where none is wanted, or free text: options are offered */
    OPTION,         /* it starts with '-' */
    DONE            /* nothing to offer, or a command's words were completed already */
} typed_as;

static void complete_args(completer *c, const char *args, char **w, int first, int last);

/* Reads the words w[first..last) of something taking args (a command, or the program, whose
 * operand is a command), remembering what later words depend on; says what w[last] is. */
static typed_as read_words(completer *c, const char *args, char **w, int first, int last, arg_word *k)
{
    int operands = 0;
    bool no_options = false;   /* after "--" */
    arg_word chosen = {0};     /* a '>' flag given: every operand is its kind */
    for (int i = first; i < last; i++) {
        const char *a = w[i];
        if (!no_options && !strcmp(a, "--")) {
            no_options = true;
        } else if (!no_options && a[0] == '-' && a[1]) {
            if (!find_option(args, a, k))
                continue;   /* not known: taken for a flag */
            if (k->sep == '>')
                chosen = *k;
            if (k->sep == '=' && strchr(a, '='))
                note(c, k, strchr(a, '=') + 1);
            else if (k->sep == '=' && i + 1 == last)
                return OPTION_VALUE;
            else if (k->sep == '=')
                note(c, k, w[++i]);
        } else if (!chosen.sep && find_operand(args, operands++, k)) {
            if (kind_is(k, "command")) {
                const pd_cmd *cmd = pd_commands;
                while (cmd->name && (!cmd->synopsis || strcmp(cmd->name, a) != 0))
                    cmd++;
                if (cmd->name)
                    complete_args(c, cmd->args ? cmd->args : "", w, i + 1, last);
                return DONE;
            }
            note(c, k, a);
        }
    }
    const char *cur = w[last];
    if (!no_options && cur[0] == '-')
        return OPTION;
    if (chosen.sep) {
        *k = chosen;
        return OPERAND;
    }
    if (find_operand(args, operands, k) && !kind_is(k, "text"))
        return OPERAND;
    return no_options ? DONE : NO_OPERAND;
}

/* Completes w[last] after w[first..last), the words of something taking args. */
static void complete_args(completer *c, const char *args, char **w, int first, int last)
{
    arg_word k;
    switch (read_words(c, args, w, first, last, &k)) {
    case OPTION_VALUE:
    case OPERAND:
        offer_kind(c, &k);
        break;
    case OPTION: {
        const char *eq = strchr(w[last], '=');
        if (eq && find_option(args, w[last], &k) && k.sep == '=') {   /* --opt=VALUE */
            c->lead = w[last];
            c->lead_len = (size_t)(eq + 1 - w[last]);
            c->cur = eq + 1;
            offer_kind(c, &k);
            break;
        }
        offer_options(c, args, first);
        break;
    }
    case NO_OPERAND:   /* nothing else may come: say what options there are */
        offer_options(c, args, first);
        break;
    case DONE:
        break;
    }
}

int cmd_complete(pd_cli *cli, int argc, char **argv)
{
    completer c = {.lead = "", .library = cli->library, .out = PD_BUF_INIT};
    char *none[] = {""};
    char **words = argc > 1 ? argv + 1 : none;
    int n = argc > 1 ? argc - 1 : 1;
    c.cur = words[n - 1];
    pd_buf top = PD_BUF_INIT;
    pd_buf_printf(&top, "%s %s command", pd_global_args, pd_app_args);
    complete_args(&c, pd_buf_str(&top), words, 0, n - 1);
    if (c.files)
        fputs(c.dirs ? ":dir\n" : ":file\n", stdout);
    else
        fputs(pd_buf_str(&c.out), stdout);
    pd_buf_free(&top);
    pd_buf_free(&c.out);
    pd_prompt_list_free(&c.prompts);
    pd_store_close(c.store);
    free(c.library_owned);
    return PD_EXIT_OK;
}
