/** A limit of `maxAttempts` within a fixed window of `windowMs`. */
export interface RateLimitRule {
  maxAttempts: number;
  windowMs: number;
}

/**
 * Per client address: 20 login attempts a minute. Per account: 5 failed attempts in 15 minutes, so
 * guessing one password is slow even from many addresses. Both are estimates for an installer's laptop
 * and a handful of dashboard users per site, not measured numbers.
 */
export const DEFAULT_LOGIN_LIMITS = {
  perAddress: { maxAttempts: 20, windowMs: 60_000 },
  perAccount: { maxAttempts: 5, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;

/** Entries kept before expired windows are pruned, which bounds memory under a flood of names. */
const PRUNE_THRESHOLD = 10_000;

interface Window {
  startMs: number;
  count: number;
}

/** Fixed-window counters kept in memory, so a restart of the edge resets them. */
class WindowCounter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly rule: RateLimitRule) {}

  /** Seconds until `key` may try again, or 0 when it is under the limit. */
  retryAfterS(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (!window || nowMs - window.startMs >= this.rule.windowMs || window.count < this.rule.maxAttempts) return 0;
    return Math.max(1, Math.ceil((window.startMs + this.rule.windowMs - nowMs) / 1000));
  }

  add(key: string, nowMs: number): void {
    if (this.windows.size >= PRUNE_THRESHOLD) this.prune(nowMs);
    const window = this.windows.get(key);
    if (!window || nowMs - window.startMs >= this.rule.windowMs) this.windows.set(key, { startMs: nowMs, count: 1 });
    else window.count++;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.startMs >= this.rule.windowMs) this.windows.delete(key);
  }
}

/** Login attempt limits per client address and per account name; the clock is injectable for tests. */
export class LoginRateLimiter {
  private readonly perAddress: WindowCounter;
  private readonly perAccount: WindowCounter;

  constructor(
    limits: { perAddress: RateLimitRule; perAccount: RateLimitRule } = DEFAULT_LOGIN_LIMITS,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.perAddress = new WindowCounter(limits.perAddress);
    this.perAccount = new WindowCounter(limits.perAccount);
  }

  /** Counts an attempt from `address` and returns the seconds to wait, or 0 when the attempt may proceed. */
  checkAttempt(address: string, account: string): number {
    const now = this.nowMs();
    const wait = Math.max(this.perAddress.retryAfterS(address, now), this.perAccount.retryAfterS(account.toLowerCase(), now));
    if (wait === 0) this.perAddress.add(address, now);
    return wait;
  }

  recordFailure(account: string): void {
    this.perAccount.add(account.toLowerCase(), this.nowMs());
  }

  recordSuccess(account: string): void {
    this.perAccount.reset(account.toLowerCase());
  }
}
