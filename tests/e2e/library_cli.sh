#!/bin/sh
# library_cli.sh: every library command on a private library: output, --json shapes, exit codes
# (0 ok, 1 not found / conflict, 2 usage), the versioning and label rules, damaged files.
. "$(dirname "$0")/lib.sh"

# py EXPR: evaluates a Python expression over the JSON on stdin (bound to j).
py() { python3 -c "import json,sys; j=json.load(sys.stdin); r=($1); print(repr(r) if isinstance(r, tuple) else r)"; }

# --- a default library starts with the examples ---------------------------------------------
out=$("$PROMPTDECK" list 2>&1)
check_contains "first start creates the default library with examples" "$out" "examples/summarize"
check "default library is under XDG_DATA_HOME" test -f "$XDG_DATA_HOME/promptdeck/library/library.json"
n=$("$PROMPTDECK" list --json | py 'len(j)')
check_eq "examples: four prompts" "$n" "4"
multi=$("$PROMPTDECK" list --json | py 'sum(1 for p in j if p["current_version"] > 1 and p["labels"])')
check "examples: some have several versions and a label" test "$multi" -ge 1
check_status "examples: the tone partial is there" 0 "$PROMPTDECK" partial show tone

# --- an empty directory becomes an empty library ---------------------------------------------
mkdir -p "$LIB"
check_eq "empty library lists nothing" "$(pd list)" ""
check_eq "empty library --json is []" "$(pd list --json)" "[]"

# --- create --------------------------------------------------------------------------------
check_status "create" 0 pd create greet --name "Greeter" --description "Says hello" --model gpt-4o \
    --provider openai --message "system=You are kind." --message "user=Hello {{name}}" --tag demo --tag chat \
    --temperature 0.7 --max-output-tokens 200 --top-p 0.9 --stop END --commit-message "first"
check_status "create: existing slug is a conflict (1)" 1 pd create greet --name G --model m --provider openai --message user=x
check_status "create: bad slug is a usage error (2)" 2 pd create "Bad Slug" --name G --model m --provider openai --message user=x
check_status "create: missing --model is a usage error" 2 pd create x --name G --provider openai --message user=x
check_status "create: no message is a usage error" 2 pd create x --name G --model m --provider openai
check_status "create: unknown role is a usage error" 2 pd create x --name G --model m --provider openai --message robot=hi
check_status "create: unknown option is a usage error" 2 pd create x --bogus
check_status "create: temperature out of range" 2 pd create x --name G --model m --provider openai --message user=x --temperature 9
printf '[{"role": "system", "content": "From a file"}, {"type": "placeholder", "name": "history"}, {"role": "user", "content": "{{q}}"}]' >"$T_TMP/msgs.json"
check_status "create with --messages-file (and a placeholder)" 0 pd create team/chat --name Chat --model claude --provider anthropic --messages-file "$T_TMP/msgs.json"
printf '[{"role": "user", "content": 5}]' >"$T_TMP/bad.json"
out=$(pd create team/bad --name B --model m --provider openai --messages-file "$T_TMP/bad.json" 2>&1)
check_eq "bad --messages-file: exit 2" "$?" "2"
check_contains "bad --messages-file names the field" "$out" "messages[0].content"

# --- show / versions ----------------------------------------------------------------------
j=$(pd show greet --json)
check_eq "show --json: slug, version, messages" "$(echo "$j" | py 'j["slug"], j["version"], j["messages"][1]["content"]')" "('greet', 1, 'Hello {{name}}')"
check_eq "show --json: settings" "$(echo "$j" | py 'j["provider"], j["model"], j["temperature"], j["max_output_tokens"], j["top_p"], j["stop_sequences"]')" "('openai', 'gpt-4o', 0.7, 200, 0.9, ['END'])"
check_eq "show --json: commit message" "$(echo "$j" | py 'j["commit_message"]')" "first"
check_eq "show --json key order is stable" "$(echo "$j" | py 'list(j)[:5]')" "['slug', 'name', 'version', 'labels', 'messages']"
out=$(pd show greet)
check_contains "show: the messages" "$out" "--- user ---"
check_contains "show: the model" "$out" "openai / gpt-4o"
check_eq "show: placeholder" "$(pd show team/chat --json | py 'j["messages"][1]')" "{'type': 'placeholder', 'name': 'history'}"
check_status "show: unknown prompt (1)" 1 pd show nope
check_status "show: unknown version (1)" 1 pd show greet --version 7
check_status "show: --version and --label together (2)" 2 pd show greet --version 1 --label production
check_status "show: no slug (2)" 2 pd show

