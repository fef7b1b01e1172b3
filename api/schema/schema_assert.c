/* schema_assert.c: the assertion keywords: type, enum, const, number bounds, strings, array and object sizes. */
#include "schema_priv.h"

#include <stdlib.h>
#include <string.h>

/* A value as short JSON for a message (cut at 60 bytes). */
static const char *short_json(const json_t *v, char *buf, size_t size)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        abort();
    size_t n = strlen(text);
    if (n > 60)
        snprintf(buf, size, "%.57s...", text);
    else
        snprintf(buf, size, "%s", text);
    free(text);
    return buf;
}

static bool type_matches(unsigned types, unsigned t)
{
    return (types & t) || (t == SC_T_INTEGER && (types & SC_T_NUMBER));
}

static bool assert_type(sc_ctx *c, unsigned types, const json_t *inst)
{
    unsigned t = sc_type_of(inst);
    if (type_matches(types, t))
        return true;
    pd_buf want = PD_BUF_INIT;
    for (unsigned bit = 1; bit <= SC_T_INTEGER; bit <<= 1)
        if (types & bit)
            pd_buf_printf(&want, "%s%s", want.len ? " or " : "", sc_type_name(bit));
    sc_fail(c, "expected %s, got %s (type)", pd_buf_str(&want), sc_type_name(t == SC_T_INTEGER && json_is_real(inst) ? SC_T_NUMBER : t));
    pd_buf_free(&want);
    return false;
}

/* One bound on a number: fails when cmp(inst, bound) is one of the refused results. */
static bool assert_bound(sc_ctx *c, const json_t *inst, const json_t *bound, const char *kw,
                         int refuse_below, int refuse_equal, int refuse_above)
{
    if (!bound)
        return true;
    int r = sc_num_cmp(inst, bound);
    if (!((r < 0 && refuse_below) || (r == 0 && refuse_equal) || (r > 0 && refuse_above)))
        return true;
    pd_buf x = PD_BUF_INIT, b = PD_BUF_INIT;
    sc_num_print(&x, inst);
    sc_num_print(&b, bound);
    sc_fail(c, "%s is %s %s (%s)", pd_buf_str(&x), refuse_below ? (refuse_equal ? "not greater than" : "less than")
                                                            : (refuse_equal ? "not less than" : "greater than"),
            pd_buf_str(&b), kw);
    pd_buf_free(&x);
    pd_buf_free(&b);
    return false;
}

static bool assert_number(sc_ctx *c, const sc_node *n, const json_t *inst)
{
    if (!assert_bound(c, inst, n->minimum, "minimum", 1, 0, 0) ||
        !assert_bound(c, inst, n->exclusive_minimum, "exclusiveMinimum", 1, 1, 0) ||
        !assert_bound(c, inst, n->maximum, "maximum", 0, 0, 1) ||
        !assert_bound(c, inst, n->exclusive_maximum, "exclusiveMaximum", 0, 1, 1))
        return false;
    if (n->multiple_of && !sc_multiple_of(inst, n->multiple_of)) {
        pd_buf x = PD_BUF_INIT, m = PD_BUF_INIT;
        sc_num_print(&x, inst);
        sc_num_print(&m, n->multiple_of);
        sc_fail(c, "%s is not a multiple of %s (multipleOf)", pd_buf_str(&x), pd_buf_str(&m));
        pd_buf_free(&x);
        pd_buf_free(&m);
        return false;
    }
    return true;
}

static bool assert_string(sc_ctx *c, const sc_node *n, const json_t *inst)
{
    const char *s = json_string_value(inst);
    size_t len = json_string_length(inst);
    if (n->min_length >= 0 || n->max_length >= 0) {
        json_int_t chars = (json_int_t)pd_utf8_count(s, len);
        if (n->min_length >= 0 && chars < n->min_length)
            return sc_fail(c, "string is %" JSON_INTEGER_FORMAT " characters long, shorter than minLength %"
                           JSON_INTEGER_FORMAT, chars, n->min_length);
        if (n->max_length >= 0 && chars > n->max_length)
            return sc_fail(c, "string is %" JSON_INTEGER_FORMAT " characters long, longer than maxLength %"
                           JSON_INTEGER_FORMAT, chars, n->max_length);
    }
    if (n->pattern && !sc_regex_search(n->pattern, s, len))
        return sc_fail(c, "string does not match the pattern \"%s\"", sc_regex_source(n->pattern));
    if (n->format && !sc_format_check(n->format, s, len)) {
        char buf[80];
        return sc_fail(c, "%s is not a valid %s (format)", short_json(inst, buf, sizeof buf), n->format);
    }
    return true;
}

