import { describe, expect, it } from "vitest";
import { fieldsOf, readForm } from "./schema-form.ts";

// The shape zod's toJSONSchema gives the agents' inputs (platform/src/agents/catalogue.ts).
const schema = {
  type: "object",
  properties: {
    ticket: { type: "string", minLength: 1, maxLength: 8000, title: "Ticket", description: "The customer's message" },
    subject: { type: "string", maxLength: 200, title: "Subject" },
    from: { type: "string", enum: ["csv", "json"], title: "From" },
    affectedUsers: { type: "integer", minimum: 0 },
    constraints: { type: "array", maxItems: 10, items: { type: "string", maxLength: 300 }, title: "Constraints" },
    zeroDowntime: { type: "boolean", title: "No downtime" },
    options: {
      default: { clean: true },
      type: "object",
      title: "Options",
      properties: { clean: { type: "boolean", default: true, title: "Clean" } },
    },
    maxSteps: { type: "integer", default: 3, minimum: 1, maximum: 5 },
    extra: { type: "object", additionalProperties: {} },
  },
  required: ["ticket", "from", "maxSteps"],
};

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
};

describe("fieldsOf", () => {
  it("picks a control for each property, with its title, limits and whether it is required", () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ["ticket", "textarea", true],
      ["subject", "text", false],
      ["from", "select", true],
      ["affectedUsers", "number", false],
      ["constraints", "list", false],
      ["zeroDowntime", "checkbox", false],
      ["options", "group", false],
      // A default makes a required property optional: the platform fills it in.
      ["maxSteps", "number", false],
      ["extra", "json", false],
    ]);
    expect(fields[3]!.label).toBe("Affected users");
    const group = fields[6]!;
    expect(group.kind === "group" && group.fields.map((f) => [f.path, f.kind === "checkbox" && f.defaultValue])).toEqual([["options.clean", true]]);
  });
});

describe("readForm", () => {
  it("types what was posted and leaves empty optional fields out", () => {
    const read = readForm(
      fieldsOf(schema),
      form({
        "input.ticket": "  It broke  ",
        "input.subject": "",
        "input.from": "csv",
        "input.affectedUsers": "12",
        "input.constraints": "one\n\n two \n",
        "input.extra": '{"a":1}',
      }),
    );
    expect(read.errors).toEqual({});
    expect(read.input).toEqual({
      ticket: "It broke",
      from: "csv",
      affectedUsers: 12,
      constraints: ["one", "two"],
      zeroDowntime: false,
      options: { clean: false },
      extra: { a: 1 },
    });
    expect(read.values["input.ticket"]).toBe("  It broke  ");
  });

  it("reads a checkbox as whether it was sent", () => {
    const read = readForm(fieldsOf(schema), form({ "input.zeroDowntime": "on", "input.options.clean": "on" }));
    expect(read.input).toMatchObject({ zeroDowntime: true, options: { clean: true } });
    expect(read.values["input.options.clean"]).toBe("on");
  });

  it("names JSON that does not parse, by its field", () => {
    expect(readForm(fieldsOf(schema), form({ "input.extra": "{nope" })).errors).toEqual({ "input.extra": ["is not valid JSON"] });
  });
});
