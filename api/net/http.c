/* http.c: libcurl multi transfers exposed as sockets + a timeout to the caller's poll() loop. */
#include "net.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/base.h"

typedef struct http_sock {
    curl_socket_t fd;
    int what;                  /* CURL_POLL_IN / OUT / INOUT */
} http_sock;

struct pd_http_transfer {
    pd_http *h;
    CURL *easy;
    struct curl_slist *headers;
    char *url;
    char *host;                /* "HOST port P" for messages */
    pd_http_callbacks cb;
    long connect_timeout_ms, idle_timeout_ms;
    double start_at;           /* when a delayed transfer is due */
    double t0;                 /* when it was handed to curl */
    double last_activity;      /* last byte (or the connection) */
    bool added;                /* handed to curl */
    bool connected;
    bool responded;            /* on_response called */
    bool cancelled;            /* no more callbacks; freed at the next sweep */
    bool idle_expired;
    long retry_after_s;
    char errbuf[CURL_ERROR_SIZE];
    pd_http_transfer *next;
};

struct pd_http {
    CURLM *multi;
    http_sock *socks;
    size_t n_socks, cap_socks;
    double timer_at;           /* curl's timer deadline, < 0 when none */
    pd_http_transfer *list;
    int depth;                 /* > 0 while inside pd_http_step: cancels are deferred */
};

double pd_http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- curl's socket and timer callbacks ---- */

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    (void)socketp;
    pd_http *h = userp;
    size_t i = 0;
    while (i < h->n_socks && h->socks[i].fd != fd)
        i++;
    if (what == CURL_POLL_REMOVE) {
        if (i < h->n_socks)
            h->socks[i] = h->socks[--h->n_socks];
        return 0;
    }
    if (i == h->n_socks) {
        if (h->n_socks == h->cap_socks) {
            h->cap_socks = h->cap_socks ? h->cap_socks * 2 : 8;
            h->socks = pd_xrealloc(h->socks, h->cap_socks * sizeof *h->socks);
        }
        h->socks[h->n_socks++].fd = fd;
    }
    h->socks[i].what = what;
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    pd_http *h = userp;
    h->timer_at = timeout_ms < 0 ? -1 : pd_http_now_ms() + (double)timeout_ms;
    return 0;
}

/* ---- per-transfer callbacks ---- */

/* A byte arrived: the transfer is connected and not idle. False when it was cancelled. */
static bool touch(pd_http_transfer *t)
{
    if (t->cancelled)
        return false;
    t->last_activity = pd_http_now_ms();
    t->connected = true;
    return true;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    pd_http_transfer *t = userp;
    size_t n = size * nmemb;
    if (!touch(t))
        return 0;
    if (!t->responded) {
        t->responded = true;
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        if (t->cb.on_response)
            t->cb.on_response(t->cb.ud, status);
        if (t->cancelled)
            return 0;
    }
    if (n && t->cb.on_data && !t->cb.on_data(t->cb.ud, data, n))
        t->cancelled = true;
    return t->cancelled ? 0 : n;
}

/* Retry-After: delay-seconds or an HTTP-date. */
static long parse_retry_after(const char *v, size_t n)
{
    char tmp[128];
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    char *end;
    long s = strtol(tmp, &end, 10);
    if (end != tmp && *end == '\0')
        return s < 0 ? -1 : s;
    time_t when = curl_getdate(tmp, NULL);
    if (when < 0)
        return -1;
    time_t now = time(NULL);
    return when > now ? (long)(when - now) : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    pd_http_transfer *t = userp;
    size_t n = size * nmemb;
    if (!touch(t))
        return 0;
    static const char ra[] = "retry-after:";
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
        t->retry_after_s = -1;
    else if (n > sizeof ra - 1 && strncasecmp(data, ra, sizeof ra - 1) == 0)
        t->retry_after_s = parse_retry_after(data + sizeof ra - 1, n - (sizeof ra - 1));
    return n;
}

/* ---- life of a transfer ---- */

static void transfer_free(pd_http_transfer *t)
{
    if (t->easy) {
        if (t->added)
            curl_multi_remove_handle(t->h->multi, t->easy);
        curl_easy_cleanup(t->easy);
    }
    curl_slist_free_all(t->headers);
    free(t->url);
    free(t->host);
    free(t);
}

static void unlink_transfer(pd_http *h, pd_http_transfer *t)
{
    for (pd_http_transfer **p = &h->list; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            return;
        }
}

/* "HOST port P" from the URL, for messages (never the path or query). Caller frees. */
static char *url_host(const char *url)
{
    char *host = NULL, *port = NULL, *out;
    CURLU *u = curl_url();
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
        curl_url_get(u, CURLUPART_HOST, &host, 0);
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    }
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s", host ? host : "the server");
    if (port)
        pd_buf_printf(&b, " port %s", port);
    out = pd_buf_take(&b);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out;
}

