import { startRun } from "../../../agents/service.ts";
import { runView } from "../../../agents/views.ts";
import { visitorProcedure } from "../../procedures.ts";
import { runInput } from "../agents/schemas.ts";

/**
 * A visitor's run: a free trial run while they last, then the tenant's choice (the paywall: 402 with the trial's
 * state, or the tenant's credits). Progress comes from widget.runEvents.
 */
export const widgetRunAgentProcedure = visitorProcedure.input(runInput).mutation(async ({ ctx, input }) =>
  runView(
    await startRun(ctx.deps, {
      tenantId: ctx.tenant.id,
      agentId: input.agentId,
      input: input.input,
      source: "widget",
      actor: { type: "visitor", id: null },
      visitor: ctx.visitor,
    }),
  ),
);
