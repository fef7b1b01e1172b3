/* test_merge3.c: the three-way merge: line regions as diff3 -m gives them (checked against GNU
 * diff3 on random texts), conflict markers and picks, versions merged message by message, and
 * the merge base found through parent ids. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff/diff.h"
#include "t.h"
#include "base/base.h"
#include "store/store.h"

static pd_merge3 *merge_of(const char *base, const char *ours, const char *theirs)
{
    pd_merge3 *m = NULL;
    pd_error err = {0};
    if (pd_merge3_texts(base, strlen(base), ours, strlen(ours), theirs, strlen(theirs), NULL, &m, &err) != 0)
        printf("#   merge failed: %s\n", err.msg);
    return m;
}

/* The merged text: picks (may be NULL), markers with the base. Caller frees. */
static char *merged(const char *base, const char *ours, const char *theirs, const pd_merge_pick *picks,
                    size_t *conflicts)
{
    pd_merge3 *m = merge_of(base, ours, theirs);
    pd_buf out = PD_BUF_INIT;
    pd_merge3_write(m, picks, NULL, true, &out);
    if (conflicts)
        *conflicts = m->n_conflicts;
    pd_merge3_free(m);
    return pd_buf_take(&out);
}

static void check_merge(const char *base, const char *ours, const char *theirs, const char *want, size_t want_conflicts)
{
    size_t c;
    char *got = merged(base, ours, theirs, NULL, &c);
    CHECK_STR(got, want);
    CHECK_INT(c, want_conflicts);
    free(got);
}

static void test_clean_merges(void)
{
    /* nothing changed; one side changed; both changed apart */
    check_merge("a\nb\nc\n", "a\nb\nc\n", "a\nb\nc\n", "a\nb\nc\n", 0);
    check_merge("a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", "a\nB\nc\n", 0);
    check_merge("a\nb\nc\n", "a\nb\nc\n", "a\nb\nC\n", "a\nb\nC\n", 0);
    check_merge("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n", 0);
    /* insertions at both ends, a deletion in the middle */
    check_merge("a\nb\nc\n", "x\na\nb\nc\n", "a\nc\ny\n", "x\na\nc\ny\n", 0);
    pd_merge3 *m = merge_of("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n");
    CHECK_INT(m->n_regions, 3);
    CHECK_INT(m->regions[0].kind, PD_MERGE_OURS);
    CHECK_INT(m->regions[1].kind, PD_MERGE_UNCHANGED);
    CHECK_INT(m->regions[1].start[PD_SIDE_BASE], 1);
    CHECK_INT(m->regions[1].n[PD_SIDE_BASE], 3);
    CHECK_INT(m->regions[2].kind, PD_MERGE_THEIRS);
    size_t len;
    const char *t = pd_merge3_text(m, &m->regions[2], PD_SIDE_THEIRS, &len);
    CHECK(len == 2 && !memcmp(t, "E\n", 2));
    pd_merge3_free(m);
}

static void test_identical_changes(void)
{
    check_merge("a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", "a\nX\nc\n", 0);
    pd_merge3 *m = merge_of("a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n");
    CHECK_INT(m->n_regions, 3);
    CHECK_INT(m->regions[1].kind, PD_MERGE_SAME);
    pd_merge3_free(m);
    /* both deleted the same line, both appended the same */
    check_merge("a\nb\nc\n", "a\nc\nz\n", "a\nc\nz\n", "a\nc\nz\n", 0);
}

