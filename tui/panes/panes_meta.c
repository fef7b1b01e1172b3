/* panes_meta.c: a prompt's name, description and tags edited in the app, one status-row
 * question after another (Esc at any of them changes nothing); saved as the command line's
 * `promptdeck edit --name/--description/--tag` does: metadata only, no new version. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"
#include "panes_priv.h"

typedef struct meta_edit {
    char *slug;
    char *name;          /* as answered */
    char *description;
} meta_edit;

static void meta_free(meta_edit *m)
{
    free(m->slug);
    free(m->name);
    free(m->description);
    free(m);
}

/* Esc at a question (text NULL): nothing is saved. */
static bool cancelled(pd_app *app, meta_edit *m, const char *text)
{
    if (text)
        return false;
    pd_app_status(app, "Nothing changed");
    meta_free(m);
    return true;
}

/* "a, b ,c" -> {"a", "b", "c"} (empty pieces dropped). Caller frees each and the array. */
static char **split_tags(const char *text, size_t *n)
{
    char **tags = NULL;
    *n = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *a = p, *b = p + len;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a) {
            tags = pd_xrealloc(tags, (*n + 1) * sizeof *tags);
            tags[(*n)++] = pd_strndup(a, (size_t)(b - a));
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return tags;
}

static void tags_done(pd_app *app, void *ud, const char *text)
{
    meta_edit *m = ud;
    if (cancelled(app, m, text))
        return;
    pd_update u;
    memset(&u, 0, sizeof u);
    u.name = m->name;
    u.description = m->description;
    u.tags = split_tags(text, &u.n_tags);
    u.set_tags = true;
    pd_update_result res;
    pd_error err = {0};
    if (pd_store_update(pd_app_store(app), m->slug, &u, &res, &err) != 0) {
        pd_app_error_err(app, &err);
    } else {
        pd_app_status(app, res.metadata_changed ? "%s: name, description and tags saved (no new version)"
                                                : "%s: nothing changed", m->slug);
        pd_app_library_changed(app, m->slug);
    }
    for (size_t i = 0; i < u.n_tags; i++)
        free(u.tags[i]);
    free(u.tags);
    meta_free(m);
}

static void description_done(pd_app *app, void *ud, const char *text)
{
    meta_edit *m = ud;
    if (cancelled(app, m, text))
        return;
    m->description = pd_strdup(text);
    pd_prompt *p = NULL;
    pd_error err = {0};
    pd_buf tags = PD_BUF_INIT;
    if (pd_store_get_prompt(pd_app_store(app), m->slug, &p, &err) == 0)
        for (size_t i = 0; i < p->n_tags; i++)
            pd_buf_printf(&tags, "%s%s", i ? ", " : "", p->tags[i]);
    pd_prompt_free(p);
    pd_app_input(app, "Tags (comma-separated): ", pd_buf_str(&tags), tags_done, NULL, m);
    pd_buf_free(&tags);
}

static void name_done(pd_app *app, void *ud, const char *text)
{
    meta_edit *m = ud;
    if (cancelled(app, m, text))
        return;
    if (!*text) {
        pd_app_error(app, "A prompt needs a name: nothing changed");
        meta_free(m);
        return;
    }
    m->name = pd_strdup(text);
    pd_prompt *p = NULL;
    pd_error err = {0};
    const char *d = "";
    if (pd_store_get_prompt(pd_app_store(app), m->slug, &p, &err) == 0 && p->description)
        d = p->description;
    pd_app_input(app, "Description: ", d, description_done, NULL, m);
    pd_prompt_free(p);
}

void panes_edit_metadata(pd_app *app, const char *slug)
{
    pd_prompt *p = NULL;
    pd_error err = {0};
    if (pd_store_get_prompt(pd_app_store(app), slug, &p, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    meta_edit *m = pd_xcalloc(1, sizeof *m);
    m->slug = pd_strdup(slug);
    pd_app_input(app, "Name: ", p->name ? p->name : "", name_done, NULL, m);
    pd_prompt_free(p);
}
