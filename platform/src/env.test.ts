import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

describe("configuration", () => {
  it("defaults the gateway to a current Sonnet and the support chat to Haiku 5.5", () => {
    const env = parseEnv({});
    expect(env.ANTHROPIC_MODEL).toBe("claude-sonnet-5-5");
    expect(env.ANTHROPIC_CHAT_MODEL).toBe("claude-haiku-5-5");
    expect(parseEnv({ ANTHROPIC_API_KEY: "k", ANTHROPIC_CHAT_MODEL: " claude-sonnet-5-5 " }).ANTHROPIC_CHAT_MODEL).toBe("claude-sonnet-5-5");
  });

  it("refuses, with a line for each, a model it has no price for once a key is set", () => {
    const refusal = () => parseEnv({ ANTHROPIC_API_KEY: "k", ANTHROPIC_MODEL: "claude-unknown-9", ANTHROPIC_CHAT_MODEL: "constructor" });
    expect(refusal).toThrow(EnvError);
    expect(refusal).toThrow(/ANTHROPIC_MODEL: no price is known for claude-unknown-9[^\n]*\n {2}ANTHROPIC_CHAT_MODEL: no price is known for constructor/);
    // Without a key no model is called: the bot answers extractively, whatever the names say.
    expect(parseEnv({ ANTHROPIC_CHAT_MODEL: "claude-unknown-9" }).ANTHROPIC_CHAT_MODEL).toBe("claude-unknown-9");
  });
});
