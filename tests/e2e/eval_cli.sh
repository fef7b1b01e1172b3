# eval_cli.sh: `promptdeck eval` against the stand-in provider: cases imported from promptfoo
# YAML, two versions x one model with the expected PASS/FAIL per cell, the --json shape, exit
# codes, the response cache (a second run sends nothing), --no-cache, the --concurrency bound,
# errors (no key, server down), kept results listed and compared, llm-rubric through a judge prompt.
. "$(dirname "$0")/lib.sh"

KEY="sk-test-eval-key"
printf 'unused\n' >"$T_TMP/answer.txt"
start_fake_provider "$KEY" "$T_TMP/answer.txt"
export XDG_CACHE_HOME="$HOME/.cache"
BASE="http://127.0.0.1:$PORT/v1"
# ev ARGS...: eval with the key and the stand-in; stdout in $T_TMP/out, stderr in $T_TMP/err, status in $rc.
ev() { OPENAI_API_KEY=$KEY OPENAI_BASE_URL=$BASE "$PROMPTDECK" --library "$LIB" eval "$@" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?; }
requests() { if [ -f "$T_TMP/req.log" ]; then wc -l <"$T_TMP/req.log" | tr -d ' '; else echo 0; fi; }
# py EXPR: EXPR over the JSON in $T_TMP/out (as d).
py() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$T_TMP/out"; }

# ---- a prompt with two versions (the stand-in's echo mode answers with the user's text) ----
pd create greet --name Greet --provider openai --model fake.echo --message 'user=Capital of {{country}}?' >/dev/null
pd update greet --message 'user=Tell me the capital of {{country}}.' >/dev/null
cat >"$T_TMP/tests.yaml" <<'EOF'
# promptfoo's test format
- description: france
  vars: {country: France}
  assert:
    - type: contains
      value: France
    - type: icontains
      value: CAPITAL OF
- description: spain asks politely
  vars: {country: Spain}
  assert:
    - type: regex
      value: "^You said: Tell me\\b"
- vars: {country: Peru}
  assert:
    - type: not-contains
      value: Lima
EOF
check "eval import adds promptfoo YAML cases" pd eval import greet "$T_TMP/tests.yaml"
check_eq "the cases are in the prompt's tests.json" \
    "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$LIB/prompts/greet/tests.json")" "3"

# ---- two versions x one model ----
ev greet --version 1 --version 2 --json
check_eq "a failing case: exit 1" "$rc" "1"
check_eq "one result per case x column" "$(py 'len(d["results"])')" "6"
check_eq "the summary" "$(py 'd["summary"]')" "{'passed': 5, 'failed': 1, 'errors': 0}"
check_eq "pass/fail per cell (case-major, v1 then v2)" \
    "$(py '" ".join("%s:v%d:%s" % (r["case"], r["version"], "PASS" if r["pass"] else "FAIL") for r in d["results"])')" \
    "france:v1:PASS france:v2:PASS spain asks politely:v1:FAIL spain asks politely:v2:PASS #3:v1:PASS #3:v2:PASS"
check_eq "each result's fields" "$(py 'sorted(k for k in d["results"][0] if k in ("case", "version", "provider", "model", "pass", "score", "output", "latency_ms", "tokens", "cost", "assertions"))')" \
    "['assertions', 'case', 'cost', 'latency_ms', 'model', 'output', 'pass', 'provider', 'score', 'tokens', 'version']"
check_eq "provider and model" "$(py 'd["results"][0]["provider"] + " " + d["results"][0]["model"]')" "openai fake.echo"
check_eq "the output" "$(py 'd["results"][3]["output"]')" "You said: Tell me the capital of Spain. (turn 1)"
check_eq "assertions with type, pass and reason" "$(py 'd["results"][2]["assertions"][0]["type"], d["results"][2]["assertions"][0]["pass"], bool(d["results"][2]["assertions"][0]["reason"])')" \
    "regex False True"
check_eq "a negated assertion's type" "$(py 'd["results"][4]["assertions"][0]["type"]')" "not-contains"
check_eq "tokens and latency known" "$(py 'd["results"][0]["tokens"] > 0 and d["results"][0]["latency_ms"] >= 0')" "True"
check_eq "the requests: one per cell" "$(requests)" "6"

# ---- the table ----
ev greet --version 1 --version 2
check_eq "table: exit 1" "$rc" "1"
check_contains "table: a header per column with its pass rate" "$(cat "$T_TMP/out")" "[1] v1 openai:fake.echo  2/3 passed (67%)"
check_contains "table: the second column" "$(cat "$T_TMP/out")" "[2] v2 openai:fake.echo  3/3 passed (100%)"
check_eq "table: a row per case" "$(grep -E '^(france|spain asks politely|#3) ' "$T_TMP/out" | tr -s ' ')" "france PASS PASS 
spain asks politely FAIL PASS 
#3 PASS PASS "
check_contains "table: why a cell failed" "$(cat "$T_TMP/out")" "spain asks politely [1]: expected to match"
check_contains "the result is kept" "$(cat "$T_TMP/err")" "kept as "

