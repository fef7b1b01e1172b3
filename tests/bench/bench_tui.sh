#!/bin/sh
# bench_tui.sh: the terminal app: time to first paint (fabric library, 10,000 prompts), CPU per
# keystroke scrolling the list and a 230 KB diff, and bytes written to the terminal per
# scrolled line side by side with tig scrolling its log view in a terminal of the same size.
# Then the issue 14 rows (measure ours theirs ratio goal): first paint and peak memory with
# 10,000 prompts, and the scale curve at 1k, 10k and 100k prompts (BENCH_SCALE, default
# "1000 10000 100000"): list, first paint, opening a timeline, search and a keystroke, each
# size against the one before (cost growing no faster than the prompts: ratio <= the size's),
# and the CPU the app uses while left alone following the library (inotify, and the walk).
# Goals: first paint < 50 ms with the fabric library, <= 25 ms with 10,000 prompts; fewer bytes
# per scrolled line than tig; a keystroke under 1 ms of CPU at 100k; under 2 KB a prompt.
# Not a pass/fail test. BENCH_RUNS (default 7) and BENCH_KEYS (default 2000) change the effort.
. "$(dirname "$0")/lib.sh"
runs=${BENCH_RUNS:-7}
keys=${BENCH_KEYS:-2000}
SOCK="$tmp/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_STATE_HOME="$tmp/home/.state"
mkdir -p "$HOME"
[ -x "$pd" ] || { echo "bench_tui: build first (make): $pd"; exit 2; }
for t in tmux python3; do
    command -v $t >/dev/null 2>&1 || { echo "bench_tui: needs $t"; exit 2; }
done
if ! command -v tig >/dev/null 2>&1; then
    echo "bench_tui: installing tig (Debian package) for the comparison"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tig >/dev/null 2>&1 ||
        { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tig >/dev/null 2>&1; }
fi

