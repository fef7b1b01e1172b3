#!/bin/sh
# bench_run.sh: client CPU to receive a 200 KB answer streamed in 5-character deltas (about 40 000
# SSE events) from the stand-in OpenAI server: `promptdeck run` versus the official OpenAI Node
# SDK (what a user would otherwise script) and versus curl saving the raw stream undecoded (the
# floor). Same server, same run. Prints ratios; not a pass/fail test.
. "$(dirname "$0")/lib.sh"
size=${BENCH_RUN_SIZE:-204800}
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
[ -x "$pd" ] || { echo "bench_run: build promptdeck first ($pd)"; exit 2; }

# A Markdown-ish answer of $size bytes, with multi-byte characters.
python3 - "$size" >"$tmp/answer.txt" <<'EOF'
import sys
n = int(sys.argv[1])
para = "## Heading\n\nSome *emphasis*, `code`, caf\u00e9 \u20ac and \U0001F600 in a sentence that goes on.\n\n- item\n- item\n\n"
sys.stdout.write((para * (n // len(para.encode()) + 1)).encode()[:n].decode("utf-8", "ignore"))
EOF

lib="$tmp/lib"
mkdir -p "$lib/prompts/bench"
printf '{"format": "promptdeck-library", "format_version": 1}\n' >"$lib/library.json"
printf '{"format_version": 1, "id": "00000000000000be", "slug": "bench", "name": "Bench", "description": "", "tags": [], "labels": {}, "current_version": 1, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}\n' >"$lib/prompts/bench/prompt.json"
printf '{"format_version": 1, "version": 1, "messages": [{"role": "user", "content": "Tell me about bench."}], "provider": "openai", "model": "fake", "created_at": "2024-01-01T00:00:00Z"}\n' >"$lib/prompts/bench/v0001.json"

python3 "$top/tests/servers/fake_provider.py" --key bench-key --answer-file "$tmp/answer.txt" >"$tmp/port" 2>/dev/null &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
read port hole <"$tmp/port"
base="http://127.0.0.1:$port/v1"
export OPENAI_API_KEY=bench-key HOME="$tmp" XDG_CONFIG_HOME="$tmp/config"

# cpu NAME CMD...: runs CMD, output to $tmp/NAME.out, prints "user+sys wall" seconds.
cpu() {
    n=$1
    shift
    /usr/bin/time -f "%U %S %e" -o "$tmp/$n.time" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"
    awk '{printf "%.3f %.3f\n", $1 + $2, $3}' "$tmp/$n.time"
}

set -- $(cpu pd "$pd" --library "$lib" run bench --base-url "$base")
pd_cpu=$1 pd_wall=$2
cmp -s "$tmp/pd.out" "$tmp/answer.txt" && pd_ok=exact || pd_ok="DIFFERENT ($(cat "$tmp/pd.err"))"
body='{"model":"fake","messages":[{"role":"user","content":"Tell me about bench."}],"stream":true,"stream_options":{"include_usage":true}}'
set -- $(cpu curl curl -sN "$base/chat/completions" -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" -d "$body")
curl_cpu=$1 curl_wall=$2

echo "answer: $(wc -c <"$tmp/answer.txt") bytes in $(grep -c '^data: ' "$tmp/curl.out") SSE events ($(wc -c <"$tmp/curl.out") bytes on the wire)"
echo "promptdeck run:        cpu ${pd_cpu}s  wall ${pd_wall}s  output $pd_ok"
echo "curl (raw, undecoded): cpu ${curl_cpu}s  wall ${curl_wall}s"

# The SDK is installed once into a git-ignored build directory.
node_dir="$top/build-bench-node"
if command -v npm >/dev/null 2>&1 && [ ! -d "$node_dir/node_modules/openai" ]; then
    mkdir -p "$node_dir"
    cp "$top/tests/bench/run_client/package.json" "$top/tests/bench/run_client/client.mjs" "$node_dir/"
    (cd "$node_dir" && npm install --no-audit --no-fund >/dev/null 2>&1)
fi
cp "$top/tests/bench/run_client/client.mjs" "$node_dir/" 2>/dev/null
if [ -d "$node_dir/node_modules/openai" ]; then
    set -- $(cpu node node "$node_dir/client.mjs" "$base" fake)
    node_cpu=$1 node_wall=$2
    cmp -s "$tmp/node.out" "$tmp/answer.txt" && node_ok=exact || node_ok=DIFFERENT
    echo "openai Node SDK:       cpu ${node_cpu}s  wall ${node_wall}s  output $node_ok"
    awk -v a="$node_cpu" -v b="$pd_cpu" 'BEGIN { if (b > 0) printf "ratio: the Node SDK uses %.1fx the CPU of promptdeck run\n", a / b }'
else
    echo "openai Node SDK: not installed (npm unavailable); no ratio"
fi
awk -v a="$pd_cpu" -v b="$curl_cpu" 'BEGIN { if (b > 0) printf "ratio: promptdeck run uses %.1fx the CPU of curl saving the raw stream\n", a / b }'
