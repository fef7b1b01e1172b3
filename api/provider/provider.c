/* provider.c: the provider table and look-up, the shared request/decoding helpers and error texts. */
#include "provider_priv.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

/* Openai first: it speaks for every name not in the table. */
static const pd_provider_info *const providers[] = {
    &pd_provider_openai,
    &pd_provider_anthropic,
    &pd_provider_google,
};
#define N_PROVIDERS (sizeof providers / sizeof providers[0])

size_t pd_provider_count(void)
{
    return N_PROVIDERS;
}

const pd_provider_info *pd_provider_at(size_t i)
{
    return i < N_PROVIDERS ? providers[i] : NULL;
}

const pd_provider_info *pd_provider_find(const char *name, pd_error *err)
{
    for (size_t i = 0; name && i < N_PROVIDERS; i++)
        if (strcmp(name, providers[i]->name) == 0 || (providers[i]->alias && strcmp(name, providers[i]->alias) == 0))
            return providers[i];
    pd_buf known = PD_BUF_INIT;
    for (size_t i = 0; i < N_PROVIDERS; i++) {
        pd_buf_printf(&known, "%s%s", i ? ", " : "", providers[i]->name);
        if (providers[i]->alias)
            pd_buf_printf(&known, " (or %s)", providers[i]->alias);
    }
    pd_error_set(err, PD_ERR_INVALID_REQUEST, "unknown provider '%s': the known ones are %s",
                 name ? name : "", pd_buf_str(&known));
    pd_buf_free(&known);
    return NULL;
}

const pd_provider_info *pd_provider_for(const char *name)
{
    const pd_provider_info *p = pd_provider_find(name, NULL);
    return p ? p : providers[0];
}

/* ---- requests ---- */

void pd_provider_add_header(pd_provider_request *r, const char *name, const char *value)
{
    size_t max = sizeof r->headers / sizeof r->headers[0];
    if (r->n_headers >= max)
        abort();   /* a programming error: the array is sized for every provider's headers */
    r->headers[r->n_headers].name = name;
    r->headers[r->n_headers].value = pd_strdup(value);
    r->n_headers++;
}

char *pd_url_join(const char *base, const char *path)
{
    pd_buf b = PD_BUF_INIT;
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    pd_buf_append(&b, base, n);
    if (*path != '/')
        pd_buf_putc(&b, '/');
    pd_buf_puts(&b, path);
    return pd_buf_take(&b);
}

void pd_tool_parts(json_t *tool, json_t **name, json_t **description, json_t **parameters)
{
    json_t *fn = json_object_get(tool, "function");
    json_t *src = json_is_object(fn) ? fn : tool;
    *name = json_object_get(src, "name");
    *description = json_object_get(src, "description");
    *parameters = json_object_get(src, "parameters");
    if (!*parameters)
        *parameters = json_object_get(src, "input_schema");
}

const char *pd_json_str(json_t *j, const char *key)
{
    const char *s = json_string_value(key ? json_object_get(j, key) : j);
    return s ? s : "";
}

/* ---- settings ---- */

/* extra's provider-neutral names (the rest of extra is one object per provider). */
static const char *const neutral_extra[] = {"seed", "presence_penalty", "frequency_penalty", "top_k"};
#define N_NEUTRAL (sizeof neutral_extra / sizeof neutral_extra[0])

static bool is_neutral(const char *key)
{
    for (size_t i = 0; i < N_NEUTRAL; i++)
        if (strcmp(key, neutral_extra[i]) == 0)
            return true;
    return false;
}

/* A name of a provider in the table (or its alias), or the run's own provider name. */
static bool is_provider_name(const char *key, const char *provider_name)
{
    if (provider_name && strcmp(key, provider_name) == 0)
        return true;
    return pd_provider_find(key, NULL) != NULL;
}

/* Each member of extra is a neutral setting (a number; seed and top_k whole) or one provider's
 * parameters (an object). */
static int check_extra(const pd_settings *s, const char *provider_name, pd_error *err)
{
    if (!s->extra)
        return 0;
    if (!json_is_object(s->extra))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "extra parameters must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(s->extra, key, v) {
        bool whole = strcmp(key, "seed") == 0 || strcmp(key, "top_k") == 0;
        if (is_neutral(key)) {
            if (whole ? !json_is_integer(v) : !json_is_number(v))
                return pd_error_set(err, PD_ERR_INVALID_REQUEST, "extra.%s must be %s", key,
                                    whole ? "a whole number" : "a number");
        } else if (is_provider_name(key, provider_name)) {
            if (!json_is_object(v))
                return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                    "extra.%s must be an object of %s's own parameters, sent to it as they are", key, key);
        } else {
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "extra.%s is not a setting promptdeck can map to each provider (those are seed, "
                                "presence_penalty, frequency_penalty, top_k); to send it to %s as it is, put it in "
                                "extra.%s",
                                key, provider_name, provider_name);
        }
    }
    return 0;
}

