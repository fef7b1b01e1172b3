/* fsutil.c: the file operations the library relies on: atomic writes, appends, whole-file reads,
 * mkdir -p, directory fsync, the library lock, and the store's notices. */
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

#define PD_READ_MAX (256L * 1024 * 1024)

char *store_vstrf(const char *fmt, va_list ap)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_vprintf(&b, fmt, ap);
    return pd_buf_take(&b);
}

char *pd_strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = store_vstrf(fmt, ap);
    va_end(ap);
    return s;
}

char *pd_path_join(const char *a, const char *b)
{
    return pd_strf("%s/%s", a, b);
}

static int io_error(pd_error *err, const char *what, const char *path)
{
    int e = errno;
    return pd_error_set(err, e == ENOENT ? PD_ERR_NOT_FOUND : PD_ERR_IO, "%s %s: %s", what, path, strerror(e));
}

int pd_fsync_dir(const char *dir, pd_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, "cannot open directory", dir);
    /* Some file systems refuse fsync on directories (EINVAL): nothing more can be done there. */
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        int rc = io_error(err, "cannot fsync directory", dir);
        close(fd);
        return rc;
    }
    close(fd);
    return 0;
}

static int read_fd(int fd, const char *path, const struct stat *known, char **data, size_t *len, pd_error *err);

/* What a file that is not a regular one is, for the message refusing it. */
static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISDIR(mode))
        return "a directory";
    return "not a file";
}

int store_refuse_irregular(const char *path, mode_t mode, pd_error *err)
{
    return pd_error_set(err, PD_ERR_DAMAGED, "%s: not a regular file (%s)", path, file_kind(mode));
}

/* Opens PATH of the library with FLAGS (O_RDONLY, O_WRONLY | O_APPEND | O_CREAT, ...): a
 * symbolic link as its last component, a FIFO, a device or a socket is refused (nothing planted
 * in the library can block or redirect a read or a write). Returns the descriptor (blocking
 * again), -1 with ERR set. */
static int open_library_file_for(const char *path, int flags, int mode, struct stat *st, pd_error *err)
{
    int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, (mode_t)mode);
    if (fd < 0) {
        if ((errno == ELOOP || errno == ENXIO) && lstat(path, st) == 0 && !S_ISREG(st->st_mode))
            return store_refuse_irregular(path, st->st_mode, err);
        return io_error(err, "cannot open", path);
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        int rc = fstat(fd, st) != 0 ? io_error(err, "cannot stat", path)
                                    : store_refuse_irregular(path, st->st_mode, err);
        close(fd);
        return rc;
    }
    /* O_NONBLOCK changes nothing for a regular file's reads: cleared only for writing */
    int fl = (flags & O_ACCMODE) != O_RDONLY ? fcntl(fd, F_GETFL) : -1;
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int store_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int pd_write_file_atomic(const char *path, const char *data, size_t len, int mode, pd_error *err)
{
    return store_write_file(path, data, len, mode, 0, err);
}

typedef struct bytes {
    const char *data;
    size_t len;
} bytes;

static int fill_bytes(int fd, void *ud)
{
    const bytes *b = ud;
    return store_write_all(fd, b->data, b->len);
}

int store_write_file(const char *path, const char *data, size_t len, int mode, int flags, pd_error *err)
{
    bytes b = {data, len};
    return store_write_file_with(path, fill_bytes, &b, mode, flags, err);
}

int store_write_file_with(const char *path, int (*fill)(int fd, void *ud), void *ud, int mode, int flags,
                          pd_error *err)
{
    char *copy = pd_strdup(path);
    char *dir = pd_strdup(dirname(copy));
    free(copy);
    copy = pd_strdup(path);
    bool direct = flags & STORE_NEW_FILE;   /* no temporary file to rename: two system calls a file fewer */
    char *tmp = direct ? pd_strdup(path) : pd_strf("%s/.%s.tmp.XXXXXX", dir, basename(copy));
    free(copy);
    int rc = -1;
    int fd = direct ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600) : mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        io_error(err, direct ? "cannot create" : "cannot create a temporary file next to", path);
        goto out;
    }
    if (fill(fd, ud) != 0 || fchmod(fd, (mode_t)mode) != 0 ||
        (!(flags & STORE_NO_SYNC) && fsync(fd) != 0)) {
        io_error(err, "cannot write", tmp);
        close(fd);
        unlink(tmp);
        goto out;
    }
    if (close(fd) != 0) {
        io_error(err, "cannot write", tmp);
        unlink(tmp);
        goto out;
    }
    if (!direct && rename(tmp, path) != 0) {
        io_error(err, "cannot rename a temporary file to", path);
        unlink(tmp);
        goto out;
    }
    rc = flags & (STORE_NO_SYNC | STORE_NO_DIR_SYNC) ? 0 : pd_fsync_dir(dir, err);
