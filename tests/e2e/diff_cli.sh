#!/bin/sh
# diff_cli.sh: `promptdeck diff SLUG V1 V2` on prompts made with create/update: control
# characters in prompt text never reach the terminal raw (unified, --word, --side-by-side),
# labels and numbers name versions, settings changes show as sorted JSON, -U works.
. "$(dirname "$0")/lib.sh"
ESC=$(printf '\033')
pd create esc --name Esc --model m1 --provider openai --temperature 0.7 \
    --message "system=$(printf 'hello \033[31mred\033[0m\nsecond line')" >/dev/null 2>&1 ||
    notok "create a prompt" "$(pd create esc --name Esc --model m1 --provider openai --message system=x 2>&1)"
pd update esc --message "system=$(printf 'hello \033[32mgreen\033[0m\nsecond line')" >/dev/null 2>&1
pd update esc --model m2 >/dev/null 2>&1
for mode in "" --word --side-by-side; do
    out=$(pd diff esc 1 2 $mode)
    case "$out" in
    *"$ESC"*) notok "diff $mode never prints raw escapes" "$(printf '%s' "$out" | cat -v)" ;;
    *) check_contains "diff $mode shows the escape escaped" "$out" "^[[" ;;
    esac
done
check_status "diff of two versions exits 1" 1 pd diff esc 1 2
check_status "diff of a version with itself exits 0" 0 pd diff esc 2 2
check_status "latest is a version name" 0 pd diff esc latest 3
check_status "an unknown label exits 2" 2 pd diff esc 1 nosuchlabel
out=$(pd diff esc 2 3)
check_contains "a settings change shows in sorted JSON" "$out" '-  "model": "m1",
+  "model": "m2",'
check_contains "numbers read as written" "$out" '"temperature": 0.7'
check_eq "-U0 gives only changed lines" "$(pd diff -U0 esc 2 3 | grep -c '^[ ]')" "0"
check_contains "labels name the versions" "$(pd diff esc v1 v3)" "--- esc@1
+++ esc@3"
