/* curl_lazy.c: libcurl loaded on first use (dlopen) instead of at start-up.
 * Linking libcurl makes every command pay for loading it and its ~25 dependencies (TLS, LDAP,
 * Kerberos, RTMP: about 3 ms of CPU here), although only runs use the network; `promptdeck
 * diff` or `list` never do. These functions carry libcurl's own names and prototypes, so
 * http.c and the providers call libcurl as usual; each one loads the library once and
 * forwards. The library handle and function table are the one process-wide state in api/:
 * a shared library is loaded once per process whatever we do. Variadic options are forwarded
 * by the type curl encodes in each option's number (long, pointer, function, curl_off_t). */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>

#include "net.h"

#define PD_CURL_FUNCTIONS(X)                                                                        \
    X(CURL *, easy_init, (void))                                                                    \
    X(void, easy_cleanup, (CURL *))                                                                 \
    X(CURLcode, easy_setopt, (CURL *, CURLoption, ...))                                             \
    X(CURLcode, easy_getinfo, (CURL *, CURLINFO, ...))                                              \
    X(const char *, easy_strerror, (CURLcode))                                                      \
    X(char *, easy_escape, (CURL *, const char *, int))                                             \
    X(void, free, (void *))                                                                         \
    X(time_t, getdate, (const char *, const time_t *))                                              \
    X(struct curl_slist *, slist_append, (struct curl_slist *, const char *))                       \
    X(void, slist_free_all, (struct curl_slist *))                                                  \
    X(CURLM *, multi_init, (void))                                                                  \
    X(CURLMcode, multi_cleanup, (CURLM *))                                                          \
    X(CURLMcode, multi_setopt, (CURLM *, CURLMoption, ...))                                         \
    X(CURLMcode, multi_add_handle, (CURLM *, CURL *))                                               \
    X(CURLMcode, multi_remove_handle, (CURLM *, CURL *))                                            \
    X(CURLMcode, multi_socket_action, (CURLM *, curl_socket_t, int, int *))                         \
    X(CURLMsg *, multi_info_read, (CURLM *, int *))                                                 \
    X(CURLU *, url, (void))                                                                         \
    X(void, url_cleanup, (CURLU *))                                                                 \
    X(CURLUcode, url_set, (CURLU *, CURLUPart, const char *, unsigned int))                         \
    X(CURLUcode, url_get, (CURLU *, CURLUPart, char **, unsigned int))

static struct {
    int state;   /* 0 not tried, 1 loaded, -1 failed */
    char error[256];
#define PD_CURL_FIELD(ret, name, args) ret(*name) args;
    PD_CURL_FUNCTIONS(PD_CURL_FIELD)
} lib;

static int load(void)
{
    if (lib.state)
        return lib.state;
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(lib.error, sizeof lib.error, "cannot load libcurl (libcurl.so.4): %s", dlerror());
        return lib.state = -1;
    }
