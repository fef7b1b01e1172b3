#!/bin/sh
# run_memory.sh: the memory a run takes stays bounded by its answer cap whatever the provider
# sends: a stream of 64 KiB deltas without end (stand-in mode flood) and one event of 64 MiB
# (hugeevent, over the 16 MiB bound on one event), by `promptdeck run` (text and --json) and by
# the app's run pane (tmux). The peak resident size (the kernel's maxrss / VmHWM, not a time)
# must stay under 2 x the cap + 64 MiB: the answer is held by the run and once more as the
# record's JSON while it is written; the rest is the program itself (about 20 MiB). Each run
# stops with the documented error and keeps what arrived. The figures are printed as "# " lines.
. "$(dirname "$0")/lib.sh"

KEY="sk-memory-test-key"
mkdir -p "$LIB"
pd create greet --name Greet --model fake --provider openai --message "user=Tell me about cats." >/dev/null
echo "unused" >"$T_TMP/answer.txt"
start_fake_provider "$KEY" "$T_TMP/answer.txt"
MIB=1048576

# mrun MODEL ARGS...: promptdeck run with its peak resident size (KiB, of the largest child the
# wrapper waited for: promptdeck) in $peak; stdout in $T_TMP/out, stderr in $T_TMP/err, status in $rc.
mrun() {
    m=$1
    shift
    set -- "$PROMPTDECK" --library "$LIB" run greet --model "$m" --base-url "http://127.0.0.1:$PORT/v1" "$@"
    r=$(OPENAI_API_KEY=$KEY python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$T_TMP/out" "$T_TMP/err" "$@")
    rc=${r% *}
    peak=${r#* }
}
# under NAME PEAK_KIB CAP_BYTES: a check that the peak is under 2 x cap + 64 MiB, and its figure
# (not under AddressSanitizer, whose quarantine and shadow memory make any bound meaningless).
sanitized=no
grep -q __asan_init "$PROMPTDECK" && sanitized=yes
under() {
    bound=$(( (2 * $3 + 64 * MIB) / 1024 ))
    echo "# peak RSS, $1: $(($2 / 1024)) MiB (bound $((bound / 1024)) MiB)"
    [ $sanitized = yes ] && return 0
    if [ "$2" -gt 0 ] && [ "$2" -lt "$bound" ]; then ok "$1: peak RSS under 2 x cap + 64 MiB"; else notok "$1: peak RSS under 2 x cap + 64 MiB" "peak $2 KiB, bound $bound KiB"; fi
}
all_x() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(len(d), d.strip(b"x") == b"")' "$1"; }
cut_msg="promptdeck: run error: the answer was cut at"
big_msg="promptdeck: run error: event stream: one event is larger than 16777216 bytes"

# ---- a stream without end: the cap stops it, what arrived kept --------------------------------
mrun fake.flood
check_eq "flood, default cap: exit 3, 4 MiB of the answer printed" "$rc $(all_x "$T_TMP/out")" "3 4194304 True"
check_contains "flood, default cap: the documented error" "$(cat "$T_TMP/err")" "$cut_msg 4194304 bytes, the most a run keeps"
under "flood, default cap (4 MiB)" "$peak" 4194304
mrun fake.flood --json
check_eq "flood --json: exit 3, the last event is the error" "$rc $(tail -n 1 "$T_TMP/out" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["type"], "cut at 4194304" in e["message"])')" "3 error True"
under "flood --json, default cap (4 MiB)" "$peak" 4194304
mrun fake.flood --max-answer 32M
check_eq "flood, --max-answer 32M: exit 3, 32 MiB printed" "$rc $(all_x "$T_TMP/out")" "3 33554432 True"
under "flood, --max-answer 32M" "$peak" 33554432
check_eq "flood, --max-answer 32M: the record keeps the 32 MiB" \
    "$(pd runs greet --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["status"], len(d["output"]))')" "error 33554432"

# ---- one event larger than the bound on an event: stopped at 16 MiB, the text before it kept ----
mrun fake.hugeevent
check_eq "one 64 MiB event: exit 1, the text before it printed" "$rc $(cat "$T_TMP/out")" "1 Before the flood. "
check_contains "one 64 MiB event: the documented error" "$(cat "$T_TMP/err")" "$big_msg"
under "one 64 MiB event, default cap" "$peak" 4194304
mrun fake.hugeevent --max-answer 64M
check_eq "one 64 MiB event, --max-answer 64M: the event bound stops it" "$rc $(grep -c "$big_msg" "$T_TMP/err")" "1 1"
under "one 64 MiB event, --max-answer 64M" "$peak" $((16 * MIB))

# ---- the app's run pane: the same flood, its peak read from /proc while it still runs ---------
if ! command -v tmux >/dev/null 2>&1 || [ ! -r /proc/self/status ]; then
    ok "# SKIP the app's run pane: no tmux or no /proc"
    exit 0
fi
use_tmux
tm new-session -d -s mem -x 120 -y 36 \
    "env OPENAI_API_KEY='$KEY' OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1' TERM=xterm-256color LANG=C.UTF-8 \
     '$PROMPTDECK' --library '$LIB'; sleep 30" || { notok "tmux session starts"; exit 1; }
wait_for mem "greet" || { notok "the app starts" "$(screen mem)"; exit 0; }
tm send-keys -t mem ":open greet" Enter
wait_for mem "greet: 1 version" || { notok "the timeline opens" "$(screen mem)"; exit 0; }
tm send-keys -t mem x
wait_for mem "Variables: greet" || { notok "the run form opens" "$(screen mem)"; exit 0; }
tm send-keys -t mem m C-u "fake.flood" Enter
wait_for mem "fake.flood (instead of" || { notok "the model is set" "$(screen mem)"; exit 0; }
tm send-keys -t mem x
expect "app: the flood is stopped at the cap, with the documented error" mem "the answer was cut at 4194304 bytes"
app=$(pgrep -P "$(tm display -p -t mem '#{pane_pid}')" | head -n 1)
peak=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$app/status" 2>/dev/null)
under "the app's run pane, flood, default cap (4 MiB)" "${peak:-0}" 4194304
tm send-keys -t mem q
