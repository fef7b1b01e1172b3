/* fuzz_merge3.c: libFuzzer target for the three-way merge: splits the input in three texts (base, ours, theirs), merges them and checks the invariants. */
/* Checked: the regions cover each text whole and in order; each region's kind says which
 * sides equal which (UNCHANGED all three, OURS theirs = base, THEIRS ours = base, SAME ours =
 * theirs, CONFLICT none); the conflicts are counted; settling every conflict with ours gives
 * what the swapped merge gives settled with theirs; merging a text with itself is that text.
 * The texts also go through the version merge as one message a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"

#define REQUIRE(c)         \
    do {                   \
        if (!(c))          \
            abort();       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool side_eq(const pd_merge3 *m, const pd_merge_region *r, pd_merge_side x, pd_merge_side y)
{
    size_t lx, ly;
    const char *tx = pd_merge3_text(m, r, x, &lx), *ty = pd_merge3_text(m, r, y, &ly);
    return lx == ly && memcmp(tx, ty, lx) == 0;
}

static void check_regions(const pd_merge3 *m)
{
    size_t pos[3] = {0, 0, 0}, conflicts = 0;
    size_t total[3] = {m->ours->a.n, m->ours->b.n, m->theirs->b.n};
    for (size_t i = 0; i < m->n_regions; i++) {
        const pd_merge_region *r = &m->regions[i];
        REQUIRE(r->n[0] + r->n[1] + r->n[2] > 0);
        for (int s = 0; s < 3; s++) {
            REQUIRE(r->start[s] == pos[s]);
            pos[s] += r->n[s];
            REQUIRE(pos[s] <= total[s]);
        }
        bool ob = side_eq(m, r, PD_SIDE_OURS, PD_SIDE_BASE), tb = side_eq(m, r, PD_SIDE_THEIRS, PD_SIDE_BASE);
        bool ot = side_eq(m, r, PD_SIDE_OURS, PD_SIDE_THEIRS);
        switch (r->kind) {
        case PD_MERGE_UNCHANGED: REQUIRE(ob && tb); break;
        case PD_MERGE_OURS: REQUIRE(tb); break;
        case PD_MERGE_THEIRS: REQUIRE(ob); break;
        case PD_MERGE_SAME: REQUIRE(ot); break;
        case PD_MERGE_CONFLICT: REQUIRE(!ob && !tb && !ot); conflicts++; break;
        default: REQUIRE(0);
        }
    }
    for (int s = 0; s < 3; s++)
        REQUIRE(pos[s] == total[s]);
    REQUIRE(conflicts == m->n_conflicts);
}

/* The merge of the three with every conflict settled by pick (and with markers, unchecked). */
static char *merged(const char *b, size_t bl, const char *o, size_t ol, const char *t, size_t tl, pd_merge_pick pick,
                    size_t *len, size_t *conflicts)
{
    pd_merge3 *m = NULL;
    pd_error err = {0};
    REQUIRE(pd_merge3_texts(b, bl, o, ol, t, tl, NULL, &m, &err) == 0);
    check_regions(m);
    pd_merge_pick *picks = calloc(m->n_conflicts + 1, sizeof *picks);
    for (size_t i = 0; i < m->n_conflicts; i++)
        picks[i] = pick;
    pd_buf out = PD_BUF_INIT, markers = PD_BUF_INIT;
    pd_merge3_write(m, picks, NULL, true, &out);
    pd_merge3_write(m, NULL, NULL, true, &markers);
    pd_buf_free(&markers);
    *conflicts = m->n_conflicts;
    free(picks);
    pd_merge3_free(m);
    *len = out.len;
    return out.data ? pd_buf_take(&out) : calloc(1, 1);
}

/* A version with one user message per line of text. */
static pd_version *lines_version(const char *text, size_t len)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->messages = pd_xcalloc(len + 1, sizeof *v->messages);
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t end = nl ? (size_t)(nl - text) : len;
        pd_message *m = &v->messages[v->n_messages++];
        m->role = pd_strdup(end > p && text[p] == 's' ? "system" : "user");
        m->content = pd_strndup(text + p, end - p);
        p = nl ? end + 1 : len;
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > 65536)
        return 0;
    size_t rest = size - 4;
    size_t s1 = ((size_t)data[0] << 8 | data[1]) % (rest + 1);
    size_t s2 = s1 + ((size_t)data[2] << 8 | data[3]) % (rest - s1 + 1);
    const char *b = (const char *)data + 4, *o = b + s1, *t = b + s2;
    size_t bl = s1, ol = s2 - s1, tl = rest - s2;
    size_t l1, l2, c1, c2;
    char *x = merged(b, bl, o, ol, t, tl, PD_PICK_OURS, &l1, &c1);
    char *y = merged(b, bl, t, tl, o, ol, PD_PICK_THEIRS, &l2, &c2);
    REQUIRE(c1 == c2 && l1 == l2 && memcmp(x, y, l1) == 0);
    free(x);
    free(y);
    x = merged(b, bl, o, ol, o, ol, PD_PICK_NONE, &l1, &c1);
    REQUIRE(c1 == 0 && l1 == ol && memcmp(x, o, ol) == 0);
    free(x);

    /* the same texts as versions, one message a line (messages with NUL bytes end there) */
    pd_version *vb = lines_version(b, bl), *vo = lines_version(o, ol), *vt = lines_version(t, tl);
    pd_version_merge *vm = NULL;
    pd_error err = {0};
    REQUIRE(pd_merge_versions(vb, vo, vt, &vm, &err) == 0);
    pd_merge_pick *picks = calloc(vm->n_conflicts + 1, sizeof *picks);
    for (size_t i = 0; i < vm->n_conflicts; i++)
        picks[i] = (pd_merge_pick)(1 + i % 3);
    pd_version *r = pd_version_merge_result(vm, picks, NULL);
    REQUIRE(r->n_messages <= vo->n_messages + vt->n_messages + vb->n_messages);
    pd_version_free(r);
    r = pd_version_merge_result(vm, NULL, NULL);
    pd_version_free(r);
    free(picks);
    pd_version_merge_free(vm);
    pd_version_free(vb);
    pd_version_free(vo);
    pd_version_free(vt);
    return 0;
}
