/* store_inotify.c: following the library with Linux inotify: a watch on prompts/ and on every folder under it, kept as folders come and go. */
#include "store_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__

#include <dirent.h>
#include <limits.h>
#include <sys/inotify.h>
#include <unistd.h>

/* What a folder's watch reports: anything added, removed, renamed, written or touched in it,
 * and the folder itself going away. Symbolic links are not followed (the listing does not). */
#define FOLLOW_MASK                                                                                  \
    (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | \
     IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

/* One watched folder, by its watch descriptor: where it is (its parent's descriptor, 0 for
 * prompts/ itself, and its name there). name NULL: no folder has this descriptor. */
typedef struct followed {
    int parent;
    int depth;
    char *name;
} followed;

struct store_inotify {
    int fd;
    int root;             /* prompts/'s descriptor */
    char *prompts;
    followed *dirs;       /* by descriptor */
    size_t cap;
    bool out_of_watches;  /* a folder could not be watched: polling must take over */
};

static followed *known(store_inotify *w, int wd)
{
    return wd > 0 && (size_t)wd < w->cap && w->dirs[wd].name ? &w->dirs[wd] : NULL;
}

static void forget(store_inotify *w, int wd)
{
    followed *f = known(w, wd);
    if (f) {
        free(f->name);
        f->name = NULL;
    }
}

/* The path of the folder watched as wd into buf (PATH_MAX); false when it cannot be said. */
static bool path_of(store_inotify *w, int wd, char *buf)
{
    if (wd == w->root) {
        size_t n = strlen(w->prompts);
        if (n >= PATH_MAX)
            return false;
        memcpy(buf, w->prompts, n + 1);
        return true;
    }
    followed *f = known(w, wd);
    if (!f || !path_of(w, f->parent, buf))
        return false;
    size_t at = strlen(buf), n = strlen(f->name);
    if (at + 1 + n >= PATH_MAX)
        return false;
    buf[at] = '/';
    memcpy(buf + at + 1, f->name, n + 1);
    return true;
}

static bool hidden(const char *name)
{
    return name[0] == '.';
}

/* Watches the folder at path (parent's child name; parent 0 for prompts/) and every folder
 * under it, those already watched included (a folder moved within the library keeps its
 * watch, and is found again at its new place). path is PATH_MAX long and used as scratch. */
static void follow_tree(store_inotify *w, int parent, const char *name, char *path, int depth)
{
    if (w->out_of_watches || depth > STORE_WATCH_DEPTH_MAX)
        return;
    int wd = inotify_add_watch(w->fd, path, FOLLOW_MASK);
    if (wd < 0) {
        /* gone meanwhile, a file or a link, unreadable: not a folder to follow */
        if (errno != ENOENT && errno != ENOTDIR && errno != EACCES && errno != ELOOP)
            w->out_of_watches = true;   /* ENOSPC: max_user_watches reached; ENOMEM */
        return;
    }
    if ((size_t)wd >= w->cap) {
        size_t cap = w->cap ? w->cap : 64;
        while (cap <= (size_t)wd)
            cap *= 2;
        w->dirs = pd_xrealloc(w->dirs, cap * sizeof *w->dirs);
        memset(w->dirs + w->cap, 0, (cap - w->cap) * sizeof *w->dirs);
        w->cap = cap;
    }
    if (parent == 0) {
        w->root = wd;
    } else {
        followed *f = &w->dirs[wd];
        free(f->name);
        f->name = pd_strdup(name);
        f->parent = parent;
        f->depth = depth;
    }
    DIR *d = opendir(path);
    if (!d) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
            w->out_of_watches = true;   /* its sub-folders would go unwatched */
        return;
    }
    size_t at = strlen(path);
    struct dirent *de;
    while (!w->out_of_watches && (de = readdir(d)) != NULL) {
        if (hidden(de->d_name) || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
            continue;
        size_t n = strlen(de->d_name);
        if (at + 1 + n >= PATH_MAX)
            continue;
        path[at] = '/';
        memcpy(path + at + 1, de->d_name, n + 1);
        follow_tree(w, wd, de->d_name, path, depth + 1);
        path[at] = '\0';
    }
    closedir(d);
}

/* Stops watching the folder wd and every folder under it (they left the library). */
static void unfollow_tree(store_inotify *w, int wd)
{
    /* all found first, then removed: a removal would cut the way up from those below */
    int *under = pd_xmalloc((w->cap ? w->cap : 1) * sizeof *under);
    size_t n = 0;
    for (size_t i = 0; i < w->cap; i++) {
        int up = (int)i;
        while (known(w, up) && up != wd)
            up = w->dirs[up].parent;
        if (up == wd)
            under[n++] = (int)i;
    }
    for (size_t i = 0; i < n; i++) {
        inotify_rm_watch(w->fd, under[i]);
        forget(w, under[i]);
    }
    free(under);
}

/* A watched folder was moved: when it is no longer where it was, it left (or its new place is
 * still to be read, and follow_tree finds it there again); what now stands at its old place is
 * followed instead. */
static void moved_self(store_inotify *w, int wd)
{
    followed *f = known(w, wd);
    char path[PATH_MAX];
    if (!f || !path_of(w, wd, path))
        return;
    int at_old_place = inotify_add_watch(w->fd, path, FOLLOW_MASK);
    if (at_old_place == wd)
        return;
    int parent = f->parent, depth = f->depth;
    char *name = pd_strdup(f->name);
    unfollow_tree(w, wd);
    if (at_old_place >= 0)
        follow_tree(w, parent, name, path, depth);
    free(name);
}

/* One event; true when it tells of a change in the library. -1 in *verdict when everything
 * must be read again. */
static bool take_event(store_inotify *w, const struct inotify_event *e, int *verdict)
{
    if (e->mask & IN_Q_OVERFLOW) {
        *verdict = -1;   /* events were lost */
        return true;
    }
    if (e->wd == w->root && (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))) {
        *verdict = -1;   /* prompts/ itself went away or was replaced */
        return true;
    }
    if (e->mask & IN_IGNORED) {
        forget(w, e->wd);   /* its folder was deleted, or unfollow_tree removed the watch */
        return false;
    }
    if (e->mask & IN_MOVE_SELF) {
        moved_self(w, e->wd);
        return true;
    }
    if (e->len && hidden(e->name))
        return false;   /* a write's temporary file, the trash: not the library (yet) */
    if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO))) {
        followed *f = known(w, e->wd);
        char path[PATH_MAX];
        if ((f || e->wd == w->root) && path_of(w, e->wd, path) &&
            strlen(path) + 1 + strlen(e->name) < PATH_MAX) {
            strcat(strcat(path, "/"), e->name);
            follow_tree(w, e->wd, e->name, path, f ? f->depth + 1 : 1);
        }
    }
    return true;
}

