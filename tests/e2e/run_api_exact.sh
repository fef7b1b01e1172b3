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

# ---- settings: provider-neutral ones mapped to each API's field, per-provider ones sent to it alone ----
pd create tuned --name Tuned --provider openai --model fake --message "user=Hi" --temperature 0.3 \
    --max-output-tokens 50 --stop END --stop STOP \
    --extra '{"seed": 42, "presence_penalty": 0.1, "frequency_penalty": 0.2, "openai": {"logprobs": true}, "google": {"generationConfig": {"thinkingConfig": {"thinkingBudget": 0}}, "safetySettings": []}, "anthropic": {"metadata": {"user_id": "u-1"}}}' >/dev/null
prun openai tuned fake
check_eq "settings, openai: exit 0" "$rc:$(cat "$T_TMP/err")" "0:"
check_eq "settings, openai: top-level fields" \
    "$(body '[(k, b[k]) for k in ("temperature", "max_completion_tokens", "stop", "seed", "presence_penalty", "frequency_penalty", "logprobs")]')" \
    "[('temperature', 0.3), ('max_completion_tokens', 50), ('stop', ['END', 'STOP']), ('seed', 42), ('presence_penalty', 0.1), ('frequency_penalty', 0.2), ('logprobs', True)]"
check_eq "settings, openai: nothing of the others" "$(body 'sorted(k for k in b if k in ("metadata", "generationConfig", "safetySettings", "openai", "google", "anthropic"))')" "[]"
prun google tuned fake
check_eq "settings, google: exit 0 (the stand-in refuses unknown fields)" "$rc:$(cat "$T_TMP/err")" "0:"
check_eq "settings, google: generationConfig" "$(body 'b["generationConfig"]')" \
    "{'temperature': 0.3, 'maxOutputTokens': 50, 'stopSequences': ['END', 'STOP'], 'seed': 42, 'presencePenalty': 0.1, 'frequencyPenalty': 0.2, 'thinkingConfig': {'thinkingBudget': 0}}"
check_eq "settings, google: its own top-level field, no other's" "$(body '(b["safetySettings"], "seed" in b, "logprobs" in b, "metadata" in b)')" "([], False, False, False)"
n_before=$(wc -l <"$T_TMP/req.log")
prun anthropic tuned fake
check_eq "settings, anthropic: seed cannot be mapped: refused before sending (exit 2)" "$rc" 2
check_contains "settings, anthropic: says which setting" "$(cat "$T_TMP/err")" "promptdeck: anthropic has no seed: leave it out for this provider"
check_eq "settings, anthropic: nothing was sent" "$(wc -l <"$T_TMP/req.log")" "$n_before"
pd create tuned-a --name TunedA --provider anthropic --model fake --message "user=Hi" --temperature 0.3 --max-output-tokens 50 \
    --stop END --extra '{"top_k": 5, "anthropic": {"metadata": {"user_id": "u-1"}}, "openai": {"logprobs": true}}' >/dev/null
prun anthropic tuned-a fake
check_eq "settings, anthropic: exit 0" "$rc:$(cat "$T_TMP/err")" "0:"
check_eq "settings, anthropic: fields" \
    "$(body '[(k, b.get(k)) for k in ("max_tokens", "temperature", "top_k", "stop_sequences", "metadata", "logprobs")]')" \
    "[('max_tokens', 50), ('temperature', 0.3), ('top_k', 5), ('stop_sequences', ['END']), ('metadata', {'user_id': 'u-1'}), ('logprobs', None)]"
prun openai tuned-a fake
check_contains "settings, openai: top_k cannot be mapped" "$rc $(cat "$T_TMP/err")" "2 promptdeck: openai has no top_k"
env OLLAMA_API_KEY=$KEY "$PROMPTDECK" --library "$LIB" run tuned-a --provider ollama --model fake --base-url "http://127.0.0.1:$PORT/v1" >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
check_eq "settings, an OpenAI-compatible server takes top_k and max_tokens" "$rc:$(body '(b["top_k"], b["max_tokens"], "logprobs" in b)')" "0:(5, 50, False)"
pd create both --name Both --provider anthropic --model fake --message "user=Hi" --temperature 0.3 --top-p 0.9 >/dev/null
prun anthropic both fake
check_contains "sampling: temperature with top_p refused for anthropic" "$rc $(cat "$T_TMP/err")" \
    "2 promptdeck: anthropic takes temperature or top_p, not both"
