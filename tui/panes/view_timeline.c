/* view_timeline.c: a prompt's versions, newest first, laid out as tig's main view: number,
 * where it was made from when that is not the version before it (a fork), a short date (the
 * time when the day repeats), the author (initials when narrow), the size of each change
 * (+lines/-lines against the version before), labels (production/staging marked) and the
 * commit message taking the rest; promote a version to a label (rollback = move the label
 * back), mark two versions to diff them. */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "editor/editor.h"
#include "evalpane/evalpane.h"
#include "runpanes/runpanes.h"
#include "panes_priv.h"

enum {
    ACT_DETAIL = PD_VIEW_ACT,
    ACT_DIFF,
    ACT_MARK,
    ACT_PRODUCTION,
    ACT_STAGING,
    ACT_LABEL,
    ACT_UNLABEL,
    ACT_EDIT,
    ACT_RUN,
    ACT_HISTORY,
    ACT_COMPARE,
    ACT_RELOAD,
    ACT_EVAL,
    ACT_METADATA,
    ACT_MERGE,
};

static const pd_keydef timeline_keys[] = {
    {ACT_DETAIL, "open", "<Enter> o", "Show the selected version (messages, settings, variables)"},
    {ACT_DIFF, "diff", "d", "Diff the selected version with the one before (see the marks below)"},
    {ACT_MARK, "mark", "m", "Mark / unmark a version for diff or compare (two at most)"},
    {ACT_PRODUCTION, "promote", "P", "Move the production label to the selected version (asks)"},
    {ACT_STAGING, "stage", "S", "Move the staging label to the selected version"},
    {ACT_LABEL, "label", "L", "Put any label on the selected version"},
    {ACT_UNLABEL, "unlabel", "U", "Remove a label"},
    {ACT_EDIT, "edit", "e", "Edit, starting from the selected version"},
    {ACT_RUN, "run", "x", "Run the selected version (variables form)"},
    {ACT_HISTORY, "history", "H", "Run history of this prompt"},
    {ACT_COMPARE, "compare", "C", "Run the two marked versions side by side"},
    {ACT_RELOAD, "reload", "R", "Reload from disk"},
    {ACT_EVAL, "eval", "E", "Run the test cases on the marked versions (none marked: the selected one)"},
    {ACT_METADATA, "metadata", "M", "Edit the prompt's name, description and tags (no new version)"},
    {ACT_MERGE, "merge", "J", "Merge the selected version into the current (or the marked) one"},
    {0, NULL, NULL, NULL},
};

static const char *const timeline_notes[] = {
    "#Commands of this pane",
    ":label NAME [VERSION]   move a label (rollback: move it back to an older version)",
    ":unlabel NAME           remove a label",
    ":diff V1 V2             diff any two versions",
    "Marks and d: with one version marked, d diffs it with the selected one; with two, d on",
    "  either marked row diffs the pair; anywhere else d diffs the selected version with",
    "  the one before it.",
    "Columns: mark, version, date, author, +added -removed lines, labels, commit message.",
    "  \"from v5\" after a number: made from v5, not from the version before it (two people",
    "  saved from the same version, or a save from an older one).",
    "  [unpushed]: saved here, not on the git upstream yet (a sync may renumber it);",
    "  [new]: came in with the last sync (until the next one).",
    "Dates: 14:02 today, Dec 03 in the newest version's year, else 2024-12-03; the time",
    "  is added when another version was made the same day and the pane has room.",
    "  Authors show as initials when the pane is narrow (+ zooms it to the whole width).",
    NULL,
};

typedef struct tl_state {
    char *slug;
    pd_prompt *prompt;
    pd_version **versions;    /* oldest first, as the store gives them */
    size_t n;
    int *added, *removed;     /* per version index: lines against the previous version */
    int *pass_rate;           /* per version index: the last evaluation's pass rate, -1 none */
    bool *unpushed;           /* per version index: saved here, not on the git upstream yet */
    bool *incoming;           /* per version index: came in with the last sync */
    int *base;                /* per version index: the number of the version it was made from
                                 when that is not the one before it, else 0 */
    char (*when)[24];         /* per version index: the short date (with the time when the day repeats) */
    char (*day)[24];          /* the same without the time, for narrow panes */
    int w_num, w_when, w_day, w_add, w_del, w_initials, w_name;   /* column widths */
    int w_base;               /* the "from vN" column: 0 when no version is a fork */
    int shared_number;        /* a number two versions share (a merge by plain git), else 0 */
    int mark[2];              /* marked version numbers, 0 = none */
    char *pending_label;
    int pending_version;
    char *pending_base;       /* the id the pending label was on when asked (NULL: on none) */
    int shown_version;        /* the version whose detail the timeline opened beside it */
    int follow_timer;         /* pending timer to show the selected version there, or 0 */
} tl_state;

