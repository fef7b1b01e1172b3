# completion.sh: shell completion. `promptdeck __complete WORD...` answers from the command table
# (commands, options, option values) and the library (slugs, nested ones too, version numbers,
# labels, tags, partials, run ids), with providers from the provider table, honouring --library
# and PROMPTDECK_LIBRARY on the line, safe for a terminal, without reading version files for
# slugs; the options it offers are those each command's --help documents and the command accepts;
# `make install` installs the bash and zsh scripts, which complete through it when called as the
# shells call them and in real shells (tmux).
. "$(dirname "$0")/lib.sh"

# comp WORD...: the answers on one line.
comp() { "$PROMPTDECK" __complete "$@" </dev/null 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
# has_words NAME GOT WORD...: a test that the answers GOT include every WORD.
has_words() {
    t_n=$1 t_got=" $2 "
    shift 2
    for t_w in "$@"; do
        case "$t_got" in *" $t_w "*) ;; *) notok "$t_n" "missing '$t_w' in: $t_got"; return ;; esac
    done
    ok "$t_n"
}

# ---- a library: the examples, team/greet with two versions, labels, a tag, a partial, a run ----
pd list >/dev/null 2>&1
pd create team/greet --name Greet --model m --provider openai --message user=hi --tag greeting --tag 'my tag' >/dev/null
pd update team/greet --message user=hello >/dev/null
pd label team/greet production 1 >/dev/null
pd label team/greet staging 2 >/dev/null
pd partial put sig --content 'Bye' >/dev/null
pd partial put sig --content 'Bye now' >/dev/null
OPENAI_API_KEY=k pd run team/greet --base-url http://127.0.0.1:1 --connect-timeout 1 >/dev/null 2>&1
RUN_ID=$(pd runs team/greet --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
[ -n "$RUN_ID" ] || notok "a failed run is recorded, for its id"

# ---- the command table ----
commands=$("$PROMPTDECK" --help | sed -n 's/^  promptdeck \([a-z_-]*\).*/\1/p' | tr '\n' ' ' | sed 's/ $//')
check_eq "commands: every one --help lists, in its order" "$(comp '')" "$commands"
check_eq "a command by its start" "$(comp ver)" "versions"
case " $(comp _) $(comp '') " in *__complete*) notok "__complete is hidden" ;; *) ok "__complete is hidden" ;; esac
has_words "the program's options" "$(comp -)" --library --theme --config --help --version --no-mouse --script --size --dump
check_eq "options of a command" "$(comp show team/greet --)" "--version --label --json --help"
check_eq "options of a command by their start" "$(comp run team/greet --max)" "--max-output-tokens --max-answer"
check_eq "after the operands, the options" "$(comp --library "$LIB" versions team/greet '')" "--json --help"
check_eq "update takes create's options" "$(comp update x --desc)" "--description"
check_eq "a choice of words" "$(comp template render --escape '')" "html none"
check_eq "a choice by its start" "$(comp update team/greet --unset max)" "max-output-tokens"
check_eq "subcommands" "$(comp template '')" "render vars"
check_eq "a free text value: nothing" "$(comp --library "$LIB" create x --name '')" ""

# ---- the library ----
has_words "slugs" "$(comp --library "$LIB" show '')" team/greet examples/summarize examples/translate
check_eq "a nested slug by its folder" "$(comp --library "$LIB" show team/)" "team/greet"
check_eq "slugs after options" "$(comp --library "$LIB" run --json --var a=b team/g)" "team/greet"
check_eq "version numbers of the slug" "$(comp --library "$LIB" show team/greet --version '')" "1 2"
check_eq "version numbers, --version=N" "$(comp --library="$LIB" show team/greet --version=)" "--version=1 --version=2"
check_eq "the version operand of label" "$(comp --library "$LIB" label team/greet production '')" "1 2"
check_eq "labels of the slug" "$(comp --library "$LIB" show team/greet --label '')" "production staging"
check_eq "labels by their start" "$(comp --library "$LIB" render team/greet --label st)" "staging"
has_words "labels of the library (list --label)" "$(comp --library "$LIB" list --label '')" production staging
check_eq "versions, labels and latest for diff" "$(comp --library "$LIB" diff team/greet 1 '')" "1 2 production staging latest"
has_words "tags of the library" "$(comp --library "$LIB" list --tag '')" greeting
check_eq "tags by their start" "$(comp --library "$LIB" list --tag=gre)" "--tag=greeting"
has_words "partials" "$(comp --library "$LIB" partial show '')" sig
check_eq "a partial's versions" "$(comp --library "$LIB" partial show sig --version '')" "1 2"
check_eq "run ids of the slug" "$(comp --library "$LIB" runs team/greet '')" "$RUN_ID"
has_words "providers from the provider table" "$(comp run team/greet --provider '')" openai anthropic google
check_eq "providers by their start" "$(comp create x --provider=anth)" "--provider=anthropic"
check_eq "a file: the shell's" "$(comp import '')" ":file"
check_eq "a file after --opt=" "$(comp render x --vars-file=)" ":file"
check_eq "diff --files: files" "$(comp diff --files a '')" ":file"
check_eq "--library: a folder" "$(comp --library '')" ":dir"

