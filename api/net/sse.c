/* sse.c: Server-Sent Events parsing after the WHATWG "event stream interpretation" rules.
 * Hand-written: there is no maintained C library for SSE (libcurl delivers raw bytes), and
 * the format is small: lines, four fields, a blank line dispatches. */
#include "net.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_EVENT ((size_t)16 << 20)

void pd_sse_init(pd_sse *p)
{
    memset(p, 0, sizeof *p);
    p->retry_ms = -1;
}

void pd_sse_clear(pd_sse *p)
{
    pd_buf_free(&p->line);
    pd_buf_free(&p->data);
    pd_buf_free(&p->event);
    pd_buf_free(&p->id);
}

static int dispatch(pd_sse *p, pd_sse_cb cb, void *ud)
{
    int rc = 0;
    if (p->has_data) {
        size_t n = p->data.len;
        if (n && p->data.data[n - 1] == '\n')
            n--;   /* every data line appended "\n": drop the last one */
        pd_buf_append(&p->data, "", 0);
        p->data.data[n] = '\0';
        pd_sse_event ev = {
            .event = p->event.len ? pd_buf_str(&p->event) : "message",
            .data = p->data.data,
            .data_len = n,
            .id = pd_buf_str(&p->id),
        };
        rc = cb(ud, &ev);
    }
    pd_buf_reset(&p->data);
    pd_buf_reset(&p->event);
    p->has_data = false;
    return rc;
}

static void field(pd_sse *p, const char *name, size_t nlen, const char *value, size_t vlen)
{
#define IS(s) (nlen == sizeof(s) - 1 && memcmp(name, s, nlen) == 0)
    if (IS("data")) {
        pd_buf_append(&p->data, value, vlen);
        pd_buf_putc(&p->data, '\n');
        p->has_data = true;
    } else if (IS("event")) {
        pd_buf_reset(&p->event);
        pd_buf_append(&p->event, value, vlen);
    } else if (IS("id")) {
        if (!memchr(value, '\0', vlen)) {
            pd_buf_reset(&p->id);
            pd_buf_append(&p->id, value, vlen);
        }
    } else if (IS("retry")) {
        long ms = 0;
        size_t i = 0;
        for (; i < vlen && value[i] >= '0' && value[i] <= '9' && ms < 100000000; i++)
            ms = ms * 10 + (value[i] - '0');
        if (vlen > 0 && i == vlen)
            p->retry_ms = ms;
    }
#undef IS
}

/* One complete line (without its line end). */
static int line(pd_sse *p, pd_sse_cb cb, void *ud)
{
    const char *s = pd_buf_str(&p->line);
    size_t n = p->line.len;
    if (!p->started) {
        p->started = true;
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3, n -= 3;
    }
    int rc = 0;
    if (n == 0) {
        rc = dispatch(p, cb, ud);
    } else if (s[0] != ':') {   /* a ':' first is a comment */
        const char *colon = memchr(s, ':', n);
        if (!colon) {
            field(p, s, n, "", 0);
        } else {
            size_t nlen = (size_t)(colon - s);
            const char *v = colon + 1;
            size_t vlen = n - nlen - 1;
            if (vlen && *v == ' ')
                v++, vlen--;
            field(p, s, nlen, v, vlen);
        }
    }
    pd_buf_reset(&p->line);
    return rc;
}

int pd_sse_feed(pd_sse *p, const char *bytes, size_t n, pd_sse_cb cb, void *ud, pd_error *err)
{
    size_t max = p->max_event ? p->max_event : DEFAULT_MAX_EVENT;
    size_t i = 0;
    while (i < n) {
        if (p->after_cr) {
            p->after_cr = false;
            if (bytes[i] == '\n') {
                i++;
                continue;
            }
        }
        size_t j = i;
        while (j < n && bytes[j] != '\n' && bytes[j] != '\r')
            j++;
        pd_buf_append(&p->line, bytes + i, j - i);
        if (p->line.len + p->data.len > max)
            return pd_error_set(err, PD_ERR_LIMIT, "event stream: one event is larger than %zu bytes", max);
        if (j == n)
            break;
        p->after_cr = bytes[j] == '\r';
        i = j + 1;
        int rc = line(p, cb, ud);
        if (rc)
            return rc;
    }
    return 0;
}

int pd_sse_finish(pd_sse *p, pd_sse_cb cb, void *ud, pd_error *err)
{
    (void)err;
    int rc = 0;
    if (p->line.len)
        rc = line(p, cb, ud);
    if (!rc)
        rc = dispatch(p, cb, ud);
    p->after_cr = false;
    return rc;
}
