#!/bin/sh
# tui_sync_news_tmux.sh: what a sync brought in, shown in the app (issue 9), with real git (a bare
# repository as the remote, two clones) and tmux: clone B syncs versions clone A made; B's
# timeline marks them [new] and B's list marks the prompt (↓) until the next sync; a version made
# from an older one than the version before it shows its base ("from v1") in the timeline and
# the detail; sync --json lists what came in; the record is outside the library, mode 600.
. "$(dirname "$0")/lib.sh"
use_tmux
if ! command -v git >/dev/null 2>&1; then
    notok "git is installed (scripts/deps.sh installs it)"
    exit 0
fi
git config --global user.name "Test Runner"
git config --global user.email runner@example.com
git config --global init.defaultBranch main
R="$T_TMP/remote.git"
git init -q --bare "$R"
git clone -q "$R" "$T_TMP/a" 2>/dev/null
as() { n=$1 d=$2; shift 2; PROMPTDECK_AUTHOR=$n "$PROMPTDECK" --library "$T_TMP/$d/lib" "$@"; }
as Ada a create team/greet --name Greeter --model m --provider openai --message "user=one" >/dev/null 2>&1
as Ada a create team/other --name Other --model m --provider openai --message "user=other" >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
git -C "$T_TMP/a" push -q -u origin main 2>/dev/null
git clone -q "$R" "$T_TMP/b" 2>/dev/null
git clone -q "$R" "$T_TMP/c" 2>/dev/null

# A and C each save a version from v1; C syncs first, so A's becomes v3, made from v1 (a fork);
# A moves production to it. Then B syncs: v2 and v3 come in.
as Cy c update team/greet --message "user=two by cy" >/dev/null 2>&1
as Ada a update team/greet --message "user=two by ada" --commit-message "shorter greeting" >/dev/null 2>&1
as Cy c sync >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
as Ada a label team/greet production 3 >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
out=$(as Bo b sync --json 2>&1)
check_eq "sync --json says what came in" "$(printf '%s' "$out" | python3 -c '
import json,sys
j = json.load(sys.stdin)["incoming"]
print([(p["slug"], len(p["versions"]), p["labels"]) for p in j["prompts"]], j["upstream"])')" \
    "[('team/greet', 2, ['production'])] []"
