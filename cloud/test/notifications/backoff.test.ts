import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/notifications/backoff';

const settings = { backoffBaseMs: 1_000, maxBackoffMs: 10_000 };

describe('retry delay', () => {
  const cases = [
    { failedAttempts: 1, min: 500, max: 1_000 },
    { failedAttempts: 2, min: 1_000, max: 2_000 },
    { failedAttempts: 3, min: 2_000, max: 4_000 },
    { failedAttempts: 4, min: 4_000, max: 8_000 },
    { failedAttempts: 5, min: 8_000, max: 10_000 },
    { failedAttempts: 40, min: 10_000, max: 10_000 },
  ];
  for (const { failedAttempts, min, max } of cases) {
    it(`after ${failedAttempts} failures lies in [${min}, ${max}] ms`, () => {
      expect(retryDelayMs(failedAttempts, settings, () => 0)).toBe(min);
      expect(retryDelayMs(failedAttempts, settings, () => 0.999_999)).toBe(max);
    });
  }

  it('never shrinks from one retry to the next', () => {
    for (let failedAttempts = 1; failedAttempts < 10; failedAttempts++) {
      expect(retryDelayMs(failedAttempts + 1, settings, () => 0)).toBeGreaterThanOrEqual(retryDelayMs(failedAttempts, settings, () => 0.999_999));
    }
  });
});
