/* test_conversation.c: history placeholders filled from a variable, lists of messages checked, a run's conversation continued with tool results and a message, and the record's new fields kept. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "run/run.h"
#include "t.h"

static char *dump(json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
}

#define CHECK_JSON(j, expected)                                                                        \
    do {                                                                                               \
        char *d_ = dump(j);                                                                            \
        CHECK_STR(d_, expected);                                                                       \
        free(d_);                                                                                      \
    } while (0)

static pd_message version_msgs[] = {
    {.role = "system", .content = "Be brief."},
    {.placeholder = "history"},
    {.role = "user", .content = "And now?"},
};

static void test_fill_history(void)
{
    json_t *vars = json_pack("{s:[{s:s, s:s}, {s:s, s:[{s:s, s:s}, {s:s, s:s}]}]}", "history", "role", "user", "content",
                             "Hi", "role", "assistant", "content", "type", "text", "text", "Hel", "type", "text", "text", "lo");
    json_t *out = NULL;
    pd_error err = {0};
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), 0);
    CHECK_JSON(out, "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"},"
                    "{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"And now?\"}]");
    json_decref(out);
    json_decref(vars);

    /* the text of a file (--var history=@file.json), and an empty list */
    vars = json_pack("{s:s}", "history", "[{\"role\": \"user\", \"content\": \"from a file\"}]");
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), 0);
    CHECK_INT(json_array_size(out), 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(out, 1), "content")), "from a file");
    json_decref(out);
    json_object_set_new(vars, "history", json_array());
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), 0);
    CHECK_INT(json_array_size(out), 2);
    json_decref(out);
    json_decref(vars);
}

static void test_fill_history_errors(void)
{
    json_t *out = NULL;
    pd_error err = {0};
    json_t *vars = json_object();
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK_INT(err.code, PD_ERR_MISSING_VARIABLES);
    CHECK_STR(err.msg, "the history placeholder 'history' (message 2) needs a variable 'history' holding a list of "
                       "messages [{\"role\": \"user\", \"content\": \"...\"}] (--var history=@FILE.json)");
    CHECK(out == NULL);

    json_object_set_new(vars, "history", json_string("not json"));
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK_INT(err.code, PD_ERR_INVALID_REQUEST);
    CHECK(strncmp(err.msg, "the variable 'history' (for the history placeholder in message 2) must hold a JSON list", 86) == 0);

    json_object_set_new(vars, "history", json_pack("{s:s}", "role", "user"));
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK(strstr(err.msg, "must be a list of messages") != NULL);

    json_object_set_new(vars, "history", json_pack("[{s:s, s:s}, {s:s, s:s}]", "role", "user", "content", "a", "role",
                                                   "robot", "content", "b"));
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK_STR(err.msg, "the variable 'history' (for the history placeholder in message 2): message 2 (role): \"robot\" "
                       "is not one of system, developer, user, assistant, tool");

    json_object_set_new(vars, "history", json_pack("[{s:s, s:i}]", "role", "user", "content", 3));
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK(strstr(err.msg, "message 1 (content): must be text") != NULL);

    json_object_set_new(vars, "history", json_pack("[{s:s, s:s}]", "role", "tool", "content", "42"));
    CHECK_INT(pd_run_fill_history(version_msgs, 3, vars, &out, &err), -1);
    CHECK(strstr(err.msg, "message 1 (tool_call_id): a tool message needs the id of the call it answers") != NULL);
    json_decref(vars);
}

/* OpenAI's shape of calls (arguments as JSON text) becomes the conversation's. */
static void test_messages_check(void)
{
    json_t *list = json_loads("[{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"c1\", \"type\": "
                              "\"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}}]},"
                              " {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"ok\"}]",
                              0, NULL);
    json_t *out = NULL;
    pd_error err = {0};
    CHECK_INT(pd_run_messages_check(list, "the list", &out, &err), 0);
    CHECK_JSON(out, "[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c1\",\"name\":\"f\",\"arguments\":{\"a\":1}}]},"
                    "{\"role\":\"tool\",\"content\":\"ok\",\"tool_call_id\":\"c1\"}]");
    json_decref(out);
    json_decref(list);
    list = json_loads("[{\"role\": \"user\", \"content\": \"x\", \"tool_calls\": []}]", 0, NULL);
    CHECK_INT(pd_run_messages_check(list, "the list", &out, &err), -1);
    CHECK_STR(err.msg, "the list: message 1 (tool_calls): only an assistant's message has tool_calls, a list");
    json_decref(list);
}

