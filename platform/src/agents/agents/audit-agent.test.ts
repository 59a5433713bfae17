import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { byteLength } from "../prompt.ts";
import { auditAgent } from "./audit-agent.ts";
import { checklists } from "./audit/checklists.ts";
import { fixtures } from "./audit/fixtures.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Address the findings to the Acme security lead; use British spelling.";
const context = (instructions = INSTRUCTIONS) => agentContext("audit-agent", standIn(), { instructions });
const audit = (input: unknown, run = context()) => runAgent("audit-agent", input, run);
const body = (i: number) => requestBody(standIn(), i);

const SECRET = "Winter2024!xQ";
const EVIDENCE = `${fixtures.soc2.evidence}\nThe staging database password is ${SECRET} until it is rotated.`;
const ids = checklists.soc2.controls.map((c) => c.id);
const row = (id: string, risk = "low") => ({ id, risk, gap: risk === "low" ? null : `Gap of ${id}.`, recommendation: risk === "low" ? null : `Fix ${id}.` });
const answerFor = (controlIds: readonly string[], extra: object = {}) => ({
  controls: controlIds.map((id) => row(id, id === "CC6.1" ? "critical" : id === "A1.3" ? "high" : "low")),
  summary: "Access control and recovery testing are the weakest areas.",
  ...extra,
});

