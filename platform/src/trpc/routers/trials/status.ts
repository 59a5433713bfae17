import { agents, type AgentId } from "@bizbot/shared";
import { z } from "zod";
import { trialStatus } from "../../../trials/service.ts";
import { visitorProcedure } from "../../procedures.ts";

const agentId = z.enum(agents.map((a) => a.id) as [AgentId, ...AgentId[]]);

/** How many free runs of an agent this visitor has left. */
export const trialStatusProcedure = visitorProcedure.input(z.strictObject({ agentId })).query(async ({ ctx, input }) => {
  const { remaining, freeRuns } = await trialStatus(ctx.deps, ctx.tenant.id, input.agentId, ctx.visitor);
  return { agentId: input.agentId, freeRuns, remaining };
});
