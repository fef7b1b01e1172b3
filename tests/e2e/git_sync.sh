#!/bin/sh
# git_sync.sh: a team over git, with real git only: a bare repository in the test's folder as the
# remote, three clones; concurrent saves of one prompt and of different prompts, the same and
# different labels, metadata, with `promptdeck sync` and with plain `git pull` (merge and
# rebase); a conflict git cannot settle; a library in a subfolder of an application's
# repository; kill -9 during sync; and a seeded random interleaving of saves, label moves,
# metadata changes and syncs on three clones that must end with every clone identical and every
# saved version present exactly once.
. "$(dirname "$0")/lib.sh"

use_git

# as NAME DIR ARGS...: promptdeck on DIR/lib as author NAME.
as() { n=$1 d=$2; shift 2; PROMPTDECK_AUTHOR=$n "$PROMPTDECK" --library "$T_TMP/$d/lib" "$@"; }
vjson() { as x "$1" versions "$2" --json; }
py() { python3 -c "import json,sys; j=json.load(sys.stdin); r=($1); print(r)"; }
msg() { printf 'user=%s' "$1"; }

# --- a library in git: the first sync commits, with no upstream it says so ---------------------
git clone -q "$R" "$T_TMP/a" 2>/dev/null
mkdir -p "$T_TMP/a/lib"
as Ada a create team/greet --name Greeter --model m --provider openai --message "$(msg one)" >/dev/null
out=$(as Ada a sync 2>&1)
check_eq "sync without an upstream: exit 0" "$?" "0"
check_contains "it commits and says there is no upstream" "$out" "no upstream branch for main: committed here"
check_contains "the commit message names what changed" "$(git -C "$T_TMP/a" log -1 --format=%s)" "team/greet created, v1"
check "the lock is not committed; .gitattributes is" sh -c "! git -C '$T_TMP/a' ls-files | grep -q lock && git -C '$T_TMP/a' ls-files | grep -q lib/.gitattributes"
check_eq "the library's .gitattributes merges events by union" "$(cat "$T_TMP/a/lib/.gitattributes" | grep -v '^#')" "*.jsonl merge=union"
git -C "$T_TMP/a" push -q -u origin main 2>/dev/null
check_contains "nothing to do: up to date" "$(as Ada a sync 2>&1)" "up to date with origin/main"
git clone -q "$R" "$T_TMP/b"
git clone -q "$R" "$T_TMP/c"

# --- the same prompt saved on two clones, then sync on both -----------------------------------------
as Ada a update team/greet --message "$(msg "two by ada")" >/dev/null
as Bo b update team/greet --message "$(msg "two by bo")" >/dev/null
check_contains "a syncs first: pushed" "$(as Ada a sync 2>&1)" "pushed to origin/main"
out=$(as Bo b sync 2>&1)
check_contains "b's version not pushed yet is renumbered, and sync says so" "$out" "your v2 of team/greet is now v3"
as Ada a sync >/dev/null 2>&1

check_eq "both clones show the same versions" "$(vjson a team/greet)" "$(vjson b team/greet)"
check_eq "numbers and authors" "$(vjson a team/greet | py '[(v["version"], v["author"], v["messages"][0]["content"]) for v in j]')" \
    "[(1, 'Ada', 'one'), (2, 'Ada', 'two by ada'), (3, 'Bo', 'two by bo')]"
check_eq "both were made from v1 (the timeline can show the fork)" \
    "$(vjson a team/greet | py 'j[1]["parent"] == j[0]["id"] and j[2]["parent"] == j[0]["id"]')" "True"

# --- different prompts --------------------------------------------------------------------------------
as Ada a create x --name X --model m --provider openai --message "$(msg x)" >/dev/null
as Bo b create y --name Y --model m --provider openai --message "$(msg y)" >/dev/null
as Ada a sync >/dev/null 2>&1; as Bo b sync >/dev/null 2>&1; as Ada a sync >/dev/null 2>&1
check_eq "different prompts: both clones list both" "$(as x a list --json | py '[p["slug"] for p in j]')|$(as x b list --json | py '[p["slug"] for p in j]')" \
    "['team/greet', 'x', 'y']|['team/greet', 'x', 'y']"

