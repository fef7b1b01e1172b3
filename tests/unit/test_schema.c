/* test_schema.c: api/schema's words: the reasons a value fails (where and which keyword), the
 * errors for schemas that are not valid, references through a registry, formats, loops. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "schema/schema.h"
#include "t.h"

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!v)
        printf("#   bad test JSON: %s: %s\n", text, jerr.text);
    return v;
}

/* The reason instance fails schema ("" when it passes; "compile: ..." when the schema fails). */
static char *reason_with(const char *schema, const char *instance, const pd_schema_options *opts)
{
    json_t *sj = parse(schema), *ij = parse(instance);
    pd_schema *s = NULL;
    pd_error err = {0};
    pd_buf out = PD_BUF_INIT;
    if (pd_schema_compile_with(sj, opts, &s, &err) != 0) {
        pd_buf_printf(&out, "compile: %s", err.msg);
    } else if (pd_schema_validate(s, ij, &out)) {
        if (out.len)
            pd_buf_puts(&out, " (but it passed)");
    } else if (!out.len) {
        pd_buf_puts(&out, "(failed without a reason)");
    }
    pd_schema_free(s);
    json_decref(sj);
    json_decref(ij);
    return pd_buf_take(&out);
}

static char *reason(const char *schema, const char *instance)
{
    return reason_with(schema, instance, NULL);
}

#define CHECK_REASON(schema, instance, expected)                                         \
    do {                                                                                 \
        char *r_ = reason(schema, instance);                                             \
        CHECK_STR(r_, expected);                                                         \
        free(r_);                                                                        \
    } while (0)

static void test_reason_names_place_and_keyword(void)
{
    const char *schema = "{\"type\": \"object\", \"properties\": {\"items\": {\"type\": \"array\","
                         " \"items\": {\"type\": \"integer\"}}}}";
    CHECK_REASON(schema, "{\"items\": [1, 2, \"x\"]}", "at /items/2: expected integer, got string (type)");
    CHECK_REASON(schema, "[]", "at (root): expected object, got array (type)");
    CHECK_REASON(schema, "{\"items\": [1, 2.0, 3]}", "");
    CHECK_REASON("{\"type\": [\"string\", \"null\"]}", "1.5", "at (root): expected null or string, got number (type)");
}

static void test_reason_escapes_pointer(void)
{
    CHECK_REASON("{\"additionalProperties\": {\"type\": \"string\"}}", "{\"a/b~c\": 1}",
                 "at /a~1b~0c: expected string, got integer (type)");
}

static void test_reason_per_keyword(void)
{
    CHECK_REASON("{\"required\": [\"name\"]}", "{}", "at (root): missing the required property \"name\"");
    CHECK_REASON("{\"properties\": {\"a\": true}, \"additionalProperties\": false}", "{\"a\": 1, \"extra\": 2}",
                 "at /extra: property not allowed (additionalProperties is false)");
    CHECK_REASON("{\"properties\": {\"age\": {\"minimum\": 0}}}", "{\"age\": -1}", "at /age: -1 is less than 0 (minimum)");
    CHECK_REASON("{\"exclusiveMaximum\": 10}", "10", "at (root): 10 is not less than 10 (exclusiveMaximum)");
    CHECK_REASON("{\"maxLength\": 4}", "\"h\\u00e9llo\"", "at (root): string is 5 characters long, longer than maxLength 4");
    CHECK_REASON("{\"maxLength\": 5}", "\"h\\u00e9llo\"", "");
    CHECK_REASON("{\"pattern\": \"^\\\\d+$\"}", "\"12a\"", "at (root): string does not match the pattern \"^\\d+$\"");
    CHECK_REASON("{\"enum\": [\"red\", \"green\"]}", "\"blue\"", "at (root): not one of [\"red\",\"green\"] (enum)");
    CHECK_REASON("{\"const\": {\"a\": 1}}", "{\"a\": 1.0}", "");
    CHECK_REASON("{\"const\": 3}", "4", "at (root): expected 3 (const)");
    CHECK_REASON("{\"uniqueItems\": true}", "[1, 2, 1.0]", "at (root): items 0 and 2 are equal (uniqueItems)");
    CHECK_REASON("{\"minItems\": 2}", "[1]", "at (root): array has 1 items, fewer than minItems 2");
    CHECK_REASON("{\"dependentRequired\": {\"card\": [\"address\"]}}", "{\"card\": 1}",
                 "at (root): missing the property \"address\", required when \"card\" is there (dependentRequired)");
    CHECK_REASON("{\"contains\": {\"type\": \"string\"}}", "[1, 2]", "at (root): no item matches the schema in contains");
    CHECK_REASON("{\"not\": {\"type\": \"string\"}}", "\"s\"", "at (root): matches the schema in not");
    CHECK_REASON("{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 0}]}", "3",
                 "at (root): matches schemas 0 and 1 of oneOf, expected exactly one");
    CHECK_REASON("{\"anyOf\": [{\"type\": \"integer\"}, {\"type\": \"null\"}]}", "\"s\"",
                 "at (root): matches none of the 2 schemas in anyOf (the first: at (root): expected integer, got string (type))");
    CHECK_REASON("{\"prefixItems\": [true], \"items\": false}", "[1, 2]", "at /1: item not allowed (items is false)");
    CHECK_REASON("{\"unevaluatedProperties\": false, \"allOf\": [{\"properties\": {\"a\": true}}]}",
                 "{\"a\": 1, \"b\": 2}", "at /b: property not allowed (unevaluatedProperties is false)");
    CHECK_REASON("false", "1", "at (root): no value is allowed here (the schema # is false)");
}

