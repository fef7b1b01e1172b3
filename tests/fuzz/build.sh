#!/bin/sh
# build.sh: builds each libFuzzer target with clang (+ASan/UBSan) into build-fuzz/, and when
# SECONDS > 0 runs each for that long on its corpus. Usage: build.sh "SOURCES" SECONDS
srcs=$1
secs=${2:-0}
[ -n "$srcs" ] || { echo "fuzz: no targets"; exit 0; }
set -e
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE -Iapi $(pkg-config --cflags jansson libcurl libcmark)"
mkdir -p build-fuzz
api=$(ls api/*.c)
for s in $srcs; do
    n=$(basename "$s" .c)
    clang $flags -o "build-fuzz/$n" "$s" $api $(pkg-config --libs jansson libcmark) -lm
    echo "fuzz: built build-fuzz/$n"
done
[ "$secs" -gt 0 ] || exit 0
for s in $srcs; do
    n=$(basename "$s" .c)
    corpus="build-fuzz/corpus-$n"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/seeds/$n" ] && cp -n tests/fuzz/seeds/"$n"/* "$corpus"/ 2>/dev/null || true
    echo "fuzz: running $n for ${secs}s"
    "build-fuzz/$n" -max_total_time="$secs" -max_len=65536 -artifact_prefix="build-fuzz/$n-" -rss_limit_mb=2048 -print_final_stats=0 "$corpus" >"build-fuzz/$n.log" 2>&1 ||
        { tail -n 40 "build-fuzz/$n.log"; echo "fuzz: $n found a problem"; exit 1; }
    echo "fuzz: $n clean ($(ls "$corpus" | wc -l) corpus entries)" 
done
