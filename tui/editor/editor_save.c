/* editor_save.c: saving from the editor: refuse what cannot be stored, say when there is nothing
 * to save, else the review pane (a unified diff of the saved version against the edit, with
 * word highlights, wrapped to the width) where y saves through pd_store_update with base_id
 * (the id of the version current when the editor opened); a conflict (someone saved meanwhile)
 * replaces the review with both sides and saves nothing; the draft stays until a save succeeds. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "editor_priv.h"
#include "panes/panes.h"
#include "store/store.h"

enum { ACT_R_SAVE = PD_VIEW_ACT, ACT_R_COMMIT, ACT_R_NEXT, ACT_R_PREV, ACT_R_SIDE };

static const pd_keydef review_keys[] = {
    {ACT_R_SAVE, "save", "y <C-s>", "Save the edit as a new version"},
    {ACT_R_COMMIT, "commit-message", "c", "Edit the commit message"},
    {ACT_R_NEXT, "next-change", "n", "Next change"},
    {ACT_R_PREV, "previous-change", "N", "Previous change"},
    {ACT_R_SIDE, "side-by-side", "s", "The same two versions side by side (diff pane)"},
    {0, NULL, NULL, NULL},
};

static const char *const review_notes[] = {
    "#Review before save",
    "Lines starting with - are the saved version, + your edit; changed words are highlighted.",
    "q or Esc goes back to editing without saving.",
    "In a conflict (someone saved while you edited) nothing is saved: - is their version,",
    "  + yours; back in the editor, Ctrl-S then reviews your edit against their version.",
    NULL,
};

typedef struct rline {
    char sign;                 /* ' ' '-' '+': diff lines; '@' hunk header; 'i' information */
    const char *text;
    size_t len;
    const pd_diff_span *spans;
    size_t n_spans;
} rline;

typedef struct rrow {
    size_t line;
    size_t start, end;
} rrow;

typedef struct review {
    editor *ed;
    pd_view *view;
    bool conflict;
    pd_version *old;           /* the saved side */
    pd_version *edit;          /* what a save would store */
    pd_diff *diff;
    pd_diff_sbs *sbs;
    char *info[8];
    size_t n_info;
    char *hunk_text;           /* "@@ ... @@" lines, NUL-separated */
    rline *lines;
    size_t n_lines, cap_lines;
    rrow *rows;
    size_t n_rows;
    int wrapped_for;
} review;

/* ---------------------------------------------------------------- building */

static void add_line(review *r, char sign, const char *text, size_t len, const pd_diff_span *spans, size_t n)
{
    if (r->n_lines == r->cap_lines) {
        r->cap_lines = r->cap_lines ? r->cap_lines * 2 : 64;
        r->lines = pd_xrealloc(r->lines, r->cap_lines * sizeof *r->lines);
    }
    r->lines[r->n_lines++] = (rline){sign, text, len, spans, n};
}

