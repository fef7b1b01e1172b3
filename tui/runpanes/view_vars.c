/* view_vars.c: the variables form before a run: one field per variable the version uses (from
 * the template engine), multi-line values edited in place, values remembered per prompt (by
 * the run module: pd_run_remembered_vars_load/save), missing ones flagged before
 * sending; then the run pane (or, for two versions or two models, the compare pane). */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "editor/editor.h"
#include "runpanes.h"
#include "run/run.h"
#include "runpanes_priv.h"
#include "store/store.h"
#include "core/core.h"

enum { ACT_EDIT = PD_VIEW_ACT, ACT_RUN, ACT_CLEAR, ACT_MODEL, ACT_MODEL2, ACT_HISTORY, ACT_PICK };

static const pd_keydef vars_keys[] = {
    {ACT_EDIT, "edit", "<Enter> e i", "Edit the selected value (Enter adds a line; Esc ends, Tab goes to the next)"},
    {ACT_RUN, "run", "x <C-r>", "Run with these values (missing ones are flagged first)"},
    {ACT_CLEAR, "clear", "d", "Clear the selected value"},
    {ACT_MODEL, "model", "m", "Run on another model: [provider:]model (empty: the version's own)"},
    {ACT_MODEL2, "compare-model", "M", "Compare on two models: the second [provider:]model"},
    {ACT_HISTORY, "history", "H", "Stored runs of this prompt"},
    {ACT_PICK, "pick-conversation", "P", "Fill a history placeholder with a past conversation of this prompt (again: an older one)"},
    {0, NULL, NULL, NULL},
};

static const char *const vars_notes[] = {
    "Values are remembered per prompt in $XDG_STATE_HOME/promptdeck/vars/ (readable by you only).",
    "A list or flag used as {{#name}} takes JSON ([...], {...}, true) or text.",
    "A history placeholder takes a list of messages as JSON ([{\"role\": \"user\", \"content\": \"...\"}]),",
    "checked before the run (empty: none), or a past conversation (P).",
    "While editing: arrows move, Enter adds a line, Backspace/Delete erase, Esc ends.",
    NULL,
};

#define INDENT 4

typedef struct var_field {
    char *name;
    bool section, required;
    bool history;         /* a history placeholder: a JSON list of messages */
    char *scope;
    pd_textbuf *tb;
} var_field;

typedef enum { L_LABEL, L_VALUE, L_BLANK, L_INFO } line_kind;

typedef struct form_line {
    line_kind kind;
    size_t field;
    size_t row_start;     /* L_VALUE: byte offset of the row in the value */
    char *info;           /* L_INFO text */
} form_line;

typedef struct vars_state {
    char *slug;
    int version, version2;          /* version2 > 0: compare the two versions */
    char *provider, *model;         /* overrides ("" or NULL: the version's) */
    char *provider2, *model2;       /* second model: compare on two models */
    char *version_model;            /* what the version itself uses, for the info line */
    size_t picked;                  /* P: how many past conversations back the last pick was */
    var_field *f;
    size_t n;
    form_line *lines;
    size_t n_lines;
    long editing;                   /* field being edited, -1 none */
    bool show_missing;
} vars_state;

static int value_width(const pd_view *v)
{
    return v->width - INDENT > 8 ? v->width - INDENT : 8;
}

static bool field_empty(const var_field *f)
{
    return pd_tb_len(f->tb) == 0;
}

static void clear_lines(vars_state *s)
{
    for (size_t i = 0; i < s->n_lines; i++)
        free(s->lines[i].info);
    free(s->lines);
    s->lines = NULL;
    s->n_lines = 0;
}

static void add_line(vars_state *s, line_kind k, size_t field, size_t row_start, const char *info)
{
    s->lines = pd_xrealloc(s->lines, (s->n_lines + 1) * sizeof *s->lines);
    s->lines[s->n_lines++] = (form_line){k, field, row_start, info ? pd_strdup(info) : NULL};
}