# --- the same label moved on two clones: the later move wins, the other is told ----------------------
as Bo b label team/greet production 1 >/dev/null
sleep 0.05
as Ada a label team/greet production 2 >/dev/null
as Ada a sync >/dev/null 2>&1
out=$(as Bo b sync 2>&1)
check_contains "b is told its move lost" "$out" "team/greet: your move of production to v1 lost to Ada's move to v2"
as Ada a sync >/dev/null 2>&1
check_eq "both clones: production on v2" "$(as x a list --json | py '[p["labels"] for p in j if p["slug"] == "team/greet"][0]')|$(as x b list --json | py '[p["labels"] for p in j if p["slug"] == "team/greet"][0]')" \
    "{'production': 2}|{'production': 2}"
check "no conflict markers anywhere in the library" sh -c "! grep -rq '^<<<<<<<' '$T_TMP/a/lib' '$T_TMP/b/lib'"

# --- different labels, different metadata fields ---------------------------------------------------------
as Ada a label team/greet staging 3 >/dev/null
as Bo b label team/greet canary 1 >/dev/null
as Ada a update team/greet --name "Greeter by Ada" >/dev/null
as Bo b update team/greet --description "Bo's description" >/dev/null
as Ada a sync >/dev/null 2>&1; as Bo b sync >/dev/null 2>&1; as Ada a sync >/dev/null 2>&1
want="{'canary': 1, 'production': 2, 'staging': 3} Greeter by Ada Bo's description"
check_eq "different labels and fields merge (a)" "$(as x a list --json | py '" ".join(str(x) for x in [(p["labels"], p["name"], p["description"]) for p in j if p["slug"] == "team/greet"][0])')" "$want"
check_eq "different labels and fields merge (b)" "$(as x b list --json | py '" ".join(str(x) for x in [(p["labels"], p["name"], p["description"]) for p in j if p["slug"] == "team/greet"][0])')" "$want"
check_contains "the commit says which label moved" "$(git -C "$T_TMP/a" log --format=%s | grep -m1 staging)" "team/greet label staging -> v3"

# --- a label move from a stale view is refused ---------------------------------------------------------------
check_status "label --expect (what the screen showed) after someone moved it: conflict" 1 as Ada a label team/greet production 3 --expect 1
check_status "label --expect up to date: moved" 0 as Ada a label team/greet production 3 --expect 2

# --- plain git pull (merge): two versions share a number; the library loads and says how to settle -----------
as Ada a sync >/dev/null 2>&1; as Bo b sync >/dev/null 2>&1
as Ada a update team/greet --message "$(msg "plain ada")" >/dev/null
git -C "$T_TMP/a" add -A && git -C "$T_TMP/a" commit -q -m "ada by hand" && git -C "$T_TMP/a" push -q 2>/dev/null
as Bo b update team/greet --message "$(msg "plain bo")" >/dev/null
git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "bo by hand"
out=$(git -C "$T_TMP/b" pull -q --no-rebase --no-edit 2>&1)
check_eq "git pull (merge) of two new versions: no git conflict" "$?" "0"
check_eq "git status is clean" "$(git -C "$T_TMP/b" status --porcelain)" ""
check_eq "the library loads, nothing damaged" "$(as x b list --json | grep -c damaged)" "0"
check_eq "versions lists both v4s" "$(vjson b team/greet | py '[v["version"] for v in j][-2:]')" "[4, 4]"
check_contains "versions marks the second one" "$(as x b versions team/greet 2>/dev/null)" "4'"
out=$(as x b show team/greet --version 4 2>&1)
check_eq "a shared number is refused: exit 1" "$?" "1"
check_contains "and the message says how to settle it" "$out" "promptdeck sync"
check_contains "list says it on stderr" "$(as x b list 2>&1 >/dev/null)" "team/greet has two versions with the same number"
check_status "show (current) still works" 0 as x b show team/greet
id=$(vjson b team/greet | py 'j[-2]["id"][:16]')
check_eq "show --version ID (its first characters) names one of them" \
    "$(as x b show team/greet --version "$id" --json | py 'j["messages"][0]["content"]')" "plain ada"
