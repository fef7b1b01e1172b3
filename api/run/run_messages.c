/* run_messages.c: the conversation a run sends: history placeholders filled from a variable, a past run's turns continued with a message or tool results. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider/provider.h"
#include "run.h"

/* The string member key of o, or "" (borrowed). */
static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- checking a list of messages someone gave ---- */

typedef struct list_ctx {
    const char *what;     /* "the variable 'history'" */
    pd_error *err;
} list_ctx;

static int list_error(const list_ctx *x, size_t i, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int list_error(const list_ctx *x, size_t i, const char *field, const char *fmt, ...)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s: message %zu", x->what, i + 1);
    if (field)
        pd_buf_printf(&b, " (%s)", field);
    pd_buf_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pd_buf_puts(&b, line);
    int rc = pd_error_set(x->err, PD_ERR_INVALID_REQUEST, "%s", pd_buf_str(&b));
    pd_buf_free(&b);
    return rc;
}

/* A message's text: a string, null (none), or an array of {"type": "text", "text"} blocks joined. */
static int content_text(const list_ctx *x, size_t i, json_t *content, pd_buf *out)
{
    if (!content || json_is_null(content))
        return 0;
    if (json_is_string(content)) {
        pd_buf_puts(out, json_string_value(content));
        return 0;
    }
    size_t k;
    json_t *block;
    if (!json_is_array(content))
        return list_error(x, i, "content", "must be text");
    json_array_foreach(content, k, block) {
        if (strcmp(str_of(block, "type"), "text") != 0 || !json_is_string(json_object_get(block, "text")))
            return list_error(x, i, "content", "only text can be given (a string, or [{\"type\": \"text\", \"text\": ...}])");
        pd_buf_puts(out, json_string_value(json_object_get(block, "text")));
    }
    return 0;
}

/* A call written as {"id", "name", "arguments"} or OpenAI's {"id", "type": "function",
 * "function": {"name", "arguments": "JSON text"}}, as {"id", "name", "arguments": value}. */
static int call_norm(const list_ctx *x, size_t i, json_t *c, json_t **out)
{
    json_t *fn = json_object_get(c, "function");
    json_t *src = json_is_object(fn) ? fn : c;
    json_t *id = json_object_get(c, "id"), *name = json_object_get(src, "name"), *args = json_object_get(src, "arguments");
    if (!json_is_string(id) || !json_is_string(name))
        return list_error(x, i, "tool_calls", "each call needs an \"id\" and a \"name\"");
    json_t *value = json_is_string(args) ? json_loads(json_string_value(args), JSON_DECODE_ANY, NULL) : NULL;
    if (!value)
        value = args ? json_incref(args) : json_object();
    *out = json_pack("{s:O, s:O, s:o}", "id", id, "name", name, "arguments", value);
    json_t *sig = json_object_get(c, "signature");
    if (json_is_string(sig))
        json_object_set(*out, "signature", sig);
    return 0;
}

static int message_norm(const list_ctx *x, size_t i, json_t *m, json_t **out)
{
    if (!json_is_object(m))
        return list_error(x, i, NULL, "must be an object {\"role\", \"content\"}");
    const char *role = str_of(m, "role");
    if (!*role || !pd_role_valid(role))
        return list_error(x, i, "role", "\"%s\" is not one of system, developer, user, assistant, tool", role);
    pd_buf text = PD_BUF_INIT;
    if (content_text(x, i, json_object_get(m, "content"), &text) != 0) {
        pd_buf_free(&text);
        return -1;
    }
    json_t *o = json_pack("{s:s, s:s}", "role", role, "content", pd_buf_str(&text));
    pd_buf_free(&text);
    json_t *calls = json_object_get(m, "tool_calls");
    if (calls && !json_is_null(calls)) {
        if (strcmp(role, "assistant") != 0 || !json_is_array(calls)) {
            json_decref(o);
            return list_error(x, i, "tool_calls", "only an assistant's message has tool_calls, a list");
        }
        json_t *norm = json_array();
        size_t k;
        json_t *c;
        json_array_foreach(calls, k, c) {
            json_t *one = NULL;
            if (call_norm(x, i, c, &one) != 0) {
                json_decref(norm);
                json_decref(o);
                return -1;
            }
            json_array_append_new(norm, one);
        }
        json_object_set_new(o, "tool_calls", norm);
    }
    if (strcmp(role, "tool") == 0) {
        json_t *id = json_object_get(m, "tool_call_id"), *name = json_object_get(m, "name");
        if (!json_is_string(id)) {
            json_decref(o);
            return list_error(x, i, "tool_call_id", "a tool message needs the id of the call it answers");
        }
        json_object_set(o, "tool_call_id", id);
        if (json_is_string(name))
            json_object_set(o, "name", name);
    }
    *out = o;
    return 0;
}

int pd_run_messages_check(json_t *list, const char *what, json_t **out, pd_error *err)
{
    list_ctx x = {what, err};
    *out = NULL;
    json_t *owned = NULL;
    if (json_is_string(list)) {   /* --var history=@file.json gives the file's text */
        json_error_t jerr;
        owned = json_loads(json_string_value(list), 0, &jerr);
        if (!owned)
            return pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                "%s must hold a JSON list of messages [{\"role\", \"content\"}]: line %d: %s", what,
                                jerr.line, jerr.text);
        list = owned;
    }
    if (!json_is_array(list)) {
        json_decref(owned);
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "%s must be a list of messages [{\"role\", \"content\"}]", what);
    }
    json_t *norm = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        json_t *one = NULL;
        if (message_norm(&x, i, m, &one) != 0) {
            json_decref(norm);
            json_decref(owned);
            return -1;
        }
        json_array_append_new(norm, one);
    }
    json_decref(owned);
    *out = norm;
    return 0;
}

