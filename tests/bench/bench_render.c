/* bench_render.c: driver for bench_render.sh: the template engine in one process over a workload of
 * {"template", "data"} cases. Usage:
 *   bench_render check WORK.json        prints the indexes of the cases that parse (strict)
 *   bench_render time WORK.json REPS    prints "render_us parse_render_us output_bytes output_hash" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "template/template.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* FNV-1a over every output, so the shell can compare the engines' results. */
static unsigned long long hash(unsigned long long h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_render check|time WORK.json [REPS]\n");
        return 2;
    }
    json_error_t je;
    json_t *work = json_load_file(argv[2], 0, &je);
    if (!json_is_array(work)) {
        fprintf(stderr, "bench_render: %s:%d: %s\n", argv[2], je.line, je.text);
        return 2;
    }
    size_t n = json_array_size(work);
    pd_tpl **tpls = calloc(n ? n : 1, sizeof *tpls);
    json_t **datas = calloc(n ? n : 1, sizeof *datas);
    pd_error err = {0};
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(work, i);
        json_t *t = json_object_get(c, "template");
        datas[i] = json_object_get(c, "data");
        tpls[i] = pd_tpl_parse(json_string_value(t), json_string_length(t), NULL, &err);
        if (!strcmp(argv[1], "check") && tpls[i])
            printf("%zu\n", i);
    }
    if (!strcmp(argv[1], "time")) {
        int reps = argc > 3 ? atoi(argv[3]) : 10;
        pd_tpl_render_opts o = {0};
        o.escape = PD_ESCAPE_HTML;
        pd_buf out = PD_BUF_INIT;
        unsigned long long h = 14695981039346656037ull;
        size_t bytes = 0;
        for (size_t i = 0; i < n; i++) {   /* one pass for the results and warm caches */
            pd_buf_reset(&out);
            if (tpls[i] && pd_tpl_render(tpls[i], datas[i], &o, &out, &err) == 0) {
                h = hash(h, out.data, out.len);
                bytes += out.len;
            }
        }
        double t0 = now_us();
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i < n; i++) {
                pd_buf_reset(&out);
                if (tpls[i])
                    pd_tpl_render(tpls[i], datas[i], &o, &out, &err);
            }
        }
        double t1 = now_us();
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i < n; i++) {
                json_t *t = json_object_get(json_array_get(work, i), "template");
                pd_tpl *p = pd_tpl_parse(json_string_value(t), json_string_length(t), NULL, &err);
                pd_buf_reset(&out);
                if (p)
                    pd_tpl_render(p, datas[i], &o, &out, &err);
                pd_tpl_free(p);
            }
        }
        double t2 = now_us();
        double per = (double)reps * (double)(n ? n : 1);
        printf("%.3f %.3f %zu %016llx\n", (t1 - t0) / per, (t2 - t1) / per, bytes, h);
        pd_buf_free(&out);
    }
    for (size_t i = 0; i < n; i++)
        pd_tpl_free(tpls[i]);
    free(tpls);
    free(datas);
    json_decref(work);
    return 0;
}
