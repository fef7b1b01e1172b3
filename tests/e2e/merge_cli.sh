#!/bin/sh
# merge_cli.sh: `promptdeck merge SLUG A B [--dry-run]` on two versions made from one base
# (saved in two copies of the library, the second copy's version brought in as git brings it):
# a conflict prints the merged messages with diff3 -m's markers, exactly as GNU diff3 -m
# merges the same texts, saves nothing and exits 1; a clean merge is saved as a new version
# holding both changes; a version already part of the other is nothing to save.
. "$(dirname "$0")/lib.sh"

fork_versions conflict "$(printf 'Hello {{name}}\nline two, mine\nline three\nline four\nline five')" \
    "$(printf 'Hello {{name}}\nline two, theirs\nline three\nline four\nline five, theirs')"
check_status "a conflict exits 1" 1 pd merge conflict 3 2
out=$(pd merge conflict 3 2 2>/dev/null)
check_eq "the merged messages with markers" "$out" "--- system ---
You are helpful.

--- user ---
Hello {{name}}
<<<<<<< v3
line two, theirs
||||||| v1
line two
=======
line two, mine
>>>>>>> v2
line three
line four
line five, theirs"
check_contains "says what conflicts" "$(pd merge conflict v3 v2 2>&1 >/dev/null)" \
    "1 conflict between v3 and v2 (from v1); nothing saved"
check_eq "nothing saved on a conflict" "$(pd versions conflict --json | grep -c '"version":')" 3
# the same texts through GNU diff3 -m (ours, base, theirs)
printf 'Hello {{name}}\nline two, theirs\nline three\nline four\nline five, theirs\n' >"$T_TMP/ours"
printf 'Hello {{name}}\nline two\nline three\nline four\nline five\n' >"$T_TMP/base"
printf 'Hello {{name}}\nline two, mine\nline three\nline four\nline five\n' >"$T_TMP/theirs"
gnu=$(diff3 -m -L v3 -L v1 -L v2 "$T_TMP/ours" "$T_TMP/base" "$T_TMP/theirs")
check_eq "the user message merges as GNU diff3 -m" "$(printf '%s\n' "$out" | sed '1,/^--- user ---$/d')" "$gnu"
check_status "--dry-run with a conflict exits 1 too" 1 pd merge conflict 3 2 --dry-run

fork_versions clean "$(printf 'Hello {{name}}\nline two, mine\nline three\nline four\nline five')" \
    "$(printf 'Hello {{name}}\nline two\nline three\nline four\nline five, theirs')"
check_eq "--dry-run prints the clean merge" "$(pd merge clean 3 2 --dry-run | sed '1,/^--- user ---$/d')" \
    "Hello {{name}}
line two, mine
line three
line four
line five, theirs"
check_eq "--dry-run saves nothing" "$(pd versions clean --json | grep -c '"version":')" 3
check_eq "a clean merge is saved" "$(pd merge clean 3 2 2>&1)" "clean: saved version 4 (merge v2 into v3)"
check_contains "the new version holds both changes" "$(pd show clean)" "Hello {{name}}
line two, mine
line three
line four
line five, theirs"
check_contains "its commit message says what was merged" "$(pd show clean)" "commit:    merge v2 into v3"
check_eq "a version already merged: nothing to save" "$(pd merge clean 4 2 2>&1)" \
    "clean: nothing to save: v4 already holds the merge"
check_status "an unknown version fails" 1 pd merge clean 4 9
check_status "a version with itself is a usage error" 2 pd merge clean 2 v2
check_status "SLUG A B are needed" 2 pd merge clean 2
