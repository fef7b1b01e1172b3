/* test_diff_seq.c: the Myers core on hashed lines (white-box): pd_diff_seq_hashed, which sets
 * aside the lines without a match before the search, gives scripts as short as a plain O(ND)
 * reference, valid, with the hashes given back as they were; the plain search when cheap. */
#define PD_MODULE_diff /* white-box: opens diff/ private headers */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_priv.h"
#include "t.h"

/* A line's hash as the engine makes them: well mixed (the filter picks bits from the top). */
static uint64_t mix(uint64_t v)
{
    v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
    v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
    return v ^ (v >> 31);
}

/* A number below n from a fixed sequence (splitmix64). */
static unsigned rnd(unsigned n)
{
    static uint64_t counter;
    return (unsigned)(mix(counter += 0x9E3779B97F4A7C15ull) % n);
}

/* The edit distance of a and b by the plain greedy O(ND) search (Myers 1986, section 3). */
static size_t reference_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m)
{
    size_t max = n + m, off = max + 1;
    long *v = calloc(2 * max + 3, sizeof *v);
    size_t dist = max;
    for (size_t d = 0; d <= max; d++) {
        int found = 0;
        for (long k = -(long)d; k <= (long)d; k += 2) {
            long x = (k == -(long)d || (k != (long)d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                                       : v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && y >= 0 && a[x] == b[y]) {
                x++;
                y++;
            }
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) {
                found = 1;
                break;
            }
        }
        if (found) {
            dist = d;
            break;
        }
    }
    free(v);
    return dist;
}

/* The marks make a script: the unchanged lines pair up equal, in order. Returns the count of
 * marked lines. */
static size_t check_marks(const uint64_t *a, size_t n, const unsigned char *ac, const uint64_t *b, size_t m,
                          const unsigned char *bc)
{
    size_t i = 0, j = 0, marked = 0;
    for (;;) {
        while (i < n && ac[i]) {
            i++;
            marked++;
        }
        while (j < m && bc[j]) {
            j++;
            marked++;
        }
        if (i == n || j == m)
            break;
        CHECK(a[i] == b[j]);
        if (a[i] != b[j])
            return marked;
        i++;
        j++;
    }
    CHECK(i == n && j == m);
    return marked;
}

static int occurs(const uint64_t *h, size_t n, uint64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (h[i] == x)
            return 1;
    return 0;
}

/* b from a: lines deleted, replaced by lines found nowhere else, or by others of a. */
static void random_pair(uint64_t *a, size_t *n, uint64_t *b, size_t *m, size_t max)
{
    unsigned alphabet = 2 + rnd(40), edit = 2 + rnd(10);
    *n = rnd((unsigned)max);
    for (size_t i = 0; i < *n; i++)
        a[i] = mix(rnd(alphabet));
    *m = 0;
    for (size_t i = 0; i < *n && *m + 2 < max; i++) {
        unsigned r = rnd(edit);
        if (r == 0)
            b[(*m)++] = mix(1000000 + rnd(1000000));   /* on b's side only */
        else if (r == 1)
            b[(*m)++] = mix(rnd(alphabet));
        if (r != 2)
            b[(*m)++] = a[i];
    }
    if (rnd(4) == 0)   /* unrelated texts */
        for (size_t j = 0; j < *m; j++)
            b[j] = mix(rnd(alphabet + 5));
    if (rnd(3) == 0 && *n)
        a[rnd((unsigned)*n)] = mix(3000000 + rnd(1000));   /* on a's side only */
}

/* Setting aside the unmatched lines (plain budget 0) keeps the script minimal and valid,
 * marks every unmatched line, and gives the hashes back unchanged. */
static void test_set_aside_is_exact(void)
{
    enum { MAX = 300 };
    uint64_t a[MAX], b[MAX], a0[MAX], b0[MAX];
    for (int it = 0; it < 3000; it++) {
        size_t n, m;
        random_pair(a, &n, b, &m, MAX);
        memcpy(a0, a, n * sizeof *a);
        memcpy(b0, b, m * sizeof *b);
        unsigned char ac[MAX + 1] = {0}, bc[MAX + 1] = {0};
        CHECK_INT(pd_diff_seq_hashed(a, n, b, m, ac, bc, 0, 0), 0);
        CHECK(memcmp(a, a0, n * sizeof *a) == 0 && memcmp(b, b0, m * sizeof *b) == 0);
        size_t marked = check_marks(a, n, ac, b, m, bc), want = reference_distance(a, n, b, m);
        if (marked != want)
            printf("#   iteration %d (%zu and %zu lines): %zu edits, the reference %zu\n", it, n, m, marked, want);
        CHECK_INT(marked, want);
        for (size_t i = 0; i < n; i++)
            CHECK(occurs(b, m, a[i]) || ac[i]);
        for (size_t j = 0; j < m; j++)
            CHECK(occurs(a, n, b[j]) || bc[j]);
        if (t_current_failed)
            break;
    }
}

/* With the budget to spare, the plain search runs: the same marks as pd_diff_seq itself. */
static void test_plain_when_cheap(void)
{
    enum { MAX = 300 };
    uint64_t a[MAX], b[MAX];
    for (int it = 0; it < 500; it++) {
        size_t n, m;
        random_pair(a, &n, b, &m, MAX);
        unsigned char ac[MAX + 1] = {0}, bc[MAX + 1] = {0}, pac[MAX + 1] = {0}, pbc[MAX + 1] = {0};
        CHECK_INT(pd_diff_seq_hashed(a, n, b, m, ac, bc, UINT64_MAX / 4, 0), 0);
        pd_diff_seqs s = {NULL, NULL, a, b};
        CHECK_INT(pd_diff_seq(&s, n, m, pac, pbc, 0, 0), 0);
        CHECK(memcmp(ac, pac, n) == 0 && memcmp(bc, pbc, m) == 0);
        if (t_current_failed)
            break;
    }
}

/* Over the budget, the set-aside search reports it (-2) and still gives the hashes back. */
static void test_budget(void)
{
    enum { N = 2000 };
    uint64_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *a0 = malloc(N * sizeof *a);
    for (size_t i = 0; i < N; i++) {
        a[i] = a0[i] = mix(rnd(3));
        b[i] = mix(rnd(3));
    }
    unsigned char *ac = calloc(N, 1), *bc = calloc(N, 1);
    CHECK_INT(pd_diff_seq_hashed(a, N, b, N, ac, bc, 100, 1000), -2);
    CHECK(memcmp(a, a0, N * sizeof *a) == 0);
    free(a);
    free(b);
    free(a0);
    free(ac);
    free(bc);
}

int main(void)
{
    RUN(test_set_aside_is_exact);
    RUN(test_plain_when_cheap);
    RUN(test_budget);
    T_DONE();
}