static void free_versions(tl_state *s)
{
    for (size_t i = 0; i < s->n; i++)
        pd_version_free(s->versions[i]);
    free(s->versions);
    free(s->added);
    free(s->removed);
    free(s->pass_rate);
    s->pass_rate = NULL;
    free(s->unpushed);
    s->unpushed = NULL;
    free(s->incoming);
    s->incoming = NULL;
    free(s->base);
    s->base = NULL;
    free(s->when);
    free(s->day);
    s->when = s->day = NULL;
    s->versions = NULL;
    s->added = s->removed = NULL;
    s->n = 0;
    pd_prompt_free(s->prompt);
    s->prompt = NULL;
}

/* Lines added/removed between two versions' content (messages and settings only). */
static void change_size(const pd_version *a, const pd_version *b, int *add, int *del)
{
    pd_version ca = *a, cb = *b;
    ca.number = cb.number = 0;
    ca.author = cb.author = ca.commit_message = cb.commit_message = ca.created_at = cb.created_at = NULL;
    char *ta = pd_diff_version_text(&ca), *tb = pd_diff_version_text(&cb);
    pd_diff_options o = PD_DIFF_OPTIONS_INIT;
    o.heuristic = true;
    o.refine = PD_DIFF_REFINE_NONE;
    pd_diff *d = NULL;
    pd_error err = {0};
    *add = *del = -1;
    if (pd_diff_texts(ta, strlen(ta), tb, strlen(tb), &o, &d, &err) == 0) {
        *add = (int)d->n_inserted;
        *del = (int)d->n_deleted;
    }
    pd_diff_free(d);
    free(ta);
    free(tb);
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* The short dates and the width of every column. */
static void measure(tl_state *s)
{
    char today[16], buf[64];
    panes_today(today, sizeof today);
    const char *newest = s->n ? s->versions[s->n - 1]->created_at : NULL;
    s->when = pd_xcalloc(s->n + 1, sizeof *s->when);
    s->day = pd_xcalloc(s->n + 1, sizeof *s->day);
    s->w_num = s->w_when = s->w_day = s->w_add = s->w_del = s->w_initials = s->w_name = 1;
    s->w_base = 0;
    for (size_t i = 0; i < s->n; i++) {
        const pd_version *ver = s->versions[i];
        const char *c = ver->created_at ? ver->created_at : "";
        bool same_day = false;
        for (size_t k = 0; k < s->n && !same_day && strlen(c) >= 10; k++)
            same_day = k != i && s->versions[k]->created_at && !strncmp(s->versions[k]->created_at, c, 10);
        panes_short_date(c, today, newest, same_day, s->when[i], sizeof s->when[i]);
        panes_short_date(c, today, newest, false, s->day[i], sizeof s->day[i]);
        s->w_when = max_int(s->w_when, pd_text_width(s->when[i], strlen(s->when[i]), 0));
        s->w_day = max_int(s->w_day, pd_text_width(s->day[i], strlen(s->day[i]), 0));
        s->w_num = max_int(s->w_num, snprintf(buf, sizeof buf, "%d", ver->number));
        if (s->base[i])
            s->w_base = max_int(s->w_base, snprintf(buf, sizeof buf, "from v%d", s->base[i]));
        s->w_add = max_int(s->w_add, snprintf(buf, sizeof buf, "+%d", s->added[i] < 0 ? 0 : s->added[i]));
        s->w_del = max_int(s->w_del, snprintf(buf, sizeof buf, "-%d", s->removed[i] < 0 ? 0 : s->removed[i]));
        panes_initials(ver->author, buf, sizeof buf);
        s->w_initials = max_int(s->w_initials, pd_text_width(buf, strlen(buf), 0));
        const char *a = ver->author ? ver->author : "-";
        s->w_name = max_int(s->w_name, pd_text_width(a, strlen(a), 0));
    }
    if (s->w_name > 18)
        s->w_name = 18;
    if (s->shared_number)
        s->w_num++;   /* room for the ' after a shared number */
}

/* Two versions with one number (a merge made with plain git): the second is shown as v4' and
 * the status line says how to settle it, as the command line does. */
static void note_shared_numbers(pd_view *v)
{
    tl_state *s = v->data;
    s->shared_number = 0;
    for (size_t i = 1; i < s->n && !s->shared_number; i++)
        if (s->versions[i]->number == s->versions[i - 1]->number)
            s->shared_number = s->versions[i]->number;
    if (s->shared_number)
        pd_app_status(v->app, "%s: two v%d (a plain git merge): S or promptdeck fix renumbers", s->slug,
                      s->shared_number);
}

/* Which versions the git upstream does not have yet (one git command; not in scripted mode,
 * which runs no programs; nothing marked outside git or without an upstream). */
static void mark_unpushed(pd_view *v)
{
    tl_state *s = v->data;
    s->unpushed = pd_xcalloc(s->n + 1, sizeof *s->unpushed);
    char **ids = NULL;
    size_t n = 0;
    if (pd_app_scripted(v->app) || pd_store_unpushed(pd_app_store(v->app), s->slug, &ids, &n, NULL) != 0)
        return;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < s->n; i++)
            if (s->versions[i]->id && !strcmp(s->versions[i]->id, ids[k]))
                s->unpushed[i] = true;
        free(ids[k]);
    }
    free(ids);
}

