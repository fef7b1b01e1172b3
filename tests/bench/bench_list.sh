#!/bin/sh
# bench_list.sh: listing a library of 10,000 prompts with 50,000 versions: `promptdeck list`
# warm (its cache checked against the files) and cold (no cache), `list --json`, pd_store_list
# in-process and the peak memory of `list`, against what a user would otherwise run over the
# same files (ls -R, cat, jq, python), all measured here in the same run and printed as rows
# `measure ours theirs ratio goal` (issue 14). Also the floor under the warm listing: the stats
# it cannot do without, timed alone. Not a pass/fail test.
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
ls_ms=$(median_ms ls -R "$lib/prompts")
floor=$("$DRIVER" stats "$lib" "$runs")
floor2=$("$DRIVER" stats "$lib" "$runs" 2)
floor_cold=$("$DRIVER" reads "$lib" "$runs" 2)
# the same facts by hand: each prompt's prompt.json and events.jsonl (name, labels), and its
# version files' names (the current number)
cat_ms=$(median_ms sh -c "find '$lib/prompts' \( -name prompt.json -o -name events.jsonl \) -print0 | xargs -0 cat")
jq_ms=-
command -v jq >/dev/null 2>&1 &&
    jq_ms=$(median_ms sh -c "find '$lib/prompts' -name events.jsonl -print0 | xargs -0 jq -c 'select(.set == \"name\") | .value'")
py_ms=-
command -v python3 >/dev/null 2>&1 && py_ms=$(median_ms python3 -c "
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
# memory: the peak of `list` beyond the same program listing a library of one prompt
one="$tmp/one"
"$DRIVER" gen "$one" 1 1 >/dev/null && "$pd" --library "$one" list >/dev/null 2>&1
base_kb=$(peak_kb "$pd" --library "$one" list)
list_kb=$(peak_kb "$pd" --library "$lib" list)

echo "median of $runs runs, wall ms; $listed prompts listed ($damaged damaged)"
row_header
row "list warm (cache checked), vs ls -R" "$cli" "$ls_ms" "<= 0.2"
row "list cold (no cache), vs ls -R" "$cold_cli" "$ls_ms" "<= 1.5"
row "list --json, vs list" "$cli_json" "$cli" "<= 1.3"
row "pd_store_list warm in-process, vs ls -R" "$api_med" "$ls_ms" "-"
row "  floor: 3 stats a prompt, one thread, vs ls -R" "$floor" "$ls_ms" "(bounds the warm list)"
row "  floor: the same in two threads (as list), vs ls -R" "$floor2" "$ls_ms" "(bounds the warm list)"
row "  floor: each folder scanned, 3 files read, two threads" "$floor_cold" "$ls_ms" "(bounds the cold list)"
row "list warm, vs find | xargs cat" "$cli" "$cat_ms" "< 1"
row "list warm, vs find | xargs jq (each name)" "$cli" "$jq_ms" "< 1"
row "list warm, vs python3 os.walk + json.load" "$cli" "$py_ms" "< 1"
row "list peak RSS beyond 1 prompt's (KB a prompt)" "$(per_prompt_kb "$list_kb" "$base_kb" "$prompts")" 2 "<= 1"
echo "list peak RSS: $list_kb KB with $prompts prompts, $base_kb KB with one"
