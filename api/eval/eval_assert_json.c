/* eval_assert_json.c: assertions on JSON in the answer: is-json, contains-json (each with an
 * optional JSON Schema, validated by api/schema), and tool calls checked against the tools'
 * parameter schemas (promptfoo's is-valid-openai-tools-call). */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

json_t *eval_json_in_text(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
    for (size_t i = *pos; i < len; i++) {
        if (text[i] != '{' && text[i] != '[')
            continue;
        json_error_t e;
        json_t *j = json_loadb(text + i, len - i, JSON_DISABLE_EOF_CHECK, &e);
        if (j) {
            *start = i;
            *end = i + (size_t)e.position;
            *pos = *end;
            return j;
        }
    }
    *pos = len;
    return NULL;
}

/* The assertion's schema compiled into *out (NULL when it has none). EVAL_ERROR when it does not
 * compile; otherwise EVAL_HOLDS. */
static eval_outcome schema_of(const eval_ctx *x, eval_finding *f, pd_schema **out)
{
    *out = NULL;
    const json_t *v = x->as->value;
    json_t *parsed = NULL;
    pd_error err = {0};
    if (!v)
        return EVAL_HOLDS;
    if (json_is_string(v)) {
        parsed = eval_yaml_parse_value(json_string_value(v), strlen(json_string_value(v)), &err);
        if (!parsed)
            return eval_error(f, "the JSON Schema does not parse: %s", err.msg);
        v = parsed;
    }
    int rc = pd_schema_compile(v, out, &err);
    json_decref(parsed);
    if (rc != 0)
        return eval_error(f, "invalid JSON Schema: %s", err.msg);
    return EVAL_HOLDS;
}

static void claim_json(eval_finding *f, const char *to, const char *does, const char *does_not, bool schema)
{
    eval_claim(f, to, does, does_not);
    eval_claim_arg(f, "%s", schema ? " matching the schema" : "");
}

eval_outcome eval_check_is_json(const eval_ctx *x, eval_finding *f)
{
    pd_schema *schema;
    if (schema_of(x, f, &schema) == EVAL_ERROR)
        return EVAL_ERROR;
    claim_json(f, "be valid JSON", "is valid JSON", "is not valid JSON", schema != NULL);
    json_error_t e;
    json_t *j = json_loadb(x->output, x->output_len, JSON_DECODE_ANY, &e);
    eval_outcome o = EVAL_HOLDS;
    if (!j) {
        pd_buf_printf(&f->detail, "; %s (line %d, column %d)", e.text, e.line, e.column);
        o = EVAL_FAILS;
    } else if (schema) {
        pd_buf why = PD_BUF_INIT;
        if (!pd_schema_validate(schema, j, &why)) {
            pd_buf_printf(&f->detail, "; %s", pd_buf_str(&why));
            o = EVAL_FAILS;
        }
        pd_buf_free(&why);
    }
    json_decref(j);
    pd_schema_free(schema);
    return o;
}

eval_outcome eval_check_contains_json(const eval_ctx *x, eval_finding *f)
{
    pd_schema *schema;
    if (schema_of(x, f, &schema) == EVAL_ERROR)
        return EVAL_ERROR;
    claim_json(f, "contain JSON", "contains JSON", "does not contain JSON", schema != NULL);
    size_t pos = 0, start, end, found = 0;
    pd_buf first_reason = PD_BUF_INIT;
    eval_outcome o = EVAL_FAILS;
    json_t *j;
    while (o == EVAL_FAILS && (j = eval_json_in_text(x->output, x->output_len, &pos, &start, &end)) != NULL) {
        found++;
        if (!schema || pd_schema_validate(schema, j, found == 1 ? &first_reason : NULL))
            o = EVAL_HOLDS;
        json_decref(j);
    }
    if (o == EVAL_FAILS && found)
        pd_buf_printf(&f->detail, "; %zu JSON value%s found, none matching: %s", found, found == 1 ? "" : "s",
                      pd_buf_str(&first_reason));
    pd_buf_free(&first_reason);
    pd_schema_free(schema);
    return o;
}

/* The tool named name among the tools offered ({"type": "function", "function": {...}} or the
 * definition itself), or NULL. */
