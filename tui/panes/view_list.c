/* view_list.c: the main screen: prompts in folders made from their slugs (collapsible),
 * name (with tags and description when the pane is wide), current version, labels and last
 * change; filter as you type, sort, and the prompt actions (new, duplicate, rename, delete
 * with confirmation). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "editor/editor.h"
#include "provider/provider.h"
#include "runpanes/runpanes.h"
#include "panes_priv.h"

enum {
    ACT_TOGGLE = PD_VIEW_ACT,
    ACT_FILTER,
    ACT_SORT,
    ACT_NEW,
    ACT_DUP,
    ACT_RENAME,
    ACT_DELETE,
    ACT_EDIT,
    ACT_DIFF,
    ACT_DETAIL,
    ACT_RUN,
    ACT_HISTORY,
    ACT_FOLD_ALL,
    ACT_RELOAD,
    ACT_SYNC,
};

static const pd_keydef list_keys[] = {
    {ACT_TOGGLE, "open", "<Enter> o", "Open the prompt's timeline / fold or unfold a folder"},
    {ACT_FILTER, "filter", "/", "Filter as you type (slug, name, tags, labels, text); Enter keeps, Esc clears"},
    {ACT_SORT, "sort", "s", "Sort by name / by last change"},
    {ACT_NEW, "new", "a", "New prompt"},
    {ACT_DUP, "duplicate", "c", "Duplicate the prompt"},
    {ACT_RENAME, "rename", "r", "Rename (move) the prompt"},
    {ACT_DELETE, "delete", "D", "Delete the prompt (asks first)"},
    {ACT_EDIT, "edit", "e", "Edit the current version"},
    {ACT_DIFF, "diff", "d", "Diff the current version with the one before"},
    {ACT_DETAIL, "detail", "v", "Show the current version"},
    {ACT_RUN, "run", "x", "Run the prompt (variables form)"},
    {ACT_HISTORY, "history", "H", "Run history"},
    {ACT_FOLD_ALL, "fold-all", "z", "Fold / unfold every folder"},
    {ACT_RELOAD, "reload", "R", "Reload the library from disk"},
    {ACT_SYNC, "sync", "S", "Sync with the git upstream, in the background"},
    {0, NULL, NULL, NULL},
};

static const char *const list_notes[] = {
    "#Commands of this pane",
    ":sort name|changed      sort order",
    ":filter TEXT            filter (words must all match)",
    ":new SLUG  :dup SLUG  :rename SLUG  :delete  :reload  :open SLUG (or a part of it)",
    "A prompt that matches the filter by its text, description, tags or labels shows where.",
    "Marks before a name: ! damaged (the reason shows when opened); ↓ the last sync (S)",
    "  brought changes to it (the timeline marks its versions [new]); ⇣ changed on the",
    "  upstream, not pulled yet (:sync check fetches and marks them; S pulls them).",
    "  After a folder's name, ↓ or ⇣ says one of its prompts has that mark.",
    NULL,
};

static const pd_cmddef list_commands[] = {
    {"sort", "name|changed", "Sort order"},
    {"filter", "TEXT", "Filter (words must all match)"},
    {"open", "SLUG", "Open a prompt's timeline (a part of the slug will do)"},
    {"new", "SLUG", "New prompt"},
    {"dup", "NAME", "Duplicate the prompt"},
    {"rename", "NAME", "Rename the prompt"},
    {"delete", "", "Delete the prompt (asks first)"},
    {"reload", "", "Reload the library"},
    {"sync", "[check]", "Sync with the git upstream in the background (check: only fetch, mark what changed)"},
    {NULL, NULL, NULL},
};

typedef enum { SORT_NAME, SORT_CHANGED } sort_mode;

typedef struct node {
    char *seg;              /* last slug segment (folders: the folder's name, owned; prompts: in the slug) */
    char *path;             /* folder path "a/b" (folders only) */
    long prompt;            /* index into list.items, -1 for folders */
    struct node **kids;
    size_t n_kids, cap_kids;
    struct node *last_folder;   /* the kid folder found last (prompts come in slug order) */
    const char *newest;     /* newest updated_at under it */
} node;

typedef struct row {
    node *n;
    int depth;
} row;

typedef struct list_state {
    pd_prompt_list list;
    char **text;            /* searchable text per prompt (built on first filter) */
    size_t n_loaded;        /* prompts whose messages are in text[] already */
    bool *match;
    size_t n_match;
    char *filter;
    sort_mode sort;
    char **collapsed;       /* folder paths folded */
    size_t n_collapsed;
    node *root;
    node *leaves;           /* the prompts' nodes (list.n of room), the folders' kids point here */
    row *rows;
    size_t n_rows, cap_rows;
    size_t *row_of;         /* the row showing each prompt (by index in list), SIZE_MAX: none */
    char *pending_slug;     /* for the confirmation callbacks */
    char *new_slug, *new_name, *new_provider;   /* a new prompt's answers so far */
    char *select_slug;      /* a prompt to select when the library says it changed (once created) */
    char *shown_slug;       /* the prompt whose timeline the list opened beside it */
    long preview_due;       /* when to show the selected prompt's timeline there (ms), or 0 */
    int source;             /* the timer source for that, 0 when not registered */
    int verify_timer;       /* the whole listing's check after the first screen, or 0 */
    panes_live *live;       /* follows the library on disk (NULL in scripted mode) */
    panes_sync *sync;       /* a sync running in the background, or NULL */
    pd_sync_news news;      /* what the last sync brought (read from its record, no git) */
} list_state;

/* Frees folder n and the folders under it; its prompts' nodes are in list_state's leaves. */
static void node_free(node *n)
{
    if (!n || n->prompt >= 0)
        return;
    for (size_t i = 0; i < n->n_kids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->seg);
    free(n->path);
    free(n);
}

static node *folder_new(const char *seg, size_t len, const char *path, size_t path_len)
{
    node *n = pd_xcalloc(1, sizeof *n);
    n->seg = pd_strndup(seg, len);
    n->path = pd_strndup(path, path_len);
    n->prompt = -1;
    n->newest = "";
    return n;
}

static void add_kid(node *parent, node *kid)
{
    if (parent->n_kids == parent->cap_kids) {   /* doubling: a folder of 10,000 prompts is built at each key */
        parent->cap_kids = parent->cap_kids ? 2 * parent->cap_kids : 8;
        parent->kids = pd_xrealloc(parent->kids, parent->cap_kids * sizeof *parent->kids);
    }
    parent->kids[parent->n_kids++] = kid;
}

