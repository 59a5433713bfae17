import { describe, expect, it } from "vitest";
import { forgetAll, identityKey, load, loadIdentity, readIdentity, save, saveIdentity, storageKey, type StorageLike } from "./storage.ts";

const memory = (): StorageLike & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
};
const vis = `vis_${"a".repeat(26)}`;
const conv = `conv_${"b".repeat(26)}`;

describe("storage", () => {
  it("keeps one entry per publishable key", () => {
    const storage = memory();
    save(storage, "pk_live_one", { visitorId: vis, conversationId: conv });
    expect(storageKey("pk_live_one")).toBe("bizbot:pk_live_one");
    expect([...storage.data.keys()]).toEqual(["bizbot:pk_live_one"]);
    expect(load(storage, "pk_live_one")).toEqual({ visitorId: vis, conversationId: conv });
    expect(load(storage, "pk_test_one")).toEqual({});
  });

  it("ignores what it did not write: bad JSON, wrong id shapes, a conversation without its visitor", () => {
    const storage = memory();
    storage.setItem(storageKey("pk_a"), "{not json");
    storage.setItem(storageKey("pk_b"), JSON.stringify({ visitorId: "vis_<script>", conversationId: conv }));
    storage.setItem(storageKey("pk_c"), JSON.stringify({ conversationId: conv }));
    storage.setItem(storageKey("pk_d"), JSON.stringify({ visitorId: vis, conversationId: 42 }));
    expect(load(storage, "pk_a")).toEqual({});
    expect(load(storage, "pk_b")).toEqual({});
    expect(load(storage, "pk_c")).toEqual({});
    expect(load(storage, "pk_d")).toEqual({ visitorId: vis });
  });

  it("forgets the entry when there is no visitor, and survives storage that throws or is missing", () => {
    const storage = memory();
    save(storage, "pk_x", { visitorId: vis });
    save(storage, "pk_x", {});
    expect(storage.data.size).toBe(0);
    const broken: StorageLike = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {},
    };
    expect(load(broken, "pk_x")).toEqual({});
    expect(() => save(broken, "pk_x", { visitorId: vis })).not.toThrow();
    expect(load(undefined, "pk_x")).toEqual({});
  });
});

describe("identity", () => {
  it("keeps only well-formed fields, per key, and shutdown forgets it with the conversation", () => {
    const storage = memory();
    const hash = "ab".repeat(32);
    expect(readIdentity({ userId: " u_1 ", name: "Ada", email: "ada@example.com", userHash: hash, admin: true })).toEqual({
      userId: "u_1",
      name: "Ada",
      email: "ada@example.com",
      userHash: hash,
    });
    expect(readIdentity({ userId: 42, userHash: "not-hex", name: "x".repeat(201) })).toEqual({});
    saveIdentity(storage, "pk_a", { userId: "u_1", userHash: hash });
    save(storage, "pk_a", { visitorId: vis, conversationId: conv });
    expect(loadIdentity(storage, "pk_a")).toEqual({ userId: "u_1", userHash: hash });
    expect(loadIdentity(storage, "pk_b")).toEqual({});
    forgetAll(storage, "pk_a");
    expect(storage.data.has(identityKey("pk_a"))).toBe(false);
    expect(load(storage, "pk_a")).toEqual({});
  });
});
