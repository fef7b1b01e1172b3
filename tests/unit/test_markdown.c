/* test_markdown.c: streaming Markdown rendering: incremental == whole for every split point,
 * styles, wrap widths, wide characters, tables, and control characters neutralised. */
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "markdown/markdown.h"
#include "t.h"

/* The length of the long texts streamed to count the work: shorter under AddressSanitizer (each
 * render costs many times more there), still long enough for quadratic work to show in the
 * counts. */
#if defined(__SANITIZE_ADDRESS__)
#define LONG_TEXT 50000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LONG_TEXT 50000
#endif
#endif
#ifndef LONG_TEXT
#define LONG_TEXT 200000
#endif

static const char *samples[] = {
    "# Plan\n\nHere is **bold** and *emph* and `code`, with a [link](https://example.com/a).\n\n"
    "1. First step\n2. Second step\n   - nested *item*\n   - another\n3. Third\n\n"
    "> A quote that is long enough to wrap around the pane width at least once.\n\n"
    "```python\ndef f(x):\n\treturn x * 2  # a comment long enough to be cut at the width\n```\n"
    "After the code.\n\n---\n\nThe end.\n",

    "Intro paragraph\nwith a soft break.\n\n| Name | Qty | Note |\n|:-----|----:|:----:|\n"
    "| apple | 3 | red *fruit* |\n| banana | 12 | long note that has to wrap inside its column |\n\n"
    "- loose item one\n\n- loose item two\n\n  continued paragraph\n\nDone.\n",

    "Unicode: 漢字かな交じり文 and emoji 😀😀 mixed with text that goes on and on and on.\n\n"
    "~~~\nraw ~~~ not closed here\n\n\nstill code\n~~~\n\n"
    "Line with trailing spaces  \nhard break above.\r\n\r\nCRLF paragraph\r\n",

    "```\nunclosed fence at end\nsecond line\n\nthird after blank",

    /* a fence opened in a quote after a list, its last line so far only the quote's marker
       (found by fuzzing: the streamed view dropped that line of the code) */
    "> - one\n> - two\n> ~~~\n> code\n> \n>\n> ~~~\n\n>2. a\n>3. b\n>```\n>\n>```\n",

    "Esc \x1b[31mred\x1b[0m and bell \x07 and DEL \x7f and C1 \xc2\x9b and bidi \xe2\x80\xae.\n\n"
    "```\ncode \x1b]0;title\x07 here\n```\n# Head \x1b[2J\n\n[x\x1b](http://a\x1b.b)\n",

    "1. a\n1. b\n1. c\n\n1. d\n\nText <b>html</b> and <div>\nblock</div>\n\n    indented code\n\n"
    "Setext\n======\n\n* * *\n\n![alt text](http://img/x.png)\n",

    /* plain text growing after every kind of construct (the fast path's ground) */
    "A long paragraph of plain words that keeps on going, wrapping across several lines: it has "
    "commas, full stops. Questions? Exclamations! 'Quotes' and \"double quotes\" too, and "
    "supercalifragilisticexpialidociouslyverylongwordthatcannotfitanywhere at all.\n\n"
    "- a list item whose text is long enough to wrap inside the item more than once, surely\n"
    "  - nested item text that also goes on for a while to wrap within its indent\n\n"
    "> quoted text that is long enough to wrap inside the quote bar, more and more words\n\n"
    "## A heading long enough to wrap when the pane is narrow enough, yes\n\n"
    "Text after **strong** and *emph* and `code` and [link](http://x) and <http://y> goes on and on.\n\n"
    "_a_b and *a and **b and `c and [d and <e and &amp and &copy and \\ and x_y_z continue here.\n\n"
    "1\n\n10 apples\n\n1.5 pears\n\n2. two\n\n[ref]: http://ref.example/ 'the title'\n\n[ref] used.\n\n"
    "trailing spaces   \nnext line  \n\nUnicode 漢字 words, caf\xc3\xa9, \xc2\x85 C1, \xe2\x80\xae bidi, go on and on.\n\n"
    "<span>inline html</span> text, then <div>\nhtml block text\n</div>\n\n"
    "| a | b |\n|---|---|\n| c | d long cell text |\n",

    /* long lists and quotes are parsed again from their last item or block only */
    "1. one\n1. two [x] and *more*\n1. three\n\n1. four, the list is loose now\n   - nested\n"
    "- other bullet, a new list\n- again with **bold\n  continued** here\n* third bullet kind\n"
    "* - - -\n* last\n\n> q1 para\n>\n> q2 *em*\n>\n> - in quote\n> - list\nlazy text\n>\n"
    "> ```\n> code\n>\n> ```\n> after\n\n  [x]: http://x.example\n- after the definition [x]\n"
    "- item\n---\n- item\n\n  loose now\n- more\n",

    /* lists and quotes inside list items and quotes are parsed again from their last item */
    "- Intro\n  - a *x*\n  - b\n    - deep 1\n    - deep 2 [y]\n  - c\n\n  - loose now\n- outer 2\n"
    "  > quoted in item\n  >\n  > - q list\n  > - q list 2\n  lazy\n- 3\n   10. ten\n   11. eleven\n"
    "  * star\n  * star 2\n  more text in 3\n\n> Intro\n>\n> - quoted 1\n> - quoted 2\n>   1. num\n"
    ">   2. num2\n> - back\n> > inner q\n> >\n> > inner 2\n>>no space\nend\n",
    "5 * 3 and snake_case and a[i] and [1] x_y* ** alone *open and [open then ] close, ![x] and "
    "*a [b* c] d, a_b_ _c_ *d*e [f [g] h] i [j](http://j) k* l **m *n** o* p [q **r] s** t __u\n",
    /* a '[' open long enough to be taken as text, then closed: the paragraph is laid out again */
    "start [open bracket and words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words *emphasis* words words words words words words words words words end"
    "] (not a link) then [x] and [y](http://y) and *a [b* c] more [again words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words](http://l) x\n",
    /* a '*' beside a vertical tab may open and close emphasis: libcmark's flanking counts '\v'
     * as no space (a settled paragraph took it for one and kept the '*' as text) */
    "x ** alo\001*\013 enoppy\nprint alo\001*\013 enoppy\nend\n",
    /* escaped delimiters and brackets beside real ones, a literal backslash before a real one */
    "a \\*b\\* and \\_c\\_ \\[d\\] \\\\*e* \\**f* [g\\]](h) `i\\*` *j\\** k \\`l` m\n",
    /* a '[' open long enough to be settled as text, closed by a link with a long address, and a
     * link whose text is longer than the wait */
    "see [the docs](https://example.com/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/segment/?q=1 \"t\") and more words after it, then [long link text long link text long link text long link text long link text long link text long link text long link text long link text long link text long link text long link text](http://x) end *x*\n",
    /* delimiters and brackets written as entities beside real ones (the parser's text shows a
     * '*' there; the flanking rules see the entity's '&' and ';'), and what only looks like one */
    "&#42;b&#42; &ast;c&ast; a&amp;*b* &#32;*x*&#32; *y&#42; &#96;h&#96; &#91;i&#93;(j) &nope; & x &#42 "
    "*k* &#x5F;l&#x5f; \\&#42;m\\&#42; `&#42;` &#42;*n*&#42; _o_&#95; [p&#93; q] &#10;*r*\n",
    /* what is no entity, then one: "&#93&a;" shows no ']' (found by a fuzz run) */
    "a[&#93&a; a*]() b [c&#42&d; e_](f) g\n",
    /* escaped backticks outside code spans and ending them (a backslash is literal in a code span) */
    "\\`a\\` `b\\` c` \\\\`d` and `e \\`f` g\\` `h\\\\` i` words *j\\`* k \\``l` m ``n\\`` o`` p\n",
    /* "](" then spaces, a line end, an address or a title of several words: the text so far shows
     * "[...](" as text, the link comes later (found by a fuzz run) */
    "see [f [g] h[j ]]( ihttp://j) k and [a](http://x \"title words here\") and [b](\nhttp://y\n"
    "'more title words') and [c](<my file> (paren title words)) and [d](  <e f>  \"g h\" ) end "
    "[i](j \"k l\") m *x* [n](o p) q [r](<s\nt>) u\n",
    /* lines starting with a backslash escape in a paragraph: "\\|---|" is a table's delimiter row,
     * "\\[" is not */
    "Some math words here | x\n\\[ x_1 = *y* \\]\n\\|---|---|\n\\- c | d\n\\\\ e\nthen \\` f\n\n"
    "Head | x\n\\| --- | --- |\nrow | y\n\nHead | x\n\\[|---|\nrow | y\n",
    /* paragraph lines starting with '&', a backslash or digits: only the second line can be a
     * table's delimiter row (the paragraph's own second line: a code span or link may hold a
     * line end), only a number 1 then '.' or ')' can interrupt it as a list */
    "Intro\n&amp; two\n&#124; three &\n\\- four\n&#124;---|\n\\|---|\n2024 five\n2. six\n0010) seven\n"
    "00000000001. eight\n1.\n1)x\n0 zero\n01. nine\n\n"
    "A | `b\nc` d\n&#124;---|---|\nr | s\n\nA | b [link\ntext](u)\n&#124;---|---|\nrow | y\n\n"
    "Head | x\n&amp;|---|\nrow\n\nHead | x\n&#124; --- &#124; --- |\nrow\n\nHead | x\n\\----\\|---|\nrow\n\n"
    "Head | x\n\\:-\\|-:\nrow\n\n"
    /* later lines starting with '-', '+', '=' or '#' that no text after makes a block start
     * ("-5", "+1", "= x", "#tag"), beside ones that are (a list item, heading, setext
     * underline, break), after a header that may be a table's and after one that may not */
    "Intro | x\n-5 degrees and more\n-- x\n+1 more\n#tag and ## x and\n####### seven\n= x\n== =\nrow\n\n"
    "Plain intro\n-5 x\n= y\n+z\n#w\n-|-\n---\n\nA | b\n-|-\nrow\n\nA\n=x\n===\n\nB\n-x\n- item\n\n"
    "C\n# heading\n\nD *e\nf* | g\n-5\n+ item\n"
    /* emphasis that holds the first line's end, then does not: the second line is the
     * paragraph's own again, a table's delimiter row (found by a fuzz run) */
    "\n\n*p|\n|-:|\n| 2;**&\n\nA | b\n\\\n|\n: :\nrow\n"
    /* a quote's marker after a blank line in a list item starts another block: the list turns
     * loose, the lines before it change (found by a fuzz run) */
    "\n\n- \x13\n  >q\n\n  >"
    "A | b [words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words\nw\nx](u)\n"
    "&#124;---|---|\ny z\n\nA | b [words words words words words words words words words words "
    "words words words words words words words words words words words words words words words\nw\n"
    "x\n&#124;---|---|\ny](u) z\n",
    /* a paragraph's last line, from its third on, that may still start a block (the text before
     * it is settled, not the line) */
    "One\ntwo\nthree\n1. item\n\nOne\ntwo\nthree\n* &amp; x\n\nOne\ntwo\nthree\n-\n\nOne\ntwo\nthree\n"
    "# h\n\nOne\ntwo\nthree\n01) x\n\nOne\ntwo\nthree\n1.\nfour\n1. \nfive\n\nOne\ntwo\nthree\n\\\nsix\n"
    "\nOne\ntwo\nthree\n<div>\n\nOne\ntwo\nthree\n```\ncode\n```\nOne\ntwo\nthree\n> q\n\nOne *a\ntwo\n"
    "three\n***\n\nOne\ntwo\nthree\n===\n\nOne\ntwo\nthree\n| a | b |\n-x y\n1.\nfour |\n=x\n+x\n#x y\n: z\n\n"
    "| a | b |\n| c | d |\n| e |\n\n| a | b |\n|:-|-:|\n| e |\n",
    /* a '_' before a hard break written with a backslash may open emphasis (found by a random
     * stream check) */
    "One\ntwo\n: a _\\\n10|-- b \\\\_ c\n\nOne\ntwo\nthree _\\\nfour \\\\_ five\n",
    /* a '[' settled as text, then a ']' after an escaped '[' (no bracket: the ']' closes the
     * settled one), and brackets, escaped brackets and code spans mixed (found by a fuzz run) */
    "start [open "
    "words words words words words words words words words words words words words words words words "
    "words words words words words words words words words words words words words words words words "
    "\\[](u) end\n",
    "\"t\")`](u ` ` \\]_`word ` _\\][word [x]` ![![word word ]\\]word word forty bytes plain words go "
    "right here word \\]](u \"t\")![forty bytes of plain words go right here [\\[[forty ](u ]_word "
    "![word \\[](u ](u)_word\n",
    "- Intro\n\n  1. one\n\n  2. two\n\n  3\n\n  4. four\n  > q\n\n  > q2\n- tight\n  1. a\n  2. b\n  3\n"
    "  - c\n\n  10. ten\n  11\n",

    /* a long info string with references for a backslash before punctuation (libcmark reads
     * the references first: an escaped '(') (found by a fuzz run) */
    "```aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&#92;( and some more words &#x5C;* "
    "and more words and more words &bsol;[ x\ncode\n```\n",
    /* link reference definitions before and after the blocks with their labels, in runs, in a
     * list, with a title on lines of its own, defined twice (the first counts), a label that is
     * not ASCII, one with no label ("[]:"), and a long paragraph citing them, where "[a]" is a
     * link that "[]", "[b]" or "(u)" after it makes another (found by a random stream check) */
    "See [r1] and [Foo Bar][] and [x][R2] then words words words words words words words words words "
    "words words words words words words words words words [r1][] more [r3](u) and [r2]x end\n\n"
    "- item [r4]\n- [r4]: /four\n\n> quoted [r5]\n\n[r1]: /one\n[R2]: /two \"title\"\n[foo  bar]:\n/fb\n"
    "'multi\nline'\n[r5]: /five\n[r1]: /dup\n\n[Foo Bar][] again and [\xc3\xbc] and [r6] words words "
    "words words words words words words words words words words words words [r1] [r2][] [r3]\n\n"
    "[\xc3\x9c]: /u\n[r6]: <a b> 'x'\n- [a]\n\n[]:\n\na\n\n[Foo Bar]:a\n\nwords words words words words "
    "words words words words words words words words words words words words words [foo  bar][] and "
    "[foo bar](u) and [foo bar][r1] and [foo bar] [r1] and [foo bar]\n[r1] end\n",
    "[Foo Bar]:a\n```\n```\n[aaaaaaaaaaaaaaaaaaaaaaaa`aaaaa[aaa`a[aaaaaa\xc3\xbc" "aaaaaaaaaaaa`aaaaaaaaaaa`aaaaaaaaa"
    "aaaaaaaaaaaaaaaa`aaaaaaaaa aaaa`aaaaaa[foo  bar][] b\n",
    /* a long table keeps its finished rows; markup across rows, a definition after them */
    "| a | b |\n|---|:-:|\n| `x | y` | *e\n| f* | g |\n| [r] | z |\n| a much wider cell than before | 1 |\n"
    "| q \\\n| - | x |\n  | w | <b\n| c> | v |\n\n  [r]: http://r.example\n| after | blank |\n",
};
#define N_SAMPLES (sizeof samples / sizeof *samples)