# ---- libraries ----
fab="$tmp/fabric"
"$pd" --library "$fab" import "$shared/data/fabric-library.json" >/dev/null || { echo "bench_tui: import failed"; exit 2; }
big="$tmp/big"
bench_driver bench_list
"$DRIVER" gen "$big" 10000 20000 >/dev/null || big=""
# As on a user's second start: the store keeps a listing cache that it trusts only for files
# older than 2 seconds (coarse file times), so let the new files settle, then list once.
end=$(( $(date +%s) + 3 ))
while [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
"$pd" --library "$fab" list >/dev/null 2>&1
[ -n "$big" ] && "$pd" --library "$big" list >/dev/null 2>&1

median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f", b / a; else print "inf" }'; }

# ---- time to first paint ----
# in_process LIB: the app's own probe (from cmd_app to the first doupdate), scripted mode.
printf ':quit\n' >"$tmp/quit.keys"
paint_scripted() {
    : >"$tmp/timing"
    i=0
    while [ $i -lt "$runs" ]; do
        PROMPTDECK_TIMING="$tmp/timing" "$pd" --library "$1" --script "$tmp/quit.keys" >/dev/null 2>&1
        i=$((i + 1))
    done
    awk '{print $2}' "$tmp/timing" | median
}
# whole process, start to exit, on a pseudo-terminal of 80x24 (tmux), median of $runs
paint_tty() {
    : >"$tmp/timing"
    i=0
    while [ $i -lt "$runs" ]; do
        rm -f "$tmp/done" "$tmp/timing.tty"
        tm new-session -d -s paint -x 80 -y 24 \
            "PROMPTDECK_TIMING='$tmp/timing.tty' '$pd' --library '$1' </dev/tty >/dev/tty 2>&1 & p=\$!; \
             while ! [ -s '$tmp/timing.tty' ]; do sleep 0.005; done; kill \$p; wait \$p; touch '$tmp/done'" 2>/dev/null
        j=0
        while [ ! -f "$tmp/done" ] && [ $j -lt 500 ]; do sleep 0.01; j=$((j + 1)); done
        tm kill-session -t paint 2>/dev/null
        awk '{print $2}' "$tmp/timing.tty" >>"$tmp/timing.all" 2>/dev/null
        i=$((i + 1))
    done
    median <"$tmp/timing.all"
    rm -f "$tmp/timing.all"
}
wall_ms() {
    : >"$tmp/wall"
    i=0
    while [ $i -lt "$runs" ]; do
        a=$(date +%s%N)
        "$pd" --library "$1" --script "$tmp/quit.keys" >/dev/null 2>&1
        b=$(date +%s%N)
        echo $(( (b - a) / 1000 )) >>"$tmp/wall"
        i=$((i + 1))
    done
    awk '{print $1/1000}' "$tmp/wall" | median
}
echo "time to first paint (median of $runs; goal < 50 ms with the fabric library):"
f_in=$(paint_scripted "$fab"); f_tty=$(paint_tty "$fab"); f_wall=$(wall_ms "$fab")
echo "  fabric (184 prompts):     ${f_in} ms in the app, ${f_tty} ms on a real tty (80x24); whole process start..exit ${f_wall} ms"
if [ -n "$big" ]; then
    b_in=$(paint_scripted "$big"); b_tty=$(paint_tty "$big"); b_wall=$(wall_ms "$big")
    echo "  10,000 prompts:           ${b_in} ms in the app, ${b_tty} ms on a real tty (80x24); whole process start..exit ${b_wall} ms"
fi

# ---- CPU per keystroke (scripted mode, 80x24; user+sys of N keys minus a run without them) ----
cpu() { python3 -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime + r.ru_stime)' "$@"; }
per_key_us() {   # LIB SETUP-KEYS KEY [BACK-KEY]: microseconds of CPU per key (KEY 180 times,
                 # then BACK-KEY 180 times, and so on)
    # both runs press KEY once first: what the first key runs (the listing's check after the
    # first screen) is in both, not counted as the keys' cost
    printf '%s\n%s\n' "$2" "$3" >"$tmp/base.keys"
    printf '%s\n%s\n' "$2" "$3" >"$tmp/keys.keys"
    awk -v n="$keys" -v k="$3" -v b="${4:-$3}" 'BEGIN { for (i = 0; i < n; i++) print (int(i / 180) % 2 ? b : k) }' >>"$tmp/keys.keys"
    base=$(cpu "$pd" --library "$1" --script "$tmp/base.keys" --size 80x24)
    with=$(cpu "$pd" --library "$1" --script "$tmp/keys.keys" --size 80x24)
    awk -v a="$base" -v b="$with" -v n="$keys" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }'
}
echo "CPU per keystroke ($keys keys, scripted 80x24):"
echo "  list, j/k through the 184 prompts:   $(per_key_us "$fab" "" "j" "k") us"
[ -n "$big" ] && echo "  list of 10,000 prompts, j/k:          $(per_key_us "$big" "" "j" "k") us"
echo "  230 KB diff, whole text, j/k:        $(per_key_us "$fab" ":open extract-insights-dm
d
c" "j" "k") us"
echo "  230 KB diff, whole text, PgDn:       $(per_key_us "$fab" ":open extract-insights-dm
d
c" "<PgDn>") us"

# ---- bytes written to the terminal per scrolled line, against tig ----
# Each program runs under script(1) in an 80x24 tmux pane; keys are sent one at a time and the
# output log is polled until the program has answered (its size stops changing).
repo="$tmp/repo"
mkdir -p "$repo" && (cd "$repo" && git init -q && git config user.email a@b.c && git config user.name "Ada Tester" &&
    i=0 && while [ $i -lt 400 ]; do
        GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z" \
            git commit -q --allow-empty -m "Change number $i to the analyze-prose prompt"
        i=$((i + 1))
    done)
