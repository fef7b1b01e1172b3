#!/bin/sh
# build.sh: builds each libFuzzer target with clang (+ASan/UBSan) through the Makefile into
# FUZZ_BUILD (default build-fuzz: its own libpromptdeck.a, then FUZZ_BUILD/fuzz/NAME), and when
# SECONDS > 0 runs each for that long on its corpus (FUZZ_BUILD/corpus-NAME, seeded from
# tests/fuzz/seeds/NAME). One run per FUZZ_BUILD at a time: a second one is refused, not mixed in.
# Usage: [FUZZ_BUILD=DIR] build.sh "SOURCES" SECONDS   (`make fuzz FUZZ_SECONDS=10` runs it)
srcs=$1
secs=${2:-0}
fb=${FUZZ_BUILD:-build-fuzz}
[ -n "$srcs" ] || { echo "fuzz: no targets"; exit 0; }
command -v clang >/dev/null 2>&1 || { echo "fuzz: needs clang (libFuzzer)"; exit 2; }
set -e
mkdir -p "$fb"
exec 9>"$fb/.lock"
flock -n 9 || { echo "fuzz: another fuzz run is using $fb; give this one its own: make fuzz FUZZ_BUILD=$fb-2"; exit 2; }
# Every object gets the sanitizers and the fuzzer's coverage hooks; only the targets link libFuzzer
# (and so get its main instead of tests/fuzz/standalone.c's).
san="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
targets=""
for s in $srcs; do
    targets="$targets $fb/fuzz/$(basename "$s" .c)"
done
${MAKE:-make} --no-print-directory BUILD="$fb" CC=clang CFLAGS="$san -fsanitize=fuzzer-no-link" LDFLAGS="$san" \
    FUZZ_MAIN= FUZZ_LDFLAGS=-fsanitize=fuzzer $targets >"$fb/build.log" 2>&1 ||
    { tail -n 40 "$fb/build.log"; echo "fuzz: the targets do not build (all of it in $fb/build.log)"; exit 1; }
for t in $targets; do
    echo "fuzz: built $t"
done
[ "$secs" -gt 0 ] || exit 0
for s in $srcs; do
    n=$(basename "$s" .c)
    corpus="$fb/corpus-$n"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/seeds/$n" ] && cp -n tests/fuzz/seeds/"$n"/* "$corpus"/ 2>/dev/null || true
    echo "fuzz: running $n for ${secs}s"
    "$fb/fuzz/$n" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$fb/$n-" -rss_limit_mb=2048 -print_final_stats=0 "$corpus" >"$fb/$n.log" 2>&1 ||
        { tail -n 40 "$fb/$n.log"; echo "fuzz: $n found a problem"; exit 1; }
    echo "fuzz: $n clean ($(ls "$corpus" | wc -l) corpus entries)"
done
