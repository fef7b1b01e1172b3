/* editdoc.c: the editor's document (see editdoc.h): messages as text buffers, settings fields
 * parsed and checked as they are set, and the version rebuilt from them. */
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

void pd_editdoc_free(pd_editdoc *d)
{
    if (!d)
        return;
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

int pd_editdoc_set_field(pd_editdoc *d, pd_field f, const char *text, pd_error *err)
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
    d->msgs = pd_xrealloc(d->msgs, (d->n_msgs + 1) * sizeof *d->msgs);
    memmove(d->msgs + at + 1, d->msgs + at, (d->n_msgs - at) * sizeof *d->msgs);
    d->msgs[at] = (pd_edmsg){pd_strdup(role), NULL, pd_tb_new("", 0)};
    d->n_msgs++;
    d->gen++;
    return 0;
}

int pd_editdoc_delete_message(pd_editdoc *d, size_t i, pd_error *err)
{
    if (i >= d->n_msgs)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no message %zu", i + 1);
    if (d->n_msgs == 1)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "a version needs at least one message: this is the last one");
    /* the generation is a sum over the buffers: keep what this one counted so it never goes back */
    d->gen += pd_tb_generation(d->msgs[i].tb) + 1;
    edmsg_clear(&d->msgs[i]);
    memmove(d->msgs + i, d->msgs + i + 1, (d->n_msgs - i - 1) * sizeof *d->msgs);
    d->n_msgs--;
    return 0;
}

bool pd_editdoc_move_message(pd_editdoc *d, size_t i, int delta)
{
    if (i >= d->n_msgs || (delta < 0 && i == 0) || (delta > 0 && i + 1 >= d->n_msgs) || delta == 0)
        return false;
    size_t j = delta < 0 ? i - 1 : i + 1;
    pd_edmsg t = d->msgs[i];
    d->msgs[i] = d->msgs[j];
    d->msgs[j] = t;
    d->gen++;
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
        free(d->msgs[i].role);
        d->msgs[i].role = pd_strdup(role);
        d->gen++;
    }
    return 0;
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
