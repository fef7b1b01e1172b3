/* template.h: the Mustache engine: parse once into a tree, render many times against jansson data.
 *
 * Hand-written because no maintained C Mustache library packaged in Debian implements the spec's
 * optional inheritance and dynamic-names modules, line:column errors, lenient parsing of non-
 * Mustache "{{...}}" text, variable listing and hard limits; the engine is small (parse, vars,
 * render) and checked against the official spec files.
 *
 * Supported: {{name}}, dotted names, {{.}}, {{{raw}}}, {{& raw}}, sections over lists, objects
 * and booleans, inverted sections, comments, {{=<% %>=}}, partials {{> name}} with standalone
 * indentation, dynamic names {{>*name}}, inheritance {{< parent}}{{$block}}...{{/block}}{{/parent}}.
 * Not supported: lambdas (data is JSON, which has no functions).
 *
 *   template.h         this interface
 *   template_priv.h    the parsed-template tree shared by template_parse.c
 *   template_parse.c   Mustache source -> tree, with the spec's standalone-line rules, set delimiters
 *   template_render.c  renders a parsed Mustache tree against jansson data: context stack, partials
 *   template_vars.c    lists the variables a parsed template uses (first-use order, section flags)
 */
#ifndef PD_TEMPLATE_H
#define PD_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

/* Default limits (a limit of 0 in the options means the default). */
#define PD_TPL_MAX_DEPTH 256               /* nesting of sections / blocks in one template */
#define PD_TPL_MAX_PARTIAL_DEPTH 64        /* partials including partials */
#define PD_TPL_MAX_OUTPUT (64u << 20)      /* bytes of rendered output */
#define PD_TPL_MAX_STEPS 50000000ull       /* nodes visited in one render (no output can still be work) */

typedef enum { PD_ESCAPE_NONE = 0, PD_ESCAPE_HTML = 1 } pd_escape;

/* Looks up a partial's template text by name. On success returns 0 and sets *out to a string the
 * caller frees, or to NULL when there is no such partial (which renders as empty). Returns -1 with
 * err set on real trouble (I/O, damaged files). */
typedef int (*pd_partial_lookup)(void *ud, const char *name, char **out, pd_error *err);

/* A parsed template: immutable after parsing, so it can be rendered any number of times (and from
 * several threads at once). */
typedef struct pd_tpl pd_tpl;

typedef struct pd_tpl_parse_opts {
    bool lenient;      /* tags that cannot parse (unknown sigil, unclosed, unbalanced sections,
                          "{{}}", Jinja "{{ x | f }}" ...) stay as literal text instead of failing */
    int max_depth;     /* 0 = PD_TPL_MAX_DEPTH */
    const char *name;  /* used in error messages ("NAME:LINE:COL: ..."); NULL = "template" */
} pd_tpl_parse_opts;

/* Parses len bytes of src (NUL bytes and invalid UTF-8 are just bytes). opts may be NULL (strict).
 * Returns NULL with err PD_ERR_PARSE "NAME:LINE:COL: what" (or PD_ERR_LIMIT when nesting is too
 * deep). Caller frees with pd_tpl_free. */
pd_tpl *pd_tpl_parse(const char *src, size_t len, const pd_tpl_parse_opts *opts, pd_error *err);
void pd_tpl_free(pd_tpl *t);

/* A name the renderer could not resolve (only interpolation tags and dynamic partial names count;
 * an absent section is simply false, as the spec says), or a partial no lookup found. */
typedef struct pd_tpl_missing {
    char *name;        /* as written, e.g. "user.name" */
    int line, col;     /* of the tag, 1-based, in the template (or partial) it appears in */
    char *partial;     /* NULL when in the template itself, else the partial's name */
    bool is_partial;   /* the name is a partial ({{> name}}) that no lookup found */
} pd_tpl_missing;

typedef struct pd_tpl_missing_list {
    pd_tpl_missing *items;   /* unique by name, in first-use order */
    size_t n;
} pd_tpl_missing_list;
void pd_tpl_missing_list_free(pd_tpl_missing_list *l);

typedef struct pd_tpl_render_opts {
    pd_escape escape;              /* PD_ESCAPE_NONE (prompts) or PD_ESCAPE_HTML (spec) */
    bool lenient;                  /* partials that do not parse render as literal text */
    json_t *partials_json;         /* object name -> template string, looked up first; may be NULL */
    pd_partial_lookup partials;    /* then this; may be NULL */
    void *partials_ud;
    pd_tpl_missing_list *missing;  /* when not NULL, unresolved names are appended here */
    int max_depth;                 /* 0 = PD_TPL_MAX_DEPTH (also applies to partials' parse) */
    int max_partial_depth;         /* 0 = PD_TPL_MAX_PARTIAL_DEPTH */
    size_t max_output;             /* 0 = PD_TPL_MAX_OUTPUT */
    unsigned long long max_steps;  /* 0 = PD_TPL_MAX_STEPS */
} pd_tpl_render_opts;

/* Renders t with data (any JSON; NULL = empty object) appending to out. opts may be NULL (no
 * escaping, no partials). Errors: PD_ERR_LIMIT (output size, partial recursion), PD_ERR_PARSE (a
 * partial that does not parse, strict mode), or what the partial lookup returned. On error out
 * holds a partial result the caller frees as usual. */
int pd_tpl_render(const pd_tpl *t, json_t *data, const pd_tpl_render_opts *opts, pd_buf *out,
                  pd_error *err);

/* Convenience: parse + render in one call. *out is a string the caller frees. */
int pd_tpl_render_string(const char *src, size_t len, json_t *data, const pd_tpl_render_opts *opts,
                         char **out, pd_error *err);

/* A variable a template uses. */
typedef struct pd_tpl_var {
    char *name;        /* as written: "name", "user.name", "items" */
    bool section;      /* used as {{#name}} or {{^name}} (a list, object or flag) */
    bool variable;     /* used as {{name}} / {{{name}}} / {{&name}} / {{>*name}} somewhere */
    char *scope;       /* the innermost enclosing section's name on first use, or NULL at top level */
    int line, col;     /* first use */
} pd_tpl_var;

typedef struct pd_tpl_var_list {
    pd_tpl_var *items; /* unique by name, in first-use order; never includes "." */
    size_t n;
} pd_tpl_var_list;
void pd_tpl_var_list_free(pd_tpl_var_list *l);

/* Appends the variables t uses to list (merging with names already there: a name used both ways
 * gets both flags). Partials are not followed. */
void pd_tpl_variables(const pd_tpl *t, pd_tpl_var_list *list);
/* The partials and parents t names literally (not {{>*dynamic}} ones), unique, in first-use order.
 * Returns the count; *names is NULL when 0. Caller frees with pd_tpl_names_free. */
size_t pd_tpl_partial_names(const pd_tpl *t, char ***names);
void pd_tpl_names_free(char **names, size_t n);
/* A JSON string of s; bytes that are not UTF-8 become U+FFFD. New reference. */
json_t *pd_tpl_json_string(const char *s);
/* As a JSON array [{"name":..., "section":bool, "variable":bool, "scope":..., "line":N, "col":N}].
 * New reference. */
json_t *pd_tpl_var_list_to_json(const pd_tpl_var_list *list);

#endif
