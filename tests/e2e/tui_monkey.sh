#!/bin/sh
# tui_monkey.sh: random key scripts (fixed seeds, so every run is the same) thrown at the app
# in scripted mode: every pane, prompt and resize in any order must neither crash nor hang
# (under `make check` this runs with AddressSanitizer and UBSan).
. "$(dirname "$0")/lib.sh"
top=${PD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
"$PROMPTDECK" --library "$LIB" import "$top/tests/tui/special.json" >/dev/null 2>&1 || notok "import the test library"
cp -R "$LIB" "$T_TMP/pristine"
# Keys that do not leave the app on purpose (no q/Q on the list, no external programs).
keys='j k g G h l o v d m u c n N W w s z / <Enter> <Esc> <Tab> <S-Tab> <PgDn> <PgUp> <C-d> <C-u> <Lt> > ? P S L U y x H e C R a r D <BS> <Left> <Right> <Home> <End> <Space> t e s <C-l> <Resize 80x24> <Resize 40x10> <Resize 120x40> <Resize 20x5> <Click 3 5> <DoubleClick 5 30> <WheelDown 6 6> <WheelUp 6 60>'
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
    rm -rf "$LIB" && cp -R "$T_TMP/pristine" "$LIB"
    script="$T_TMP/monkey$seed.keys"
    echo "$keys" | awk -v seed="$seed" '{
        n = split($0, k, " "); srand(seed); out = ""
        for (i = 0; i < 400; i++) {
            r = int(rand() * n) + 1; t = k[r]
            if (t == "<Resize") { t = t " " k[r + 1] }
            else if (t ~ /^[0-9x]+>$/ || t ~ /^[0-9]+$/ || t ~ /^[0-9]+>$/) continue
            else if (t == "<Click" || t == "<DoubleClick" || t == "<WheelDown" || t == "<WheelUp") t = t " " k[r + 1] " " k[r + 2]
            print t
        }
        print ":dump end"
    }' >"$script"
    out=$(cd "$T_TMP" && "$PROMPTDECK" --library "$LIB" --script "$script" --size 80x24 --dump "$T_TMP" 2>&1)
    rc=$?
    if [ "$rc" = 0 ] && [ -s "$T_TMP/end" ]; then ok "monkey seed $seed"; else notok "monkey seed $seed (exit $rc)" "$out"; fi
    rm -f "$T_TMP/end"
done