static void layout(pd_view *v)
{
    vars_state *s = v->data;
    clear_lines(s);
    int w = value_width(v);
    if (s->n == 0)
        add_line(s, L_INFO, 0, 0, "This version uses no variables.");
    for (size_t i = 0; i < s->n; i++) {
        add_line(s, L_LABEL, i, 0, NULL);
        size_t row = 0, next;
        add_line(s, L_VALUE, i, 0, NULL);
        while (pd_tb_next_row(s->f[i].tb, row, w, &next)) {
            add_line(s, L_VALUE, i, next, NULL);
            row = next;
        }
        add_line(s, L_BLANK, i, 0, NULL);
    }
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "Model: %s", s->model && *s->model ? "" : s->version_model);
    if (s->model && *s->model)
        pd_buf_printf(&b, "%s%s%s (instead of %s)", s->provider ? s->provider : "",
                      s->provider ? ":" : "", s->model, s->version_model);
    if (s->model2)
        pd_buf_printf(&b, "  compared with %s%s%s", s->provider2 ? s->provider2 : "",
                      s->provider2 ? ":" : "", s->model2);
    if (s->version2)
        pd_buf_printf(&b, "  — comparing v%d (left) with v%d (right)", s->version, s->version2);
    add_line(s, L_INFO, 0, 0, pd_buf_str(&b));
    pd_buf_free(&b);
    add_line(s, L_INFO, 0, 0, "Enter edits · x runs · m model · M compare on two models · ? help");
    pd_view_set_lines(v, s->n_lines);
}

/* The content line of the caret while editing. */
static size_t caret_line(pd_view *v, int *col)
{
    vars_state *s = v->data;
    var_field *f = &s->f[s->editing];
    int w = value_width(v);
    size_t cur = pd_tb_cursor(f->tb);
    size_t rs = pd_tb_row_start(f->tb, cur, w);
    for (size_t i = 0; i < s->n_lines; i++)
        if (s->lines[i].kind == L_VALUE && s->lines[i].field == (size_t)s->editing &&
            s->lines[i].row_start == rs) {
            *col = INDENT + pd_tb_column(f->tb, cur, w);
            return i;
        }
    *col = INDENT;
    return 0;
}

static void place_caret(pd_view *v)
{
    vars_state *s = v->data;
    if (s->editing < 0) {
        v->show_caret = false;
        return;
    }
    int col;
    size_t line = caret_line(v, &col);
    pd_view_move_cursor(v, line);
    v->show_caret = true;
    v->caret_row = (int)(line - v->offset);
    v->caret_col = col < v->width ? col : v->width - 1;
}

static size_t label_line(vars_state *s, size_t field)
{
    for (size_t i = 0; i < s->n_lines; i++)
        if (s->lines[i].kind == L_LABEL && s->lines[i].field == field)
            return i;
    return 0;
}

static long field_at(vars_state *s, size_t line)
{
    if (line >= s->n_lines || s->lines[line].kind == L_INFO)
        return -1;
    return (long)s->lines[line].field;
}

