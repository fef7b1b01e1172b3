/* view_merge.c: the merge pane: two versions from one base, conflicts settled side by side, reviewed, saved. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "editor.h"
#include "editor_priv.h"

enum {
    ACT_OURS = PD_VIEW_ACT,
    ACT_THEIRS,
    ACT_BOTH,
    ACT_UNPICK,
    ACT_NEXT,
    ACT_PREV,
    ACT_BASE,
    ACT_EDIT,
    ACT_REVIEW,
};

static const pd_keydef merge_keys[] = {
    {ACT_OURS, "ours", "o", "Settle the conflict with ours (the version merged into)"},
    {ACT_THEIRS, "theirs", "t", "Settle the conflict with theirs (the version merged in)"},
    {ACT_BOTH, "both", "b", "Settle the conflict with both: ours, then theirs"},
    {ACT_UNPICK, "unpick", "u", "Leave the conflict unsettled again"},
    {ACT_NEXT, "next-conflict", "n", "Go to the next conflict"},
    {ACT_PREV, "previous-conflict", "N", "Go to the previous conflict"},
    {ACT_BASE, "base", "s", "Show / hide the base's lines under each conflict"},
    {ACT_EDIT, "edit", "e", "Edit the merge in the editor (unsettled conflicts as <<<<<<< markers)"},
    {ACT_REVIEW, "review", "<Enter> <C-s>", "Review the merge and save it as a new version (all settled)"},
    {0, NULL, NULL, NULL},
};

static const char *const merge_notes[] = {
    "Ours: the version merged into (the current one, or the one marked in the timeline).",
    "Theirs: the version merged in. Base: the last version both were made from.",
    "Lines one side changed are taken from it; where both changed the same or",
    "  neighbouring lines, the conflict shows ours on the left, theirs on the right.",
    "The merge is reviewed, then saved as a new version on top of the current one.",
    NULL,
};

typedef enum { ML_INFO, ML_HEADER, ML_TEXT, ML_CONFLICT, ML_NOTE, ML_PAIR, ML_BASE_HEAD, ML_BASE } ml_kind;

/* A line of the pane. Text points into the versions or the merge (not NUL-terminated). */
typedef struct mline {
    ml_kind kind;
    size_t conflict;          /* ML_CONFLICT, ML_NOTE, ML_PAIR, ML_BASE*: which conflict */
    const char *l, *r;        /* ML_TEXT, ML_BASE: l; ML_PAIR: ours | theirs (NULL: no line) */
    size_t ll, rl;
    char *own;                /* ML_INFO, ML_HEADER, ML_CONFLICT, ML_NOTE: the text, owned */
    const char *role;         /* ML_HEADER: the message's role, for its color */
} mline;

typedef struct merge_state {
    char *slug;
    pd_version *cur;          /* the current version: the save must still find it current */
    pd_version *base, *ours, *theirs;
    pd_version_merge *m;
    pd_merge_pick *picks;     /* one per conflict */
    size_t at;                /* the conflict the pane is on */
    bool show_base;
    char names[3][24];        /* "v6", "v8", "v7": base, ours, theirs */
    mline *lines;
    size_t n_lines, cap_lines;
    size_t *conflict_line;    /* each conflict's first line */
} merge_state;

static void free_lines(merge_state *s)
{
    for (size_t i = 0; i < s->n_lines; i++)
        free(s->lines[i].own);
    s->n_lines = 0;
}

static void merge_state_free(merge_state *s)
{
    if (!s)
        return;
    free_lines(s);
    free(s->lines);
    free(s->conflict_line);
    free(s->picks);
    pd_version_merge_free(s->m);
    pd_version_free(s->cur);
    pd_version_free(s->base);
    pd_version_free(s->ours);
    pd_version_free(s->theirs);
    free(s->slug);
    free(s);
}

