/* extedit.h: hands a text to the user's own editor ($VISUAL, else $EDITOR, else vi) in a
 * private temporary file and reads it back. No ncurses: the caller runs the command (the app
 * through pd_app_run_external, which leaves and restores the screen; tests through
 * pd_extedit_run_plain). */
#ifndef PD_MODULE_editor
#error "editor/extedit_priv.h is private to the editor module: include editor/editor.h"
#endif
#ifndef PD_EXTEDIT_H
#define PD_EXTEDIT_H

#include <stddef.h>

#include "base/base.h"

typedef struct pd_extedit {
    char *path;            /* the temporary file (mode 0600) */
    char *command;         /* the editor command line, as the user set it */
    char *script;          /* "COMMAND \"$@\"" for sh -c */
    char *argv[6];         /* sh -c SCRIPT COMMAND PATH NULL: run this */
    size_t orig_len;
    int orig_newline;      /* the text given ended with '\n' */
} pd_extedit;

/* The editor command: $VISUAL, else $EDITOR, else "vi" (a static or environment string). */
const char *pd_extedit_command(void);
/* Writes text[0..len) to a new temporary file (name_hint, e.g. a slug, goes in its name) and
 * fills x->argv. On success the caller runs x->argv, then calls pd_extedit_finish. */
int pd_extedit_begin(pd_extedit *x, const char *text, size_t len, const char *name_hint, pd_error *err);
/* Reads the file back after the editor ran with exit status `status` (-1: it did not run,
 * why is in err already). Success gives the new text (caller frees; a final '\n' the editor
 * added to a text that had none is taken off). Errors: the editor was not found (status 127),
 * exited with another status, or left NUL bytes; the text is then unchanged. Always deletes
 * the file and frees x's members. */
int pd_extedit_finish(pd_extedit *x, int status, char **out, size_t *out_len, pd_error *err);
/* Frees x's members and deletes the file without reading it. */
void pd_extedit_cancel(pd_extedit *x);
/* Runs argv (PATH searched) and waits: the exit status (0..255, 128+N for signal N), or -1
 * with err set when it could not start. For callers without a screen to give up (tests). */
int pd_extedit_run_plain(char *const argv[], pd_error *err);

#endif