/* Which versions came in with the last sync (recorded by it: no git run here). */
static void mark_incoming(pd_view *v)
{
    tl_state *s = v->data;
    s->incoming = pd_xcalloc(s->n + 1, sizeof *s->incoming);
    pd_sync_news news;
    if (pd_store_last_sync(pd_app_store(v->app), &news, NULL) != 0)
        return;
    for (size_t i = 0; i < s->n; i++)
        s->incoming[i] = pd_sync_news_has_version(&news, s->slug, s->versions[i]->id);
    pd_sync_news_free(&news);
}

/* Where each version was made from, when that is not the version before it (a fork). */
static void find_bases(tl_state *s)
{
    s->base = pd_xcalloc(s->n + 1, sizeof *s->base);
    for (size_t i = 0; i < s->n; i++) {
        const char *parent = s->versions[i]->parent;
        if (!parent || (i > 0 && s->versions[i - 1]->id && !strcmp(s->versions[i - 1]->id, parent)))
            continue;
        for (size_t k = 0; k < s->n; k++)
            if (k != i && s->versions[k]->id && !strcmp(s->versions[k]->id, parent))
                s->base[i] = s->versions[k]->number;
    }
}

static int load(pd_view *v)
{
    tl_state *s = v->data;
    free_versions(s);
    pd_error err = {0};
    pd_store *st = pd_app_store(v->app);
    int listed = pd_store_get_prompt(st, s->slug, &s->prompt, &err) != 0
                     ? -1
                     : pd_store_list_versions(st, s->slug, &s->versions, &s->n, &err);
    if (listed != 0)   /* 1: the healthy versions are shown, the damaged ones reported */
        pd_app_error_err(v->app, &err);
    if (listed < 0) {
        pd_view_set_lines(v, 0);
        return -1;
    }
    s->added = pd_xcalloc(s->n + 1, sizeof *s->added);
    s->removed = pd_xcalloc(s->n + 1, sizeof *s->removed);
    for (size_t i = 0; i < s->n; i++) {
        if (i == 0) {
            pd_version empty = {0};
            change_size(&empty, s->versions[0], &s->added[0], &s->removed[0]);
        } else {
            change_size(s->versions[i - 1], s->versions[i], &s->added[i], &s->removed[i]);
        }
    }
    s->pass_rate = pd_xcalloc(s->n + 1, sizeof *s->pass_rate);
    pd_eval_pass_rates(v->app, s->slug, s->versions, s->n, s->pass_rate);
    mark_unpushed(v);
    mark_incoming(v);
    find_bases(s);
    note_shared_numbers(v);
    measure(s);
    pd_view_set_lines(v, s->n);
    return 0;
}

