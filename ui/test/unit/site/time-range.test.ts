import { describe, expect, it } from 'vitest';
import { parseLocalInput, presetRange, startOfDay, toLocalInput, wallTimeToUtc } from '../../../src/site/time-range';

const BERLIN = 'Europe/Berlin';

describe('wallTimeToUtc', () => {
  it('converts winter time with the +01:00 offset', () => {
    expect(wallTimeToUtc({ year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 }, BERLIN)).toBe(Date.UTC(2026, 0, 15, 9, 30));
  });

  it('converts summer time with the +02:00 offset', () => {
    expect(wallTimeToUtc({ year: 2026, month: 7, day: 15, hour: 10, minute: 30, second: 0 }, BERLIN)).toBe(Date.UTC(2026, 6, 15, 8, 30));
  });

  it('resolves a repeated autumn time to the earlier instant', () => {
    expect(wallTimeToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, BERLIN)).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it('moves a skipped spring time past the gap', () => {
    expect(wallTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, BERLIN)).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('handles zones west of UTC and half-hour offsets', () => {
    expect(wallTimeToUtc({ year: 2026, month: 12, day: 5, hour: 0, minute: 0, second: 0 }, 'America/New_York')).toBe(Date.UTC(2026, 11, 5, 5, 0));
    expect(wallTimeToUtc({ year: 2026, month: 12, day: 5, hour: 12, minute: 0, second: 0 }, 'Asia/Kolkata')).toBe(Date.UTC(2026, 11, 5, 6, 30));
  });
});

describe('datetime-local values', () => {
  it('parse in the site time zone', () => {
    expect(parseLocalInput('2026-12-05T08:15', BERLIN)).toBe(Date.UTC(2026, 11, 5, 7, 15));
  });

  it('reject malformed values', () => {
    expect(parseLocalInput('', BERLIN)).toBeNull();
    expect(parseLocalInput('05.12.2026 08:15', BERLIN)).toBeNull();
  });

  it('format back to the same wall time', () => {
    expect(toLocalInput(Date.UTC(2026, 11, 5, 7, 15, 42), BERLIN)).toBe('2026-12-05T08:15');
  });
});

describe('presetRange', () => {
  const now = Date.UTC(2026, 11, 5, 11, 32);

  it('trails now for the last 24 h', () => {
    expect(presetRange('24h', now, BERLIN)).toEqual({ from: now - 86_400_000, to: now });
  });

  it('starts today at the site midnight', () => {
    expect(presetRange('today', now, BERLIN)).toEqual({ from: Date.UTC(2026, 11, 4, 23, 0), to: now });
  });

  it('covers all of yesterday in the site zone', () => {
    expect(presetRange('yesterday', now, BERLIN)).toEqual({ from: Date.UTC(2026, 11, 3, 23, 0), to: Date.UTC(2026, 11, 4, 23, 0) });
  });

  it('starts this month on the first at the site midnight', () => {
    expect(presetRange('month', now, BERLIN)).toEqual({ from: Date.UTC(2026, 10, 30, 23, 0), to: now });
  });

  it('uses the site day, not the UTC day', () => {
    const lateEvening = Date.UTC(2026, 11, 5, 23, 30);
    expect(startOfDay(lateEvening, BERLIN)).toBe(Date.UTC(2026, 11, 5, 23, 0));
  });

  it('gives a 23-hour yesterday on the spring change', () => {
    const range = presetRange('yesterday', Date.UTC(2026, 2, 30, 12, 0), BERLIN);
    expect(range.to - range.from).toBe(23 * 3_600_000);
  });
});
