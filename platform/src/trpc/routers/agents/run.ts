import { DomainError } from "../../../errors.ts";
import { runEvents, startRun, waitForRun } from "../../../agents/service.ts";
import { isFinished, runView } from "../../../agents/views.ts";
import { acceptsEventStream, header } from "../../context.ts";
import { tenantProcedure } from "../../procedures.ts";
import { idempotencyHeader, runInput, waitSeconds } from "./schemas.ts";

/**
 * A run for a tenant's server. With `Accept: text/event-stream`, its events as they happen; otherwise the run once
 * finished (200), or as it stands after `wait` seconds (202: read it later at GET /v1/runs/{id}). An
 * `Idempotency-Key` header makes retries safe: the same key and request is the same run, charged once.
 */
export const runAgentProcedure = tenantProcedure
  .meta({
    tier: "tenant",
    rest: {
      method: "POST",
      path: "/agents/{agentId}/runs",
      summary:
        "Run an agent: {input}; 200 with the finished run, 202 while it runs (?wait=N seconds, default 30), or its events with Accept: text/event-stream",
      query: ["wait"],
      headers: { "Idempotency-Key": "Makes retries safe: the same key and body is the same run, charged once; the same key with another body is a 409" },
    },
  })
  .input(runInput.extend({ wait: waitSeconds }))
  .subscription(async function* ({ ctx, input, signal }) {
    const presented = header(ctx.req, "idempotency-key");
    const key = presented === undefined ? undefined : idempotencyHeader.safeParse(presented);
    if (key && !key.success) throw new DomainError("invalid_input", "The Idempotency-Key header must be 1 to 255 printable characters without spaces");
    const run = await startRun(ctx.deps, {
      tenantId: ctx.tenant.id,
      agentId: input.agentId,
      input: input.input,
      source: "api",
      actor: { type: "api_key", id: ctx.key.id },
      idempotencyKey: key?.data,
    });
    if (acceptsEventStream(ctx.req)) {
      yield* runEvents(ctx.deps, run, signal);
      return;
    }
    const latest = await waitForRun(ctx.deps, run, input.wait * 1000);
    if (!isFinished(latest)) ctx.headers.setStatus?.(202);
    yield runView(latest);
  });
