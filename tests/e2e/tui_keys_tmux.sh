#!/bin/sh
# tui_keys_tmux.sh: issue 13's app-wide items on a real terminal (tmux): y sends the clipboard
# through OSC 52 (the bytes the program writes are read with pipe-pane: the sequence, its base64
# and tmux's passthrough; with set-clipboard on tmux keeps it as a buffer), or writes a file on
# TERM=linux; bracketed paste (paste-buffer -p) is one event: dropped in the list, one line in
# the filter, one edit in the editor, and the mode is turned off on exit; the key bar follows
# live layout changes (K, resizes, a screen too short); TERM=dumb is refused with a message.
. "$(dirname "$0")/lib.sh"
use_tmux
pd list >/dev/null 2>&1   # creates the library with the examples

# start SESSION COLS ROWS TERM: the app in a new session; its output also goes to
# $T_TMP/SESSION.out (pipe-pane) and its exit status to $T_TMP/SESSION.exit.
start() {
    rm -f "$T_TMP/$1.exit" "$T_TMP/$1.out"
    tm new-session -d -s "$1" -x "$2" -y "$3" \
        "sleep 0.3; env TERM=$4 HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
         XDG_DATA_HOME='$XDG_DATA_HOME' '$PROMPTDECK' --library '$LIB'; echo \$? >'$T_TMP/$1.exit'; sleep 30"
    tm pipe-pane -o -t "$1" "cat >>'$T_TMP/$1.out'"
}
# wait_out SESSION PATTERN: polls until the program's output matches the grep -E PATTERN.
wait_out() {
    i=0
    while [ "$i" -lt 250 ]; do
        grep -aqE -- "$2" "$T_TMP/$1.out" 2>/dev/null && return 0
        i=$((i + 1))
        sleep 0.02
    done
    return 1
}
wait_exit() {
    i=0
    while [ "$i" -lt 250 ] && [ ! -s "$T_TMP/$1.exit" ]; do i=$((i + 1)); sleep 0.02; done
}
esc=$(printf '\033')
bel=$(printf '\007')

# ---- OSC 52: the bytes sent, decoded; tmux takes them with set-clipboard on
tm new-session -d -s keep "sleep 600"   # a server to set the option on
tm set -g set-clipboard on
start osc 80 24 xterm-256color
expect "osc: the list is up" osc "Prompts"
tm send-keys -t osc j y
expect "osc: y says what it copied" osc "to the clipboard (OSC 52"
wait_out osc "${esc}\\]52;c;[A-Za-z0-9+/=]+${bel}" && ok "osc: an OSC 52 sequence is written" ||
    notok "osc: an OSC 52 sequence is written" "$(od -c "$T_TMP/osc.out" | tail -n 20)"
b64=$(grep -aoE "${esc}\\]52;c;[A-Za-z0-9+/=]+${bel}" "$T_TMP/osc.out" | head -n 1 | sed "s/^${esc}\\]52;c;//; s/${bel}\$//")
slug=$(pd list 2>/dev/null | awk 'NR==1{print $1}')
copied=$(printf '%s' "$b64" | base64 -d 2>&1)
check_contains "osc: the base64 decodes to the selected prompt's version" "$copied" "[settings]"
check_eq "osc: the version as the diff shows it" "$(printf '%s' "$copied" | head -n 1 | cut -c1-8)" "version "
grep -aqF "${esc}Ptmux;${esc}${esc}]52;c;$b64${bel}${esc}\\" "$T_TMP/osc.out" &&
    ok "osc: inside tmux also through the DCS passthrough (ESC doubled)" ||
    notok "osc: inside tmux also through the DCS passthrough" "$(od -c "$T_TMP/osc.out" | tail -n 20)"
i=0
while [ "$i" -lt 100 ] && [ "$(tm show-buffer 2>/dev/null)" != "$copied" ]; do i=$((i + 1)); sleep 0.02; done
check_eq "osc: tmux (set-clipboard on) holds the copied text" "$(tm show-buffer 2>/dev/null)" "$copied"
[ -n "$slug" ] || notok "osc: the library lists prompts"

