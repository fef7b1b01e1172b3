#!/bin/sh
# kill_trials.sh: every write operation (update, create, label, rename, delete, partial put,
# import, sync) is killed with SIGKILL as it enters each call that changes the disk, one trial
# per call (strace's inject=SYSCALL:signal=SIGKILL:when=N, so every point is reached, none by
# luck); after each kill the library loads, the operation is wholly there or wholly absent,
# nothing saved before is lost, and the same operation again succeeds (kill_trials.py).
# make test runs up to 8 points per operation; KILL_TRIALS=N runs up to N, KILL_TRIALS=all
# every point. KILL_OPS=update,sync runs only those operations. Prints the table
# "op trials ok torn corrupt lost" (torn: a half-done import, which importing again completes).
. "$(dirname "$0")/lib.sh"

for t_tool in strace git; do
    command -v $t_tool >/dev/null 2>&1 || { notok "$t_tool is installed (scripts/deps.sh installs it)"; exit 0; }
done
git config --global user.name "Test Runner"
git config --global user.email runner@example.com
git config --global init.defaultBranch main
case "${KILL_TRIALS:-8}" in all) limit=0 ;; *) limit=${KILL_TRIALS:-8} ;; esac
python3 "$PD_TOP/tests/e2e/kill_trials.py" "$PROMPTDECK" "$T_TMP" "$limit" "${KILL_OPS:-}" >"$T_TMP/table" 2>&1
rc=$?
sed 's/^/# /' "$T_TMP/table"
check_eq "kill -9 at every point of every write operation: nothing corrupt, nothing lost" "$rc" "0"
