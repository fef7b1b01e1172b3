#!/bin/sh
# tui_editor.sh: the editor pane off-terminal: runs tests/tui/editor/*.keys in name order,
# compares the screens they dump with tests/tui/editor/expected/SCRIPT/DUMP, then runs the
# script's checks on the library and the drafts it left. Header lines of a script:
#   # library: special | fabric | keep   (keep: the previous script's library, drafts and all)
#   # size: 80x24
#   # env: NAME=VALUE                    (for the program, e.g. EDITOR)
#   # before: SHELL COMMAND              (run before the program, e.g. a concurrent save)
#   # after: SHELL COMMAND               (checks: check_versions, check_show, check_drafts ...)
# PD_TUI_UPDATE=1 rewrites the expected dumps from this run (review them with git diff).
# Some scripts alone: sh tests/run.sh BUILD tui_editor NAME...   (a `keep` script needs the one
# before it named too: draft1_write draft2_restore)
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir="$top/tests/tui/editor"
select_scripts "$dir" "$@"
previous=""   # the script run last, whose library a `keep` script continues
today=$(date -u +%Y-%m-%d)
drafts="$XDG_STATE_HOME/promptdeck/drafts"
LIB="$HOME/lib"
# the key bar hidden, so that screens show what the scripts test (tui_script's keybar covers it)
mkdir -p "$XDG_CONFIG_HOME/promptdeck" && echo "keybar = false" >"$XDG_CONFIG_HOME/promptdeck/config"

# check_versions SLUG N: the prompt has N versions.
check_versions() {
    n=$(pd versions "$1" --json 2>&1 | grep -c '^    "version": ')
    check_eq "$name: $1 has $2 versions" "$n" "$2"
}
# check_show SLUG TEXT: the current version's JSON holds TEXT.
check_show() {
    check_contains "$name: $1 holds '$2'" "$(pd versions "$1" --json 2>&1)" "$2"
}
# check_drafts N: N draft files, each readable only by the user.
check_drafts() {
    n=$(find "$drafts" -name '*.json' 2>/dev/null | wc -l | tr -d ' ')
    check_eq "$name: $1 drafts on disk" "$n" "$1"
    bad=$(find "$drafts" -name '*.json' ! -perm 600 2>/dev/null)
    check_eq "$name: drafts are mode 600" "$bad" ""
}
# check_draft_holds TEXT: a draft holds TEXT.
check_draft_holds() {
    check_contains "$name: the draft holds '$1'" "$(cat "$drafts"/*.json 2>/dev/null)" "$1"
}

for keys in "$dir"/*.keys; do
    name=$(basename "$keys" .keys)
    selected "$name" || { previous=""; continue; }
    lib=$(sed -n 's/^# library: *//p' "$keys" | head -n 1)
    size=$(sed -n 's/^# size: *//p' "$keys" | head -n 1)
    if [ "$lib" = keep ] && [ -z "$previous" ]; then
        notok "$name: continues the previous script's library: run that one with it"
        continue
    fi
    previous=$name
    if [ "$lib" != keep ]; then
        rm -rf "$LIB" "$XDG_STATE_HOME"
        case "$lib" in
        fabric) src="$PD_SHARED/data/fabric-library.json" ;;
        *) src="$top/tests/tui/special.json" ;;
        esac
        pd import "$src" >/dev/null 2>&1 || { notok "$name: import the $lib library"; continue; }
    fi
    sed -n 's/^# before: *//p' "$keys" >"$T_TMP/before.sh"
    (. "$T_TMP/before.sh") >/dev/null 2>&1
    envs=$(sed -n 's/^# env: *//p' "$keys")
    out="$T_TMP/out/$name"
    mkdir -p "$out"
    err=$(cd "$HOME" && env $envs "$PROMPTDECK" --library "$LIB" --script "$keys" --size "${size:-80x24}" \
        --dump "$out" 2>&1)
    rc=$?
    [ "$rc" = 0 ] || notok "$name: the script runs" "exit $rc: $err"
    for f in "$out"/*; do
        [ -f "$f" ] || continue
        sed -e "s/$today[ T][0-9][0-9]:[0-9][0-9]\(:[0-9][0-9]Z\)\{0,1\}/TODAY/g" -e "s/$today/TODAY/g" \
            -e "s|$HOME|~|g" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
    done
    compare_dumps "$name" "$out" "$dir/expected/$name"
    sed -n 's/^# after: *//p' "$keys" >"$T_TMP/after.sh"
    . "$T_TMP/after.sh"
done
