/* cli_select.h: command-line helpers shared by commands that run or render a version:
 * choosing the version (--version N | --label L) and collecting variables (--var, --vars-file). */
#ifndef PD_MODULE_cli
#error "cli/cli_select_priv.h is private to the cli module: include cli/cli.h"
#endif
#ifndef PD_CLI_SELECT_H
#define PD_CLI_SELECT_H

#include <jansson.h>

#include "base/base.h"
#include "store/store.h"

/* The version of slug chosen by a --version value (NULL: not given: a number, or a version id
 * or its first 6 or more characters) or a --label name (NULL: not given); neither gives the
 * current version. Errors: INVALID_REQUEST for a bad number or
 * both given, NOT_FOUND for an unknown label or version. *out caller-frees. */
int cli_select_version(pd_store *s, const char *slug, const char *version, const char *label,
                       pd_version **out, pd_error *err);
/* Reads a whole file ("-" = stdin), NUL bytes included, in one allocation when the size is
 * known. *out is NUL-terminated; caller frees. */
int cli_read_all(const char *path, char **out, size_t *len, pd_error *err);
/* An option's value as text: "@FILE" is the file's content, "@-" standard input, "@@..." the
 * text "@..."; anything else itself. INVALID_REQUEST for a file that is not UTF-8 text. *out
 * caller-frees. */
int cli_value_text(const char *v, char **out, pd_error *err);
/* Adds "name=value" to vars (an object; the value is a string, read by cli_value_text: --var
 * doc=@notes.md, --var doc=@-). INVALID_REQUEST without '='. */
int cli_vars_add(json_t *vars, const char *assignment, pd_error *err);
/* Merges the JSON object in file path into vars (values keep their JSON types). */
int cli_vars_file(json_t *vars, const char *path, pd_error *err);

/* The options every command that picks a version and variables takes. */
typedef struct cli_selection {
    const char *version;       /* --version N */
    const char *label;         /* --label L */
    json_t *vars;              /* --var k=v and --vars-file F.json merged; an object the caller made */
} cli_selection;
/* Takes argv[*i] when it is --version, --label, --var or --vars-file (with its value, advancing
 * *i): returns 1 when taken, 0 when it is another argument, -1 with err (INVALID_REQUEST) when
 * the value is missing or bad. */
int cli_select_option(cli_selection *sel, int *i, int argc, char **argv, pd_error *err);

/* An option with a value, written "--opt V" or "--opt=V": 1 when argv[*i] is opt (*i advanced
 * past a separate value, *out set), 0 when it is another argument, -1 when the value is missing. */
int cli_take_value(const char *opt, int *i, int argc, char **argv, const char **out);

#endif
