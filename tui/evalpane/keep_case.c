/* keep_case.c: "keep this run as a test case": a stored run's variables and answer become a
 * case of the prompt's tests.json (its answer the expected output), after asking a description. */
#include <stdlib.h>

#include "base/base.h"
#include "eval/eval.h"
#include "evalpane.h"
#include "store/store.h"

typedef struct keep_pending {
    char *slug;
    pd_eval_case c;
} keep_pending;

static void keep_done(pd_app *app, void *ud, const char *text)
{
    keep_pending *k = ud;
    if (text) {
        if (*text)
            k->c.description = pd_strdup(text);
        pd_error err = {0};
        size_t index = 0;
        pd_eval_suite one = {0};
        pd_eval_suite_add(&one, &k->c);
        int rc = pd_eval_suite_append_file(pd_app_store(app), k->slug, &one, &index, &err);
        pd_eval_suite_clear(&one);
        if (rc != 0)
            pd_app_error_err(app, &err);
        else
            pd_app_status(app, "Kept as test case #%zu of %s, its answer expected (prompts/%s/tests.json)", index + 1,
                          k->slug, k->slug);
    } else
        pd_app_status(app, "Not kept");
    pd_eval_case_clear(&k->c);
    free(k->slug);
    free(k);
}

void pd_eval_keep_run(pd_app *app, const char *slug, const pd_run_record *r)
{
    keep_pending *k = pd_xcalloc(1, sizeof *k);
    k->slug = pd_strdup(slug);
    pd_eval_case_from_run(r, &k->c);
    pd_app_input(app, "Test case description (Enter: none): ", NULL, keep_done, NULL, k);
}
