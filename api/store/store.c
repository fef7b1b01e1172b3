/* store.c: opening the library, listing prompts, and reading prompts and versions (with damaged
 * files reported as "FILE:LINE: what" instead of hiding the rest). */
#include "store_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"


char *pd_store_default_dir(void)
{
    const char *lib = getenv("PROMPTDECK_LIBRARY");
    if (lib && *lib)
        return pd_strdup(lib);
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return pd_strf("%s/promptdeck/library", xdg);
    const char *home = getenv("HOME");
    return pd_strf("%s/.local/share/promptdeck/library", home && *home ? home : ".");
}

const char *pd_store_dir(const pd_store *s)
{
    return s->dir;
}

void pd_store_close(pd_store *s)
{
    if (!s)
        return;
    free(s->dir);
    free(s->prompts);
    free(s->partials);
    free(s->runs);
    free(s);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool empty = true;
    struct dirent *de;
    while (empty && (de = readdir(d)) != NULL)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static int check_library_json(const char *path, pd_error *err)
{
    json_t *j;
    char *text;
    size_t len;
    if (store_read_json(path, &j, &text, &len, err) != 0)
        return -1;
    json_t *f = json_object_get(j, "format");
    int rc = 0;
    if (!json_is_string(f) || strcmp(json_string_value(f), PD_LIBRARY_FORMAT) != 0) {
        pd_json_src src = {path, text, len};
        rc = pd_json_src_error(&src, "format", err, "expected \"%s\"", PD_LIBRARY_FORMAT);
    }
    json_decref(j);
    free(text);
    return rc;
}

/* Makes DIR a library: subdirectories, the examples (each import and put takes the lock and
 * skips what is there, so two first starts at once are harmless), library.json last. */
static int init_library(pd_store *s, bool examples, pd_error *err)
{
    if (pd_mkdirs(s->prompts, 0755, err) || pd_mkdirs(s->partials, 0755, err) || pd_mkdirs(s->runs, 0755, err))
        return -1;
    if (examples && pd_store_add_examples(s, err) != 0)
        return -1;
    int fd;
    if (store_lock(s, &fd, err) != 0)
        return -1;
    char *lj = pd_path_join(s->dir, "library.json");
    int rc = 0;
    if (!exists(lj)) {
        /* for a library kept in git: the lock and temporary files are not content */
        static const char ignore[] = "# written by promptdeck\n.lock\n.list-cache\n.*.tmp.*\n";
        char *gi = pd_path_join(s->dir, ".gitignore");
        if (!exists(gi))
            rc = pd_write_file_atomic(gi, ignore, sizeof ignore - 1, 0644, err);
        free(gi);
        json_t *j = json_pack("{s:s}", "format", PD_LIBRARY_FORMAT);
        if (rc == 0)
            rc = store_write_json(lj, j, 0, err);
        json_decref(j);
    }
    store_unlock(fd);
    free(lj);
    return rc;
}

int pd_store_open(const char *dir, bool create, bool examples, pd_store **out, pd_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "no library directory given");
    pd_store *s = pd_xcalloc(1, sizeof *s);
    s->dir = pd_strdup(dir);
    size_t n = strlen(s->dir);
    while (n > 1 && s->dir[n - 1] == '/')
        s->dir[--n] = '\0';
    s->prompts = pd_path_join(s->dir, "prompts");
    s->partials = pd_path_join(s->dir, "partials");
    s->runs = pd_path_join(s->dir, "runs");
    s->settle_seconds = 2;   /* file times are coarse: what changed this recently is read again */
    char *lj = pd_path_join(s->dir, "library.json");
    int rc = 0;
    struct stat st;
    if (stat(s->dir, &st) != 0) {
        if (errno != ENOENT || !create)
            rc = pd_error_set(err, PD_ERR_NOT_FOUND, "library %s: %s", s->dir, strerror(errno));
        else
            rc = pd_mkdirs(s->dir, 0755, err) || init_library(s, examples, err) ? -1 : 0;
    } else if (!S_ISDIR(st.st_mode)) {
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "library %s is not a directory", s->dir);
    } else if (exists(lj)) {
        rc = check_library_json(lj, err);
    } else if (exists(s->prompts) || dir_is_empty(s->dir)) {
        /* an interrupted set-up, a checkout without library.json, or an empty directory made
         * for the library: make it a library, without examples */
        rc = init_library(s, false, err);
    } else {
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST,
                          "%s is not a promptdeck library (no library.json or prompts/ in it) and not empty",
                          s->dir);
    }
    free(lj);
    if (rc != 0) {
        pd_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

char *store_prompt_dir(const pd_store *s, const char *slug)
{
    return pd_path_join(s->prompts, slug);
}

static void set_damage(pd_prompt *p, const char *msg)
{
    if (p->damaged)
        return;   /* the first problem found is the one reported */
    p->damaged = true;
    p->damage = pd_strdup(msg);
}

/* The rules prompt.json must follow beyond types: versions 1..current all present, labels on
 * existing versions. Sets damage on p. */
static void check_prompt(pd_prompt *p, const pd_json_src *src, const store_dir_scan *scan)
{
    int max_file = scan->n_versions ? scan->versions[scan->n_versions - 1] : 0;
    if (p->current_version < max_file)   /* a crash after writing a version file, before prompt.json */
        p->current_version = max_file;
    pd_error err = {0};
    if (p->current_version < 1) {
        pd_json_src_error(src, "current_version", &err, "the prompt has no versions");
        set_damage(p, err.msg);
        return;
    }
    int want = 1;
    for (size_t i = 0; i < scan->n_versions && want <= p->current_version; i++)
        if (scan->versions[i] == want)
            want++;
    if (want <= p->current_version) {
        pd_json_src_error(src, "current_version", &err, "version file v%04d.json is missing (current_version is %d)",
                          want, p->current_version);
        set_damage(p, err.msg);
        return;
    }
    for (size_t i = 0; i < p->n_labels; i++) {
        if (p->labels[i].version > p->current_version) {
            char path[96];
            snprintf(path, sizeof path, "labels.%s", p->labels[i].name);
            pd_json_src_error(src, path, &err, "version %d does not exist (newest is %d)", p->labels[i].version,
                              p->current_version);
            set_damage(p, err.msg);
            return;
        }
    }
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const pd_label *)a)->name, ((const pd_label *)b)->name);
}