/* Display line -> version index (newest first). */
static size_t vidx(const tl_state *s, size_t line)
{
    return s->n - 1 - line;
}

static pd_version *selected(pd_view *v)
{
    tl_state *s = v->data;
    return v->cursor < s->n ? s->versions[vidx(s, v->cursor)] : NULL;
}

static const pd_version *find_version(const tl_state *s, int number)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->versions[i]->number == number)
            return s->versions[i];
    return NULL;
}

#define MESSAGE_MIN 28   /* columns the commit message keeps before names and times give way */

/* A column of exactly w screen columns after a blank: text clipped or padded. */
static void column(pd_pen *p, const char *text, int w, bool right, attr_t a, attr_t base)
{
    pd_pen_str(p, " ", base);
    pd_pen c = *p;
    c.end = p->x + w < p->end ? p->x + w : p->end;
    int tw = pd_text_width(text, strlen(text), 0);
    if (right && tw < w)
        pd_pen_pad_to(&c, c.x + w - tw, base);
    pd_pen_str(&c, text, a);
    pd_pen_pad_to(&c, c.end, base);
    p->x = c.x;
}

static void tl_draw(pd_view *v, int row, size_t line, bool sel)
{
    tl_state *s = v->data;
    pd_app *app = v->app;
    size_t i = vidx(s, line);
    pd_version *ver = s->versions[i];
    attr_t base = sel ? pd_app_cursor_attr(app, v) : pd_app_attr(app, PD_STYLE_NORMAL);
#define ST(x) (sel ? base : pd_app_attr(app, (x)))
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, ST(PD_STYLE_CONTROL));
    bool marked = ver->number == s->mark[0] || ver->number == s->mark[1];
    pd_pen_str(&p, marked ? "*" : " ", ST(PD_STYLE_MARK));
    char num[24];
    snprintf(num, sizeof num, "%d%s", ver->number, i > 0 && s->versions[i - 1]->number == ver->number ? "'" : "");
    pd_pen_printf(&p, ST(PD_STYLE_VERSION), "v%-*s", s->w_num, num);
    if (s->w_base) {
        char from[32] = "";
        if (s->base[i])
            snprintf(from, sizeof from, "from v%d", s->base[i]);
        column(&p, from, s->w_base, false, ST(PD_STYLE_VERSION), base);
    }
    /* the message keeps MESSAGE_MIN columns: the times go first, then the names */
    int counts = 1 + s->w_add + 1 + s->w_del + 1;
    int fixed = 1 + 1 + s->w_num + (s->w_base ? 1 + s->w_base : 0) + counts + MESSAGE_MIN;
    bool names = v->width >= fixed + 1 + s->w_when + 1 + s->w_name;
    bool times = names || v->width >= fixed + 1 + s->w_when + 1 + s->w_initials;
    column(&p, times ? s->when[i] : s->day[i], times ? s->w_when : s->w_day, false, ST(PD_STYLE_DATE), base);
    char who[64];
    column(&p, names ? (ver->author ? ver->author : "-") : panes_initials(ver->author, who, sizeof who),
           names ? s->w_name : s->w_initials, false, ST(PD_STYLE_AUTHOR), base);
    char add[16], del[16];
    snprintf(add, sizeof add, "+%d", s->added[i] < 0 ? 0 : s->added[i]);
    snprintf(del, sizeof del, "-%d", s->removed[i] < 0 ? 0 : s->removed[i]);
    column(&p, add, s->w_add, true, ST(PD_STYLE_COUNT_ADD), base);
    column(&p, del, s->w_del, false, ST(PD_STYLE_COUNT_DEL), base);
    for (size_t l = 0; s->prompt && l < s->prompt->n_labels; l++) {
        const pd_label *lab = &s->prompt->labels[l];
        bool other = s->shared_number && lab->version_id && ver->id && strcmp(lab->version_id, ver->id) != 0;
        if (lab->version != ver->number || other)
            continue;   /* (of two versions sharing a number, the one whose id the label names) */
        const char *n = lab->name;
        pd_pen_str(&p, " ", base);
        pd_pen_printf(&p, ST(pd_style_for_label(n)), "[%s]", panes_label_short(n));
    }
    if (s->unpushed[i])
        pd_pen_str(&p, " [unpushed]", ST(PD_STYLE_MARK));
    if (s->incoming[i])
        pd_pen_str(&p, " [new]", ST(PD_STYLE_MARK));
    if (s->pass_rate[i] >= 0)
        pd_pen_printf(&p, ST(s->pass_rate[i] == 100 ? PD_STYLE_COUNT_ADD : PD_STYLE_COUNT_DEL), " pass %d%%",
                      s->pass_rate[i]);
    pd_pen_str(&p, " ", base);
    /* the commit message's first line */
    const char *msg = ver->commit_message ? ver->commit_message : "";
    size_t ml = strcspn(msg, "\n");
    pd_pen_text(&p, msg, ml, base);
    pd_pen_fill(&p, base);
