import { describe, expect, it } from "vitest";
import { mask, maskSecrets } from "./secrets.ts";

describe("secrets", () => {
  it("masks what secretlint finds and password-like pairs, keeping a few characters of long ones", async () => {
    const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const [first, second] = await maskSecrets([`deploy with ${token} today`, "password: hunter2, user: ada"]);
    expect(first).toBe("deploy with ghp_…[hidden] today");
    expect(second).toBe("password: …[hidden], user: ada");
    expect(mask("short")).toBe("…[hidden]");
  });
});
