import { describe, expect, it, vi } from "vitest";
import { createStub, install, replay } from "./queue.ts";

describe("createStub", () => {
  it("records calls in order on .q", () => {
    const stub = createStub();
    stub("boot", { key: "pk_test_1" });
    stub("other");
    expect(stub.q).toEqual([["boot", { key: "pk_test_1" }], ["other"]]);
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
      [snippetArgs("boot", 1), ["second"]],
      (name, ...args) => seen.push([name, ...args]),
      () => {},
    );
    expect(seen).toEqual([["boot", 1], ["second"]]);
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
    stub("boot", { key: "pk_test_1" });
    const dispatch = vi.fn();
    const live = install(stub, dispatch, () => {});
    expect(dispatch).toHaveBeenCalledWith("boot", { key: "pk_test_1" });
    live("boot", { key: "pk_test_2" });
    expect(dispatch).toHaveBeenCalledTimes(2);
    expect(dispatch).toHaveBeenLastCalledWith("boot", { key: "pk_test_2" });
    expect(live.loaded).toBe(true);
    expect(live.q).toBeUndefined();
  });

  it("drains the old queue, so nothing is replayed twice", () => {
    const stub = createStub();
    stub("boot");
    const dispatch = vi.fn();
    install(stub, dispatch, () => {});
    install(stub, dispatch, () => {});
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it("works with no existing stub", () => {
    const dispatch = vi.fn();
    install(undefined, dispatch, () => {})("boot");
    expect(dispatch).toHaveBeenCalledWith("boot");
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
    expect(() => live("boot")).not.toThrow();
    expect(onError).toHaveBeenCalledOnce();
  });
});
