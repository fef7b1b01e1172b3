#!/bin/sh
# tui_live_tmux.sh: the app beside other writers of the same library (issue 9), in tmux: a label
# move made from a stale screen is refused (the label moved from the command line meanwhile) and
# the timeline shows where it is now.
. "$(dirname "$0")/lib.sh"
use_tmux
pd list >/dev/null 2>&1   # creates the library with the examples

start() { start_app "$1" "$LIB"; }

# P asked from what the screen showed (production on v2); the label moves to v1 from the
# command line before the answer: the move is refused, nothing is overwritten.
start stale
expect "the list shows the examples" stale "Prompts 4/4"
tm send-keys -t stale / c o d e - r e v i e w Enter G Enter
expect "Enter opens the timeline" stale "examples/code-review: 3 versions"
tm send-keys -t stale P
expect "P asks from what the screen shows" stale "Move production of examples/code-review from v2 to v3?"
pd label examples/code-review production 1 >/dev/null 2>&1
tm send-keys -t stale y
expect "the stale move is refused" stale "production moved meanwhile (now v1)"
check_contains "the command line's move stayed" "$(pd show examples/code-review --label production 2>&1 | head -n 1)" "version 1"
tm send-keys -t stale P
expect "the timeline shows the label where it is now" stale "Move production of examples/code-review from v1 to v3?"
tm send-keys -t stale y
expect "a move from a fresh screen goes through" stale "production moved from v1 to v3"
tm send-keys -t stale q q

# The views follow the library on disk without R: a version saved from the command line, a
# label moved, a prompt created; the cursor stays on the same version and prompt.
start live
expect "live: the list" live "Prompts 4/4"
tm send-keys -t live / t r a n s l a t e Enter G Enter
expect "live: the timeline of translate" live "examples/translate: 2 versions"
tm send-keys -t live j
pd update examples/translate --message "user=Translate {{text}} into {{language}}, politely." >/dev/null 2>&1 ||
    notok "live: a version saved from the command line"
expect "live: the new version shows up without R" live "examples/translate: 3 versions"
tm send-keys -t live Enter
expect "live: the cursor stayed on the same version" live "examples/translate v1"
tm send-keys -t live q
pd label examples/translate staging 3 >/dev/null 2>&1
expect "live: a label moved from the command line shows up" live "[stage]"
tm send-keys -t live q Escape
pd create team/fresh --name Fresh --model m --provider openai --message "user=hi" >/dev/null 2>&1
expect "live: a prompt created from the command line shows up in the list" live "Prompts 5/5"
tm send-keys -t live q q