check_status "show --label still works (labels follow ids)" 0 as x b show team/greet --label production
out=$(as Bo b sync 2>&1)
check_contains "sync settles: b's local v4 becomes v5" "$out" "your v4 of team/greet is now v5"
as Ada a sync >/dev/null 2>&1
check_eq "after both synced: same numbers for the same content" "$(vjson a team/greet | py '[(v["version"], v["messages"][0]["content"]) for v in j][-2:]')|$(vjson b team/greet | py '[(v["version"], v["messages"][0]["content"]) for v in j][-2:]')" \
    "[(4, 'plain ada'), (5, 'plain bo')]|[(4, 'plain ada'), (5, 'plain bo')]"

# --- plain git pull --rebase, with labels moved on both sides (events.jsonl merges by union) ----------------
as Ada a update team/greet --message "$(msg "rebase ada")" >/dev/null
as Ada a label team/greet staging 6 >/dev/null
git -C "$T_TMP/a" add -A && git -C "$T_TMP/a" commit -q -m "ada" && git -C "$T_TMP/a" push -q 2>/dev/null
as Bo b update team/greet --message "$(msg "rebase bo")" >/dev/null
as Bo b label team/greet canary 5 >/dev/null
git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "bo"
git -C "$T_TMP/b" pull -q --rebase 2>"$T_TMP/rebase.err"
check_eq "git pull --rebase: no conflict" "$?$(cat "$T_TMP/rebase.err")" "0"
check_eq "both label moves survive the rebase" "$(as x b list --json | py '[(p["labels"]["staging"], p["labels"]["canary"]) for p in j if p["slug"] == "team/greet"][0]')" "(6, 5)"
as Bo b fix >/dev/null
check_eq "fix renumbers without git: b's v6 after Ada's" "$(vjson b team/greet | py '[(v["version"], v["messages"][0]["content"]) for v in j][-2:]')" \
    "[(6, 'rebase ada'), (7, 'rebase bo')]"
as Bo b sync >/dev/null 2>&1; as Ada a sync >/dev/null 2>&1
check_eq "and the clones agree" "$(vjson a team/greet)" "$(vjson b team/greet)"

# --- both pushed a duplicate (plain git both ways): sync on both settles it the same way -------------------
as Ada a update team/greet --message "$(msg "dup ada")" >/dev/null
git -C "$T_TMP/a" add -A && git -C "$T_TMP/a" commit -q -m "ada" && git -C "$T_TMP/a" push -q 2>/dev/null
as Bo b update team/greet --message "$(msg "dup bo")" >/dev/null
git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "bo" && git -C "$T_TMP/b" pull -q --no-rebase --no-edit 2>/dev/null &&
    git -C "$T_TMP/b" push -q 2>/dev/null
git -C "$T_TMP/a" pull -q --no-edit 2>/dev/null
check_eq "both clones hold two v8s" "$(vjson a team/greet | py '[v["version"] for v in j][-2:]')" "[8, 8]"
out=$(as Ada a sync 2>&1)
check_contains "sync: of two pushed v8s the later one moves" "$out" "had two versions numbered 8"
as Bo b sync >/dev/null 2>&1
check_eq "and both clones agree" "$(vjson a team/greet)" "$(vjson b team/greet)"

# --- fix after a plain git pull follows sync's rule: what the upstream has keeps its number, even when -------
# --- this clone's version not pushed yet is the older one ---------------------------------------------------------
nv=$(vjson a team/greet | py 'len(j)')
as Bo b update team/greet --message "$(msg "fix bo older")" >/dev/null
sleep 0.1
as Ada a update team/greet --message "$(msg "fix ada pushed")" >/dev/null
git -C "$T_TMP/a" add -A && git -C "$T_TMP/a" commit -q -m "ada" && git -C "$T_TMP/a" push -q 2>/dev/null
git -C "$T_TMP/b" add -A && git -C "$T_TMP/b" commit -q -m "bo" && git -C "$T_TMP/b" pull -q --no-rebase --no-edit 2>/dev/null
out=$(as Bo b fix 2>&1)
check_contains "fix: b's version not pushed yet moves, as sync says it" "$out" "your v$((nv + 1)) of team/greet is now v$((nv + 2))"
check_eq "fix: the pushed version keeps its number" "$(vjson b team/greet | py '[(v["version"], v["messages"][0]["content"]) for v in j][-2:]')" \
    "[($((nv + 1)), 'fix ada pushed'), ($((nv + 2)), 'fix bo older')]"
