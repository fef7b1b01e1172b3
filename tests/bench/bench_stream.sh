#!/bin/sh
# bench_stream.sh: streaming Markdown rendering: CPU for a 200 KB answer arriving in 4-byte
# pieces vs whole (goal <= 2x), piece-to-screen latency, and the naive quadratic baseline.
# Builds its C driver against the api sources (api/markdown.c, api/buf.c) with -O2.
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! cc -std=c11 -O2 -D_GNU_SOURCE -I"$top/api" $(pkg-config --cflags ncursesw libcmark) \
    -o "$tmp/bench_stream" "$top/tests/bench/bench_stream.c" "$top/api/markdown.c" "$top/api/buf.c" \
    $(pkg-config --libs ncursesw libcmark) 2>"$tmp/cc.log"; then
    echo "bench_stream: the driver does not build:"; cat "$tmp/cc.log"; exit 2
fi
TERM=xterm-256color "$tmp/bench_stream" "${BENCH_STREAM_SIZE:-204800}" "${BENCH_STREAM_PIECE:-4}" </dev/null 2>&1
