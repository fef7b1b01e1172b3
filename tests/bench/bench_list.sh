#!/bin/sh
# bench_list.sh: listing a library of 10,000 prompts with 50,000 versions (goal <= 100 ms):
# `promptdeck list`, `list --json` and pd_store_list in-process, against what a user would
# otherwise run over the same files (cat, jq, python), all measured here in the same run.
# BENCH_PROMPTS / BENCH_VERSIONS / BENCH_RUNS change the size and the number of runs.
. "$(dirname "$0")/lib.sh"
prompts=${BENCH_PROMPTS:-10000}
versions=${BENCH_VERSIONS:-50000}
runs=${BENCH_RUNS:-7}
[ -x "$pd" ] || { echo "bench_list: build first (make): $pd"; exit 2; }
bench_driver bench_list
lib="$tmp/lib"
t0=$(date +%s%N)
"$DRIVER" gen "$lib" "$prompts" "$versions" || exit 2
t1=$(date +%s%N)
nfiles=$(find "$lib/prompts" -name 'v*.json' | wc -l)
echo "library: $prompts prompts, $nfiles version files ($(du -sh "$lib" | cut -f1)), generated in $(( (t1 - t0) / 1000000 )) ms"

# median_ms CMD...: the median wall time of $runs runs (after one warm-up run), in ms.
median_ms() {
    "$@" >/dev/null 2>&1
    i=0
    : >"$tmp/times"
    while [ $i -lt "$runs" ]; do
        a=$(date +%s%N)
        "$@" >/dev/null 2>&1
        b=$(date +%s%N)
        echo $(( (b - a) / 1000 )) >>"$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "inf" }'; }

# Cold: no cache, every prompt read (the first listing, or after everything changed). The cache
# lives outside the library, under $XDG_CACHE_HOME: a folder of this run's own.
XDG_CACHE_HOME="$tmp/cache"
export XDG_CACHE_HOME
cold_cli=$(median_ms sh -c "rm -rf '$tmp/cache'; '$pd' --library '$lib' list")
# Files changed in the last 2 seconds are always read again (coarse file times): let the
# generated files settle before measuring the usual case, a cache to check against the files.
end=$(( $(date +%s) + 3 ))
while [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
"$pd" --library "$lib" list >/dev/null
set -- $("$DRIVER" list "$lib" "$runs")
api_best=$1 api_med=$2 listed=$3 damaged=$4
cli=$(median_ms "$pd" --library "$lib" list)
cli_json=$(median_ms "$pd" --library "$lib" list --json)
# the same facts by hand: each prompt's prompt.json and events.jsonl (name, labels), and its
# version files' names (the current number)
cat_ms=$(median_ms sh -c "find '$lib/prompts' \( -name prompt.json -o -name events.jsonl \) -print0 | xargs -0 cat")
echo "promptdeck list, no cache (cold):  median $cold_cli ms"
echo "pd_store_list (in-process):        median $api_med ms, best $api_best ms ($listed prompts, $damaged damaged; goal <= 100 ms)"
echo "promptdeck list:                   median $cli ms"
echo "promptdeck list --json:            median $cli_json ms"
echo "find prompt.json, events.jsonl | xargs cat: median $cat_ms ms   (promptdeck list: $(ratio "$cli" "$cat_ms")x faster)"
if command -v jq >/dev/null 2>&1; then
    jq_ms=$(median_ms sh -c "find '$lib/prompts' -name events.jsonl -print0 | xargs -0 jq -c 'select(.set == \"name\") | .value'")
    echo "find | xargs jq (each name):       median $jq_ms ms   (promptdeck list: $(ratio "$cli" "$jq_ms")x faster)"
fi
if command -v python3 >/dev/null 2>&1; then
    py_ms=$(median_ms python3 -c "
import json, os, sys
out = []
for d, _, fs in os.walk(sys.argv[1]):
    if 'prompt.json' in fs:
        with open(os.path.join(d, 'prompt.json')) as f:
            p = json.load(f)
        name = None
        with open(os.path.join(d, 'events.jsonl')) as f:
            for line in f:
                e = json.loads(line)
                if e.get('set') == 'name':
                    name = e['value']
        current = max(int(n[1:n.index('-')]) for n in fs if n.startswith('v') and n.endswith('.json'))
        out.append((d, p['id'], name, current))
out.sort()
" "$lib/prompts")
    echo "python3 os.walk + json.load:       median $py_ms ms   (promptdeck list: $(ratio "$cli" "$py_ms")x faster)"
fi
ls_ms=$(median_ms ls -R "$lib/prompts")
echo "ls -R (names only, no reading):    median $ls_ms ms   (promptdeck list: $(ratio "$cli" "$ls_ms")x faster)"