#define PD_CURL_RESOLVE(ret, name, args)                                                            \
    if (!(*(void **)&lib.name = dlsym(h, "curl_" #name))) {                                         \
        snprintf(lib.error, sizeof lib.error, "libcurl.so.4 has no curl_%s: too old a libcurl", #name); \
        return lib.state = -1;                                                                      \
    }
    PD_CURL_FUNCTIONS(PD_CURL_RESOLVE)
    return lib.state = 1;
}

int pd_http_library_ready(pd_error *err)
{
    if (load() < 0)
        return pd_error_set(err, PD_ERR_NETWORK, "%s", lib.error);
    return 0;
}

/* One option argument, taken by the type curl gives it (option number / 10000). */
typedef union { long l; void *p; void (*f)(void); curl_off_t o; } curl_arg;

static curl_arg take_arg(long option, va_list *ap)
{
    curl_arg a;
    switch (option / 10000) {
    case 0: a.l = va_arg(*ap, long); break;
    case 2: a.f = va_arg(*ap, void (*)(void)); break;
    case 3: a.o = va_arg(*ap, curl_off_t); break;
    default: a.p = va_arg(*ap, void *); break;   /* objects, strings, lists, blobs */
    }
    return a;
}

/* Calls f(h, option, arg) passing the argument as the type the option's number gives it. */
#define PD_CURL_CALL_OPTION(fn, handle, opt, arg)                                                  \
    ((long)(opt) / 10000 == 0   ? fn(handle, opt, (arg).l)                                          \
     : (long)(opt) / 10000 == 2 ? fn(handle, opt, (arg).f)                                          \
     : (long)(opt) / 10000 == 3 ? fn(handle, opt, (arg).o)                                          \
                                : fn(handle, opt, (arg).p))

CURLcode curl_easy_setopt(CURL *e, CURLoption option, ...)
{
    va_list ap;
    va_start(ap, option);
    curl_arg a = take_arg((long)option, &ap);
    va_end(ap);
    return load() < 0 ? CURLE_FAILED_INIT : PD_CURL_CALL_OPTION(lib.easy_setopt, e, option, a);
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
    va_list ap;
    va_start(ap, option);
    curl_arg a = take_arg((long)option, &ap);
    va_end(ap);
    return load() < 0 ? CURLM_INTERNAL_ERROR : PD_CURL_CALL_OPTION(lib.multi_setopt, m, option, a);
}

CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
    if (load() < 0)
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *);   /* every CURLINFO takes a pointer to its result */
    va_end(ap);
    return lib.easy_getinfo(e, info, out);
}

/* The others have fixed arguments: forward, or answer as libcurl does on failure. */
CURL *curl_easy_init(void) { return load() > 0 ? lib.easy_init() : NULL; }
void curl_easy_cleanup(CURL *e) { if (load() > 0) lib.easy_cleanup(e); }
const char *curl_easy_strerror(CURLcode c) { return load() > 0 ? lib.easy_strerror(c) : lib.error; }
char *curl_easy_escape(CURL *e, const char *s, int n) { return load() > 0 ? lib.easy_escape(e, s, n) : NULL; }
void curl_free(void *p) { if (p && load() > 0) lib.free(p); }
time_t curl_getdate(const char *p, const time_t *u) { return load() > 0 ? lib.getdate(p, u) : (time_t)-1; }
struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s) { return load() > 0 ? lib.slist_append(l, s) : NULL; }
void curl_slist_free_all(struct curl_slist *l) { if (l && load() > 0) lib.slist_free_all(l); }
CURLM *curl_multi_init(void) { return load() > 0 ? lib.multi_init() : NULL; }
CURLMcode curl_multi_cleanup(CURLM *m) { return load() > 0 ? lib.multi_cleanup(m) : CURLM_INTERNAL_ERROR; }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *e) { return load() > 0 ? lib.multi_add_handle(m, e) : CURLM_INTERNAL_ERROR; }
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *e) { return load() > 0 ? lib.multi_remove_handle(m, e) : CURLM_INTERNAL_ERROR; }
CURLMcode curl_multi_socket_action(CURLM *m, curl_socket_t s, int ev, int *running)
{
    return load() > 0 ? lib.multi_socket_action(m, s, ev, running) : CURLM_INTERNAL_ERROR;
}
CURLMsg *curl_multi_info_read(CURLM *m, int *left) { return load() > 0 ? lib.multi_info_read(m, left) : NULL; }
CURLU *curl_url(void) { return load() > 0 ? lib.url() : NULL; }
void curl_url_cleanup(CURLU *u) { if (u && load() > 0) lib.url_cleanup(u); }
CURLUcode curl_url_set(CURLU *u, CURLUPart p, const char *s, unsigned int f)
{
    return load() > 0 ? lib.url_set(u, p, s, f) : CURLUE_OUT_OF_MEMORY;
}
CURLUcode curl_url_get(CURLU *u, CURLUPart p, char **s, unsigned int f)
{
    return load() > 0 ? lib.url_get(u, p, s, f) : CURLUE_OUT_OF_MEMORY;
}
