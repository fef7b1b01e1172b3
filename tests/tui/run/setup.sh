# setup.sh: sourced by tests/e2e/tui_run.sh and tui_run_tmux.sh after lib.sh: the answer the
# stand-in provider gives (Markdown plus an escape sequence and a bell), the stand-in provider
# itself on 127.0.0.1 (stopped when the test ends), and a library template with greet v1, v2.
# Sets KEY, PORT, OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL (exported) and RUN_TEMPLATE (a library dir).
run_dir="$top/tests/tui/run"
KEY="sk-tui-run-secret"
python3 -c 'import sys; d=open(sys.argv[1]).read().replace("<ESC>", "\x1b").replace("<BEL>", "\x07"); open(sys.argv[2], "w").write(d)' \
    "$run_dir/answer.md" "$T_TMP/answer.md"
RUN_TEMPLATE="$T_TMP/lib-template"
"$PROMPTDECK" --library "$RUN_TEMPLATE" import "$run_dir/greet.json" >/dev/null 2>"$T_TMP/import.err" ||
    { notok "library for the run panes" "$(cat "$T_TMP/import.err")"; exit 1; }
start_fake_provider "$KEY" "$T_TMP/answer.md"
OPENAI_API_KEY=$KEY OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1"
ANTHROPIC_API_KEY=$KEY ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT"
export OPENAI_API_KEY OPENAI_BASE_URL ANTHROPIC_API_KEY ANTHROPIC_BASE_URL
