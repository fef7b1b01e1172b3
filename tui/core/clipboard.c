/* clipboard.c: `y` copies out: the pane's text (its copy op, else every line it shows) goes to
 * the terminal's clipboard through OSC 52, which works over SSH and, inside tmux, either through
 * tmux (set-clipboard on) or past it (the DCS passthrough, allow-passthrough on); or to a file in
 * the state directory when the terminal cannot take OSC 52 (the Linux console, TERM=vt100 ...)
 * or the config says `clipboard = file`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_priv.h"

/* More than this goes to the file: terminals cap what OSC 52 may carry (xterm, tmux). */
#define OSC52_MAX (1024 * 1024)

void pd_base64(const unsigned char *data, size_t len, pd_buf *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        char q[4] = {abc[(v >> 18) & 63], abc[(v >> 12) & 63], i + 1 < len ? abc[(v >> 6) & 63] : '=',
                     i + 2 < len ? abc[v & 63] : '='};
        pd_buf_append(out, q, 4);
    }
}

void pd_clipboard_config(pd_app *app)
{
    const char *c = pd_config_get(&app->config, "clipboard");
    app->clipboard = CLIPBOARD_AUTO;
    if (!c || !strcmp(c, "auto"))
        return;
    if (!strcmp(c, "osc52"))
        app->clipboard = CLIPBOARD_OSC52;
    else if (!strcmp(c, "file"))
        app->clipboard = CLIPBOARD_FILE;
    else
        pd_buf_printf(&app->warnings, "%s:%d: clipboard: osc52, file or auto, not '%s'\n",
                      app->config.path ? app->config.path : "config", pd_config_line(&app->config, "clipboard"), c);
}

/* Terminals known not to take OSC 52: the Linux and BSD consoles, old hardware terminals. */
static bool terminal_takes_osc52(void)
{
    const char *t = getenv("TERM");
    if (!t || !*t)
        return false;
    static const char *const not[] = {"linux", "dumb", "vt", "cons", "ansi", "wsvt", "pcvt", "sun"};
    for (size_t i = 0; i < sizeof not / sizeof not[0]; i++)
        if (!strncmp(t, not[i], strlen(not[i])))
            return false;
    return true;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The OSC 52 sequence setting the clipboard to text; inside tmux also the same wrapped in tmux's
 * passthrough (its ESC doubled), inside GNU screen wrapped in screen's. */
static void osc52_bytes(const char *text, size_t len, pd_buf *out)
{
    pd_buf seq = PD_BUF_INIT;
    pd_buf_puts(&seq, "\033]52;c;");
    pd_base64((const unsigned char *)text, len, &seq);
    pd_buf_puts(&seq, "\a");
    pd_buf_append(out, seq.data, seq.len);
    if (getenv("TMUX")) {
        pd_buf_puts(out, "\033Ptmux;\033");
        pd_buf_append(out, seq.data, seq.len);
        pd_buf_puts(out, "\033\\");
    } else if (getenv("STY")) {
        pd_buf_reset(out);
        pd_buf_puts(out, "\033P");
        pd_buf_append(out, seq.data, seq.len);
        pd_buf_puts(out, "\033\\");
    }
    pd_buf_free(&seq);
}

/* path shown with ~ for $HOME. */
static void home_short(const char *path, char *buf, size_t size)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;
    if (hl && !strncmp(path, home, hl) && path[hl] == '/')
        snprintf(buf, size, "~%s", path + hl);
    else
        snprintf(buf, size, "%s", path);
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = len && text[len - 1] != '\n';
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    return n;
}

static int copy_to_file(pd_app *app, const char *text, size_t len, const char *what, const char *why)
{
    char *dir = pd_state_dir();
    pd_buf path = PD_BUF_INIT;
    pd_buf_printf(&path, "%s/clipboard", dir);
    free(dir);
    pd_error err = {0};
    char *slash = strrchr(path.data, '/');
    *slash = '\0';
    int rc = pd_mkdirs(path.data, 0700, &err);
    *slash = '/';
    if (rc == 0)
        rc = pd_write_file_atomic(path.data, text, len, 0600, &err);
    if (rc != 0) {
        pd_app_error(app, "Copy: %s", err.msg);
    } else {
        char shown[512];
        home_short(path.data, shown, sizeof shown);
        size_t n = count_lines(text, len);
        pd_app_status(app, "Copied %s to %s (%zu line%s%s)", what, shown, n, n == 1 ? "" : "s", why);
    }
    pd_buf_free(&path);
    return rc;
}

int pd_app_copy(pd_app *app, const char *text, size_t len, const char *what)
{
    app_clipboard mode = app->clipboard;
    if (mode == CLIPBOARD_AUTO)
        mode = terminal_takes_osc52() ? CLIPBOARD_OSC52 : CLIPBOARD_FILE;
    if (mode == CLIPBOARD_FILE)
        return copy_to_file(app, text, len, what, app->clipboard == CLIPBOARD_FILE ? "" : "; no OSC 52 here");
    if (len > OSC52_MAX)
        return copy_to_file(app, text, len, what, "; too big for the clipboard");
    if (!app->scripted) {
        pd_buf seq = PD_BUF_INIT;
        osc52_bytes(text, len, &seq);
        fflush(stdout);
        int rc = write_all(STDOUT_FILENO, seq.data, seq.len);
        pd_buf_free(&seq);
        if (rc != 0)
            return copy_to_file(app, text, len, what, "; the terminal could not be written");
    }
    size_t n = count_lines(text, len);
    pd_app_status(app, "Copied %s to the clipboard (OSC 52, %zu line%s)", what, n, n == 1 ? "" : "s");
    return 0;
}

bool pd_copy_view(pd_app *app, pd_view *v)
{
    pd_buf out = PD_BUF_INIT;
    char what[160] = "";
    if (v->ops->copy) {
        if (!v->ops->copy(v, &out, what, sizeof what)) {
            pd_buf_free(&out);
            return true;
        }
    } else if (v->ops->line_text) {
        pd_buf scratch = PD_BUF_INIT;
        for (size_t i = 0; i < v->n_lines; i++) {
            const char *t = v->ops->line_text(v, i, &scratch);
            pd_buf_printf(&out, "%s\n", t ? t : "");
        }
        pd_buf_free(&scratch);
        snprintf(what, sizeof what, "the %s pane's text", v->ops->name);
    } else {
        return false;
    }
    if (!out.len)
        pd_app_status(app, "Nothing to copy here");
    else
        pd_app_copy(app, out.data, out.len, what[0] ? what : "the text");
    pd_buf_free(&out);
    return true;
}
