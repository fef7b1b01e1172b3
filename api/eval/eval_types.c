/* eval_types.c: assertion type names as promptfoo writes them, with the "not-" prefix. */
#include "eval_priv.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[PD_EVAL_N_TYPES] = {
    [PD_EVAL_EQUALS] = "equals",
    [PD_EVAL_CONTAINS] = "contains",
    [PD_EVAL_ICONTAINS] = "icontains",
    [PD_EVAL_CONTAINS_ANY] = "contains-any",
    [PD_EVAL_CONTAINS_ALL] = "contains-all",
    [PD_EVAL_ICONTAINS_ANY] = "icontains-any",
    [PD_EVAL_ICONTAINS_ALL] = "icontains-all",
    [PD_EVAL_STARTS_WITH] = "starts-with",
    [PD_EVAL_REGEX] = "regex",
    [PD_EVAL_IS_JSON] = "is-json",
    [PD_EVAL_CONTAINS_JSON] = "contains-json",
    [PD_EVAL_LEVENSHTEIN] = "levenshtein",
    [PD_EVAL_LATENCY] = "latency",
    [PD_EVAL_COST] = "cost",
    [PD_EVAL_FINISH_REASON] = "finish-reason",
    [PD_EVAL_TOOLS_CALL] = "is-valid-openai-tools-call",
    [PD_EVAL_LLM_RUBRIC] = "llm-rubric",
};

/* Other names promptfoo gives the tool-call check (one call or several: the same test here). */
static const char *const tools_call_aliases[] = {"is-valid-function-call", "is-valid-openai-function-call"};

const char *pd_eval_type_name(pd_eval_type t)
{
    return (unsigned)t < PD_EVAL_N_TYPES ? type_names[t] : "?";
}

const char *pd_eval_assertion_type(const pd_eval_assertion *a, char *out, size_t size)
{
    snprintf(out, size, "%s%s", a->negate ? "not-" : "", pd_eval_type_name(a->type));
    return out;
}

bool pd_eval_type_parse(const char *name, pd_eval_type *type, bool *negate)
{
    if (!name)
        return false;
    bool neg = strncmp(name, "not-", 4) == 0;
    const char *base = neg ? name + 4 : name;
    for (int t = 0; t < PD_EVAL_N_TYPES; t++) {
        if (strcmp(base, type_names[t]) == 0) {
            *type = (pd_eval_type)t;
            *negate = neg;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof tools_call_aliases / sizeof *tools_call_aliases; i++) {
        if (strcmp(base, tools_call_aliases[i]) == 0) {
            *type = PD_EVAL_TOOLS_CALL;
            *negate = neg;
            return true;
        }
    }
    return false;
}

const char *pd_eval_type_list(void)
{
    return "equals, contains, icontains, contains-any, contains-all, icontains-any, icontains-all, "
           "starts-with, regex, is-json, contains-json, levenshtein, latency, cost, finish-reason, "
           "is-valid-openai-tools-call, llm-rubric (each also with not-)";
}
