import type { Redis } from 'ioredis';

export interface ResetRequestLimits {
  /** Reset requests for one email address, from all client IPs, within one window. */
  emailRequests: number;
  /** Reset requests from one client IP, for any email addresses, within one window. */
  ipRequests: number;
  /** Length of a window, which starts with the first request that a counter counts. */
  windowMs: number;
}

/**
 * Within one hour: 3 requests per email address and 20 per client IP. Three links an hour are enough for
 * a user who lost a message, and the per-email limit also bounds how often anyone can time the response
 * for one address.
 */
export const defaultResetRequestLimits: ResetRequestLimits = {
  emailRequests: 3,
  ipRequests: 20,
  windowMs: 60 * 60 * 1000,
};

/**
 * Raises the per-IP counter, then the per-email counter, and stops at the first one over its limit, so a
 * client past its IP limit does not use up the budget of the addresses it names. KEYS: the IP counter,
 * the email counter. ARGV: their limits, then the window in ms. Returns an empty array when allowed,
 * else the remaining ms of the counter that rejected the request.
 */
const COUNT_REQUEST_SCRIPT = `
for index = 1, 2 do
  local count = redis.call('INCR', KEYS[index])
  if redis.call('PTTL', KEYS[index]) < 0 then redis.call('PEXPIRE', KEYS[index], ARGV[3]) end
  if count > tonumber(ARGV[index]) then return { redis.call('PTTL', KEYS[index]) } end
end
return {}
`;

export type ResetRequestCheck = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Counts forgot-password requests in Redis in fixed windows, per client IP and per email address.
 * Unknown addresses count like known ones, so the limit reveals nothing about which accounts exist.
 */
export class ResetRequestRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: ResetRequestLimits = defaultResetRequestLimits,
  ) {}

  /** Counts a request for `email` from `ip` and returns whether it may go ahead. */
  async begin(email: string, ip: string): Promise<ResetRequestCheck> {
    const base = `${this.prefix}ratelimit:password-reset`;
    const keys = [`${base}:ip:${ip}`, `${base}:email:${encodeURIComponent(email.toLowerCase())}`];
    const { ipRequests, emailRequests, windowMs } = this.limits;
    const result = (await this.redis.eval(COUNT_REQUEST_SCRIPT, 2, ...keys, ipRequests, emailRequests, windowMs)) as number[];
    if (result.length === 0) return { allowed: true };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(result[0]! / 1000)) };
  }
}
