/* hash.c: the one 64-bit hash of short keys (FNV-1a): derived ids, cache keys, signatures. */
#include "base.h"

uint64_t pd_hash(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}
