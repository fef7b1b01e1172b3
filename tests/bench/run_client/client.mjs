// client.mjs: streams a chat completion with the official OpenAI Node SDK and writes the text to
// stdout, as a user without promptdeck would (bench_run.sh measures its CPU against promptdeck run).
import OpenAI from "openai";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL });
const stream = await client.chat.completions.create({
  model,
  messages: [{ role: "user", content: "Tell me about bench." }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  const t = chunk.choices[0]?.delta?.content;
  if (t) process.stdout.write(t);
}
