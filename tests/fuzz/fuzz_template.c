/* fuzz_template.c: libFuzzer target for the Mustache engine: parse strict and lenient, list the
 * variables, render with small data and partials taken from the input itself. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "template/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const char *src, size_t len, bool lenient, json_t *ctx, json_t *partials)
{
    pd_error err = {0};
    pd_tpl_parse_opts po = {lenient, 64, NULL};
    pd_tpl *t = pd_tpl_parse(src, len, &po, &err);
    if (!t)
        return;
    pd_tpl_var_list vars = {0};
    pd_tpl_variables(t, &vars);
    json_decref(pd_tpl_var_list_to_json(&vars));
    pd_tpl_var_list_free(&vars);
    char **names = NULL;
    size_t n_names = pd_tpl_partial_names(t, &names);
    pd_tpl_names_free(names, n_names);
    pd_tpl_missing_list missing = {0};
    pd_tpl_render_opts o = {0};
    o.escape = lenient ? PD_ESCAPE_NONE : PD_ESCAPE_HTML;
    o.lenient = lenient;
    o.partials_json = partials;
    o.missing = &missing;
    o.max_output = 1 << 20;
    o.max_steps = 200000;
    o.max_partial_depth = 16;
    for (int round = 0; round < 2; round++) {   /* parse once, render twice */
        pd_buf out = PD_BUF_INIT;
        pd_tpl_render(t, ctx, &o, &out, &err);
        pd_buf_free(&out);
    }
    pd_tpl_missing_list_free(&missing);
    pd_tpl_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    /* the input is the template; its two halves (split at the first NUL-free midpoint) are also
     * the partials "a" and "b", so recursion and inheritance get exercised */
    size_t half = size / 2;
    json_t *partials = json_object();
    json_object_set_new(partials, "a", json_stringn_nocheck(src, half));
    json_object_set_new(partials, "b", json_stringn_nocheck(src + half, size - half));
    json_object_set_new(partials, "self", json_stringn_nocheck(src, size));
    json_t *ctx = json_pack("{s:s, s:i, s:b, s:[s, i, {s:s}], s:{s:{s:s}}, s:s, s:[]}", "x", "<&\">", "n", 7,
                            "t", 1, "list", "one", 2, "x", "inner", "obj", "a", "b", "deep", "dyn", "a",
                            "empty");
    render_all(src, size, false, ctx, partials);
    render_all(src, size, true, ctx, partials);
    json_decref(ctx);
    json_decref(partials);
    return 0;
}