static mline *add_line(merge_state *s, ml_kind kind)
{
    if (s->n_lines == s->cap_lines) {
        s->cap_lines = s->cap_lines ? s->cap_lines * 2 : 64;
        s->lines = pd_xrealloc(s->lines, s->cap_lines * sizeof *s->lines);
    }
    mline *l = &s->lines[s->n_lines++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    return l;
}

static void add_own(merge_state *s, ml_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_own(merge_state *s, ml_kind kind, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    add_line(s, kind)->own = pd_buf_take(&b);
}

/* The next line of text[*pos..len) (without its '\n'); false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *line_len)
{
    if (*pos >= len)
        return false;
    const char *nl = memchr(text + *pos, '\n', len - *pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    *line = text + *pos;
    *line_len = end - *pos;
    *pos = nl ? end + 1 : len;
    return true;
}

static void add_text(merge_state *s, ml_kind kind, const char *text, size_t len)
{
    size_t pos = 0, n;
    const char *t;
    while (next_line(text, len, &pos, &t, &n)) {
        mline *l = add_line(s, kind);
        l->l = t;
        l->ll = n;
    }
}

/* Ours' and theirs' lines side by side. */
static void add_pairs(merge_state *s, size_t conflict, const char *o, size_t ol, const char *t, size_t tl)
{
    size_t po = 0, pt = 0, on = 0, tn = 0;
    const char *ot = NULL, *tt = NULL;
    for (;;) {
        bool has_o = next_line(o, ol, &po, &ot, &on), has_t = next_line(t, tl, &pt, &tt, &tn);
        if (!has_o && !has_t)
            break;
        mline *l = add_line(s, ML_PAIR);
        l->conflict = conflict;
        l->l = has_o ? ot : NULL;
        l->ll = has_o ? on : 0;
        l->r = has_t ? tt : NULL;
        l->rl = has_t ? tn : 0;
    }
}

static const char *pick_name(const merge_state *s, pd_merge_pick p)
{
    switch (p) {
    case PD_PICK_OURS: return s->names[PD_SIDE_OURS];
    case PD_PICK_THEIRS: return s->names[PD_SIDE_THEIRS];
    case PD_PICK_BOTH: return "both";
    default: return NULL;
    }
}

/* The conflict's header line, and what (when not empty) on a line of its own under it. */
static void add_conflict_head(merge_state *s, size_t c, const char *what)
{
    s->conflict_line[c] = s->n_lines;
    const char *p = pick_name(s, s->picks[c]);
    char picked[40];
    snprintf(picked, sizeof picked, "settled: %s", p ? p : "");
    add_own(s, ML_CONFLICT, "conflict %zu of %zu: %s | %s   [%s]", c + 1, s->m->n_conflicts, s->names[PD_SIDE_OURS],
            s->names[PD_SIDE_THEIRS], p ? picked : "o t b to settle");
    s->lines[s->n_lines - 1].conflict = c;
    if (*what) {
        add_own(s, ML_NOTE, "%s", what);
        s->lines[s->n_lines - 1].conflict = c;
    }
}

static void add_base(merge_state *s, size_t c, const char *text, size_t len)
{
    if (!s->show_base)
        return;
    mline *h = add_line(s, ML_BASE_HEAD);
    h->conflict = c;
    size_t first = s->n_lines;
    add_text(s, ML_BASE, text, len);
    if (s->n_lines == first)
        add_own(s, ML_BASE, "(no lines)");
    for (size_t i = first; i < s->n_lines; i++)
        s->lines[i].conflict = c;
}

static const char *content_of(const pd_message *msg)
{
    return msg && msg->content ? msg->content : "";
}

/* A message merged line by line: clean regions as they come out, conflicts side by side. */
static void add_merged_text(merge_state *s, const pd_merge_msg *mm)
{
    const pd_merge3 *t = mm->text;
    size_t c = mm->first_conflict;
    for (size_t i = 0; i < t->n_regions; i++) {
        const pd_merge_region *r = &t->regions[i];
        size_t len;
        const char *txt;
        if (r->kind != PD_MERGE_CONFLICT) {
            txt = pd_merge3_text(t, r, r->kind == PD_MERGE_THEIRS ? PD_SIDE_THEIRS : PD_SIDE_OURS, &len);
            add_text(s, ML_TEXT, txt, len);
            continue;
        }
        add_conflict_head(s, c, "");
        size_t ol, tl, bl;
        const char *o = pd_merge3_text(t, r, PD_SIDE_OURS, &ol), *th = pd_merge3_text(t, r, PD_SIDE_THEIRS, &tl);
        add_pairs(s, c, o, ol, th, tl);
        const char *b = pd_merge3_text(t, r, PD_SIDE_BASE, &bl);
        add_base(s, c, b, bl);
        c++;
    }
}

/* The message a merge takes without asking (NULL: removed), for kinds other than CONFLICT. */
static const pd_message *taken_message(const pd_merge_msg *mm)
{
    switch (mm->kind) {
    case PD_MERGE_THEIRS: return mm->theirs;
    case PD_MERGE_UNCHANGED: return mm->base;
    default: return mm->ours;
    }
}

/* How one side left a message both changed: "v3 removed it", "v2 changed it (assistant)" (the
 * role said when the sides' roles differ). */
static void side_did(pd_buf *b, const char *name, const pd_message *mine, const pd_message *other)
{
    pd_buf_printf(b, "%s %s it", name, mine ? "changed" : "removed");
    if (mine && other && !(mine->role && other->role && !strcmp(mine->role, other->role)))
        pd_buf_printf(b, " (%s)", mine->placeholder ? "placeholder" : mine->role ? mine->role : "?");
}

/* A message both sides changed that cannot merge line by line (removed against changed,
 * another role, a placeholder): the whole of ours and theirs side by side. */
static void add_whole_conflict(merge_state *s, const pd_merge_msg *mm)
{
    pd_buf what = PD_BUF_INIT;
    side_did(&what, s->names[PD_SIDE_OURS], mm->ours, mm->theirs);
    pd_buf_puts(&what, ", ");
    side_did(&what, s->names[PD_SIDE_THEIRS], mm->theirs, mm->ours);
    add_conflict_head(s, mm->first_conflict, pd_buf_str(&what));
    pd_buf_free(&what);
    const char *o = mm->ours ? content_of(mm->ours) : "(removed)";
    const char *t = mm->theirs ? content_of(mm->theirs) : "(removed)";
    add_pairs(s, mm->first_conflict, o, strlen(o), t, strlen(t));
    add_base(s, mm->first_conflict, content_of(mm->base), strlen(content_of(mm->base)));
}

static const char *kind_text(const merge_state *s, const pd_merge_msg *mm, char *buf, size_t size)
{
    const pd_message *msg = taken_message(mm);
    const char *side = mm->kind == PD_MERGE_THEIRS ? s->names[PD_SIDE_THEIRS] : s->names[PD_SIDE_OURS];
    switch (mm->kind) {
    case PD_MERGE_UNCHANGED: return "unchanged";
    case PD_MERGE_SAME: return msg ? "changed alike on both sides" : "removed on both sides";
    case PD_MERGE_OURS:
    case PD_MERGE_THEIRS:
        if (!msg)
            snprintf(buf, size, "removed in %s", side);
        else
            snprintf(buf, size, "%s in %s", mm->base ? "changed" : "added", side);
        return buf;
    case PD_MERGE_CLEAN: return "changed on both sides, merged line by line";
    case PD_MERGE_CONFLICT: return mm->text ? "changed on both sides" : "changed on both sides, whole";
    }
    return "";
}

static void build(merge_state *s)
{
    free_lines(s);
    const pd_version_merge *m = s->m;
    add_own(s, ML_INFO, "Merge %s (theirs) into %s (ours), both made from %s: %zu conflict%s",
            s->names[PD_SIDE_THEIRS], s->names[PD_SIDE_OURS], s->names[PD_SIDE_BASE], m->n_conflicts,
            m->n_conflicts == 1 ? "" : "s");
    if (m->settings == PD_MERGE_CONFLICT)
        add_own(s, ML_INFO, "Settings: changed on both sides; %s's are kept (e edits them)", s->names[PD_SIDE_OURS]);
    else if (m->settings == PD_MERGE_THEIRS)
        add_own(s, ML_INFO, "Settings: %s's (changed there only)", s->names[PD_SIDE_THEIRS]);
    size_t shown = 0;
    for (size_t i = 0; i < m->n_msgs; i++) {
        const pd_merge_msg *mm = &m->msgs[i];
        const pd_message *msg = taken_message(mm);
        if (!msg)
            msg = mm->theirs ? mm->theirs : mm->base;
        char buf[96];
        mline *h = add_line(s, ML_HEADER);
        h->role = msg && msg->role ? msg->role : NULL;
        pd_buf b = PD_BUF_INIT;
        if (msg && msg->placeholder)
            pd_buf_printf(&b, "[placeholder %s]", msg->placeholder);
        else
            pd_buf_printf(&b, "[%s]", msg && msg->role ? msg->role : "?");
        pd_buf_printf(&b, " message %zu: %s", ++shown, kind_text(s, mm, buf, sizeof buf));
        h->own = pd_buf_take(&b);
        if (mm->text) {
            add_merged_text(s, mm);
        } else if (mm->kind == PD_MERGE_CONFLICT) {
            add_whole_conflict(s, mm);
        } else if (msg && msg == taken_message(mm) && msg->content) {
            add_text(s, ML_TEXT, msg->content, strlen(msg->content));
        }
    }
}

static size_t settled(const merge_state *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->m->n_conflicts; i++)
        n += s->picks[i] != PD_PICK_NONE;
    return n;
}

/* ---------------------------------------------------------------- drawing */

static void merge_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)selected;
    merge_state *s = v->data;
    pd_app *app = v->app;
    attr_t normal = pd_app_attr(app, PD_STYLE_NORMAL), ctrl = pd_app_attr(app, PD_STYLE_CONTROL);
    pd_pen p = pd_pen_at(v->win, row, 0, v->width, ctrl);
    if (line >= s->n_lines) {
        pd_pen_fill(&p, normal);
        return;
    }
    const mline *l = &s->lines[line];
    bool current = l->kind >= ML_CONFLICT && l->conflict == s->at;
    switch (l->kind) {
    case ML_INFO: pd_pen_str(&p, l->own, pd_app_attr(app, PD_STYLE_DIM)); break;
    case ML_HEADER:
        pd_pen_str(&p, l->own, pd_app_attr(app, l->role ? pd_role_style(l->role) : PD_STYLE_ROLE_OTHER));
        break;
    case ML_TEXT:
        pd_pen_str(&p, "  ", normal);
        pd_pen_text(&p, l->l, l->ll, normal);
        break;
    case ML_CONFLICT:
        pd_pen_str(&p, current ? "> " : "  ", pd_app_attr(app, PD_STYLE_MARK));
        pd_pen_str(&p, l->own, pd_app_attr(app, current ? PD_STYLE_CURSOR : PD_STYLE_DIFF_HUNK));
        break;
    case ML_NOTE:
        pd_pen_str(&p, current ? "| " : "  ", pd_app_attr(app, PD_STYLE_MARK));
        pd_pen_str(&p, l->own, pd_app_attr(app, PD_STYLE_DIM));
        break;
    case ML_PAIR: {
        pd_merge_pick pick = s->picks[l->conflict];
        attr_t take = pd_app_attr(app, PD_STYLE_DIFF_ADD), drop = pd_app_attr(app, PD_STYLE_DIM);
        attr_t lo = pick == PD_PICK_NONE ? normal : (pick == PD_PICK_THEIRS ? drop : take);
        attr_t ro = pick == PD_PICK_NONE ? normal : (pick == PD_PICK_OURS ? drop : take);
        int cw = (v->width - 5) / 2;
        pd_pen_str(&p, current ? "| " : "  ", pd_app_attr(app, PD_STYLE_MARK));
        /* ours clipped to its column, then theirs after the bar */
        int end = p.end;
        p.end = p.x + (cw > 0 ? cw : 0) < end ? p.x + (cw > 0 ? cw : 0) : end;
        if (l->l)
            pd_pen_text(&p, l->l, l->ll, lo);
        pd_pen_fill(&p, normal);
        p.end = end;
        p.col = 0;
        pd_pen_str(&p, " | ", pd_app_attr(app, PD_STYLE_DIFF_EMPTY));
        if (l->r)
            pd_pen_text(&p, l->r, l->rl, ro);
        break;
    }
    case ML_BASE_HEAD:
        pd_pen_str(&p, current ? "| " : "  ", pd_app_attr(app, PD_STYLE_MARK));
        pd_pen_printf(&p, pd_app_attr(app, PD_STYLE_DIM), "base %s:", s->names[PD_SIDE_BASE]);
        break;
    case ML_BASE:
        pd_pen_str(&p, current ? "|   " : "    ", pd_app_attr(app, PD_STYLE_MARK));
        if (l->own)
            pd_pen_str(&p, l->own, pd_app_attr(app, PD_STYLE_DIM));
        else
            pd_pen_text(&p, l->l, l->ll, pd_app_attr(app, PD_STYLE_DIM));
        break;
    }
    pd_pen_fill(&p, normal);
}

