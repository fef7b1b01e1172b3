/* test_editdoc.c: the editor's document: round trip to a version, fields parsed and refused
 * with reasons, messages added, deleted, moved and re-roled, invalid text located, one undo
 * history over all of it; and the editor's rows wrapped at words. */
#define PD_MODULE_editor /* white-box: opens editor/ private headers */
#include <locale.h>
#include <stdlib.h>

#include "base/base.h"
#include "editor/editdoc_priv.h"
#include "editor/editor_priv.h"
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

/* The document's content and commit message as one comparable text. Caller frees. */
static char *doc_text(const pd_editdoc *d)
{
    pd_version *v = pd_editdoc_version(d);
    json_t *j = pd_version_to_json(v);
    char *t = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    pd_version_free(v);
    return t;
}

static const char *content(pd_editdoc *d, size_t i)
{
    return pd_tb_text(d->msgs[i].tb);
}

static void type(pd_editdoc *d, size_t i, const char *s)
{
    for (; *s; s++)
        CHECK(pd_editdoc_edit(d, i, *s == '\n' ? PD_TEXT_INSERT : PD_TEXT_TYPE, s, 1));
}

/* Typing runs, erasing runs, a newline and a paste are the steps a user expects. */
static void test_undo_text_steps(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    pd_tb_move(d->msgs[0].tb, PD_MOVE_DOC_END, 0);
    type(d, 0, " Now");
    CHECK_STR(content(d, 0), "Be brief. Now");
    CHECK(pd_editdoc_edit(d, 0, PD_TEXT_BACKSPACE, NULL, 0));
    CHECK(pd_editdoc_edit(d, 0, PD_TEXT_BACKSPACE, NULL, 0));
    CHECK_STR(content(d, 0), "Be brief. N");
    type(d, 0, "\nok");
    pd_tb_move(d->msgs[0].tb, PD_MOVE_DOC_START, 0);
    type(d, 0, "X");                                        /* after a move: a new run */
    CHECK(pd_editdoc_edit(d, 0, PD_TEXT_INSERT, "a\nb", 3)); /* a paste: one step of its own */
    CHECK_STR(content(d, 0), "Xa\nbBe brief. N\nok");
    pd_edit_place at = {0};
    CHECK(pd_editdoc_undo(d, &at));
    CHECK(at.in_text && at.msg == 0);
    CHECK_STR(content(d, 0), "XBe brief. N\nok");
    CHECK(pd_editdoc_undo(d, NULL));
    CHECK_STR(content(d, 0), "Be brief. N\nok");
    CHECK(pd_editdoc_undo(d, NULL));   /* "ok" */
    CHECK_STR(content(d, 0), "Be brief. N\n");
    CHECK(pd_editdoc_undo(d, NULL));   /* the newline */
    CHECK_STR(content(d, 0), "Be brief. N");
    CHECK(pd_editdoc_undo(d, NULL));   /* both backspaces */
    CHECK_STR(content(d, 0), "Be brief. Now");
    CHECK(pd_editdoc_undo(d, NULL));   /* the typed run */
    CHECK_STR(content(d, 0), "Be brief.");
    CHECK(!pd_editdoc_undo(d, NULL));
    CHECK(pd_editdoc_redo(d, NULL));
    CHECK(pd_editdoc_redo(d, NULL));
    CHECK_STR(content(d, 0), "Be brief. N");
    /* a new edit drops what could be redone */
    type(d, 0, "!");
    CHECK(!pd_editdoc_redo(d, NULL));
    CHECK_STR(content(d, 0), "Be brief. N!");
    /* a placeholder has no text to edit */
    CHECK(!pd_editdoc_edit(d, 1, PD_TEXT_TYPE, "x", 1));
    pd_editdoc_free(d);
    pd_version_free(v);
}

/* Moves, deletes, inserts, roles and settings are undone in order with the text edits between
 * them, back to the document as it was opened, and redone to where it was. */
