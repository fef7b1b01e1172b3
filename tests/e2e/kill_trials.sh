#!/bin/sh
# kill_trials.sh: every write operation (update, create, label, rename, delete, partial put,
# import, sync, and the upgrade of a format 1 library: migrate, or list upgrading it as every
# command does) is killed with SIGKILL as it enters each call that changes the disk, one trial
# per call (strace's inject=SYSCALL:signal=SIGKILL:when=N, so every point is reached, none by
# luck); sync also as a whole process group (promptdeck and its git) killed at random moments.
# After each kill the library loads, the operation is wholly there or wholly absent, nothing
# saved before is lost, and the same operation again succeeds (kill_trials.py); a killed upgrade
# reads as before to who cannot take the lock, and migrate then leaves what an unkilled one does.
# make test runs up to 8 points per operation; KILL_TRIALS=N runs up to N, KILL_TRIALS=all
# every point. KILL_OPS=update,sync runs only those operations; KILL_KEEP=DIR keeps a copy of
# each failed trial there (after the checks that failed, as they left it); KILL_SEED seeds the
# random moments of sync-group, KILL_WINDOW=0.25,0.55 draws them from that part of its run only
# (where git merges: 150 such trials found issue 10's half-merged files 4 times). Prints the
# table "op trials killed ok torn corrupt lost" (torn: a half-done import, which importing
# again completes).
. "$(dirname "$0")/lib.sh"

for t_tool in strace git; do
    command -v $t_tool >/dev/null 2>&1 || { notok "$t_tool is installed (scripts/deps.sh installs it)"; exit 0; }
done
git config --global user.name "Test Runner"
git config --global user.email runner@example.com
git config --global init.defaultBranch main
case "${KILL_TRIALS:-8}" in all) limit=0 ;; *) limit=${KILL_TRIALS:-8} ;; esac
python3 "$PD_TOP/tests/e2e/kill_trials.py" "$PROMPTDECK" "$T_TMP" "$limit" "${KILL_OPS:-}" >"$T_TMP/table" 2>&1
rc=$?
sed 's/^/# /' "$T_TMP/table"
check_eq "kill -9 at every point of every write operation: nothing corrupt, nothing lost" "$rc" "0"

# ---- a sync killed inside git's merge, as the next command finds it. half_merged NAME leaves
# $S/a as such a sync does: its changes committed (as the sync did before it merged) and the
# upstream fetched; git's index.lock left, and the mark of the sync naming a process that is
# gone; the merge's files are then made as far as it got.
sh -c 'exit 0' &
dead=$!
wait $dead
at() { d=$1; shift; PROMPTDECK_AUTHOR=$d "$PROMPTDECK" --library "$S/$d/lib" "$@"; }
half_merged() {
    S="$T_TMP/$1"
    git init -q --bare "$S/remote.git"
    git clone -q "$S/remote.git" "$S/a" 2>/dev/null
    mkdir -p "$S/a/lib"
    at a create p --name P --model m --provider openai --message "user=p1" >/dev/null
    at a label p production 1 >/dev/null
    at a sync >/dev/null 2>&1
    git -C "$S/a" push -q -u origin main 2>/dev/null
    git clone -q "$S/remote.git" "$S/b"
    at a update p --message "user=ours" >/dev/null
    git -C "$S/a" add -A && git -C "$S/a" commit -qm ours
    at b update p --message "user=theirs" >/dev/null
    at b label p production 2 >/dev/null
    at b create team/b --name B --model m --provider openai --message "user=b1" >/dev/null
    at b sync >/dev/null 2>&1
    git -C "$S/a" fetch -q
    theirs=$(git -C "$S/a" diff --name-only HEAD origin/main -- lib/prompts/p | grep '/v0002-')
    : >"$S/a/.git/index.lock"
    echo "$dead $(hostname) merge" >"$S/a/.git/promptdeck-sync"
}
as_before="[(1, 'p1', ['production']), (2, 'ours', [])]"
as_after="[(1, 'p1', []), (2, 'theirs', ['production']), (3, 'ours', [])]"
versions_of() { at a versions p --json | python3 -c 'import json,sys; print([(v["version"], v["messages"][0]["content"], v["labels"]) for v in json.load(sys.stdin)])'; }

