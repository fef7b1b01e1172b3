/* test_statusline.c: the status row's line editor (white-box, no screen): typing, moving and
 * deleting in UTF-8 text through the editor's text buffer, the command line's history, and
 * the callbacks of inputs and confirmations. */
#define PD_MODULE_core
#include <locale.h>
#include <stdlib.h>

#include "core/core_priv.h"
#include "t.h"

static char *done_text;
static int n_done, n_changed;
static bool confirmed;

static void on_done(pd_app *app, void *ud, const char *text)
{
    (void)app, (void)ud;
    free(done_text);
    done_text = text ? pd_strdup(text) : NULL;
    n_done++;
}

static void on_changed(pd_app *app, void *ud, const char *text)
{
    (void)app, (void)ud, (void)text;
    n_changed++;
}

static void on_confirm(pd_app *app, void *ud, bool yes)
{
    (void)app, (void)ud;
    confirmed = yes;
    n_done++;
}

/* Types s, one key per character. */
static void type(pd_app *app, const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        i += pd_utf8_next(s + i, n - i, &cp, NULL);
        pd_statusline_key(app, (int)cp);
    }
}

static const char *text(pd_app *app) { return pd_tb_text(app->statusline.text); }
static size_t cursor(pd_app *app) { return pd_tb_cursor(app->statusline.text); }

static void typing_moving_and_deleting(void)
{
    pd_app *app = pd_app_new(NULL, 0);
    n_done = n_changed = 0;
    pd_app_input(app, "? ", "ab", on_done, on_changed, NULL);
    CHECK(pd_app_prompting(app));
    CHECK_INT(cursor(app), 2);
    type(app, "\xc3\xa9\xe6\x97\xa5");                 /* é日 */
    CHECK_STR(text(app), "ab\xc3\xa9\xe6\x97\xa5");
    CHECK_INT(n_changed, 2);
    pd_statusline_key(app, PD_KEY_FN(KEY_LEFT));
    CHECK_INT(cursor(app), 4);                           /* one character, not one byte */
    pd_statusline_key(app, PD_KEY_BACKSPACE);
    CHECK_STR(text(app), "ab\xe6\x97\xa5");
    pd_statusline_key(app, PD_KEY_CTRL('A'));
    pd_statusline_key(app, PD_KEY_CTRL('F'));
    pd_statusline_key(app, PD_KEY_CTRL('D'));
    CHECK_STR(text(app), "a\xe6\x97\xa5");
    pd_statusline_key(app, PD_KEY_CTRL('K'));
    CHECK_STR(text(app), "a");
    int before = n_changed;
    pd_statusline_key(app, PD_KEY_CTRL('K'));            /* nothing to delete: no change */
    pd_statusline_key(app, PD_KEY_FN(KEY_RIGHT));
    CHECK_INT(n_changed, before);
    pd_statusline_key(app, PD_KEY_FN(KEY_END));
    type(app, "e\xcc\x81");                              /* e + combining acute */
    pd_statusline_key(app, PD_KEY_BACKSPACE);            /* takes the accented letter at once */
    CHECK_STR(text(app), "a");
    type(app, " one  two");
    pd_statusline_key(app, PD_KEY_CTRL('W'));
    CHECK_STR(text(app), "a one  ");
    pd_statusline_key(app, PD_KEY_CTRL('W'));
    CHECK_STR(text(app), "a ");
    pd_statusline_key(app, PD_KEY_CTRL('U'));
    CHECK_STR(text(app), "");
    type(app, "x");
    pd_statusline_key(app, 0xD800);                      /* a lone surrogate types nothing */
    pd_statusline_key(app, PD_KEY_ENTER);
    CHECK_INT(n_done, 1);
    CHECK_STR(done_text, "x");
    CHECK(!pd_app_prompting(app));
    pd_app_free(app);
}

static void command_line_history(void)
{
    pd_app *app = pd_app_new(NULL, 0);
    app->history = pd_xmalloc(2 * sizeof *app->history);
    app->history[0] = pd_strdup("first");
    app->history[1] = pd_strdup("second");
    app->n_history = 2;
    n_done = 0;
    pd_app_input(app, ":", NULL, on_done, NULL, NULL);
    app->statusline.cmdline = true;
    pd_statusline_key(app, PD_KEY_FN(KEY_UP));
    CHECK_STR(text(app), "second");
    CHECK_INT(cursor(app), 6);
    pd_statusline_key(app, PD_KEY_FN(KEY_UP));
    pd_statusline_key(app, PD_KEY_FN(KEY_UP));
    CHECK_STR(text(app), "first");
    pd_statusline_key(app, PD_KEY_FN(KEY_DOWN));
    pd_statusline_key(app, PD_KEY_FN(KEY_DOWN));
    CHECK_STR(text(app), "");
    pd_statusline_key(app, PD_KEY_BACKSPACE);            /* on an empty command line: closes it */
    CHECK_INT(n_done, 1);
    CHECK(done_text == NULL);
    CHECK(!pd_app_prompting(app));
    pd_app_free(app);
}

static void cancel_and_confirm(void)
{
    pd_app *app = pd_app_new(NULL, 0);
    n_done = 0;
    pd_app_input(app, "? ", "kept", on_done, NULL, NULL);
    pd_statusline_key(app, PD_KEY_ESC);
    CHECK_INT(n_done, 1);
    CHECK(done_text == NULL);
    pd_app_confirm(app, "Sure?", on_confirm, NULL);
    pd_statusline_key(app, 'y');
    CHECK(confirmed);
    pd_app_confirm(app, "Sure?", on_confirm, NULL);
    pd_app_input(app, "? ", NULL, on_done, NULL, NULL);   /* a new prompt says no to the old */
    CHECK(!confirmed);
    CHECK_INT(n_done, 3);
    pd_app_free(app);                                     /* and so does closing the app */
    CHECK_INT(n_done, 4);
    CHECK(done_text == NULL);
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    RUN(typing_moving_and_deleting);
    RUN(command_line_history);
    RUN(cancel_and_confirm);
    free(done_text);
    T_DONE();
}
