/* template_int.h: the parsed-template tree shared by template_parse.c, template_render.c and
 * template_vars.c (internal to the template module; users include template.h). */
#ifndef PD_MODULE_template
#error "template/template_priv.h is private to the template module: include template/template.h"
#endif
#ifndef PD_TEMPLATE_INT_H
#define PD_TEMPLATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "template.h"

typedef enum {
    TN_TEXT,      /* literal text: s/n point into the template's own copy of the source */
    TN_VAR,       /* {{name}}, {{{name}}}, {{&name}} */
    TN_SECTION,   /* {{#name}} kids {{/name}} */
    TN_INVERTED,  /* {{^name}} kids {{/name}} */
    TN_PARTIAL,   /* {{>name}} or {{>*name}} */
    TN_PARENT,    /* {{<name}} kids (only TN_BLOCK kids matter: the arguments) {{/name}} */
    TN_BLOCK,     /* {{$name}} kids {{/name}}: a parameter, or an argument when a parent's kid */
    TN_NOP        /* an inline comment or delimiter change at the start of a line (keeps indenting right) */
} tpl_kind;

enum {
    TF_BOL = 1,         /* the node starts a line of its source */
    TF_ESCAPE = 2,      /* TN_VAR written {{name}}: escaped when the render escapes */
    TF_DYNAMIC = 4,     /* TN_PARTIAL/TN_PARENT written with *: the name is a variable to resolve */
    TF_STANDALONE = 8,  /* alone on its line (line removed); partial/parent/block: ws is the indentation */
    TF_ARG = 16         /* TN_BLOCK directly inside a TN_PARENT */
};

typedef struct tpl_node tpl_node;
struct tpl_node {
    uint8_t kind;
    uint8_t flags;
    uint16_t n_parts;       /* name parts ("a.b.c" -> 3; "." -> 0) */
    uint32_t line, col;     /* of the tag (or text start), 1-based */
    const char *s;          /* TN_TEXT: the text; others: the name as written (NUL-terminated copy) */
    size_t n;
    char *parts;            /* the n_parts name parts, each NUL-terminated, back to back (inside s's
                               allocation: not freed on its own) */
    tpl_node *kids;
    size_t n_kids;
    char *ws;               /* TF_STANDALONE: the indentation (owned); else NULL */
    size_t ws_len;
    char *intrinsic;        /* TN_BLOCK: indentation removed from its content's lines (owned) or NULL */
    size_t intrinsic_len;
};

struct pd_tpl {
    char *src;              /* owned copy of the source; text nodes point into it */
    size_t len;
    char *name;             /* for messages */
    tpl_node *nodes;        /* the top level */
    size_t n_nodes;
};

/* Frees a node array (recursively) and the array itself. */
void pd_tpl_nodes_free(tpl_node *nodes, size_t n);

#endif