static void test_overlapping_and_adjacent(void)
{
    /* the same line changed differently */
    check_merge("a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n",
                "a\n<<<<<<< ours\nX\n||||||| base\nb\n=======\nY\n>>>>>>> theirs\nc\n", 1);
    /* adjacent lines changed: one conflict (as diff3 and git), the untouched line kept in it */
    check_merge("a\nb\nc\nd\n", "a\nX\nc\nd\n", "a\nb\nZ\nd\n",
                "a\n<<<<<<< ours\nX\nc\n||||||| base\nb\nc\n=======\nb\nZ\n>>>>>>> theirs\nd\n", 1);
    /* both inserted different lines at one place */
    check_merge("a\nb\n", "a\nX\nb\n", "a\nY\nb\n",
                "a\n<<<<<<< ours\nX\n||||||| base\n=======\nY\n>>>>>>> theirs\nb\n", 1);
    /* two separate conflicts, picked one way each */
    const char *base = "1\n2\n3\n4\n5\n", *ours = "1\nO2\n3\n4\nO5\n", *theirs = "1\nT2\n3\n4\nT5\n";
    size_t c;
    pd_merge_pick picks[] = {PD_PICK_THEIRS, PD_PICK_BOTH};
    char *got = merged(base, ours, theirs, picks, &c);
    CHECK_INT(c, 2);
    CHECK_STR(got, "1\nT2\n3\n4\nO5\nT5\n");
    free(got);
    pd_merge_pick ours_only[] = {PD_PICK_OURS, PD_PICK_OURS};
    got = merged(base, ours, theirs, ours_only, NULL);
    CHECK_STR(got, ours);
    free(got);
}

static void test_deletions_against_edits(void)
{
    /* ours deleted a line theirs edited: a conflict, ours' side empty */
    check_merge("a\nb\nc\n", "a\nc\n", "a\nB\nc\n",
                "a\n<<<<<<< ours\n||||||| base\nb\n=======\nB\n>>>>>>> theirs\nc\n", 1);
    /* a deletion away from the edit merges */
    check_merge("a\nb\nc\nd\ne\n", "b\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "b\nc\nd\nE\n", 0);
    /* theirs deleted everything, ours left it: deleted */
    check_merge("a\nb\n", "a\nb\n", "", "", 0);
}

static void test_empty_texts(void)
{
    check_merge("", "", "", "", 0);
    check_merge("", "x\n", "", "x\n", 0);
    check_merge("", "", "y\n", "y\n", 0);
    check_merge("", "x\n", "x\n", "x\n", 0);
    check_merge("", "x\n", "y\n", "<<<<<<< ours\nx\n||||||| base\n=======\ny\n>>>>>>> theirs\n", 1);
    pd_merge3 *m = merge_of("", "", "");
    CHECK_INT(m->n_regions, 0);
    pd_merge3_free(m);
}

static void test_crlf_and_no_newline(void)
{
    /* CRLF lines are lines like any other; a changed line ending is a change */
    check_merge("a\r\nb\r\nc\r\n", "A\r\nb\r\nc\r\n", "a\r\nb\r\nC\r\n", "A\r\nb\r\nC\r\n", 0);
    check_merge("a\r\nb\r\n", "a\nb\r\n", "a\r\nb\r\n", "a\nb\r\n", 0);
    /* a last line without newline */
    check_merge("a\nb\nc", "A\nb\nc", "a\nb\nC", "A\nb\nC", 0);
    check_merge("a\nb", "a\nb\n", "a\nb", "a\nb\n", 0);
    /* a conflict on a last line without newline: the markers still start their own lines */
    check_merge("a\nb", "a\nX", "a\nY", "a\n<<<<<<< ours\nX\n||||||| base\nb\n=======\nY\n>>>>>>> theirs\n", 1);
    /* both: ours' side ends without a newline, theirs' goes on a line of its own */
    pd_merge_pick both = PD_PICK_BOTH;
    char *got = merged("a\nb", "a\nX", "a\nY", &both, NULL);
    CHECK_STR(got, "a\nX\nY");
    free(got);
}

/* ---------------------------------------------------------------- against GNU diff3 */

static char tmpdir[64];
static unsigned long long rnd_state = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static void write_file(const char *path, const char *s)
{
    pd_error err = {0};
    if (pd_write_file_atomic(path, s, strlen(s), 0600, &err) != 0)
        printf("#   %s\n", err.msg);
}

/* A random edit of src: lines kept, dropped, changed or added, over a small alphabet. */
static void mutate(const pd_buf *src, pd_buf *dst, unsigned alphabet)
{
    const char *p = pd_buf_str(src);
    for (;;) {
        const char *nl = strchr(p, '\n');
        if (rnd(6) == 0)
            pd_buf_printf(dst, "n%u\n", rnd(alphabet));
        if (!nl)
            break;
        unsigned r = rnd(10);
        if (r == 0)
            ;   /* dropped */
        else if (r == 1)
            pd_buf_printf(dst, "c%u\n", rnd(alphabet));
        else
            pd_buf_append(dst, p, (size_t)(nl - p + 1));
        p = nl + 1;
    }
}

/* Runs cmd with its output into a file of tmpdir; returns that output (and the exit status in
 * *status when not NULL). Caller frees. */
static char *run_cmd(const char *cmd, int *status)
{
    char full[768], out_path[96];
    snprintf(out_path, sizeof out_path, "%s/out", tmpdir);
    snprintf(full, sizeof full, "%s > %s", cmd, out_path);
    int st = system(full);
    if (status)
        *status = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    char *data = NULL;
    size_t len;
    pd_error err = {0};
    if (pd_read_file(out_path, &data, &len, &err) != 0)
        printf("#   %s\n", err.msg);
    return data ? data : pd_strdup("");
}

/* true when GNU diff lines up base and side as pd_diff does (diff -U0 texts equal): two
 * minimal scripts may differ where lines repeat, and diff3 then merges other lines. */
static bool same_alignment(const pd_diff *d, const char *side_name)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "diff -U0 --label a --label b %s/base %s/%s", tmpdir, tmpdir, side_name);
    char *gnu = run_cmd(cmd, NULL);
    pd_buf mine = PD_BUF_INIT;
    pd_error err = {0};
    pd_diff_write_unified(d, "a", "b", 0, false, &mine, &err);
    bool same = !strcmp(gnu, pd_buf_str(&mine));
    pd_buf_free(&mine);
    free(gnu);
    return same;
}

