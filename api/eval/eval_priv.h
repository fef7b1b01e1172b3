/* eval_priv.h: what the eval module's files share: where decoded text came from (for
 * "FILE:LINE:" errors from JSON and YAML alike), the decoder's options, YAML documents, reasons. */
#ifndef PD_MODULE_eval
#error "eval/eval_priv.h is private to the eval module: include eval/eval.h"
#endif
#ifndef PD_EVAL_PRIV_H
#define PD_EVAL_PRIV_H

#include "eval.h"

#define EVAL_PATH_MAX 256
#define EVAL_FORMAT_NAME "promptdeck-tests"   /* tests.json's "format" */
#define EVAL_FORMAT_VERSION 1

/* ---- eval_src.c: where a document came from ---- */
typedef struct eval_yaml eval_yaml;

typedef struct eval_src {
    const char *where;           /* file name for messages ("tests.json") */
    const pd_json_src *json;     /* JSON text: lines by path through pd_json_path_line; or NULL */
    const eval_yaml *yaml;       /* a YAML document: lines from its nodes; or NULL */
} eval_src;

/* The 1-based line of the value at path ("tests[2].assert[0]"), or of the nearest enclosing
 * value found; 0 when unknown. */
int eval_src_line(const eval_src *src, const char *path);
/* PD_ERR_DAMAGED "WHERE:LINE: PATH: what" (the line left out when unknown, PATH when ""). -1. */
int eval_src_error(const eval_src *src, const char *path, pd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends "WHERE:LINE: PATH: what\n" to warnings (nothing when warnings is NULL). */
void eval_src_warn(const eval_src *src, const char *path, pd_buf *warnings, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* path + "." + key, or path + "[i]", into out (EVAL_PATH_MAX; cut when longer). */
void eval_path_key(char *out, const char *path, const char *key);
void eval_path_index(char *out, const char *path, size_t i);

/* ---- eval_codec.c: decoding ---- */
typedef struct eval_dec {
    const eval_src *src;
    pd_error *err;
    /* Importing promptfoo's tests: assertions promptdeck cannot run are skipped with a warning
     * (and unknown case members dropped, except "metadata"). false: tests.json, where they are
     * errors (and unknown members kept). */
    bool promptfoo;
    pd_buf *warnings;        /* may be NULL */
} eval_dec;

/* 0 decoded, 1 skipped (a warning was written), -1 error. */
int eval_decode_assertion(const eval_dec *d, json_t *j, const char *path, pd_eval_assertion *out);
/* 0 or -1. */
int eval_decode_case(const eval_dec *d, json_t *j, const char *path, pd_eval_case *out);
/* Checks and normalises a's value for its type (a list given as "a,b" becomes ["a","b"];
 * numbers become strings). what: NULL, or receives the problem (static string). */
bool eval_value_normalise(pd_eval_assertion *a, const char **what);

/* ---- eval_yaml.c ---- */
/* Parses YAML text (the first document) into *doc. Errors PD_ERR_DAMAGED "WHERE:LINE: what";
 * PD_ERR_LIMIT for alias bombs and nesting deeper than 64. */
int eval_yaml_load(const char *text, size_t len, const char *where, eval_yaml **doc, pd_error *err);
void eval_yaml_free(eval_yaml *doc);
/* The document as JSON (borrowed; lives as long as doc). Plain scalars resolve as js-yaml's
 * default schema does: null, true/false, integers, floats; everything else is a string. */
json_t *eval_yaml_json(const eval_yaml *doc);
/* Line of the node at path (see eval_src_line). */
int eval_yaml_path_line(const eval_yaml *doc, const char *path);
/* Text (a schema written as YAML or JSON) to JSON. New reference, or NULL with err. */
json_t *eval_yaml_parse_value(const char *text, size_t len, pd_error *err);

/* ---- eval_expected.c ---- */
/* Splits "a, \"b, c\",d" at commas outside double quotes ("" or \" inside quotes), trims each
 * item and drops empty ones. New array, or NULL with *what set. */
json_t *eval_split_list(const char *s, const char **what);

/* ---- eval_render.c ---- */
/* value (a string, or a list of them) with {{variables}} rendered from vars (lenient Mustache;
 * what does not render stays). Other values as they are. New reference (NULL for NULL). */
json_t *eval_render_value(const json_t *value, json_t *vars);

/* ---- eval_text.c ---- */
/* s lower-cased (Unicode simple mapping as C.UTF-8 defines it; bytes that are not UTF-8 kept). */
char *eval_lower(const char *s, size_t len, size_t *out_len);
/* Decodes s into code points (invalid bytes count as one each). *n gets the count; caller frees. */
uint32_t *eval_code_points(const char *s, size_t len, size_t *n);
/* 'text' for reasons: single-quoted, cut to max code points with "...", newlines as \n. */
void eval_quote(pd_buf *b, const char *s, size_t max);
bool eval_str_starts(const char *s, const char *prefix);

/* ---- checks (eval_assert_*.c) ---- */
/* The context a check runs in. */
typedef struct eval_ctx {
    const pd_eval_assertion *as;
    const char *expected;
    const pd_eval_answer *answer;
    const char *output;          /* never NULL */
    size_t output_len;
    pd_eval_judge_fn judge;
    void *ud;
    const pd_eval_case *c;
    size_t index;
} eval_ctx;

/* What a check found, before "not-" is applied. */
typedef enum { EVAL_HOLDS, EVAL_FAILS, EVAL_ERROR } eval_outcome;

typedef struct eval_finding {
    eval_outcome outcome;
    double score;            /* for EVAL_HOLDS / EVAL_FAILS from a judge: its score; else 1/0 */
    bool has_score;
    /* The claim, in three forms, with the value quoted: "contain 'Paris'", "contains 'Paris'",
     * "does not contain 'Paris'". The grader builds the reason from the right one. */
    pd_buf to, does, does_not;
    pd_buf detail;           /* appended after the claim: "; got 'London'" (may be empty) */
    pd_buf error;            /* EVAL_ERROR: the reason */
} eval_finding;

/* Sets the three forms: verb phrases like ("contain", "contains", "does not contain"), then
 * the argument appended to each by the caller with eval_claim_arg. */
void eval_claim(eval_finding *f, const char *to, const char *does, const char *does_not);
void eval_claim_arg(eval_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void eval_claim_quote(eval_finding *f, const char *s);
eval_outcome eval_error(eval_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef eval_outcome (*eval_check_fn)(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_equals(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_contains(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_contains_list(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_starts_with(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_regex(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_levenshtein(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_is_json(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_contains_json(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_tools_call(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_latency(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_cost(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_finish_reason(const eval_ctx *x, eval_finding *f);
eval_outcome eval_check_llm_rubric(const eval_ctx *x, eval_finding *f);

/* The first JSON object or array found in text at or after *pos (as promptfoo's contains-json
 * looks): *start and *end its bytes. New reference, or NULL when none is left. */
json_t *eval_json_in_text(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

#endif
