import { getRun, runEvents } from "../../../agents/service.ts";
import { visitorProcedure } from "../../procedures.ts";
import { runIdInput } from "../agents/schemas.ts";

/** A visitor's own run, as it goes (SSE); another visitor's run is not found. */
export const widgetRunEventsProcedure = visitorProcedure.input(runIdInput).subscription(async function* ({ ctx, input, signal }) {
  yield* runEvents(ctx.deps, await getRun(ctx.deps.db, ctx.tenant.id, input.runId, ctx.visitor.hash), signal);
});
