import { describe, expect, it } from "vitest";
import { fingerprint, randomVisitorId, screenBucket } from "./fingerprint.ts";
import { forgetAll, RANDOM_ID_KEY, type StorageLike } from "./storage.ts";

const memory = (): StorageLike & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
};

describe("randomVisitorId", () => {
  it("is made once and kept, until shutdown forgets it", () => {
    const storage = memory();
    const id = randomVisitorId(storage);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(randomVisitorId(storage)).toBe(id);
    forgetAll(storage, "pk_x");
    expect(storage.data.has(RANDOM_ID_KEY)).toBe(false);
    expect(randomVisitorId(storage)).not.toBe(id);
  });

  it("replaces what it did not write, and works without storage", () => {
    const storage = memory();
    storage.setItem(RANDOM_ID_KEY, "<script>");
    expect(randomVisitorId(storage)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomVisitorId(undefined)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("fingerprint", () => {
  it("joins the id and coarse signals, cleaned and bounded", () => {
    const id = "a".repeat(32);
    expect(fingerprint(id, { timeZone: "Europe/Paris", language: "fr-FR", screenWidth: 1440 })).toBe(`${id}.Europe/Paris.fr-fr.l`);
    const odd = fingerprint(id, { timeZone: "", language: 'x\n"<>'.repeat(40), screenWidth: 0 });
    expect(odd).toMatch(/^[A-Za-z0-9._+/-]+$/);
    expect(odd.length).toBeLessThanOrEqual(128);
    expect([320, 800, 1280, 2560].map(screenBucket)).toEqual(["s", "m", "l", "x"]);
  });
});
