import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/poller/backoff';
import { nextTick } from '../../src/poller/schedule';

describe('nextTick', () => {
  const cases = [
    { name: 'a quick poll waits for the next tick', previousTickAt: 10_000, now: 10_050, at: 11_000, skipped: 0 },
    { name: 'a poll ending on the next tick misses nothing', previousTickAt: 10_000, now: 11_000, at: 11_000, skipped: 0 },
    { name: 'a poll just past the next tick skips it', previousTickAt: 10_000, now: 11_001, at: 12_000, skipped: 1 },
    { name: 'a poll of 2.5 intervals skips two ticks', previousTickAt: 10_000, now: 12_500, at: 13_000, skipped: 2 },
    { name: 'a poll ending on a later tick runs that tick', previousTickAt: 10_000, now: 13_000, at: 13_000, skipped: 2 },
  ];

  for (const { name, previousTickAt, now, at, skipped } of cases) {
    it(name, () => {
      expect(nextTick(previousTickAt, 1000, now)).toEqual({ at, skipped });
    });
  }

  it('counts skips from the previous tick only', () => {
    // Far from the first tick of the schedule, one overrun still skips one tick.
    expect(nextTick(1_000_000, 1000, 1_001_500)).toEqual({ at: 1_002_000, skipped: 1 });
  });
});

describe('backoffDelayMs', () => {
  const cases = [
    { attempt: 1, random: 0, expected: 1000 },
    { attempt: 1, random: 1, expected: 1000 },
    { attempt: 2, random: 0, expected: 1000 },
    { attempt: 2, random: 1, expected: 2000 },
    { attempt: 4, random: 0, expected: 4000 },
    { attempt: 4, random: 0.5, expected: 6000 },
    { attempt: 4, random: 1, expected: 8000 },
    { attempt: 7, random: 1, expected: 60_000 },
    { attempt: 30, random: 0, expected: 30_000 },
    { attempt: 30, random: 1, expected: 60_000 },
  ];

  for (const { attempt, random, expected } of cases) {
    it(`waits ${expected} ms at attempt ${attempt} with random ${random}`, () => {
      expect(backoffDelayMs(attempt, 1000, 60_000, () => random)).toBe(expected);
    });
  }
});
