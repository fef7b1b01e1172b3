# promptdeck.bash: bash completion for promptdeck (installed as
# share/bash-completion/completions/promptdeck; or: source completion/promptdeck.bash).
# The program answers: `promptdeck __complete WORD...` prints the words that fit where the last
# WORD is typed, one a line, or ":file" / ":dir" when a file or folder name goes there.

_promptdeck() {
    local cur=${COMP_WORDS[COMP_CWORD]} i w join=0
    local -a words=() out=()
    # bash splits --opt=value at '=' (COMP_WORDBREAKS): the program is given whole words
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((${#words[@]})) && [[ $w == = || $join == 1 ]]; then
            words[${#words[@]} - 1]+=$w
            [[ $w == = ]] && join=1 || join=0
        else
            words+=("$w")
            join=0
        fi
    done
    # bash replaces cur, the end of the last word: answers lose what the word has before cur
    local last=${words[${#words[@]} - 1]}
    local before=${last%"$cur"}
    local prog=${COMP_WORDS[0]}
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    mapfile -t out < <("$prog" __complete "${words[@]}" 2>/dev/null)
    COMPREPLY=()
    case ${out[0]-} in
    :file | :dir)
        # a file or folder name, the whole word or after --opt=
        local value=$cur lead=
        if [[ $cur == = ]]; then
            value= lead==
        elif [[ $cur == -*=* ]]; then
            value=${cur#*=} lead=${cur%%=*}=
        fi
        local kind=-f
        [[ ${out[0]} == :dir ]] && kind=-d
        compopt -o filenames 2>/dev/null
        mapfile -t out < <(compgen "$kind" -- "$value")
        for w in "${out[@]}"; do
            COMPREPLY+=("$lead$w")
        done
        ;;
    *)
        for w in "${out[@]}"; do
            printf -v w '%q' "${w#"$before"}"
            COMPREPLY+=("$w")
        done
        ;;
    esac
}
complete -F _promptdeck promptdeck
