/* model.h: prompts, versions, messages, labels, partials and run records, and their JSON codec.
 *
 *   model.h        this interface
 *   ids.c          version and event ids (time-sortable, collision-free) and RFC 3339 times in milliseconds
 *   json_pos.c     parsing JSON files with "file:line" errors, and finding the line of a value by path
 *   model.c        the model's rules: valid slugs, label names and roles, content equality
 *   model_free.c   freeing, deep-copying and merging the model's structs
 *   model_json.c   the model's structs as JSON (snake_case names, keys in a fixed order)
 *   model_parse.c  the model's structs from JSON, with errors naming the field (and line)
 */
#ifndef PD_MODEL_H
#define PD_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* A message, or a history placeholder: a named slot where a conversation is inserted at
 * run time. JSON: {"role": "user", "content": "..."} or {"type": "placeholder", "name": "history"}. */
typedef struct pd_message {
    char *role;         /* system, developer, user, assistant, tool; NULL for a placeholder */
    char *content;      /* "" when empty; NULL for a placeholder */
    char *placeholder;  /* the slot's name for a history placeholder, else NULL */
} pd_message;

/* Model settings. A field that is unset is left out of JSON. */
typedef struct pd_settings {
    char *provider;            /* openai, anthropic, google, or an OpenAI-compatible name; may be NULL */
    char *model;               /* may be NULL */
    bool has_temperature;
    double temperature;
    long max_output_tokens;    /* 0 = unset */
    bool has_top_p;
    double top_p;
    char **stop_sequences;     /* n_stop entries */
    size_t n_stop;
    json_t *extra;             /* free JSON object of extra provider parameters, or NULL */
    json_t *tools;             /* JSON array of JSON-schema function definitions, or NULL */
    json_t *output_schema;     /* JSON schema object, or NULL */
} pd_settings;

/* One immutable version of a prompt. */
typedef struct pd_version {
    int number;                /* 1, 2, 3 ... */
    pd_message *messages;
    size_t n_messages;
    pd_settings settings;
    char *commit_message;      /* may be NULL */
    char *author;              /* may be NULL */
    char *created_at;          /* RFC 3339, e.g. 2024-02-12T05:52:54-05:00 */
    /* Identity: the id never changes; the number may, while the version is not yet pushed (a
     * sync renumbers it after the versions it pulled) */
    char *id;                  /* PD_ID_LEN characters, or NULL for a version not stored yet */
    char *parent;              /* id of the version it was made from; NULL for a first version */
    int duplicate;             /* 0; 1, 2... for the second, third version sharing this number
                                  (two clones merged by git, before a sync or fix) */
} pd_version;

typedef struct pd_label {
    char *name;                /* production, staging, any [a-z0-9_-] name; never "latest" */
    int version;
    char *version_id;          /* the version's id (labels follow ids: a renumbering never moves them) */
} pd_label;

/* A prompt's metadata (prompt.json). Versions are loaded on demand. */
typedef struct pd_prompt {
    char *id;                  /* 16 hex digits naming the prompt as first created: a hash of
                                  the slug it was created under (two clones creating one slug
                                  create one prompt), or what an import or an older library
                                  gave it; kept by a rename. Exported; nothing is keyed by it
                                  (runs, drafts and kept evaluations go by slug) */
    char *slug;                /* [a-z0-9_-] segments joined by '/', 1..128 chars */
    char *name;
    char *description;         /* "" when none */
    char **tags;
    size_t n_tags;
    pd_label *labels;
    size_t n_labels;
    char *created_at;
    char *updated_at;
    int current_version;       /* the newest version's number ("latest") */
    char *current_id;          /* the newest version's id */
    bool duplicates;           /* two versions share a number (git merged two clones): sync or fix
                                  renumbers; a number that is shared is refused where one is asked */
    /* When the prompt's files are damaged, the prompt is still listed: damaged is set and
     * damage says "FILE:LINE: what is wrong"; other fields hold what could be read. */
    bool damaged;
    char *damage;
} pd_prompt;

/* A named snippet used as {{> name}}; versioned like prompts. */
typedef struct pd_partial {
    char *name;
    int version;
    char *content;
    char *created_at;
    char *commit_message;
    char *id;                  /* the version's id (as a prompt version's) */
} pd_partial;

