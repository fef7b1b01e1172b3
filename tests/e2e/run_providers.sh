# run_providers.sh: `promptdeck run` against a stand-in provider (tests/servers/fake_provider.py)
# speaking OpenAI, Anthropic and Gemini streams: exact text under hostile chunking, what the
# client sent, every fault with its message and the partial text kept, retries, keys, records.
. "$(dirname "$0")/lib.sh"

KEY="sk-test-Zq81-secret-key"
ANSWER="$T_TMP/answer.txt"
# Multi-byte characters, quotes, backslashes, a tab, an escape sequence and a C1 control.
printf 'Hello, "world"!\nGr\303\274\303\237 Gott \342\200\224 caf\303\251 \342\202\2545 \360\237\230\200 \344\270\255\346\226\207.\nBack\\slash, tab\there\n\033[31mred\033[0m and \302\233 C1\n\n- item one\n- item two\n\nThe end.' >"$ANSWER"

# ---- the library: one prompt with a system message and a variable ----
mkdir -p "$LIB/prompts/greet"
printf '{"format": "promptdeck-library", "format_version": 1}\n' >"$LIB/library.json"
cat >"$LIB/prompts/greet/prompt.json" <<'EOF'
{"format_version": 1, "id": "0123456789abcdef", "slug": "greet", "name": "Greet", "description": "",
 "tags": [], "labels": {}, "current_version": 1,
 "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
EOF
cat >"$LIB/prompts/greet/v0001.json" <<'EOF'
{"format_version": 1, "version": 1,
 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Tell me about {{topic}}."}],
 "provider": "openai", "model": "fake", "temperature": 0.5, "created_at": "2024-01-01T00:00:00Z"}
EOF

# ---- the stand-in provider ----
start_fake_provider "$KEY" "$ANSWER"
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

base_of() { case $1 in openai) echo "http://127.0.0.1:$PORT/v1" ;; *) echo "http://127.0.0.1:$PORT" ;; esac; }
env_of() { case $1 in openai) echo OPENAI_API_KEY ;; anthropic) echo ANTHROPIC_API_KEY ;; google) echo GEMINI_API_KEY ;; esac; }

# prun PROVIDER MODEL [ARGS...]: runs with the right key; stdout in $T_TMP/out, stderr in $T_TMP/err, status in $rc.
prun() {
    p=$1 m=$2
    shift 2
    env "$(env_of "$p")=$KEY" "$PROMPTDECK" --library "$LIB" run greet --provider "$p" --model "$m" \
        --base-url "$(base_of "$p")" --var topic=cats "$@" >"$T_TMP/out" 2>"$T_TMP/err"
    rc=$?
}
# last_request: the body and headers of the provider's last request, as JSON.
last_request() { tail -n 1 "$T_TMP/req.log"; }
jget() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1], {"d": d}))' "$1"; }
# partial_ok: the output is a non-empty proper prefix of the answer.
partial_ok() { python3 - "$T_TMP/out" "$ANSWER" <<'EOF'
import sys
out, ans = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
sys.exit(0 if out and len(out) < len(ans) and ans.startswith(out) else 1)
EOF
}

# ---- exact text for each provider, plain and hostile (1-byte writes, splits in UTF-8) ----
for p in openai anthropic google; do
    for m in fake fake.hostile fake.nofinalblank; do
        prun "$p" "$m"
        check_eq "$p $m: exit 0" "$rc" 0
        if cmp -s "$T_TMP/out" "$ANSWER"; then ok "$p $m: stdout is exactly the text sent"; else
            notok "$p $m: stdout is exactly the text sent" "$(od -c "$T_TMP/out" | head -20; cat "$T_TMP/err")"; fi
    done
done

# ---- what the client sent ----
prun openai fake --temperature 0.25 --max-output-tokens 77
req=$(last_request)
check_eq "openai: path" "$(echo "$req" | jget 'd["path"]')" "/v1/chat/completions"
check_eq "openai: bearer key" "$(echo "$req" | jget 'd["headers"]["authorization"]')" "Bearer $KEY"
check_eq "openai: rendered variable sent" "$(echo "$req" | jget 'd["body"]["messages"][1]["content"]')" "Tell me about cats."
check_eq "openai: system message" "$(echo "$req" | jget 'd["body"]["messages"][0]')" "{'role': 'system', 'content': 'Be brief.'}"
check_eq "openai: stream with usage" "$(echo "$req" | jget 'd["body"]["stream"] and d["body"]["stream_options"]["include_usage"]')" "True"
check_eq "openai: overrides" "$(echo "$req" | jget '(d["body"]["temperature"], d["body"]["max_completion_tokens"])')" "(0.25, 77)"