prun openai both fake
check_eq "sampling: temperature with top_p fine for openai" "$rc:$(body '(b["temperature"], b["top_p"])')" "0:(0.3, 0.9)"
pd create odd --name Odd --provider openai --model fake --message "user=Hi" --extra '{"logit_bias": {"50256": -100}}' >/dev/null
prun openai odd fake
check_contains "settings: a flat extra that is no neutral name is refused with the fix" "$rc $(cat "$T_TMP/err")" \
    "2 promptdeck: extra.logit_bias is not a setting promptdeck can map to each provider (those are seed, presence_penalty, frequency_penalty, top_k); to send it to openai as it is, put it in extra.openai"

# ---- output schema: each API's structured output, the version's tools kept callable ----
cat >"$T_TMP/schema.json" <<'EOF2'
{"type": "object", "properties": {"city": {"type": "string"}, "temp": {"type": "number"}},
 "required": ["city", "temp"], "additionalProperties": false}
EOF2
cat >"$T_TMP/tools.json" <<'EOF2'
[{"name": "get_weather", "description": "Weather in a city",
  "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
EOF2
pd create shaped --name Shaped --provider openai --model fake --message "user=Weather in Paris?" \
    --output-schema-file "$T_TMP/schema.json" --tools-file "$T_TMP/tools.json" >/dev/null
SCHEMA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$T_TMP/schema.json")
prun openai shaped fake
check_eq "schema, openai: response_format json_schema, strict" "$rc:$(body 'b["response_format"]')" \
    "0:{'type': 'json_schema', 'json_schema': {'name': 'output', 'schema': $SCHEMA, 'strict': True}}"
check_eq "schema, openai: tools as functions" "$(body 'b["tools"][0]["type"], b["tools"][0]["function"]["name"], "tool_choice" in b')" \
    "('function', 'get_weather', False)"
prun anthropic shaped fake
check_eq "schema, anthropic: output_config.format, no forced tool" "$rc:$(body '(b["output_config"], "tool_choice" in b)')" \
    "0:({'format': {'type': 'json_schema', 'schema': $SCHEMA}}, False)"
check_eq "schema, anthropic: the version's tool is offered, and only it" "$(body '[t["name"] for t in b["tools"]]')" "['get_weather']"
prun google shaped fake
check_eq "schema, google: responseMimeType and responseJsonSchema (JSON Schema), not responseSchema" \
    "$rc:$(body '(b["generationConfig"]["responseMimeType"], b["generationConfig"]["responseJsonSchema"], "responseSchema" in b["generationConfig"])')" \
    "0:('application/json', $SCHEMA, False)"
check_eq "schema, google: tools with parametersJsonSchema" "$(body 'sorted(b["tools"][0]["functionDeclarations"][0])')" \
    "['description', 'name', 'parametersJsonSchema']"
printf '{"type": "object", "properties": {"city": {"type": "string"}}}' >"$T_TMP/open.json"
pd create loose --name Loose --provider openai --model fake --message "user=x" --output-schema-file "$T_TMP/open.json" >/dev/null
prun openai loose fake
check_contains "schema, openai: an open object refused before sending, saying where" "$rc $(cat "$T_TMP/err")" \
    "2 promptdeck: openai's strict structured outputs need every object closed: the output schema at \$ does not set \"additionalProperties\": false"
prun google loose fake
check_eq "schema, google: takes it" "$rc" 0

# ---- tool calls: events of their own, parallel calls kept apart ----
pd create weather --name Weather --provider openai --model fake --message "user=Weather and time in Paris?" \
    --tools-file "$T_TMP/tools.json" >/dev/null
for p in openai anthropic google; do
    prun "$p" weather fake.parallel --json
    check_eq "$p parallel calls: exit 0" "$rc:$(cat "$T_TMP/err")" "0:"
    check_eq "$p parallel calls: one event per call, with its id, name and parsed arguments" "$(python3 -c '
import json,sys
evs=[json.loads(l) for l in open(sys.argv[1])]
print([(e["name"], e["arguments"], bool(e["id"])) for e in evs if e["type"]=="tool_call"], evs[-1]["finish_reason"],
      [e["type"] for e in evs if e["type"] not in ("tool_call", "delta")])' "$T_TMP/out")" \
        "[('get_weather', {'city': 'Paris'}, True), ('get_time', {'zone': 'Europe/Paris'}, True)] tool_calls ['usage', 'done']"
    check_eq "$p parallel calls: recorded apart, nothing of them in the text" "$(pd runs weather --json | python3 -c '
import json,sys
r=json.load(sys.stdin)[0]
print([c["name"] for c in r["tool_calls"]], len(set(c["id"] for c in r["tool_calls"])), repr(r["output"].replace("Let me check.", "")))')" \
        "['get_weather', 'get_time'] 2 ''"
done
prun openai weather fake.tools --json
check_eq "openai: the call's id as OpenAI gave it" "$(grep '"tool_call","id"' "$T_TMP/out")" \
    '{"type":"tool_call","id":"call_w1","name":"get_weather","arguments":{"city":"Paris"}}'
prun anthropic weather fake.tools
check_eq "anthropic, plain run: the text, then each call as a block" "$rc:$(cat "$T_TMP/out")" \
    '0:Let me check.

[tool call get_weather, id toolu_01A]
{
  "city": "Paris"
}'
check_contains "plain run: how to answer the calls, on stderr" "$(cat "$T_TMP/err")" \
    "promptdeck: the model asked for 1 tool call; answer with: promptdeck run weather --continue "
check_contains "plain run: the option to answer names the call" "$(cat "$T_TMP/err")" " --tool-result toolu_01A=@FILE"
prun google weather fake.tools
check_eq "google: a call without an id gets one made up, the signature is kept" \
    "$(pd runs weather --json | python3 -c 'import json,sys; c=json.load(sys.stdin)[0]["tool_calls"][0]; print(c["id"], bool(c["signature"]))')" "pd_call_1 True"

# ---- conversations: --continue RUN-ID --message TEXT, --tool-result ID=@FILE ----
pd create talk --name Talk --provider openai --model fake.echo --message "system=Be brief." --message "user=Hello." >/dev/null
for p in openai anthropic google; do
    prun "$p" talk fake.echo
    check_eq "$p conversation, turn 1" "$rc:$(cat "$T_TMP/out")" "0:You said: Hello. (turn 1)"
    prun "$p" talk fake.echo --continue last --message "How are you?"
    check_eq "$p conversation, turn 2: the whole conversation was sent" "$rc:$(cat "$T_TMP/out")" "0:You said: How are you? (turn 2)"
    prun "$p" talk fake.echo --continue last --message "Bye."
    check_eq "$p conversation, turn 3" "$rc:$(cat "$T_TMP/out")" "0:You said: Bye. (turn 3)"
    case $p in
    openai) want="['system', 'user', 'assistant', 'user', 'assistant', 'user']" ; got='[m["role"] for m in b["messages"]]' ;;
    anthropic) want="['user', 'assistant', 'user', 'assistant', 'user']" ; got='[m["role"] for m in b["messages"]]' ;;
    google) want="['user', 'model', 'user', 'model', 'user']" ; got='[m["role"] for m in b["contents"]]' ;;
    esac
    check_eq "$p conversation, turn 3: roles as the API wants them" "$(body "$got")" "$want"
    pd runs talk --json >"$T_TMP/runs.json"
    check_eq "$p conversation: each turn recorded, continuing the one before" "$(python3 -c '