static void test_continue(void)
{
    pd_run_record r = {0};
    r.messages = json_loads("[{\"role\": \"user\", \"content\": \"Weather and time in Paris?\"}]", 0, NULL);
    r.output = "Let me check.";
    r.tool_calls = json_loads("[{\"id\": \"call_1\", \"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}},"
                              " {\"id\": \"call_2\", \"name\": \"get_time\", \"arguments\": {}}]",
                              0, NULL);
    json_t *conv = pd_run_conversation(&r);
    CHECK_INT(json_array_size(conv), 2);
    pd_error err = {0};
    /* both calls must be answered */
    CHECK_INT(pd_run_conversation_check(conv, &err), -1);
    CHECK_STR(err.msg, "the conversation has tool calls without a result: call_1 (get_weather), call_2 (get_time); "
                       "every call needs one (--tool-result ID=@FILE)");
    CHECK_INT(pd_run_conversation_add_tool_result(conv, "call_9", "x", &err), -1);
    CHECK_STR(err.msg, "no tool call 'call_9' to answer: the last answer asked for call_1 (get_weather), call_2 (get_time)");
    CHECK_INT(pd_run_conversation_add_tool_result(conv, "call_2", "noon", &err), 0);
    CHECK_INT(pd_run_conversation_check(conv, &err), -1);
    CHECK(strstr(err.msg, "without a result: call_1 (get_weather);") != NULL);
    CHECK_INT(pd_run_conversation_add_tool_result(conv, "call_1", "{\"temp\": 21}", &err), 0);
    pd_run_conversation_add_user(conv, "Thanks.");
    CHECK_INT(pd_run_conversation_check(conv, &err), 0);
    CHECK_JSON(conv, "[{\"role\":\"user\",\"content\":\"Weather and time in Paris?\"},"
                     "{\"role\":\"assistant\",\"content\":\"Let me check.\",\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"get_weather\","
                     "\"arguments\":{\"city\":\"Paris\"}},{\"id\":\"call_2\",\"name\":\"get_time\",\"arguments\":{}}]},"
                     "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"name\":\"get_time\",\"content\":\"noon\"},"
                     "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"name\":\"get_weather\",\"content\":\"{\\\"temp\\\": 21}\"},"
                     "{\"role\":\"user\",\"content\":\"Thanks.\"}]");
    json_decref(conv);
    /* a result after the next assistant turn does not count */
    conv = json_loads("[{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"a\", \"name\": \"f\"}]},"
                      " {\"role\": \"assistant\", \"content\": \"x\"}, {\"role\": \"tool\", \"tool_call_id\": \"a\", \"content\": \"1\"}]",
                      0, NULL);
    CHECK_INT(pd_run_conversation_check(conv, &err), -1);
    json_decref(conv);
    /* an older record has no conversation */
    pd_run_record old = {0};
    CHECK(pd_run_conversation(&old) == NULL);
    json_decref(r.messages);
    json_decref(r.tool_calls);
}

/* The record keeps the conversation, the calls, the partials, what it continues and the cost. */
static void test_record_fields(void)
{
    pd_run_record r = {0};
    r.id = "20260101T000000000Z-abcdef";
    r.prompt_slug = "a";
    r.status = "ok";
    r.finish_reason = "tool_calls";
    r.provider_finish_reason = "tool_use";
    r.messages = json_pack("[{s:s, s:s}]", "role", "user", "content", "hi");
    r.tool_calls = json_pack("[{s:s, s:s, s:{}}]", "id", "c", "name", "f", "arguments");
    r.partials = json_pack("{s:i}", "header", 3);
    r.continues = "20251231T000000000Z-000000";
    r.cost = 0.0125;
    json_t *j = pd_run_record_to_json(&r);
    pd_run_record *back = pd_run_record_from_json(j, "mem", NULL);
    CHECK(back != NULL);
    if (back) {
        CHECK_STR(back->provider_finish_reason, "tool_use");
        CHECK_JSON(back->messages, "[{\"role\":\"user\",\"content\":\"hi\"}]");
        CHECK_JSON(back->tool_calls, "[{\"id\":\"c\",\"name\":\"f\",\"arguments\":{}}]");
        CHECK_INT(json_integer_value(json_object_get(back->partials, "header")), 3);
        CHECK_STR(back->continues, "20251231T000000000Z-000000");
        CHECK(back->cost > 0.0124 && back->cost < 0.0126);
    }
    pd_run_record_free(back);
    json_decref(j);
    /* unknown cost is null, and an older record without the field reads as unknown */
    r.cost = -1;
    j = pd_run_record_to_json(&r);
    CHECK(json_is_null(json_object_get(j, "cost")));
    json_object_del(j, "cost");
    back = pd_run_record_from_json(j, "mem", NULL);
    CHECK(back && back->cost < 0);
    pd_run_record_free(back);
    json_decref(j);
    json_decref(r.messages);
    json_decref(r.tool_calls);
    json_decref(r.partials);
}

int main(void)
{
    RUN(test_fill_history);
    RUN(test_fill_history_errors);
    RUN(test_messages_check);
    RUN(test_continue);
    RUN(test_record_fields);
    T_DONE();
}
