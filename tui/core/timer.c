/* timer.c: one-shot timers on the app loop, made of sources that ask poll() for a timeout. */
#include <stdlib.h>

#include "core_priv.h"

typedef struct app_timer {
    pd_app *app;
    int id;          /* the id of the source that carries it */
    long due;        /* pd_app_now_ms() at which it runs */
    pd_timer_fn fn;
    void *ud;
} app_timer;

static void forget(pd_app *app, app_timer *t)
{
    for (size_t i = 0; i < app->n_timers; i++) {
        if (app->timers[i] == t) {
            app->timers[i] = app->timers[--app->n_timers];
            break;
        }
    }
    pd_app_remove_source(app, t->id);
    free(t);
}

static size_t timer_pollfds(void *ud, struct pollfd *fds, size_t max, int *timeout_ms)
{
    (void)fds;
    (void)max;
    app_timer *t = ud;
    long left = t->due - pd_app_now_ms();
    *timeout_ms = left > 0 ? (int)left : 0;
    return 0;
}

static void timer_dispatch(void *ud, struct pollfd *fds, size_t n)
{
    (void)fds;
    (void)n;
    app_timer *t = ud;
    if (pd_app_now_ms() < t->due)
        return;
    pd_app *app = t->app;
    pd_timer_fn fn = t->fn;
    void *data = t->ud;
    forget(app, t);
    fn(app, data);
}

int pd_app_add_timer(pd_app *app, int ms, pd_timer_fn fn, void *ud)
{
    app_timer *t = pd_xcalloc(1, sizeof *t);
    t->app = app;
    t->due = pd_app_now_ms() + (ms > 0 ? ms : 0);
    t->fn = fn;
    t->ud = ud;
    pd_source src = {timer_pollfds, timer_dispatch, t};
    t->id = pd_app_add_source(app, &src);
    app->timers = pd_xrealloc(app->timers, (app->n_timers + 1) * sizeof *app->timers);
    app->timers[app->n_timers++] = t;
    return t->id;
}

void pd_app_cancel_timer(pd_app *app, int id)
{
    for (size_t i = 0; i < app->n_timers; i++) {
        if (app->timers[i]->id == id) {
            forget(app, app->timers[i]);
            return;
        }
    }
}

void pd_timers_free(pd_app *app)
{
    while (app->n_timers)
        forget(app, app->timers[0]);
    free(app->timers);
    app->timers = NULL;
}