#undef ST
}

/* For `/`: the version's number, date, author, labels and commit message. */
static const char *tl_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    tl_state *s = v->data;
    const pd_version *ver = line < s->n ? s->versions[vidx(s, line)] : NULL;
    pd_buf_reset(scratch);
    pd_buf_puts(scratch, "");
    if (!ver)
        return pd_buf_str(scratch);
    pd_buf_printf(scratch, "v%d", ver->number);
    if (s->base[vidx(s, line)])
        pd_buf_printf(scratch, " from v%d", s->base[vidx(s, line)]);
    pd_buf_printf(scratch, " %s %s", ver->created_at ? ver->created_at : "", ver->author ? ver->author : "");
    for (size_t l = 0; s->prompt && l < s->prompt->n_labels; l++)
        if (s->prompt->labels[l].version == ver->number)
            pd_buf_printf(scratch, " [%s]", s->prompt->labels[l].name);
    pd_buf_printf(scratch, " %s", ver->commit_message ? ver->commit_message : "");
    return pd_buf_str(scratch);
}

/* y: the selected version as text: its messages and settings. */
static bool tl_copy(pd_view *v, pd_buf *out, char *what, size_t size)
{
    tl_state *s = v->data;
    pd_version *ver = selected(v);
    if (!ver) {
        pd_app_status(v->app, "Select a version first");
        return false;
    }
    char *t = pd_diff_version_text(ver);
    pd_buf_puts(out, t);
    free(t);
    snprintf(what, size, "%s v%d", s->slug, ver->number);
    return true;
}

static const char *tl_slug(pd_view *v)
{
    tl_state *s = v->data;
    return s->slug;
}

static const pd_cmddef tl_commands[] = {
    {"label", "LABEL VERSION", "Put a label on a version (the selected one)"},
    {"promote", "LABEL VERSION", "The same (production when no label is named)"},
    {"unlabel", "LABEL", "Remove a label"},
    {"diff", "VERSION VERSION", "Diff two versions"},
    {NULL, NULL, NULL},
};

static void tl_title(pd_view *v, char *buf, size_t size)
{
    tl_state *s = v->data;
    int n = snprintf(buf, size, "%s: %zu version%s", s->slug, s->n, s->n == 1 ? "" : "s");
    if (s->mark[0] && n > 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, "  marked v%d%s", s->mark[0], s->mark[1] ? "" : "");
    if (s->mark[1] && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " v%d", s->mark[1]);
}

static void toggle_mark(pd_view *v, int number)
{
    tl_state *s = v->data;
    if (s->mark[0] == number) {
        s->mark[0] = s->mark[1];
        s->mark[1] = 0;
    } else if (s->mark[1] == number) {
        s->mark[1] = 0;
    } else if (!s->mark[0]) {
        s->mark[0] = number;
    } else {
        if (s->mark[1])
            pd_app_status(v->app, "v%d unmarked (two marks at most)", s->mark[0]);
        if (s->mark[1])
            s->mark[0] = s->mark[1];
        s->mark[1] = number;
    }
    pd_view_dirty_all(v);
}

static void open_diff(pd_view *v, int a, int b)
{
    tl_state *s = v->data;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    if (!find_version(s, a) || !find_version(s, b)) {
        pd_app_error(v->app, "diff: %s has no version %d", s->slug, find_version(s, a) ? b : a);
        return;
    }
    pd_open_diff(v->app, v, s->slug, a, b);
}