as Bo b sync >/dev/null 2>&1; as Ada a sync >/dev/null 2>&1
check_eq "fix then sync: the clones agree, numbers 1..n" "$(vjson a team/greet | py '[v["version"] for v in j] == list(range(1, len(j) + 1))')|$(vjson a team/greet)" \
    "True|$(vjson b team/greet)"

# --- pull.rebase=true: sync rebases instead of merging -----------------------------------------------------------
git -C "$T_TMP/b" config pull.rebase true
as Ada a update x --message "$(msg "x by ada")" >/dev/null; as Ada a sync >/dev/null 2>&1
as Bo b update x --message "$(msg "x by bo")" >/dev/null
merges=$(git -C "$T_TMP/b" rev-list --merges --count HEAD)
out=$(as Bo b sync 2>&1)
check_contains "rebase config: renumbered" "$out" "your v2 of x is now v3"
check_eq "rebase config: no merge commit" "$(git -C "$T_TMP/b" rev-list --merges --count HEAD)" "$merges"
as Ada a sync >/dev/null 2>&1
check_eq "rebase config: clones agree" "$(vjson a x)" "$(vjson b x)"

# --- a conflict git cannot settle: the merge is aborted, the files named, nothing lost --------------------------
echo "ada's notes" >"$T_TMP/a/NOTES"; git -C "$T_TMP/a" add NOTES; git -C "$T_TMP/a" commit -q -m notes; git -C "$T_TMP/a" push -q 2>/dev/null
echo "bo's notes" >"$T_TMP/b/NOTES"; git -C "$T_TMP/b" add NOTES; git -C "$T_TMP/b" commit -q -m notes
as Bo b update y --message "$(msg "y kept")" >/dev/null
out=$(as Bo b sync 2>&1)
check_eq "a real conflict: exit 1" "$?" "1"
check_contains "it names the file" "$out" "NOTES"
check "no merge is left in progress" test ! -e "$T_TMP/b/.git/MERGE_HEAD"
check_eq "the library still loads with b's new version" "$(vjson b y | py 'j[-1]["messages"][0]["content"]')" "y kept"
git -C "$T_TMP/b" pull -q --no-edit -X theirs 2>/dev/null
check_contains "after a hand merge, sync goes on" "$(as Bo b sync 2>&1)" "pushed to origin/main"

# --- a library in a subfolder of an application's repository ------------------------------------------------------
git init -q "$T_TMP/app"
mkdir -p "$T_TMP/app/src" "$T_TMP/app/prompts"
echo 'int main(void) { return 0; }' >"$T_TMP/app/src/main.c"
git -C "$T_TMP/app" add src && git -C "$T_TMP/app" commit -q -m "the app"
echo '/* work in progress */' >>"$T_TMP/app/src/main.c"
"$PROMPTDECK" --library "$T_TMP/app/prompts" create hello --name H --model m --provider openai --message "$(msg hi)" >/dev/null
out=$("$PROMPTDECK" --library "$T_TMP/app/prompts" sync 2>&1)
check_contains "subfolder: committed" "$out" "committed: promptdeck: hello created"
check_eq "only the library's files are committed" "$(git -C "$T_TMP/app" show --name-only --format= HEAD | grep -vc '^prompts/')" "0"
check_eq "the application's own change stays uncommitted" "$(git -C "$T_TMP/app" status --porcelain)" " M src/main.c"
git init -q "$T_TMP/fresh"
"$PROMPTDECK" --library "$T_TMP/fresh" create one --name One --model m --provider openai --message "$(msg hi)" >/dev/null 2>&1
check_contains "a fresh git init folder becomes the library; its first sync commits" \
    "$("$PROMPTDECK" --library "$T_TMP/fresh" sync 2>&1; git -C "$T_TMP/fresh" log --format=%s)" "promptdeck: one created, v1"
