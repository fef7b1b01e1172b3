/* buf.h: a growable byte buffer (always NUL-terminated) and small string helpers. */
#ifndef PD_BUF_H
#define PD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pd_buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} pd_buf;

#define PD_BUF_INIT {NULL, 0, 0}

/* All appends abort() on out-of-memory: the api treats allocation failure as fatal. */
void pd_buf_append(pd_buf *b, const char *s, size_t n);
void pd_buf_puts(pd_buf *b, const char *s);
void pd_buf_putc(pd_buf *b, char c);
void pd_buf_printf(pd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pd_buf_vprintf(pd_buf *b, const char *fmt, va_list ap);
void pd_buf_reset(pd_buf *b);           /* len = 0, keeps memory */
void pd_buf_free(pd_buf *b);
/* Hands the string to the caller (caller frees; never NULL) and empties the buffer. */
char *pd_buf_take(pd_buf *b);
/* The contents as a string ("" when empty), valid until the next append. */
const char *pd_buf_str(const pd_buf *b);

/* strdup that aborts on out-of-memory; NULL in gives NULL out. Caller frees. */
char *pd_strdup(const char *s);
char *pd_strndup(const char *s, size_t n);
/* malloc/calloc/realloc that abort on out-of-memory. */
void *pd_xmalloc(size_t n);
void *pd_xcalloc(size_t count, size_t size);
void *pd_xrealloc(void *p, size_t n);

#endif
