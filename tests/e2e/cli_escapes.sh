#!/bin/sh
# cli_escapes.sh: no raw escape sequence reaches a terminal from the command line (issue 10,
# failure 11), and import makes the checks create makes (failure 10). Each command runs under
# script(1) (a real pty) and the bytes the terminal got must hold no ESC, BEL, DEL, C1 control
# or bidi control; into a file, plain output keeps the exact bytes and JSON escapes them.
. "$(dirname "$0")/lib.sh"

# tty_run OUT STDIN ARG...: promptdeck --library LIB ARG... on a pty (stdin from STDIN), all the
# terminal got into OUT; returns the command's exit status. Arguments pass through a file of
# NUL-separated words, so hostile bytes reach promptdeck as they are.
tty_run() {
    t_out=$1 t_in=$2
    shift 2
    printf '%s\0' --library "$LIB" "$@" >"$T_TMP/tty-args"
    script -qefc "xargs -0 -a '$T_TMP/tty-args' '$PROMPTDECK' <'$t_in'" /dev/null </dev/null >"$t_out" 2>&1
}

# raw_controls FILE: prints the raw controls in FILE (ESC, BEL, DEL, other C0 but tab/CR/LF,
# C1 as UTF-8 or single bytes, bidi and other hidden format characters); empty when none.
raw_controls() {
    python3 - "$1" <<'EOF'
import sys
t = open(sys.argv[1], 'rb').read().decode('utf-8', 'surrogateescape')
hidden = set('\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff')
bad = [c for c in t if (ord(c) < 0x20 and c not in '\t\r\n') or 0x7f <= ord(c) <= 0x9f
       or 0xdc80 <= ord(c) <= 0xdc9f or c in hidden]
print(' '.join('U+%04X' % ord(c) for c in bad[:10]))
EOF
}

# check_tty_safe NAME STDIN ARG...: the command's terminal output has no raw control.
check_tty_safe() {
    t_name=$1 t_in=$2
    shift 2
    tty_run "$T_TMP/tty.out" "$t_in" "$@"
    t_bad=$(raw_controls "$T_TMP/tty.out")
    if [ -z "$t_bad" ]; then ok "$t_name"; else notok "$t_name" "raw: $t_bad
$(od -c "$T_TMP/tty.out" | head -n 12)"; fi
}

# --- a library holding hostile text (in the places create allows it) ---------------------------
osc52=$(printf '\033]52;c;aGk=\007')
clear=$(printf '\033[2J')
title=$(printf '\033]0;pwned\007')
csi=$(printf '\302\233')          # U+009B, the one-byte CSI
rlo=$(printf '\342\200\256')      # U+202E RIGHT-TO-LEFT OVERRIDE
mkdir -p "$LIB"
pd create evil --name "Evil ${rlo}eman" --description "desc ${rlo}" --model m --provider openai \
    --message "user=clip ${osc52} clear ${clear} csi ${csi}31m rlo ${rlo} {{x}}" \
    --commit-message "commit ${title}" >/dev/null
check_eq "the hostile prompt is there" "$(pd list --json | python3 -c 'import json,sys; print([p["slug"] for p in json.load(sys.stdin)])')" "['evil']"
: >"$T_TMP/empty"

# --- JSON on a terminal and into a file: never a raw control, the same value -------------------
for args in "list --json" "versions evil --json" "show evil --json" "export" "render evil --json --var x=${csi}"; do
    # shellcheck disable=SC2086
    check_tty_safe "tty: $args has no raw control" "$T_TMP/empty" $args
    # shellcheck disable=SC2086
    pd $args >"$T_TMP/file.json" 2>/dev/null
    check_eq "file: $args has no raw control" "$(raw_controls "$T_TMP/file.json")" ""
done
check_eq "JSON escapes as \\uXXXX, the value is exact" \
    "$(pd show evil --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["content"].count("\x1b"))')" "2"
check_contains "JSON: U+202E written as an escape" "$(pd export)" '\u202E'
check_contains "JSON: C1 written as an escape" "$(pd export)" '\u009B'

