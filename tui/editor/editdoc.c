/* editdoc.c: the editor's document (see editdoc.h): messages as text buffers, settings fields
 * parsed and checked as they are set, the version rebuilt from them, and the one undo
 * history of every change (text steps replay the buffers' own records; the rest keep what
 * they changed). */
#include "editdoc_priv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static const char *const field_labels[PD_FIELD__COUNT] = {
    "Commit message", "Provider", "Model", "Temperature", "Max output tokens", "Top p", "Stop sequences",
};

const char *pd_field_label(pd_field f)
{
    return f < PD_FIELD__COUNT ? field_labels[f] : "";
}

pd_editdoc *pd_editdoc_new(const pd_version *v)
{
    pd_editdoc *d = pd_xcalloc(1, sizeof *d);
    d->n_msgs = v->n_messages;
    d->msgs = pd_xcalloc(d->n_msgs ? d->n_msgs : 1, sizeof *d->msgs);
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *m = &v->messages[i];
        const char *c = m->content ? m->content : "";
        d->msgs[i].id = ++d->next_id;
        d->msgs[i].role = pd_strdup(m->role);
        d->msgs[i].placeholder = pd_strdup(m->placeholder);
        d->msgs[i].tb = pd_tb_new(c, strlen(c));
    }
    pd_settings_copy(&d->settings, &v->settings);
    d->commit = pd_strdup(v->commit_message ? v->commit_message : "");
    return d;
}

static void edmsg_clear(pd_edmsg *m)
{
    free(m->role);
    free(m->placeholder);
    pd_tb_free(m->tb);
}

/* ---------------------------------------------------------------- the history */

typedef enum { STEP_TEXT, STEP_ADD, STEP_DELETE, STEP_MOVE, STEP_ROLE, STEP_FIELD } step_kind;
typedef enum { JOIN_NONE, JOIN_TYPE, JOIN_ERASE } join_kind;

typedef struct pd_edstep {
    step_kind kind;
    unsigned id;               /* the message (TEXT, ADD, DELETE, MOVE, ROLE) */
    size_t at, to;             /* ADD, DELETE: its index; MOVE: from, to */
    pd_edmsg msg;              /* the message while out of the document (ADD undone, DELETE done) */
    bool holds;
    /* TEXT: how many of the buffer's own records the step covers, and what a next edit must
     * find to join it */
    size_t records;
    join_kind join;
    size_t cursor;
    unsigned long tb_gen;
    char *role_before, *role_after;              /* ROLE */
    pd_field field;                              /* FIELD */
    pd_settings set_before, set_after;
    char *commit_before, *commit_after;
} pd_edstep;

static void step_clear(pd_edstep *st)
{
    if (st->holds)
        edmsg_clear(&st->msg);
    free(st->role_before);
    free(st->role_after);
    if (st->kind == STEP_FIELD) {
        pd_settings_clear(&st->set_before);
        pd_settings_clear(&st->set_after);
    }
    free(st->commit_before);
    free(st->commit_after);
}

/* A new step on top of the done ones (the undone ones go): zeroed but for its kind and id. */
static pd_edstep *push_step(pd_editdoc *d, step_kind kind, unsigned id)
{
    for (size_t k = d->n_done; k < d->n_steps; k++)
        step_clear(&d->steps[k]);
    d->n_steps = d->n_done;
    if (d->n_steps == d->cap_steps) {
        d->cap_steps = d->cap_steps ? d->cap_steps * 2 : 32;
        d->steps = pd_xrealloc(d->steps, d->cap_steps * sizeof *d->steps);
    }
    pd_edstep *st = &d->steps[d->n_steps++];
    d->n_done = d->n_steps;
    memset(st, 0, sizeof *st);
    st->kind = kind;
    st->id = id;
    return st;
}

static size_t index_of(const pd_editdoc *d, unsigned id)
{
    for (size_t i = 0; i < d->n_msgs; i++)
        if (d->msgs[i].id == id)
            return i;
    return d->n_msgs;
}

