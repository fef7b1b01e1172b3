/* cli_lib.h: helpers shared by the library commands (list, show, versions, create, update ...):
 * terminal-safe text fitted to columns, number parsing, JSON files, the version JSON shape. */
#ifndef PD_MODULE_cli
#error "cli/cli_lib_priv.h is private to the cli module: include cli/cli.h"
#endif
#ifndef PD_CLI_LIB_H
#define PD_CLI_LIB_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/base.h"
#include "cli.h"

/* Columns of the terminal on stdout, else $COLUMNS, else 80 (at least 40). */
int cli_term_width(void);
/* Appends s made safe for a terminal (control characters as ^X, bad bytes as \xNN; tabs kept;
 * newlines kept when keep_newlines, else shown as ^J). */
void cli_put_safe(pd_buf *out, const char *s, bool keep_newlines);
/* Appends s made safe and cut to width terminal cells (ending in "~" when cut); with pad, blanks
 * fill up to width. */
void cli_put_fit(pd_buf *out, const char *s, int width, bool pad);
/* Display width of s once made safe. */
int cli_text_width(const char *s);

/* ---- every byte written to a terminal follows the rule of textsafe (pd_text_sanitize) ---- */
/* true when f is a terminal (asked once per stream). */
bool cli_is_terminal(FILE *f);
/* Writes text to f: exactly as given when f is not a terminal (a pipe or a file gets the
 * exact bytes); on a terminal, control characters, bad UTF-8 and hidden format characters in
 * their visible forms (^[, \x9B, <U+202E>; newlines and tabs kept), so no text can move the
 * cursor, set the title, write the clipboard or reorder what is shown. */
void cli_write_text(FILE *f, const char *s, size_t n);
/* printf to stdout through cli_write_text: exact into a pipe, made safe on a terminal. */
void cli_oprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf to stderr, the result always made safe (newlines kept): for messages that echo
 * arguments, names or file text, whether stderr is a terminal or a log. */
void cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints j on stdout as one compact line (JSON Lines: jansson flags, JSON_COMPACT added) with
 * C1, DEL and bidi controls escaped as \uXXXX (pd_json_escape_controls), as cli_print_json
 * does for pretty output: no JSON promptdeck prints holds a raw control. */
void cli_print_json_line(json_t *j, size_t flags);

/* Whole numbers / decimals for option values: INVALID_REQUEST naming the option when bad. */
int cli_parse_long(const char *opt, const char *s, long min, long max, long *out, pd_error *err);
int cli_parse_double(const char *opt, const char *s, double min, double max, double *out, pd_error *err);

/* Reads and parses a JSON file ("-" = stdin); errors say "FILE:LINE: what" (INVALID_REQUEST). */
int cli_read_json_file(const char *path, json_t **out, pd_error *err);

/* A version as the command line shows it in JSON: {"version", "labels": [names on it],
 * "messages", settings..., "commit_message", "author", "created_at", "id", "parent"}. New
 * reference. */
json_t *cli_version_json(const pd_prompt *p, const pd_version *v);
/* The labels on version v of p, "a, b" (empty when none; "latest" not included). Caller frees. */
char *cli_version_labels(const pd_prompt *p, const pd_version *v);

/* Prints err and returns its exit code (cli_exit_code). */
int cli_fail(const pd_error *err);
/* After getopt_long returned '?' or ':': prints the usage error for the bad option. */
int cli_bad_option(const char *cmd, int c, char **argv);
/* Parses a command taking at most one flag (flag "json" for --json, "yes" ...; NULL: none) and
 * want positional arguments (-1: any number), which are then argv[optind...]. Returns
 * PD_EXIT_OK, or the exit code of the usage error it printed. */
int cli_simple_args(const char *cmd, int argc, char **argv, const char *flag, bool *flag_set, int want,
                    const char *usage);
/* Resets getopt for a new subcommand's argv (GNU getopt: optind = 0, no messages). */
void cli_getopt_reset(void);

#endif
