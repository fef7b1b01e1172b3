/* views_stub.c: stand-ins for the core panes not written yet (removed as they land). */
#include "views.h"
void pd_timeline_open(pd_app *app, pd_view *from, const char *slug) { (void)from; pd_app_status(app, "timeline %s", slug); }
void pd_detail_open(pd_app *app, pd_view *from, const char *slug, int version) { (void)from; (void)version; pd_app_status(app, "detail %s", slug); }
void pd_diff_open(pd_app *app, pd_view *from, const char *slug, int v1, int v2) { (void)from; (void)v1; (void)v2; pd_app_status(app, "diff %s", slug); }
void pd_diff_open_versions(pd_app *app, pd_view *from, const pd_version *a, const char *a_title, const pd_version *b, const char *b_title) { (void)from; (void)a; (void)b; (void)a_title; (void)b_title; pd_app_status(app, "diff"); }
