/* view_detail.c: one version in full: header (date, author, commit, labels), every message
 * under a role header, wrapped to the pane's width and scrollable however long; model
 * settings, tools, output schema and the template variables the version uses. */
#include <stdlib.h>
#include <string.h>

#include "editor/editor.h"
#include "runpanes/runpanes.h"
#include "diff/diff.h"
#include "run/run.h"
#include "panes.h"

enum {
    ACT_EDIT = PD_VIEW_ACT,
    ACT_DIFF,
    ACT_RUN,
    ACT_NEXT,
    ACT_PREV,
    ACT_WRAP,
};

static const pd_keydef detail_keys[] = {
    {ACT_EDIT, "edit", "e", "Edit, starting from this version"},
    {ACT_DIFF, "diff", "d", "Diff with the version before"},
    {ACT_RUN, "run", "x", "Run this version (variables form)"},
    {ACT_NEXT, "next-section", "n ]", "Next message / section (after a / search: next match)"},
    {ACT_PREV, "prev-section", "N [", "Previous message / section (after /: previous match)"},
    {ACT_WRAP, "wrap", "w", "Wrap long lines on / off (off: h/l scroll sideways)"},
    {0, NULL, NULL, NULL},
};

typedef enum { B_TITLE, B_META, B_HEADER, B_TEXT, B_BLANK } block_kind;

typedef struct block {
    block_kind kind;
    const char *text;
    size_t len;
    pd_style style;
    int message;        /* the message it shows (header or text), or -1 */
} block;

typedef struct dline {
    unsigned block;
    const char *text;
    size_t len;
    bool cont;          /* a continuation of a wrapped line */
} dline;

typedef struct detail_state {
    char *slug;
    int number;
    pd_version *ver;
    pd_prompt *prompt;
    char **owned;
    size_t n_owned;
    block *blocks;
    size_t n_blocks;
    dline *lines;
    size_t n_lines, cap_lines;
    bool nowrap;
    size_t jumped;      /* the header line n/N last went to, or (size_t)-1 */
} detail_state;

static const char *own(detail_state *s, char *str)
{
    s->owned = pd_xrealloc(s->owned, (s->n_owned + 1) * sizeof *s->owned);
    s->owned[s->n_owned++] = str;
    return str;
}

static void add_block(detail_state *s, block_kind k, const char *text, pd_style st)
{
    s->blocks = pd_xrealloc(s->blocks, (s->n_blocks + 1) * sizeof *s->blocks);
    s->blocks[s->n_blocks++] = (block){k, text ? text : "", text ? strlen(text) : 0, st, -1};
}

