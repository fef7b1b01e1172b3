/* cmd_diff.c: `promptdeck diff SLUG V1 V2` and `promptdeck diff --files A B`: unified (patch
 * applies it), inline word, or side-by-side output; exit 0 equal, 1 different, 2 trouble. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "cli.h"
#include "cli_lib_priv.h"
#include "cli_select_priv.h"
#include "diff/diff.h"

typedef enum { OUT_UNIFIED, OUT_WORDS, OUT_SIDE } out_mode;

typedef struct diff_args {
    bool files;
    out_mode mode;
    int context;
    int width;                 /* 0 = the terminal's */
    pd_diff_options opts;
    const char *pos[3];
    int n_pos;
} diff_args;

static const char usage_text[] =
    "usage: promptdeck diff SLUG V1 V2 [options]\n"
    "       promptdeck diff --files A B [options]\n"
    "V is a version number (3 or v3) or a label name (production, latest).\n"
    "  -U N, --unified N   N lines of context (default 3)\n"
    "  --minimal           a minimal diff (the default)\n"
    "  --heuristic         faster on big, very different inputs; may be longer than minimal\n"
    "  --word              changed lines as one line with [-old-]{+new+} inline\n"
    "  --char              like --word, by characters\n"
    "  -y, --side-by-side  two columns; --width N sets the width (default: the terminal's)\n"
    "  --all               with --side-by-side, every line instead of hunks\n"
    "Exit status: 0 equal, 1 different, 2 trouble.\n";

static int parse_int(const char *cmd, const char *opt, const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi)
        return cli_usage_error(cmd, "%s wants a number from %d to %d, not '%s'", opt, lo, hi, s ? s : "");
    *out = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, diff_args *a)
{
    const char *cmd = argv[0];
    bool all = false, opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *val = NULL;
        if (opts_done || s[0] != '-' || !s[1]) {
            if (a->n_pos == 3)
                return cli_usage_error(cmd, "too many arguments ('%s')", s);
            a->pos[a->n_pos++] = s;
        } else if (!strcmp(s, "--")) {
            opts_done = true;
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(usage_text, stdout);
            return -1;
        } else if (!strcmp(s, "--files")) {
            a->files = true;
        } else if (!strcmp(s, "--minimal") || !strcmp(s, "-u")) {
            a->opts.heuristic = false;
        } else if (!strcmp(s, "--heuristic")) {
            a->opts.heuristic = true;
        } else if (!strcmp(s, "--word")) {
            a->mode = OUT_WORDS;
            a->opts.refine = PD_DIFF_REFINE_WORD;
        } else if (!strcmp(s, "--char")) {
            a->mode = OUT_WORDS;
            a->opts.refine = PD_DIFF_REFINE_CHAR;
        } else if (!strcmp(s, "-y") || !strcmp(s, "--side-by-side")) {
            a->mode = OUT_SIDE;
        } else if (!strcmp(s, "--all")) {
            all = true;
        } else if (!strcmp(s, "-U") || !strcmp(s, "--unified") || !strcmp(s, "--width") || !strcmp(s, "-W")) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "%s wants a value", s);
            val = argv[++i];
            if (s[1] == 'U' || s[2] == 'u') {
                if (parse_int(cmd, s, val, 0, 1000000, &a->context))
                    return 2;
            } else if (parse_int(cmd, s, val, 7, 100000, &a->width)) {
                return 2;
            }
        } else if (!strncmp(s, "-U", 2) || !strncmp(s, "--unified=", 10)) {
            if (parse_int(cmd, "-U", s[1] == 'U' ? s + 2 : s + 10, 0, 1000000, &a->context))
                return 2;
        } else if (!strncmp(s, "--width=", 8)) {
            if (parse_int(cmd, "--width", s + 8, 7, 100000, &a->width))
                return 2;
        } else {
            return cli_usage_error(cmd, "unknown option '%s'", s);
        }
    }
    if (a->mode == OUT_SIDE && all)
        a->context = -1;
    int want = a->files ? 2 : 3;
    if (a->n_pos != want)
        return cli_usage_error(cmd, a->files ? "--files wants two files A B" : "wants SLUG V1 V2 (or --files A B)");
    return 0;
}

/* A version given as 3, v3 or a label name. */
static int resolve_version(pd_store *st, const char *slug, const char *spec, pd_version **out, pd_error *err)
{
    const char *digits = (spec[0] == 'v' && spec[1] >= '0' && spec[1] <= '9') ? spec + 1 : spec;
    char *end;
    long n = strtol(digits, &end, 10);
    if (*digits >= '0' && *digits <= '9' && !*end) {
        if (n < 1 || n > 1000000000)
            return pd_error_set(err, PD_ERR_NOT_FOUND, "%s: no version %s", slug, spec);
        return pd_store_get_version(st, slug, (int)n, out, err);
    }
    if (pd_store_get_label_version(st, slug, spec, out, err) != 0 && err && err->code == PD_ERR_NOT_FOUND &&
        strstr(err->msg, "no label"))
        return pd_error_set(err, PD_ERR_NOT_FOUND, "%s: no version or label '%s'", slug, spec);
    return *out ? 0 : -1;
}