import json,sys
rs=json.load(open(sys.argv[1]))
print(rs[0]["continues"] == rs[1]["id"], rs[1]["continues"] == rs[2]["id"], rs[2].get("continues"), len(rs[0]["messages"]))' "$T_TMP/runs.json")" \
        "True True None 6"
done
id=$(pd runs talk --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
pd runs talk "$id" >"$T_TMP/one.txt"
check_contains "runs SLUG ID shows the conversation and the answer" "$(cat "$T_TMP/one.txt")" "--- user
Bye.
--- answer
You said: Bye. (turn 3)"
check_contains "runs SLUG ID names the run it continues" "$(cat "$T_TMP/one.txt")" "continues:  "

# A tool call answered: the result goes back in each API's form, and the model answers.
printf '{"temp": 21, "sky": "clear"}' >"$T_TMP/weather.json"
for p in openai anthropic google; do
    prun "$p" weather fake.parallel --json
    ids=$(python3 -c '
import json,sys
print(" ".join(e["id"] for e in map(json.loads, open(sys.argv[1])) if e["type"]=="tool_call"))' "$T_TMP/out")
    w=${ids% *} t=${ids#* }
    prun "$p" weather fake --continue last --tool-result "$w=@$T_TMP/weather.json"
    check_contains "$p tool results: all calls need one, said before sending" "$rc $(cat "$T_TMP/err")" \
        "2 promptdeck: the conversation has tool call without a result: $t (get_time); every call needs one"
    echo "noon" | env "$(env_of "$p")=$KEY" "$PROMPTDECK" --library "$LIB" run weather --provider "$p" --model fake \
        --base-url "$(base_of "$p")" --continue last --tool-result "$w=@$T_TMP/weather.json" --tool-result "$t=@-" >"$T_TMP/out" 2>"$T_TMP/err"
    rc=$?
    case $p in
    google) want='0:Got {"sky": "clear", "temp": 21}; noon
.' ;;
    *) want='0:Got {"temp": 21, "sky": "clear"}; noon
.' ;;
    esac
    check_eq "$p tool results (a file, standard input): sent and answered" "$rc:$(cat "$T_TMP/out")" "$want"
    case $p in
    openai) got='[(m["role"], m.get("tool_call_id")) for m in b["messages"][-2:]]' want="[('tool', '$w'), ('tool', '$t')]" ;;
    anthropic) got='[(c["type"], c["tool_use_id"]) for c in b["messages"][-1]["content"]]' want="[('tool_result', '$w'), ('tool_result', '$t')]" ;;
    google) got='[(b["contents"][-1]["role"], list(p)[0], p["functionResponse"]["name"], "id" in p["functionResponse"]) for p in b["contents"][-1]["parts"]]' \
        want="[('user', 'functionResponse', 'get_weather', False), ('user', 'functionResponse', 'get_time', False)]" ;;
    esac
    check_eq "$p tool results: in the API's own form" "$(body "$got")" "$want"