static bool is_folder(const node *k, const char *seg, size_t len)
{
    return k && k->prompt < 0 && strncmp(k->seg, seg, len) == 0 && k->seg[len] == '\0';
}

/* The folder seg[0..len) in parent (its path slug[0..path_len)), made when not there yet. The
 * prompts come in slug order, so a folder's prompts follow each other: the folder found last
 * is asked first, not every kid (10,000 prompts beside a folder were 10,000 looks each). */
static node *child_folder(node *parent, const char *seg, size_t len, const char *slug, size_t path_len)
{
    if (is_folder(parent->last_folder, seg, len))
        return parent->last_folder;
    for (size_t i = 0; i < parent->n_kids; i++)
        if (is_folder(parent->kids[i], seg, len))
            return parent->last_folder = parent->kids[i];
    node *n = folder_new(seg, len, slug, path_len);
    add_kid(parent, n);
    return parent->last_folder = n;
}

static sort_mode cmp_mode;
/* qsort has no context argument: the mode is set just before sorting (single-threaded). */
static int node_cmp(const void *a, const void *b)
{
    const node *x = *(node *const *)a, *y = *(node *const *)b;
    if ((x->prompt < 0) != (y->prompt < 0))
        return x->prompt < 0 ? -1 : 1;   /* folders first */
    if (cmp_mode == SORT_CHANGED) {
        int c = strcmp(y->newest, x->newest);
        if (c)
            return c;
    }
    return strcmp(x->seg, y->seg);
}

static const char *newest_of(node *n)
{
    for (size_t i = 0; i < n->n_kids; i++) {
        const char *k = newest_of(n->kids[i]);
        if (strcmp(k, n->newest) > 0)
            n->newest = k;
    }
    return n->newest;
}

static bool kids_in_order(const node *n)
{
    for (size_t i = 1; i < n->n_kids; i++)
        if (node_cmp(&n->kids[i - 1], &n->kids[i]) > 0)
            return false;
    return true;
}

/* A folder's prompts come in slug order, which is their order by name: sorted only when not
 * (by time, or folders among prompts), instead of at every key of a filter. */
static void sort_tree(node *n)
{
    if (n->n_kids > 1 && !kids_in_order(n))
        qsort(n->kids, n->n_kids, sizeof *n->kids, node_cmp);
    for (size_t i = 0; i < n->n_kids; i++)
        sort_tree(n->kids[i]);
}

static bool is_collapsed(const list_state *s, const char *path)
{
    for (size_t i = 0; i < s->n_collapsed; i++)
        if (!strcmp(s->collapsed[i], path))
            return true;
    return false;
}

static void add_row(list_state *s, node *n, int depth)
{
    if (s->n_rows == s->cap_rows) {
        s->cap_rows = s->cap_rows ? 2 * s->cap_rows : 64;
        s->rows = pd_xrealloc(s->rows, s->cap_rows * sizeof *s->rows);
    }
    if (n->prompt >= 0)
        s->row_of[n->prompt] = s->n_rows;
    s->rows[s->n_rows++] = (row){n, depth};
}

static void flatten(list_state *s, node *n, int depth)
{
    for (size_t i = 0; i < n->n_kids; i++) {
        node *k = n->kids[i];
        add_row(s, k, depth);
        if (k->prompt < 0 && (s->filter || !is_collapsed(s, k->path)))
            flatten(s, k, depth + 1);
    }
}

static void build(list_state *s)
{
    node_free(s->root);
    s->root = folder_new("", 0, "", 0);
    /* one node a prompt shown, in one array (their names point into the slugs): building the
       tree at each key of a filter over 100,000 prompts spent most of its time in malloc */
    s->leaves = pd_xrealloc(s->leaves, (s->list.n ? s->list.n : 1) * sizeof *s->leaves);
    s->n_match = 0;
    for (size_t i = 0; i < s->list.n; i++) {
        if (s->filter && !s->match[i])
            continue;
        s->n_match++;
        pd_prompt *p = s->list.items[i];
        const char *slug = p->slug ? p->slug : "?";
        node *parent = s->root;
        const char *seg = slug;
        for (const char *slash; (slash = strchr(seg, '/')) != NULL; seg = slash + 1)
            parent = child_folder(parent, seg, (size_t)(slash - seg), slug, (size_t)(slash - slug));
        node *leaf = &s->leaves[s->n_match - 1];
        *leaf = (node){.seg = (char *)seg, .prompt = (long)i, .newest = p->updated_at ? p->updated_at : ""};
        add_kid(parent, leaf);
    }
    newest_of(s->root);
    cmp_mode = s->sort;
    sort_tree(s->root);
    s->n_rows = 0;
    s->row_of = pd_xrealloc(s->row_of, (s->list.n ? s->list.n : 1) * sizeof *s->row_of);
    for (size_t i = 0; i < s->list.n; i++)
        s->row_of[i] = SIZE_MAX;
    flatten(s, s->root, 0);
}

/* The searchable text: metadata for every prompt at once (cheap), the current version's
 * messages in chunks from the loop (LOAD_CHUNK per pass), so the first keystroke of a filter
 * over 10,000 prompts does not freeze the screen; matches by text appear as they load. */
#define LOAD_CHUNK 256

static void load_text_meta(list_state *s)
{
    if (s->text)
        return;
    s->text = pd_xcalloc(s->list.n ? s->list.n : 1, sizeof *s->text);
    for (size_t i = 0; i < s->list.n; i++) {
        pd_prompt *p = s->list.items[i];
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "%s\n%s\n%s\n", p->slug ? p->slug : "", p->name ? p->name : "",
                      p->description ? p->description : "");
        for (size_t t = 0; t < p->n_tags; t++)
            pd_buf_printf(&b, "%s\n", p->tags[t]);
        for (size_t l = 0; l < p->n_labels; l++)
            pd_buf_printf(&b, "%s\n", p->labels[l].name);
        s->text[i] = pd_buf_take(&b);
        pd_buf_free(&b);
    }
    s->n_loaded = 0;
}

