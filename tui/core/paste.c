/* paste.c: bracketed paste: the terminal is asked to wrap a paste in ESC[200~ ... ESC[201~
 * (ncurses is taught those two sequences as keys), so a paste arrives as one piece of text:
 * one edit in a pane or line that takes text, never a run of commands elsewhere. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core_priv.h"

void pd_paste_mode(pd_app *app, bool on)
{
    if (app->scripted || !app->screen)
        return;
    if (on) {
        define_key("\033[200~", PD_CURSES_PASTE_START);
        define_key("\033[201~", PD_CURSES_PASTE_END);
    }
    const char *seq = on ? "\033[?2004h" : "\033[?2004l";
    fflush(stdout);
    ssize_t w = write(STDOUT_FILENO, seq, strlen(seq));
    (void)w;
}

/* The line being edited on the status row takes the paste on one line: line ends and tabs
 * become spaces, other control characters are dropped. */
static void paste_into_line(pd_app *app, const char *text, size_t len)
{
    pd_buf line = PD_BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n' || c == '\t')
            pd_buf_putc(&line, ' ');
        else if (c >= 32 && c != 127)
            pd_buf_putc(&line, (char)c);
    }
    while (line.len && line.data[line.len - 1] == ' ')
        line.data[--line.len] = '\0';
    app_statusline *sl = &app->statusline;
    pd_tb_break_group(sl->text);
    pd_tb_insert(sl->text, line.data ? line.data : "", line.len);
    pd_tb_break_group(sl->text);
    pd_buf_free(&line);
    app->status_dirty = true;
    if (sl->changed)
        sl->changed(app, sl->ud, pd_tb_text(sl->text));
}

void pd_app_handle_paste(pd_app *app, const char *text, size_t len)
{
    if (!len)
        return;
    if (app->statusline.kind == STATUSLINE_INPUT) {
        paste_into_line(app, text, len);
        return;
    }
    if (app->statusline.kind == STATUSLINE_CONFIRM)
        return;   /* a paste never answers a question: it stays open */
    if (app->status.len) {
        pd_buf_reset(&app->status);
        app->status_dirty = true;
    }
    pd_view *v = app->focus;
    if (v && v->ops->paste) {
        v->ops->paste(v, text, len);
        return;
    }
    pd_app_status(app, "Paste ignored: the %s pane takes no text (%zu bytes not run as keys)",
                  v ? v->ops->name : "main", len);
}
