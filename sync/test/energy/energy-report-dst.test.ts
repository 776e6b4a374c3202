import { describe, expect, it } from 'vitest';
import { counterMeter, HOUR, linearKwh, period, powerMeter, report, sum } from './report-fixtures';

const days = [
  { date: '2026-03-29', timeZone: 'Europe/Paris', hours: 23 },
  { date: '2026-10-25', timeZone: 'Europe/Paris', hours: 25 },
  { date: '2026-03-08', timeZone: 'America/Los_Angeles', hours: 23 },
  { date: '2026-11-01', timeZone: 'America/Los_Angeles', hours: 25 },
];

describe.each(days)('report on $date in $timeZone', ({ date, timeZone, hours }) => {
  const range = period('day', date, timeZone);

  it(`has ${hours} hourly buckets`, () => {
    const result = report(range, [powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, range, () => 1000)]);

    expect(result.period.hours).toBe(hours);
    expect(result.period.from).toBe(date);
    expect(result.period.to).toBe(date);
    expect(result.buckets).toHaveLength(hours);
    expect(result.buckets.every((bucket) => bucket.end - bucket.start === HOUR)).toBe(true);
    expect(result.buckets.every((bucket) => bucket.consumptionWh === 1000)).toBe(true);
    expect(result.totals.consumptionWh).toBe(hours * 1000);
    expect(result.indicators.totals.consumptionWh).toBe(hours * 1000);
  });

  it('sums a counter over the day', () => {
    const result = report(range, [counterMeter({ id: 'grid.energy', role: 'grid-import', unit: 'kWh' }, range, linearKwh(range.start, 2))]);

    // The reading 14 minutes after midnight books the day's last minute, so the whole day counts.
    expect(result.totals.gridImportWh).toBeCloseTo(hours * 2000, 6);
    expect(sum(result.buckets.map((bucket) => bucket.gridImportWh))).toBeCloseTo(result.totals.gridImportWh, 6);
    expect(result.buckets[0]!.gridImportWh).toBeCloseTo(2000, 6);
  });

  it('sums days of the month', () => {
    const month = period('month', date, timeZone);
    const result = report(month, [powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, month, () => 1000)]);
    const dayIndex = Number(date.slice(8)) - 1;

    expect(result.buckets[dayIndex]!.consumptionWh).toBe(hours * 1000);
    expect(result.buckets[dayIndex]!.end - result.buckets[dayIndex]!.start).toBe(hours * HOUR);
  });
});