/* Adds the messages of up to n more prompts to their searchable text. */
static void load_text_step(pd_app *app, list_state *s, size_t n)
{
    for (size_t end = s->n_loaded + n; s->n_loaded < s->list.n && s->n_loaded < end; s->n_loaded++) {
        size_t i = s->n_loaded;
        pd_prompt *p = s->list.items[i];
        pd_version *v = NULL;
        pd_error err = {0};
        if (p->damaged || (pd_store_get_listed_version(pd_app_store(app), p, &v, NULL) != 0 &&
                           pd_store_get_version(pd_app_store(app), p->slug, 0, &v, &err) != 0))
            continue;
        pd_buf b = PD_BUF_INIT;
        pd_buf_puts(&b, s->text[i]);
        for (size_t m = 0; m < v->n_messages; m++)
            if (v->messages[m].content)
                pd_buf_printf(&b, "%s\n", v->messages[m].content);
        pd_version_free(v);
        free(s->text[i]);
        s->text[i] = pd_buf_take(&b);
        pd_buf_free(&b);
    }
}

/* Whether text holds every word of filter (case aside). */
static bool text_matches(const char *text, const char *filter)
{
    bool ok = true;
    char *save = NULL, *copy = pd_strdup(filter);
    for (char *w = strtok_r(copy, " ", &save); w && ok; w = strtok_r(NULL, " ", &save))
        ok = strcasestr(text, w) != NULL;
    free(copy);
    return ok;
}

/* match[i] again for i in [from, to), whose text or the filter changed; returns how many
 * changed. narrowed: the filter only grew at its end since match[] was made (a key typed), so
 * a prompt that did not match cannot match now and is not looked at. */
static size_t match_range(list_state *s, size_t from, size_t to, bool narrowed)
{
    size_t changed = 0;
    for (size_t i = from; i < to; i++) {
        if (narrowed && !s->match[i])
            continue;
        bool ok = text_matches(s->text[i], s->filter);
        changed += ok != s->match[i];
        s->match[i] = ok;
    }
    return changed;
}

static void match_all(list_state *s, bool narrowed)
{
    if (!s->match || !narrowed) {
        free(s->match);
        s->match = pd_xcalloc(s->list.n ? s->list.n : 1, sizeof *s->match);
        narrowed = false;
    }
    match_range(s, 0, s->list.n, narrowed);
}

static void ensure_source(pd_view *v);

static void apply_filter(pd_view *v, const char *f)
{
    list_state *s = v->data;
    bool narrowed = s->filter && f && strncmp(f, s->filter, strlen(s->filter)) == 0;
    free(s->filter);
    s->filter = (f && *f) ? pd_strdup(f) : NULL;
    if (s->filter) {
        load_text_meta(s);
        match_all(s, narrowed);
        if (s->n_loaded < s->list.n)
            ensure_source(v);
    }
}

static void free_text(list_state *s)
{
    for (size_t i = 0; s->text && i < s->list.n; i++)
        free(s->text[i]);
    free(s->text);
    s->text = NULL;
}

static pd_prompt *selected_prompt(pd_view *v)
{
    list_state *s = v->data;
    if (v->cursor >= s->n_rows)
        return NULL;
    node *n = s->rows[v->cursor].n;
    return n->prompt >= 0 ? s->list.items[n->prompt] : NULL;
}

/* bsearch's order of the listing: by slug. */
static int cmp_slug(const void *key, const void *item)
{
    return strcmp(key, (*(pd_prompt *const *)item)->slug);
}

/* Rebuilds the rows keeping the cursor on the same prompt/folder when it is still there.
 * The names may point into the old rows: they are copied before those are freed. */
static void rebuild(pd_view *v, const char *keep_slug_in, const char *keep_folder_in)
{
    list_state *s = v->data;
    char *keep_slug = pd_strdup(keep_slug_in), *keep_folder = pd_strdup(keep_folder_in);
    build(s);
    size_t at = v->cursor < s->n_rows ? v->cursor : (s->n_rows ? s->n_rows - 1 : 0);
    /* the prompt found by halves in the listing (sorted by slug), not row by row */
    pd_prompt **kept = keep_slug && s->list.n ? bsearch(keep_slug, s->list.items, s->list.n, sizeof *s->list.items,
                                                        cmp_slug)
                                              : NULL;
    if (kept && s->row_of[kept - s->list.items] != SIZE_MAX)
        at = s->row_of[kept - s->list.items];
    for (size_t i = 0; keep_folder && i < s->n_rows; i++) {
        node *n = s->rows[i].n;
        if (n->prompt < 0 && !strcmp(n->path, keep_folder)) {
            at = i;
            break;
        }
    }
    free(keep_slug);
    free(keep_folder);
    pd_view_set_lines(v, s->n_rows || !s->filter ? s->n_rows : 1);   /* 1: "nothing matches" */
    pd_view_move_cursor(v, at);
    pd_view_dirty_all(v);
}

static int load(pd_view *v, size_t first);

/* Following the library on disk starts with its signature (stats of every prompt): taken after
 * the first paint, before the listing checked whole, so that a change from then on shows. */
static void start_following(pd_view *v)
{
    list_state *s = v->data;
    if (!s->live)
        s->live = panes_live_start(v->app);
}

static void verify_listing(pd_app *app, void *ud)
{
    (void)app;
    pd_view *v = ud;
    ((list_state *)v->data)->verify_timer = 0;
    start_following(v);
    load(v, SIZE_MAX);
}

/* The prompts a first screen can show, at most (checked before it is drawn). */
#define FIRST_SCREEN_PROMPTS 256

/* Lists the library again. first < SIZE_MAX: for the first screen, only what it shows is
 * checked against the files (pd_store_list_first); the whole listing is checked as soon as the
 * loop runs, after the first paint. */
static int load(pd_view *v, size_t first)
{
    list_state *s = v->data;
    pd_prompt *cur = selected_prompt(v);
    char *keep = cur ? pd_strdup(cur->slug) : NULL;
    free_text(s);
    pd_prompt_list_free(&s->list);
    memset(&s->list, 0, sizeof s->list);
    pd_error err = {0};
    if (s->verify_timer && first == SIZE_MAX) {   /* checked whole now: no need later */
        pd_app_cancel_timer(v->app, s->verify_timer);
        s->verify_timer = 0;
        start_following(v);
    }
    int rc = first == SIZE_MAX ? pd_store_list(pd_app_store(v->app), &s->list, &err)
                               : pd_store_list_first(pd_app_store(v->app), first, &s->list, &err);
    if (rc == 1) {
        rc = 0;
        s->verify_timer = pd_app_add_timer(v->app, 0, verify_listing, v);
    }
    if (rc != 0)
        pd_app_error_err(v->app, &err);
    pd_sync_news_free(&s->news);
    pd_store_last_sync(pd_app_store(v->app), &s->news, NULL);
    free(s->match);
    s->match = NULL;
    if (s->filter) {
        char *f = pd_strdup(s->filter);
        apply_filter(v, f);
        free(f);
    }
    rebuild(v, keep, NULL);
    free(keep);
    return rc;
}

