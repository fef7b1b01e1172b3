/* panes_priv.h: (internal to the browsing panes) what the list and the timeline share: label
 * names as they fit in a column, and the timeline's short dates and author initials. */
#ifndef PD_MODULE_panes
#error "panes/panes_priv.h is private to the panes module: include panes/panes.h"
#endif
#ifndef PD_PANES_PRIV_H
#define PD_PANES_PRIV_H

#include <stddef.h>

#include "panes.h"

/* A label as a narrow column shows it: "prod" for production, "stage" for staging, else the
 * name itself. */
const char *panes_label_short(const char *label);

/* A version's date as short as the versions around it allow (dates are RFC 3339, read in the
 * time zone they were written in):
 *   "14:02"             today
 *   "Dec 03 14:02"      another version was made the same day (they are then told apart)
 *   "Dec 03"            in the year of the newest version
 *   "2024-12-03"        in another year (with " 14:02" when the day repeats)
 * today is "YYYY-MM-DD", newest the newest version's date, same_day whether another version
 * shares the day. Writes into buf (24 bytes are enough) and returns it. */
const char *panes_short_date(const char *rfc3339, const char *today, const char *newest, bool same_day,
                             char *buf, size_t size);
/* Today's date in UTC as "YYYY-MM-DD" into buf (11 bytes). */
void panes_today(char *buf, size_t size);

/* A person's initials: the first letter of up to three words ("Ada Tester" -> "AT"), the first
 * two letters of a single word ("ada" -> "ad"); "-" for NULL or empty. Into buf. */
const char *panes_initials(const char *name, char *buf, size_t size);

/* Asks slug's name, description and tags on the status row, one after another, then saves them
 * as metadata only (no new version); Esc at any question changes nothing (panes_meta.c). */
void panes_edit_metadata(pd_app *app, const char *slug);

/* Following the library on disk (panes_live.c): started by the list, checks every second
 * whether the library changed outside the app (pd_store_signature) and then tells every view
 * (pd_app_library_changed). NULL (nothing to follow) in scripted mode. stop frees it. */
typedef struct panes_live panes_live;
panes_live *panes_live_start(pd_app *app);
/* The views show the library as it is on disk now (after any reload). */
void panes_live_seen(panes_live *l);
void panes_live_stop(panes_live *l);

/* `promptdeck sync` in the background (panes_sync.c): a child process syncs the library with
 * its git upstream while the app goes on; its steps and then its result show on the status row
 * (every note in :messages) and the views reload. *slot is the sync running (NULL: none; a
 * second start says one runs); it is cleared when the sync ends. stop ends one still running. */
typedef struct panes_sync panes_sync;
/* check: `sync --check`, only fetching, to mark what the upstream changed (list: ⇣). */
void panes_sync_start(pd_app *app, panes_sync **slot, bool check);
void panes_sync_stop(panes_sync *job);

#endif
