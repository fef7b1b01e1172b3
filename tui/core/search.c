/* search.c: `/` and n/N inside a pane: the pattern is typed on the status row and found as it
 * is typed, through the pane's ops->line_text; n/N go to the next / previous line holding it
 * (wrapping, as vim says it); the matches on screen are painted in the search style by reading
 * back the row the pane drew, so a pane only says what text a line holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "core_priv.h"

#define NOT_FOUND ((size_t)-1)

/* ---- matching: plain text, smart case ---- */

static bool has_capital(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += pd_utf8_next(s + i, len - i, &cp, NULL);
        if (iswupper((wint_t)cp))
            return true;
    }
    return false;
}

/* Length of the match of pattern at text[at..len), or 0 when it does not match there. */
static size_t match_at(const char *text, size_t len, size_t at, const char *pat, size_t plen, bool fold)
{
    size_t i = at, j = 0;
    while (j < plen) {
        if (i >= len)
            return 0;
        uint32_t a, b;
        i += pd_utf8_next(text + i, len - i, &a, NULL);
        j += pd_utf8_next(pat + j, plen - j, &b, NULL);
        if (a != b && !(fold && towlower((wint_t)a) == towlower((wint_t)b)))
            return 0;
    }
    return i - at;
}

size_t pd_search_find(const char *text, size_t len, size_t from, const char *pattern, size_t *match_len)
{
    size_t plen = pattern ? strlen(pattern) : 0;
    if (!plen)
        return NOT_FOUND;
    bool fold = !has_capital(pattern);
    for (size_t i = from; i < len;) {
        size_t m = match_at(text, len, i, pattern, plen, fold);
        if (m) {
            if (match_len)
                *match_len = m;
            return i;
        }
        uint32_t cp;
        i += pd_utf8_next(text + i, len - i, &cp, NULL);
    }
    return NOT_FOUND;
}

/* ---- finding lines ---- */

static bool line_matches(pd_view *v, size_t line, const char *pattern, pd_buf *scratch)
{
    const char *t = v->ops->line_text(v, line, scratch);
    return t && pd_search_find(t, strlen(t), 0, pattern, NULL) != NOT_FOUND;
}

/* The first line holding pattern from `from` on in direction dir (1 or -1), going round the
 * end once; NOT_FOUND when no line holds it. */
static size_t find_line(pd_view *v, const char *pattern, size_t from, int dir)
{
    size_t n = v->n_lines;
    if (!n)
        return NOT_FOUND;
    pd_buf scratch = PD_BUF_INIT;
    size_t found = NOT_FOUND;
    size_t at = from < n ? from : (dir > 0 ? 0 : n - 1);
    for (size_t k = 0; k < n && found == NOT_FOUND; k++) {
        if (line_matches(v, at, pattern, &scratch))
            found = at;
        else if (dir > 0)
            at = at + 1 < n ? at + 1 : 0;
        else
            at = at > 0 ? at - 1 : n - 1;
    }
    pd_buf_free(&scratch);
    return found;
}

/* How many lines hold pattern, and how many of them are at or before line. */
static size_t count_lines(pd_view *v, const char *pattern, size_t line, size_t *index)
{
    pd_buf scratch = PD_BUF_INIT;
    size_t total = 0;
    *index = 0;
    for (size_t i = 0; i < v->n_lines; i++) {
        if (line_matches(v, i, pattern, &scratch)) {
            total++;
            if (i <= line)
                (*index)++;
        }
    }
    pd_buf_free(&scratch);
    return total;
}

/* Shows line: the cursor goes there, or (a pager) it comes to the top unless it is on screen. */
static void go_to(pd_view *v, size_t line)
{
    if (v->has_cursor)
        pd_view_move_cursor(v, line);
    else if (line < v->offset || line >= v->offset + (size_t)(v->height > 0 ? v->height : 1))
        pd_view_scroll_to(v, line);
    v->search_line = line;
    v->search_line_set = true;
}

/* The line the search continues from: the match n/N went to while it is still where it was
 * left, else the cursor (the top line of a pager). */
static size_t current_line(const pd_view *v)
{
    size_t shown_end = v->offset + (size_t)(v->height > 0 ? v->height : 1);
    if (v->search_line_set && v->search_line < v->n_lines &&
        (v->has_cursor ? v->cursor == v->search_line : v->search_line >= v->offset && v->search_line < shown_end))
        return v->search_line;
    return v->has_cursor ? v->cursor : v->offset;
}

static void set_pattern(pd_view *v, const char *pattern)
{
    free(v->search);
    v->search = pattern && *pattern ? pd_strdup(pattern) : NULL;
    v->search_line_set = false;
    pd_view_dirty_all(v);
}

void pd_view_set_search(pd_view *v, const char *pattern)
{
    set_pattern(v, pattern);
    if (pattern && *pattern) {
        free(v->app->last_search);
        v->app->last_search = pd_strdup(pattern);
    }
}

