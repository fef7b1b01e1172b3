#!/bin/sh
# fuzz_seeds.sh: replays each fuzz target's seed corpus (tests/fuzz/seeds/NAME/) through the
# target built without libFuzzer (BUILD/fuzz/NAME, made by `make test`): a cheap regression test
# that the targets still build and that no seed makes one crash or fail its checks.
# Run alone: sh tests/run.sh BUILD fuzz_seeds [NAME...]   (NAME: e.g. fuzz_diff)
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(dirname "$PROMPTDECK")
if [ $# -gt 0 ]; then
    names=$*
else
    names=$(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
for name in $names; do
    driver="$build/fuzz/$name"
    seeds="$top/tests/fuzz/seeds/$name"
    if [ ! -x "$driver" ]; then
        notok "$name: the target is built" "no $driver: make BUILD=$(basename "$build") drivers (make test builds it)"
        continue
    fi
    if ! ls "$seeds"/* >/dev/null 2>&1; then
        notok "$name: has seeds in tests/fuzz/seeds/$name"
        continue
    fi
    if out=$("$driver" "$seeds"/* 2>&1); then
        ok "$name: $(ls "$seeds" | wc -l | tr -d ' ') seeds replay cleanly"
    else
        notok "$name: replaying the seeds (exit $?; the last 'Running:' line names the seed)" \
            "$(printf '%s\n' "$out" | tail -n 30)"
    fi
done