out:
    free(tmp);
    free(dir);
    return rc;
}

int store_append_file(const char *path, const char *data, size_t len, int mode, pd_error *err)
{
    struct stat st = {0};
    int fd = open_library_file_for(path, O_WRONLY | O_APPEND | O_CREAT, mode, &st, err);
    if (fd < 0)
        return -1;
    char last = '\n';
    /* a line torn by a crash is ended first, so it spoils only itself */
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        int rfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (rfd < 0 || pread(rfd, &last, 1, st.st_size - 1) != 1)
            last = '\n';
        if (rfd >= 0)
            close(rfd);
    }
    bool created = st.st_size == 0;
    int rc = 0;
    if ((last != '\n' && store_write_all(fd, "\n", 1) != 0) || store_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        rc = io_error(err, "cannot append to", path);
        if (ftruncate(fd, st.st_size) == 0)   /* a failed append leaves no part of itself */
            fsync(fd);
    }
    if (close(fd) != 0 && rc == 0)
        rc = io_error(err, "cannot write", path);
    if (rc == 0 && created) {   /* a new file: its directory entry must survive too */
        char *copy = pd_strdup(path);
        rc = pd_fsync_dir(dirname(copy), err);
        free(copy);
        if (rc != 0)   /* or it goes: a failed append leaves nothing */
            unlink(path);
    }
    return rc;
}

int store_rename(const char *from, const char *to, pd_error *err)
{
    if (rename(from, to) != 0)
        return pd_error_set(err, errno == ENOENT ? PD_ERR_NOT_FOUND : PD_ERR_IO, "cannot rename %s to %s: %s", from,
                            to, strerror(errno));
    return 0;
}

int store_refuse_links(const pd_store *s, const char *path, pd_error *err)
{
    size_t top = strlen(s->dir);
    if (strncmp(path, s->dir, top) != 0 || path[top] != '/')
        return 0;
    char *p = pd_strdup(path);
    int rc = 0;
    for (char *q = p + top + 1; rc == 0; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        struct stat st;
        if (lstat(p, &st) != 0) {
            *q = c;
            break;   /* not there yet: it will be made a real directory */
        }
        if (!S_ISDIR(st.st_mode))
            rc = pd_error_set(err, PD_ERR_DAMAGED, "%s: not a directory (%s); promptdeck follows no link inside the library",
                              p, file_kind(st.st_mode));
        *q = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}

void store_notice(pd_store *s, const char *fmt, ...)
{
    if (!s->notice)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = store_vstrf(fmt, ap);
    va_end(ap);
    s->notice(s->notice_ud, msg);
    free(msg);
}

int pd_read_file(const char *path, char **data, size_t *len, pd_error *err)
{
    *data = NULL;
    if (len)
        *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, "cannot open", path);
    return read_fd(fd, path, NULL, data, len, err);
}

int store_read_file(const char *path, char **data, size_t *len, pd_error *err)
{
    *data = NULL;
    if (len)
        *len = 0;
    struct stat st;
    int fd = open_library_file_for(path, O_RDONLY, 0, &st, err);
    return fd < 0 ? -1 : read_fd(fd, path, &st, data, len, err);
}

/* Reads all of FD (closed here) into *DATA. known: FD's state just taken (a regular file), or
 * NULL. A regular file is read in one call when its size holds (a short read is its end). */