static void add_fmt(detail_state *s, block_kind k, pd_style st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_fmt(detail_state *s, block_kind k, pd_style st, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    add_block(s, k, own(s, pd_buf_take(&b)), st);
    pd_buf_free(&b);
}

static void add_json(detail_state *s, json_t *j)
{
    char *t = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (t)
        add_block(s, B_TEXT, own(s, t), PD_STYLE_NORMAL);
}

static void build_blocks(pd_app *app, detail_state *s)
{
    pd_version *v = s->ver;
    add_fmt(s, B_TITLE, PD_STYLE_HEADER, "%s  version %d%s", s->slug, v->number,
            s->prompt && v->number == s->prompt->current_version ? " (current)" : "");
    if (s->prompt && s->prompt->name)
        add_fmt(s, B_META, PD_STYLE_NAME, "Name:    %s", s->prompt->name);
    add_fmt(s, B_META, PD_STYLE_DATE, "Date:    %s", v->created_at ? v->created_at : "-");
    add_fmt(s, B_META, PD_STYLE_AUTHOR, "Author:  %s", v->author ? v->author : "-");
    if (v->commit_message && *v->commit_message)
        add_fmt(s, B_META, PD_STYLE_NORMAL, "Commit:  %s", v->commit_message);
    pd_version *from = NULL;   /* a fork: made from another version than the one before it */
    if (v->parent && pd_store_get_version_id(pd_app_store(app), s->slug, v->parent, &from, NULL) == 0 &&
        from->number != v->number - 1)
        add_fmt(s, B_META, PD_STYLE_VERSION, "Base:    v%d (made from it, not from v%d)", from->number, v->number - 1);
    pd_version_free(from);
    pd_buf lab = PD_BUF_INIT;
    for (size_t i = 0; s->prompt && i < s->prompt->n_labels; i++)
        if (s->prompt->labels[i].version == v->number)
            pd_buf_printf(&lab, "%s%s", lab.len ? ", " : "", s->prompt->labels[i].name);
    if (lab.len)
        add_fmt(s, B_META, PD_STYLE_LABEL, "Labels:  %s", pd_buf_str(&lab));
    pd_buf_free(&lab);
    if (s->prompt && s->prompt->n_tags) {
        pd_buf t = PD_BUF_INIT;
        for (size_t i = 0; i < s->prompt->n_tags; i++)
            pd_buf_printf(&t, "%s%s", i ? ", " : "", s->prompt->tags[i]);
        add_fmt(s, B_META, PD_STYLE_TAG, "Tags:    %s", pd_buf_str(&t));
        pd_buf_free(&t);
    }
    for (size_t i = 0; i < v->n_messages; i++) {
        pd_message *m = &v->messages[i];
        add_block(s, B_BLANK, NULL, PD_STYLE_NORMAL);
        if (m->placeholder) {
            add_fmt(s, B_HEADER, PD_STYLE_ROLE_OTHER, "history placeholder \"%s\"", m->placeholder);
            continue;
        }
        add_fmt(s, B_HEADER, pd_role_style(m->role), "%s (message %zu, %zu bytes)", m->role ? m->role : "?", i + 1,
                m->content ? strlen(m->content) : (size_t)0);
        add_block(s, B_TEXT, m->content, PD_STYLE_NORMAL);
        s->blocks[s->n_blocks - 2].message = s->blocks[s->n_blocks - 1].message = (int)i;
    }
    pd_settings *st = &v->settings;
    add_block(s, B_BLANK, NULL, PD_STYLE_NORMAL);
    add_block(s, B_HEADER, "Model settings", PD_STYLE_HEADER);
    add_fmt(s, B_META, PD_STYLE_NORMAL, "provider: %s   model: %s", st->provider ? st->provider : "-",
            st->model ? st->model : "-");
    pd_buf b = PD_BUF_INIT;
    if (st->has_temperature)
        pd_buf_printf(&b, "temperature: %g   ", st->temperature);
    if (st->has_top_p)
        pd_buf_printf(&b, "top_p: %g   ", st->top_p);
    if (st->max_output_tokens)
        pd_buf_printf(&b, "max_output_tokens: %ld   ", st->max_output_tokens);
    for (size_t i = 0; i < st->n_stop; i++)
        pd_buf_printf(&b, "%s\"%s\"", i ? ", " : "stop: ", st->stop_sequences[i]);
    if (b.len)
        add_block(s, B_META, own(s, pd_buf_take(&b)), PD_STYLE_NORMAL);
    pd_buf_free(&b);
    if (st->extra && json_object_size(st->extra)) {
        add_block(s, B_META, "extra parameters:", PD_STYLE_DIM);
        add_json(s, st->extra);
    }
    if (st->tools && json_array_size(st->tools)) {
        add_block(s, B_BLANK, NULL, PD_STYLE_NORMAL);
        add_fmt(s, B_HEADER, PD_STYLE_HEADER, "Tools (%zu)", json_array_size(st->tools));
        add_json(s, st->tools);
    }
    if (st->output_schema) {
        add_block(s, B_BLANK, NULL, PD_STYLE_NORMAL);
        add_block(s, B_HEADER, "Output schema", PD_STYLE_HEADER);
        add_json(s, st->output_schema);
    }
    /* the variables, as the template engine sees them (lenient: prompts that use {{...}} for
     * something else still list what parses) */
    pd_render_opts ro = {.lenient = true, .partials = pd_store_partial_lookup, .partials_ud = pd_app_store(app)};
    pd_prompt_var *vars = NULL;
    size_t nv = 0;
    pd_error err = {0};
    add_block(s, B_BLANK, NULL, PD_STYLE_NORMAL);
    if (pd_prompt_variables(v, &ro, &vars, &nv, &err) != 0) {
        add_block(s, B_HEADER, "Variables", PD_STYLE_HEADER);
        add_fmt(s, B_META, PD_STYLE_ERROR, "%s", err.msg);
    } else {
        add_fmt(s, B_HEADER, PD_STYLE_HEADER, "Variables (%zu)", nv);
        if (!nv)
            add_block(s, B_META, "none", PD_STYLE_DIM);
        for (size_t i = 0; i < nv; i++)
            add_fmt(s, B_META, PD_STYLE_VARIABLE, "{{%s}}%s%s%s  message %zu, line %d", vars[i].name,
                    vars[i].section ? "  section" : "", vars[i].scope ? " in " : "", vars[i].scope ? vars[i].scope : "",
                    vars[i].message + 1, vars[i].line);
        pd_prompt_var_free(vars, nv);
    }
}

static void add_line(detail_state *s, unsigned b, const char *t, size_t len, bool cont)
{
    if (s->n_lines == s->cap_lines) {
        s->cap_lines = s->cap_lines ? s->cap_lines * 2 : 256;
        s->lines = pd_xrealloc(s->lines, s->cap_lines * sizeof *s->lines);
    }
    s->lines[s->n_lines++] = (dline){b, t, len, cont};
}

/* Wraps the blocks to the pane's width. */
static void relayout(pd_view *v)
{
    detail_state *s = v->data;
    s->n_lines = 0;
    s->jumped = (size_t)-1;
    int w = v->width - 2;
    if (w < 8)
        w = 8;
    for (unsigned bi = 0; bi < s->n_blocks; bi++) {
        block *b = &s->blocks[bi];
        if (b->kind == B_BLANK || b->kind == B_HEADER || b->kind == B_TITLE) {
            add_line(s, bi, b->text, b->len, false);
            continue;
        }
        const char *t = b->text, *end = b->text + b->len;
        if (t == end)
            add_line(s, bi, t, 0, false);
        while (t < end) {
            const char *nl = memchr(t, '\n', (size_t)(end - t));
            const char *le = nl ? nl : end;
            if (s->nowrap || le == t) {
                add_line(s, bi, t, (size_t)(le - t), false);
            } else {
                bool cont = false;
                const char *p = t;
                while (p < le) {
                    size_t n = pd_text_fit(p, (size_t)(le - p), w, true);
                    add_line(s, bi, p, n, cont);
                    p += n;
                    cont = true;
                }
            }
            t = nl ? nl + 1 : end;
            if (nl && t == end && b->kind == B_TEXT)
                break;   /* a final newline adds no empty line */
        }
    }
    pd_view_set_lines(v, s->n_lines);
}

static void detail_draw(pd_view *v, int row, size_t line, bool sel)
{
    (void)sel;
    detail_state *s = v->data;
    pd_app *app = v->app;
    dline *l = &s->lines[line];
    block *b = &s->blocks[l->block];
    attr_t n = pd_app_attr(app, PD_STYLE_NORMAL);
    attr_t a = pd_app_attr(app, b->style);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    if (b->kind == B_HEADER) {
        pd_pen_str(&p, " ", n);
        pd_pen_text(&p, l->text, l->len, a | A_BOLD);
        pd_pen_str(&p, " ", n);
        int x = p.x;
        if (x < v->width) {
            wattrset(v->win, pd_app_attr(app, PD_STYLE_DIM));
            mvwhline(v->win, row, x, ACS_HLINE, v->width - x);
        }
        return;
    }
    pd_pen_str(&p, b->kind == B_TEXT || l->cont ? "  " : " ", n);
    p.col = 0;   /* tab stops count from the text's first column */
    if (s->nowrap && b->kind == B_TEXT)
        p.skip = v->hscroll;
    pd_pen_text(&p, l->text, l->len, a);
    pd_pen_fill(&p, n);
}

static const char *detail_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    detail_state *s = v->data;
    pd_buf_reset(scratch);
    pd_buf_append(scratch, s->lines[line].text, s->lines[line].len);
    return pd_buf_str(scratch);
}