static void add_info(review *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_info(review *r, const char *fmt, ...)
{
    if (r->n_info >= sizeof r->info / sizeof r->info[0])
        return;
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    r->info[r->n_info++] = pd_buf_take(&b);
}

/* The left (A) or right (B) side of row i as a diff line. */
static void add_side(review *r, const pd_diff_row *row, bool left)
{
    const pd_diff_lines *l = left ? &r->diff->a : &r->diff->b;
    size_t i = (size_t)(left ? row->left : row->right);
    add_line(r, left ? '-' : '+', pd_diff_line(l, i), pd_diff_line_len(l, i), left ? row->left_spans : row->right_spans,
             left ? row->n_left_spans : row->n_right_spans);
}

/* A version as diffable text without its header (number, author, date, commit message): only
 * messages and settings, which is what a save compares. Caller frees. */
static char *content_text(const pd_version *v)
{
    char *t = pd_diff_version_text(v);
    char *body = strstr(t, "\n\n");
    if (body)
        memmove(t, body + 2, strlen(body + 2) + 1);
    return t;
}

/* A copy of v without number, author, date and commit message: the diff pane then shows only
 * what a save compares. Caller frees. */
static pd_version *content_only(const pd_version *v)
{
    pd_version *c = pd_version_dup(v);
    c->number = 0;
    free(c->author);
    free(c->created_at);
    free(c->commit_message);
    c->author = c->created_at = c->commit_message = NULL;
    return c;
}

static void free_info(review *r)
{
    for (size_t i = 0; i < r->n_info; i++)
        free(r->info[i]);
    r->n_info = 0;
}

static void info_lines(review *r)
{
    editor *ed = r->ed;
    free_info(r);
    size_t ins = r->diff->n_inserted, del = r->diff->n_deleted;
    if (r->conflict) {
        char when[32];
        add_info(r, "Conflict: v%d was saved while you edited (from v%d). Nothing was saved.", r->old->number,
                 ed->from_number);
        add_info(r, "- is v%d (by %s, %s), + is your edit (kept as a draft)", r->old->number,
                 r->old->author ? r->old->author : "?", ed_when(r->old->created_at, when, sizeof when));
        add_info(r, "s side by side   q back to editing (Ctrl-S there reviews against v%d)", r->old->number);
    } else if (ed->new_name) {
        add_info(r, "Create %s (\"%s\") with this as version 1: %zu lines", ed->slug, ed->new_name, ins);
        const char *c = r->edit->commit_message;
        add_info(r, "Commit message: %s", c && *c ? c : "(none: c adds one)");
        add_info(r, "y creates it  c commit message  n/N changes  s side by side  q back");
    } else {
        add_info(r, "Save %s v%d: +%zu -%zu lines against v%d", ed->slug, ed->base_number + 1, ins, del,
                 ed->base_number);
        const char *c = r->edit->commit_message;
        add_info(r, "Commit message: %s", c && *c ? c : "(none: c adds one)");
        add_info(r, "y saves  c commit message  n/N next/previous change  s side by side  q back");
    }
    add_info(r, "%s", "");
}

/* Fills lines from the info and the hunks. */
static void build_lines(review *r)
{
    r->n_lines = 0;
    for (size_t i = 0; i < r->n_info; i++)
        add_line(r, 'i', r->info[i], strlen(r->info[i]), NULL, 0);
    const char *h = r->hunk_text;
    for (size_t k = 0; k < r->sbs->n_hunks; k++) {
        const pd_diff_hunk *hk = &r->sbs->hunks[k];
        add_line(r, '@', h, strlen(h), NULL, 0);
        h += strlen(h) + 1;
        size_t end = hk->row_start + hk->row_count;
        for (size_t i = hk->row_start; i < end;) {
            const pd_diff_row *row = &r->sbs->rows[i];
            if (row->kind == PD_ROW_EQUAL) {
                add_line(r, ' ', pd_diff_line(&r->diff->b, (size_t)row->right), pd_diff_line_len(&r->diff->b, (size_t)row->right),
                         NULL, 0);
                i++;
                continue;
            }
            /* a change block: its old lines, then its new lines, as a unified diff shows them */
            size_t j = i;
            while (j < end && r->sbs->rows[j].kind != PD_ROW_EQUAL)
                j++;
            for (size_t k2 = i; k2 < j; k2++)
                if (r->sbs->rows[k2].left >= 0)
                    add_side(r, &r->sbs->rows[k2], true);
            for (size_t k2 = i; k2 < j; k2++)
                if (r->sbs->rows[k2].right >= 0)
                    add_side(r, &r->sbs->rows[k2], false);
            i = j;
        }
    }
}

static void hunk_headers(review *r)
{
    pd_buf b = PD_BUF_INIT;
    for (size_t k = 0; k < r->sbs->n_hunks; k++) {
        const pd_diff_hunk *h = &r->sbs->hunks[k];
        pd_buf_printf(&b, "@@ -%zu,%zu +%zu,%zu @@", h->a_start + 1, h->a_count, h->b_start + 1, h->b_count);
        pd_buf_putc(&b, '\0');
    }
    pd_buf_putc(&b, '\0');
    r->hunk_text = pd_buf_take(&b);
}

/* Wraps every line to the view's width (one column goes to the sign). */
static void wrap(review *r)
{
    int w = r->view->width - 2;
    if (w < 1)
        w = 1;
    r->n_rows = 0;
    size_t cap = r->n_lines + 16;
    free(r->rows);
    r->rows = pd_xmalloc(cap * sizeof *r->rows);
    for (size_t i = 0; i < r->n_lines; i++) {
        const rline *l = &r->lines[i];
        size_t p = 0;
        do {
            size_t e = ed_wrap_row_end(l->text, l->len, p, w);
            if (r->n_rows == cap) {
                cap *= 2;
                r->rows = pd_xrealloc(r->rows, cap * sizeof *r->rows);
            }
            r->rows[r->n_rows++] = (rrow){i, p, e};
            p = e;
        } while (p < l->len);
    }
    r->wrapped_for = r->view->width;
    pd_view_set_lines(r->view, r->n_rows);
}

/* ---------------------------------------------------------------- the pane */

static bool in_spans(const rline *l, size_t pos)
{
    for (size_t k = 0; k < l->n_spans; k++)
        if (pos >= l->spans[k].start && pos < l->spans[k].end)
            return true;
    return false;
}

static void review_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    review *r = v->data;
    pd_app *app = v->app;
    const rrow *rr = &r->rows[line];
    const rline *l = &r->lines[rr->line];
    attr_t base, word = 0;
    switch (l->sign) {
    case '-': base = pd_app_attr(app, PD_STYLE_DIFF_DEL); word = pd_app_attr(app, PD_STYLE_DIFF_DEL_WORD); break;
    case '+': base = pd_app_attr(app, PD_STYLE_DIFF_ADD); word = pd_app_attr(app, PD_STYLE_DIFF_ADD_WORD); break;
    case '@': base = pd_app_attr(app, PD_STYLE_DIFF_HUNK); break;
    case 'i':
        base = pd_app_attr(app, rr->line == 0 ? (r->conflict ? PD_STYLE_ERROR : PD_STYLE_HEADER) : PD_STYLE_NORMAL);
        break;
    default: base = pd_app_attr(app, PD_STYLE_DIFF_CONTEXT);
    }
    attr_t n = pd_app_attr(app, PD_STYLE_NORMAL), ctrl = pd_app_attr(app, PD_STYLE_CONTROL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, ctrl);
    char sign[2] = {l->sign == '-' || l->sign == '+' ? l->sign : ' ', 0};
    if (rr->start > 0 && sign[0] != ' ')
        sign[0] = '.';   /* a wrapped continuation */
    pd_pen_str(&p, sign, base);
    int col = 0;
    pd_glyph g;
    for (size_t pos = rr->start; pos < rr->end; pos += g.len) {
        pd_glyph_at(l->text, l->len, pos, col, &g);
        bool special = g.kind == PD_GLYPH_CONTROL || g.kind == PD_GLYPH_INVALID || g.kind == PD_GLYPH_HIDDEN;
        attr_t a = word && in_spans(l, pos) ? word : base;
        pd_pen_str(&p, g.show, special ? ctrl : a);
        col += g.width;
    }
    pd_pen_fill(&p, l->sign == '-' || l->sign == '+' ? base : n);
}