static char *incremental(const char *text, size_t len, size_t split, int width, int render_between)
{
    pd_md *md = pd_md_new(width);
    pd_md_append(md, text, split);
    if (render_between)
        (void)pd_md_line_count(md);
    pd_md_append(md, text + split, len - split);
    char *s = pd_md_dump(md, 1);
    pd_md_free(md);
    return s;
}

static void test_every_split_point(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++) {
        size_t len = strlen(samples[i]);
        char *whole = pd_md_render_tagged(samples[i], len, 40);
        for (size_t k = 0; k <= len; k++) {
            char *inc = incremental(samples[i], len, k, 40, (int)(k & 1));
            if (strcmp(inc, whole) != 0) {
                printf("# sample %zu split %zu\n", i, k);
                CHECK_STR(inc, whole);
                free(inc);
                break;
            }
            free(inc);
        }
        free(whole);
    }
}

/* After every 4-byte (and 1-byte) piece, the lines equal a whole render of the text so far, and
 * lines reported stable never change afterwards (a link reference defined later may change
 * those from the first block with a label on: they are not reported stable). */
static void test_every_prefix_state(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++) {
        size_t len = strlen(samples[i]);
        char *final = pd_md_render_tagged(samples[i], len, 30);
        for (size_t piece = 1; piece <= 7; piece += 2) {
            pd_md *md = pd_md_new(30);
            int bad = 0;
            for (size_t off = 0; off < len && !bad; off += piece) {
                size_t n = off + piece <= len ? piece : len - off;
                pd_md_append(md, samples[i] + off, n);
                char *got = pd_md_dump(md, 1);
                char *want = pd_md_render_tagged(samples[i], off + n, 30);
                if (strcmp(got, want) != 0) {
                    printf("# sample %zu prefix %zu piece %zu\n", i, off + n, piece);
                    CHECK_STR(got, want);
                    bad = 1;
                }
                /* stable lines are a prefix of the final rendering */
                size_t stable = pd_md_stable_lines(md), nl = 0;
                const char *p = final;
                for (size_t k = 0; k < stable; k++) {
                    const pd_md_line *l = pd_md_line_at(md, k);
                    (void)l;
                    p = strchr(p, '\n');
                    if (!p)
                        break;
                    p++;
                    nl++;
                }
                CHECK(nl == stable);
                CHECK(strncmp(got, final, (size_t)(p - final)) == 0);
                free(got);
                free(want);
            }
            pd_md_free(md);
        }
        free(final);
    }
}

/* Checks text rendered whole at width (tagged with style names or plain). */
#define EXPECT_RENDER(text, width, tagged, want)                                          \
    do {                                                                                  \
        const char *t_ = (text);                                                          \
        char *got_ = (tagged) ? pd_md_render_tagged(t_, strlen(t_), (width))              \
                              : pd_md_render_plain(t_, strlen(t_), (width));              \
        CHECK_STR(got_, (want));                                                          \
        free(got_);                                                                       \
    } while (0)

static void test_styles(void)
{
    EXPECT_RENDER("# Title *x*\n\nA **b** *c* `d` [e](http://f) <http://g>\n\n> q *r*\n", 60, 1,
                  "{markup:# }{heading:Title x}\n\n"
                  "A {strong:b} {emphasis:c} {code:d} {link:e}{url: <http://f>} {link:http://g}\n\n"
                  "{quote:│ q }{emphasis:r}\n");
    EXPECT_RENDER("- a\n- b\n  1. c\n  2. d\n", 60, 1,
                  "{markup:• }a\n{markup:• }b\n  {markup:1. }c\n  {markup:2. }d\n");
    EXPECT_RENDER("3) x\n4) y\n\n---\n", 10, 0, "3) x\n4) y\n\n──────────\n");
    EXPECT_RENDER("```sh\nls -l\n```\n", 60, 1, "{markup:```sh}\n{codeblock:ls -l}\n{markup:```}\n");
    /* an indented code block whose text starts with a fence's characters is not a fence; a
     * fence's first line may be the same as its opening one when that has an info string */
    EXPECT_RENDER("x\n\n    ```\n    code\n\n> y\n>\n>      ~~~ a\n", 60, 1,
                  "x\n\n    {codeblock:```}\n    {codeblock:code}\n\n{quote:│ y}\n{quote:│}\n{quote:│ }    {codeblock: ~~~ a}\n");
    EXPECT_RENDER("```js\n```js\n```\n\n~~~~\n~~~\n~~~~\n", 60, 1,
                  "{markup:```js}\n{codeblock:```js}\n{markup:```}\n\n{markup:~~~}\n{codeblock:~~~}\n{markup:~~~}\n");
}

static void test_table(void)
{
    const char *t = "| a | bb |\n|---|---:|\n| ccc | d |\n";
    EXPECT_RENDER(t, 40, 0, "a   │ bb\n────┼───\nccc │  d\n");
    EXPECT_RENDER(t, 40, 1, "{table-head:a}  {markup: │ }{table-head:bb}\n{markup:────┼───}\nccc{markup: │ } d\n");
    /* too wide: cells wrap inside their columns, no line wider than the width */
    EXPECT_RENDER("| key | value |\n|-----|-------|\n| k | one two three four five six seven eight |\n", 20, 0,
                  "key │ value\n────┼───────────────\nk   │ one two three\n    │ four five six\n"
                  "    │ seven eight\n");
    /* not a table: no delimiter row */
    EXPECT_RENDER("a | b\nc | d\n", 40, 0, "a | b c | d\n");
}

static int max_width(pd_md *md)
{
    int m = 0;
    for (size_t i = 0; i < pd_md_line_count(md); i++) {
        const pd_md_line *l = pd_md_line_at(md, i);
        /* the recorded width is the real display width */
        int w = 0;
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        const char *p = l->text;
        wchar_t wc;
        size_t k;
        while ((k = mbrtowc(&wc, p, strlen(p), &ps)) != 0 && k != (size_t)-1 && k != (size_t)-2) {
            w += wcwidth(wc);
            p += k;
        }
        CHECK_INT(w, l->width);
        if (l->width > m)
            m = l->width;
    }
    return m;
}

static void test_wrap_widths(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++) {
        for (int w = 12; w <= 90; w += 7) {
            pd_md *md = pd_md_new(w);
            pd_md_append(md, samples[i], strlen(samples[i]));
            int m = max_width(md);
            if (m > w)
                printf("# sample %zu width %d: line of %d\n", i, w, m);
            CHECK(m <= w);
            pd_md_free(md);
        }
    }
    /* wide characters count two columns and are never split */
    const char *t = "漢字漢字漢字 漢字";
    char *s = pd_md_render_plain(t, strlen(t), 9);
    CHECK_STR(s, "漢字漢字\n漢字 漢字\n");
    free(s);
    s = pd_md_render_plain(t, strlen(t), 8);
    CHECK_STR(s, "漢字漢字\n漢字\n漢字\n");
    free(s);
}

static void test_set_width(void)
{
    /* before any text (the app sizes its pane first) */
    pd_md *empty = pd_md_new(30);
    pd_md_set_width(empty, 55);
    CHECK(pd_md_line_count(empty) == 0 && pd_md_width(empty) == 55);
    pd_md_free(empty);
    pd_md *md = pd_md_new(30);
    pd_md_append(md, samples[0], strlen(samples[0]));
    (void)pd_md_line_count(md);
    pd_md_set_width(md, 55);
    char *got = pd_md_dump(md, 1);
    char *want = pd_md_render_tagged(samples[0], strlen(samples[0]), 55);
    CHECK_STR(got, want);
    free(got);
    free(want);
    pd_md_free(md);
}

static void check_clean(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) ||
            (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xae)) {
            printf("#   raw control byte 0x%02x at %ld\n", *p, (long)(p - (const unsigned char *)s));
            CHECK(0);
            return;
        }
    }
}