/* Takes message i out of the document (into *out). */
static void take_message(pd_editdoc *d, size_t i, pd_edmsg *out)
{
    /* the generation is a sum over the buffers: keep what this one counted so it never goes back */
    d->gen += pd_tb_generation(d->msgs[i].tb) + 1;
    *out = d->msgs[i];
    memmove(d->msgs + i, d->msgs + i + 1, (d->n_msgs - i - 1) * sizeof *d->msgs);
    d->n_msgs--;
}

static void put_message(pd_editdoc *d, size_t at, const pd_edmsg *m)
{
    if (at > d->n_msgs)
        at = d->n_msgs;
    d->msgs = pd_xrealloc(d->msgs, (d->n_msgs + 1) * sizeof *d->msgs);
    memmove(d->msgs + at + 1, d->msgs + at, (d->n_msgs - at) * sizeof *d->msgs);
    d->msgs[at] = *m;
    d->n_msgs++;
    d->gen++;
}

static void swap_messages(pd_editdoc *d, size_t i, size_t j)
{
    pd_edmsg t = d->msgs[i];
    d->msgs[i] = d->msgs[j];
    d->msgs[j] = t;
    d->gen++;
}

static join_kind join_of(pd_text_edit op)
{
    if (op == PD_TEXT_TYPE)
        return JOIN_TYPE;
    return op == PD_TEXT_BACKSPACE || op == PD_TEXT_DELETE ? JOIN_ERASE : JOIN_NONE;
}

bool pd_editdoc_edit(pd_editdoc *d, size_t i, pd_text_edit op, const char *s, size_t n)
{
    if (i >= d->n_msgs || d->msgs[i].placeholder)
        return false;
    pd_edmsg *m = &d->msgs[i];
    pd_textbuf *tb = m->tb;
    /* one buffer record per edit, so that a step knows how many it covers */
    pd_tb_break_group(tb);
    unsigned long g = pd_tb_generation(tb);
    size_t cursor = pd_tb_cursor(tb);
    switch (op) {
    case PD_TEXT_TYPE:
    case PD_TEXT_INSERT: pd_tb_insert(tb, s, n); break;
    case PD_TEXT_BACKSPACE: pd_tb_backspace(tb); break;
    case PD_TEXT_DELETE: pd_tb_delete(tb); break;
    case PD_TEXT_CUT_LINE: pd_tb_cut_line(tb); break;
    case PD_TEXT_PASTE_LINES: pd_tb_paste_lines(tb); break;
    case PD_TEXT_REPLACE: pd_tb_replace_all(tb, s, n); break;
    }
    if (pd_tb_generation(tb) == g)
        return false;
    join_kind j = join_of(op);
    pd_edstep *last = d->n_done == d->n_steps && d->n_done ? &d->steps[d->n_done - 1] : NULL;
    pd_edstep *st;
    if (j != JOIN_NONE && last && last->kind == STEP_TEXT && last->id == m->id && last->join == j &&
        last->tb_gen == g && last->cursor == cursor) {
        st = last;
    } else {
        st = push_step(d, STEP_TEXT, m->id);
        st->join = j;
    }
    st->records++;
    st->cursor = pd_tb_cursor(tb);
    st->tb_gen = pd_tb_generation(tb);
    return true;
}

void pd_editdoc_free(pd_editdoc *d)
{
    if (!d)
        return;
    for (size_t k = 0; k < d->n_steps; k++)
        step_clear(&d->steps[k]);
    free(d->steps);
    for (size_t i = 0; i < d->n_msgs; i++)
        edmsg_clear(&d->msgs[i]);
    free(d->msgs);
    pd_settings_clear(&d->settings);
    free(d->commit);
    free(d);
}

pd_version *pd_editdoc_version(const pd_editdoc *d)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->n_messages = d->n_msgs;
    v->messages = pd_xcalloc(d->n_msgs ? d->n_msgs : 1, sizeof *v->messages);
    for (size_t i = 0; i < d->n_msgs; i++) {
        v->messages[i].role = pd_strdup(d->msgs[i].role);
        v->messages[i].placeholder = pd_strdup(d->msgs[i].placeholder);
        v->messages[i].content = d->msgs[i].placeholder ? NULL : pd_tb_dup(d->msgs[i].tb);
    }
    pd_settings_copy(&v->settings, &d->settings);
    v->commit_message = *d->commit ? pd_strdup(d->commit) : NULL;
    return v;
}

