#!/bin/sh
# git_team_merge.sh: what two clones add independently merges, with real git only (a bare
# repository in the test's folder as the remote, three clones): the same slug created on two
# clones, with plain `git pull` (merge and rebase) and with `promptdeck sync`; test cases kept
# on two clones (tests.json), with plain git and with sync.
. "$(dirname "$0")/lib.sh"

use_git

# on CLONE ARGS...: promptdeck on CLONE/lib.
on() { c=$1; shift; "$PROMPTDECK" --library "$T_TMP/$c/lib" "$@"; }
# jq_py EXPR: EXPR over the JSON on stdin (as j).
jq_py() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
contents() { on "$1" versions "$2" --json | jq_py '[(v["version"], v["messages"][0]["content"]) for v in j]'; }
new_prompt() { on "$1" create "$2" --name "$2 by $1" --model m --provider openai --message "user=$3" >/dev/null; }
commit_all() { git -C "$T_TMP/$1" add -A && git -C "$T_TMP/$1" commit -q -m "$2"; }
# sync_pair X Y: X syncs, then Y (what it said in $out, its status in $rc), then X again.
sync_pair() { on "$1" sync >/dev/null 2>&1; out=$(on "$2" sync 2>&1); rc=$?; on "$1" sync >/dev/null 2>&1; }

git clone -q "$R" "$T_TMP/a" 2>/dev/null
mkdir -p "$T_TMP/a/lib"
new_prompt a seed "seed"
on a sync >/dev/null 2>&1
git -C "$T_TMP/a" push -q -u origin main 2>/dev/null
git clone -q "$R" "$T_TMP/b"
git clone -q "$R" "$T_TMP/c"

# --- the same slug created on two clones: plain git pull (merge) --------------------------------
new_prompt a dup/merge "made by a"
new_prompt b dup/merge "made by b"
check_eq "two creations of one slug write the same prompt.json" \
    "$(cat "$T_TMP/a/lib/prompts/dup/merge/prompt.json")" "$(cat "$T_TMP/b/lib/prompts/dup/merge/prompt.json")"
commit_all a "a creates" && git -C "$T_TMP/a" push -q
commit_all b "b creates"
out=$(git -C "$T_TMP/b" pull -q --no-rebase --no-edit 2>&1)
check_eq "git pull (merge) of the same slug created twice: no conflict" "$?|$(git -C "$T_TMP/b" diff --name-only --diff-filter=U)" "0|"
check_eq "the prompt is not damaged" "$(on b list --json | jq_py '[p.get("damaged", False) for p in j if p["slug"] == "dup/merge"]')" "[False]"
check_eq "both sides' versions are shown (one number shared until settled)" \
    "$(on b versions dup/merge --json | jq_py 'sorted(v["messages"][0]["content"] for v in j)')" "['made by a', 'made by b']"
check_contains "fix renumbers them as sync would: b's, not pushed yet, moves" "$(on b fix 2>&1)" "your v1 of dup/merge is now v2"
check_eq "after fix: a's (pushed) keeps v1" "$(on b versions dup/merge --json | jq_py '[(v["version"], v["messages"][0]["content"]) for v in j]')" \
    "[(1, 'made by a'), (2, 'made by b')]"

# --- the same slug created on two clones: plain git pull --rebase ----------------------------------
commit_all b "b fixed" && git -C "$T_TMP/b" push -q
git -C "$T_TMP/a" pull -q --no-rebase --no-edit
new_prompt a dup/rebase "rebase by a"
new_prompt b dup/rebase "rebase by b"
commit_all a "a creates" && git -C "$T_TMP/a" push -q
commit_all b "b creates"
out=$(git -C "$T_TMP/b" pull -q --rebase 2>&1)
check_eq "git pull --rebase of the same slug created twice: no conflict" "$?" "0"
check_eq "after the rebase both versions are shown" \
    "$(on b versions dup/rebase --json | jq_py 'sorted(v["messages"][0]["content"] for v in j)')" "['rebase by a', 'rebase by b']"
check_eq "created_at is the earliest version's" "$(on b list --json | jq_py '[p["created_at"] for p in j if p["slug"] == "dup/rebase"][0]')" \
    "$(on b versions dup/rebase --json | jq_py 'min(v["created_at"] for v in j)')"
check_eq "a prompt of one version: its created_at" "$(on b list --json | jq_py '[p["created_at"] for p in j if p["slug"] == "seed"][0]')" \
    "$(on b versions seed --json | jq_py 'j[0]["created_at"]')"
git -C "$T_TMP/b" push -q

