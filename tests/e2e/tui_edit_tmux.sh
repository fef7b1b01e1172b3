#!/bin/sh
# tui_edit_tmux.sh: the real program in tmux at 80x24: edit a message and save it (the review
# diff is shown first), a conflict with a save made meanwhile from the command line, the
# $EDITOR hand-off, and an edit that survives SIGHUP: kill the program mid-edit, restart, the
# draft is offered, restored and saved; SIGTERM likewise; a SIGKILL crash after a pause in typing
# still finds the draft written at the pause.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - tmux not installed: skipped"; exit 0; }
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
sock="$T_TMP/tmux.sock"
drafts="$XDG_STATE_HOME/promptdeck/drafts"
t() { tmux -S "$sock" "$@"; }
on_exit 't kill-server >/dev/null 2>&1'
pd import "$top/tests/tui/special.json" >/dev/null 2>&1 || notok "import the test library"

# start NAME [ENV...]: the app in a new 80x24 session.
start() {
    s=$1
    shift
    t new-session -d -s "$s" -x 80 -y 24 \
        "exec env TERM=tmux-256color HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' $* '$PROMPTDECK' --library '$LIB'"
}
screen() { t capture-pane -p -t "$1" 2>/dev/null; }
# wait_for NAME TEXT WHAT: polls the screen (at most ~10 s) until TEXT shows.
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        case "$(screen "$1")" in *"$2"*) ok "$3"; return 0 ;; esac
        i=$((i + 1))
        sleep 0.05
    done
    notok "$3" "no '$2' on the screen:
$(screen "$1")"
    return 1
}
keys() { s=$1; shift; t send-keys -t "$s" "$@"; }
# signal_app NAME SIG: sends SIG to the session's program and waits (bounded) for it to end.
signal_app() {
    pid=$(t display-message -p -t "$1" '#{pane_pid}')
    kill -"$2" "$pid"
    i=0
    while running "$pid" && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
    if running "$pid"; then notok "SIG$2 ends the program"; else ok "SIG$2 ends the program"; fi
}
# running PID: the process exists and is not a zombie tmux has yet to reap.
running() {
    st=$(ps -o stat= -p "$1" 2>/dev/null)
    [ -n "$st" ] && case "$st" in Z*) false ;; *) true ;; esac
}
versions() { pd versions alpha --json 2>/dev/null | grep -c '^    "version": '; }

# ---- edit, review, save
start a
t set-option -g exit-empty off   # sessions come and go: the server must not end in between
wait_for a "Prompts 9/9" "the app starts at 80x24"
keys a /alpha Enter j e
wait_for a "Edit alpha (from v2)" "e opens the editor"
keys a -l "Hello tmux "
wait_for a "Hello tmux one" "typed text shows in place"
keys a C-s
wait_for a "+Hello tmux one" "Ctrl-S shows the review diff first"
check_eq "nothing saved before y" "$(versions)" 2
keys a y
wait_for a "Saved alpha v3" "y saves a new version"
check_eq "versions --json lists v3" "$(versions)" 3
check_contains "v3 holds the edit" "$(pd versions alpha --json)" '"content": "Hello tmux one'

# ---- someone saves meanwhile: the conflict shows both sides, nothing is overwritten
keys a e
wait_for a "Edit alpha (from v3)" "the editor opens on v3"
keys a -l "Mine "
wait_for a "Mine Hello" "typed"
pd update alpha --message user="Theirs" --commit-message "their change" >/dev/null 2>&1
keys a C-s y
wait_for a "Conflict: v4 was saved while you edited" "a save made meanwhile is a conflict"
wait_for a "-Theirs" "the conflict shows their side"
wait_for a "+Mine Hello tmux one" "and yours"
check_eq "the conflict saved nothing" "$(versions)" 4
keys a q
wait_for a "Edit alpha (from v3, current v4)" "back in the editor, based on v4 now"
keys a C-s
wait_for a "Review: alpha v4 -> v5" "Ctrl-S reviews against v4"
keys a y
wait_for a "Saved alpha v5" "saved on top of v4"
check_eq "v5 exists" "$(versions)" 5