describe("audit-agent", () => {
  it("sets every status by the rules and asks the model for risk, gap and recommendation", async () => {
    standIn().script(JSON.stringify({ ...answerFor(ids), status: "met" }));
    const run = context();
    const out = await audit({ framework: "soc2", evidence: EVIDENCE, scope: "Production SaaS platform" }, run);

    expect(out.framework).toBe("soc2");
    expect(out.summary).toBe("Access control and recovery testing are the weakest areas.");
    expect(out.controls.map((c) => [c.id, c.status])).toEqual(Object.entries(fixtures.soc2.expected));
    expect(out.score).toEqual({ met: 11, partial: 5, notMet: 2, noEvidence: 2 });
    expect(out.controls.find((c) => c.id === "CC6.1")).toMatchObject({
      status: "partial",
      evidence: "Shared administrator accounts are still used on the legacy billing database.",
      risk: "critical",
      gap: "Gap of CC6.1.",
      recommendation: "Fix CC6.1.",
    });
    expect(run.steps).toEqual(["Checking the evidence against the controls", "Rating the risk of each control"]);

    expect(standIn().requests).toHaveLength(1);
    const prompt = lastUserText(body(0));
    expect(prompt).toMatch(/^<input>\nFramework: SOC 2 \(Trust Services Criteria\)\nScope: Production SaaS platform\n<\/input>\n<findings>\n/);
    expect(prompt).toContain('CC3.2 | not_met | Risk assessment: risks to the objectives identified and analysed | evidence: "A formal risk assessment');
    expect(prompt).toContain("CC6.8 | no_evidence | Malicious software prevented or detected on endpoints | evidence: none");
    expect(prompt).toContain("<material>\nCompany: Acme Analytics Ltd");
    expect(prompt).not.toContain(SECRET);
    expect(prompt).toContain("password is Wint… until it is rotated.");
    expect(systemText(body(0))).toContain(`<tenant_instructions>\n${INSTRUCTIONS}\n</tenant_instructions>`);
    expect(JSON.stringify(body(0).output_config?.format?.schema)).toContain('"enum":["CC1.1","CC1.4"');
    expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(auditAgent.limits.maxPromptBytes);
  });

  it("asks again only for the controls the model left out or named twice, then fills what is still missing from the rules", async () => {
    const partialAnswer = answerFor(ids.filter((id) => !["CC1.4", "CC7.4", "A1.3"].includes(id)));
    partialAnswer.controls.push(row("CC6.1", "medium"));
    standIn().script(JSON.stringify(partialAnswer), JSON.stringify({ controls: [row("CC7.4", "high"), row("CC6.1", "high")] }));
    const out = await audit({ framework: "soc2", evidence: EVIDENCE });

    expect(standIn().requests).toHaveLength(2);
    const retryPrompt = lastUserText(body(1));
    const findings = retryPrompt.slice(retryPrompt.indexOf("<findings>\n") + 11, retryPrompt.indexOf("\n</findings>"));
    expect(findings.split("\n").map((line) => line.split(" | ")[0])).toEqual(["CC1.4", "CC6.1", "CC7.4", "A1.3"]);
    expect(systemText(body(1))).toContain("your earlier answer left them out or named them twice");
    expect(JSON.stringify(body(1).output_config?.format?.schema)).toContain('"enum":["CC1.4","CC6.1","CC7.4","A1.3"]');
    expect(promptBytes(standIn(), 1)).toBeLessThanOrEqual(auditAgent.limits.maxPromptBytes);

    const by = (id: string) => out.controls.find((c) => c.id === id)!;
    expect(by("CC7.4")).toMatchObject({ status: "partial", risk: "high", gap: "Gap of CC7.4." });
    expect(by("CC6.1")).toMatchObject({ risk: "high" });
    // Left out twice: the risk its status implies, the checklist's recommendation.
    expect(by("A1.3")).toMatchObject({ status: "not_met", risk: "high", gap: "The evidence shows this control is not in place." });
    expect(by("A1.3").recommendation).toBe(checklists.soc2.controls.find((c) => c.id === "A1.3")!.recommendation);
    expect(by("CC1.4")).toMatchObject({ status: "no_evidence", risk: "medium" });
    expect(out.controls).toHaveLength(ids.length);
  });

  it("repairs an unfit answer, and then has no call left to ask again", async () => {
    const unknown = answerFor(ids.slice(0, 10));
    unknown.controls.push({ id: "CC99.1", risk: "severe", gap: null, recommendation: null });
    standIn().script(JSON.stringify(unknown), JSON.stringify(answerFor(ids.filter((id) => id !== "C1.1"))));
    const out = await audit({ framework: "soc2", evidence: EVIDENCE });

    expect(standIn().requests).toHaveLength(2);
    const repair = lastUserText(body(1));
    expect(repair).toContain("<answer>");
    expect(repair).toMatch(/<problems>[\s\S]*controls\.10\.id/);
    expect(out.controls.find((c) => c.id === "CC6.1")!.risk).toBe("critical");
    expect(out.controls.find((c) => c.id === "C1.1")).toMatchObject({ status: "partial", risk: "medium" });
  });

  it("fails the run when the model fails", async () => {
    for (let i = 0; i < 3; i++) standIn().script({ kind: "error", type: "overloaded_error" });
    await expect(audit({ framework: "gdpr", evidence: fixtures.gdpr.evidence })).rejects.toThrow();
  });

  it("stays in its prompt budget with the largest evidence and long instructions, and shows the model every control", async () => {
    const filler = "証跡の記録は監査チームが保管している。".repeat(8);
    const lines = fixtures.hipaa.evidence.split("\n");
    let evidence = "";
    for (let i = 0; byteLength(evidence) < 100 * 1024 - 400; i++) evidence += `${lines[i % lines.length]} ${filler}\n`;
    while (byteLength(evidence) > 100 * 1024) evidence = evidence.slice(0, -1);
    const instructions = "Use plain words and name the owner of each fix. ".repeat(90).slice(0, 4000);
    const out = await audit({ framework: "hipaa", evidence, scope: "範囲".repeat(500) }, context(instructions));

    expect(out.controls).toHaveLength(checklists.hipaa.controls.length);
    expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(auditAgent.limits.maxPromptBytes);
    const prompt = lastUserText(body(0));
    for (const control of checklists.hipaa.controls) expect(prompt).toContain(`${control.id} | `);
    expect(prompt).toContain("<material>\n");
  });
});