static void test_escapes_neutralised(void)
{
    for (size_t i = 0; i < N_SAMPLES; i++) {
        char *s = pd_md_render_plain(samples[i], strlen(samples[i]), 33);
        check_clean(s);
        free(s);
    }
    /* every byte value, in every kind of block */
    char all[256 * 6];
    size_t n = 0;
    const char *ctx[] = {"", "# ", "> ", "- ", "| a | b |\n|---|---|\n| ", "```\n", "[x](http://"};
    for (size_t c = 0; c < sizeof ctx / sizeof *ctx; c++) {
        n = (size_t)snprintf(all, sizeof all, "%s", ctx[c]);
        for (int b = 1; b < 256; b++)
            if (b != '\n')
                all[n++] = (char)b;
        all[n] = 0;
        char *s = pd_md_render_plain(all, n, 40);
        check_clean(s);
        free(s);
    }
    const char *t = "a\x1b[31mb\x07\x7f\xc2\x85\xe2\x80\xaez";
    char *s = pd_md_render_tagged(t, strlen(t), 60);
    CHECK_STR(s, "a{escape:^[}[31mb{escape:^G^?<U+0085><U+202E>}z\n");
    free(s);
}

static void test_partial_utf8_waits(void)
{
    pd_md *md = pd_md_new(20);
    pd_md_append(md, "ab\xe6\xbc", 4);
    char *s = pd_md_dump(md, 0);
    CHECK_STR(s, "ab\n");
    free(s);
    pd_md_append(md, "\xa2", 1);
    s = pd_md_dump(md, 0);
    CHECK_STR(s, "ab漢\n");
    free(s);
    pd_md_free(md);
}

/* A long answer costs linear time: finished blocks are parsed once; the tail stays small. */
static void test_linear_work(void)
{
    size_t cap = LONG_TEXT, n = 0;
    char *text = malloc(cap + 200);
    int i = 0;
    while (n < cap)
        n += (size_t)sprintf(text + n, "Paragraph %d with *some* words in it.\n\n```\ncode %d\n```\n\n", i, i), i++;
    pd_md *md = pd_md_new(80);
    for (size_t off = 0; off < n; off += 4) {
        pd_md_append(md, text + off, off + 4 <= n ? 4 : n - off);
        (void)pd_md_line_count(md);
    }
    pd_md_stats st;
    pd_md_get_stats(md, &st);
    CHECK(st.done_bytes <= n);
    /* the tail parsed per piece is a block, not the answer: well under 100 bytes on average */
    printf("# %zu bytes: done %zu, tail %zu in %zu renders (%zu fast)\n", n, st.done_bytes, st.tail_bytes,
           st.tail_renders, st.fast_renders);
    CHECK(st.tail_bytes / st.tail_renders < 100);
    /* most pieces inside a paragraph only re-wrap its last line or parse its unsettled end */
    CHECK(st.fast_renders + st.para_renders > st.tail_renders / 3);
    CHECK(st.parsed_bytes < 4 * n);
    pd_md_free(md);
    free(text);
}

/* Streams text in 4-byte pieces at width 72, rendering after each; checks the lines are those of
 * the text rendered whole; st gets the counters. */
static void stream_in_pieces(const char *text, size_t n, pd_md_stats *st)
{
    pd_md *md = pd_md_new(72);
    for (size_t off = 0; off < n; off += 4) {
        pd_md_append(md, text + off, off + 4 <= n ? 4 : n - off);
        (void)pd_md_line_count(md);
    }
    pd_md_get_stats(md, st);
    char *inc = pd_md_dump(md, 1), *whole = pd_md_render_tagged(text, n, 72);
    CHECK(strcmp(inc, whole) == 0);
    free(inc);
    free(whole);
    pd_md_free(md);
}

/* Streams head, then unit again and again up to 200 KB, then foot (stream_in_pieces), says what
 * it cost (what: the text's name) and checks it parsed less than `most` times its length (0: the
 * caller checks *out). */
static void check_long_text(const char *what, const char *head, const char *unit, const char *foot, size_t most,
                            pd_md_stats *out)
{
    size_t cap = LONG_TEXT;
    char *big = malloc(cap + strlen(unit) + strlen(head) + strlen(foot) + 1);
    size_t n = (size_t)sprintf(big, "%s", head);
    while (n < cap)
        n += (size_t)sprintf(big + n, "%s", unit);
    n += (size_t)sprintf(big + n, "%s", foot);
    pd_md_stats st;
    stream_in_pieces(big, n, &st);
    printf("# %s, \"%s\" again and again, %zu bytes: read %zu, parsed %zu in %zu renders\n", what, unit, n,
           st.tail_bytes, st.parsed_bytes, st.tail_renders);
    if (most)
        CHECK(st.parsed_bytes < most * n);
    if (out)
        *out = st;
    free(big);
}

/* A long open paragraph with inline markup streamed in 4-byte pieces, rendered after each: the
 * bytes given to the parser stay within a small multiple of the text (they grew with the square
 * of its length when the whole open paragraph was parsed again for every piece), and the lines
 * are those of the text rendered whole. */
static void test_open_paragraph_linear(void)
{
    /* a paragraph whose second line, once finished, is none of the blocks it may have become
     * (a table's delimiter row after a header holding a '|', a list item): the lines after it */
    static const char *const second_lines[] = {
        "Name | Value\n\\\n", "Name | Value\n|\n", "Name | Value\n: :\n", "Intro line\n1.\n",
        "Intro line\n\\\n", "Intro &amp; line\n|\n",
        /* a long line starting with what may start a block until its second character */
        "Intro | line\n-5 degrees ", "Intro line\nsecond line\nthird line\n= x ", "Intro\n+1 for ",
        "Intro\n#tag ",
        /* a heading (one line, its text followed like a paragraph's) */
        "# ", "## A *heading* with `code` ",
        /* a word wider than a line cut before its last '-', then "- " and markup after it */
        "See a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-"
        "a-a-a-a-a-- *x* ",
    };
    size_t n_second = sizeof second_lines / sizeof *second_lines;
    /* then one word wider than many lines (no space in it): letters, base64, an address */
    int n_units = 14 + (int)n_second + 3;
    for (int u = 0; u < n_units; u++) {
        size_t cap = u >= 10 ? 40000 : LONG_TEXT, n = 0; /* 40 KB: quadratic fails in seconds */
        char *text = malloc(cap + 400);
        if (u >= 14)
            n = (size_t)sprintf(text, "%s", u < 14 + (int)n_second ? second_lines[u - 14] : "See https://x.org/");
        for (int i = 0; n < cap; i++) {
            /* lines starting with '&', a backslash or digits that do not start a list */
            int w = u - 14 - (int)n_second;
            if (w >= 0)
                n += w == 0 ? (size_t)sprintf(text + n, "abcdefghij")
                     : w == 1 ? (size_t)sprintf(text + n, "QUJD%dZGVm+/", i)
                              : (size_t)sprintf(text + n, "seg%d/", i);
            else if (u >= 20)   /* one long line that starts with what may start a block */
                n += (size_t)sprintf(text + n, "word %d more ", i);
            else if (u >= 14)
                n += (size_t)sprintf(text + n, "more words %d and text on the line\n", i);
            else if (u == 13)   /* rows of a table with no delimiter row: a paragraph */
                n += (size_t)sprintf(text + n, "| cell %d | and more words |\n", i);
            else if (u == 12)
                n += (size_t)sprintf(text + n, "\\- item %d and more words on the line\n", i);
            else if (u == 11)
                n += (size_t)sprintf(text + n, i % 3 != 1 ? "2024 saw %d and more words\n" : "%d. and more words\n",
                                     i + 2);
            else if (u == 10)
                n += (size_t)sprintf(text + n, "&amp; item %d and more words on the line\n", i);
            else if (u == 9)   /* link texts longer than PARA_BRACKET_WAIT: the '[' is settled as text first */
                n += (size_t)sprintf(text + n, "words [aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq "
                                               "rr ss tt uu vv ww xx yy zz aa bb cc dd ee ff gg hh ii jj kk "
                                               "ll mm nn oo pp qq rr ss tt uu vv ww xx yy zz %d](http://x/%d) "
                                               "more ", i, i);
            else if (u == 8)   /* escaped backticks (each a literal '`' in the parser's text) */
                n += (size_t)sprintf(text + n, "\\`d\\` %d ", i);
            else if (u == 7)   /* delimiters written as entities */
                n += (size_t)sprintf(text + n, "&#42;b&#42; &#95;c&#95; %d ", i);
            else if (u == 6)   /* a link whose text is many words */
                n += (size_t)sprintf(text + n, "words [aa bb cc dd ee ff gg hh ii %d](http://x/%d) more ", i, i);
            else if (u == 5)   /* escaped delimiters and brackets */
                n += (size_t)sprintf(text + n, "a \\*b\\* %d and \\_c\\_ and \\[d and e\\] more ", i);
            else if (u == 4)
                n += (size_t)sprintf(text + n, "cost %d and a [bracket never closed, *more* words ", i);
            else if (u == 3)
                n += (size_t)sprintf(text + n, "cost %d is 5 * 3 or snake_case_name and a[i] or [%d], "
                                               "x_y* and ** alone, more ", i, i);
            else if (u == 0)
                n += (size_t)sprintf(text + n, "word %d **bold text** and `code span` with [a link]"
                                               "(https://example.com/%d) more ", i, i);
            else if (u == 1)
                n += (size_t)sprintf(text + n, "line %d has *emphasis*, `code` and "
                                               "<https://example.com/%d> in it\nthen ", i, i);
            else
                n += (size_t)sprintf(text + n, "end of sentence %d. **Strong with `code` inside** "
                                               "and _under_ %d done.  ", i, i);
        }
        pd_md_stats st;
        stream_in_pieces(text, n, &st);
        printf("# unit %d, %zu bytes: parsed %zu in %zu renders (%zu of the open paragraph)\n", u, n,
               st.parsed_bytes, st.tail_renders, st.para_renders);
        /* a '[' never closed is parsed again for a while (see PARA_BRACKET_WAIT), not to the end */
        /* a link's text is parsed again (twice: from the word before the link) until it closes,
         * or until it is taken as text, and once more from before it when it closes */
        CHECK(st.parsed_bytes < (u == 4 ? 256 : u == 6 ? 16 : u == 9 ? 24 : 8) * n);
        CHECK(st.para_renders > st.tail_renders / 2);
        free(text);
    }
}

/* A long nested list, a long quote and a long table streamed in 4-byte pieces, rendered after
 * each: each render parses the text from the list's last item (the quote's last block, the
 * table's last row) only. */
