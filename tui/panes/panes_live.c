/* panes_live.c: the views follow the library on disk. Every second the store's signature (stats
 * only) is compared with the one last shown; a change made outside the app (a version saved
 * from the command line, a label moved, a git pull, what a sync recorded) reloads every view as
 * a save in the app does, each keeping its cursor on the same prompt or version. */
#include <stdlib.h>

#include "panes_priv.h"

#define LIVE_PERIOD_MS 1000

struct panes_live {
    pd_app *app;
    uint64_t shown;     /* the signature of what the views show */
    int timer;          /* the pending check, or 0 */
};

/* The library's state, and what the last sync recorded about it (its marks). */
static uint64_t signature(pd_store *s)
{
    return pd_store_signature(s) * 0x100000001b3ULL + pd_store_last_sync_signature(s);
}

static void live_check(pd_app *app, void *ud)
{
    panes_live *l = ud;
    l->timer = pd_app_add_timer(app, LIVE_PERIOD_MS, live_check, l);
    uint64_t now = signature(pd_app_store(app));
    if (now == l->shown)
        return;
    l->shown = now;
    pd_app_library_changed(app, NULL);
}

panes_live *panes_live_start(pd_app *app)
{
    if (pd_app_scripted(app))   /* a script's screens depend on its keys alone */
        return NULL;
    panes_live *l = pd_xcalloc(1, sizeof *l);
    l->app = app;
    l->shown = signature(pd_app_store(app));
    l->timer = pd_app_add_timer(app, LIVE_PERIOD_MS, live_check, l);
    return l;
}

void panes_live_seen(panes_live *l)
{
    if (l)
        l->shown = signature(pd_app_store(l->app));
}

void panes_live_stop(panes_live *l)
{
    if (!l)
        return;
    if (l->timer)
        pd_app_cancel_timer(l->app, l->timer);
    free(l);
}