done
check_eq "google: the call's thoughtSignature went back with it" "$(body '[p.get("thoughtSignature") is not None for p in b["contents"][-2]["parts"]]')" "[True, False]"
prun openai weather fake --continue last --tool-result "nope=x"
check_contains "a result for a call nobody made" "$rc $(cat "$T_TMP/err")" "2 promptdeck: no tool call 'nope' to answer: the last answer asked for no tool call"
prun openai weather fake --continue 20990101T000000000Z-abcdef --message x
check_eq "--continue with an unknown run: exit 1" "$rc" 1
prun openai weather fake --message x
check_contains "--message without --continue" "$rc $(cat "$T_TMP/err")" "2 promptdeck: run: --message and --tool-result continue a run: give --continue RUN-ID"
prun openai weather fake --continue last --message x --var a=b
check_contains "--continue with --var" "$rc $(cat "$T_TMP/err")" "2 promptdeck: run: --continue sends the run's conversation as it was"

# ---- variables from files and pipes ----
printf 'A document\nwith two lines, "quotes" and caf\303\251.\n' >"$T_TMP/doc.txt"
pd create summarize --name Sum --provider openai --model fake --message "user=Summarize: {{doc}} ({{who}})" >/dev/null
prun openai summarize fake --var doc=@"$T_TMP/doc.txt" --var who=@@bob
check_eq "--var k=@FILE: the file's text; @@: a text starting with @" "$rc:$(body 'b["messages"][0]["content"]')" \
    "0:Summarize: A document
with two lines, \"quotes\" and café.
 (@bob)"
env OPENAI_API_KEY=$KEY "$PROMPTDECK" --library "$LIB" run summarize --base-url "$(base_of openai)" --var doc=@- --var who=me \
    <"$T_TMP/doc.txt" >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "--var k=@-: standard input" "$?:$(body 'b["messages"][0]["content"]')" "0:Summarize: A document
with two lines, \"quotes\" and café.
 (me)"
prun openai summarize fake --var doc=@"$T_TMP/none.txt" --var who=x
check_contains "--var k=@FILE: a missing file" "$rc $(cat "$T_TMP/err")" "cannot read $T_TMP/none.txt"
printf '[{"role": "user", "content": "Capital of France?"}, {"role": "assistant", "content": "Paris."}]' >"$T_TMP/h.json"
prun openai chat fake --var history=@"$T_TMP/h.json" --var question=Italy?
check_eq "history from --var history=@FILE.json" "$rc:$(body '[m["content"] for m in b["messages"]]')" \
    "0:['Be brief.', 'Capital of France?', 'Paris.', 'Italy?']"

