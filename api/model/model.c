/* model.c: the model's rules: valid slugs, label names and roles, content equality, a new prompt's
 * first version, ids, times. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/base.h"

#define PD_SLUG_MAX 128
#define PD_LABEL_MAX 64

/* One slug segment or label name: [a-z0-9_-]+. Returns the offending char's index or -1. */
static long bad_name_char(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return (long)i;
    }
    return -1;
}

static int bad_char_error(pd_error *err, const char *what, const char *s, long i)
{
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "%s \"%s\": '%c' at position %ld is not allowed (use a-z, 0-9, '-', '_')",
                            what, s, c, i + 1);
    return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                        "%s: byte 0x%02x at position %ld is not allowed (use a-z, 0-9, '-', '_')", what,
                        c, i + 1);
}

bool pd_slug_valid(const char *slug, pd_error *err)
{
    if (!slug || !*slug)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "slug is empty"), false;
    size_t n = strlen(slug);
    if (n > PD_SLUG_MAX)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "slug is %zu characters long (at most %d)", n,
                            PD_SLUG_MAX),
               false;
    const char *seg = slug;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
        if (len == 0)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "slug \"%s\" has an empty folder name (leading, trailing or double '/')",
                                slug),
                   false;
        long bad = bad_name_char(seg, len);
        if (bad >= 0)
            return bad_char_error(err, "slug", slug, (long)(seg - slug) + bad), false;
        if (!slash)
            return true;
        seg = slash + 1;
    }
}

bool pd_label_name_valid(const char *name, pd_error *err)
{
    if (!name || !*name)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "label name is empty"), false;
    size_t n = strlen(name);
    if (n > PD_LABEL_MAX)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "label name is %zu characters long (at most %d)",
                            n, PD_LABEL_MAX),
               false;
    long bad = bad_name_char(name, n);
    if (bad >= 0)
        return bad_char_error(err, "label name", name, bad), false;
    if (strcmp(name, "latest") == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "label \"latest\" is implicit (always the newest version) and cannot be set"),
               false;
    return true;
}

bool pd_role_valid(const char *role)
{
    static const char *const roles[] = {"system", "developer", "user", "assistant", "tool"};
    if (!role)
        return false;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool json_eq(json_t *a, json_t *b)
{
    if (!a || !b)
        return a == b;
    return json_equal(a, b);
}

static bool settings_equal(const pd_settings *a, const pd_settings *b)
{
    if (!str_eq(a->provider, b->provider) || !str_eq(a->model, b->model))
        return false;
    if (a->has_temperature != b->has_temperature || (a->has_temperature && a->temperature != b->temperature))
        return false;
    if (a->has_top_p != b->has_top_p || (a->has_top_p && a->top_p != b->top_p))
        return false;
    if (a->max_output_tokens != b->max_output_tokens || a->n_stop != b->n_stop)
        return false;
    for (size_t i = 0; i < a->n_stop; i++)
        if (!str_eq(a->stop_sequences[i], b->stop_sequences[i]))
            return false;
    return json_eq(a->extra, b->extra) && json_eq(a->tools, b->tools) &&
           json_eq(a->output_schema, b->output_schema);
}

bool pd_version_content_equal(const pd_version *a, const pd_version *b)
{
    if (a->n_messages != b->n_messages)
        return false;
    for (size_t i = 0; i < a->n_messages; i++) {
        const pd_message *x = &a->messages[i], *y = &b->messages[i];
        if (!str_eq(x->role, y->role) || !str_eq(x->content, y->content) ||
            !str_eq(x->placeholder, y->placeholder))
            return false;
    }
    return settings_equal(&a->settings, &b->settings);
}

pd_version *pd_version_default_first(void)
{
    static const char *const roles[] = {"system", "user"};
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->n_messages = sizeof roles / sizeof roles[0];
    v->messages = pd_xcalloc(v->n_messages, sizeof *v->messages);
    for (size_t i = 0; i < v->n_messages; i++) {
        v->messages[i].role = pd_strdup(roles[i]);
        v->messages[i].content = pd_strdup("");
    }
    v->commit_message = pd_strdup("Created in promptdeck");
    return v;
}

int pd_prompt_label_version(const pd_prompt *p, const char *label)
{
    if (!label)
        return 0;
    if (strcmp(label, "latest") == 0)
        return p->current_version;
    for (size_t i = 0; i < p->n_labels; i++)
        if (strcmp(p->labels[i].name, label) == 0)
            return p->labels[i].version;
    return 0;
}

bool pd_label_is_on(const pd_label *l, const pd_version *v)
{
    if (l->version_id && v->id)
        return strcmp(l->version_id, v->id) == 0;
    return l->version == v->number;
}

bool pd_version_is_current(const pd_prompt *p, const pd_version *v)
{
    if (p->current_id && v->id)
        return strcmp(p->current_id, v->id) == 0;
    return p->current_version == v->number;
}

char *pd_new_id(void)
{
    unsigned char r[8];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got < sizeof r) {   /* no entropy source: time and address still make collisions unlikely */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                               (unsigned long long)(size_t)r;
        memcpy(r, &x, sizeof r);
    }
    char *id = pd_xmalloc(17);
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(id + 2 * i, 3, "%02x", r[i]);
    return id;
}

