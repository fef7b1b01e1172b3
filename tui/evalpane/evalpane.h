/* evalpane.h: the evaluation pane: a prompt's test cases run on versions x models, live.
 *
 *   evalpane.h        this interface
 *   view_eval.c       the matrix: one row per case, one column per version x model, PASS/FAIL
 *                     cells, each column's pass rate, tokens, cost and latency in the header;
 *                     fills in while the evaluation runs; filters (failures, disagreements)
 *   view_evalcell.c   one cell: its verdict, each assertion's result, the answer rendered,
 *                     what was asked (version, model, variables)
 *   keep_case.c       "keep this run as a test case" (from the run history)
 *   pass_rates.c      each version's last pass rate (the timeline shows it)
 *   evalpane_priv.h   what the two share
 */
#ifndef PD_EVALPANE_H
#define PD_EVALPANE_H

#include "core/core.h"
#include "model/model.h"

/* The panes, for the pane registry (tui/cli/cmd_app.c). */
extern const pd_view_ops pd_eval_pane, pd_evalcell_pane;

/* Runs slug's test cases (DIR/prompts/<slug>/tests.json) on each of versions[0..n) (numbers;
 * 0 = current) with its own model, and shows the matrix filling in, full screen. The results
 * are kept (pd_eval_kept_save) when the evaluation ends. An error (no cases ...) is shown on
 * the status row and no pane opens. */
void pd_open_eval(pd_app *app, pd_view *from, const char *slug, const int *versions, size_t n);

/* Asks a description on the status row, then appends r as a test case of slug (its variables,
 * its answer as the expected output; pd_eval_case_from_run) to the prompt's tests.json. The
 * status row says where it went. r is copied at once. */
void pd_eval_keep_run(pd_app *app, const char *slug, const pd_run_record *r);

/* percent[i]: versions[i]'s pass rate (0..100) in the newest evaluation kept for slug that ran
 * it, or -1 when none did. */
void pd_eval_pass_rates(pd_app *app, const char *slug, pd_version *const *versions, size_t n, int *percent);

#endif
