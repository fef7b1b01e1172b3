#!/bin/sh
# tui_script.sh: runs the app off-terminal on every key script in tests/tui/*.keys and compares
# the screens it dumps with tests/tui/expected/SCRIPT/DUMP (as tig's test harness does).
# A script's header comments choose the library and the screen size:
#   # library: fabric | special      (special = tests/tui/special.json plus the examples)
#   # size: 80x24
#   # config: FILE                   (a config file in tests/tui, given as --config)
#   # theme: FILE                    (a theme file in tests/tui, given as --theme)
# Without a config the script gets one that hides the key bar (keybar = false), so that a
# screen shows what its script tests; scripts about the bar name a config that shows it.
# PD_TUI_UPDATE=1 rewrites the expected dumps from this run (then review them with git diff).
# Some scripts alone: sh tests/run.sh BUILD tui_script NAME...   (NAME: tests/tui/NAME.keys)
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir="$top/tests/tui"
select_scripts "$dir" "$@"
today=$(date -u +%Y-%m-%d)
templates="$T_TMP/templates"
mkdir -p "$templates"

# make_library NAME: a fresh copy of the library named NAME in $HOME/lib (shown as ~/lib).
make_library() {
    if [ ! -d "$templates/$1" ]; then
        case "$1" in
        fabric) src="$PD_SHARED/data/fabric-library.json" ;;
        *) src="$dir/special.json" ;;
        esac
        "$PROMPTDECK" --library "$templates/$1" import "$src" >/dev/null 2>&1 ||
            { notok "import $1 library"; return 1; }
    fi
    rm -rf "$HOME/lib"
    cp -R "$templates/$1" "$HOME/lib"
}

for keys in "$dir"/*.keys; do
    name=$(basename "$keys" .keys)
    selected "$name" || continue
    lib=$(sed -n 's/^# library: *//p' "$keys" | head -n 1)
    size=$(sed -n 's/^# size: *//p' "$keys" | head -n 1)
    conf=$(sed -n 's/^# config: *//p' "$keys" | head -n 1)
    theme=$(sed -n 's/^# theme: *//p' "$keys" | head -n 1)
    rm -f "$HOME/test.conf" "$HOME/test.theme"
    if [ -n "$conf" ]; then cp "$dir/$conf" "$HOME/test.conf"; else echo "keybar = false" >"$HOME/test.conf"; fi
    set -- --config test.conf
    [ -n "$theme" ] && cp "$dir/$theme" "$HOME/test.theme" && set -- "$@" --theme test.theme
    make_library "${lib:-special}" || continue
    rm -rf "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"   # no drafts or settings left by the previous script
    out="$T_TMP/out/$name"
    mkdir -p "$out"
    err=$(cd "$HOME" && "$PROMPTDECK" --library "$HOME/lib" "$@" --script "$keys" --size "${size:-80x24}" --dump "$out" 2>&1)
    rc=$?
    if [ "$rc" != 0 ]; then
        notok "$name: the script runs" "exit $rc: $err"
        continue
    fi
    # dates of versions saved during the run are today's: make them stable
    for f in "$out"/*; do
        [ -f "$f" ] || continue
        sed -e "s/$today[ T][0-9][0-9]:[0-9][0-9]\(:[0-9][0-9]Z\)\{0,1\}/TODAY/g" -e "s/$today/TODAY/g" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
    done
    compare_dumps "$name" "$out" "$dir/expected/$name"
done
