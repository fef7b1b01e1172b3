#!/bin/sh
# bench_eval.sh: the same evaluation (200 cases x 2 versions, one `contains` assertion each)
# through `promptdeck eval` and through promptfoo (npm) against the stand-in OpenAI server
# answering each request after a fixed delay: wall time and CPU of each, and wall time against
# the limit the delay sets (delay x requests / concurrency). Goals: promptdeck's wall within 10%
# of the limit, at least 10x less CPU than promptfoo. Not a pass/fail test.
# BENCH_EVAL_CASES (200), BENCH_EVAL_DELAY_MS (200), BENCH_EVAL_CONCURRENCY (10) change the run.
. "$(dirname "$0")/lib.sh"
cases=${BENCH_EVAL_CASES:-200}
delay=${BENCH_EVAL_DELAY_MS:-200}
conc=${BENCH_EVAL_CONCURRENCY:-10}
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
[ -x "$pd" ] || { echo "bench_eval: build promptdeck first ($pd)"; exit 2; }

python3 "$top/tests/servers/fake_provider.py" --key bench-key --log "$tmp/req.log" >"$tmp/port" 2>/dev/null &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
read port hole <"$tmp/port"
base="http://127.0.0.1:$port/v1"
model="bench.echo.wait$delay"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME"

# The cases, in promptfoo's format (both tools read this file).
python3 - "$cases" >"$tmp/tests.yaml" <<'EOF'
import sys
for i in range(int(sys.argv[1])):
    print("- description: case %d\n  vars: {country: 'Country %d'}\n  assert:\n    - type: contains\n      value: 'Country %d'" % (i, i, i))
EOF
# Two versions of one prompt.
lib="$tmp/lib"
"$pd" --library "$lib" create bench --name Bench --provider openai --model "$model" --message 'user=Capital of {{country}}?' >/dev/null
"$pd" --library "$lib" update bench --message 'user=Tell me the capital of {{country}}.' >/dev/null
"$pd" --library "$lib" eval import bench "$tmp/tests.yaml" >/dev/null
requests=$((cases * 2))
limit=$(awk -v d="$delay" -v n="$requests" -v c="$conc" 'BEGIN { printf "%.2f", d / 1000 * n / c }')

# cpu NAME CMD...: runs CMD, output to $tmp/NAME.out, prints "user+sys wall" seconds.
cpu() {
    n=$1
    shift
    /usr/bin/time -f "%U %S %e" -o "$tmp/$n.time" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"
    awk '{printf "%.3f %.3f\n", $1 + $2, $3}' "$tmp/$n.time"
}
sent() { if [ -f "$tmp/req.log" ]; then wc -l <"$tmp/req.log" | tr -d ' '; else echo 0; fi; }

echo "$cases cases x 2 versions = $requests requests, the stand-in answering after $delay ms, concurrency $conc"
echo "limit: $delay ms x $requests / $conc = ${limit}s"
before=$(sent)
set -- $(OPENAI_API_KEY=bench-key OPENAI_BASE_URL=$base cpu pd "$pd" --library "$lib" eval bench --version 1 --version 2 \
    --concurrency "$conc" --no-cache --json)
pd_cpu=$1 pd_wall=$2
pd_sum=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"])' "$tmp/pd.out" 2>/dev/null || head -c 300 "$tmp/pd.err")
echo "promptdeck eval:  wall ${pd_wall}s  cpu ${pd_cpu}s  $(($(sent) - before)) requests  $pd_sum"
awk -v w="$pd_wall" -v l="$limit" 'BEGIN { printf "promptdeck wall against the limit: %+.1f%% (goal: within 10%%)\n", (w / l - 1) * 100 }'
# the response cache: filled by one run, answering the next
for pass in filling answering; do
    before=$(sent)
    set -- $(OPENAI_API_KEY=bench-key OPENAI_BASE_URL=$base cpu pdc "$pd" --library "$lib" eval bench --version 1 \
        --version 2 --concurrency "$conc" --json)
    echo "promptdeck eval, the cache $pass:  wall ${2}s  cpu ${1}s  $(($(sent) - before)) requests"
done

# promptfoo, installed once into tests/bench/node_modules (git-ignored).
if [ ! -x "$bench/node_modules/.bin/promptfoo" ] && command -v npm >/dev/null 2>&1; then
    (cd "$bench" && npm install --no-audit --no-fund >"$tmp/npm.log" 2>&1) ||
        { echo "bench_eval: npm install failed:"; tail -n 5 "$tmp/npm.log"; }
fi
if [ ! -x "$bench/node_modules/.bin/promptfoo" ]; then
    echo "promptfoo: not installed (npm or the registry unavailable); promptdeck's figures alone"
    exit 0
fi
cat >"$tmp/promptfooconfig.yaml" <<EOF
prompts:
  - id: v1
    raw: 'Capital of {{country}}?'
  - id: v2
    raw: 'Tell me the capital of {{country}}.'
providers:
  - id: openai:chat:$model
    config:
      apiBaseUrl: $base
      apiKey: bench-key
tests: file://$tmp/tests.yaml
EOF
# No cache, no telemetry, no update check, no sharing, nothing written to a database: the run alone.
before=$(sent)
set -- $(cd "$tmp" && PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$tmp/pf" \
    PROMPTFOO_DISABLE_SHARING=1 OPENAI_API_KEY=bench-key cpu pf "$bench/node_modules/.bin/promptfoo" eval \
    -c "$tmp/promptfooconfig.yaml" --no-cache --no-write --no-progress-bar --no-table -j "$conc" -o "$tmp/pf.json")
pf_cpu=$1 pf_wall=$2
pf_sum=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["results"]["stats"]; print({"passed": s["successes"], "failed": s["failures"], "errors": s.get("errors", 0)})' "$tmp/pf.json" 2>/dev/null ||
    tail -n 3 "$tmp/pf.err")
echo "promptfoo eval:   wall ${pf_wall}s  cpu ${pf_cpu}s  $(($(sent) - before)) requests  $pf_sum"
awk -v w="$pf_wall" -v l="$limit" 'BEGIN { printf "promptfoo wall against the limit: %+.1f%%\n", (w / l - 1) * 100 }'
awk -v a="$pf_cpu" -v b="$pd_cpu" 'BEGIN { if (b > 0) printf "ratio: promptfoo uses %.1fx the CPU of promptdeck eval (goal: at least 10x)\n", a / b }'
