#!/bin/sh
# tui_run.sh: the run panes off-terminal (scripted mode) against the stand-in provider
# (tests/servers/fake_provider.py): variables form, streaming run, compare, history, faults,
# cancel. Each tests/tui/run/NAME.keys dumps screens compared with tests/tui/run/expected/NAME/
# after times, dates and ports are normalised. PD_TUI_UPDATE=1 rewrites the expected dumps.
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir="$top/tests/tui/run"
KEY="sk-tui-run-secret"
today=$(date -u +%Y-%m-%d)
LIB="$HOME/lib"   # shown as ~/lib in the status bar

# the answer: Markdown plus an escape sequence and a bell the model should not get to the terminal
python3 -c 'import sys; d=open(sys.argv[1]).read().replace("<ESC>", "\x1b").replace("<BEL>", "\x07"); open(sys.argv[2], "w").write(d)' \
    "$dir/answer.md" "$T_TMP/answer.md"

# a template library: greet v1 and v2 with variables
tpl="$T_TMP/lib-template"
"$PROMPTDECK" --library "$tpl" create greet --name Greet --provider openai --model fake \
    --message 'system=Be brief.' --message 'user=Tell me about {{topic}} in {{style}}.{{#extra}} Also {{.}}.{{/extra}}' >/dev/null 2>&1 &&
    "$PROMPTDECK" --library "$tpl" update greet --message 'user=Explain {{topic}} in {{style}}, please.' >/dev/null 2>&1 ||
    { notok "library for the run panes"; exit 1; }

python3 "$top/tests/servers/fake_provider.py" --key "$KEY" --log "$T_TMP/req.log" --answer-file "$T_TMP/answer.md" \
    >"$T_TMP/port" 2>"$T_TMP/server.err" &
SERVER_PID=$!
on_exit "kill $SERVER_PID 2>/dev/null"
i=0
while [ ! -s "$T_TMP/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
read PORT HOLE <"$T_TMP/port"
[ -n "${PORT:-}" ] || { notok "fake provider started" "$(cat "$T_TMP/server.err")"; exit 1; }
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1"
export OPENAI_API_KEY OPENAI_BASE_URL

normalise() {
    sed -E -e "s/$today[ T][0-9][0-9]:[0-9][0-9](:[0-9][0-9]Z)?/TODAY/g" -e "s/$today/TODAY/g" \
        -e 's/[0-9]+(\.[0-9]+)? (ms|s)\b */T /g' -e "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g" \
        -e "s/port $PORT\b/port PORT/g" "$1"
}

for keys in "$dir"/*.keys; do
    name=$(basename "$keys" .keys)
    size=$(sed -n 's/^# size: *//p' "$keys" | head -n 1)
    rm -rf "$LIB" "$XDG_STATE_HOME"
    cp -R "$tpl" "$LIB"
    out="$T_TMP/out/$name"
    mkdir -p "$out"
    err=$(cd "$HOME" && "$PROMPTDECK" --library "$LIB" --script "$keys" --size "${size:-100x30}" --dump "$out" 2>&1)
    rc=$?
    if [ "$rc" != 0 ]; then
        notok "$name: the script runs" "exit $rc: $err"
        continue
    fi
    for f in "$out"/*; do
        if grep -q "$(printf '\033')" "$f" || grep -q "$(printf '\007')" "$f"; then
            notok "$name/$(basename "$f"): no raw escape or bell on the screen"
        fi
        normalise "$f" >"$f.n" && mv "$f.n" "$f"
    done
    exp="$dir/expected/$name"
    if [ "${PD_TUI_UPDATE:-}" = 1 ]; then
        rm -rf "$exp"
        mkdir -p "$exp"
        cp "$out"/* "$exp"/
    fi
    n=0
    for f in "$exp"/*; do
        [ -f "$f" ] || continue
        d=$(basename "$f")
        n=$((n + 1))
        if [ ! -f "$out/$d" ]; then
            notok "$name/$d: dumped"
        elif diff -u "$f" "$out/$d" >"$T_TMP/diff" 2>&1; then
            ok "$name/$d"
        else
            notok "$name/$d" "$(cat "$T_TMP/diff")"
        fi
    done
    [ $n -gt 0 ] || notok "$name: expected dumps exist in $exp"
    # what each script should have left behind
    case $name in
    run_form)
        vf="$XDG_STATE_HOME/promptdeck/vars/greet.json"
        check_eq "run_form: values remembered, owner-only" "$(stat -c %a "$vf" 2>&1)" 600
        check_contains "run_form: multi-line value remembered" "$(cat "$vf")" '"style": "a haiku\nand a table"'
        check_contains "run_form: the variables reached the provider" "$(grep -c 'Explain cats in a haiku\\nand a table, please.' "$T_TMP/req.log")" 2
        check_eq "run_form: two runs recorded" "$(ls "$LIB/runs/greet" | wc -l)" 2
        ;;
    compare)
        check_contains "compare: v1 rendered" "$(cat "$T_TMP/req.log")" 'Tell me about dogs in prose.'
        check_contains "compare: v2 rendered" "$(cat "$T_TMP/req.log")" 'Explain dogs in prose, please.'
        ;;
    faults)
        st=$(cat "$LIB"/runs/greet/*.json | grep -o '"status": "[a-z]*"' | sort | uniq -c | tr -s ' ')
        check_contains "faults: cancelled run recorded" "$st" '1 "status": "cancelled"'
        check_contains "faults: failed runs recorded" "$st" '4 "status": "error"'
        ;;
    esac
done