/* d: one mark: it with the selected version; two: the pair when the selected row is one of
 * them; else the selected version with the one before (the status line says why the marks
 * were left out). */
static void diff_selected(pd_view *v, const pd_version *ver)
{
    tl_state *s = v->data;
    bool on_mark = ver->number == s->mark[0] || ver->number == s->mark[1];
    if (s->mark[0] && s->mark[1] && on_mark) {
        open_diff(v, s->mark[0], s->mark[1]);
        return;
    }
    if (s->mark[0] && !s->mark[1] && !on_mark) {
        open_diff(v, s->mark[0], ver->number);
        return;
    }
    if (ver->number <= 1 || !find_version(s, ver->number - 1)) {
        pd_app_status(v->app, "v%d is the first version: mark another with m to compare", ver->number);
        return;
    }
    open_diff(v, ver->number - 1, ver->number);
    if (s->mark[1])
        pd_app_status(v->app, "v%d with v%d; d on a marked row (v%d, v%d) diffs the marked pair", ver->number,
                      ver->number - 1, s->mark[0], s->mark[1]);
}

/* The id of the version the screen shows label on, or NULL. */
static const char *shown_label_id(const tl_state *s, const char *label)
{
    for (size_t l = 0; s->prompt && l < s->prompt->n_labels; l++)
        if (!strcmp(s->prompt->labels[l].name, label))
            return s->prompt->labels[l].version_id;
    return NULL;
}

/* A label move refused because the label moved since the screen showed it (a teammate, the
 * command line): the timeline reloads to show where it is now. */
static void label_moved_meanwhile(pd_view *v, const char *label)
{
    tl_state *s = v->data;
    size_t keep = v->cursor;
    char *name = pd_strdup(label);
    pd_app_library_changed(v->app, s->slug);
    pd_view_move_cursor(v, keep);
    int now = s->prompt ? pd_prompt_label_version(s->prompt, name) : 0;
    if (now)
        pd_app_error(v->app, "%s: %s moved meanwhile (now v%d): nothing changed, look again", s->slug, name, now);
    else
        pd_app_error(v->app, "%s: %s changed meanwhile (now on no version): nothing changed, look again", s->slug,
                     name);
    free(name);
}

/* Moves label to version number (to = NULL: removes it), refused when the label is no longer
 * where the screen showed it (on the version with id base, NULL: on none). */
static int move_label(pd_view *v, const char *label, int number, const char *base)
{
    tl_state *s = v->data;
    const pd_version *to = number ? find_version(s, number) : NULL;
    pd_label_move m = {.label = label, .version = number, .version_id = to ? to->id : NULL,
                       .check_base = true, .base_id = base};
    pd_error err = {0};
    if (pd_store_move_label(pd_app_store(v->app), s->slug, &m, &err) == 0)
        return 0;
    if (err.code == PD_ERR_CONFLICT)
        label_moved_meanwhile(v, label);
    else
        pd_app_error_err(v->app, &err);
    return -1;
}

static int set_label(pd_view *v, const char *label, int number, const char *base)
{
    tl_state *s = v->data;
    pd_error err = {0};
    if (!pd_label_name_valid(label, &err)) {
        pd_app_error_err(v->app, &err);
        return -1;
    }
    int before = s->prompt ? pd_prompt_label_version(s->prompt, label) : 0;
    if (move_label(v, label, number, base) != 0)
        return -1;
    size_t keep = v->cursor;
    pd_app_library_changed(v->app, s->slug);
    pd_view_move_cursor(v, keep);
    if (before && before != number)
        pd_app_status(v->app, "%s: %s moved from v%d to v%d%s", s->slug, label, before, number,
                      number < before ? " (rollback)" : "");
    else
        pd_app_status(v->app, "%s: %s is now v%d", s->slug, label, number);
    return 0;
}

static void promote_done(pd_app *app, void *ud, bool yes)
{
    pd_view *v = ud;
    tl_state *s = v->data;
    if (yes && s->pending_label)
        set_label(v, s->pending_label, s->pending_version, s->pending_base);
    else
        pd_app_status(app, "Labels unchanged");
}

