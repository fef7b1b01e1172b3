#!/bin/sh
# run.sh: runs every tests/bench/bench_*.sh; each prints its own ratios. Not a pass/fail test.
# Usage: [BUILD=DIR] tests/bench/run.sh [PATTERN]   (BUILD: the build folder, default build;
# PATTERN picks benchmarks by name, e.g. stream). `make bench` builds everything and runs it.
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
export PD_TOP="$top" BUILD   # tests/bench/lib.sh finds the program and the drivers there
[ -n "${PD_SHARED:-}" ] || PD_SHARED="$top/../shared"
export PD_SHARED
for b in "$top"/tests/bench/bench_*.sh; do
    [ -f "$b" ] || continue
    n=$(basename "$b" .sh)
    case "$n" in *"${1:-}"*) ;; *) continue ;; esac
    echo "== $n"
    sh "$b"
done
