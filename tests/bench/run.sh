#!/bin/sh
# run.sh: runs every tests/bench/bench_*.sh; each prints its own ratios. Not a pass/fail test.
top=$(cd "$(dirname "$0")/../.." && pwd)
export PD_TOP="$top" PROMPTDECK="$top/build/promptdeck"
[ -n "${PD_SHARED:-}" ] || PD_SHARED="$top/../shared"
export PD_SHARED
for b in "$top"/tests/bench/bench_*.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    sh "$b"
done
