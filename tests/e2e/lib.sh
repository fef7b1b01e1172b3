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
# runs_of SLUG: the folder of SLUG's run records (kept outside the library, under
# $XDG_STATE_HOME/promptdeck/runs/<library key>/; a test has one library).
runs_of() { for t_d in "$XDG_STATE_HOME"/promptdeck/runs/*/"$1"; do echo "$t_d"; return; done; }
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
# check_not_contains NAME HAYSTACK NEEDLE
check_not_contains() { case "$2" in *"$3"*) notok "$1" "unexpected '$3' in:
$2" ;; *) ok "$1" ;; esac; }
# start_fake_provider KEY ANSWER_FILE: starts tests/servers/fake_provider.py on 127.0.0.1
# (stopped when the test ends), logging requests to $T_TMP/req.log; sets PORT, HOLE (a port whose
# connections time out) and SERVER_PID.
start_fake_provider() {
    python3 "$PD_TOP/tests/servers/fake_provider.py" --key "$1" --log "$T_TMP/req.log" --answer-file "$2" \
        >"$T_TMP/port" 2>"$T_TMP/server.err" &
    SERVER_PID=$!
    on_exit "kill $SERVER_PID 2>/dev/null"
    t_i=0
    while [ ! -s "$T_TMP/port" ] && [ $t_i -lt 200 ]; do sleep 0.05; t_i=$((t_i + 1)); done
    read PORT HOLE <"$T_TMP/port"
    [ -n "${PORT:-}" ] || { notok "fake provider started" "$(cat "$T_TMP/server.err")"; exit 1; }
}
# select_scripts DIR [NAME...]: a scripted-screen test runs only the scripts DIR/NAME.keys named on
# its command line (tests/run.sh BUILD TEST NAME...; a NAME may be given as a path or with .keys),
# all of DIR/*.keys without NAMEs; `selected NAME` then says whether NAME is to run.
t_only=""
select_scripts() {
    t_d=$1
    shift
    for t_n in "$@"; do
        t_n=$(basename "$t_n" .keys)
        t_only="$t_only $t_n "
        [ -f "$t_d/$t_n.keys" ] || notok "$t_n: there is a script $t_d/$t_n.keys"
    done
}
selected() {
    [ -z "$t_only" ] && return 0
    case "$t_only" in *" $1 "*) return 0 ;; esac
    return 1
}
# compare_dumps NAME OUT_DIR EXPECTED_DIR: one check per expected screen dump (diff -u shown on
# failure), a failure per dump without an expectation; PD_TUI_UPDATE=1 rewrites the expectations.
compare_dumps() {
    t_name=$1 t_out=$2 t_exp=$3
    if [ "${PD_TUI_UPDATE:-}" = 1 ]; then
        rm -rf "$t_exp"
        mkdir -p "$t_exp"
        cp "$t_out"/* "$t_exp"/ 2>/dev/null
    fi
    t_n=0
    for t_f in "$t_exp"/*; do
        [ -f "$t_f" ] || continue
        t_d=$(basename "$t_f")
        t_n=$((t_n + 1))
        if [ ! -f "$t_out/$t_d" ]; then
            notok "$t_name/$t_d: the script dumps it"
        elif t_o=$(diff -u "$t_f" "$t_out/$t_d"); then
            ok "$t_name/$t_d"
        else
            notok "$t_name/$t_d: screen differs from the expected dump" "$t_o"
        fi
    done
    for t_f in "$t_out"/*; do
        [ -f "$t_f" ] || continue
        [ -f "$t_exp/$(basename "$t_f")" ] || notok "$t_name/$(basename "$t_f"): no expected dump (run with PD_TUI_UPDATE=1)"
    done
    [ "$t_n" -gt 0 ] || notok "$t_name: has expected dumps"
}

# ---- git tests (git_sync, git_team_merge) ----
# use_git: git with a test identity (in the test's HOME); R, a bare repository in the test's
# folder, the clones' remote. Without git the test says so and ends.
use_git() {
    command -v git >/dev/null 2>&1 || { notok "git is installed (scripts/deps.sh installs it)"; exit 0; }
    git config --global user.name "Test Runner"
    git config --global user.email runner@example.com
    git config --global init.defaultBranch main
    git config --global advice.detachedHead false
    R="$T_TMP/remote.git"
    git init -q --bare "$R"
}

# ---- tmux tests (tui_tmux, tui_keys_tmux, tui_live_tmux) ----
# use_tmux: a private tmux server for the test (ended with it); tm runs tmux on it.
use_tmux() {
    command -v tmux >/dev/null 2>&1 || { notok "tmux is installed"; exit 0; }
    SOCK="$T_TMP/tmux.sock"
    on_exit 'tmux -S "$SOCK" kill-server 2>/dev/null'
}
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
# wait_for SESSION TEXT [TRIES]: polls the pane until it shows TEXT (up to TRIES x 20 ms).
wait_for() {
    t_i=0
    while [ "$t_i" -lt "${3:-250}" ]; do
        tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
        t_i=$((t_i + 1))
        sleep 0.02
    done
    return 1
}
# wait_file FILE: polls until FILE exists and is not empty.
wait_file() {
    t_i=0
    while [ "$t_i" -lt 250 ]; do
        [ -s "$1" ] && return 0
        t_i=$((t_i + 1))
        sleep 0.02
    done
    return 1
}
screen() { tm capture-pane -p -t "$1"; }
# start_app SESSION LIBRARY [WIDTH]: the app on LIBRARY in a new session, WIDTH (100) x 24, with
# the test's HOME and XDG folders; the pane stays 30 s after the app ends, to be read.
start_app() {
    tm new-session -d -s "$1" -x "${3:-100}" -y 24 \
        "env TERM=tmux-256color HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
         XDG_DATA_HOME='$XDG_DATA_HOME' XDG_CACHE_HOME='$T_TMP/cache' '$PROMPTDECK' --library '$2'; sleep 30"
}
# expect NAME SESSION TEXT: a test that the screen shows TEXT.
expect() {
    if wait_for "$2" "$3"; then ok "$1"; else notok "$1" "screen lacks '$3':
$(screen "$2")"; fi
}

# ---- merges (merge_cli, tui_merge_tmux) ----
# fork_versions SLUG OURS THEIRS: SLUG's v1 has a system message and five user lines; v2 (user
# text OURS) is saved here and v3 (THEIRS) in a copy of the library made from v1, brought in
# under the next number as git brings a teammate's version: both were made from v1.
fork_versions() {
    pd create "$1" --name Fork --model m1 --provider openai --message system="You are helpful." \
        --message user="$(printf 'Hello {{name}}\nline two\nline three\nline four\nline five')" >/dev/null
    rm -rf "$T_TMP/clone" && cp -r "$LIB" "$T_TMP/clone"
    pd update "$1" --message system="You are helpful." --message user="$2" >/dev/null
    "$PROMPTDECK" --library "$T_TMP/clone" update "$1" --message system="You are helpful." --message user="$3" >/dev/null
    for t_f in "$T_TMP"/clone/prompts/"$1"/v0002-*; do cp "$t_f" "$LIB/prompts/$1/v0003-${t_f##*/v0002-}"; done
    rm -rf "$T_TMP/clone"
}