int store_inotify_start(const char *prompts, store_inotify **out)
{
    *out = NULL;
    char path[PATH_MAX];
    size_t n = strlen(prompts);
    if (n >= PATH_MAX)
        return -2;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return -2;   /* no inotify here, or max_user_instances reached */
    store_inotify *w = pd_xcalloc(1, sizeof *w);
    w->fd = fd;
    w->root = -1;
    w->prompts = pd_strdup(prompts);
    memcpy(path, prompts, n + 1);
    follow_tree(w, 0, NULL, path, 0);
    int rc = w->out_of_watches ? -2 : w->root < 0 ? -1 : 0;
    if (rc != 0)
        store_inotify_free(w);
    else
        *out = w;
    return rc;
}

int store_inotify_changes(store_inotify *w)
{
    /* aligned for struct inotify_event, as inotify(7) shows */
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int verdict = 0;
    for (;;) {
        ssize_t len = read(w->fd, buf, sizeof buf);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0)
            break;   /* EAGAIN: nothing more now */
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)(void *)p;
            if (take_event(w, e, &verdict) && verdict == 0)
                verdict = 1;
            p += sizeof *e + e->len;
        }
        if (verdict < 0)
            break;
    }
    if (w->out_of_watches)
        return -2;
    return verdict;
}

void store_inotify_free(store_inotify *w)
{
    if (!w)
        return;
    close(w->fd);   /* removes every watch */
    for (size_t i = 0; i < w->cap; i++)
        free(w->dirs[i].name);
    free(w->dirs);
    free(w->prompts);
    free(w);
}

#else /* no inotify: the signature polls */

int store_inotify_start(const char *prompts, store_inotify **out)
{
    (void)prompts;
    *out = NULL;
    return -2;
}

int store_inotify_changes(store_inotify *w)
{
    (void)w;
    return -2;
}

void store_inotify_free(store_inotify *w)
{
    (void)w;
}

#endif
