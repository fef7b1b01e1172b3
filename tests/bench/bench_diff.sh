#!/bin/sh
# bench_diff.sh: the diff engine against `diff --minimal` (GNU diffutils) and jsdiff's diffLines
# (npm `diff`, as in Langfuse's diff view) on: every consecutive fabric version pair (per
# message), and synthetic 10,000- and 200,000-line pairs with scattered edits (fixed seed).
# Prints times, ratios and the edit counts of each (they must be equal). Not a pass/fail test.
. "$(dirname "$0")/lib.sh"
prog=$pd
[ -x "$prog" ] || { echo "bench_diff: build first (make BUILD=$build)"; exit 2; }
bench_driver bench_diff
js=yes
if ! command -v node >/dev/null 2>&1; then
    js=no
elif [ ! -d "$bench/node_modules/diff" ]; then
    (cd "$bench" && npm install --no-audit --no-fund >"$tmp/npm.log" 2>&1) || { js=no; echo "bench_diff: npm install failed; jsdiff skipped"; }
fi

# Data sets: a pairs file per set ("A<TAB>B" lines) and diff --minimal's edit count for each.
python3 - "$shared/data/fabric-library.json" "$tmp" <<'PY'
import json, os, random, subprocess, sys
data, tmp = sys.argv[1], sys.argv[2]
def gnu_edits(pairs):
    n = 0
    for a, b in pairs:
        out = subprocess.run(["diff", "--minimal", a, b], capture_output=True).stdout
        n += sum(1 for l in out.split(b"\n") if l[:2] in (b"< ", b"> "))
    return n
def save(name, pairs):
    with open(os.path.join(tmp, name + ".pairs"), "w") as f:
        f.writelines("%s\t%s\n" % p for p in pairs)
    with open(os.path.join(tmp, name + ".gnu"), "w") as f:
        f.write(str(gnu_edits(pairs)))
doc = json.load(open(data, encoding="utf-8"))
d = os.path.join(tmp, "fabric"); os.makedirs(d)
empty = os.path.join(d, "empty"); open(empty, "w").close()
pairs = []
for p in doc["prompts"]:
    files = []
    for v in p["versions"]:
        fs = []
        for i, m in enumerate(v["messages"]):
            f = os.path.join(d, "%s.v%d.m%d" % (p["slug"].replace("/", "_"), v["version"], i))
            open(f, "wb").write(m.get("content", "").encode("utf-8"))
            fs.append(f)
        files.append(fs)
    for k in range(1, len(files)):
        for i in range(max(len(files[k - 1]), len(files[k]))):
            pairs.append((files[k - 1][i] if i < len(files[k - 1]) else empty, files[k][i] if i < len(files[k]) else empty))
save("fabric", pairs)
rnd = random.Random(20261121)
words = "the a prompt model answer user system tool json output input step rule example keep".split()
def synth(name, n, edits):
    a = ["%d %s" % (i, " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8)))) for i in range(n)]
    b = list(a)
    for _ in range(edits):
        k, p = rnd.randrange(3), rnd.randrange(len(b))
        if k == 0: del b[p]
        elif k == 1: b.insert(p, "inserted " + rnd.choice(words))
        else: b[p] = b[p] + " " + rnd.choice(words)
    fa, fb = os.path.join(tmp, name + ".a"), os.path.join(tmp, name + ".b")
    open(fa, "w").write("\n".join(a) + "\n"); open(fb, "w").write("\n".join(b) + "\n")
    save(name, [(fa, fb)])
synth("synthetic-10k", 10000, 100)
synth("synthetic-200k", 200000, 2000)
PY

# glibc gives the memory of each diff back to the kernel and the next diff faults it in again;
# node's heap stays grown. "warm" runs the engine with glibc's thresholds raised, as the heap
# of a long-running program (the app) would be.
warm="glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824"
printf '%-15s %5s %8s %8s %11s %9s %9s %7s %7s %7s  %s\n' set pairs engine warm promptdeck "diff -d" jsdiff gnu/pd js/eng js/warm "edits promptdeck/diff/jsdiff"
for set in fabric synthetic-10k synthetic-200k; do
    case $set in synthetic-200k) reps=5 ;; *) reps=20 ;; esac
    pairs=$(wc -l <"$tmp/$set.pairs")
    set -- $("$DRIVER" "$tmp/$set.pairs" $reps "$prog")
    engine=$1 cmd=$2 gnu=$3 edits=$4
    set -- $(GLIBC_TUNABLES=$warm "$DRIVER" "$tmp/$set.pairs" $((reps * 3)) -)
    wengine=$1
    jms=- jed=-
    if [ "$js" = yes ]; then
        set -- $(node "$bench/bench_diff.js" "$tmp/$set.pairs" $((reps * 3)))
        jms=$1 jed=$2
    fi
    gnued=$(cat "$tmp/$set.gnu")
    echo "$set $cmd $gnu" >>"$tmp/rows"
    awk -v s="$set" -v p="$pairs" -v e="$engine" -v w="$wengine" -v c="$cmd" -v g="$gnu" -v j="$jms" \
        -v ed="$edits" -v ge="$gnued" -v je="$jed" 'BEGIN {
        jr = (j == "-") ? "-" : sprintf("%.1fx", j / e)
        jw = (j == "-") ? "-" : sprintf("%.1fx", j / w)
        same = (ed == ge && (je == "-" || je == ed)) ? "equal" : "DIFFERENT"
        printf "%-15s %5d %8.2f %8.2f %11.1f %9.1f %9s %6.2fx %7s %7s  %s/%s/%s %s\n", s, p, e, w, c, g, j, g / c, jr, jw, ed, ge, je, same
    }'
done
echo "CPU milliseconds per pass over the set. engine = pd_diff_texts in one process (warm: with a"
echo "grown heap); promptdeck and diff -d (= diff --minimal) = the commands, one process per pair;"
echo "jsdiff = diffLines in one node process. gnu/pd compares the two commands."
set -- $("$DRIVER" --startup 50 "$prog")
echo "process start-up alone, CPU ms per run: promptdeck --version $1, diff --version $2"
echo "Goals: gnu/pd >= 1 (no slower than GNU diff), js/engine >= 10."
# issue 14's rows: the command against diff --minimal, CPU ms per pass over the set (ratio =
# promptdeck / GNU: 1.2x faster is <= 0.83, 3x faster <= 0.33)
row_header
while read -r set cmd gnu; do
    case $set in
    synthetic-200k) goal="<= 0.33 (3x faster)" ;;
    *) goal="<= 0.83 (1.2x faster)" ;;
    esac
    row "diff command vs diff --minimal, $set" "$cmd" "$gnu" "$goal"
done <"$tmp/rows"
row "promptdeck --version vs diff --version (start-up)" "$1" "$2" "-"
