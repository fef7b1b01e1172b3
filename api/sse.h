/* sse.h: an incremental Server-Sent Events parser (any chunk boundary, LF/CRLF/CR line ends). */
#ifndef PD_SSE_H
#define PD_SSE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

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
