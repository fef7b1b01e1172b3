#!/bin/sh
# tui_run_tmux.sh: the run panes on a real terminal (tmux) against the stand-in provider: fill
# variables, run, watch the answer stream while keys still work, cancel (partial kept), run to
# the end, compare two versions, reopen a run from the history and run it again; then a
# conversation of three turns and a tool call answered; then a history placeholder filled (P)
# from a past conversation and the request checked.
# Waits poll tmux capture-pane in bounded loops.
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v tmux >/dev/null 2>&1 || { notok "tmux is installed"; exit 0; }
LIB="$HOME/lib"
S="pdrun$$"
. "$top/tests/tui/run/setup.sh"
cp -R "$RUN_TEMPLATE" "$LIB"

tmux -L "$S" -f /dev/null new-session -d -s "$S" -x 120 -y 36 \
    "env HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
     TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 OPENAI_API_KEY='$KEY' OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1' \
     '$PROMPTDECK' --library '$LIB'; echo PD-EXITED \$?; sleep 30" || { notok "tmux session starts"; exit 1; }
on_exit "tmux -L '$S' kill-server 2>/dev/null"

screen() { tmux -L "$S" capture-pane -p -t "$S"; }
keys() { tmux -L "$S" send-keys -t "$S" "$@"; }
# wait_for NAME TEXT [TRIES]: polls the screen (every 50 ms, 10 s by default) until TEXT shows.
wait_for() {
    n=0
    while [ $n -lt "${3:-200}" ]; do
        if screen | grep -qF -- "$2"; then ok "$1"; return 0; fi
        sleep 0.05
        n=$((n + 1))
    done
    notok "$1" "'$2' never showed; the screen:
$(screen)"
    return 1
}
# streamed_bytes: the byte count the run pane shows while streaming.
streamed_bytes() { screen | sed -n 's/.*streaming · [0-9.]* m*s · \([0-9]*\) bytes.*/\1/p' | head -n 1; }

wait_for "app starts" "greet" || exit 0
keys ":open greet" Enter
wait_for "timeline opens" "greet: 2 versions" || exit 0
keys x
wait_for "variables form" "Variables: greet v2" || exit 0
# edit_done: Esc ends editing (waited for, so the next key is not read as Alt+key)
edit_done() { keys Escape; wait_for "$1" "(Enter edits, x runs)" || exit 0; }
keys Enter c a t s
wait_for "typing into the field" "cats" || exit 0
edit_done "editing ends with Esc"
keys x
wait_for "missing variable flagged" "missing: a value is needed"
keys j Enter p o e m s
wait_for "second field typed" "poems" || exit 0
edit_done "second field done"
keys m C-u "fake.slow" Enter
wait_for "model override shown" "fake.slow (instead of openai:fake)"
keys x
wait_for "the answer starts streaming" "streaming ·" || exit 0
wait_for "rendered Markdown arrives" "small carnivores" 400 || exit 0
b1=$(streamed_bytes)
# the keyboard stays live while it streams: help opens and closes, the form takes the focus
keys "?"
wait_for "help opens during the stream" "Help: keys of the run pane"
keys q
wait_for "help closes, the run is still streaming" "streaming ·"
n=0
while [ $n -lt 200 ]; do
    b2=$(streamed_bytes)
    [ -n "$b2" ] && [ -n "$b1" ] && [ "$b2" -gt "$b1" ] && break
    sleep 0.05
    n=$((n + 1))