static void vars_draw(pd_view *v, int row, size_t line, bool selected)
{
    vars_state *s = v->data;
    pd_app *app = v->app;
    attr_t normal = pd_app_attr(app, PD_STYLE_NORMAL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, pd_app_attr(app, PD_STYLE_CONTROL));
    form_line *l = &s->lines[line];
    var_field *f = l->kind == L_INFO ? NULL : &s->f[l->field];
    bool editing_this = f && s->editing == (long)l->field;
    switch (l->kind) {
    case L_INFO:
        pd_pen_str(&p, " ", normal);
        pd_pen_str(&p, l->info, pd_app_attr(app, PD_STYLE_DIM));
        pd_pen_fill(&p, normal);
        return;
    case L_BLANK:
        pd_pen_fill(&p, normal);
        return;
    case L_LABEL: {
        attr_t base = selected && !editing_this ? pd_app_cursor_attr(app, v) : normal;
        pd_pen_str(&p, editing_this ? " \xe2\x9c\x8e " : "   ", base);
        pd_pen_str(&p, f->name, selected && !editing_this ? base : pd_app_attr(app, PD_STYLE_VARIABLE) | A_BOLD);
        if (f->history)
            pd_pen_str(&p, "  (history: messages as JSON, P picks a past conversation)",
                       selected ? base : pd_app_attr(app, PD_STYLE_DIM));
        else if (f->section)
            pd_pen_str(&p, "  (list or flag: JSON or text)", selected ? base : pd_app_attr(app, PD_STYLE_DIM));
        else if (f->scope)
            pd_pen_printf(&p, selected ? base : pd_app_attr(app, PD_STYLE_DIM), "  (inside {{#%s}}, optional)", f->scope);
        if (s->show_missing && f->required && field_empty(f))
            pd_pen_str(&p, "  missing: a value is needed", pd_app_attr(app, PD_STYLE_RUN_ERROR));
        pd_pen_fill(&p, base);
        return;
    }
    case L_VALUE: {
        int w = value_width(v);
        pd_pen_str(&p, "    ", normal);
        if (field_empty(f) && !editing_this) {
            pd_pen_str(&p, "(empty)", pd_app_attr(app, PD_STYLE_DIM));
        } else {
            const char *t = pd_tb_text(f->tb);
            size_t end = pd_tb_row_end(f->tb, l->row_start, w);
            /* the row's text, without its newline */
            size_t e = end;
            if (e > l->row_start && t[e - 1] == '\n')
                e--;
            pd_pen_text(&p, t + l->row_start, e - l->row_start,
                        pd_app_attr(app, editing_this ? PD_STYLE_EDITOR_TEXT : PD_STYLE_NORMAL));
        }
        pd_pen_fill(&p, normal);
        return;
    }
    }
}

static void vars_title(pd_view *v, char *buf, size_t size)
{
    vars_state *s = v->data;
    if (s->version2)
        snprintf(buf, size, "Variables: %s v%d vs v%d%s", s->slug, s->version, s->version2,
                 s->editing >= 0 ? " — editing (Esc ends)" : "");
    else
        snprintf(buf, size, "Variables: %s v%d%s", s->slug, s->version,
                 s->editing >= 0 ? " — editing (Esc ends)" : " (Enter edits, x runs)");
}

/* ---- remembered values (pd_run_remembered_vars_*) ---- */

static void save_values(pd_app *app, vars_state *s)
{
    json_t *j = json_object();
    for (size_t i = 0; i < s->n; i++)
        json_object_set_new(j, s->f[i].name, json_stringn(pd_tb_text(s->f[i].tb), pd_tb_len(s->f[i].tb)));
    pd_error err = {0};
    if (pd_run_remembered_vars_save(s->slug, j, &err) != 0)
        pd_app_error(app, "the values could not be remembered: %s", err.msg);
    json_decref(j);
}

/* ---- fields ---- */

static void add_vars(vars_state *s, pd_app *app, int version)
{
    pd_version *ver = NULL;
    pd_error err = {0};
    if (pd_store_get_version(pd_app_store(app), s->slug, version, &ver, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    if (!s->version_model) {
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "%s:%s", ver->settings.provider ? ver->settings.provider : "openai",
                      ver->settings.model ? ver->settings.model : "(none set: press m)");
        s->version_model = pd_buf_take(&b);
    }
    pd_render_opts ro = {.lenient = true, .partials = pd_store_partial_lookup, .partials_ud = pd_app_store(app)};
    pd_prompt_var *vars = NULL;
    size_t n = 0;
    if (pd_prompt_variables(ver, &ro, &vars, &n, &err) != 0)
        pd_app_error_err(app, &err);
    json_t *remembered = pd_run_remembered_vars_load(s->slug);
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < s->n && !dup; k++)
            dup = !strcmp(s->f[k].name, vars[i].name);
        if (dup)
            continue;
        s->f = pd_xrealloc(s->f, (s->n + 1) * sizeof *s->f);
        var_field *f = &s->f[s->n++];
        memset(f, 0, sizeof *f);
        f->name = pd_strdup(vars[i].name);
        f->section = vars[i].section && !vars[i].variable;
        f->scope = pd_strdup(vars[i].scope);
        f->required = vars[i].variable && !vars[i].scope;
        const char *val = json_string_value(json_object_get(remembered, f->name));
        f->tb = pd_tb_new(val ? val : "", val ? strlen(val) : 0);
    }
    for (size_t i = 0; i < ver->n_messages; i++) {
        const char *name = ver->messages[i].placeholder;
        if (!name)
            continue;
        var_field *f = NULL;
        for (size_t k = 0; k < s->n && !f; k++)
            if (!strcmp(s->f[k].name, name))
                f = &s->f[k];
        if (!f) {
            s->f = pd_xrealloc(s->f, (s->n + 1) * sizeof *s->f);
            f = &s->f[s->n++];
            memset(f, 0, sizeof *f);
            f->name = pd_strdup(name);
            const char *val = json_string_value(json_object_get(remembered, name));
            f->tb = pd_tb_new(val ? val : "", val ? strlen(val) : 0);
        }
        f->history = true;
        f->section = f->required = false;
    }
    json_decref(remembered);
    pd_prompt_var_free(vars, n);
    pd_version_free(ver);
}

