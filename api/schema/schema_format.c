/* schema_format.c: "format" checks, used when formats assert (none yet: every format passes). */
#include "schema_priv.h"

bool sc_format_check(const char *format, const char *s, size_t len)
{
    (void)format;
    (void)s;
    (void)len;
    return true;
}

bool sc_format_known(const char *format)
{
    (void)format;
    return false;
}
