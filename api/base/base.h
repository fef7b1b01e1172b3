/* base.h: the api's foundation: byte buffers, the one error type, text rules (UTF-8, display width,
 * tab stops, what may reach a terminal raw), config and XDG paths.
 *
 *   base.h       this interface
 *   buf.c        the growable byte buffer and allocation helpers that abort on out-of-memory
 *   config.c     XDG base directories and the config file (sections of key = value, file:line errors)
 *   error.c      setting, prefixing and naming pd_error values
 *   hash.c       the one 64-bit hash of short keys (FNV-1a): derived ids, cache keys, signatures
 *   textsafe.c   the code points that must not reach a terminal raw
 *   textwidth.c  text measurement written once for every module: UTF-8 decoding and encoding
 */
#ifndef PD_BASE_H
#define PD_BASE_H

#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>


/* error.h: the one error type of the api: a code and a message that says what and where. */


typedef enum {
    PD_OK = 0,
    PD_ERR_NOT_FOUND,          /* the prompt, version, label, partial or file asked for is not there */
    PD_ERR_INVALID_REQUEST,    /* the caller asked for something malformed (bad slug, bad option) */
    PD_ERR_CONFLICT,           /* someone else changed it first, or it exists already */
    PD_ERR_MISSING_VARIABLES,  /* a template references variables the caller did not supply */
    PD_ERR_IO,                 /* the operating system said no (open, write, rename, fsync) */
    PD_ERR_DAMAGED,            /* a file in the library does not parse or has wrong types */
    PD_ERR_PROVIDER,           /* the model provider answered with an error or broke the stream */
    PD_ERR_CANCELLED,          /* the user stopped it */
    PD_ERR_PARSE,              /* a template or other text does not parse */
    PD_ERR_LIMIT,              /* a bound (depth, size, recursion) was exceeded */
    PD_ERR_AUTH,               /* the key is missing or wrong */
    PD_ERR_NETWORK,            /* connection refused, DNS, timeout, stream cut */
    PD_ERR_NOMEM,              /* out of memory */
    PD_ERR_UNCHANGED           /* not an error: nothing to do (update equal to the current version) */
} pd_code;

#define PD_ERROR_MSG_MAX 1024

typedef struct pd_error {
    pd_code code;
    char msg[PD_ERROR_MSG_MAX];
} pd_error;