static void test_list_quote_table_linear(void)
{
    for (int u = 0; u < 24; u++) {
        size_t cap = LONG_TEXT, n = 0;
        char *text = malloc(cap + 200);
        for (int i = 0; n < cap; i++) {
            /* many blocks in one list item: headings, paragraphs and code in a quote's item */
            /* one fence line tens of KB long in a list item, in a quote (its info string) */
            if (u == 22)
                n += (size_t)sprintf(text + n, "%slang %d attrs ", i ? "" : "- ~~~ ", i);
            else if (u == 23)
                n += (size_t)sprintf(text + n, "%sa\\*b &amp; %d ", i ? "" : "> ```", i);
            /* a long table in a list item, in a quote */
            else if (u == 20)
                n += (size_t)sprintf(text + n, "%s  | row %d | **%d** |\n", i ? "" : "- | Name | Value |\n  |---|--:|\n", i, i);
            else if (u == 21)
                n += (size_t)sprintf(text + n, "%s> | row %d | `%d` |\n", i ? "" : "> | Name | Value |\n> |---|:-:|\n", i, i);
            /* one heading line in a quote, in a list item (its text followed as it comes) */
            else if (u == 18)
                n += (size_t)sprintf(text + n, "%swords %d and *more* ", i ? "" : "> # ", i);
            else if (u == 19)
                n += (size_t)sprintf(text + n, "%sstep %d `code` ", i ? "" : "- a\n- ### ", i);
            else if (u == 16)
                n += (size_t)sprintf(text + n, "%s  ## Heading %d with *emphasis*\n", i ? "" : "- Intro\n", i);
            else if (u == 17)
                n += (size_t)sprintf(text + n, "%s>    ## Step %d\n>    Some `text`.\n>    ```\n>    x\n>    ```\n",
                                     i ? "" : "> 1. Intro\n", i);
            /* lines that continue an item's paragraph lazily, less indented than the item */
            else if (u == 15)
                n += (size_t)sprintf(text + n, "%s>  words %d and `more` text\n", i ? "" : "> 1. Intro\n", i);
            /* a long HTML block, a long indented code block (blank lines in it) */
            else if (u == 13)
                n += (size_t)sprintf(text + n, "%s<p>para %d with <b>bold</b></p>\n", i ? "" : "<div>\n", i);
            else if (u == 14)
                n += (size_t)sprintf(text + n, "%s    static int f%d(int x) { return x; }\n%s",
                                     i ? "" : "Intro\n\n", i, i % 5 ? "" : "\n");
            /* a long paragraph in a list item (one line), in a quote, in a quote's item */
            else if (u == 10)
                n += (size_t)sprintf(text + n, "%swords %d and *more* text ", i ? "" : "- Intro item\n- ", i);
            else if (u == 11)
                n += (size_t)sprintf(text + n, "> words %d and *more* text [link](u)\n", i);
            else if (u == 12)
                n += (size_t)sprintf(text + n, "%s>    words %d and `more` text\n", i ? "" : "> 1. Intro\n", i);
            /* a long code block in a list item, in a quote, in a quote's list item */
            else if (u == 7)
                n += (size_t)sprintf(text + n, "%s   static int f%d(int x) { return x * %d + 1; }\n",
                                     i ? "" : "1. Install it:\n\n   ```c\n", i, i);
            else if (u == 8)
                n += (size_t)sprintf(text + n, "%s> static int f%d(int x) { return x * %d + 1; }\n",
                                     i ? "" : "> ```c\n", i, i);
            else if (u == 9)
                n += (size_t)sprintf(text + n, "%s>       code line %d\n%s", i ? "" : "> - item\n>\n>   ~~~~\n", i,
                                     i % 7 ? "" : ">\n");
            else if (u == 0)
                n += (size_t)sprintf(text + n, "- item %d with *emphasis*\n  - nested [link](http://x/%d)\n"
                                               "    - deeper `code`\n", i, i);
            else if (u == 3)
                n += (size_t)sprintf(text + n, "%s  - sub item %d with *emphasis* and `code`\n",
                                     i ? "" : "- Intro item\n", i);
            else if (u == 4)
                n += (size_t)sprintf(text + n, "%s> - quoted item %d with *emphasis* [link](http://x/%d)\n",
                                     i ? "" : "> Intro\n>\n", i, i);
            else if (u == 6)
                n += (size_t)sprintf(text + n, "%s  %d. numbered item with *emphasis*\n\n",
                                     i ? "" : "- Intro item\n\n", i + 1);
            else if (u == 5)
                n += (size_t)sprintf(text + n, "%s>    - deep item %d with `code`\n>\n",
                                     i ? "" : "> - Intro\n>   - second\n>\n>   - one\n>\n", i + 2);
            else if (u == 1)
                n += (size_t)sprintf(text + n, "> A quoted remark %d with *emphasis* that wraps across "
                                               "a line of the pane %d\n>\n", i, i);
            else
                n += (size_t)sprintf(text + n, "%s| row %d | **%d** | `some` note |\n",
                                     i ? "" : "| Name | Value | Note |\n|------|------:|:----:|\n", i, i);
        }
        pd_md_stats st;
        stream_in_pieces(text, n, &st);
        printf("# shape %d, %zu bytes: parsed %zu in %zu renders (%zu from the last item, %zu of its "
               "open paragraph, %zu fast, %zu of its fence line)\n", u, n, st.parsed_bytes, st.tail_renders,
               st.split_renders, st.para_renders, st.fast_renders, st.head_renders);
        CHECK(st.parsed_bytes < 16 * n);
        /* nearly every render starts at the last item or the paragraph being written in it */
        CHECK(st.split_renders + st.para_renders + st.fast_renders + st.head_renders > st.tail_renders * 9 / 10);
        free(text);
    }
}

/* Token soup shaped like lists, quotes, tables and paragraphs with markup, streamed in pieces
 * of random sizes with a render after each: the lines are always those of the text whole (the
 * settled parts of paragraphs, lists, quotes and tables never depend on what follows). */
/* Streams text in step-byte pieces at width, rendering after each, and compares the lines with
 * the text so far rendered whole after every `every`-th piece and the last: false (reported
 * with iteration it) at the first that differs. */
static bool streams_as_whole(const char *text, size_t n, int width, size_t step, size_t every, int it)
{
    pd_md *md = pd_md_new(width);
    bool same = true;
    for (size_t off = 0, k = 0; off < n && same; off += step, k++) {
        size_t m = off + step <= n ? step : n - off;
        pd_md_append(md, text + off, m);
        if (k % every && off + m < n) {
            (void)pd_md_line_count(md);
            continue;
        }
        char *inc = pd_md_dump(md, 1), *whole = pd_md_render_tagged(text, off + m, width);
        same = strcmp(inc, whole) == 0;
        if (!same) {
            printf("# iteration %d (width %d, %zu-byte pieces, %zu bytes): %.*s\n", it, width, step,
                   off + m, (int)(off + m), text);
            CHECK_STR(inc, whole);
        }
        free(inc);
        free(whole);
    }
    pd_md_free(md);
    return same;
}

/* Words wider than the line (laid out cut into pieces) settled inside as they stream: long runs
 * of letters, digits and "+/=.:-" with markup, entities, escapes and line starts among them
 * render, at every point, as the text so far rendered whole. */
#ifndef ITERS
#define ITERS 500   /* random streams a test compares with the whole */
#endif

static void test_long_words(void)
{
    static const char *tok[] = {
        "abcdefghij", "QUJDZGVm", "0123", "+/=", ".:-", "\xc3\xa9\xe6\xbc\xa2", "&", "&amp;", "&#42;",
        "&CounterClockwiseContourIntegral;", "*", "**", "_", "`", "[", "](u)", "<", ">", "\\", "\\*",
        " ", "\n", "\n-5", "\n# ", "\n1. ", "\n| ", "|", "!", "#", "~", "\xff"};
    srand(10);
    char text[8192];
    int failures = 0;
    for (int it = 0; it < 300 && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s", it % 3 ? "Intro " : "A | b\n");
        for (int k = 20 + rand() % 400; k > 0 && n < sizeof text - 64; k--) {
            const char *t = rand() % 100 < 70 ? tok[rand() % 5] : tok[rand() % (int)(sizeof tok / sizeof *tok)];
            memcpy(text + n, t, strlen(t));
            n += strlen(t);
        }
        failures += !streams_as_whole(text, n, 8 + rand() % 40, 1 + (size_t)(rand() % 9), 5, it);
    }
    /* words between tabs (laid out as plain text, a tab a blank): tabs at line starts and ends,
     * at the paragraph's end, before what may start a block */
    static const char *const tabbed[] = {"word", "ab", "\t", "\t\t", " ", " \t", "\n", "\n\t", "\t\n", "-", "+", "|",
                                         "=", "\n- ", "\n\t- ", "1.", "#", "*a*"};
    for (int it = 0; it < 200 && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s", it % 4 == 0 ? "- " : it % 4 == 1 ? "> " : "");
        for (int k = 20 + rand() % 600; k > 0 && n < sizeof text - 64; k--)
            n += (size_t)sprintf(text + n, "%s", tabbed[rand() % 100 < 70 ? rand() % 6 : rand() % (int)(sizeof tabbed / sizeof *tabbed)]);
        failures += !streams_as_whole(text, n, 8 + rand() % 60, 1 + (size_t)(rand() % 9), 3, it);
    }
    /* words made of markup alone ("[a][a]", "a*a*", "`a`a", "<a<a", "&&&", "\\\\", tabs between
     * words): cut between any two of their characters that no markup holds together */
    static const char *const head[] = {"Intro ", "# ", "- ", "> ", "x[", "x<a", "*", "`", "## a#", "[", "<a",
                                       "</a", "<"};
    static const char *const mark[] = {
        "[a]", "a*", "*a", "a_", "_", "`a", "``", "(", ")", "{", "&", "&amp;", "&#35;", "\\", "\\\\", "\\*",
        "<a", "<", ">", "#", "![a]", "](u)", "[", "]", "~", "a", "\xc3\xa9", "\t", "b#", "=", "-", "'\"", " ",
        "**", "a**", "\x07", "\xc2\xa0", "\xe2\x80\x94", "\n"};
    for (int it = 0; it < ITERS && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s", head[rand() % (int)(sizeof head / sizeof *head)]);
        int focus = rand() % (int)(sizeof mark / sizeof *mark);
        for (int k = 40 + rand() % 600; k > 0 && n < sizeof text - 64; k--) {
            int r = rand() % 100;
            const char *t = mark[r < 40 ? focus : r < 98 ? rand() % (int)(sizeof mark / sizeof *mark - 2)
                                                         : rand() % (int)(sizeof mark / sizeof *mark)];
            memcpy(text + n, t, strlen(t));
            n += strlen(t);
        }
        failures += !streams_as_whole(text, n, 8 + rand() % 40, 1 + (size_t)(rand() % 9), 3, it);
    }
    CHECK(failures == 0);
    /* 200 KB of such a word, rendered after each 4 bytes, parses a few times its length (the
     * points tried in a word, each render; it grew with the square of it) */
    static const char *const unit[][2] = {{"", "[a]"}, {"", "a*"}, {"", "`a"}, {"", "<a"}, {"x", "![a]"},
                                          {"x", "&\\(#"}, {"", "a*b_c`d[e]f(g)h<i&j\\k"}, {"", "word\t"},
                                          {"# ", "ab# "}, {"", "#"}, {"x", ">"}};
    for (size_t u = 0; u < sizeof unit / sizeof *unit; u++)
        check_long_text("a word", unit[u][0], unit[u][1], "", 24, NULL);
}

/* Code blocks (fenced, indented) and HTML blocks, at the top level and inside list items and
 * quotes, streamed line by line (each line laid out once): lines of every kind, blank ones,
 * fences that close or do not, lines that end the block or leave the containers, at every point
 * render as the text so far rendered whole. */
