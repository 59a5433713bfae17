import type { AgentId } from "@bizbot/shared";
import { fixtures } from "../../src/agents/agents/audit/fixtures.ts";

const fake = (...parts: string[]) => parts.join("");

/** A typical input per agent: what a tenant would send on an ordinary day. */
export const TYPICAL: Record<AgentId, unknown> = {
  "ticket-resolver": { subject: "Refund", ticket: "Hi, I sent my order back last Monday and still have no refund. How long does it take? Order 48213." },
  "security-scanner": {
    filename: "server.js",
    content: [
      "const express = require('express');",
      `const AWS_KEY = '${fake("AKIA", "Z7QW", "E3RT", "Y6UI", "O9PX")}';`,
      "const app = express();",
      "app.get('/user', (req, res) => {",
      "  db.query('SELECT * FROM users WHERE id = ' + req.query.id, (err, rows) => res.json(rows));",
      "});",
      "app.post('/calc', (req, res) => res.send(String(eval(req.body.expr))));",
      ...Array.from({ length: 60 }, (_, i) => `function helper${i}(a, b) { return a + b * ${i}; }`),
      "app.listen(3000);",
    ].join("\n"),
  },
  "knowledge-base": {
    question: "How long do refunds take?",
    relatedQuestions: ["Can I change my delivery address?", "How do I turn on two-factor authentication?"],
  },
  "incident-responder": {
    description: "Checkout is failing for many customers since 14:05; payments time out and the error rate on the API is climbing.",
    service: "checkout-api",
    affectedUsers: 800,
    logs: Array.from(
      { length: 60 },
      (_, i) =>
        `2026-12-07T14:${String(5 + Math.floor(i / 10)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z ERROR payment gateway timeout after 30000ms order=${48000 + i} host=10.0.3.${i % 8}`,
    ).join("\n"),
  },
  "data-processor": {
    from: "csv",
    to: "json",
    data: [
      "Name,Email,Joined,Amount",
      ...Array.from({ length: 200 }, (_, i) => ` Customer ${i} ,User${i}@Example.com,2024-0${1 + (i % 9)}-1${i % 9},"${1000 + i}.50"`),
    ].join("\n"),
  },
  "deployment-agent": {
    application: "A Node.js API with a PostgreSQL database and a React front end; about 20 releases a month.",
    stack: "TypeScript, GitHub Actions, Docker",
    target: "kubernetes",
    traffic: "high",
    databaseMigrations: true,
    zeroDowntime: true,
  },
  "audit-agent": { framework: "soc2", evidence: fixtures.soc2.evidence },
  "report-generator": {
    title: "Support in November",
    notes: "Ticket volume rose after the pricing change; first response times held. Summarise for the leadership team.",
    audience: "executive",
    data: [
      "week,tickets,first_response_minutes,satisfaction",
      ...Array.from({ length: 30 }, (_, i) => `2026-11-${String(1 + i).padStart(2, "0")},${120 + i * 3},${30 - (i % 7)},${4 + (i % 10) / 10}`),
    ].join("\n"),
  },
  "workflow-orchestrator": {
    goal: "Answer this customer and route the ticket to the right team.",
    material: "My invoice is wrong and I was charged twice. Please fix it today.",
    maxSteps: 2,
  },
  "escalation-manager": {
    subject: "Charged twice",
    message: "My invoice is wrong and I was charged twice this month.",
    customerEmail: "ceo@bigcustomer.example",
  },
};

/** The orchestrator's plan, as a model would answer it: its answer refers to the agents' inputs, which a schema-shaped filler cannot invent. */
export const WORKFLOW_PLAN = {
  steps: [
    { agentId: "ticket-resolver", purpose: "Draft the customer's answer", input: JSON.stringify({ ticket: "{{material}}" }) },
    { agentId: "escalation-manager", purpose: "Route the ticket", input: JSON.stringify({ message: "{{material}}" }) },
  ],
};

/** The data processor's review of TYPICAL's table, as a model would answer it. */
export const DATA_REVIEW = {
  notes: ["Names carry stray spaces, which cleaning trims.", "Amounts are decimal numbers written as text with a comma-free format."],
  mappings: [
    { from: "Name", to: "name", reason: "Lowercase field names match the usual JSON style." },
    { from: "Joined", to: "joined_at", reason: "The field holds dates." },
  ],
};
