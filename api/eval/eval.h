/* eval.h: a prompt's test cases (kept in the library beside it), promptfoo's assertions graded
 * against an answer, and importing promptfoo's test files (YAML, JSON, CSV).
 *
 *   eval_priv.h         what the module's files share (not for other modules)
 *   eval_types.c        assertion type names ("contains", "not-regex" ...) and their table
 *   eval_cases.c        cases and suites in memory: lifetime, copies, adding, a case from a run
 *   eval_codec.c        a case and its assertions from JSON (errors name file, line and field)
 *                       and back (stable key order)
 *   eval_file.c         DIR/prompts/<slug>/tests.json: path, load (a git conflict in it read as
 *                       both sides' cases), atomic save, add cases under the library's lock
 *   eval_src.c          where decoded text came from: "FILE:LINE: field: what" for JSON and YAML
 *   eval_yaml.c         YAML to JSON with libyaml, keeping each node's line for errors
 *   eval_import.c       promptfoo's tests: a list of cases or a config with `tests:` and
 *                       `defaultTest`, from .yaml/.yml/.json files (file:// references followed)
 *   eval_expected.c     promptfoo's assertion strings ("contains: Paris", "levenshtein(5):x")
 *                       and comma-separated value lists
 *   eval_csv.c          RFC 4180 CSV: one column per variable, __expected[N], __description ...
 *   eval_grade.c        grading a case: not- prefix, weights, the case's threshold, reasons
 *   eval_render.c       {{variables}} in assertion values, rendered from the case's vars
 *   eval_assert_text.c  equals, contains*, icontains*, starts-with, regex (PCRE2), levenshtein
 *   eval_assert_json.c  is-json, contains-json (JSON Schema through api/schema), tool calls
 *   eval_assert_meta.c  latency, cost, finish-reason, llm-rubric (verdict from a judge callback)
 *   eval_text.c         Unicode lower-casing (C.UTF-8) and code points for text comparisons
 *   eval_runner.c       the runner: cases x columns (version x model), concurrent non-blocking
 *                       runs in the caller's poll loop, llm-rubric judges, results as JSON
 *   eval_cache.c        the response cache ($XDG_CACHE_HOME/promptdeck/responses, SHA-256 keys)
 *   eval_kept.c         results kept outside the library, listing them, comparing two
 *
 * The file a team reviews (DIR/prompts/<slug>/tests.json, pretty JSON, stable key order, one
 * case per block):
 *
 *   {
 *     "format": "promptdeck-tests",
 *     "format_version": 1,
 *     "cases": [
 *       {
 *         "description": "capital of France",
 *         "vars": {"country": "France", "history": [{"role": "user", "content": "hi"}]},
 *         "assert": [
 *           {"type": "icontains", "value": "paris"},
 *           {"type": "not-contains", "value": "London", "weight": 2},
 *           {"type": "levenshtein", "threshold": 10}
 *         ],
 *         "threshold": 0.5,
 *         "expected": "Paris is the capital of France."
 *       }
 *     ]
 *   }
 *
 * Assertions carry promptfoo's names and meaning; every type takes the "not-" prefix; values may
 * name the case's variables ("{{reference}}", rendered before checking). "expected"
 * is the case's reference answer (e.g. a run kept as a test case): `equals` and `levenshtein`
 * without a value compare against it; it grades nothing on its own. Members this module does
 * not know (promptfoo's "metadata", an assertion's "provider" ...) are kept and written back. */
#ifndef PD_EVAL_H
#define PD_EVAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "model/model.h"
#include "net/net.h"
#include "store/store.h"

