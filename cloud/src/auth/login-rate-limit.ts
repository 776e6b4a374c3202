import type { Redis } from 'ioredis';

export interface LoginRateLimits {
  /** Failed logins allowed per account within one window. */
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
 * account (failures only, cleared by a successful login). The window starts with the first count.
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

  /** Counts an attempt from `ip` and says whether it may go ahead. */
  async begin(email: string, ip: string): Promise<RateLimitCheck> {
    const ipKey = this.ipKey(ip);
    const accountKey = this.accountKey(email);
    const results = await this.redis
      .multi()
      .incr(ipKey)
      .pexpire(ipKey, this.limits.windowMs, 'NX')
      .pttl(ipKey)
      .get(accountKey)
      .pttl(accountKey)
      .exec();
    if (!results) throw new Error('Redis transaction for the login rate limit was aborted');
    const [ipCount, , ipTtl, accountFailures, accountTtl] = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    if (Number(accountFailures ?? 0) >= this.limits.accountFailures) {
      return { allowed: false, retryAfterS: retryAfterS(Number(accountTtl)), limitedBy: 'account' };
    }
    if (Number(ipCount) > this.limits.ipAttempts) {
      return { allowed: false, retryAfterS: retryAfterS(Number(ipTtl)), limitedBy: 'ip' };
    }
    return { allowed: true };
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.accountKey(email);
    await this.redis.multi().incr(key).pexpire(key, this.limits.windowMs, 'NX').exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }
}

function retryAfterS(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
