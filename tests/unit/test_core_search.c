/* test_core_search.c: the app-wide items of the core (white-box, no screen): `/` and n/N in a
 * pane (matching, wrapping, the search found as it is typed, Esc back, n/N over a pane's own
 * keys), the base64 of OSC 52, the :messages log, bracketed paste delivery, Tab completion on
 * the `:` line and the theme check behind `:theme NAME`. */
#define PD_MODULE_core
#include <locale.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_priv.h"
#include "t.h"

/* ---- matching ---- */

static void search_find_matches_smart_case(void)
{
    size_t m = 0;
    const char *t = "The Cat sat on the cat mat";
    CHECK_INT(pd_search_find(t, strlen(t), 0, "cat", &m), 4);   /* lower case: any case */
    CHECK_INT(m, 3);
    CHECK_INT(pd_search_find(t, strlen(t), 5, "cat", &m), 19);   /* from a later offset */
    CHECK_INT(pd_search_find(t, strlen(t), 0, "Cat", &m), 4);
    CHECK_INT(pd_search_find(t, strlen(t), 5, "Cat", &m), -1);   /* a capital: exact case */
    CHECK_INT(pd_search_find(t, strlen(t), 0, "", &m), -1);
    CHECK_INT(pd_search_find(t, strlen(t), 0, "dog", &m), -1);
    const char *u = "Caf\xc3\x89 caf\xc3\xa9";                   /* CafÉ café */
    CHECK_INT(pd_search_find(u, strlen(u), 0, "caf\xc3\xa9", &m), 0);   /* é finds É */
    CHECK_INT(m, 5);
    CHECK_INT(pd_search_find(u, strlen(u), 0, "\xc3\xa9", &m), 3);
    const char *bad = "a\xff" "b";                               /* bad bytes never stop it */
    CHECK_INT(pd_search_find(bad, strlen(bad), 0, "b", &m), 2);
}

static void base64_vectors(void)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        pd_buf b = PD_BUF_INIT;
        pd_buf_puts(&b, "");
        pd_base64((const unsigned char *)in[i], strlen(in[i]), &b);
        CHECK_STR(b.data, out[i]);
        pd_buf_free(&b);
    }
    pd_buf b = PD_BUF_INIT;
    pd_base64((const unsigned char *)"\xff\xfe\x00", 3, &b);
    CHECK_STR(pd_buf_str(&b), "//4A");
    pd_buf_free(&b);
}

/* ---- a pane of fixed lines ---- */

static const char *const lines[] = {"alpha", "the cat", "beta", "gamma", "a cat again", "omega"};
#define N_LINES (sizeof lines / sizeof lines[0])
static int own_next;   /* times the pane's own n ran */

static void fake_draw(pd_view *v, int row, size_t line, bool sel)
{
    (void)v, (void)row, (void)line, (void)sel;
}

static const char *fake_text(pd_view *v, size_t line, pd_buf *scratch)
{
    (void)v, (void)scratch;
    return lines[line];
}

static bool fake_key(pd_view *v, int key, int act)
{
    (void)v, (void)key;
    if (act == PD_VIEW_ACT) {
        own_next++;
        return true;
    }
    return false;
}

static char pasted[64];

static void fake_paste(pd_view *v, const char *text, size_t len)
{
    (void)v;
    snprintf(pasted, sizeof pasted, "%.*s", (int)len, text);
}

static const pd_keydef fake_keys[] = {{PD_VIEW_ACT, "next-thing", "n", "The pane's own n"}, {0, NULL, NULL, NULL}};
static const pd_view_ops fake_ops = {.name = "fake", .draw_line = fake_draw, .key = fake_key,
                                     .line_text = fake_text, .keys = fake_keys, .paste = fake_paste};
static const pd_view_ops plain_ops = {.name = "plain", .draw_line = fake_draw};
static const pd_pane_info registry[] = {{&fake_ops, "A fake pane"}, {&plain_ops, "A pane without search"},
                                        {&pd_help_pane, "Help"}};

static pd_app *new_app(void)
{
    pd_app *app = pd_app_new(registry, sizeof registry / sizeof registry[0]);
    app->global_keys = pd_keymap_build(NULL, NULL, pd_global_keydefs(), NULL, NULL);
    return app;
}