/* Sets name (dotted: nested objects) in obj. */
static void set_dotted(json_t *obj, const char *name, json_t *val)
{
    const char *dot = strchr(name, '.');
    if (!dot || dot == name || !dot[1]) {
        json_object_set_new(obj, name, val);
        return;
    }
    char *head = pd_strndup(name, (size_t)(dot - name));
    json_t *sub = json_object_get(obj, head);
    if (!json_is_object(sub)) {
        sub = json_object();
        json_object_set_new(obj, head, sub);
    }
    set_dotted(sub, dot + 1, val);
    free(head);
}

static json_t *build_vars(vars_state *s)
{
    json_t *o = json_object();
    for (size_t i = 0; i < s->n; i++) {
        var_field *f = &s->f[i];
        const char *t = pd_tb_text(f->tb);
        size_t len = pd_tb_len(f->tb);
        if (len == 0 && !f->required && !f->history)
            continue;
        json_t *val = NULL;
        if (f->history && len == 0)
            val = json_array();   /* an empty placeholder inserts nothing */
        if (f->section && !val)
            val = json_loadb(t, len, JSON_DECODE_ANY, NULL);
        if (!val)
            val = json_stringn(t, len);
        set_dotted(o, f->name, val);
    }
    return o;
}

static void fill_req(pd_runpane_request *r, const char *slug, int version, json_t *vars,
                     const char *provider, const char *model)
{
    memset(r, 0, sizeof *r);
    r->slug = (char *)slug;
    r->version = version;
    r->vars = vars;
    if (model && *model) {
        r->has_overrides = true;
        r->overrides.provider = (char *)provider;
        r->overrides.model = (char *)model;
    }
}

static void vars_run(pd_view *v)
{
    vars_state *s = v->data;
    pd_buf missing = PD_BUF_INIT;
    long first = -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->f[i].required && field_empty(&s->f[i])) {
            pd_buf_printf(&missing, "%s%s", missing.len ? ", " : "", s->f[i].name);
            if (first < 0)
                first = (long)i;
        }
    if (first >= 0) {
        s->show_missing = true;
        pd_view_dirty_all(v);
        pd_view_move_cursor(v, label_line(s, (size_t)first));
        pd_app_error(v->app, "Missing %s: fill %s first (Enter edits)", pd_buf_str(&missing),
                     strchr(pd_buf_str(&missing), ',') ? "them" : "it");
        pd_buf_free(&missing);
        return;
    }
    pd_buf_free(&missing);
    s->show_missing = false;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->f[i].history || field_empty(&s->f[i]))
            continue;
        char what[160];
        snprintf(what, sizeof what, "the history '%.100s'", s->f[i].name);
        json_t *text = json_stringn(pd_tb_text(s->f[i].tb), pd_tb_len(s->f[i].tb)), *checked = NULL;
        pd_error err = {0};
        int rc = pd_run_messages_check(text, what, &checked, &err);
        json_decref(text);
        json_decref(checked);
        if (rc != 0) {
            pd_view_move_cursor(v, label_line(s, i));
            pd_app_error_err(v->app, &err);
            return;
        }
    }
    save_values(v->app, s);
    json_t *vars = build_vars(s);
    pd_runpane_request a, b;
    fill_req(&a, s->slug, s->version, vars, s->provider, s->model);
    if (s->version2) {
        fill_req(&b, s->slug, s->version2, vars, s->provider, s->model);
        pd_open_compare_runs(v->app, v, &a, &b);
    } else if (s->model2) {
        fill_req(&b, s->slug, s->version, vars, s->provider2, s->model2);
        pd_open_compare_runs(v->app, v, &a, &b);
    } else {
        pd_open_run(v->app, v, &a);
    }
    json_decref(vars);
}