settle() {   # waits until $1 stops growing (20 ms without change), bounded
    last=-1; same=0; n=0
    while [ $n -lt 300 ]; do
        s=$(wc -c <"$1" 2>/dev/null || echo 0)
        if [ "$s" = "$last" ]; then same=$((same + 1)); [ $same -ge 4 ] && return 0; else same=0; fi
        last=$s; n=$((n + 1)); sleep 0.005
    done
}
# scroll_bytes NAME DIR CMD: bytes per key for the first 21 moves (cursor only) and 100 more
# (the view scrolls one line per key)
scroll_bytes() {
    log="$tmp/$1.log"
    rm -f "$log"
    tm new-session -d -s "$1" -x 80 -y 24 "cd '$2' && TERM=tmux-256color script -qfc \"$3\" '$log'"
    n=0
    while [ ! -s "$log" ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
    settle "$log"
    a=$(wc -c <"$log")
    i=0
    while [ $i -lt 21 ]; do tm send-keys -t "$1" j; settle "$log"; i=$((i + 1)); done
    b=$(wc -c <"$log")
    i=0
    while [ $i -lt 100 ]; do tm send-keys -t "$1" j; settle "$log"; i=$((i + 1)); done
    c=$(wc -c <"$log")
    # quit the program (q quits both): killing the session alone left script and it running
    tm send-keys -t "$1" q
    n=0
    while tm has-session -t "$1" 2>/dev/null && [ $n -lt 100 ]; do
        [ $((n % 20)) = 19 ] && tm send-keys -t "$1" q
        sleep 0.02; n=$((n + 1))
    done
    tm kill-session -t "$1" 2>/dev/null
    echo "$(( (b - a) / 21 )) $(( (c - b) / 100 ))"
}
if command -v tig >/dev/null 2>&1 && command -v script >/dev/null 2>&1; then
    set -- $(scroll_bytes pdlist "$tmp" "'$pd' --library '$fab' --no-mouse")
    pd_move=$1 pd_scroll=$2
    set -- $(scroll_bytes tig "$repo" "tig")
    tig_move=$1 tig_scroll=$2
    echo "bytes written to the terminal per key, 80x24 (lower is better; goal: fewer than tig per scrolled line):"
    printf "  %-28s %10s %16s\n" "" "cursor move" "one-line scroll"
    printf "  %-28s %10s %16s\n" "promptdeck (prompt list)" "$pd_move" "$pd_scroll"
    printf "  %-28s %10s %16s\n" "tig $(tig --version | head -n 1 | awk '{print $3}') (main/log view)" "$tig_move" "$tig_scroll"
    echo "  ratio tig / promptdeck: cursor move $(ratio "$pd_move" "$tig_move")x, scroll $(ratio "$pd_scroll" "$tig_scroll")x"
else
    echo "bytes per scrolled line: tig or script(1) missing, comparison skipped"
fi

# ---- issue 14: rows, and the scale curve ----
# lib_for N: a generated library of N prompts (2N versions), settled and listed once (its cache).
lib_for() {
    if [ "$1" = 10000 ] && [ -n "$big" ]; then echo "$big"; return; fi
    "$DRIVER" gen "$tmp/scale$1" "$1" $(($1 * 2)) >/dev/null || return 1
    end=$(( $(date +%s) + 3 ))
    while [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
    "$pd" --library "$tmp/scale$1" list >/dev/null 2>&1
    echo "$tmp/scale$1"
}
cpu_ms() { awk -v c="$(cpu "$@")" 'BEGIN { printf "%.1f", c * 1000 }'; }
# open_ms LIB: CPU ms of opening a prompt's timeline: a run opening 200 (20 prompts 10 times,
# each closed with q) less a run opening none, over 200 (both press a key first: what it runs
# is not counted); medians of 5 (an open costs well under a millisecond: fewer opens are lost
# in the noise of a whole run's listing at 100k prompts)
open_ms() {
    printf 'j\n:quit\n' >"$tmp/nopen.keys"
    printf 'j\n' >"$tmp/open.keys"
    for r in 1 2 3 4 5 6 7 8 9 10; do
        for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
            printf ':open support/prompt-%05d\nq\n' $((k * 8)) >>"$tmp/open.keys"
        done
    done
    printf ':quit\n' >>"$tmp/open.keys"
    for k in nopen open; do
        for r in 1 2 3 4 5; do cpu_ms "$pd" --library "$1" --script "$tmp/$k.keys" --size 80x24; echo; done |
            median >"$tmp/$k.cpu"
    done
    awk -v a="$(cat "$tmp/nopen.cpu")" -v b="$(cat "$tmp/open.cpu")" 'BEGIN { printf "%.3f", (b - a) / 200 }'
}
# search_us LIB: CPU microseconds a keystroke of a search typed in the list (/prompt-0000, Esc;
# 10 times), the filter running over every prompt at each key
search_us() {
    printf 'j\n' >"$tmp/sbase.keys"
    printf 'j\n' >"$tmp/search.keys"
    for k in 1 2 3 4 5 6 7 8 9 10; do printf '/prompt-0000\n<Esc>\n' >>"$tmp/search.keys"; done
    a=$(cpu "$pd" --library "$1" --script "$tmp/sbase.keys" --size 80x24)
    b=$(cpu "$pd" --library "$1" --script "$tmp/search.keys" --size 80x24)
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) * 1e6 / 130 }'
}
# idle_ms LIB [ENV]: CPU ms a second of the app left alone on a tty (80x24, tmux) following the
# library (ENV, e.g. PROMPTDECK_WATCH=poll, set for it): once it has settled after its start
# (a second using under 30% of the CPU, or 20 seconds), its user+sys over the next 10 seconds.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
idle_ms() {
    rm -f "$tmp/idle.pid"
    tm new-session -d -s idle -x 80 -y 24 "sh -c 'echo \$\$ >\"$tmp/idle.pid\"; exec env $2 \"$pd\" --library \"$1\"'"
    j=0
    while [ ! -s "$tmp/idle.pid" ] && [ $j -lt 500 ]; do sleep 0.01; j=$((j + 1)); done
    p=$(cat "$tmp/idle.pid" 2>/dev/null)
    hz=$(getconf CLK_TCK)
    j=0
    while [ $j -lt 20 ]; do
        a=$(cpu_ticks "$p"); sleep 1; b=$(cpu_ticks "$p")
        [ -n "$b" ] && [ $(( (b - a) * 10 )) -lt $(( hz * 3 )) ] && break
        j=$((j + 1))
    done
    a=$(cpu_ticks "$p"); sleep 10; b=$(cpu_ticks "$p")
    tm kill-session -t idle 2>/dev/null
    if [ -n "$a" ] && [ -n "$b" ]; then awk -v t=$((b - a)) -v hz="$hz" 'BEGIN { printf "%.1f", t * 1000 / hz / 10 }'; else echo -; fi
}
one="$tmp/one"
"$DRIVER" gen "$one" 1 1 >/dev/null
echo
echo "issue 14 rows (wall ms unless said; CPU per key and per open; medians of $runs)"
row_header
app_base=$(peak_kb "$pd" --library "$one" --script "$tmp/quit.keys" --size 80x24)
if [ -n "$big" ]; then
    row "first paint, 10,000 prompts, in the app (ms)" "$b_in" - "<= 25 ms"
    row "first paint, 10,000 prompts, on a tty (ms)" "$b_tty" - "-"
    app_big=$(peak_kb "$pd" --library "$big" --script "$tmp/quit.keys" --size 80x24)
    row "app peak RSS beyond 1 prompt's (KB a prompt)" "$(per_prompt_kb "$app_big" "$app_base" 10000)" 2 "<= 1"
    echo "app peak RSS: $app_big KB with 10,000 prompts, $app_base KB with one"