static void test_code_in_boxes(void)
{
    static const char *const opener[] = {"- ", "1. ", "> ", "- > ", "> - ", "- a\n  - ", "10) ", "> > ", ""};
    static const char *const prefix[] = {"  ", "   ", "> ", "  > ", ">   ", "    ", "    ", "> > ", ""};
    static const char *const start[] = {"```c", "    code", "<div>"};
    static const char *const inner[] = {"", "    ", ""};
    static const char *const code[] = {
        "int x = 1;", "", "  indented", "``", "```", "````", "~~~", "``` x", "   ```", "    ```",
        "\xe6\xbc\xa2\xe5\xad\x97 wide", "a line long enough to be cut into pieces at a narrow width, and more",
        "\tx", "-", "# h", "> q", "1. x", "<p>x</p>", "  ", "-->"};
    srand(12);
    char text[8192];
    int failures = 0;
    for (int it = 0; it < 900 && failures < 3; it++) {
        int b = rand() % 9, kind = rand() % 3;
        size_t n = (size_t)sprintf(text, "%sIntro:\n%s\n%s%s\n", opener[b], b == 2 || b == 7 ? ">" : "",
                                   prefix[b], start[kind]);
        for (int k = 5 + rand() % 60; k > 0 && n < sizeof text - 200; k--) {
            int r = rand() % 100;
            const char *pre = r < 3 ? "" : r < 5 ? " " : prefix[b];
            const char *c = rand() % 3 ? code[0] : code[rand() % (int)(sizeof code / sizeof *code)];
            n += (size_t)sprintf(text + n, "%s%s%s\n", pre, *c && rand() % 8 ? inner[kind] : "", c);
        }
        if (rand() % 2)
            n += (size_t)sprintf(text + n, "%s```\n%safter\n", prefix[b], prefix[b]);
        failures += !streams_as_whole(text, n, 8 + rand() % 40, 1 + (size_t)(rand() % 9), 3, it);
    }
}

/* Paragraphs inside list items and quotes streamed (their settled part kept): inline markup,
 * lines that continue them lazily, leave the containers, start blocks or tables, at every point
 * render as the text so far rendered whole. */
static void test_para_in_boxes(void)
{
    static const char *const opener[] = {"- ", "1. ", "> ", "- > ", "> - ", "- a\n\n  - ", "> > ", "- a\n  - "};
    static const char *const prefix[] = {"  ", "   ", "> ", "  > ", ">   ", "    ", "> > ", "    "};
    static const char *const tok[] = {
        "word ", "more ", "text ", "*em* ", "**strong** ", "`code` ", "[link](u) ", "a_b ", "&amp; ", "\\* ",
        "[open ", "close] ", "<b> ", "1. ", "- ", "# ", "| ", "|-|-| ", "=== ", "--- ", "QUJDZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
        "\xe6\xbc\xa2 "};
    static const char *const lazy[] = {"", " ", "\n"};   /* (" |-|-": a delimiter row, lazily) */
    srand(16);
    char text[8192];
    int failures = 0;
    for (int it = 0; it < 500 && failures < 3; it++) {
        int b = rand() % 8;
        size_t n = (size_t)sprintf(text, "%s", opener[b]);
        for (int k = 5 + rand() % 120; k > 0 && n < sizeof text - 200; k--) {
            int r = rand() % 100;
            const char *t = r < 60 ? tok[rand() % 4] : tok[rand() % (int)(sizeof tok / sizeof *tok)];
            n += (size_t)sprintf(text + n, "%s", t);
            if (rand() % 8 == 0) /* a line end: the next line continues, lazily, or leaves */
                n += (size_t)sprintf(text + n, "\n%s", rand() % 20 ? prefix[b] : lazy[rand() % 3]);
        }
        failures += !streams_as_whole(text, n, 12 + rand() % 40, 1 + (size_t)(rand() % 9), 3, it);
    }
    /* a lazy line with spaces before it may be the delimiter row that makes the paragraph a table */
    static const char *const table[] = {">|\n |-", "> a|b\n |-|-", "- > a|b\n   |-|-\n c|d\n"};
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        for (size_t step = 1; step < 4; step++)
            CHECK(streams_as_whole(table[i], strlen(table[i]), 28, step, 1, (int)i));
}

static void test_random_streams(void)
{
    static const char *tok[] = {
        "word ", "abc", "Zed ", " ", "  ", "\n", "\n", "\n\n", "- ", "* ", "+ ", "1. ", "2) ", "> ",
        ">", "| ", "|", "---", "|---|---|\n", ":-:", "`", "``", "```\n", "~~~", "*", "**", "_", "[",
        "]", "](http://u)", "[r]", "[r]: http://r\n", "<", "<b>", "<http://x>", "\\", "\\\n",
        "  \n", "# ", "===\n", "\t", "&amp;", "![i](x)", "    ", "\f", "1", "\r\n", "x|y",
        "\xc3\xa9", "\xff", "a "};
    static const char *bias[] = {"- ", "> ", "| ", "**", "`", "word "};
    srand(14);
    char text[4096];
    int failures = 0;
    for (int it = 0; it < 600 && failures < 3; it++) {
        size_t n = 0;
        const char *b = bias[rand() % 6];
        for (int k = 1 + rand() % 100; k > 0 && n < sizeof text - 64; k--) {
            const char *t = rand() % 100 < 30 ? b : tok[rand() % (int)(sizeof tok / sizeof *tok)];
            memcpy(text + n, t, strlen(t));
            n += strlen(t);
        }
        int width = 8 + rand() % 60;
        size_t step = 1 + (size_t)(rand() % 9);
        char *whole = pd_md_render_tagged(text, n, width);
        pd_md *md = pd_md_new(width);
        for (size_t off = 0; off < n; off += step) {
            pd_md_append(md, text + off, off + step <= n ? step : n - off);
            (void)pd_md_line_count(md);
        }
        char *inc = pd_md_dump(md, 1);
        if (strcmp(inc, whole) != 0) {
            printf("# iteration %d (width %d, %zu-byte pieces): %.*s\n", it, width, step, (int)n, text);
            failures++;
        }
        CHECK(strcmp(inc, whole) == 0);
        free(inc);
        free(whole);
        pd_md_free(md);
    }
}

/* A run of '*', '_' or '`' or a '<' left open early in a long paragraph is taken as text once
 * the paragraph is well past it (then what may close it has the text from before it parsed
 * again): streamed in random pieces, the lines are at every point those of the text so far
 * rendered whole (runs that both open and close, closers matched nearer, backtick runs of other
 * lengths, "\\`", '>' and lazy '<'s after it), and 200 KB of such a paragraph parses a few times
 * its length (it grew with the square of it). */
static void test_open_runs(void)
{
    static const char *const head[] = {"*", "_", "`", "``", "x <y ", "**", "x*", "*a **", "_a __", "`a ``"};
    static const char *const tok[] = {
        "lorem ", "ipsum ", "dolor ", "sit ", "**b** ", "*e* ", "_u_ ", "__s__ ", "`c` ", "``c`` ",
        "a*b ", "-*-*", "*-", "a_b ", "x* ", "y** ", "_z ", "b*** ", "` ", "``", "\\` ", "\\* ",
        "x<y ", "a>b ", "<b> ", "[l](u) ", "[open ", "close] ", "&#42;", "\n", "\n> ", "*", "_", "`",
        "<a ", "href=\"u\" ", "t='>' ", "/", ">", "</a", "<!-- ", "-->", "<x@y.z", "<http://u", "x=1 "};
    srand(29);
    char text[6144];
    int failures = 0;
    for (int it = 0; it < ITERS && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s%s", it % 3 ? "" : "- ", head[rand() % (int)(sizeof head / sizeof *head)]);
        for (int k = 60 + rand() % 500; k > 0 && n < sizeof text - 64; k--) {
            int r = rand() % 100;
            n += (size_t)sprintf(text + n, "%s", tok[r < 40 ? rand() % 4 : rand() % (int)(sizeof tok / sizeof *tok)]);
        }
        failures += !streams_as_whole(text, n, 12 + rand() % 50, 1 + (size_t)(rand() % 13), 3, it);
    }
    CHECK(failures == 0);
    /* (after a backtick run taken as text, a later run has the text parsed from before it
     * again: no code spans after the ones that open with backticks) */
    static const char *const body[] = {"lorem ipsum **b** dolor `c` and [l](u) sit _u_ amet ",
                                       "lorem ipsum **bold** dolor *em* sit ``c`` amet x<y ",
                                       "lorem ipsum **b** dolor *em* sit [l](u) amet x<y "};
    for (size_t u = 0; u < sizeof head / sizeof *head; u++) {
        size_t cap = LONG_TEXT, len = (size_t)sprintf(text, "%s", head[u]);
        char *big = malloc(cap + 256);
        memcpy(big, text, len);
        while (len < cap)
            len += (size_t)sprintf(big + len, "%s", body[strchr(head[u], '`') ? 2 : u % 2]);
        pd_md_stats st;
        stream_in_pieces(big, len, &st);
        printf("# a paragraph after \"%s\", %zu bytes: parsed %zu in %zu renders\n", head[u], len,
               st.parsed_bytes, st.tail_renders);
        CHECK(st.parsed_bytes < 8 * len);
        free(big);
    }
    /* code spans that hold every word start (the first backtick pairs with the next): settled
     * inside words, where the runs pair up */
    static const char *const spans[][2] = {{"`", "lorem `ipsum` dolor "}, {"``", "a ``b`` c "}, {"x `", "a `b` c `d`e "}};
    for (size_t u = 0; u < sizeof spans / sizeof *spans; u++)
        check_long_text("code spans after a backtick run", spans[u][0], spans[u][1], "\n", 8, NULL);
}

/* Long one-line blocks streamed (their settled part kept): a heading, a table's row, a table's
 * delimiter row being written, with inline markup, '#'s (a heading's closing ones), '|'s,
 * escapes and what may end them (a line end, a cell's '|'); long lines of one marker character
 * (a thematic break, a setext underline, or text in a code block, an HTML block, a paragraph),
 * at every point render as the text so far rendered whole. */
