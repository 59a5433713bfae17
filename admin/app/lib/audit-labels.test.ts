import { describe, expect, it } from "vitest";
import { actionLabel, actorName, metadataSummary, targetHref, targetName } from "./audit-labels.ts";

describe("actionLabel", () => {
  it("says what a known action did", () => {
    expect(actionLabel("api_key.created")).toBe("Created an API key");
    expect(actionLabel("knowledge.document_added")).toBe("Added a knowledge document");
  });

  it("shows an action it does not know as it is", () => {
    expect(actionLabel("billing.something_new")).toBe("billing.something_new");
  });
});

describe("actorName", () => {
  it("names people by e-mail, keys by id, and BizBot's own actors", () => {
    expect(actorName({ actorType: "user", actorId: "usr_1", actorEmail: "ana@example.com" })).toEqual({ label: "ana@example.com" });
    expect(actorName({ actorType: "user", actorId: "usr_1", actorEmail: null })).toEqual({ label: "Deleted user", id: "usr_1" });
    expect(actorName({ actorType: "api_key", actorId: "key_1", actorEmail: null })).toEqual({ label: "API key", id: "key_1" });
    expect(actorName({ actorType: "system", actorId: null, actorEmail: null })).toEqual({ label: "System" });
    expect(actorName({ actorType: "operator", actorId: null, actorEmail: null })).toEqual({ label: "BizBot operator" });
  });
});

describe("targetName", () => {
  it("prefers the names people know over ids", () => {
    expect(targetName({ target: { type: "api_key", id: "key_1" }, metadata: { prefix: "sk_live_ab12" } })).toEqual({ label: "API key sk_live_ab12" });
    expect(targetName({ target: { type: "user", id: "usr_1" }, metadata: { email: "ana@example.com" } })).toEqual({ label: "ana@example.com" });
    expect(targetName({ target: { type: "invitation", id: "inv_1" }, metadata: { email: "bo@example.com" } })).toEqual({
      label: "Invitation for bo@example.com",
    });
    expect(targetName({ target: { type: "document", id: "doc_1" }, metadata: { title: "Refunds" } })).toEqual({ label: "“Refunds”" });
  });

  it("falls back to the id, and to nothing without a target", () => {
    expect(targetName({ target: { type: "document", id: "doc_1" }, metadata: {} })).toEqual({ label: "Document", id: "doc_1" });
    expect(targetName({ target: { type: "widget", id: "w_1" }, metadata: {} })).toEqual({ label: "widget", id: "w_1" });
    expect(targetName({ target: null, metadata: {} })).toBeNull();
  });
});

describe("targetHref", () => {
  it("links a conversation unless the entry deleted it", () => {
    expect(targetHref({ action: "chat.escalated", target: { type: "conversation", id: "conv_1" } })).toBe("/conversations/conv_1");
    expect(targetHref({ action: "chat.conversation_deleted", target: { type: "conversation", id: "conv_1" } })).toBeNull();
    expect(targetHref({ action: "api_key.created", target: { type: "api_key", id: "key_1" } })).toBeNull();
  });
});

describe("metadataSummary", () => {
  it("is null without details", () => {
    expect(metadataSummary({ action: "knowledge.document_deleted", metadata: {} })).toBeNull();
  });

  it("says what changed for the actions that carry a change", () => {
    expect(metadataSummary({ action: "member.role_changed", metadata: { email: "a@b.c", from: "member", to: "admin" } })).toBe("member → admin");
    expect(metadataSummary({ action: "invitation.created", metadata: { email: "a@b.c", role: "admin" } })).toBe("As admin");
    expect(metadataSummary({ action: "member.left", metadata: { email: "a@b.c", role: "member" } })).toBe("Was a member");
    expect(metadataSummary({ action: "member.removed", metadata: { email: "a@b.c", role: "admin" } })).toBe("Was an admin");
    expect(metadataSummary({ action: "knowledge.document_added", metadata: { title: "Refunds", chunks: 3 } })).toBe("3 passages indexed");
    expect(metadataSummary({ action: "knowledge.document_added", metadata: { title: "Refunds", chunks: null } })).toBe("title, chunks");
    expect(metadataSummary({ action: "api_key.created", metadata: { kind: "secret", mode: "live", prefix: "sk_live_x" } })).toBe("A live secret key");
    expect(metadataSummary({ action: "api_key.rolled", metadata: { replacedBy: "key_2", graceSeconds: 3600 } })).toBe("Old key kept working for 1 hour");
    expect(metadataSummary({ action: "api_key.rolled", metadata: { replacedBy: "key_2", graceSeconds: 90 } })).toBe("Old key kept working for 90 seconds");
    expect(metadataSummary({ action: "api_key.rolled", metadata: { replacedBy: "key_2", graceSeconds: 0 } })).toBe("Old key revoked at once");
    expect(metadataSummary({ action: "api_key.updated", metadata: { prefix: "pk_x", allowedOrigins: {} } })).toBe("Changed allowed origins");
    expect(metadataSummary({ action: "tenant.settings_updated", metadata: { rateLimits: {}, escalationRules: [] } })).toBe(
      "Changed rate limits, escalation rules",
    );
  });

  it("lists the fields of any other entry", () => {
    expect(metadataSummary({ action: "something.new", metadata: { replacedBy: "key_2", graceSeconds: 0 } })).toBe("replaced by, grace seconds");
  });
});
