import { describe, expect, it } from 'vitest';
import { parseQueryTime } from '../../src/api/query-time';

describe('query times', () => {
  it.each([
    ['epoch milliseconds', '1767225600000', Date.UTC(2026, 0, 1)],
    ['ISO 8601 in UTC', '2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['ISO 8601 with an offset', '2026-01-01T02:00:00+02:00', Date.UTC(2026, 0, 1)],
    ['the first day of year 1', '0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z')],
    ['the last moment of year 9999', '9999-12-31T23:59:59.999Z', Date.parse('9999-12-31T23:59:59.999Z')],
    ['a leap day', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
  ])('reads %s', (_name, value, expected) => {
    expect(parseQueryTime(value)).toBe(expected);
  });

  it.each([
    ['a time without an offset', '2026-01-01T00:00:00'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['a leap day of a common year', '2027-02-29T00:00:00Z'],
    ['epoch milliseconds after year 9999', '999999999999999'],
    ['a six-digit year', '+275760-09-13T00:00:00Z'],
    ['a negative year', '-000001-01-01T00:00:00Z'],
    ['words', 'yesterday'],
  ])('rejects %s', (_name, value) => {
    expect(parseQueryTime(value)).toBeNaN();
  });
});
