/* loop.c: the one event loop: poll() over the tty, a self-pipe fed by the signal handlers
 * (SIGWINCH, SIGTERM, SIGHUP, SIGCHLD, SIGCONT) and the registered sources; keys ncurses has
 * already buffered are drained before blocking. Also the scripted mode (a key script, the
 * screen kept off-terminal and dumped as text) and terminal restoration on fatal signals. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "core_priv.h"

#define MAX_POLLFDS 128

static int sig_write_fd = -1;
static volatile sig_atomic_t in_fatal = 0;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char c = (unsigned char)sig;
    if (sig_write_fd >= 0) {
        ssize_t r = write(sig_write_fd, &c, 1);
        (void)r;
    }
    errno = saved;
}

/* A crash: put the terminal back before dying, then die the same way. */
static void on_fatal(int sig)
{
    if (!in_fatal) {
        in_fatal = 1;
        endwin();
        ssize_t w = write(STDOUT_FILENO, "\033[?2004l", 8);   /* bracketed paste off */
        (void)w;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int install_signals(pd_app *app)
{
    if (pipe(app->sigpipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(app->sigpipe[i], F_SETFL, fcntl(app->sigpipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(app->sigpipe[i], F_SETFD, FD_CLOEXEC);
    }
    sig_write_fd = app->sigpipe[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGCHLD, SIGCONT, SIGINT, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND;
    int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    return 0;
}

static void remove_signals(pd_app *app)
{
    int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGCHLD, SIGCONT, SIGINT, SIGQUIT,
                  SIGSEGV,  SIGBUS,  SIGFPE, SIGILL,  SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    sig_write_fd = -1;
    for (int i = 0; i < 2; i++) {
        if (app->sigpipe[i] >= 0)
            close(app->sigpipe[i]);
        app->sigpipe[i] = -1;
    }
}

static void handle_signal(pd_app *app, int sig)
{
    switch (sig) {
    case SIGWINCH: {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            pd_app_resized(app, ws.ws_row, ws.ws_col);
        break;
    }
    case SIGCONT:
        clearok(curscr, TRUE);
        pd_app_redraw_all(app);
        break;
    case SIGTERM:
    case SIGHUP:
    case SIGINT:
    case SIGQUIT:
        app->quit = true;
        app->quit_signal = sig;
        break;
    default: /* SIGCHLD: whoever started the child reaps it; the wake-up is the point */
        break;
    }
}

static void drain_signals(pd_app *app)
{
    unsigned char buf[64];
    ssize_t n;
    while ((n = read(app->sigpipe[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            handle_signal(app, buf[i]);
}

/* The rest of a bracketed paste, up to its end (waiting up to a second for more of it), into
 * app->paste: line ends (CR, CR LF) as '\n'; function keys ncurses finds inside are dropped. */
static void read_paste(pd_app *app)
{
    pd_buf_reset(&app->paste);
    pd_buf_puts(&app->paste, "");
    wtimeout(stdscr, 1000);
    bool cr = false;
    for (;;) {
        wint_t wc;
        int rc = wget_wch(stdscr, &wc);
        if (rc == ERR || (rc == KEY_CODE_YES && wc == PD_CURSES_PASTE_END))
            break;
        if (rc == KEY_CODE_YES)
            continue;
        if (wc == '\n' && cr) {
            cr = false;
            continue;
        }
        cr = wc == '\r';
        char mb[4];
        int n = pd_utf8_encode(wc == '\r' ? '\n' : (uint32_t)wc, mb);
        pd_buf_append(&app->paste, mb, (size_t)n);
    }
    nodelay(stdscr, TRUE);
}

/* Reads one key ncurses has (buffered or readable now). Returns false when none. */
static bool read_key(pd_app *app, int *key)
{
    wint_t wc;
    int rc = wget_wch(stdscr, &wc);
    if (rc == ERR)
        return false;
    if (rc == KEY_CODE_YES) {
        if (wc == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                if (ev.bstate & BUTTON4_PRESSED)
                    pd_app_handle_mouse(app, PD_MOUSE_WHEEL_UP, ev.y, ev.x);
                else if (ev.bstate & BUTTON5_PRESSED)
                    pd_app_handle_mouse(app, PD_MOUSE_WHEEL_DOWN, ev.y, ev.x);
                else if (ev.bstate & BUTTON1_PRESSED) {
                    long now = pd_app_now_ms();
                    bool dbl = now - app->last_click_ms < 400 && app->last_click_y == ev.y;
                    app->last_click_ms = dbl ? 0 : now;
                    app->last_click_y = ev.y;
                    pd_app_handle_mouse(app, dbl ? PD_MOUSE_DOUBLE : PD_MOUSE_CLICK, ev.y, ev.x);
                }
            }
            *key = 0;
            return true;
        }
        if (wc == KEY_RESIZE) {
            /* resizeterm() (called for our SIGWINCH) queues this: the size is already set;
             * resizing again here would queue another one, forever */
            app->rows = LINES;
            app->cols = COLS;
            pd_app_redraw_all(app);
            *key = 0;
            return true;
        }
        if (wc == KEY_ENTER) {
            *key = PD_KEY_ENTER;
            return true;
        }
        if (wc == PD_CURSES_PASTE_START) {
            read_paste(app);
            pd_app_handle_paste(app, app->paste.data, app->paste.len);
            *key = 0;
            return true;
        }
        if (wc == PD_CURSES_PASTE_END) {
            *key = 0;   /* the end of a paste that timed out */
            return true;
        }
        *key = PD_KEY_FN((int)wc);
        return true;
    }
    if (wc == 27) {
        /* Alt+x arrives as ESC x in one read: only then is it Alt */
        wint_t next;
        int r2 = wget_wch(stdscr, &next);
        if (r2 == OK && next != 27) {
            *key = PD_KEY_ALT((int)next);
            return true;
        }
        if (r2 == KEY_CODE_YES)
            ungetch((int)next);
        else if (r2 == OK)
            unget_wch((wchar_t)next);
        *key = PD_KEY_ESC;
        return true;
    }
    if (wc == '\n')
        wc = PD_KEY_ENTER;
    if (wc == 8)
        wc = PD_KEY_BACKSPACE;
    *key = (int)wc;
    return true;
}

/* Runs the sources once after poll (fds[first..] belong to them, in order). */
static void dispatch_sources(pd_app *app, struct pollfd *fds, size_t *counts, size_t n_src)
{
    size_t at = 0;
    for (size_t i = 0; i < n_src && i < app->n_sources; i++) {
        app_source s = app->sources[i];
        if (!s.dead)
            s.s.dispatch(s.s.ud, fds + at, counts[i]);
        at += counts[i];
    }
    size_t j = 0;
    for (size_t i = 0; i < app->n_sources; i++)
        if (!app->sources[i].dead)
            app->sources[j++] = app->sources[i];
    app->n_sources = j;
}

/* Collects the sources' fds after `first` fixed entries; returns the total and sets *timeout. */
static size_t collect_sources(pd_app *app, struct pollfd *fds, size_t first, size_t *counts, size_t *n_src,
                              int *timeout)
{
    size_t n = first;
    size_t k = 0;
    for (size_t i = 0; i < app->n_sources && i < MAX_POLLFDS; i++, k++) {
        int t = -1;
        size_t got = 0;
        if (!app->sources[i].dead)
            got = app->sources[i].s.pollfds(app->sources[i].s.ud, fds + n, MAX_POLLFDS - n, &t);
        counts[k] = got;
        n += got;
        if (t >= 0 && (*timeout < 0 || t < *timeout))
            *timeout = t;
    }
    *n_src = k;
    return n;
}

int pd_loop_run(pd_app *app)
{
    if (install_signals(app) != 0)
        return -1;
    int tty = fileno(stdin);
    struct pollfd fds[MAX_POLLFDS];
    size_t counts[MAX_POLLFDS];
    while (!app->quit) {
        /* keys already buffered by ncurses (a paste, a fast typist) are handled before we
         * draw or block: only the final state is painted */
        int handled = 0, key;
        while (handled < 256 && !app->quit && read_key(app, &key)) {
            if (key)
                pd_app_handle_key(app, key);
            pd_app_reap(app);
            handled++;
        }
        if (app->quit)
            break;
        pd_app_draw(app);
        size_t n = 0;
        fds[n++] = (struct pollfd){.fd = tty, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = app->sigpipe[0], .events = POLLIN};
        int timeout = -1;
        size_t n_src = 0;
        n = collect_sources(app, fds, n, counts, &n_src, &timeout);
        int r = poll(fds, n, timeout);
        if (r < 0 && errno != EINTR)
            break;
        if (r < 0)
            continue;
        if (fds[1].revents)
            drain_signals(app);
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            app->quit = true;            /* the terminal went away */
            app->quit_signal = SIGHUP;
        }
        if (n_src)
            dispatch_sources(app, fds + 2, counts, n_src);
        pd_app_reap(app);
    }
    pd_app_run_exit_hooks(app, app->quit_signal);
    remove_signals(app);
    return app->quit_signal;
}

/* ---- scripted mode ---- */

/* Writes the screen as text to path; with only (not 0), only the cells drawn in that
 * style, blanks elsewhere (to test what a highlight covers). */
static int dump_screen(pd_app *app, const char *path, attr_t only, pd_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return pd_error_set(err, PD_ERR_IO, "%s: %s", path, strerror(errno));
    for (int y = 0; y < app->rows; y++) {
        pd_buf line = PD_BUF_INIT;
        pd_buf_puts(&line, "");
        for (int x = 0; x < app->cols;) {
            char cell[PD_CELL_MAX];
            attr_t attrs;
            short pair;
            int w = pd_cell_at(curscr, y, x, cell, &attrs, &pair);
            if (only && ((attrs & ~(A_ALTCHARSET | A_CHARTEXT | A_COLOR)) != (only & ~A_COLOR) || pair != PAIR_NUMBER(only)))
                cell[0] = '\0';
            if (cell[0] && (attrs & A_ALTCHARSET)) {
                /* line-drawing characters: as plain ASCII in the dump */
                char c = cell[0] == 'x' ? '|' : cell[0] == 'q' ? '-' : cell[0] == 'a' ? '#' : '+';
                cell[0] = c;
                cell[1] = '\0';
            }
            pd_buf_puts(&line, cell[0] ? cell : " ");
            x += w;
        }
        while (line.len && line.data[line.len - 1] == ' ')
            line.data[--line.len] = 0;
        fprintf(f, "%s\n", line.data);
        pd_buf_free(&line);
    }
    if (fclose(f) != 0)
        return pd_error_set(err, PD_ERR_IO, "%s: %s", path, strerror(errno));
    return 0;
}

int pd_screen_dump(pd_app *app, const char *path, pd_error *err)
{
    return dump_screen(app, path, 0, err);
}

/* A script's text with \n, \t, \r, \e and \\ read as those characters. */
static void unescape(const char *s, pd_buf *out)
{
    static const char from[] = "ntre\\", to[] = "\n\t\r\033\\";
    pd_buf_puts(out, "");
    for (; *s; s++) {
        const char *k = s[0] == '\\' && s[1] ? strchr(from, s[1]) : NULL;
        if (k) {
            pd_buf_putc(out, to[k - from]);
            s++;
        } else {
            pd_buf_putc(out, *s);
        }
    }
}

/* Runs the sources without blocking the script: once (wait false) or until none has work
 * left (wait true; bounded by 10 s so a broken source cannot hang a test). */
static void script_sources(pd_app *app, bool wait)
{
    struct pollfd fds[MAX_POLLFDS];
    size_t counts[MAX_POLLFDS];
    long deadline = pd_app_now_ms() + 10000;
    do {
        int timeout = -1;
        size_t n_src = 0;
        size_t n = collect_sources(app, fds, 0, counts, &n_src, &timeout);
        if (n_src == 0 || (n == 0 && timeout < 0))
            return;
        if (!wait)
            timeout = 0;
        else if (timeout < 0 || timeout > 100)
            timeout = 100;
        if (poll(fds, n, timeout) < 0 && errno != EINTR)
            return;
        dispatch_sources(app, fds, counts, n_src);
        pd_app_reap(app);
    } while (wait && !app->quit && pd_app_now_ms() < deadline);
}

static int script_directive(pd_app *app, const char *line, int lineno, const char *path, pd_error *err)
{
    if (!strncmp(line, ":dump ", 6) || !strncmp(line, "@dump ", 6)) {
        pd_app_draw(app);
        const char *name = line + 6;
        while (*name == ' ')
            name++;
        char out[4096];
        snprintf(out, sizeof out, "%s/%s", app->dump_dir ? app->dump_dir : ".", name);
        return pd_screen_dump(app, out, err);
    }
    if (!strncmp(line, "@paste ", 7)) {
        pd_buf text = PD_BUF_INIT;
        unescape(line + 7, &text);
        pd_app_handle_paste(app, text.data ? text.data : "", text.len);
        pd_buf_free(&text);
        return 0;
    }
    char name[256], style[64];
    if (sscanf(line, "@dump-style %255s %63s", name, style) == 2) {
        int st = pd_style_by_name(style);
        if (st < 0)
            return pd_error_set(err, PD_ERR_PARSE, "%s:%d: no style '%s'", path, lineno, style);
        pd_app_draw(app);
        char out[4096];
        snprintf(out, sizeof out, "%s/%s", app->dump_dir ? app->dump_dir : ".", name);
        return dump_screen(app, out, pd_app_attr(app, (pd_style)st), err);
    }
    if (!strcmp(line, ":wait") || !strcmp(line, "@wait")) {
        script_sources(app, true);
        return 0;
    }
    int w, h;
    if ((sscanf(line, ":resize %dx%d", &w, &h) == 2) || (sscanf(line, "@resize %dx%d", &w, &h) == 2)) {
        pd_app_resized(app, h, w);
        return 0;
    }
    /* any other ":command args" is typed into the command line */
    pd_app_handle_key(app, ':');
    for (const char *s = line + 1; *s;) {
        uint32_t cp;
        int n = pd_utf8_decode(s, strlen(s), &cp);
        if (n == 0) {   /* a byte that is not UTF-8 is typed as itself */
            cp = (unsigned char)*s;
            n = 1;
        }
        pd_app_handle_key(app, (int)cp);
        s += n;
    }
    pd_app_handle_key(app, PD_KEY_ENTER);
    return 0;
}

static void script_key(pd_app *app, int key)
{
    pd_app_handle_key(app, key);
    pd_app_reap(app);
    script_sources(app, false);
    pd_app_draw(app);
}

int pd_loop_script(pd_app *app, const char *path, pd_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return pd_error_set(err, PD_ERR_IO, "%s: %s", path, strerror(errno));
    if (install_signals(app) != 0) {
        fclose(f);
        return pd_error_set(err, PD_ERR_IO, "pipe: %s", strerror(errno));
    }
    char line[8192];
    int lineno = 0, rc = 0;
    pd_app_draw(app);
    while (rc == 0 && !app->quit && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        if (*s == ':' || *s == '@') {
            rc = script_directive(app, s, lineno, path, err);
            pd_app_reap(app);
            pd_app_draw(app);
            continue;
        }
        while (*s && !app->quit) {
            if (*s == ' ' || *s == '\t') {
                s++;
                continue;
            }
            int w, h;
            if (sscanf(s, "<Resize %dx%d>", &w, &h) == 2) {
                pd_app_resized(app, h, w);
                pd_app_draw(app);
                s = strchr(s, '>') + 1;
                continue;
            }
            int my, mx;
            char what[16];
            if (sscanf(s, "<%15[A-Za-z] %d %d>", what, &my, &mx) == 3) {
                static const struct {
                    const char *name;
                    pd_mouse_kind kind;
                } mk[] = {{"Click", PD_MOUSE_CLICK},
                          {"DoubleClick", PD_MOUSE_DOUBLE},
                          {"WheelUp", PD_MOUSE_WHEEL_UP},
                          {"WheelDown", PD_MOUSE_WHEEL_DOWN}};
                size_t k = 0;
                while (k < sizeof mk / sizeof mk[0] && strcmp(mk[k].name, what) != 0)
                    k++;
                if (k < sizeof mk / sizeof mk[0]) {
                    /* mouse at screen row my, column mx (0-based), as the terminal reports it */
                    pd_app_handle_mouse(app, mk[k].kind, my, mx);
                    pd_app_reap(app);
                    pd_app_draw(app);
                    s = strchr(s, '>') + 1;
                    continue;
                }
            }
            int key;
            size_t n = pd_key_parse(s, &key);
            if (n == 0) {
                rc = pd_error_set(err, PD_ERR_PARSE, "%s:%d: unknown key at '%.20s'", path, lineno, s);
                break;
            }
            script_key(app, key);
            s += n;
        }
        drain_signals(app);
    }
    fclose(f);
    pd_app_run_exit_hooks(app, app->quit_signal);
    remove_signals(app);
    return rc;
}
