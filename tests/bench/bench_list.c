/* bench_list.c: the listing benchmark's driver.
 *   bench_list gen DIR PROMPTS VERSIONS   writes a library of PROMPTS prompts with VERSIONS
 *                                         versions in all, in the store's on-disk format 2
 *                                         (v0001-<id>.json files, events.jsonl; plain writes,
 *                                         no fsync: it is test data)
 *   bench_list list DIR RUNS              times pd_store_list RUNS times; prints the best and the
 *                                         median in ms, and the prompt count
 *   bench_list stats DIR RUNS [THREADS]   times the stats a warm listing cannot do without (each
 *                                         prompt directory, its prompt.json and events.jsonl:
 *                                         any can change alone), in THREADS threads (1 or
 *                                         2, as the listing; default 1); prints the median ms
 *   bench_list reads DIR RUNS [THREADS]   the same for what a cold listing cannot do without:
 *                                         each prompt folder's names, its prompt.json,
 *                                         events.jsonl and current version read (not parsed) */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int rc = f && fputs(text, f) >= 0 ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    return rc;
}

static int write_json(const char *path, json_t *j)
{
    json_t *o = json_pack("{s:i}", "format_version", 2);
    json_object_update(o, j);
    char *text = pd_json_dump_pretty(o);
    int rc = write_text(path, text);
    free(text);
    json_decref(o);
    return rc;
}