unsigned long pd_editdoc_generation(const pd_editdoc *d)
{
    unsigned long g = d->gen;
    for (size_t i = 0; i < d->n_msgs; i++)
        g += pd_tb_generation(d->msgs[i].tb);
    return g;
}

/* ---------------------------------------------------------------- fields */

static char *fmt_double(double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", x);
    return pd_strdup(buf);
}

char *pd_editdoc_field_text(const pd_editdoc *d, pd_field f)
{
    const pd_settings *s = &d->settings;
    switch (f) {
    case PD_FIELD_COMMIT: return pd_strdup(d->commit);
    case PD_FIELD_PROVIDER: return pd_strdup(s->provider ? s->provider : "");
    case PD_FIELD_MODEL: return pd_strdup(s->model ? s->model : "");
    case PD_FIELD_TEMPERATURE: return s->has_temperature ? fmt_double(s->temperature) : pd_strdup("");
    case PD_FIELD_TOP_P: return s->has_top_p ? fmt_double(s->top_p) : pd_strdup("");
    case PD_FIELD_MAX_TOKENS: {
        char buf[32] = "";
        if (s->max_output_tokens > 0)
            snprintf(buf, sizeof buf, "%ld", s->max_output_tokens);
        return pd_strdup(buf);
    }
    case PD_FIELD_STOP: {
        if (!s->n_stop)
            return pd_strdup("");
        json_t *a = json_array();
        for (size_t i = 0; i < s->n_stop; i++)
            json_array_append_new(a, json_string(s->stop_sequences[i]));
        char *t = json_dumps(a, JSON_ENSURE_ASCII);
        json_decref(a);
        char *r = pd_strdup(t ? t : "");
        free(t);
        return r;
    }
    default: return pd_strdup("");
    }
}

/* text without leading and trailing blanks. Caller frees. */
static char *trimmed(const char *text)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    return pd_strndup(text, n);
}

static int parse_number(const char *t, double lo, double hi, const char *what, double *out, pd_error *err)
{
    char *end;
    errno = 0;
    double x = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(x) || x < lo || x > hi)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s must be a number from %g to %g (or empty to unset), not \"%s\"",
                            what, lo, hi, t);
    *out = x;
    return 0;
}

static int parse_stops(const char *t, pd_settings *s, pd_error *err)
{
    json_error_t je;
    json_t *a = json_loads(t, JSON_DECODE_ANY, &je);
    size_t i;
    json_t *e;
    bool ok = json_is_array(a);
    json_array_foreach(ok ? a : NULL, i, e) ok = ok && json_is_string(e) && json_string_length(e) > 0;
    if (!ok) {
        json_decref(a);
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "stop sequences must be a JSON array of non-empty strings, e.g. [\"\\n\\n\", \"END\"]");
    }
    for (size_t k = 0; k < s->n_stop; k++)
        free(s->stop_sequences[k]);
    free(s->stop_sequences);
    s->n_stop = json_array_size(a);
    s->stop_sequences = s->n_stop ? pd_xcalloc(s->n_stop, sizeof *s->stop_sequences) : NULL;
    json_array_foreach(a, i, e) s->stop_sequences[i] = pd_strdup(json_string_value(e));
    json_decref(a);
    return 0;
}

static void set_str(char **dst, const char *t)
{
    free(*dst);
    *dst = *t ? pd_strdup(t) : NULL;
}