static void merge_title(pd_view *v, char *buf, size_t size)
{
    merge_state *s = v->data;
    snprintf(buf, size, "Merge %s into %s of %s: %zu of %zu conflict%s settled", s->names[PD_SIDE_THEIRS],
             s->names[PD_SIDE_OURS], s->slug, settled(s), s->m->n_conflicts, s->m->n_conflicts == 1 ? "" : "s");
}

static const char *merge_line_text(pd_view *v, size_t line, pd_buf *scratch)
{
    merge_state *s = v->data;
    if (line >= s->n_lines)
        return "";
    const mline *l = &s->lines[line];
    pd_buf_reset(scratch);
    if (l->own)
        pd_buf_puts(scratch, l->own);
    if (l->l)
        pd_buf_append(scratch, l->l, l->ll);
    if (l->kind == ML_PAIR) {
        pd_buf_puts(scratch, " | ");
        if (l->r)
            pd_buf_append(scratch, l->r, l->rl);
    }
    return pd_buf_str(scratch);
}

/* ---------------------------------------------------------------- keys */

/* Shows conflict c near the top of the pane. */
static void go_conflict(pd_view *v, size_t c)
{
    merge_state *s = v->data;
    if (!s->m->n_conflicts)
        return;
    s->at = c;
    size_t line = s->conflict_line[c];
    v->offset = line > 1 ? line - 1 : 0;
    if (s->n_lines <= (size_t)v->height)
        v->offset = 0;
    else if (v->offset > s->n_lines - (size_t)v->height)
        v->offset = s->n_lines - (size_t)v->height;
    pd_view_dirty_all(v);
    pd_view_dirty_title(v);
}

