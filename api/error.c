/* error.c: setting, prefixing and naming pd_error values. */
#include "error.h"

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
    char head[PD_ERROR_MSG_MAX], old[PD_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
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
