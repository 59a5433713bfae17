import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  agents,
  allowedOrigin,
  apiKeyPattern,
  CREDIT_PRICE_USD,
  creditPackages,
  dataProcessorInput,
  findAgent,
  securityScannerInput,
  tenantId,
} from "./index.ts";

describe("catalogue", () => {
  it("lists the ten agents at the brief's prices", () => {
    expect(Object.fromEntries(agents.map((a) => [a.id, a.credits]))).toEqual({
      "ticket-resolver": 3,
      "security-scanner": 5,
      "knowledge-base": 4,
      "incident-responder": 6,
      "data-processor": 5,
      "deployment-agent": 7,
      "audit-agent": 6,
      "report-generator": 5,
      "workflow-orchestrator": 8,
      "escalation-manager": 6,
    });
  });

  it("gives every agent a one-line description and input and output schemas that JSON Schema can carry", () => {
    for (const agent of agents) {
      expect(agent.description.length, agent.id).toBeLessThanOrEqual(120);
      expect(agent.description).not.toContain("\n");
      const input = z.toJSONSchema(agent.input, { io: "input" }) as { type: string; properties: Record<string, { title?: string }> };
      expect(input.type, agent.id).toBe("object");
      // Forms are drawn from these: every field has a label.
      for (const [name, field] of Object.entries(input.properties)) expect(field.title, `${agent.id}.${name}`).toBeTruthy();
      expect(() => z.toJSONSchema(agent.output, { io: "output", unrepresentable: "any" })).not.toThrow();
    }
  });

  it("finds agents by id, own ids only", () => {
    expect(findAgent("data-processor")?.credits).toBe(5);
    expect(findAgent("constructor")).toBeUndefined();
    expect(findAgent("toString")).toBeUndefined();
  });

  it("applies the input defaults and size limits the product promises", () => {
    const parsed = dataProcessorInput.parse({ data: "a,b\n1,2", from: "csv", to: "json" });
    expect(parsed.options).toEqual({ inferTypes: true, clean: true });
    // 200 KB of content is the limit, in bytes: 70,000 three-byte characters are 210,000 bytes.
    expect(securityScannerInput.safeParse({ content: "€".repeat(70_000) }).success).toBe(false);
    expect(securityScannerInput.safeParse({ content: "€".repeat(60_000) }).success).toBe(true);
  });

  it("gives the larger packages their 20/40/60 % bonus over the unit price", () => {
    const bonus = creditPackages.map((p) => Math.round(((p.credits * CREDIT_PRICE_USD) / p.usd) * 100) - 100);
    expect(bonus).toEqual([0, 20, 40, 60]);
  });
});

describe("formats", () => {
  it("accepts exact and wildcard origins and refuses paths and other schemes", () => {
    for (const ok of ["https://shop.example.com", "http://localhost:3000", "https://*.example.com"]) {
      expect(allowedOrigin.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ["https://example.com/", "https://example.com/x", "ftp://example.com", "*.example.com", "https://*"]) {
      expect(allowedOrigin.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("recognises key and id shapes", () => {
    expect(apiKeyPattern.test(`sk_live_${"a".repeat(39)}`)).toBe(true);
    expect(apiKeyPattern.test(`sk_prod_${"a".repeat(39)}`)).toBe(false);
    expect(tenantId.safeParse(`ten_${"a".repeat(26)}`).success).toBe(true);
    expect(tenantId.safeParse(`usr_${"a".repeat(26)}`).success).toBe(false);
  });
});
