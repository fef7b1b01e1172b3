/* test_prices.c: the price table: its lines, prefixes and the longest match, later files over earlier ones, bad lines reported, and the table shipped in data/prices.tsv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "run/run.h"
#include "t.h"

/* Writes text to a new temporary file named from the template path (mkstemp). */
static void write_tmp(char *path, const char *text)
{
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(fd);
}

static double cost_of(const pd_prices *p, const char *provider, const char *model, long in, long out)
{
    double c = -1;
    if (!pd_prices_cost(p, provider, model, in, out, &c))
        return -1;
    return c;
}

#define CHECK_COST(got, want) CHECK((got) > (want) - 1e-12 && (got) < (want) + 1e-12)

static void test_lines_and_matching(void)
{
    char a[] = "/tmp/pd-prices-a-XXXXXX", b[] = "/tmp/pd-prices-b-XXXXXX";
    write_tmp(a, "# a comment\n"
                 "\n"
                 "openai\tgpt-4o*\t2.50\t10.00\n"
                 "openai  gpt-4o-mini*  0.15  0.60   # spaces work too\n"
                 "openai\tgpt-4o-special\t1\t1\n"
                 "google\tgemini-2.5-flash*\t0.30\t2.50\n"
                 "anthropic\tclaude-x\t3\n"
                 "anthropic\tclaude-y\tcheap\t1\n");
    write_tmp(b, "openai\tgpt-4o*\t5\t20\nollama\tllama3*\t0\t0\n");
    pd_prices *p = pd_prices_new();
    pd_buf warn = PD_BUF_INIT;
    pd_error err = {0};
    CHECK_INT(pd_prices_add_file(p, a, &warn, &err), 0);
    char want[512];
    snprintf(want, sizeof want,
             "%s:7: write PROVIDER MODEL INPUT OUTPUT (dollars per million tokens)\n"
             "%s:8: the prices must be numbers of dollars per million tokens, e.g. 2.50\n", a, a);
    CHECK_STR(pd_buf_str(&warn), want);
    /* prefix, the longest match, a name over a prefix */
    CHECK_COST(cost_of(p, "openai", "gpt-4o-2024-08-06", 1000000, 1000000), 12.5);
    CHECK_COST(cost_of(p, "openai", "gpt-4o-mini-2024-07-18", 1000, 2000), (1000 * 0.15 + 2000 * 0.60) / 1e6);
    CHECK_COST(cost_of(p, "openai", "gpt-4o-special", 1000000, 0), 1);
    /* gemini is google; models/ is dropped */
    CHECK_COST(cost_of(p, "gemini", "models/gemini-2.5-flash", 1000000, 0), 0.30);
    /* unknown model, provider, counts */
    CHECK(cost_of(p, "openai", "gpt-3", 1, 1) < 0);
    CHECK(cost_of(p, "anthropic", "gpt-4o", 1, 1) < 0);
    CHECK(cost_of(p, "openai", "gpt-4o", -1, 5) < 0);
    CHECK(cost_of(p, "anthropic", "claude-x", 1, 1) < 0);   /* its line was bad */
    /* a later file wins over an earlier one and adds its own */
    CHECK_INT(pd_prices_add_file(p, b, &warn, &err), 0);
    CHECK_COST(cost_of(p, "openai", "gpt-4o", 1000000, 0), 5);
    CHECK_COST(cost_of(p, "ollama", "llama3.1", 1000, 1000), 0);
    CHECK_INT(pd_prices_add_file(p, "/nonexistent/prices.tsv", &warn, &err), -1);
    CHECK_INT(err.code, PD_ERR_NOT_FOUND);
    pd_prices_free(p);
    pd_buf_free(&warn);
    unlink(a);
    unlink(b);
}

/* The table shipped reads without a warning and prices the usual models. */
static void test_shipped_table(void)
{
    const char *top = getenv("PD_TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/prices.tsv", top ? top : ".");
    pd_prices *p = pd_prices_new();
    pd_buf warn = PD_BUF_INIT;
    pd_error err = {0};
    CHECK_INT(pd_prices_add_file(p, path, &warn, &err), 0);
    CHECK_STR(pd_buf_str(&warn), "");
    CHECK_COST(cost_of(p, "openai", "gpt-4o-mini", 1000000, 1000000), 0.75);
    CHECK_COST(cost_of(p, "anthropic", "claude-sonnet-4-5-20250929", 1000000, 1000000), 18);
    CHECK_COST(cost_of(p, "anthropic", "claude-haiku-4-5", 1000000, 0), 1);
    CHECK_COST(cost_of(p, "google", "gemini-2.5-flash-lite", 1000000, 1000000), 0.5);
    CHECK_COST(cost_of(p, "google", "gemini-2.5-flash", 1000000, 1000000), 2.8);
    pd_prices_free(p);
    pd_buf_free(&warn);
    /* PROMPTDECK_PRICES names the table to load */
    setenv("PROMPTDECK_PRICES", path, 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    p = pd_prices_load(NULL, &warn);
    CHECK_STR(pd_buf_str(&warn), "");
    CHECK(cost_of(p, "openai", "gpt-4.1", 1, 1) > 0);
    pd_prices_free(p);
    setenv("PROMPTDECK_PRICES", "/nonexistent/p.tsv", 1);
    p = pd_prices_load(NULL, &warn);
    CHECK(strstr(pd_buf_str(&warn), "cannot read the price table /nonexistent/p.tsv") != NULL);
    pd_prices_free(p);
    pd_buf_free(&warn);
}

int main(void)
{
    RUN(test_lines_and_matching);
    RUN(test_shipped_table);
    T_DONE();
}
