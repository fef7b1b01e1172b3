/* store_cache.c: the listing's memory of the last walk ($XDG_CACHE_HOME/promptdeck/<library
 * key>/list-cache), in a small binary format written by hand: parsing the same 10,000 prompts
 * as JSON with jansson takes longer than the whole 100 ms listing budget. The file is local to
 * this machine and directory (inode, device and library path are checked), carries a checksum,
 * and every length is bounds-checked; on any doubt it is ignored and the library is walked
 * again. */
#include "store_priv.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

#define CACHE_MAGIC "PDLCACH3"
#define CACHE_ENDIAN 0x01020304u
#define NO_STRING 0xFFFFFFFFu
#define CACHE_MAX (1L << 30)   /* a larger file is not one this code wrote */

/* The file's checksum: eight bytes a step (the file is read on every listing and first paint;
 * pd_hash, a byte a step, took longer than the rest of reading it). */
static uint64_t cache_sum(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, p + i, n - i);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 29);
}

/* ---- writing ---- */
static void put_u32(pd_buf *b, uint32_t v)
{
    pd_buf_append(b, (const char *)&v, sizeof v);
}

static void put_i64(pd_buf *b, int64_t v)
{
    pd_buf_append(b, (const char *)&v, sizeof v);
}

static void put_str(pd_buf *b, const char *s)
{
    if (!s) {
        put_u32(b, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    pd_buf_append(b, s, n);
}

static void put_key(pd_buf *b, const store_stat_key *k)
{
    put_i64(b, (int64_t)k->ino);
    put_i64(b, k->size);
    put_i64(b, k->mtime_s);
    put_i64(b, k->mtime_ns);
    put_i64(b, k->ctime_s);
    put_i64(b, k->ctime_ns);
}

static void put_prompt(pd_buf *b, const pd_prompt *p)
{
    put_str(b, p->id);
    put_str(b, p->name);
    put_str(b, p->description);
    put_u32(b, (uint32_t)p->n_tags);
    for (size_t i = 0; i < p->n_tags; i++)
        put_str(b, p->tags[i]);
    put_u32(b, (uint32_t)p->n_labels);
    for (size_t i = 0; i < p->n_labels; i++) {
        put_str(b, p->labels[i].name);
        put_u32(b, (uint32_t)p->labels[i].version);
        put_str(b, p->labels[i].version_id);
    }
    put_str(b, p->created_at);
    put_str(b, p->updated_at);
    put_u32(b, (uint32_t)p->current_version);
    put_str(b, p->current_id);
    put_u32(b, p->duplicates);
    put_u32(b, p->damaged);
    put_str(b, p->damage);
}

void store_cache_save(const pd_store *s, const store_stat_key *root, const store_list_rec *recs, size_t n)
{
    pd_buf body = PD_BUF_INIT;
    put_str(&body, s->dir);
    put_key(&body, root);
    put_u32(&body, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        const store_list_rec *r = &recs[i];
        put_str(&body, r->rel);
        put_key(&body, &r->dir);
        put_u32(&body, (uint32_t)(r->unsettled | (r->has_prompt ? 2u : 0u)));
        if (r->has_prompt) {
            put_key(&body, &r->meta);
            put_key(&body, &r->events);
            put_prompt(&body, r->prompt);
        }
    }
    pd_buf file = PD_BUF_INIT;
    pd_buf_append(&file, CACHE_MAGIC, 8);
    put_u32(&file, CACHE_ENDIAN);
    put_i64(&file, (int64_t)body.len);
    put_i64(&file, (int64_t)cache_sum(body.data ? body.data : "", body.len));
    pd_buf_append(&file, body.data ? body.data : "", body.len);
    char *dir = pd_strdup(s->cache);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (pd_mkdirs(dir, 0700, NULL) == 0)
        store_write_file(s->cache, file.data, file.len, 0600, STORE_NO_SYNC, NULL);
    free(dir);
    pd_buf_free(&file);
    pd_buf_free(&body);
}

/* ---- reading ---- */
typedef struct cursor {
    const char *p, *end;
    bool bad;
} cursor;

static void get(cursor *c, void *out, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, c->p, n);
    c->p += n;
}

static uint32_t get_u32(cursor *c)
{
    uint32_t v;
    get(c, &v, sizeof v);
    return v;
}

static int64_t get_i64(cursor *c)
{
    int64_t v;
    get(c, &v, sizeof v);
    return v;
}

static char *get_str(cursor *c)
{
    uint32_t n = get_u32(c);
    if (c->bad || n == NO_STRING)
        return NULL;
    if ((size_t)(c->end - c->p) < n) {
        c->bad = true;
        return NULL;
    }
    char *s = pd_strndup(c->p, n);
    c->p += n;
    return s;
}

static void get_key(cursor *c, store_stat_key *k)
{
    k->ino = (uint64_t)get_i64(c);
    k->size = get_i64(c);
    k->mtime_s = get_i64(c);
    k->mtime_ns = get_i64(c);
    k->ctime_s = get_i64(c);
    k->ctime_ns = get_i64(c);
}

/* A count that the remaining bytes could hold (each item takes at least min_size bytes). */
static size_t get_count(cursor *c, size_t min_size)
{
    uint32_t n = get_u32(c);
    if (!c->bad && (size_t)n > (size_t)(c->end - c->p) / min_size)
        c->bad = true;
    return c->bad ? 0 : n;
}

static pd_prompt *get_prompt(cursor *c, const char *rel)
{
    pd_prompt *p = pd_xcalloc(1, sizeof *p);
    p->slug = pd_strdup(rel);
    p->id = get_str(c);
    p->name = get_str(c);
    p->description = get_str(c);
    p->n_tags = get_count(c, 4);
    p->tags = p->n_tags ? pd_xcalloc(p->n_tags, sizeof *p->tags) : NULL;
    for (size_t i = 0; i < p->n_tags; i++)
        p->tags[i] = get_str(c);
    p->n_labels = get_count(c, 12);
    p->labels = p->n_labels ? pd_xcalloc(p->n_labels, sizeof *p->labels) : NULL;
    for (size_t i = 0; i < p->n_labels; i++) {
        p->labels[i].name = get_str(c);
        p->labels[i].version = (int)get_u32(c);
        p->labels[i].version_id = get_str(c);
    }
    p->created_at = get_str(c);
    p->updated_at = get_str(c);
    p->current_version = (int)get_u32(c);
    p->current_id = get_str(c);
    p->duplicates = get_u32(c) != 0;
    p->damaged = get_u32(c) != 0;
    p->damage = get_str(c);
    /* what the rest of the code relies on */
    bool ok = p->name && p->description && (!p->damaged || p->damage);
    for (size_t i = 0; ok && i < p->n_tags; i++)
        ok = p->tags[i] != NULL;
    for (size_t i = 0; ok && i < p->n_labels; i++)
        ok = p->labels[i].name != NULL;
    if (!ok)
        c->bad = true;
    return p;
}

static size_t parse(const pd_store *s, const store_stat_key *root, cursor *c, store_list_rec **out)
{
    char *dir = get_str(c);
    store_stat_key k;
    get_key(c, &k);
    bool same = dir && strcmp(dir, s->dir) == 0 && k.ino == root->ino && k.size == root->size;
    free(dir);
    size_t n = same ? get_count(c, 4 + 48 + 4) : 0;
    if (!same || c->bad || n == 0)
        return 0;
    store_list_rec *recs = pd_xcalloc(n, sizeof *recs);
    size_t got = 0;
    for (; got < n && !c->bad; got++) {
        store_list_rec *r = &recs[got];
        r->rel = get_str(c);
        get_key(c, &r->dir);
        uint32_t flags = get_u32(c);
        r->unsettled = flags & 1u;
        r->has_prompt = flags & 2u;
        if (!r->rel)
            c->bad = true;
        else if (r->has_prompt) {
            get_key(c, &r->meta);
            get_key(c, &r->events);
            r->prompt = get_prompt(c, r->rel);
        }
    }
    /* sorted and unique, as saved: binary searches rely on it */
    for (size_t i = 1; i < got && !c->bad; i++)
        if (strcmp(recs[i - 1].rel, recs[i].rel) >= 0)
            c->bad = true;
    if (c->bad || c->p != c->end) {
        for (size_t i = 0; i < got; i++)
            store_list_rec_clear(&recs[i]);
        free(recs);
        return 0;
    }
    *out = recs;
    return n;
}

/* The cache file mapped read-only (no copy of tens of megabytes at 100,000 prompts before the
 * first paint): NULL when it is not there or not a regular file of a size that can be one. It
 * is only ever replaced whole (renamed over), never cut short while mapped. */
static const char *map_cache(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 28 && st.st_size <= CACHE_MAX) {
        *len = (size_t)st.st_size;
        m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    }
    close(fd);
    return m == MAP_FAILED ? NULL : m;
}

size_t store_cache_load(const pd_store *s, const store_stat_key *root, store_list_rec **out)
{
    *out = NULL;
    size_t len = 0;
    const char *data = map_cache(s->cache, &len);
    if (!data)
        return 0;
    cursor c = {data, data + len, false};
    char magic[8];
    get(&c, magic, sizeof magic);
    uint32_t endian = get_u32(&c);
    int64_t body_len = get_i64(&c);
    uint64_t sum = (uint64_t)get_i64(&c);
    size_t n = 0;
    if (!c.bad && memcmp(magic, CACHE_MAGIC, 8) == 0 && endian == CACHE_ENDIAN && body_len == c.end - c.p &&
        sum == cache_sum(c.p, (size_t)body_len))
        n = parse(s, root, &c, out);
    munmap((void *)data, len);
    return n;
}
