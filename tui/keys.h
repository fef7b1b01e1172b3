/* keys.h: key codes (characters, function keys, Ctrl/Alt), key names as written in scripts and
 * the config file, and the bindings of keys to actions (defaults + [keys] section overrides). */
#ifndef PD_KEYS_H
#define PD_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* A key is an int:
 *   - a Unicode code point for a typed character (Ctrl+x is the control code, 1..31, as usual;
 *     Enter is 13 ('\r'), Tab 9, Esc 27, Backspace 127);
 *   - PD_KEY_FN(KEY_xxx) for an ncurses function key (arrows, PgUp, F1, KEY_BTAB ...);
 *   - PD_KEY_ALT(k) for Alt/Meta + k (Esc immediately followed by k). */
#define PD_KEY_FN(k) (0x110000 + (k))
#define PD_KEY_ALT(k) (0x400000 | (k))
#define PD_KEY_CTRL(c) ((c) & 0x1f)
#define PD_KEY_ENTER 13
#define PD_KEY_TAB 9
#define PD_KEY_ESC 27
#define PD_KEY_BACKSPACE 127
/* true for a key that inserts text (a printable character, including space). */
bool pd_key_is_text(int key);

/* Parses one key name: "j", "<Enter>", "<Esc>", "<Tab>", "<S-Tab>", "<Space>", "<BS>", "<Del>",
 * "<Up>", "<Down>", "<Left>", "<Right>", "<Home>", "<End>", "<PgUp>", "<PgDn>", "<Ins>", "<F1>".."<F12>",
 * "<C-s>", "<M-x>" (Alt), "<Lt>" for '<', "<Colon>" for ':'. UTF-8 characters stand for themselves.
 * Returns the number of bytes consumed (> 0), or 0 when name does not start with a key. */
size_t pd_key_parse(const char *name, int *key);
/* The key's name as pd_key_parse reads it ("<C-s>", "j", "<PgDn>"); returns buf. */
const char *pd_key_name(int key, char *buf, size_t size);

/* Global actions: keys every view gets unless the view's own table binds the key first.
 * X(ID, config name, default keys, help) */
#define PD_GLOBAL_ACTIONS(X)                                                                  \
    X(UP, "up", "k <Up> <C-p>", "Move up")                                                    \
    X(DOWN, "down", "j <Down> <C-n>", "Move down")                                            \
    X(PAGE_UP, "page-up", "<PgUp> <C-b>", "Page up")                                          \
    X(PAGE_DOWN, "page-down", "<PgDn> <C-f> <Space>", "Page down")                            \
    X(HALF_UP, "half-page-up", "<C-u>", "Half a page up")                                     \
    X(HALF_DOWN, "half-page-down", "<C-d>", "Half a page down")                               \
    X(TOP, "top", "g <Home>", "Go to the first line")                                         \
    X(BOTTOM, "bottom", "G <End>", "Go to the last line")                                     \
    X(LEFT, "left", "h <Left>", "Scroll left / collapse")                                     \
    X(RIGHT, "right", "l <Right>", "Scroll right / expand")                                   \
    X(ENTER, "enter", "<Enter>", "Open the selected item")                                    \
    X(BACK, "back", "q <Esc>", "Go back (q on the main screen quits)")                        \
    X(QUIT, "quit", "Q", "Quit")                                                              \
    X(NEXT_PANE, "next-pane", "<Tab>", "Focus the other pane")                                \
    X(PREV_PANE, "prev-pane", "<S-Tab>", "Focus the other pane")                              \
    X(SPLIT_LEFT, "split-left", "<Lt>", "Move the split to the left")                         \
    X(SPLIT_RIGHT, "split-right", ">", "Move the split to the right")                         \
    X(HELP, "help", "? <F1>", "Show the keys of this pane")                                   \
    X(CMDLINE, "command", ":", "Open the command line")                                       \
    X(REDRAW, "redraw", "<C-l>", "Redraw the screen")                                         \
    X(SUSPEND, "suspend", "<C-z>", "Suspend to the shell (fg comes back)")

typedef enum {
    PD_ACT_NONE = 0,
#define PD_X_ENUM(id, name, keys, help) PD_ACT_##id,
    PD_GLOBAL_ACTIONS(PD_X_ENUM)
#undef PD_X_ENUM
    PD_ACT__GLOBAL_END,
    /* Views number their own actions from here (PD_VIEW_ACT + 0, + 1, ...). */
    PD_VIEW_ACT = 100
} pd_action;

/* One entry of a view's key table: its own actions, their config names, default keys and help.
 * The table ends with an entry whose action is 0. The same table drives `?` help.
 * A user rebinds with `VIEW.NAME = KEYS` in the [keys] section (e.g. `timeline.promote = P`);
 * global actions with `NAME = KEYS` (e.g. `down = j <Down>`). Rebinding replaces the defaults. */
typedef struct pd_keydef {
    int action;          /* >= PD_VIEW_ACT */
    const char *name;    /* config name, [a-z-] */
    const char *keys;    /* default keys, separated by spaces: "d <C-d>" */
    const char *help;    /* one line for `?` */
} pd_keydef;

#endif
