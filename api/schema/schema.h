/* schema.h: JSON Schema (draft 2020-12) validation of jansson values.
 *
 *   schema.h           this interface
 *   schema_priv.h      the compiled form (nodes, resources, anchors) shared by the files below
 *   schema.c           compile: walk the schema, build a node per subschema, resolve references
 *   schema_keywords.c  compile: read each keyword's value into its node, refusing bad values
 *   schema_registry.c  documents references may point to: added by URI, or found under a folder
 *   schema_uri.c       URI references (RFC 3986 resolution) and JSON pointers in fragments
 *   schema_validate.c  validate: the evaluation loop, applicators, annotations for unevaluated*
 *   schema_assert.c    validate: the assertion keywords (type, numbers, strings, arrays, objects)
 *   schema_equal.c     JSON equality as the spec defines it (1 == 1.0), type names, multipleOf
 *   schema_format.c    "format" checks (date-time, email, ipv6, uri ...), when formats assert
 *   schema_regex.c     "pattern" as ECMA-262 means it, through PCRE2
 *
 * Hand-written: no maintained C JSON Schema validator is packaged in Debian (the packaged ones
 * are for Python, Perl, Ruby, PHP, Go and Node). It is checked against the official
 * JSON-Schema-Test-Suite (Debian's libtest-json-schema-acceptance-perl): tests/unit/
 * test_schema_suite.c lists the files it passes whole and the cases it knows it fails.
 *
 * What it does: every 2020-12 keyword of the core, applicator, unevaluated and validation
 * vocabularies, boolean schemas, $id/$anchor/$ref with base-URI changes, JSON-pointer
 * fragments (~0 ~1 and %-escapes), $dynamicRef/$dynamicAnchor, and $vocabulary of a meta-schema
 * found in the registry (a $schema the registry does not have is read as 2020-12; one naming
 * 2019-09 or draft-07 also takes "items" as an array and "additionalItems"; "dependencies" is
 * read in any draft). "format" is an annotation unless asked to assert (option, or a
 * meta-schema with the format-assertion vocabulary); idn-hostname then checks only lengths and
 * hyphens (no IDNA tables). References to other documents resolve only through a registry the
 * caller fills: nothing is ever fetched from the network. */
#ifndef PD_SCHEMA_H
#define PD_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

#include "base/base.h"

/* A compiled schema: immutable once compiled, so one may be used from several threads. */
typedef struct pd_schema pd_schema;

/* Documents that $ref and $schema may name besides the schema itself. */
typedef struct pd_schema_registry pd_schema_registry;

/* An empty registry; free with pd_schema_registry_free (after the schemas compiled with it
 * or not: compiled schemas keep their own references to what they use). */
pd_schema_registry *pd_schema_registry_new(void);
void pd_schema_registry_free(pd_schema_registry *r);
/* The document doc answers for uri (absolute, no fragment). The registry keeps a reference
 * (json_incref); doc must not be changed afterwards. */
void pd_schema_registry_add(pd_schema_registry *r, const char *uri, json_t *doc);
/* Every URI that starts with prefix is looked for as a file under dir: prefix + "a/b.json" is
 * dir/a/b.json, read when a schema first refers to it. (The test suite's remotes folder is
 * registered as http://localhost:1234/.) */
void pd_schema_registry_add_dir(pd_schema_registry *r, const char *prefix, const char *dir);

typedef struct pd_schema_options {
    const pd_schema_registry *registry;  /* NULL: references to other documents fail */
    bool assert_format;                  /* "format" fails values that are not of the format */
    const char *base_uri;                /* the schema's own URI when it has no $id (or NULL) */
} pd_schema_options;

/* Compiles schema (an object or a boolean). The schema is kept by reference (json_incref) and
 * must not be changed while the result lives. A schema that is not valid gives
 * PD_ERR_INVALID_REQUEST saying where: "schema at #/properties/age/minimum: expected a number";
 * so does a $ref that does not resolve (PD_ERR_LIMIT: subschemas nested over 256 deep). On
 * success *out is the caller's: free with pd_schema_free. */
int pd_schema_compile(const json_t *schema, pd_schema **out, pd_error *err);
/* The same with options (NULL: no registry, formats annotate). */
int pd_schema_compile_with(const json_t *schema, const pd_schema_options *opts, pd_schema **out,
                           pd_error *err);
void pd_schema_free(pd_schema *s);

/* True when instance is valid. When it is not and reason is not NULL, the first failure found
 * is appended to reason, with where it is in the instance (a JSON pointer) and the keyword:
 * "at /items/2: expected integer, got string (type)". */
bool pd_schema_validate(const pd_schema *s, const json_t *instance, pd_buf *reason);

#endif