check_contains "sync says it in words" "$(printf '%s' "$out" | grep 'came in')" "came in: team/greet v2-v3, label production -> v3"
rec=$(ls -t "$XDG_STATE_HOME"/promptdeck/sync/*/last-sync.json 2>/dev/null | head -n 1)   # b synced last
check_eq "the record is outside the library, mode 600" "$(stat -c %a "$rec" 2>&1)" "600"
check "nothing of it in the library" sh -c "! git -C '$T_TMP/b' status --porcelain | grep -q ."
# a link planted where the record goes is never followed: reading it marks nothing, the next sync
# replaces the link with a file and leaves its target alone
echo "not yours" >"$T_TMP/target"
cp "$rec" "$T_TMP/rec.json"
rm "$rec"; ln -s "$T_TMP/target" "$rec"
check_contains "a sync replaces a planted link" "$(as Bo b sync --json 2>&1)" '"incoming"'
check_eq "the link's target is untouched" "$(cat "$T_TMP/target")" "not yours"
check "the record is a file again" test -f "$rec" -a ! -L "$rec"
cp "$T_TMP/rec.json" "$rec"   # (back to what the first sync recorded, for the app below)

start() { start_app "$1" "$T_TMP/b/lib" 80; }
start news
expect "the list" news "Prompts 6/6"
check_contains "the list marks the prompt the sync changed" "$(screen news | grep greet)" "↓ greet"
check_contains "and not the others" "$(screen news | grep other)" "   other"
check_contains "its folder says one of its prompts is marked (seen when folded)" "$(screen news | grep 'team/')" "- team/ (2) ↓"
if screen news | grep -F 'examples/' | grep -qF "↓"; then notok "other folders are not marked" "$(screen news)"; else ok "other folders are not marked"; fi
tm send-keys -t news / g r e e t Enter G Enter
expect "the timeline" news "team/greet: 3 versions"
check_contains "v3 came in: marked new" "$(screen news | grep ' v3 ')" "[new]"
check_contains "v2 came in: marked new" "$(screen news | grep ' v2 ')" "[new]"
if screen news | grep -F '│ v1 ' | grep -qF "[new]"; then notok "v1 was here before: not marked" "$(screen news)"; else ok "v1 was here before: not marked"; fi
check_contains "v3 shows its base" "$(screen news | grep ' v3 ')" "v3 from v1"
if screen news | grep -F '│ v2 ' | grep -qF "from"; then notok "v2 (made from v1) shows no base" "$(screen news)"; else ok "v2 (made from v1) shows no base"; fi
tm send-keys -t news +
expect "zoomed to 80 columns: full names" news "Ada +1 -1"
if screen news | grep -qE '^ *v3 from v1 [0-9:]+ Ada \+1 -1 \[prod\] \[new\] shorter greeting'; then
    ok "zoomed: base, date, author, counts, labels, mark and message fit 80 columns"
else
    notok "zoomed: base, date, author, counts, labels, mark and message fit 80 columns" "$(screen news)"
fi
tm send-keys -t news +
tm send-keys -t news g Enter
expect "the detail of v3" news "team/greet  version 3"
expect "the detail names its base" news "Base:    v1 (made from it, not from v2)"
tm send-keys -t news q q Escape
expect "back in the list" news "Prompts 6/6"
# another sync brought nothing: the marks go
tm send-keys -t news S
expect "S syncs" news "Sync done"
wait_for news "  greet" >/dev/null
check_contains "after another sync the list mark is gone" "$(screen news | grep greet)" "   greet"
tm send-keys -t news / g r e e t Enter G Enter
expect "the timeline again" news "team/greet: 3 versions"
if screen news | grep -qF "[new]"; then notok "after another sync no version is new" "$(screen news)"; else ok "after another sync no version is new"; fi
tm send-keys -t news q q

# A sync whose merge stops (a file outside the library both changed): what the upstream changed
# in the library is marked ⇣ (not pulled yet); sync --json lists it; once pulled by hand, the
# next sync (which brought nothing itself) takes the mark away.
echo "ada's notes" >"$T_TMP/a/NOTES"; git -C "$T_TMP/a" add NOTES; git -C "$T_TMP/a" commit -q -m notes
as Ada a update team/greet --message "user=four" >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
echo "bo's notes" >"$T_TMP/b/NOTES"; git -C "$T_TMP/b" add NOTES; git -C "$T_TMP/b" commit -q -m notes
out=$(as Bo b sync --json 2>/dev/null)
check_eq "a merge that stopped: the upstream's changes are listed, none came in" "$(printf '%s' "$out" | python3 -c '
import json,sys
j = json.load(sys.stdin)["incoming"]
print(j["prompts"], j["upstream"])')" "[] ['team/greet']"
start stopped
expect "the list after a merge that stopped" stopped "Prompts 6/6"
check_contains "the prompt the upstream changed is marked not pulled" "$(screen stopped | grep greet)" "⇣ greet"
check_contains "and its folder" "$(screen stopped | grep 'team/')" "- team/ (2) ⇣"
tm send-keys -t stopped q
git -C "$T_TMP/b" pull -q --no-rebase --no-edit -X theirs >"$T_TMP/pull.log" 2>&1 || cat "$T_TMP/pull.log"
as Bo b sync >/dev/null 2>&1
start merged
expect "the list after a hand merge and a sync" merged "Prompts 6/6"
check_contains "after the next sync no mark; the version pulled by hand is there" "$(screen merged | grep greet)" "   greet  Greeter                             v4"

# sync --check only fetches and records what the upstream changed: from a terminal, the running
# app marks it ⇣ without a key; :sync check in the app does the same; S pulls it (↓).
as Ada a update team/other --message "user=other two" >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
head_before=$(git -C "$T_TMP/b" rev-parse HEAD)
out=$(as Bo b sync --check --json 2>/dev/null)
check_eq "sync --check lists what the upstream changed" "$(printf '%s' "$out" | python3 -c '
import json,sys
j = json.load(sys.stdin)
print(j["incoming"]["upstream"], j["notes"], j["pulled"], j["committed"])')" \
    "['team/other'] ['changed on origin/main, not pulled yet: team/other (sync pulls them)'] False False"
check_eq "sync --check merges nothing" "$(git -C "$T_TMP/b" rev-parse HEAD)" "$head_before"
expect "the running app marks it without a key" merged "⇣ other"
as Ada a update team/greet --message "user=five" >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
tm send-keys -t merged : s y n c Space c h e c k Enter
expect ":sync check in the app says what changed" merged "Check done: changed on origin/main, not pulled yet: team/greet, team/"
check_contains ":sync check marks both" "$(screen merged | grep greet)" "⇣ greet"
tm send-keys -t merged S
expect "S then pulls them" merged "Sync done"
wait_for merged "↓ other" >/dev/null
check_contains "what S pulled is marked as came in" "$(screen merged | grep other)" "↓ other"
check_contains "both" "$(screen merged | grep greet)" "↓ greet"
tm send-keys -t merged q

# B's own version, renumbered by the sync after A's, is not among what came in; A's is.
as Bo b update team/other --message "user=by bo" >/dev/null 2>&1
as Ada a update team/other --message "user=by ada" >/dev/null 2>&1
as Ada a sync >/dev/null 2>&1
out=$(as Bo b sync --json 2>/dev/null)
ada_id=$(as x a versions team/other --json | python3 -c 'import json,sys; print([v["id"] for v in json.load(sys.stdin) if v["messages"][0]["content"] == "by ada"][0])')
check_eq "what came in is A's version only, not B's renumbered one" "$(printf '%s' "$out" | python3 -c '
import json,sys
j = json.load(sys.stdin)
print([(p["slug"], p["versions"]) for p in j["incoming"]["prompts"]], j["renumbered"])')" "[('team/other', ['$ada_id'])] 1"