/* The directory was scanned before prompt.json was read: a version saved in between shows
 * up in prompt.json but not in the scan. Looks again once before calling the prompt damaged. */
static void recheck_with_fresh_scan(pd_prompt *p, const char *pdir, const pd_json_src *src)
{
    store_dir_scan fresh;
    pd_error err = {0};
    if (store_scan_dir(pdir, "prompt.json", &fresh, &err) != 0)
        return;
    free(p->damage);
    p->damage = NULL;
    p->damaged = false;
    check_prompt(p, src, &fresh);
    store_dir_scan_free(&fresh);
}

pd_prompt *store_load_prompt(const char *pdir, const char *slug, const store_dir_scan *scan)
{
    if (!scan->has_meta)
        return NULL;
    char *path = pd_path_join(pdir, "prompt.json");
    pd_error err = {0};
    json_t *j;
    char *text;
    size_t len;
    pd_prompt *p = NULL;
    if (store_read_json(path, &j, &text, &len, &err) == 0) {
        pd_json_src src = {path, text, len};
        p = pd_prompt_decode(j, &src, &err);
        if (p) {
            if (p->n_labels > 1)
                qsort(p->labels, p->n_labels, sizeof *p->labels, cmp_label);
            check_prompt(p, &src, scan);
            if (p->damaged)
                recheck_with_fresh_scan(p, pdir, &src);
        }
        json_decref(j);
        free(text);
    }
    if (!p) {   /* unreadable: still listed, with what is known */
        p = pd_xcalloc(1, sizeof *p);
        p->description = pd_strdup("");
        p->current_version = scan->n_versions ? scan->versions[scan->n_versions - 1] : 0;
        set_damage(p, err.msg);
    }
    free(p->slug);
    p->slug = pd_strdup(slug);
    if (!p->name)
        p->name = pd_strdup(slug);
    free(path);
    return p;
}

