/* diff_version.c: whole-prompt diffs: a version rendered as diffable text (header, one
 * "[role]" block per message, settings as sorted-key JSON) and diffs of two versions or of
 * two settings. */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Sorted-key pretty JSON with numbers as people write them (0.7, not 0.69999999999999996):
 * 15 significant digits when that reads back to the same values, else 17. Caller frees. */
static char *dump_sorted(const json_t *j)
{
    size_t flags = JSON_INDENT(2) | JSON_SORT_KEYS;
    char *txt = json_dumps(j, flags | JSON_REAL_PRECISION(15));
    json_t *back = txt ? json_loads(txt, JSON_DECODE_ANY, NULL) : NULL;
    if (!back || !json_equal(back, (json_t *)j)) {
        free(txt);
        txt = json_dumps(j, flags | JSON_REAL_PRECISION(17));
    }
    json_decref(back);
    return txt;
}

char *pd_diff_settings_text(const pd_settings *s)
{
    json_t *j = s ? pd_settings_to_json(s) : NULL;
    char *txt = j ? dump_sorted(j) : NULL;
    json_decref(j);
    pd_buf b = PD_BUF_INIT;
    pd_buf_puts(&b, txt ? txt : "{}");
    pd_buf_putc(&b, '\n');
    free(txt);
    return pd_buf_take(&b);
}

/* "key: value", further lines of value indented by two spaces. */
static void put_field(pd_buf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    pd_buf_printf(b, "%s: ", key);
    for (const char *p = value; *p; p++) {
        pd_buf_putc(b, *p);
        if (*p == '\n' && p[1])
            pd_buf_puts(b, "  ");
    }
    if (value[strlen(value) - 1] != '\n')
        pd_buf_putc(b, '\n');
}

char *pd_diff_version_text(const pd_version *v)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "version %d\n", v->number);
    put_field(&b, "author", v->author);
    put_field(&b, "date", v->created_at);
    put_field(&b, "commit", v->commit_message);
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *m = &v->messages[i];
        pd_buf_putc(&b, '\n');
        if (m->placeholder) {
            pd_buf_printf(&b, "[placeholder %s]\n", m->placeholder);
            continue;
        }
        pd_buf_printf(&b, "[%s]\n", m->role ? m->role : "?");
        const char *c = m->content ? m->content : "";
        size_t len = strlen(c);
        pd_buf_append(&b, c, len);
        if (len && c[len - 1] != '\n')
            pd_buf_putc(&b, '\n');
    }
    pd_buf_puts(&b, "\n[settings]\n");
    char *st = pd_diff_settings_text(&v->settings);
    pd_buf_puts(&b, st);
    free(st);
    return pd_buf_take(&b);
}

/* Diffs two texts (taking them: both are freed). */
static int diff_made(char *ta, char *tb, const pd_diff_options *o, pd_diff **out, pd_error *err)
{
    int rc = pd_diff_texts(ta, strlen(ta), tb, strlen(tb), o, out, err);
    free(ta);
    free(tb);
    return rc;
}

int pd_diff_versions(const pd_version *a, const pd_version *b, const pd_diff_options *o,
                     pd_diff **out, pd_error *err)
{
    *out = NULL;
    if (!a || !b)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "diff: a version to compare is missing");
    return diff_made(pd_diff_version_text(a), pd_diff_version_text(b), o, out, err);
}

int pd_diff_settings(const pd_settings *a, const pd_settings *b, const pd_diff_options *o,
                     pd_diff **out, pd_error *err)
{
    *out = NULL;
    return diff_made(pd_diff_settings_text(a), pd_diff_settings_text(b), o, out, err);
}