/* ---- assertions ---- */
typedef enum pd_eval_type {
    PD_EVAL_EQUALS,          /* output == value (an object/array value: output parsed as JSON, deep-equal) */
    PD_EVAL_CONTAINS,        /* value is a substring */
    PD_EVAL_ICONTAINS,       /* ... ignoring case (Unicode lower case) */
    PD_EVAL_CONTAINS_ANY,    /* one of a list is a substring */
    PD_EVAL_CONTAINS_ALL,    /* every one of a list is */
    PD_EVAL_ICONTAINS_ANY,
    PD_EVAL_ICONTAINS_ALL,
    PD_EVAL_STARTS_WITH,
    PD_EVAL_REGEX,           /* JavaScript-like regular expression (PCRE2, UTF) found in the output */
    PD_EVAL_IS_JSON,         /* the output is JSON; value: optional JSON Schema */
    PD_EVAL_CONTAINS_JSON,   /* a JSON object or array inside the text; value: optional schema */
    PD_EVAL_LEVENSHTEIN,     /* edit distance (code points) to value <= threshold (default 5) */
    PD_EVAL_LATENCY,         /* latency_ms <= threshold */
    PD_EVAL_COST,            /* cost <= threshold */
    PD_EVAL_FINISH_REASON,   /* finish reason == value, ignoring case */
    PD_EVAL_TOOLS_CALL,      /* is-valid-openai-tools-call: at least one tool call; each names a
                                tool of the answer's tools, arguments valid against its
                                parameters schema; value (optional): a name, or list of names,
                                that must be among the calls */
    PD_EVAL_LLM_RUBRIC,      /* a judge decides whether the output meets value (the rubric) */
    PD_EVAL_N_TYPES
} pd_eval_type;

typedef struct pd_eval_assertion {
    pd_eval_type type;
    bool negate;             /* written "not-<type>": the check's result is inverted */
    /* contains-any/-all/icontains-any/-all: an array of strings; equals: a string or any JSON;
     * is-json/contains-json: a schema object or boolean, a string holding one (JSON or YAML), or
     * NULL; tools call: NULL, a string or an array of strings; otherwise a string or NULL. */
    json_t *value;
    bool has_threshold;
    double threshold;        /* levenshtein: max distance; latency: ms; cost; llm-rubric: min score */
    bool has_weight;
    double weight;           /* default 1; 0: graded and shown, but counts for nothing */
    char *metric;            /* promptfoo's named metric, kept; NULL when none */
    json_t *extra;           /* other members, kept in order (object), or NULL */
} pd_eval_assertion;

/* The type's name without "not-" ("contains", "icontains-any" ...): a static string. */
const char *pd_eval_type_name(pd_eval_type t);
/* Writes the assertion's full type ("not-regex") into out (at least 48 bytes). Returns out. */
const char *pd_eval_assertion_type(const pd_eval_assertion *a, char *out, size_t size);
/* Parses a full type name ("not-contains-all"; the aliases is-valid-function-call and
 * is-valid-openai-function-call name PD_EVAL_TOOLS_CALL). false when promptdeck has no such
 * assertion. */
bool pd_eval_type_parse(const char *name, pd_eval_type *type, bool *negate);
/* Every type's name, comma separated, for messages. Static string. */
const char *pd_eval_type_list(void);

/* promptfoo's one-line assertion form (CSV __expected columns): "contains: Paris",
 * "not-icontains:x", "levenshtein(5):text", "latency(1000)", "contains-any:a,\"b, c\"",
 * "grade:rubric" / "llm-rubric:rubric", "is-json" ...; text without a known type prefix is
 * `equals` with the whole text. Values are trimmed (not for is-json/contains-json); list values
 * split at commas outside double quotes. PD_ERR_INVALID_REQUEST for types promptdeck does not
 * run (javascript, python, similar ...), saying which. Caller clears *out. */
int pd_eval_assertion_from_string(const char *s, pd_eval_assertion *out, pd_error *err);

void pd_eval_assertion_clear(pd_eval_assertion *a);
void pd_eval_assertion_copy(pd_eval_assertion *dst, const pd_eval_assertion *src);

/* ---- cases and suites ---- */
typedef struct pd_eval_case {
    char *description;       /* NULL when none (results then name the case by its index) */
    json_t *vars;            /* object name -> string, or any JSON (a placeholder's message list,
                                a section's list); never NULL once decoded or initialised */
    pd_eval_assertion *asserts;
    size_t n_asserts;
    bool has_threshold;      /* set: passes when the weighted score >= threshold; unset: when
                                every assertion that counts passes */
    double threshold;
    char *expected;          /* reference answer, or NULL */
    json_t *extra;           /* other members kept in order (promptfoo's "metadata" ...), or NULL */
} pd_eval_case;

typedef struct pd_eval_suite {
    pd_eval_case *cases;
    size_t n;
    bool conflicted;     /* read from a file git left conflict markers in (pd_eval_suite_load) */
} pd_eval_suite;