static int reload(pd_view *v)
{
    return load(v, SIZE_MAX);
}

/* ---- drawing ---- */

/* The mark of a folder: ↓ when the last sync changed a prompt in it, ⇣ when the upstream
 * changed one not pulled yet, else NULL (so a folded folder still shows them). */
static const char *folder_news(const pd_sync_news *news, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < news->n; i++)
        if (!strncmp(news->prompts[i].slug, path, n) && news->prompts[i].slug[n] == '/')
            return " ↓";
    for (size_t i = 0; i < news->n_upstream; i++)
        if (!strncmp(news->upstream[i], path, n) && news->upstream[i][n] == '/')
            return " ⇣";
    return NULL;
}

static void draw_labels(pd_app *app, pd_pen *p, const pd_prompt *pr, attr_t base, bool sel)
{
    for (size_t i = 0; i < pr->n_labels; i++) {
        const char *n = pr->labels[i].name;
        pd_style st = pd_style_for_label(n);
        pd_pen_str(p, " ", base);
        pd_pen_str(p, panes_label_short(n), sel ? base : pd_app_attr(app, st));
    }
}

/* Where prompt i matches the filter, when the row does not show it (not in the slug or the
 * name): the line of its text holding the filter's first word, from a little before the
 * match, with the match in the search style. */
static bool draw_snippet(pd_app *app, pd_pen *p, const list_state *s, long i, attr_t base, bool sel)
{
    const char *t = s->text[i], *end_meta = t;
    for (int k = 0; k < 2 && (end_meta = strchr(end_meta, '\n')); k++)
        end_meta++;   /* past the slug and name lines */
    size_t wl = strcspn(s->filter + strspn(s->filter, " "), " ");
    char *word = pd_strndup(s->filter + strspn(s->filter, " "), wl);
    const char *m = wl ? strcasestr(t, word) : NULL;
    free(word);
    if (!m || !end_meta || m < end_meta)
        return false;
    const char *ls = m, *le = m + strcspn(m, "\n");
    while (ls > t && ls[-1] != '\n')
        ls--;
    long before = pd_pen_left(p) / 4 < 12 ? pd_pen_left(p) / 4 : 12;   /* the text just before it */
    const char *from = m - ls > before ? m - before : ls;
    while (from > ls && (*from & 0xC0) == 0x80)
        from--;
    attr_t dim = sel ? base : pd_app_attr(app, PD_STYLE_DIM);
    pd_pen_str(p, from > ls ? "  …" : "  ", dim);
    pd_pen_text(p, from, (size_t)(m - from), dim);
    pd_pen_text(p, m, wl, sel ? base : pd_app_attr(app, PD_STYLE_SEARCH));
    pd_pen_text(p, m + wl, (size_t)(le - (m + wl)), dim);
    return true;
}

/* A pane this wide has room after the names for each prompt's tags and description. */
#define META_MIN_WIDTH 100

/* After the name, when there is room: the prompt's tags ("#a #b") and the first line of its
 * description, dim, cut with "…" where the name column ends. */
static void draw_meta(pd_app *app, pd_pen *p, const pd_prompt *pr, attr_t base, bool sel)
{
    int room = pd_pen_left(p) - 2;
    if (room < 8)
        return;
    pd_buf b = PD_BUF_INIT;
    for (size_t t = 0; t < pr->n_tags; t++)
        pd_buf_printf(&b, "%s#%s", t ? " " : "", pr->tags[t]);
    if (pr->description && *pr->description)
        pd_buf_printf(&b, "%s%.*s", b.len ? "  " : "", (int)strcspn(pr->description, "\r\n"),
                      pr->description);
    if (b.len) {
        const char *t = pd_buf_str(&b);
        attr_t dim = sel ? base : pd_app_attr(app, PD_STYLE_DIM);
        bool cut = pd_text_width(t, b.len, 0) > room;
        pd_pen_str(p, "  ", base);
        pd_pen_text(p, t, cut ? pd_text_fit(t, b.len, room - 1, false) : b.len, dim);
        if (cut)
            pd_pen_str(p, "…", dim);
    }
    pd_buf_free(&b);
}

