#!/bin/sh
# atomic_changes.sh: every change of several files (create, update, label, rename, delete, partial
# put; over a plain folder and over one holding other prompts) is whole or absent (issue 10,
# failures 2 and 9). Under strace, the change is made to fail at its 1st, 2nd, ... write, fsync,
# rename, mkdir and unlink in turn until it succeeds: after each failure the library is
# exactly as before (files and bytes), after the success the change is all there. Then it is
# killed (SIGKILL) at each fsync, rename, mkdir, unlink and rmdir: the library loads without
# damage, and after the next change (one that would adopt leftovers: a rename or create onto
# the slug a delete left) it is what that change makes of the library before, or of the library
# after: never a mix.
. "$(dirname "$0")/lib.sh"
if ! command -v strace >/dev/null 2>&1; then
    notok "strace is installed (scripts/deps.sh) to fail or stop a change at each step"
    exit 0
fi
PROMPTDECK_AUTHOR=tester
export PROMPTDECK_AUTHOR
TPL="$T_TMP/tpl"
mk() { "$PROMPTDECK" --library "$TPL" create "$1" --name "$2" --model m --provider openai --message "user=$3" >/dev/null; }
mkdir -p "$TPL"
mk p P one
"$PROMPTDECK" --library "$TPL" update p --message user=two >/dev/null
"$PROMPTDECK" --library "$TPL" label p production 1 >/dev/null
echo '{"cases":[]}' >"$TPL/prompts/p/tests.json"
mk newp New NEW1
mk team Team t1
mk team/x X x1
mk grp/child Child c1
"$PROMPTDECK" --library "$TPL" partial put tone --content "tone 0" >/dev/null
"$PROMPTDECK" --library "$TPL" partial put pg/sub --content "sub 0" >/dev/null

# the library's files and their bytes (not .lock, not changes in progress in .trash)
snapshot() { (cd "$1" && find . -path ./.trash -prune -o ! -name .lock -print | sort &&
    find . -path ./.trash -prune -o -type f ! -name .lock -exec sha256sum {} + | sort); }
# what the library holds, without ids and times (they differ from run to run)
view() {
    "$PROMPTDECK" --library "$1" export 2>&1 | python3 -c '
import json, re, sys
def strip(j):
    if isinstance(j, dict):
        return {k: strip(v) for k, v in sorted(j.items()) if not re.search(r"(_at|id|parent|exported.*)$", k)}
    if isinstance(j, list):
        return [strip(v) for v in j]
    return j
try:
    print(json.dumps(strip(json.load(sys.stdin)), sort_keys=True, indent=1))
except ValueError:
    print("export failed")'
}
fresh() { rm -rf "$LIB"; cp -a "$TPL" "$LIB"; }
# pd under strace when PD_INJECT says what to do to which call (a sanitizer build's leak check
# cannot run under a tracer: it is left out there)
PD_INJECT=""
pd() {
    if [ -n "$PD_INJECT" ]; then
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -o /dev/null -e "$PD_INJECT" "$PROMPTDECK" --library "$LIB" "$@"
    else
        "$PROMPTDECK" --library "$LIB" "$@"
    fi
}
# run_op OP INJECTION: the change OP with one injection; its status (a change made whose
# message could not be written to standard output counts as made: it says so)
run_op() {
    PD_INJECT=$2
    op_$1 >/dev/null 2>"$T_TMP/op.err"
    t_rc=$?
    PD_INJECT=""
    grep -q "cannot write the output" "$T_TMP/op.err" && t_rc=0
    return $t_rc
}
before=$(snapshot "$TPL")

