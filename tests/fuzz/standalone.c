/* standalone.c: a main for the fuzz targets without libFuzzer (as libFuzzer's
 * StandaloneFuzzTargetMain): feeds each file named on the command line to LLVMFuzzerTestOneInput
 * once, so any compiler builds the targets and `make test` replays the seed corpora. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads all of `path` into a fresh allocation (caller frees); NULL when it cannot be read. */
static uint8_t *standalone_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *data = malloc(cap);
    for (;;) {
        if (!data)
            break;
        n += fread(data + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *grown = realloc(data, cap * 2);
        if (!grown) {
            free(data);
            data = NULL;
            break;
        }
        data = grown;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        uint8_t *data = standalone_read(argv[i], &len);
        if (!data) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 2;
        }
        fprintf(stderr, "Running: %s (%zu bytes)\n", argv[i], len);
        LLVMFuzzerTestOneInput(data, len);
        free(data);
    }
    return 0;
}
