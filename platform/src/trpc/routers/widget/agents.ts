import { inputSchemaOf } from "../../../agents/catalogue.ts";
import { widgetAgents } from "../../../agents/service.ts";
import { visitorProcedure } from "../../procedures.ts";

/** The agents the tenant offers in the widget, each with its form (JSON Schema) and the visitor's free runs left. */
export const widgetAgentsProcedure = visitorProcedure.query(async ({ ctx }) => ({
  agents: (await widgetAgents(ctx.deps, ctx.tenant.id, ctx.visitor)).map(({ agent, freeRuns, remaining, afterTrial }) => ({
    id: agent.id,
    name: agent.name,
    description: agent.description,
    credits: agent.credits,
    inputSchema: inputSchemaOf(agent.id),
    trial: { freeRuns, remaining },
    // What follows the free runs: the widget's call to action, or runs the tenant pays for.
    afterTrial,
  })),
}));
