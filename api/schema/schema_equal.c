/* schema_equal.c: JSON values as the spec compares them: types, numbers by value, equality, multipleOf. */
#include "schema_priv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned sc_type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_NULL: return SC_T_NULL;
    case JSON_TRUE:
    case JSON_FALSE: return SC_T_BOOLEAN;
    case JSON_OBJECT: return SC_T_OBJECT;
    case JSON_ARRAY: return SC_T_ARRAY;
    case JSON_STRING: return SC_T_STRING;
    case JSON_INTEGER: return SC_T_INTEGER;
    case JSON_REAL: {
        double d = json_real_value(v);
        return isfinite(d) && d == floor(d) ? SC_T_INTEGER : SC_T_NUMBER;
    }
    }
    return 0;
}

const char *sc_type_name(unsigned type_bit)
{
    switch (type_bit) {
    case SC_T_NULL: return "null";
    case SC_T_BOOLEAN: return "boolean";
    case SC_T_OBJECT: return "object";
    case SC_T_ARRAY: return "array";
    case SC_T_NUMBER: return "number";
    case SC_T_STRING: return "string";
    case SC_T_INTEGER: return "integer";
    }
    return "?";
}

/* long double holds every 64-bit integer and every double exactly (x86-64's 80-bit format). */
static long double num_value(const json_t *v)
{
    return json_is_integer(v) ? (long double)json_integer_value(v) : (long double)json_real_value(v);
}

int sc_num_cmp(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return x < y ? -1 : x > y;
    }
    long double x = num_value(a), y = num_value(b);
    return x < y ? -1 : x > y;
}

bool sc_json_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return sc_num_cmp(a, b) == 0;
    if (json_typeof(a) != json_typeof(b))
        return false;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!sc_json_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    case JSON_OBJECT:
        if (json_object_size(a) != json_object_size(b))
            return false;
        for (void *it = json_object_iter((json_t *)a); it; it = json_object_iter_next((json_t *)a, it)) {
            const json_t *other = json_object_getn(b, json_object_iter_key(it), json_object_iter_key_len(it));
            if (!other || !sc_json_equal(json_object_iter_value(it), other))
                return false;
        }
        return true;
    default:
        return true;   /* null, true, false: same type, same value */
    }
}

/* The shortest text of d that reads back as d: "%.*e" when sci, else "%.*g". */
static void shortest(double d, bool sci, char *buf, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        if (sci)
            snprintf(buf, size, "%.*e", prec - 1, d);
        else
            snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* |v| as mant * 10^exp with no trailing zeros in mant (mant 0 for zero): the decimal written,
 * for reals the shortest one that reads back the same. */
static void decimal_of(const json_t *v, uint64_t *mant, int *exp)
{
    *exp = 0;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        *mant = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    } else {
        char buf[40];
        shortest(fabs(json_real_value(v)), true, buf, sizeof buf);
        uint64_t m = 0;
        int digits_after_point = 0;
        bool after_point = false;
        const char *p = buf;
        for (; *p && *p != 'e'; p++) {
            if (*p == '.') {
                after_point = true;
            } else {
                m = m * 10 + (uint64_t)(*p - '0');
                digits_after_point += after_point;
            }
        }
        *mant = m;
        *exp = (*p == 'e' ? atoi(p + 1) : 0) - digits_after_point;
    }
    while (*mant && *mant % 10 == 0) {
        *mant /= 10;
        ++*exp;
    }
}

bool sc_multiple_of(const json_t *x, const json_t *m)
{
    uint64_t xm, mm;
    int xe, me;
    decimal_of(x, &xm, &xe);
    decimal_of(m, &mm, &me);
    if (xm == 0)
        return true;
    if (mm == 0 || xe < me)
        return false;   /* xm has no factor 10 left to cancel m's extra decimal places */
    /* x/m = xm * 10^(xe-me) / mm: an integer when mm divides xm * 10^(xe-me). */
    unsigned __int128 r = xm % mm;
    for (int i = 0; i < xe - me && r; i++)
        r = (r * 10) % mm;
    return r == 0;
}

void sc_num_print(pd_buf *b, const json_t *v)
{
    if (json_is_integer(v)) {
        pd_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    char buf[40];
    shortest(json_real_value(v), false, buf, sizeof buf);
    pd_buf_puts(b, buf);
}