/* "provider:model" (provider a name or alias in the provider table: openai, anthropic, google,
 * gemini) or "model" (which may itself hold a colon, as "llama3:8b"). The provider is kept as
 * the table names it. */
static void parse_model(const char *text, char **provider, char **model)
{
    free(*provider);
    free(*model);
    *provider = *model = NULL;
    if (!text || !*text)
        return;
    const char *colon = strchr(text, ':');
    if (colon && colon > text) {
        char *name = pd_strndup(text, (size_t)(colon - text));
        pd_error err = {0};
        const pd_provider_info *p = pd_provider_find(name, &err);
        free(name);
        pd_error_clear(&err);
        if (p && colon[1]) {
            *provider = pd_strdup(p->name);
            *model = pd_strdup(colon + 1);
            return;
        }
    }
    *model = pd_strdup(text);
}

/* "provider:model" or "model" as the model prompts show it. Caller frees. */
static char *model_text(const char *provider, const char *model)
{
    pd_buf b = PD_BUF_INIT;
    if (model)
        pd_buf_printf(&b, "%s%s%s", provider ? provider : "", provider ? ":" : "", model);
    return pd_buf_take(&b);
}

static void model_done(pd_app *app, void *ud, const char *text)
{
    (void)app;
    pd_view *v = ud;
    vars_state *s = v->data;
    if (text)
        parse_model(text, &s->provider, &s->model);
    layout(v);
}

static void model2_done(pd_app *app, void *ud, const char *text)
{
    (void)app;
    pd_view *v = ud;
    vars_state *s = v->data;
    if (text)
        parse_model(text, &s->provider2, &s->model2);
    layout(v);
    if (s->model2)
        pd_app_status(v->app, "x runs on both models side by side (M then an empty answer: one model)");
}

/* P: the selected history placeholder (or the first) gets the conversation of a past run of
 * this prompt: the newest the first time, an older one each time again. */
static void pick_conversation(pd_view *v, long cur)
{
    vars_state *s = v->data;
    long field = cur >= 0 && s->f[cur].history ? cur : -1;
    for (size_t i = 0; i < s->n && field < 0; i++)
        if (s->f[i].history)
            field = (long)i;
    if (field < 0) {
        pd_app_status(v->app, "This version has no history placeholder");
        return;
    }
    pd_run_record **runs = NULL;
    size_t n = 0;
    pd_error err = {0};
    if (pd_store_list_runs(pd_app_store(v->app), s->slug, &runs, &n, &err) != 0 && err.code != PD_ERR_NOT_FOUND) {
        pd_app_error_err(v->app, &err);
        return;
    }
    json_t *conv = NULL;
    size_t found = 0, at = 0;
    for (size_t i = 0; i < n && !conv; i++) {
        json_t *c = pd_run_conversation(runs[i]);
        if (c && found++ == s->picked) {
            conv = c;
            at = i;
        } else {
            json_decref(c);
        }
    }
    if (!conv && s->picked > 0 && found > 0) {   /* past the oldest: back to the newest */
        s->picked = 0;
        for (size_t i = 0; i < n && !conv; i++)
            if ((conv = pd_run_conversation(runs[i])) != NULL)
                at = i;
    }
    if (!conv) {
        pd_app_status(v->app, "No stored conversation of %s to pick from (run it first)", s->slug);
    } else {
        char *text = json_dumps(conv, JSON_PRESERVE_ORDER);
        pd_tb_replace_all(s->f[field].tb, text, strlen(text));
        pd_app_status(v->app, "%s: the conversation of the run of %s (%zu messages); P again: an older one",
                      s->f[field].name, runs[at]->started_at ? runs[at]->started_at : "?", json_array_size(conv));
        free(text);
        json_decref(conv);
        s->picked++;
        save_values(v->app, s);
        layout(v);
        pd_view_move_cursor(v, label_line(s, (size_t)field));
    }
    for (size_t i = 0; i < n; i++)
        pd_run_record_free(runs[i]);
    free(runs);
}

