import type { z } from "zod";
import { auditAgentInput, auditAgentOutput } from "./audit-agent.ts";
import { dataProcessorInput, dataProcessorOutput } from "./data-processor.ts";
import { deploymentAgentInput, deploymentAgentOutput } from "./deployment-agent.ts";
import { escalationManagerInput, escalationManagerOutput } from "./escalation-manager.ts";
import { incidentResponderInput, incidentResponderOutput } from "./incident-responder.ts";
import { knowledgeBaseInput, knowledgeBaseOutput } from "./knowledge-base.ts";
import { reportGeneratorInput, reportGeneratorOutput } from "./report-generator.ts";
import { securityScannerInput, securityScannerOutput } from "./security-scanner.ts";
import { ticketResolverInput, ticketResolverOutput } from "./ticket-resolver.ts";
import { workflowOrchestratorInput, workflowOrchestratorOutput } from "./workflow-orchestrator.ts";

/** The ten agents and their prices (the product brief), with what each takes and gives back. One credit is $0.04. */
export const agents = [
  {
    id: "ticket-resolver",
    name: "Ticket Resolver",
    credits: 3,
    description: "Reads a support ticket, sorts it and drafts a reply from your knowledge base, with sources.",
    input: ticketResolverInput,
    output: ticketResolverOutput,
  },
  {
    id: "security-scanner",
    name: "Security Scanner",
    credits: 5,
    description: "Finds leaked secrets, weak security headers, vulnerable dependencies and injection-prone code.",
    input: securityScannerInput,
    output: securityScannerOutput,
  },
  {
    id: "knowledge-base",
    name: "Knowledge Base Agent",
    credits: 4,
    description: "Answers from your documentation with sources, and drafts FAQ entries for what it does not cover.",
    input: knowledgeBaseInput,
    output: knowledgeBaseOutput,
  },
  {
    id: "incident-responder",
    name: "Incident Responder",
    credits: 6,
    description: "Triages an IT incident: severity, probable causes, first actions, a plan and a status-page draft.",
    input: incidentResponderInput,
    output: incidentResponderOutput,
  },
  {
    id: "data-processor",
    name: "Data Processor",
    credits: 5,
    description: "Converts CSV, JSON and XML, infers the schema, and cleans the data, listing every change.",
    input: dataProcessorInput,
    output: dataProcessorOutput,
  },
  {
    id: "deployment-agent",
    name: "Deployment Agent",
    credits: 7,
    description: "Plans a CI/CD pipeline, picks a rollout strategy with reasons, and writes the rollback procedure.",
    input: deploymentAgentInput,
    output: deploymentAgentOutput,
  },
  {
    id: "audit-agent",
    name: "Audit Agent",
    credits: 6,
    description: "Checks your evidence against SOC 2, GDPR or HIPAA controls and rates the risk of each gap.",
    input: auditAgentInput,
    output: auditAgentOutput,
  },
  {
    id: "report-generator",
    name: "Report Generator",
    credits: 5,
    description: "Turns notes and data into a markdown report with an executive summary and suggested charts.",
    input: reportGeneratorInput,
    output: reportGeneratorOutput,
  },
  {
    id: "workflow-orchestrator",
    name: "Workflow Orchestrator",
    credits: 8,
    description: "Plans a sequence of the other agents for a goal and runs it, passing each result on.",
    input: workflowOrchestratorInput,
    output: workflowOrchestratorOutput,
  },
  {
    id: "escalation-manager",
    name: "Escalation Manager",
    credits: 6,
    description: "Routes a ticket to the right team and priority by your rules, with the reason.",
    input: escalationManagerInput,
    output: escalationManagerOutput,
  },
] as const satisfies ReadonlyArray<{ id: string; name: string; credits: number; description: string; input: z.ZodType; output: z.ZodType }>;

export type Agent = (typeof agents)[number];
export type AgentId = Agent["id"];
export const agentIds = agents.map((a) => a.id) as [AgentId, ...AgentId[]];

export type AgentInput<Id extends AgentId> = z.input<Extract<Agent, { id: Id }>["input"]>;
export type AgentOutput<Id extends AgentId> = z.output<Extract<Agent, { id: Id }>["output"]>;

const byId = new Map<string, Agent>(agents.map((a) => [a.id, a]));

/** The agent of this id, or undefined: ids come from outside. */
export function findAgent(id: string): Agent | undefined {
  return byId.get(id);
}
