#!/bin/sh
# run.sh: runs every unit test program in BUILD/tests and every tests/e2e/*.sh, counts the
# "ok - " and "not ok - " lines they print, and ends with "N passed, N failed".
# Usage: tests/run.sh BUILD [PATTERN]     PATTERN filters test names, e.g. store
#        tests/run.sh BUILD TEST NAME...   the e2e test TEST alone, told to run only NAMEs:
#   tui_script, tui_editor and tui_run take script names (tests/run.sh build tui_script list
#   runs tests/tui/list.keys alone), fuzz_seeds takes target names (fuzz_diff).
build=${1:-build}
pattern=${2:-}
if [ $# -ge 2 ]; then shift 2; else set --; fi   # what is left: the NAMEs
# with names, PATTERN names one e2e test exactly (tui_run, not tui_run_tmux too)
if [ $# -gt 0 ] && [ ! -f "$(dirname "$0")/e2e/$pattern.sh" ]; then
    echo "run.sh: no test tests/e2e/$pattern.sh to give $* to" >&2
    exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
PROMPTDECK="$top/$build/promptdeck"
PD_TOP="$top"
export PROMPTDECK PD_TOP
[ -n "${PD_SHARED:-}" ] || PD_SHARED="$top/../shared"
export PD_SHARED
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
run_one() {
    name=$1
    shift
    log="$out/$(echo "$name" | tr '/' '_').log"
    "$@" >"$log" 2>&1 </dev/null
    rc=$?
    p=$(grep -c '^ok - ' "$log")
    f=$(grep -c '^not ok - ' "$log")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1
        echo "not ok - $name exited with status $rc" >>"$log"
    fi
    # a shell test calling a function or command that does not exist checks nothing there
    missing=$(grep -cE '^[^ ]*sh: [0-9]+: [^ ]+: not found$' "$log")
    if [ "$missing" != 0 ]; then
        f=$((f + missing))
        echo "not ok - $name called $missing command(s) that do not exist" >>"$log"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" != 0 ]; then
        echo "FAIL $name ($p passed, $f failed):"
        grep -v '^ok - ' "$log" | tail -n 60 | sed 's/^/    /'
    else
        echo "ok   $name ($p passed)"
    fi
}
for t in "$top/$build"/tests/test_*; do
    [ -x "$t" ] && [ $# = 0 ] || continue
    n=$(basename "$t")
    case "$n" in *"$pattern"*) ;; *) continue ;; esac
    run_one "unit/$n" "$t"
done
for t in "$top"/tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    n=$(basename "$t" .sh)
    case "$n" in lib) continue ;; *"$pattern"*) ;; *) continue ;; esac
    [ $# = 0 ] || [ "$n" = "$pattern" ] || continue
    run_one "e2e/$n" sh "$t" "$@"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
