/** Delays of an exponential backoff. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Largest delay, in ms. */
  maxDelayMs: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Random spread as a fraction of the delay, so many clients do not retry in step. Default 0.2. */
  jitter?: number;
}

/** An exponential backoff: each `nextDelayMs` grows by `factor` up to `maxDelayMs` until `reset`. */
export class ExponentialBackoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Returns the delay before the next attempt, in ms, and counts one more failure. */
  nextDelayMs(): number {
    const { initialDelayMs, maxDelayMs, factor = 2, jitter = 0.2 } = this.options;
    const baseMs = Math.min(maxDelayMs, initialDelayMs * factor ** this.failures);
    this.failures++;
    const spreadMs = baseMs * jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(maxDelayMs, baseMs + spreadMs)));
  }

  /** Starts again from the initial delay, after a successful attempt. */
  reset(): void {
    this.failures = 0;
  }
}