# ---- which library: --library, PROMPTDECK_LIBRARY, ~ ----
check_eq "no library given, none by default: nothing" "$(comp show '')" ""
check_eq "PROMPTDECK_LIBRARY" "$(PROMPTDECK_LIBRARY="$LIB" comp show team/)" "team/greet"
mkdir -p "$T_TMP/other"
"$PROMPTDECK" --library "$T_TMP/other/lib" create solo --name S --model m --provider openai --message user=x >/dev/null
check_eq "--library on the line wins over PROMPTDECK_LIBRARY" \
    "$(PROMPTDECK_LIBRARY="$LIB" comp --library "$T_TMP/other/lib" show s)" "solo"
mv "$T_TMP/other/lib" "$HOME/lib2"
check_eq "--library ~/DIR" "$(comp --library '~/lib2' show so)" "solo"
check_eq "a library that is not there: nothing" "$(comp --library "$T_TMP/none" show '')" ""
[ ! -e "$T_TMP/none" ] && ok "a library that is not there is not made" || notok "a library that is not there is not made"

# ---- safe text: a tag with an escape sequence and a bidi override (an import lets them in) ----
cat >"$T_TMP/esc.json" <<'EOF'
{"format": "promptdeck-export", "format_version": 1, "prompts": [{"slug": "esc", "name": "E",
 "tags": ["x\u001b[31my", "\u202etrojan"], "labels": {}, "versions": [{"version": 1,
 "messages": [{"role": "user", "content": "hi"}], "created_at": "2024-01-01T00:00:00Z"}]}]}
EOF
if pd import "$T_TMP/esc.json" >/dev/null 2>&1; then
    tags=$("$PROMPTDECK" __complete --library "$LIB" list --tag '')
    if printf '%s' "$tags" | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
        notok "answers hold no control characters" "$tags"
    else
        has_words "answers are made safe (^[, <U+202E>)" "$(printf '%s' "$tags" | tr '\n' ' ')" 'x^[[31my' '<U+202E>trojan'
    fi
else
    ok "the import refuses control characters in tags: nothing to make safe # $(pd import "$T_TMP/esc.json" 2>&1)"
fi

# ---- fast: slugs come from the listing, no version file is read ----
if command -v strace >/dev/null 2>&1; then
    sleep 3   # what changed in the last 2 s is read again: let the library settle, list it once
    pd list >/dev/null
    opened=$(strace -f -e trace=open,openat -o "$T_TMP/trace" "$PROMPTDECK" __complete --library "$LIB" show '' >/dev/null 2>&1
        grep -c '/v[0-9][0-9]*[.-]' "$T_TMP/trace")
    check_eq "slugs are completed without reading a version file" "$opened" "0"
else
    notok "strace is installed (scripts/deps.sh) to count the files slug completion opens"
fi

# ---- the table against the commands: what --help documents and what the command accepts ----
# opts_of TEXT: the long options TEXT names, one a line, --help left out (every command has it).
opts_of() { printf '%s\n' "$1" | grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sort -u; }
# not_in A B: the lines of A that are not lines of B, on one line.
not_in() {
    printf '%s\n' "$2" >"$T_TMP/lines"
    printf '%s\n' "$1" | grep -vxF -f "$T_TMP/lines" | tr '\n' ' ' | sed 's/ $//'
}
check_options() {   # check_options CMD: the options completed for CMD against its --help and parser
    cmd=$1
    sub=""
    case $cmd in partial | template) sub=$(comp "$cmd" '' | cut -d' ' -f1) ;; esac
    offered=$(opts_of "$(comp "$cmd" ${sub:+"$sub"} --)")
    help=$("$PROMPTDECK" "$cmd" --help 2>&1)
    [ "$cmd" = update ] && help="$help $("$PROMPTDECK" create --help 2>&1)"   # "every option of create"
    check_eq "$cmd: every option --help documents is completed" "$(not_in "$(opts_of "$help")" "$offered")" ""
    check_eq "$cmd: every option completed is in --help" "$(not_in "$offered" "$(opts_of "$help")")" ""
    refused=""
    for o in $offered; do
        out=$(cd "$T_TMP" && "$PROMPTDECK" --library "$T_TMP/scratch" "$cmd" $sub "$o" 1 </dev/null 2>&1)
        case $out in *"unknown option"* | *"unexpected argument '-"* | *"needs a value"*) refused="$refused $o" ;; esac
        values=$(comp "$cmd" ${sub:+"$sub"} "$o" '')
        case $values in ":"* | "" | -*) continue ;; esac   # a file, free text, or a flag
        for v in $values; do   # a choice offered is one the command takes
            out=$(cd "$T_TMP" && "$PROMPTDECK" --library "$T_TMP/scratch" "$cmd" $sub "$o" "$v" </dev/null 2>&1)
            case $out in *"'$v'"*) refused="$refused $o=$v" ;; esac
        done
    done
    check_eq "$cmd: the command takes every option completed" "$refused" ""
}
for c in $commands; do
    check_options "$c"
