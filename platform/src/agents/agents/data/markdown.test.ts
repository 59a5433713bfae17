import { describe, expect, it } from "vitest";
import { executiveSummary, firstTitle } from "./markdown.ts";

describe("reading the report back", () => {
  it("takes the executive summary section, its subsections included, up to the next section", () => {
    const markdown = "# Q3 sales\n\n## Executive Summary\n\nSales rose 12%.\n\n### In short\nKeep going.\n\n## Findings\n\nNorth led.";
    expect(executiveSummary(markdown)).toBe("Sales rose 12%.\n\n### In short\nKeep going.");
    expect(firstTitle(markdown)).toBe("Q3 sales");
  });

  it("falls back to the first paragraph that is not a heading", () => {
    expect(executiveSummary("## Overview\nThe first paragraph.\nStill it.\n\nAnother one.")).toBe("The first paragraph.\nStill it.");
    expect(executiveSummary("## Executive summary\n\n## Findings\nNorth led.")).toBe("North led.");
    expect(firstTitle("## Only a section")).toBeNull();
  });
});
