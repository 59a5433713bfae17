import { describe, expect, it } from "vitest";
import { z } from "zod";
import { modelSchema } from "./schema.ts";

describe("modelSchema", () => {
  it("closes every object and drops what structured outputs refuse, saying the limits in words instead", () => {
    const schema = modelSchema(
      z.object({
        title: z.string().max(60).describe("The headline"),
        steps: z
          .array(z.object({ name: z.string().min(1) }))
          .min(2)
          .max(5),
        score: z.int().min(0).max(10),
        owner: z.email().nullable(),
      }),
    );
    const json = JSON.stringify(schema);
    for (const refused of ["maxLength", "minLength", "maxItems", "minimum", "maximum", '"minItems":2']) expect(json).not.toContain(refused);
    expect(json).not.toMatch(/"additionalProperties":(true|\{)/);
    const properties = (schema as { properties: Record<string, { description?: string; items?: { additionalProperties?: boolean } }> }).properties;
    expect(properties.title!.description).toBe("The headline (at most 60 characters)");
    expect(properties.steps!.description).toBe("at most 5 items, at least 2 items");
    expect(properties.steps!.items!.additionalProperties).toBe(false);
    expect(properties.score!.description).toBe("from 0 to 10");
    expect(schema.additionalProperties).toBe(false);
  });
});
