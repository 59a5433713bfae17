import { startRun } from "../../../agents/service.ts";
import { runView } from "../../../agents/views.ts";
import { adminProcedure } from "../../procedures.ts";
import { runInput } from "./schemas.ts";

/** The portal's "run now": the run as queued; its progress comes from agents.events. */
export const startRunProcedure = adminProcedure.input(runInput).mutation(async ({ ctx, input }) =>
  runView(
    await startRun(ctx.deps, {
      tenantId: ctx.tenant.id,
      agentId: input.agentId,
      input: input.input,
      source: "portal",
      actor: { type: "user", id: ctx.actor.id },
    }),
  ),
);