/* multipleOf works on the decimals written, so 19.99 is a multiple of 0.01 (floating-point
 * division says 1998.9999999999998). */
static void test_multiple_of_is_decimal(void)
{
    CHECK_REASON("{\"multipleOf\": 0.01}", "19.99", "");
    CHECK_REASON("{\"multipleOf\": 0.01}", "19.991", "at (root): 19.991 is not a multiple of 0.01 (multipleOf)");
    CHECK_REASON("{\"multipleOf\": 3}", "1e20", "at (root): 1e+20 is not a multiple of 3 (multipleOf)");
    CHECK_REASON("{\"multipleOf\": 0.5}", "1e308", "");
}

static void test_strings_with_nul(void)
{
    CHECK_REASON("{\"const\": \"a\\u0000b\"}", "\"a\\u0000b\"", "");
    CHECK_REASON("{\"const\": \"a\\u0000b\"}", "\"a\\u0000c\"", "at (root): expected \"a\\u0000b\" (const)");
    CHECK_REASON("{\"maxLength\": 3}", "\"a\\u0000b\"", "");
}

static void test_compile_errors_say_where(void)
{
    CHECK_REASON("{\"type\": \"strin\"}", "1",
                 "compile: schema at #/type: type must name a JSON Schema type (null, boolean, object, array, "
                 "number, string, integer)");
    CHECK_REASON("{\"properties\": {\"a\": {\"minimum\": \"x\"}}}", "1",
                 "compile: schema at #/properties/a/minimum: minimum must be a number");
    CHECK_REASON("{\"items\": 3}", "1", "compile: schema at #/items: a schema must be an object or a boolean, not integer");
    CHECK_REASON("{\"required\": [\"a\", \"a\"]}", "1",
                 "compile: schema at #/required: required must be an array of distinct property names");
    CHECK_REASON("{\"allOf\": []}", "1", "compile: schema at #/allOf: allOf must be a non-empty array of schemas");
    CHECK_REASON("{\"multipleOf\": 0}", "1", "compile: schema at #/multipleOf: multipleOf must be greater than 0");
    CHECK_REASON("{\"minLength\": -1}", "1", "compile: schema at #/minLength: minLength must be a non-negative integer");
    CHECK_REASON("{\"$anchor\": \"1x\"}", "1",
                 "compile: schema at #: $anchor must be a name (a letter or _, then letters, digits, '-', '_', '.')");
    CHECK_REASON("{\"$id\": \"http://x.test/a#frag\"}", "1",
                 "compile: schema at #: $id \"http://x.test/a#frag\" has a fragment: name places with $anchor");
    char *r = reason("{\"pattern\": \"(\"}", "1");
    CHECK(strncmp(r, "compile: schema at #/pattern: not a regular expression: ", 56) == 0);
    free(r);
    r = reason("{\"patternProperties\": {\"a[\": true}}", "1");
    CHECK(strncmp(r, "compile: schema at #/patternProperties/a[: not a regular expression: ", 69) == 0);
    free(r);
}

static void test_unresolved_refs(void)
{
    CHECK_REASON("{\"$defs\": {\"a\": true}, \"$ref\": \"#/$defs/b\"}", "1",
                 "compile: schema at #/$ref: \"#/$defs/b\" does not resolve: nothing at /$defs/b");
    CHECK_REASON("{\"$ref\": \"#nope\"}", "1", "compile: schema at #/$ref: \"#nope\" does not resolve: no anchor \"nope\" there");
    CHECK_REASON("{\"properties\": {\"a\": {\"$ref\": \"http://example.test/s.json\"}}}", "1",
                 "compile: schema at #/properties/a/$ref: \"http://example.test/s.json\" does not resolve: no schema here "
                 "has the URI http://example.test/s.json, and other documents are read only from a registry");
}

