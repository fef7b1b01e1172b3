/* fuzz_markdown.c: libFuzzer target for the streaming Markdown renderer: any bytes, appended in
 * pieces whose sizes come from the input, render exactly as when appended whole (after every
 * third piece too, as the text so far rendered whole), lines never exceed the width by more than a wide
 * character's overflow of a tiny pane, spans cover each line, and no control byte reaches a line. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int c)
{
    if (!c)
        abort();
}

static void check_lines(pd_md *md)
{
    size_t n = pd_md_line_count(md);
    for (size_t i = 0; i < n; i++) {
        const pd_md_line *l = pd_md_line_at(md, i);
        size_t at = 0;
        for (size_t k = 0; k < l->n_spans; k++) {
            require(l->spans[k].start == at && l->spans[k].len > 0);
            require((unsigned)l->spans[k].style < PD_MD_N_STYLES);
            at += l->spans[k].len;
        }
        require(at == l->len && strlen(l->text) == l->len);
        for (size_t k = 0; k < l->len; k++) {
            unsigned char c = (unsigned char)l->text[k];
            require(c >= 0x20 && c != 0x7f);
            require(!(c == 0xc2 && k + 1 < l->len && (unsigned char)l->text[k + 1] < 0xa0));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setlocale(LC_ALL, "C.UTF-8");
        init = 1;
    }
    if (size < 2)
        return 0;
    int width = 8 + data[0] % 73;
    size_t step = 1 + data[1] % 16;
    const char *text = (const char *)data + 2;
    size_t len = size - 2;
    char *whole = pd_md_render_tagged(text, len, width);
    pd_md *md = pd_md_new(width);
    for (size_t off = 0; off < len; off += step) {
        size_t n = off + step <= len ? step : len - off;
        pd_md_append(md, text + off, n);
        if ((off / step) % 3 == 0) {
            check_lines(md);
            /* the lines so far are those of the text so far rendered whole */
            char *now = pd_md_dump(md, 1), *want = pd_md_render_tagged(text, off + n, width);
            require(strcmp(now, want) == 0);
            free(now);
            free(want);
        }
    }
    check_lines(md);
    char *inc = pd_md_dump(md, 1);
    require(strcmp(inc, whole) == 0);
    free(inc);
    free(whole);
    pd_md_free(md);
    return 0;
}
