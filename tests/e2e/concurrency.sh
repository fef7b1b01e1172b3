#!/bin/sh
# concurrency.sh: two processes each making 100 updates of one prompt at once end with exactly
# 200 new versions numbered 2..201 without gaps or repeats, each update's content exactly once;
# a reader listing meanwhile never sees damage; an update based on an old version is a CONFLICT.
. "$(dirname "$0")/lib.sh"

mkdir -p "$LIB"
pd create shared --name Shared --model m --provider openai --message "user=start" >/dev/null

writer() {
    i=0
    while [ $i -lt 100 ]; do
        pd update shared --message "user=$1 $i" >/dev/null 2>>"$T_TMP/errors.$1" || echo "update $1 $i failed" >>"$T_TMP/fail"
        i=$((i + 1))
    done
}
reader() {
    while [ ! -f "$T_TMP/done" ]; do
        pd list --json >"$T_TMP/seen.json" 2>>"$T_TMP/fail" || echo "list failed" >>"$T_TMP/fail"
        grep -q '"damaged"' "$T_TMP/seen.json" && { echo "list saw damage" >>"$T_TMP/fail"; cat "$T_TMP/seen.json" >>"$T_TMP/fail"; }
    done
}
reader &
rpid=$!
writer a &
apid=$!
writer b &
bpid=$!
wait $apid
wait $bpid
touch "$T_TMP/done"
wait $rpid

check_eq "no update failed, no reader saw damage" "$(cat "$T_TMP/fail" 2>/dev/null)" ""
pd versions shared --json >"$T_TMP/v.json"
result=$(python3 - "$T_TMP/v.json" <<'EOF'
import json, sys
vs = json.load(open(sys.argv[1]))
nums = [v["version"] for v in vs]
contents = [v["messages"][0]["content"] for v in vs[1:]]
want = sorted("%s %d" % (w, i) for w in "ab" for i in range(100))
problems = []
if nums != list(range(1, 202)):
    problems.append("numbers are not 1..201: %d versions, first gaps %s" % (len(nums), [n for n in range(1, 202) if n not in nums][:5]))
if sorted(contents) != want:
    problems.append("contents: %d distinct of 200" % len(set(contents) & set(want)))
for who in "ab":   # each writer's own updates appear in its order
    mine = [int(c.split()[1]) for c in contents if c.startswith(who + " ")]
    if mine != sorted(mine):
        problems.append("writer %s out of order" % who)
print("; ".join(problems) or "ok")
EOF
)
check_eq "exactly 200 new versions, numbers 1..201, every update once" "$result" "ok"
check_eq "prompt says current_version 201" "$(pd list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["current_version"])')" "201"

out=$(pd update shared --base-version 200 --message "user=from a stale editor" 2>&1)
check_eq "update based on version 200 after 201 was saved: exit 1" "$?" "1"
check_contains "it says conflict" "$out" "conflict"
check_eq "and saved nothing" "$(pd versions shared --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "201"
check_status "update based on 201 is accepted" 0 pd update shared --base-version 201 --message "user=fresh"

# two --base-version updates racing from the same base: exactly one wins, the other is a CONFLICT
pd update shared --base-version 202 --message "user=race one" >"$T_TMP/r1" 2>&1 &
p1=$!
pd update shared --base-version 202 --message "user=race two" >"$T_TMP/r2" 2>&1 &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
check_eq "racing editors: one saves, one conflicts" "$(echo "$s1 $s2" | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 "
check_eq "racing editors: one new version" "$(pd versions shared --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "203"
