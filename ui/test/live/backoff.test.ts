import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/live/backoff';

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt and stays between half and all of it', () => {
    expect(backoffDelayMs(0, () => 0)).toBe(250);
    expect(backoffDelayMs(0, () => 1)).toBe(500);
    expect(backoffDelayMs(3, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, () => 1)).toBe(4_000);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(backoffDelayMs(50, () => 1)).toBe(30_000);
    expect(backoffDelayMs(1_000, () => 0.5)).toBe(22_500);
  });
});