static void ask_promote(pd_view *v, const char *label, int number)
{
    tl_state *s = v->data;
    free(s->pending_label);
    s->pending_label = pd_strdup(label);
    s->pending_version = number;
    free(s->pending_base);
    s->pending_base = pd_strdup(shown_label_id(s, label));
    int cur = s->prompt ? pd_prompt_label_version(s->prompt, label) : 0;
    if (cur == number) {
        pd_app_status(v->app, "v%d is already %s", number, label);
        return;
    }
    char q[300];
    if (cur)
        snprintf(q, sizeof q, "Move %s of %s from v%d to v%d%s?", label, s->slug, cur, number,
                 number < cur ? " (rollback)" : "");
    else
        snprintf(q, sizeof q, "Label v%d of %s as %s?", number, s->slug, label);
    pd_app_confirm(v->app, q, promote_done, v);
}

static void label_done(pd_app *app, void *ud, const char *text)
{
    (void)app;
    pd_view *v = ud;
    tl_state *s = v->data;
    if (text && *text)
        set_label(v, text, s->pending_version, shown_label_id(s, text));
}

static void unlabel(pd_view *v, const char *label)
{
    tl_state *s = v->data;
    if (move_label(v, label, 0, shown_label_id(s, label)) != 0)
        return;
    pd_app_library_changed(v->app, s->slug);
    pd_app_status(v->app, "%s: label %s removed", s->slug, label);
}

static void unlabel_done(pd_app *app, void *ud, const char *text)
{
    (void)app;
    if (text && *text)
        unlabel(ud, text);
}

static bool tl_key(pd_view *v, int key, int act)
{
    (void)key;
    tl_state *s = v->data;
    pd_app *app = v->app;
    pd_version *ver = selected(v);
    if (act == ACT_RELOAD) {
        if (load(v) == 0)
            pd_app_status(app, "Reloaded");
        return true;
    }
    if (!ver || (act < PD_VIEW_ACT && act != PD_ACT_ENTER && act != PD_ACT_RIGHT))
        return false;
    switch (act) {
    case PD_ACT_ENTER:
    case PD_ACT_RIGHT:
    case ACT_DETAIL:
        pd_open_detail(app, v, s->slug, ver->number);
        s->shown_version = pd_app_above(app, v) ? ver->number : 0;
        return true;
    case ACT_DIFF: diff_selected(v, ver); return true;
    case ACT_MARK: toggle_mark(v, ver->number); return true;
    case ACT_PRODUCTION: ask_promote(v, "production", ver->number); return true;
    case ACT_STAGING: ask_promote(v, "staging", ver->number); return true;
    case ACT_LABEL:
        s->pending_version = ver->number;
        pd_app_input(app, "Label for this version: ", NULL, label_done, NULL, v);
        return true;
    case ACT_UNLABEL: pd_app_input(app, "Remove label: ", NULL, unlabel_done, NULL, v); return true;
    case ACT_EDIT: pd_open_editor(app, s->slug, ver->number); return true;
    case ACT_RUN: pd_open_vars(app, s->slug, ver->number); return true;
    case ACT_HISTORY: pd_open_history(app, s->slug); return true;
    case ACT_METADATA: panes_edit_metadata(app, s->slug); return true;
    case ACT_MERGE:
        pd_open_merge(app, v, s->slug, s->mark[0] && !s->mark[1] && s->mark[0] != ver->number ? s->mark[0] : 0,
                      ver->number);
        return true;
    case ACT_EVAL: {
        int lo = s->mark[1] && s->mark[1] < s->mark[0] ? s->mark[1] : s->mark[0];
        int nums[2] = {lo ? lo : ver->number, s->mark[0] + s->mark[1] - lo};
        pd_open_eval(app, v, s->slug, nums, s->mark[1] ? 2 : 1);
        return true;
    }
    case ACT_COMPARE:
        if (s->mark[0] && s->mark[1])
            pd_open_compare(app, s->slug, s->mark[0] < s->mark[1] ? s->mark[0] : s->mark[1],
                            s->mark[0] < s->mark[1] ? s->mark[1] : s->mark[0]);
        else
            pd_app_status(app, "Mark two versions with m first");
        return true;
    default: return false;
    }
}