out=$("$PROMPTDECK" --library "$T_TMP/lonely" sync 2>&1)
check_eq "not in a git work tree: exit 2" "$?" "2"
check_contains "and says what to do" "$out" "is not in a git work tree"

# --- a format 1 library in git, upgraded on two clones at once: identical files, a clean merge ---------
R1="$T_TMP/old.git"
git init -q --bare "$R1"
git clone -q "$R1" "$T_TMP/o1" 2>/dev/null
python3 - "$T_TMP/o1/lib" <<'PY'
import json, os, sys
d = sys.argv[1]
def w(rel, obj):
    p = os.path.join(d, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(json.dumps(obj, indent=2) + "\n")
w("library.json", {"format_version": 1, "format": "promptdeck-library"})
w("prompts/old/prompt.json", {"format_version": 1, "id": "00112233aabbccdd", "slug": "old", "name": "Old",
  "description": "", "tags": ["t"], "labels": {"production": 1}, "current_version": 2,
  "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z"})
for n in (1, 2):
    w("prompts/old/v%04d.json" % n, {"format_version": 1, "version": n,
      "messages": [{"role": "user", "content": "old %d" % n}], "author": "Ada",
      "created_at": "2025-01-0%dT00:00:00Z" % n})
PY
git -C "$T_TMP/o1" add -A && git -C "$T_TMP/o1" commit -q -m "format 1" && git -C "$T_TMP/o1" push -q -u origin main 2>/dev/null
git clone -q "$R1" "$T_TMP/o2"
out=$("$PROMPTDECK" --library "$T_TMP/o1/lib" list 2>&1 >/dev/null)
check_contains "a format 1 library is upgraded on first use, and says so" "$out" "upgraded the library"
out=$("$PROMPTDECK" --library "$T_TMP/o2/lib" migrate 2>&1)
check_contains "migrate on a format 1 library says it upgraded it" "$out" "upgraded the library"
check_not_contains "... and not that it was already in format 2" "$out" "already in format"
"$PROMPTDECK" --library "$T_TMP/o1/lib" sync >/dev/null 2>&1
out=$("$PROMPTDECK" --library "$T_TMP/o2/lib" sync 2>&1)
check_eq "the second clone's upgrade merges without a conflict" "$?" "0"
check_eq "both upgrades wrote the same files (two version files, not four)" "$(ls "$T_TMP/o2/lib/prompts/old" | grep -c '^v0')" "2"
check_eq "versions and labels as before" "$("$PROMPTDECK" --library "$T_TMP/o2/lib" list --json | py '[(p["current_version"], p["labels"], p["tags"]) for p in j]')" \
    "[(2, {'production': 1}, ['t'])]"

# --- the remote refusing the push itself (its ref locked) is said as that, not as "kept moving" --
R3="$T_TMP/locked.git"
git init -q --bare "$R3"
git clone -q "$R3" "$T_TMP/l" 2>/dev/null
as Ada l create held --name H --model m --provider openai --message "$(msg one)" >/dev/null
as Ada l sync >/dev/null 2>&1
git -C "$T_TMP/l" push -q -u origin main 2>/dev/null
as Ada l update held --message "$(msg "held back")" >/dev/null
touch "$R3/refs/heads/main.lock"
out=$(as Ada l sync 2>&1)
rc=$?
rm -f "$R3/refs/heads/main.lock"
check_eq "a push the remote refuses fails the sync" "$rc" "1"
check_contains "it says the upstream refused the push, with git's reason" "$out" "origin/main refused the push 5 times (your changes are committed here"
check_contains "git's reason is the locked ref" "$out" "cannot lock ref"
check "it does not say the upstream kept moving" sh -c "! printf '%s' '$out' | grep -q 'kept moving'"
check_contains "once the lock is gone the next sync pushes" "$(as Ada l sync 2>&1)" "pushed to origin/main"

# --- credentials in a remote URL never reach the screen -------------------------------------------------------------
git clone -q "$R" "$T_TMP/d"
git -C "$T_TMP/d" remote set-url origin "http://someone:s3cr3t-t0ken@127.0.0.1:9/team.git"
out=$(as Di d sync 2>&1)
check_eq "an unreachable remote: exit 1" "$?" "1"
check_contains "it says the fetch failed" "$out" "git fetch failed"
case "$out" in *s3cr3t*) notok "the password is not shown" "$out" ;; *) ok "the password is not shown" ;; esac