static void describe_failure(pd_http_transfer *t, CURLcode rc, pd_http_result *res, pd_buf *msg)
{
    res->code = PD_ERR_NETWORK;
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        pd_buf_printf(msg, "could not resolve the host name of %s (DNS lookup failed)", t->host);
        break;
    case CURLE_COULDNT_CONNECT:
        pd_buf_printf(msg, "could not connect to %s: connection refused or unreachable", t->host);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (!t->connected) {
            res->connect_timeout = true;
            pd_buf_printf(msg, "no connection to %s within %.1f s (connect timeout)", t->host,
                          (double)t->connect_timeout_ms / 1000.0);
        } else {
            res->idle_timeout = true;
            pd_buf_printf(msg, "%s sent nothing more for %.1f s (idle timeout)", t->host,
                          (double)t->idle_timeout_ms / 1000.0);
        }
        break;
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP2:
        pd_buf_printf(msg, "the connection to %s was cut before the answer ended", t->host);
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        pd_buf_printf(msg, "TLS with %s failed: %s", t->host, detail);
        break;
    default:
        pd_buf_printf(msg, "network error with %s: %s", t->host, detail);
        break;
    }
}

/* Ends t: tells the caller (unless cancelled) and frees it. */
static void finish(pd_http *h, pd_http_transfer *t, CURLcode rc)
{
    unlink_transfer(h, t);
    if (!t->cancelled && t->cb.on_done) {
        pd_http_result res = {.retry_after_s = t->retry_after_s, .message = ""};
        pd_buf msg = PD_BUF_INIT;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res.status);
        res.total_ms = pd_http_now_ms() - t->t0;
        if (t->idle_expired) {
            res.code = PD_ERR_NETWORK;
            res.idle_timeout = true;
            pd_buf_printf(&msg, "%s sent nothing more for %.1f s (idle timeout)", t->host,
                          (double)t->idle_timeout_ms / 1000.0);
        } else if (rc != CURLE_OK) {
            describe_failure(t, rc, &res, &msg);
        }
        if (!t->responded && res.status > 0 && t->cb.on_response) {
            t->responded = true;
            t->cb.on_response(t->cb.ud, res.status);
        }
        res.message = pd_buf_str(&msg);
        t->cb.on_done(t->cb.ud, &res);
        pd_buf_free(&msg);
    }
    transfer_free(t);
}

int pd_http_new(pd_http **out, pd_error *err)
{
    *out = NULL;
    if (pd_http_library_ready(err) != 0)
        return -1;
    pd_http *h = pd_xcalloc(1, sizeof *h);
    h->timer_at = -1;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        return pd_error_set(err, PD_ERR_NOMEM, "http: curl_multi_init failed");
    }
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    *out = h;
    return 0;
}

void pd_http_free(pd_http *h)
{
    if (!h)
        return;
    while (h->list) {
        pd_http_transfer *t = h->list;
        h->list = t->next;
        transfer_free(t);
    }
    curl_multi_cleanup(h->multi);
    free(h->socks);
    free(h);
}

static void hand_to_curl(pd_http *h, pd_http_transfer *t)
{
    t->added = true;
    t->t0 = t->last_activity = pd_http_now_ms();
    curl_multi_add_handle(h->multi, t->easy);
}

int pd_http_start(pd_http *h, const pd_http_request *req, const pd_http_callbacks *cb,
                  pd_http_transfer **out, pd_error *err)
{
    if (out)
        *out = NULL;
    if (!req->url || !*req->url)
        return pd_error_set(err, PD_ERR_INVALID_REQUEST, "http: no URL given");
    pd_http_transfer *t = pd_xcalloc(1, sizeof *t);
    t->h = h;
    t->cb = *cb;
    t->retry_after_s = -1;
    t->connect_timeout_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000;
    t->idle_timeout_ms = req->idle_timeout_ms > 0 ? req->idle_timeout_ms : 120000;
    t->url = pd_strdup(req->url);
    t->host = url_host(req->url);
    t->easy = curl_easy_init();
    if (!t->easy) {
        transfer_free(t);
        return pd_error_set(err, PD_ERR_NOMEM, "http: curl_easy_init failed");
    }
    CURL *e = t->easy;
    for (size_t i = 0; i < req->n_headers; i++) {
        pd_buf line = PD_BUF_INIT;
        pd_buf_printf(&line, "%s: %s", req->headers[i].name, req->headers[i].value);
        t->headers = curl_slist_append(t->headers, pd_buf_str(&line));
        pd_buf_free(&line);
    }
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, t->url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "promptdeck/0.1");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    if (req->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body);
    }
    if (req->method && strcmp(req->method, req->body ? "POST" : "GET") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    t->next = h->list;
    h->list = t;
    if (req->delay_ms > 0)
        t->start_at = pd_http_now_ms() + (double)req->delay_ms;
    else
        hand_to_curl(h, t);
    if (out)
        *out = t;
    return 0;
}

