/* test_editdoc.c: the editor's document: round trip to a version, fields parsed and refused
 * with reasons, messages added, deleted, moved and re-roled, invalid text located. */
#define PD_MODULE_editor /* white-box: opens editor/ private headers */
#include <locale.h>
#include <stdlib.h>

#include "base/base.h"
#include "editor/editdoc_priv.h"
#include "t.h"

static pd_version *sample(void)
{
    pd_version *v = pd_xcalloc(1, sizeof *v);
    v->number = 2;
    v->n_messages = 3;
    v->messages = pd_xcalloc(3, sizeof *v->messages);
    v->messages[0].role = pd_strdup("system");
    v->messages[0].content = pd_strdup("Be brief.");
    v->messages[1].placeholder = pd_strdup("history");
    v->messages[2].role = pd_strdup("user");
    v->messages[2].content = pd_strdup("{{q}}");
    v->settings.provider = pd_strdup("anthropic");
    v->settings.model = pd_strdup("claude-x");
    v->settings.has_temperature = true;
    v->settings.temperature = 0.5;
    v->settings.tools = json_pack("[{s:s}]", "name", "lookup");
    v->commit_message = pd_strdup("old message");
    return v;
}

static char *field(pd_editdoc *d, pd_field f)
{
    static char buf[256];
    char *t = pd_editdoc_field_text(d, f);
    snprintf(buf, sizeof buf, "%s", t);
    free(t);
    return buf;
}

static void test_round_trip(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    pd_version *w = pd_editdoc_version(d);
    CHECK(pd_version_content_equal(v, w));
    CHECK_STR(w->commit_message, "old message");
    CHECK(w->messages[1].placeholder && !w->messages[1].content);
    CHECK(w->settings.tools != NULL);   /* tools kept although not edited here */
    pd_version_free(w);
    /* an edit in a buffer shows in the version and in the generation */
    unsigned long g = pd_editdoc_generation(d);
    pd_tb_move(d->msgs[0].tb, PD_MOVE_DOC_END, 0);
    pd_tb_insert(d->msgs[0].tb, " Really.", 8);
    CHECK(pd_editdoc_generation(d) != g);
    w = pd_editdoc_version(d);
    CHECK_STR(w->messages[0].content, "Be brief. Really.");
    CHECK(!pd_version_content_equal(v, w));
    pd_version_free(w);
    pd_editdoc_free(d);
    pd_version_free(v);
}

static void test_fields(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    pd_error err = {0};
    CHECK_STR(field(d, PD_FIELD_TEMPERATURE), "0.5");
    CHECK_STR(field(d, PD_FIELD_MAX_TOKENS), "");
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, " 1.25 ", &err), 0);
    CHECK_STR(field(d, PD_FIELD_TEMPERATURE), "1.25");
    CHECK(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "2.5", &err) != 0);
    CHECK(strstr(err.msg, "from 0 to 2") != NULL);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "warm", &err) != 0);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "nan", &err) != 0);
    CHECK_STR(field(d, PD_FIELD_TEMPERATURE), "1.25");   /* a refused value changes nothing */
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "", &err), 0);
    CHECK(!d->settings.has_temperature);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_TOP_P, "1.5", &err) != 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_TOP_P, "0.9", &err), 0);
    CHECK(d->settings.has_top_p);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_MAX_TOKENS, "-3", &err) != 0);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_MAX_TOKENS, "12abc", &err) != 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_MAX_TOKENS, "800", &err), 0);
    CHECK_INT(d->settings.max_output_tokens, 800);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_STOP, "[\"\\n\\n\", \"END\"]", &err), 0);
    CHECK_INT(d->settings.n_stop, 2);
    CHECK_STR(field(d, PD_FIELD_STOP), "[\"\\n\\n\", \"END\"]");
    CHECK(pd_editdoc_set_field(d, PD_FIELD_STOP, "END", &err) != 0);
    CHECK(strstr(err.msg, "JSON array") != NULL);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_STOP, "[\"\"]", &err) != 0);
    CHECK_INT(d->settings.n_stop, 2);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_STOP, "", &err), 0);
    CHECK_INT(d->settings.n_stop, 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_PROVIDER, "openai", &err), 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_MODEL, "", &err), 0);
    CHECK(d->settings.model == NULL);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_COMMIT, "  shorter  ", &err), 0);
    pd_version *w = pd_editdoc_version(d);
    CHECK_STR(w->commit_message, "shorter");
    CHECK_STR(w->settings.provider, "openai");
    CHECK(pd_version_validate(w, &err) == 0);
    pd_version_free(w);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_COMMIT, "", &err), 0);
    w = pd_editdoc_version(d);
    CHECK(w->commit_message == NULL);
    pd_version_free(w);
    CHECK(pd_editdoc_set_field(d, PD_FIELD_MODEL, "bad \xFF", &err) != 0);
    pd_editdoc_free(d);
    pd_version_free(v);
}

static void test_messages(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    pd_error err = {0};
    CHECK_INT(pd_editdoc_add_message(d, 3, "assistant", &err), 0);
    CHECK_INT(d->n_msgs, 4);
    CHECK_STR(d->msgs[3].role, "assistant");
    CHECK(pd_editdoc_add_message(d, 0, "robot", &err) != 0);
    CHECK(strstr(err.msg, "robot") != NULL);
    CHECK(pd_editdoc_move_message(d, 3, -1));
    CHECK_STR(d->msgs[2].role, "assistant");
    CHECK_STR(d->msgs[3].role, "user");
    CHECK(!pd_editdoc_move_message(d, 3, 1));
    CHECK(!pd_editdoc_move_message(d, 0, -1));
    CHECK_INT(pd_editdoc_set_role(d, 0, "developer", &err), 0);
    CHECK(pd_editdoc_set_role(d, 1, "user", &err) != 0);   /* placeholder */
    CHECK(pd_editdoc_set_role(d, 0, "System", &err) != 0);
    /* deleting a message whose text changed still moves the generation on (drafts rely on it) */
    pd_tb_insert(d->msgs[1].tb, "x", 1);
    unsigned long g = pd_editdoc_generation(d);
    CHECK_INT(pd_editdoc_delete_message(d, 1, &err), 0);
    CHECK(pd_editdoc_generation(d) > g);
    CHECK_INT(d->n_msgs, 3);
    pd_version *w = pd_editdoc_version(d);
    CHECK_STR(w->messages[0].role, "developer");
    CHECK_STR(w->messages[1].role, "assistant");
    CHECK_STR(w->messages[2].content, "{{q}}");
    pd_version_free(w);
    CHECK_INT(pd_editdoc_delete_message(d, 0, &err), 0);
    CHECK_INT(pd_editdoc_delete_message(d, 0, &err), 0);
    CHECK(pd_editdoc_delete_message(d, 0, &err) != 0);   /* the last one stays */
    CHECK(strstr(err.msg, "at least one") != NULL);
    pd_editdoc_free(d);
    pd_version_free(v);
}

static void test_find_invalid(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    CHECK(pd_editdoc_find_invalid(d) == NULL);
    pd_tb_move(d->msgs[2].tb, PD_MOVE_DOC_END, 0);
    pd_tb_insert(d->msgs[2].tb, "\n\xC3\xA9t\xC3\xA9 \xFF", 8);
    char *where = pd_editdoc_find_invalid(d);
    CHECK_STR(where, "message 3, line 2, column 5: byte that is not UTF-8 <ff>");
    free(where);
    pd_editdoc_free(d);
    pd_version_free(v);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    RUN(test_round_trip);
    RUN(test_fields);
    RUN(test_messages);
    RUN(test_find_invalid);
    T_DONE();
}
