/* test_complete.c: the command table's args (what completion offers) name only kinds it knows. */
#include "t.h"

#include "cli/cli.h"

static void test_table_kinds_known(void)
{
    for (const pd_cmd *c = pd_commands; c->name; c++) {
        const char *bad = c->args ? cmd_complete_unknown(c->args) : NULL;
        if (bad)
            printf("#   %s: unknown kind at '%s'\n", c->name, bad);
        CHECK(bad == NULL);
    }
    CHECK(cmd_complete_unknown(pd_global_args) == NULL);
    CHECK(cmd_complete_unknown(pd_app_args) == NULL);
}

static void test_unknown_kinds_found(void)
{
    CHECK(cmd_complete_unknown("") == NULL);
    CHECK(cmd_complete_unknown("--json --escape=html|none slug ref... --files>file") == NULL);
    CHECK_STR(cmd_complete_unknown("--json --tag=tags slug"), "--tag=tags slug");
    CHECK_STR(cmd_complete_unknown("--json slgu"), "slgu");
    CHECK_STR(cmd_complete_unknown("--files>flie"), "--files>flie");
    CHECK_STR(cmd_complete_unknown("slug versions..."), "versions...");
}

int main(void)
{
    RUN(test_table_kinds_known);
    RUN(test_unknown_kinds_found);
    T_DONE();
}
