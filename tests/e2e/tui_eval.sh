#!/bin/sh
# tui_eval.sh: the evaluation pane off-terminal (scripted mode) against the stand-in provider
# (tests/servers/fake_provider.py, the echo mode: each answer repeats the prompt, so versions
# differ): opened from the timeline, cells filling in, the filters, a cell opened, sideways
# scrolling. Each tests/tui/eval/NAME.keys dumps screens compared with tests/tui/eval/expected/NAME/
# after times and dates are normalised. PD_TUI_UPDATE=1 rewrites the expected dumps.
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir="$top/tests/tui/eval"
select_scripts "$dir" "$@"
LIB="$HOME/lib"
mkdir -p "$XDG_CONFIG_HOME/promptdeck" && echo "keybar = false" >"$XDG_CONFIG_HOME/promptdeck/config"
KEY="sk-tui-eval-secret"
printf 'unused\n' >"$T_TMP/answer.md"
start_fake_provider "$KEY" "$T_TMP/answer.md"
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1"
export OPENAI_API_KEY OPENAI_BASE_URL
tpl="$T_TMP/lib-template"
"$PROMPTDECK" --library "$tpl" import "$dir/quiz.json" >/dev/null 2>"$T_TMP/import.err" ||
    { notok "library for the eval pane" "$(cat "$T_TMP/import.err")"; exit 1; }
cp "$dir/tests.json" "$tpl/prompts/quiz/tests.json"

today=$(date -u +%Y-%m-%d)
normalise() {
    sed -E -e "s/$today[ T][0-9][0-9]:[0-9][0-9](:[0-9][0-9]Z)?/TODAY/g" -e "s/$today/TODAY/g" \
        -e 's/[0-9]+(\.[0-9]+)? (ms|s)\b */T /g' -e "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g" "$1"
}

for keys in "$dir"/*.keys; do
    name=$(basename "$keys" .keys)
    selected "$name" || continue
    rm -rf "$LIB" "$XDG_STATE_HOME" "$HOME/.cache"
    cp -R "$tpl" "$LIB"
    sent_before=$(cat "$T_TMP/req.log" 2>/dev/null | wc -l)
    out="$T_TMP/out/$name"
    mkdir -p "$out"
    err=$(cd "$HOME" && "$PROMPTDECK" --library "$LIB" --script "$keys" --size 80x24 --dump "$out" 2>&1)
    rc=$?
    if [ "$rc" != 0 ]; then
        notok "$name: the script runs" "exit $rc: $err"
        continue
    fi
    for f in "$out"/*; do
        if grep -q "$(printf '\033')" "$f"; then
            notok "$name/$(basename "$f"): no raw escape on the screen"
        fi
        if grep -q -e "$KEY" "$f"; then
            notok "$name/$(basename "$f"): the API key is never on the screen (a cell's request shows it redacted)"
        fi
        normalise "$f" >"$f.n" && mv "$f.n" "$f"
    done
    compare_dumps "$name" "$out" "$dir/expected/$name"
    case $name in
    eval_matrix)
        check_eq "eval_matrix: the results are kept" "$(ls "$XDG_STATE_HOME"/promptdeck/evals/*/*.json | wc -l)" 1
        check_eq "eval_matrix: eight requests, one per cell" "$(($(wc -l <"$T_TMP/req.log") - sent_before))" 8
        ;;
    eval_keep)
        check_contains "eval_keep: the run kept with its answer expected" "$(cat "$LIB/prompts/quiz/tests.json")" \
            '"expected": "You said: Shout bees (turn 1)"'
        check_contains "eval_keep: with its description" "$(cat "$LIB/prompts/quiz/tests.json")" '"description": "from history"'
        ;;
    esac
done