done
check_eq "every program option --help documents is completed" \
    "$(not_in "$(opts_of "$("$PROMPTDECK" --help | sed -n '/^Options:/,$p')")" "$(opts_of "$(comp --)")")" ""

# ---- make install puts the scripts in place ----
build=${PROMPTDECK#"$PD_TOP"/}
build=${build%/promptdeck}
DEST="$T_TMP/dest"
if out=$(make -s -C "$PD_TOP" BUILD="$build" -o "$build/promptdeck" -o promptdeck install DESTDIR="$DEST" PREFIX=/usr 2>&1); then
    ok "make install DESTDIR=... PREFIX=/usr"
else
    notok "make install DESTDIR=... PREFIX=/usr" "$out"
fi
BASH_SCRIPT="$DEST/usr/share/bash-completion/completions/promptdeck"
ZSH_SCRIPT="$DEST/usr/share/zsh/site-functions/_promptdeck"
check_eq "the bash script installed" "$(cat "$BASH_SCRIPT" 2>&1)" "$(cat "$PD_TOP/completion/promptdeck.bash")"
check_eq "the zsh script installed" "$(cat "$ZSH_SCRIPT" 2>&1)" "$(cat "$PD_TOP/completion/_promptdeck")"
make -s -C "$PD_TOP" BUILD="$build" uninstall DESTDIR="$DEST" PREFIX=/usr >/dev/null 2>&1
[ ! -e "$BASH_SCRIPT" ] && [ ! -e "$ZSH_SCRIPT" ] && ok "make uninstall takes them away" ||
    notok "make uninstall takes them away"
BASH_SCRIPT="$PD_TOP/completion/promptdeck.bash"
ZSH_SCRIPT="$PD_TOP/completion/_promptdeck"

# ---- bash: the function as bash calls it (COMP_WORDS split at '=' as bash splits them) ----
mkdir -p "$T_TMP/files"
: >"$T_TMP/files/doc.json"
: >"$T_TMP/files/dot.txt"
# bcomp WORD...: COMPREPLY for the words (the last one being completed), one line.
bcomp() {
    (cd "$T_TMP/files" && bash --norc --noprofile -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _promptdeck; printf "%s\n" "${COMPREPLY[@]}"' "$BASH_SCRIPT" "$PROMPTDECK" "$@" 2>&1) | tr '\n' ' ' | sed 's/ $//'
}
check_eq "bash: a command" "$(bcomp sh)" "show"
check_eq "bash: a nested slug" "$(bcomp --library "$LIB" show team/)" "team/greet"
check_eq "bash: versions after --version" "$(bcomp --library "$LIB" show team/greet --version '')" "1 2"
check_eq "bash: --library=DIR and --version= (split at =)" \
    "$(bcomp --library = "$LIB" show team/greet --version = '')" "1 2"
check_eq "bash: the cursor just after --label=" "$(bcomp --library "$LIB" show team/greet --label =)" "=production =staging"
check_eq "bash: a tag with a blank, quoted" "$(bcomp --library "$LIB" list --tag my)" 'my\ tag'
check_eq "bash: files" "$(bcomp import d)" "doc.json dot.txt"
check_eq "bash: files after --vars-file=" "$(bcomp render x --vars-file = doc)" "doc.json"
check_eq "bash: options" "$(bcomp versions x --j)" "--json"

# ---- zsh: the function with compadd/_files/compset standing in ----
if command -v zsh >/dev/null 2>&1; then
    check "zsh: the script parses (zsh -n)" zsh -n "$ZSH_SCRIPT"
    zcomp() {
        (cd "$T_TMP/files" && zsh -f -c 'compdef() { :; }; . "$0"
            compadd() { [[ $1 == -- ]] && shift; print -r -- "$@"; }
            compset() { PREFIX=${PREFIX#*=}; }
            _files() { print -r -- _files "$@"; }
            words=("$@"); CURRENT=$#; PREFIX=$words[CURRENT]; _promptdeck' "$ZSH_SCRIPT" "$PROMPTDECK" "$@" 2>&1) |
            tr '\n' ' ' | sed 's/ $//'
    }
    check_eq "zsh: a command" "$(zcomp sh)" "show"
    check_eq "zsh: a nested slug" "$(zcomp --library "$LIB" show team/)" "team/greet"
    check_eq "zsh: --version=N offers the numbers" "$(zcomp --library="$LIB" show team/greet --version=)" "1 2"
    check_eq "zsh: files" "$(zcomp import '')" "_files"
    check_eq "zsh: folders" "$(zcomp --library '')" "_files -/"
else
    notok "zsh is installed (scripts/deps.sh)"
fi

# ---- real shells in tmux: the installed scripts, TAB typed ----
command -v tmux >/dev/null 2>&1 || { notok "tmux is installed"; exit 0; }
SOCK="$T_TMP/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
on_exit 'tmux -S "$SOCK" kill-server 2>/dev/null'
mkdir -p "$T_TMP/bin"
ln -s "$PROMPTDECK" "$T_TMP/bin/promptdeck"
# shows SESSION TEXT: polls the pane until it shows TEXT (5 s at most).
shows() {
    i=0
    while [ "$i" -lt 250 ]; do
        tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
        i=$((i + 1))
        sleep 0.02
    done
    return 1
}
# at_prompt SESSION PROMPT: polls the pane until its last two lines are "ready" and PROMPT alone
# (5 s at most; the command before ends by echoing ready): the shell is waiting for a line, so what
# is typed next goes to its line editor, not to the terminal as type-ahead echoed while a command
# still runs (that echo left the line editor's idea of the screen wrong, and a later completion
# drew over it: "promptpromptdeck show team/greet").
at_prompt() {
    i=0
    while [ "$i" -lt 250 ]; do
        [ "$(tm capture-pane -p -t "$1" 2>/dev/null | sed 's/[[:space:]]*$//' | grep -v '^$' |
            tail -n 2 | tr '\n' ' ')" = "ready $2 " ] && return 0
        i=$((i + 1))
        sleep 0.02
    done
    return 1
}
# tab_test NAME SESSION TYPED EXPECTED: types TYPED and TAB; the line shows EXPECTED.
tab_test() {
    tm send-keys -t "$2" C-u "$3" Tab
    if shows "$2" "$4"; then ok "$1"; else notok "$1" "$(tm capture-pane -p -t "$2")"; fi
}
# tab_tests SHELL SESSION PROMPT: a command, a nested slug and a label after --label=, by TAB.
tab_tests() {
    tab_test "$1 (tmux): a command" "$2" "promptdeck sh" "$3 promptdeck show"
    tab_test "$1 (tmux): a nested slug" "$2" "promptdeck show team/gr" "$3 promptdeck show team/greet"
    tab_test "$1 (tmux): a label after --label=" "$2" "promptdeck show team/greet --label=prod" \
        "$3 promptdeck show team/greet --label=production"
}
# start_shell SESSION PROMPT COMMAND: COMMAND in a new pane; once it shows its first prompt, sets
# PROMPT (written in two pieces: the pane shows PROMPT alone only as the new prompt) and waits.
start_shell() {
    tm new-session -d -s "$1" -x 200 -y 20 "env PATH=$T_TMP/bin:$PATH PROMPTDECK_LIBRARY=$LIB $3"
    i=0
    while [ "$i" -lt 250 ] && [ -z "$(tm capture-pane -p -t "$1" 2>/dev/null | tr -d ' \n')" ]; do
        i=$((i + 1))
        sleep 0.02
    done
    tm send-keys -t "$1" "PS1=$(printf '%s' "$2" | sed "s/^\(..\)\(.*\)/'\1''\2 '/")" Enter
    shows "$1" "$2" || notok "$1: the shell starts" "$(tm capture-pane -p -t "$1")"
}
start_shell b 'bash>' 'bash --norc --noprofile'
tm send-keys -t b ". '$BASH_SCRIPT'; echo rea''dy" Enter
at_prompt b 'bash>' || notok "bash: the script is sourced" "$(tm capture-pane -p -t b)"
tab_tests bash b 'bash>'
if command -v zsh >/dev/null 2>&1; then
    mkdir -p "$T_TMP/zfuncs"
    cp "$ZSH_SCRIPT" "$T_TMP/zfuncs/"
    start_shell z 'zsh>' 'zsh -f'
    tm send-keys -t z "fpath=($T_TMP/zfuncs \$fpath); autoload -U compinit; compinit -u -D; echo rea''dy" Enter
    at_prompt z 'zsh>' || notok "zsh: compinit runs" "$(tm capture-pane -p -t z)"
    tab_tests zsh z 'zsh>'
fi