static void rebuild(pd_view *v)
{
    merge_state *s = v->data;
    size_t offset = v->offset;
    build(s);
    pd_view_set_lines(v, s->n_lines);
    v->offset = offset;
    go_conflict(v, s->at);
}

/* The first key bound to one of the pane's actions ("o"), into buf. */
static const char *first_key(pd_view *v, int action, char *buf, size_t size)
{
    pd_app_keys_for(v->app, v, action, buf, size);
    buf[strcspn(buf, ", ")] = '\0';
    return buf;
}

static void pick(pd_view *v, pd_merge_pick p)
{
    merge_state *s = v->data;
    if (!s->m->n_conflicts)
        return;
    s->picks[s->at] = p;
    size_t next = s->at;
    /* on to the next conflict still unsettled, if any */
    for (size_t i = 1; p != PD_PICK_NONE && i <= s->m->n_conflicts; i++) {
        size_t c = (s->at + i) % s->m->n_conflicts;
        if (s->picks[c] == PD_PICK_NONE) {
            next = c;
            break;
        }
    }
    s->at = next;
    rebuild(v);
    if (settled(s) == s->m->n_conflicts) {
        char k[64];
        pd_app_status(v->app, "Every conflict is settled: %s reviews the merge before it is saved",
                      first_key(v, ACT_REVIEW, k, sizeof k));
    }
}

