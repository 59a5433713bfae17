import { z } from "zod";
import { runPage } from "../../../agents/service.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { listRunsInput, runOutput } from "./schemas.ts";

export const listRunsProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "GET", path: "/runs", summary: "Runs, newest first; pass nextCursor as cursor for the next page" } })
  .input(listRunsInput)
  .output(z.object({ runs: z.array(runOutput), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => runPage(ctx.deps.db, { tenantId: ctx.tenant.id, agentId: input.agentId, cursor: input.cursor, limit: input.limit }));
