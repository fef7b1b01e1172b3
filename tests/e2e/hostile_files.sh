#!/bin/sh
# hostile_files.sh: files planted in the library (FIFOs, symbolic links) never hang a command
# and never redirect a write: each is refused with a message naming it (issue 10).
. "$(dirname "$0")/lib.sh"

mkdir -p "$LIB"
pd create p --name P --model m --provider openai --message "user=one" >/dev/null
pd update p --message "user=two" >/dev/null
pd partial put tone --content "tone 0" >/dev/null

# tpd NAME STATUS NEEDLE ARGS...: pd ARGS returns within 10 s with STATUS and NEEDLE in its output.
tpd() {
    n=$1 want=$2 needle=$3
    shift 3
    o=$(timeout 10 "$PROMPTDECK" --library "$LIB" "$@" 2>&1)
    got=$?
    if [ "$got" = "$want" ]; then check_contains "$n" "$o" "$needle"; else notok "$n" "exit $got, expected $want: $o"; fi
}
# plant FILE: replaces FILE of the library by a FIFO (put back by unplant).
plant() { mv "$1" "$T_TMP/planted"; mkfifo "$1"; }
unplant() { rm -f "$1"; mv "$T_TMP/planted" "$1"; }

pj="$LIB/prompts/p/prompt.json"
plant "$pj"
tpd "list with a FIFO as prompt.json returns, p damaged" 0 "p/prompt.json: not a regular file (a FIFO)" list --json
tpd "show with a FIFO as prompt.json names it" 1 "p/prompt.json: not a regular file (a FIFO)" show p
unplant "$pj"

v2=$(ls "$LIB"/prompts/p/v0002-*.json)
plant "$v2"
tpd "versions with a FIFO as a version file names it" 1 "not a regular file (a FIFO)" versions p
tpd "show with a FIFO as a version file names it" 1 "not a regular file (a FIFO)" show p
unplant "$v2"

ev="$LIB/prompts/p/events.jsonl"
plant "$ev"
tpd "update with a FIFO as events.jsonl names it" 1 "events.jsonl: not a regular file (a FIFO)" update p --message user=x
unplant "$ev"

plant "$LIB/partials/tone/partial.json"
tpd "partial show with a FIFO as partial.json names it" 1 "partial.json: not a regular file (a FIFO)" partial show tone
unplant "$LIB/partials/tone/partial.json"

mkfifo "$LIB/prompts/p/stray"
tpd "a stray FIFO in a prompt folder is passed over" 0 "user" show p
rm "$LIB/prompts/p/stray"

plant "$LIB/.lock"
tpd "a FIFO as the lock file is refused" 1 ".lock: not a regular file (a FIFO)" update p --message user=x
unplant "$LIB/.lock"

plant "$LIB/library.json"
tpd "a FIFO as library.json is refused" 2 "library.json: not a regular file (a FIFO)" list
unplant "$LIB/library.json"

# symbolic links planted in the library lead no write outside it
away="$T_TMP/away"
mkdir -p "$away"
ln -s "$away" "$LIB/prompts/evil"
tpd "create through a linked prompt folder is refused" 1 "prompts/evil: not a directory (a symbolic link)" \
    create evil --name E --model m --provider openai --message user=x
tpd "create below a linked folder is refused" 1 "prompts/evil: not a directory (a symbolic link)" \
    create evil/sub --name E --model m --provider openai --message user=x
tpd "rename onto a linked prompt folder is refused" 1 "not a directory (a symbolic link)" rename p evil
tpd "show through a linked prompt folder is refused" 1 "not a directory (a symbolic link)" show evil
ln -s "$away" "$LIB/partials/evp"
tpd "partial put through a linked folder is refused" 1 "partials/evp: not a directory (a symbolic link)" \
    partial put evp --content hi
mv "$LIB/.lock" "$T_TMP/lock"
ln -s "$away/lock" "$LIB/.lock"
tpd "a symbolic link as the lock file is refused" 1 ".lock: not a regular file (a symbolic link)" \
    update p --message user=x
rm "$LIB/.lock"
mv "$T_TMP/lock" "$LIB/.lock"
check_eq "nothing was written outside the library" "$(ls -A "$away")" ""
rm "$LIB/prompts/evil" "$LIB/partials/evp"

tpd "the library is whole again" 0 "two" show p