void pd_prompt_list_free(pd_prompt_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        pd_prompt_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_get_prompt_dir(pd_store *s, const char *slug, pd_prompt **out, char **pdir_out, pd_error *err)
{
    *out = NULL;
    if (pdir_out)
        *pdir_out = NULL;
    if (!pd_slug_valid(slug, err))
        return -1;
    char *pdir = store_prompt_dir(s, slug);
    store_dir_scan scan;
    pd_prompt *p = NULL;
    if (store_scan_dir(pdir, "prompt.json", &scan, NULL) == 0) {
        p = store_load_prompt(pdir, slug, &scan);
        store_dir_scan_free(&scan);
    }
    if (!p) {
        free(pdir);
        return pd_error_set(err, PD_ERR_NOT_FOUND, "no prompt \"%s\" in %s", slug, s->dir);
    }
    if (p->damaged) {
        pd_error_set(err, PD_ERR_DAMAGED, "prompt \"%s\" is damaged: %s", slug, p->damage);
        pd_prompt_free(p);
        free(pdir);
        return -1;
    }
    *out = p;
    if (pdir_out)
        *pdir_out = pdir;
    else
        free(pdir);
    return 0;
}

int pd_store_get_prompt(pd_store *s, const char *slug, pd_prompt **out, pd_error *err)
{
    return store_get_prompt_dir(s, slug, out, NULL, err);
}

/* Reads version number from pdir; DAMAGED naming file:line when it does not decode. */
static int read_version(const char *pdir, int number, pd_version **out, pd_error *err)
{
    *out = NULL;
    char *path = store_version_path(pdir, number);
    json_t *j;
    char *text;
    size_t len;
    if (store_read_json(path, &j, &text, &len, err) != 0) {
        if (err && err->code == PD_ERR_NOT_FOUND) {
            err->code = PD_ERR_DAMAGED;
            pd_error_prefix(err, "%s", "version file missing");
        }
        free(path);
        return -1;
    }
    pd_json_src src = {path, text, len};
    pd_version *v = pd_version_decode(j, &src, err);
    if (v && v->number != number) {
        pd_json_src_error(&src, "version", err, "says version %d but the file is for version %d", v->number, number);
        pd_version_free(v);
        v = NULL;
    }
    json_decref(j);
    free(text);
    free(path);
    *out = v;
    return v ? 0 : -1;
}

static int no_such_version(pd_error *err, const pd_prompt *p, int number)
{
    return pd_error_set(err, PD_ERR_NOT_FOUND, "prompt \"%s\" has no version %d (versions 1..%d)", p->slug, number,
                        p->current_version);
}

int pd_store_get_version(pd_store *s, const char *slug, int number, pd_version **out, pd_error *err)
{
    *out = NULL;
    pd_prompt *p;
    char *pdir;
    if (store_get_prompt_dir(s, slug, &p, &pdir, err) != 0)
        return -1;
    if (number == 0)
        number = p->current_version;
    int rc = number < 1 || number > p->current_version ? no_such_version(err, p, number)
                                                        : read_version(pdir, number, out, err);
    pd_prompt_free(p);
    free(pdir);
    return rc;
}

int pd_store_list_versions(pd_store *s, const char *slug, pd_version ***out, size_t *n, pd_error *err)
{
    *out = NULL;
    *n = 0;
    pd_prompt *p;
    char *pdir;
    if (store_get_prompt_dir(s, slug, &p, &pdir, err) != 0)
        return -1;
    size_t cnt = (size_t)p->current_version;
    pd_version **vs = pd_xcalloc(cnt, sizeof *vs);
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++)
        rc = read_version(pdir, (int)i + 1, &vs[i], err);
    if (rc != 0) {
        for (size_t i = 0; i < cnt; i++)
            pd_version_free(vs[i]);
        free(vs);
    } else {
        *out = vs;
        *n = cnt;
    }
    pd_prompt_free(p);
    free(pdir);
    return rc;
}

int store_write_prompt(const char *pdir, const pd_prompt *p, pd_error *err)
{
    pd_prompt copy = *p;
    copy.damaged = false;   /* damage is found on reading, never written */
    json_t *j = pd_prompt_to_json(&copy);
    char *path = pd_path_join(pdir, "prompt.json");
    int rc = store_write_json(path, j, 0, err);
    free(path);
    json_decref(j);
    return rc;
}

int store_write_version(const char *pdir, const pd_version *v, pd_error *err)
{
    json_t *j = pd_version_to_json(v);
    char *path = store_version_path(pdir, v->number);
    int rc = store_write_json(path, j, STORE_NO_DIR_SYNC, err);   /* prompt.json comes next */
    free(path);
    json_decref(j);
    return rc;
}
