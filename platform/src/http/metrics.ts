import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  credits: {
    granted: Counter<"kind">;
    spent: Counter<"kind">;
    refused: Counter<"reason">;
  };
  trialRuns: Counter<"result">;
  rateLimited: Counter<"limit">;
}

/** One registry per app instance, so tests can run several instances in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by route template and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    credits: {
      granted: new Counter({ name: "credits_granted_total", help: "Credits added, by kind (grant, purchase, refund)", labelNames: ["kind"] as const, registers }),
      spent: new Counter({ name: "credits_spent_total", help: "Credits taken, by kind (debit, settle, clawback)", labelNames: ["kind"] as const, registers }),
      refused: new Counter({ name: "credits_refused_total", help: "Charges refused, by reason", labelNames: ["reason"] as const, registers }),
    },
    trialRuns: new Counter({ name: "trial_runs_total", help: "Visitor trial runs, by result (used, or why refused)", labelNames: ["result"] as const, registers }),
    rateLimited: new Counter({ name: "rate_limit_refusals_total", help: "Requests refused by a rate limit, by limit", labelNames: ["limit"] as const, registers }),
  };
}
