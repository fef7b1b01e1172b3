/* panes_live.c: the views follow the library on disk. Every second the store's signature (what
 * inotify said, or stats only where it cannot) is compared with the one last shown; a change
 * made outside the app (a version saved from the command line, a label moved, a git pull, what
 * a sync recorded) reloads every view as a save in the app does, each keeping its cursor on the
 * same prompt or version. Where the signature is slow to take (a walk of a large library
 * without inotify) the checks are spaced so that they take at most a twentieth of the time
 * (up to 10 seconds apart). */
#include <stdlib.h>

#include "panes_priv.h"

#define LIVE_PERIOD_MS 1000
#define LIVE_SHARE 20   /* a check takes at most 1/LIVE_SHARE of the time between checks, */
#define LIVE_PERIOD_MAX_MS 10000   /* up to this long */

struct panes_live {
    pd_app *app;
    uint64_t shown;     /* the signature of what the views show */
    int timer;          /* the pending check, or 0 */
    int period;         /* ms until the next check */
};

/* The library's state, and what the last sync recorded about it (its marks); the time it took
 * sets the time until the next check. */
static uint64_t signature(panes_live *l)
{
    long start = pd_app_now_ms();
    pd_store *s = pd_app_store(l->app);
    uint64_t sig = pd_store_signature(s) * 0x100000001b3ULL + pd_store_last_sync_signature(s);
    long took = pd_app_now_ms() - start;
    long period = took * LIVE_SHARE;
    l->period = period < LIVE_PERIOD_MS ? LIVE_PERIOD_MS : period > LIVE_PERIOD_MAX_MS ? LIVE_PERIOD_MAX_MS : (int)period;
    return sig;
}

static void live_check(pd_app *app, void *ud)
{
    panes_live *l = ud;
    uint64_t now = signature(l);
    l->timer = pd_app_add_timer(app, l->period, live_check, l);
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
    l->shown = signature(l);   /* the first one sets up (inotify's watches): not a measure */
    l->timer = pd_app_add_timer(app, LIVE_PERIOD_MS, live_check, l);
    return l;
}

void panes_live_seen(panes_live *l)
{
    if (l)
        l->shown = signature(l);
}

void panes_live_stop(panes_live *l)
{
    if (!l)
        return;
    if (l->timer)
        pd_app_cancel_timer(l->app, l->timer);
    free(l);
}
