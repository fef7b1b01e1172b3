/* fuzz_stream.c: libFuzzer target: arbitrary bytes through the SSE parser (split at a point the
 * input chooses) and every provider's decoder must never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "provider/provider.h"
#include "net/net.h"

typedef struct fz {
    pd_provider_stream st;
    pd_buf text;
} fz;

static void on_text(void *ud, const char *t, size_t n)
{
    pd_buf_append(&((fz *)ud)->text, t, n);
}

static int on_event(void *ud, const pd_sse_event *ev)
{
    fz *f = ud;
    pd_error err;
    pd_provider_decode(&f->st, ev, on_text, f, &err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const pd_provider_info *provider = pd_provider_at(data[0] % pd_provider_count());
    size_t cut = data[1] % (size - 1);
    const char *s = (const char *)data + 2;
    size_t n = size - 2;
    if (cut > n)
        cut = n;
    fz f;
    memset(&f, 0, sizeof f);
    pd_provider_stream_init(&f.st, provider);
    pd_sse p;
    pd_sse_init(&p);
    pd_error err;
    if (pd_sse_feed(&p, s, cut, on_event, &f, &err) == 0 && pd_sse_feed(&p, s + cut, n - cut, on_event, &f, &err) == 0)
        pd_sse_finish(&p, on_event, &f, &err);
    pd_sse_clear(&p);
    pd_provider_stream_clear(&f.st);
    pd_buf_free(&f.text);
    char *e = pd_provider_error_text(s, n);
    free(e);
    return 0;
}