fi
prev=""
for n in ${BENCH_SCALE:-1000 10000 100000}; do
    l=$(lib_for "$n") || { echo "scale: could not generate $n prompts"; break; }
    list_ms=$(median_ms "$pd" --library "$l" list)
    ls_ms=$(median_ms ls -R "$l/prompts")
    paint=$(paint_scripted "$l")
    open=$(open_ms "$l")
    search=$(search_us "$l")
    key=$(per_key_us "$l" "" "j" "k")
    kb=$(peak_kb "$pd" --library "$l" --script "$tmp/quit.keys" --size 80x24)
    idle=$(idle_ms "$l")
    idle_poll=$(idle_ms "$l" PROMPTDECK_WATCH=poll)
    row "list warm, $n prompts, vs ls -R" "$list_ms" "$ls_ms" "-"
    row "first paint, $n prompts (ms)" "$paint" - "-"
    row "open a timeline, $n prompts (CPU ms)" "$open" - "-"
    row "search, a keystroke, $n prompts (CPU us)" "$search" - "-"
    row "list j/k, a keystroke, $n prompts (CPU us)" "$key" 1000 "< 1 (1 ms)"
    row "app peak RSS, $n prompts (KB a prompt)" "$(per_prompt_kb "$kb" "$app_base" "$n")" 2 "<= 1"
    row "idle app, CPU ms per second, $n prompts" "$idle" - "~0 (inotify)"
    row "  the same without inotify (PROMPTDECK_WATCH=poll)" "$idle_poll" - "<= 50 (5%)"
    if [ -n "$prev" ]; then
        set -- $prev
        g="<= $(awk -v a="$n" -v b="$1" 'BEGIN { printf "%g", a / b }') (prompts x)"
        row "  growth $1 -> $n: list warm" "$list_ms" "$2" "$g"
        row "  growth $1 -> $n: ls -R (the file system's own)" "$ls_ms" "$7" "-"
        row "  growth $1 -> $n: first paint" "$paint" "$3" "$g"
        row "  growth $1 -> $n: open a timeline" "$open" "$4" "$g"
        row "  growth $1 -> $n: search keystroke" "$search" "$5" "$g"
        row "  growth $1 -> $n: list keystroke" "$key" "$6" "$g"
    fi
    prev="$n $list_ms $paint $open $search $key $ls_ms"
    [ "$l" != "$big" ] && rm -rf "$l"
done
