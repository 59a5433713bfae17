import type { AgentId } from "@bizbot/shared";
import type { AgentContext, AgentDefinition } from "../definition.ts";
import { ticketResolver } from "./ticket-resolver.ts";
import { securityScanner } from "./security-scanner.ts";
import { knowledgeBase } from "./knowledge-base.ts";
import { incidentResponder } from "./incident-responder.ts";
import { dataProcessor } from "./data-processor.ts";
import { deploymentAgent } from "./deployment-agent.ts";
import { auditAgent } from "./audit-agent.ts";
import { reportGenerator } from "./report-generator.ts";
import { workflowOrchestrator } from "./workflow-orchestrator.ts";
import { escalationManager } from "./escalation-manager.ts";

/** An agent as the runner drives it: input and output checked by the catalogue's schemas around `run`. */
export type RunnableAgent = Omit<AgentDefinition, "run"> & { run(input: unknown, ctx: AgentContext): Promise<unknown> };

/** Every agent's definition, by id. */
const definitions: { [Id in AgentId]: AgentDefinition<Id> } = {
  "ticket-resolver": ticketResolver,
  "security-scanner": securityScanner,
  "knowledge-base": knowledgeBase,
  "incident-responder": incidentResponder,
  "data-processor": dataProcessor,
  "deployment-agent": deploymentAgent,
  "audit-agent": auditAgent,
  "report-generator": reportGenerator,
  "workflow-orchestrator": workflowOrchestrator,
  "escalation-manager": escalationManager,
};

export function definitionOf(id: AgentId): RunnableAgent {
  return definitions[id] as unknown as RunnableAgent;
}