# ---- the cache ----
check_eq "the second run made no request (answered from the cache)" "$(requests)" "6"
check_eq "cache entries are the user's alone" "$(find "$XDG_CACHE_HOME/promptdeck/responses" -type f ! -perm 600 | wc -l | tr -d ' ')" "0"
if grep -rq "$KEY" "$XDG_CACHE_HOME/promptdeck/responses"; then notok "no key in the cache"; else ok "no key in the cache"; fi
ev greet --version 1 --json
check_eq "cached cells say so" "$(py 'all(r["cached"] for r in d["results"])')" "True"
ev greet --version 1 --version 2 --no-cache --json
check_eq "--no-cache asks again" "$(requests)" "12"
check_eq "--no-cache: same verdicts" "$(py 'd["summary"]')" "{'passed': 5, 'failed': 1, 'errors': 0}"

# ---- all pass: exit 0; --tests FILE; --model; --repeat ----
cat >"$T_TMP/pass.yaml" <<'EOF'
tests:
  - description: ok
    vars: {country: Chile}
    assert: [{type: contains, value: Chile}]
EOF
ev greet --tests "$T_TMP/pass.yaml"
check_eq "every case passes: exit 0" "$rc" "0"
printf 'country,__expected\nItaly,contains: Italy\nItaly,contains: Rome\n' >"$T_TMP/cases.csv"
ev greet --tests "$T_TMP/cases.csv" --json
check_eq "--tests CSV" "$(py '[r["pass"] for r in d["results"]]')" "[True, False]"
ev greet --tests "$T_TMP/pass.yaml" --model openai:fake.echo --model openai:other.echo --repeat 2 --no-cache --json
check_eq "--model x --repeat: columns and repeats" "$(py '[(r["model"], r["repeat"]) for r in d["results"]]')" \
    "[('fake.echo', 0), ('fake.echo', 1), ('other.echo', 0), ('other.echo', 1)]"
n=$(requests)
ev greet --tests "$T_TMP/pass.yaml" --model openai:third.echo --repeat 2 --json
check_eq "--repeat: each repeat is asked" "$(($(requests) - n))" "2"
ev greet --tests "$T_TMP/pass.yaml" --model openai:third.echo --repeat 2 --json
check_eq "--repeat: each repeat's answer is then reused" "$(($(requests) - n)) $(py '[r["cached"] for r in d["results"]]')" "2 [True, True]"

# ---- a 429 with Retry-After is retried, as runs do ----
n=$(requests)
ev greet --tests "$T_TMP/pass.yaml" --model openai:rl.echo.ratelimit --no-cache --json
check_eq "rate limited once: retried after Retry-After, and passes" "$rc $(($(requests) - n))" "0 2"

# ---- concurrency: at most N requests at once (the stand-in answers after 300 ms) ----
cat >"$T_TMP/six.yaml" <<'EOF'
- {vars: {country: A}, assert: [{type: contains, value: A}]}
- {vars: {country: B}, assert: [{type: contains, value: B}]}
- {vars: {country: C}, assert: [{type: contains, value: C}]}
- {vars: {country: D}, assert: [{type: contains, value: D}]}
- {vars: {country: E}, assert: [{type: contains, value: E}]}
- {vars: {country: F}, assert: [{type: contains, value: F}]}
EOF
t0=$(date +%s.%N)
ev greet --tests "$T_TMP/six.yaml" --model openai:fake.echo.wait300 --concurrency 2 --no-cache
t1=$(date +%s.%N)
check_eq "--concurrency 2: exit 0" "$rc" "0"
check_eq "--concurrency 2: six 300 ms answers take three rounds (0.9 s to 1.6 s)" \
    "$(python3 -c "import sys; t = $t1 - $t0; print(0.85 <= t < 1.6 or t)")" "True"
t0=$(date +%s.%N)
ev greet --tests "$T_TMP/six.yaml" --model openai:fake.echo.wait300 --concurrency 6 --no-cache
t1=$(date +%s.%N)
check_eq "--concurrency 6: one round (under 0.85 s)" "$(python3 -c "import sys; t = $t1 - $t0; print(t < 0.85 or t)")" "True"