prun anthropic fake
req=$(last_request)
check_eq "anthropic: path" "$(echo "$req" | jget 'd["path"]')" "/v1/messages"
check_eq "anthropic: x-api-key and version" "$(echo "$req" | jget '(d["headers"]["x-api-key"], d["headers"]["anthropic-version"])')" "('$KEY', '2023-06-01')"
check_eq "anthropic: no bearer header" "$(echo "$req" | jget '"authorization" in d["headers"]')" "False"
check_eq "anthropic: top-level system, default max_tokens" "$(echo "$req" | jget '(d["body"]["system"], d["body"]["max_tokens"], d["body"]["temperature"])')" "('Be brief.', 4096, 0.5)"
check_eq "anthropic: messages" "$(echo "$req" | jget 'd["body"]["messages"]')" "[{'role': 'user', 'content': 'Tell me about cats.'}]"

prun google fake
req=$(last_request)
check_eq "google: path" "$(echo "$req" | jget 'd["path"]')" "/v1beta/models/fake:streamGenerateContent?alt=sse"
check_eq "google: x-goog-api-key" "$(echo "$req" | jget 'd["headers"]["x-goog-api-key"]')" "$KEY"
check_eq "google: systemInstruction and contents" "$(echo "$req" | jget '(d["body"]["systemInstruction"], d["body"]["contents"])')" \
    "({'parts': [{'text': 'Be brief.'}]}, [{'role': 'user', 'parts': [{'text': 'Tell me about cats.'}]}])"
check_eq "google: generationConfig" "$(echo "$req" | jget 'd["body"]["generationConfig"]')" "{'temperature': 0.5}"

# Base URL from the environment when --base-url is not given.
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1" pd run greet --var topic=env >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "OPENAI_BASE_URL is used" "$?:$(last_request | jget 'd["body"]["messages"][1]["content"]')" "0:Tell me about env."
ANTHROPIC_API_KEY=$KEY ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT" pd run greet --provider anthropic --var topic=env >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "ANTHROPIC_BASE_URL is used (without /v1)" "$?:$(last_request | jget 'd["path"]')" "0:/v1/messages"

# ---- --json events ----
prun anthropic fake --json
check_eq "--json: exit 0" "$rc" 0
check_eq "--json: deltas join to the text" "$(python3 -c '
import json,sys
evs=[json.loads(l) for l in open(sys.argv[1])]
sys.stdout.write("".join(e["text"] for e in evs if e["type"]=="delta"))' "$T_TMP/out" | od -c)" "$(od -c <"$ANSWER")"
check_eq "--json: usage then done" "$(python3 -c '
import json,sys
evs=[json.loads(l) for l in open(sys.argv[1])]
u=[e for e in evs if e["type"]=="usage"][0]; d=evs[-1]
print(u["input_tokens"], u["output_tokens"] > 0, d["type"], d["status"], d["finish_reason"], bool(d["run_id"]))' "$T_TMP/out")" \
    "11 True done ok stop True"

# ---- finish reasons: normalized, recorded, and an unclean end says so and exits 3 ----
for p in openai anthropic google; do
    prun "$p" fake
    check_eq "$p: a whole answer finishes with stop" "$rc $(pd runs greet --json | jget 'd[0]["finish_reason"]')" "0 stop"
    prun "$p" fake.length
    check "$p length: the text is all printed" cmp -s "$T_TMP/out" "$ANSWER"
    check_contains "$p length: exit 3 and a notice" "$rc $(cat "$T_TMP/err")" "3 promptdeck: the answer is incomplete: it reached the output-token limit"
    case $p in openai) w=length ;; anthropic) w=max_tokens ;; google) w=MAX_TOKENS ;; esac
    check_contains "$p length: the provider's word is named" "$(cat "$T_TMP/err")" "(finish: length"
    check_eq "$p length: recorded as length, with the provider's word" \
        "$(pd runs greet --json | jget '(d[0]["status"], d[0]["finish_reason"], d[0]["provider_finish_reason"])')" "('ok', 'length', '$w')"
    prun "$p" fake.filter --json
    check_eq "$p filter: exit 3, content_filter in the done event" "$rc $(tail -n 1 "$T_TMP/out" | jget '(d["type"], d["finish_reason"])')" \
        "3 ('done', 'content_filter')"
    check_contains "$p filter: a notice" "$(cat "$T_TMP/err")" "promptdeck: the answer was blocked or refused by $p's filters (finish: content_filter"