/* diff3 -m -E (identical changes taken, conflicts bracketed without the base) of the three
 * texts, and its exit status in *status. Caller frees. */
static char *gnu_diff3(const char *base, const char *ours, const char *theirs, int *status)
{
    char pb[96], po[96], pt[96], cmd[512];
    snprintf(pb, sizeof pb, "%s/base", tmpdir);
    snprintf(po, sizeof po, "%s/ours", tmpdir);
    snprintf(pt, sizeof pt, "%s/theirs", tmpdir);
    write_file(pb, base);
    write_file(po, ours);
    write_file(pt, theirs);
    snprintf(cmd, sizeof cmd, "diff3 -m -E -L ours -L base -L theirs %s %s %s", po, pb, pt);
    return run_cmd(cmd, status);
}

/* Where GNU diff lines the texts up as pd_diff does (most cases; two minimal scripts may pair
 * repeated lines differently), the merge is diff3 -m -E's byte for byte, markers included;
 * where diff3 merges cleanly, so does the merge. */
static void test_random_against_gnu_diff3(void)
{
    int same = 0, clean = 0, compared = 0;
    for (int it = 0; it < 300; it++) {
        unsigned alphabet = 2 + rnd(8);
        pd_buf base = PD_BUF_INIT, ours = PD_BUF_INIT, theirs = PD_BUF_INIT;
        unsigned lines = rnd(16);
        for (unsigned i = 0; i < lines; i++)
            pd_buf_printf(&base, "b%u\n", rnd(alphabet));
        mutate(&base, &ours, alphabet);
        mutate(&base, &theirs, alphabet);
        int status;
        char *gnu = gnu_diff3(pd_buf_str(&base), pd_buf_str(&ours), pd_buf_str(&theirs), &status);
        pd_merge3 *m = merge_of(pd_buf_str(&base), pd_buf_str(&ours), pd_buf_str(&theirs));
        pd_buf mine = PD_BUF_INIT;
        pd_merge3_write(m, NULL, NULL, false, &mine);
        /* diff3 exits 1 exactly when it left conflicts; where it merged cleanly so must we,
         * to the same text */
        CHECK(status == 0 || status == 1);
        if (!strcmp(pd_buf_str(&mine), gnu))
            same++;
        if (same_alignment(m->ours, "ours") && same_alignment(m->theirs, "theirs")) {
            compared++;
            clean += status == 0;
            CHECK_INT(m->n_conflicts > 0, status == 1);
            CHECK_STR(pd_buf_str(&mine), gnu);
            if (strcmp(pd_buf_str(&mine), gnu))
                printf("#   iteration %d:\n# base:\n%s# ours:\n%s# theirs:\n%s", it, pd_buf_str(&base),
                       pd_buf_str(&ours), pd_buf_str(&theirs));
        }
        pd_buf_free(&mine);
        pd_merge3_free(m);
        free(gnu);
        pd_buf_free(&base);
        pd_buf_free(&ours);
        pd_buf_free(&theirs);
    }
    printf("# 300 merges: %d byte-identical to diff3 -m -E (markers included); %d with the same line "
           "diffs as GNU diff compared (%d clean)\n", same, compared, clean);
    CHECK(compared > 250 && clean > 30);
}

