/* evalpane_priv.h: what the matrix and the cell view share. */
#ifndef PD_MODULE_evalpane
#error "evalpane/evalpane_priv.h is private to the evalpane module: include evalpane/evalpane.h"
#endif
#ifndef PD_EVALPANE_PRIV_H
#define PD_EVALPANE_PRIV_H

#include <jansson.h>

#include "core/core.h"
#include "eval/eval.h"

/* Opens one cell of an evaluation: result (a runner result object; referenced, not copied),
 * the case it graded, its column (the request is rebuilt from it and the case's variables,
 * the key redacted) and the column's title ("v2 openai:gpt-4o"). */
void pd_open_evalcell(pd_app *app, pd_view *from, json_t *result, const pd_eval_case *c, size_t case_index,
                      const pd_eval_column *col, const char *column);

#endif