/* The message of line (-1: none), when the line is on screen. */
static int message_shown(const pd_view *v, size_t line)
{
    const detail_state *s = v->data;
    if (line >= s->n_lines || line < v->offset || line >= v->offset + (size_t)v->height)
        return -1;
    return s->blocks[s->lines[line].block].message;
}

/* y: the message on screen that n/N or a search went to, else the one at the top, else the
 * first one shown; with none on screen the whole version as text. */
static bool detail_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    detail_state *s = v->data;
    int m = v->search_line_set ? message_shown(v, v->search_line) : -1;
    if (m < 0)
        m = message_shown(v, s->jumped);
    for (size_t i = v->offset; m < 0 && i < v->offset + (size_t)v->height && i < s->n_lines; i++)
        m = message_shown(v, i);
    if (m >= 0) {
        const pd_message *msg = &s->ver->messages[m];
        pd_buf_puts(out, msg->content ? msg->content : "");
        snprintf(what, size, "message %d (%s)", m + 1, msg->role ? msg->role : "?");
    } else {
        char *t = pd_diff_version_text(s->ver);
        pd_buf_puts(out, t);
        free(t);
        snprintf(what, size, "%s v%d", s->slug, s->ver->number);
    }
    return true;
}

static const char *detail_slug(pd_view *v)
{
    detail_state *s = v->data;
    return s->slug;
}

