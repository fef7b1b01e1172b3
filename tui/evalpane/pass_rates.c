/* pass_rates.c: each version's pass rate in the last evaluation kept for it, for the timeline. */
#include <jansson.h>

#include "eval/eval.h"
#include "evalpane.h"

void pd_eval_pass_rates(pd_app *app, const char *slug, pd_version *const *versions, size_t n, int *percent)
{
    for (size_t i = 0; i < n; i++)
        percent[i] = -1;
    json_t *list = NULL;
    pd_error err = {0};
    if (pd_eval_kept_list(pd_app_store(app), slug, &list, &err) != 0)
        return;
    size_t k;
    json_t *ev;
    json_array_foreach(list, k, ev) {   /* newest first: the first found is the last kept */
        size_t c;
        json_t *col;
        json_array_foreach(json_object_get(ev, "columns"), c, col) {
            json_int_t passed = json_integer_value(json_object_get(col, "passed"));
            json_int_t all = passed + json_integer_value(json_object_get(col, "failed")) +
                             json_integer_value(json_object_get(col, "errors"));
            int number = (int)json_integer_value(json_object_get(col, "version"));
            for (size_t i = 0; i < n && all > 0; i++)
                if (versions[i]->number == number && percent[i] < 0)
                    percent[i] = (int)(passed * 100 / all);
        }
    }
    json_decref(list);
}
