import { systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, useAnthropicStandIn } from "../../../test/agent-context.ts";
import type { SearchHit } from "../../knowledge/repository.ts";

const standIn = useAnthropicStandIn();

const hit = (n: number, title: string, text: string): SearchHit => ({
  chunkId: `chk_${n}`,
  sourceUrl: n === 1 ? "https://shop.example.com/help/refunds" : null,
  documentId: `doc_${n}`,
  title,
  headingPath: [],
  text,
  score: 1 / n,
});
const PASSAGES = [hit(1, "Refunds", "Refunds reach the original card within five business days."), hit(2, "Shipping", "Parcels arrive within a week.")];
const answer = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    category: "refund",
    urgency: "normal",
    sentiment: "negative",
    summary: "Waiting for a refund.",
    reply: "Refunds reach your card within five business days [1]. Parcels arrive within a week [7].",
    nextSteps: ["Check the return arrived"],
    needsHuman: false,
    ...over,
  });

describe("ticket-resolver", () => {
  it("answers from the passages, keeping only citations to passages it was shown", async () => {
    standIn().script(answer());
    const run = agentContext("ticket-resolver", standIn(), { search: async () => PASSAGES, instructions: "Sign off as the Acme team." });
    const output = await runAgent("ticket-resolver", { ticket: "Where is my refund?", subject: "Refund" }, run);
    // [7] names no passage shown: it is dropped, and only [1] is cited.
    expect(output.reply).toBe("Refunds reach your card within five business days [1]. Parcels arrive within a week .");
    // A citation links to the page its passage came from, and carries the passage for a popover.
    expect(output.citations).toEqual([
      {
        n: 1,
        chunkId: "chk_1",
        documentId: "doc_1",
        title: "Refunds",
        headingPath: [],
        url: "https://shop.example.com/help/refunds",
        text: "Refunds reach the original card within five business days.",
      },
    ]);
    expect(run.steps).toEqual(["Searching the knowledge base", "Drafting the reply"]);
    const body = requestBody(standIn(), 0);
    expect(systemText(body)).toContain("<tenant_instructions>\nSign off as the Acme team.");
    expect(JSON.stringify(body.messages)).toContain("[1] Refunds");
  });

  it("asks for a person when the knowledge base has nothing on the ticket, whatever the model says", async () => {
    standIn().script(answer({ reply: "I am not sure; the team will follow up.", needsHuman: false }));
    const output = await runAgent("ticket-resolver", { ticket: "Can I pay in bitcoin?" }, agentContext("ticket-resolver", standIn()));
    expect(output.needsHuman).toBe(true);
    expect(output.citations).toEqual([]);
  });

  it("keeps the ticket and every passage inside its budget, whatever their size and script", async () => {
    const huge = PASSAGES.map((p) => ({ ...p, text: "日本語の長い文章。".repeat(2000) }));
    const run = agentContext("ticket-resolver", standIn(), { search: async () => huge, instructions: "😀".repeat(1000) });
    await runAgent("ticket-resolver", { ticket: "税金".repeat(4000) }, run);
    expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(8000);
  });

  it("passes a model failure on to the runner", async () => {
    standIn().script({ kind: "error", type: "invalid_request_error" });
    await expect(runAgent("ticket-resolver", { ticket: "Hello?" }, agentContext("ticket-resolver", standIn()))).rejects.toThrow(/400/);
  });
});