static int read_fd(int fd, const char *path, const struct stat *known, char **data, size_t *len, pd_error *err)
{
    struct stat st;
    if (known) {
        st = *known;
    } else if (fstat(fd, &st) != 0) {
        int rc = io_error(err, "cannot stat", path);
        close(fd);
        return rc;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return pd_error_set(err, PD_ERR_IO, "%s is a directory, not a file", path);
    }
    if (st.st_size > PD_READ_MAX) {
        close(fd);
        return pd_error_set(err, PD_ERR_LIMIT, "%s is %lld bytes: larger than the %ld bytes allowed", path,
                            (long long)st.st_size, PD_READ_MAX);
    }
    bool sized = S_ISREG(st.st_mode) && st.st_size > 0;
    size_t cap = sized ? (size_t)st.st_size + 2 : 4096, n = 0;
    char *buf = pd_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > (size_t)PD_READ_MAX) {
                free(buf);
                close(fd);
                return pd_error_set(err, PD_ERR_LIMIT, "%s is larger than the %ld bytes allowed", path,
                                    PD_READ_MAX);
            }
            cap *= 2;
            buf = pd_xrealloc(buf, cap);
        }
        size_t want = cap - n - 1;
        ssize_t r = read(fd, buf + n, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int rc = io_error(err, "cannot read", path);
            free(buf);
            close(fd);
            return rc;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (sized && (size_t)r < want)   /* a regular file's end */
            break;
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return 0;
}

int pd_mkdirs(const char *path, int mode, pd_error *err)
{
    char *p = pd_strdup(path);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    for (char *q = p + 1; ; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            int rc = io_error(err, "cannot create directory", p);
            free(p);
            return rc;
        }
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            int rc = pd_error_set(err, PD_ERR_IO, "%s exists and is not a directory", p);
            free(p);
            return rc;
        }
        *q = c;
        if (c == '\0')
            break;
    }
    free(p);
    return 0;
}

int pd_unlink(const char *path, pd_error *err)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return io_error(err, "cannot remove", path);
    return 0;
}

void pd_rmdir_empty_up(const char *dir, const char *top)
{
    char *p = pd_strdup(dir);
    size_t top_len = strlen(top);
    while (strlen(p) > top_len && strncmp(p, top, top_len) == 0 && p[top_len] == '/') {
        if (rmdir(p) != 0)
            break;
        char *slash = strrchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
    }
    free(p);
}

/* Where a folder cannot be flocked (NFS emulates flock with locks that need a file open for
 * writing): DIR/.lock, taken again when, once locked, it is no longer the file at its path. */
static int lock_file_instead(pd_store *s, int *fd, pd_error *err)
{
    char *path = pd_path_join(s->dir, ".lock");
    int rc;
    struct stat st;
    for (;;) {
        *fd = open_library_file_for(path, O_RDWR | O_CREAT, 0644, &st, err);
        if (*fd < 0) {
            rc = -1;
            break;
        }
        while ((rc = flock(*fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        if (rc != 0) {
            rc = io_error(err, "cannot lock", path);
            close(*fd);
            *fd = -1;
            break;
        }
        struct stat held, now;
        if (fstat(*fd, &held) == 0 && lstat(path, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino)
            break;
        close(*fd);
    }
    free(path);
    return rc;
}

static int take_lock(pd_store *s, int *fd, pd_error *err)
{
    /* The library's folder itself is locked, not a file in it: a lock file can be deleted
     * while held (git clean -X removes ignored files), and the next writer would then lock a
     * new file of the same name and write at the same time. */
    *fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return io_error(err, "cannot open the library folder to lock it:", s->dir);
    while (flock(*fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EBADF || e == ENOLCK || e == EINVAL || e == EOPNOTSUPP)
            return lock_file_instead(s, fd, err);
        errno = e;
        return io_error(err, "cannot lock", s->dir);
    }
    return 0;
}

int store_lock(pd_store *s, int *fd, pd_error *err)
{
    if (take_lock(s, fd, err) != 0)
        return -1;
    store_trash_sweep(s);   /* what a killed writer left half done is finished first */
    return 0;
}

void store_unlock(int fd)
{
    if (fd >= 0)
        close(fd);   /* closing releases the flock */
}
