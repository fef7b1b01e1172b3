/* store_events.c: a prompt's events.jsonl: label moves and metadata changes, appended one JSON
 * line each and never rewritten, so that git merges two clones' changes by keeping both lines
 * (the library's .gitattributes asks for the union driver). What holds now is decided per label
 * or field by the greatest (at, id): the same on every clone, whatever order the lines are in. */
#include "store_priv.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void store_event_clear(store_event *ev)
{
    free(ev->at);
    free(ev->id);
    free(ev->by);
    free(ev->label);
    free(ev->version);
    free(ev->field);
    json_decref(ev->value);
    *ev = (store_event){0};
}

void store_events_free(store_events *e)
{
    for (size_t i = 0; i < e->n; i++)
        store_event_clear(&e->v[i]);
    free(e->v);
    *e = (store_events){0};
}

static char *str_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? pd_strdup(json_string_value(v)) : NULL;
}

static bool field_known(const char *f)
{
    return strcmp(f, "name") == 0 || strcmp(f, "description") == 0 || strcmp(f, "tags") == 0;
}

/* One line as an event; false when it is not one (it is then ignored). */
static bool parse_line(const char *line, size_t len, store_event *ev)
{
    *ev = (store_event){0};
    json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return false;
    }
    ev->at = str_member(j, "at");
    ev->id = str_member(j, "id");
    ev->by = str_member(j, "by");
    ev->label = str_member(j, "label");
    ev->field = str_member(j, "set");
    json_t *version = json_object_get(j, "version");
    json_t *value = json_object_get(j, "value");
    bool ok = ev->at && pd_time_parse_ms(ev->at, &ev->at_ms) && ev->id && pd_id_valid(ev->id);
    if (ok && ev->label) {
        ok = !ev->field && pd_label_name_valid(ev->label, NULL) &&
             (json_is_null(version) || (json_is_string(version) && pd_id_valid(json_string_value(version))));
        if (ok && json_is_string(version))
            ev->version = pd_strdup(json_string_value(version));
    } else if (ok && ev->field) {
        ok = field_known(ev->field) &&
             (strcmp(ev->field, "tags") == 0 ? json_is_array(value) : json_is_string(value));
        for (size_t i = 0; ok && json_is_array(value) && i < json_array_size(value); i++)
            ok = json_is_string(json_array_get(value, i));
        if (ok)
            ev->value = json_incref(value);
    } else {
        ok = false;
    }
    json_decref(j);
    if (!ok)
        store_event_clear(ev);
    return ok;
}

void store_events_parse(const char *text, size_t len, store_events *out)
{
    *out = (store_events){.newest_ms = INT64_MIN};
    size_t cap = 0;
    int line = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        line++;
        store_event ev;
        if (end > at && parse_line(text + at, end - at, &ev)) {
            if (out->n == cap) {
                cap = cap ? cap * 2 : 8;
                out->v = pd_xrealloc(out->v, cap * sizeof *out->v);
            }
            ev.line = line;
            out->v[out->n++] = ev;
        }
        at = end + 1;
    }
    for (size_t i = 0; i < out->n; i++) {
        if (out->v[i].at_ms > out->newest_ms || !out->newest_at) {
            out->newest_ms = out->v[i].at_ms;
            out->newest_at = out->v[i].at;
        }
    }
}

int store_events_read(const char *pdir, store_events *out, pd_error *err)
{
    *out = (store_events){.newest_ms = INT64_MIN};
    char *path = pd_path_join(pdir, "events.jsonl");
    char *text;
    size_t len;
    pd_error local = {0};
    int rc = store_read_file(path, &text, &len, &local);
    free(path);
    if (rc != 0) {
        if (local.code == PD_ERR_NOT_FOUND)
            return 0;
        if (err)
            *err = local;
        return -1;
    }
    store_events_parse(text, len, out);
    free(text);
    return 0;
}

bool store_event_later(const store_event *a, const store_event *b)
{
    if (a->at_ms != b->at_ms)
        return a->at_ms > b->at_ms;
    return strcmp(a->id, b->id) > 0;
}

const store_event *store_events_winner(const store_events *e, const char *label, const char *field)
{
    const store_event *best = NULL;
    for (size_t i = 0; i < e->n; i++) {
        const store_event *ev = &e->v[i];
        bool match = label ? ev->label && strcmp(ev->label, label) == 0 : ev->field && strcmp(ev->field, field) == 0;
        if (match && (!best || store_event_later(ev, best)))
            best = ev;
    }
    return best;
}

void store_event_stamp(store_event *ev, const store_events *e)
{
    int64_t now = pd_now_ms();
    const store_event *prev = e ? store_events_winner(e, ev->label, ev->field) : NULL;
    if (prev && now <= prev->at_ms)
        now = prev->at_ms + 1;
    free(ev->at);
    free(ev->id);
    ev->at_ms = now;
    ev->at = pd_time_format_ms(now);
    ev->id = pd_id_new(now);
}

char *store_event_line(const store_event *ev)
{
    json_t *o = json_object();
    json_object_set_new(o, "at", json_string(ev->at));
    json_object_set_new(o, "id", json_string(ev->id));
    if (ev->by && pd_utf8_valid(ev->by, strlen(ev->by)))
        json_object_set_new(o, "by", json_string(ev->by));
    if (ev->label) {
        json_object_set_new(o, "label", json_string(ev->label));
        json_object_set_new(o, "version", ev->version ? json_string(ev->version) : json_null());
    } else {
        json_object_set_new(o, "set", json_string(ev->field));
        json_object_set(o, "value", ev->value);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    char *line = pd_strf("%s\n", s ? s : "{}");
    free(s);
    return line;
}

int store_event_append(const char *pdir, store_event *ev, store_events *e, pd_error *err)
{
    store_event_stamp(ev, e);
    char *line = store_event_line(ev);
    char *path = pd_path_join(pdir, "events.jsonl");
    int rc = store_append_file(path, line, strlen(line), 0644, err);
    free(path);
    free(line);
    return rc;
}
