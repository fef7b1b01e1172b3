#!/bin/sh
# boundaries.sh: the module boundaries of ARCHITECTURE.md are build errors: an api file that
# includes a tui header, a module that opens another's *_priv.h, and api code that calls
# ncurses each fail to build with a message naming the problem; the allowed includes build.
. "$(dirname "$0")/lib.sh"
top=$PD_TOP
flags() { make -s -C "$top" --no-print-directory "print-$1"; }
api_cflags=$(flags API_CFLAGS)
tui_cflags=$(flags TUI_CFLAGS)
api_libs=$(flags API_LIBS)
cc=${CC:-cc}
[ -n "$api_cflags" ] && [ -n "$api_libs" ] || notok "make prints the build's flags"

# probe NAME MODULE_FLAGS MODULE BODY: compiles BODY as a file of MODULE; output in $T_TMP/NAME.log
probe() {
    printf '%s\n' "$4" >"$T_TMP/$1.c"
    (cd "$top" && $cc $2 -DPD_MODULE_$3 -c "$T_TMP/$1.c" -o "$T_TMP/$1.o") >"$T_TMP/$1.log" 2>&1
}
builds() { if probe "$@"; then ok "$1 builds"; else notok "$1 builds" "$(cat "$T_TMP/$1.log")"; fi; }
# refused NAME FLAGS MODULE BODY MESSAGE: the compile fails and says MESSAGE
refused() {
    msg=$5
    if probe "$1" "$2" "$3" "$4"; then
        notok "$1 is refused" "it compiled"
    else
        check_contains "$1 is refused: $msg" "$(cat "$T_TMP/$1.log")" "$msg"
    fi
}

builds api-uses-api-public "$api_cflags" run '#include "store/store.h"
#include "net/net.h"
int f(void); int f(void) { return 0; }'
refused api-includes-tui "$api_cflags" store '#include "core/core.h"' "core/core.h: No such file"
refused api-includes-pane-header "$api_cflags" store '#include "panes/panes.h"' "panes/panes.h: No such file"
refused api-opens-other-private "$api_cflags" run '#include "store/store_priv.h"' \
    "store/store_priv.h is private to the store module"
builds core-opens-own-private "$tui_cflags" core '#include "core/core_priv.h"'
refused pane-opens-core-private "$tui_cflags" panes '#include "core/core_priv.h"' \
    "core/core_priv.h is private to the core module"
refused pane-opens-editor-private "$tui_cflags" panes '#include "editor/editor_priv.h"' \
    "editor/editor_priv.h is private to the editor module"
builds pane-uses-core-public "$tui_cflags" panes '#include "core/core.h"
#include "editor/editor.h"'

# api code that draws: it compiles (curses.h is a system header) but libpromptdeck.a, linked
# whole with the api's libraries alone as the Makefile does, cannot resolve it.
probe api-draws "$api_cflags" markdown '#include <curses.h>
void pd_probe_draw(void); void pd_probe_draw(void) { initscr(); }' || notok "api-draws compiles" "$(cat "$T_TMP/api-draws.log")"
printf 'int main(void) { return 0; }\n' >"$T_TMP/main.c"
ar rcs "$T_TMP/libprobe.a" "$T_TMP/api-draws.o"
if $cc -o "$T_TMP/alone" "$T_TMP/main.c" -Wl,--whole-archive "$T_TMP/libprobe.a" -Wl,--no-whole-archive $api_libs \
    >"$T_TMP/link.log" 2>&1; then
    notok "api code calling ncurses fails the api-alone link" "it linked"
else
    check_contains "api code calling ncurses fails the api-alone link" "$(cat "$T_TMP/link.log")" "undefined reference to \`initscr'"
fi
grep -q -- '--whole-archive $@ -Wl,--no-whole-archive $(API_LIBS)' "$top/Makefile" &&
    ok "the Makefile links libpromptdeck.a alone" || notok "the Makefile links libpromptdeck.a alone"
