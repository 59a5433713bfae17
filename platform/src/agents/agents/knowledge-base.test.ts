import { describe, expect, it } from "vitest";
import { agentContext, requestBody, runAgent, useAnthropicStandIn } from "../../../test/agent-context.ts";
import type { SearchHit } from "../../knowledge/repository.ts";
import { covers } from "./knowledge-base.ts";

const standIn = useAnthropicStandIn();

const hit = (title: string, text: string): SearchHit => ({
  chunkId: `chk_${title}`,
  documentId: `doc_${title}`,
  sourceUrl: null,
  title,
  headingPath: ["FAQ"],
  text,
  score: 1,
});
const REFUNDS = hit("Refunds", "Refunds are paid back to the original card within five business days of the return arriving.");
const PASSWORD = hit("Account", "Reset your password from the sign-in page; the link works for one hour.");

/** A knowledge base of two passages: each question finds the passage that shares its words, if any. */
const search = async (query: string) => [REFUNDS, PASSWORD].filter((p) => covers(query, p));

describe("knowledge-base", () => {
  it("tells covered questions from gaps without the model", () => {
    expect(covers("How long do refunds take?", REFUNDS)).toBe(true);
    expect(covers("How do I reset my password?", PASSWORD)).toBe(true);
    expect(covers("Do you ship to Canada?", REFUNDS)).toBe(false);
    expect(covers("Do you ship to Canada?", undefined)).toBe(false);
  });

  it("answers with citations and drafts FAQ entries for the questions the knowledge base does not cover", async () => {
    standIn().script(
      JSON.stringify({
        answer: "Refunds reach your card within five business days [1].",
        answered: true,
        proposedFaqs: [{ question: "Do you ship to Canada?", answer: "[TO FILL: the countries you ship to]", reason: "Asked, and not in the help centre." }],
      }),
    );
    const output = await runAgent(
      "knowledge-base",
      { question: "How long do refunds take?", relatedQuestions: ["How do I reset my password?", "Do you ship to Canada?"] },
      agentContext("knowledge-base", standIn(), { search }),
    );
    expect(output.answered).toBe(true);
    expect(output.citations.map((c) => c.title)).toEqual(["Refunds"]);
    expect(output.coverage).toEqual([
      { question: "How long do refunds take?", covered: true, bestMatch: "Refunds › FAQ" },
      { question: "How do I reset my password?", covered: true, bestMatch: "Account › FAQ" },
      { question: "Do you ship to Canada?", covered: false, bestMatch: null },
    ]);
    expect(output.proposedFaqs).toHaveLength(1);
    // Only the gap went to the model as a gap, fenced as data.
    const sent = JSON.stringify(requestBody(standIn(), 0).messages);
    expect(sent).toContain("<gaps>\\n- Do you ship to Canada?\\n</gaps>");
  });

  it("never answers without a passage to ground it, whatever the model claims", async () => {
    standIn().script(JSON.stringify({ answer: "We ship everywhere [1].", answered: true, proposedFaqs: [] }));
    const output = await runAgent("knowledge-base", { question: "Do you ship to Canada?" }, agentContext("knowledge-base", standIn(), { search }));
    expect(output).toMatchObject({ answer: "", answered: false, citations: [] });
  });
});
