import type { Redis } from 'ioredis';

export interface PairRateLimits {
  /** Pair attempts from one client IP within one window, successful ones included. */
  ipAttempts: number;
  /** Length of a window, which starts with the first attempt it counts. */
  windowMs: number;
}

/**
 * 20 attempts per client IP in 15 minutes. An installer pairs a handful of edges at a time, while a guess
 * at a 50-bit code needs far more attempts than any window allows.
 */
export const defaultPairRateLimits: PairRateLimits = { ipAttempts: 20, windowMs: 15 * 60 * 1000 };

/**
 * Raises the counter of one IP and returns its count and remaining ms. The expiry is set with the first
 * count, so the window is fixed from the first attempt. KEYS: the counter. ARGV: the window in ms.
 */
const COUNT_ATTEMPT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

export type PairAttemptCheck = { allowed: true } | { allowed: false; retryAfterS: number };

/** Counts pair attempts per client IP in Redis, before the code is checked, so parallel guesses are counted too. */
export class PairRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: PairRateLimits = defaultPairRateLimits,
  ) {}

  /** Counts an attempt from `ip` and returns whether it may go ahead. */
  async begin(ip: string): Promise<PairAttemptCheck> {
    const key = `${this.prefix}ratelimit:edge-pair:ip:${encodeURIComponent(ip)}`;
    const [count, ttlMs] = (await this.redis.eval(COUNT_ATTEMPT_SCRIPT, 1, key, this.limits.windowMs)) as [number, number];
    if (count <= this.limits.ipAttempts) return { allowed: true };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }
}