static int gen(const char *dir, int prompts, int versions)
{
    pd_error err = {0};
    pd_store *s;
    mkdir(dir, 0755);
    if (pd_store_open(dir, true, false, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    static const char *const teams[] = {"support", "marketing", "eng", "legal", "sales", "research", "ops", "hr"};
    int left = versions;
    for (int i = 0; i < prompts; i++) {
        /* versions spread 1..9 around the mean, the rest on the last prompt */
        int mean = versions / prompts;
        int nv = i == prompts - 1 ? left : 1 + (i * 7 + 3) % (2 * mean - 1);
        if (nv > left - (prompts - 1 - i))
            nv = left - (prompts - 1 - i);
        if (nv < 1)
            nv = 1;
        left -= nv;
        pd_buf slug = PD_BUF_INIT, path = PD_BUF_INIT;
        pd_buf_printf(&slug, "%s/prompt-%05d", teams[i % 8], i);
        pd_buf_printf(&path, "%s/prompts/%s", dir, pd_buf_str(&slug));
        if (pd_mkdirs(pd_buf_str(&path), 0755, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        char *last = NULL;   /* the previous version's id: the next one's parent */
        for (int v = 1; v <= nv; v++) {
            pd_message m[2] = {{.role = "system", .content = "You are a helpful assistant for {{team}}. Answer briefly."},
                               {.role = "user", .content = "Question {{n}}: {{question}}\nContext: {{context}}"}};
            pd_version ver = {.number = v, .messages = m, .n_messages = 2, .commit_message = "tweak",
                              .author = "bench", .created_at = "2026-01-01T00:00:00Z"};
            ver.settings.provider = "openai";
            ver.settings.model = "gpt-4o-mini";
            ver.settings.has_temperature = true;
            ver.settings.temperature = 0.1 * (v % 10);
            char *id = pd_id_new(1767225600000 + i * 100 + v);
            json_t *j = json_pack("{s:s, s:s?}", "id", id, "parent", last);
            json_t *body = pd_version_to_json(&ver);
            json_object_del(body, "version");   /* format 2: the number is in the file's name */
            json_object_update(j, body);
            json_decref(body);
            pd_buf vp = PD_BUF_INIT;
            pd_buf_printf(&vp, "%s/v%04d-%s.json", pd_buf_str(&path), v, id);
            int rc = write_json(pd_buf_str(&vp), j);
            json_decref(j);
            pd_buf_free(&vp);
            free(last);
            last = id;
            if (rc != 0)
                return 1;
        }
        /* what changes lives in events.jsonl: name, description, tags, a label on every third */
        pd_buf events = PD_BUF_INIT;
        pd_buf_printf(&events,
                      "{\"at\":\"2026-01-02T00:00:00.000Z\",\"id\":\"01kdyj7v00%06d0000000000a\",\"by\":\"bench\","
                      "\"set\":\"name\",\"value\":\"A benchmark prompt\"}\n"
                      "{\"at\":\"2026-01-02T00:00:00.000Z\",\"id\":\"01kdyj7v00%06d0000000000b\",\"by\":\"bench\","
                      "\"set\":\"description\",\"value\":\"Generated for the listing benchmark\"}\n"
                      "{\"at\":\"2026-01-02T00:00:00.000Z\",\"id\":\"01kdyj7v00%06d0000000000c\",\"by\":\"bench\","
                      "\"set\":\"tags\",\"value\":[\"%s\",\"bench\"]}\n",
                      i, i, i, teams[i % 8]);
        if (i % 3 == 0)
            pd_buf_printf(&events,
                          "{\"at\":\"2026-01-02T00:00:00.000Z\",\"id\":\"01kdyj7v00%06d0000000000d\",\"by\":\"bench\","
                          "\"label\":\"production\",\"version\":\"%s\"}\n",
                          i, last);
        pd_buf ep = PD_BUF_INIT;
        pd_buf_printf(&ep, "%s/events.jsonl", pd_buf_str(&path));
        int rc = write_text(pd_buf_str(&ep), pd_buf_str(&events));
        pd_buf_free(&ep);
        pd_buf_free(&events);
        free(last);
        json_t *j = json_pack("{s:s, s:s}", "id", "0123456789abcdef", "created_at", "2026-01-01T00:00:00Z");
        pd_buf_printf(&path, "/prompt.json");
        if (rc == 0)
            rc = write_json(pd_buf_str(&path), j);
        json_decref(j);
        pd_buf_free(&slug);
        pd_buf_free(&path);
        if (rc != 0)
            return 1;
    }
    pd_store_close(s);
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int list(const char *dir, int runs)
{
    pd_error err = {0};
    pd_store *s;
    if (pd_store_open(dir, false, false, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double *t = calloc((size_t)runs, sizeof *t);
    size_t n = 0, damaged = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ms();
        pd_prompt_list l = {0};
        pd_store_list(s, &l, &err);
        t[r] = now_ms() - t0;
        n = l.n;
        damaged = 0;
        for (size_t i = 0; i < l.n; i++)
            damaged += l.items[i]->damaged;
        pd_prompt_list_free(&l);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("%.1f %.1f %zu %zu\n", t[0], t[runs / 2], n, damaged);
    free(t);
    pd_store_close(s);
    return 0;
}

/* Collects the prompt directories under rel (relative to the prompts folder fd). */
static void collect(int fd, const char *rel, char ***dirs, size_t *n, size_t *cap)
{
    int sub = openat(fd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = sub >= 0 ? fdopendir(sub) : NULL;
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || de->d_type != DT_DIR)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *dirs = realloc(*dirs, *cap * sizeof **dirs);
        }
        (*dirs)[(*n)++] = strdup(path);
        collect(fd, path, dirs, n, cap);
    }
    closedir(d);
}

/* What a warm listing cannot do without for one prompt folder: a stat of it, its prompt.json
 * and events.jsonl (any can change alone). */
static void stat_one(int fd, const char *dir)
{
    struct stat st;
    char path[600];
    fstatat(fd, dir, &st, 0);
    snprintf(path, sizeof path, "%s/prompt.json", dir);
    fstatat(fd, path, &st, 0);
    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    fstatat(fd, path, &st, 0);
}

static void read_at(int dfd, const char *name)
{
    char buf[65536];
    int f = openat(dfd, name, O_RDONLY | O_CLOEXEC);
    if (f < 0)
        return;
    while (read(f, buf, sizeof buf) > 0)
        ;
    close(f);
}

/* What a cold listing cannot do without for one prompt folder: its names (the current version
 * is the highest v<number>-<id>.json), and the three files that hold what is listed:
 * prompt.json (the id), events.jsonl (name, labels) and the current version (its date). No
 * parsing. */
static void read_one(int fd, const char *dir)
{
    int dfd = openat(fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d)
        return;
    char current[256] = "";
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] == 'v' && strlen(de->d_name) < sizeof current && strcmp(de->d_name, current) > 0)
            snprintf(current, sizeof current, "%s", de->d_name);
    read_at(dfd, "prompt.json");
    read_at(dfd, "events.jsonl");
    if (*current)
        read_at(dfd, current);
    closedir(d);
}

/* fn on dirs[from..to) under fd. */
typedef struct dir_job {
    int fd;
    char **dirs;
    size_t from, to;
    void (*fn)(int fd, const char *dir);
} dir_job;

static void *dir_range(void *arg)
{
    const dir_job *j = arg;
    for (size_t i = j->from; i < j->to; i++)
        j->fn(j->fd, j->dirs[i]);
    return NULL;
}

/* fn on every prompt folder of the library in dir, in one thread or split in two halves as
 * the listing does (the names collected beforehand, not timed). Prints the median of runs, as
 * the listing's rows are. */
static int floor_of(const char *dir, int runs, int threads, void (*fn)(int fd, const char *dir))
{
    char prompts[4096];
    snprintf(prompts, sizeof prompts, "%s/prompts", dir);
    int fd = open(prompts, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    char **dirs = NULL;
    size_t n = 0, cap = 0;
    collect(fd, "", &dirs, &n, &cap);
    double *took = calloc((size_t)runs, sizeof *took);
    for (int r = 0; r < runs; r++) {
        double t0 = now_ms();
        dir_job first = {fd, dirs, 0, threads > 1 ? n / 2 : n, fn}, second = {fd, dirs, first.to, n, fn};
        pthread_t t;
        bool two = threads > 1 && pthread_create(&t, NULL, dir_range, &first) == 0;
        if (!two)
            dir_range(&first);
        dir_range(&second);
        if (two)
            pthread_join(t, NULL);
        took[r] = now_ms() - t0;
    }
    qsort(took, (size_t)runs, sizeof *took, cmp_double);
    printf("%.1f\n", took[runs / 2]);
    free(took);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc == 4 && strcmp(argv[1], "list") == 0)
        return list(argv[2], atoi(argv[3]) > 0 ? atoi(argv[3]) : 1);
    if ((argc == 4 || argc == 5) && (strcmp(argv[1], "stats") == 0 || strcmp(argv[1], "reads") == 0))
        return floor_of(argv[2], atoi(argv[3]) > 0 ? atoi(argv[3]) : 1, argc == 5 ? atoi(argv[4]) : 1,
                        strcmp(argv[1], "stats") == 0 ? stat_one : read_one);
    fprintf(stderr, "usage: bench_list gen DIR PROMPTS VERSIONS | list DIR RUNS | stats|reads DIR RUNS [THREADS]\n");
    return 2;
}
