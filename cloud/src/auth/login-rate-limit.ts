import type { Redis } from 'ioredis';

export interface LoginRateLimits {
  /** Attempts on one account from one client IP within one window. A successful login from that IP resets the count. */
  accountIpAttempts: number;
  /** Attempts on one account from all client IPs within one window, not counting successful logins. */
  accountAttempts: number;
  /** Attempts from one client IP on any accounts within one window, not counting successful logins. */
  ipAttempts: number;
  /** Length of a window, which starts with the first attempt that a counter counts. */
  windowMs: number;
}

/**
 * Within 15 minutes: 10 attempts per account and IP, 100 per account from all IPs, and 100 per IP. The
 * account-wide limit is ten times the account-and-IP one, so reaching it takes at least ten addresses.
 */
export const defaultLoginRateLimits: LoginRateLimits = {
  accountIpAttempts: 10,
  accountAttempts: 100,
  ipAttempts: 100,
  windowMs: 15 * 60 * 1000,
};

/** The counter that rejected an attempt. */
export type RateLimitScope = 'account-ip' | 'account' | 'ip';

export type RateLimitCheck = { allowed: true } | { allowed: false; retryAfterS: number; limitedBy: RateLimitScope };

/**
 * Raises the counters of one attempt (per IP, then per account and IP, then per account) and stops at the
 * first one over its limit, so a rejected attempt does not raise the counters after it. That is why one
 * IP past its account-and-IP limit cannot raise the account-wide counter and lock the account for other
 * addresses. KEYS: the three counters in that order. ARGV: their three limits, then the window in ms.
 * Returns an empty array when allowed, else the rejecting counter's 1-based index and its remaining ms.
 */
const BEGIN_ATTEMPT_SCRIPT = `
for index = 1, 3 do
  local count = redis.call('INCR', KEYS[index])
  if redis.call('PTTL', KEYS[index]) < 0 then redis.call('PEXPIRE', KEYS[index], ARGV[4]) end
  if count > tonumber(ARGV[index]) then return { index, redis.call('PTTL', KEYS[index]) } end
end
return {}
`;

/**
 * Gives back a successful attempt: deletes the account-and-IP counter and lowers the IP and account
 * counters by one. A counter that expired since the attempt is not lowered below zero.
 * KEYS: the counters per IP, per account and IP, and per account.
 */
const RECORD_SUCCESS_SCRIPT = `
redis.call('DEL', KEYS[2])
for _, key in ipairs({ KEYS[1], KEYS[3] }) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
`;

const scopesInScriptOrder: RateLimitScope[] = ['ip', 'account-ip', 'account'];

/**
 * Counts login attempts in Redis in fixed windows that start with their first count, on three counters:
 * - Account and IP, with the strict limit. Guessing from one address stops soon, and the block applies
 *   to that address and account only.
 * - Account across all IPs, with a higher limit, which slows a guess spread over many addresses.
 * - IP across all accounts, which stops one address from trying many accounts.
 * One Lua script raises the counters before the password is checked, because counters raised only after
 * a failed check would let parallel guesses all pass the check first. A successful login then gives its
 * attempt back (see `recordSuccess`), so users behind one NAT address do not use up its budget.
 */
export class LoginRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: LoginRateLimits = defaultLoginRateLimits,
  ) {}

  /** Returns the counter keys in script order: per IP, per account and IP, per account. */
  private keys(email: string, ip: string): [string, string, string] {
    const account = email.toLowerCase();
    const base = `${this.prefix}ratelimit:login`;
    // Both parts are URI-encoded, so the ":" between them cannot also occur inside an IPv6 address or an email.
    const accountIp = `${encodeURIComponent(account)}:${encodeURIComponent(ip)}`;
    return [`${base}:ip:${ip}`, `${base}:account-ip:${accountIp}`, `${base}:account:${account}`];
  }

  /** Counts an attempt on `email` from `ip` and returns whether it may go ahead. */
  async begin(email: string, ip: string): Promise<RateLimitCheck> {
    const { accountIpAttempts, accountAttempts, ipAttempts, windowMs } = this.limits;
    const limits = [ipAttempts, accountIpAttempts, accountAttempts];
    const result = (await this.redis.eval(BEGIN_ATTEMPT_SCRIPT, 3, ...this.keys(email, ip), ...limits, windowMs)) as number[];
    if (result.length === 0) return { allowed: true };
    const [index, ttlMs] = result as [number, number];
    return { allowed: false, retryAfterS: retryAfterS(ttlMs), limitedBy: scopesInScriptOrder[index - 1]! };
  }

  /** Clears the account-and-IP count and gives the attempt back to the IP and account counts. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.eval(RECORD_SUCCESS_SCRIPT, 3, ...this.keys(email, ip));
  }
}

function retryAfterS(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
