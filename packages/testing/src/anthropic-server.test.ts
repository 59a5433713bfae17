import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming, TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countInputTokens, DEFAULT_REPLY, lastUserText, startAnthropicStandIn, systemText, type AnthropicStandIn } from "./anthropic-server.ts";

// A model from before Claude 5, which thinks only when asked: the wire format alone, without thinking blocks.
const MODEL = "claude-sonnet-4-6";
const messageId = /^msg_01[1-9A-HJ-NP-Za-km-z]{22}$/;
const requestId = /^req_01[1-9A-HJ-NP-Za-km-z]{22}$/;

const ask = (text: string, extra: Partial<MessageCreateParamsNonStreaming> = {}): MessageCreateParamsNonStreaming => ({
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: "user", content: text }],
  ...extra,
});

/** About 1,500 tokens as the stand-in counts them: above the default 1,024-token minimum for caching. */
const LONG_SYSTEM = "You are the support assistant of an online shop. Answer from the knowledge base only. ".repeat(70);

async function expectRejection<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe("Anthropic stand-in, through the real SDK", () => {
  let standIn: AnthropicStandIn;
  let client: Anthropic;
  beforeAll(async () => {
    standIn = await startAnthropicStandIn();
    client = new Anthropic({ baseURL: standIn.url, apiKey: "test-key", maxRetries: 0 });
  });
  afterAll(() => standIn.close());
  afterEach(() => expect(standIn.pending).toBe(0));

  it("streams scripted text one token per text event, with usage in the final message", async () => {
    standIn.script({ kind: "text", text: ["Returns", " are", " free", " for", " 30", " days."] });
    const params = ask("Can I return my order?");
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on("text", (text) => texts.push(text));
    const message = await stream.finalMessage();

    expect(texts).toEqual(["Returns", " are", " free", " for", " 30", " days."]);
    expect(message).toMatchObject({ id: expect.stringMatching(messageId), model: MODEL, role: "assistant", stop_reason: "end_turn" });
    expect(message.content).toEqual([{ type: "text", text: "Returns are free for 30 days.", citations: null }]);
    expect(message.usage).toMatchObject({
      input_tokens: countInputTokens(params),
      output_tokens: 6,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(stream.request_id).toMatch(requestId);

    const request = standIn.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v1/messages", body: { model: MODEL, stream: true, messages: params.messages } });
    // SDK 1.x sends the API key as a bearer token, not as x-api-key.
    expect(request.headers.authorization).toBe("Bearer test-key");
    expect(request.headers["anthropic-version"]).toEqual(expect.any(String));
    const response = standIn.responses.at(-1)!;
    expect(response).toMatchObject({ requestIndex: standIn.requests.length - 1, requestId: stream.request_id, status: 200, usage: { output_tokens: 6 } });
    expect(response.firstByteAt).toBeGreaterThanOrEqual(request.receivedAt);
    expect(response.endedAt).toBeGreaterThanOrEqual(response.firstTokenAt!);
  });

  it("answers a non-streaming request with a whole Message, a string reply cut into word tokens", async () => {
    standIn.script("Shipping takes three days.");
    const message = await client.messages.create(ask("How long is shipping?"));
    expect(message.content).toEqual([{ type: "text", text: "Shipping takes three days.", citations: null }]);
    expect(message.usage.output_tokens).toBe(4);
    expect(message._request_id).toMatch(requestId);
    expect(standIn.requests.at(-1)!.body).not.toHaveProperty("stream");
  });

  it("answers a fixed text when nothing is scripted", async () => {
    const message = await client.messages.create(ask("Anything"));
    expect(message.content[0]).toMatchObject({ type: "text", text: DEFAULT_REPLY });
  });

  it("sends the documented SSE event sequence", async () => {
    standIn.script({ kind: "tool_use", text: ["One", " moment."], name: "lookup_order", input: { orderId: "A-1001" } });
    const res = await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ ...ask("Where is my order?"), stream: true }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("request-id")).toMatch(requestId);
    const events = (await res.text())
      .trim()
      .split("\n\n")
      .map((raw) => {
        const [event, data] = raw.split("\n");
        const parsed = JSON.parse(data!.replace(/^data: /, "")) as { type: string; delta?: { type?: string } };
        expect(event).toBe(`event: ${parsed.type}`);
        return parsed.type === "content_block_delta" ? `${parsed.type}:${parsed.delta!.type}` : parsed.type;
      });
    const jsonPieces = events.filter((e) => e === "content_block_delta:input_json_delta").length;
    expect(jsonPieces).toBeGreaterThanOrEqual(3);
    expect(events).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      ...Array<string>(jsonPieces).fill("content_block_delta:input_json_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("streams a tool call whose input the SDK assembles from input_json_delta pieces", async () => {
    const input = { query: "refund policy for damaged items", limit: 3, filters: { language: "en" } };
    standIn.script({ kind: "tool_use", text: "Let me check.", name: "search_knowledge", input });
    const stream = client.messages.stream(
      ask("What if my parcel arrives damaged?", {
        tools: [{ name: "search_knowledge", description: "Search the knowledge base", input_schema: { type: "object" } }],
      }),
    );
    const pieces: string[] = [];
    stream.on("inputJson", (piece) => pieces.push(piece));
    const message = await stream.finalMessage();

    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.join("")).toBe(JSON.stringify(input));
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Let me check.", citations: null },
      { type: "tool_use", id: expect.stringMatching(/^toolu_01/), name: "search_knowledge", input, caller: { type: "direct" } },
    ]);
  });

  it("lets a reply be a function of the request", async () => {
    standIn.script(
      (body) => `You asked about ${lastUserText(body).split(" ").at(-1)}`,
      (body) => ({ kind: "text", text: systemText(body) }),
    );
    const first = await client.messages.create(ask("Tell me about warranties"));
    expect(first.content[0]).toMatchObject({ text: "You asked about warranties" });
    const second = await client.messages.create(
      ask("Hi", {
        system: [
          { type: "text", text: "Be brief." },
          { type: "text", text: "Be kind." },
        ],
      }),
    );
    expect(second.content[0]).toMatchObject({ text: "Be brief.\nBe kind." });
  });

  it("stops at max_tokens like the real API", async () => {
    standIn.script("one two three four five six");
    const stream = client.messages.stream(ask("Count", { max_tokens: 3 }));
    const texts: string[] = [];
    stream.on("text", (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(texts).toEqual(["one", " two", " three"]);
    expect(message).toMatchObject({ stop_reason: "max_tokens", usage: { output_tokens: 3 } });
  });

  describe("Claude 5 models", () => {
    it("think first by default: a thinking block with a signature and no text (display omitted), billed as output", async () => {
      standIn.script({ kind: "text", text: ["Yes", "."], thinkingTokens: 150 }, { kind: "text", text: ["Yes", "."] });
      const stream = client.messages.stream(ask("Is it free?", { model: "claude-sonnet-5-5" }));
      const texts: string[] = [];
      stream.on("text", (text) => texts.push(text));
      const message = await stream.finalMessage();
      expect(texts).toEqual(["Yes", "."]);
      expect(message.content).toEqual([
        { type: "thinking", thinking: "", signature: expect.stringMatching(/^[A-Za-z0-9+/=]{64}$/) },
        { type: "text", text: "Yes.", citations: null },
      ]);
      expect(message.usage.output_tokens).toBe(152);

      // Told not to think up front, it answers at once.
      const quiet = await client.messages.create(ask("Is it free?", { model: "claude-sonnet-5-5", thinking: { type: "between_tools" } }));
      expect(quiet.content).toEqual([{ type: "text", text: "Yes.", citations: null }]);
      expect(quiet.usage.output_tokens).toBe(2);
    });

    it("count thinking toward max_tokens", async () => {
      standIn.script({ kind: "text", text: "one two three four", thinkingTokens: 6 });
      const message = await client.messages.create(ask("Count", { model: "claude-haiku-5-5", max_tokens: 8 }));
      expect(message).toMatchObject({ stop_reason: "max_tokens", usage: { output_tokens: 8 } });
      expect(message.content[1]).toMatchObject({ type: "text", text: "one two" });
    });

    it("refuse the thinking settings and forced tool choice their generation does not take, leaving the script alone", async () => {
      const tools = [{ name: "suggest_actions", input_schema: { type: "object" as const } }];
      standIn.script("Still queued.");
      for (const extra of [
        { model: "claude-sonnet-5-5", thinking: { type: "disabled" as const } },
        { model: "claude-sonnet-5-5", tools, tool_choice: { type: "tool" as const, name: "suggest_actions" } },
        { model: "claude-opus-5-5", thinking: { type: "between_tools" as const } },
        { model: "claude-haiku-5-5", thinking: { type: "enabled" as const, budget_tokens: 2048 } },
        { model: "claude-fable-5-1", thinking: { type: "disabled" as const } },
        { model: "claude-sonnet-4-5", thinking: { type: "between_tools" as const } },
      ]) {
        const error = await expectRejection(client.messages.create(ask("Hi", { max_tokens: 4096, ...extra })), BadRequestError);
        expect(error.message).toMatch(/not supported for claude-/);
      }
      expect((await client.messages.create(ask("Hi"))).content).toEqual([{ type: "text", text: "Still queued.", citations: null }]);
      // Each takes what its guide says turns up-front thinking off.
      for (const extra of [
        { model: "claude-haiku-5-5", thinking: { type: "disabled" as const } },
        { model: "claude-opus-5-5", output_config: { effort: "low" as const } },
      ]) {
        standIn.script("Hello.");
        const message = await client.messages.create(ask("Hi", extra));
        expect(message.content).toEqual([{ type: "text", text: "Hello.", citations: null }]);
      }
    });
  });

  describe("errors", () => {
    it("surfaces a 429 as RateLimitError with its retry-after header", async () => {
      standIn.script({ kind: "error", type: "rate_limit_error", retryAfterSeconds: 30 });
      const error = await expectRejection(client.messages.create(ask("Hi")), RateLimitError);
      expect(error.status).toBe(429);
      expect(error.type).toBe("rate_limit_error");
      expect(error.headers.get("retry-after")).toBe("30");
      expect(error.requestID).toMatch(requestId);
      expect(error.error).toEqual({ type: "error", error: { type: "rate_limit_error", message: expect.any(String) }, request_id: error.requestID });
    });

    it("surfaces a 529 as OverloadedError, an InternalServerError, on a stream too", async () => {
      standIn.script({ kind: "error", type: "overloaded_error" });
      const error = await expectRejection(client.messages.stream(ask("Hi")).finalMessage(), OverloadedError);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 529, type: "overloaded_error", apiMessage: "Overloaded" });
    });

    it("answers 500 api_error and 400 invalid_request_error with the SDK's classes", async () => {
      standIn.script({ kind: "error", type: "api_error" }, { kind: "error", type: "invalid_request_error", message: "messages: roles must alternate" });
      expect(await expectRejection(client.messages.create(ask("Hi")), InternalServerError)).toMatchObject({ status: 500, type: "api_error" });
      expect(await expectRejection(client.messages.create(ask("Hi")), BadRequestError)).toMatchObject({
        status: 400,
        apiMessage: "messages: roles must alternate",
      });
    });

    it("is retried by the SDK itself: two 529s, then the answer (3 requests)", async () => {
      const retrying = new Anthropic({ baseURL: standIn.url, apiKey: "test-key", maxRetries: 2 });
      const before = standIn.requests.length;
      standIn.script({ kind: "error", type: "overloaded_error" }, { kind: "error", type: "overloaded_error" }, "Third time lucky.");
      const message = await retrying.messages.create(ask("Hi"));
      expect(message.content[0]).toMatchObject({ text: "Third time lucky." });
      const attempts = standIn.requests.slice(before);
      expect(attempts).toHaveLength(3);
      expect(attempts.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
      expect(standIn.responses.slice(before).map((r) => r.status)).toEqual([529, 529, 200]);
    });

    it("rejects a stream that breaks with an SSE error event after some text", async () => {
      standIn.script({ kind: "stream_error", text: ["Partial", " answer"] });
      const stream = client.messages.stream(ask("Hi"));
      const texts: string[] = [];
      stream.on("text", (text) => texts.push(text));
      const error = await expectRejection(stream.finalMessage(), APIError);
      expect(texts).toEqual(["Partial", " answer"]);
      // The status was 200 when the stream began: the SDK gives the error no status and not the OverloadedError class.
      expect(error).not.toBeInstanceOf(OverloadedError);
      expect(error).toMatchObject({ status: undefined, type: "overloaded_error" });
    });

    it("answers a non-streaming request scripted to break mid-stream with the HTTP error instead", async () => {
      standIn.script({ kind: "stream_error", text: "Partial answer" });
      expect(await expectRejection(client.messages.create(ask("Hi")), OverloadedError)).toMatchObject({ status: 529 });
    });

    it("fails the next requests with failNext without using up the script", async () => {
      standIn.failNext(529);
      standIn.script("After the outage.");
      await expectRejection(client.messages.create(ask("Hi")), OverloadedError);
      expect((await client.messages.create(ask("Hi"))).content[0]).toMatchObject({ text: "After the outage." });
    });

    it("refuses a request without an API key or anthropic-version, and takes x-api-key as well as a bearer token", async () => {
      const post = (headers: Record<string, string>) =>
        fetch(`${standIn.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(ask("Hi")) });
      const noKey = await post({ "anthropic-version": "2023-06-01" });
      expect(noKey.status).toBe(401);
      expect(await noKey.json()).toMatchObject({ type: "error", error: { type: "authentication_error" }, request_id: expect.stringMatching(requestId) });
      const noVersion = await post({ "x-api-key": "k" });
      expect(noVersion.status).toBe(400);
      expect(await noVersion.json()).toMatchObject({ error: { type: "invalid_request_error", message: "anthropic-version: header is required" } });
      expect((await post({ "x-api-key": "k", "anthropic-version": "2023-06-01" })).status).toBe(200);
    });

    it("refuses a malformed body with a 400", async () => {
      const error = await expectRejection(
        client.messages.create({ model: MODEL, messages: [] } as unknown as MessageCreateParamsNonStreaming),
        BadRequestError,
      );
      expect(error.apiMessage).toMatch(/^max_tokens/);
      // The system prompt is a top-level field; a "system" message is refused, as the API refuses it.
      const systemRole = { model: MODEL, max_tokens: 16, messages: [{ role: "system", content: "Be brief." }] } as unknown as MessageCreateParamsNonStreaming;
      expect((await expectRejection(client.messages.create(systemRole), BadRequestError)).apiMessage).toBe(
        "messages.0.role: Input should be 'user' or 'assistant'",
      );
    });
  });

  describe("prompt caching", () => {
    const cachedSystem = (text: string): TextBlockParam[] => [{ type: "text", text, cache_control: { type: "ephemeral" } }];

    it("writes a long cached system prompt on the first request and reads it on the second", async () => {
      const params = ask("What are your opening hours?", { system: cachedSystem(`${LONG_SYSTEM} first-test`) });
      const total = countInputTokens(params);
      const first = await client.messages.stream(params).finalMessage();
      const second = await client.messages.create(params);

      expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(1024);
      expect(first.usage).toMatchObject({
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: first.usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
      });
      expect(first.usage.input_tokens + first.usage.cache_creation_input_tokens!).toBe(total);
      expect(second.usage).toMatchObject({
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: first.usage.cache_creation_input_tokens,
        input_tokens: first.usage.input_tokens,
      });
      expect(standIn.requests.at(-1)!.body).toMatchObject({ system: [{ cache_control: { type: "ephemeral" } }] });
    });

    it("caches nothing below the minimum cacheable length", async () => {
      const params = ask("Hi", { system: cachedSystem("Be brief.") });
      for (let i = 0; i < 2; i++) {
        const message = await client.messages.create(params);
        expect(message.usage).toMatchObject({ input_tokens: countInputTokens(params), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      }
    });

    it("refuses more than four breakpoints with the API's 400, leaving the script alone", async () => {
      standIn.script("not used");
      const system = ["a", "b", "c", "d", "e"].map((text): TextBlockParam => ({ type: "text", text, cache_control: { type: "ephemeral" } }));
      const error = await expectRejection(client.messages.create(ask("Hi", { system })), BadRequestError);
      expect(error.apiMessage).toBe("A maximum of 4 blocks with cache_control may be provided. Found 5.");
      expect(standIn.pending).toBe(1);
      await client.messages.create(ask("Hi"));
    });
  });
});

describe("Anthropic stand-in caching over a conversation", () => {
  it("reads the longest cached prefix as the breakpoint moves along, until the TTL runs out", async () => {
    let clock = 1_000_000;
    const standIn = await startAnthropicStandIn({ now: () => clock });
    const client = new Anthropic({ baseURL: standIn.url, apiKey: "test-key", maxRetries: 0 });
    try {
      const system = [{ type: "text" as const, text: LONG_SYSTEM, cache_control: { type: "ephemeral" as const } }];
      const question = "Which carriers do you use for international parcels, and can I choose one? ".repeat(20);
      const turn1 = ask("ignored", { system, messages: [{ role: "user", content: [{ type: "text", text: question, cache_control: { type: "ephemeral" } }] }] });
      const first = await client.messages.create(turn1);
      expect(first.usage.cache_read_input_tokens).toBe(0);

      // The next turn moves the message breakpoint to the newest message; the earlier entry is found by lookback.
      const turn2 = ask("ignored", {
        system,
        messages: [
          { role: "user", content: question },
          { role: "assistant", content: "We use two carriers." },
          { role: "user", content: [{ type: "text", text: "Thanks, and how much does it cost?", cache_control: { type: "ephemeral" } }] },
        ],
      });
      const second = await client.messages.create(turn2);
      expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
      expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
      expect(second.usage.input_tokens).toBe(0);
      expect(second.usage.cache_read_input_tokens! + second.usage.cache_creation_input_tokens!).toBe(countInputTokens(turn2));

      clock += 5 * 60_000 + 1;
      const expired = await client.messages.create(turn2);
      expect(expired.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: countInputTokens(turn2) });
    } finally {
      await standIn.close();
    }
  });

  it("takes its minimum cacheable length from minCacheTokens", async () => {
    const standIn = await startAnthropicStandIn({ minCacheTokens: 5 });
    const client = new Anthropic({ baseURL: standIn.url, apiKey: "test-key", maxRetries: 0 });
    try {
      const params = ask("Hi", { system: [{ type: "text", text: "Be brief and kind.", cache_control: { type: "ephemeral", ttl: "1h" } }] });
      const first = await client.messages.create(params);
      expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: first.usage.cache_creation_input_tokens });
      expect((await client.messages.create(params)).usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    } finally {
      await standIn.close();
    }
  });
});

describe("Anthropic stand-in timing and outages", () => {
  let standIn: AnthropicStandIn;
  beforeAll(async () => {
    standIn = await startAnthropicStandIn({ apiKey: "the-key" });
  });
  afterAll(() => standIn.close());

  it("holds back the first token for firstTokenDelayMs and spaces the rest by tokenDelayMs", async () => {
    const client = new Anthropic({ baseURL: standIn.url, apiKey: "the-key", maxRetries: 0 });
    standIn.script({ kind: "text", text: ["a", "b", "c"], firstTokenDelayMs: 300, tokenDelayMs: 50 });
    const started = performance.now();
    const at: number[] = [];
    const stream = client.messages.stream(ask("Hi"));
    stream.on("text", () => at.push(performance.now() - started));
    await stream.finalMessage();

    expect(at[0]).toBeGreaterThanOrEqual(295);
    // Spread out as the client reads them; exact spacing only where they are written (a busy client reads late).
    expect(at[2]! - at[0]!).toBeGreaterThan(50);
    const request = standIn.requests.at(-1)!;
    const response = standIn.responses.at(-1)!;
    expect(response.firstByteAt! - request.receivedAt).toBeGreaterThanOrEqual(295);
    expect(response.endedAt! - response.firstTokenAt!).toBeGreaterThanOrEqual(95);
  });

  it("accepts only the configured key", async () => {
    const wrong = new Anthropic({ baseURL: standIn.url, apiKey: "another-key", maxRetries: 0 });
    expect(await expectRejection(wrong.messages.create(ask("Hi")), AuthenticationError)).toMatchObject({ status: 401, apiMessage: "invalid x-api-key" });
  });

  it("hangs when scripted to, so the client's own timeout fires", async () => {
    const client = new Anthropic({ baseURL: standIn.url, apiKey: "the-key", maxRetries: 0, timeout: 200 });
    standIn.script({ kind: "hang" });
    await expectRejection(client.messages.create(ask("Hi")), APIConnectionTimeoutError);
    expect(standIn.responses.at(-1)!.firstByteAt).toBeUndefined();
  });

  it("hangs while down, and answers again once up", async () => {
    const client = new Anthropic({ baseURL: standIn.url, apiKey: "the-key", maxRetries: 0, timeout: 200 });
    standIn.setDown(true);
    await expectRejection(client.messages.create(ask("Hi")), APIConnectionTimeoutError);
    standIn.setDown(false);
    expect((await client.messages.create(ask("Hi"))).content).toHaveLength(1);
  });

  it("closes even with requests left hanging", async () => {
    const other = await startAnthropicStandIn();
    const client = new Anthropic({ baseURL: other.url, apiKey: "k", maxRetries: 0 });
    other.script({ kind: "hang" }, { kind: "text", text: ["never", " finished"], firstTokenDelayMs: 60_000 });
    const hanging = Promise.allSettled([client.messages.create(ask("Hi")), client.messages.stream(ask("Hi")).finalMessage()]);
    await expect.poll(() => other.requests.length).toBe(2);
    await other.close();
    for (const outcome of await hanging) expect(outcome).toMatchObject({ status: "rejected", reason: expect.any(APIConnectionError) });
  });
});

describe("Anthropic stand-in: structured outputs", () => {
  let standIn: AnthropicStandIn;
  let client: Anthropic;
  beforeAll(async () => {
    standIn = await startAnthropicStandIn();
    client = new Anthropic({ apiKey: "test-key", baseURL: standIn.url, maxRetries: 0 });
  });
  afterAll(() => standIn.close());

  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["severity", "steps", "owner"],
    properties: {
      severity: { type: "string", enum: ["SEV1", "SEV2"] },
      steps: { type: "array", items: { type: "string" } },
      owner: { anyOf: [{ type: "null" }, { type: "string", format: "email" }] },
      note: { type: "string" },
    },
  };

  it("answers an unscripted request with JSON that fits the schema", async () => {
    const message = await client.messages.create(ask("Triage this", { output_config: { format: { type: "json_schema", schema } } }));
    const text = message.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
    expect(JSON.parse(text)).toEqual({ severity: "SEV1", steps: ["example"], owner: "someone@example.com" });
  });

  it("refuses a schema with an open object or a keyword structured outputs do not take, as the API does", async () => {
    const open = { ...schema, additionalProperties: true };
    const error = await expectRejection(
      client.messages.create(ask("x", { output_config: { format: { type: "json_schema", schema: open } } })),
      BadRequestError,
    );
    expect(error.message).toMatch(/additionalProperties/);
    const bounded = { ...schema, properties: { ...schema.properties, note: { type: "string", maxLength: 10 } } };
    const second = await expectRejection(
      client.messages.create(ask("x", { output_config: { format: { type: "json_schema", schema: bounded } } })),
      BadRequestError,
    );
    expect(second.message).toMatch(/maxLength/);
    expect(standIn.pending).toBe(0);
  });
});
