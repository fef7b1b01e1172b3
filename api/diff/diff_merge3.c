/* diff_merge3.c: three-way merge (as diff3 -m) of texts, line by line, and of two versions message by message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_priv.h"

#define NO_LINE SIZE_MAX

/* The lines of one side: the base is the a side of either diff. */
static const pd_diff_lines *side_lines(const pd_merge3 *m, pd_merge_side side)
{
    return side == PD_SIDE_BASE ? &m->ours->a : side == PD_SIDE_OURS ? &m->ours->b : &m->theirs->b;
}

const char *pd_merge3_text(const pd_merge3 *m, const pd_merge_region *r, pd_merge_side side, size_t *len)
{
    const pd_diff_lines *l = side_lines(m, side);
    size_t from = l->off[r->start[side]], to = l->off[r->start[side] + r->n[side]];
    *len = to - from;
    return l->data + from;
}

/* For each base line, the line of the other side the diff keeps it as, or NO_LINE. */
static size_t *kept_lines(const pd_diff *d)
{
    size_t *map = pd_xmalloc((d->a.n + 1) * sizeof *map);
    for (size_t i = 0; i < d->a.n; i++)
        map[i] = NO_LINE;
    for (size_t e = 0; e < d->n_edits; e++)
        if (d->edits[e].op == PD_EDIT_EQUAL)
            for (size_t k = 0; k < d->edits[e].n; k++)
                map[d->edits[e].a + k] = d->edits[e].b + k;
    return map;
}

static bool same_text(const pd_merge3 *m, const pd_merge_region *r, pd_merge_side x, pd_merge_side y)
{
    size_t lx, ly;
    const char *tx = pd_merge3_text(m, r, x, &lx), *ty = pd_merge3_text(m, r, y, &ly);
    return lx == ly && memcmp(tx, ty, lx) == 0;
}

static void add_region(pd_merge3 *m, size_t *cap, const pd_merge_region *r)
{
    if (m->n_regions == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        m->regions = pd_xrealloc(m->regions, *cap * sizeof *m->regions);
    }
    m->regions[m->n_regions++] = *r;
}

/* Walks the base: a run of lines both diffs keep in step is UNCHANGED; what lies between two
 * such runs is one unstable chunk, classified by which sides differ from the base. */
static void find_regions(pd_merge3 *m)
{
    size_t *mo = kept_lines(m->ours), *mt = kept_lines(m->theirs);
    size_t nb = m->ours->a.n, no = m->ours->b.n, nt = m->theirs->b.n;
    size_t i = 0, j = 0, k = 0, cap = 0;
    while (i < nb || j < no || k < nt) {
        pd_merge_region r = {.start = {i, j, k}};
        if (i < nb && mo[i] == j && mt[i] == k) {
            while (i < nb && mo[i] == j && mt[i] == k)
                i++, j++, k++;
            r.kind = PD_MERGE_UNCHANGED;
        } else {
            size_t i2 = i;
            while (i2 < nb && (mo[i2] == NO_LINE || mt[i2] == NO_LINE))
                i2++;
            size_t j2 = i2 < nb ? mo[i2] : no, k2 = i2 < nb ? mt[i2] : nt;
            r.n[PD_SIDE_BASE] = i2 - i;
            r.n[PD_SIDE_OURS] = j2 - j;
            r.n[PD_SIDE_THEIRS] = k2 - k;
            if (same_text(m, &r, PD_SIDE_OURS, PD_SIDE_BASE))
                r.kind = PD_MERGE_THEIRS;
            else if (same_text(m, &r, PD_SIDE_THEIRS, PD_SIDE_BASE))
                r.kind = PD_MERGE_OURS;
            else if (same_text(m, &r, PD_SIDE_OURS, PD_SIDE_THEIRS))
                r.kind = PD_MERGE_SAME;
            else {
                r.kind = PD_MERGE_CONFLICT;
                m->n_conflicts++;
            }
            i = i2, j = j2, k = k2;
        }
        r.n[PD_SIDE_BASE] = i - r.start[PD_SIDE_BASE];
        r.n[PD_SIDE_OURS] = j - r.start[PD_SIDE_OURS];
        r.n[PD_SIDE_THEIRS] = k - r.start[PD_SIDE_THEIRS];
        add_region(m, &cap, &r);
    }
    free(mo);
    free(mt);
}

