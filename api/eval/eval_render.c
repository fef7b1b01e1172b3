/* eval_render.c: an assertion's value rendered with the case's variables first, as promptfoo
 * renders its values ("value: '{{expected_answer}}'"): Mustache here, which reads promptfoo's
 * plain {{name}} tags the same; tags it cannot read (Nunjucks filters) stay as written. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

#include "template/template.h"

/* s rendered, or NULL when it has no tag or does not render. Caller frees. */
static char *render_string(const char *s, json_t *vars)
{
    if (!strstr(s, "{{"))
        return NULL;
    pd_tpl_parse_opts po = {.lenient = true, .name = "value"};
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(s, strlen(s), &po, &err);
    if (!t)
        return NULL;
    pd_tpl_render_opts ro = {.escape = PD_ESCAPE_NONE, .lenient = true};
    pd_buf out = PD_BUF_INIT;
    int rc = pd_tpl_render(t, vars, &ro, &out, &err);
    pd_tpl_free(t);
    if (rc != 0 || !pd_utf8_valid(pd_buf_str(&out), out.len)) {
        pd_buf_free(&out);
        return NULL;
    }
    pd_buf_append(&out, "", 0);
    return pd_buf_take(&out);
}

json_t *eval_render_value(const json_t *value, json_t *vars)
{
    if (json_is_string(value)) {
        char *r = render_string(json_string_value(value), vars);
        json_t *v = r ? json_string(r) : json_incref((json_t *)value);
        free(r);
        return v;
    }
    if (json_is_array(value)) {
        json_t *list = json_array();
        size_t i;
        json_t *item;
        json_array_foreach((json_t *)value, i, item) {
            json_array_append_new(list, eval_render_value(item, vars));
        }
        return list;
    }
    return value ? json_incref((json_t *)value) : NULL;
}
