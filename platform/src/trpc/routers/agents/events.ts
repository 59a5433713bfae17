import { getRun, runEvents } from "../../../agents/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { runIdInput } from "./schemas.ts";

/** A run's events, for the portal: where it stands, then each step until it ends. */
export const runEventsProcedure = memberProcedure.input(runIdInput).subscription(async function* ({ ctx, input, signal }) {
  yield* runEvents(ctx.deps, await getRun(ctx.deps.db, ctx.tenant.id, input.runId), signal);
});