static void test_refs_through_registry(void)
{
    pd_schema_registry *reg = pd_schema_registry_new();
    json_t *doc = parse("{\"$defs\": {\"pos\": {\"type\": \"integer\", \"minimum\": 1}}}");
    pd_schema_registry_add(reg, "http://example.test/defs.json", doc);
    json_decref(doc);
    pd_schema_options opts = {reg, false, NULL};
    const char *schema = "{\"items\": {\"$ref\": \"http://example.test/defs.json#/$defs/pos\"}}";
    char *r = reason_with(schema, "[1, 0]", &opts);
    CHECK_STR(r, "at /1: 0 is less than 1 (minimum)");
    free(r);
    /* a relative reference against the base given */
    pd_schema_options based = {reg, false, "http://example.test/main.json"};
    r = reason_with("{\"$ref\": \"defs.json#/$defs/pos\"}", "\"x\"", &based);
    CHECK_STR(r, "at (root): expected integer, got string (type)");
    free(r);
    pd_schema_registry_free(reg);
}

static void test_ref_loop_fails_instead_of_hanging(void)
{
    char *r = reason("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}", "1");
    CHECK(strstr(r, "a $ref loop") != NULL);
    free(r);
    /* a recursive schema on a recursive value is no loop */
    CHECK_REASON("{\"properties\": {\"next\": {\"$ref\": \"#\"}}, \"required\": [\"v\"]}",
                 "{\"v\": 1, \"next\": {\"v\": 2, \"next\": {}}}", "at /next/next: missing the required property \"v\"");
}

/* A value as deep as jansson parses, through a recursive schema; a schema nested past the limit. */
static void test_depth(void)
{
    pd_buf deep = PD_BUF_INIT;
    for (int i = 0; i < 2000; i++)
        pd_buf_putc(&deep, '[');
    for (int i = 0; i < 2000; i++)
        pd_buf_putc(&deep, ']');
    CHECK_REASON("{\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}", pd_buf_str(&deep), "");
    pd_buf_reset(&deep);
    for (int i = 0; i < 300; i++)
        pd_buf_puts(&deep, "{\"items\": ");
    pd_buf_puts(&deep, "true");
    for (int i = 0; i < 300; i++)
        pd_buf_putc(&deep, '}');
    json_t *sj = parse(pd_buf_str(&deep));
    pd_schema *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_schema_compile(sj, &s, &err), -1);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK(strstr(err.msg, "nest more than 256 deep") != NULL);
    json_decref(sj);
    pd_buf_free(&deep);
}

static void test_format_annotates_unless_asked(void)
{
    CHECK_REASON("{\"format\": \"email\"}", "\"not an email\"", "");
    pd_schema_options opts = {NULL, true, NULL};
    char *r = reason_with("{\"format\": \"email\"}", "\"not an email\"", &opts);
    CHECK_STR(r, "at (root): \"not an email\" is not a valid email (format)");
    free(r);
    r = reason_with("{\"format\": \"date\"}", "\"2024-02-30\"", &opts);
    CHECK_STR(r, "at (root): \"2024-02-30\" is not a valid date (format)");
    free(r);
    r = reason_with("{\"format\": \"date-time\"}", "\"2024-02-29T12:00:00Z\"", &opts);
    CHECK_STR(r, "");
    free(r);
}

static void test_pattern_is_ecmascript(void)
{
    CHECK_REASON("{\"pattern\": \"^\\\\w+$\"}", "\"caf\\u00e9\"", "at (root): string does not match the pattern \"^\\w+$\"");
    CHECK_REASON("{\"pattern\": \"^\\\\s$\"}", "\"\\u00a0\"", "");
    CHECK_REASON("{\"pattern\": \"^(?=.*\\\\d)\\\\S+$\"}", "\"abc1\"", "");
    CHECK_REASON("{\"pattern\": \"^\\\\p{Letter}+$\"}", "\"\\u00e9t\\u00e9\"", "");
    char *r = reason("{\"pattern\": \"\\\\a\"}", "1");
    CHECK(strncmp(r, "compile: schema at #/pattern: not a regular expression", 54) == 0);
    free(r);
}

int main(void)
{
    RUN(test_reason_names_place_and_keyword);
    RUN(test_reason_escapes_pointer);
    RUN(test_reason_per_keyword);
    RUN(test_multiple_of_is_decimal);
    RUN(test_strings_with_nul);
    RUN(test_compile_errors_say_where);
    RUN(test_unresolved_refs);
    RUN(test_refs_through_registry);
    RUN(test_ref_loop_fails_instead_of_hanging);
    RUN(test_depth);
    RUN(test_format_annotates_unless_asked);
    RUN(test_pattern_is_ecmascript);
    T_DONE();
}
