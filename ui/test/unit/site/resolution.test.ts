import { describe, expect, it } from 'vitest';
import { availableResolutions, chooseResolution } from '../../../src/site/resolution';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('chooseResolution', () => {
  const cases: [string, number, 'edge' | 'cloud', string][] = [
    ['raw for the last hour on the edge', HOUR_MS, 'edge', 'raw'],
    ['raw for exactly 2 h on the edge', 2 * HOUR_MS, 'edge', 'raw'],
    ['1m for the last hour in the hub, which has no raw samples', HOUR_MS, 'cloud', '1m'],
    ['1m for just over 2 h', 2 * HOUR_MS + 1, 'edge', '1m'],
    ['1m for 36 h', 36 * HOUR_MS, 'edge', '1m'],
    ['15m for 7 days', 7 * DAY_MS, 'edge', '15m'],
    ['15m for 21 days', 21 * DAY_MS, 'cloud', '15m'],
    ['1h for 30 days', 30 * DAY_MS, 'edge', '1h'],
    ['1h for 90 days', 90 * DAY_MS, 'cloud', '1h'],
    ['1d for a year', 365 * DAY_MS, 'edge', '1d'],
  ];

  it.each(cases)('picks %s', (_name, rangeMs, mode, expected) => {
    expect(chooseResolution(rangeMs, mode)).toBe(expected);
  });
});

describe('availableResolutions', () => {
  it('offers raw on the edge only', () => {
    expect(availableResolutions('edge')).toContain('raw');
    expect(availableResolutions('cloud')).not.toContain('raw');
  });
});