/* What a run used and produced (stored by the run module under the library's runs/). */
typedef struct pd_run_record {
    char *id;                  /* unique, sortable by time */
    char *prompt_slug;
    int prompt_version;
    char *prompt_version_id;   /* the version's id (its number may change in a sync); may be NULL */
    json_t *variables;         /* object name -> string */
    pd_settings settings;      /* provider, model and settings actually used */
    char *output;
    long input_tokens, output_tokens;   /* -1 when unknown */
    char *finish_reason;       /* why the answer ended, the same for every provider: stop, length,
                                  tool_calls, content_filter, error; NULL when the provider said
                                  nothing (older records: the provider's own word) */
    char *provider_finish_reason;   /* as the provider said it (end_turn, MAX_TOKENS ...), or NULL */
    json_t *messages;          /* the conversation sent, history placeholders filled, partials
                                  rendered: [{"role", "content"}, {"role": "assistant", "content",
                                  "tool_calls": [...]}, {"role": "tool", "tool_call_id", "name",
                                  "content"}]; NULL in older records */
    json_t *tool_calls;        /* the calls the answer asked for: [{"id", "name", "arguments",
                                  "signature"}] (arguments: the JSON value, or the text when it did
                                  not parse; signature: Gemini's thoughtSignature, when it gave
                                  one, sent back with the call); NULL when none */
    json_t *partials;          /* the partial versions used: {"name": version}; NULL when none */
    char *continues;           /* the run whose conversation this one continues, or NULL */
    double cost;               /* US dollars from the price table; < 0 when unknown */
    double ttft_ms, total_ms;  /* time to first token, total */
    char *status;              /* ok, error, cancelled */
    char *error;               /* message when status is error, else NULL */
    char *started_at;
} pd_run_record;

/* ---- lifetime ---- (every _free accepts NULL; _clear frees members but not the struct) */
void pd_message_clear(pd_message *m);
void pd_settings_clear(pd_settings *s);
void pd_version_free(pd_version *v);
void pd_prompt_free(pd_prompt *p);
void pd_partial_free(pd_partial *p);
void pd_run_record_free(pd_run_record *r);
/* Deep copies (caller frees). */
pd_version *pd_version_dup(const pd_version *v);
pd_prompt *pd_prompt_dup(const pd_prompt *p);
void pd_settings_copy(pd_settings *dst, const pd_settings *src);

/* ---- combining settings ---- */
/* The fields of pd_settings, as bits for pd_settings_unset (and for callers that track fields). */
enum {
    PD_SETTING_PROVIDER = 1 << 0,
    PD_SETTING_MODEL = 1 << 1,
    PD_SETTING_TEMPERATURE = 1 << 2,
    PD_SETTING_MAX_OUTPUT_TOKENS = 1 << 3,
    PD_SETTING_TOP_P = 1 << 4,
    PD_SETTING_STOP = 1 << 5,
    PD_SETTING_EXTRA = 1 << 6,
    PD_SETTING_TOOLS = 1 << 7,
    PD_SETTING_OUTPUT_SCHEMA = 1 << 8,
};
/* *dst = a deep copy of base with every field that is set in over replacing base's: provider and
 * model non-NULL, has_temperature, max_output_tokens > 0, has_top_p, n_stop > 0 (the whole list),
 * extra/tools/output_schema non-NULL (the whole value). over may be NULL. *dst is overwritten,
 * not freed first: the caller clears it with pd_settings_clear. */
void pd_settings_merge(pd_settings *dst, const pd_settings *base, const pd_settings *over);
/* Frees and unsets the fields of s named by `fields` (PD_SETTING_* bits). */
void pd_settings_unset(pd_settings *s, unsigned fields);

/* ---- rules ---- */
/* true when slug is valid; otherwise err says why. */
bool pd_slug_valid(const char *slug, pd_error *err);
bool pd_label_name_valid(const char *name, pd_error *err);
bool pd_role_valid(const char *role);
/* Content equality: messages and settings (not number, dates, author, commit message). */
bool pd_version_content_equal(const pd_version *a, const pd_version *b);
/* The first version of a prompt created without content (by the app's "new prompt"): an empty
 * system message and an empty user message, no settings, commit message "Created in
 * promptdeck". Caller frees with pd_version_free. */
pd_version *pd_version_default_first(void);
/* The label's version, or 0. "latest" gives current_version. */
int pd_prompt_label_version(const pd_prompt *p, const char *label);
/* true when label l is on version v, and when v is p's current version: by id when both sides
 * have one (two versions may share a number after a git merge), else by number. */
bool pd_label_is_on(const pd_label *l, const pd_version *v);
bool pd_version_is_current(const pd_prompt *p, const pd_version *v);
/* ---- ids and times (ids.c) ---- */
/* A version or event id: 26 characters of lowercase Crockford base32, 48 bits of milliseconds
 * since 1970 then 80 random bits (a ULID): later ids sort after earlier ones, and ids made on
 * two machines do not collide. Caller frees. */
#define PD_ID_LEN 26
char *pd_id_new(int64_t ms);
/* The same shape with the 80 bits taken from a hash of data: the same input gives the same id
 * on every machine (a format upgrade made on two clones gives identical files). Caller frees. */
char *pd_id_derived(int64_t ms, const void *data, size_t len);
bool pd_id_valid(const char *s);
int64_t pd_now_ms(void);
/* RFC 3339 ("2024-02-12T05:52:54-05:00", fractions allowed) -> milliseconds since 1970 UTC.
 * false (and 0) when s is not such a time. */