done
prun google fake.blocked
check_eq "google blocked prompt: exit 3, nothing printed" "$rc:$(cat "$T_TMP/out")" "3:"
check_contains "google blocked prompt: says so" "$(cat "$T_TMP/err")" "blocked or refused by google's filters (finish: content_filter, google said SAFETY)"

# ---- faults: a plain message, what arrived kept, exit 1 ----
for p in openai anthropic google; do
    prun "$p" fake.cut
    check_eq "$p cut: exit 1" "$rc" 1
    check "$p cut: partial text kept" partial_ok
    check_contains "$p cut: message" "$(cat "$T_TMP/err")" "was cut before the answer ended"
    prun "$p" fake.cleancut
    check_contains "$p stream ending without its end: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: the stream from $p ended before the answer was complete"
    check "$p stream ending without its end: partial text kept" partial_ok
    prun "$p" fake.badjson
    check_contains "$p broken JSON: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: the provider sent a chunk that is not valid JSON"
    check "$p broken JSON: partial text kept" partial_ok
    prun "$p" fake.streamerror
    check_contains "$p error event: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: the provider reported an error"
    check "$p error event: partial text kept" partial_ok
    prun "$p" fake.idle --idle-timeout 0.5
    check_contains "$p idle timeout: message" "$rc $(cat "$T_TMP/err")" "sent nothing more for 0.5 s (idle timeout)"
    check "$p idle timeout: partial text kept" partial_ok
    prun "$p" fake.servererror
    check_contains "$p 500: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: $p had a server error (HTTP 500): An internal error has occurred."
    prun "$p" fake.error200
    check_contains "$p 200 with an error body: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: $p answered with an error instead of a stream: stream_options is not supported"
    prun "$p" fake.missing
    check_contains "$p 404: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: model 'fake.missing' not found"
    prun "$p" fake.forbidden
    check_contains "$p 403: message names the variable" "$rc $(cat "$T_TMP/err")" "refused the API key (HTTP 403): the key is wrong or lacks access; check $(env_of "$p")"
done

# A wrong key: 401 (Gemini: 400) says so and names the variable; the key it echoes is scrubbed.
for p in openai anthropic google; do
    env "$(env_of "$p")=sk-wrong-key-0000" "$PROMPTDECK" --library "$LIB" run greet --provider "$p" --model fake \
        --base-url "$(base_of "$p")" --var topic=cats >"$T_TMP/out" 2>"$T_TMP/err"
    rc=$?
    check_contains "$p wrong key: message" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: $p refused the API key"
    check_contains "$p wrong key: names the variable" "$(cat "$T_TMP/err")" "check $(env_of "$p") or $p.api_key"
    case "$(cat "$T_TMP/err")" in *sk-wrong-key-0000*) notok "$p wrong key: key not shown" "$(cat "$T_TMP/err")" ;; *) ok "$p wrong key: key not shown" ;; esac
done

# Connection faults.
OPENAI_API_KEY=$KEY pd run greet --base-url "http://127.0.0.1:$CLOSED/v1" --var topic=x >"$T_TMP/out" 2>"$T_TMP/err"
check_contains "connection refused" "$? $(cat "$T_TMP/err")" "1 promptdeck: run error: could not connect to 127.0.0.1 port $CLOSED: connection refused"
OPENAI_API_KEY=$KEY pd run greet --base-url "http://127.0.0.1:$HOLE/v1" --connect-timeout 0.5 --var topic=x >"$T_TMP/out" 2>"$T_TMP/err"
check_contains "connect timeout" "$? $(cat "$T_TMP/err")" "1 promptdeck: run error: no connection to 127.0.0.1 port $HOLE within 0.5 s (connect timeout)"
OPENAI_API_KEY=$KEY pd run greet --base-url "http://no-such-host.invalid/v1" --connect-timeout 5 --var topic=x >"$T_TMP/out" 2>"$T_TMP/err"
check_contains "DNS failure" "$? $(cat "$T_TMP/err")" "1 promptdeck: run error: could not resolve the host name of no-such-host.invalid"

