/* messages.c: the status lines of the session (messages and errors), the last MAX_MESSAGES
 * of them, for `:messages`: a line cut at the screen's edge, or gone with the next key, can be
 * read whole there. */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define MAX_MESSAGES 200

void pd_messages_add(pd_app *app, bool error, const char *text)
{
    if (!text || !*text)
        return;
    app_message *last = app->n_messages ? &app->messages[app->n_messages - 1] : NULL;
    if (last && last->error == error && !strcmp(last->text, text)) {
        last->repeats++;
        return;
    }
    if (app->n_messages == MAX_MESSAGES) {
        free(app->messages[0].text);
        memmove(app->messages, app->messages + 1, (MAX_MESSAGES - 1) * sizeof *app->messages);
        app->n_messages--;
    }
    app->messages = pd_xrealloc(app->messages, (app->n_messages + 1) * sizeof *app->messages);
    app->messages[app->n_messages++] = (app_message){error, 0, pd_strdup(text)};
}

void pd_messages_free(pd_app *app)
{
    for (size_t i = 0; i < app->n_messages; i++)
        free(app->messages[i].text);
    free(app->messages);
    app->messages = NULL;
    app->n_messages = 0;
}