static void test_undo_whole_document(void)
{
    pd_version *v = sample();
    pd_editdoc *d = pd_editdoc_new(v);
    pd_error err = {0};
    char *start = doc_text(d);
    unsigned long g = pd_editdoc_generation(d);
    type(d, 2, "Q: ");
    CHECK_INT(pd_editdoc_add_message(d, 3, "assistant", &err), 0);
    type(d, 3, "Sure.");
    CHECK(pd_editdoc_move_message(d, 3, -1));
    CHECK_INT(pd_editdoc_set_role(d, 0, "developer", &err), 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "1.5", &err), 0);
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "1.5", &err), 0);   /* no change: no step */
    CHECK(pd_editdoc_set_field(d, PD_FIELD_TEMPERATURE, "hot", &err) != 0);     /* refused: no step */
    CHECK_INT(pd_editdoc_set_field(d, PD_FIELD_COMMIT, "why", &err), 0);
    type(d, 0, "Hi ");
    CHECK_INT(pd_editdoc_delete_message(d, 0, &err), 0);   /* with its fresh edit */
    char *end = doc_text(d);
    CHECK(strcmp(start, end) != 0);
    CHECK_STR(d->msgs[1].role, "assistant");   /* moved up, then the first message went */
    pd_edit_place at = {0};
    CHECK(pd_editdoc_undo(d, &at));   /* the delete */
    CHECK(at.in_text && at.msg == 0);
    CHECK_STR(content(d, 0), "Hi Be brief.");
    CHECK(pd_editdoc_generation(d) > g);
    CHECK(pd_editdoc_undo(d, &at));   /* "Hi " */
    CHECK_STR(content(d, 0), "Be brief.");
    CHECK(pd_editdoc_undo(d, &at));   /* the commit message */
    CHECK(!at.in_text && at.field == PD_FIELD_COMMIT);
    CHECK_STR(d->commit, "old message");
    CHECK(pd_editdoc_undo(d, &at));   /* the temperature */
    CHECK(!at.in_text && at.field == PD_FIELD_TEMPERATURE);
    CHECK_STR(field(d, PD_FIELD_TEMPERATURE), "0.5");
    CHECK(pd_editdoc_undo(d, &at));   /* the role */
    CHECK_STR(d->msgs[0].role, "system");
    CHECK(pd_editdoc_undo(d, &at));   /* the move */
    CHECK(at.msg == 3);
    CHECK_STR(d->msgs[3].role, "assistant");
    CHECK(pd_editdoc_undo(d, &at));   /* "Sure." */
    CHECK_STR(content(d, 3), "");
    CHECK(pd_editdoc_undo(d, &at));   /* the added message */
    CHECK_INT(d->n_msgs, 3);
    CHECK(pd_editdoc_undo(d, &at));   /* "Q: " */
    CHECK(!pd_editdoc_undo(d, &at));
    char *back = doc_text(d);
    CHECK_STR(back, start);
    unsigned long g2 = pd_editdoc_generation(d);
    while (pd_editdoc_redo(d, NULL)) {
    }
    char *again = doc_text(d);
    CHECK_STR(again, end);
    CHECK(pd_editdoc_generation(d) > g2);   /* drafts see every undo and redo */
    free(start);
    free(end);
    free(back);
    free(again);
    pd_editdoc_free(d);   /* the deleted message the history holds is freed too */
    pd_version_free(v);
}

/* The editor's rows end after the last blank that fits (never inside "concise"), cut a word
 * longer than the row where it is full, may end around wide characters, and end at a newline. */
static void test_wrap_words(void)
{
    const char *t = "be concise and polite";
    size_t n = strlen(t);
    CHECK_INT(ed_wrap_row_end(t, n, 0, 8), 3);     /* "be " then "concise" on the next row */
    CHECK_INT(ed_wrap_row_end(t, n, 3, 8), 11);    /* "concise " */
    CHECK_INT(ed_wrap_row_end(t, n, 3, 10), 11);   /* "concise an" would cut "and" */
    CHECK_INT(ed_wrap_row_end(t, n, 15, 10), n);   /* the line ends in the row */
    CHECK_INT(ed_wrap_row_end(t, n, 0, 0), n);     /* no width: no wrapping */
    const char *w = "supercalifragilistic word";
    CHECK_INT(ed_wrap_row_end(w, strlen(w), 0, 6), 6);   /* a word longer than the row is cut */
    const char *nl = "short\nnext line";
    CHECK_INT(ed_wrap_row_end(nl, strlen(nl), 0, 20), 5);
    const char *cjk = "ab \xE4\xB8\x80\xE4\xBA\x8C\xE4\xB8\x89";   /* "ab " and three wide characters */
    CHECK_INT(ed_wrap_row_end(cjk, strlen(cjk), 0, 6), 6);   /* after the first wide one, not after "ab " */
    const char *tab = "a\tbcdefgh ij";
    CHECK_INT(ed_wrap_row_end(tab, strlen(tab), 0, 10), 2);   /* the tab fills to column 8: "bc" would not fit */
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    RUN(test_round_trip);
    RUN(test_fields);
    RUN(test_messages);
    RUN(test_find_invalid);
    RUN(test_undo_text_steps);
    RUN(test_undo_whole_document);
    RUN(test_wrap_words);
    T_DONE();
}