# --- update: the versioning rules -----------------------------------------------------------
out=$(pd update greet --message "system=You are kind." --message "user=Hi {{name}}!" --commit-message "warmer")
check_contains "update with new messages creates version 2" "$out" "saved version 2"
out=$(pd update greet --message "system=You are kind." --message "user=Hi {{name}}!")
check_contains "same content creates nothing and says so" "$out" "no new version"
check_eq "still two versions" "$(pd versions greet --json | py 'len(j)')" "2"
out=$(pd update greet --temperature 0.2)
check_contains "a model setting alone creates a version" "$out" "saved version 3"
check_eq "version 3 keeps the messages of version 2" "$(pd show greet --json | py 'j["messages"][1]["content"], j["temperature"]')" "('Hi {{name}}!', 0.2)"
out=$(pd update greet --name "Greeter 2" --description "Says hi" --tag x)
check_contains "metadata alone creates no version" "$out" "no new version"
check_eq "metadata changed" "$(pd list --json | py '[(p["name"], p["description"], p["tags"], p["current_version"]) for p in j if p["slug"] == "greet"][0]')" "('Greeter 2', 'Says hi', ['x'], 3)"
check_eq "update --json" "$(pd update greet --unset temperature --json | py 'j["new_version"], j["current_version"]')" "(4, 4)"
check_eq "--unset removed the setting" "$(pd show greet --json | py '"temperature" in j')" "False"
check_status "update: base version out of date is a conflict (1)" 1 pd update greet --base-version 2 --message user=stale
out=$(pd update greet --base-version 2 --message user=stale 2>&1)
check_contains "conflict message says CONFLICT-worthy facts" "$out" "is now at version 4"
check_status "update: current base version is fine" 0 pd update greet --base-version 4 --message "user=fresh"
check_status "update: unknown prompt (1)" 1 pd update nope --temperature 1

# --- versions -----------------------------------------------------------------------------
j=$(pd versions greet --json)
check_eq "versions --json: numbers in order" "$(echo "$j" | py '[v["version"] for v in j]')" "[1, 2, 3, 4, 5]"
check_eq "versions --json: authors and dates" "$(echo "$j" | py 'all(v["author"] and v["created_at"] for v in j)')" "True"
out=$(pd versions greet)
check_contains "versions: newest first with latest marked" "$(echo "$out" | sed -n 2p)" "(latest)"
check_status "versions: unknown prompt (1)" 1 pd versions nope

# --- labels ---------------------------------------------------------------------------------
check_status "label production on v2" 0 pd label greet production 2
check_status "label staging on v4" 0 pd label greet staging 4
check_status "promote production to v4 (moves it)" 0 pd label greet production 4
check_eq "labels after the move" "$(pd list --json | py '[p["labels"] for p in j if p["slug"] == "greet"][0]')" "{'production': 4, 'staging': 4}"
check_eq "show --label" "$(pd show greet --label production --json | py 'j["version"], j["labels"]')" "(4, ['production', 'staging'])"
check_status "rollback production to v1" 0 pd label greet production 1
check_eq "show --label after rollback" "$(pd show greet --label production --json | py 'j["version"]')" "1"
check_eq "latest is implicit" "$(pd show greet --label latest --json | py 'j["version"]')" "5"
check_status "label on a missing version (1)" 1 pd label greet production 9
check_status "label latest is refused (2)" 2 pd label greet latest 1
check_status "label: bad version number (2)" 2 pd label greet production two
check_status "unlabel" 0 pd unlabel greet staging
check_status "unlabel again (1)" 1 pd unlabel greet staging
check_eq "list --label filters" "$(pd list --label production --json | py '[p["slug"] for p in j]')" "['greet']"
check_eq "list --tag filters" "$(pd list --tag x --json | py '[p["slug"] for p in j]')" "['greet']"
check_eq "list QUERY matches name and description" "$(pd list chat --json | py '[p["slug"] for p in j]')" "['team/chat']"
check_status "list: two queries (2)" 2 pd list a b

# --- rename / delete ---------------------------------------------------------------------------
id=$(pd list --json | py '[p["id"] for p in j if p["slug"] == "greet"][0]')
check_status "rename" 0 pd rename greet team/greet
check_eq "rename keeps id and versions" "$(pd list --json | py '[(p["id"], p["current_version"]) for p in j if p["slug"] == "team/greet"][0]')" "('$id', 5)"
check_status "rename onto an existing prompt (1)" 1 pd rename team/greet team/chat
check_status "delete without --yes (2)" 2 pd delete team/greet
check_status "delete --yes" 0 pd delete team/greet --yes
check_status "deleted prompt is gone (1)" 1 pd show team/greet
check "its directory is gone" test ! -e "$LIB/prompts/team/greet"
check_status "delete unknown (1)" 1 pd delete nope --yes

# --- partials --------------------------------------------------------------------------------
check_contains "partial put" "$(pd partial put tone --content 'Be kind.')" "saved version 1"
check_contains "partial put same content" "$(pd partial put tone --content 'Be kind.')" "no new version"
printf 'Be very kind.\n' >"$T_TMP/tone.txt"
check_contains "partial put --file" "$(pd partial put tone --file "$T_TMP/tone.txt" --commit-message kinder)" "saved version 2"
check_eq "partial show" "$(pd partial show tone --version 1)" "Be kind."
check_eq "partial show --json" "$(pd partial show tone --json | py 'j["version"], j["commit_message"]')" "(2, 'kinder')"
check_eq "partial list --json" "$(pd partial list --json | py '[(p["name"], p["current_version"]) for p in j]')" "[('tone', 2)]"
check_status "partial show unknown (1)" 1 pd partial show nope
check_status "partial: unknown subcommand (2)" 2 pd partial frob

