#!/bin/sh
# tui_merge_tmux.sh: the real program in tmux at 80x24: J in the timeline merges a teammate's
# version made from the same base; while the merge is on screen a save comes in from the
# command line: the save from the merge is refused (nothing overwritten); reviewed again
# against the new version, whose change the review shows the merge would take back, and saved
# on top of it when the user says so.
. "$(dirname "$0")/lib.sh"
use_tmux
fork_versions team/greet "$(printf 'Hello {{name}}\nline two, mine\nline three\nline four\nline five')" \
    "$(printf 'Hello {{name}}\nline two, theirs\nline three\nline four\nline five, theirs')"
start_app m "$LIB" 80
expect "the app starts" m "Prompts"
tm send-keys -t m / team/greet Enter
tm send-keys -t m j Enter
expect "the timeline shows the fork" m "v3 from v1"
tm send-keys -t m j J
expect "J opens the merge of v2 into v3" m "Merge v2 into v3 of team/greet: 0 of 1 conflict settled"
expect "the conflict side by side" m "| line two, theirs"
tm send-keys -t m Enter
expect "Enter with a conflict left says what to do" m "1 conflict left: o ours, t theirs, b both"
tm send-keys -t m t
expect "t settles it" m "Every conflict is settled"
# a save from the command line while the merge is on screen
pd update team/greet --message system="You are helpful, meanwhile." \
    --message user="$(printf 'Hello {{name}}\nline two, theirs\nline three\nline four\nline five, theirs')" >/dev/null
tm send-keys -t m Enter
expect "Enter reviews the merge" m "Commit message: merge v2 into v3"
tm send-keys -t m y
expect "the stale save is refused" m "Conflict: v4 was saved meanwhile; nothing saved"
check_eq "nothing was saved over v4" "$(pd versions team/greet --json | grep -c '"version":')" 4
tm send-keys -t m q
tm send-keys -t m C-s
expect "the merge reviewed again against v4" m "lines against v4"
expect "the review shows what v4 changed and the merge takes back" m "-You are helpful, meanwhile."
tm send-keys -t m y
expect "saved on top of v4" m "Saved team/greet v5"
check_contains "v5 holds the merge" "$(pd show team/greet)" "Hello {{name}}
line two, mine
line three
line four
line five, theirs"
check_contains "v5's commit message says what was merged" "$(pd show team/greet)" "commit:    merge v2 into v3"