/* The merged text of the three with every conflict settled by pick. Caller frees. */
static char *merged_all(const char *base, const char *ours, const char *theirs, pd_merge_pick pick, size_t *conflicts)
{
    pd_merge3 *m = merge_of(base, ours, theirs);
    pd_merge_pick *picks = pd_xcalloc(m->n_conflicts + 1, sizeof *picks);
    for (size_t i = 0; i < m->n_conflicts; i++)
        picks[i] = pick;
    pd_buf out = PD_BUF_INIT;
    pd_merge3_write(m, picks, NULL, true, &out);
    *conflicts = m->n_conflicts;
    free(picks);
    pd_merge3_free(m);
    return pd_buf_take(&out);
}

/* On random texts (some without a last newline): a side equal to the base or to the other side
 * merges to the other side without conflict; swapping ours and theirs gives the same conflicts,
 * and settling each with ours gives what settling the swapped merge with theirs gives. */
static void test_random_properties(void)
{
    for (int it = 0; it < 300; it++) {
        unsigned alphabet = 2 + rnd(6);
        pd_buf base = PD_BUF_INIT, ours = PD_BUF_INIT, theirs = PD_BUF_INIT;
        unsigned lines = rnd(14);
        for (unsigned i = 0; i < lines; i++)
            pd_buf_printf(&base, "b%u\n", rnd(alphabet));
        mutate(&base, &ours, alphabet);
        mutate(&base, &theirs, alphabet);
        if (rnd(3) == 0 && theirs.len)
            theirs.data[--theirs.len] = '\0';   /* no newline at the end */
        const char *b = pd_buf_str(&base), *o = pd_buf_str(&ours), *t = pd_buf_str(&theirs);
        size_t c1, c2;
        char *x = merged_all(b, o, o, PD_PICK_NONE, &c1);
        CHECK_STR(x, o);
        CHECK_INT(c1, 0);
        free(x);
        x = merged_all(b, b, t, PD_PICK_NONE, &c1);
        CHECK_STR(x, t);
        CHECK_INT(c1, 0);
        free(x);
        x = merged_all(b, o, b, PD_PICK_NONE, &c1);
        CHECK_STR(x, o);
        CHECK_INT(c1, 0);
        free(x);
        x = merged_all(b, o, t, PD_PICK_OURS, &c1);
        char *y = merged_all(b, t, o, PD_PICK_THEIRS, &c2);
        CHECK_INT(c1, c2);
        CHECK_STR(x, y);
        if (strcmp(x, y))
            printf("#   iteration %d:\n# base:\n%s# ours:\n%s# theirs:\n%s\n", it, b, o, t);
        free(x);
        free(y);
        pd_buf_free(&base);
        pd_buf_free(&ours);
        pd_buf_free(&theirs);
    }
}

/* ---------------------------------------------------------------- versions */

static pd_version *version(const char *id, const char *parent, int number, size_t n, const char *const *role_content)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->number = number;
    v->id = id ? pd_strdup(id) : NULL;
    v->parent = parent ? pd_strdup(parent) : NULL;
    v->messages = pd_xcalloc(n + 1, sizeof *v->messages);
    v->n_messages = n;
    for (size_t i = 0; i < n; i++) {
        v->messages[i].role = pd_strdup(role_content[2 * i]);
        v->messages[i].content = pd_strdup(role_content[2 * i + 1]);
    }
    return v;
}

static void check_messages(const pd_version *v, size_t n, const char *const *role_content)
{
    CHECK_INT(v->n_messages, n);
    for (size_t i = 0; i < n && i < v->n_messages; i++) {
        CHECK_STR(v->messages[i].role, role_content[2 * i]);
        CHECK_STR(v->messages[i].content, role_content[2 * i + 1]);
    }
}