# the next sync is the first command: it cleans up, says so, merges and pushes
half_merged resc
git -C "$S/a" show "origin/main:$theirs" | head -c 40 >"$S/a/$theirs"
rm "$S/a/lib/prompts/p/events.jsonl"
: >"$S/a/.git/ORIG_HEAD.lock"
out=$(at a sync 2>&1)
check_contains "after a sync killed in its merge, the next sync says it cleaned up" "$out" \
    "a sync killed part-way (process $dead) was cleaned up; removed the lock files git left ("
check_contains "the lock files it removed are named" "$(echo "$out" | head -n 1 | grep -o 'index.lock\|ORIG_HEAD.lock' | sort | tr '\n' ' ')" "ORIG_HEAD.lock index.lock"
check_contains "the files of the merge are put back" "$out" "); put back 3 library files its merge was changing"
check_contains "and it pushes" "$out" "pushed to origin/main"
check_eq "every version once, labels kept" "$(versions_of)" "$as_after"
check "the mark is gone, git is clean" sh -c "test ! -e '$S/a/.git/promptdeck-sync' && git -C '$S/a' fsck --no-progress && test -z \"\$(git -C '$S/a' status --porcelain)\""
# a sync killed before it merged, and a merge begun by hand since: the merge is not the sync's
# to abort (the next sync asks to finish it)
echo "$dead $(hostname)" >"$S/a/.git/promptdeck-sync"
git -C "$S/a" rev-parse HEAD >"$S/a/.git/MERGE_HEAD"
out=$(at a list 2>&1 >/dev/null)
check "a merge begun by hand after a sync was killed is left alone" test -e "$S/a/.git/MERGE_HEAD" -a ! -e "$S/a/.git/promptdeck-sync"
check_contains "and the next sync asks to finish it" "$(at a sync 2>&1)" "a git merge or rebase is in progress"
rm "$S/a/.git/MERGE_HEAD"

# list, versions and show before any sync (issue 10: they showed the half-merged files as
# damage until the next sync). reads_as_before WHAT: the first command cleans up.
reads_as_before() {
    out=$(at a list --json 2>"$S/err")
    check_eq "$1: list shows no damage before any sync" "$(echo "$out" | python3 -c 'import json,sys; print([p["slug"] for p in json.load(sys.stdin) if p.get("damaged") or p.get("damage")])')" "[]"
    check_contains "$1: list says a killed sync was cleaned up" "$(cat "$S/err")" \
        "promptdeck: a sync killed part-way (process $dead) was cleaned up; removed the lock files git left (index.lock); put back"
    check_eq "$1: versions reads as before the sync" "$(versions_of 2>&1)" "$as_before"
    check "$1: show reads p" at a show p
    check_eq "$1: said once: the mark is gone" "$(at a show p 2>&1 >/dev/null; ls "$S/a/.git/promptdeck-sync" 2>/dev/null)" ""
    check_eq "$1: git is clean, no lock left" "$(git -C "$S/a" status --porcelain 2>&1; ls "$S/a/.git/index.lock" 2>/dev/null)" ""
    out=$(at a sync 2>&1)
    check_contains "$1: the next sync merges and pushes" "$out" "pushed to origin/main"
    check_eq "$1: then every version once, labels kept" "$(versions_of 2>&1)" "$as_after"
}
# killed as git wrote the upstream's first new file: the work tree holds it empty, untracked
half_merged empty
: >"$S/a/$theirs"
reads_as_before "an empty new file"
# killed further on: that file half-written, the new prompt's files empty, events.jsonl changed
half_merged half
git -C "$S/a" show "origin/main:$theirs" | head -c 40 >"$S/a/$theirs"
mkdir -p "$S/a/lib/prompts/team/b"
: >"$S/a/lib/prompts/team/b/prompt.json"
git -C "$S/a" show origin/main:lib/prompts/p/events.jsonl >"$S/a/lib/prompts/p/events.jsonl"
reads_as_before "a merge half done"
