/* prompt_render.h: rendering a prompt version's messages with variables (Mustache, no escaping),
 * listing the variables it uses, and reading partials from the library. */
#ifndef PD_PROMPT_RENDER_H
#define PD_PROMPT_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "model.h"
#include "template.h"   /* pd_partial_lookup, pd_tpl_* */

typedef struct pd_render_opts {
    bool lenient;                  /* missing variables render empty; tags that do not parse stay
                                      literal text */
    pd_partial_lookup partials;    /* e.g. pd_store_partial_lookup with partials_ud = the store;
                                      may be NULL */
    void *partials_ud;
    json_t *partials_json;         /* object name -> template, consulted before `partials`; may be NULL */
} pd_render_opts;

/* Renders every message of v with vars (a JSON object; NULL = no variables). opts may be NULL
 * (strict, no partials). *out gets n_out = v->n_messages messages, same roles, rendered content;
 * placeholders are copied unchanged. Caller frees each with pd_message_clear and the array.
 * Errors: PD_ERR_MISSING_VARIABLES (strict) whose message lists every missing name with its
 * message index and line: "missing variables: topic (message 1, line 3), lang (message 2, line 1)"
 * (and "; missing partials: header (message 1, line 1)" for partials no lookup found);
 * PD_ERR_PARSE "message N:LINE:COL: what" (strict); PD_ERR_LIMIT; errors from the partial lookup. */
int pd_prompt_render(const pd_version *v, json_t *vars, const pd_render_opts *opts,
                     pd_message **out, size_t *n_out, pd_error *err);

/* A missing variable, for the app to point at. */
typedef struct pd_prompt_missing {
    char *name;
    size_t message;    /* 0-based index into v->messages */
    int line, col;     /* 1-based, in that message (or in the partial when partial is set) */
    char *partial;     /* NULL, or the partial the tag is in */
    bool is_partial;   /* name is a partial ({{> name}}) that no lookup found */
} pd_prompt_missing;
void pd_prompt_missing_free(pd_prompt_missing *m, size_t n);

/* Like pd_prompt_render but returns only the missing variables (unique by name, first-use order;
 * n = 0 when none). opts->lenient is honoured for parsing. Caller frees with pd_prompt_missing_free. */
int pd_prompt_missing_vars(const pd_version *v, json_t *vars, const pd_render_opts *opts,
                           pd_prompt_missing **out, size_t *n, pd_error *err);

/* A variable a version uses, for the variables form. */
typedef struct pd_prompt_var {
    char *name;        /* as written: "topic", "user.name", "examples" */
    bool section;      /* used as {{#name}} / {{^name}}: a list, object or flag */
    bool variable;     /* used as a value {{name}} somewhere */
    char *scope;       /* innermost enclosing section's name on first use, or NULL at top level */
    size_t message;    /* first use: 0-based message index */
    int line, col;
} pd_prompt_var;
void pd_prompt_var_free(pd_prompt_var *v, size_t n);

/* The variables of all messages, unique by name in first-use order. Partials are followed (through
 * opts' lookups; each partial once) so their variables are listed too. opts may be NULL. In strict
 * mode a message that does not parse fails with PD_ERR_PARSE; lenient skips what does not parse.
 * Caller frees with pd_prompt_var_free. */
int pd_prompt_variables(const pd_version *v, const pd_render_opts *opts, pd_prompt_var **out,
                        size_t *n, pd_error *err);
/* [{"name", "section", "variable", "scope", "message", "line", "col"}]. New reference. */
json_t *pd_prompt_vars_to_json(const pd_prompt_var *v, size_t n);

/* A pd_partial_lookup over the library: store is a pd_store *. "name" gives the latest version,
 * "name@N" version N. Absent: returns 0 with *out NULL. *out caller-frees. */
int pd_store_partial_lookup(void *store, const char *name, char **out, pd_error *err);

#endif