static pd_view *push(pd_app *app, const pd_view_ops *ops)
{
    pd_view *v = pd_view_new(app, ops, NULL);
    pd_app_push(app, NULL, v, PD_OPEN_FULL);
    v->height = 3;
    pd_view_set_lines(v, N_LINES);
    return v;
}

static void keys(pd_app *app, const char *s)
{
    for (; *s; s++)
        pd_app_handle_key(app, (unsigned char)*s);
}

static const char *status(pd_app *app)
{
    return pd_buf_str(&app->status);
}

static void slash_finds_as_typed_and_esc_goes_back(void)
{
    pd_app *app = new_app();
    pd_view *v = push(app, &fake_ops);
    pd_view_move_cursor(v, 2);
    keys(app, "/ca");
    CHECK(pd_app_prompting(app));
    CHECK_INT(v->cursor, 4);                 /* found as it is typed, from the cursor on */
    CHECK_STR(v->search, "ca");
    pd_app_handle_key(app, PD_KEY_ESC);      /* Esc: back where it was, no search */
    CHECK_INT(v->cursor, 2);
    CHECK(v->search == NULL);
    keys(app, "/cat");
    pd_app_handle_key(app, PD_KEY_ENTER);
    CHECK_INT(v->cursor, 4);
    CHECK_STR(status(app), "/cat  [2/2]");
    pd_app_free(app);
}

static void n_wraps_and_says_so(void)
{
    pd_app *app = new_app();
    pd_view *v = push(app, &fake_ops);
    keys(app, "/cat");
    pd_app_handle_key(app, PD_KEY_ENTER);
    CHECK_INT(v->cursor, 1);
    keys(app, "n");                          /* while searching, n is the search's ... */
    CHECK_INT(v->cursor, 4);
    CHECK_INT(own_next, 0);                  /* ... not the pane's own n */
    keys(app, "n");
    CHECK_INT(v->cursor, 1);
    CHECK_STR(status(app), "search hit BOTTOM, continuing at TOP  [1/2]");
    keys(app, "N");
    CHECK_INT(v->cursor, 4);
    CHECK_STR(status(app), "search hit TOP, continuing at BOTTOM  [2/2]");
    pd_app_handle_key(app, PD_KEY_ESC);      /* Esc ends the search; the pane stays */
    CHECK(v->search == NULL);
    CHECK_INT(app->n_views, 1);
    keys(app, "n");                          /* n is the pane's own again */
    CHECK_INT(own_next, 1);
    CHECK_INT(v->cursor, 4);
    keys(app, "/dog");
    pd_app_handle_key(app, PD_KEY_ENTER);
    CHECK_STR(status(app), "pattern not found: dog");
    CHECK(app->status_error);
    CHECK_INT(v->cursor, 4);
    pd_app_free(app);
}

static void pager_brings_the_match_to_the_top(void)
{
    pd_app *app = new_app();
    pd_view *v = push(app, &fake_ops);
    v->has_cursor = false;
    keys(app, "/omega");
    pd_app_handle_key(app, PD_KEY_ENTER);
    CHECK_INT(v->offset, 3);                 /* the last page: as far as it scrolls */
    keys(app, "/alpha");
    pd_app_handle_key(app, PD_KEY_ENTER);
    CHECK_INT(v->offset, 0);
    CHECK_STR(status(app), "search hit BOTTOM, continuing at TOP  [1/1]");
    pd_app_free(app);
}

static void no_search_where_a_pane_has_none(void)
{
    pd_app *app = new_app();
    push(app, &plain_ops);
    keys(app, "/");
    CHECK(!pd_app_prompting(app));
    CHECK_STR(status(app), "/: no such key here (? lists the keys)");
    keys(app, "n");
    CHECK_STR(status(app), "n: no such key here (? lists the keys)");
    pd_app_free(app);
}

/* ---- :messages ---- */

static void messages_keep_the_last_ones(void)
{
    pd_app *app = new_app();
    pd_app_status(app, "one");
    pd_app_error(app, "two");
    pd_app_error(app, "two");
    CHECK_INT(app->n_messages, 2);
    CHECK_INT(app->messages[1].repeats, 1);
    CHECK(app->messages[1].error);
    CHECK(!app->messages[0].error);
    for (int i = 0; i < 300; i++)
        pd_app_status(app, "message %d", i);
    CHECK_INT(app->n_messages, 200);
    CHECK_STR(app->messages[199].text, "message 299");
    CHECK_STR(app->messages[0].text, "message 100");
    pd_app_free(app);
}