static void test_long_lines(void)
{
    static const char *const head[] = {"# ", "## ", "###### ", "  # ", "#  ", "| a | b |\n|---|---|\n| ",
                                       "a | b\n--|--\n", "Name | Value\n|", "A | B | C\n:-", "x\n\n# ",
                                       "Intro\n\n", "Title\n", "- ", "- ```\n  ", "<div>\n", "> a\n",
                                       "   ", "x\n\n    ", "- a\n\n  ", "Title *em\n",
                                       /* delimiter rows longer than a row can be */
                                       "Name | Value\n|", "A | B\n", "- A | B\n  ", "> A | B\n> |"};
    static const char *const dashes[] = {"----------", "----------", "|", "-|-", ":", " ", "- ", " - x ", "*", "_x_",
                                         "word", "\\", "&#45;", "`", "[a]", "\n"};
    static const char *const marks[] = {"----------", "==========", "* * * ", "_____", "-", "=", " ", "\t", "x"};
    static const char *const tok[] = {
        "word ", "more ", "text ", "*em* ", "**strong** ", "`code` ", "[link](u) ", "#", "# ", " #", "##",
        "\\#", "\\", "\\|", "|", " | ", "---", "-", ":", ": ", " ", "&amp; ", "&#35;", "<b> ", "[open ",
        "close] ", "QUJDZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=", "\xe6\xbc\xa2 ", "\t", "\n", "\n| c | d |",
        "\n# next ", "\nplain "};
    srand(18);
    char text[8192];
    int failures = 0;
    for (int it = 0; it < 1200 && failures < 3; it++) {
        int h = rand() % (int)(sizeof head / sizeof *head);
        size_t n = (size_t)sprintf(text, "%s", head[h]);
        bool delim = h == 7 || h == 8, marker = h >= 10 && h < 20, long_delim = h >= 20;
        int m = rand() % 4;   /* the marker of the line */
        for (int k = long_delim ? 100 + rand() % 300 : 5 + rand() % 150; k > 0 && n < sizeof text - 200; k--) {
            int r = rand() % 100;
            if (long_delim) {   /* a long row of dashes, then anything */
                const char *d = dashes[k > 40 && r < 30 ? 4 + rand() % 12 : rand() % 4];
                n += (size_t)sprintf(text + n, "%s", d);
                continue;
            }
            const char *t = marker ? (r < 85 ? marks[m] : r < 97 ? marks[4 + rand() % 4] : rand() % 2 ? "\n" : marks[8])
                          : delim && r < 70 ? tok[16 + rand() % 5] : r < 50 ? tok[rand() % 3]
                          : tok[rand() % (int)(sizeof tok / sizeof *tok)];
            n += (size_t)sprintf(text + n, "%s", t);
        }
        failures += !streams_as_whole(text, n, 12 + rand() % 40, 1 + (size_t)(rand() % 9), 3, it);
    }
    /* rows of dashes longer than a delimiter row can be, that would make a table if they were
     * not: text, streamed as whole */
    static const char *const over[][3] = {{"A | B\n|", "|---|\n| x | y |\n", "-"},
                                          {"A | B\n", "|\n| x | y |\n\nafter\n", "-"},
                                          {"A | B | C\n:", ":|-|-\n", "-"},
                                          {"- A | B\n  |", "|-\n  | x |\n", "-"}};
    for (size_t u = 0; u < sizeof over / sizeof *over; u++) {
        size_t n = (size_t)sprintf(text, "%s", over[u][0]);
        for (int k = 0; k < 1030; k++)
            text[n++] = over[u][2][0];
        n += (size_t)sprintf(text + n, "%s", over[u][1]);
        for (size_t step = 1; step < 10; step += 4)
            failures += !streams_as_whole(text, n, 30 + (int)step, step, 7, (int)u);
    }
    /* 200 KB lines of one marker streamed: each render parses a few bytes (it grew with the
     * square of the line's length when the line was parsed whole at each render) */
    static const char *const long_heads[] = {"Intro\n\n", "Title\n", "- ", "Intro\n\n* * ", "Name | Value\n|",
                                             "Name | Value\n", "Pi is 3.", "Intro\n\n", "Intro\n\n"};
    for (size_t u = 0; u < sizeof long_heads / sizeof *long_heads; u++) {
        size_t cap = LONG_TEXT, n = (size_t)sprintf(text, "%s", long_heads[u]);
        char *big = malloc(cap + 64);
        memcpy(big, text, n);
        char ch = u == 1 || u == 8 ? '=' : u == 3 ? '*' : u == 7 ? '+' : u == 6 ? '0' : '-';
        for (; n < cap; n++)   /* "|-|-|-...", digits, '+' or '=' as a paragraph's text */
            big[n] = u == 5 && n % 2 ? '|' : u == 6 ? (char)('0' + n % 10) : ch;
        big[n++] = '\n';
        pd_md_stats st;
        stream_in_pieces(big, n, &st);
        printf("# a line of '%c' (shape %zu), %zu bytes: parsed %zu in %zu renders\n", ch, u, n, st.parsed_bytes,
               st.tail_renders);
        CHECK(st.parsed_bytes < 4 * n);
        free(big);
    }
}

/* Long table rows streamed (their settled cells kept, their open cell laid out as it comes):
 * cells with markup, '|' in code spans and escaped, leading and trailing '|'s or none, blank
 * cells, rows that end and rows after them, at every point render as the text so far rendered
 * whole; a 200 KB row parses a few times its length in all. */
static void test_long_rows(void)
{
    static const char *const head[] = {"| a | b |\n|---|---|\n", "a | b\n--|--\n", "| a | b | c |\n|:-|:-:|-:|\n| x | y | z |\n",
                                       "A|B\n-|-\n", "| only |\n|---|\n"};
    static const char *const lead[] = {"| ", "", "|", "  | ", "\\| "};
    static const char *const tok[] = {
        "word ", "more ", "text ", "longer words here ", "*em* ", "**strong** ", "`code` ", "`a|b` ", "[link](u) ",
        "a_b ", "&amp; ", "&#124; ", "\\| ", "\\* ", "[open ", "close] ", "<b> ", "| ", " | ", "|", "  ", "\t",
        "\xe6\xbc\xa2 ", "QUJDZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo= ", "*open ", "_x ", "x_ ", "![i](u) ", "<http://x|y> ",
        "\\", "# ", "-", "---"};
    srand(20);
    static char text[16384];
    int failures = 0;
    for (int it = 0; it < 300 && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s", head[rand() % 5]);
        for (int r = 0, rows = 1 + rand() % 3; r < rows; r++) {
            n += (size_t)sprintf(text + n, "%s", lead[rand() % 5]);
            for (int k = 20 + rand() % 200; k > 0 && n < sizeof text - 300; k--) {
                int x = rand() % 100;
                n += (size_t)sprintf(text + n, "%s", x < 55 ? tok[rand() % 4] : tok[rand() % (int)(sizeof tok / sizeof *tok)]);
            }
            if (r + 1 < rows || rand() % 2)
                n += (size_t)sprintf(text + n, "%s\n", rand() % 2 ? "|" : "");
        }
        if (rand() % 4 == 0)
            n += (size_t)sprintf(text + n, "\nafter\n");
        failures += !streams_as_whole(text, n, 10 + rand() % 70, 1 + (size_t)(rand() % 9), 3, it);
    }
    /* a long row ended by a hard break, or holding what pairs with the next row's text */
    static const char *const ends[] = {"\\\n| x | y |\n", "*open\n| close* | y |\n", "`open\n| close` | y |\n",
                                       "[open\n| close](u) | y |\n", "|\n\n"};
    for (size_t u = 0; u < sizeof ends / sizeof *ends; u++) {
        size_t n = (size_t)sprintf(text, "| a | b |\n|---|---|\n| ");
        for (int i = 0; i < 60; i++)
            n += (size_t)sprintf(text + n, "word%d more ", i);
        n += (size_t)sprintf(text + n, "%s", ends[u]);
        for (size_t step = 1; step < 10; step += 3)
            failures += !streams_as_whole(text, n, 60, step, 1, (int)u);
    }
    for (int u = 0; u < 2; u++) {
        size_t cap = LONG_TEXT;
        char *big = malloc(cap + 256);
        size_t n = (size_t)sprintf(big, "%s", u ? "| a | b | c |\n|---|:-:|--:|\n| x | " : "| a | b |\n|---|---|\n| ");
        for (int i = 0; n < cap; i++)
            n += (size_t)sprintf(big + n, u ? "cell %d *text* `a|b` " : "cell %d text ", i);
        n += (size_t)sprintf(big + n, "%s", u ? "| z |\n| next | row | here |\n" : "|\n| next | row |\n");
        pd_md_stats st;
        stream_in_pieces(big, n, &st);
        printf("# a long row (shape %d), %zu bytes: parsed %zu in %zu renders\n", u, n, st.parsed_bytes, st.tail_renders);
        CHECK(st.parsed_bytes < 4 * n);
        free(big);
    }
}

/* A fence line wider than the line is cut like a code line (it ran past the width), and one
 * being written settles its info string as it comes: random info strings (escapes, entities cut
 * across pieces or standing for blanks, blanks, tabs, UTF-8, bytes that are not, control
 * characters, a backtick that makes "```" no fence, an HTML block before that takes the line in)
 * render at every point as the text so far rendered whole, and 200 KB ones read a bounded number
 * of bytes per render (the line was read again whole at each render). */
static void test_fence_lines(void)
{
    const char *t = "~~~ python  {.numberLines startFrom=10}\nx = 1\n~~~\n\n> ```abcdefghijklmnopqrstuvwxyz\n";
    char *s = pd_md_render_tagged(t, strlen(t), 20);
    CHECK_STR(s, "{markup:~~~python  {.numberL}\n{markup:↪ ines startFrom=10}}\n{codeblock:x = 1}\n"
                 "{markup:~~~}\n\n{quote:│ }{markup:```abcdefghijklmno}\n{quote:│ }{markup:↪ pqrstuvwxyz}\n"
                 "{quote:│ }{markup:```}\n");
    free(s);
    static const char *const head[] = {"~~~", "```", "````", " ~~~", "   ```", "Intro\n\n~~~", "# T\n```",
                                       "Intro\n~~~", "<div>\n```", "> q\n~~~", "- a\n```", "    code\n~~~",
                                       "[x]: /u\n```", "a | b\n~~~", "- ~~~", "> ```", "> - ~~~", "1. x\n\n   ```"};
    static const char *const sep[] = {"", " ", "  ", "\t"};
    static const char *const tok[] = {
        "lorem ", "ipsum ", "dolor", " ", "  ", "\\`", "\\*", "\\\\", "\\", "&amp;", "&am", "p;", "&#x41;", "&#6",
        "5;", "&bogus;", "&", "#", "x;", "\t", "\v", "\x01", "\xc2\x85", "\xe6\xbc\xa2", "\xe6\xbc", "\xff", "`",
        "{.class #id}", "\n", "\ncode\n", "\n~~~\n", "   ", "&#32;", "&Tab;", "&#x20;", "&NewLine;", "&#9",
        "&#", "&#x", "&T", "&Ta", "b;", "&N", "&NewLin", "e;", "2a", "&#X", "9"};
    srand(21);
    static char text[8192];
    int failures = 0;
    for (int it = 0; it < 300 && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s%s", head[rand() % (int)(sizeof head / sizeof *head)], sep[rand() % 4]);
        for (int k = 20 + rand() % 300; k > 0 && n < sizeof text - 64; k--) {
            int r = rand() % 100;
            const char *w = r < 60 ? tok[rand() % 5] : tok[rand() % (int)(sizeof tok / sizeof *tok)];
            if (w[0] == '\n' && rand() % 8)
                continue;
            if (w[0] == '`' && rand() % 4)
                continue;
            n += (size_t)sprintf(text + n, "%s", w);
        }
        failures += !streams_as_whole(text, n, 10 + rand() % 70, 1 + (size_t)(rand() % 9), 3, it);
    }
    /* what may start an entity reference for a blank and does not ("&#&", "&Tax") settles */
    static const char *const units[] = {"lorem ipsum ", "a\\*b &amp; c ", "&a&a", "\\\\\\", "\xe6\xbc\xa2", " x  ",
                                        "&#&T&N&#x&#3 ", "&Tax&NewLin&#x2g"};
    static const char *const heads[] = {"Intro\n\n~~~ ", "Intro\n\n``` ", "- ~~~ ", "> - ``` "};
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        pd_md_stats st;
        check_long_text("a fence line being written", heads[u % 4], units[u], "\ncode\n", 0, &st);
        CHECK(st.tail_bytes / st.tail_renders < 100 && st.parsed_bytes / st.tail_renders < 100);
    }
}

/* A paragraph whose first line starts with a tag: it is an HTML block of one tag (libcmark's
 * seventh kind) only while that line ends in '>', and one of the other kinds when the tag's name
 * says so ("<div", "<pre"). Random such lines (names long and short, attributes, '>' inside and
 * at the end, line ends, more lines) render at every point as the text so far rendered whole, and
 * 200 KB first lines that stay undecided are followed as the paragraph they are (they were parsed
 * whole at each render). */
