import { collectDefaultMetrics, Counter, Histogram, Registry, type Metric } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: LabeledHistogram<"method" | "route" | "status">;
  credits: {
    granted: Counter<"kind">;
    spent: Counter<"kind">;
    refused: Counter<"reason">;
  };
  trialRuns: Counter<"result">;
  rateLimited: Counter<"limit">;
  llm: {
    calls: Counter<"model" | "outcome">;
    errors: Counter<"class">;
    retries: Counter<"class">;
    firstToken: Histogram<"model">;
    tokens: Counter<"model" | "type">;
    costUsd: Counter<"model">;
  };
}

/** One registry per app instance, so tests can run several instances in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new LabeledHistogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by route template and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    credits: {
      granted: new Counter({
        name: "credits_granted_total",
        help: "Credits added, by kind (grant, purchase, refund)",
        labelNames: ["kind"] as const,
        registers,
      }),
      spent: new Counter({ name: "credits_spent_total", help: "Credits taken, by kind (debit, settle, clawback)", labelNames: ["kind"] as const, registers }),
      refused: new Counter({ name: "credits_refused_total", help: "Charges refused, by reason", labelNames: ["reason"] as const, registers }),
    },
    trialRuns: new Counter({
      name: "trial_runs_total",
      help: "Visitor trial runs, by result (used, or why refused)",
      labelNames: ["result"] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: "rate_limit_refusals_total",
      help: "Requests refused by a rate limit, by limit",
      labelNames: ["limit"] as const,
      registers,
    }),
    llm: {
      calls: new Counter({
        name: "llm_calls_total",
        help: "Model calls, by model and outcome (ok, error), retries included in one call",
        labelNames: ["model", "outcome"] as const,
        registers,
      }),
      errors: new Counter({
        name: "llm_errors_total",
        help: "Failed model attempts, by class (rate_limited, overloaded, server, timeout, ...)",
        labelNames: ["class"] as const,
        registers,
      }),
      retries: new Counter({
        name: "llm_retries_total",
        help: "Model attempts retried, by the class of the failure",
        labelNames: ["class"] as const,
        registers,
      }),
      firstToken: new Histogram({
        name: "llm_first_token_seconds",
        help: "From the start of a call to its first streamed text, retries included",
        labelNames: ["model"] as const,
        buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 30],
        registers,
      }),
      tokens: new Counter({
        name: "llm_tokens_total",
        help: "Tokens, by model and type (input, output, cache_write, cache_read)",
        labelNames: ["model", "type"] as const,
        registers,
      }),
      costUsd: new Counter({
        name: "llm_cost_dollars_total",
        help: "What model calls cost, in dollars, from the price table",
        labelNames: ["model"] as const,
        registers,
      }),
    },
  };
}

interface SeriesValue {
  labels: { le?: number | string };
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

interface Series {
  labels: Record<string, string>;
  /** Per bucket, not cumulative; an observation above the last bound is only in `count` (le="+Inf"). */
  buckets: Float64Array;
  sum: number;
  count: number;
  /** Made with the series: what `labels()` hands out, so that finding a series allocates nothing. */
  child: { observe(value: number): void };
}

/**
 * A histogram for the hot path, scraped like prom-client's. prom-client's Histogram validates and hashes the label
 * set on every observe() (a few µs amid a small request's work); here a label set is resolved once, by labels(),
 * and an observation is a bucket search and three additions. Same registry, same exposition (le first, then the
 * labels in labelNames order; buckets cumulative; +Inf, _sum and _count).
 */
export class LabeledHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram" as const;
  readonly aggregator = "sum" as const;
  readonly labelNames: readonly L[];
  private readonly upperBounds: readonly number[];
  private series = new Map<string, Series>();

  constructor(config: { name: string; help: string; labelNames: readonly L[]; buckets: number[]; registers: Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.upperBounds = [...config.buckets].sort((a, b) => a - b);
    // Not a prom-client class, but it has what a registry reads: name, help, type, aggregator, get(), reset().
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series for these label values (in labelNames order), made on first use. */
  labels(...values: string[]): { observe(value: number): void } {
    if (values.length !== this.labelNames.length) throw new Error(`${this.name} takes ${this.labelNames.length} label values`);
    const key = values.join("\u0000");
    const found = this.series.get(key);
    if (found) return found.child;
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => {
      labels[name] = values[i]!;
    });
    const bounds = this.upperBounds;
    const s: Series = {
      labels,
      buckets: new Float64Array(bounds.length),
      sum: 0,
      count: 0,
      child: {
        observe(value: number) {
          if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
          let i = 0;
          while (i < bounds.length && value > bounds[i]!) i++;
          if (i < bounds.length) s.buckets[i]!++;
          s.sum += value;
          s.count++;
        },
      },
    };
    this.series.set(key, s);
    return s.child;
  }

  /** What the registry prints from: the label set kept apart, as prom-client's own histograms give it. */
  async getForPromString() {
    const values: SeriesValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += s.buckets[i]!;
        values.push({ labels: { le }, sharedLabels: s.labels, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: bucketName });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** For getMetricsAsJSON: each value's labels with the label set merged in. */
  async get() {
    const metric = await this.getForPromString();
    return { ...metric, values: metric.values.map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.series = new Map();
  }
}
