/* examples.c: the example prompts and partial a new default library starts with, so the app
 * shows something useful at once (variables, several versions, a label, a partial). */
#include "store_priv.h"

#include <string.h>

static const char examples_json[] =
    "{\"format\": \"promptdeck-export\", \"format_version\": 1, \"prompts\": ["
    /* 1: two versions, production on v1, a partial, variables */
    "{\"slug\": \"examples/summarize\", \"name\": \"Summarize a document\","
    " \"description\": \"Summarizes {{document}} for {{audience}}; uses the tone partial.\","
    " \"tags\": [\"example\", \"writing\"], \"labels\": {\"production\": 1},"
    " \"versions\": ["
    "  {\"version\": 1, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You summarize documents.\\n{{> tone}}\"},"
    "    {\"role\": \"user\", \"content\": \"Summarize this for {{audience}}:\\n\\n{{document}}\"}],"
    "   \"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"temperature\": 0.3,"
    "   \"commit_message\": \"First summary prompt\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-05T09:00:00Z\"},"
    "  {\"version\": 2, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You summarize documents in at most {{max_words}} words.\\n{{> tone}}\"},"
    "    {\"role\": \"user\", \"content\": \"Summarize this for {{audience}}:\\n\\n{{document}}\\n\\n"
    "{{#key_points}}Make sure to mention:\\n{{#points}}- {{.}}\\n{{/points}}{{/key_points}}\"}],"
    "   \"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"temperature\": 0.2, \"max_output_tokens\": 400,"
    "   \"commit_message\": \"Limit the length; optional key points\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-12T14:30:00Z\"}]},"
    /* 2: a code review on Anthropic, three versions, staging on v3 */
    "{\"slug\": \"examples/code-review\", \"name\": \"Review a change\","
    " \"description\": \"Reviews a diff in {{language}} and lists problems by severity.\","
    " \"tags\": [\"example\", \"code\"], \"labels\": {\"production\": 2, \"staging\": 3},"
    " \"versions\": ["
    "  {\"version\": 1, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You are a careful {{language}} reviewer.\"},"
    "    {\"role\": \"user\", \"content\": \"Review this diff:\\n\\n{{diff}}\"}],"
    "   \"provider\": \"anthropic\", \"model\": \"claude-3-5-haiku-latest\", \"max_output_tokens\": 1024,"
    "   \"commit_message\": \"First review prompt\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-06T10:00:00Z\"},"
    "  {\"version\": 2, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You are a careful {{language}} reviewer. List problems as"
    " 'severity: file:line: what', most severe first. Say 'No problems found.' when there are none.\"},"
    "    {\"role\": \"user\", \"content\": \"Review this diff:\\n\\n{{diff}}\"}],"
    "   \"provider\": \"anthropic\", \"model\": \"claude-3-5-haiku-latest\", \"max_output_tokens\": 1024,"
    "   \"temperature\": 0, \"commit_message\": \"Ask for a fixed output format\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-08T16:20:00Z\"},"
    "  {\"version\": 3, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You are a careful {{language}} reviewer. List problems as"
    " 'severity: file:line: what', most severe first. Say 'No problems found.' when there are none.\"},"
    "    {\"role\": \"user\", \"content\": \"{{#context}}Context: {{context}}\\n\\n{{/context}}Review this diff:\\n\\n{{diff}}\"}],"
    "   \"provider\": \"anthropic\", \"model\": \"claude-sonnet-4-0\", \"max_output_tokens\": 2048,"
    "   \"temperature\": 0, \"commit_message\": \"Optional context; a stronger model\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-20T11:45:00Z\"}]},"
    /* 3: a chat with a history placeholder */
    "{\"slug\": \"examples/support-reply\", \"name\": \"Customer support reply\","
    " \"description\": \"Answers a customer of {{product}}, with the conversation so far.\","
    " \"tags\": [\"example\", \"chat\"],"
    " \"versions\": ["
    "  {\"version\": 1, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You answer customers of {{product}}.\\n{{> tone}}\"},"
    "    {\"type\": \"placeholder\", \"name\": \"history\"},"
    "    {\"role\": \"user\", \"content\": \"{{question}}\"}],"
    "   \"provider\": \"google\", \"model\": \"gemini-2.0-flash\", \"temperature\": 0.5,"
    "   \"stop_sequences\": [\"Customer:\"],"
    "   \"commit_message\": \"Support replies with the chat history\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-09T08:15:00Z\"}]},"
    /* 4: translation with two versions */
    "{\"slug\": \"examples/translate\", \"name\": \"Translate\","
    " \"description\": \"Translates {{text}} into {{target_language}}.\", \"tags\": [\"example\"],"
    " \"versions\": ["
    "  {\"version\": 1, \"messages\": ["
    "    {\"role\": \"user\", \"content\": \"Translate into {{target_language}}:\\n\\n{{text}}\"}],"
    "   \"provider\": \"openai\", \"model\": \"gpt-4o-mini\","
    "   \"commit_message\": \"Plain translation\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-10T12:00:00Z\"},"
    "  {\"version\": 2, \"messages\": ["
    "    {\"role\": \"system\", \"content\": \"You translate faithfully and keep the formatting (Markdown, code) as it is.\"},"
    "    {\"role\": \"user\", \"content\": \"Translate into {{target_language}}{{#formal}} using the formal register{{/formal}}:\\n\\n{{text}}\"}],"
    "   \"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"temperature\": 0.1,"
    "   \"commit_message\": \"Keep formatting; optional formal register\", \"author\": \"promptdeck\","
    "   \"created_at\": \"2026-01-15T17:05:00Z\"}]}"
    "]}";

static const char tone_partial[] =
    "Write in a friendly, plain tone: short sentences, no jargon, no filler.";

int pd_store_add_examples(pd_store *s, pd_error *err)
{
    json_error_t je;
    json_t *doc = json_loads(examples_json, 0, &je);
    if (!doc)   /* a mistake in the text above; the unit tests load it */
        return pd_error_set(err, PD_ERR_DAMAGED, "examples.c:%d: %s", je.line, je.text);
    int rc = pd_store_import_json(s, doc, NULL, err);
    json_decref(doc);
    if (rc == 0)
        rc = pd_store_put_partial(s, "tone", tone_partial, "The house tone", NULL, err);
    return rc;
}