/* ---- a version's messages with its placeholders filled ---- */

int pd_run_fill_history(const pd_message *m, size_t n, json_t *vars, json_t **out, pd_error *err)
{
    *out = NULL;
    json_t *conv = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!m[i].placeholder) {
            json_array_append_new(conv, json_pack("{s:s, s:s}", "role", m[i].role ? m[i].role : "user", "content",
                                                  m[i].content ? m[i].content : ""));
            continue;
        }
        json_t *list = json_object_get(vars, m[i].placeholder);
        if (!list) {
            json_decref(conv);
            return pd_error_set(err, PD_ERR_MISSING_VARIABLES,
                                "the history placeholder '%s' (message %zu) needs a variable '%s' holding a list of messages "
                                "[{\"role\": \"user\", \"content\": \"...\"}] (--var %s=@FILE.json)",
                                m[i].placeholder, i + 1, m[i].placeholder, m[i].placeholder);
        }
        pd_buf what = PD_BUF_INIT;
        pd_buf_printf(&what, "the variable '%s' (for the history placeholder in message %zu)", m[i].placeholder, i + 1);
        json_t *norm;
        int rc = pd_run_messages_check(list, pd_buf_str(&what), &norm, err);
        pd_buf_free(&what);
        if (rc != 0) {
            json_decref(conv);
            return -1;
        }
        json_array_extend(conv, norm);
        json_decref(norm);
    }
    *out = conv;
    return 0;
}

/* ---- conversations ---- */

json_t *pd_run_conversation(const pd_run_record *r)
{
    if (!r->messages)
        return NULL;
    json_t *conv = json_deep_copy(r->messages);
    json_t *turn = json_pack("{s:s, s:s}", "role", "assistant", "content", r->output ? r->output : "");
    if (json_array_size(r->tool_calls))
        json_object_set_new(turn, "tool_calls", json_deep_copy(r->tool_calls));
    json_array_append_new(conv, turn);
    return conv;
}

/* The last assistant message's call with this id, or NULL. */
static json_t *pending_call(json_t *conv, const char *id, json_t **calls_out)
{
    for (size_t i = json_array_size(conv); i-- > 0;) {
        json_t *m = json_array_get(conv, i);
        if (strcmp(str_of(m, "role"), "assistant") != 0)
            continue;
        json_t *calls = json_object_get(m, "tool_calls");
        *calls_out = calls;
        size_t k;
        json_t *c;
        json_array_foreach(calls, k, c)
            if (strcmp(str_of(c, "id"), id) == 0)
                return c;
        return NULL;
    }
    *calls_out = NULL;
    return NULL;
}

/* "call_1 (get_weather), call_2 (get_time)" */
static void list_calls(pd_buf *b, json_t *calls)
{
    size_t k;
    json_t *c;
    json_array_foreach(calls, k, c)
        pd_buf_printf(b, "%s%s (%s)", k ? ", " : "", str_of(c, "id"), str_of(c, "name"));
}

int pd_run_conversation_add_tool_result(json_t *conv, const char *call_id, const char *text, pd_error *err)
{
    json_t *calls;
    json_t *c = pending_call(conv, call_id, &calls);
    if (!c) {
        pd_buf b = PD_BUF_INIT;
        if (json_array_size(calls)) {
            pd_buf_puts(&b, "the last answer asked for ");
            list_calls(&b, calls);
        } else {
            pd_buf_puts(&b, "the last answer asked for no tool call");
        }
        int rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "no tool call '%s' to answer: %s", call_id, pd_buf_str(&b));
        pd_buf_free(&b);
        return rc;
    }
    json_array_append_new(conv, json_pack("{s:s, s:s, s:s, s:s}", "role", "tool", "tool_call_id", call_id, "name",
                                          str_of(c, "name"), "content", text ? text : ""));
    return 0;
}

void pd_run_conversation_add_user(json_t *conv, const char *text)
{
    json_array_append_new(conv, json_pack("{s:s, s:s}", "role", "user", "content", text ? text : ""));
}

int pd_run_conversation_check(json_t *conv, pd_error *err)
{
    size_t n = json_array_size(conv);
    for (size_t i = 0; i < n; i++) {
        json_t *calls = json_object_get(json_array_get(conv, i), "tool_calls");
        if (!json_array_size(calls))
            continue;
        /* the results follow the calls, before the next assistant turn */
        pd_buf missing = PD_BUF_INIT;
        size_t k;
        json_t *c;
        int n_missing = 0;
        json_array_foreach(calls, k, c) {
            const char *id = str_of(c, "id");
            bool answered = false;
            for (size_t j = i + 1; j < n && !answered; j++) {
                json_t *m = json_array_get(conv, j);
                const char *role = str_of(m, "role");
                if (strcmp(role, "assistant") == 0)
                    break;
                answered = strcmp(role, "tool") == 0 && strcmp(str_of(m, "tool_call_id"), id) == 0;
            }
            if (!answered)
                pd_buf_printf(&missing, "%s%s (%s)", n_missing++ ? ", " : "", id, str_of(c, "name"));
        }
        if (n_missing) {
            int rc = pd_error_set(err, PD_ERR_INVALID_REQUEST,
                                  "the conversation has tool call%s without a result: %s; every call needs one "
                                  "(--tool-result ID=@FILE)",
                                  n_missing > 1 ? "s" : "", pd_buf_str(&missing));
            pd_buf_free(&missing);
            return rc;
        }
        pd_buf_free(&missing);
    }
    return 0;
}
