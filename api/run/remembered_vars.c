/* remembered_vars.c: the values last given to a prompt's variables, kept per prompt under
 * $XDG_STATE_HOME/promptdeck/vars/ so that the next run's form starts from them. */
#include "run.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

char *pd_run_remembered_vars_path(const char *slug)
{
    char *dir = pd_state_dir();
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/vars/", dir);
    for (const char *c = slug; *c; c++)
        pd_buf_putc(&b, *c == '/' ? '%' : *c);   /* '%' never appears in a slug */
    pd_buf_puts(&b, ".json");
    free(dir);
    return pd_buf_take(&b);
}

/* The JSON object in the regular file at path (not through a symlink), or NULL. */
static json_t *load_object(const char *path)
{
    /* O_NONBLOCK: a FIFO put there does not hang the form (regular files ignore the flag) */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    json_t *j = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        j = json_loadfd(fd, 0, NULL);
    close(fd);
    if (!json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *pd_run_remembered_vars_load(const char *slug)
{
    char *path = pd_run_remembered_vars_path(slug);
    json_t *j = load_object(path);
    free(path);
    return j ? j : json_object();
}

int pd_run_remembered_vars_save(const char *slug, json_t *values, pd_error *err)
{
    json_t *all = pd_run_remembered_vars_load(slug);
    if (values)
        json_object_update(all, values);
    char *text = json_dumps(all, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(all);
    if (!text)
        return pd_error_set(err, PD_ERR_IO, "the values could not be encoded as JSON");
    char *path = pd_run_remembered_vars_path(slug);
    char *dir = pd_strndup(path, (size_t)(strrchr(path, '/') - path));
    /* the write goes to a new temporary file renamed over path: a symlink there is replaced,
     * never written through */
    int rc = pd_mkdirs(dir, 0700, err) == 0 && pd_write_file_atomic(path, text, strlen(text), 0600, err) == 0
                 ? 0 : -1;
    free(dir);
    free(path);
    free(text);
    return rc;
}