# S syncs in the background: the library is a clone of a bare repository; a teammate's clone
# pushed a version; S pulls it (steps and result on the status row) and the list shows it.
if command -v git >/dev/null 2>&1; then
    git config --global user.name "Test Runner"
    git config --global user.email runner@example.com
    git config --global init.defaultBranch main
    R="$T_TMP/remote.git"
    git init -q --bare "$R"
    git clone -q "$R" "$T_TMP/a" 2>/dev/null
    git clone -q "$R" "$T_TMP/b" 2>/dev/null
    pa() { "$PROMPTDECK" --library "$T_TMP/a/lib" "$@"; }
    pb() { "$PROMPTDECK" --library "$T_TMP/b/lib" "$@"; }
    pa create team/greet --name Greeter --model m --provider openai --message "user=one" >/dev/null 2>&1
    pa sync >/dev/null 2>&1
    git -C "$T_TMP/a" push -q -u origin main 2>/dev/null
    git -C "$T_TMP/b" pull -q 2>/dev/null
    pb update team/greet --message "user=two" >/dev/null 2>&1
    pb sync >/dev/null 2>&1
    start_app sync "$T_TMP/a/lib"
    expect "sync: the list shows v1" sync "greet"
    tm send-keys -t sync S
    expect "sync: S syncs in the background and says how it ended" sync "Sync done"
    expect "sync: the version the teammate pushed shows up" sync " v2 "
    check_eq "sync: the clone has it" "$(pa versions team/greet --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>&1)" "2"
    tm send-keys -t sync S
    expect "sync: again: up to date" sync "up to date with origin/main"
    # the timeline marks the versions saved here and not pushed yet; S pushes them
    tm send-keys -t sync / g r e e t Enter G Enter
    expect "sync: the timeline" sync "team/greet: 2 versions"
    if screen sync | grep -qF "[unpushed]"; then notok "sync: pushed versions are not marked" "$(screen sync)"; else ok "sync: pushed versions are not marked"; fi
    pa update team/greet --message "user=three" >/dev/null 2>&1
    expect "sync: a version saved here is marked unpushed" sync "[unpushed]"
    tm send-keys -t sync q S
    expect "sync: S pushes it" sync "Sync done"
    tm send-keys -t sync Enter
    expect "sync: the timeline again" sync "team/greet: 3 versions"
    if screen sync | grep -qF "[unpushed]"; then notok "sync: no mark once pushed" "$(screen sync)"; else ok "sync: no mark once pushed"; fi
    tm send-keys -t sync q q
    # a teammate's version and label move brought by a plain git pull show up without R, and the
    # cursor stays on the version it was on
    start_app pull "$T_TMP/a/lib"
    expect "pull: the list" pull "greet"
    tm send-keys -t pull / g r e e t Enter G Enter
    expect "pull: the timeline" pull "team/greet: 3 versions"
    tm send-keys -t pull j
    git -C "$T_TMP/b" pull -q --no-edit 2>/dev/null
    pb update team/greet --message "user=four" >/dev/null 2>&1
    pb label team/greet production 2 >/dev/null 2>&1
    git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "by hand" && git -C "$T_TMP/b" push -q 2>/dev/null
    git -C "$T_TMP/a" pull -q --no-edit 2>/dev/null
    expect "pull: a version from a plain git pull shows up without R" pull "team/greet: 4 versions"
    expect "pull: and the teammate's label move" pull "[prod]"
    tm send-keys -t pull Enter
    expect "pull: the cursor stayed on the same version" pull "team/greet v2"
    tm send-keys -t pull q q q
    # a plain git merge of two clones' new versions: both shown, the second marked v5', the status
    # line says how to settle it; S does
    pb update team/greet --message "user=five by b" >/dev/null 2>&1
    git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "by hand" && git -C "$T_TMP/b" push -q 2>/dev/null
    start_app dup "$T_TMP/a/lib"
    expect "dup: the list" dup "greet"
    tm send-keys -t dup / g r e e t Enter G Enter
    expect "dup: the timeline" dup "team/greet: 4 versions"
    pa update team/greet --message "user=five by a" >/dev/null 2>&1
    pa label team/greet canary 5 >/dev/null 2>&1
    git -C "$T_TMP/a" add -A && git -C "$T_TMP/a" commit -q -m "by hand" && git -C "$T_TMP/a" pull -q --no-rebase --no-edit 2>/dev/null
    expect "dup: both fives are listed" dup "team/greet: 6 versions"
    expect "dup: the second is marked" dup "v5'"
    expect "dup: the status line says how to settle it" dup "team/greet: two v5 (a plain git merge): S or promptdeck fix renumbers"
    check_eq "dup: a label on a's v5 is shown on that row only" "$(screen dup | grep -c '\[canary\]')|$(screen dup | grep "v5'")" \
        "1|$(screen dup | grep '\[canary\]')"
    tm send-keys -t dup q S
    expect "dup: S settles it" dup "Sync done"
    tm send-keys -t dup Enter
    expect "dup: numbered apart" dup " v6 "
    if screen dup | grep -qF "v5'"; then notok "dup: no shared number left" "$(screen dup)"; else ok "dup: no shared number left"; fi
    tm send-keys -t dup q q
    # a sync that fails (its remote gone) says so, and the failure stays on the status row
    git -C "$T_TMP/a" remote set-url origin "$T_TMP/gone.git"
    start_app gone "$T_TMP/a/lib"
    expect "gone: the list" gone "greet"
    tm send-keys -t gone S
    expect "gone: S says the sync failed" gone "Sync failed"
    sleep 1
    if screen gone | grep -qF "Sync done"; then notok "gone: no 'done' over the failure" "$(screen gone)"; else ok "gone: no 'done' over the failure"; fi
    tm send-keys -t gone q q
fi