static int apply_field(pd_editdoc *d, pd_field f, const char *text, pd_error *err)
{
    char *t = trimmed(text ? text : "");
    pd_settings *s = &d->settings;
    int rc = 0;
    double x = 0;
    if (!pd_utf8_valid(t, strlen(t))) {
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s: not valid UTF-8", pd_field_label(f));
        goto out;
    }
    switch (f) {
    case PD_FIELD_COMMIT:
        free(d->commit);
        d->commit = pd_strdup(t);
        break;
    case PD_FIELD_PROVIDER: set_str(&s->provider, t); break;
    case PD_FIELD_MODEL: set_str(&s->model, t); break;
    case PD_FIELD_TEMPERATURE:
    case PD_FIELD_TOP_P: {
        bool temp = f == PD_FIELD_TEMPERATURE;
        bool *has = temp ? &s->has_temperature : &s->has_top_p;
        double *val = temp ? &s->temperature : &s->top_p;
        if (!*t) {
            *has = false;
            *val = 0;
        } else if ((rc = parse_number(t, 0, temp ? 2 : 1, temp ? "temperature" : "top_p", &x, err)) == 0) {
            *has = true;
            *val = x;
        }
        break;
    }
    case PD_FIELD_MAX_TOKENS: {
        if (!*t) {
            s->max_output_tokens = 0;
            break;
        }
        char *end;
        errno = 0;
        long n = strtol(t, &end, 10);
        if (end == t || *end || errno || n <= 0)
            rc = pd_error_set(err, PD_ERR_INVALID_REQUEST,
                              "max output tokens must be a whole number above 0 (or empty to unset), not \"%s\"", t);
        else
            s->max_output_tokens = n;
        break;
    }
    case PD_FIELD_STOP:
        if (!*t) {
            parse_stops("[]", s, err);
        } else {
            rc = parse_stops(t, s, err);
        }
        break;
    default:
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "no such field");
    }
out:
    if (rc == 0)
        d->gen++;
    free(t);
    return rc;
}

int pd_editdoc_set_field(pd_editdoc *d, pd_field f, const char *text, pd_error *err)
{
    pd_settings before = {0};
    pd_settings_copy(&before, &d->settings);
    char *commit = pd_strdup(d->commit), *was = pd_editdoc_field_text(d, f);
    int rc = apply_field(d, f, text, err);
    char *now = rc == 0 ? pd_editdoc_field_text(d, f) : NULL;
    if (now && strcmp(was, now) != 0) {
        pd_edstep *st = push_step(d, STEP_FIELD, 0);
        st->field = f;
        st->set_before = before;
        pd_settings_copy(&st->set_after, &d->settings);
        st->commit_before = commit;
        st->commit_after = pd_strdup(d->commit);
    } else {
        pd_settings_clear(&before);
        free(commit);
    }
    free(was);
    free(now);
    return rc;
}

/* ---------------------------------------------------------------- messages */

static int bad_role(const char *role, pd_error *err)
{
    return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                        "unknown role \"%s\": use system, developer, user, assistant or tool", role ? role : "");
}

int pd_editdoc_add_message(pd_editdoc *d, size_t at, const char *role, pd_error *err)
{
    if (!pd_role_valid(role))
        return bad_role(role, err);
    if (at > d->n_msgs)
        at = d->n_msgs;
    pd_edmsg m = {++d->next_id, pd_strdup(role), NULL, pd_tb_new("", 0)};
    put_message(d, at, &m);
    pd_edstep *st = push_step(d, STEP_ADD, m.id);
    st->at = at;
    return 0;
}

int pd_editdoc_delete_message(pd_editdoc *d, size_t i, pd_error *err)
{
    if (i >= d->n_msgs)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no message %zu", i + 1);
    if (d->n_msgs == 1)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "a version needs at least one message: this is the last one");
    pd_edstep *st = push_step(d, STEP_DELETE, d->msgs[i].id);
    st->at = i;
    take_message(d, i, &st->msg);
    st->holds = true;
    return 0;
}

bool pd_editdoc_move_message(pd_editdoc *d, size_t i, int delta)
{
    if (i >= d->n_msgs || (delta < 0 && i == 0) || (delta > 0 && i + 1 >= d->n_msgs) || delta == 0)
        return false;
    size_t j = delta < 0 ? i - 1 : i + 1;
    swap_messages(d, i, j);
    pd_edstep *st = push_step(d, STEP_MOVE, d->msgs[j].id);
    st->at = i;
    st->to = j;
    return true;
}