# --- kill -9 during sync: the library loads and git accepts the repository -------------------------------------------
git -C "$T_TMP/c" pull -q 2>/dev/null
bad=""
i=0
while [ $i -lt "${SYNC_KILLS:-12}" ]; do
    i=$((i + 1))
    as Cy c update team/greet --message "$(msg "kill $i")" >/dev/null 2>&1
    as Ada a update x --message "$(msg "meanwhile $i")" >/dev/null 2>&1; as Ada a sync >/dev/null 2>&1
    setsid sh -c 'PROMPTDECK_AUTHOR=Cy "$1" --library "$2" sync >/dev/null 2>&1' sh "$PROMPTDECK" "$T_TMP/c/lib" &
    pid=$!
    sleep "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 150 + 5 )))"
    kill -9 -- -$pid 2>/dev/null
    wait $pid 2>/dev/null
    as x c list --json >"$T_TMP/kill.json" 2>"$T_TMP/kill.err" || bad="$bad round $i: list failed: $(cat "$T_TMP/kill.err");"
    grep -q '"damaged"' "$T_TMP/kill.json" && bad="$bad round $i: damaged;"
    git -C "$T_TMP/c" fsck --no-progress >/dev/null 2>&1 || bad="$bad round $i: git fsck failed;"
    git -C "$T_TMP/c" status --porcelain >/dev/null 2>&1 || bad="$bad round $i: git status failed;"
    # what a user does after an interrupted git: drop the stale lock and the half-done merge
    rm -f "$T_TMP/c/.git/index.lock"
    [ -e "$T_TMP/c/.git/MERGE_HEAD" ] && git -C "$T_TMP/c" merge --abort 2>/dev/null
done
check_eq "kill -9 during sync: the library loads and git accepts the repository every time" "$bad" ""
check_contains "after the kills, sync completes" "$(as Cy c sync 2>&1)" "origin/main"
as Ada a sync >/dev/null 2>&1
saved=$(vjson c team/greet | py 'sorted(v["messages"][0]["content"] for v in j if v["messages"][0]["content"].startswith("kill "))')
check_eq "every version saved before a kill is there once" "$saved" \
    "$(python3 -c "print(sorted('kill %d' % i for i in range(1, ${SYNC_KILLS:-12} + 1)))")"

# --- random interleaving: three clones, seeded, bounded --------------------------------------------------------------
for d in a b c; do git -C "$T_TMP/$d" config pull.rebase false; as "$d" "$d" sync >/dev/null 2>&1; done
python3 - "$PROMPTDECK" "$T_TMP" "${SYNC_SEED:-9}" "${SYNC_ROUNDS:-30}" >"$T_TMP/random.out" 2>&1 <<'EOF'
import json, os, random, subprocess, sys, time
pd, tmp, seed, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
clones = ["a", "b", "c"]
slugs = ["team/greet", "x", "y", "r/one", "r/two"]
labels = ["production", "staging"]
saved = []          # every content a clone reported saved
problems = []
def run(clone, *args):
    env = dict(os.environ, PROMPTDECK_AUTHOR="clone-" + clone)
    return subprocess.run([pd, "--library", os.path.join(tmp, clone, "lib")] + list(args), env=env,
                          capture_output=True, text=True)
def versions(clone, slug):
    r = run(clone, "versions", slug, "--json")
    return json.loads(r.stdout) if r.returncode == 0 else []
ops = {"save": 0, "label": 0, "meta": 0, "sync": 0, "pull": 0}
start = time.time()
for slug in ("r/one", "r/two"):
    if run("a", "create", slug, "--name", slug, "--model", "m", "--provider", "openai", "--message", "user=" + slug + " 0").returncode == 0:
        saved.append(slug + " 0")
