/**
 * Chat benchmark (`npm run bench:chat` in platform/): the latency the platform adds to a streamed answer, and what
 * a conversation costs.
 *
 * Latency. The scripted Anthropic server (packages/testing) answers at once. It and the client run in this process,
 * so one clock times both; the platform runs in a child process (platform.ts), as a server would. Two legs, p50
 * and p99, each against a direct SDK call to the same server in the same run:
 *   1. request -> first upstream byte: from the client sending POST /v1/chat until the model server receives the
 *      call (the platform's work before the model: conversation, retrieval, credit hold, prompt);
 *      reference: from calling the SDK until the server receives it.
 *   2. upstream first token -> client's first token: from the model server writing its first token until the
 *      client reads it from the platform's SSE stream; reference: until the SDK's own stream yields it.
 * Target: <= 5 ms added at p50 on the first-token path (leg 2).
 *
 * Cost. A scripted 5-turn conversation of follow-up questions on one subject, whose knowledge context is about
 * 2,500 tokens, priced from the usage the server reports, prompt caching included (platform/src/llm/models.ts), for
 * the chat's model and, for comparison, the gateway's default Sonnet. Target: <= $0.01.
 * Knobs (env): BENCH_TURNS (200 latency samples), BENCH_COST_TURNS (5: the conversation's length; past 5 the model
 * sees the last five exchanges only), ANTHROPIC_CHAT_MODEL (the chat's default otherwise), DATABASE_URL (embedded
 * PGlite otherwise).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { startAnthropicStandIn, type AnthropicStandIn } from "@bizbot/testing";
import { costOf, MODELS, usageOf } from "../../src/llm/models.ts";
import { fmt, machineLine, summarize, table, verdict } from "../lib.ts";

const SAMPLES = Number(process.env.BENCH_TURNS ?? 200);
const COST_TURNS = Number(process.env.BENCH_COST_TURNS ?? 5);
if (!Number.isInteger(COST_TURNS) || COST_TURNS < 1)
  throw new Error(`BENCH_COST_TURNS must be a whole number of turns, 1 or more (got ${process.env.BENCH_COST_TURNS})`);
const ANSWER = ["Parcels", " leave", " within", " two", " days", " and", " arrive", " within", " a", " week", " [1]."];

const model = await startAnthropicStandIn({ responder: { kind: "text", text: ANSWER } });
// The platform runs in a child process (platform.ts): its work never holds this process's clock.
const child = fork(fileURLToPath(new URL("./platform.ts", import.meta.url)), [model.url], { stdio: "inherit" });
const platform = await new Promise<Platform>((resolve, reject) => {
  child.once("message", (message) => resolve(message as Platform));
  child.once("exit", (code) => reject(new Error(`the platform exited (code ${code})`)));
});
try {
  console.log(`Chat benchmark — ${new Date().toISOString()}`);
  console.log(`mode: ${platform.mode}; chat model: ${platform.chatModel}; ${machineLine()}; ${SAMPLES} turns per leg\n`);
  await latency(platform, model);
  await cost(platform, model);
} finally {
  child.disconnect();
  await model.close();
}

interface Platform {
  url: string;
  mode: string;
  chatModel: string;
  latencyKey: string;
  costKey: string;
}

async function latency(app: Platform, model: AnthropicStandIn) {
  const key = app.latencyKey;
  const sdk = new Anthropic({ apiKey: "bench-key", baseURL: model.url, maxRetries: 0 });
  const ours = { toUpstream: [] as number[], toClient: [] as number[] };
  const direct = { toUpstream: [] as number[], toClient: [] as number[] };
  for (let i = 0; i < SAMPLES + 20; i++) {
    const warm = i < 20;
    // Through the platform: one new conversation per turn, as a visitor's first question.
    let index = model.requests.length;
    let sent = performance.now();
    const firstToken = await firstSseToken(`${app.url}/v1/chat`, key, "When will my parcel arrive?");
    if (!warm) {
      ours.toUpstream.push(model.requests[index]!.receivedAt - sent);
      ours.toClient.push(firstToken - model.responses[index]!.firstTokenAt!);
    }
    // The reference: the SDK straight to the same server.
    index = model.requests.length;
    sent = performance.now();
    let sdkFirst = 0;
    const stream = sdk.messages.stream({
      model: app.chatModel,
      ...MODELS[app.chatModel]!.answerNow,
      max_tokens: 256,
      messages: [{ role: "user", content: "When will my parcel arrive?" }],
    });
    stream.on("text", () => (sdkFirst ||= performance.now()));
    await stream.finalMessage();
    if (!warm) {
      direct.toUpstream.push(model.requests[index]!.receivedAt - sent);
      direct.toClient.push(sdkFirst - model.responses[index]!.firstTokenAt!);
    }
  }
  const rows = [
    ["1. request -> first upstream byte", ours.toUpstream, direct.toUpstream],
    ["2. upstream first token -> client's", ours.toClient, direct.toClient],
  ] as const;
  console.log(
    table(
      ["ms", "platform p50", "p99", "direct SDK p50", "p99", "added p50", "added p99"],
      rows.map(([label, mine, ref]) => {
        const a = summarize(mine);
        const b = summarize(ref);
        return [label, fmt(a.p50, 2), fmt(a.p99, 2), fmt(b.p50, 2), fmt(b.p99, 2), fmt(a.p50 - b.p50, 2), fmt(a.p99 - b.p99, 2)];
      }),
    ),
  );
  const added = summarize(ours.toClient).p50 - summarize(direct.toClient).p50;
  console.log(`\ntarget <= 5 ms added at p50 on the first-token path: ${fmt(added, 2)} ms -> ${verdict(added <= 5)}\n`);
}

/** POSTs a chat turn with Accept: text/event-stream and returns when its first token event arrived. */
async function firstSseToken(url: string, key: string, message: string): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ message }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let first = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (!first && text.includes("event: token")) first = performance.now();
  }
  if (!first) throw new Error(`no token in the stream: ${text.slice(0, 300)}`);
  return first;
}

