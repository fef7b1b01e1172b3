#!/bin/sh
# diff_fabric.sh: `promptdeck diff` on every pair of consecutive versions of every fabric prompt:
# edit counts equal `diff --minimal`'s, the unified output applies with patch(1) to give the newer
# text byte for byte; exit codes 0/1/2 as diff(1); version diffs through the library.
. "$(dirname "$0")/lib.sh"
DATA="$PD_SHARED/data/fabric-library.json"
W="$T_TMP/fabric"
mkdir -p "$W"

# One file per message of every version: W/<slug>/v<N>.m<I> (missing messages compare as empty).
python3 - "$DATA" "$W" "$PROMPTDECK" <<'PY'
import json, os, subprocess, sys
data, w, prog = sys.argv[1], sys.argv[2], sys.argv[3]
doc = json.load(open(data, encoding="utf-8"))
empty = os.path.join(w, "empty")
open(empty, "wb").close()
pairs = mism = bad_patch = bad_status = 0
report = []
for p in doc["prompts"]:
    d = os.path.join(w, p["slug"].replace("/", "_"))
    os.makedirs(d, exist_ok=True)
    files = []
    for v in p["versions"]:
        fs = []
        for i, m in enumerate(v["messages"]):
            f = os.path.join(d, "v%d.m%d" % (v["version"], i))
            with open(f, "wb") as fh:
                fh.write(m.get("content", "").encode("utf-8"))
            fs.append(f)
        files.append(fs)
    for k in range(1, len(files)):
        old, new = files[k - 1], files[k]
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else empty
            b = new[i] if i < len(new) else empty
            pairs += 1
            gnu = subprocess.run(["diff", "--minimal", a, b], capture_output=True)
            want = sum(1 for l in gnu.stdout.split(b"\n") if l[:2] in (b"< ", b"> "))
            mine = subprocess.run([prog, "diff", "--files", a, b], capture_output=True)
            body = mine.stdout.split(b"\n")[2:]
            got = sum(1 for l in body if l[:1] in (b"-", b"+"))
            if mine.returncode != (1 if want else 0) or mine.returncode != gnu.returncode:
                bad_status += 1
                report.append("%s m%d: exit %d, diff(1) %d" % (b, i, mine.returncode, gnu.returncode))
            if got != want:
                mism += 1
                report.append("%s vs %s: %d edits, diff --minimal %d" % (a, b, got, want))
            if want:
                work = os.path.join(w, "work")
                with open(a, "rb") as src, open(work, "wb") as dst:
                    dst.write(src.read())
                pr = subprocess.run(["patch", "-s", "--no-backup-if-mismatch", work], input=mine.stdout,
                                    capture_output=True)
                if pr.returncode != 0 or open(work, "rb").read() != open(b, "rb").read():
                    bad_patch += 1
                    report.append("%s: patch did not give the newer text (%s)" % (b, pr.stdout + pr.stderr))
def check(name, good):
    print(("ok - " if good else "not ok - ") + name)
check("fabric: %d message pairs diffed, edit counts equal diff --minimal (%d differ)" % (pairs, mism), mism == 0 and pairs > 400)
check("fabric: unified output applies with patch to give the newer text (%d failed)" % bad_patch, bad_patch == 0)
check("fabric: exit status equals diff(1)'s (%d differ)" % bad_status, bad_status == 0)
for r in report[:20]:
    print("#   " + r)
PY

# exit codes and output on small files
printf 'a\nb\n' >"$W/x"; printf 'a\nb\n' >"$W/y"; printf 'a\nc' >"$W/z"
check_status "identical files exit 0" 0 pd diff --files "$W/x" "$W/y"
check_eq "identical files print nothing" "$(pd diff --files "$W/x" "$W/y")" ""
check_status "different files exit 1" 1 pd diff --files "$W/x" "$W/z"
check_status "a missing file exits 2" 2 pd diff --files "$W/x" "$W/nope"
check_status "a bad option exits 2" 2 pd diff --files "$W/x" "$W/z" --frobnicate
check_status "one file only exits 2" 2 pd diff --files "$W/x"
check_eq "unified text with no newline at end" "$(pd diff --files -U 1 "$W/x" "$W/z")" "--- $W/x
+++ $W/z
@@ -1,2 +1,2 @@
 a
-b
+c
\\ No newline at end of file"
check_eq "-U0 as GNU diff" "$(pd diff -U0 --files "$W/x" "$W/z" | tail -n +3)" "$(diff -U0 "$W/x" "$W/z" | tail -n +3)"
printf 'You are a helpful bot.\n' >"$W/w1"; printf 'You are a terse bot.\n' >"$W/w2"
check_contains "--word shows inline changes" "$(pd diff --word --files "$W/w1" "$W/w2")" "You are a [-helpful-]{+terse+} bot."
out=$(pd diff --side-by-side --width 50 --files "$W/w1" "$W/w2")
check_contains "--side-by-side shows both columns" "$out" "You are a helpful bot.  | You are a terse bot."
printf 'x\033[2Jy\n' >"$W/e1"
out=$(pd diff --word --files "$W/x" "$W/e1")
case "$out" in *"$(printf '\033')"*) notok "--word never prints raw escapes" "$out" ;; *) ok "--word never prints raw escapes" ;; esac

# version diffs through the library
if pd import "$DATA" >/dev/null 2>&1; then
    check_status "diff SLUG 1 2 exits 1" 1 pd diff agility-story 1 2
    check_status "diff SLUG 2 2 exits 0" 0 pd diff agility-story 2 2
    check_status "diff SLUG 1 999 exits 2" 2 pd diff agility-story 1 999
    check_status "diff of an unknown prompt exits 2" 2 pd diff no-such-prompt 1 2
    out=$(pd diff agility-story v1 latest)
    check_contains "version diff has labels" "$out" "--- agility-story@1"
    check_contains "version diff shows the commit" "$out" "+commit: "
    check_contains "version diff shows role blocks" "$out" " [system]"
    pd label agility-story production 1 >/dev/null 2>&1
    check_eq "a label names a version" "$(pd diff agility-story production 1)" ""
else
    notok "import the fabric library for version diffs" "$(pd import "$DATA" 2>&1)"
fi
