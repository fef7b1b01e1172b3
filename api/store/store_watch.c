/* store_watch.c: what views that follow the library ask: a cheap signature of its state on disk
 * (a version saved from the command line, a label moved, a git pull: stats only, no reads), and
 * which versions the git upstream does not have yet. */
#include "store_priv.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_DEPTH_MAX 64

/* Mixes in what identifies the state of dirfd/name (or of its absence). */
static uint64_t mix_stat(uint64_t h, int dirfd, const char *name)
{
    struct stat st;
    int64_t k[6] = {0};
    if (fstatat(dirfd, name, &st, 0) == 0) {
        k[0] = (int64_t)st.st_ino;
        k[1] = (int64_t)st.st_size;
        k[2] = (int64_t)st.st_mtim.tv_sec;
        k[3] = (int64_t)st.st_mtim.tv_nsec;
        k[4] = (int64_t)st.st_ctim.tv_sec;
        k[5] = (int64_t)st.st_ctim.tv_nsec;
    }
    h = pd_hash(h, name, strlen(name) + 1);
    return pd_hash(h, k, sizeof k);
}

/* The directory open as fd (closed here) and every directory under it. */
static uint64_t mix_dir(uint64_t h, int fd, int depth)
{
    h = mix_stat(h, fd, ".");   /* a version file added, renamed or removed */
    h = mix_stat(h, fd, "prompt.json");
    h = mix_stat(h, fd, "events.jsonl");
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return h;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || depth >= WATCH_DEPTH_MAX)
            continue;
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sub < 0)
            continue;   /* a file, or gone meanwhile */
        h = pd_hash(h, de->d_name, strlen(de->d_name) + 1);
        h = mix_dir(h, sub, depth + 1);
    }
    closedir(d);
    return h;
}

uint64_t pd_store_signature(pd_store *s)
{
    int fd = open(s->prompts, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uint64_t h = mix_dir(PD_HASH_SEED, fd, 0);
    return h ? h : 1;
}

static bool has_id(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

int pd_store_unpushed(pd_store *s, const char *slug, char ***ids, size_t *n, pd_error *err)
{
    *ids = NULL;
    *n = 0;
    if (!pd_slug_valid(slug, err))
        return -1;
    char *pdir = store_prompt_dir(s, slug);
    store_git_out o;
    const char *argv[] = {"ls-tree", "--name-only", "@{u}", "--", ".", NULL};
    int rc = store_git(pdir, NULL, &o, argv);
    if (rc != 0) {
        rc = pd_error_set(err, PD_ERR_NOT_FOUND, "%s: not in git, or no upstream branch", slug);
    } else {
        char **pushed = NULL;   /* the ids of the version files the upstream has here */
        size_t n_pushed = 0, cap = 0;
        for (char *line = o.out; line && *line;) {
            char *end = strchr(line, '\n');
            if (end)
                *end = '\0';
            int number;
            char *id;
            if (store_vfile_name(line, &number, &id) && id) {
                if (n_pushed == cap) {
                    cap = cap ? cap * 2 : 16;
                    pushed = pd_xrealloc(pushed, cap * sizeof *pushed);
                }
                pushed[n_pushed++] = id;
            }
            line = end ? end + 1 : NULL;
        }
        store_dir_scan scan;
        if (store_scan_dir(pdir, "prompt.json", &scan, err) != 0) {
            rc = -1;
        } else {
            for (size_t i = 0; i < scan.n_files; i++) {
                const char *id = scan.files[i].id;
                if (id && !has_id(pushed, n_pushed, id)) {
                    *ids = pd_xrealloc(*ids, (*n + 1) * sizeof **ids);
                    (*ids)[(*n)++] = pd_strdup(id);
                }
            }
            store_dir_scan_free(&scan);
        }
        for (size_t i = 0; i < n_pushed; i++)
            free(pushed[i]);
        free(pushed);
    }
    store_git_out_free(&o);
    free(pdir);
    return rc;
}