/* ---- paste ---- */

static void paste_goes_where_text_goes(void)
{
    pd_app *app = new_app();
    pd_view *v = push(app, &fake_ops);
    pd_app_handle_paste(app, "line one\nline two", 17);
    CHECK_STR(pasted, "line one\nline two");            /* the pane's paste, whole */
    CHECK_INT(v->cursor, 0);                              /* j in it moved nothing */
    pd_app_cmdline(app, NULL);
    pd_app_handle_paste(app, "quit\nhelp\t", 10);
    CHECK_STR(pd_tb_text(app->statusline.text), "quit help");   /* one line; not run */
    CHECK(pd_app_prompting(app));
    CHECK(!app->quit);
    pd_statusline_cancel(app);
    push(app, &plain_ops);
    pd_app_handle_paste(app, "jjjQ", 4);
    CHECK(!app->quit);                                    /* never keys */
    CHECK_STR(status(app), "Paste ignored: the plain pane takes no text (4 bytes not run as keys)");
    pd_app_free(app);
}

/* ---- Tab on the `:` line ---- */

static const char *line_text(pd_app *app)
{
    return pd_tb_text(app->statusline.text);
}

static void tab_completes_commands_and_arguments(void)
{
    pd_app *app = new_app();
    push(app, &fake_ops);
    pd_app_cmdline(app, NULL);
    keys(app, "th");
    pd_statusline_key(app, PD_KEY_TAB);
    CHECK_STR(line_text(app), "theme ");
    pd_statusline_cancel(app);

    pd_app_cmdline(app, NULL);
    keys(app, "mouse o");
    pd_statusline_key(app, PD_KEY_TAB);                  /* on, off: nothing more in common */
    CHECK_STR(line_text(app), "mouse o");
    CHECK_INT(app->statusline.n_comp, 2);
    pd_statusline_key(app, PD_KEY_TAB);
    CHECK_STR(line_text(app), "mouse off");
    pd_statusline_key(app, PD_KEY_TAB);
    CHECK_STR(line_text(app), "mouse on");
    pd_statusline_key(app, PD_KEY_FN(KEY_BTAB));
    CHECK_STR(line_text(app), "mouse off");
    pd_statusline_key(app, 'x');                           /* typing starts afresh */
    CHECK_INT(app->statusline.n_comp, 0);
    pd_statusline_cancel(app);

    pd_app_cmdline(app, NULL);
    keys(app, "help f");
    pd_statusline_key(app, PD_KEY_TAB);                  /* panes of the registry */
    CHECK_STR(line_text(app), "help fake ");
    pd_statusline_cancel(app);

    pd_app_cmdline(app, NULL);
    keys(app, "me");
    pd_statusline_key(app, PD_KEY_TAB);
    CHECK_STR(line_text(app), "messages ");
    pd_statusline_cancel(app);
    pd_app_free(app);
}

static void theme_names_and_existence(void)
{
    char dir[64], path[256];
    CHECK(t_tmpdir(dir, sizeof dir, "themes"));
    snprintf(path, sizeof path, "%s/promptdeck", dir);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/promptdeck/themes", dir);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/promptdeck/themes/zebra.theme", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    setenv("XDG_CONFIG_HOME", dir, 1);
    CHECK(pd_theme_exists("default"));
    CHECK(pd_theme_exists("zebra"));
    CHECK(pd_theme_exists(path));
    CHECK(!pd_theme_exists("nosuch"));
    CHECK(!pd_theme_exists("/nowhere/x.theme"));
    size_t n;
    char **names = pd_theme_names(&n);
    bool zebra = false;
    for (size_t i = 0; i < n; i++) {
        zebra = zebra || !strcmp(names[i], "zebra");
        if (i)
            CHECK(strcmp(names[i - 1], names[i]) < 0);   /* sorted, each once */
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    CHECK(zebra);
    t_rmtree(dir);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(search_find_matches_smart_case);
    RUN(base64_vectors);
    RUN(slash_finds_as_typed_and_esc_goes_back);
    RUN(n_wraps_and_says_so);
    RUN(pager_brings_the_match_to_the_top);
    RUN(no_search_where_a_pane_has_none);
    RUN(messages_keep_the_last_ones);
    RUN(paste_goes_where_text_goes);
    RUN(tab_completes_commands_and_arguments);
    RUN(theme_names_and_existence);
    T_DONE();
}
