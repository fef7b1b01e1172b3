/* schema_format.c: "format" checks (RFC 3339 dates and times, durations, e-mail, host names, IP
 * addresses, URIs and IRIs, URI templates, UUIDs, JSON pointers, regexes), used when formats assert. */
#include "schema_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string being read: p moves, end is fixed. */
typedef struct scan {
    const char *p, *end;
} scan;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Exactly n ASCII digits, their value in *v. */
static bool digits(scan *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, s->p++) {
        if (s->p >= s->end || !is_digit(*s->p))
            return false;
        *v = *v * 10 + (*s->p - '0');
    }
    return true;
}

static bool lit(scan *s, char c)
{
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

/* ---- dates and times (RFC 3339 section 5.6) ---- */

static bool full_date(scan *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (!digits(s, 4, &y) || !lit(s, '-') || !digits(s, 2, &m) || !lit(s, '-') || !digits(s, 2, &d))
        return false;
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* partial-time and time-offset; a leap second only where UTC is 23:59:60. */
static bool full_time(scan *s)
{
    int h, m, sec, oh = 0, om = 0;
    if (!digits(s, 2, &h) || !lit(s, ':') || !digits(s, 2, &m) || !lit(s, ':') || !digits(s, 2, &sec))
        return false;
    if (lit(s, '.')) {
        const char *start = s->p;
        while (s->p < s->end && is_digit(*s->p))
            s->p++;
        if (s->p == start)
            return false;
    }
    int sign = 0;
    if (!lit(s, 'Z') && !lit(s, 'z')) {
        if (lit(s, '+'))
            sign = 1;
        else if (lit(s, '-'))
            sign = -1;
        else
            return false;
        if (!digits(s, 2, &oh) || !lit(s, ':') || !digits(s, 2, &om) || oh > 23 || om > 59)
            return false;
    }
    if (h > 23 || m > 59 || sec > 60)
        return false;
    if (sec == 60) {
        int utc = ((h * 60 + m - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return true;
}

static bool check_date_time(scan *s)
{
    return full_date(s) && (lit(s, 'T') || lit(s, 't')) && full_time(s);
}

/* RFC 3339 appendix A: P, then date units (Y M D in a run, none skipped) and T with time
 * units (H M S likewise), or weeks alone. */
static bool check_duration(scan *s)
{
    if (!lit(s, 'P') || s->p == s->end)
        return false;
    const char *date_units = "YMD", *time_units = "HMS";
    const char *units = date_units;
    int last = -1;
    bool any = false, in_time = false, week = false;
    while (s->p < s->end) {
        if (*s->p == 'T' && !in_time) {
            s->p++;
            in_time = true;
            units = time_units;
            last = -1;
            if (s->p == s->end)
                return false;
            continue;
        }
        const char *start = s->p;
        while (s->p < s->end && is_digit(*s->p))
            s->p++;
        if (s->p == start || s->p == s->end)
            return false;
        char u = *s->p++;
        if (u == 'W' && !in_time && !any) {
            week = true;
        } else {
            const char *at = strchr(units, u);
            if (!at || week || (last >= 0 && at - units != last + 1))
                return false;
            last = (int)(at - units);
        }
        any = true;
    }
    return any && !(week && in_time);
}

/* ---- host names, addresses ---- */

static bool check_ipv4(scan *s)
{
    for (int part = 0; part < 4; part++) {
        if (part && !lit(s, '.'))
            return false;
        const char *start = s->p;
        int v = 0;
        while (s->p < s->end && is_digit(*s->p) && s->p - start < 3)
            v = v * 10 + (*s->p++ - '0');
        size_t n = (size_t)(s->p - start);
        if (n == 0 || v > 255 || (n > 1 && *start == '0'))
            return false;
    }
    return true;
}

static bool check_ipv6(scan *s)
{
    int groups = 0;
    bool gap = false;
    if (s->p + 1 < s->end && s->p[0] == ':' && s->p[1] == ':') {
        s->p += 2;
        gap = true;
        if (s->p == s->end)
            return true;
    }
    while (s->p < s->end) {
        const char *start = s->p;
        while (s->p < s->end && is_hex(*s->p) && s->p - start < 5)
            s->p++;
        size_t n = (size_t)(s->p - start);
        if (s->p < s->end && *s->p == '.') {   /* the last 32 bits as IPv4 */
            scan v4 = {start, s->end};
            if (!check_ipv4(&v4) || v4.p != s->end)
                return false;
            s->p = s->end;
            groups += 2;
            break;
        }
        if (n == 0 || n > 4)
            return false;
        groups++;
        if (s->p == s->end)
            break;
        if (!lit(s, ':'))
            return false;
        if (lit(s, ':')) {
            if (gap)
                return false;
            gap = true;
            if (s->p == s->end)
                break;
        } else if (s->p == s->end) {
            return false;
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* Host name labels (RFC 1123): letters, digits and inner hyphens, 63 at most, 253 in all.
 * With idn, any non-ASCII character counts as a letter (the IDNA tables are not here). */
static bool check_hostname(scan *s, bool idn)
{
    size_t total = (size_t)(s->end - s->p);
    if (total == 0 || total > 253)
        return false;
    while (s->p < s->end) {
        const char *start = s->p;
        while (s->p < s->end && *s->p != '.') {
            unsigned char c = (unsigned char)*s->p;
            if (!(is_alpha((char)c) || is_digit((char)c) || c == '-' || (idn && c >= 0x80)))
                return false;
            s->p++;
        }
        size_t n = (size_t)(s->p - start);
        if (n == 0 || n > 63 || start[0] == '-' || s->p[-1] == '-')
            return false;
        if (n >= 4 && start[2] == '-' && start[3] == '-' && strncmp(start, "xn", 2) && strncmp(start, "XN", 2))
            return false;   /* "--" in third and fourth place is kept for A-labels */
        if (s->p < s->end && ++s->p == s->end)
            return false;
    }
    return true;
}

/* addr-spec (RFC 5321 4.1.2): dot-atom or quoted local part; a host name or an address
 * literal after the @. */
static bool check_email(scan *s, bool idn)
{
    static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
    if (lit(s, '"')) {
        while (s->p < s->end && *s->p != '"') {
            if (*s->p == '\\' && s->p + 1 < s->end)
                s->p++;
            s->p++;
        }
        if (!lit(s, '"'))
            return false;
    } else {
        const char *start = s->p;
        while (s->p < s->end && *s->p != '@') {
            unsigned char c = (unsigned char)*s->p;
            bool dot = c == '.';
            if (!(is_alpha((char)c) || is_digit((char)c) || strchr(atext, c) || dot || (idn && c >= 0x80)))
                return false;
            if (dot && (s->p == start || s->p[1] == '.' || s->p[1] == '@'))
                return false;
            s->p++;
        }
        if (s->p == start)
            return false;
    }
    if (!lit(s, '@'))
        return false;
    if (lit(s, '[')) {
        if (s->end - s->p < 1 || s->end[-1] != ']')
            return false;
        scan inner = {s->p, s->end - 1};
        bool ok = inner.end - inner.p > 5 && !strncmp(inner.p, "IPv6:", 5)
                      ? (inner.p += 5, check_ipv6(&inner))
                      : check_ipv4(&inner);
        s->p = s->end;
        return ok && inner.p == inner.end;
    }
    return check_hostname(s, idn);
}

/* ---- URIs and IRIs (RFC 3986, RFC 3987) ---- */

/* The characters a URI may hold outside %-escapes (IRIs: any non-ASCII too). */
static bool uri_char(unsigned char c, bool iri)
{
    return is_alpha((char)c) || is_digit((char)c) || (c && strchr("-._~:/?#[]@!$&'()*+,;=", c)) || (iri && c >= 0x80);
}

static bool check_uri(scan *s, bool iri, bool relative_ok)
{
    const char *p = s->p;
    size_t n = (size_t)(s->end - p);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%') {
            if (i + 2 >= n || !is_hex(p[i + 1]) || !is_hex(p[i + 2]))
                return false;
            i += 2;
        } else if (!uri_char((unsigned char)p[i], iri)) {
            return false;
        }
    }
    size_t scheme = 0;
    if (n && is_alpha(p[0])) {
        scheme = 1;
        while (scheme < n && (is_alpha(p[scheme]) || is_digit(p[scheme]) || strchr("+-.", p[scheme])))
            scheme++;
    }
    bool absolute = scheme && scheme < n && p[scheme] == ':';
    if (!absolute && !relative_ok)
        return false;
    /* a relative reference's first segment has no ':' (it would read as a scheme) */
    if (!absolute && strcspn(p, ":") < strcspn(p, "/?#"))
        return false;
    const char *hier = absolute ? p + scheme + 1 : p;
    if (hier[0] == '/' && hier[1] == '/') {   /* authority: a bracketed IPv6 host must be one */
        const char *auth = hier + 2, *auth_end = auth + strcspn(auth, "/?#");
        const char *at = memchr(auth, '@', (size_t)(auth_end - auth));
        const char *host = at ? at + 1 : auth;
        if (host < auth_end && *host == '[') {
            const char *close = memchr(host, ']', (size_t)(auth_end - host));
            scan v6 = {host + 1, close};
            if (!close || !check_ipv6(&v6))
                return false;
        } else if (memchr(host, '[', (size_t)(auth_end - host)) || memchr(host, ']', (size_t)(auth_end - host))) {
            return false;
        } else {
            /* host[:port]: the port is digits */
            const char *colon = memchr(host, ':', (size_t)(auth_end - host));
            for (const char *q = colon ? colon + 1 : auth_end; q < auth_end; q++)
                if (!is_digit(*q))
                    return false;
        }
    }
    const char *hash = memchr(p, '#', n);
    if (hash && memchr(hash + 1, '#', (size_t)(s->end - hash - 1)))
        return false;
    s->p = s->end;
    return true;
}

/* RFC 6570: literals and {expressions}, not nested, none left open. */
static bool check_uri_template(scan *s)
{
    bool open = false;
    for (; s->p < s->end; s->p++) {
        if (*s->p == '{') {
            if (open)
                return false;
            open = true;
        } else if (*s->p == '}') {
            if (!open)
                return false;
            open = false;
        }
    }
    return !open;
}

/* ---- identifiers and pointers ---- */

static bool check_uuid(scan *s)
{
    if (s->end - s->p != 36)
        return false;
    for (int i = 0; i < 36; i++, s->p++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? *s->p != '-' : !is_hex(*s->p))
            return false;
    }
    return true;
}

static bool check_json_pointer(scan *s)
{
    if (s->p < s->end && *s->p != '/')
        return false;
    for (; s->p < s->end; s->p++)
        if (*s->p == '~' && (s->p + 1 == s->end || (s->p[1] != '0' && s->p[1] != '1')))
            return false;
    return true;
}

static bool check_relative_json_pointer(scan *s)
{
    const char *start = s->p;
    while (s->p < s->end && is_digit(*s->p))
        s->p++;
    if (s->p == start || (*start == '0' && s->p - start > 1))
        return false;
    if (lit(s, '#'))
        return s->p == s->end;
    return check_json_pointer(s);
}

static bool check_regex(scan *s)
{
    char msg[128];
    char *text = pd_strndup(s->p, (size_t)(s->end - s->p));
    sc_regex *re = sc_regex_compile(text, msg, sizeof msg);
    free(text);
    sc_regex_free(re);
    s->p = s->end;
    return re != NULL;
}

/* ---- the table ---- */

enum { F_PLAIN, F_IDN, F_REL };

static bool f_date_time(scan *s, int v) { (void)v; return check_date_time(s); }
static bool f_date(scan *s, int v) { (void)v; return full_date(s); }
static bool f_time(scan *s, int v) { (void)v; return full_time(s); }
static bool f_duration(scan *s, int v) { (void)v; return check_duration(s); }
static bool f_email(scan *s, int v) { return check_email(s, v == F_IDN); }
static bool f_hostname(scan *s, int v) { return check_hostname(s, v == F_IDN); }
static bool f_ipv4(scan *s, int v) { (void)v; return check_ipv4(s); }
static bool f_ipv6(scan *s, int v) { (void)v; return check_ipv6(s); }
static bool f_uri(scan *s, int v) { return check_uri(s, false, v == F_REL); }
static bool f_iri(scan *s, int v) { return check_uri(s, true, v == F_REL); }
static bool f_uri_template(scan *s, int v) { (void)v; return check_uri_template(s); }
static bool f_uuid(scan *s, int v) { (void)v; return check_uuid(s); }
static bool f_json_pointer(scan *s, int v) { (void)v; return check_json_pointer(s); }
static bool f_rel_pointer(scan *s, int v) { (void)v; return check_relative_json_pointer(s); }
static bool f_regex(scan *s, int v) { (void)v; return check_regex(s); }

static const struct {
    const char *name;
    int variant;
    bool (*check)(scan *s, int variant);
} formats[] = {
    {"date-time", F_PLAIN, f_date_time}, {"date", F_PLAIN, f_date}, {"time", F_PLAIN, f_time},
    {"duration", F_PLAIN, f_duration}, {"email", F_PLAIN, f_email}, {"idn-email", F_IDN, f_email},
    {"hostname", F_PLAIN, f_hostname}, {"idn-hostname", F_IDN, f_hostname},
    {"ipv4", F_PLAIN, f_ipv4}, {"ipv6", F_PLAIN, f_ipv6}, {"uri", F_PLAIN, f_uri},
    {"uri-reference", F_REL, f_uri}, {"iri", F_PLAIN, f_iri}, {"iri-reference", F_REL, f_iri},
    {"uri-template", F_PLAIN, f_uri_template}, {"uuid", F_PLAIN, f_uuid},
    {"json-pointer", F_PLAIN, f_json_pointer}, {"relative-json-pointer", F_PLAIN, f_rel_pointer},
    {"regex", F_PLAIN, f_regex},
};

bool sc_format_check(const char *format, const char *str, size_t len)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        if (strcmp(formats[i].name, format) != 0)
            continue;
        scan s = {str, str + len};
        return formats[i].check(&s, formats[i].variant) && s.p == s.end;
    }
    return true;
}