# 429: Retry-After honoured (1 s), the retry reported, then the whole answer.
for p in openai anthropic google; do
    t0=$(date +%s%N)
    prun "$p" fake.ratelimit
    t1=$(date +%s%N)
    check_eq "$p 429 then ok: exit 0" "$rc" 0
    check_contains "$p 429: retry reported" "$(cat "$T_TMP/err")" "answered HTTP 429 (rate limited); retrying in 1.0 s (attempt 2)"
    check "$p 429: full answer after the retry" cmp -s "$T_TMP/out" "$ANSWER"
    check "$p 429: waited the Retry-After second" test $(((t1 - t0) / 1000000)) -ge 1000
done
prun openai fake.ratelimitalways
check_eq "429 every time: exit 1" "$rc" 1
check_contains "429 every time: gives up with a message" "$(cat "$T_TMP/err")" "promptdeck: run error: openai is rate limiting (HTTP 429), still after 4 attempts: Rate limit reached"
prun anthropic fake.overloaded --json
check_contains "529 overloaded: retried" "$(head -n 1 "$T_TMP/out")" '{"type":"retry","attempt":2,"delay_ms":1000,"reason":"anthropic answered HTTP 529 (overloaded)'

# ---- keys ----
for p in openai anthropic google; do
    "$PROMPTDECK" --library "$LIB" run greet --provider "$p" --var topic=x >"$T_TMP/out" 2>"$T_TMP/err"
    check_contains "$p key missing: names the variable" "$? $(cat "$T_TMP/err")" "1 promptdeck: no API key for $p: set $(env_of "$p")"
done
mkdir -p "$XDG_CONFIG_HOME/promptdeck"
CFG="$XDG_CONFIG_HOME/promptdeck/config"
printf '[openai]\napi_key = %s\nbase_url = http://127.0.0.1:%s/v1\n' "$KEY" "$PORT" >"$CFG"
chmod 644 "$CFG"
pd run greet --var topic=cfg >"$T_TMP/out" 2>"$T_TMP/err"
check_contains "key in a 644 config file is refused" "$? $(cat "$T_TMP/err")" "1 promptdeck: $CFG:2: holds a key (openai.api_key) but is readable by others; run 'chmod 600"
chmod 600 "$CFG"
pd run greet --var topic=cfg >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "key in a 600 config file is used" "$?:$(last_request | jget 'd["headers"]["authorization"]')" "0:Bearer $KEY"
rm -f "$CFG"

# A provider of its own name (OpenAI-compatible) gets its own key, never OPENAI_API_KEY.
printf '[openrouter]\nbase_url = http://127.0.0.1:%s/v1\n' "$PORT" >"$CFG"
OPENAI_API_KEY=$KEY pd run greet --provider openrouter --var topic=own >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
check_contains "own provider without its key: message names its variable" "$rc $(cat "$T_TMP/err")" "1 promptdeck: run error: openrouter refused the request (HTTP 401): no API key was sent; set OPENROUTER_API_KEY or openrouter.api_key"
check_eq "own provider: OPENAI_API_KEY not sent to it" "$(last_request | jget '"authorization" in d["headers"]')" "False"
OPENROUTER_API_KEY=$KEY pd run greet --provider openrouter --var topic=own >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "own provider with OPENROUTER_API_KEY: runs" "$?:$(last_request | jget 'd["headers"]["authorization"]')" "0:Bearer $KEY"
rm -f "$CFG"

# ---- cancel: Ctrl-C keeps the partial answer, recorded as cancelled ----
rm -f "$T_TMP/out"
env OPENAI_API_KEY=$KEY "$PROMPTDECK" --library "$LIB" run greet --model fake.slow --base-url "http://127.0.0.1:$PORT/v1" \
    --var topic=slow >"$T_TMP/out" 2>"$T_TMP/err" &