static const json_t *tool_named(const json_t *tools, const char *name)
{
    size_t i;
    json_t *t;
    json_array_foreach((json_t *)tools, i, t) {
        json_t *fn = json_object_get(t, "function");
        const json_t *def = json_is_object(fn) ? fn : t;
        const char *n = json_string_value(json_object_get(def, "name"));
        if (n && name && strcmp(n, name) == 0)
            return def;
    }
    return NULL;
}

/* A call's arguments as JSON: the value, or its text parsed (none: {}). New reference, or NULL
 * with the parser's message in why. */
static json_t *call_arguments(const json_t *call, pd_buf *why)
{
    const json_t *args = json_object_get(call, "arguments");
    if (!args || json_is_null(args))
        return json_object();
    if (!json_is_string(args))
        return json_incref((json_t *)args);
    const char *text = json_string_value(args);
    json_error_t e;
    json_t *j = json_loads(*text ? text : "{}", JSON_DECODE_ANY, &e);
    if (!j)
        pd_buf_puts(why, e.text);
    return j;
}

/* One call: its tool exists and its arguments fit the tool's parameters. */
static eval_outcome check_call(const json_t *tools, const json_t *call, eval_finding *f)
{
    const char *name = json_string_value(json_object_get(call, "name"));
    if (!name)
        name = "";
    const json_t *def = tool_named(tools, name);
    if (!def) {
        pd_buf_puts(&f->detail, "; ");
        eval_quote(&f->detail, name, 40);
        pd_buf_puts(&f->detail, " is not a tool the request offered");
        return EVAL_FAILS;
    }
    pd_buf why = PD_BUF_INIT;
    json_t *args = call_arguments(call, &why);
    eval_outcome o = EVAL_HOLDS;
    const json_t *params = json_object_get(def, "parameters");
    if (!params)
        params = json_object_get(def, "input_schema");
    if (!args) {
        pd_buf_printf(&f->detail, "; the arguments of '%s' are not JSON: %s", name, pd_buf_str(&why));
        o = EVAL_FAILS;
    } else if (params) {
        pd_schema *schema;
        pd_error err = {0};
        if (pd_schema_compile(params, &schema, &err) != 0) {
            o = eval_error(f, "the parameters schema of tool '%s' is invalid: %s", name, err.msg);
        } else {
            if (!pd_schema_validate(schema, args, &why)) {
                pd_buf_printf(&f->detail, "; the arguments of '%s' do not fit its parameters: %s", name,
                              pd_buf_str(&why));
                o = EVAL_FAILS;
            }
            pd_schema_free(schema);
        }
    }
    pd_buf_free(&why);
    json_decref(args);
    return o;
}

static bool called(const json_t *calls, const char *name)
{
    size_t i;
    json_t *call;
    json_array_foreach((json_t *)calls, i, call) {
        const char *n = json_string_value(json_object_get(call, "name"));
        if (n && name && strcmp(n, name) == 0)
            return true;
    }
    return false;
}

eval_outcome eval_check_tools_call(const eval_ctx *x, eval_finding *f)
{
    const pd_eval_answer *a = x->answer;
    if (!json_array_size(a->tools))
        return eval_error(f, "the request offered no tools to check the calls against");
    /* the names that must be called: the value, one name or a list */
    json_t *want = json_is_string(x->as->value) ? json_pack("[O]", x->as->value)
                   : x->as->value                ? json_incref(x->as->value)
                                                 : json_array();
    eval_claim(f, "make valid tool calls", "makes valid tool calls", "does not make valid tool calls");
    size_t i;
    json_t *n;
    json_array_foreach(want, i, n) {
        eval_claim_arg(f, "%s", i ? "," : " including");
        eval_claim_quote(f, json_string_value(n));
    }
    eval_outcome o = EVAL_HOLDS;
    if (json_array_size(a->tool_calls) == 0) {
        pd_buf_puts(&f->detail, "; the model called no tool");
        o = EVAL_FAILS;
    }
    for (size_t k = 0; o == EVAL_HOLDS && k < json_array_size(a->tool_calls); k++)
        o = check_call(a->tools, json_array_get(a->tool_calls, k), f);
    json_array_foreach(want, i, n) {
        if (o == EVAL_HOLDS && !called(a->tool_calls, json_string_value(n))) {
            pd_buf_printf(&f->detail, "; no call to '%s'", json_string_value(n));
            o = EVAL_FAILS;
        }
    }
    json_decref(want);
    return o;
}