/* Hands the merge to the editor (the view, when shown, closes): review true goes on to the
 * review of what the save would change. */
static void to_editor(pd_app *app, pd_view *v, merge_state *s, bool review)
{
    pd_merge_labels labels = {s->names[PD_SIDE_OURS], s->names[PD_SIDE_BASE], s->names[PD_SIDE_THEIRS]};
    pd_version *result = pd_version_merge_result(s->m, s->picks, &labels);
    pd_editdoc *doc = pd_editdoc_new(result);
    pd_version_free(result);
    free(doc->commit);
    pd_buf c = PD_BUF_INIT;
    pd_buf_printf(&c, "merge %s into %s", s->names[PD_SIDE_THEIRS], s->names[PD_SIDE_OURS]);
    doc->commit = pd_buf_take(&c);
    char *slug = pd_strdup(s->slug);
    pd_version *cur = s->cur;
    s->cur = NULL;
    int from = s->ours->number;
    if (v)
        pd_app_pop(app, v);
    else
        merge_state_free(s);
    editor *ed = ed_open(app, slug, cur, from, doc, NULL);
    /* the merge is unsaved work (drafts keep it, leaving asks) until it is saved */
    pd_version_free(ed->start);
    ed->start = pd_version_dup(cur);
    free(slug);
    if (review)
        ed_save(ed);
}

