import { getRun } from "../../../agents/service.ts";
import { runView } from "../../../agents/views.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { runIdInput, runOutput } from "./schemas.ts";

export const getRunProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "GET", path: "/runs/{runId}", summary: "A run: its status, output, charge and usage" } })
  .input(runIdInput)
  .output(runOutput)
  .query(async ({ ctx, input }) => runView(await getRun(ctx.deps.db, ctx.tenant.id, input.runId)));