static void list_draw(pd_view *v, int rowi, size_t line, bool selected)
{
    list_state *s = v->data;
    pd_app *app = v->app;
    if (line >= s->n_rows) {
        pd_pen e = pd_pen_at(v->win, rowi, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
        pd_pen_printf(&e, pd_app_attr(app, PD_STYLE_DIM), " No prompt matches \"%s\" (slug, name, tags, labels, text)",
                      s->filter ? s->filter : "");
        pd_pen_fill(&e, pd_app_attr(app, PD_STYLE_NORMAL));
        return;
    }
    row *r = &s->rows[line];
    node *n = r->n;
    attr_t base = selected ? pd_app_cursor_attr(app, v) : pd_app_attr(app, PD_STYLE_NORMAL);
#define ST(x) (selected ? base : pd_app_attr(app, (x)))
    pd_pen p = pd_pen_at(v->win, rowi, 0, v->width, ST(PD_STYLE_CONTROL));
    pd_pen_printf(&p, base, "%*s", 1 + r->depth * 2, "");
    if (n->prompt < 0) {
        bool folded = !s->filter && is_collapsed(s, n->path);
        pd_pen_str(&p, folded ? "+ " : "- ", ST(PD_STYLE_DIM));
        pd_pen_str(&p, n->seg, ST(PD_STYLE_FOLDER));
        pd_pen_str(&p, "/", ST(PD_STYLE_FOLDER));
        pd_pen_printf(&p, ST(PD_STYLE_DIM), " (%zu)", n->n_kids);
        const char *mark = folder_news(&s->news, n->path);
        if (mark)
            pd_pen_str(&p, mark, ST(PD_STYLE_MARK));
        pd_pen_fill(&p, base);
        return;
    }
    pd_prompt *pr = s->list.items[n->prompt];
    bool wide = v->width >= 60;
    /* right-hand columns: version, labels, date */
    char ver[16];
    snprintf(ver, sizeof ver, "v%d", pr->current_version);
    int labels_w = 0;
    for (size_t i = 0; i < pr->n_labels; i++) {
        labels_w += 1 + (int)strlen(panes_label_short(pr->labels[i].name));
    }
    if (labels_w > 18)
        labels_w = 18;
    int right_w = wide ? 5 + 19 + 11 : 5;
    if (pr->damaged)
        pd_pen_str(&p, "! ", ST(PD_STYLE_ERROR));
    else if (pd_sync_news_find(&s->news, pr->slug))
        pd_pen_str(&p, "↓ ", ST(PD_STYLE_MARK));   /* the last sync brought changes */
    else if (pd_sync_news_upstream(&s->news, pr->slug))
        pd_pen_str(&p, "⇣ ", ST(PD_STYLE_MARK));   /* changed upstream, not pulled */
    else
        pd_pen_str(&p, "  ", base);
    int name_end = v->width - right_w;
    pd_pen left = p;
    left.end = name_end > p.x ? name_end : p.x;
    pd_pen_str(&left, n->seg, ST(PD_STYLE_SLUG));
    if (wide && pr->name && *pr->name && strcmp(pr->name, n->seg) != 0) {
        pd_pen_str(&left, "  ", base);
        pd_pen_str(&left, pr->name, ST(PD_STYLE_NAME));
    }
    bool snippet = s->filter && s->text && draw_snippet(app, &left, s, n->prompt, base, selected);
    if (!snippet && v->width >= META_MIN_WIDTH)
        draw_meta(app, &left, pr, base, selected);
    pd_pen_pad_to(&left, left.end, base);
    p.x = left.x;
    pd_pen_printf(&p, ST(PD_STYLE_VERSION), " %4s", ver);
    if (wide) {
        int lx = p.x;
        pd_pen lab = p;
        lab.end = lx + 19 < p.end ? lx + 19 : p.end;
        draw_labels(app, &lab, pr, base, selected);
        pd_pen_pad_to(&lab, lab.end, base);
        p.x = lab.x;
        char date[16];
        snprintf(date, sizeof date, "%.10s", pr->updated_at ? pr->updated_at : "");
        pd_pen_printf(&p, ST(PD_STYLE_DATE), " %-10s", date);
    }
    pd_pen_fill(&p, base);
#undef ST
}

static void list_title(pd_view *v, char *buf, size_t size)
{
    list_state *s = v->data;
    snprintf(buf, size, "Prompts %zu/%zu  sort: %s%s%s", s->filter ? s->n_match : s->list.n, s->list.n,
             s->sort == SORT_NAME ? "name" : "last change", s->filter ? "  filter: " : "",
             s->filter ? s->filter : "");
}

/* ---- actions ---- */

static void toggle_folder(pd_view *v, node *n, int want /* -1 toggle, 0 unfold, 1 fold */)
{
    list_state *s = v->data;
    if (s->filter)
        return;
    bool folded = is_collapsed(s, n->path);
    bool fold = want < 0 ? !folded : want == 1;
    if (fold == folded)
        return;
    if (fold) {
        s->collapsed = pd_xrealloc(s->collapsed, (s->n_collapsed + 1) * sizeof *s->collapsed);
        s->collapsed[s->n_collapsed++] = pd_strdup(n->path);
    } else {
        for (size_t i = 0; i < s->n_collapsed; i++) {
            if (!strcmp(s->collapsed[i], n->path)) {
                free(s->collapsed[i]);
                s->collapsed[i] = s->collapsed[--s->n_collapsed];
                break;
            }
        }
    }
    char *keep = pd_strdup(n->path);
    rebuild(v, NULL, keep);
    free(keep);
}

static void fold_all(pd_view *v)
{
    list_state *s = v->data;
    if (s->n_collapsed) {
        for (size_t i = 0; i < s->n_collapsed; i++)
            free(s->collapsed[i]);
        s->n_collapsed = 0;
    } else {
        for (size_t i = 0; i < s->n_rows; i++) {
            node *n = s->rows[i].n;
            if (n->prompt < 0) {
                s->collapsed = pd_xrealloc(s->collapsed, (s->n_collapsed + 1) * sizeof *s->collapsed);
                s->collapsed[s->n_collapsed++] = pd_strdup(n->path);
            }
        }
    }
    rebuild(v, NULL, NULL);
}

static void filter_changed(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    pd_prompt *cur = selected_prompt(v);
    char *keep = cur ? pd_strdup(cur->slug) : NULL;
    (void)app;
    apply_filter(v, text);
    rebuild(v, keep, NULL);
    free(keep);
}

static void filter_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    filter_changed(app, ud, text);   /* NULL (Esc) clears the filter */
    list_state *s = v->data;
    if (s->filter && s->n_match == 0)
        pd_app_status(app, "No prompt matches '%s'", s->filter);
}

static void open_timeline(pd_view *v, pd_prompt *p)
{
    list_state *s = v->data;
    if (p->damaged) {
        pd_app_error(v->app, "%s", p->damage ? p->damage : "this prompt's files are damaged");
        return;
    }
    s->preview_due = 0;
    pd_open_timeline(v->app, v, p->slug);
    if (pd_app_above(v->app, v)) {
        free(s->shown_slug);
        s->shown_slug = pd_strdup(p->slug);
    }
}

/* ---- the timeline beside the list follows the cursor (after a short pause, so holding j
 * does not load every prompt on the way) ---- */

#define PREVIEW_DELAY_MS 150

static size_t list_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    (void)fds;
    (void)max;
    list_state *s = ((pd_view *)ud)->data;
    if (s->filter && s->text && s->n_loaded < s->list.n) {
        *timeout_ms = 0;   /* more text to load: come back at once (keys still go first) */
    } else if (s->preview_due) {
        long left = s->preview_due - pd_app_now_ms();
        *timeout_ms = left > 0 ? (int)left : 0;
    }
    return 0;
}