/* An empty case: vars = {}. */
void pd_eval_case_init(pd_eval_case *c);
void pd_eval_case_clear(pd_eval_case *c);
void pd_eval_case_copy(pd_eval_case *dst, const pd_eval_case *src);
/* Appends a (the case takes ownership of its members; a is left empty). */
void pd_eval_case_add_assertion(pd_eval_case *c, pd_eval_assertion *a);
void pd_eval_suite_clear(pd_eval_suite *s);
/* Appends c to s, taking its members (c is left empty). Returns the new case's index. */
size_t pd_eval_suite_add(pd_eval_suite *s, pd_eval_case *c);
/* Removes case i (no-op when out of range). */
void pd_eval_suite_remove(pd_eval_suite *s, size_t i);

/* "Keep this run as a test case": vars = the run's variables, expected = its answer, no
 * assertions, no description (the caller may set one). Caller clears *out. */
void pd_eval_case_from_run(const pd_run_record *r, pd_eval_case *out);
/* The case's name in results: its description, else "#<index + 1>". Into out; returns out. */
const char *pd_eval_case_name(const pd_eval_case *c, size_t index, char *out, size_t size);

/* ---- JSON ---- (New references; the caller decrefs.) */
json_t *pd_eval_assertion_to_json(const pd_eval_assertion *a);
json_t *pd_eval_case_to_json(const pd_eval_case *c);
/* The whole file: {"format", "format_version", "cases"}. */
json_t *pd_eval_suite_to_json(const pd_eval_suite *s);
/* Decodes a case; errors are PD_ERR_DAMAGED "WHERE:LINE: cases[2].assert[0].type: what" with
 * the line found from src's text (src may be NULL). path: where j is in the document ("" = root). */
int pd_eval_case_decode(json_t *j, const pd_json_src *src, const char *path, pd_eval_case *out,
                        pd_error *err);
/* Decodes the whole file's JSON (the format above) into out (out is set only on success). */
int pd_eval_suite_decode(json_t *j, const pd_json_src *src, pd_eval_suite *out, pd_error *err);

/* ---- the file beside the prompt ---- */
/* DIR/prompts/<slug>/tests.json (DIR = pd_store_dir() of the library). Caller frees. */
char *pd_eval_tests_path(const char *library_dir, const char *slug);
/* Reads a tests file. A missing file is an empty suite (not an error); a damaged one is
 * PD_ERR_DAMAGED "PATH:LINE: field: what". A file git left conflict markers in (two clones
 * added cases) reads as the union of both sides' cases: ours, then theirs that ours does not
 * hold; out->conflicted says so (callers tell the user). out is set only on success; caller
 * clears. */
int pd_eval_suite_load(const char *path, pd_eval_suite *out, pd_error *err);
/* Writes the suite (pretty JSON, trailing newline) atomically; creates the folder when missing. */
int pd_eval_suite_save(const char *path, const pd_eval_suite *s, pd_error *err);
/* Adds add's cases (taking them: add is left empty) to the end of slug's tests.json, under the
 * library's lock (two processes adding at once keep both); a conflicted file is written
 * merged. *index (may be NULL) gets the first added case's index. */
int pd_eval_suite_append_file(pd_store *store, const char *slug, pd_eval_suite *add, size_t *index, pd_error *err);
/* A pd_store_settle_fn (pd_store_set_settle): a tests.json git left conflict markers in is
 * written back as both sides' cases (1); any other file, or one without a conflict: 0. */
int pd_eval_tests_settle(void *ud, const char *path, pd_error *err);

/* ---- importing promptfoo's tests ---- */
/* Appends the cases of a promptfoo test file to out: .yaml/.yml/.json hold a list of
 * {description, vars, assert, threshold, metadata} or a config with `tests:` (a list, whose
 * items may be "file://..." references to more YAML/JSON/CSV files, resolved beside the file)
 * and `defaultTest` (its vars under each case's, its asserts before each case's, its
 * threshold when a case has none); .csv see below. Assertions promptdeck cannot run
 * (javascript, python, similar, assert-set, a `transform` ...) are skipped, each with a line
 * "FILE:LINE: what" in warnings (may be NULL). On error out is unchanged; errors are
 * PD_ERR_DAMAGED "FILE:LINE: what" (PD_ERR_NOT_FOUND / PD_ERR_IO for the file itself). */