static bool assert_array(sc_ctx *c, const sc_node *n, const json_t *inst)
{
    json_int_t size = (json_int_t)json_array_size(inst);
    if (n->min_items >= 0 && size < n->min_items)
        return sc_fail(c, "array has %" JSON_INTEGER_FORMAT " items, fewer than minItems %" JSON_INTEGER_FORMAT,
                       size, n->min_items);
    if (n->max_items >= 0 && size > n->max_items)
        return sc_fail(c, "array has %" JSON_INTEGER_FORMAT " items, more than maxItems %" JSON_INTEGER_FORMAT,
                       size, n->max_items);
    if (n->unique_items)
        for (size_t i = 1; i < (size_t)size; i++)
            for (size_t j = 0; j < i; j++)
                if (sc_json_equal(json_array_get(inst, i), json_array_get(inst, j)))
                    return sc_fail(c, "items %zu and %zu are equal (uniqueItems)", j, i);
    return true;
}

static bool assert_object(sc_ctx *c, const sc_node *n, const json_t *inst)
{
    json_int_t size = (json_int_t)json_object_size(inst);
    if (n->min_props >= 0 && size < n->min_props)
        return sc_fail(c, "object has %" JSON_INTEGER_FORMAT " properties, fewer than minProperties %"
                       JSON_INTEGER_FORMAT, size, n->min_props);
    if (n->max_props >= 0 && size > n->max_props)
        return sc_fail(c, "object has %" JSON_INTEGER_FORMAT " properties, more than maxProperties %"
                       JSON_INTEGER_FORMAT, size, n->max_props);
    for (size_t i = 0; i < json_array_size(n->required); i++) {
        const json_t *name = json_array_get(n->required, i);
        if (!json_object_getn(inst, json_string_value(name), json_string_length(name)))
            return sc_fail(c, "missing the required property \"%s\"", json_string_value(name));
    }
    for (size_t i = 0; i < n->n_dep_required; i++) {
        const sc_named *d = &n->dep_required[i];
        if (!json_object_getn(inst, d->name, d->len))
            continue;
        for (size_t j = 0; j < json_array_size(d->value); j++) {
            const json_t *name = json_array_get(d->value, j);
            if (!json_object_getn(inst, json_string_value(name), json_string_length(name)))
                return sc_fail(c, "missing the property \"%s\", required when \"%s\" is there (dependentRequired)",
                               json_string_value(name), d->name);
        }
    }
    return true;
}

bool sc_assert(sc_ctx *c, const sc_node *n, const json_t *inst)
{
    char buf[80];
    if (n->types && !assert_type(c, n->types, inst))
        return false;
    if (n->const_val && !sc_json_equal(inst, n->const_val))
        return sc_fail(c, "expected %s (const)", short_json(n->const_val, buf, sizeof buf));
    if (n->enum_vals) {
        size_t i = 0;
        while (i < json_array_size(n->enum_vals) && !sc_json_equal(inst, json_array_get(n->enum_vals, i)))
            i++;
        if (i == json_array_size(n->enum_vals))
            return sc_fail(c, "not one of %s (enum)", short_json(n->enum_vals, buf, sizeof buf));
    }
    switch (json_typeof(inst)) {
    case JSON_INTEGER:
    case JSON_REAL: return assert_number(c, n, inst);
    case JSON_STRING: return assert_string(c, n, inst);
    case JSON_ARRAY: return assert_array(c, n, inst);
    case JSON_OBJECT: return assert_object(c, n, inst);
    default: return true;
    }
}
