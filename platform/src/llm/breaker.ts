/**
 * A circuit breaker: after `threshold` failures in a row the circuit opens and calls fail at once, without waiting
 * on a provider that is down; after `cooldownMs` one trial call goes through (half-open), and its outcome closes or
 * reopens the circuit.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(
    private readonly threshold = 5,
    private readonly cooldownMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): "closed" | "open" | "half-open" {
    if (this.failures < this.threshold) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }

  /** Whether a call may go ahead now; in half-open, only one at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  /** The call ended without telling anything of the provider (cancelled, refused as invalid): a half-open trial may go again. */
  released(): void {
    this.trialInFlight = false;
  }

  failed(): void {
    this.failures++;
    this.trialInFlight = false;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}