/* Sets err (if not NULL) and returns -1, so callers can `return pd_error_set(...)`. */
int pd_error_set(pd_error *err, pd_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with more context ("while importing x: ..."). Returns -1. */
int pd_error_prefix(pd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pd_error_clear(pd_error *err);
/* "NOT_FOUND", "CONFLICT", ... (static string). */
const char *pd_code_name(pd_code code);

/* buf.h: a growable byte buffer (always NUL-terminated) and small string helpers. */


typedef struct pd_buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} pd_buf;

#define PD_BUF_INIT {NULL, 0, 0}

/* All appends abort() on out-of-memory: the api treats allocation failure as fatal. */
void pd_buf_append(pd_buf *b, const char *s, size_t n);
void pd_buf_puts(pd_buf *b, const char *s);
void pd_buf_putc(pd_buf *b, char c);
void pd_buf_printf(pd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pd_buf_vprintf(pd_buf *b, const char *fmt, va_list ap);
void pd_buf_reset(pd_buf *b);           /* len = 0, keeps memory */
void pd_buf_free(pd_buf *b);
/* Hands the string to the caller (caller frees; never NULL) and empties the buffer. */
char *pd_buf_take(pd_buf *b);
/* The contents as a string ("" when empty), valid until the next append. */
const char *pd_buf_str(const pd_buf *b);

/* strdup that aborts on out-of-memory; NULL in gives NULL out. Caller frees. */
char *pd_strdup(const char *s);
char *pd_strndup(const char *s, size_t n);
/* malloc/calloc/realloc that abort on out-of-memory. */
void *pd_xmalloc(size_t n);
void *pd_xcalloc(size_t count, size_t size);
void *pd_xrealloc(void *p, size_t n);
/* pd_xmalloc for a buffer of a megabyte or more that is filled right away (a file's contents,
 * per-line arrays): asks Linux for transparent huge pages, one page fault per 2 MB instead of
 * one per 4 KB (the kernel may say no: nothing else changes). Freed with free(). */
void *pd_xmalloc_big(size_t n);

/* textsafe.h: untrusted text (prompts, model output) on a terminal: which code points must
 * never reach the terminal raw, and their visible forms. One rule for every view. */

/* True for code points a terminal would obey or that hide or reorder text although wcwidth may
 * call them printable: C1 controls, the soft hyphen, zero-width and bidirectional format
 * characters (Trojan Source), line/paragraph separators, interlinear annotations, tag
 * characters. Views show them as <U+XXXX>. (C0 controls and DEL are the caller's: ^X.) */
bool pd_cp_hidden(uint32_t cp);

/* Appends s (n bytes) made safe for a terminal: C0 controls as ^X (tab kept, newline kept only
 * when keep_newlines), DEL as ^?, C1 controls and invalid bytes as \xNN, other hidden code
 * points as <U+XXXX>; everything else unchanged. */
void pd_text_sanitize(pd_buf *out, const char *s, size_t n, bool keep_newlines);
/* Appends JSON text (n bytes, as a JSON encoder writes it: C0 controls inside strings already
 * escaped) with every DEL, C1 control and other hidden code point (bidi controls U+202A..E,
 * U+2066..9, U+200E/F, U+061C, zero-width and tag characters: pd_cp_hidden) written as \uXXXX
 * (a surrogate pair above U+FFFF): the same JSON value, safe on a terminal whatever it holds.
 * Other bytes, the layout's newlines included, are copied as they are. */
void pd_json_escape_controls(pd_buf *out, const char *json, size_t n);
/* true when s[0..n) is not text, as diff(1) decides before comparing lines: its first
 * PD_BINARY_SNIFF bytes hold a NUL byte, or more than a tenth of them are not UTF-8. */
#define PD_BINARY_SNIFF 65536
bool pd_text_is_binary(const char *s, size_t n);

/* textwidth.h: text measurement, written once for every module (textwidth.c): UTF-8 decoding
 * and encoding, the terminal width of a character, tab stops, and the width of text as the app
 * shows it (control characters, bad bytes and hidden code points by their visible forms).
 * Widths come from libc's wcwidth in the thread's LC_CTYPE, which must be a UTF-8 one. */

/* Tab stops are every PD_TAB_WIDTH columns wherever text is drawn or laid out. */
#define PD_TAB_WIDTH 4
/* Columns a tab takes when it starts at column col (col < 0 counts as 0): to the next stop. */
int pd_tab_width(int col);

/* Decodes one UTF-8 character at s (len bytes available): its length (1..4) with *cp set, or 0
 * when the bytes there are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short). */
int pd_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* U+FFFD, what pd_utf8_next gives for a byte that is not UTF-8. */
#define PD_UTF8_REPLACEMENT 0xFFFDu
/* For walks that must always move on: the character at s (len > 0) as pd_utf8_decode finds it
 * (*valid true), or, for a byte that does not start valid UTF-8, length 1 with *cp set to
 * PD_UTF8_REPLACEMENT (*valid false). valid may be NULL. */
size_t pd_utf8_next(const char *s, size_t len, uint32_t *cp, bool *valid);
/* For text that arrives in pieces: how many bytes at the end of s[0..len) are the start of a
 * UTF-8 character still arriving (0 when s ends on a character boundary or in bad bytes). */
size_t pd_utf8_incomplete_tail(const char *s, size_t len);
/* The number of code points in s[0..len): the bytes that are not continuation bytes. */
size_t pd_utf8_count(const char *s, size_t len);
/* Writes cp (a key, a code point) as UTF-8 into out: its length 1..4, or 0 when cp is no
 * character (a surrogate or beyond U+10FFFF) and nothing was written. */
int pd_utf8_encode(uint32_t cp, char out[4]);

/* Terminal columns of a code point printed raw: 1 for printable ASCII, 0 for a combining mark,
 * 2 for a wide character (CJK, most emoji); -1 when it must not be printed raw and is shown in
 * a visible form instead: C0 controls, DEL, pd_cp_hidden code points and what wcwidth calls
 * unprintable. */
int pd_cp_width(uint32_t cp);

/* One character of text as the app shows it. */
typedef enum {
    PD_CHAR_TEXT,      /* printable: printed as is (a combining mark has width 0) */
    PD_CHAR_TAB,       /* '\t': blanks to the next tab stop */
    PD_CHAR_CONTROL,   /* a C0 control (also '\n') or DEL: shown as ^X */
    PD_CHAR_INVALID,   /* a byte that is not UTF-8: shown as <ff> */
    PD_CHAR_HIDDEN     /* a code point pd_cp_width refuses: shown as <U+XXXX> */
} pd_char_kind;

typedef struct pd_char {
    pd_char_kind kind;
    uint32_t cp;       /* the code point (the byte itself for PD_CHAR_INVALID) */
    size_t len;        /* bytes of text it covers (1..4) */
    int width;         /* columns: pd_cp_width for text, to the next stop for a tab, else
                          the length of the visible form */
    char shown[12];    /* the visible form ("^[", "<ff>", "<U+202E>"); "" for text and tabs */
} pd_char;

/* Reads the character at s (len > 0) for a character starting at column col (a tab's width
 * depends on it). Never reads past len. */
void pd_char_at(const char *s, size_t len, int col, pd_char *c);
/* Columns of s[0..len) shown from column col: characters by pd_char_at (a '\n' as ^J). */
int pd_text_width(const char *s, size_t len, int col);
/* Wraps text at width columns: how many bytes of s fit on one line (at least one character,
 * breaking after the last space when at_space and possible; stops before a '\n'). */
size_t pd_text_fit(const char *s, size_t len, int width, bool at_space);

/* hash.h: FNV-1a over n bytes, continuing from h (PD_HASH_SEED to start): stable across runs
 * and machines (ids derived from it are written to disk). */
#define PD_HASH_SEED 1469598103934665603ull
uint64_t pd_hash(uint64_t h, const void *data, size_t n);

/* config.h: XDG paths, the config file (sections of key = value), environment look-ups. */



/* $XDG_CONFIG_HOME/promptdeck (else ~/.config/promptdeck); caller frees. */
char *pd_config_dir(void);
/* $XDG_STATE_HOME/promptdeck (else ~/.local/state/promptdeck): drafts, logs; caller frees. */
char *pd_state_dir(void);
/* $XDG_DATA_HOME/promptdeck (else ~/.local/share/promptdeck); caller frees. */
char *pd_data_dir(void);
/* $XDG_CACHE_HOME/promptdeck (else ~/.cache/promptdeck): what can be rebuilt; caller frees. */
char *pd_cache_dir(void);

/* The config file: lines `key = value`, `# comment`, `[section]`. Keys are looked up as
 * "section.key" ("theme", "keys.quit", "openai.api_key", "openai.base_url" ...). */
typedef struct pd_config_entry {
    char *key;      /* "section.key" or "key" */
    char *value;
    int line;
} pd_config_entry;

typedef struct pd_config {
    char *path;                /* the file read, or NULL when none */
    pd_config_entry *entries;
    size_t n;
    bool owner_only;           /* the file's mode gives no access to group or others */
    /* Problems found while reading ("FILE:LINE: what"), one per line; NULL when none.
     * A line with an error is skipped and the rest is kept. */
    char *warnings;
} pd_config;

/* Loads path, or $XDG_CONFIG_HOME/promptdeck/config when path is NULL. A missing file gives
 * an empty config (not an error). Caller frees with pd_config_free. */
int pd_config_load(const char *path, pd_config *out, pd_error *err);
void pd_config_free(pd_config *c);
/* The value for key, or NULL. The last occurrence wins. */
const char *pd_config_get(const pd_config *c, const char *key);
/* Line of key in the file, or 0. */
int pd_config_line(const pd_config *c, const char *key);

/* A number of seconds (30, 0.5: more than 0, at most a day) or a size in bytes (65536, 512K,
 * 4M, 1G: powers of 1024, "KB"/"KiB" alike) given by an option or a config value; what names
 * it in the error ("--timeout", "run.timeout"). */
int pd_parse_seconds(const char *what, const char *v, double *out, pd_error *err);
int pd_parse_size(const char *what, const char *v, size_t *out, pd_error *err);
/* The same, read from the config's key (c may be NULL); *out is left as it is when the key is
 * unset; a bad value's error names the file and line. */
int pd_config_get_seconds(const pd_config *c, const char *key, double *out, pd_error *err);
int pd_config_get_size(const pd_config *c, const char *key, size_t *out, pd_error *err);

/* A secret from the config file: refuses (PD_ERR_AUTH, saying the file must be chmod 600, as
 * ssh does) when the file is readable by group or others. *out is NULL when the key is unset. */
int pd_config_get_secret(const pd_config *c, const char *key, const char **out, pd_error *err);

#endif