/* Merges extra's object for this provider into the body (objects merge member by member, other
 * values replace): extra.openai, extra.anthropic, extra.google or extra.gemini for the services,
 * extra.NAME for a provider of its own name (ollama ...), which is not OpenAI. */
static void merge_provider_extra(json_t *body, const pd_settings *s, const pd_provider_info *p,
                                 const char *provider_name)
{
    bool own = provider_name && strcmp(provider_name, p->name) != 0 && !(p->alias && strcmp(provider_name, p->alias) == 0);
    const char *names[2] = {own ? provider_name : p->name, own ? NULL : p->alias};
    for (size_t i = 0; i < 2; i++) {
        json_t *block = names[i] ? json_object_get(s->extra, names[i]) : NULL;
        if (json_is_object(block))
            json_object_update_recursive(body, block);
    }
}

static int unmapped(const char *provider, const char *what, pd_error *err)
{
    return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                        "%s has no %s: leave it out for this provider (or keep it in extra.<provider> for the ones that take it)",
                        provider, what);
}

/* Puts value under name on obj; name NULL: the provider has no such field. */
static int put(json_t *obj, const char *name, json_t *value, const char *provider, const char *what, pd_error *err)
{
    if (!name) {
        json_decref(value);
        return unmapped(provider, what, err);
    }
    json_object_set_new(obj, name, value);
    return 0;
}

int pd_provider_put_settings(json_t *obj, const pd_settings *s, const pd_setting_names *names, const char *provider,
                             pd_error *err)
{
    double max_t = names->max_temperature > 0 ? names->max_temperature : 2;
    if (s->has_temperature && (s->temperature < 0 || s->temperature > max_t))
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s takes a temperature from 0 to %g; the version sets %g",
                            provider, max_t, s->temperature);
    if (names->max_stop && s->n_stop > names->max_stop)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s takes at most %zu stop sequences; the version has %zu",
                            provider, names->max_stop, s->n_stop);
    if ((s->has_temperature && put(obj, names->temperature, json_real(s->temperature), provider, "temperature", err)) ||
        (s->has_top_p && put(obj, names->top_p, json_real(s->top_p), provider, "top_p", err)) ||
        (s->max_output_tokens > 0 &&
         put(obj, names->max_tokens, json_integer(s->max_output_tokens), provider, "output-token limit", err)))
        return -1;
    if (s->n_stop) {
        json_t *stop = json_array();
        for (size_t i = 0; i < s->n_stop; i++)
            json_array_append_new(stop, json_string(s->stop_sequences[i]));
        if (put(obj, names->stop, stop, provider, "stop sequences", err) != 0)
            return -1;
    }
    const char *neutral_names[N_NEUTRAL] = {names->seed, names->presence_penalty, names->frequency_penalty,
                                            names->top_k};
    for (size_t i = 0; i < N_NEUTRAL; i++) {
        json_t *v = json_object_get(s->extra, neutral_extra[i]);
        if (v && put(obj, neutral_names[i], json_incref(v), provider, neutral_extra[i], err) != 0)
            return -1;
    }
    return 0;
}

/* ---- output schemas ---- */

/* Cuts path back to n bytes. */
static void path_cut(pd_buf *path, size_t n)
{
    path->len = n;
    path->data[n] = '\0';
}

/* Whether a place under schema (at path) breaks the rules: path then names it and why says
 * what is wrong. */
