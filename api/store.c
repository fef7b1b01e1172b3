/* store.c: temporary stubs so the tree links; replaced by the real store. */
#include "store.h"

#include <stdlib.h>

#include "buf.h"

int pd_store_open(const char *dir, bool create, bool examples, pd_store **out, pd_error *err)
{
    (void)dir;
    (void)create;
    (void)examples;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

void pd_store_close(pd_store *s)
{
    (void)s;
}

const char *pd_store_dir(const pd_store *s)
{
    (void)s;
    return NULL;
}

void pd_prompt_list_free(pd_prompt_list *l)
{
    (void)l;
}

int pd_store_list(pd_store *s, pd_prompt_list *out, pd_error *err)
{
    (void)s;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_get_prompt(pd_store *s, const char *slug, pd_prompt **out, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_get_version(pd_store *s, const char *slug, int number, pd_version **out, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)number;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_list_versions(pd_store *s, const char *slug, pd_version ***out, size_t *n, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)out;
    (void)n;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_create(pd_store *s, const pd_prompt *p, const pd_version *v, pd_error *err)
{
    (void)s;
    (void)p;
    (void)v;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_update(pd_store *s, const char *slug, const pd_update *u, pd_update_result *res, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)u;
    (void)res;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_rename(pd_store *s, const char *from, const char *to, pd_error *err)
{
    (void)s;
    (void)from;
    (void)to;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_delete(pd_store *s, const char *slug, pd_error *err)
{
    (void)s;
    (void)slug;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_set_label(pd_store *s, const char *slug, const char *label, int version, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)label;
    (void)version;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_remove_label(pd_store *s, const char *slug, const char *label, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)label;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_import_json(pd_store *s, json_t *doc, pd_import_counts *counts, pd_error *err)
{
    (void)s;
    (void)doc;
    (void)counts;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_export_json(pd_store *s, const char *const *slugs, size_t n, json_t **out, pd_error *err)
{
    (void)s;
    (void)slugs;
    (void)n;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_put_partial(pd_store *s, const char *name, const char *content, const char *commit_message, int *new_version, pd_error *err)
{
    (void)s;
    (void)name;
    (void)content;
    (void)commit_message;
    (void)new_version;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_get_partial(pd_store *s, const char *name, int version, pd_partial **out, pd_error *err)
{
    (void)s;
    (void)name;
    (void)version;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_list_partials(pd_store *s, char ***names, size_t *n, pd_error *err)
{
    (void)s;
    (void)names;
    (void)n;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_save_run(pd_store *s, pd_run_record *r, pd_error *err)
{
    (void)s;
    (void)r;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_list_runs(pd_store *s, const char *slug, pd_run_record ***out, size_t *n, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)out;
    (void)n;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_store_get_run(pd_store *s, const char *slug, const char *run_id, pd_run_record **out, pd_error *err)
{
    (void)s;
    (void)slug;
    (void)run_id;
    (void)out;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_write_file_atomic(const char *path, const char *data, size_t len, int mode, pd_error *err)
{
    (void)path;
    (void)data;
    (void)len;
    (void)mode;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_read_file(const char *path, char **data, size_t *len, pd_error *err)
{
    (void)path;
    (void)data;
    (void)len;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

int pd_mkdirs(const char *path, int mode, pd_error *err)
{
    (void)path;
    (void)mode;
    return pd_error_set(err, PD_ERR_IO, "%s: not implemented", __func__);
}

char *pd_store_default_dir(void)
{
    const char *lib = getenv("PROMPTDECK_LIBRARY");
    if (lib && *lib)
        return pd_strdup(lib);
    pd_buf b = PD_BUF_INIT;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/') {
        pd_buf_printf(&b, "%s/promptdeck/library", xdg);
    } else {
        const char *home = getenv("HOME");
        pd_buf_printf(&b, "%s/.local/share/promptdeck/library", home && *home ? home : ".");
    }
    return pd_buf_take(&b);
}
