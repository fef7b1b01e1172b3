/* test_store_watch.c: the signature views poll to follow the library (pd_store_signature): the
 * same while nothing changes, another after each change made outside this handle (another
 * process as far as it can tell, or plain file operations: a version file, an events.jsonl
 * append, a folder renamed, a folder made and then a file in it), with inotify and with the
 * walk that stands in when inotify cannot (forced by the store's watch_polls, and by
 * PROMPTDECK_WATCH=poll); an overflowed inotify queue read again whole; no descriptor kept
 * after close. */
#define PD_MODULE_store /* white-box: forces the walk (watch_polls) */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"
#include "store/store_priv.h"
#include "t.h"

static char tmp_root[64];

/* A library with the example prompts (examples/summarize, code-review, support-reply,
 * translate). */
static pd_store *open_library(const char *name, bool polls)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", tmp_root, name);
    pd_store *s = NULL;
    pd_error err = {0};
    if (pd_store_open(pd_buf_str(&b), true, true, &s, &err) != 0)
        printf("#   open %s: %s\n", pd_buf_str(&b), err.msg);
    else
        s->watch_polls = polls;
    pd_buf_free(&b);
    return s;
}

static char *lib_path(pd_store *s, const char *rel)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%s", pd_store_dir(s), rel);
    return pd_buf_take(&b);
}

/* File times are coarse (a clock tick): changes a walk must tell apart get distinct times. */
static void tick(void)
{
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
}

/* A change made outside the store: text appended to a file (made if need be), a folder made,
 * a file or folder moved, a file's first byte written over in place. */
typedef enum { APPEND, MAKE_DIR, MOVE, OVERWRITE } change_kind;

static void change(pd_store *s, change_kind kind, const char *rel, const char *arg)
{
    tick();
    char *path = lib_path(s, rel), *to = arg ? lib_path(s, arg) : NULL;
    int fd = -1, rc = 0;
    switch (kind) {
    case APPEND:
    case OVERWRITE:
        fd = open(path, O_WRONLY | O_CLOEXEC | (kind == APPEND ? O_APPEND | O_CREAT : 0), 0644);
        rc = fd >= 0 && write(fd, "b", 1) == 1 ? 0 : -1;
        break;
    case MAKE_DIR:
        rc = mkdir(path, 0755);
        break;
    case MOVE:
        rc = rename(path, to);
        break;
    }
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        printf("#   cannot change %s\n", path);
    free(path);
    free(to);
}

/* The signature is another than *last, and stays so while nothing changes. */
#define CHANGED(s, last, what)                                                   \
    do {                                                                         \
        uint64_t now_ = pd_store_signature(s);                                   \
        if (now_ == *(last) || now_ == 0)                                        \
            printf("#   the signature missed: %s\n", what);                      \
        CHECK(now_ != *(last) && now_ != 0);                                     \
        CHECK(pd_store_signature(s) == now_);                                    \
        *(last) = now_;                                                          \
    } while (0)

/* Changes made from outside, one after the other; the signature is asked after each that says
 * what it is (seen: NULL: not asked, the next one comes at once). */
static const struct outside_change {
    change_kind kind;
    const char *path, *to;
    const char *seen;
} outside_changes[] = {
    {APPEND, "prompts/examples/translate/events.jsonl", NULL, "an events.jsonl append"},
    {APPEND, "prompts/team/moved/v0002-0123456789abcdef.json", NULL, "a new version file"},
    {APPEND, "prompts/team/moved/events.jsonl", NULL, "an append in a renamed folder"},
    {MOVE, "prompts/team", "prompts/crew", "a folder renamed"},
    {APPEND, "prompts/crew/moved/events.jsonl", NULL, "an append under a renamed folder"},
    {MAKE_DIR, "prompts/crew/fresh", NULL, "a new nested folder"},
    {APPEND, "prompts/crew/fresh/prompt.json", NULL, "a file in the new folder"},
    /* folders made one in another before the signature is asked, then a file deep in them */
    {MAKE_DIR, "prompts/a", NULL, NULL},
    {MAKE_DIR, "prompts/a/b", NULL, NULL},
    {MAKE_DIR, "prompts/a/b/c", NULL, "new folders in new folders"},
    {APPEND, "prompts/a/b/c/events.jsonl", NULL, "a file deep in the new folders"},
    /* a folder moved out of the library; a new one at its place is followed */
    {MOVE, "prompts/crew", "outside", "a folder moved out"},
    {MAKE_DIR, "prompts/crew", NULL, "a folder made where one was moved out"},
    {MAKE_DIR, "prompts/crew/again", NULL, "a folder in it"},
    {APPEND, "prompts/crew/again/events.jsonl", NULL, "a file in that folder"},
    /* and moved back in */
    {MOVE, "outside", "prompts/back", "a folder moved in"},
    {APPEND, "prompts/back/fresh/events.jsonl", NULL, "an append in a folder moved in"},
    {APPEND, "prompts/back/fresh/notes.txt", NULL, "a new file"},
    {MOVE, "prompts/a", "away", "folders moved out for good"},
};

static int count_folders(const char *path)
{
    int n = 1;
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || de->d_type != DT_DIR)
            continue;
        pd_buf b = PD_BUF_INIT;
        pd_buf_printf(&b, "%s/%s", path, de->d_name);
        n += count_folders(pd_buf_str(&b));
        pd_buf_free(&b);
    }
    if (d)
        closedir(d);
    return n;
}

/* The watches this process's inotify descriptor holds (/proc/self/fdinfo lists them), -1
 * without one. */