RUN_PID=$!
i=0
while [ ! -s "$T_TMP/out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $RUN_PID
wait $RUN_PID
check_eq "cancel: exit 130" "$?" 130
check "cancel: partial text kept" partial_ok
check_contains "cancel: message" "$(cat "$T_TMP/err")" "promptdeck: run cancelled: cancelled by the user"

# ---- records ----
pd runs greet >"$T_TMP/runs" 2>&1
check "runs lists the runs" test "$(wc -l <"$T_TMP/runs")" -ge 40
pd runs greet --json >"$T_TMP/runs.json"
check_eq "newest run is the cancelled one, with its partial output and variables" "$(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))[0]
print(r["status"], r["variables"], r["output"] == open(sys.argv[2], encoding="utf-8").read())' "$T_TMP/runs.json" "$T_TMP/out")" \
    "cancelled {'topic': 'slow'} True"
ok_id=$(python3 -c '
import json,sys
print([r["id"] for r in json.load(open(sys.argv[1])) if r["status"] == "ok" and r["settings"]["model"] == "fake"][0])' "$T_TMP/runs.json")
pd runs greet "$ok_id" --json >"$T_TMP/one.json"
check_eq "runs SLUG ID: the record with output, usage, timings" "$(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
print(r["output"] == open(sys.argv[2], encoding="utf-8").read(), r["input_tokens"], r["output_tokens"] > 0, r["ttft_ms"] >= 0, r["total_ms"] >= r["ttft_ms"], r["finish_reason"] in ("stop", "end_turn", "STOP"))' "$T_TMP/one.json" "$ANSWER")" \
    "True 11 True True True True"
pd runs greet "$ok_id" >"$T_TMP/one.txt"
check_contains "runs SLUG ID: readable" "$(cat "$T_TMP/one.txt")" "status:     ok"
check_status "runs SLUG unknown-id: exit 1" 1 pd runs greet 20990101T000000000Z-abcdef
check_status "runs UNKNOWN-SLUG: exit 1" 1 pd runs no-such-prompt
if grep -rq -e "$KEY" -e sk-wrong-key-0000 "$LIB" "$HOME"; then notok "keys are in no record or file" "$(grep -rl -e "$KEY" -e sk-wrong-key-0000 "$LIB" "$HOME")"; else ok "keys are in no record or file"; fi

# ---- limits: the answer's cap and the run's whole time stop the run, what arrived kept ----
t0=$(date +%s)
prun openai fake.big
check_contains "answer over the default cap (4M): exit 3 and a message" "$rc $(cat "$T_TMP/err")" \
    "3 promptdeck: run error: the answer was cut at 4194304 bytes, the most a run keeps (raise it with --max-answer SIZE"
check_eq "answer over the cap: what arrived up to it is printed" "$(wc -c <"$T_TMP/out")" 4194304
check_eq "answer over the cap: recorded cut, with the text up to the cap" "$(pd runs greet --json | jget '(d[0]["status"], len(d[0]["output"]), "cut at 4194304 bytes" in d[0]["error"])')" "('error', 4194304, True)"
rec=$(find "${XDG_STATE_HOME:-$HOME/.local/state}/promptdeck/runs" -name "$(pd runs greet --json | jget 'd[0]["id"]').json" | head -n 1)
check "answer over the cap: the record file stays near the cap" test -n "$rec" -a "$(wc -c <"$rec")" -lt 4300000
for p in openai anthropic google; do
    prun "$p" fake.big --max-answer 100K --json
    check_eq "$p --max-answer 100K: exit 3, the deltas hold 100 KiB, an error event" "$rc $(python3 -c '
import json,sys
evs=[json.loads(l) for l in open(sys.argv[1])]
print(sum(len(e["text"]) for e in evs if e["type"]=="delta"), evs[-1]["type"], "cut at 102400 bytes" in evs[-1]["message"])' "$T_TMP/out")" "3 102400 error True"
done
check "the cap: the runs end quickly" test $(($(date +%s) - t0)) -lt 30
printf '[run]\nmax_answer_bytes = 2K\ntimeout = 1.5\n' >"$XDG_CONFIG_HOME/promptdeck/config"
prun openai fake.big
check_eq "config max_answer_bytes: the cap" "$rc $(wc -c <"$T_TMP/out")" "3 2048"
t0=$(date +%s)
prun anthropic fake.drip --idle-timeout 30
check_contains "config timeout: a stream that never goes idle is stopped" "$rc $(cat "$T_TMP/err")" \
    "1 promptdeck: run error: the run took longer than 1.5 s, the most it may take"
rm -f "$XDG_CONFIG_HOME/promptdeck/config"
for p in openai google; do
    t0=$(date +%s)
    prun "$p" fake.drip --timeout 2.5 --idle-timeout 30
    check_contains "$p --timeout 2.5 on a 1 byte/s stream: exit 1, a message" "$rc $(cat "$T_TMP/err")" \
        "1 promptdeck: run error: the run took longer than 2.5 s, the most it may take (raise it with --timeout SECONDS"
    check "$p --timeout: ends in time" test $(($(date +%s) - t0)) -lt 6
    check "$p --timeout: partial text kept" partial_ok
    check_eq "$p --timeout: recorded with its partial text" "$(pd runs greet --json | jget '(d[0]["status"], d[0]["output"] == open("'"$T_TMP/out"'").read())')" "('error', True)"
done
prun openai fake --max-answer 4X
check_contains "--max-answer: a bad size is refused" "$rc $(cat "$T_TMP/err")" "--max-answer '4X': give a size in bytes"

# ---- the key in the answer is never shown nor recorded, even split across deltas ----
for p in openai anthropic google; do
    prun "$p" fake.leak
    check_eq "$p key in the answer: redacted on stdout" "$rc $(cat "$T_TMP/out")" "0 Your key is [redacted]; again: [redacted]."
    prun "$p" fake.leak --json
    check_eq "$p key in the answer: redacted in --json deltas" "$(python3 -c '
import json,sys
print("".join(e["text"] for e in map(json.loads, open(sys.argv[1])) if e["type"]=="delta"))' "$T_TMP/out")" "Your key is [redacted]; again: [redacted]."
    check_eq "$p key in the answer: redacted in the record" "$(pd runs greet --json | jget 'd[0]["output"]')" "Your key is [redacted]; again: [redacted]."
    if grep -q -e "$KEY" "$T_TMP/out" "$T_TMP/err"; then notok "$p key in the answer: not in the output"; else ok "$p key in the answer: not in the output"; fi
done
for p in openai anthropic google; do
    prun "$p" fake.tools.leak
    check_contains "$p key in a tool call's arguments: redacted" "$rc $(cat "$T_TMP/out")" '"city": "Paris [redacted]"'
    check_eq "$p key in a tool call's arguments: redacted in the record" "$(pd runs greet --json | jget 'd[0]["tool_calls"][0]["arguments"]')" "{'city': 'Paris [redacted]'}"
done
# every key promptdeck knows, not only the run's: another provider's variable, a key in the config
export ANTHROPIC_API_KEY=sk-ant-other-key-4242
printf '[google]\napi_key = AIza-config-key-7777\n' >"$XDG_CONFIG_HOME/promptdeck/config"
chmod 600 "$XDG_CONFIG_HOME/promptdeck/config"
prun openai fake.echo --var "topic=sk-ant-other-key-4242 and AIza-config-key-7777"
check_eq "other keys in the answer: redacted" "$rc $(cat "$T_TMP/out")" "0 You said: Tell me about [redacted] and [redacted]. (turn 1)"
check_eq "other keys in the answer: redacted in the record" "$(pd runs greet --json | jget 'd[0]["output"]')" "You said: Tell me about [redacted] and [redacted]. (turn 1)"
unset ANTHROPIC_API_KEY
rm -f "$XDG_CONFIG_HOME/promptdeck/config"
pd runs greet "$(pd runs greet --json | jget 'd[0]["id"]')" >"$T_TMP/one.txt"
if grep -rq -e "$KEY" "$LIB" "$HOME" "$T_TMP/one.txt"; then notok "key in the answer: in no record or file" "$(grep -rl -e "$KEY" "$LIB" "$HOME")"; else ok "key in the answer: in no record or file"; fi

# ---- a terminal gets no raw escape sequences (tmux gives the run a terminal) ----
S="pd-run-$$"
tmux -L "$S" new-session -d -s main -x 120 -y 30 \
    "env OPENAI_API_KEY=$KEY $PROMPTDECK --library $LIB run greet --base-url http://127.0.0.1:$PORT/v1 --var topic=tty; echo EXIT-\$?; sleep 60"
on_exit "tmux -L $S kill-server 2>/dev/null"
i=0
screen=""
while [ $i -lt 200 ]; do
    screen=$(tmux -L "$S" capture-pane -p -t main 2>/dev/null)
    case "$screen" in *EXIT-*) break ;; esac
    sleep 0.05
    i=$((i + 1))
done
check_contains "on a terminal: the run ends well" "$screen" "EXIT-0"
check_contains "on a terminal: escape sequences and C1 controls are shown, not obeyed" "$screen" '^[[31mred^[[0m and \x9B C1'
check_contains "on a terminal: the text around them is intact" "$screen" "The end."

# a prompt never run: the list is empty, and the person reading it is told why
pd create never-run --name "Never run" --model m --provider openai --message "user=hi" >/dev/null
out=$(pd runs never-run 2>&1)
check_eq "runs on a prompt never run: exit 0" "$?" "0"
check_contains "runs on a prompt never run: says so" "$out" "never-run has no runs yet"
check_eq "runs --json on a prompt never run: an empty array" "$(pd runs never-run --json 2>/dev/null)" "[]"
