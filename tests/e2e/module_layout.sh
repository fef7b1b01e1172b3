#!/bin/sh
# module_layout.sh: the layout ARCHITECTURE.md promises: each folder of api/ and tui/ has one
# public header named after it whose top comment lists every file of the folder; every other
# header is a private one (NAME_priv.h) that refuses other modules; every file opens with a
# comment saying what it is for.
. "$(dirname "$0")/lib.sh"
top=$PD_TOP
for dir in "$top"/api/*/ "$top"/tui/*/; do
    dir=${dir%/}
    mod=$(basename "$dir")
    where=${dir#"$top"/}
    pub="$dir/$mod.h"
    if [ ! -f "$pub" ]; then
        notok "$where has its public header $mod.h"
        continue
    fi
    # the header's top comment: from the first line to the first */
    head=$(sed -n '1,/\*\//p' "$pub")
    missing=""
    others=""
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -e "$f" ] || continue
        n=$(basename "$f")
        [ "$n" = "$mod.h" ] || case "$head" in *" $n "* | *" $n
"*) ;; *) missing="$missing $n" ;; esac
        case "$n" in
        "$mod.h") ;;
        *_priv.h) grep -q "^#ifndef PD_MODULE_$mod\$" "$f" || others="$others $n(no PD_MODULE_$mod guard)" ;;
        *.h) others="$others $n" ;;
        esac
        first=$(head -c 3 "$f")
        [ "$first" = "/* " ] || others="$others $n(no top comment)"
    done
    check_eq "$where/$mod.h lists every file of the folder" "${missing# }" ""
    check_eq "$where: one public header, the rest NAME_priv.h, every file with a top comment" "${others# }" ""
done
