/* panes_text.c: the short forms the list and the timeline draw in narrow columns: labels,
 * dates relative to the versions around them, author initials. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "panes_priv.h"

const char *panes_label_short(const char *label)
{
    if (!strcmp(label, "production"))
        return "prod";
    if (!strcmp(label, "staging"))
        return "stage";
    return label;
}

void panes_today(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
}

/* true when t starts with "YYYY-MM-DD" and has "HH:MM" at 11. */
static bool has_date_time(const char *t)
{
    if (strlen(t) < 16)
        return false;
    for (int i = 0; i < 16; i++) {
        bool digit = t[i] >= '0' && t[i] <= '9';
        bool sep = i == 4 || i == 7 || i == 10 || i == 13;
        if (!sep && !digit)
            return false;
    }
    return t[4] == '-' && t[7] == '-' && t[13] == ':';
}

const char *panes_short_date(const char *rfc3339, const char *today, const char *newest, bool same_day,
                             char *buf, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char *t = rfc3339 ? rfc3339 : "";
    if (!has_date_time(t)) {
        snprintf(buf, size, "%.10s", t);
        return buf;
    }
    int month = (t[5] - '0') * 10 + (t[6] - '0');
    if (today && !strncmp(t, today, 10))
        snprintf(buf, size, "%.5s", t + 11);
    else if (newest && !strncmp(t, newest, 4) && month >= 1 && month <= 12)
        snprintf(buf, size, "%s %.2s%s%.*s", months[month - 1], t + 8, same_day ? " " : "", same_day ? 5 : 0, t + 11);
    else
        snprintf(buf, size, "%.10s%s%.*s", t, same_day ? " " : "", same_day ? 5 : 0, t + 11);
    return buf;
}

const char *panes_initials(const char *name, char *buf, size_t size)
{
    size_t n = 0, words = 0;
    const char *p = name ? name : "";
    const char *first = NULL;
    while (*p && words < 3) {
        while (*p == ' ' || *p == '\t' || *p == '.' || *p == '-')
            p++;
        if (!*p)
            break;
        if (!first)
            first = p;
        uint32_t cp;
        size_t len = (size_t)pd_utf8_decode(p, strlen(p), &cp);
        if (len == 0)
            len = 1;
        if (n + len < size) {
            memcpy(buf + n, p, len);
            n += len;
        }
        words++;
        while (*p && *p != ' ' && *p != '\t' && *p != '.' && *p != '-')
            p++;
    }
    if (words == 1) {
        /* one word: its first two letters */
        uint32_t cp;
        size_t a = (size_t)pd_utf8_decode(first, strlen(first), &cp);
        size_t b = a && first[a] && first[a] != ' ' ? (size_t)pd_utf8_decode(first + a, strlen(first + a), &cp) : 0;
        n = a + b < size ? a + b : 0;
        memcpy(buf, first, n);
    }
    if (n == 0 && size > 1)
        buf[n++] = '-';
    buf[n < size ? n : size - 1] = '\0';
    return buf;
}
