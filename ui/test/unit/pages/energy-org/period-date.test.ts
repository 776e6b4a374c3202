import { describe, expect, it } from 'vitest';
import { checkOrganizationPeriod, isLocalDate, localDateOf, shiftPeriodDate } from '../../../../src/pages/energy/period-date';

describe('shiftPeriodDate', () => {
  it.each([
    ['2026-03-29', 'day', 1, '2026-03-30'],
    ['2026-03-01', 'day', -1, '2026-02-28'],
    ['2026-03-29', 'week', -1, '2026-03-22'],
    ['2026-12-28', 'week', 1, '2027-01-04'],
    ['2026-01-15', 'month', 1, '2026-02-15'],
    ['2026-03-31', 'month', -1, '2026-02-28'],
    ['2024-03-31', 'month', -1, '2024-02-29'],
    ['2026-01-31', 'month', -13, '2024-12-31'],
    ['2024-02-29', 'year', 1, '2025-02-28'],
    ['2026-06-10', 'year', -2, '2024-06-10'],
  ] as const)('moves %s by %s %i to %s', (date, kind, steps, expected) => {
    expect(shiftPeriodDate(date, kind, steps)).toBe(expected);
  });
});

describe('isLocalDate', () => {
  it('accepts calendar dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-3-1', '', '2026-03-01T00:00'])('rejects %j', (text) => {
    expect(isLocalDate(text)).toBe(false);
  });
});

describe('localDateOf', () => {
  it('formats the browser-local day', () => {
    const now = new Date(2026, 2, 5, 23, 59).getTime();
    expect(localDateOf(now)).toBe('2026-03-05');
  });
});

describe('checkOrganizationPeriod', () => {
  it('defaults to the month of today', () => {
    expect(checkOrganizationPeriod({}, '2026-03-29')).toEqual({ period: { kind: 'month', date: '2026-03-29' }, problems: [] });
  });

  it('reads a valid period', () => {
    expect(checkOrganizationPeriod({ period: 'week', date: '2026-03-02' }, '2026-03-29')).toEqual({ period: { kind: 'week', date: '2026-03-02' }, problems: [] });
  });

  it('names an unknown period and an invalid date', () => {
    const checked = checkOrganizationPeriod({ period: 'decade', date: '2026-02-30' }, '2026-03-29');

    expect(checked.period).toEqual({ kind: 'month', date: '2026-03-29' });
    expect(checked.problems).toEqual(['unknown period "decade"', 'invalid date "2026-02-30"']);
  });
});
