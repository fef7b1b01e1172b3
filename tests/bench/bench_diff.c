/* bench_diff.c: driver for bench_diff.sh: times the diff engine in-process, and the commands
 * `promptdeck diff --files` and `diff --minimal` as processes, over a list of file pairs.
 * Times are CPU time (user + system; the children's for processes), steadier than wall time
 * on a busy machine.
 * Usage: bench_diff PAIRS_FILE REPS PROMPTDECK   (PAIRS_FILE: "A<TAB>B" per line)
 *        bench_diff --startup REPS PROMPTDECK     (CPU ms of `--version` runs of both)
 * PROMPTDECK "-" times the engine only (the other two figures print as 0). */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "diff/diff.h"

extern char **environ;

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double children_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    pd_buf b = PD_BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        pd_buf_append(&b, chunk, k);
    fclose(f);
    *n = b.len;
    return pd_buf_take(&b);
}

/* Runs argv with stdout to /dev/null; returns its exit status. */
static int run(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    pid_t pid;
    int st = -1;
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0)
        waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return st;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_diff PAIRS REPS PROMPTDECK\n");
        return 2;
    }
    int reps = atoi(argv[2]);
    if (reps < 1)
        reps = 1;
    if (!strcmp(argv[1], "--startup")) {
        double t0 = children_ms();
        for (int r = 0; r < reps; r++)
            run((char *const[]){argv[3], "--version", NULL});
        double t1 = children_ms();
        for (int r = 0; r < reps; r++)
            run((char *const[]){"diff", "--version", NULL});
        printf("%.3f %.3f\n", (t1 - t0) / reps, (children_ms() - t1) / reps);
        return 0;
    }
    size_t n = 0, cap = 0;
    char **as = NULL, **bs = NULL, **pa = NULL, **pb = NULL;
    size_t *al = NULL, *bl = NULL;
    FILE *f = fopen(argv[1], "r");
    char line[8192];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            as = realloc(as, cap * sizeof *as);
            bs = realloc(bs, cap * sizeof *bs);
            pa = realloc(pa, cap * sizeof *pa);
            pb = realloc(pb, cap * sizeof *pb);
            al = realloc(al, cap * sizeof *al);
            bl = realloc(bl, cap * sizeof *bl);
        }
        pa[n] = strdup(line);
        pb[n] = strdup(tab + 1);
        as[n] = slurp(pa[n], &al[n]);
        bs[n] = slurp(pb[n], &bl[n]);
        n++;
    }
    if (f)
        fclose(f);
    size_t edits = 0;
    double t0 = cpu_ms();
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < n; i++) {
            pd_diff *d;
            pd_error err;
            if (pd_diff_texts(as[i], al[i], bs[i], bl[i], NULL, &d, &err) != 0) {
                fprintf(stderr, "%s\n", err.msg);
                return 2;
            }
            if (r == 0)
                edits += d->n_deleted + d->n_inserted;
            pd_diff_free(d);
        }
    }
    double engine = (cpu_ms() - t0) / reps;
    /* whole commands, one process per pair, as a user runs them */
    int preps = strcmp(argv[3], "-") ? (reps > 3 ? 3 : reps) : 0;
    t0 = children_ms();
    for (int r = 0; r < preps; r++)
        for (size_t i = 0; i < n; i++)
            run((char *const[]){argv[3], "diff", "--files", pa[i], pb[i], NULL});
    double cmd = preps ? (children_ms() - t0) / preps : 0;
    t0 = children_ms();
    for (int r = 0; r < preps; r++)
        for (size_t i = 0; i < n; i++)
            run((char *const[]){"diff", "--minimal", pa[i], pb[i], NULL});
    double gnu = preps ? (children_ms() - t0) / preps : 0;
    printf("%.3f %.3f %.3f %zu\n", engine, cmd, gnu, edits);
    for (size_t i = 0; i < n; i++) {
        free(as[i]);
        free(bs[i]);
        free(pa[i]);
        free(pb[i]);
    }
    free(as);
    free(bs);
    free(pa);
    free(pb);
    free(al);
    free(bl);
    return 0;
}
