/** Wrong setup codes allowed within WRONG_CODE_WINDOW_MS before the setup page locks. */
export const MAX_WRONG_CODES = 5;

/** Length of the sliding window in which wrong setup codes count. */
export const WRONG_CODE_WINDOW_MS = 15 * 60_000;

/**
 * Limits wrong setup codes for the whole node, not per client address, so guessing from many addresses
 * is as slow as from one: at most `maxFailures` within a sliding `windowMs`. At 5 per 15 minutes,
 * trying all 10^8 codes takes over 500 years. The count lives in memory, so a restart resets it.
 */
export class SetupCodeAttempts {
  private failuresMs: number[] = [];

  constructor(
    private readonly maxFailures = MAX_WRONG_CODES,
    private readonly windowMs = WRONG_CODE_WINDOW_MS,
  ) {}

  /** Time in epoch ms from which a code may be tried again, or null when attempts are allowed now. */
  blockedUntilMs(nowMs: number): number | null {
    this.failuresMs = this.failuresMs.filter((atMs) => nowMs - atMs < this.windowMs);
    if (this.failuresMs.length < this.maxFailures) return null;
    return this.failuresMs[this.failuresMs.length - this.maxFailures]! + this.windowMs;
  }

  /** Wrong codes that may still be entered at `nowMs` before the lock starts. */
  remaining(nowMs: number): number {
    this.failuresMs = this.failuresMs.filter((atMs) => nowMs - atMs < this.windowMs);
    return Math.max(0, this.maxFailures - this.failuresMs.length);
  }

  recordFailure(nowMs: number): void {
    this.failuresMs.push(nowMs);
  }
}