static void test_tag_first_lines(void)
{
    static const char *const head[] = {"<lorem ", "<a ", "</lorem ", "<div ", "<pre ", "<aaaaaaaaaaaaaaaaaaaaaaa",
                                       "<abc", "  <lorem ", "<lorem\n", "Intro\n\n<x ", "<x-y ", "<blockquote",
                                       "<textarea "};
    static const char *const tok[] = {"lorem", "ipsum", " ", "  ", "a=\"x y\"", "b='>'", "c=d", "/", ">", "/>",
                                      "\n", "<b>", "*em*", "`c`", "\t", "x>", " >", "-", "_", ".", ":",
                                      "&amp;", "[l](u)", "<", "<!--", "\\>"};
    srand(31);
    static char text[8192];
    int failures = 0;
    for (int it = 0; it < 300 && failures < 3; it++) {
        size_t n = (size_t)sprintf(text, "%s", head[rand() % (int)(sizeof head / sizeof *head)]);
        for (int k = 20 + rand() % 500; k > 0 && n < sizeof text - 64; k--)
            n += (size_t)sprintf(text + n, "%s", tok[rand() % 100 < 30 ? rand() % (int)(sizeof tok / sizeof *tok) : rand() % 3]);
        if (rand() % 3 == 0)
            n += (size_t)sprintf(text + n, "%s", rand() % 2 ? ">\n" : "\n\nafter\n");
        failures += !streams_as_whole(text, n, 12 + rand() % 60, 1 + (size_t)(rand() % 9), 3, it);
    }
    static const char *const units[][2] = {{"<lorem ", "ipsum dolor "}, {"<", "a"}, {"<x ", "a=1 b "}};
    for (size_t u = 0; u < sizeof units / sizeof *units; u++)
        check_long_text("a first line starting with a tag", units[u][0], units[u][1], "\n", 8, NULL);
}

/* A line being written in a code or HTML block (a fence at the top level or in a list or quote,
 * an HTML block): its text laid out so far is kept, only what came since is added (tabs to their
 * stops from the line's start, control characters, UTF-8 cut between pieces, bytes that are not
 * UTF-8, line ends of all kinds); random lines render at every point as the text so far rendered
 * whole, and 200 KB lines read their length about once (they were laid out again whole at each
 * render). */
static void test_long_code_lines(void)
{
    /* a block's start, and what starts each of its next lines */
    static const char *const head[][2] = {{"~~~\n", ""}, {"```py\n", ""}, {"Intro\n\n~~~~\n", ""}, {"  ~~~\n", "  "},
                                          {"> ~~~\n> ", "> "}, {"- ```\n  ", "  "}, {"1. ~~~\n   ", "   "},
                                          {"<div>\n", ""}, {"> <div>\n> ", "> "}, {"> > ```\n> > ", "> > "},
                                          {"<!--\n", ""}, {"- <pre>\n  ", "  "},
                                          {"- - ~~~\n    ", "    "}, {"> 2) ~~~ sh\n>    ", ">    "},
                                          {"Intro\n\n    ", "    "}, {"> x\n>\n>     ", ">     "}};
    static const char *const tok[] = {"lorem", "ipsum", " ", "  ", "\t", "\t\t", "\xe6\xbc\xa2", "\x01", "\x7f",
                                      "\xc2\x85", "\xe2\x80\x8b", "e\xcc\x81", "\n", "\n~~~\n", "\r\n", "\r", ">",
                                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "\xff", "\xe6\xbc"};
    srand(41);
    static char text[8192];
    int failures = 0;
    for (int it = 0; it < 400 && failures < 3; it++) {
        int h = rand() % (int)(sizeof head / sizeof *head);
        size_t n = (size_t)sprintf(text, "%s", head[h][0]);
        for (int k = 50 + rand() % 800; k > 0 && n < sizeof text - 64; k--) {
            const char *t = tok[rand() % 100 < 60 ? rand() % 5 : rand() % (int)(sizeof tok / sizeof *tok)];
            n += (size_t)sprintf(text + n, "%s%s", t, t[0] == '\n' && rand() % 4 ? head[h][1] : "");
        }
        failures += !streams_as_whole(text, n, 9 + rand() % 70, 1 + (size_t)(rand() % 16), 3, it);
    }
    static const char *const big[][2] = {{"```\n", "QUJDZGVm+/\t"}, {"> ```\n> ", "QUJDZGVm+/"}, {"1. Run:\n\n   ~~~\n   ", "a b "},
                                         {"<div>\n", "<b>x</b> "}, {"- ```\n  ", "QUJD+/"}, {"> 2) ~~~ sh\n>    ", "a b "},
                                         {"Intro\n\n    ", "QUJD+/"}, {"- x\n\n      ", "a b "}};
    for (size_t u = 0; u < sizeof big / sizeof *big; u++) {
        pd_md_stats st;
        check_long_text("a code line being written", big[u][0], big[u][1], "\n", 0, &st);
        CHECK(st.tail_bytes / st.tail_renders < 100);
    }
}

/* HTML blocks as libcmark reads them: blank lines do not end a comment, declaration, processing
 * instruction, CDATA or <script>/<pre>/<style>/<textarea> block (nothing inside is Markdown),
 * and a fence's first line inside one that a blank line ends is its text. */
static void test_html_blocks(void)
{
    static const char *const cases[][2] = {
        {"<!--\n\n# x\n\n```\n\n-->\n\n# y\n",
         "{markup:<!--}\n\n{markup:# x}\n\n{markup:```}\n\n{markup:-->}\n\n{markup:# }{heading:y}\n"},
        {"a\n\n<pre x>\n\n```\n\n</PRE> b\n```\nc\n```\n",
         "a\n\n{markup:<pre x>}\n\n{markup:```}\n\n{markup:</PRE> b}\n\n{markup:```}\n{codeblock:c}\n{markup:```}\n"},
        {"<!DOCTYPE x\n\n# d\n>\n# e\n", "{markup:<!DOCTYPE x}\n\n{markup:# d}\n{markup:>}\n\n{markup:# }{heading:e}\n"},
        {"<div>\n```\ncode\n\n# z\n", "{markup:<div>}\n{markup:```}\n{markup:code}\n\n{markup:# }{heading:z}\n"},
        {"<span>\n```\nq\n\n# v\n", "{markup:<span>}\n{markup:```}\n{markup:q}\n\n{markup:# }{heading:v}\n"},
        /* one line; a line of one tag continues a paragraph (a fence after it is one) */
        {"<!-- x -->\n\n# w\n", "{markup:<!-- x -->}\n\n{markup:# }{heading:w}\n"},
        {"para\n<span>\n```\nq\n```\n", "para {markup:<span>}\n\n{markup:```}\n{codeblock:q}\n{markup:```}\n"},
        /* a closing </pre> starts no block after a paragraph (only an opening one does) */
        {"para\n</pre> x\n```\nq\n\n# r\n```\n",
         "para {markup:</pre>} x\n\n{markup:```}\n{codeblock:q}\n\n{codeblock:# r}\n{markup:```}\n"},
        /* libcmark 0.30: a declaration starts with a capital letter; "<!x" is text */
        {"<!x\n```\n>\n\n# a\n```\n", "<!x\n\n{markup:```}\n{codeblock:>}\n\n{codeblock:# a}\n{markup:```}\n"},
        {"<?php\n\n```\n\nx\n?>\n\n```\n\n# y\n```\n",
         "{markup:<?php}\n\n{markup:```}\n\n{markup:x}\n{markup:?>}\n\n{markup:```}\n\n{codeblock:# y}\n{markup:```}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        EXPECT_RENDER(cases[i][0], 40, 1, cases[i][1]);
        for (size_t step = 1; step < 8; step += 3)
            CHECK(streams_as_whole(cases[i][0], strlen(cases[i][0]), 40, step, 1, (int)i));
    }
}

/* Each of the n texts streams as it renders whole (streams_as_whole) at both widths, in pieces of
 * 1, 3, 5 and 7 bytes. */
static bool all_stream_as_whole(const char *const *texts, size_t n, int narrow, int wide)
{
    bool same = true;
    for (size_t i = 0; i < n; i++)
        for (int width = narrow; width <= wide; width += wide - narrow)
            for (size_t step = 1; step < 8; step += 2)
                same = streams_as_whole(texts[i], strlen(texts[i]), width, step, 1, (int)i) && same;
    return same;
}

/* A list item's blocks after its first are rendered again from the last one begun, read as if
 * it began the item: the same lines as the text whole, whatever ends the item or makes its list
 * loose. */
static void test_item_blocks(void)
{
    static const char *const texts[] = {
        "- Intro\n  ## H1\n  ## H2 *x*\n  para\n  more\n  ## H3\n",
        "- Intro\n  ## H1\n\n  para\n- next\n  # n\n",
        "- a\n  # h\n  # h2\nafter para\n",
        "> 1. x\n>    # h\n>    # h2\n>    ```\n>    code\n>    ```\n>    # h3\n> out\n",
        "1. a\n   ```\n   c\n   ```\n   # b\n2. c\n   # d\n",
        "10.  x\n     # h\n     # h2\n     p *q*\n",
        "- a\n  # h\n   # h indented\n  # i\n",
        "-\n  a\n  # h\n  # i\n",
        "- a\n\n      code\n  # h\n\n  # i\n",
        "- a\n  - b\n  # h\n  - c\n  # d\n    e\n",
        "- a\n  # h\n  para\n  ---\n  x\n  ===\n",
        "- a [x]\n  # h\n  # i\n\n[x]: u\n",
        "- a\n\t# h\n  # i\n",
        "- a\n  # h\n  para\nlazy\n  # i\n",
        "- a\n  ***\n  b\n  * * *\n  - - -\n",
        "- a\n  # h\n  > q\n  > r\n  # i\n  > s\n\n  t\n",
        "* a\n  # h\n  # i\n* b\n  # j\n\n* c\n",
        "- a\n  # h\n  <div>\n  x\n\n  # i\n",
        "- a\n  # h\n  1. b\n     # c\n     # d\n  # e\n",
    };
    CHECK(all_stream_as_whole(texts, sizeof texts / sizeof *texts, 12, 40));
}

/* An ATX heading being written inside lists or quotes: its text is followed like a paragraph's,
 * and the lines are those of the text whole, up to its closing '#'s and the line's end. */
static void test_headings_in_boxes(void)
{
    static const char *const texts[] = {
        "> # words *more* `code` and ## closing ##",
        "- # heading being written with words\n- next",
        "> - ## x *y and more* words _z_ \\# done #  ",
        "> # a\n> # b *c* d e f g\n> para",
        "> # foo # bar ### baz ##\n\nafter",
        "> ####### not a heading at all but text",
        "> #x not a heading\n> ## yes one",
        "> # a [link](u) and [b] more\n\n[b]: v",
        "1. x\n   ## h *e* `f` g\n   para *p*",
        "> > # deep heading with words and more words",
        "> # tab\there and more",
        "- # h <span>raw</span> &amp; text ``tick` more",
    };
    CHECK(all_stream_as_whole(texts, sizeof texts / sizeof *texts, 10, 40));
    /* a long heading line that ends (nothing after it yet) is still followed, not parsed whole */
    static const char *const heads[] = {"# ", "> # ", "- ## "};
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++)
        check_long_text("a heading line that ends", heads[h], "words and more ", "\n", 1, NULL);
}

/* A table inside lists or quotes: its finished rows kept, laid out again only when its columns'
 * widths change; the lines are those of the text whole. */
static void test_tables_in_boxes(void)
{
    static const char *const texts[] = {
        "- | Name | Value |\n  |------|------:|\n  | a | 1 |\n  | longer name | 22 |\n  | b | *3* |\n",
        "> | Name | Value |\n> |---|:-:|\n> | a | `1` |\n> | wider and wider cell | 2 |\n>\n> after\n",
        "- x\n- | a | b |\n  |---|---|\n  | 1 | 2 |\n  | 3 | 4 |\n- y\n",
        "> - | a | b |\n>   |---|---|\n>   | 1 | 2 |\n>   | *3 | 4* |\n> out\n",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\nlazy | row\n  | 5 | 6 |\n",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n\n  para\n",
        "1. | a | b | c |\n   |:-|:-:|-:|\n   | 1 | 2 | 3 |\n   | \\| | [x] | <b> |\n   | 4 | 5 | 6 |\n",
        "> > | a | b |\n> > |---|---|\n> > | 1 | 2 |\n> | 3 | 4 |\n",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n  - item\n  | 3 | 4 |\n",
        "- | a | b |\n  |---|---|\n\t| 1 | 2 |\n  | 3 | 4 |\n",
        "- intro\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n  | 3 | 4 |\n\n  # h\n",
        "> | a | b |\n> |---|---|\n> | 1 | 2 |\n> [x]: u\n> | 3 | 4 |\n",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n  | 3 | 4 |\n  ```\n  code\n  ```\n",
    };
    CHECK(all_stream_as_whole(texts, sizeof texts / sizeof *texts, 14, 40));
}

