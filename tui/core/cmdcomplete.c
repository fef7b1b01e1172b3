/* cmdcomplete.c: Tab on the `:` line: the word before the cursor completed from what it can be
 * there: a command (the app's and those of the open panes), then the command's arguments as
 * its pd_cmddef names them: a slug of the library (by its start, else any part of it), a
 * version number or label of the prompt shown, a theme, a pane, or one of listed words. One
 * candidate is put in whole; several: the part they share, then Tab / S-Tab go round them while
 * the key bar lists them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

void pd_cmdline_complete_reset(app_statusline *sl)
{
    for (size_t i = 0; i < sl->n_comp; i++)
        free(sl->comp[i]);
    free(sl->comp);
    sl->comp = NULL;
    sl->n_comp = 0;
    sl->comp_i = SIZE_MAX;
}

/* ---- candidates ---- */

typedef struct cands {
    char **w;
    size_t n;
} cands;

static void offer(cands *c, const char *word, const char *prefix)
{
    if (strncmp(word, prefix, strlen(prefix)) != 0)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->w[i], word))
            return;
    c->w = pd_xrealloc(c->w, (c->n + 1) * sizeof *c->w);
    c->w[c->n++] = pd_strdup(word);
}

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The definition of command name: the open panes' (top first), then the app's. */
static const pd_cmddef *find_command(const pd_app *app, const char *name)
{
    for (size_t i = app->n_views; i-- > 0;)
        for (const pd_cmddef *d = app->stack[i]->ops->commands; d && d->name; d++)
            if (!strcmp(d->name, name))
                return d;
    for (const pd_cmddef *d = pd_global_commands; d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

static void offer_commands(const pd_app *app, cands *c, const char *prefix)
{
    for (size_t i = app->n_views; i-- > 0;)
        for (const pd_cmddef *d = app->stack[i]->ops->commands; d && d->name; d++)
            offer(c, d->name, prefix);
    for (const pd_cmddef *d = pd_global_commands; d->name; d++)
        offer(c, d->name, prefix);
}

/* Slugs starting with prefix; when none does, those holding it anywhere (`:open review`). */
static void offer_slugs(pd_app *app, cands *c, const char *prefix)
{
    pd_prompt_list list = {0};
    pd_error err = {0};
    if (!app->store || pd_store_list(app->store, &list, &err) != 0)
        return;
    for (size_t i = 0; i < list.n; i++)
        offer(c, list.items[i]->slug, prefix);
    for (size_t i = 0; !c->n && i < list.n; i++)
        if (strstr(list.items[i]->slug, prefix))
            offer(c, list.items[i]->slug, "");
    pd_prompt_list_free(&list);
}

/* The prompt the command is about: a slug typed before this word, else the prompt of the
 * topmost pane that shows one. */
static const char *prompt_of(pd_app *app, const pd_cmddef *d, char **argv, int word)
{
    const char *spec = d->args;
    for (int i = 1; i < word && spec && *spec; i++) {
        size_t n = strcspn(spec, " ");
        if (n == 4 && !strncmp(spec, "SLUG", 4))
            return argv[i];
        spec += n;
        spec += strspn(spec, " ");
    }
    for (size_t i = app->n_views; i-- > 0;)
        if (app->stack[i]->ops->prompt_slug)
            return app->stack[i]->ops->prompt_slug(app->stack[i]);
    return NULL;
}

static void offer_prompt_things(pd_app *app, cands *c, const char *slug, bool labels, const char *prefix)
{
    pd_prompt *p = NULL;
    pd_error err = {0};
    if (!slug || !app->store || pd_store_get_prompt(app->store, slug, &p, &err) != 0)
        return;
    if (labels) {
        for (size_t i = 0; i < p->n_labels; i++)
            offer(c, p->labels[i].name, prefix);
    } else {
        for (int v = p->current_version; v >= 1; v--) {
            char num[16];
            snprintf(num, sizeof num, "%d", v);
            offer(c, num, prefix);
        }
    }
    pd_prompt_free(p);
}

/* Candidates for argument `word` (1 = the first) of command d, as its args name it. */
static void offer_argument(pd_app *app, cands *c, const pd_cmddef *d, char **argv, int word, const char *prefix)
{
    const char *spec = d->args ? d->args : "";
    for (int i = 1; i < word && *spec; i++) {
        spec += strcspn(spec, " ");
        spec += strspn(spec, " ");
    }
    size_t n = strcspn(spec, " ");
    char kind[64];
    snprintf(kind, sizeof kind, "%.*s", (int)(n < sizeof kind ? n : sizeof kind - 1), spec);
    if (!strcmp(kind, "SLUG")) {
        offer_slugs(app, c, prefix);
    } else if (!strcmp(kind, "VERSION")) {
        offer_prompt_things(app, c, prompt_of(app, d, argv, word), false, prefix);
    } else if (!strcmp(kind, "LABEL")) {
        offer_prompt_things(app, c, prompt_of(app, d, argv, word), true, prefix);
        offer(c, "production", prefix);
        offer(c, "staging", prefix);
    } else if (!strcmp(kind, "THEME")) {
        size_t k;
        char **names = pd_theme_names(&k);
        offer(c, "default", prefix);
        for (size_t i = 0; i < k; i++) {
            offer(c, names[i], prefix);
            free(names[i]);
        }
        free(names);
    } else if (!strcmp(kind, "PANE")) {
        for (size_t i = 0; i < app->n_panes; i++)
            offer(c, app->panes[i].ops->name, prefix);
        offer(c, "panes", prefix);
    } else if (strchr(kind, '|') || (kind[0] >= 'a' && kind[0] <= 'z')) {
        /* words to choose from: "name|changed", "on|off" */
        for (char *w = kind; *w;) {
            size_t len = strcspn(w, "|");
            char save = w[len];
            w[len] = '\0';
            offer(c, w, prefix);
            w[len] = save;
            w += len + (save ? 1 : 0);
        }
    }
    if (strcmp(kind, "VERSION") != 0 && c->n > 1)
        qsort(c->w, c->n, sizeof *c->w, compare_words);
}

/* ---- putting a candidate in ---- */

static size_t shared_prefix(char **w, size_t n)
{
    size_t len = strlen(w[0]);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && w[i][k] == w[0][k])
            k++;
        len = k;
    }
    return len;
}