# --- terminal safety: control characters never reach the terminal raw ---------------------------
esc=$(printf '\033')
check_status "create refuses an escape sequence in a name (2)" 2 pd create evil --name "$(printf 'Red\033[31m name')" \
    --model m --provider openai --message user=x
pd create evil --name "Red name" --model m --provider openai --message "$(printf 'user=bell\007 esc\033[2J')" \
    --commit-message "$(printf 'commit \033[2J\033]0;title\007')" >/dev/null
out=$(pd list; pd show evil; pd versions evil)
case "$out" in *"$esc"*) notok "no raw escape in list/show/versions" ;; *) ok "no raw escape in list/show/versions" ;; esac
check_contains "escapes are shown visibly" "$out" "^[[2J"
check_eq "--json keeps the text exact" "$(pd show evil --json | py 'j["messages"][0]["content"] == "bell\x07 esc\x1b[2J"')" "True"

# --- damaged files are listed, never hide the rest -------------------------------------------------
printf '{\n  "format_version": 1,\n  "name": "x",\n  oops\n}\n' >"$LIB/prompts/evil/prompt.json"
out=$(pd list)
check_contains "damaged prompt is listed with file:line" "$out" "DAMAGED"
check_contains "the others are still listed" "$out" "team/chat"
check_eq "list --json marks it damaged" "$(pd list --json | py '[(p["slug"], p["damage"].split(": ")[0].endswith("evil/prompt.json:4")) for p in j if p.get("damaged")]')" "[('evil', True)]"
out=$(pd show evil 2>&1)
check_eq "show on a damaged prompt: exit 1" "$?" "1"
check_contains "show names file and line" "$out" "prompt.json:4:"
check_status "versions on a damaged prompt (1)" 1 pd versions evil
check_status "a damaged prompt can be deleted" 0 pd delete evil --yes

# --- import / export ---------------------------------------------------------------------------
pd export >"$T_TMP/all.json"
check_eq "export: format" "$(py 'j["format"], j["format_version"], [p["slug"] for p in j["prompts"]]' <"$T_TMP/all.json")" "('promptdeck-export', 1, ['team/chat'])"
check_status "export one slug" 0 pd export team/chat
check_status "export unknown slug (1)" 1 pd export nope
mkdir -p "$T_TMP/lib2"
check_contains "import" "$("$PROMPTDECK" --library "$T_TMP/lib2" import "$T_TMP/all.json")" "1 prompts created"
check_contains "import twice adds nothing" "$("$PROMPTDECK" --library "$T_TMP/lib2" import "$T_TMP/all.json")" "0 prompts created, 0 versions added"
check_eq "export: partials with all their versions" "$(py '[(p["name"], [(v["version"], v["content"], v.get("commit_message")) for v in p["versions"]]) for p in j["partials"]]' <"$T_TMP/all.json")" \
    "[('tone', [(1, 'Be kind.', None), (2, 'Be very kind.\\n', 'kinder')])]"
# a library that uses a partial goes elsewhere and renders there, the partial with all its versions
mkdir -p "$T_TMP/lib3"
pd create uses-tone --name "Uses tone" --model m --provider openai --message "user={{> tone}} Hi." >/dev/null
pd export >"$T_TMP/withp.json"
check_contains "import with partials: says so" "$("$PROMPTDECK" --library "$T_TMP/lib3" import "$T_TMP/withp.json")" ", 2 partial versions added"
check_eq "import with partials: the versions, dates and messages kept" \
    "$("$PROMPTDECK" --library "$T_TMP/lib3" export | py '[(p["name"], [(v["version"], v["content"], v.get("commit_message"), v["created_at"]) for v in p["versions"]]) for p in j["partials"]]')" \
    "$(py '[(p["name"], [(v["version"], v["content"], v.get("commit_message"), v["created_at"]) for v in p["versions"]]) for p in j["partials"]]' <"$T_TMP/withp.json")"
check_contains "import with partials: the prompt renders there" "$("$PROMPTDECK" --library "$T_TMP/lib3" render uses-tone 2>&1)" "$(printf 'Be very kind.\n Hi.')"
check_eq "import with partials twice adds nothing" "$("$PROMPTDECK" --library "$T_TMP/lib3" import "$T_TMP/withp.json" --json | py 'j["partial_versions_added"], j["versions_added"]')" "(0, 0)"
cp "$T_TMP/withp.json" "$T_TMP/other.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j["partials"][0]["versions"][1]["content"] = "Other."; json.dump(j, open(sys.argv[1], "w"))' "$T_TMP/other.json"
check_contains "import of a partial that differs: a conflict, nothing changed" "$("$PROMPTDECK" --library "$T_TMP/lib3" import "$T_TMP/other.json" 2>&1; "$PROMPTDECK" --library "$T_TMP/lib3" partial show tone)" "partial \"tone\" version 2 differs from the one being imported (nothing imported for it)
Be very kind."
pd delete uses-tone --yes >/dev/null
check_status "import: not JSON (2)" 2 pd import /etc/hostname
check_status "import: missing file (2)" 2 pd import "$T_TMP/none.json"