# ---- --dry-run: the exact request, nothing sent ----
n_runs() { pd runs "$1" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
for p in openai anthropic google; do
    n_before=$(wc -l <"$T_TMP/req.log") runs_before=$(n_runs shaped)
    prun "$p" shaped fake --dry-run --json --temperature 0.7
    check_eq "$p --dry-run: exit 0, nothing sent, nothing recorded" "$rc:$(wc -l <"$T_TMP/req.log"):$(n_runs shaped)" \
        "0:$n_before:$runs_before"
done
prun google tuned-a fake --dry-run --json
cp "$T_TMP/out" "$T_TMP/dry.json"
prun google tuned-a fake
check_eq "--dry-run shows the body a run sends, byte for byte" "$(python3 -c '
import json,sys
dry=json.load(open(sys.argv[1])); sent=json.loads(open(sys.argv[2]).readlines()[-1])
print(dry["body"] == sent["body"], dry["url"].endswith(sent["path"]), dry["method"], dry["headers"]["x-goog-api-key"])' "$T_TMP/dry.json" "$T_TMP/req.log")" \
    "True True POST [redacted]"
prun anthropic tuned-a fake --dry-run
check_contains "--dry-run: method and URL first, the key redacted" "$(cat "$T_TMP/out")" "POST http://127.0.0.1:$PORT/v1/messages
Content-Type: application/json
Accept: text/event-stream
x-api-key: [redacted]
anthropic-version: 2023-06-01

{
  \"model\": \"fake\","
case "$(cat "$T_TMP/out" "$T_TMP/err")" in *"$KEY"*) notok "--dry-run: the key is nowhere" ;; *) ok "--dry-run: the key is nowhere" ;; esac
"$PROMPTDECK" --library "$LIB" run shaped --provider openai --model fake --dry-run >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "--dry-run without a key: the request without its key header" "$?:$(grep -c Authorization "$T_TMP/out")" "0:0"
prun openai talk fake.echo --continue last --message "Dry?" --dry-run --json
check_eq "--dry-run with --continue: the conversation with the new turn" "$rc:$(python3 -c '
import json,sys
b=json.load(open(sys.argv[1]))["body"]; print(len(b["messages"]), b["messages"][-1])' "$T_TMP/out")" "0:8 {'role': 'user', 'content': 'Dry?'}"

# ---- tokens and cost: usage from each provider, the price table, unknown models tokens only ----
pd create priced --name Priced --provider openai --model fake --message "user=Hi" >/dev/null
for p in openai anthropic google; do
    case $p in openai) m=gpt-4o-mini in=0.15 out=0.60 ;; anthropic) m=claude-haiku-4-5 in=1 out=5 ;; google) m=gemini-2.5-flash in=0.30 out=2.50 ;; esac
    prun "$p" priced "$m" --json
    check_eq "$p cost: from the usage and the price table" "$rc:$(python3 -c '
import json,sys
u=[json.loads(l) for l in open(sys.argv[1]) if "\"usage\"" in l][0]
want=(u["input_tokens"]*float(sys.argv[2]) + u["output_tokens"]*float(sys.argv[3]))/1e6
print(u["input_tokens"], abs(u["cost"]-want) < 1e-12)' "$T_TMP/out" "$in" "$out")" "0:11 True"
    check_eq "$p cost: recorded" "$(pd runs priced --json | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["cost"] > 0, r["settings"]["model"])')" "True $m"
done
pd runs priced >"$T_TMP/runs.txt"
check_contains "runs: the cost after the tokens" "$(head -n 1 "$T_TMP/runs.txt")" "google/gemini-2.5-flash  11/3 tok  \$0.000011  "
prun openai priced fake --json
check_eq "unknown model: tokens, no cost" "$(grep '"usage"' "$T_TMP/out")" '{"type":"usage","input_tokens":11,"output_tokens":3,"cost":null}'
id=$(pd runs priced --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check_contains "runs SLUG ID: cost unknown, said so" "$(pd runs priced "$id")" "cost:       unknown (no price for this model in the price table)"
mkdir -p "$XDG_CONFIG_HOME/promptdeck"
printf 'openai\tfake\t125000\t0   # an eighth of a dollar a token\n' >"$XDG_CONFIG_HOME/promptdeck/prices.tsv"
prun openai priced fake --json
check_eq "the user's price table extends the shipped one" "$(grep -o '"cost":[0-9.]*' "$T_TMP/out")" '"cost":1.375'
printf 'openai\tgpt-4o-mini\t2\t2\nthis is not a price\n' >"$T_TMP/my-prices.tsv"
printf '[prices]\nfile = %s\n' "$T_TMP/my-prices.tsv" >"$XDG_CONFIG_HOME/promptdeck/config"
prun openai priced gpt-4o-mini --json
check_eq "prices.file in the config overrides, its bad line reported" "$(grep -o '"cost":[0-9.e-]*' "$T_TMP/out"):$(cat "$T_TMP/err")" \
    "\"cost\":2.8e-5:$T_TMP/my-prices.tsv:2: write PROVIDER MODEL INPUT OUTPUT (dollars per million tokens)"
rm -f "$XDG_CONFIG_HOME/promptdeck/config" "$XDG_CONFIG_HOME/promptdeck/prices.tsv"