int pd_editdoc_set_role(pd_editdoc *d, size_t i, const char *role, pd_error *err)
{
    if (i >= d->n_msgs)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no message %zu", i + 1);
    if (d->msgs[i].placeholder)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "message %zu is a history placeholder: it has no role", i + 1);
    if (!pd_role_valid(role))
        return bad_role(role, err);
    if (strcmp(d->msgs[i].role, role) != 0) {
        pd_edstep *st = push_step(d, STEP_ROLE, d->msgs[i].id);
        st->role_before = d->msgs[i].role;
        st->role_after = pd_strdup(role);
        d->msgs[i].role = pd_strdup(role);
        d->gen++;
    }
    return 0;
}

/* ---------------------------------------------------------------- undo and redo */

/* Undoes (undo) or redoes step st; says where in *at. */
static void replay(pd_editdoc *d, pd_edstep *st, bool undo, pd_edit_place *at)
{
    size_t i = index_of(d, st->id);
    at->in_text = true;
    switch (st->kind) {
    case STEP_TEXT:
        for (size_t k = 0; k < st->records; k++)
            (void)(undo ? pd_tb_undo(d->msgs[i].tb) : pd_tb_redo(d->msgs[i].tb));
        at->msg = i;
        break;
    case STEP_ADD:
    case STEP_DELETE:
        if (undo == (st->kind == STEP_ADD)) {   /* the message goes out again */
            take_message(d, i, &st->msg);
            st->holds = true;
            at->msg = st->at > 0 ? st->at - 1 : 0;
        } else {                                /* it comes back */
            put_message(d, st->at, &st->msg);
            st->holds = false;
            at->msg = st->at;
        }
        break;
    case STEP_MOVE:
        swap_messages(d, st->at, st->to);
        at->msg = undo ? st->at : st->to;
        break;
    case STEP_ROLE:
        free(d->msgs[i].role);
        d->msgs[i].role = pd_strdup(undo ? st->role_before : st->role_after);
        d->gen++;
        at->msg = i;
        break;
    case STEP_FIELD:
        pd_settings_clear(&d->settings);
        pd_settings_copy(&d->settings, undo ? &st->set_before : &st->set_after);
        free(d->commit);
        d->commit = pd_strdup(undo ? st->commit_before : st->commit_after);
        d->gen++;
        at->in_text = false;
        at->field = st->field;
        break;
    }
    if (at->in_text && at->msg >= d->n_msgs)
        at->msg = d->n_msgs ? d->n_msgs - 1 : 0;
}

bool pd_editdoc_undo(pd_editdoc *d, pd_edit_place *at)
{
    pd_edit_place p = {0};
    if (!d->n_done)
        return false;
    replay(d, &d->steps[--d->n_done], true, at ? at : &p);
    return true;
}

bool pd_editdoc_redo(pd_editdoc *d, pd_edit_place *at)
{
    pd_edit_place p = {0};
    if (d->n_done == d->n_steps)
        return false;
    replay(d, &d->steps[d->n_done++], false, at ? at : &p);
    return true;
}

char *pd_editdoc_find_invalid(const pd_editdoc *d)
{
    for (size_t i = 0; i < d->n_msgs; i++) {
        const char *s = pd_tb_text(d->msgs[i].tb);
        size_t len = pd_tb_len(d->msgs[i].tb), line = 1, col = 1;
        for (size_t p = 0; p < len;) {
            unsigned cp = 1;
            int n = pd_utf8_decode(s + p, len - p, &cp);
            if (n == 0 || cp == 0) {
                pd_buf b = PD_BUF_INIT;
                pd_buf_printf(&b, "message %zu, line %zu, column %zu: %s <%02x>", i + 1, line, col,
                              cp == 0 && n ? "NUL byte" : "byte that is not UTF-8", (unsigned char)s[p]);
                return pd_buf_take(&b);
            }
            if (cp == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            p += (size_t)n;
        }
    }
    return NULL;
}