static void start_edit(pd_view *v, long field)
{
    vars_state *s = v->data;
    if (field < 0 || (size_t)field >= s->n)
        return;
    s->editing = field;
    pd_tb_set_cursor(s->f[field].tb, pd_tb_len(s->f[field].tb));
    pd_view_dirty_all(v);
    place_caret(v);
}

static void stop_edit(pd_view *v)
{
    vars_state *s = v->data;
    if (s->editing < 0)
        return;
    s->editing = -1;
    save_values(v->app, s);
    v->show_caret = false;
    pd_view_dirty_all(v);
}

/* A key while editing a value: everything is the field's but Esc and Tab. */
static void edit_key(pd_view *v, int key)
{
    vars_state *s = v->data;
    var_field *f = &s->f[s->editing];
    int w = value_width(v);
    switch (key) {
    case PD_KEY_ESC:
        stop_edit(v);
        return;
    case PD_KEY_TAB: {
        long next = s->editing + 1 < (long)s->n ? s->editing + 1 : -1;
        stop_edit(v);
        if (next >= 0)
            start_edit(v, next);
        return;
    }
    case PD_KEY_ENTER: pd_tb_insert(f->tb, "\n", 1); break;
    case PD_KEY_BACKSPACE: pd_tb_backspace(f->tb); break;
    case PD_KEY_FN(KEY_BACKSPACE): pd_tb_backspace(f->tb); break;
    case PD_KEY_FN(KEY_DC): pd_tb_delete(f->tb); break;
    case PD_KEY_FN(KEY_LEFT): pd_tb_move(f->tb, PD_MOVE_CHAR_LEFT, w); break;
    case PD_KEY_FN(KEY_RIGHT): pd_tb_move(f->tb, PD_MOVE_CHAR_RIGHT, w); break;
    case PD_KEY_FN(KEY_UP): pd_tb_move(f->tb, PD_MOVE_UP, w); break;
    case PD_KEY_FN(KEY_DOWN): pd_tb_move(f->tb, PD_MOVE_DOWN, w); break;
    case PD_KEY_FN(KEY_HOME): pd_tb_move(f->tb, PD_MOVE_HOME, w); break;
    case PD_KEY_FN(KEY_END): pd_tb_move(f->tb, PD_MOVE_END, w); break;
    case PD_KEY_CTRL('a'): pd_tb_move(f->tb, PD_MOVE_HOME, w); break;
    case PD_KEY_CTRL('e'): pd_tb_move(f->tb, PD_MOVE_END, w); break;
    case PD_KEY_CTRL('z'): pd_tb_undo(f->tb); break;
    default:
        if (pd_key_is_text(key)) {
            char u[4];
            int n = pd_utf8_encode((uint32_t)key, u);
            if (n > 0)
                pd_tb_insert(f->tb, u, (size_t)n);
        }
        break;
    }
    layout(v);
    place_caret(v);
}

/* A bracketed paste: into the value being edited (else the selected one, which starts being
 * edited), as one undo step. */
static void vars_paste(pd_view *v, const char *text, size_t len)
{
    vars_state *s = v->data;
    if (s->editing < 0)
        start_edit(v, field_at(s, v->cursor));
    if (s->editing < 0) {
        pd_app_status(v->app, s->n ? "Paste ignored: select the value to paste into"
                                   : "Paste ignored: this version has no variables to fill");
        return;
    }
    pd_textbuf *tb = s->f[s->editing].tb;
    pd_tb_break_group(tb);
    pd_tb_insert(tb, text, len);
    pd_tb_break_group(tb);
    layout(v);
    place_caret(v);
}

