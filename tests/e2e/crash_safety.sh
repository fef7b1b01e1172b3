#!/bin/sh
# crash_safety.sh: writers (update, label, create, delete, rename, partial put) are
# killed with SIGKILL at random moments, many times; afterwards the library loads without damage
# and every version a writer reported as saved is there with its content.
. "$(dirname "$0")/lib.sh"

mkdir -p "$LIB"
pd create keep --name Keep --model m --provider openai --message "user=v1" >/dev/null
pd create team/other --name Other --model m --provider openai --message "user=o1" >/dev/null
pd partial put tone --content "tone 0" >/dev/null
rounds=${CRASH_ROUNDS:-60}

rand() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

# One writer: a loop of every kind of change; each success is logged after the command returns.
writer() {
    r=$1
    k=0
    while :; do
        k=$((k + 1))
        pd update keep --message "user=r$r-$k" >/dev/null 2>&1 && echo "r$r-$k" >>"$T_TMP/saved"
        pd partial put tone --content "tone r$r-$k" >/dev/null 2>&1
        pd label keep production 1 >/dev/null 2>&1
        pd create "tmp/p$r" --name T --model m --provider openai --message "user=t" >/dev/null 2>&1
        pd update "tmp/p$r" --temperature 0.5 >/dev/null 2>&1
        pd rename "tmp/p$r" "tmp/q$r" >/dev/null 2>&1
        pd delete "tmp/q$r" --yes >/dev/null 2>&1
        pd update team/other --message "user=o r$r-$k" >/dev/null 2>&1
    done
}

i=0
while [ $i -lt "$rounds" ]; do
    i=$((i + 1))
    writer $i &
    wpid=$!
    # let it run 10..210 ms, then kill -9 whatever promptdeck it is running, at that moment
    sleep "0.$(printf '%03d' $(( $(rand) % 200 + 10 )))"
    kill -STOP $wpid 2>/dev/null
    pkill -KILL -P $wpid 2>/dev/null
    kill -KILL $wpid 2>/dev/null
    wait $wpid 2>/dev/null
    # the library loads, without damage, after every kill
    if ! pd list --json >"$T_TMP/list.json" 2>"$T_TMP/list.err"; then
        echo "round $i: list failed: $(cat "$T_TMP/list.err")" >>"$T_TMP/problems"
    elif grep -q '"damaged"' "$T_TMP/list.json"; then
        echo "round $i: damage: $(grep '"damage"' "$T_TMP/list.json")" >>"$T_TMP/problems"
    fi
done

check_eq "no damage and no failure after $rounds kills" "$(head -n 5 "$T_TMP/problems" 2>/dev/null)" ""
check "writers saved some versions before being killed" test -s "$T_TMP/saved"
for s in keep team/other; do
    check_status "versions $s loads every version" 0 pd versions "$s" --json
done
pd versions keep --json >"$T_TMP/keep.json"
missing=$(python3 - "$T_TMP/keep.json" "$T_TMP/saved" <<'EOF'
import json, sys
vs = json.load(open(sys.argv[1]))
have = {v["messages"][0]["content"] for v in vs}
nums = [v["version"] for v in vs]
saved = [l.strip() for l in open(sys.argv[2]) if l.strip()]
lost = [s for s in saved if "user=" + s not in have and s not in have]
out = []
if nums != list(range(1, len(nums) + 1)):
    out.append("version numbers have gaps")
if lost:
    out.append("lost %d of %d saved versions, e.g. %s" % (len(lost), len(saved), lost[:3]))
print("; ".join(out) or "all %d saved versions are there" % len(saved))
EOF
)
check_contains "every version reported saved is there, numbers without gaps" "$missing" "all "
check_status "partials still load" 0 pd partial show tone
# a new create over whatever a killed create/delete/rename left behind works and is clean
for r in 1 2 3; do
    pd delete "tmp/p$r" --yes >/dev/null 2>&1
    pd delete "tmp/q$r" --yes >/dev/null 2>&1
    pd create "tmp/p$r" --name New --model m --provider openai --message "user=fresh" >/dev/null 2>&1
done
check_eq "a fresh create over leftovers has exactly one version" \
    "$(pd versions tmp/p1 --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(len(j), j[0]["messages"][0]["content"])')" "1 fresh"
check_eq "list still shows no damage" "$(pd list --json | grep -c '"damaged"')" "0"