async function cost(app: Platform, model: AnthropicStandIn) {
  const key = app.costKey;
  // Follow-up questions on one subject, each answered in about 80 tokens.
  const asked = [
    "How long does shipping take?",
    "Is shipping tracked?",
    "What does shipping cost abroad?",
    "What if shipping is late?",
    "Can shipping be faster?",
  ];
  const questions = Array.from({ length: COST_TURNS }, (_, i) => (i < asked.length ? asked[i]! : `${asked[i % asked.length]} (asking again, ${i + 1})`));
  const answer = Array.from({ length: 80 }, (_, i) => (i === 79 ? " [1]." : ` word${i}`));
  let conversationId: string | undefined;
  const first = model.requests.length;
  for (const message of questions) {
    model.script({ kind: "text", text: answer });
    const res = await fetch(`${app.url}/v1/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    conversationId = ((await res.json()) as { conversationId: string }).conversationId;
  }
  const turns = model.responses.slice(first).map((r) => r.usage!);
  const dollars = (model: string, u: (typeof turns)[number]) => costOf(model, usageOf(u));
  // The chat's model, and the gateway's default Sonnet (or Haiku 5.5 when the chat already runs on Sonnet) beside it.
  const MODEL = app.chatModel;
  const OTHER = MODEL === "claude-sonnet-5-5" ? "claude-haiku-5-5" : "claude-sonnet-5-5";
  const used = new Set(model.requests.slice(first).map((r) => (r.body as { model: string }).model));
  if (used.size !== 1 || !used.has(MODEL)) throw new Error(`the chat called ${[...used].join(", ")}, not ${MODEL}`);
  console.log(
    `Cost of a scripted ${COST_TURNS}-turn conversation on one subject (dollars per million tokens: ${MODEL} ${JSON.stringify(MODELS[MODEL]!.price)}, ${OTHER} ${JSON.stringify(MODELS[OTHER]!.price)})`,
  );
  const rows = turns.map((u, i) => [
    String(i + 1),
    String(u.input_tokens),
    String(u.cache_creation_input_tokens ?? 0),
    String(u.cache_read_input_tokens ?? 0),
    String(u.output_tokens),
    `$${dollars(MODEL, u).toFixed(5)}`,
    `$${dollars(OTHER, u).toFixed(5)}`,
  ]);
  const sum = (m: string) => turns.reduce((total, u) => total + dollars(m, u), 0);
  rows.push(["all", "", "", "", "", `$${sum(MODEL).toFixed(5)}`, `$${sum(OTHER).toFixed(5)}`]);
  console.log(table(["turn", "input", "cache write", "cache read", "output", `${MODEL} (chat)`, OTHER], rows));
  const exported = (await (await fetch(`${app.url}/v1/conversations/${conversationId}/export`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
    conversation: { costUsd: number };
  };
  const firstPrompt = JSON.stringify((model.requests[first]!.body as { messages: Array<{ content: unknown }> }).messages.at(-1)!.content);
  console.log(
    `\nknowledge context: ~${Math.round(firstPrompt.length / 4)} tokens in the first turn's message; stored conversation cost: $${exported.conversation.costUsd.toFixed(5)}`,
  );
  if (COST_TURNS === 5)
    console.log(
      `target <= $0.01 per 5-turn conversation, on the chat's model ${MODEL}: ${verdict(sum(MODEL) <= 0.01)} (${OTHER}: ${verdict(sum(OTHER) <= 0.01)}; the brief's figure: $0.03)`,
    );
}