int pd_merge3_texts(const char *base, size_t base_len, const char *ours, size_t ours_len,
                    const char *theirs, size_t theirs_len, const pd_diff_options *o,
                    pd_merge3 **out, pd_error *err)
{
    *out = NULL;
    pd_merge3 *m = pd_xcalloc(1, sizeof *m);
    if (pd_diff_texts(base, base_len, ours, ours_len, o, &m->ours, err) != 0 ||
        pd_diff_texts(base, base_len, theirs, theirs_len, o, &m->theirs, err) != 0) {
        pd_merge3_free(m);
        return -1;
    }
    find_regions(m);
    *out = m;
    return 0;
}

void pd_merge3_free(pd_merge3 *m)
{
    if (!m)
        return;
    pd_diff_free(m->ours);
    pd_diff_free(m->theirs);
    free(m->regions);
    free(m);
}

/* Appends one side of r, ending it with a newline when ensure_newline and it has none. */
static void put_side(pd_buf *out, const pd_merge3 *m, const pd_merge_region *r, pd_merge_side side,
                     bool ensure_newline)
{
    size_t len;
    const char *t = pd_merge3_text(m, r, side, &len);
    pd_buf_append(out, t, len);
    if (ensure_newline && len > 0 && t[len - 1] != '\n')
        pd_buf_putc(out, '\n');
}

static void put_marker(pd_buf *out, const char *marker, const char *label)
{
    pd_buf_puts(out, marker);
    if (label && *label)
        pd_buf_printf(out, " %s", label);
    pd_buf_putc(out, '\n');
}

void pd_merge3_write(const pd_merge3 *m, const pd_merge_pick *picks, const pd_merge_labels *labels,
                     bool show_base, pd_buf *out)
{
    pd_merge_labels none = {"ours", "base", "theirs"};
    if (!labels)
        labels = &none;
    size_t c = 0;
    for (size_t i = 0; i < m->n_regions; i++) {
        const pd_merge_region *r = &m->regions[i];
        switch (r->kind) {
        case PD_MERGE_UNCHANGED:
            put_side(out, m, r, PD_SIDE_BASE, false);
            break;
        case PD_MERGE_THEIRS:
            put_side(out, m, r, PD_SIDE_THEIRS, false);
            break;
        case PD_MERGE_OURS:
        case PD_MERGE_SAME:
        case PD_MERGE_CLEAN:
            put_side(out, m, r, PD_SIDE_OURS, false);
            break;
        case PD_MERGE_CONFLICT: {
            pd_merge_pick pick = picks ? picks[c] : PD_PICK_NONE;
            c++;
            if (pick == PD_PICK_OURS || pick == PD_PICK_BOTH)
                put_side(out, m, r, PD_SIDE_OURS, pick == PD_PICK_BOTH && r->n[PD_SIDE_THEIRS] > 0);
            if (pick == PD_PICK_THEIRS || pick == PD_PICK_BOTH)
                put_side(out, m, r, PD_SIDE_THEIRS, false);
            if (pick != PD_PICK_NONE)
                break;
            put_marker(out, "<<<<<<<", labels->ours);
            put_side(out, m, r, PD_SIDE_OURS, true);
            if (show_base) {
                put_marker(out, "|||||||", labels->base);
                put_side(out, m, r, PD_SIDE_BASE, true);
            }
            put_marker(out, "=======", NULL);
            put_side(out, m, r, PD_SIDE_THEIRS, true);
            put_marker(out, ">>>>>>>", labels->theirs);
            break;
        }
        }
    }
}

/* ---------------------------------------------------------------- versions */

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool msg_eq(const pd_message *a, const pd_message *b)
{
    if (!a || !b)
        return a == b;
    return str_eq(a->role, b->role) && str_eq(a->content, b->content) && str_eq(a->placeholder, b->placeholder);
}

/* One line per message standing for it whole: equal lines iff equal messages (a hash of role,
 * placeholder and content; a collision is told apart by kind_holds). */
static char *message_lines(const pd_version *v)
{
    pd_buf b = PD_BUF_INIT;
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *msg = &v->messages[i];
        pd_buf h = PD_BUF_INIT;
        pd_buf_printf(&h, "%s%c%s%c", msg->role ? msg->role : "", 0, msg->placeholder ? msg->placeholder : "", 0);
        if (msg->content)
            pd_buf_puts(&h, msg->content);
        pd_buf_printf(&b, "%016llx\n", (unsigned long long)pd_diff_hash(h.data, h.len));
        pd_buf_free(&h);
    }
    return pd_buf_take(&b);
}