void pd_http_cancel(pd_http *h, pd_http_transfer *t)
{
    if (!t || t->cancelled)
        return;
    t->cancelled = true;
    if (h->depth == 0) {
        unlink_transfer(h, t);
        transfer_free(t);
    }
}

size_t pd_http_active(const pd_http *h)
{
    size_t n = 0;
    for (const pd_http_transfer *t = h->list; t; t = t->next)
        n += !t->cancelled;
    return n;
}

size_t pd_http_pollfds(const pd_http *h, struct pollfd *fds, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n_socks && n < max; i++) {
        int w = h->socks[i].what;
        fds[n].fd = h->socks[i].fd;
        fds[n].events = (short)(((w & CURL_POLL_IN) ? POLLIN : 0) | ((w & CURL_POLL_OUT) ? POLLOUT : 0));
        fds[n].revents = 0;
        n++;
    }
    return n;
}

static double earliest(double a, double b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

int pd_http_timeout_ms(const pd_http *h)
{
    double at = h->timer_at;
    for (const pd_http_transfer *t = h->list; t; t = t->next) {
        if (t->cancelled)
            continue;
        if (!t->added)
            at = earliest(at, t->start_at);
        else if (t->connected)
            at = earliest(at, t->last_activity + (double)t->idle_timeout_ms);
    }
    if (at < 0)
        return -1;
    double left = at - pd_http_now_ms();
    if (left <= 0)
        return 0;
    return left > 1e9 ? 1000000000 : (int)left + 1;
}

/* Lets curl run its expired timers (adding a handle sets a timer that is due at once). */
static void run_due_timers(pd_http *h)
{
    int running;
    for (int i = 0; i < 8 && h->timer_at >= 0 && h->timer_at <= pd_http_now_ms(); i++) {
        h->timer_at = -1;
        curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
}

static void sweep_cancelled(pd_http *h)
{
    pd_http_transfer **p = &h->list;
    while (*p) {
        pd_http_transfer *t = *p;
        if (t->cancelled) {
            *p = t->next;
            transfer_free(t);
        } else {
            p = &t->next;
        }
    }
}

void pd_http_step(pd_http *h, const struct pollfd *fds, size_t n)
{
    int running;
    h->depth++;
    for (size_t i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        int flags = ((fds[i].revents & POLLIN) ? CURL_CSELECT_IN : 0) |
                    ((fds[i].revents & POLLOUT) ? CURL_CSELECT_OUT : 0) |
                    ((fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(h->multi, fds[i].fd, flags, &running);
    }
    double now = pd_http_now_ms();
    for (pd_http_transfer *t = h->list; t; t = t->next) {
        if (t->cancelled)
            continue;
        if (!t->added && t->start_at <= now) {
            hand_to_curl(h, t);
        } else if (t->added && !t->connected) {
            curl_off_t ct = 0;
            if (curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &ct) == CURLE_OK && ct > 0) {
                t->connected = true;
                t->last_activity = now;
            }
        } else if (t->added && now - t->last_activity >= (double)t->idle_timeout_ms) {
            t->idle_expired = true;
        }
    }
    run_due_timers(h);
    /* Idle transfers end here; the rest end when curl says so. */
    for (pd_http_transfer *t = h->list, *next; t; t = next) {
        next = t->next;
        if (t->idle_expired && !t->cancelled) {
            finish(h, t, CURLE_OPERATION_TIMEDOUT);
            next = h->list;   /* on_done may have changed the list: start over */
        }
    }
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        pd_http_transfer *t = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        CURLcode rc = m->data.result;
        if (t)
            finish(h, t, rc);
    }
    h->depth--;
    if (h->depth == 0)
        sweep_cancelled(h);
}

int pd_http_wait(pd_http *h, pd_error *err)
{
    struct pollfd *fds = NULL;
    size_t cap = 0;
    int rc = 0;
    while (pd_http_active(h) > 0) {
        if (cap < h->n_socks + 1) {
            cap = h->n_socks + 8;
            fds = pd_xrealloc(fds, cap * sizeof *fds);
        }
        size_t n = pd_http_pollfds(h, fds, cap);
        int timeout = pd_http_timeout_ms(h);
        if (timeout < 0 || timeout > 1000)
            timeout = 1000;   /* wake at least once a second: a caller may be waiting on a signal flag */
        int r = poll(fds, (nfds_t)n, timeout);
        if (r < 0) {
            if (errno == EINTR) {
                rc = 1;
                break;
            }
            rc = pd_error_set(err, PD_ERR_IO, "http: poll failed: %s", strerror(errno));
            break;
        }
        pd_http_step(h, fds, n);
    }
    free(fds);
    return rc;
}