# --- plain output: safe on a terminal, exact bytes into a file ----------------------------------
check_tty_safe "tty: render" "$T_TMP/empty" render evil --var "x=${osc52}"
check_contains "tty: render shows the escapes visibly" "$(cat "$T_TMP/tty.out")" '^[]52;c;aGk=^G'
pd render evil --var "x=${osc52}" >"$T_TMP/render.out"
check_contains "file: render keeps the exact bytes" "$(cat "$T_TMP/render.out")" "clip ${osc52} clear ${clear} csi ${csi}31m"
check_tty_safe "tty: show" "$T_TMP/empty" show evil
check_tty_safe "tty: versions" "$T_TMP/empty" versions evil
check_tty_safe "tty: list" "$T_TMP/empty" list

printf '{"x": "%s %s %s %s"}' '\u001b]52;c;aGk=\u0007' '\u001b[2J' '\u009b' '\u202e' >"$T_TMP/data.json"
printf 'a {{{x}}} b {{x}}\n' >"$T_TMP/tpl"
for esc in none html; do
    check_tty_safe "tty: template render --escape $esc" "$T_TMP/tpl" template render --escape $esc --data "$T_TMP/data.json"
done
"$PROMPTDECK" template render --escape none --data "$T_TMP/data.json" <"$T_TMP/tpl" >"$T_TMP/tpl.out"
check_eq "file: template render --escape none keeps the exact bytes" "$(cat "$T_TMP/tpl.out")" \
    "a ${osc52} ${clear} ${csi} ${rlo} b ${osc52} ${clear} ${csi} ${rlo}"

check_tty_safe "tty: run --dry-run (a hostile base URL, the prompt's text)" "$T_TMP/empty" run evil --dry-run \
    --var "x=${osc52}" --base-url "http://localhost/${title}"
pd run evil --dry-run --var "x=${osc52}" >"$T_TMP/dry.out"
sed '1,/^$/d' "$T_TMP/dry.out" >"$T_TMP/dry.body"
check_eq "file: run --dry-run's JSON body has no raw control" "$(raw_controls "$T_TMP/dry.body")" ""
check_tty_safe "tty: run --json --dry-run" "$T_TMP/empty" run evil --dry-run --json --var "x=${osc52}"

# --- diff --files: text escaped on a terminal, exact in a pipe; binary input as diff(1) ---------
printf 'same\nclip %s\nclear %s\ntitle %s\nrlo %s csi %s\n' "$osc52" "$clear" "$title" "$rlo" "$csi" >"$T_TMP/A"
printf 'same\nplain\n' >"$T_TMP/B"
check_tty_safe "tty: diff --files of hostile text" "$T_TMP/empty" diff --files "$T_TMP/A" "$T_TMP/B"
check_tty_safe "tty: diff --files --word" "$T_TMP/empty" diff --files --word "$T_TMP/A" "$T_TMP/B"
check_tty_safe "tty: diff --files -y" "$T_TMP/empty" diff --files -y --width 80 "$T_TMP/A" "$T_TMP/B"
pd diff --files "$T_TMP/A" "$T_TMP/B" >"$T_TMP/diff.out"
check_contains "file: diff --files output is byte-exact patch input" "$(cat "$T_TMP/diff.out")" "-clip ${osc52}"
printf 'bin\000ary %s\n' "$clear" >"$T_TMP/bin1"
printf 'bin\000ary two\n' >"$T_TMP/bin2"
out=$(pd diff --files "$T_TMP/bin1" "$T_TMP/bin2")
check_eq "diff --files of binary files: exit 1" "$?" "1"
check_eq "diff --files of binary files: as diff(1) says it" "$out" "Binary files $T_TMP/bin1 and $T_TMP/bin2 differ"
check_status "diff --files of equal binary files: exit 0" 0 pd diff --files "$T_TMP/bin1" "$T_TMP/bin1"
head -c 3000 /dev/urandom >"$T_TMP/noise"
printf 'text\n' >"$T_TMP/text"
check_eq "diff --files: random bytes against text are binary" "$(pd diff --files "$T_TMP/noise" "$T_TMP/text")" \
    "Binary files $T_TMP/noise and $T_TMP/text differ"