done
check "more text arrived while keys were handled ($b1 -> ${b2:-?} bytes)" test "${b2:-0}" -gt "${b1:-0}"
keys c
wait_for "cancel stops it at once" "■ cancelled — the partial answer is kept above"
check_contains "the partial answer stays on screen" "$(screen)" "small carnivores"
check "the cancelled run is recorded" grep -q '"status": "cancelled"' "$(runs_of greet)"/*.json

# run to the end on the normal model
keys Tab m C-u fake Enter x
wait_for "a full run ends with usage and latency" "tokens: 11 in, 62 out" || exit 0
wait_for "finish reason shown" "✓ done · finish: stop"
s=$(screen)
check_contains "table rendered" "$s" "cat  │    4"
check_contains "escape shown visibly" "$s" "^[[31mred^[[0m"
if screen -e 2>/dev/null | grep -q "$(printf '\033')\[31mred"; then notok "no raw escape from the model"; else ok "no raw escape from the model"; fi

# compare two versions with the same variables
keys q q
wait_for "back on the timeline" "greet: 2 versions" || exit 0
keys m j m C
wait_for "compare form keeps the remembered values" "Variables: greet v1 vs v2"
check_contains "remembered value" "$(screen)" "poems"
keys x
wait_for "compare streams both" "Compare: greet"
n=0
done_count() { screen | grep -o '✓ done' | wc -l; }
while [ $n -lt 200 ] && [ "$(done_count)" -lt 2 ]; do sleep 0.05; n=$((n + 1)); done
check_eq "both sides finished, side by side" "$(done_count)" 2
check "both versions were sent" grep -q 'Tell me about cats in poems.' "$T_TMP/req.log"

# history: reopen a run, run it again
keys H
wait_for "history lists the runs" "Runs: greet (4,"
keys Enter
wait_for "a stored run reopens" "stored run: ok"
keys r
wait_for "and runs again" "ok in"
keys H
wait_for "the re-run is in the history" "Runs: greet (5,"
keys Q
wait_for "the app quits" "PD-EXITED 0"

# a conversation on a real terminal (issue 11): three turns (f types each follow-up), then a
# tool call shown as a block and answered (a), after which the model goes on
S="pdconv$$"
tmux -L "$S" -f /dev/null new-session -d -s "$S" -x 120 -y 36 \
    "env HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
     TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 OPENAI_API_KEY='$KEY' OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1' \
     '$PROMPTDECK' --library '$LIB'; echo PD-EXITED \$?; sleep 30" || { notok "second tmux session starts"; exit 1; }
on_exit "tmux -L '$S' kill-server 2>/dev/null"
wait_for "app starts again" "greet" || exit 0
keys ":open greet" Enter
wait_for "timeline opens again" "greet: 2 versions" || exit 0
keys x
wait_for "variables form again" "Variables: greet v2" || exit 0
keys m C-u "fake.echo" Enter
wait_for "the echo model is set" "fake.echo (instead of" || exit 0
keys x
wait_for "turn 1 answered" "(turn 1)" || exit 0
wait_for "turn 1 ends" "✓ done" || exit 0
keys f
wait_for "f asks for the follow-up" "Follow-up:" || exit 0
keys "And dogs?" Enter
wait_for "turn 2 answered with the conversation" "You said: And dogs? (turn 2)" || exit 0
keys f
wait_for "f asks again" "Follow-up:" || exit 0
keys "Thanks" Enter
wait_for "turn 3 answered" "You said: Thanks (turn 3)" || exit 0
check_contains "the earlier turns stay above" "$(screen)" "You: And dogs?"
check_eq "turns 2 and 3 are recorded continuing the one before" \
    "$(cat "$(runs_of greet)"/*.json | grep -c '"continues": "')" 2
keys q m C-u "fake.tools" Enter
wait_for "the tools model is set" "fake.tools (instead of" || exit 0
keys x
wait_for "the tool call is a block" "tool call get_weather" || exit 0
wait_for "the turn ends asking for the call" "finish: tool_calls" || exit 0
check_contains "the call's arguments shown" "$(screen)" '"city": "Paris"'
keys a
wait_for "a asks for the result" "Result of get_weather" || exit 0
keys "sunny" Enter
wait_for "the model goes on with the result" "Got sunny." || exit 0
check "the result was sent as a tool message" grep -q '"role":"tool","tool_call_id":"[^"]*","content":"sunny"' "$T_TMP/req.log"
keys Q
wait_for "the app quits after the conversation" "PD-EXITED 0"

# a history placeholder filled from a past conversation (issue 11): chat has one between its
# system and user messages; a first run makes a conversation, P in the form puts it in the
# placeholder, and the next request carries its messages where the placeholder stands
"$PROMPTDECK" --library "$LIB" create chat --name Chat --provider openai --model fake.echo \
    --message "system=Be brief." --placeholder history --message "user=Now: {{q}}" >/dev/null ||
    { notok "a prompt with a history placeholder"; exit 0; }
S="pdhist$$"
tmux -L "$S" -f /dev/null new-session -d -s "$S" -x 120 -y 36 \
    "env HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
     TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 OPENAI_API_KEY='$KEY' OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1' \
     '$PROMPTDECK' --library '$LIB'; echo PD-EXITED \$?; sleep 30" || { notok "third tmux session starts"; exit 1; }
on_exit "tmux -L '$S' kill-server 2>/dev/null"
wait_for "app starts a third time" "chat" || exit 0
keys ":open chat" Enter x
wait_for "the chat form shows the history field" "P picks a past conversation" || exit 0
keys Enter f i r s t
wait_for "the question typed" "first" || exit 0
edit_done "the question done"
keys x
wait_for "the first chat run is answered" "You said: Now: first (turn 1)" || exit 0
wait_for "the first chat run ends" "✓ done" || exit 0
keys q
wait_for "back in the chat form" "Variables: chat v1" || exit 0
keys P
wait_for "P fills the placeholder with that conversation" "history: the conversation of the run of" || exit 0
check_contains "the picked messages show in the field" "$(screen)" "You said: Now: first (turn 1)"
keys k k k d Enter s e c o n d
wait_for "a new question typed" "second" || exit 0
edit_done "the new question done"
keys x
wait_for "the run with the history is answered" "You said: Now: second (turn 2)" || exit 0
check_contains "the picked conversation was sent where the placeholder stands" "$(tail -n 1 "$T_TMP/req.log")" \
    '"messages":[{"role":"system","content":"Be brief."},{"role":"system","content":"Be brief."},{"role":"user","content":"Now: first"},{"role":"assistant","content":"You said: Now: first (turn 1)"},{"role":"user","content":"Now: second"}]'
keys Q
wait_for "the app quits after the history run" "PD-EXITED 0"