bool pd_time_parse_ms(const char *s, int64_t *out);
/* Milliseconds -> "2026-11-21T07:29:30.123Z". Caller frees. */
char *pd_time_format_ms(int64_t ms);
/* A new random id (16 hex digits). Caller frees. */
char *pd_new_id(void);
/* Now as RFC 3339 in UTC ("2026-11-21T07:29:30Z"). Caller frees. */
char *pd_now_rfc3339(void);

/* ---- JSON codec (snake_case field names, stable key order) ---- */
/* New references; the caller decrefs. */
json_t *pd_version_to_json(const pd_version *v);
json_t *pd_prompt_to_json(const pd_prompt *p);
json_t *pd_settings_to_json(const pd_settings *s);     /* only set fields */
json_t *pd_messages_to_json(const pd_message *m, size_t n);
json_t *pd_partial_to_json(const pd_partial *p);
json_t *pd_run_record_to_json(const pd_run_record *r);
/* Parse; on bad types err is PD_ERR_DAMAGED naming the field ("where" prefixes the message,
 * e.g. a file name). Returns NULL on error; caller frees the result. */
pd_version *pd_version_from_json(json_t *j, const char *where, pd_error *err);
pd_prompt *pd_prompt_from_json(json_t *j, const char *where, pd_error *err);
int pd_settings_from_json(json_t *j, pd_settings *out, const char *where, pd_error *err);
int pd_messages_from_json(json_t *arr, pd_message **out, size_t *n, const char *where, pd_error *err);
pd_partial *pd_partial_from_json(json_t *j, const char *where, pd_error *err);
pd_run_record *pd_run_record_from_json(json_t *j, const char *where, pd_error *err);
/* Pretty-printed JSON, stable key order, trailing newline. Caller frees. */
char *pd_json_dump_pretty(const json_t *j);
/* The json_dumps flags of pd_json_dump_pretty (for json_dump_callback): 15 significant digits
 * print 0.7 as 0.7 and read back as the same double. */
#define PD_JSON_PRETTY (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

/* ---- decoding files with positions ---- */
/* Where JSON text came from: errors then name "WHERE:LINE: path.to.field: what". text may be
 * NULL (a value built in memory): errors then say "WHERE: path.to.field: what". */
typedef struct pd_json_src {
    const char *where;
    const char *text;
    size_t len;
} pd_json_src;
/* Parses src->text. Syntax errors and invalid UTF-8 are PD_ERR_DAMAGED "WHERE:LINE: what".
 * New reference; NULL on error. */
json_t *pd_json_parse_src(const pd_json_src *src, pd_error *err);
/* The 1-based line in text where the value at path ("messages[2].role", "" = the root) starts;
 * for a missing member, the line of the nearest enclosing value. 0 when text is NULL. */
int pd_json_path_line(const char *text, size_t len, const char *path);
/* "an object", "a string", "an integer" ... for messages like "expected a string, found an array". */
const char *pd_json_type_name(const json_t *j);
/* Sets err to PD_ERR_DAMAGED "WHERE:LINE: PATH: what" (line found from path). Returns -1. */
int pd_json_src_error(const pd_json_src *src, const char *path, pd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The decoders above with positions in their errors. Caller frees the result. */
pd_version *pd_version_decode(json_t *j, const pd_json_src *src, pd_error *err);
pd_prompt *pd_prompt_decode(json_t *j, const pd_json_src *src, pd_error *err);
pd_partial *pd_partial_decode(json_t *j, const pd_json_src *src, pd_error *err);
pd_run_record *pd_run_record_decode(json_t *j, const pd_json_src *src, pd_error *err);
/* Checks a version before it is stored: at least one message, known roles, valid UTF-8
 * everywhere, settings in range. PD_ERR_INVALID_REQUEST naming the problem. */
int pd_version_validate(const pd_version *v, pd_error *err);
/* true when s is valid UTF-8. */
bool pd_utf8_valid(const char *s, size_t len);

/* The checks on a prompt's metadata, the same for every way in (create, update, import, the
 * app): PD_ERR_INVALID_REQUEST naming the field. A name: required, UTF-8, at most
 * PD_NAME_MAX bytes, no control character (C0, DEL, C1: no escape sequence, no line break).
 * A description: UTF-8, at most PD_DESCRIPTION_MAX bytes, no control character but newline
 * and tab. A tag: not empty, UTF-8, at most PD_TAG_MAX bytes, no control character at all. */
#define PD_NAME_MAX 1024
#define PD_DESCRIPTION_MAX 65536
#define PD_TAG_MAX 64
int pd_prompt_check_name(const char *name, pd_error *err);
int pd_prompt_check_description(const char *description, pd_error *err);
int pd_prompt_check_tags(char *const *tags, size_t n, pd_error *err);
/* The whole prompt: slug, name, description, tags and label names. */
int pd_prompt_validate(const pd_prompt *p, pd_error *err);

#endif
