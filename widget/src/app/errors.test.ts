import { describe, expect, it } from "vitest";
import { ApiError, errorFromBody, visitorText as translate } from "./errors.ts";
import { STRINGS } from "./strings.ts";

const visitorText = (e: ApiError) => translate(e, STRINGS.en);

describe("errorFromBody", () => {
  it("reads tRPC's envelope and the bare shape of an SSE serialized-error alike", () => {
    const shape = { code: -32004, message: "Conversation not found", data: { code: "NOT_FOUND", httpStatus: 404, reason: "not_found" } };
    for (const body of [{ error: shape }, shape]) {
      expect(errorFromBody(body, 200)).toMatchObject({ status: 404, reason: "not_found", message: "Conversation not found" });
    }
  });

  it("keeps the platform's retryAfterSeconds", () => {
    const body = { error: { message: "Too many", data: { httpStatus: 429, reason: "rate_limited", retryAfterSeconds: 12 } } };
    expect(errorFromBody(body, 429)).toMatchObject({ reason: "rate_limited", retryAfterSeconds: 12 });
  });

  it("falls back to the HTTP status for bodies that are not the platform's", () => {
    expect(errorFromBody(undefined, 429)).toMatchObject({ status: 429, reason: "rate_limited" });
    expect(errorFromBody("<html>", 502)).toMatchObject({ status: 502, reason: "internal", message: "HTTP 502" });
    expect(errorFromBody(null, 403).reason).toBe("forbidden");
  });
});

describe("visitorText", () => {
  it("says what the visitor can do, never the developer's message", () => {
    const origin = new ApiError(403, "origin_not_allowed", "Origin https://x is not allowed for this key");
    expect(visitorText(origin)).not.toContain("https://x");
    expect(visitorText(origin)).toMatch(/isn't enabled for this website/);
    expect(visitorText(new ApiError(429, "rate_limited", "x"))).toMatch(/Try again in a moment/);
    expect(visitorText(new ApiError(429, "rate_limited", "x", 4.2))).toMatch(/Try again in 5 seconds/);
    expect(visitorText(new ApiError(0, "network", "x"))).toMatch(/Can't reach the chat/);
    expect(visitorText(new ApiError(500, "internal", "SQL state 23505"))).toMatch(/Something went wrong/);
  });

  it("speaks the visitor's language", () => {
    expect(translate(new ApiError(0, "network", "x"), STRINGS.fr)).toMatch(/Impossible de joindre/);
    expect(translate(new ApiError(429, "rate_limited", "x", 3), STRINGS.de)).toBe("Zu viele Nachrichten auf einmal. Versuchen Sie es in 3 Sekunden erneut.");
  });
});
