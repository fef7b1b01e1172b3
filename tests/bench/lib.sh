# lib.sh: sourced by the bench scripts: where the tree, the build and the program are, a scratch
# folder $tmp (removed at exit), and bench_driver, which gets a C driver built by the Makefile.
# BUILD (default build) is the build folder, as given to make; PROMPTDECK overrides the program.
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
shared=${PD_SHARED:-$top/../shared}
build=${BUILD:-build}
case $build in
/*) build_dir=$build ;;
*) build_dir=$top/$build ;;
esac
pd=${PROMPTDECK:-$build_dir/promptdeck}
bench="$top/tests/bench"
bench_name=$(basename "$0" .sh)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bench_driver NAME: makes BUILD/bench/NAME from tests/bench/NAME.c (and the api it links, if
# changed) and sets DRIVER to its path; a driver that does not build ends the script (status 2).
bench_driver() {
    make -C "$top" --no-print-directory BUILD="$build" "$build/bench/$1" >"$tmp/make.log" 2>&1 ||
        { echo "$bench_name: the driver $1 does not build:"; tail -n 40 "$tmp/make.log"; exit 2; }
    DRIVER="$build_dir/bench/$1"
}

# The table the issue's measures are printed in, one row each: `measure  ours  theirs  ratio
# goal`, ratio = ours / theirs, both measured in the same run ("-" where nothing stands beside).
row_header() { printf '%-50s %10s %10s %7s  %s\n' measure ours theirs ratio goal; }
row() {
    awk -v m="$1" -v a="$2" -v b="$3" -v g="$4" 'BEGIN {
        r = (a != "-" && b != "-" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-"
        printf "%-50s %10s %10s %7s  %s\n", m, a, b, r, g }'
}
# peak_kb CMD...: the peak resident memory of CMD (KB), its output thrown away.
peak_kb() {
    /usr/bin/time -f %M -o "$tmp/peak_kb" "$@" >/dev/null 2>&1
    tail -n 1 "$tmp/peak_kb"
}
# per_prompt_kb PEAK BASE N: KB per prompt beyond the baseline, two decimals.
per_prompt_kb() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (a - b) / n }'; }
# median_ms CMD...: the median wall time of $runs runs (default 7; after one warm-up run), in ms.
median_ms() {
    "$@" >/dev/null 2>&1
    _i=0
    : >"$tmp/times"
    while [ $_i -lt "${runs:-7}" ]; do
        _a=$(date +%s%N)
        "$@" >/dev/null 2>&1
        _b=$(date +%s%N)
        echo $(( (_b - _a) / 1000 )) >>"$tmp/times"
        _i=$((_i + 1))
    done
    sort -n "$tmp/times" | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}
