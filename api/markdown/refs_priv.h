/* refs_priv.h: which finished blocks of a streamed Markdown text use and define which link
 * reference labels, so a definition lays out again only the blocks it may apply to. */
#ifndef PD_MODULE_markdown
#error "markdown/refs_priv.h is private to the markdown module: include markdown/markdown.h"
#endif
#ifndef PD_MD_REFS_H
#define PD_MD_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A label as a key: a hash of its ASCII bytes lowercased, whitespace left out (libcmark folds
 * case and collapses whitespace, so labels it matches have equal keys; some it does not match
 * do too, which only costs a layout). A label with a byte outside ASCII (Unicode case folding)
 * is MD_KEY_ANY, which matches every key. */
#define MD_KEY_ANY 0

/* Finds the bracketed labels ("[...]" holding no unescaped bracket) of a text that grows,
 * looking at each byte once. */
typedef struct md_label_scan {
    size_t pos;                   /* the first byte not looked at */
    size_t open;                  /* one past the '[' of the label being read, or 0 */
    bool escaped;                 /* the byte at pos is escaped by a backslash */
} md_label_scan;

typedef struct md_keys {
    uint64_t *keys;
    size_t n, cap;
} md_keys;

void md_keys_add(md_keys *k, uint64_t key);
void md_keys_free(md_keys *k);

/* Starts a scan at from. */
void md_label_scan_start(md_label_scan *sc, size_t from);
/* Adds the key of each label that ends in s[sc->pos, to) to out. */
void md_label_scan_run(md_label_scan *sc, const char *s, size_t to, md_keys *out);
/* The key of the label a line that may define a link reference ('[' at `at`) defines; ANY
 * when it is not plain ("[a]: ..." with no bracket or backslash inside, 999 bytes at most).
 * exact: a key equal only for labels libcmark takes for the same (see refs.c). */
uint64_t md_def_key(const char *l, size_t at, size_t n, bool exact);

/* The finished blocks (chunks) in order, each with the keys of its labels and of the labels
 * its lines may define. */
typedef struct md_refs md_refs;

md_refs *md_refs_new(void);
void md_refs_free(md_refs *r);
void md_refs_clear(md_refs *r);
/* Adds the next chunk. */
void md_refs_add(md_refs *r, const md_keys *labels, const md_keys *defs);
/* The next chunk surely defines the label of this exact key (md_def_key): false when one
 * before it did (libcmark takes the first definition of a label; later ones never apply). */
bool md_refs_define_first(md_refs *r, uint64_t exact);
/* Whether chunk i has labels (a definition may apply to it). */
bool md_refs_has_labels(const md_refs *r, size_t i);
/* Whether some chunk defines a label. */
bool md_refs_any_defs(const md_refs *r);
/* The chunks (other than `self`) whose definitions may apply to labels, in order, into *out
 * (*n of them; the array is reused across calls and freed with the index). */
void md_refs_definers(md_refs *r, const md_keys *labels, size_t self, size_t **out, size_t *n);
/* The same for chunk i's own labels. */
void md_refs_definers_of(md_refs *r, size_t i, size_t **out, size_t *n);
/* The chunks (other than `self`) with labels that definitions of defs may apply to. */
void md_refs_users(md_refs *r, const md_keys *defs, size_t self, size_t **out, size_t *n);

#endif