static void test_versions_line_level(void)
{
    const char *b[] = {"system", "You are terse.\nAnswer in English.\n", "user", "Hello {{name}}\nBye\n"};
    const char *o[] = {"system", "You are terse.\nAnswer in French.\n", "user", "Hello {{name}}\nBye\n"};
    const char *t[] = {"system", "You are kind.\nAnswer in English.\n", "user", "Hello {{name}}!\nBye\n"};
    pd_version *base = version("b0", NULL, 1, 2, b), *ours = version("o0", "b0", 2, 2, o), *theirs = version("t0", "b0", 3, 2, t);
    pd_version_merge *m = NULL;
    pd_error err = {0};
    CHECK_INT(pd_merge_versions(base, ours, theirs, &m, &err), 0);
    CHECK_INT(m->n_msgs, 2);
    CHECK_INT(m->n_conflicts, 1);   /* adjacent lines of the system message */
    CHECK_INT(m->msgs[0].kind, PD_MERGE_CONFLICT);
    CHECK_INT(m->msgs[0].first_conflict, 0);
    CHECK_INT(m->msgs[1].kind, PD_MERGE_THEIRS);
    pd_merge_pick pick = PD_PICK_THEIRS;
    pd_version *r = pd_version_merge_result(m, &pick, NULL);
    const char *want[] = {"system", "You are kind.\nAnswer in English.\n", "user", "Hello {{name}}!\nBye\n"};
    check_messages(r, 2, want);
    CHECK_STR(r->parent, "o0");
    CHECK(r->id == NULL && r->number == 0);
    pd_version_free(r);
    pd_merge_labels labels = {"v2", "v1", "v3"};
    r = pd_version_merge_result(m, NULL, &labels);
    CHECK(strstr(r->messages[0].content, "<<<<<<< v2\nYou are terse.\nAnswer in French.\n||||||| v1\n") != NULL);
    pd_version_free(r);
    pd_version_merge_free(m);
    pd_version_free(base);
    pd_version_free(ours);
    pd_version_free(theirs);
}

static void test_versions_clean_and_whole_messages(void)
{
    const char *b[] = {"system", "S\nx\ny\nz\n", "user", "U\n"};
    const char *o[] = {"system", "S2\nx\ny\nz\n", "user", "U\n", "assistant", "added by ours"};
    const char *t[] = {"system", "S\nx\ny\nz2\n"};   /* edited the system apart, removed the user */
    pd_version *base = version("b", NULL, 1, 2, b), *ours = version("o", "b", 2, 3, o), *theirs = version("t", "b", 3, 1, t);
    pd_version_merge *m = NULL;
    pd_error err = {0};
    CHECK_INT(pd_merge_versions(base, ours, theirs, &m, &err), 0);
    CHECK_INT(m->n_conflicts, 0);
    CHECK_INT(m->msgs[0].kind, PD_MERGE_CLEAN);
    pd_version *r = pd_version_merge_result(m, NULL, NULL);
    const char *want[] = {"system", "S2\nx\ny\nz2\n", "assistant", "added by ours"};
    check_messages(r, 2, want);
    pd_version_free(r);
    pd_version_merge_free(m);
    pd_version_free(theirs);

    /* theirs removed the user message ours edited: the whole message is one conflict */
    const char *o2[] = {"system", "S\nx\ny\nz\n", "user", "U edited\n"};
    const char *t2[] = {"system", "S\nx\ny\nz\n"};
    pd_version *ours2 = version("o2", "b", 2, 2, o2), *theirs2 = version("t2", "b", 3, 1, t2);
    CHECK_INT(pd_merge_versions(base, ours2, theirs2, &m, &err), 0);
    CHECK_INT(m->n_conflicts, 1);
    CHECK(m->msgs[1].kind == PD_MERGE_CONFLICT && m->msgs[1].text == NULL);
    pd_merge_pick pick = PD_PICK_THEIRS;
    r = pd_version_merge_result(m, &pick, NULL);
    check_messages(r, 1, t2);
    pd_version_free(r);
    pick = PD_PICK_OURS;
    r = pd_version_merge_result(m, &pick, NULL);
    check_messages(r, 2, o2);
    pd_version_free(r);
    pd_version_merge_free(m);

    /* identical versions on both sides, and a side equal to the base */
    CHECK_INT(pd_merge_versions(base, ours2, ours2, &m, &err), 0);
    CHECK_INT(m->n_conflicts, 0);
    r = pd_version_merge_result(m, NULL, NULL);
    check_messages(r, 2, o2);
    pd_version_free(r);
    pd_version_merge_free(m);
    CHECK_INT(pd_merge_versions(base, base, theirs2, &m, &err), 0);
    r = pd_version_merge_result(m, NULL, NULL);
    check_messages(r, 1, t2);
    pd_version_free(r);
    pd_version_merge_free(m);
    pd_version_free(ours2);
    pd_version_free(theirs2);
    pd_version_free(ours);
    pd_version_free(base);
}

