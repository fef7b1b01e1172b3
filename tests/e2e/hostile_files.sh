#!/bin/sh
# hostile_files.sh: files planted in the library (FIFOs, symbolic links) never hang a command
# and never redirect a write: each is refused with a message naming it (issue 10).
. "$(dirname "$0")/lib.sh"

mkdir -p "$LIB"
pd create p --name P --model m --provider openai --message "user=one" >/dev/null
pd update p --message "user=two" >/dev/null
pd partial put tone --content "tone 0" >/dev/null

# tpd NAME STATUS NEEDLE ARGS...: pd ARGS returns within 10 s with STATUS and NEEDLE in its output.
tpd() {
    n=$1 want=$2 needle=$3
    shift 3
    o=$(timeout 10 "$PROMPTDECK" --library "$LIB" "$@" 2>&1)
    got=$?
    if [ "$got" = "$want" ]; then check_contains "$n" "$o" "$needle"; else notok "$n" "exit $got, expected $want: $o"; fi
}
# plant FILE: replaces FILE of the library by a FIFO (put back by unplant).
plant() { mv "$1" "$T_TMP/planted"; mkfifo "$1"; }
unplant() { rm -f "$1"; mv "$T_TMP/planted" "$1"; }

pj="$LIB/prompts/p/prompt.json"
plant "$pj"
tpd "list with a FIFO as prompt.json returns, p damaged" 0 "p/prompt.json: not a regular file (a FIFO)" list --json
tpd "show with a FIFO as prompt.json names it" 1 "p/prompt.json: not a regular file (a FIFO)" show p
unplant "$pj"

v2=$(ls "$LIB"/prompts/p/v0002-*.json)
plant "$v2"
tpd "versions with a FIFO as a version file names it" 1 "not a regular file (a FIFO)" versions p
tpd "show with a FIFO as a version file names it" 1 "not a regular file (a FIFO)" show p
unplant "$v2"

ev="$LIB/prompts/p/events.jsonl"
plant "$ev"
tpd "update with a FIFO as events.jsonl names it" 1 "events.jsonl: not a regular file (a FIFO)" update p --message user=x
unplant "$ev"

plant "$LIB/partials/tone/partial.json"
tpd "partial show with a FIFO as partial.json names it" 1 "partial.json: not a regular file (a FIFO)" partial show tone
unplant "$LIB/partials/tone/partial.json"

mkfifo "$LIB/prompts/p/stray"
tpd "a stray FIFO in a prompt folder is passed over" 0 "user" show p
rm "$LIB/prompts/p/stray"

# a prompt's tests.json (read by eval, outside the store's own files) is held to the same rule
tj="$LIB/prompts/p/tests.json"
printf -- '- vars: {}\n  assert:\n    - type: contains\n      value: x\n' >"$T_TMP/cases.yaml"
mkfifo "$tj"
tpd "eval with a FIFO as tests.json names it" 2 "p/tests.json: not a regular file (a FIFO)" eval p
tpd "eval import with a FIFO as tests.json names it" 1 "p/tests.json: not a regular file (a FIFO)" \
    eval import p "$T_TMP/cases.yaml"
rm "$tj"
printf '{"format": "promptdeck-tests", "format_version": 1, "cases": []}\n' >"$T_TMP/away-tests.json"
ln -s "$T_TMP/away-tests.json" "$tj"
tpd "eval reads no tests.json through a symbolic link" 2 "p/tests.json: not a regular file (a symbolic link)" eval p
rm "$tj"

mkfifo "$LIB/.lock"
tpd "a FIFO as .lock blocks no writer (the library's folder is what is locked)" 0 "saved version 3" \
    update p --message user=three
rm "$LIB/.lock"

plant "$LIB/library.json"
tpd "a FIFO as library.json is refused" 2 "library.json: not a regular file (a FIFO)" list
unplant "$LIB/library.json"

# symbolic links planted in the library lead no write outside it
away="$T_TMP/away"
mkdir -p "$away"
ln -s "$away" "$LIB/prompts/evil"
tpd "create through a linked prompt folder is refused" 1 "prompts/evil: not a directory (a symbolic link)" \
    create evil --name E --model m --provider openai --message user=x
tpd "create below a linked folder is refused" 1 "prompts/evil: not a directory (a symbolic link)" \
    create evil/sub --name E --model m --provider openai --message user=x
