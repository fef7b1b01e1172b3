#!/bin/sh
# bench_sync.sh: `promptdeck sync` of the benchmark's generated library (10,000 prompts, 50,000
# versions) in a git work tree whose upstream is a bare repository on disk, after one prompt
# changed, against the git commands that sync ran, run by hand on an identical copy (the
# commands are read from git's own trace of the sync: GIT_TRACE2_EVENT, the processes sync
# started itself). What sync adds beyond them is what it does on its own (issue 14: at most
# 1.2x). Commits get fixed dates, so both copies make the same commits. Not a pass/fail test.
# BENCH_PROMPTS / BENCH_VERSIONS change the size.
. "$(dirname "$0")/lib.sh"
prompts=${BENCH_PROMPTS:-10000}
versions=${BENCH_VERSIONS:-50000}
[ -x "$pd" ] || { echo "bench_sync: build first (make): $pd"; exit 2; }
command -v git >/dev/null 2>&1 || { echo "bench_sync: git is not installed"; exit 2; }
bench_driver bench_list
XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" PROMPTDECK_AUTHOR=bench
GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench
GIT_COMMITTER_EMAIL=bench@example.invalid GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
export XDG_CACHE_HOME XDG_STATE_HOME PROMPTDECK_AUTHOR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
    GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_CONFIG_NOSYSTEM HOME
a="$tmp/a"
mkdir -p "$a"
"$DRIVER" gen "$a/work" "$prompts" "$versions" >/dev/null || exit 2
(
    cd "$a/work" && git init -q -b main && git config gc.auto 0 && git config maintenance.auto false &&
        git add -A && git commit -q -m library && git clone -q --bare . ../remote.git &&
        git remote add origin ../remote.git && git fetch -q origin && git branch -q -u origin/main
) || { echo "bench_sync: git setup failed"; exit 2; }
slug=$("$pd" --library "$a/work" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["slug"])')
"$pd" --library "$a/work" update "$slug" --message "user=one changed prompt" >/dev/null || exit 2
cp -a "$a" "$tmp/b"
for d in "$a/work" "$tmp/b/work"; do git -C "$d" status --short >/dev/null; done   # both indexes warm alike

t0=$(date +%s%N)
GIT_TRACE2_EVENT="$tmp/trace.json" "$pd" --library "$a/work" sync >"$tmp/sync.out" 2>&1 || cat "$tmp/sync.out"
t1=$(date +%s%N)
# the same commands by hand, in the copy: each git process sync started (a session id without a
# parent's), with its arguments as git recorded them (the copy's folder for the library's)
set -- $(python3 - "$tmp/trace.json" "$tmp/b/work" "$a/work" <<'PY'
import json, subprocess, sys, time
cmds = []
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    if e.get("event") == "start" and "/" not in e.get("sid", "/"):
        cmds.append(["git"] + [x.replace(sys.argv[3], sys.argv[2]) for x in e["argv"][1:]])   # git -C DIR
t = time.monotonic()
failed = sum(subprocess.run(c, cwd=sys.argv[2], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode != 0 for c in cmds)
print("%.1f %d %d" % ((time.monotonic() - t) * 1000, len(cmds), failed))
PY
)
git_ms=$1 n_git=$2 git_failed=$3
sync_ms=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')
same=no
[ "$(git -C "$a/work" rev-parse HEAD)" = "$(git -C "$tmp/b/work" rev-parse HEAD)" ] && same=yes
echo "wall ms, one run each; sync ran $n_git git commands ($git_failed exit non-zero by hand, as in sync: unset" \
     "config keys); the same commit on both copies: $same"
row_header
row "sync, 1 of $prompts prompts changed, vs its git commands" "$sync_ms" "$git_ms" "<= 1.2"
