# lib.sh: sourced by end-to-end tests. Gives each test a private library and HOME, and
# check/expect helpers that print "ok - " / "not ok - " lines for tests/run.sh.
set -u
: "${PROMPTDECK:?run through tests/run.sh}"
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pd-e2e.XXXXXX")
HOME="$T_TMP/home"; mkdir -p "$HOME"
XDG_DATA_HOME="$HOME/.local/share"; XDG_CONFIG_HOME="$HOME/.config"; XDG_STATE_HOME="$HOME/.local/state"
export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME
unset PROMPTDECK_LIBRARY OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY GOOGLE_API_KEY OPENAI_BASE_URL ANTHROPIC_BASE_URL NO_COLOR
LIB="$T_TMP/lib"
t_cleanup_hooks=""
t_cleanup() { eval "$t_cleanup_hooks"; rm -rf "$T_TMP"; }
trap t_cleanup EXIT
# on_exit CMD: run CMD when the test ends (servers, tmux sessions).
on_exit() { t_cleanup_hooks="$1; $t_cleanup_hooks"; }
# pd ARGS: the program on the test's library.
pd() { "$PROMPTDECK" --library "$LIB" "$@"; }
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | head -n 40 | sed 's/^/#   /'; return 0; }
# check NAME CMD...: passes when CMD exits 0.
check() { n=$1; shift; if o=$("$@" 2>&1); then ok "$n"; else notok "$n" "$o"; fi; }
# check_status NAME STATUS CMD...: passes when CMD exits with STATUS.
check_status() { n=$1; want=$2; shift 2; o=$("$@" 2>&1); got=$?; if [ "$got" = "$want" ]; then ok "$n"; else notok "$n" "exit $got, expected $want: $o"; fi; }
# check_eq NAME GOT EXPECTED
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got:
$2
expected:
$3"; fi; }
# check_contains NAME HAYSTACK NEEDLE
check_contains() { case "$2" in *"$3"*) ok "$1" ;; *) notok "$1" "missing '$3' in:
$2" ;; esac; }