char *pd_now_rfc3339(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char *s = pd_xmalloc(32);
    strftime(s, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return s;
}

bool pd_utf8_valid(const char *s, size_t len)
{
    /* jansson refuses invalid UTF-8 (and NUL bytes) in strings: use its check. */
    json_t *j = json_stringn(s, len);
    bool ok = j != NULL && memchr(s, '\0', len) == NULL;
    json_decref(j);
    return ok;
}

static bool str_ok(const char *s)
{
    return !s || pd_utf8_valid(s, strlen(s));
}

/* The first control character in s (C0 but those allowed, DEL, C1, decoded as UTF-8): its
 * code point, or 0 when there is none. s is valid UTF-8. */
static uint32_t first_control(const char *s, const char *allowed)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = pd_utf8_next(s + i, n - i, &cp, NULL);
        if ((cp < 0x20 && !strchr(allowed, (int)cp)) || (cp >= 0x7F && cp <= 0x9F))
            return cp;
        i += len;
    }
    return 0;
}

/* The common rules of a metadata text (what: "name", "tag 2"...). */
static int check_meta_text(const char *what, const char *s, bool required, size_t max, const char *allowed,
                           pd_error *err)
{
    if (!s) {
        if (required)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is required", what);
        return 0;
    }
    size_t n = strlen(s);
    if (required && n == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is empty", what);
    if (!pd_utf8_valid(s, n))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is not valid UTF-8", what);
    if (n > max)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s is %zu bytes long (at most %zu)", what, n, max);
    uint32_t cp = first_control(s, allowed);
    if (cp)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s contains the control character U+%04X%s", what,
                            (unsigned)cp, cp == 0x1B || cp == 0x9B ? " (an escape sequence)" : "");
    return 0;
}

int pd_prompt_check_name(const char *name, pd_error *err)
{
    return check_meta_text("name", name, true, PD_NAME_MAX, "", err);
}

int pd_prompt_check_description(const char *description, pd_error *err)
{
    return check_meta_text("description", description, false, PD_DESCRIPTION_MAX, "\n\t", err);
}

int pd_prompt_check_tags(char *const *tags, size_t n, pd_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "tag %zu", i + 1);
        if (check_meta_text(what, tags[i], true, PD_TAG_MAX, "", err) != 0)
            return -1;
    }
    return 0;
}

int pd_prompt_validate(const pd_prompt *p, pd_error *err)
{
    if (!pd_slug_valid(p->slug, err) || pd_prompt_check_name(p->name, err) ||
        pd_prompt_check_description(p->description, err) || pd_prompt_check_tags(p->tags, p->n_tags, err))
        return -1;
    for (size_t i = 0; i < p->n_labels; i++)
        if (!pd_label_name_valid(p->labels[i].name, err))
            return -1;
    return 0;
}

int pd_version_validate(const pd_version *v, pd_error *err)
{
    if (v->n_messages == 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "a version needs at least one message");
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *m = &v->messages[i];
        if (m->placeholder) {
            if (!*m->placeholder || !str_ok(m->placeholder))
                return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                    "message %zu: a placeholder needs a name in UTF-8", i + 1);
            continue;
        }
        if (!pd_role_valid(m->role))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "message %zu: unknown role \"%s\" (system, developer, user, assistant, tool)",
                                i + 1, m->role && str_ok(m->role) ? m->role : "?");
        if (!str_ok(m->content))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "message %zu: content is not valid UTF-8",
                                i + 1);
    }
    const pd_settings *s = &v->settings;
    if (!str_ok(s->provider) || !str_ok(s->model) || !str_ok(v->commit_message) || !str_ok(v->author))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "provider, model, author or commit message is not valid UTF-8");
    for (size_t i = 0; i < s->n_stop; i++)
        if (!str_ok(s->stop_sequences[i]))
            return pd_error_set(err, PD_ERR_INVALID_REQUEST, "stop sequence %zu is not valid UTF-8", i + 1);
    if (s->has_temperature && !(s->temperature >= 0 && s->temperature <= 2))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "temperature %g is outside 0..2", s->temperature);
    if (s->has_top_p && !(s->top_p >= 0 && s->top_p <= 1))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "top_p %g is outside 0..1", s->top_p);
    if (s->max_output_tokens < 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "max_output_tokens %ld is negative",
                            s->max_output_tokens);
    if (s->extra && !json_is_object(s->extra))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "extra provider parameters must be a JSON object");
    if (s->tools && !json_is_array(s->tools))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "tools must be a JSON array");
    if (s->output_schema && !json_is_object(s->output_schema))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "output_schema must be a JSON object");
    return 0;
}