static int terminal_width(void)
{
    const char *c = getenv("COLUMNS");
    int w = c ? atoi(c) : 0;
    struct winsize ws;
    if (w < 7 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        w = ws.ws_col;
    return w >= 7 ? w : 130;
}

static int write_out(const pd_diff *d, const diff_args *a, const char *la, const char *lb, pd_buf *out,
                     pd_error *err)
{
    switch (a->mode) {
    case OUT_WORDS:
        return pd_diff_write_words(d, la, lb, a->context, out, err);
    case OUT_SIDE:
        return pd_diff_write_side_by_side(d, a->width ? a->width : terminal_width(), a->context, out, err);
    default:
        /* --files output is patch input, byte-exact; prompt text is escaped for the terminal */
        return pd_diff_write_unified(d, la, lb, a->context, !a->files, out, err);
    }
}

/* --files with a file that is not text: as diff(1), "Binary files A and B differ" (exit 1)
 * when their bytes differ, nothing (exit 0) when they are equal. */
static int binary_files(const diff_args *a, const char *ta, size_t la_len, const char *tb, size_t lb_len)
{
    if (la_len == lb_len && memcmp(ta, tb, la_len) == 0)
        return PD_EXIT_OK;
    pd_buf line = PD_BUF_INIT;
    pd_buf_printf(&line, "Binary files %s and %s differ\n", a->pos[0], a->pos[1]);
    cli_write_text(stdout, line.data, line.len);
    pd_buf_free(&line);
    return PD_EXIT_FAIL;
}

/* 0 with *d set; -1 with err set; or, for binary files, *binary_status set (and no *d). */
static int diff_inputs(pd_cli *cli, const diff_args *a, pd_diff **d, pd_buf *la, pd_buf *lb, int *binary_status,
                       pd_error *err)
{
    if (a->files) {
        char *ta = NULL, *tb = NULL;
        size_t la_len = 0, lb_len = 0;
        int rc = cli_read_all(a->pos[0], &ta, &la_len, err);
        if (rc == 0)
            rc = cli_read_all(a->pos[1], &tb, &lb_len, err);
        if (rc == 0 && (pd_text_is_binary(ta, la_len) || pd_text_is_binary(tb, lb_len)))
            *binary_status = binary_files(a, ta, la_len, tb, lb_len);
        else if (rc == 0) {   /* the diff keeps the texts: no copy of big files */
            rc = pd_diff_texts_take(ta, la_len, tb, lb_len, &a->opts, d, err);
            ta = tb = NULL;
        }
        free(ta);
        free(tb);
        pd_buf_puts(la, a->pos[0]);
        pd_buf_puts(lb, a->pos[1]);
        return rc;
    }
    pd_store *st = cli_store(cli);
    if (!st)
        return pd_error_set(err, PD_ERR_IO, "cannot open the library");
    pd_version *va = NULL, *vb = NULL;
    int rc = resolve_version(st, a->pos[0], a->pos[1], &va, err);
    if (rc == 0)
        rc = resolve_version(st, a->pos[0], a->pos[2], &vb, err);
    if (rc == 0) {
        rc = pd_diff_versions(va, vb, &a->opts, d, err);
        pd_buf_printf(la, "%s@%d", a->pos[0], va->number);
        pd_buf_printf(lb, "%s@%d", a->pos[0], vb->number);
    }
    pd_version_free(va);
    pd_version_free(vb);
    return rc;
}

int cmd_diff(pd_cli *cli, int argc, char **argv)
{
    diff_args a = {.mode = OUT_UNIFIED, .context = 3, .opts = PD_DIFF_OPTIONS_INIT};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc < 0 ? PD_EXIT_OK : PD_EXIT_USAGE;
    pd_error err = {0};
    pd_diff *d = NULL;
    pd_buf la = PD_BUF_INIT, lb = PD_BUF_INIT, out = PD_BUF_INIT;
    int status = PD_EXIT_USAGE, binary_status = -1;
    rc = diff_inputs(cli, &a, &d, &la, &lb, &binary_status, &err);
    if (rc == 0 && binary_status >= 0) {
        status = binary_status;
    } else if (rc == 0 && write_out(d, &a, pd_buf_str(&la), pd_buf_str(&lb), &out, &err) == 0) {
        status = pd_diff_equal(d) ? PD_EXIT_OK : PD_EXIT_FAIL;
        if (out.len)   /* byte-exact into a pipe (patch input), never raw controls on a terminal */
            cli_write_text(stdout, out.data, out.len);
        if (out.len && (ferror(stdout) || fflush(stdout) != 0)) {
            pd_error_set(&err, PD_ERR_IO, "cannot write the diff: %s", strerror(errno));
            status = PD_EXIT_USAGE;
        }
    }
    if (status == PD_EXIT_USAGE && err.code != PD_OK)
        cli_print_error(&err);
    pd_diff_free(d);
    pd_buf_free(&la);
    pd_buf_free(&lb);
    pd_buf_free(&out);
    return status;
}