# --- the same slug created on two clones, with sync ----------------------------------------------
on a sync >/dev/null 2>&1
on c sync >/dev/null 2>&1
new_prompt a dup/sync "sync by a"
new_prompt c dup/sync "sync by c"
sync_pair a c
check_eq "sync of the same slug created twice: exit 0" "$rc" "0"
check_contains "c's version is renumbered after a's, and sync says so" "$out" "your v1 of dup/sync is now v2"
check_eq "both clones show both versions with the same numbers" "$(contents a dup/sync)|$(contents c dup/sync)" \
    "[(1, 'sync by a'), (2, 'sync by c')]|[(1, 'sync by a'), (2, 'sync by c')]"
check_eq "a rename keeps the prompt's id" \
    "$(on a rename dup/sync dup/moved >/dev/null && on a list --json | jq_py '[p["id"] for p in j if p["slug"] == "dup/moved"][0]')" \
    "$(on c list --json | jq_py '[p["id"] for p in j if p["slug"] == "dup/sync"][0]')"

# --- test cases kept on two clones ----------------------------------------------------------------
# case_file DESCRIPTION: a promptfoo YAML test file with one case.
case_file() { printf -- '- description: %s\n  vars: {country: %s}\n' "$1" "$1" >"$T_TMP/$1.yaml"; echo "$T_TMP/$1.yaml"; }
cases_of() { python3 -c 'import json,sys; print(sorted(c["description"] for c in json.load(open(sys.argv[1]))["cases"]))' "$T_TMP/$1/lib/prompts/$2/tests.json"; }
for d in a b c; do on $d sync >/dev/null 2>&1; done
on a eval import seed "$(case_file first)" >/dev/null
on a sync >/dev/null 2>&1
for d in b c; do on $d sync >/dev/null 2>&1; done

# with sync: each clone adds a case, both sync
on a eval import seed "$(case_file from-a)" >/dev/null
on b eval import seed "$(case_file from-b)" >/dev/null
sync_pair a b
check_eq "sync with a case added on each clone: exit 0" "$rc" "0"
check_contains "sync says it settled tests.json" "$out" "settled the git conflict in"
check_eq "both clones hold every case" "$(cases_of a seed)|$(cases_of b seed)" \
    "['first', 'from-a', 'from-b']|['first', 'from-a', 'from-b']"
check_eq "no conflict marker is committed" "$(git -C "$T_TMP/a" grep -c '<<<<<<<' -- lib | wc -l | tr -d ' ')" "0"

# with plain git pull (merge): the conflict git leaves is read as both sides, fix settles it
on c sync >/dev/null 2>&1
on a eval import seed "$(case_file merge-a)" >/dev/null
on c eval import seed "$(case_file merge-c)" >/dev/null
commit_all a "a adds a case" && git -C "$T_TMP/a" push -q
commit_all c "c adds a case"
git -C "$T_TMP/c" pull -q --no-rebase --no-edit >/dev/null 2>&1
check_eq "plain git pull: git stops on tests.json" "$(git -C "$T_TMP/c" diff --name-only --diff-filter=U)" "lib/prompts/seed/tests.json"
out=$(on c eval import seed "$(case_file during-merge)" 2>&1)
check_contains "adding a case to the conflicted file keeps both sides' cases" "$out" "added 1 case to seed (6 in all)"
check_eq "and writes them merged" "$(cases_of c seed)" "['during-merge', 'first', 'from-a', 'from-b', 'merge-a', 'merge-c']"
git -C "$T_TMP/c" add -A && git -C "$T_TMP/c" commit -q --no-edit && git -C "$T_TMP/c" push -q

# with plain git pull --rebase: fix settles the conflict, then the rebase goes on
git -C "$T_TMP/b" pull -q --no-rebase --no-edit >/dev/null 2>&1
git -C "$T_TMP/a" pull -q --no-rebase --no-edit >/dev/null 2>&1
on a eval import seed "$(case_file rebase-a)" >/dev/null
on b eval import seed "$(case_file rebase-b)" >/dev/null
commit_all a "a adds a case" && git -C "$T_TMP/a" push -q
commit_all b "b adds a case"
git -C "$T_TMP/b" pull -q --rebase >/dev/null 2>&1
check_eq "plain git pull --rebase: git stops on tests.json" "$(git -C "$T_TMP/b" diff --name-only --diff-filter=U)" "lib/prompts/seed/tests.json"
check_contains "fix settles it" "$(on b fix 2>&1)" "settled the git conflict in prompts/seed/tests.json: both sides kept"
git -C "$T_TMP/b" add -A && GIT_EDITOR=true git -C "$T_TMP/b" rebase --continue >/dev/null 2>&1
check_eq "the rebase finishes" "$?" "0"
check_eq "every case of both sides is there" "$(cases_of b seed)" \
    "['during-merge', 'first', 'from-a', 'from-b', 'merge-a', 'merge-c', 'rebase-a', 'rebase-b']"