static void add_msg(pd_version_merge *vm, size_t *cap, const pd_merge_msg *msg)
{
    if (vm->n_msgs == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        vm->msgs = pd_xrealloc(vm->msgs, *cap * sizeof *vm->msgs);
    }
    vm->msgs[vm->n_msgs++] = *msg;
}

/* Settles one message where both sides changed the messages around it. */
static int settle_message(pd_merge_msg *mm, pd_error *err)
{
    const pd_message *b = mm->base, *o = mm->ours, *t = mm->theirs;
    if (msg_eq(o, t))
        mm->kind = PD_MERGE_SAME;
    else if (msg_eq(o, b))
        mm->kind = PD_MERGE_THEIRS;
    else if (msg_eq(t, b))
        mm->kind = PD_MERGE_OURS;
    else if (!b && (!o || !t))
        mm->kind = o ? PD_MERGE_OURS : PD_MERGE_THEIRS;   /* added on one side only */
    else if (o && t && o->content && t->content && str_eq(o->role, t->role)) {
        const char *bc = b && b->content && str_eq(b->role, o->role) ? b->content : "";
        if (pd_merge3_texts(bc, strlen(bc), o->content, strlen(o->content), t->content, strlen(t->content),
                            NULL, &mm->text, err) != 0)
            return -1;
        mm->kind = mm->text->n_conflicts ? PD_MERGE_CONFLICT : PD_MERGE_CLEAN;
    } else
        mm->kind = PD_MERGE_CONFLICT;
    return 0;
}

/* Whether the messages are as mm->kind (from the lines standing for them) says: equal lines
 * are equal hashes, so a collision is told apart here and settled message by message. */
static bool kind_holds(const pd_merge_msg *mm)
{
    switch (mm->kind) {
    case PD_MERGE_UNCHANGED: return msg_eq(mm->base, mm->ours) && msg_eq(mm->base, mm->theirs);
    case PD_MERGE_OURS: return msg_eq(mm->base, mm->theirs);
    case PD_MERGE_THEIRS: return msg_eq(mm->base, mm->ours);
    case PD_MERGE_SAME: return msg_eq(mm->ours, mm->theirs);
    default: return false;
    }
}

static bool settings_eq(const pd_settings *a, const pd_settings *b)
{
    char *x = pd_diff_settings_text(a), *y = pd_diff_settings_text(b);
    bool eq = !strcmp(x, y);
    free(x);
    free(y);
    return eq;
}

static pd_merge_kind merge_settings(const pd_version *base, const pd_version *ours, const pd_version *theirs)
{
    if (settings_eq(&ours->settings, &theirs->settings))
        return settings_eq(&ours->settings, &base->settings) ? PD_MERGE_UNCHANGED : PD_MERGE_SAME;
    if (settings_eq(&ours->settings, &base->settings))
        return PD_MERGE_THEIRS;
    if (settings_eq(&theirs->settings, &base->settings))
        return PD_MERGE_OURS;
    return PD_MERGE_CONFLICT;
}

static const pd_message *msg_at(const pd_version *v, const pd_merge_region *r, pd_merge_side side, size_t p)
{
    return p < r->n[side] ? &v->messages[r->start[side] + p] : NULL;
}

int pd_merge_versions(const pd_version *base, const pd_version *ours, const pd_version *theirs,
                      pd_version_merge **out, pd_error *err)
{
    *out = NULL;
    char *tb = message_lines(base), *to = message_lines(ours), *tt = message_lines(theirs);
    pd_merge3 *lines = NULL;
    int rc = pd_merge3_texts(tb, strlen(tb), to, strlen(to), tt, strlen(tt), NULL, &lines, err);
    free(tb);
    free(to);
    free(tt);
    if (rc != 0)
        return -1;
    pd_version_merge *vm = pd_xcalloc(1, sizeof *vm);
    vm->base = base;
    vm->ours = ours;
    vm->theirs = theirs;
    vm->settings = merge_settings(base, ours, theirs);
    size_t cap = 0;
    for (size_t i = 0; i < lines->n_regions && rc == 0; i++) {
        const pd_merge_region *r = &lines->regions[i];
        size_t n = r->n[0];
        if (r->n[1] > n)
            n = r->n[1];
        if (r->n[2] > n)
            n = r->n[2];
        for (size_t p = 0; p < n && rc == 0; p++) {
            pd_merge_msg mm = {.base = msg_at(base, r, PD_SIDE_BASE, p), .ours = msg_at(ours, r, PD_SIDE_OURS, p),
                               .theirs = msg_at(theirs, r, PD_SIDE_THEIRS, p), .kind = r->kind,
                               .first_conflict = vm->n_conflicts};
            if (r->kind == PD_MERGE_CONFLICT || !kind_holds(&mm))
                rc = settle_message(&mm, err);
            if (mm.kind == PD_MERGE_CONFLICT)
                vm->n_conflicts += mm.text ? mm.text->n_conflicts : 1;
            add_msg(vm, &cap, &mm);
        }
    }
    pd_merge3_free(lines);
    if (rc != 0) {
        pd_version_merge_free(vm);
        return -1;
    }
    *out = vm;
    return 0;
}