# ---- errors: exit 2 with a clear message ----
OPENAI_BASE_URL=$BASE "$PROMPTDECK" --library "$LIB" eval greet --no-cache >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "a wrong key: exit 2" "$?" "2"
check_contains "a wrong key: said" "$(cat "$T_TMP/err")" "refused the request (HTTP 401)"
"$PROMPTDECK" --library "$LIB" eval greet --no-cache >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "no key for the official endpoint: exit 2" "$?" "2"
check_contains "no key: says which variable to set" "$(cat "$T_TMP/err")" "no API key for openai: set OPENAI_API_KEY"
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$CLOSED/v1" "$PROMPTDECK" --library "$LIB" eval greet --no-cache --json >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "server down: exit 2" "$?" "2"
check_contains "server down: said" "$(cat "$T_TMP/err")" "3 requests failed: could not connect to 127.0.0.1 port $CLOSED"
check_eq "server down: errors in the summary" "$(py 'd["summary"]')" "{'passed': 0, 'failed': 0, 'errors': 3}"
check_eq "server down: each result has its error" "$(py 'all(r["error"] and not r["pass"] for r in d["results"])')" "True"
ev nosuch
check_eq "an unknown prompt: exit 2" "$rc" "2"
pd create bare --name Bare --provider openai --model fake.echo --message user=hi >/dev/null
ev bare
check_eq "a prompt without cases: exit 2" "$rc" "2"
check_contains "without cases: says how to add some" "$(cat "$T_TMP/err")" "eval import bare FILE"
ev greet --model gpt-4o
check_eq "--model without a provider: usage error" "$rc" "2"

# ---- kept results: list and compare ----
pd update greet --message 'user=Capital of {{country}}?' >/dev/null   # version 3 fails "spain" again
ev greet --json
check_eq "version 3: one failure" "$(py 'd["summary"]["failed"]')" "1"
B=$(py 'd["id"]')
ev greet --version 2 --json
A=$(py 'd["id"]')
ev --list greet
check_contains "--list shows kept evaluations" "$(cat "$T_TMP/out")" "$A  greet  3 passed, 0 failed, 0 errors  v2 openai:fake.echo"
ev --list greet --json
check_eq "--list --json: newest first" "$(py 'd[0]["id"] == "'"$A"'" and d[1]["id"] == "'"$B"'"')" "True"
ev --compare "$A" "$B"
check_eq "compare: a regression exits 1" "$rc" "1"
check_contains "compare: what went from pass to fail (version 2 against 3: columns by position)" "$(cat "$T_TMP/out")" "pass -> fail:
  spain asks politely  v2->v3 openai:fake.echo  pass -> fail: expected to match"
ev --compare "$A" "$A" --json
check_eq "compare with itself: no change" "$(py 'len(d["regressions"]), len(d["fixes"]), d["unchanged"]')" "0 0 {'passed': 3, 'failed': 0}"
ev greet --version 1 --version 2 --json
AB=$(py 'd["id"]')
ev --compare "$AB" "$A" --json
check_eq "compare: columns in common are matched by version and model" "$(py 'len(d["added"]), len(d["removed"]), d["unchanged"]')" \
    "0 3 {'passed': 3, 'failed': 0}"
ev --compare nosuch "$A"
check_eq "compare: an unknown id is an error" "$rc" "1"
kept=$(ls -d "$XDG_STATE_HOME"/promptdeck/evals/*)
check_eq "kept outside the library, mode 600" "$(find "$kept" -type f ! -perm 600 | wc -l | tr -d ' ')" "0"
# a FIFO planted among the kept evaluations is never waited on (issue 10, failure 3's rule)
fifo="$kept/20991231T000000000Z-aaaaaa.json"
mkfifo "$fifo"
o=$(timeout 10 "$PROMPTDECK" --library "$LIB" eval --list greet 2>&1)
check_eq "--list with a FIFO among the kept: returns, the healthy ones listed" "$? $(printf '%s\n' "$o" | grep -c "$A  greet")" "0 1"
o=$(timeout 10 "$PROMPTDECK" --library "$LIB" eval --compare 20991231T000000000Z-aaaaaa "$A" 2>&1)
check_eq "--compare of a FIFO: refused, named" "$? $o" "1 promptdeck: $fifo: not a regular file (a FIFO)"
rm "$fifo"

# ---- llm-rubric through a judge prompt in the library ----
pd create judge --name Judge --provider openai --model fake.echo --message 'user={"pass": true, "reason": "{{rubric}}"}' >/dev/null
cat >"$T_TMP/rubric.yaml" <<'EOF'
- description: judged
  vars: {country: Chile}
  assert:
    - type: llm-rubric
      value: mentions Chile
EOF
ev greet --tests "$T_TMP/rubric.yaml" --judge judge --json
check_contains "llm-rubric: the judge's verdict" "$(py 'd["results"][0]["pass"], d["results"][0]["assertions"][0]["reason"]')" "True meets the rubric 'mentions Chile'"
ev greet --tests "$T_TMP/rubric.yaml" --json
check_eq "llm-rubric without a judge: the cell fails" "$rc" "1"
check_contains "llm-rubric without a judge: says how to name one" "$(py 'd["results"][0]["assertions"][0]["reason"]')" "--judge SLUG"
