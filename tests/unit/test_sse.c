/* test_sse.c: the SSE parser gives the same events whatever the chunk boundaries and line ends. */
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "t.h"

/* Events serialised as "[event|id] data\n" lines. */
static int collect(void *ud, const pd_sse_event *ev)
{
    pd_buf *out = ud;
    pd_buf_printf(out, "[%s|%s] ", ev->event, ev->id);
    pd_buf_append(out, ev->data, ev->data_len);
    pd_buf_puts(out, "\n");
    CHECK(strlen(ev->data) == ev->data_len || memchr(ev->data, '\0', ev->data_len));
    return 0;
}

/* Parses s fed in pieces cut at the given offsets (sorted, cuts[0..ncuts)). Caller frees. */
static char *parse_cut(const char *s, size_t len, const size_t *cuts, size_t ncuts, long *retry)
{
    pd_sse p;
    pd_sse_init(&p);
    pd_buf out = PD_BUF_INIT;
    pd_error err = {0};
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        CHECK_INT(pd_sse_feed(&p, s + at, end - at, collect, &out, &err), 0);
        at = end;
    }
    CHECK_INT(pd_sse_finish(&p, collect, &out, &err), 0);
    if (retry)
        *retry = p.retry_ms;
    pd_sse_clear(&p);
    return pd_buf_take(&out);
}

static char *parse_whole(const char *s, long *retry)
{
    return parse_cut(s, strlen(s), NULL, 0, retry);
}

/* Every split into two pieces, every split into three (for short inputs), and 1-byte feeds
 * give what parsing it whole gives. */
static void check_all_boundaries(const char *s)
{
    size_t len = strlen(s);
    char *whole = parse_whole(s, NULL);
    int bad = 0;
    for (size_t a = 0; a <= len && !bad; a++) {
        char *got = parse_cut(s, len, &a, 1, NULL);
        if (strcmp(got, whole) != 0) {
            bad = 1;
            printf("#   split at %zu differs:\n%s\n# vs whole:\n%s\n", a, got, whole);
        }
        free(got);
        if (len <= 200)
            for (size_t b = a; b <= len && !bad; b++) {
                size_t cuts[2] = {a, b};
                char *g2 = parse_cut(s, len, cuts, 2, NULL);
                if (strcmp(g2, whole) != 0) {
                    bad = 1;
                    printf("#   split at %zu,%zu differs\n", a, b);
                }
                free(g2);
            }
    }
    size_t *ones = malloc((len + 1) * sizeof *ones);
    for (size_t i = 0; i < len; i++)
        ones[i] = i + 1;
    char *bytewise = parse_cut(s, len, ones, len ? len - 1 : 0, NULL);
    CHECK_STR(bytewise, whole);
    free(bytewise);
    free(ones);
    CHECK(!bad);
    free(whole);
}

/* s with every "\n" replaced by eol. Caller frees. */
static char *with_eol(const char *s, const char *eol)
{
    pd_buf b = PD_BUF_INIT;
    for (; *s; s++) {
        if (*s == '\n')
            pd_buf_puts(&b, eol);
        else
            pd_buf_putc(&b, *s);
    }
    return pd_buf_take(&b);
}

static const char openai_stream[] =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12}}\n\n"
    "data: [DONE]\n\n";

static const char anthropic_stream[] =
    "event: message_start\n"
    "data: {\"type\": \"message_start\", \"message\": {\"id\": \"msg_1\", \"usage\": {\"input_tokens\": 25, \"output_tokens\": 1}}}\n\n"
    "event: ping\n"
    "data: {\"type\": \"ping\"}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\": \"content_block_delta\",\"index\": 0,\"delta\": {\"type\": \"text_delta\", \"text\": \"Hello\"}}\n\n"
    "event: message_stop\n"
    "data: {\"type\": \"message_stop\"}\n\n";

static const char edge_stream[] =
    "\xEF\xBB\xBF: a comment first, after a byte order mark\n"
    "retry: 1500\n"
    "id: 7\n"
    "event: multi\n"
    "data: line one\n"
    "data:line two, no space\n"
    "data\n"
    "data:  two spaces keep one\n"
    "\n"
    ":keepalive\n"
    "\n"
    "event: empty-data-is-not-dispatched-without-data\n"
    "\n"
    "unknown: field\n"
    "data: after unknown\n"
    "retry: 12x\n"
    "\n"
    "id\n"
    "data: \xE2\x82\xAC last, no blank line at the end";

static void test_edge_cases_parse_as_spec(void)
{
    long retry = 0;
    char *got = parse_whole(edge_stream, &retry);
    CHECK_STR(got,
              "[multi|7] line one\nline two, no space\n\n two spaces keep one\n"
              "[message|7] after unknown\n"
              "[message|] \xE2\x82\xAC last, no blank line at the end\n");
    CHECK_INT(retry, 1500);
    free(got);
}

static void test_provider_samples_parse(void)
{
    char *got = parse_whole(anthropic_stream, NULL);
    CHECK(strstr(got, "[message_start|] {\"type\": \"message_start\""));
    CHECK(strstr(got, "[content_block_delta|] {"));
    CHECK(strstr(got, "[message_stop|] {\"type\": \"message_stop\"}\n"));
    free(got);
    got = parse_whole(openai_stream, NULL);
    CHECK(strstr(got, "[message|] [DONE]\n"));
    free(got);
}

static void test_every_boundary_lf(void)
{
    check_all_boundaries(edge_stream);
    check_all_boundaries(openai_stream);
    check_all_boundaries(anthropic_stream);
}

static void test_every_boundary_crlf_and_cr(void)
{
    const char *eols[] = {"\r\n", "\r"};
    for (size_t i = 0; i < 2; i++) {
        char *a = with_eol(edge_stream, eols[i]);
        char *lf = parse_whole(edge_stream, NULL);
        char *other = parse_whole(a, NULL);
        CHECK_STR(other, lf);
        check_all_boundaries(a);
        free(a);
        free(lf);
        free(other);
        a = with_eol(anthropic_stream, eols[i]);
        check_all_boundaries(a);
        free(a);
    }
}

static int stop_after_first(void *ud, const pd_sse_event *ev)
{
    (void)ev;
    ++*(int *)ud;
    return 42;
}

static void test_callback_can_stop(void)
{
    pd_sse p;
    pd_sse_init(&p);
    int calls = 0;
    pd_error err = {0};
    const char s[] = "data: a\n\ndata: b\n\n";
    CHECK_INT(pd_sse_feed(&p, s, sizeof s - 1, stop_after_first, &calls, &err), 42);
    CHECK_INT(calls, 1);
    pd_sse_clear(&p);
}

static void test_oversized_event_is_an_error(void)
{
    pd_sse p;
    pd_sse_init(&p);
    p.max_event = 64;
    pd_buf out = PD_BUF_INIT;
    pd_error err = {0};
    int rc = 0;
    for (int i = 0; i < 20 && rc == 0; i++)
        rc = pd_sse_feed(&p, "data: 0123456789\n", 17, collect, &out, &err);
    CHECK_INT(rc, -1);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    pd_buf_free(&out);
    pd_sse_clear(&p);
}

int main(void)
{
    RUN(test_edge_cases_parse_as_spec);
    RUN(test_provider_samples_parse);
    RUN(test_every_boundary_lf);
    RUN(test_every_boundary_crlf_and_cr);
    RUN(test_callback_can_stop);
    RUN(test_oversized_event_is_an_error);
    T_DONE();
}
