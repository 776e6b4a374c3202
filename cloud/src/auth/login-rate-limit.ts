import type { Redis } from 'ioredis';

export interface LoginRateLimits {
  /** Login attempts allowed per account within one window; a successful login resets the count. */
  accountFailures: number;
  /** Login attempts, failed or not, allowed per client IP within one window. */
  ipAttempts: number;
  windowMs: number;
}

/** Ten failures per account and 100 attempts per IP in 15 minutes. */
export const defaultLoginRateLimits: LoginRateLimits = { accountFailures: 10, ipAttempts: 100, windowMs: 15 * 60 * 1000 };

export type RateLimitCheck = { allowed: true } | { allowed: false; retryAfterS: number; limitedBy: 'account' | 'ip' };

/**
 * Counts login attempts in Redis in fixed windows: one counter per client IP (every attempt) and one per
 * account (every attempt too, cleared by a successful login, so it contains the failures since the
 * last success). The window starts with the first count. Both counters are raised before the password is
 * checked: a counter raised only after a failed check lets parallel guesses all pass the check first.
 */
export class LoginRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: LoginRateLimits = defaultLoginRateLimits,
  ) {}

  private accountKey(email: string): string {
    return `${this.prefix}ratelimit:login:account:${email.toLowerCase()}`;
  }

  private ipKey(ip: string): string {
    return `${this.prefix}ratelimit:login:ip:${ip}`;
  }

  /** Counts an attempt on `email` from `ip` and returns whether it may go ahead. */
  async begin(email: string, ip: string): Promise<RateLimitCheck> {
    const ipKey = this.ipKey(ip);
    const accountKey = this.accountKey(email);
    const results = await this.redis
      .multi()
      .incr(ipKey)
      .pexpire(ipKey, this.limits.windowMs, 'NX')
      .pttl(ipKey)
      .incr(accountKey)
      .pexpire(accountKey, this.limits.windowMs, 'NX')
      .pttl(accountKey)
      .exec();
    if (!results) throw new Error('Redis transaction for the login rate limit was aborted');
    const [ipCount, , ipTtl, accountCount, , accountTtl] = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    if (Number(accountCount) > this.limits.accountFailures) {
      return { allowed: false, retryAfterS: retryAfterS(Number(accountTtl)), limitedBy: 'account' };
    }
    if (Number(ipCount) > this.limits.ipAttempts) {
      return { allowed: false, retryAfterS: retryAfterS(Number(ipTtl)), limitedBy: 'ip' };
    }
    return { allowed: true };
  }

  /** Clears the account's count after a successful login. */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }
}

function retryAfterS(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
