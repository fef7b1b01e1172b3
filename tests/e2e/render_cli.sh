#!/bin/sh
# render_cli.sh: `promptdeck render SLUG` (variables, vars file, missing variables, lenient, JSON,
# versions, library partials) and `promptdeck template render|vars` on stdin.
. "$(dirname "$0")/lib.sh"
cd "$T_TMP" || exit 1

# ---- template render / vars ----
printf '{"x": 1, "h": "<b>"}' > data.json
printf 'a{{x}}\n{{h}}' | "$PROMPTDECK" template render --data data.json > out.txt
printf 'a1\n&lt;b&gt;' > want.txt
check "template render prints exactly the result (no newline added, html escaping by default)" cmp out.txt want.txt
check_eq "template render --escape none" "$(printf '{{h}}' | "$PROMPTDECK" template render --data data.json --escape none)" "<b>"
printf '{"p": "[{{x}}]"}' > partials.json
check_eq "template render --partials-json" "$(printf '{{>p}}' | "$PROMPTDECK" template render --data data.json --partials-json partials.json)" "[1]"
o=$(printf 'ok\nx {{}} y' | "$PROMPTDECK" template render --data data.json 2>&1); st=$?
check_eq "template that does not parse: exit 1" "$st" 1
check_contains "template parse error has line:col" "$o" "stdin:2:3: empty tag"
check_eq "template render --lenient keeps what does not parse" \
    "$(printf '{{ x | f }} {{x}} {{}}' | "$PROMPTDECK" template render --data data.json --lenient)" "{{ x | f }} 1 {{}}"
check_status "template render: bad --escape is a usage error" 2 "$PROMPTDECK" template render --escape xml
o=$(printf '{{#items}}{{title}}{{/items}} {{user.name}}' | "$PROMPTDECK" template vars)
check_contains "template vars lists sections" "$o" '"name": "items"'
check_contains "template vars lists dotted names" "$o" '"name": "user.name"'

# a fabric prompt with non-Mustache {{}}: strict says where, lenient renders
python3 - "$PD_SHARED/data/fabric-library.json" > fabric.txt <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["prompts"]:
    for v in p["versions"]:
        for m in v["messages"]:
            if "{{}}" in (m.get("content") or ""):
                sys.stdout.write(m["content"]); sys.exit(0)
PY
if [ -s fabric.txt ]; then
    o=$("$PROMPTDECK" template render --escape none < fabric.txt 2>&1); st=$?
    check_eq "fabric prompt with {{}}: strict fails" "$st" 1
    case "$o" in *"stdin:"[0-9]*:[0-9]*": "*) ok "fabric prompt with {{}}: error says line:col" ;; *) notok "fabric prompt error says line:col" "$o" ;; esac
    check "fabric prompt with {{}}: lenient renders" sh -c "'$PROMPTDECK' template render --lenient --escape none < fabric.txt > /dev/null"
else
    notok "found a fabric prompt containing {{}}"
fi

# ---- render SLUG ----
pd create greet --name Greet --model m --provider openai \
    --message "system=You are {{tone}}." \
    --message "user=Hello {{name}}, {{> sig}}
{{#items}}- {{.}}
{{/items}}" >/dev/null 2>&1
check "create a prompt to render" pd show greet
pd partial put sig --content "-- {{who}}" >/dev/null 2>&1
check "put a library partial" pd partial show sig

printf '{"items": ["a", "b"], "who": "me"}' > vars.json
o=$(pd render greet --var tone=kind --var name=Bo --vars-file vars.json 2>&1)
check_eq "render with --var and --vars-file" "$o" "[system]
You are kind.

[user]
Hello Bo, -- me
- a
- b"
o=$(pd render greet --var name=Bo 2>&1); st=$?
check_eq "missing variables: exit 1" "$st" 1
check_contains "missing variables are listed with message and line" "$o" "missing variables: tone (message 1, line 1), who (message 2, partial sig line 1)"
o=$(pd render greet --lenient 2>&1); st=$?
check_eq "--lenient: exit 0" "$st" 0
check_contains "--lenient: missing values render empty" "$o" "You are .
"
o=$(pd render greet --lenient --json --var tone=calm 2>&1)
check_contains "--json gives the messages" "$o" '"content": "You are calm."'
check_status "render --version of a version that does not exist: exit 1" 1 pd render greet --lenient --version 9
check_status "render --label that does not exist: exit 1" 1 pd render greet --lenient --label nope
check_status "render of a prompt that does not exist: exit 1" 1 pd render nope --lenient
check_status "render without a slug: usage error" 2 pd render
pd partial put sig --content "== {{who}} ==" >/dev/null 2>&1
check_contains "render uses the partial's latest version" "$(pd render greet --lenient --var who=X 2>&1)" "Hello , == X =="
pd create pinned --name Pinned --model m --provider openai --message "user={{> sig@1}}" >/dev/null 2>&1
check_eq "render NAME@N picks a partial's version" "$(pd render pinned --var who=Y 2>&1)" "[user]
-- Y"
o=$(pd render greet --list-vars 2>&1)
check_contains "render --list-vars includes the partial's variables" "$o" '"name": "who"'

# error messages read as one sentence: no doubled separators from nested context
pd create sep-check --name S --model m --provider openai --message 'user=Hi {{who}}' --message 'user={{#open}}x' >/dev/null 2>&1
out=$(pd render sep-check 2>&1)
check_eq "a template error names message, line and column once" "$(echo "$out" | grep -c ': :')" "0"
check_contains "a template error says where" "$out" "message 2:1:"