void pd_version_merge_free(pd_version_merge *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_msgs; i++)
        pd_merge3_free(m->msgs[i].text);
    free(m->msgs);
    free(m);
}

static void copy_message(pd_version *v, const pd_message *src, const char *content)
{
    pd_message *d = &v->messages[v->n_messages++];
    memset(d, 0, sizeof *d);
    d->role = src->role ? pd_strdup(src->role) : NULL;
    d->placeholder = src->placeholder ? pd_strdup(src->placeholder) : NULL;
    d->content = content ? pd_strdup(content) : src->content ? pd_strdup(src->content) : NULL;
}

pd_version *pd_version_merge_result(const pd_version_merge *m, const pd_merge_pick *picks,
                                    const pd_merge_labels *labels)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->messages = pd_xcalloc(2 * m->n_msgs + 1, sizeof *v->messages);
    for (size_t i = 0; i < m->n_msgs; i++) {
        const pd_merge_msg *mm = &m->msgs[i];
        const pd_message *take = NULL, *also = NULL;
        switch (mm->kind) {
        case PD_MERGE_UNCHANGED:
            take = mm->base;
            break;
        case PD_MERGE_OURS:
        case PD_MERGE_SAME:
            take = mm->ours;
            break;
        case PD_MERGE_THEIRS:
            take = mm->theirs;
            break;
        case PD_MERGE_CLEAN:
        case PD_MERGE_CONFLICT:
            if (mm->text) {
                pd_buf b = PD_BUF_INIT;
                pd_merge3_write(mm->text, picks ? picks + mm->first_conflict : NULL, labels, true, &b);
                copy_message(v, mm->ours, pd_buf_str(&b));
                pd_buf_free(&b);
                continue;
            }
            pd_merge_pick pick = picks ? picks[mm->first_conflict] : PD_PICK_NONE;
            take = pick == PD_PICK_THEIRS ? mm->theirs : mm->ours;
            if (pick == PD_PICK_BOTH || pick == PD_PICK_NONE)
                also = mm->theirs;
            if (!take)
                take = also, also = NULL;
            break;
        }
        if (take)
            copy_message(v, take, NULL);
        if (also)
            copy_message(v, also, NULL);
    }
    pd_settings_copy(&v->settings, m->settings == PD_MERGE_THEIRS ? &m->theirs->settings : &m->ours->settings);
    v->parent = m->ours->id ? pd_strdup(m->ours->id) : NULL;
    return v;
}

/* ---------------------------------------------------------------- the merge base */

static const pd_version *find_id(pd_version *const *all, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (all[i]->id && !strcmp(all[i]->id, id))
            return all[i];
    return NULL;
}

/* The version v was made from: its parent, or without one the version numbered one less. */
static const pd_version *made_from(pd_version *const *all, size_t n, const pd_version *v)
{
    if (v->parent)
        return find_id(all, n, v->parent);
    for (size_t i = 0; i < n; i++)
        if (all[i]->number == v->number - 1 && !all[i]->duplicate)
            return all[i];
    return NULL;
}

const pd_version *pd_merge_find_base(pd_version *const *all, size_t n, const pd_version *a, const pd_version *b)
{
    /* a's ancestors (a included), then the first of b's that is one; each chain is at most n
     * long (a damaged history with a cycle stops there) */
    const pd_version **chain = pd_xcalloc(n + 1, sizeof *chain);
    size_t len = 0;
    for (const pd_version *x = a; x && len <= n; x = made_from(all, n, x))
        chain[len++] = x;
    const pd_version *found = NULL;
    size_t steps = 0;
    for (const pd_version *y = b; y && !found && steps <= n; y = made_from(all, n, y), steps++)
        for (size_t i = 0; i < len && !found; i++)
            if (chain[i] == y || (chain[i]->id && y->id && !strcmp(chain[i]->id, y->id)))
                found = chain[i];
    free(chain);
    return found;
}
