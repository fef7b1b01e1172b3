/* ids.c: version and event ids (time-sortable, collision-free) and RFC 3339 times in milliseconds. */
#include "model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/base.h"

/* Crockford's base32, lower case: no i, l, o, u (they read as 1, 1, 0, v). */
static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";

static void random_bytes(unsigned char *r, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom(r + got, n - got, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (got < n) {   /* no entropy source: time and address still make collisions unlikely */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)(uintptr_t)r;
        for (size_t i = got; i < n; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
            r[i] = (unsigned char)(x >> 56);
    }
}

/* 10 characters of time (48 bits used), then 16 of the 80 bits in r. */
static char *encode(int64_t ms, const unsigned char r[10])
{
    char *id = pd_xmalloc(PD_ID_LEN + 1);
    uint64_t t = ms < 0 ? 0 : (uint64_t)ms & 0xFFFFFFFFFFFFull;
    for (int i = 9; i >= 0; i--, t >>= 5)
        id[i] = b32[t & 31];
    /* 80 bits = 16 groups of 5 */
    for (int i = 0; i < 16; i++) {
        int bit = i * 5, v = 0;
        for (int k = 0; k < 5; k++, bit++)
            v = (v << 1) | ((r[bit / 8] >> (7 - bit % 8)) & 1);
        id[10 + i] = b32[v];
    }
    id[PD_ID_LEN] = '\0';
    return id;
}

char *pd_id_new(int64_t ms)
{
    unsigned char r[10];
    random_bytes(r, sizeof r);
    return encode(ms, r);
}

char *pd_id_derived(int64_t ms, const void *data, size_t len)
{
    uint64_t a = pd_hash(PD_HASH_SEED, data, len);
    uint64_t b = pd_hash(a ^ 0x9e3779b97f4a7c15ull, data, len);
    unsigned char r[10];
    for (int i = 0; i < 8; i++)
        r[i] = (unsigned char)(a >> (56 - 8 * i));
    r[8] = (unsigned char)(b >> 56);
    r[9] = (unsigned char)(b >> 48);
    return encode(ms, r);
}

bool pd_id_valid(const char *s)
{
    if (!s || strlen(s) != PD_ID_LEN)
        return false;
    for (const char *c = s; *c; c++)
        if (!strchr(b32, *c))
            return false;
    return true;
}

int64_t pd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm; no time zone involved). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

bool pd_time_parse_ms(const char *s, int64_t *out)
{
    *out = 0;
    if (!s)
        return false;
    const char *p = s;
    int y, mo, d, h, mi, sec, ms = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return false;
    if ((*p != 'T' && *p != 't' && *p != ' ') || (p++, !digits(&p, 2, &h)) || *p++ != ':' || !digits(&p, 2, &mi) ||
        *p++ != ':' || !digits(&p, 2, &sec))
        return false;
    if (*p == '.') {   /* fractions: milliseconds kept, the rest dropped */
        p++;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                ms = ms * 10 + (*p - '0');
        if (n == 0)
            return false;
        for (; n < 3; n++)
            ms *= 10;
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
            return false;
        offset = sign * (oh * 60 + om);
    } else {
        return false;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
    *out = secs * 1000 + ms;
    return true;
}

char *pd_time_format_ms(int64_t ms)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char *s = pd_xmalloc(40);
    snprintf(s, 40, "%s.%03dZ", when, frac);
    return s;
}
