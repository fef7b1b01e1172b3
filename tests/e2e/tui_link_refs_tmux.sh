#!/bin/sh
# tui_link_refs_tmux.sh: an answer whose link references are defined at its end, streamed into
# the run pane on a real terminal (tmux): the lines drawn before the definitions came are drawn
# again as links (the Markdown view lays them out again; the pane must redraw them too).
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v tmux >/dev/null 2>&1 || { notok "tmux is installed"; exit 0; }
LIB="$HOME/lib"
S="pdrefs$$"
KEY="sk-tui-refs-secret"
{
    printf 'See [the cat FAQ][faq] first.\n\nCats are small carnivores with soft fur and sharp claws.\n\n'
    printf '[faq]: https://cats.example/faq\n\nAfter the definition the answer goes on for a while:'
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf ' cats sleep and purr %s,' "$i"; done
    printf ' the end.\n'
} >"$T_TMP/answer.md"
"$PROMPTDECK" --library "$LIB" import "$top/tests/tui/run/greet.json" >/dev/null 2>"$T_TMP/import.err" ||
    { notok "library for the run pane" "$(cat "$T_TMP/import.err")"; exit 1; }
start_fake_provider "$KEY" "$T_TMP/answer.md"

tmux -L "$S" -f /dev/null new-session -d -s "$S" -x 100 -y 30 \
    "env HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
     TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 OPENAI_API_KEY='$KEY' OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1' \
     '$PROMPTDECK' --library '$LIB'; echo PD-EXITED \$?; sleep 30" || { notok "tmux session starts"; exit 1; }
on_exit "tmux -L '$S' kill-server 2>/dev/null"

screen() { tmux -L "$S" capture-pane -p -t "$S"; }
keys() { tmux -L "$S" send-keys -t "$S" "$@"; }
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

wait_for "app starts" "greet" || exit 0
keys ":open greet" Enter
wait_for "timeline opens" "greet: 2 versions" || exit 0
keys x
wait_for "variables form" "Variables: greet v2" || exit 0
# edit_field NAME KEYS...: types into the field (Enter starts, Esc ends: waited for, so the next
# key is not read as Alt+key)
edit_field() {
    t_name=$1
    shift
    keys Enter "$@"
    wait_for "$t_name" "editing (Esc ends)" || exit 0
    keys Escape
    n=0
    while screen | grep -qF "editing (Esc ends)" && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
}
edit_field "first field typed" c a t s
keys j
edit_field "second field typed" p o e m s
# 20 ms between 5-byte pieces: the first lines are drawn long before the definition comes
keys m C-u "fake.trickle" Enter x
wait_for "the reference is drawn as written first" "See [the cat FAQ][faq] first." 400 || exit 0
# while it still streams (a run's end redraws the whole pane anyway)
wait_for "drawn again as a link when the definition comes" "See the cat FAQ <https://cats.example/faq> first." 400 || exit 0
check_contains "while the answer still streams" "$(screen)" "streaming ·"
wait_for "the run ends" "✓ done" 400 || exit 0
check_not_contains "no bracketed reference left on screen" "$(screen)" "[faq]"
keys q q q
