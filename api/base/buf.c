/* buf.c: the growable byte buffer and allocation helpers that abort on out-of-memory. */
#include "base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void out_of_memory(void)
{
    fputs("promptdeck: out of memory\n", stderr);
    abort();
}

void *pd_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *pd_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *pd_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

void *pd_xmalloc_big(size_t n)
{
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    if (n >= huge / 2 && n <= SIZE_MAX - huge) {
        size_t len = (n + huge - 1) & ~(huge - 1);   /* whole huge pages */
        void *p = NULL;
        if (posix_memalign(&p, huge, len) != 0)
            out_of_memory();
        madvise(p, len, MADV_HUGEPAGE);
        return p;
    }
#endif
    return pd_xmalloc(n);
}

char *pd_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = pd_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pd_strdup(const char *s)
{
    return s ? pd_strndup(s, strlen(s)) : NULL;
}

static void reserve(pd_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = pd_xrealloc(b->data, cap);
    b->cap = cap;
}

void pd_buf_append(pd_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pd_buf_puts(pd_buf *b, const char *s)
{
    pd_buf_append(b, s, strlen(s));
}

void pd_buf_putc(pd_buf *b, char c)
{
    pd_buf_append(b, &c, 1);
}

void pd_buf_vprintf(pd_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void pd_buf_printf(pd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void pd_buf_reset(pd_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void pd_buf_free(pd_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *pd_buf_take(pd_buf *b)
{
    char *s = b->data ? b->data : pd_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *pd_buf_str(const pd_buf *b)
{
    return b->data ? b->data : "";
}