check_tty_safe "tty: diff --files of binary files" "$T_TMP/empty" diff --files "$T_TMP/bin1" "$T_TMP/bin2"

# --- errors echo arguments escaped, on a terminal or not ----------------------------------------
check_tty_safe "tty: runs with a hostile run id" "$T_TMP/empty" runs evil "a${osc52}"
check_contains "the error names the argument visibly" "$(cat "$T_TMP/tty.out")" 'a^[]52;c;aGk=^G'
check_tty_safe "tty: show of a hostile slug" "$T_TMP/empty" show "x${clear}"
check_tty_safe "tty: unknown option" "$T_TMP/empty" list "--${title}"
check_tty_safe "tty: unknown command" "$T_TMP/empty" "frob${csi}"
check_tty_safe "tty: template --escape with a hostile value" "$T_TMP/empty" template render --escape "x${osc52}"
check_tty_safe "tty: diff with a hostile number" "$T_TMP/empty" diff --files -U "${clear}" A B
check_tty_safe "tty: missing file named with escapes" "$T_TMP/empty" diff --files "$T_TMP/no${clear}" "$T_TMP/B"
pd runs evil "a${osc52}" 2>"$T_TMP/err.out"
check_eq "stderr into a file: the echoed argument is escaped too" "$(raw_controls "$T_TMP/err.out")" ""

# --- import makes the checks create makes, naming the prompt -------------------------------------
# import_doc NAME TAGS-JSON: a promptdeck-export document of one prompt "hostile".
import_doc() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
print(json.dumps({"format": "promptdeck-export", "format_version": 1, "prompts": [{
    "slug": "hostile", "name": sys.argv[1], "description": "", "tags": json.loads(sys.argv[2]), "labels": {},
    "versions": [{"version": 1, "messages": [{"role": "user", "content": "hi"}],
                  "created_at": "2026-01-01T00:00:00Z", "author": "a", "commit_message": "c"}]}]}))
EOF
}
check_status "create refuses an escape sequence in a name (2)" 2 pd create x1 --name "a${osc52}" --model m --provider openai --message user=x
check_status "create refuses a newline in a tag (2)" 2 pd create x1 --name x --tag "$(printf 'a\nb')" --model m --provider openai --message user=x
n=0
for case in "name with OSC 52|a${osc52}|[]" "name with ESC[2J|x${clear}|[]" "name with a C1 CSI|x${csi}31m|[]" \
            "name with a newline|two
lines|[]" "tag with a newline|ok|[\"a\\nb\"]" "tag with an escape|ok|[\"\\u001b[31m\"]" \
            "5000-byte tag|ok|[\"$(head -c 5000 /dev/zero | tr '\0' t)\"]"; do
    n=$((n + 1))
    what=${case%%|*}
    rest=${case#*|}
    import_doc "${rest%|*}" "${rest##*|}" >"$T_TMP/import$n.json"
    out=$(pd import "$T_TMP/import$n.json" 2>&1)
    st=$?
    if [ "$st" = 2 ] && case "$out" in *'prompt "hostile"'*) true ;; *) false ;; esac; then
        ok "import refuses a $what, naming the prompt"
    else
        notok "import refuses a $what, naming the prompt" "exit $st: $out"
    fi
    check_eq "import of a $what: nothing imported" "$(pd list --json | python3 -c 'import json,sys; print([p["slug"] for p in json.load(sys.stdin)])')" "['evil']"
done
import_doc "A fine name ${rlo}" '["fine", "two words"]' >"$T_TMP/fine.json"
check_status "import of a prompt create would take" 0 pd import "$T_TMP/fine.json"
tty_run "$T_TMP/tty.out" "$T_TMP/empty" import "$T_TMP/import1.json"
check_eq "tty: the import error shows the name escaped" "$(raw_controls "$T_TMP/tty.out")" ""