int pd_eval_import_file(const char *path, pd_eval_suite *out, pd_buf *warnings, pd_error *err);
/* Cases for a run over a file the user names (`eval --tests FILE`): a promptdeck tests file (JSON
 * whose "format" is "promptdeck-tests", read as pd_eval_suite_load does), else promptfoo's tests
 * as pd_eval_import_file reads them. Appends to out; on error out is unchanged. */
int pd_eval_tests_read(const char *path, pd_eval_suite *out, pd_buf *warnings, pd_error *err);
/* The same from YAML (or JSON) text; where names it in messages, base_dir resolves file://
 * references (NULL: the current directory). */
int pd_eval_import_yaml(const char *text, size_t len, const char *where, const char *base_dir,
                        pd_eval_suite *out, pd_buf *warnings, pd_error *err);
/* CSV (RFC 4180: commas, "quoted" fields with "" inside and line breaks, CRLF or LF, a UTF-8
 * BOM skipped), first row the header: each column a variable, except __expected, __expected1,
 * __expected2 ... (an assertion each, in promptfoo's one-line form; empty cells skipped),
 * __description, __threshold, __metadata:<key> (kept in the case's "metadata"); other __
 * columns (__prefix, __suffix, __metric, __config:...) are reported in warnings and ignored. */
int pd_eval_import_csv(const char *text, size_t len, const char *where, pd_eval_suite *out,
                       pd_buf *warnings, pd_error *err);

/* ---- grading ---- */
/* What an assertion sees. Every pointer is borrowed (the caller keeps it alive while grading). */
typedef struct pd_eval_answer {
    const char *output;               /* the answer text; NULL = "" */
    const char *finish_reason;        /* stop, length, tool_calls ...; NULL when unknown */
    double latency_ms;                /* < 0 when unknown (e.g. answered from a cache) */
    long input_tokens, output_tokens; /* -1 when unknown */
    double cost;                      /* < 0 when unknown */
    /* The tool calls the answer asked for, as a run record keeps them: [{"id", "name",
     * "arguments"}], arguments the JSON value, or its text (a string) when it did not parse;
     * NULL when none. */
    const json_t *tool_calls;
    /* The tools the request offered (pd_settings.tools: an array of {"type": "function",
     * "function": {name, parameters}} or {name, parameters|input_schema}); NULL when none. */
    const json_t *tools;
} pd_eval_answer;

/* Fills a from a run record: output, finish reason, latency = total_ms (unknown when 0 or
 * less), tokens, cost, tool calls, and tools = the record's settings.tools. Pointers into r; an
 * answer served from a cache should then set latency_ms = -1. */
void pd_eval_answer_from_run(pd_eval_answer *a, const pd_run_record *r);

/* A judge's answer for an llm-rubric assertion. */
typedef struct pd_eval_verdict {
    bool pass;
    double score;            /* 0..1 */
    char *reason;            /* malloc'd; taken by the grader (may be NULL) */
} pd_eval_verdict;

/* Supplies the verdict for assertion c->asserts[index] (an llm-rubric): the runner runs the judge
 * prompt with the rubric (pd_eval_rubric(a, c->vars, buf)) and the answer's output, then parses the judge's
 * reply with pd_eval_verdict_parse. Returns 0 with *out filled, or -1 with err set (the
 * assertion's result is then an error carrying err's message). */
typedef int (*pd_eval_judge_fn)(void *ud, const pd_eval_case *c, size_t index, const pd_eval_answer *a,
                                pd_eval_verdict *out, pd_error *err);

/* The rubric text of an llm-rubric assertion into out: its value with {{variables}} rendered from
 * vars (the case's; may be NULL), an object value as compact JSON. NULL for other types. */
const char *pd_eval_rubric(const pd_eval_assertion *a, json_t *vars, pd_buf *out);
/* True when the case has an llm-rubric assertion (it needs judge runs before grading). */
bool pd_eval_case_needs_judge(const pd_eval_case *c);
/* Reads a judge's reply: a JSON object {"pass": bool, "score": number, "reason": string} alone
 * or inside other text (a code fence); score defaults to pass ? 1 : 0, pass to score >= 0.5.
 * PD_ERR_PARSE when there is none. Caller frees out->reason. */
