/** The agent catalogue and prices from the product brief. One credit is $0.04. */
export const CREDIT_PRICE_USD = 0.04;

export const agents = [
  { id: "ticket-resolver", name: "Ticket Resolver", credits: 3 },
  { id: "security-scanner", name: "Security Scanner", credits: 5 },
  { id: "knowledge-base", name: "Knowledge Base Agent", credits: 4 },
  { id: "incident-responder", name: "Incident Responder", credits: 6 },
  { id: "data-processor", name: "Data Processor", credits: 5 },
  { id: "deployment-agent", name: "Deployment Agent", credits: 7 },
  { id: "audit-agent", name: "Audit Agent", credits: 6 },
  { id: "report-generator", name: "Report Generator", credits: 5 },
  { id: "workflow-orchestrator", name: "Workflow Orchestrator", credits: 8 },
  { id: "escalation-manager", name: "Escalation Manager", credits: 6 },
] as const;

export type AgentId = (typeof agents)[number]["id"];

/** One-time packages and monthly tiers share these sizes; the larger ones carry a bonus over $0.04 a credit. */
export const creditPackages = [
  { id: "starter", usd: 20, credits: 500 },
  { id: "professional", usd: 50, credits: 1500 },
  { id: "business", usd: 100, credits: 3500 },
  { id: "enterprise", usd: 250, credits: 10000 },
] as const;