static void load_more(pd_view *v)
{
    list_state *s = v->data;
    size_t from = s->n_loaded;
    load_text_step(v->app, s, LOAD_CHUNK);
    /* only the prompts whose text grew are matched again (all of them at each chunk was
       quadratic: 8 s of CPU for a filter at 100,000 prompts) */
    if (match_range(s, from, s->n_loaded, false) == 0)
        return;
    pd_prompt *cur = selected_prompt(v);
    char *keep = cur ? pd_strdup(cur->slug) : NULL;
    rebuild(v, keep, NULL);
    free(keep);
}

static void list_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    (void)fds;
    (void)n;
    pd_view *v = ud;
    list_state *s = v->data;
    if (s->filter && s->text && s->n_loaded < s->list.n)
        load_more(v);
    if (!s->preview_due || pd_app_now_ms() < s->preview_due)
        return;
    s->preview_due = 0;
    pd_prompt *p = selected_prompt(v);
    pd_view *above = pd_app_above(v->app, v);
    if (!p || p->damaged || !above || pd_app_above(v->app, above) || !s->shown_slug ||
        !strcmp(p->slug, s->shown_slug) || pd_app_focus(v->app) != v)
        return;
    open_timeline(v, p);
    pd_app_set_focus(v->app, v);
}

static void ensure_source(pd_view *v)
{
    list_state *s = v->data;
    if (!s->source) {
        pd_source src = {list_pollfds, list_dispatch, v};
        s->source = pd_app_add_source(v->app, &src);
    }
}

static void list_select(pd_view *v)
{
    list_state *s = v->data;
    pd_view *above = pd_app_above(v->app, v);
    if (!above || !s->shown_slug)
        return;
    ensure_source(v);
    s->preview_due = pd_app_now_ms() + PREVIEW_DELAY_MS;
}

/* Creates slug with from's metadata (NULL: named after the slug) and content as version 1. */
static int create_prompt(pd_app *app, const char *slug, const pd_prompt *from, const pd_version *content)
{
    pd_error err = {0};
    if (!pd_slug_valid(slug, &err)) {
        pd_app_error_err(app, &err);
        return -1;
    }
    pd_prompt p = {0};
    p.slug = (char *)slug;
    p.name = from && from->name ? from->name : (char *)slug;
    p.description = from && from->description ? from->description : "";
    p.tags = from ? from->tags : NULL;
    p.n_tags = from ? from->n_tags : 0;
    int rc = pd_store_create(pd_app_store(app), &p, content, &err);
    if (rc != 0)
        pd_app_error_err(app, &err);
    return rc;
}

/* ---- a new prompt: slug, name, provider and model asked in turn, then the editor, whose first
 * save creates it (nothing is stored before) ---- */

static void new_done(pd_app *app, void *ud, const char *text);
static void new_name_done(pd_app *app, void *ud, const char *text);
static void new_provider_done(pd_app *app, void *ud, const char *text);
static void new_model_done(pd_app *app, void *ud, const char *text);

/* The list behind a new prompt's answer, or NULL when the question was cancelled (said so). */
static list_state *new_answer(pd_app *app, void *ud, const char *text)
{
    if (!text) {
        pd_app_status(app, "No prompt created");
        return NULL;
    }
    return ((pd_view *)ud)->data;
}

/* The providers as the question lists them ("openai, anthropic, google"). */
static void provider_names(char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pd_provider_count() && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", pd_provider_at(i)->name);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

/* Asks for the provider; why says what was wrong with the last answer (NULL: nothing). */
static void ask_provider(pd_view *v, const char *initial, const char *why)
{
    char names[160], q[400];
    provider_names(names, sizeof names);
    snprintf(q, sizeof q, "%s%sProvider (%s): ", why ? why : "", why ? "; " : "", names);
    pd_app_input(v->app, q, initial, new_provider_done, NULL, v);
}

/* Asks for the new prompt's slug; why as for ask_provider. */
static void ask_slug(pd_view *v, const char *initial, const char *why)
{
    char q[400];
    snprintf(q, sizeof q, "%.300s%sNew prompt slug: ", why ? why : "", why ? "; " : "");
    pd_app_input(v->app, q, initial, new_done, NULL, v);
}

static void new_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    list_state *s = v->data;
    if (!text || !*text)
        return;
    pd_error err = {0};
    pd_prompt *exists = NULL;
    if (!pd_slug_valid(text, &err)) {
        ask_slug(v, text, err.msg);
        return;
    }
    if (pd_store_get_prompt(pd_app_store(app), text, &exists, &err) == 0) {
        pd_prompt_free(exists);
        ask_slug(v, text, "that prompt exists already");
        return;
    }
    free(s->new_slug);
    s->new_slug = pd_strdup(text);
    const char *last = strrchr(text, '/');
    pd_app_input(app, "Name: ", last ? last + 1 : text, new_name_done, NULL, v);
}

static void new_name_done(pd_app *app, void *ud, const char *text)
{
    list_state *s = new_answer(app, ud, text);
    if (!s)
        return;
    free(s->new_name);
    s->new_name = pd_strdup(*text ? text : s->new_slug);
    ask_provider(ud, "openai", NULL);
}

static void new_provider_done(pd_app *app, void *ud, const char *text)
{
    list_state *s = new_answer(app, ud, text);
    if (!s)
        return;
    pd_error err = {0};
    if (*text && !pd_provider_find(text, &err)) {
        ask_provider(ud, text, "no such provider");
        return;
    }
    free(s->new_provider);
    s->new_provider = pd_strdup(text);
    pd_app_input(app, "Model: ", NULL, new_model_done, NULL, ud);
}

static void new_model_done(pd_app *app, void *ud, const char *text)
{
    list_state *s = new_answer(app, ud, text);
    if (!s)
        return;
    free(s->select_slug);
    s->select_slug = pd_strdup(s->new_slug);   /* selected once it is created */
    pd_open_editor_new(app, s->new_slug, s->new_name, s->new_provider, text);
    pd_app_status(app, "New prompt %s: Ctrl-S creates it (nothing is stored before)", s->new_slug);
}

