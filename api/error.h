/* error.h: the one error type of the api: a code and a message that says what and where. */
#ifndef PD_ERROR_H
#define PD_ERROR_H

#include <stddef.h>

typedef enum {
    PD_OK = 0,
    PD_ERR_NOT_FOUND,          /* the prompt, version, label, partial or file asked for is not there */
    PD_ERR_INVALID_REQUEST,    /* the caller asked for something malformed (bad slug, bad option) */
    PD_ERR_CONFLICT,           /* someone else changed it first, or it exists already */
    PD_ERR_MISSING_VARIABLES,  /* a template references variables the caller did not supply */
    PD_ERR_IO,                 /* the operating system said no (open, write, rename, fsync) */
    PD_ERR_DAMAGED,            /* a file in the library does not parse or has wrong types */
    PD_ERR_PROVIDER,           /* the model provider answered with an error or broke the stream */
    PD_ERR_CANCELLED,          /* the user stopped it */
    PD_ERR_PARSE,              /* a template or other text does not parse */
    PD_ERR_LIMIT,              /* a bound (depth, size, recursion) was exceeded */
    PD_ERR_AUTH,               /* the key is missing or wrong */
    PD_ERR_NETWORK,            /* connection refused, DNS, timeout, stream cut */
    PD_ERR_NOMEM,              /* out of memory */
    PD_ERR_UNCHANGED           /* not an error: nothing to do (update equal to the current version) */
} pd_code;

#define PD_ERROR_MSG_MAX 1024

typedef struct pd_error {
    pd_code code;
    char msg[PD_ERROR_MSG_MAX];
} pd_error;

/* Sets err (if not NULL) and returns -1, so callers can `return pd_error_set(...)`. */
int pd_error_set(pd_error *err, pd_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with more context ("while importing x: ..."). Returns -1. */
int pd_error_prefix(pd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pd_error_clear(pd_error *err);
/* "NOT_FOUND", "CONFLICT", ... (static string). */
const char *pd_code_name(pd_code code);

#endif
