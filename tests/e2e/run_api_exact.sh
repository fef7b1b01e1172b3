# run_api_exact.sh: what `promptdeck run` sends each provider, field by field, against the stand-in
# (tests/servers/fake_provider.py, which refuses what the real APIs refuse): history placeholders,
# settings mapped per API, output schemas, tool calls and their results, conversations continued.
. "$(dirname "$0")/lib.sh"

KEY="sk-test-exact-0123"
ANSWER="$T_TMP/answer.txt"
printf 'Fine, thanks.' >"$ANSWER"
start_fake_provider "$KEY" "$ANSWER"

base_of() { case $1 in openai) echo "http://127.0.0.1:$PORT/v1" ;; *) echo "http://127.0.0.1:$PORT" ;; esac; }
env_of() { case $1 in openai) echo OPENAI_API_KEY ;; anthropic) echo ANTHROPIC_API_KEY ;; google) echo GEMINI_API_KEY ;; esac; }
# prun PROVIDER SLUG MODEL [ARGS...]: stdout in $T_TMP/out, stderr in $T_TMP/err, status in $rc.
prun() {
    p=$1 slug=$2 m=$3
    shift 3
    env "$(env_of "$p")=$KEY" "$PROMPTDECK" --library "$LIB" run "$slug" --provider "$p" --model "$m" \
        --base-url "$(base_of "$p")" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
    rc=$?
}
last_request() { tail -n 1 "$T_TMP/req.log"; }
# body EXPR: a Python expression over the last request's body b (and the whole request d).
body() { last_request | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); b=d["body"]; print(eval(sys.argv[1]))' "$1"; }

# ---- history placeholders ----
pd create chat --name Chat --provider openai --model fake --message "system=Be brief." --placeholder history \
    --message "user={{question}}" >/dev/null
cat >"$T_TMP/history.json" <<'EOF'
{"question": "And the capital of Italy?",
 "history": [{"role": "user", "content": "Capital of France?"}, {"role": "assistant", "content": "Paris."},
             {"role": "user", "content": "Thanks."}, {"role": "user", "content": "One more."},
             {"role": "system", "content": "Answer in one word."}]}
EOF
prun openai chat fake --vars-file "$T_TMP/history.json"
check_eq "history, openai: exit 0" "$rc" 0
check_eq "history, openai: inserted where the placeholder stands" "$(body 'b["messages"]')" \
    "[{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Capital of France?'}, {'role': 'assistant', 'content': 'Paris.'}, {'role': 'user', 'content': 'Thanks.'}, {'role': 'user', 'content': 'One more.'}, {'role': 'system', 'content': 'Answer in one word.'}, {'role': 'user', 'content': 'And the capital of Italy?'}]"
prun anthropic chat fake --vars-file "$T_TMP/history.json"
check_eq "history, anthropic: exit 0 (the stand-in refuses turns that do not alternate)" "$rc:$(cat "$T_TMP/err")" "0:"
check_eq "history, anthropic: system apart, same-role turns merged" "$(body '(b["system"], b["messages"])')" \
    "('Be brief.\n\nAnswer in one word.', [{'role': 'user', 'content': 'Capital of France?'}, {'role': 'assistant', 'content': 'Paris.'}, {'role': 'user', 'content': [{'type': 'text', 'text': 'Thanks.'}, {'type': 'text', 'text': 'One more.'}, {'type': 'text', 'text': 'And the capital of Italy?'}]}])"
prun google chat fake --vars-file "$T_TMP/history.json"
check_eq "history, google: exit 0" "$rc:$(cat "$T_TMP/err")" "0:"
check_eq "history, google: systemInstruction, roles user and model, same-role turns merged" \
    "$(body '(b["systemInstruction"], b["contents"])')" \
    "({'parts': [{'text': 'Be brief.\n\nAnswer in one word.'}]}, [{'role': 'user', 'parts': [{'text': 'Capital of France?'}]}, {'role': 'model', 'parts': [{'text': 'Paris.'}]}, {'role': 'user', 'parts': [{'text': 'Thanks.'}, {'text': 'One more.'}, {'text': 'And the capital of Italy?'}]}])"
pd runs chat --json >"$T_TMP/runs.json"
check_eq "history: the record keeps the messages sent" "$(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))[0]
print(len(r["messages"]), r["messages"][1], r["variables"]["question"])' "$T_TMP/runs.json")" \
    "7 {'role': 'user', 'content': 'Capital of France?'} And the capital of Italy?"

# A missing or broken list is an error before anything is sent.
n_before=$(wc -l <"$T_TMP/req.log")
prun openai chat fake --var question=x
check_contains "history missing: exit 1 and a message" "$rc $(cat "$T_TMP/err")" \
    "1 promptdeck: the history placeholder 'history' (message 2) needs a variable 'history' holding a list of messages"
printf '{"question": "x", "history": [{"role": "user", "content": "a"}, {"role": "bot", "content": "b"}]}' >"$T_TMP/bad.json"
prun openai chat fake --vars-file "$T_TMP/bad.json"
check_contains "history with a bad role: names the message" "$rc $(cat "$T_TMP/err")" \
    "promptdeck: the variable 'history' (for the history placeholder in message 2): message 2 (role): \"bot\" is not one of"
check_eq "history errors: nothing was sent" "$(wc -l <"$T_TMP/req.log")" "$n_before"
