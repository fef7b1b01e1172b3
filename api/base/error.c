/* error.c: setting, prefixing and naming pd_error values. */
#include "base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pd_error_set(pd_error *err, pd_code code, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int pd_error_prefix(pd_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char old[PD_ERROR_MSG_MAX];
    memcpy(old, err->msg, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    size_t used = n < 0 ? 0 : (size_t)n < sizeof err->msg ? (size_t)n : sizeof err->msg - 1;
    size_t room = sizeof err->msg - used;
    if (room > 2) {
        memcpy(err->msg + used, ": ", 2);
        size_t keep = strnlen(old, room - 3);
        memcpy(err->msg + used + 2, old, keep);
        err->msg[used + 2 + keep] = '\0';
    }
    return -1;
}

void pd_error_clear(pd_error *err)
{
    if (err) {
        err->code = PD_OK;
        err->msg[0] = '\0';
    }
}

const char *pd_code_name(pd_code code)
{
    switch (code) {
    case PD_OK: return "OK";
    case PD_ERR_NOT_FOUND: return "NOT_FOUND";
    case PD_ERR_INVALID_REQUEST: return "INVALID_REQUEST";
    case PD_ERR_CONFLICT: return "CONFLICT";
    case PD_ERR_MISSING_VARIABLES: return "MISSING_VARIABLES";
    case PD_ERR_IO: return "IO";
    case PD_ERR_DAMAGED: return "DAMAGED";
    case PD_ERR_PROVIDER: return "PROVIDER";
    case PD_ERR_CANCELLED: return "CANCELLED";
    case PD_ERR_PARSE: return "PARSE";
    case PD_ERR_LIMIT: return "LIMIT";
    case PD_ERR_AUTH: return "AUTH";
    case PD_ERR_NETWORK: return "NETWORK";
    case PD_ERR_NOMEM: return "NOMEM";
    case PD_ERR_UNCHANGED: return "UNCHANGED";
    }
    return "UNKNOWN";
}