static bool schema_open_at(json_t *schema, bool all_required, pd_buf *path, pd_buf *why)
{
    if (!json_is_object(schema))
        return false;
    size_t mark = path->len;
    json_t *props = json_object_get(schema, "properties");
    json_t *type = json_object_get(schema, "type");
    bool object = json_is_object(props) || (json_is_string(type) && strcmp(json_string_value(type), "object") == 0);
    if (object && !json_is_false(json_object_get(schema, "additionalProperties"))) {
        pd_buf_puts(why, "does not set \"additionalProperties\": false");
        return true;
    }
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v) {
        bool listed = false;
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(schema, "required"), i, r)
            listed = listed || (json_is_string(r) && strcmp(json_string_value(r), key) == 0);
        if (all_required && !listed) {
            pd_buf_printf(why, "does not list \"%s\" in \"required\"", key);
            return true;
        }
        pd_buf_printf(path, ".properties.%s", key);
        if (schema_open_at(v, all_required, path, why))
            return true;
        path_cut(path, mark);
    }
    /* where other schemas nest: one schema, an array of them, an object of them */
    static const char *const one[] = {"items", "additionalItems", "not"};
    static const char *const many[] = {"anyOf", "allOf", "oneOf", "prefixItems"};
    static const char *const named[] = {"$defs", "definitions"};
    for (size_t k = 0; k < sizeof one / sizeof one[0]; k++) {
        pd_buf_printf(path, ".%s", one[k]);
        if (schema_open_at(json_object_get(schema, one[k]), all_required, path, why))
            return true;
        path_cut(path, mark);
    }
    for (size_t k = 0; k < sizeof many / sizeof many[0]; k++) {
        size_t i;
        json_array_foreach(json_object_get(schema, many[k]), i, v) {
            pd_buf_printf(path, ".%s[%zu]", many[k], i);
            if (schema_open_at(v, all_required, path, why))
                return true;
            path_cut(path, mark);
        }
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        json_object_foreach(json_object_get(schema, named[k]), key, v) {
            pd_buf_printf(path, ".%s.%s", named[k], key);
            if (schema_open_at(v, all_required, path, why))
                return true;
            path_cut(path, mark);
        }
    }
    return false;
}

int pd_schema_check_closed(json_t *schema, bool all_required, const char *feature, const char *hint, pd_error *err)
{
    json_t *type = json_object_get(schema, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "object") != 0)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s need an output schema of type object at its root; %s",
                            feature, hint);
    pd_buf path = PD_BUF_INIT, why = PD_BUF_INIT;
    pd_buf_putc(&path, '$');
    int rc = 0;
    if (schema_open_at(schema, all_required, &path, &why))
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s need every object closed: the output schema at %s %s; %s",
                          feature, pd_buf_str(&path), pd_buf_str(&why), hint);
    pd_buf_free(&path);
    pd_buf_free(&why);
    return rc;
}

/* ---- the conversation ---- */

const char *pd_msg_role(json_t *m)
{
    return json_string_value(json_object_get(m, "role"));
}

const char *pd_msg_text(json_t *m)
{
    return pd_json_str(m, "content");
}

bool pd_msg_is_system(const char *role)
{
    return role && (strcmp(role, "system") == 0 || strcmp(role, "developer") == 0);
}

char *pd_system_text(json_t *messages)
{
    pd_buf b = PD_BUF_INIT;
    bool any = false;
    size_t i;
    json_t *m;
    json_array_foreach(messages, i, m) {
        if (!pd_msg_is_system(pd_msg_role(m)))
            continue;
        if (any)
            pd_buf_puts(&b, "\n\n");
        pd_buf_puts(&b, pd_msg_text(m));
        any = true;
    }
    if (!any) {
        pd_buf_free(&b);
        return NULL;
    }
    return pd_buf_take(&b);
}

int pd_turns_build(json_t *messages, const char *provider, const char *model_role, const char *key,
                   pd_turn_items_fn items_of, json_t **out, pd_error *err)
{
    *out = NULL;
    json_t *turns = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(messages, i, m) {
        const char *role = pd_msg_role(m);
        if (!role || pd_msg_is_system(role))
            continue;
        json_t *items = NULL;
        if (items_of(messages, i, role, &items, err) != 0) {
            json_decref(turns);
            return -1;
        }
        const char *turn_role = strcmp(role, "assistant") == 0 ? model_role : "user";
        json_t *last = json_array_get(turns, json_array_size(turns) - 1);
        if (last && strcmp(pd_msg_role(last), turn_role) == 0) {
            json_array_extend(json_object_get(last, key), items);
            json_decref(items);
            continue;
        }
        json_t *turn = json_pack("{s:s}", "role", turn_role);
        json_object_set_new(turn, key, items);
        json_array_append_new(turns, turn);
    }
    if (json_array_size(turns) == 0) {
        json_decref(turns);
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s needs at least one user message; the version has none",
                            provider);
    }
    *out = turns;
    return 0;
}

json_t *pd_call_args_object(json_t *call, const char *field, pd_error *err)
{
    json_t *a = json_object_get(call, "arguments");
    if (json_is_object(a))
        return a;
    pd_error_set(err, PD_ERR_INVALID_REQUEST, "tool call %s (%s): its arguments are not a JSON object, which %s must be",
                 pd_json_str(call, "id"), pd_json_str(call, "name"), field);
    return NULL;
}

const char *pd_call_sent_id(const char *id)
{
    if (!id || strncmp(id, PD_LOCAL_CALL_ID_PREFIX, strlen(PD_LOCAL_CALL_ID_PREFIX)) == 0)
        return NULL;
    return id;
}

