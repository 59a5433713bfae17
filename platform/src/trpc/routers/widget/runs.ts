import { z } from "zod";
import { getRun, runPage } from "../../../agents/service.ts";
import { runView } from "../../../agents/views.ts";
import { visitorProcedure } from "../../procedures.ts";
import { listRunsInput, runIdInput } from "../agents/schemas.ts";

/** The visitor's own runs, newest first. */
export const widgetRunsProcedure = visitorProcedure
  .input(listRunsInput.extend({ limit: z.coerce.number().int().min(1).max(50).default(10) }))
  .query(({ ctx, input }) =>
    runPage(ctx.deps.db, { tenantId: ctx.tenant.id, agentId: input.agentId, visitorHash: ctx.visitor.hash, cursor: input.cursor, limit: input.limit }),
  );

export const widgetRunProcedure = visitorProcedure
  .input(runIdInput)
  .query(async ({ ctx, input }) => runView(await getRun(ctx.deps.db, ctx.tenant.id, input.runId, ctx.visitor.hash)));
