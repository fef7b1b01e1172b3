#!/bin/sh
# tui_link_refs_tmux.sh: an answer whose link references are defined at its end, streamed into
# the run pane on a real terminal (tmux): the lines drawn before the definitions came are drawn
# again as links (the Markdown view lays them out again; the pane must redraw them too).
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
use_tmux
LIB="$HOME/lib"
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
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1"
export OPENAI_API_KEY OPENAI_BASE_URL
start_app refs "$LIB"
keys() { tm send-keys -t refs "$@"; }

# need NAME TEXT: a test that the screen shows TEXT (in up to 10 s); the test ends when not.
need() { if wait_for refs "$2" 500; then ok "$1"; else notok "$1" "screen lacks '$2':
$(screen refs)"; exit 0; fi; }
need "app starts" "greet"
keys ":open greet" Enter
need "timeline opens" "greet: 2 versions"
keys x
need "variables form" "Variables: greet v2"
# edit_field NAME KEYS...: types into the field (Enter starts, Esc ends: waited for, so the next
# key is not read as Alt+key)
edit_field() {
    t_name=$1
    shift
    keys Enter "$@"
    need "$t_name" "editing (Esc ends)"
    keys Escape
    n=0
    while screen refs | grep -qF "editing (Esc ends)" && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
}
edit_field "first field typed" c a t s
keys j
edit_field "second field typed" p o e m s
# 20 ms between 5-byte pieces: the first lines are drawn long before the definition comes
keys m C-u "fake.trickle" Enter x
need "the reference is drawn as written first" "See [the cat FAQ][faq] first."
# while it still streams (a run's end redraws the whole pane anyway)
need "drawn again as a link when the definition comes" "See the cat FAQ <https://cats.example/faq> first."
check_contains "while the answer still streams" "$(screen refs)" "streaming ·"
need "the run ends" "✓ done"
check_not_contains "no bracketed reference left on screen" "$(screen refs)" "[faq]"
keys q q q
