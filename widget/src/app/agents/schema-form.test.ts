import { describe, expect, it } from "vitest";
import { STRINGS } from "../strings.ts";
import { type Field, fieldsOf, humanize, initialValues, toInput, validate } from "./schema-form.ts";

// Verbatim from the platform's catalogue (platform/src/agents/catalogue.ts inputSchemaOf).
const ticketResolver = {
  type: "object",
  properties: {
    ticket: { type: "string", minLength: 1, maxLength: 8000, title: "Ticket", description: "The customer's message, as they wrote it" },
    subject: { type: "string", minLength: 1, maxLength: 200, title: "Subject" },
    product: { type: "string", minLength: 1, maxLength: 120, title: "Product", description: "The product or plan the ticket is about" },
  },
  required: ["ticket"],
  additionalProperties: false,
};
const dataProcessor = {
  type: "object",
  properties: {
    data: { type: "string", minLength: 1, maxLength: 1048576, title: "Data", description: "CSV, JSON or XML, up to 1 MB" },
    from: { type: "string", enum: ["csv", "json", "xml"], title: "From" },
    to: { type: "string", enum: ["csv", "json", "xml"], title: "To" },
    options: {
      default: { inferTypes: true, clean: true },
      title: "Options",
      type: "object",
      properties: {
        inferTypes: { default: true, title: "Infer types", description: "Numbers and booleans become typed values in JSON", type: "boolean" },
        clean: { default: true, title: "Clean", description: "Trim, drop duplicate rows, normalise dates, numbers and e-mails", type: "boolean" },
      },
      additionalProperties: false,
    },
  },
  required: ["data", "from", "to"],
  additionalProperties: false,
};
const incidentResponder = {
  type: "object",
  properties: {
    description: { type: "string", minLength: 1, maxLength: 8000, title: "What is happening" },
    affectedUsers: { type: "integer", minimum: 0, maximum: 1000000000, title: "Users affected" },
  },
  required: ["description"],
};
const knowledgeBase = {
  type: "object",
  properties: {
    question: { type: "string", minLength: 1, maxLength: 2000, title: "Question" },
    relatedQuestions: { maxItems: 2, type: "array", items: { type: "string", minLength: 1, maxLength: 10 }, title: "Related questions" },
  },
  required: ["question"],
};
const escalation = {
  type: "object",
  properties: {
    customerEmail: { type: "string", maxLength: 254, format: "email", pattern: "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", title: "Customer e-mail" },
    extra: { type: "object" },
    mystery: {},
  },
};
const s = STRINGS.en;

describe("fieldsOf", () => {
  it("maps strings by length, enums to choices, booleans, integers, lists and nested objects", () => {
    expect(fieldsOf(ticketResolver).map((f) => [f.name, f.kind, f.label, f.required])).toEqual([
      ["ticket", "textarea", "Ticket", true],
      ["subject", "text", "Subject", false],
      ["product", "text", "Product", false],
    ]);
    const data = fieldsOf(dataProcessor);
    expect(data.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["data", "textarea", true],
      ["from", "select", true],
      ["to", "select", true],
      ["options", "group", false],
    ]);
    const options = data[3] as Extract<Field, { kind: "group" }>;
    expect(options.fields.map((f) => [f.name, f.kind, f.label, f.required, f.description !== undefined])).toEqual([
      ["options.inferTypes", "checkbox", "Infer types", false, true],
      ["options.clean", "checkbox", "Clean", false, true],
    ]);
    expect(fieldsOf(incidentResponder)[1]).toMatchObject({ kind: "number", integer: true, minimum: 0, label: "Users affected" });
    expect(fieldsOf(knowledgeBase)[1]).toMatchObject({ kind: "list", maxItems: 2, itemMaxLength: 10 });
    expect(fieldsOf(escalation).map((f) => f.kind)).toEqual(["email", "json", "json"]);
    expect(humanize("affectedUsers")).toBe("Affected users");
    expect(humanize("customer_email")).toBe("Customer email");
  });
});

describe("initialValues, validate and toInput", () => {
  it("starts from the schema's defaults, required choices on their first option", () => {
    expect(initialValues(fieldsOf(dataProcessor))).toEqual({ data: "", from: "csv", to: "csv", "options.inferTypes": true, "options.clean": true });
  });

  it("checks what the schema limits, in the visitor's words", () => {
    const fields = fieldsOf(ticketResolver);
    expect(validate(fields, initialValues(fields), s)).toEqual({ ticket: "This field is required." });
    expect(validate(fields, { ticket: "   " }, s)).toEqual({ ticket: "This field is required." });
    expect(validate(fields, { ticket: "x".repeat(8001), subject: "y".repeat(201) }, s)).toEqual({
      ticket: "Use at most 8000 characters.",
      subject: "Use at most 200 characters.",
    });
    const numbers = fieldsOf(incidentResponder);
    expect(validate(numbers, { description: "Down", affectedUsers: "1.5" }, s)).toEqual({ affectedUsers: "Enter a whole number." });
    expect(validate(numbers, { description: "Down", affectedUsers: "-1" }, s)).toEqual({ affectedUsers: "Enter 0 or more." });
    expect(validate(numbers, { description: "Down", affectedUsers: "many" }, s)).toEqual({ affectedUsers: "Enter a number." });
    const list = fieldsOf(knowledgeBase);
    expect(validate(list, { question: "Q", relatedQuestions: "a\nb\nc" }, s)).toEqual({ relatedQuestions: "Enter at most 2 lines." });
    expect(validate(list, { question: "Q", relatedQuestions: "short\nmuch too long" }, s)).toEqual({
      relatedQuestions: "Each line can be at most 10 characters.",
    });
    const mail = fieldsOf(escalation);
    expect(validate(mail, { customerEmail: "not-an-address", extra: "{", mystery: "" }, s)).toEqual({
      customerEmail: "Check the format of this field.",
      extra: "Enter valid JSON.",
    });
    expect(validate(fieldsOf(dataProcessor), { data: "a,b", from: "yaml", to: "csv" }, STRINGS.de)).toEqual({ from: "Prüfen Sie das Format dieses Felds." });
  });

  it("builds the run's input: typed values, nested objects, lists, and no empty optional fields", () => {
    expect(toInput(fieldsOf(ticketResolver), { ticket: "My order is late", subject: "  ", product: "" })).toEqual({ ticket: "My order is late" });
    expect(toInput(fieldsOf(dataProcessor), { data: "a,b\n1,2", from: "csv", to: "json", "options.inferTypes": false, "options.clean": true })).toEqual({
      data: "a,b\n1,2",
      from: "csv",
      to: "json",
      options: { inferTypes: false, clean: true },
    });
    expect(toInput(fieldsOf(incidentResponder), { description: "Down", affectedUsers: "40" })).toEqual({ description: "Down", affectedUsers: 40 });
    expect(toInput(fieldsOf(knowledgeBase), { question: "Q", relatedQuestions: " a \n\n b\n" })).toEqual({ question: "Q", relatedQuestions: ["a", "b"] });
    expect(toInput(fieldsOf(escalation), { extra: '{"a":1}' })).toEqual({ extra: { a: 1 } });
  });
});