int pd_eval_verdict_parse(const char *reply, pd_eval_verdict *out, pd_error *err);

/* One assertion's result. */
typedef struct pd_eval_check {
    bool pass;
    double score;            /* 0..1 (1 passed, 0 failed, or the judge's score) */
    bool error;              /* could not be checked (bad regex or schema, latency unknown, the
                                judge failed ...): pass is false and reason says why */
    bool counts;             /* weight > 0: part of the case's pass and score */
    double weight;
    char *reason;            /* always set: "contains 'Paris'", "expected to contain 'Paris'" */
} pd_eval_check;

/* A graded case. */
typedef struct pd_eval_result {
    bool pass;
    double score;            /* weighted mean of the scores of the assertions that count; 1 with none */
    char *reason;            /* "all assertions passed", the first failure's reason, or
                                "score 0.33 < threshold 0.50" */
    size_t n_failed;         /* assertions that count and failed (errors included) */
    size_t n_errors;
    pd_eval_check *checks;   /* one per assertion, same order */
    size_t n_checks;
} pd_eval_result;

/* Checks one assertion. expected: the case's reference answer (may be NULL). judge may be NULL
 * (an llm-rubric is then an error "no judge"); c (may be NULL) and index are handed to it.
 * Caller frees out->reason (pd_eval_check_clear). */
void pd_eval_check_one(const pd_eval_assertion *as, const char *expected, const pd_eval_answer *a,
                       pd_eval_judge_fn judge, void *ud, const pd_eval_case *c, size_t index,
                       pd_eval_check *out);
void pd_eval_check_clear(pd_eval_check *r);
/* Grades a case against an answer (see promptfoo: weights, threshold, weight 0). Caller clears. */
void pd_eval_grade(const pd_eval_case *c, const pd_eval_answer *a, pd_eval_judge_fn judge, void *ud,
                   pd_eval_result *out);
void pd_eval_result_clear(pd_eval_result *r);
/* [{"type": "not-contains", "pass": true, "reason": "..."}] (plus "error": true on errors) for a
 * graded case. New reference. */
json_t *pd_eval_result_checks_json(const pd_eval_case *c, const pd_eval_result *r);

/* ==== the runner (eval_runner.c, eval_cache.c, eval_kept.c) ==== */

/* A column of the matrix: a version on a model. */
typedef struct pd_eval_column {
    const pd_version *version;         /* borrowed */
    const char *provider, *model;      /* NULL: the version's own */
} pd_eval_column;

typedef struct pd_eval_run_options {
    const char *slug;
    const pd_eval_suite *suite;        /* the rows; borrowed */
    const pd_eval_column *columns;     /* borrowed */
    size_t n_columns;
    int repeat;                        /* each cell this many times (each repeat has its own
                                          cache entry: asked once, then reused); 0: 1 */
    int concurrency;                   /* requests in flight at most; 0: 4 */
    bool no_cache;                     /* ask every time, and keep no answer */
    const char *cache_dir;             /* NULL: pd_eval_cache_dir() */
    pd_store *store;                   /* partials and judge prompts (no run records are saved) */
    const pd_config *config;           /* keys and base URLs; may be NULL */
    const char *base_url;              /* for every request; NULL: as runs find it */
    /* llm-rubric's judge: the library prompt named by the assertion's "judge" member ("SLUG" or
     * "SLUG@N"), else this one; run with the case's variables and `rubric` and `output` (its
     * reply read by pd_eval_verdict_parse), on its own model unless the assertion's "provider"
     * says "PROVIDER:MODEL". NULL: none (such an assertion is then an error). */
    const char *judge;
    long connect_timeout_ms, idle_timeout_ms;   /* 0: the run's defaults */
    /* Each cell as it is finished (its result object, borrowed). May be NULL. */
    void (*on_result)(void *ud, size_t index, json_t *result);
    void *ud;
} pd_eval_run_options;

typedef struct pd_eval_runner pd_eval_runner;