# ---- $EDITOR hand-off: a fake editor changes the text
t kill-session -t a
start b "EDITOR='sed -i s/Mine/Edited/'"
wait_for b "Prompts 9/9" "restarted with EDITOR set"
keys b /alpha Enter j e
wait_for b "Edit alpha (from v5)" "editor open"
keys b C-o
wait_for b "updated from sed" "Ctrl-O runs \$EDITOR and reads the text back"
wait_for b "Edited Hello" "the edited text is in the editor"
keys b Escape
wait_for b "Drop your unsaved changes?" "leaving asks"
keys b y
wait_for b "Changes to alpha dropped" "dropped"
t kill-session -t b

# ---- SIGHUP mid-edit keeps the draft; the next start offers it
start c
wait_for c "Prompts 9/9" "started again"
keys c /alpha Enter j e
wait_for c "Edit alpha (from v5)" "editor open"
keys c -l "Survives HUP "
wait_for c "Survives HUP Mine" "typed before the hang-up"
signal_app c HUP
n=$(find "$drafts" -name '*.json' -perm 600 2>/dev/null | wc -l | tr -d ' ')
check_eq "a private draft is on disk after SIGHUP" "$n" 1
check_contains "the draft holds the typed text" "$(cat "$drafts"/*.json 2>/dev/null)" "Survives HUP"
t kill-session -t c >/dev/null 2>&1
start d
wait_for d "Restore unsaved edit of alpha (v5" "the next start offers the draft"
keys d y
wait_for d "Survives HUP Mine" "restored: the typed text is there"
keys d C-s
wait_for d "+Survives HUP Mine" "the review shows it"
keys d y
wait_for d "Saved alpha v6" "saved"
check_contains "v6 holds the restored text" "$(pd versions alpha --json)" '"content": "Survives HUP Mine'
n=$(find "$drafts" -name '*.json' 2>/dev/null | wc -l | tr -d ' ')
check_eq "the draft is gone after the save" "$n" 0
keys d q

# ---- SIGTERM mid-edit keeps the draft too
start e
wait_for e "Prompts 9/9" "started once more"
keys e /alpha Enter j e
wait_for e "Edit alpha (from v6)" "editor open on v6"
keys e -l "Survives TERM "
wait_for e "Survives TERM Survives" "typed before SIGTERM"
signal_app e TERM
check_contains "the draft holds the text typed before SIGTERM" "$(cat "$drafts"/*.json 2>/dev/null)" "Survives TERM"
check_eq "SIGTERM saved no version" "$(versions)" 6
t kill-session -t e >/dev/null 2>&1

# ---- a crash (SIGKILL: no handler runs at all) loses at most the typing since the last pause
start f
wait_for f "Restore unsaved edit of alpha (v6" "the SIGTERM draft is offered"
keys f y
wait_for f "Survives TERM Survives" "restored"
keys f -l "Crash "
wait_for f "Survives TERM Crash Survives" "typed where the cursor was restored, before the crash"
i=0
until grep -q "TERM Crash Survives" "$drafts"/*.json 2>/dev/null || [ $i -ge 200 ]; do i=$((i + 1)); sleep 0.05; done
check_contains "the draft is written after a pause in typing" "$(cat "$drafts"/*.json 2>/dev/null)" "TERM Crash Survives"
signal_app f KILL
t kill-session -t f >/dev/null 2>&1
start g
wait_for g "Restore unsaved edit of alpha" "after the crash the draft is offered"
keys g y
wait_for g "Survives TERM Crash Survives" "the text typed before the pause is there"
keys g Escape
wait_for g "Drop your unsaved changes?" "leaving asks"
keys g y
wait_for g "Changes to alpha dropped" "dropped on request"
n=$(find "$drafts" -name '*.json' 2>/dev/null | wc -l | tr -d ' ')
check_eq "a dropped edit leaves no draft" "$n" 0
check_eq "and no version" "$(versions)" 6
