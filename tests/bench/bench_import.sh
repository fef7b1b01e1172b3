#!/bin/sh
# bench_import.sh: `promptdeck import` of the benchmark's generated library (10,000 prompts,
# 50,000 versions, written out by `promptdeck export`) into an empty library, against copying
# the same prompts' files with `cp -r` and then `sync`: both are on disk when they finish
# (import syncs the file system once before it reports success). Then one prompt's 2,000 and
# 8,000 versions imported new and again (all there already): linear is 4x from 2k to 8k,
# quadratic 16x (issue 10, failure 7). Rows `measure ours theirs ratio goal`; not a pass/fail
# test. BENCH_PROMPTS / BENCH_VERSIONS change the size.
. "$(dirname "$0")/lib.sh"
prompts=${BENCH_PROMPTS:-10000}
versions=${BENCH_VERSIONS:-50000}
[ -x "$pd" ] || { echo "bench_import: build first (make): $pd"; exit 2; }
bench_driver bench_list
XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" PROMPTDECK_AUTHOR=bench
export XDG_CACHE_HOME XDG_STATE_HOME PROMPTDECK_AUTHOR
"$DRIVER" gen "$tmp/lib" "$prompts" "$versions" >/dev/null || exit 2
"$pd" --library "$tmp/lib" export >"$tmp/lib.json" || { echo "bench_import: export failed"; exit 2; }
echo "library: $prompts prompts, $(find "$tmp/lib/prompts" -name 'v*.json' | wc -l) version files," \
     "export $(du -h "$tmp/lib.json" | cut -f1)"

# wall_ms CMD...: the wall time of one run of CMD, in ms (one decimal); its CPU time (user +
# system, ms) goes to $tmp/cpu: steadier than wall time when other work shares the disk.
wall_ms() {
    _a=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$tmp/cpu.raw" "$@" >/dev/null 2>&1 || echo "bench_import: failed: $*" >&2
    _b=$(date +%s%N)
    awk '{ printf "%.0f", ($1 + $2) * 1000 }' "$tmp/cpu.raw" >"$tmp/cpu"
    awk -v d=$((_b - _a)) 'BEGIN { printf "%.1f", d / 1e6 }'
}
# Nothing is deleted between the runs: on ext4 without a journal (this machine's disk) a new
# inode passes over every free one deleted in the last minute (6 while its inode table block
# is dirty: recently_deleted() in ext4's find_inode_bit, 59% of the perf samples of an import),
# so a side run right after `rm -rf` of the other's 80,000 files paid for that removal: cp -r
# took 36.9 s (13 s system) just after an import's removal, 8.0 s with nothing removed; an
# import 35.6 s just after a removal, 16.6 s without (one machine, one load). Each side runs
# twice, in the order cp, import, import, cp (the second of a pair finds the disk fuller), and
# its rows are the sums.
cp_ms=0 cp_cpu=0 import_ms=0 import_cpu=0
add_run() {   # add_run SIDE COPY-NUMBER: one run of cp or import, its times added to the sums
    sync
    if [ "$1" = cp ]; then
        _ms=$(wall_ms sh -c "cp -r '$tmp/lib/prompts' '$tmp/copy$2' && sync")
        cp_ms=$(awk -v a="$cp_ms" -v b="$_ms" 'BEGIN { printf "%.1f", a + b }')
        cp_cpu=$((cp_cpu + $(cat "$tmp/cpu")))
    else
        _ms=$(wall_ms "$pd" --library "$tmp/imported$2" import "$tmp/lib.json")
        import_ms=$(awk -v a="$import_ms" -v b="$_ms" 'BEGIN { printf "%.1f", a + b }')
        import_cpu=$((import_cpu + $(cat "$tmp/cpu")))
    fi
}
add_run cp 1
add_run import 1
add_run import 2
add_run cp 2
same=$("$pd" --library "$tmp/imported1" list | wc -l)/$("$pd" --library "$tmp/lib" list | wc -l)
rm -rf "$tmp/imported1" "$tmp/imported2" "$tmp/copy1" "$tmp/copy2" "$tmp/lib"

# One prompt with N versions.
for n in 2000 8000; do
    python3 - "$n" "$tmp/one$n.json" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
vs = [{"version": i + 1, "messages": [{"role": "user", "content": "version %d of {{thing}}" % (i + 1)}],
       "commit_message": "step %d" % (i + 1), "created_at": "2026-01-01T00:00:00Z", "author": "bench"}
      for i in range(n)]
json.dump({"format": "promptdeck-export", "format_version": 1,
           "prompts": [{"slug": "one", "name": "One", "versions": vs}]}, open(out, "w"))
PY
    eval "new$n=\$(wall_ms \"\$pd\" --library \"\$tmp/one$n\" import \"\$tmp/one$n.json\")"
    eval "again$n=\$(wall_ms \"\$pd\" --library \"\$tmp/one$n\" import \"\$tmp/one$n.json\")"
done

echo "wall ms (the 10k/50k rows: two runs each, summed; the others one run each); prompts listed after import / in the source: $same (a new library also gets the examples)"
row_header
row "import 10k/50k vs cp -r + sync" "$import_ms" "$cp_ms" "<= 3"
row "  the same, CPU ms (user + system)" "$import_cpu" "$cp_cpu" "<= 3"
row "import 8k new versions of one prompt, vs 2k" "$new8000" "$new2000" "~4 (linear; 16 quadratic)"
row "import 8k versions all there already, vs 2k" "$again8000" "$again2000" "~4 (linear; 16 quadratic)"
