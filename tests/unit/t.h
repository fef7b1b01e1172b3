/* t.h: a tiny unit-test harness: RUN(test) prints "ok - test" or "not ok - test" (TAP-like);
 * tests/run.sh counts those lines. Include once per test program. */
#ifndef PD_T_H
#define PD_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed, t_current_failed;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            t_current_failed = 1;                                                        \
            printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
        }                                                                                \
    } while (0)

#define CHECK_STR(a, b)                                                                  \
    do {                                                                                 \
        const char *t_a_ = (a), *t_b_ = (b);                                             \
        if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) {                                 \
            t_current_failed = 1;                                                        \
            printf("#   %s:%d: %s == %s\n#     got:      \"%s\"\n#     expected: \"%s\"\n", \
                   __FILE__, __LINE__, #a, #b, t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
        }                                                                                \
    } while (0)

#define CHECK_INT(a, b)                                                                  \
    do {                                                                                 \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);                          \
        if (t_a_ != t_b_) {                                                              \
            t_current_failed = 1;                                                        \
            printf("#   %s:%d: %s == %s: got %lld, expected %lld\n", __FILE__, __LINE__,  \
                   #a, #b, t_a_, t_b_);                                                  \
        }                                                                                \
    } while (0)

#define RUN(fn)                                                                          \
    do {                                                                                 \
        t_current_failed = 0;                                                            \
        fn();                                                                            \
        if (t_current_failed) {                                                          \
            t_failed++;                                                                  \
            printf("not ok - %s\n", #fn);                                                \
        } else {                                                                         \
            t_passed++;                                                                  \
            printf("ok - %s\n", #fn);                                                    \
        }                                                                                \
        fflush(stdout);                                                                  \
    } while (0)

/* A new private folder /tmp/pd-<name>.XXXXXX written to dir (size >= 64); false when none was made. */
static inline int t_tmpdir(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/pd-%s.XXXXXX", name);
    return mkdtemp(dir) != NULL;
}

/* rm -rf dir (a folder t_tmpdir made); says so when it cannot. */
static inline void t_rmtree(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

/* Ends main: exit status 1 when anything failed. */
#define T_DONE() return t_failed ? 1 : 0

#endif