tpd "rename onto a linked prompt folder is refused" 1 "not a directory (a symbolic link)" rename p evil
tpd "show through a linked prompt folder is refused" 1 "not a directory (a symbolic link)" show evil
ln -s "$away" "$LIB/partials/evp"
tpd "partial put through a linked folder is refused" 1 "partials/evp: not a directory (a symbolic link)" \
    partial put evp --content hi
ln -s "$away/lock" "$LIB/.lock"
tpd "a symbolic link as .lock leads no writer outside the library" 0 "saved version 4" update p --message user=four
rm "$LIB/.lock"
check_eq "nothing was written outside the library" "$(ls -A "$away")" ""
rm "$LIB/prompts/evil" "$LIB/partials/evp"

tpd "the library is whole again" 0 "four" show p

# a lock file deleted while a writer holds the lock (git clean -X) lets no second writer in
if command -v strace >/dev/null 2>&1; then
    before=$(pd versions p --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    # the first writer's rename (saving its version) is held back 3 s while it holds the lock
    strace -f -o /dev/null -e inject=rename:delay_enter=3000000:when=1 \
        "$PROMPTDECK" --library "$LIB" update p --message user=racer-A >"$T_TMP/a.out" 2>&1 &
    apid=$!
    sleep 1
    rm -f "$LIB/.lock"
    pd update p --message user=racer-C >"$T_TMP/c.out" 2>&1
    wait $apid
    a=$(cat "$T_TMP/a.out") c=$(cat "$T_TMP/c.out")
    check "two writers with the lock file deleted save two different versions" test "$a" != "$c"
    got=$(pd versions p --json | python3 -c '
import json, sys
vs = json.load(sys.stdin)
print(len(vs), sorted(m["content"] for v in vs for m in v["messages"] if m["content"].startswith("racer")))')
    check_eq "both versions are kept" "$got" "$((before + 2)) ['racer-A', 'racer-C']"
else
    notok "strace is installed (scripts/deps.sh) to hold a writer inside the lock"
fi

# leftovers of a delete killed after it removed prompt.json are never adopted by the next
# prompt with that slug (rename onto it, or create)
for how in rename create; do
    pd create old --name Old --model m --provider openai --message user=OLD1 >/dev/null
    pd update old --message user=OLD2 >/dev/null
    echo '{"cases":[]}' >"$LIB/prompts/old/tests.json"
    rm "$LIB/prompts/old/prompt.json"   # where a killed delete stops first
    if [ $how = rename ]; then
        pd create newp --name New --model m --provider openai --message user=NEW1 >/dev/null
        pd rename newp old >/dev/null
    else
        pd create old --name New --model m --provider openai --message user=NEW1 >/dev/null
    fi
    check_eq "$how onto a half-deleted prompt adopts none of its files" \
        "$(cd "$LIB/prompts/old" && ls | sed 's/^v0001-.*/v0001/')" "events.jsonl
prompt.json
v0001"
    check_eq "$how onto a half-deleted prompt: one version, the new one" \
        "$(pd versions old --json | python3 -c 'import json,sys; print([m["content"] for v in json.load(sys.stdin) for m in v["messages"]])')" \
        "['NEW1']"
    pd delete old --yes >/dev/null
done

# a save that reports failure leaves no trace: the new version is written, then appending the
# name change to events.jsonl fails (a file size limit stands in for a full disk)
pd create fw --name F --model m --provider openai --message user=one >/dev/null
i=0
while [ $i -lt 12 ]; do i=$((i + 1)); pd update fw --name "Name $i" >/dev/null; done
cp "$LIB/prompts/fw/events.jsonl" "$T_TMP/events.before"
check_status "an update whose events.jsonl cannot grow fails" 1 \
    sh -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" --library \"\$1\" update fw --name Other --message user=two" \
    "$PROMPTDECK" "$LIB"
check_eq "the failed update left no version" "$(pd versions fw --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1
check "the failed update left no part of its events line" cmp "$T_TMP/events.before" "$LIB/prompts/fw/events.jsonl"
# output that cannot be written (`export > backup.json` on a full disk) is a failure, not exit 0
if [ -w /dev/full ]; then
    for c in export list "show fw --json"; do
        # shellcheck disable=SC2086
        check_status "$c to a full disk: exit 2" 2 sh -c "exec \"\$0\" --library \"\$1\" $c >/dev/full" "$PROMPTDECK" "$LIB"
    done
    check_contains "... and says so" "$("$PROMPTDECK" --library "$LIB" export 2>&1 >/dev/full)" \
        "promptdeck: cannot write the output: No space left on device"
    check_status "an update whose confirmation cannot be written still reports its saved change: exit 0" 0 \
        sh -c "exec \"\$0\" --library \"\$1\" update fw --message user=full >/dev/full" "$PROMPTDECK" "$LIB"
    check_contains "... and it is there" "$(pd show fw)" "full"
fi

# damaged data hides no healthy data: one damaged version file, then one damaged prompt
pd create dv --name D --model m --provider openai --message user=d1 >/dev/null
pd update dv --message user=d2 >/dev/null
pd update dv --message user=d3 >/dev/null
echo '{"id": broken' >"$(ls "$LIB"/prompts/dv/v0002-*.json)"
o=$(pd versions dv --json 2>"$T_TMP/err")
check_eq "versions lists the healthy versions past a damaged one" \
    "$(printf '%s' "$o" | python3 -c 'import json,sys; print([v["version"] for v in json.load(sys.stdin)])')" "[1, 3]"
check_contains "versions reports the damaged version file with its line" "$(cat "$T_TMP/err")" "dv/v0002-"
check_contains "... and its line" "$(cat "$T_TMP/err")" ".json:1:"
check_status "versions exits non-zero with a damaged version" 1 pd versions dv
o=$(pd export 2>"$T_TMP/err")
st=$?
check_eq "export exits non-zero with a damaged prompt" "$st" 1
check_eq "export writes every healthy prompt" \
    "$(printf '%s' "$o" | python3 -c 'import json,sys; print(sorted(p["slug"] for p in json.load(sys.stdin)["prompts"] if not p["slug"].startswith("examples/")))')" \
    "['fw', 'p']"
check_contains "export names the damaged prompt's file and line" "$(cat "$T_TMP/err")" "dv/v0002-"
pd delete dv --yes >/dev/null

# a prompt folder that cannot be read is listed as damaged, not left out (run as nobody: root
# reads everything)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    pd create hidden --name H --model m --provider openai --message user=h >/dev/null
    nh="$T_TMP/nobody"
    mkdir -p "$nh" && chmod 777 "$nh" && chmod 755 "$T_TMP"
    chmod 000 "$LIB/prompts/hidden"
    o=$(env HOME="$nh" XDG_STATE_HOME="$nh/s" XDG_CONFIG_HOME="$nh/c" XDG_DATA_HOME="$nh/d" \
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$PROMPTDECK" --library "$LIB" list --json 2>&1)
    chmod 755 "$LIB/prompts/hidden"
    check_eq "an unreadable prompt folder is listed as damaged, with the reason" \
        "$(printf '%s' "$o" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p["slug"] == "hidden":
        print(p.get("damaged"), "Permission denied" in p.get("damage", ""))')" "True True"
else
    ok "# SKIP an unreadable prompt folder (needs root and setpriv to run as nobody)"
fi

# a symbolic link planted among the prompts is listed as damaged, never followed
mkdir -p "$T_TMP/away2/inner"
cp "$LIB/prompts/p/prompt.json" "$LIB"/prompts/p/v0001-*.json "$T_TMP/away2/inner/"
pd list >/dev/null   # a listing cache from before the link
ln -s "$T_TMP/away2" "$LIB/prompts/evil2"
for when in "with a listing cache" "again"; do
    o=$(pd list --json)
    check_eq "list reports a linked prompt folder as damaged, $when" "$(printf '%s' "$o" | python3 -c '
import json, sys
ps = {p["slug"]: p for p in json.load(sys.stdin)}
e = ps.get("evil2", {})
print(e.get("damaged"), "symbolic link" in e.get("damage", ""), "evil2/inner" in ps)')" "True True False"
done
rm "$LIB/prompts/evil2"

# prompts/ itself planted as a link: every listing refuses it (an export never writes an empty
# backup with exit 0), the app too
mv "$LIB/prompts" "$T_TMP/away-prompts"
ln -s "$T_TMP/away-prompts" "$LIB/prompts"
tpd "list refuses prompts/ as a symbolic link" 1 "prompts: not a directory (a symbolic link)" list
tpd "list --json refuses prompts/ as a symbolic link" 1 "prompts: not a directory (a symbolic link)" list --json
tpd "export refuses prompts/ as a symbolic link" 1 "prompts: not a directory (a symbolic link)" export
rm "$LIB/prompts"
mv "$T_TMP/away-prompts" "$LIB/prompts"

# damaged partials hide no healthy data: the partial list, export (the whole library, and named
# prompts with the partials they use) and rendering show every healthy one and name each
# damaged file with its line
pd partial put good --content GOOD >/dev/null
pd partial put bad --content b1 >/dev/null
pd partial put bad --content b2 >/dev/null
pd partial put badmeta --content m >/dev/null
pd partial put uses --content "[{{> good}}]" >/dev/null
echo '{"content": broken' >"$(ls "$LIB"/partials/bad/v0002-*.json)"
echo '{"name":' >"$LIB/partials/badmeta/partial.json"
pd create up --name U --model m --provider openai --message 'user=hello {{> uses@1}}' >/dev/null
pd create dyn --name D --model m --provider openai --message 'user={{>*which}}' >/dev/null
o=$(pd partial list 2>&1)
check_contains "partial list shows a healthy partial past damaged ones" "$o" "good "
check_contains "partial list names a damaged version file and its line" "$o" "bad/v0002-"
check_contains "partial list names a damaged partial.json and its line" "$o" "badmeta/partial.json:2:"
partial_names() { python3 -c 'import json,sys; j=json.load(sys.stdin); print([p["slug"] for p in j["prompts"]], [p["name"] for p in j.get("partials", [])])'; }
o=$(pd export 2>"$T_TMP/err")
check_eq "export of the library exits non-zero with damaged partials" "$?" 1
check_eq "export of the library writes every healthy partial" \
    "$(printf '%s' "$o" | python3 -c 'import json,sys; print([p["name"] for p in json.load(sys.stdin)["partials"]])')" \
    "['good', 'tone', 'uses']"
check_contains "export names the damaged partial version's file and line" "$(cat "$T_TMP/err")" "bad/v0002-"
check_contains "export names the damaged partial.json's file and line" "$(cat "$T_TMP/err")" "badmeta/partial.json:2:"
o=$(pd export up 2>"$T_TMP/err")
check_eq "export of a named prompt is whole when the partials it uses are" "$?" 0
check_eq "export of a named prompt carries the partials it uses, and theirs, only" \
    "$(printf '%s' "$o" | partial_names)" "['up'] ['good', 'uses']"
check_eq "export of a prompt using no partial carries none" "$(pd export p | partial_names)" "['p'] []"
o=$(pd export dyn p 2>"$T_TMP/err")
check_eq "export of a prompt naming a partial by a variable: every healthy partial, exit 1" \
    "$?:$(printf '%s' "$o" | partial_names)" "1:['dyn', 'p'] ['good', 'tone', 'uses']"
pd create dv2 --name D --model m --provider openai --message user=d1 >/dev/null
echo '{"id": broken' >"$(ls "$LIB"/prompts/dv2/v0001-*.json)"
o=$(pd export up dv2 2>"$T_TMP/err")
check_eq "export of named prompts, one damaged: the healthy one is written, exit 1" \
    "$?:$(printf '%s' "$o" | partial_names)" "1:['up'] ['good', 'uses']"
check_contains "... and the damaged one is named with its file and line" "$(cat "$T_TMP/err")" "dv2/v0001-"
check_status "export of a slug that is not there writes nothing" 1 pd export up nope
pd delete dv2 --yes >/dev/null
check_contains "a prompt using a healthy partial renders beside damaged ones" "$(pd render up 2>&1)" "hello [GOOD]"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    chmod 000 "$LIB/partials/uses"
    o=$(env HOME="$nh" XDG_STATE_HOME="$nh/s" XDG_CONFIG_HOME="$nh/c" XDG_DATA_HOME="$nh/d" XDG_CACHE_HOME="$nh/k" \
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$PROMPTDECK" --library "$LIB" partial list 2>&1)
    chmod 755 "$LIB/partials/uses"
    check_contains "a partial folder that cannot be read is listed as damaged, with the reason" "$o" "uses"
    check_contains "... Permission denied" "$o" "Permission denied"
else
    ok "# SKIP an unreadable partial folder (needs root and setpriv to run as nobody)"
fi
