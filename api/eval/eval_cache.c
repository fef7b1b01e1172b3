/* eval_cache.c: the response cache: answers kept by the SHA-256 of the exact request, so an
 * evaluation run again pays only for what changed. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void pd_eval_sha256_hex(const void *data, size_t len, char out[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    size_t left = len;
    for (; left >= 64; left -= 64, p += 64)
        sha_block(h, p);
    unsigned char tail[128] = {0};
    memcpy(tail, p, left);
    tail[left] = 0x80;
    size_t n = left < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha_block(h, tail);
    if (n == 128)
        sha_block(h, tail + 64);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", h[i]);
}

/* ---- the cache ---- */

char *pd_eval_cache_dir(void)
{
    char *base = pd_cache_dir();
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/responses", base);
    free(base);
    return pd_buf_take(&b);
}

void pd_eval_cache_key(const char *url, const char *model, const char *body, char out[65])
{
    pd_buf b = PD_BUF_INIT;
    /* lengths first: no two different triples give the same bytes */
    pd_buf_printf(&b, "promptdeck-response-1\n%zu %zu %zu\n", strlen(url), strlen(model ? model : ""), strlen(body));
    pd_buf_puts(&b, url);
    pd_buf_puts(&b, model ? model : "");
    pd_buf_puts(&b, body);
    pd_eval_sha256_hex(b.data, b.len, out);
    pd_buf_free(&b);
}

static char *entry_path(const char *dir, const char *key)
{
    pd_buf b = PD_BUF_INIT;
    pd_buf_printf(&b, "%s/%.2s/%s.json", dir, key, key);
    return pd_buf_take(&b);
}

json_t *pd_eval_cache_get(const char *dir, const char *key)
{
    char *path = entry_path(dir, key);
    json_t *j = json_load_file(path, 0, NULL);
    free(path);
    if (j && (!json_is_object(j) || !json_is_string(json_object_get(j, "output")))) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static json_t *number_or_null(double v)
{
    return v < 0 ? json_null() : json_real(v);
}

static json_t *count_or_null(long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

/* Writes a new file beside path and renames it into place: a reader sees the whole entry or
 * none. Not synced: a cache lost in a crash is asked again (and syncing would stall the loop). */
static int write_entry(const char *path, const char *text, pd_error *err)
{
    pd_buf tmp = PD_BUF_INIT;
    pd_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(pd_buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    int rc = 0;
    bool ok = fd >= 0;
    if (ok) {
        ok = write(fd, text, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
    }
    if (!ok || rename(pd_buf_str(&tmp), path) != 0) {
        rc = pd_error_set(err, PD_ERR_IO, "cache: cannot write %s: %s", path, strerror(errno));
        unlink(pd_buf_str(&tmp));
    }
    pd_buf_free(&tmp);
    return rc;
}

int pd_eval_cache_put(const char *dir, const char *key, const pd_run_record *rec, pd_error *err)
{
    char *path = entry_path(dir, key);
    char *sub = pd_strndup(path, strrchr(path, '/') - path);
    json_t *j = json_object();
    json_object_set_new(j, "model", json_string(rec->settings.model ? rec->settings.model : ""));
    json_object_set_new(j, "output", json_string(rec->output ? rec->output : ""));
    json_object_set_new(j, "finish_reason", rec->finish_reason ? json_string(rec->finish_reason) : json_null());
    json_object_set_new(j, "provider_finish_reason",
                        rec->provider_finish_reason ? json_string(rec->provider_finish_reason) : json_null());
    json_object_set_new(j, "input_tokens", count_or_null(rec->input_tokens));
    json_object_set_new(j, "output_tokens", count_or_null(rec->output_tokens));
    json_object_set_new(j, "cost", number_or_null(rec->cost));
    json_object_set_new(j, "latency_ms", number_or_null(rec->total_ms));
    json_object_set_new(j, "tool_calls", rec->tool_calls ? json_deep_copy(rec->tool_calls) : json_null());
    json_object_set_new(j, "created_at", json_string(rec->started_at ? rec->started_at : ""));
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    int rc = pd_mkdirs(sub, 0700, err);
    if (rc == 0 && !text)
        rc = pd_error_set(err, PD_ERR_INVALID_REQUEST, "cache: the answer is not valid UTF-8");
    if (rc == 0)
        rc = write_entry(path, text, err);
    free(text);
    free(sub);
    free(path);
    return rc;
}
