import { type AgentId, agents, findAgent } from "@bizbot/shared";
import { z } from "zod";
import type { SettingsStore } from "../tenants/settings.ts";

type JsonSchema = Record<string, unknown>;

const inputs = new Map<AgentId, JsonSchema>();
const outputs = new Map<AgentId, JsonSchema>();

const jsonSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

/** What an agent takes, as JSON Schema: the widget and the portal draw their forms from it, without zod. */
export function inputSchemaOf(id: AgentId): JsonSchema {
  let schema = inputs.get(id);
  if (!schema) inputs.set(id, (schema = jsonSchema(findAgent(id)!.input, "input")));
  return schema;
}

export function outputSchemaOf(id: AgentId): JsonSchema {
  let schema = outputs.get(id);
  if (!schema) outputs.set(id, (schema = jsonSchema(findAgent(id)!.output, "output")));
  return schema;
}

/** The catalogue as a tenant sees it: each agent, its price, whether the tenant has it enabled, and its input. */
export async function agentCatalogue(settings: SettingsStore, tenantId: string) {
  const { agents: tenantAgents } = await settings.get(tenantId);
  return agents.map((a) => ({
    id: a.id,
    name: a.name,
    description: a.description,
    credits: a.credits,
    enabled: tenantAgents[a.id].enabled,
    inputSchema: inputSchemaOf(a.id),
  }));
}