/* Says where the search is: "/cat [2/7]", with the wrap as vim says it. */
static void report(pd_app *app, pd_view *v, size_t line, bool wrapped, int dir)
{
    size_t index, total = count_lines(v, v->search, line, &index);
    if (wrapped)
        pd_app_status(app, "search hit %s, continuing at %s  [%zu/%zu]", dir > 0 ? "BOTTOM" : "TOP",
                      dir > 0 ? "TOP" : "BOTTOM", index, total);
    else
        pd_app_status(app, "/%s  [%zu/%zu]", v->search, index, total);
}

/* ---- n / N ---- */

bool pd_search_next(pd_app *app, pd_view *v, int dir)
{
    if (!v->ops->line_text)
        return false;
    if (!v->search) {
        if (!app->last_search) {
            pd_app_status(app, "No search yet: / searches this pane");
            return true;
        }
        set_pattern(v, app->last_search);
    }
    size_t cur = current_line(v);
    size_t from = dir > 0 ? cur + 1 : (cur ? cur - 1 : v->n_lines - 1);
    size_t line = find_line(v, v->search, from, dir);
    if (line == NOT_FOUND) {
        pd_app_error(app, "pattern not found: %s", v->search);
        return true;
    }
    go_to(v, line);
    report(app, v, line, dir > 0 ? line <= cur : line >= cur, dir);
    return true;
}

/* ---- `/`: the pattern typed on the status row ---- */

static bool still_open(pd_app *app, pd_view *v)
{
    for (size_t i = 0; v && i < app->n_views; i++)
        if (app->stack[i] == v)
            return true;
    return false;
}

/* Puts the view back where it was when `/` was typed. */
static void go_back(pd_app *app, pd_view *v)
{
    if (v->has_cursor)
        pd_view_move_cursor(v, app->search_cursor);
    pd_view_scroll(v, (long)app->search_offset - (long)v->offset);
}

static void search_changed(pd_app *app, void *ud, const char *text)
{
    (void)ud;
    pd_view *v = app->search_view;
    if (!still_open(app, v))
        return;
    go_back(app, v);
    set_pattern(v, text);
    if (!v->search)
        return;
    size_t line = find_line(v, v->search, v->has_cursor ? app->search_cursor : app->search_offset, 1);
    if (line != NOT_FOUND)
        go_to(v, line);
}

static void search_done(pd_app *app, void *ud, const char *text)
{
    (void)ud;
    pd_view *v = app->search_view;
    char *before = app->search_before;
    app->search_view = NULL;
    app->search_before = NULL;
    if (!still_open(app, v)) {
        free(before);
        return;
    }
    if (!text) {   /* Esc: back where it was, with the search it had */
        go_back(app, v);
        set_pattern(v, before);
        free(before);
        return;
    }
    free(before);
    if (!*text && !app->last_search) {
        set_pattern(v, NULL);
        return;
    }
    pd_view_set_search(v, *text ? text : app->last_search);
    size_t from = v->has_cursor ? app->search_cursor : app->search_offset;
    size_t line = find_line(v, v->search, from, 1);
    if (line == NOT_FOUND) {
        go_back(app, v);
        pd_app_error(app, "pattern not found: %s", v->search);
        set_pattern(v, NULL);
        return;
    }
    go_to(v, line);
    report(app, v, line, line < from, 1);
}

bool pd_search_start(pd_app *app, pd_view *v)
{
    if (!v->ops->line_text)
        return false;
    app->search_view = v;
    app->search_cursor = v->cursor;
    app->search_offset = v->offset;
    free(app->search_before);
    app->search_before = pd_strdup(v->search);
    pd_app_input(app, "/", NULL, search_done, search_changed, NULL);
    return true;
}

void pd_search_forget(pd_app *app, pd_view *v)
{
    if (app->search_view == v)
        app->search_view = NULL;
}

/* ---- highlighting what the pane drew ---- */

void pd_search_mark_row(pd_view *v, int row)
{
    if (!v->search || !v->win)
        return;
    pd_buf text = PD_BUF_INIT;
    /* the screen column of each byte of the row's text */
    int *col = pd_xmalloc(((size_t)v->width * PD_CELL_MAX + 1) * sizeof *col);
    for (int x = 0; x < v->width;) {
        char cell[PD_CELL_MAX];
        attr_t attrs;
        short pair;
        int w = pd_cell_at(v->win, row, x, cell, &attrs, &pair);
        if (!cell[0] || (attrs & A_ALTCHARSET))
            snprintf(cell, sizeof cell, " ");
        for (size_t b = 0; cell[b]; b++)
            col[text.len + b] = x;
        pd_buf_puts(&text, cell);
        x += w;
    }
    col[text.len] = v->width;
    attr_t a = pd_app_attr(v->app, PD_STYLE_SEARCH);
    size_t m, at = 0;
    while (text.len && (at = pd_search_find(text.data, text.len, at, v->search, &m)) != NOT_FOUND) {
        int x0 = col[at], x1 = col[at + m];
        if (x1 > x0)
            mvwchgat(v->win, row, x0, x1 - x0, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
        at += m;
    }
    free(col);
    pd_buf_free(&text);
}
