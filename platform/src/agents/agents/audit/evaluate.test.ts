import { auditFrameworks } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { checklists } from "./checklists.ts";
import type { Control } from "./control.ts";
import { evaluate, score, statements } from "./evaluate.ts";
import { fixtures } from "./fixtures.ts";

describe("the rules on each framework's fixture", () => {
  for (const framework of auditFrameworks) {
    it(`read ${framework} evidence as an auditor would, one row per control`, () => {
      const { controls } = checklists[framework];
      const results = evaluate(controls, fixtures[framework].evidence);
      expect(results.map((r) => r.id)).toEqual(controls.map((c) => c.id));
      expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toEqual(fixtures[framework].expected);
      for (const r of results) {
        if (r.status === "no_evidence") expect(r.evidence).toBeNull();
        else expect(fixtures[framework].evidence).toContain(r.evidence);
      }
    });
  }

  it("quotes the statement that shows the gap", () => {
    const results = evaluate(checklists.soc2.controls, fixtures.soc2.evidence);
    const of = (id: string) => results.find((r) => r.id === id)!;
    expect(of("CC6.1").evidence).toBe("Shared administrator accounts are still used on the legacy billing database.");
    expect(of("CC3.2").evidence).toBe("A formal risk assessment has not been performed since 2021.");
    expect(of("C1.1").evidence).toBe("A data classification policy is in draft.");
  });

  it("counts the statuses", () => {
    const results = evaluate(checklists.gdpr.controls, fixtures.gdpr.evidence);
    expect(score(results)).toEqual({ met: 10, partial: 2, notMet: 2, noEvidence: 2 });
  });
});

const mfa: Control = {
  id: "T1",
  title: "MFA",
  met: [[/\b(mfa|multi-factor)\b/i, /\b(enforced|required)\b/i]],
  partial: [/\bmfa\b/i],
  notMet: [/\bshared (\w+ )?accounts\b/i],
  recommendation: "Enforce MFA.",
};
const statusOf = (evidence: string) => evaluate([mfa], evidence)[0]!;

describe("a control's status", () => {
  it.each([
    ["MFA is enforced for all staff.", "met"],
    ["MFA is not enforced.", "not_met"],
    ["We don't require MFA.", "not_met"],
    ["No MFA on the VPN.", "not_met"],
    ["Shared admin accounts exist.", "not_met"],
    ["Shared accounts are prohibited.", "met"],
    ["No shared accounts are allowed.", "met"],
    ["MFA is available to those who want it.", "partial"],
    ["MFA enforcement is planned for Q3: MFA will be required.", "partial"],
    ["MFA is required for the console but not required for the VPN.", "partial"],
    ["MFA is not yet required.", "partial"],
    ["The canteen opens at 8.", "no_evidence"],
  ] as const)("%s → %s", (evidence, status) => {
    expect(statusOf(evidence).status).toBe(status);
  });

  it("lets a negation beat a positive on its own statement only", () => {
    expect(statusOf("MFA is enforced for all staff.\nShared accounts are used on the build server.").status).toBe("partial");
    expect(statusOf("MFA is enforced for all staff. Shared accounts are used on the build server.").evidence).toBe(
      "Shared accounts are used on the build server.",
    );
  });

  it("counts weaker evidence only when nothing shows the control met", () => {
    expect(statusOf("MFA is required for everyone.\nThe MFA app is Okta Verify.").status).toBe("met");
  });

  it("clips a long excerpt", () => {
    const result = statusOf(`MFA is enforced ${"on every system we run ".repeat(20)}`);
    expect(result.evidence).toHaveLength(200);
    expect(result.evidence!.endsWith("…")).toBe(true);
  });
});

describe("statements", () => {
  it("splits lines and sentences and drops bullets", () => {
    expect(statements("- MFA is on. Backups run nightly.\n\n2) Logs are kept\n* Art. 32 applies")).toEqual([
      "MFA is on.",
      "Backups run nightly.",
      "Logs are kept",
      "Art. 32 applies",
    ]);
  });

  it("cuts an endless line in pieces, so 100 KB on one line is read quickly", () => {
    const line = "former employees keep their laptops and nothing else ".repeat(2000);
    expect(statements(line).every((s) => s.length <= 500)).toBe(true);
    const started = performance.now();
    for (const framework of auditFrameworks) evaluate(checklists[framework].controls, line.slice(0, 100 * 1024));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
