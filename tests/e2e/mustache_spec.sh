#!/bin/sh
# mustache_spec.sh: runs every case of every Mustache spec file in $PD_SHARED/spec/mustache (or
# $MUSTACHE_SPEC_DIR) through `promptdeck template render`; a case passes when the output is
# exactly the expected text. Prints one ok/not ok line per case, named "file: case".
. "$(dirname "$0")/lib.sh"
spec_dir=${MUSTACHE_SPEC_DIR:-$PD_SHARED/spec/mustache}
ls "$spec_dir"/*.json >/dev/null 2>&1 || { notok "mustache spec files in $spec_dir"; exit 0; }
python3 - "$spec_dir" "$PROMPTDECK" "$T_TMP" <<'PY'
import glob, json, os, subprocess, sys
spec_dir, prog, tmp = sys.argv[1:4]
for path in sorted(glob.glob(os.path.join(spec_dir, "*.json"))):
    fname = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)["tests"]
    for case in cases:
        label = "%s: %s" % (fname, case["name"])
        data = os.path.join(tmp, "data.json")
        with open(data, "w", encoding="utf-8") as f:
            json.dump(case.get("data", {}), f)
        args = [prog, "template", "render", "--data", data]
        if "partials" in case:
            partials = os.path.join(tmp, "partials.json")
            with open(partials, "w", encoding="utf-8") as f:
                json.dump(case["partials"], f)
            args += ["--partials-json", partials]
        p = subprocess.run(args, input=case["template"].encode("utf-8"), capture_output=True, timeout=20)
        got = p.stdout.decode("utf-8", "replace")
        if p.returncode == 0 and got == case["expected"]:
            print("ok - " + label)
        else:
            print("not ok - " + label)
            print("#   template: %r" % case["template"])
            if "partials" in case:
                print("#   partials: %r" % case["partials"])
            print("#   data:     %s" % json.dumps(case.get("data", {})))
            print("#   expected: %r" % case["expected"])
            print("#   got:      %r (exit %d) %s" % (got, p.returncode, p.stderr.decode("utf-8", "replace").strip()))
        sys.stdout.flush()
PY