run("a", "sync")
for rnd in range(rounds):
    for clone in clones:
        for k in range(rng.randint(1, 3)):
            op = rng.choice(["save", "save", "save", "label", "meta", "sync", "pull"])
            slug = rng.choice(slugs)
            if op == "save":
                content = "%s r%d.%d %s" % (clone, rnd, k, slug)
                r = run(clone, "update", slug, "--message", "user=" + content)
                if r.returncode == 0 and "saved version" in r.stdout:
                    saved.append(content)
                elif r.returncode != 0 and "no prompt" not in r.stderr:   # (not pulled here yet)
                    problems.append("update %s on %s: %s" % (slug, clone, r.stderr.strip()))
            elif op == "label":
                vs = versions(clone, slug)
                if vs:
                    n = rng.choice(vs)["version"]
                    r = run(clone, "label", slug, rng.choice(labels), str(n))
                    if r.returncode != 0 and "two versions" not in r.stderr:   # (a shared number is refused)
                        problems.append("label on %s: %s" % (clone, r.stderr.strip()))
            elif op == "meta":
                field = rng.choice(["--name", "--description"])
                run(clone, "update", slug, field, "%s by %s r%d" % (field[2:], clone, rnd))
            elif op == "sync":
                r = run(clone, "sync")
                if r.returncode != 0:
                    problems.append("sync on %s round %d: %s" % (clone, rnd, r.stderr.strip()))
            else:   # a plain git commit and pull, as someone not using sync would
                d = os.path.join(tmp, clone)
                subprocess.run(["git", "-C", d, "add", "-A"], capture_output=True)
                subprocess.run(["git", "-C", d, "commit", "-q", "-m", "by hand"], capture_output=True)
                r = subprocess.run(["git", "-C", d, "pull", "-q", "--no-edit"], capture_output=True, text=True)
                if r.returncode != 0:
                    problems.append("git pull on %s: %s" % (clone, r.stderr.strip()))
            ops[op] += 1
# settle: every clone syncs, twice round
for _ in range(2):
    for clone in clones:
        r = run(clone, "sync")
        if r.returncode != 0:
            problems.append("final sync on %s: %s" % (clone, r.stderr.strip()))
views = {}
found = {}
for clone in clones:
    lst = json.loads(run(clone, "list", "--json").stdout)
    vs = {p["slug"]: versions(clone, p["slug"]) for p in lst}
    views[clone] = json.dumps([lst, vs], sort_keys=True)
    contents = [v["messages"][0]["content"] for slug in vs for v in vs[slug]]
    found[clone] = contents
    for p in lst:
        if p.get("damaged") or p.get("duplicate_numbers"):
            problems.append("%s: %s damaged or with shared numbers" % (clone, p["slug"]))
    for slug in vs:
        nums = [v["version"] for v in vs[slug]]
        if nums != list(range(1, len(nums) + 1)):
            problems.append("%s: %s numbers %s" % (clone, slug, nums))
if len(set(views.values())) != 1:
    problems.append("the clones differ")
for clone in clones:
    missing = [c for c in saved if found[clone].count(c) != 1]
    if missing:
        problems.append("%s: %d saved versions not present exactly once, e.g. %s" % (clone, len(missing), missing[:3]))
print("# rounds %d, seed %d, clones 3, operations %s, %.1f s" % (rounds, seed, ops, time.time() - start))
print("# versions saved by the rounds: %d; found on each clone (of them / in all, with the scenarios above): %s"
      % (len(saved), ", ".join("%s %d / %d" % (c, sum(1 for x in found[c] if x in set(saved)), len(found[c])) for c in clones)))
print("# saved versions present exactly once on every clone: %s" % ("yes" if not any("exactly once" in p for p in problems) else "no"))
for p in problems[:10]:
    print("PROBLEM " + p)
EOF
grep '^# ' "$T_TMP/random.out"
check_eq "random interleaving: every clone identical, every saved version there exactly once, numbers 1..n" \
    "$(grep '^PROBLEM\|Traceback\|Error' "$T_TMP/random.out")" ""