/* A fence line being written inside lists or quotes: its info string settles as it comes, the
 * lines are those of the text whole (a closing fence line after it while it is written). */
static void test_fence_heads_in_boxes(void)
{
    static const char *const texts[] = {
        "- ~~~ lang attrs and more words that wrap around",
        "> ```python {linenos} and more words here",
        "> - ~~~ a\\*b &amp; c &#32; d &Tab; e  ",
        "- x\n\n  ```` info ` with a tick and more",
        "1. ~~~ info words\n   code\n   ~~~\n",
        "> ~~~ info words here\n> code\n",
        "- ~~~      ",
        "> > ~~~ deep info string words and more",
        "- a\n  ~~~ info on a later block of the item",
        "   - ~~~ indented item with info words",
        "- ~~~ a\tb tab in info and words",
        "> ~~~ \xc3\xa9t\xc3\xa9 \xe2\x80\xae bidi & \xff bad",
        "- a\n- ```` x\n  more",
        /* prefixes 8 wide: at width 10 the fence itself does not fit on the line's first piece */
        "a\n1. a aaaaaa aaaaaaa\n      ## a\n   2. \n      aaa aaa\n   3. aaa\n\n      * aaaaa\n"
        "        ~~~aaaaaa and more words",
    };
    CHECK(all_stream_as_whole(texts, sizeof texts / sizeof *texts, 10, 40));
}

/* A whole render finds each code block's first line in the source from the one before: one list
 * item holding thousands of code blocks (one chunk) costs linear time, not quadratic. */
static void test_many_code_blocks(void)
{
    size_t cap = LONG_TEXT, n = 0, lines = 1;
    char *text = malloc(cap + 100);
    n += (size_t)sprintf(text, "- Intro\n");
    for (int i = 0; n < cap; i++)
        n += (size_t)sprintf(text + n, "  ## Step %d\n  ```\n  x\n  ```\n", i), lines += 4;
    pd_md *md = pd_md_new(80);
    pd_md_append(md, text, n);
    CHECK(pd_md_line_count(md) > lines / 2);
    pd_md_stats st;
    pd_md_get_stats(md, &st);
    printf("# %zu lines, %zu walked to find code blocks\n", lines, st.lines_sought);
    CHECK(st.lines_sought < 4 * lines);
    pd_md_free(md);
    free(text);
}

/* A byte order mark at the text's start is dropped, as libcmark drops it (the first line's
 * columns it gives are after it); anywhere else it is text. */
static void test_byte_order_mark(void)
{
    EXPECT_RENDER("\xEF\xBB\xBF~~~ sh\nx\n~~~\n", 30, 1, "{markup:~~~sh}\n{codeblock:x}\n{markup:~~~}\n");
    EXPECT_RENDER("\xEF\xBB\xBF> q *a* b\n", 30, 1, "{quote:\xe2\x94\x82 q }{emphasis:a}{quote: b}\n");
    EXPECT_RENDER("\xEF\xBB\xBF\xEF\xBB\xBFx\n", 30, 1, "{escape:<U+FEFF>}x\n");
    EXPECT_RENDER("\xEF\xBBx\n", 30, 0, "\xEF\xBF\xBDx\n");
    static const char *const texts[] = {"\xEF\xBB\xBFhello *world* more words", "\xEF\xBB\xBF> q *a* b",
                                        "\xEF\xBB\xBF~~~ info string\ncode", "\xEF\xBB\xBF| a | b |\n|---|---|\n| c |",
                                        "\xEF\xBBx *a*"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (size_t step = 1; step < 6; step++)
            CHECK(streams_as_whole(texts[i], strlen(texts[i]), 30, step, 1, (int)i));
    pd_md *md = pd_md_new(30);
    pd_md_append(md, "\xEF", 1);
    pd_md_append(md, "\xBB\xBF" "a", 3);
    size_t len;
    CHECK(strcmp(pd_md_text(md, &len), "a") == 0 && len == 1);
    pd_md_clear(md);   /* the next text's start is looked at again */
    const char *div = "\xEF\xBB\xBF<div>\nx\n";
    pd_md_append(md, div, strlen(div));
    CHECK(strcmp(pd_md_text(md, NULL), "<div>\nx\n") == 0);
    pd_md_clear(md);   /* no HTML block goes on into it: this fence is one */
    pd_md_append(md, "```\n\n# y\n```\n", strlen("```\n\n# y\n```\n"));
    char *got = pd_md_dump(md, 1);
    CHECK_STR(got, "{markup:```}\n\n{codeblock:# y}\n{markup:```}\n");
    free(got);
    pd_md_free(md);
}

/* A link reference definition applies to the whole text, before it too (libcmark's reading):
 * the references written before it become links when it comes. */
static void test_link_references(void)
{
    static const char *const cases[][2] = {
        {"see [x][a] and [b]\n\n[a]: http://u\n[b]: http://v\n",
         "see {link:x}{url: <http://u>} and {link:b}{url: <http://v>}\n"},
        {"see [x][a]\n\n- [a]: http://u", "see {link:x}{url: <http://u>}\n\n{markup:\xe2\x80\xa2 }\n"},
        {"[a]: http://u\n\n# [x][a]\n\n```\n[b]: http://v\n```\n",
         "{markup:# }{link:x}{url: <http://u>}\n\n{markup:```}\n{codeblock:[b]: http://v}\n{markup:```}\n"},
        /* in a code block it is the block's text */
        {"see [x][b]\n\n```\n[b]: http://v\n```\n", "see [x][b]\n\n{markup:```}\n{codeblock:[b]: http://v}\n{markup:```}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        EXPECT_RENDER(cases[i][0], 60, 1, cases[i][1]);
        for (size_t step = 1; step < 6; step++)
            CHECK(streams_as_whole(cases[i][0], strlen(cases[i][0]), 60, step, 1, (int)i));
    }
    /* a long line that starts like one is looked at for its "]:" once it ends, not at each render
     * (only while it is shorter than 4 KB: a few MB read in all, whatever its length) */
    pd_md_stats st;
    check_long_text("a line starting with '['", "[", "lorem ipsum ", "\n", 0, &st);
    CHECK(st.tail_bytes < 8 * (size_t)LONG_TEXT + 4096 * 4096 / 2);
    /* definitions (of one label again and again), blocks citing one, a paragraph citing one:
     * each block is parsed a few times, not once for each definition (a short block is parsed
     * whole at each piece, with the definition read beside it) */
    check_long_text("definitions", "", "[r]: https://example.com/\n", "", 24, NULL);
    check_long_text("paragraphs citing a definition", "[r]: https://example.com/\n\n",
                    "words cite [r] and *more*\n\n", "", 24, NULL);
    check_long_text("a paragraph citing a definition", "[r]: https://example.com/\n\n",
                    "words cite [r] and *more* ", "\n", 12, NULL);
    /* the width changed as definitions and a fence opened in a list item stream: the lines are
     * those of the text so far rendered whole at the new width (found by a random stream check) */
    static const char resized[] =
        "[ r2 ]: /u3 \"title\"\n\n\n<div>\n[x\\]y]\n</div>\n\n\n- ```\n"
        "  [r4]: /u4\n    \"t2\"\n  [R3]\n  ```\n[foo  bar]: /u5 junk x\n"
        "[\xc3" "\xbc" "2]: http://e.com/2\n[foo  bar]: /u1\n[r 1]: http://e.com/2\n"
        "\n[\xc3" "\xbc" "5]: /u1\n[ r6 ]: http://e.com/2\n[Foo Bar]: http://e.com/2\n"
        "[ r2 ]: /u1\n\n```\n[R4]: /u3 \"title\"\n[ r6 ]\n```\n\n\n```\n"
        "[\xc3" "\xbc" "1]: /u4\n  \"t2\"\n[x\\]y]\n```\nand more and cite cite [open ci";
    pd_md *rz = pd_md_new(40);
    int rw = 40;
    bool same = true;
    for (size_t off = 0; off < sizeof resized - 1 && same; off += 5) {
        size_t m = off + 5 <= sizeof resized - 1 ? 5 : sizeof resized - 1 - off;
        pd_md_append(rz, resized + off, m);
        if (off % 35 == 0)
            pd_md_set_width(rz, rw = rw == 40 ? 23 : 40);
        char *got = pd_md_dump(rz, 1), *want = pd_md_render_tagged(resized, off + m, rw);
        same = strcmp(got, want) == 0;
        if (!same)
            CHECK_STR(got, want);
        free(got);
        free(want);
    }
    CHECK(same);
    pd_md_free(rz);
    /* a block with a label is not stable (a definition may still come for it); a definition
     * lays out again only the blocks with its label (those between keep their lines) */
    pd_md *md = pd_md_new(60);
    const char *text = "plain words\n\nsee [x][a]\n\nmore text\n\nand [b]\n\n";
    pd_md_append(md, text, strlen(text));
    CHECK(pd_md_line_count(md) == 7 && pd_md_stable_lines(md) == 1);
    pd_md_append(md, "[a]: http://u", strlen("[a]: http://u"));
    CHECK(pd_md_line_count(md) == 7 && pd_md_stable_lines(md) == 1);
    CHECK(pd_md_line_at(md, 2)->n_spans > 1 && pd_md_line_at(md, 6)->n_spans == 1);
    pd_md_append(md, "\n", 1);
    CHECK(pd_md_line_count(md) == 7);
    pd_md_get_stats(md, &st);
    CHECK(st.relaid_chunks > 0);
    size_t relaid = st.relaid_chunks;
    pd_md_append(md, "[b]: http://v\n", strlen("[b]: http://v\n"));
    CHECK(pd_md_line_count(md) == 7 && pd_md_line_at(md, 6)->n_spans > 1);
    pd_md_get_stats(md, &st);
    CHECK(st.relaid_chunks - relaid <= 2);
    pd_md_free(md);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_every_split_point);
    RUN(test_every_prefix_state);
    RUN(test_styles);
    RUN(test_table);
    RUN(test_wrap_widths);
    RUN(test_set_width);
    RUN(test_escapes_neutralised);
    RUN(test_partial_utf8_waits);
    RUN(test_linear_work);
    RUN(test_open_paragraph_linear);
    RUN(test_list_quote_table_linear);
    RUN(test_random_streams);
    RUN(test_long_words);
    RUN(test_code_in_boxes);
    RUN(test_para_in_boxes);
    RUN(test_long_lines);
    RUN(test_long_rows);
    RUN(test_open_runs);
    RUN(test_fence_lines);
    RUN(test_tag_first_lines);
    RUN(test_long_code_lines);
    RUN(test_html_blocks);
    RUN(test_item_blocks);
    RUN(test_headings_in_boxes);
    RUN(test_tables_in_boxes);
    RUN(test_fence_heads_in_boxes);
    RUN(test_many_code_blocks);
    RUN(test_byte_order_mark);
    RUN(test_link_references);
    T_DONE();
}
