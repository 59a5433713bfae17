import { describe, expect, it, vi } from "vitest";
import { eventSourceOver, sseParser } from "./sse.ts";

const STREAM =
  ': a comment\r\nevent: connected\r\ndata: {}\r\n\r\ndata: {"n":1}\n\ndata:first\ndata: second\rid: 7\nretry: 10\nunknown: x\n\nevent: empty\n\nevent: return\ndata\n\n';
const EVENTS = [
  ["connected", "{}"],
  ["message", '{"n":1}'],
  ["message", "first\nsecond"],
  ["return", ""],
];

describe("sseParser", () => {
  it("reads events, named or not, whatever pieces the text comes in", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      for (const size of [1, 3]) {
        const seen: string[][] = [];
        const parse = sseParser((type, data) => seen.push([type, data]));
        parse(STREAM.slice(0, cut));
        for (let i = cut; i < STREAM.length; i += size) parse(STREAM.slice(i, i + size));
        expect(seen, `cut at ${cut}, then pieces of ${size}`).toEqual(EVENTS);
      }
    }
  });

  it("dispatches nothing of an event the stream does not end with a blank line", () => {
    const seen: string[][] = [];
    const parse = sseParser((type, data) => seen.push([type, data]));
    parse("data: done\n\ndata: cut off\n");
    expect(seen).toEqual([["message", "done"]]);
  });
});

function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function listen(source: { addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void }) {
  const seen: string[] = [];
  for (const type of ["message", "connected", "return", "error"]) source.addEventListener(type, (e) => seen.push(`${type}:${e.data}`));
  return seen;
}

describe("eventSourceOver", () => {
  it("streams through the fetch it is given, with no credentials, then reports the end as EventSource does", async () => {
    const fetch = vi.fn(
      async (_url: string | URL | Request, _init?: RequestInit) =>
        new Response(streamOf([STREAM.slice(0, 30), STREAM.slice(30)]), { headers: { "content-type": "text/event-stream" } }),
    );
    const Source = eventSourceOver(fetch);
    const seen = listen(new Source("https://platform.example/trpc/chat.send?input=x"));
    await settle();
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("https://platform.example/trpc/chat.send?input=x");
    expect(init).toMatchObject({ credentials: "omit", headers: { accept: "text/event-stream" } });
    expect(seen).toEqual(["connected:{}", 'message:{"n":1}', "message:first\nsecond", "return:", "error:"]);
  });

  it("says nothing more once closed, and aborts the request", async () => {
    let signal: AbortSignal | undefined;
    let push: ((text: string) => void) | undefined;
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      signal = init!.signal!;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
          signal!.addEventListener("abort", () => controller.error(signal!.reason));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
    });
    const source = new (eventSourceOver(fetch))("https://platform.example/s");
    const seen = listen(source);
    await settle();
    push!('data: {"n":1}\n\n');
    await settle();
    source.close();
    expect(signal!.aborted).toBe(true);
    await settle();
    expect(seen).toEqual(['message:{"n":1}']);
  });

  it("takes anything but a 200 event stream for an error, as EventSource does", async () => {
    for (const response of [
      new Response('{"error":{}}', { status: 429, headers: { "content-type": "application/json" } }),
      new Response("data: x\n\n", { headers: { "content-type": "text/html" } }),
    ]) {
      const source = new (eventSourceOver(async () => response))("https://platform.example/s");
      const seen = listen(source);
      await settle();
      await settle();
      expect(seen).toEqual(["error:"]);
    }
    const offline = new (eventSourceOver(() => Promise.reject(new TypeError("Failed to fetch"))))("https://platform.example/s");
    const seen = listen(offline);
    await settle();
    expect(seen).toEqual(["error:"]);
  });
});
