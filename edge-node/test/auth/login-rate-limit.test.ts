import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/auth/login-rate-limit';

function limiterAt(start: number) {
  const clock = { nowMs: start };
  const limiter = new LoginRateLimiter(
    { perAddress: { maxAttempts: 3, windowMs: 60_000 }, perAccount: { maxAttempts: 2, windowMs: 600_000 } },
    () => clock.nowMs,
  );
  return { limiter, clock };
}

describe('LoginRateLimiter', () => {
  it('limits attempts per address', () => {
    const { limiter, clock } = limiterAt(0);

    const allowed = [limiter.checkAttempt('10.0.0.1', 'a'), limiter.checkAttempt('10.0.0.1', 'b'), limiter.checkAttempt('10.0.0.1', 'c')];
    clock.nowMs = 15_000;
    const blocked = limiter.checkAttempt('10.0.0.1', 'd');
    const otherAddress = limiter.checkAttempt('10.0.0.2', 'd');
    clock.nowMs = 60_000;
    const nextWindow = limiter.checkAttempt('10.0.0.1', 'd');

    expect(allowed).toEqual([0, 0, 0]);
    expect(blocked).toBe(45);
    expect(otherAddress).toBe(0);
    expect(nextWindow).toBe(0);
  });

  it('limits failures per account ignoring case', () => {
    const { limiter } = limiterAt(0);

    limiter.recordFailure('Installer');
    limiter.recordFailure('installer');

    expect(limiter.checkAttempt('10.0.0.1', 'INSTALLER')).toBe(600);
    expect(limiter.checkAttempt('10.0.0.1', 'someone-else')).toBe(0);
  });

  it('resets an account on success', () => {
    const { limiter } = limiterAt(0);

    limiter.recordFailure('installer');
    limiter.recordSuccess('installer');
    limiter.recordFailure('installer');

    expect(limiter.checkAttempt('10.0.0.1', 'installer')).toBe(0);
  });
});