static bool merge_key(pd_view *v, int key, int act)
{
    (void)key;
    merge_state *s = v->data;
    size_t n = s->m->n_conflicts;
    switch (act) {
    case ACT_OURS: pick(v, PD_PICK_OURS); return true;
    case ACT_THEIRS: pick(v, PD_PICK_THEIRS); return true;
    case ACT_BOTH: pick(v, PD_PICK_BOTH); return true;
    case ACT_UNPICK: pick(v, PD_PICK_NONE); return true;
    case ACT_NEXT:
        if (n)
            go_conflict(v, (s->at + 1) % n);
        return true;
    case ACT_PREV:
        if (n)
            go_conflict(v, (s->at + n - 1) % n);
        return true;
    case ACT_BASE:
        s->show_base = !s->show_base;
        rebuild(v);
        return true;
    case ACT_EDIT: to_editor(v->app, v, s, false); return true;
    case ACT_REVIEW:
        if (settled(s) < n) {
            char k[4][64];
            pd_app_status(v->app, "%zu conflict%s left: %s ours, %s theirs, %s both (or %s edits the merge)",
                          n - settled(s), n - settled(s) == 1 ? "" : "s", first_key(v, ACT_OURS, k[0], sizeof k[0]),
                          first_key(v, ACT_THEIRS, k[1], sizeof k[1]), first_key(v, ACT_BOTH, k[2], sizeof k[2]),
                          first_key(v, ACT_EDIT, k[3], sizeof k[3]));
            return true;
        }
        to_editor(v->app, v, s, true);
        return true;
    default: return false;
    }
}

static void merge_close(pd_view *v)
{
    merge_state_free(v->data);
}

