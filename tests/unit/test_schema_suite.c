/* test_schema_suite.c: api/schema against the official JSON-Schema-Test-Suite (draft 2020-12), as
 * Debian ships it in libtest-json-schema-acceptance-perl. Prints the pass rate of every keyword
 * file, and one "ok - " / "not ok - " line per file: a case that fails and is not in
 * known_failures below fails its file. optional/ files (which the spec does not require) are
 * held to the same list, so that what passes there keeps passing; optional/format/ runs with
 * formats asserting.
 * The meta-schemas come from python3-jsonschema; the suite's remotes/ folder answers for
 * http://localhost:1234/ (nothing is fetched). PD_SCHEMA_SUITE and PD_SCHEMA_META override the
 * two folders; -v prints every failing case. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "schema/schema.h"

#define SUITE_DIR "/usr/share/perl5/auto/share/dist/Test-JSON-Schema-Acceptance"
#define META_DIR "/usr/lib/python3/dist-packages/jsonschema/schemas"

/* Cases known to fail, as "file|group description|test description" ("file|*": any case of
 * the file), each with why. Every required file passes whole. */
static const struct {
    const char *id;
    const char *why;
} known_failures[] = {
    {"optional/format/idn-hostname.json|*",
     "IDNA2008's code point tables and contextual rules (RFC 5892) are not implemented: labels "
     "with non-ASCII letters are checked for length and hyphens only"},
    {"optional/ecmascript-regex.json|\\a is not an ECMA 262 control escape|when used as a pattern",
     "checks a schema against the meta-schema's format \"regex\", and formats annotate unless "
     "asked to assert, as 2020-12 says (with assert_format it passes)"},
    {NULL, NULL},
};

typedef struct totals {
    int passed, failed, unexpected;
} totals;

static int verbose;

/* 0: not known to fail; 1: listed by itself; 2: its whole file is. */
static int is_known(const char *file, const char *group, const char *test)
{
    char id[1024], any[512];
    snprintf(id, sizeof id, "%s|%s|%s", file, group, test);
    snprintf(any, sizeof any, "%s|*", file);
    for (size_t i = 0; known_failures[i].id; i++) {
        if (!strcmp(known_failures[i].id, id))
            return 1;
        if (!strcmp(known_failures[i].id, any))
            return 2;
    }
    return 0;
}

static void report_case(const char *file, const char *group, const char *test, bool ok,
                        const char *detail, totals *t)
{
    if (ok) {
        t->passed++;
        if (is_known(file, group, test) == 1)
            printf("# %s: known failure now passes (take it off the list): %s / %s\n", file, group, test);
        return;
    }
    t->failed++;
    bool known = is_known(file, group, test) != 0;
    t->unexpected += !known;
    if (verbose || !known)
        printf("#   %s%s: %s / %s: %s\n", known ? "(known) " : "", file, group, test, detail);
}

static void run_group(const char *file, const json_t *g, const pd_schema_options *opts, totals *t)
{
    const char *gdesc = json_string_value(json_object_get(g, "description"));
    const json_t *tests = json_object_get(g, "tests");
    pd_schema *s = NULL;
    pd_error err = {0};
    int rc = pd_schema_compile_with(json_object_get(g, "schema"), opts, &s, &err);
    size_t i;
    const json_t *tc;
    json_array_foreach(tests, i, tc) {
        const char *tdesc = json_string_value(json_object_get(tc, "description"));
        bool want = json_is_true(json_object_get(tc, "valid"));
        if (rc != 0) {
            report_case(file, gdesc, tdesc, false, err.msg, t);
            continue;
        }
        pd_buf why = PD_BUF_INIT;
        bool got = pd_schema_validate(s, json_object_get(tc, "data"), &why);
        char detail[1200];
        snprintf(detail, sizeof detail, "expected %s, got %s%s%s", want ? "valid" : "invalid",
                 got ? "valid" : "invalid", got ? "" : ": ", pd_buf_str(&why));
        report_case(file, gdesc, tdesc, got == want, detail, t);
        pd_buf_free(&why);
    }
    pd_schema_free(s);
}

