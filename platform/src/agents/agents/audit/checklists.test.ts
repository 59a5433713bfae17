import { auditFrameworks } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { checklists } from "./checklists.ts";

describe("the checklists", () => {
  for (const framework of auditFrameworks) {
    const { controls } = checklists[framework];

    it(`${framework}: 12 to 20 controls, each id once, each with a title and a recommendation`, () => {
      expect(controls.length).toBeGreaterThanOrEqual(12);
      expect(controls.length).toBeLessThanOrEqual(20);
      expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
      for (const c of controls) {
        expect(c.title.length).toBeGreaterThan(5);
        expect(c.recommendation.length).toBeGreaterThan(20);
        expect(c.met.length).toBeGreaterThan(0);
      }
    });

    it(`${framework}: every pattern is case-insensitive and stateless`, () => {
      const patterns = controls.flatMap((c) => [...c.met, ...(c.partial ?? []), ...(c.notMet ?? [])].flatMap((s) => (s instanceof RegExp ? [s] : [...s])));
      // 0.0.0.0/0 has no letters to fold.
      for (const p of patterns) if (/[a-z]/i.test(p.source)) expect(p.flags, String(p)).toContain("i");
      for (const p of patterns) expect(p.flags, String(p)).not.toMatch(/[gy]/);
    });
  }

  it("cites the frameworks' own references", () => {
    expect(checklists.soc2.controls.map((c) => c.id)).toEqual(expect.arrayContaining(["CC6.1", "CC6.6", "CC7.2", "CC8.1", "A1.2"]));
    expect(checklists.gdpr.controls.map((c) => c.id)).toEqual(
      expect.arrayContaining(["Art. 5(1)(e)", "Art. 25", "Art. 30", "Art. 32", "Art. 33", "Art. 35", "Art. 37"]),
    );
    expect(checklists.hipaa.controls.map((c) => c.id)).toEqual(
      expect.arrayContaining(["164.308(a)(1)(ii)(A)", "164.312(a)(2)(iv)", "164.312(b)", "164.316(b)(1)"]),
    );
  });
});