static bool vars_key(pd_view *v, int key, int action)
{
    vars_state *s = v->data;
    if (s->editing >= 0) {
        edit_key(v, key);
        return true;
    }
    long cur = field_at(s, v->cursor);
    switch (action) {
    case PD_ACT_UP:
    case PD_ACT_DOWN: {
        long to = cur < 0 ? (action == PD_ACT_UP ? (long)s->n - 1 : -1) : cur + (action == PD_ACT_UP ? -1 : 1);
        if (to >= 0 && (size_t)to < s->n)
            pd_view_move_cursor(v, label_line(s, (size_t)to));
        return true;
    }
    case ACT_EDIT:
        if (cur < 0)
            pd_app_status(v->app, s->n ? "Select a variable first (j/k)" : "This version uses no variables: x runs it");
        start_edit(v, cur);
        return true;
    case ACT_CLEAR:
        if (cur >= 0) {
            pd_tb_replace_all(s->f[cur].tb, "", 0);
            save_values(v->app, s);
            layout(v);
        }
        return true;
    case ACT_RUN:
        vars_run(v);
        return true;
    case ACT_MODEL: {
        char *init = model_text(s->provider, s->model);
        pd_app_input(v->app, "Model ([provider:]model, empty: the version's): ", init, model_done, NULL, v);
        free(init);
        return true;
    }
    case ACT_MODEL2: {
        char *init = model_text(s->provider2, s->model2);   /* keeps the provider given */
        pd_app_input(v->app, "Compare with model ([provider:]model, empty: no comparison): ", init,
                     model2_done, NULL, v);
        free(init);
        return true;
    }
    case ACT_HISTORY:
        pd_open_history(v->app, s->slug);
        return true;
    case ACT_PICK:
        pick_conversation(v, cur);
        return true;
    default:
        return false;
    }
}

static void vars_resize(pd_view *v)
{
    layout(v);
    place_caret(v);
}

static void vars_close(pd_view *v)
{
    vars_state *s = v->data;
    for (size_t i = 0; i < s->n; i++) {
        free(s->f[i].name);
        free(s->f[i].scope);
        pd_tb_free(s->f[i].tb);
    }
    free(s->f);
    clear_lines(s);
    free(s->slug);
    free(s->provider);
    free(s->model);
    free(s->provider2);
    free(s->model2);
    free(s->version_model);
    free(s);
}

const pd_view_ops pd_vars_pane = {
    .name = "vars",
    .draw_line = vars_draw,
    .key = vars_key,
    .resize = vars_resize,
    .close = vars_close,
    .title = vars_title,
    .keys = vars_keys,
    .help_notes = vars_notes,
    .paste = vars_paste,
    .keybar = "edit run model clear history",
};

static int resolve_version(pd_app *app, const char *slug, int version)
{
    if (version > 0)
        return version;
    pd_prompt *p = NULL;
    pd_error err = {0};
    if (pd_store_get_prompt(pd_app_store(app), slug, &p, &err) != 0) {
        pd_app_error_err(app, &err);
        return 0;
    }
    int n = p->current_version;
    pd_prompt_free(p);
    return n;
}

static void open_form(pd_app *app, const char *slug, int version, int version2)
{
    version = resolve_version(app, slug, version);
    if (!version)
        return;
    vars_state *s = pd_xcalloc(1, sizeof *s);
    s->slug = pd_strdup(slug);
    s->version = version;
    s->version2 = version2;
    s->editing = -1;
    add_vars(s, app, version);
    if (version2)
        add_vars(s, app, version2);
    if (!s->version_model)
        s->version_model = pd_strdup("?");
    pd_view *v = pd_view_new(app, &pd_vars_pane, s);
    v->has_cursor = true;
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
    layout(v);
    /* start on the first variable that has no value yet */
    for (size_t i = 0; i < s->n; i++)
        if (field_empty(&s->f[i])) {
            pd_view_move_cursor(v, label_line(s, i));
            return;
        }
}

void pd_open_vars(pd_app *app, const char *slug, int version)
{
    open_form(app, slug, version, 0);
}

void pd_open_compare(pd_app *app, const char *slug, int v1, int v2)
{
    if (v1 <= 0 || v2 <= 0 || v1 == v2) {
        pd_app_error(app, "Compare needs two different versions (mark them with m)");
        return;
    }
    open_form(app, slug, v1, v2);
}