/* Runs one file; prints its line of the table. */
static totals run_file(const char *suite, const char *rel, pd_schema_registry *reg)
{
    totals t = {0, 0, 0};
    char path[2048];
    snprintf(path, sizeof path, "%s/tests/draft2020-12/%s", suite, rel);
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_ALLOW_NUL, &jerr);
    if (!doc)   /* bignum.json has integers beyond 64 bits: read them as doubles */
        doc = json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
    if (!doc) {
        printf("#   %s: does not parse: %s\n", rel, jerr.text);
        t.failed = t.unexpected = 1;
        return t;
    }
    pd_schema_options opts = {reg, strncmp(rel, "optional/format/", 16) == 0, NULL};
    size_t i;
    const json_t *g;
    json_array_foreach(doc, i, g)
        run_group(rel, g, &opts, &t);
    json_decref(doc);
    int total = t.passed + t.failed;
    printf("# %-40s %4d/%-4d %5.1f%%\n", rel, t.passed, total, total ? 100.0 * t.passed / total : 100.0);
    return t;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted (caller frees each and the array). */
static char **list_json(const char *dir, size_t *n)
{
    char **names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".json")) {
            names = pd_xrealloc(names, (*n + 1) * sizeof *names);
            names[(*n)++] = pd_strdup(e->d_name);
        }
    }
    if (d)
        closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, name_cmp);
    return names;
}

static bool add_metaschemas(pd_schema_registry *reg, const char *meta)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/draft2020-12.json", meta);
    json_t *schema = json_load_file(path, 0, NULL);
    snprintf(path, sizeof path, "%s/vocabularies.json", meta);
    json_t *vocabs = json_load_file(path, 0, NULL);
    if (!schema || !json_is_object(vocabs)) {
        json_decref(schema);
        json_decref(vocabs);
        return false;
    }
    pd_schema_registry_add(reg, "https://json-schema.org/draft/2020-12/schema", schema);
    const char *uri;
    json_t *v;
    json_object_foreach(vocabs, uri, v)
        pd_schema_registry_add(reg, uri, v);
    json_decref(schema);
    json_decref(vocabs);
    return true;
}

/* Runs every file of one folder (relative to tests/draft2020-12); adds to *all. */
static void run_folder(const char *suite, const char *sub, pd_schema_registry *reg, totals *all)
{
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/tests/draft2020-12%s%s", suite, *sub ? "/" : "", sub);
    size_t n;
    char **names = list_json(dir, &n);
    for (size_t i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s%s%s", sub, *sub ? "/" : "", names[i]);
        totals t = run_file(suite, rel, reg);
        all->passed += t.passed;
        all->failed += t.failed;
        printf("%s - draft2020-12/%s (%d/%d)\n", t.unexpected ? "not ok" : "ok", rel, t.passed,
               t.passed + t.failed);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && !strcmp(argv[1], "-v");
    const char *suite = getenv("PD_SCHEMA_SUITE") ? getenv("PD_SCHEMA_SUITE") : SUITE_DIR;
    const char *meta = getenv("PD_SCHEMA_META") ? getenv("PD_SCHEMA_META") : META_DIR;
    pd_schema_registry *reg = pd_schema_registry_new();
    char remotes[2048];
    snprintf(remotes, sizeof remotes, "%s/remotes", suite);
    pd_schema_registry_add_dir(reg, "http://localhost:1234/", remotes);
    int failed = 0;
    if (!add_metaschemas(reg, meta)) {
        printf("not ok - meta-schemas in %s (python3-jsonschema: scripts/deps.sh)\n", meta);
        failed = 1;
    }
    size_t n;
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/tests/draft2020-12", suite);
    char **probe = list_json(dir, &n);
    for (size_t i = 0; i < n; i++)
        free(probe[i]);
    free(probe);
    if (n == 0) {
        printf("not ok - JSON-Schema-Test-Suite in %s (libtest-json-schema-acceptance-perl: "
               "scripts/deps.sh)\n", dir);
        pd_schema_registry_free(reg);
        return 1;
    }
    totals req = {0, 0, 0}, opt = {0, 0, 0};
    printf("# required files:\n");
    run_folder(suite, "", reg, &req);
    printf("# optional files:\n");
    run_folder(suite, "optional", reg, &opt);
    run_folder(suite, "optional/format", reg, &opt);
    printf("# required: %d/%d cases pass; optional: %d/%d\n", req.passed, req.passed + req.failed,
           opt.passed, opt.passed + opt.failed);
    pd_schema_registry_free(reg);
    return failed;
}
