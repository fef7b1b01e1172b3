/* view.c: a view's scroll and cursor state and its dirty rows (only those get redrawn);
 * small scrolls shift the window (wscrl) so the terminal can scroll instead of repainting. */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

pd_view *pd_view_new(pd_app *app, const pd_view_ops *ops, void *data)
{
    pd_view *v = pd_xcalloc(1, sizeof *v);
    v->ops = ops;
    v->app = app;
    v->data = data;
    v->has_cursor = true;
    v->all_dirty = v->title_dirty = true;
    return v;
}

void pd_view_free(pd_view *v)
{
    if (!v)
        return;
    if (v->ops && v->ops->close)
        v->ops->close(v);
    pd_view_detach(v);
    if (v->app)
        pd_search_forget(v->app, v);
    free(v->search);
    free(v->row_dirty);
    free(v);
}

void pd_view_attach(pd_view *v, int y, int x, int height, int width)
{
    if (height < 1)
        height = 1;
    if (width < 1)
        width = 1;
    bool resized = v->width != width || v->height != height;
    if (v->win && v->y == y && v->x == x && !resized)
        return;
    pd_view_detach(v);
    v->win = newwin(height, width, y + 1, x);
    if (v->win) {
        idlok(v->win, TRUE);
        scrollok(v->win, FALSE);
        wbkgdset(v->win, ' ' | pd_app_attr(v->app, PD_STYLE_NORMAL));
    }
    v->y = y;
    v->x = x;
    v->row_dirty = pd_xrealloc(v->row_dirty, (size_t)height);
    v->width = width;
    v->height = height;
    if (resized && v->ops->resize)
        v->ops->resize(v);
    pd_view_set_lines(v, v->n_lines);
}

void pd_view_detach(pd_view *v)
{
    if (v->win)
        delwin(v->win);
    v->win = NULL;
    v->all_dirty = v->title_dirty = true;
}

static size_t max_offset(const pd_view *v)
{
    size_t h = v->height > 0 ? (size_t)v->height : 1;
    return v->n_lines > h ? v->n_lines - h : 0;
}

void pd_view_dirty_all(pd_view *v)
{
    v->all_dirty = true;
    v->title_dirty = true;
}

void pd_view_dirty_title(pd_view *v)
{
    v->title_dirty = true;
}

void pd_view_dirty_line(pd_view *v, size_t line)
{
    if (line >= v->offset && line < v->offset + (size_t)v->height && v->row_dirty)
        v->row_dirty[line - v->offset] = 1;
}

/* Moves the first visible line to off, shifting the window's rows when that is cheaper. */
static void set_offset(pd_view *v, size_t off)
{
    if (off == v->offset)
        return;
    long delta = (long)off - (long)v->offset;
    long h = v->height;
    v->title_dirty = true;
    if (!v->win || v->all_dirty || labs(delta) >= h) {
        v->offset = off;
        v->all_dirty = true;
        return;
    }
    scrollok(v->win, TRUE);
    wscrl(v->win, (int)delta);
    scrollok(v->win, FALSE);
    if (delta > 0) {
        memmove(v->row_dirty, v->row_dirty + delta, (size_t)(h - delta));
        memset(v->row_dirty + (h - delta), 1, (size_t)delta);
    } else {
        memmove(v->row_dirty - delta, v->row_dirty, (size_t)(h + delta));
        memset(v->row_dirty, 1, (size_t)-delta);
    }
    v->offset = off;
}

void pd_view_set_lines(pd_view *v, size_t n)
{
    v->n_lines = n;
    if (v->cursor >= n)
        v->cursor = n ? n - 1 : 0;
    if (v->offset > max_offset(v))
        v->offset = max_offset(v);
    if (v->has_cursor && n) {
        if (v->cursor < v->offset)
            v->offset = v->cursor;
        else if (v->cursor >= v->offset + (size_t)v->height)
            v->offset = v->cursor - (size_t)v->height + 1;
    }
    pd_view_dirty_all(v);
}

void pd_view_move_cursor(pd_view *v, size_t line)
{
    if (!v->has_cursor) {
        if (line < v->offset)
            set_offset(v, line);
        else if (line >= v->offset + (size_t)v->height)
            set_offset(v, line - (size_t)v->height + 1 > max_offset(v) ? max_offset(v) : line - (size_t)v->height + 1);
        return;
    }
    if (v->n_lines == 0)
        return;
    if (line >= v->n_lines)
        line = v->n_lines - 1;
    size_t old = v->cursor;
    v->cursor = line;
    if (line < v->offset)
        set_offset(v, line);
    else if (line >= v->offset + (size_t)v->height)
        set_offset(v, line - (size_t)v->height + 1);
    pd_view_dirty_line(v, old);
    pd_view_dirty_line(v, line);
    v->title_dirty = true;
    if (v->ops->select && old != line)
        v->ops->select(v);
}

void pd_view_scroll(pd_view *v, long delta)
{
    long off = (long)v->offset + delta;
    if (off < 0)
        off = 0;
    if ((size_t)off > max_offset(v))
        off = (long)max_offset(v);
    set_offset(v, (size_t)off);
    if (v->has_cursor && v->n_lines) {
        size_t c = v->cursor;
        if (c < v->offset)
            c = v->offset;
        else if (c >= v->offset + (size_t)v->height)
            c = v->offset + (size_t)v->height - 1;
        if (c != v->cursor)
            pd_view_move_cursor(v, c);
    }
}

void pd_view_scroll_to(pd_view *v, size_t line)
{
    pd_view_scroll(v, (long)line - (long)v->offset);
    if (v->has_cursor && line < v->n_lines)
        pd_view_move_cursor(v, line);
}

bool pd_view_focused(const pd_view *v)
{
    return v->app && pd_app_focus(v->app) == v;
}