const char *pd_tool_result_name(json_t *messages, size_t before, json_t *result)
{
    const char *name = json_string_value(json_object_get(result, "name"));
    const char *id = json_string_value(json_object_get(result, "tool_call_id"));
    for (size_t i = before; !name && id && i-- > 0;) {
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(json_array_get(messages, i), "tool_calls"), k, c)
            if (strcmp(pd_json_str(c, "id"), id) == 0)
                return json_string_value(json_object_get(c, "name"));
    }
    return name;
}

int pd_provider_build_request(const pd_provider_info *p, const char *provider_name, const char *base_url,
                              const char *api_key, json_t *messages, const pd_settings *s,
                              pd_provider_request *out, pd_error *err)
{
    memset(out, 0, sizeof *out);
    if (!s->model || !*s->model)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                            "no model to run: the version sets none; give --model");
    if (check_extra(s, provider_name ? provider_name : p->name, err) != 0)
        return -1;
    if (!base_url || !*base_url)
        base_url = p->default_base;
    pd_provider_add_header(out, "Content-Type", "application/json");
    pd_provider_add_header(out, "Accept", "text/event-stream");
    if (api_key && *api_key) {
        pd_buf auth = PD_BUF_INIT;
        pd_buf_printf(&auth, "%s%s", p->wire->auth_prefix, api_key);
        pd_provider_add_header(out, p->wire->auth_header, pd_buf_str(&auth));
        pd_buf_free(&auth);
    }
    json_t *body = NULL;
    if (p->wire->build(provider_name, base_url, messages, s, &body, out, err) != 0) {
        json_decref(body);
        pd_provider_request_clear(out);
        return -1;
    }
    merge_provider_extra(body, s, p, provider_name);
    out->body = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!out->body)
        abort();
    return 0;
}

void pd_provider_request_redact(const pd_provider_info *p, pd_provider_request *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        if (strcmp(r->headers[i].name, p->wire->auth_header) != 0)
            continue;
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "%s[redacted]", p->wire->auth_prefix);
        free((char *)r->headers[i].value);
        r->headers[i].value = pd_buf_take(&b);
    }
}

