#!/bin/sh
# fabric_import.sh: the fabric library (180 prompts, 654 versions, one 230 KB message) imports,
# and every prompt, version and message comes back from list/versions/show --json exactly as in
# the file; importing twice adds nothing; export -> import into empty -> export is the same.
. "$(dirname "$0")/lib.sh"

src="$PD_SHARED/data/fabric-library.json"
if [ ! -f "$src" ]; then
    notok "fabric library present" "$src is missing"
    exit 0
fi
mkdir -p "$LIB"
out=$(pd import "$src" 2>&1)
check_contains "import: every prompt and version" "$out" "180 prompts created, 654 versions added"

# Everything the library gives back, gathered through the command line.
pd list --json >"$T_TMP/list.json"
python3 - "$T_TMP/list.json" "$T_TMP/slugs" <<'EOF'
import json, sys
with open(sys.argv[2], "w") as f:
    for p in json.load(open(sys.argv[1])):
        f.write(p["slug"] + "\n")
EOF
mkdir -p "$T_TMP/versions" "$T_TMP/shows"
while read -r slug; do
    f=$(echo "$slug" | tr '/' '_')
    pd versions "$slug" --json >"$T_TMP/versions/$f.json" || echo "versions $slug failed" >>"$T_TMP/errors"
    pd show "$slug" --json >"$T_TMP/shows/$f.json" || echo "show $slug failed" >>"$T_TMP/errors"
done <"$T_TMP/slugs"
check_eq "versions and show succeed for every prompt" "$(cat "$T_TMP/errors" 2>/dev/null)" ""
# show --version N for a sample of older versions, including analyze-prose's 58
for n in 1 17 58; do
    pd show analyze-prose --version "$n" --json >"$T_TMP/shows/analyze-prose@$n.json"
done

result=$(python3 - "$src" "$T_TMP" <<'EOF'
import json, os, sys
src, tmp = sys.argv[1], sys.argv[2]
doc = json.load(open(src))
listed = {p["slug"]: p for p in json.load(open(os.path.join(tmp, "list.json")))}
problems = []
def bad(msg):
    if len(problems) < 20:
        problems.append(msg)
if sorted(listed) != sorted(p["slug"] for p in doc["prompts"]):
    bad("list: slugs differ")
for p in doc["prompts"]:
    s = p["slug"]
    l = listed.get(s)
    if not l:
        continue
    if (l["name"], l["description"], l["current_version"]) != (p["name"], p["description"], len(p["versions"])):
        bad("list %s: name/description/current_version differ" % s)
    if l.get("damaged"):
        bad("list %s: damaged" % s)
    f = s.replace("/", "_")
    vs = json.load(open(os.path.join(tmp, "versions", f + ".json")))
    if len(vs) != len(p["versions"]):
        bad("versions %s: %d versions, file has %d" % (s, len(vs), len(p["versions"])))
    for got, want in zip(vs, p["versions"]):
        for k in ("version", "messages", "created_at", "author", "commit_message"):
            if got.get(k) != want.get(k):
                bad("versions %s v%s: %s differs" % (s, want["version"], k))
    show = json.load(open(os.path.join(tmp, "shows", f + ".json")))
    last = p["versions"][-1]
    for k in ("version", "messages", "created_at", "author", "commit_message"):
        if show.get(k) != last.get(k):
            bad("show %s: %s differs from the last version" % (s, k))
prose = next(p for p in doc["prompts"] if p["slug"] == "analyze-prose")
for n in (1, 17, 58):
    show = json.load(open(os.path.join(tmp, "shows", "analyze-prose@%d.json" % n)))
    if show["messages"] != prose["versions"][n - 1]["messages"] or show["version"] != n:
        bad("show analyze-prose --version %d differs" % n)
biggest = max(len(m["content"]) for p in doc["prompts"] for v in p["versions"] for m in v["messages"])
print("\n".join(problems) if problems else "same (largest message %d bytes)" % biggest)
EOF
)
check_contains "list, versions and show give back exactly the file" "$result" "same"

out=$(pd import "$src" 2>&1)
check_contains "importing twice adds nothing" "$out" "0 prompts created, 0 versions added, 654 versions already there"
check_eq "still 180 prompts" "$(pd list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "180"

# export -> import into an empty library -> export: the same document
pd export >"$T_TMP/e1.json"
mkdir -p "$T_TMP/lib2"
"$PROMPTDECK" --library "$T_TMP/lib2" import "$T_TMP/e1.json" >/dev/null
"$PROMPTDECK" --library "$T_TMP/lib2" export >"$T_TMP/e2.json"
check "export/import/export round trip is byte-identical" cmp "$T_TMP/e1.json" "$T_TMP/e2.json"
same=$(python3 - "$src" "$T_TMP/e1.json" <<'EOF'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
key = lambda v: (v["version"], v["messages"], v["created_at"], v["author"], v["commit_message"])
pa = {p["slug"]: (p["name"], p["description"], [key(v) for v in p["versions"]]) for p in a["prompts"]}
pb = {p["slug"]: (p["name"], p["description"], [key(v) for v in p["versions"]]) for p in b["prompts"]}
print("same" if pa == pb else "different")
EOF
)
check_eq "the export holds the imported file's prompts and versions" "$same" "same"

# Each new prompt's folder is built in the trash and renamed into place; the folders above it
# (prompts/ and the library's own parents) are made only when the rename says they are
# missing, not asked for again with every prompt (a mkdir and a stat of each of them per
# prompt: 751 mkdirs of folders already there for these 180 prompts; issue 14).
if command -v strace >/dev/null 2>&1; then
    strace -f -o "$T_TMP/import.trace" -e trace=mkdir,mkdirat \
        "$PROMPTDECK" --library "$T_TMP/lib3" import "$src" >/dev/null 2>&1
    made=$(grep -c 'mkdir' "$T_TMP/import.trace")
    again=$(grep 'EEXIST' "$T_TMP/import.trace" | grep -vc '/\.trash"')
    if [ "$again" -lt 20 ]; then
        ok "import makes the folders above a prompt only when missing ($again of $made mkdirs found one there)"
    else
        notok "import makes the folders above a prompt only when missing" \
            "$again of $made mkdir calls were of a folder already there (one set per prompt?)"
    fi
else
    notok "strace is installed (scripts/deps.sh) to count the folders import makes"
fi
