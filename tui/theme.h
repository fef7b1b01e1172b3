/* theme.h: named styles (color pair + attributes) read from plain-text theme files.
 *
 * Theme file format (themes/default.theme is the reference): one style per line,
 *     NAME = FOREGROUND BACKGROUND [ATTRIBUTE...]
 * colors: default (the terminal's own), black red green yellow blue magenta cyan white,
 * bright-black .. bright-white, a number 0-255, or #rrggbb (nearest of the 256 colors);
 * COLOR/FALLBACK (e.g. 114/green) names the color used on 8-color terminals (otherwise the
 * nearest of the 8 is taken). Attributes: bold dim underline reverse italic standout blink normal.
 * `# comments`, blank lines. Unknown style names and bad values are reported as FILE:LINE and
 * the built-in default of that style is kept. With NO_COLOR set or a monochrome terminal only
 * the attributes are used. */
#ifndef PD_THEME_H
#define PD_THEME_H

#include <curses.h>

/* X(ID, name, built-in default) — the built-ins equal themes/default.theme. */
#define PD_STYLES(X)                                                         \
    X(NORMAL, "normal", "default default")                                   \
    X(TITLE, "title", "black white")                                         \
    X(TITLE_FOCUS, "title-focus", "black cyan bold")                         \
    X(STATUS, "status", "default default")                                   \
    X(STATUS_INFO, "status-info", "green default")                           \
    X(ERROR, "error", "white red bold")                                      \
    X(PROMPT, "prompt", "yellow default bold")                               \
    X(CURSOR, "cursor", "black cyan")                                        \
    X(CURSOR_BLUR, "cursor-unfocused", "default 238/white")                  \
    X(MARK, "mark", "yellow default bold")                                   \
    X(CONTROL, "control", "magenta default bold")                            \
    X(DIM, "dim", "244/white default")                                       \
    X(FOLDER, "folder", "blue default bold")                                 \
    X(NAME, "name", "default default bold")                                  \
    X(SLUG, "slug", "cyan default")                                          \
    X(VERSION, "version", "yellow default")                                  \
    X(DATE, "date", "244/white default")                                     \
    X(AUTHOR, "author", "green default")                                     \
    X(LABEL, "label", "magenta default")                                     \
    X(LABEL_PRODUCTION, "label-production", "white 22/green bold")           \
    X(LABEL_STAGING, "label-staging", "black 178/yellow")                    \
    X(TAG, "tag", "blue default")                                            \
    X(COUNT_ADD, "count-add", "green default")                               \
    X(COUNT_DEL, "count-del", "red default")                                 \
    X(HEADER, "header", "yellow default bold")                               \
    X(ROLE_SYSTEM, "role-system", "magenta default bold")                    \
    X(ROLE_USER, "role-user", "green default bold")                          \
    X(ROLE_ASSISTANT, "role-assistant", "cyan default bold")                 \
    X(ROLE_OTHER, "role-other", "yellow default bold")                       \
    X(KEY, "key", "cyan default bold")                                       \
    X(VARIABLE, "variable", "yellow default")                                \
    X(SEARCH, "search-match", "black yellow")                                \
    X(DIFF_ADD, "diff-add", "green default")                                 \
    X(DIFF_DEL, "diff-del", "red default")                                   \
    X(DIFF_ADD_WORD, "diff-add-word", "black 114/green")                     \
    X(DIFF_DEL_WORD, "diff-del-word", "black 210/red")                       \
    X(DIFF_HUNK, "diff-hunk", "cyan default")                                \
    X(DIFF_CONTEXT, "diff-context", "default default")                       \
    X(DIFF_EMPTY, "diff-empty", "238/white default")                         \
    X(LINE_NUMBER, "line-number", "244/white default")                       \
    X(EDITOR_TEXT, "editor-text", "default default")                         \
    X(EDITOR_SELECTION, "editor-selection", "black 153/cyan")                \
    X(RUN_OUTPUT, "run-output", "default default")                           \
    X(RUN_META, "run-meta", "244/white default")                             \
    X(RUN_ERROR, "run-error", "red default bold")

typedef enum {
#define PD_X_STYLE(id, name, def) PD_STYLE_##id,
    PD_STYLES(PD_X_STYLE)
#undef PD_X_STYLE
    PD_STYLE__COUNT
} pd_style;

typedef struct pd_theme pd_theme;

/* Loads a theme: name_or_path is a NAME (looked up as NAME.theme in the themes directories:
 * $XDG_CONFIG_HOME/promptdeck/themes, $XDG_DATA_HOME/promptdeck/themes, $PROMPTDECK_THEMES,
 * the install's share/promptdeck/themes next to the program, the source tree's themes/,
 * /usr/local/share and /usr/share/promptdeck/themes) or a PATH (contains a '/' or ends in .theme); NULL =
 * "default". Always returns a theme: on problems, *warnings (caller frees; NULL when none)
 * says "FILE:LINE: what" and the built-in defaults are used where needed. Call after initscr. */
pd_theme *pd_theme_load(const char *name_or_path, char **warnings);
void pd_theme_free(pd_theme *t);
/* The attributes (A_* | COLOR_PAIR) of a style. */
attr_t pd_theme_attr(const pd_theme *t, pd_style s);
/* A style by name ("diff-add"), or -1. */
int pd_style_by_name(const char *name);
/* The theme's name (file stem). */
const char *pd_theme_name(const pd_theme *t);
/* The style of a label (production and staging stand out). */
pd_style pd_style_for_label(const char *label);

/* The style of a message role's header (system and developer, user, assistant, others);
 * defined in editor_layout.c, for every pane that shows messages. */
pd_style pd_role_style(const char *role);

#endif
