import { describe, expect, it, vi } from "vitest";
import { type BizBotFunction, install, replay } from "./queue.ts";

/** The snippet a host page pastes before the script tag: it only records calls. */
function createStub(): BizBotFunction {
  const stub: BizBotFunction = (...args) => {
    (stub.q ??= []).push(args);
  };
  stub.q = [];
  return stub;
}

describe("createStub", () => {
  it("records calls in order on .q", () => {
    const stub = createStub();
    stub("identify", { userId: "u1" });
    stub("open");
    expect(stub.q).toEqual([["identify", { userId: "u1" }], ["open"]]);
    expect(stub.loaded).toBeUndefined();
  });
});

describe("replay", () => {
  it("dispatches each entry in order and accepts `arguments` objects", () => {
    const seen: unknown[][] = [];
    function snippetArgs(..._: unknown[]) {
      // biome-ignore lint/complexity/noArguments: what a host page's inline snippet pushes is an `arguments` object
      return arguments;
    }
    replay(
      [snippetArgs("on", "open", 1), ["second"]],
      (name, a, b) => seen.push([name, a, b]),
      () => {},
    );
    expect(seen).toEqual([
      ["on", "open", 1],
      ["second", undefined, undefined],
    ]);
  });

  it("keeps going after a failing command and reports it", () => {
    const onError = vi.fn();
    const seen: string[] = [];
    const dispatch = (name: string) => {
      if (name === "bad") throw new Error("boom");
      seen.push(name);
    };
    replay([["a"], ["bad"], [42], ["b"]], dispatch, onError);
    expect(seen).toEqual(["a", "b"]);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[1]?.[0]).toBeInstanceOf(TypeError);
  });
});

describe("install", () => {
  it("replays what the stub queued, then dispatches new calls directly", () => {
    const stub = createStub();
    stub("update", { locale: "fr" });
    const dispatch = vi.fn();
    const live = install(stub, dispatch, () => {});
    expect(dispatch).toHaveBeenCalledWith("update", { locale: "fr" }, undefined);
    live("on", "open", "fn");
    expect(dispatch).toHaveBeenCalledTimes(2);
    expect(dispatch).toHaveBeenLastCalledWith("on", "open", "fn");
    expect(live.loaded).toBe(true);
    expect(live.q).toBeUndefined();
  });

  it("drains the old queue, so nothing is replayed twice", () => {
    const stub = createStub();
    stub("open");
    const dispatch = vi.fn();
    install(stub, dispatch, () => {});
    install(stub, dispatch, () => {});
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it("works with no existing stub", () => {
    const dispatch = vi.fn();
    install(undefined, dispatch, () => {})("open");
    expect(dispatch).toHaveBeenCalledWith("open", undefined, undefined);
  });

  it("reports errors from live calls instead of throwing into the host page", () => {
    const onError = vi.fn();
    const live = install(
      undefined,
      () => {
        throw new Error("nope");
      },
      onError,
    );
    expect(() => live("open")).not.toThrow();
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe("a host page that replaced Array.prototype's methods", () => {
  it("still queues and replays", () => {
    const saved = { push: Array.prototype.push, from: Array.from };
    const broken = () => {
      throw new Error("patched by the page");
    };
    try {
      const stub = createStub();
      stub("open");
      stub("on", "ready", "fn");
      Array.prototype.push = broken;
      Array.from = broken;
      const seen: unknown[] = [];
      install(
        stub,
        (name, a) => {
          seen[seen.length] = `${name}:${String(a)}`;
        },
        broken,
      );
      expect(seen.length).toBe(2);
      expect(`${seen[0]} ${seen[1]}`).toBe("open:undefined on:ready");
    } finally {
      Array.prototype.push = saved.push;
      Array.from = saved.from;
    }
  });
});
