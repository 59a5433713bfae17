// Server-sent events read through the loader's fetch, in place of the page's EventSource.
//
// The loader hands the app fetch as the browser made it, whatever the page did to window.fetch (loader/pristine.ts).
// EventSource it cannot hand over: the page's global may be a wrapper (monitoring scripts wrap it) that would see
// each stream's URL, and with it the key, the visitor, the question and the user's hash; and an EventSource taken
// from the throwaway frame that gives the loader its fetch never connects once that frame is removed (Chromium
// leaves it CONNECTING). A stream read with fetch also never reconnects by itself: readStream (api.ts) closes an
// EventSource at once for that reason.
import type { EventSourceLike } from "./api.ts";

type Listener = (event: MessageEvent<string>) => void;

/** An EventSource of sorts over `fetch`: the `message` and named events readStream listens to, then `error` at the end. */
export function eventSourceOver(fetch: typeof globalThis.fetch): new (url: string) => EventSourceLike {
  return class implements EventSourceLike {
    readonly #listeners = new Map<string, Listener[]>();
    readonly #abort = new AbortController();

    constructor(url: string) {
      void this.#read(url);
    }

    addEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }

    close(): void {
      this.#abort.abort();
    }

    #emit(type: string, data: string): void {
      if (this.#abort.signal.aborted) return;
      for (const listener of this.#listeners.get(type) ?? []) listener({ type, data } as MessageEvent<string>);
    }

    async #read(url: string): Promise<void> {
      try {
        const res = await fetch(url, {
          headers: { accept: "text/event-stream" },
          credentials: "omit",
          cache: "no-store",
          signal: this.#abort.signal,
        });
        // As EventSource: anything but a 200 event stream is an error, with nothing readable in it.
        if (res.status !== 200 || !res.body || !/^text\/event-stream\b/i.test(res.headers.get("content-type") ?? "")) throw new Error();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const parse = sseParser((type, data) => this.#emit(type, data));
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parse(decoder.decode(value, { stream: true }));
        }
      } catch {
        // A network failure, or close() (the abort ends the read): #emit says nothing once closed.
      }
      // The stream ended: for EventSource too an `error`, which readStream ignores after the stream's last event.
      this.#emit("error", "");
    }
  };
}

/**
 * The event stream format (HTML's "server-sent events"): lines ended by CRLF, LF or CR; `event:` and `data:` fields;
 * a blank line dispatches; `:` starts a comment; `id` and `retry` are read and ignored. Fed text in any pieces.
 */
export function sseParser(dispatch: (type: string, data: string) => void): (chunk: string) => void {
  let buffer = "";
  /** Where the search for the next line end resumes: a long line that comes in pieces is not read again each time. */
  let scanned = 0;
  let event = "";
  let data: string[] = [];
  const line = (text: string) => {
    if (!text) {
      if (data.length) dispatch(event || "message", data.join("\n"));
      event = "";
      data = [];
      return;
    }
    if (text[0] === ":") return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value[0] === " ") value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };
  return (chunk) => {
    buffer += chunk;
    let start = 0;
    let i = scanned;
    for (; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== "\n" && c !== "\r") continue;
      // A CR at the end of what has come so far may be the first half of a CRLF: wait for the next piece.
      if (c === "\r" && i === buffer.length - 1) break;
      line(buffer.slice(start, i));
      if (c === "\r" && buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
    scanned = i - start;
  };
}