# ---- bracketed paste: one event; never keys
wait_out osc "${esc}\\[\\?2004h" && ok "paste: bracketed paste is turned on" || notok "paste: bracketed paste is turned on"
tm send-keys -t osc g
expect "paste: cursor on the first row" osc " 1/"
tm set-buffer -b p "$(printf 'jjjj:quit\nq')"
tm paste-buffer -p -b p -t osc
expect "paste: the list drops a paste with a message" osc "Paste ignored: the list pane takes no text"
screen osc | head -n 1 | grep -q " 1/" && ok "paste: its j did not move the cursor" || notok "paste: its j did not move the cursor" "$(screen osc)"
tm send-keys -t osc /
tm set-buffer -b p "$(printf 'code\nq')"
tm paste-buffer -p -b p -t osc
expect "paste: the filter takes it on one line" osc "filter: code q"
tm send-keys -t osc C-u Escape Escape g j e
expect "paste: the editor is open" osc "EDITOR"
tm set-buffer -b p "$(printf 'pasted line one\npasted line two')"
tm paste-buffer -p -b p -t osc
expect "paste: the editor takes it as text" osc "pasted line two"
expect "paste: the editor takes it as one edit" osc "Pasted 31 bytes"
tm send-keys -t osc C-z
i=0
while [ "$i" -lt 250 ] && screen osc | grep -q "pasted line"; do i=$((i + 1)); sleep 0.02; done
screen osc | grep -q "pasted line" && notok "paste: one undo takes the whole paste back" "$(screen osc)" ||
    ok "paste: one undo takes the whole paste back"
tm send-keys -t osc Escape
wait_for osc "Drop your unsaved changes" 50 && tm send-keys -t osc y
tm send-keys -t osc Q
wait_exit osc
check_eq "paste: the app quits (exit 0)" "$(cat "$T_TMP/osc.exit" 2>/dev/null)" 0
grep -aqF "${esc}[?2004l" "$T_TMP/osc.out" && ok "paste: bracketed paste is turned off on exit" ||
    notok "paste: bracketed paste is turned off on exit"

# ---- TERM=linux: no OSC 52 there, the copy goes to a file
start lin 80 24 linux
expect "linux: the list is up" lin "Prompts"
tm send-keys -t lin j y
expect "linux: y says where the copy went" lin "Copied"
f="$XDG_STATE_HOME/promptdeck/clipboard"
i=0
while [ "$i" -lt 100 ] && [ ! -s "$f" ]; do i=$((i + 1)); sleep 0.02; done
check_eq "linux: the file holds what y copied" "$(cat "$f" 2>/dev/null)" "$copied"
check_eq "linux: the file is the user's only" "$(stat -c %a "$f" 2>/dev/null)" 600
grep -aq "52;c;" "$T_TMP/lin.out" && notok "linux: no OSC 52 sent" || ok "linux: no OSC 52 sent"
tm send-keys -t lin Q

# ---- the key bar through live layout changes
start bar 80 24 xterm-256color
expect "bar: the list is up" bar "Prompts"
rows_of() { screen "$1" | wc -l; }
bar_row() { screen bar | sed -n "$(($(rows_of bar) - 1))p"; }
case "$(bar_row)" in *"Enter open"*"/ filter"*"? help"*) ok "bar: the list's keys above the status row" ;;
*) notok "bar: the list's keys above the status row" "$(screen bar)" ;; esac
tm send-keys -t bar j Enter
expect "bar: the timeline opens" bar "versions"
wait_for bar "d diff" >/dev/null
case "$(bar_row)" in *"d diff"*"m mark"*) ok "bar: follows the focus to the timeline" ;;
*) notok "bar: follows the focus to the timeline" "$(screen bar)" ;; esac
tm send-keys -t bar K
expect "bar: K hides it" bar "Key bar hidden"
tm resize-window -t bar -x 200 -y 50
i=0
while [ "$i" -lt 250 ] && [ "$(rows_of bar)" != 50 ]; do i=$((i + 1)); sleep 0.02; done
tm send-keys -t bar K
wait_for bar "m mark" >/dev/null
case "$(bar_row)" in *"d diff"*"m mark"*) ok "bar: K shows it again at the new size (200x50)" ;;
*) notok "bar: K shows it again at the new size (200x50)" "$(screen bar)" ;; esac
tm resize-window -t bar -x 80 -y 5
i=0
while [ "$i" -lt 250 ] && [ "$(rows_of bar)" != 5 ]; do i=$((i + 1)); sleep 0.02; done
# redrawn at 5 rows: the title on the first row, and no room for the bar
i=0
while [ "$i" -lt 250 ] && ! { screen bar | head -n 1 | grep -q "versions" && ! screen bar | grep -q "m mark"; }; do
    i=$((i + 1))
    sleep 0.02
done
[ "$i" -lt 250 ] && ok "bar: a screen of 5 rows has no room for it" || notok "bar: a screen of 5 rows has no room for it" "$(screen bar)"
tm resize-window -t bar -x 80 -y 24
wait_for bar "m mark" && ok "bar: back at 80x24" || notok "bar: back at 80x24" "$(screen bar)"
tm send-keys -t bar q q
wait_exit bar
check_eq "bar: quits" "$(cat "$T_TMP/bar.exit" 2>/dev/null)" 0

# ---- TERM=dumb is refused like an unknown terminal
start dumb 80 24 dumb
wait_exit dumb
check_eq "dumb: refused (exit 2)" "$(cat "$T_TMP/dumb.exit" 2>/dev/null)" 2
expect "dumb: says why" dumb "cannot move the cursor"