const pd_view_ops pd_merge_pane = {
    .name = "merge",
    .draw_line = merge_draw,
    .key = merge_key,
    .close = merge_close,
    .title = merge_title,
    .keys = merge_keys,
    .help_notes = merge_notes,
    .line_text = merge_line_text,
    .keybar = "ours theirs both next-conflict review",
};

/* ---------------------------------------------------------------- opening */

static pd_version *find_number(pd_version **all, size_t n, int number)
{
    for (size_t i = 0; i < n; i++)
        if (all[i]->number == number && !all[i]->duplicate)
            return all[i];
    return NULL;
}

static void free_all(pd_version **all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pd_version_free(all[i]);
    free(all);
}

/* Finds the three versions; NULL (said in the status line) when there is nothing to merge. */
static merge_state *merge_load(pd_app *app, const char *slug, int ours, int theirs)
{
    pd_store *st = pd_app_store(app);
    pd_error err = {0};
    pd_version *cur = NULL, **all = NULL;
    size_t n = 0;
    if (pd_store_get_version(st, slug, 0, &cur, &err) != 0) {
        pd_app_error_err(app, &err);
        return NULL;
    }
    if (pd_store_list_versions(st, slug, &all, &n, &err) < 0) {
        pd_app_error_err(app, &err);
        pd_version_free(cur);
        return NULL;
    }
    if (!ours)
        ours = cur->number;
    pd_version *o = find_number(all, n, ours), *t = find_number(all, n, theirs);
    const pd_version *b = o && t ? pd_merge_find_base(all, n, o, t) : NULL;
    char why[160] = "";
    if (!o || !t)
        snprintf(why, sizeof why, "merge: %s has no version %d", slug, o ? theirs : ours);
    else if (o == t)
        snprintf(why, sizeof why, "v%d is the version merged into: select another to merge into it", ours);
    else if (!b)
        snprintf(why, sizeof why, "v%d and v%d were not made from a common version: nothing to merge from", ours,
                 theirs);
    else if (b == t)
        snprintf(why, sizeof why, "v%d is already part of v%d (made from it): nothing to merge", theirs, ours);
    merge_state *s = NULL;
    if (*why)
        pd_app_status(app, "%s", why);
    else {
        s = pd_xcalloc(1, sizeof *s);
        s->slug = pd_strdup(slug);
        s->cur = cur;
        cur = NULL;
        s->base = pd_version_dup(b);
        s->ours = pd_version_dup(o);
        s->theirs = pd_version_dup(t);
        snprintf(s->names[PD_SIDE_BASE], sizeof s->names[0], "v%d", b->number);
        snprintf(s->names[PD_SIDE_OURS], sizeof s->names[0], "v%d", o->number);
        snprintf(s->names[PD_SIDE_THEIRS], sizeof s->names[0], "v%d", t->number);
        if (pd_merge_versions(s->base, s->ours, s->theirs, &s->m, &err) != 0) {
            pd_app_error_err(app, &err);
            merge_state_free(s);
            s = NULL;
        }
    }
    pd_version_free(cur);
    free_all(all, n);
    return s;
}

void pd_open_merge(pd_app *app, pd_view *from, const char *slug, int ours, int theirs)
{
    if (ed_is_open(app, slug)) {
        pd_app_status(app, "An editor on %s is open: save or leave it before merging", slug);
        return;
    }
    merge_state *s = merge_load(app, slug, ours, theirs);
    if (!s)
        return;
    if (s->m->n_conflicts == 0) {
        /* nothing to settle: straight to the review */
        to_editor(app, NULL, s, true);
        return;
    }
    s->picks = pd_xcalloc(s->m->n_conflicts, sizeof *s->picks);
    s->conflict_line = pd_xcalloc(s->m->n_conflicts, sizeof *s->conflict_line);
    build(s);
    pd_view *v = pd_view_new(app, &pd_merge_pane, s);
    v->has_cursor = false;
    pd_view_set_lines(v, s->n_lines);
    pd_app_push(app, from, v, PD_OPEN_FULL);
    go_conflict(v, 0);
}