/* The detail beside the timeline follows its cursor after a short pause. */
static void follow_fire(pd_app *app, void *ud)
{
    pd_view *v = ud;
    tl_state *s = v->data;
    s->follow_timer = 0;
    pd_version *ver = selected(v);
    pd_view *above = pd_app_above(app, v);
    if (!ver || !above || pd_app_above(app, above) || !s->shown_version || ver->number == s->shown_version ||
        pd_app_focus(app) != v)
        return;
    pd_open_detail(app, v, s->slug, ver->number);
    s->shown_version = ver->number;
    pd_app_set_focus(app, v);
}

static void tl_select(pd_view *v)
{
    tl_state *s = v->data;
    if (!s->shown_version || !pd_app_above(v->app, v))
        return;
    if (s->follow_timer)
        pd_app_cancel_timer(v->app, s->follow_timer);
    s->follow_timer = pd_app_add_timer(v->app, 150, follow_fire, v);
}

static bool tl_command(pd_view *v, int argc, char **argv)
{
    tl_state *s = v->data;
    pd_version *ver = selected(v);
    const char *c = argv[0];
    if (!strcmp(c, "label") || !strcmp(c, "promote")) {
        const char *label = argc > 1 ? argv[1] : "production";
        int number = argc > 2 ? atoi(argv[2]) : (ver ? ver->number : 0);
        if (!find_version(s, number)) {
            pd_app_error(v->app, "%s: %s has no version %s", c, s->slug, argc > 2 ? argv[2] : "selected");
            return true;
        }
        set_label(v, label, number, shown_label_id(s, label));
        return true;
    }
    if (!strcmp(c, "unlabel")) {
        if (argc < 2)
            pd_app_error(v->app, "unlabel: give the label's name");
        else
            unlabel(v, argv[1]);
        return true;
    }
    if (!strcmp(c, "diff")) {
        if (argc < 3)
            pd_app_error(v->app, "diff: give two version numbers");
        else
            open_diff(v, atoi(argv[1]), atoi(argv[2]));
        return true;
    }
    return false;
}

static void tl_changed(pd_view *v, const char *slug)
{
    tl_state *s = v->data;
    if (slug && strcmp(slug, s->slug) != 0)
        return;
    size_t keep = v->cursor;
    size_t old_n = s->n;
    const pd_version *was = selected(v);
    char *was_id = was ? pd_strdup(was->id) : NULL;
    if (load(v) == 0) {
        /* keep the same version selected: by its id (a renumbering, versions a pull brought
         * below it), else where it was when versions were added on top */
        size_t at = keep + (s->n > old_n ? s->n - old_n : 0);
        for (size_t line = 0; was_id && line < s->n; line++)
            if (s->versions[vidx(s, line)]->id && !strcmp(s->versions[vidx(s, line)]->id, was_id))
                at = line;
        pd_view_move_cursor(v, at < s->n ? at : 0);
    } else {
        pd_app_pop(v->app, v);   /* the prompt is gone (deleted or renamed) */
    }
    free(was_id);
}

static void tl_close(pd_view *v)
{
    tl_state *s = v->data;
    if (s->follow_timer)
        pd_app_cancel_timer(v->app, s->follow_timer);
    free_versions(s);
    free(s->slug);
    free(s->pending_label);
    free(s->pending_base);
    free(s);
}

const pd_view_ops pd_timeline_pane = {
    .name = "timeline",
    .draw_line = tl_draw,
    .key = tl_key,
    .close = tl_close,
    .title = tl_title,
    .command = tl_command,
    .changed = tl_changed,
    .select = tl_select,
    .keys = timeline_keys,
    .help_notes = timeline_notes,
    .line_text = tl_line_text,
    .copy = tl_copy,
    .keybar = "open diff mark promote edit run",
    .commands = tl_commands,
    .prompt_slug = tl_slug,
};

void pd_open_timeline(pd_app *app, pd_view *from, const char *slug)
{
    tl_state *s = pd_xcalloc(1, sizeof *s);
    s->slug = pd_strdup(slug);
    pd_view *v = pd_view_new(app, &pd_timeline_pane, s);
    if (load(v) != 0) {
        pd_view_free(v);
        return;
    }
    pd_app_push(app, from, v, from ? PD_OPEN_SPLIT : PD_OPEN_FULL);
}
