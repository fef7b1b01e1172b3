/* net.h: HTTP transfers over the libcurl multi interface driven by the caller's poll() loop, and
 * the incremental Server-Sent Events parser.
 *
 *   net.h        this interface
 *   curl_lazy.c  libcurl loaded on first use (dlopen) instead of at start-up
 *   http.c       libcurl multi transfers exposed as sockets + a timeout to the caller's poll() loop
 *   sse.c        Server-Sent Events parsing after the WHATWG "event stream interpretation" rules
 */
#ifndef PD_NET_H
#define PD_NET_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

/* http.h: HTTP transfers over the libcurl multi interface, driven by the caller's own poll() loop. */



/* How a caller's loop drives it (the app's one poll() over the tty, a signal pipe and curl):
 *
 *     struct pollfd fds[64];
 *     size_t n = 0;
 *     fds[n++] = (struct pollfd){.fd = tty, .events = POLLIN};
 *     size_t first = n;
 *     n += pd_http_pollfds(http, fds + n, 64 - n);        // curl's sockets, events filled in
 *     int timeout = pd_http_timeout_ms(http);             // -1: nothing pending
 *     poll(fds, n, min(timeout, my_own_timeout));
 *     pd_http_step(http, fds + first, n - first);          // advances transfers, runs callbacks
 *
 * pd_http_step may be called at any time (e.g. after poll was woken by a key): it acts on the
 * ready sockets given and on curl's timers that have expired, and does nothing otherwise.
 * Callbacks run only from inside pd_http_step or pd_http_wait, never from another thread.
 * Several transfers run at once on one pd_http. TLS certificates are always verified. */

typedef struct pd_http pd_http;
typedef struct pd_http_transfer pd_http_transfer;

/* Result of a finished transfer, given to on_done. */
typedef struct pd_http_result {
    long status;              /* HTTP status (200, 401, 429 ...), 0 when no response came */
    pd_code code;             /* PD_OK when the response arrived whole (whatever its status);
                                 PD_ERR_NETWORK for refused, DNS, timeouts, a cut stream */
    const char *message;      /* plain message for code != PD_OK ("connection refused by
                                 127.0.0.1 port 9"), "" otherwise; valid during on_done only */
    long retry_after_s;       /* the Retry-After header in seconds, -1 when absent */
    bool connect_timeout;     /* the connection was not made within connect_timeout_ms */
    bool idle_timeout;        /* no byte arrived for idle_timeout_ms after connecting */
    double total_ms;          /* from the start of the request (after any delay) */
} pd_http_result;

typedef struct pd_http_callbacks {
    /* Response headers are complete (status known); called once per transfer before any data.
     * May be NULL. */
    void (*on_response)(void *ud, long status);
    /* Body bytes as they arrive (any chunk size). Return false to abort the transfer (then
     * on_done is not called: treat it as a cancel). */
    bool (*on_data)(void *ud, const char *data, size_t n);
    /* The transfer ended (succeeded or failed). The transfer handle is freed right after this
     * returns; do not cancel it. Starting other transfers from here is allowed. */
    void (*on_done)(void *ud, const pd_http_result *res);
    void *ud;
} pd_http_callbacks;

typedef struct pd_http_header {
    const char *name;
    const char *value;
} pd_http_header;

typedef struct pd_http_request {
    const char *method;           /* "GET", "POST"; NULL means POST when body is set, else GET */
    const char *url;
    const pd_http_header *headers;
    size_t n_headers;
    const char *body;             /* copied; may be NULL */
    size_t body_len;
    long connect_timeout_ms;      /* 0: 10000 */
    long idle_timeout_ms;         /* 0: 120000. No byte for this long after connecting: abort */
    long delay_ms;                /* wait this long before starting (used for retries); 0: now */
} pd_http_request;

/* A new transfer set. Caller frees with pd_http_free (which cancels what is left, without
 * calling on_done). */
int pd_http_new(pd_http **out, pd_error *err);
/* Loads libcurl if not yet loaded (api/curl_lazy.c: it is opened on first use, not at start-up).
 * NETWORK error saying why when it cannot be loaded. pd_http_new calls it. */