static void detail_title(pd_view *v, char *buf, size_t size)
{
    detail_state *s = v->data;
    snprintf(buf, size, "%s v%d: %zu message%s%s", s->slug, s->ver->number, s->ver->n_messages,
             s->ver->n_messages == 1 ? "" : "s", s->nowrap ? "  (no wrap)" : "");
}

static void jump_section(pd_view *v, int dir)
{
    detail_state *s = v->data;
    /* from the header it last went to while that is on screen (the pane may not scroll) */
    size_t top = s->jumped >= v->offset && s->jumped < v->offset + (size_t)v->height ? s->jumped : v->offset;
    if (dir > 0) {
        for (size_t i = top + 1; i < s->n_lines; i++)
            if (s->blocks[s->lines[i].block].kind == B_HEADER) {
                pd_view_scroll_to(v, i);
                s->jumped = i;
                return;
            }
    } else {
        for (size_t i = top; i-- > 0;)
            if (s->blocks[s->lines[i].block].kind == B_HEADER) {
                pd_view_scroll_to(v, i);
                s->jumped = i;
                return;
            }
        pd_view_scroll_to(v, 0);
    }
}

static bool detail_key(pd_view *v, int key, int act)
{
    (void)key;
    detail_state *s = v->data;
    switch (act) {
    case ACT_EDIT: pd_open_editor(v->app, s->slug, s->ver->number); return true;
    case ACT_RUN: pd_open_vars(v->app, s->slug, s->ver->number); return true;
    case ACT_DIFF:
        if (s->ver->number > 1)
            pd_open_diff(v->app, v, s->slug, s->ver->number - 1, s->ver->number);
        else
            pd_app_status(v->app, "Version 1 has no version before it");
        return true;
    case ACT_NEXT: jump_section(v, 1); return true;
    case ACT_PREV: jump_section(v, -1); return true;
    case ACT_WRAP:
        s->nowrap = !s->nowrap;
        v->hscroll = 0;
        relayout(v);
        return true;
    case PD_ACT_LEFT:
    case PD_ACT_RIGHT:
        if (!s->nowrap)
            return true;   /* nothing to scroll sideways when wrapped */
        return false;
    default: return false;
    }
}

static int load(pd_view *v)
{
    detail_state *s = v->data;
    pd_error err = {0};
    pd_store *st = pd_app_store(v->app);
    pd_version *ver = NULL;
    pd_prompt *p = NULL;
    if (pd_store_get_version(st, s->slug, s->number, &ver, &err) != 0 ||
        pd_store_get_prompt(st, s->slug, &p, &err) != 0) {
        pd_app_error_err(v->app, &err);
        pd_version_free(ver);
        return -1;
    }
    pd_version_free(s->ver);
    pd_prompt_free(s->prompt);
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    s->n_owned = 0;
    s->n_blocks = 0;
    s->ver = ver;
    s->prompt = p;
    build_blocks(v->app, s);
    if (v->width > 0)
        relayout(v);
    return 0;
}

static void detail_changed(pd_view *v, const char *slug)
{
    detail_state *s = v->data;
    if (slug && strcmp(slug, s->slug) != 0)
        return;
    size_t off = v->offset;
    if (load(v) != 0) {
        pd_app_pop(v->app, v);
        return;
    }
    pd_view_scroll_to(v, off);
}

static void detail_close(pd_view *v)
{
    detail_state *s = v->data;
    pd_version_free(s->ver);
    pd_prompt_free(s->prompt);
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->blocks);
    free(s->lines);
    free(s->slug);
    free(s);
}

const pd_view_ops pd_detail_pane = {
    .name = "detail",
    .draw_line = detail_draw,
    .key = detail_key,
    .resize = relayout,
    .close = detail_close,
    .title = detail_title,
    .changed = detail_changed,
    .keys = detail_keys,
    .line_text = detail_line_text,
    .copy = detail_copy,
    .keybar = "edit diff run next-section wrap copy",
    .prompt_slug = detail_slug,
};

void pd_open_detail(pd_app *app, pd_view *from, const char *slug, int version)
{
    detail_state *s = pd_xcalloc(1, sizeof *s);
    s->slug = pd_strdup(slug);
    s->number = version;
    s->jumped = (size_t)-1;
    pd_view *v = pd_view_new(app, &pd_detail_pane, s);
    v->has_cursor = false;
    if (load(v) != 0) {
        pd_view_free(v);
        return;
    }
    pd_app_push(app, from, v, from ? PD_OPEN_SPLIT : PD_OPEN_FULL);
}
