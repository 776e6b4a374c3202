import { describe, expect, it } from 'vitest';
import {
  addMonths,
  checkPeriodParams,
  daysBetween,
  monthOfQuery,
  monthQuery,
  paramsOfQuery,
  parseMonth,
  periodDays,
  shiftQuery,
  startsAfter,
  todayIn,
} from '../../../../src/components/energy/energy-period';

describe('periodDays', () => {
  it.each([
    [{ period: 'day', date: '2026-03-29' }, '2026-03-29', '2026-03-29'],
    [{ period: 'week', date: '2026-03-29' }, '2026-03-23', '2026-03-29'],
    [{ period: 'week', date: '2026-03-23' }, '2026-03-23', '2026-03-29'],
    [{ period: 'month', date: '2026-02-14' }, '2026-02-01', '2026-02-28'],
    [{ period: 'month', date: '2024-02-14' }, '2024-02-01', '2024-02-29'],
    [{ period: 'year', date: '2026-07-01' }, '2026-01-01', '2026-12-31'],
    [{ period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-10' }, '2026-03-01', '2026-03-10'],
  ] as const)('%j runs from %s to %s', (query, from, to) => {
    expect(periodDays(query)).toEqual({ from, to });
  });
});

describe('shiftQuery', () => {
  it('steps days across a month end', () => {
    expect(shiftQuery({ period: 'day', date: '2026-03-31' }, 1)).toEqual({ period: 'day', date: '2026-04-01' });
  });

  it('steps weeks from their Monday', () => {
    expect(shiftQuery({ period: 'week', date: '2026-03-29' }, -1)).toEqual({ period: 'week', date: '2026-03-16' });
  });

  it('steps months from the 31st without skipping February', () => {
    expect(shiftQuery({ period: 'month', date: '2026-01-31' }, 1)).toEqual({ period: 'month', date: '2026-02-01' });
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-01');
  });

  it('steps years', () => {
    expect(shiftQuery({ period: 'year', date: '2026-06-30' }, -1)).toEqual({ period: 'year', date: '2025-01-01' });
  });

  it('steps a custom span by its length', () => {
    const shifted = shiftQuery({ period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-10' }, 1);

    expect(shifted).toEqual({ period: 'custom', date: '2026-03-11', from: '2026-03-11', to: '2026-03-20' });
  });
});

describe('checkPeriodParams', () => {
  it('falls back to today for missing parameters', () => {
    expect(checkPeriodParams({}, '2026-03-29').query).toEqual({ period: 'day', date: '2026-03-29' });
  });

  it('rejects an unknown period and an invalid date', () => {
    const checked = checkPeriodParams({ period: 'decade', date: '2026-02-30' }, '2026-03-29');

    expect(checked.query).toEqual({ period: 'day', date: '2026-03-29' });
    expect(checked.problems).toEqual(['unknown period "decade"', 'invalid date "2026-02-30"']);
  });

  it('lists no problems for valid parameters', () => {
    expect(checkPeriodParams({ period: 'week', date: '2026-03-02' }, '2026-03-29').problems).toEqual([]);
  });

  it('names an invalid custom span', () => {
    const checked = checkPeriodParams({ period: 'custom', from: '2026-03-05', to: 'soon' }, '2026-03-29');
    expect(checked.problems).toEqual(['invalid custom period from "2026-03-05" to "soon"']);
  });

  it('reads a month', () => {
    expect(checkPeriodParams({ period: 'month', date: '2026-02-01' }, '2026-03-29').query).toEqual({ period: 'month', date: '2026-02-01' });
  });

  it('reads a custom span', () => {
    const query = checkPeriodParams({ period: 'custom', from: '2026-03-01', to: '2026-03-05' }, '2026-03-29').query;

    expect(query).toEqual({ period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-05' });
  });

  it('turns a reversed custom span into a day', () => {
    expect(checkPeriodParams({ period: 'custom', from: '2026-03-05', to: '2026-03-01' }, '2026-03-29').query.period).toBe('day');
  });

  it('turns a custom span over 366 days into a day', () => {
    expect(checkPeriodParams({ period: 'custom', from: '2025-01-01', to: '2026-01-02' }, '2026-03-29').query.period).toBe('day');
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(366);
  });

  it('round-trips through the URL parameters', () => {
    const query = { period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-05' } as const;

    expect(checkPeriodParams(paramsOfQuery(query) as Record<string, string>, '2026-03-29').query).toEqual(query);
    expect(paramsOfQuery({ period: 'day', date: '2026-03-29' })).toEqual({ period: 'day', date: '2026-03-29', from: null, to: null });
  });
});

describe('today and months', () => {
  it('takes today in the site zone', () => {
    // 23:30 UTC on 28 March is already 29 March in Berlin.
    expect(todayIn('Europe/Berlin', Date.UTC(2026, 2, 28, 23, 30))).toBe('2026-03-29');
    expect(todayIn('America/New_York', Date.UTC(2026, 2, 28, 23, 30))).toBe('2026-03-28');
  });

  it('knows a period after today', () => {
    expect(startsAfter({ period: 'day', date: '2026-03-30' }, '2026-03-29')).toBe(true);
    expect(startsAfter({ period: 'month', date: '2026-03-31' }, '2026-03-29')).toBe(false);
  });

  it('reads the month of the report', () => {
    expect(parseMonth('2026-03')).toBe('2026-03');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth(undefined)).toBeNull();
    expect(monthQuery('2026-03')).toEqual({ period: 'month', date: '2026-03-01' });
    expect(monthOfQuery({ period: 'week', date: '2026-03-29' })).toBe('2026-03');
    expect(monthOfQuery({ period: 'custom', date: '2026-02-20', from: '2026-02-20', to: '2026-03-05' })).toBe('2026-02');
  });
});