static void review_resize(pd_view *v)
{
    review *r = v->data;
    if (r->wrapped_for != v->width)
        wrap(r);
}

static void review_title(pd_view *v, char *buf, size_t size)
{
    review *r = v->data;
    if (r->conflict)
        snprintf(buf, size, "Conflict: %s v%d (saved meanwhile) vs your edit", r->ed->slug, r->old->number);
    else if (r->ed->new_name)
        snprintf(buf, size, "Review: new prompt %s (y creates it, q goes back)", r->ed->slug);
    else
        snprintf(buf, size, "Review: %s v%d -> v%d (y saves, q goes back)", r->ed->slug, r->ed->base_number,
                 r->ed->base_number + 1);
}

static void review_close(pd_view *v)
{
    review *r = v->data;
    free_info(r);
    pd_version_free(r->old);
    pd_version_free(r->edit);
    pd_diff_sbs_free(r->sbs);
    pd_diff_free(r->diff);
    free(r->hunk_text);
    free(r->lines);
    free(r->rows);
    free(r);
}

static void jump_change(review *r, bool next)
{
    pd_view *v = r->view;
    size_t at = v->offset;
    if (next) {
        for (size_t i = at + 1; i < r->n_rows; i++)
            if (r->lines[r->rows[i].line].sign == '@') {
                pd_view_scroll_to(v, i);
                return;
            }
    } else {
        for (size_t i = at; i-- > 0;)
            if (r->lines[r->rows[i].line].sign == '@') {
                pd_view_scroll_to(v, i);
                return;
            }
    }
    pd_app_status(v->app, "No %s change", next ? "next" : "previous");
}