void pd_provider_request_clear(pd_provider_request *r)
{
    free(r->url);
    for (size_t i = 0; i < r->n_headers; i++)
        free((char *)r->headers[i].value);
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* ---- decoding ---- */

void pd_provider_stream_init(pd_provider_stream *st, const pd_provider_info *p)
{
    memset(st, 0, sizeof *st);
    st->provider = p;
    st->input_tokens = st->output_tokens = -1;
}

void pd_provider_stream_clear(pd_provider_stream *st)
{
    free(st->finish_reason);
    st->finish_reason = NULL;
    for (size_t i = 0; i < st->n_calls; i++) {
        free(st->calls[i].id);
        free(st->calls[i].name);
        free(st->calls[i].signature);
        pd_buf_free(&st->calls[i].arguments);
    }
    free(st->calls);
    st->calls = NULL;
    st->n_calls = 0;
}

static const char *const finish_names[] = {
    [PD_FINISH_UNKNOWN] = NULL,
    [PD_FINISH_STOP] = "stop",
    [PD_FINISH_LENGTH] = "length",
    [PD_FINISH_TOOL_CALLS] = "tool_calls",
    [PD_FINISH_CONTENT_FILTER] = "content_filter",
    [PD_FINISH_ERROR] = "error",
};
#define N_FINISH (sizeof finish_names / sizeof finish_names[0])

const char *pd_finish_name(pd_finish f)
{
    return (size_t)f < N_FINISH ? finish_names[f] : NULL;
}

pd_finish pd_finish_parse(const char *name)
{
    for (size_t i = 1; name && i < N_FINISH; i++)
        if (strcmp(name, finish_names[i]) == 0)
            return (pd_finish)i;
    return PD_FINISH_UNKNOWN;
}

bool pd_finish_clean(pd_finish f)
{
    return f == PD_FINISH_UNKNOWN || f == PD_FINISH_STOP || f == PD_FINISH_TOOL_CALLS;
}

void pd_stream_set_finish(pd_provider_stream *st, const char *word, const pd_finish_word *words)
{
    free(st->finish_reason);
    st->finish_reason = pd_strdup(word);
    st->finish = PD_FINISH_ERROR;
    for (size_t i = 0; words[i].word; i++)
        if (strcmp(words[i].word, word) == 0)
            st->finish = words[i].finish;
}

pd_tool_call *pd_stream_call(pd_provider_stream *st, long index)
{
    for (size_t i = 0; i < st->n_calls; i++)
        if (st->calls[i].index == index)
            return &st->calls[i];
    st->calls = pd_xrealloc(st->calls, (st->n_calls + 1) * sizeof *st->calls);
    pd_tool_call *c = &st->calls[st->n_calls++];
    memset(c, 0, sizeof *c);
    c->index = index;
    return c;
}

void pd_provider_stream_end(pd_provider_stream *st)
{
    for (size_t i = 0; i < st->n_calls; i++)
        st->calls[i].complete = true;
}

char *pd_tool_call_args_text(json_t *call, size_t json_dumps_flags)
{
    json_t *args = json_object_get(call, "arguments");
    if (!args)
        return pd_strdup("{}");
    if (json_is_string(args))
        return pd_strdup(json_string_value(args));
    char *text = json_dumps(args, json_dumps_flags | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    if (!text)
        abort();
    return text;
}

json_t *pd_tool_call_json(const pd_tool_call *c)
{
    const char *text = c->arguments.len ? pd_buf_str(&c->arguments) : "{}";
    json_t *args = json_loads(text, JSON_DECODE_ANY, NULL);
    json_t *o = json_pack("{s:s, s:s, s:o}", "id", c->id ? c->id : "", "name", c->name ? c->name : "", "arguments",
                          args ? args : json_string(text));
    if (c->signature)
        json_object_set_new(o, "signature", json_string(c->signature));
    return o;
}

int pd_provider_stream_error(json_t *e, pd_error *err)
{
    if (json_is_string(e))
        return pd_error_set(err, PD_ERR_PROVIDER, "the provider reported an error: %s", json_string_value(e));
    const char *msg = pd_json_str(e, "message");
    const char *type = pd_json_str(e, "type");
    if (!*type)
        type = pd_json_str(e, "status");
    if (*type)
        return pd_error_set(err, PD_ERR_PROVIDER, "the provider reported an error (%s): %s", type,
                            *msg ? msg : "no message");
    return pd_error_set(err, PD_ERR_PROVIDER, "the provider reported an error: %s", *msg ? msg : "no message");
}

int pd_provider_decode(pd_provider_stream *st, const pd_sse_event *ev, pd_provider_text_cb on_text,
                       void *ud, pd_error *err)
{
    const pd_provider_wire *w = st->provider->wire;
    if (w->end_data && strcmp(ev->data, w->end_data) == 0) {
        st->ended = true;
        return 0;
    }
    if (w->ignored_event && strcmp(ev->event, w->ignored_event) == 0)
        return 0;
    json_error_t jerr;
    json_t *j = json_loadb(ev->data, ev->data_len, JSON_DECODE_ANY, &jerr);
    if (!j) {
        pd_buf shown = PD_BUF_INIT;
        pd_buf_append(&shown, ev->data, ev->data_len > 60 ? 60 : ev->data_len);
        int rc = pd_error_set(err, PD_ERR_PROVIDER,
                              "the provider sent a chunk that is not valid JSON (%s at column %d): %s%s",
                              jerr.text, jerr.column, pd_buf_str(&shown), ev->data_len > 60 ? "..." : "");
        pd_buf_free(&shown);
        return rc;
    }
    int rc;
    json_t *e = json_object_get(j, "error");
    if (w->error_member && e && !json_is_null(e))
        rc = pd_provider_stream_error(e, err);
    else
        rc = w->decode(st, ev->event, j, on_text, ud, err);
    json_decref(j);
    return rc;
}

/* ---- errors ---- */

char *pd_provider_error_text(const char *body, size_t len)
{
    json_t *j = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (!j)
        return NULL;
    json_t *obj = json_is_array(j) ? json_array_get(j, 0) : j;   /* Gemini wraps it in [ ] */
    json_t *e = json_object_get(obj, "error");
    const char *msg = json_is_string(e) ? json_string_value(e) : pd_json_str(e, "message");
    if (!*msg)
        msg = pd_json_str(obj, "message");
    char *out = *msg ? pd_strdup(msg) : NULL;
    json_decref(j);
    return out;
}

char *pd_scrub_secret(const char *s, const char *secret)
{
    if (!s)
        return NULL;
    size_t k = secret ? strlen(secret) : 0;
    if (k < 4)
        return pd_strdup(s);
    pd_buf b = PD_BUF_INIT;
    const char *p;
    while ((p = strstr(s, secret))) {
        pd_buf_append(&b, s, (size_t)(p - s));
        pd_buf_puts(&b, "[redacted]");
        s = p + k;
    }
    pd_buf_puts(&b, s);
    return pd_buf_take(&b);
}
