import { describe, expect, it } from "vitest";
import { checklists } from "./checklists.ts";
import { evaluate } from "./evaluate.ts";
import { fixtures } from "./fixtures.ts";
import { type ControlReview, controlRows, coverage } from "./review.ts";

const review = (id: string, risk: ControlReview["risk"] = "low"): ControlReview => ({ id, risk, gap: `gap of ${id}`, recommendation: `do ${id}` });

describe("coverage", () => {
  it("accepts an answer that names every control once", () => {
    const { byId, retry } = coverage(["a", "b"], [review("b"), review("a")]);
    expect(retry).toEqual([]);
    expect([...byId.keys()].sort()).toEqual(["a", "b"]);
  });

  it("asks again for the controls left out or named twice, keeping the first of a pair meanwhile", () => {
    const { byId, retry } = coverage(["a", "b", "c"], [review("a", "high"), review("a", "low")]);
    expect(retry).toEqual(["a", "b", "c"]);
    expect(byId.get("a")!.risk).toBe("high");
  });
});

describe("controlRows", () => {
  const checklist = checklists.hipaa;
  const results = evaluate(checklist.controls, fixtures.hipaa.evidence);

  it("keeps the rules' status and takes the model's review", () => {
    const rows = controlRows(checklist, results, new Map([["164.312(b)", review("164.312(b)", "critical")]]));
    const row = rows.find((r) => r.id === "164.312(b)")!;
    expect(row).toMatchObject({ status: "met", risk: "critical", gap: "gap of 164.312(b)", recommendation: "do 164.312(b)" });
  });

  it("gives a control the model left out the risk its status implies and the checklist's recommendation", () => {
    const rows = controlRows(checklist, results, new Map());
    expect(rows.map((r) => r.id)).toEqual(checklist.controls.map((c) => c.id));
    const by = (id: string) => rows.find((r) => r.id === id)!;
    expect(by("164.308(a)(7)(ii)(B)")).toMatchObject({ status: "not_met", risk: "high", recommendation: expect.stringContaining("disaster recovery plan") });
    expect(by("164.310(d)(2)(i)")).toMatchObject({ status: "no_evidence", risk: "medium", gap: "The evidence says nothing about this control." });
    expect(by("164.312(e)(1)")).toMatchObject({ status: "partial", risk: "medium" });
    expect(by("164.312(b)")).toMatchObject({ status: "met", risk: "low", gap: null, recommendation: null });
  });
});
