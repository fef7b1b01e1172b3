#!/bin/sh
# tui_run.sh: the run panes off-terminal (scripted mode) against the stand-in provider
# (tests/servers/fake_provider.py): variables form, streaming run, compare, history, faults,
# cancel. Each tests/tui/run/NAME.keys dumps screens compared with tests/tui/run/expected/NAME/
# after times, dates and ports are normalised. PD_TUI_UPDATE=1 rewrites the expected dumps.
# Some scripts alone: sh tests/run.sh BUILD tui_run NAME...   (NAME: tests/tui/run/NAME.keys)
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir="$top/tests/tui/run"
select_scripts "$dir" "$@"
today=$(date -u +%Y-%m-%d)
LIB="$HOME/lib"   # shown as ~/lib in the status bar
# the key bar hidden, so that screens show what the scripts test (tui_script's keybar covers it)
mkdir -p "$XDG_CONFIG_HOME/promptdeck" && echo "keybar = false" >"$XDG_CONFIG_HOME/promptdeck/config"
# a price for the one model request.keys runs, so that the run pane shows its cost
printf 'openai fake.length 1.5 6\n' >"$T_TMP/prices.tsv"
printf '[prices]\nfile = %s\n' "$T_TMP/prices.tsv" >>"$XDG_CONFIG_HOME/promptdeck/config"
. "$top/tests/tui/run/setup.sh"
tpl=$RUN_TEMPLATE

normalise() {
    sed -E -e "s/$today[ T][0-9][0-9]:[0-9][0-9](:[0-9][0-9]Z)?/TODAY/g" -e "s/$today/TODAY/g" \
        -e 's/[0-9]+(\.[0-9]+)? (ms|s)\b */T /g' -e "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g" \
        -e "s/port $PORT\b/port PORT/g" "$1"
}

printf 'clear at noon\n' >"$HOME/tool-result.txt"   # conversation.keys answers a tool call with @tool-result.txt

for keys in "$dir"/*.keys; do
    name=$(basename "$keys" .keys)
    selected "$name" || continue
    size=$(sed -n 's/^# size: *//p' "$keys" | head -n 1)
    key=$(sed -n 's/^# key: *//p' "$keys" | head -n 1)
    rm -rf "$LIB" "$XDG_STATE_HOME"
    cp -R "$tpl" "$LIB"
    out="$T_TMP/out/$name"
    mkdir -p "$out"
    case $name in
    history_var)   # a prompt with a history placeholder between its system and user messages
        "$PROMPTDECK" --library "$LIB" create chat --name Chat --provider openai --model fake.echo \
            --message "system=Be brief." --placeholder history --message "user=Now: {{q}}" >/dev/null ;;
    esac
    err=$(cd "$HOME" && OPENAI_API_KEY=${key:-$KEY} "$PROMPTDECK" --library "$LIB" --script "$keys" \
        --size "${size:-100x30}" --dump "$out" 2>&1)
    rc=$?
    if [ "$rc" != 0 ]; then
        notok "$name: the script runs" "exit $rc: $err"
        continue
    fi
    for f in "$out"/*; do
        if grep -q "$(printf '\033')" "$f" || grep -q "$(printf '\007')" "$f"; then
            notok "$name/$(basename "$f"): no raw escape or bell on the screen"
        fi
        if grep -q -e "$KEY" -e "${key:-$KEY}" "$f"; then
            notok "$name/$(basename "$f"): the API key is never on the screen"
        fi
        normalise "$f" >"$f.n" && mv "$f.n" "$f"
    done
    compare_dumps "$name" "$out" "$dir/expected/$name"
    # what each script should have left behind
    case $name in
    run_form)
        vf="$XDG_STATE_HOME/promptdeck/vars/greet.json"
        check_eq "run_form: values remembered, owner-only" "$(stat -c %a "$vf" 2>&1)" 600
        check_contains "run_form: multi-line value remembered" "$(cat "$vf")" '"style": "a haiku\nand a table"'
        check_contains "run_form: the variables reached the provider" "$(grep -c 'Explain cats in a haiku\\nand a table, please.' "$T_TMP/req.log")" 2
        check_eq "run_form: two runs recorded" "$(ls "$(runs_of greet)" | wc -l)" 2
        ;;
    vars_json)
        check "vars_json: nested name and JSON list rendered" grep -q 'Hi Ann: \[a\]\[b\]"' "$T_TMP/req.log"
        ;;
    wrong_key)
        check_eq "wrong_key: the run is recorded as an error" "$(cat "$(runs_of greet)"/*.json | grep -c '"status": "error"')" 1
        check_eq "wrong_key: the key is in no file of the library or state" \
            "$(grep -rl "$key" "$LIB" "$XDG_STATE_HOME" 2>/dev/null | wc -l)" 0
        ;;
    metadata)
        m=$("$PROMPTDECK" --library "$LIB" list --json 2>&1)
        check_eq "metadata: name, description and tags saved (empty tags dropped)" \
            "$(python3 -c 'import json,sys; d=[p for p in json.loads(sys.argv[1]) if p["slug"] == "greet"][0]; print(d["name"], "|", d["description"], "|", d["tags"], "|", d["current_version"])' "$m")" \
            "Greeting | Says hello | ['demo', 'hello', 'x'] | 2"
        check_eq "metadata: no new version" "$("$PROMPTDECK" --library "$LIB" versions greet --json | grep -c '"version":')" 2
        ;;
    history_var)
        check_contains "history_var: the picked conversation went where the placeholder stands" "$(tail -n 1 "$T_TMP/req.log")" \
            '"messages":[{"role":"system","content":"Be brief."},{"role":"system","content":"Be brief."},{"role":"user","content":"Now: first"},{"role":"assistant","content":"You said: Now: first (turn 1)"},{"role":"user","content":"Now: second"}]'
        ;;
    conversation)
        check_eq "conversation: five runs recorded, three of them continuing one before" \
            "$(cat "$(runs_of greet)"/*.json | grep -c '"continues": "')" 3
        check_contains "conversation: the third turn was sent with the two before" "$(cat "$T_TMP/req.log")" 'You said: And cats? (turn 2)'
        check_contains "conversation: both results sent" "$(cat "$T_TMP/req.log")" 'clear at noon'
        ;;
    compare_provider)
        check_contains "compare_provider: anthropic:fake went to Anthropic's endpoint" \
            "$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if (lambda d: d["path"] == "/v1/messages" and d["body"]["model"] == "fake")(json.loads(l))))' "$T_TMP/req.log")" 1
        ;;
    compare)
        check_contains "compare: v1 rendered" "$(cat "$T_TMP/req.log")" 'Tell me about dogs in prose.'
        check_contains "compare: v2 rendered" "$(cat "$T_TMP/req.log")" 'Explain dogs in prose, please.'
        ;;
    faults)
        st=$(cat "$(runs_of greet)"/*.json | grep -o '"status": "[a-z]*"' | sort | uniq -c | tr -s ' ')
        check_contains "faults: cancelled run recorded" "$st" '1 "status": "cancelled"'
        check_contains "faults: failed runs recorded" "$st" '4 "status": "error"'
        check_contains "faults: the retried run ended well" "$st" '1 "status": "ok"'
        ;;
    esac
done
