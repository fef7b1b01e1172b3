#!/bin/sh
# tui_tmux.sh: the real program in tmux at 80x24 and 200x50: browse, filter, timeline, diff,
# promote a label, resize mid-way, quit; the terminal is restored after quit, SIGTERM and SIGHUP;
# it starts under TERM=xterm-256color, screen-256color, tmux-256color, linux and vt100.
# Screens are read with capture-pane in bounded polling loops (no fixed sleeps).
. "$(dirname "$0")/lib.sh"
use_tmux
pd list >/dev/null 2>&1   # creates the library with the examples
"$PROMPTDECK" --library "$LIB" import "$PD_SHARED/data/fabric-library.json" >/dev/null 2>&1 ||
    notok "import the fabric library"

# start SESSION COLS ROWS TERM: runs the app in a new session; its exit status and the tty
# settings after it ends are written to $T_TMP/SESSION.exit and .stty.
start() {
    rm -f "$T_TMP/$1.exit" "$T_TMP/$1.stty"
    tm new-session -d -s "$1" -x "$2" -y "$3" \
        "trap '' HUP; env TERM=$4 HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
         XDG_DATA_HOME='$XDG_DATA_HOME' '$PROMPTDECK' --library '$LIB'; echo \$? >'$T_TMP/$1.exit'; \
         stty -a >'$T_TMP/$1.stty' 2>&1; sleep 30"
}
# restored NAME SESSION: the app ended and left the tty in its normal (cooked, echoing) mode.
restored() {
    if ! wait_file "$T_TMP/$2.exit" || ! wait_file "$T_TMP/$2.stty"; then
        notok "$1: the app ended" "$(screen "$2")"
        return
    fi
    if grep -q -- ' icanon' "$T_TMP/$2.stty" && grep -q -- ' echo ' "$T_TMP/$2.stty" &&
        ! grep -q -- '-icanon\|-echo ' "$T_TMP/$2.stty"; then
        ok "$1: terminal restored (exit $(cat "$T_TMP/$2.exit"))"
    else
        notok "$1: terminal restored" "$(cat "$T_TMP/$2.stty")"
    fi
}