# each change, and the next change made after it was killed
op_create() { pd create n --name N --model m --provider openai --message user=new; }
next_create() { pd update n --message user=f; }
op_create_parent() { pd create grp --name G --model m --provider openai --message user=g; }
next_create_parent() { pd update grp --message user=f; }
op_update() { pd update p --name P2 --message user=three; }
next_update() { pd label p staging 2; }
op_label() { pd label p production 2; }
next_label() { pd update p --message user=f; }
op_rename() { pd rename p q; }
next_rename() { pd create q --name Q --model m --provider openai --message user=f; }
op_rename_parent() { pd rename team t2; }
next_rename_parent() { pd create t2 --name T --model m --provider openai --message user=f; }
op_delete() { pd delete p --yes; }
next_delete() { pd rename newp p; }
op_delete_parent() { pd delete team --yes; }
next_delete_parent() { pd create team --name T --model m --provider openai --message user=f; }
op_partial() { pd partial put np --content hi; }
next_partial() { pd partial put np --content f; }
op_partial_again() { pd partial put tone --content "tone 1"; }
next_partial_again() { pd partial put tone --content f; }
op_partial_parent() { pd partial put pg --content pg; }
next_partial_parent() { pd partial put pg --content f; }

# git sees a delete as a deletion, and never what a change in progress keeps in .trash
if command -v git >/dev/null 2>&1; then
    fresh
    git -C "$LIB" init -q . && git -C "$LIB" add -A && git -C "$LIB" -c user.name=t -c user.email=t@t commit -qm init
    run_op delete "inject=unlink:signal=KILL:when=1"   # killed with p moved into .trash
    mkdir -p "$LIB/.trash/1-killed" && echo x >"$LIB/.trash/1-killed/v0001-x.json"
    check_eq "a killed delete: git sees p deleted, and nothing of .trash" \
        "$(git -C "$LIB" status --porcelain | sed 's/v0[0-9]*-.*/V/' | sort -u)" " D prompts/p/V
 D prompts/p/events.jsonl
 D prompts/p/prompt.json
 D prompts/p/tests.json"
    rm -f "$LIB/.trash/.gitignore"
    pd delete newp --yes >/dev/null
    check_eq "the next writer finished what .trash held, and told git again to look away" \
        "$(ls -A "$LIB/.trash"):$(git -C "$LIB" status --porcelain | grep -c trash)" ".gitignore:0"
fi

ops=${ATOMIC_OPS-create create_parent update label rename rename_parent delete delete_parent partial partial_again partial_parent}
for op in $ops; do
    # what the change makes, and what the next change makes of the library before and after it
    fresh; op_$op >/dev/null 2>&1
    after=$(view "$LIB")
    next_$op >/dev/null 2>&1
    after_next=$(view "$LIB")
    fresh; next_$op >/dev/null 2>&1
    before_next=$(view "$LIB")
    check "$op: the change alters the library" test "$after" != "$(view "$TPL")"

    fails="" stops="" failures=0 kills=0
    for sc in write fsync rename mkdir unlink; do
        n=0
        while [ $n -lt 150 ]; do
            n=$((n + 1))
            fresh
            if run_op "$op" "inject=$sc:error=ENOSPC:when=$n"; then
                [ "$(view "$LIB")" = "$after" ] || fails="$fails $sc#$n(success but not whole)"
                break
            fi
            failures=$((failures + 1))
            [ "$(snapshot "$LIB")" = "$before" ] || fails="$fails $sc#$n"
        done
    done
    # (a kill before a write is one before the fsync that follows it: writes are left out)
    for sc in fsync rename mkdir unlink rmdir; do
        n=0
        while [ $n -lt 150 ]; do
            n=$((n + 1))
            fresh
            run_op "$op" "inject=$sc:signal=KILL:when=$n" && break
            kills=$((kills + 1))
            if pd list --json 2>&1 | grep -q '"damaged"'; then
                stops="$stops $sc#$n(damaged)"
                continue
            fi
            next_$op >/dev/null 2>&1
            got=$(view "$LIB")
            [ "$got" = "$before_next" ] || [ "$got" = "$after_next" ] || stops="$stops $sc#$n"
        done
    done
    check_eq "$op: each of $failures failed runs left the library as it was, the success made it whole" "$fails" ""
    check_eq "$op: after each of $kills kills the next change found the library before or after, no mix" "$stops" ""
done
