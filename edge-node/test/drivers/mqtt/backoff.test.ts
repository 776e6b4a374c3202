import { describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../../src/drivers/mqtt/backoff';
import { releaseClientId, reserveClientId } from '../../../src/drivers/mqtt/client-id';

describe('ExponentialBackoff', () => {
  it('doubles up to the maximum', () => {
    const backoff = new ExponentialBackoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.nextDelayMs())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.attempts).toBe(6);
  });

  it('starts over after reset', () => {
    const backoff = new ExponentialBackoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(100);
  });

  it('spreads delays by the jitter', () => {
    const low = new ExponentialBackoff({ initialDelayMs: 1000, maxDelayMs: 10_000, jitter: 0.2 }, () => 0);
    const high = new ExponentialBackoff({ initialDelayMs: 1000, maxDelayMs: 10_000, jitter: 0.2 }, () => 0.999_999);
    expect(low.nextDelayMs()).toBe(800);
    expect(high.nextDelayMs()).toBe(1200);
  });
});

describe('reserveClientId', () => {
  it('is stable per process and unique while active', () => {
    const first = reserveClientId(['site one', 'meter.1']);
    const second = reserveClientId(['site one', 'meter.1']);
    expect(first).toMatch(/^site_one-meter_1-[a-z0-9]+$/);
    expect(second).toBe(`${first}-2`);
    releaseClientId(first);
    releaseClientId(second);
    expect(reserveClientId(['site one', 'meter.1'])).toBe(first);
    releaseClientId(first);
  });
});
