/* textsafe.h: untrusted text (prompts, model output) on a terminal: UTF-8 decoding, which code
 * points must never reach the terminal raw, and their visible forms. One rule for every view. */
#ifndef PD_TEXTSAFE_H
#define PD_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decodes one UTF-8 character at s (len bytes available): its length (1..4) with *cp set, or 0
 * when the bytes there are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short). */
int pd_utf8_decode(const char *s, size_t len, unsigned *cp);

/* True for code points a terminal would obey or that hide or reorder text although wcwidth may
 * call them printable: C1 controls, the soft hyphen, zero-width and bidirectional format
 * characters (Trojan Source), line/paragraph separators, interlinear annotations, tag
 * characters. Views show them as <U+XXXX>. (C0 controls and DEL are the caller's: ^X.) */
bool pd_cp_hidden(uint32_t cp);

/* Appends s (n bytes) made safe for a terminal: C0 controls as ^X (tab kept, newline kept only
 * when keep_newlines), DEL as ^?, C1 controls and invalid bytes as \xNN, other hidden code
 * points as <U+XXXX>; everything else unchanged. */
void pd_text_sanitize(pd_buf *out, const char *s, size_t n, bool keep_newlines);

#endif
