#!/bin/sh
# bench_render.sh: the template engine against mustache.js and hogan.js (npm), each in a loop in
# one process, rendering the fabric prompts (latest version of each, every message) with
# generated variable data: the text as written plus a variables block ({{input}}, a {{#context}}
# list, an {{^none}} section, a dotted name). Cases some engine cannot parse are left out of all.
# Prints microseconds per render (parsed once) and per parse+render, and the ratios; the outputs'
# byte counts and hashes show the engines agree. Not a pass/fail test.
. "$(dirname "$0")/lib.sh"
reps=${RENDER_REPS:-30}
bench_driver bench_render
command -v node >/dev/null 2>&1 || { echo "bench_render: node not found"; exit 2; }
if [ ! -d "$bench/node_modules/mustache" ] || [ ! -d "$bench/node_modules/hogan.js" ]; then
    (cd "$bench" && npm install --no-audit --no-fund >"$tmp/npm.log" 2>&1) || { echo "bench_render: npm install failed"; cat "$tmp/npm.log"; exit 2; }
fi

python3 - "$shared/data/fabric-library.json" "$tmp/all.json" <<'PY'
import json, random, re, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
rnd = random.Random(20261121)
words = ("summary prompt model answer user system tool json output input step rule example keep "
         "context quality agile story topic writer essay claim source").split()
def text(n):
    return " ".join(rnd.choice(words) for _ in range(n))
block = ("\n\n# CONTEXT\n{{#context}}\n- {{name}}: {{value}} ({{meta.lang}})\n{{/context}}\n"
         "{{^context}}(no context){{/context}}\n{{^none}}Answer as {{user.name}}.{{/none}}\n\nINPUT:\n{{input}}\n")
cases = []
for p in doc["prompts"]:
    v = p["versions"][-1]
    for m in v["messages"]:
        t = (m.get("content") or "") + block
        data = {"input": text(200), "user": {"name": text(2)}, "meta": {"lang": "en"},
                "context": [{"name": text(1), "value": text(12)} for _ in range(5)]}
        for name in re.findall(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}", t):   # the prompt's own variables
            data.setdefault(name.split(".")[0], text(5))
        cases.append({"template": t, "data": data})
json.dump(cases, open(sys.argv[2], "w"))
PY
"$DRIVER" check "$tmp/all.json" > "$tmp/ok_c"
node "$bench/bench_render.js" check "$tmp/all.json" > "$tmp/ok_js"
python3 - "$tmp/all.json" "$tmp/ok_c" "$tmp/ok_js" "$tmp/work.json" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))
ok = set(open(sys.argv[2]).read().split()) & set(open(sys.argv[3]).read().split())
json.dump([c for i, c in enumerate(cases) if str(i) in ok], open(sys.argv[4], "w"))
print("cases: %d fabric messages, %d parsed by all three engines (%d rejected by promptdeck, %d by mustache.js/hogan.js)"
      % (len(cases), len(ok), len(cases) - len(open(sys.argv[2]).read().split()), len(cases) - len(open(sys.argv[3]).read().split())))
PY
set -- $("$DRIVER" time "$tmp/work.json" "$reps")
c_r=$1 c_pr=$2 c_bytes=$3 c_hash=$4
node "$bench/bench_render.js" time "$tmp/work.json" "$reps" > "$tmp/js.txt"
printf '%-12s %14s %18s %12s %16s   %s\n' engine "render us" "parse+render us" "vs engine" "parse+render vs" "output bytes/hash"
printf '%-12s %14.2f %18.2f %12s %16s   %s/%s\n' promptdeck "$c_r" "$c_pr" 1.0x 1.0x "$c_bytes" "$c_hash"
while read -r name r pr bytes hash; do
    awk -v n="$name" -v r="$r" -v pr="$pr" -v cr="$c_r" -v cpr="$c_pr" -v b="$bytes" -v h="$hash" -v cb="$c_bytes" -v ch="$c_hash" 'BEGIN {
        same = (b == cb && h == ch) ? "same output" : "DIFFERENT output"
        printf "%-12s %14.2f %18.2f %11.1fx %15.1fx   %s/%s %s\n", n, r, pr, r / cr, pr / cpr, b, h, same
    }'
done < "$tmp/js.txt"
echo "us = microseconds per render, averaged over $reps passes of every case; 'vs engine' = how many"
echo "times longer the other engine takes per render. Goal: mustache.js render / promptdeck >= 5."