/* Starts the evaluation on http: cells are case-major (case 0 with every column, each repeat,
 * then case 1 ...); at most `concurrency` runs are in flight, more start as they end, from
 * inside the caller's pd_http_step / pd_http_wait (answers from the cache end at once). The
 * suite, columns and options must outlive the runner. Fails only when there is nothing to run.
 * Caller frees with pd_eval_runner_free. */
int pd_eval_runner_start(pd_http *http, const pd_eval_run_options *o, pd_eval_runner **out, pd_error *err);
bool pd_eval_runner_done(const pd_eval_runner *r);
/* Cells finished and in all; requests sent (answers not from the cache, judges included). */
void pd_eval_runner_progress(const pd_eval_runner *r, size_t *done, size_t *total, size_t *sent);
/* Stops what runs; every cell not finished ends as an error "cancelled". */
void pd_eval_runner_cancel(pd_eval_runner *r);
void pd_eval_runner_free(pd_eval_runner *r);
/* The evaluation as a document (new reference), the shape `promptdeck eval --json` prints and
 * pd_eval_kept_save keeps:
 *   {"format": "promptdeck-eval", "format_version": 1, "id": null, "slug", "started_at",
 *    "columns": [{"version", "provider", "model", "passed", "failed", "errors", "tokens",
 *                 "cost", "latency_ms"}],
 *    "summary": {"passed", "failed", "errors"},
 *    "results": [{"case", "case_index", "column", "repeat", "version", "provider", "model",
 *                 "pass", "score", "output", "latency_ms", "tokens", "cost", "finish_reason",
 *                 "cached", "error", "reason", "assertions": [{"type", "pass", "reason"}]}]}
 * "case" is the description or "#N"; "error" (a string) only on cells whose request failed
 * (pass false, counted in errors, not in failed); tokens, cost and latency null when unknown. */
json_t *pd_eval_runner_report(const pd_eval_runner *r);

/* ---- the response cache ---- */
/* $XDG_CACHE_HOME/promptdeck/responses. Caller frees. */
char *pd_eval_cache_dir(void);
/* The entry's name: SHA-256 (hex) of the URL, the model and the exact request body. No key is
 * in any of them (keys travel in headers). Into out (65 bytes). */
void pd_eval_cache_key(const char *url, const char *model, const char *body, char out[65]);
/* An answer kept: {"model", "output", "finish_reason", "provider_finish_reason",
 * "input_tokens", "output_tokens", "cost", "latency_ms", "tool_calls", "created_at"}; NULL when
 * none (or unreadable). New reference. */
json_t *pd_eval_cache_get(const char *dir, const char *key);
/* Keeps a finished run's answer (files mode 600 in a folder mode 700; written atomically). */
int pd_eval_cache_put(const char *dir, const char *key, const pd_run_record *rec, pd_error *err);
/* SHA-256 of data, as 64 hex digits and a NUL into out. */
void pd_eval_sha256_hex(const void *data, size_t len, char out[65]);

/* ---- results kept (outside the library, per library, like run records) ---- */
/* $XDG_STATE_HOME/promptdeck/evals/<library key>/<id>.json, mode 600. Sets doc's "id" (time
 * sortable: "20261205T141500123Z-a1b2c3"). */
int pd_eval_kept_save(pd_store *s, json_t *doc, pd_error *err);
/* A kept evaluation by id, or a path to such a file. NOT_FOUND naming the id. New reference. */
int pd_eval_kept_load(pd_store *s, const char *id, json_t **out, pd_error *err);
/* The evaluations kept for slug (NULL: all), newest first: [{"id", "slug", "started_at",
 * "columns", "summary"}]. New reference. */
int pd_eval_kept_list(pd_store *s, const char *slug, json_t **out, pd_error *err);
/* What changed from a to b, cells matched by case, column and repeat; a column is its version,
 * provider and model, or its position when a and b share no column (version 2's evaluation
 * against version 3's; the items then carry "before_version"):
 *   {"regressions": [...], "fixes": [...], "added": [...], "removed": [...],
 *    "unchanged": {"passed": N, "failed": N}}
 * each item {"case", "version", "provider", "model", "repeat", "before", "after", "reason"}
 * (before/after "pass", "fail", "error" or null; reason: b's, else a's). New reference. */
json_t *pd_eval_compare(json_t *a, json_t *b);

#endif