/* Replaces the text from sl->comp_from to the cursor with word[0..len) (and a space after a
 * word that is complete). */
static void put_word(app_statusline *sl, const char *word, size_t len, bool complete)
{
    pd_textbuf *tb = sl->text;
    pd_tb_delete_range(tb, sl->comp_from, pd_tb_cursor(tb));
    pd_tb_insert(tb, word, len);
    if (complete && (pd_tb_cursor(tb) >= pd_tb_len(tb) || pd_tb_text(tb)[pd_tb_cursor(tb)] != ' '))
        pd_tb_insert(tb, " ", 1);
    pd_tb_break_group(tb);
    sl->comp_gen = pd_tb_generation(tb);
}

void pd_cmdline_complete(pd_app *app, int dir)
{
    app_statusline *sl = &app->statusline;
    pd_textbuf *tb = sl->text;
    if (sl->n_comp > 1 && sl->comp_gen == pd_tb_generation(tb)) {
        /* Tab again: the next candidate */
        if (sl->comp_i == SIZE_MAX)
            sl->comp_i = dir > 0 ? 0 : sl->n_comp - 1;
        else
            sl->comp_i = (sl->comp_i + sl->n_comp + (size_t)(dir > 0 ? 1 : -1)) % sl->n_comp;
        put_word(sl, sl->comp[sl->comp_i], strlen(sl->comp[sl->comp_i]), false);
        return;
    }
    pd_cmdline_complete_reset(sl);
    char *before = pd_strndup(pd_tb_text(tb), pd_tb_cursor(tb));
    size_t from = strlen(before);
    while (from > 0 && before[from - 1] != ' ')
        from--;
    int argc;
    char **argv = pd_cmd_split(before, &argc);
    int word = from == strlen(before) ? argc : argc - 1;   /* the word being typed */
    const char *prefix = before + from;
    cands c = {0};
    if (word == 0) {
        offer_commands(app, &c, prefix);
        if (c.n > 1)
            qsort(c.w, c.n, sizeof *c.w, compare_words);
    } else {
        const pd_cmddef *d = find_command(app, argv[0]);
        if (d)
            offer_argument(app, &c, d, argv, word, prefix);
    }
    sl->comp_from = from;
    if (c.n == 0) {
        pd_app_status(app, word ? "Nothing to complete here" : "No command starts with that");
    } else if (c.n == 1) {
        put_word(sl, c.w[0], strlen(c.w[0]), true);
        free(c.w[0]);
        free(c.w);
    } else {
        sl->comp = c.w;
        sl->n_comp = c.n;
        size_t common = shared_prefix(c.w, c.n);
        if (common > strlen(prefix))
            put_word(sl, c.w[0], common, false);
        else
            sl->comp_gen = pd_tb_generation(tb);
    }
    pd_cmd_free_argv(argv, argc);
    free(before);
}