for size in 80x24 200x50; do
    cols=${size%x*}
    rows=${size#*x}
    s="main$cols"
    pd unlabel analyze-prose production >/dev/null 2>&1
    start "$s" "$cols" "$rows" tmux-256color
    expect "$size: the list shows the library" "$s" "Prompts 184/184"
    tm send-keys -t "$s" j j j
    expect "$size: j moves the cursor" "$s" "4/185"
    tm send-keys -t "$s" / p r o s e
    expect "$size: / filters as you type" "$s" "filter: prose"
    tm send-keys -t "$s" Enter g Enter
    expect "$size: Enter opens the timeline" "$s" "analyze-prose: 58 versions"
    tm send-keys -t "$s" d
    expect "$size: d opens the side-by-side diff" "$s" "analyze-prose v57 -> v58"
    tm send-keys -t "$s" u
    expect "$size: u switches to unified" "$s" "unified"
    tm send-keys -t "$s" q j P
    expect "$size: P asks before promoting" "$s" "Label v57 of analyze-prose as production? [y/N]"
    tm send-keys -t "$s" y
    expect "$size: the label moves" "$s" "analyze-prose: production is now v57"
    check_contains "$size: the library has the label" "$(pd show analyze-prose --label production 2>&1 | head -n 1)" "version 57"
    tm resize-window -t "$s" -x $((cols - 10)) -y $((rows - 4))
    # the title bar is redrawn at the new width: its position indicator ends in the last column
    i=0
    while [ "$i" -lt 250 ] && [ "$(screen "$s" | head -n 1 | sed 's/│/|/g' | awk '{print length}')" != $((cols - 11)) ]; do
        i=$((i + 1))
        sleep 0.02
    done
    [ "$i" -lt 250 ] && ok "$size: redrawn after a resize" || notok "$size: redrawn after a resize" "$(screen "$s")"
    lines=$(screen "$s" | wc -l)
    [ "$lines" = $((rows - 4)) ] && ok "$size: the screen has the new size" || notok "$size: the screen has the new size" "$lines lines"
    tm send-keys -t "$s" Enter
    expect "$size: detail after the resize" "$s" "analyze-prose v57: 1 message"
    tm send-keys -t "$s" Escape Escape Escape q
    restored "$size: q quits" "$s"
    [ "$(cat "$T_TMP/$s.exit" 2>/dev/null)" = 0 ] && ok "$size: exit status 0" || notok "$size: exit status 0"
done

# Signals: SIGTERM and SIGHUP end the app and give the terminal back.
start term 80 24 xterm-256color
expect "SIGTERM: running" term "Prompts 184/184"
pkill -TERM -f "^$PROMPTDECK --library $LIB\$" 2>/dev/null || kill -TERM "$(pgrep -f "^$PROMPTDECK --library $LIB\$")"
restored "SIGTERM" term
[ "$(cat "$T_TMP/term.exit" 2>/dev/null)" = 143 ] && ok "SIGTERM: exit status 143" || notok "SIGTERM: exit status 143" "$(cat "$T_TMP/term.exit" 2>/dev/null)"

start hup 80 24 xterm-256color
expect "SIGHUP: running" hup "Prompts 184/184"
pid=$(pgrep -f "^$PROMPTDECK --library $LIB\$")
kill -HUP "$pid"
wait_file "$T_TMP/hup.exit" && [ "$(cat "$T_TMP/hup.exit")" = 129 ] && ok "SIGHUP: the app ends (129)" ||
    notok "SIGHUP: the app ends (129)" "$(cat "$T_TMP/hup.exit" 2>/dev/null)"

# A crash (SIGSEGV) still puts the terminal back before the program dies.
start segv 80 24 xterm-256color
expect "SIGSEGV: running" segv "Prompts 184/184"
kill -SEGV "$(pgrep -f "^$PROMPTDECK --library $LIB\$")"
restored "SIGSEGV" segv
[ "$(cat "$T_TMP/segv.exit" 2>/dev/null)" = 139 ] && ok "SIGSEGV: dies of the signal (139)" ||
    notok "SIGSEGV: dies of the signal (139)" "$(cat "$T_TMP/segv.exit" 2>/dev/null)"

# Terminal types.
for t in xterm-256color screen-256color tmux-256color linux vt100; do
    start "t$t" 80 24 "$t"
    expect "TERM=$t: draws the list" "t$t" "Prompts 184/184"
    tm send-keys -t "t$t" j Enter
    expect "TERM=$t: opens a timeline" "t$t" "versions"
    tm send-keys -t "t$t" q q
    restored "TERM=$t: quits cleanly" "t$t"
done

# Colors: 256 colors where the terminal has them, the 8-color fallback, NO_COLOR honoured.
# (capture-pane -e keeps the escape sequences tmux would send for each cell)
colors() { tm capture-pane -e -p -t "$1"; }
start c256 80 24 tmux-256color
wait_for c256 "Prompts 184/184" >/dev/null
case "$(colors c256)" in *"38;5;"*) ok "256 colors on tmux-256color" ;; *) notok "256 colors on tmux-256color" ;; esac
tm send-keys -t c256 q
start c8 80 24 linux
wait_for c8 "Prompts 184/184" >/dev/null
out=$(colors c8)
case "$out" in *"38;5;"*) notok "8 colors on TERM=linux" ;; *"[3"[0-7]*) ok "8 colors on TERM=linux" ;; *) notok "8 colors on TERM=linux" "$out" ;; esac
tm send-keys -t c8 q
rm -f "$T_TMP/nc.exit"
tm new-session -d -s nc -x 80 -y 24 "env NO_COLOR=1 TERM=tmux-256color HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' '$PROMPTDECK' --library '$LIB'; sleep 30"
wait_for nc "Prompts 184/184" >/dev/null
out=$(colors nc)
# a color is SGR 30-37/40-47/90-97/100-107 or 38;5/48;5 (39 and 49 are "the default color")
if printf '%s\n' "$out" | grep -qE '\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5|48;5)[m;]'; then
    notok "NO_COLOR: no colors, only attributes" "$out"
elif printf '%s\n' "$out" | grep -q '\[7m'; then
    ok "NO_COLOR: no colors, only attributes (reverse video for the cursor)"
else
    notok "NO_COLOR: the cursor is in reverse video" "$out"
fi
tm send-keys -t nc q
