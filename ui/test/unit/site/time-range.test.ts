import { describe, expect, it } from 'vitest';
import { parseLocalInput, presetRange, toLocalInput } from '../../../src/site/time-range';

const BERLIN = 'Europe/Berlin';

describe('datetime-local values', () => {
  it('parse in the site time zone', () => {
    expect(parseLocalInput('2026-12-05T08:15', BERLIN)).toBe(Date.UTC(2026, 11, 5, 7, 15));
  });

  it('parse a repeated autumn time as its first pass', () => {
    expect(parseLocalInput('2026-10-25T02:30', BERLIN)).toBe(Date.UTC(2026, 9, 25, 0, 30));
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

  it('gives a 23-hour yesterday on the spring change', () => {
    const range = presetRange('yesterday', Date.UTC(2026, 2, 30, 12, 0), BERLIN);
    expect(range.to - range.from).toBe(23 * 3_600_000);
  });
});