static void review_commit_done(pd_app *app, void *ud, const char *text)
{
    pd_view *v = ud;
    review *r = v->data;
    if (!text)
        return;
    pd_error err = {0};
    if (pd_editdoc_set_field(r->ed->doc, PD_FIELD_COMMIT, text, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    ed_changed(r->ed);
    free(r->edit->commit_message);
    r->edit->commit_message = *r->ed->doc->commit ? pd_strdup(r->ed->doc->commit) : NULL;
    info_lines(r);
    build_lines(r);
    wrap(r);
    pd_view_dirty_all(v);
}

static void show_conflict(review *r);

/* The first save of a new prompt: creates it with the edit as version 1. */
static void do_create(review *r)
{
    editor *ed = r->ed;
    pd_app *app = ed->app;
    pd_prompt p = {0};
    p.slug = ed->slug;
    p.name = ed->new_name;
    p.description = "";
    pd_error err = {0};
    if (pd_store_create(pd_app_store(app), &p, r->edit, &err) != 0) {
        if (err.code == PD_ERR_CONFLICT)
            pd_app_error(app, "%s exists now (made meanwhile): nothing saved; your edit stays (as a draft)", ed->slug);
        else
            pd_app_error_err(app, &err);
        return;
    }
    char *slug = pd_strdup(ed->slug);
    ed_drafts_stop(ed, true);
    ed_close(ed);
    pd_app_library_changed(app, slug);
    pd_app_status(app, "Created %s (version 1)", slug);
    free(slug);
}

static void do_save(review *r)
{
    editor *ed = r->ed;
    pd_app *app = ed->app;
    if (ed->new_name) {
        do_create(r);
        return;
    }
    pd_update u = {0};
    u.content = r->edit;
    /* by id: a renumbering by sync (the same version under another number) is no conflict */
    if (ed->base && ed->base->id)
        u.base_id = ed->base->id;
    else
        u.base_version = ed->base_number;
    pd_update_result res = {0};
    pd_error err = {0};
    if (pd_store_update(pd_app_store(app), ed->slug, &u, &res, &err) != 0) {
        if (err.code == PD_ERR_CONFLICT)
            show_conflict(r);
        else
            pd_app_error_err(app, &err);
        return;
    }
    if (!res.new_version) {
        pd_app_status(app, "Nothing to save: the saved version already has these messages and settings");
        pd_app_pop(app, r->view);
        return;
    }
    char *slug = pd_strdup(ed->slug);
    ed_drafts_stop(ed, true);
    ed_close(ed);
    pd_app_library_changed(app, slug);
    pd_app_status(app, "Saved %s v%d", slug, res.new_version);
    free(slug);
}

static bool review_key(pd_view *v, int key, int act)
{
    (void)key;
    review *r = v->data;
    switch (act) {
    case ACT_R_SAVE:
        if (r->conflict) {
            pd_app_error(v->app, "Nothing is saved from a conflict: q goes back, Ctrl-S there reviews again");
            return true;
        }
        do_save(r);
        return true;
    case ACT_R_COMMIT:
        if (!r->conflict)
            pd_app_input(v->app, "Commit message: ", r->ed->doc->commit, review_commit_done, NULL, v);
        return true;
    case ACT_R_NEXT:
    case ACT_R_PREV: jump_change(r, act == ACT_R_NEXT); return true;
    case ACT_R_SIDE: {
        char title[48];
        if (r->ed->new_name)
            snprintf(title, sizeof title, "nothing yet");
        else
            snprintf(title, sizeof title, "v%d%s", r->old->number, r->conflict ? " (saved meanwhile)" : "");
        pd_version *a = content_only(r->old), *b = content_only(r->edit);
        pd_open_diff_versions(v->app, v, a, title, b, "your edit");
        pd_version_free(a);
        pd_version_free(b);
        return true;
    }
    default: return false;
    }
}

const pd_view_ops pd_review_pane = {
    .name = "review",
    .draw_line = review_draw,
    .key = review_key,
    .resize = review_resize,
    .close = review_close,
    .title = review_title,
    .keys = review_keys,
    .help_notes = review_notes,
    .keybar = "save commit-message next-change side-by-side",
};

/* A review (or conflict) pane of old -> edit; both are taken. NULL with the error shown. */
static review *review_new(editor *ed, pd_version *old, pd_version *edit, bool conflict)
{
    review *r = pd_xcalloc(1, sizeof *r);
    r->ed = ed;
    r->old = old;
    r->edit = edit;
    r->conflict = conflict;
    char *a = content_text(old), *b = content_text(edit);
    pd_diff_options o = PD_DIFF_OPTIONS_INIT;
    pd_error err = {0};
    int rc = pd_diff_texts(a, strlen(a), b, strlen(b), &o, &r->diff, &err);
    if (rc == 0)
        rc = pd_diff_side_by_side(r->diff, 3, &r->sbs, &err);
    free(a);
    free(b);
    if (rc != 0) {
        pd_app_error_err(ed->app, &err);
        pd_diff_free(r->diff);
        pd_version_free(old);
        pd_version_free(edit);
        free(r);
        return NULL;
    }
    hunk_headers(r);
    info_lines(r);
    build_lines(r);
    r->view = pd_view_new(ed->app, &pd_review_pane, r);
    r->view->has_cursor = false;
    return r;
}

static void show_conflict(review *r)
{
    editor *ed = r->ed;
    pd_app *app = ed->app;
    pd_error err = {0};
    pd_version *cur = NULL;
    if (pd_store_get_version(pd_app_store(app), ed->slug, 0, &cur, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    /* from now on saves are checked against the version just shown */
    pd_version_free(ed->base);
    ed->base = pd_version_dup(cur);
    ed->base_number = cur->number;
    pd_view_dirty_title(ed->view);
    review *c = review_new(ed, cur, pd_version_dup(r->edit), true);
    if (!c)
        return;
    pd_app_replace(app, r->view, c->view);
    pd_app_error(app, "Conflict: v%d was saved meanwhile; nothing saved, your edit is kept", c->old->number);
}

void ed_save(editor *ed)
{
    pd_app *app = ed->app;
    char *bad = pd_editdoc_find_invalid(ed->doc);
    if (bad) {
        pd_app_error(app, "Cannot save: %s (the library keeps UTF-8 text)", bad);
        free(bad);
        return;
    }
    pd_version *v = pd_editdoc_version(ed->doc);
    pd_error err = {0};
    if (pd_version_validate(v, &err) != 0) {
        pd_app_error(app, "Cannot save: %s", err.msg);
        pd_version_free(v);
        return;
    }
    if (pd_version_content_equal(v, ed->base)) {
        if (v->commit_message)
            pd_app_status(app, "Nothing to save (same as v%d; a commit message alone is no version)", ed->base_number);
        else
            pd_app_status(app, "Nothing to save: the messages and settings are the same as v%d", ed->base_number);
        pd_version_free(v);
        return;
    }
    review *r = review_new(ed, pd_version_dup(ed->base), v, false);
    if (r)
        pd_app_push(app, ed->view, r->view, PD_OPEN_FULL);
}
