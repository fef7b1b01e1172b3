/* panes_stub.c: temporary stand-ins for panes other helpers are building (see panes.h);
 * each is deleted from here when its real version lands. */
#include "panes.h"

void pd_editor_open(pd_app *app, const char *slug, int version)
{
    (void)slug;
    (void)version;
    pd_app_status(app, "The editor is not available yet");
}

void pd_editor_check_drafts(pd_app *app)
{
    (void)app;
}

void pd_runpane_open_vars(pd_app *app, const char *slug, int version)
{
    (void)slug;
    (void)version;
    pd_app_status(app, "Runs are not available yet");
}

void pd_history_open(pd_app *app, const char *slug)
{
    (void)slug;
    pd_app_status(app, "Run history is not available yet");
}

void pd_compare_open(pd_app *app, const char *slug, int v1, int v2)
{
    (void)slug;
    (void)v1;
    (void)v2;
    pd_app_status(app, "Compare is not available yet");
}