int pd_http_library_ready(pd_error *err);
void pd_http_free(pd_http *h);

/* Starts a transfer (or schedules it after req->delay_ms). The request is copied. *out (may be
 * NULL) is owned by h: valid until on_done returns or pd_http_cancel is called. */
int pd_http_start(pd_http *h, const pd_http_request *req, const pd_http_callbacks *cb,
                  pd_http_transfer **out, pd_error *err);
/* Stops a transfer at once. No further callback is made for it (on_done included). Safe from
 * inside any callback (of this transfer or another). */
void pd_http_cancel(pd_http *h, pd_http_transfer *t);

/* Number of transfers not yet done (running or waiting for their delay). */
size_t pd_http_active(const pd_http *h);
/* Fills fds with the sockets curl wants watched (fd, events; revents zeroed); returns how
 * many it wrote (at most max). The number changes only inside pd_http_step/start/cancel. */
size_t pd_http_pollfds(const pd_http *h, struct pollfd *fds, size_t max);
/* Milliseconds until pd_http_step must be called even without ready sockets; 0 when due now,
 * -1 when no timer is pending. */
int pd_http_timeout_ms(const pd_http *h);
/* Acts on the sockets in fds whose revents are set, and on expired timers, then delivers
 * callbacks. fds may be NULL (n == 0): only timers. */
void pd_http_step(pd_http *h, const struct pollfd *fds, size_t n);
/* Blocks, polling and stepping, until no transfer is left (for the command line). Returns -1
 * with err set only when poll() itself fails; transfer errors go to each on_done. A signal
 * (EINTR) makes it return 1 so the caller can cancel; 0 when all transfers ended. */
int pd_http_wait(pd_http *h, pd_error *err);

/* Monotonic clock in milliseconds (for latency figures). */
double pd_http_now_ms(void);

/* sse.h: an incremental Server-Sent Events parser (any chunk boundary, LF/CRLF/CR line ends). */



/* One dispatched event. Pointers are valid during the callback only. */
typedef struct pd_sse_event {
    const char *event;         /* the event: field, "message" when none was given */
    const char *data;          /* data: lines joined with "\n" (no trailing newline), NUL-terminated */
    size_t data_len;
    const char *id;            /* the last event id seen so far, "" when none */
} pd_sse_event;

/* Return 0 to go on, non-zero to stop parsing (pd_sse_feed then returns that value). */
typedef int (*pd_sse_cb)(void *ud, const pd_sse_event *ev);

/* Parser state; embed it, start with pd_sse_init, end with pd_sse_clear. */
typedef struct pd_sse {
    pd_buf line;               /* the line being read */
    pd_buf data;               /* the event's data so far */
    pd_buf event;              /* the event's type so far */
    pd_buf id;                 /* last event id */
    bool has_data;             /* a data: field was seen in this event */
    bool after_cr;             /* the last byte was CR: a following LF belongs to it */
    bool started;              /* the first line was read (a BOM is only stripped there) */
    long retry_ms;             /* the last retry: value, -1 when none */
    size_t max_event;          /* bound on one event's size (bytes); 0 gives 16 MiB */
} pd_sse;

void pd_sse_init(pd_sse *p);
void pd_sse_clear(pd_sse *p);
/* Feeds bytes; calls cb for each event completed by a blank line. Returns 0, the callback's
 * non-zero value, or -1 with err set (PD_ERR_LIMIT) when an event exceeds max_event. */
int pd_sse_feed(pd_sse *p, const char *bytes, size_t n, pd_sse_cb cb, void *ud, pd_error *err);
/* End of stream: a last line without a line end is processed, and an event with data that
 * was not followed by a blank line is still dispatched (the WHATWG spec drops it; providers'
 * last event sometimes lacks the blank line, and dropping it would lose the answer's end). */
int pd_sse_finish(pd_sse *p, pd_sse_cb cb, void *ud, pd_error *err);

#endif