static void dup_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    list_state *s = v->data;
    if (!text || !*text || !s->pending_slug)
        return;
    pd_error err = {0};
    pd_prompt *p = NULL;
    pd_version *ver = NULL;
    if (pd_store_get_prompt(pd_app_store(app), s->pending_slug, &p, &err) != 0 ||
        pd_store_get_version(pd_app_store(app), s->pending_slug, 0, &ver, &err) != 0) {
        pd_app_error_err(app, &err);
    } else {
        free(ver->commit_message);
        size_t n = strlen(s->pending_slug) + 64;
        ver->commit_message = pd_xmalloc(n);
        snprintf(ver->commit_message, n, "Copied from %s v%d", s->pending_slug, ver->number);
        free(ver->created_at);
        ver->created_at = NULL;
        free(ver->author);
        ver->author = NULL;
        if (create_prompt(app, text, p, ver) == 0) {
            pd_app_library_changed(app, text);
            rebuild(v, text, NULL);
            pd_app_status(app, "Duplicated %s as %s", s->pending_slug, text);
        }
    }
    pd_prompt_free(p);
    pd_version_free(ver);
}

static void rename_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    list_state *s = v->data;
    if (!text || !*text || !s->pending_slug || !strcmp(text, s->pending_slug))
        return;
    pd_error err = {0};
    if (pd_store_rename(pd_app_store(app), s->pending_slug, text, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    pd_app_library_changed(app, NULL);
    rebuild(v, text, NULL);
    pd_app_status(app, "Renamed %s to %s", s->pending_slug, text);
}

static void delete_done(pd_app *app, void *ud, bool yes)
{
    pd_view *v = ud;
    list_state *s = v->data;
    if (!yes || !s->pending_slug) {
        pd_app_status(app, "Nothing deleted");
        return;
    }
    pd_error err = {0};
    if (pd_store_delete(pd_app_store(app), s->pending_slug, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    pd_view *above = pd_app_above(app, v);
    if (above)
        pd_app_pop(app, above);
    pd_app_library_changed(app, NULL);
    pd_app_status(app, "Deleted %s", s->pending_slug);
}

static void set_pending(list_state *s, const char *slug)
{
    free(s->pending_slug);
    s->pending_slug = pd_strdup(slug);
}

static void start_rename(pd_view *v, pd_prompt *p)
{
    set_pending(v->data, p->slug);
    pd_app_input(v->app, "Rename to: ", p->slug, rename_done, NULL, v);
}

static void start_dup(pd_view *v, pd_prompt *p)
{
    set_pending(v->data, p->slug);
    char init[300];
    snprintf(init, sizeof init, "%s-copy", p->slug);
    pd_app_input(v->app, "Duplicate as: ", init, dup_done, NULL, v);
}

static void start_delete(pd_view *v, pd_prompt *p)
{
    set_pending(v->data, p->slug);
    char q[400];
    snprintf(q, sizeof q, "Delete %s and its %d version%s?", p->slug, p->current_version,
             p->current_version == 1 ? "" : "s");
    pd_app_confirm(v->app, q, delete_done, v);
}

static bool list_key(pd_view *v, int key, int act)
{
    list_state *s = v->data;
    pd_app *app = v->app;
    node *n = v->cursor < s->n_rows ? s->rows[v->cursor].n : NULL;
    pd_prompt *p = selected_prompt(v);
    switch (act) {
    case ACT_TOGGLE:
    case PD_ACT_ENTER:
        if (n && n->prompt < 0)
            toggle_folder(v, n, -1);
        else if (p)
            open_timeline(v, p);
        return true;
    case PD_ACT_RIGHT:
        if (n && n->prompt < 0)
            toggle_folder(v, n, 0);
        else if (p)
            open_timeline(v, p);
        return true;
    case PD_ACT_LEFT:
        if (n && n->prompt < 0 && !is_collapsed(s, n->path)) {
            toggle_folder(v, n, 1);
        } else if (n && v->cursor < s->n_rows) {
            /* to the parent folder */
            int d = s->rows[v->cursor].depth;
            for (size_t i = v->cursor; i-- > 0;)
                if (s->rows[i].depth < d) {
                    pd_view_move_cursor(v, i);
                    break;
                }
        }
        return true;
    case PD_ACT_BACK:
        if (key == PD_KEY_ESC && s->filter) {
            filter_done(app, v, NULL);   /* Esc clears a kept filter */
            return true;
        }
        return false;
    case ACT_FILTER:
        pd_app_input(app, "/", s->filter, filter_done, filter_changed, v);
        return true;
    case ACT_SORT:
        s->sort = s->sort == SORT_NAME ? SORT_CHANGED : SORT_NAME;
        rebuild(v, p ? p->slug : NULL, n && n->prompt < 0 ? n->path : NULL);
        pd_app_status(app, "Sorted by %s", s->sort == SORT_NAME ? "name" : "last change (newest first)");
        return true;
    case ACT_NEW: {
        char init[200] = "";
        if (n && n->prompt < 0)
            snprintf(init, sizeof init, "%s/", n->path);
        ask_slug(v, init, NULL);
        return true;
    }
    case ACT_FOLD_ALL: fold_all(v); return true;
    case ACT_RELOAD:
        if (reload(v) == 0)
            pd_app_status(app, "Reloaded %zu prompts", s->list.n);
        return true;
    case ACT_SYNC: panes_sync_start(app, &s->sync, false); return true;
    default: break;
    }
    if (act < PD_VIEW_ACT)
        return false;
    if (!p) {
        pd_app_status(app, "Select a prompt first");
        return true;
    }
    switch (act) {
    case ACT_DUP: start_dup(v, p); break;
    case ACT_RENAME: start_rename(v, p); break;
    case ACT_DELETE: start_delete(v, p); break;
    case ACT_EDIT: pd_open_editor(app, p->slug, 0); break;
    case ACT_DIFF:
        if (p->current_version < 2)
            pd_app_status(app, "%s has only one version", p->slug);
        else
            pd_open_diff(app, v, p->slug, p->current_version - 1, p->current_version);
        break;
    case ACT_DETAIL: pd_open_detail(app, v, p->slug, 0); break;
    case ACT_RUN: pd_open_vars(app, p->slug, 0); break;
    case ACT_HISTORY: pd_open_history(app, p->slug); break;
    default: return false;
    }
    return true;
}

/* y: the selected prompt's current version as text: its messages and settings. */
static bool list_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    pd_prompt *p = selected_prompt(v);
    pd_version *ver = NULL;
    pd_error err = {0};
    if (!p) {
        pd_app_status(v->app, "Select a prompt first");
        return false;
    }
    if (pd_store_get_version(pd_app_store(v->app), p->slug, 0, &ver, &err) != 0) {
        pd_app_error_err(v->app, &err);
        return false;
    }
    char *t = pd_diff_version_text(ver);
    pd_buf_puts(out, t);
    free(t);
    snprintf(what, size, "%s v%d", p->slug, ver->number);
    pd_version_free(ver);
    return true;
}

/* :open SLUG: the prompt named so, else the one prompt whose slug holds SLUG (several: the
 * list is filtered to them). */
static void open_command(pd_view *v, const char *want)
{
    list_state *s = v->data;
    size_t found = 0, n_found = 0;
    /* a whole slug shown: found by halves in the listing (sorted by slug), not row by row */
    pd_prompt **exact = s->list.n ? bsearch(want, s->list.items, s->list.n, sizeof *s->list.items, cmp_slug) : NULL;
    if (exact && s->row_of[exact - s->list.items] != SIZE_MAX) {
        found = s->row_of[exact - s->list.items];
        n_found = 1;
    } else {
        exact = NULL;   /* filtered out or folded: as a part */
    }
    for (size_t i = 0; i < s->n_rows && !exact; i++) {   /* else a part of slugs */
        node *n = s->rows[i].n;
        if (n->prompt >= 0 && strstr(s->list.items[n->prompt]->slug, want)) {
            found = i;
            n_found++;
        }
    }
    if (n_found == 1) {
        pd_view_move_cursor(v, found);
        open_timeline(v, s->list.items[s->rows[found].n->prompt]);
    } else if (n_found) {
        filter_done(v->app, v, want);
        pd_app_status(v->app, "open: %zu slugs hold \"%s\": the list is filtered to it (Enter opens)", n_found, want);
    } else {
        pd_app_error(v->app, "open: no prompt %s here", want);
    }
}

static bool list_command(pd_view *v, int argc, char **argv)
{
    list_state *s = v->data;
    pd_app *app = v->app;
    const char *c = argv[0];
    pd_prompt *p = selected_prompt(v);
    if (!strcmp(c, "sort")) {
        if (argc > 1 && !strcmp(argv[1], "name"))
            s->sort = SORT_NAME;
        else if (argc > 1 && (!strcmp(argv[1], "changed") || !strcmp(argv[1], "date") || !strcmp(argv[1], "time")))
            s->sort = SORT_CHANGED;
        else {
            pd_app_error(app, "sort: name or changed");
            return true;
        }
        rebuild(v, p ? p->slug : NULL, NULL);
        return true;
    }
    if (!strcmp(c, "filter")) {
        pd_buf b = PD_BUF_INIT;
        for (int i = 1; i < argc; i++)
            pd_buf_printf(&b, "%s%s", i > 1 ? " " : "", argv[i]);
        filter_done(app, v, b.len ? pd_buf_str(&b) : NULL);
        pd_buf_free(&b);
        return true;
    }
    if (!strcmp(c, "reload")) {
        reload(v);
        return true;
    }
    if (!strcmp(c, "sync")) {
        if (argc > 1 && strcmp(argv[1], "check") != 0)
            pd_app_error(app, "sync: %s? (:sync syncs, :sync check only fetches and marks what changed)", argv[1]);
        else
            panes_sync_start(app, &s->sync, argc > 1);
        return true;
    }
    if (!strcmp(c, "new") || !strcmp(c, "dup") || !strcmp(c, "rename") || !strcmp(c, "open")) {
        if (argc < 2) {
            pd_app_error(app, "%s: give a slug", c);
            return true;
        }
        if (!strcmp(c, "new")) {
            new_done(app, v, argv[1]);
        } else if (!strcmp(c, "open")) {
            open_command(v, argv[1]);
        } else if (!p) {
            pd_app_error(app, "%s: select a prompt first", c);
        } else {
            set_pending(s, p->slug);
            (!strcmp(c, "dup") ? dup_done : rename_done)(app, v, argv[1]);
        }
        return true;
    }
    if (!strcmp(c, "delete")) {
        if (p)
            start_delete(v, p);
        return true;
    }
    return false;
}

static void list_changed(pd_view *v, const char *slug)
{
    list_state *s = v->data;
    reload(v);
    panes_live_seen(s->live);
    if (slug && s->select_slug && !strcmp(slug, s->select_slug)) {
        rebuild(v, slug, NULL);   /* a prompt just created: select it */
        free(s->select_slug);
        s->select_slug = NULL;
    }
}

static void list_close(pd_view *v)
{
    list_state *s = v->data;
    if (s->source)
        pd_app_remove_source(v->app, s->source);
    if (s->verify_timer)
        pd_app_cancel_timer(v->app, s->verify_timer);
    panes_live_stop(s->live);
    panes_sync_stop(s->sync);
    free(s->shown_slug);
    free_text(s);
    pd_prompt_list_free(&s->list);
    pd_sync_news_free(&s->news);
    free(s->match);
    free(s->filter);
    for (size_t i = 0; i < s->n_collapsed; i++)
        free(s->collapsed[i]);
    free(s->collapsed);
    node_free(s->root);
    free(s->leaves);
    free(s->rows);
    free(s->row_of);
    free(s->pending_slug);
    free(s->new_slug);
    free(s->new_name);
    free(s->new_provider);
    free(s->select_slug);
    free(s);
}

const pd_view_ops pd_list_pane = {
    .name = "list",
    .draw_line = list_draw,
    .key = list_key,
    .close = list_close,
    .title = list_title,
    .command = list_command,
    .changed = list_changed,
    .select = list_select,
    .keys = list_keys,
    .help_notes = list_notes,
    .keybar = "open filter new edit diff run history",
    .copy = list_copy,
    .commands = list_commands,
};

void pd_open_list(pd_app *app)
{
    list_state *s = pd_xcalloc(1, sizeof *s);
    const char *sort = pd_config_get(pd_app_config(app), "sort");
    if (sort && (!strcmp(sort, "changed") || !strcmp(sort, "date")))
        s->sort = SORT_CHANGED;
    pd_view *v = pd_view_new(app, &pd_list_pane, s);
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
    /* sorted by name, the first screen needs its own rows checked, and the order */
    if (load(v, s->sort == SORT_NAME ? FIRST_SCREEN_PROMPTS : SIZE_MAX) == 0 && s->list.n == 0)
        pd_app_status(app, "The library is empty: a creates a prompt, ? lists the keys");
    /* following the library on disk (not in a script) starts after the first paint */
    if (!s->verify_timer && !pd_app_scripted(app))
        s->verify_timer = pd_app_add_timer(app, 0, verify_listing, v);
}
