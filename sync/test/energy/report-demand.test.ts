import { describe, expect, it } from 'vitest';
import { billingMonths, demandPointIds, demandRowWindow, periodRangeFromQuery } from '../../src/index';
import { HOUR, period, QUARTER, utc } from './report-fixtures';

describe('billingMonths', () => {
  it('gives a year twelve whole months', () => {
    const months = billingMonths(period('year', '2026-05-01', 'America/Los_Angeles'));

    expect(months.whole).toHaveLength(12);
    expect(months.partial).toEqual([]);
    expect(months.whole[2]).toEqual({ month: '2026-03', start: utc('2026-03-01T08:00:00Z'), end: utc('2026-04-01T07:00:00Z') });
  });

  it('gives a month itself', () => {
    const month = period('month', '2026-10-05', 'Europe/Paris');
    expect(billingMonths(month)).toEqual({ whole: [{ month: '2026-10', start: month.start, end: month.end }], partial: [] });
  });

  it('splits a week across two months', () => {
    const week = period('week', '2026-09-30', 'Europe/Paris');
    const octoberFirst = utc('2026-09-30T22:00:00Z');
    expect(billingMonths(week)).toEqual({
      whole: [],
      partial: [
        { month: '2026-09', start: week.start, end: octoberFirst },
        { month: '2026-10', start: octoberFirst, end: week.end },
      ],
    });
  });

  it('splits a custom span', () => {
    const span = periodRangeFromQuery({ period: 'custom', date: '2026-01-20', from: '2026-01-20', to: '2026-03-31' }, 'Europe/Paris');
    const months = billingMonths(span);

    expect(months.whole.map((month) => month.month)).toEqual(['2026-02', '2026-03']);
    expect(months.partial).toEqual([{ month: '2026-01', start: span.start, end: utc('2026-01-31T23:00:00Z') }]);
  });
});

describe('demandRowWindow', () => {
  it('is null when the report reads quarter hours', () => {
    expect(demandRowWindow(period('month', '2026-01-10', 'Europe/Paris'))).toBeNull();
  });

  it('covers a year in quarter hours', () => {
    const year = period('year', '2026-01-10', 'Europe/Paris');
    expect(demandRowWindow(year)).toEqual({ resolution: '15m', from: year.start - 2 * HOUR, to: year.end + QUARTER });
  });
});

describe('demandPointIds', () => {
  it('lists meters feeding grid import', () => {
    const ids = demandPointIds([
      { id: 'grid.W', role: 'grid' },
      { id: 'grid.TotWhImp', role: 'grid-import' },
      { id: 'grid.TotWhExp', role: 'grid-export' },
      { id: 'pv.W', role: 'pv' },
      { id: 'other.W', role: null },
    ]);
    expect([...ids]).toEqual(['grid.W', 'grid.TotWhImp']);
  });
});