static int inotify_watches(void)
{
    int n = -1;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        char link[64] = "", path[320];
        snprintf(path, sizeof path, "/proc/self/fd/%s", de->d_name);
        if (readlink(path, link, sizeof link - 1) < 0 || strcmp(link, "anon_inode:inotify") != 0)
            continue;
        snprintf(path, sizeof path, "/proc/self/fdinfo/%s", de->d_name);
        FILE *f = fopen(path, "r");
        char line[512];
        n = 0;
        while (f && fgets(line, sizeof line, f))
            n += !strncmp(line, "inotify wd:", 11);
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return n;
}

static void follows_changes(const char *name, bool polls)
{
    pd_store *s = open_library(name, polls), *other = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(pd_store_dir(s), false, false, &other, &err), 0);
    uint64_t sig = pd_store_signature(s);
    CHECK(sig != 0);
    CHECK(pd_store_signature(s) == sig);

    tick();
    pd_version *v = NULL;
    CHECK_INT(pd_store_get_version(other, "examples/translate", 0, &v, &err), 0);
    free(v->messages[0].content);
    v->messages[0].content = pd_strdup("two");
    pd_update u = {.content = v};
    pd_update_result res = {0};
    CHECK_INT(pd_store_update(other, "examples/translate", &u, &res, &err), 0);
    pd_version_free(v);
    CHANGED(s, &sig, "a version saved by another handle");
    tick();
    CHECK_INT(pd_store_set_label(other, "examples/translate", "production", 1, &err), 0);
    CHANGED(s, &sig, "a label moved by another handle");
    tick();
    CHECK_INT(pd_store_rename(other, "examples/summarize", "team/moved", &err), 0);
    CHANGED(s, &sig, "a prompt renamed by another handle");
    for (size_t i = 0; i < sizeof outside_changes / sizeof *outside_changes; i++) {
        const struct outside_change *c = &outside_changes[i];
        change(s, c->kind, c->path, c->to);
        if (c->seen)
            CHANGED(s, &sig, c->seen);
    }
    /* a file rewritten in place, its folder unchanged: inotify sees it, the walk (stats of the
     * folders, their prompt.json and events.jsonl) does not look */
    change(s, OVERWRITE, "prompts/back/fresh/notes.txt", NULL);
    if (polls)
        CHECK(pd_store_signature(s) == sig);
    else
        CHANGED(s, &sig, "a file rewritten in place, in a folder moved out and back in");
    if (!polls) {   /* a watch for each folder, none left on those that went */
        char *prompts = lib_path(s, "prompts");
        CHECK_INT(inotify_watches(), count_folders(prompts));
        free(prompts);
    }
    pd_store_close(other);
    pd_store_close(s);
}

static void test_follows_with_inotify(void)
{
    follows_changes("inotify", false);
}

static void test_follows_by_walking(void)
{
    follows_changes("walk", true);
}

/* More events than inotify queues (16384 by default) before the signature is asked: the
 * queue overflows, the library is read again, and what comes next is followed. */
static void test_queue_overflow(void)
{
    pd_store *s = open_library("overflow", false);
    uint64_t sig = pd_store_signature(s);
    char *path = lib_path(s, "prompts/examples/translate/events.jsonl");
    for (int i = 0; i < 10000; i++) {   /* two events each: a write, a close */
        int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0 || write(fd, "\n", 1) != 1)
            CHECK(!"append");
        if (fd >= 0)
            close(fd);
    }
    free(path);
    CHANGED(s, &sig, "an overflowed queue");
    change(s, APPEND, "prompts/examples/translate/events.jsonl", NULL);
    CHANGED(s, &sig, "an append after the overflow");
    change(s, MAKE_DIR, "prompts/later", NULL);
    CHANGED(s, &sig, "a folder made after the overflow");
    change(s, APPEND, "prompts/later/prompt.json", NULL);
    CHANGED(s, &sig, "a file in it");
    char *prompts = lib_path(s, "prompts");
    CHECK_INT(inotify_watches(), count_folders(prompts));
    free(prompts);
    pd_store_close(s);
}

static int open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* inotify takes one descriptor while the store is open, none after it is closed (its watches
 * go with it), however often it is opened again; with PROMPTDECK_WATCH=poll none at all. */
static void test_no_descriptor_kept(void)
{
    pd_store *s = open_library("fds", false);
    pd_store_close(s);
    int before = open_fds();
    for (int i = 0; i < 50; i++) {
        s = open_library("fds", false);
        CHECK(pd_store_signature(s) != 0);
        if (i == 0)
            CHECK_INT(open_fds(), before + 1);
        pd_store_close(s);
    }
    CHECK_INT(open_fds(), before);
    setenv("PROMPTDECK_WATCH", "poll", 1);
    s = open_library("fds", false);
    uint64_t sig = pd_store_signature(s);
    CHECK(sig != 0);
    CHECK_INT(open_fds(), before);
    change(s, APPEND, "prompts/examples/translate/events.jsonl", NULL);
    CHANGED(s, &sig, "an append, PROMPTDECK_WATCH=poll");
    pd_store_close(s);
    unsetenv("PROMPTDECK_WATCH");
}

int main(void)
{
    if (!t_tmpdir(tmp_root, sizeof tmp_root, "test-store-watch"))
        return 2;
    setenv("XDG_STATE_HOME", tmp_root, 1);
    setenv("XDG_CACHE_HOME", tmp_root, 1);
    unsetenv("PROMPTDECK_WATCH");
    RUN(test_follows_with_inotify);
    RUN(test_follows_by_walking);
    RUN(test_queue_overflow);
    RUN(test_no_descriptor_kept);
    t_rmtree(tmp_root);
    T_DONE();
}
