#!/bin/sh
# bench_stream.sh: streaming Markdown rendering: CPU for a 200 KB answer arriving in 4-byte
# pieces vs whole (goal <= 2x), piece-to-screen latency, the naive quadratic baseline, and each
# answer shape alone (long paragraph with markup, plain paragraph, nested list, table, code block,
# block quote) at BENCH_STREAM_SHAPE_SIZES bytes (BENCH_STREAM_SHAPES_ONLY=1: only those).
# Its C driver is built by the Makefile against libpromptdeck.a (BUILD/bench/bench_stream).
. "$(dirname "$0")/lib.sh"
bench_driver bench_stream
TERM=xterm-256color "$DRIVER" "${BENCH_STREAM_SIZE:-204800}" "${BENCH_STREAM_PIECE:-4}" </dev/null 2>&1