static void test_settings_merge(void)
{
    const char *b[] = {"user", "hi\n"};
    pd_version *base = version("b", NULL, 1, 1, b), *ours = version("o", "b", 2, 1, b), *theirs = version("t", "b", 3, 1, b);
    theirs->settings.model = pd_strdup("gpt-x");
    pd_version_merge *m = NULL;
    pd_error err = {0};
    CHECK_INT(pd_merge_versions(base, ours, theirs, &m, &err), 0);
    CHECK_INT(m->settings, PD_MERGE_THEIRS);
    pd_version *r = pd_version_merge_result(m, NULL, NULL);
    CHECK_STR(r->settings.model, "gpt-x");
    pd_version_free(r);
    pd_version_merge_free(m);
    ours->settings.model = pd_strdup("claude-y");
    CHECK_INT(pd_merge_versions(base, ours, theirs, &m, &err), 0);
    CHECK_INT(m->settings, PD_MERGE_CONFLICT);
    r = pd_version_merge_result(m, NULL, NULL);
    CHECK_STR(r->settings.model, "claude-y");
    pd_version_free(r);
    pd_version_merge_free(m);
    pd_version_free(base);
    pd_version_free(ours);
    pd_version_free(theirs);
}

static void test_find_base(void)
{
    const char *msg[] = {"user", "x"};
    /* format 1 history (no ids' parents): v1 v2 v3; then v4 from v2 and v5 from v3 (format 2) */
    pd_version *v[5];
    v[0] = version("a1", NULL, 1, 1, msg);
    v[1] = version("a2", NULL, 2, 1, msg);
    v[2] = version("a3", NULL, 3, 1, msg);
    v[3] = version("a4", "a2", 4, 1, msg);
    v[4] = version("a5", "a3", 5, 1, msg);
    CHECK(pd_merge_find_base(v, 5, v[3], v[4]) == v[1]);   /* v4 <- v2; v5 <- v3 <- v2 */
    CHECK(pd_merge_find_base(v, 5, v[4], v[2]) == v[2]);   /* an ancestor is its own base */
    CHECK(pd_merge_find_base(v, 5, v[4], v[4]) == v[4]);
    /* a parent that is not there: no common ancestor */
    free(v[3]->parent);
    v[3]->parent = pd_strdup("gone");
    CHECK(pd_merge_find_base(v, 5, v[3], v[4]) == NULL);
    /* a cycle (a damaged history) ends */
    free(v[0]->parent);
    v[0]->parent = pd_strdup("a5");
    free(v[3]->parent);
    v[3]->parent = pd_strdup("a4");
    CHECK(pd_merge_find_base(v, 5, v[3], v[4]) == NULL);
    for (int i = 0; i < 5; i++)
        pd_version_free(v[i]);
}

int main(void)
{
    if (!t_tmpdir(tmpdir, sizeof tmpdir, "merge3"))
        return 1;
    RUN(test_clean_merges);
    RUN(test_identical_changes);
    RUN(test_overlapping_and_adjacent);
    RUN(test_deletions_against_edits);
    RUN(test_empty_texts);
    RUN(test_crlf_and_no_newline);
    RUN(test_random_against_gnu_diff3);
    RUN(test_random_properties);
    RUN(test_versions_line_level);
    RUN(test_versions_clean_and_whole_messages);
    RUN(test_settings_merge);
    RUN(test_find_base);
    t_rmtree(tmpdir);
    T_DONE();
}
