import { describe, expect, it } from 'vitest';
import { bucketBoundaries, PeriodRangeError, periodQueryOf, periodQuerySchema, periodRange, periodRangeFromQuery, periodRequestSchema, previousPeriod } from '../../src/index';

const HOUR = 3_600_000;
const PARIS = 'Europe/Paris';
const LOS_ANGELES = 'America/Los_Angeles';
const iso = (ts: number): string => new Date(ts).toISOString();
const isoAll = (list: number[]): string[] => list.map(iso);
const utc = (text: string): number => Date.parse(text);

describe('periodRange for a day', () => {
  it.each([
    [PARIS, '2026-03-29T12:00:00Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 23],
    [PARIS, '2026-10-25T12:00:00Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 25],
    [LOS_ANGELES, '2026-03-08T20:00:00Z', '2026-03-08T08:00:00.000Z', '2026-03-09T07:00:00.000Z', 23],
    [LOS_ANGELES, '2026-11-01T20:00:00Z', '2026-11-01T07:00:00.000Z', '2026-11-02T08:00:00.000Z', 25],
  ])('%s day of %s runs from %s to %s (%d h)', (zone, anchor, start, end, hours) => {
    const range = periodRange('day', utc(anchor), zone);

    expect(iso(range.start)).toBe(start);
    expect(iso(range.end)).toBe(end);
    expect(range.label).toBe(anchor.slice(0, 10));
    expect(bucketBoundaries(range, '1h', zone)).toHaveLength(hours + 1);
    expect(bucketBoundaries(range, '15m', zone)).toHaveLength(hours * 4 + 1);
    expect(bucketBoundaries(range, '1d', zone)).toEqual([range.start, range.end]);
  });

  it('takes the local date, not the UTC date, of the anchor', () => {
    // 23:30Z on 31 December is already 00:30 on 1 January in Paris.
    const range = periodRange('day', utc('2026-12-31T23:30:00Z'), PARIS);

    expect(range.label).toBe('2027-01-01');
    expect(iso(range.start)).toBe('2026-12-31T23:00:00.000Z');
  });

  it('covers a leap day', () => {
    const range = periodRange('day', utc('2028-02-29T12:00:00Z'), PARIS);

    expect(range.label).toBe('2028-02-29');
    expect(range.end - range.start).toBe(24 * HOUR);
    expect(previousPeriod(range).label).toBe('2028-02-28');
    expect(previousPeriod(periodRange('day', utc('2028-03-01T12:00:00Z'), PARIS)).label).toBe('2028-02-29');
  });
});

describe('periodRange for a week', () => {
  it('runs from Monday to Sunday across the change to summer time', () => {
    const range = periodRange('week', utc('2026-03-25T12:00:00Z'), PARIS);

    expect(range.label).toBe('2026-W13');
    expect(iso(range.start)).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(range.end)).toBe('2026-03-29T22:00:00.000Z');
    const days = bucketBoundaries(range, '1d', PARIS);
    expect(days).toHaveLength(8);
    expect(days[7]! - days[6]!).toBe(23 * HOUR);
    expect(bucketBoundaries(range, '1h', PARIS)).toHaveLength(167 + 1);
  });

  it('takes the Sunday of the change into the week that began on Monday', () => {
    expect(periodRange('week', utc('2026-03-29T20:00:00Z'), PARIS).label).toBe('2026-W13');
  });

  it('labels a week across the new year by the year of its Thursday', () => {
    const range = periodRange('week', utc('2027-01-01T12:00:00Z'), PARIS);

    expect(range.label).toBe('2026-W53');
    expect(iso(range.start)).toBe('2026-12-27T23:00:00.000Z');
    expect(previousPeriod(range).label).toBe('2026-W52');
    expect(periodRange('week', utc('2027-01-04T12:00:00Z'), PARIS).label).toBe('2027-W01');
  });
});

describe('periodRange for a month and a year', () => {
  it('compares March with February', () => {
    const march = periodRange('month', utc('2026-03-15T12:00:00Z'), PARIS);
    const february = previousPeriod(march);

    expect(march.label).toBe('2026-03');
    expect(isoAll([march.start, march.end])).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(february.label).toBe('2026-02');
    expect(isoAll([february.start, february.end])).toEqual(['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z']);
    expect(bucketBoundaries(february, '1d', PARIS)).toHaveLength(28 + 1);
  });

  it('has 29 days in February of a leap year', () => {
    const range = periodRange('month', utc('2028-02-10T12:00:00Z'), LOS_ANGELES);

    expect(bucketBoundaries(range, '1d', LOS_ANGELES)).toHaveLength(29 + 1);
  });

  it('steps back from January to December of the year before', () => {
    expect(previousPeriod(periodRange('month', utc('2027-01-10T12:00:00Z'), PARIS)).label).toBe('2026-12');
  });

  it('splits a year into local months and days', () => {
    const range = periodRange('year', utc('2026-06-01T12:00:00Z'), LOS_ANGELES);
    const months = bucketBoundaries(range, '1mo', LOS_ANGELES);

    expect(range.label).toBe('2026');
    expect(iso(range.start)).toBe('2026-01-01T08:00:00.000Z');
    expect(months).toHaveLength(13);
    expect(iso(months[3]!)).toBe('2026-04-01T07:00:00.000Z');
    expect(bucketBoundaries(range, '1d', LOS_ANGELES)).toHaveLength(365 + 1);
    expect(bucketBoundaries(periodRange('year', utc('2028-06-01T12:00:00Z'), PARIS), '1d', PARIS)).toHaveLength(366 + 1);
    expect(previousPeriod(range).label).toBe('2025');
  });
});

describe('custom periods', () => {
  it('compares with the span of the same length just before', () => {
    const range = periodRange('custom', 0, PARIS, { from: utc('2026-03-09T23:00:00Z'), to: utc('2026-03-12T23:00:00Z') });
    const before = previousPeriod(range);

    expect(isoAll([before.start, before.end])).toEqual(['2026-03-06T23:00:00.000Z', '2026-03-09T23:00:00.000Z']);
    expect(range.label).toBe('2026-03-10/2026-03-12');
  });

  it('shortens buckets at unaligned ends', () => {
    const range = periodRange('custom', 0, PARIS, { from: utc('2026-03-10T12:00:00Z'), to: utc('2026-03-12T06:00:00Z') });

    expect(isoAll(bucketBoundaries(range, '1d', PARIS))).toEqual([
      '2026-03-10T12:00:00.000Z',
      '2026-03-10T23:00:00.000Z',
      '2026-03-11T23:00:00.000Z',
      '2026-03-12T06:00:00.000Z',
    ]);
  });

  it('rejects an end before the start', () => {
    expect(() => periodRange('custom', 0, PARIS, { from: utc('2026-03-10T00:00:00Z'), to: utc('2026-03-09T00:00:00Z') })).toThrow(/not after its start/);
  });

  it('rejects a range longer than 366 days and accepts one of 366', () => {
    const from = utc('2026-01-01T00:00:00Z');
    expect(() => periodRange('custom', 0, 'UTC', { from, to: from + 367 * 24 * HOUR })).toThrow(/more than the maximum of 366/);
    expect(periodRange('custom', 0, 'UTC', { from, to: from + 366 * 24 * HOUR }).end).toBe(from + 366 * 24 * HOUR);
    const noon = from + 12 * HOUR;
    expect(periodRange('custom', 0, 'UTC', { from: noon, to: noon + 366 * 24 * HOUR }).end).toBe(noon + 366 * 24 * HOUR);
    expect(() => periodRange('custom', 0, 'UTC', { from: noon, to: noon + 366 * 24 * HOUR + 1000 })).toThrow(/more than the maximum of 366/);
  });

  it('asks for the bounds when they are missing', () => {
    expect(() => periodRange('custom', 0, PARIS)).toThrow(/needs \{ from, to \}/);
    expect(() => periodRange('custom', 0, PARIS, { from: Number.NaN, to: 0 })).toThrow(/from NaN to 0 is invalid/);
  });
});

describe('periodQuerySchema', () => {
  it('resolves a day query to the local day', () => {
    const query = periodQuerySchema.parse({ period: 'day', date: '2026-10-25', resolution: '1h' });
    const range = periodRangeFromQuery(query, PARIS);

    expect(isoAll([range.start, range.end])).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  it('includes both days of a custom query', () => {
    const query = periodQuerySchema.parse({ period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-31' });

    expect(periodRangeFromQuery(query, PARIS).label).toBe('2026-03-01/2026-03-31');
  });

  it.each([
    [{ period: 'fortnight', date: '2026-03-01' }, /period must be one of day, week, month, year, custom/],
    [{ period: 'day', date: '01/03/2026' }, /^invalid date "01\/03\/2026": expected a local date as YYYY-MM-DD/],
    [{ period: 'day', date: '2026-02-30' }, /invalid calendar date/],
    [{ period: 'custom', date: '2026-03-01', from: '2026-03-01' }, /missing to/],
    [{ period: 'custom', date: '2026-03-01', from: '2026-03-05', to: '2026-03-01' }, /to 2026-03-01 is before from 2026-03-05/],
    [{ period: 'day', date: '2026-03-01', resolution: '5m' }, /resolution must be one of/],
  ])('rejects %j', (input, message) => {
    const result = periodQuerySchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join('; ')).toMatch(message);
  });
});

describe('previous of a custom period', () => {
  it('spans a daylight-saving change', () => {
    // 366 local days, both ends in summer time. The 366 local days before start in winter time, so they
    // last one hour less.
    const range = periodRangeFromQuery({ period: 'custom', date: '2026-03-30', from: '2026-03-30', to: '2027-03-30' }, PARIS);
    const before = previousPeriod(range);

    expect(before.label).toBe('2025-03-29/2026-03-29');
    expect(before.end).toBe(range.start);
    expect(before.end - before.start).toBe(366 * 24 * HOUR - HOUR);
  });

  it('names the local dates of a too long period', () => {
    const query = { period: 'custom' as const, date: '2025-10-25', from: '2025-10-25', to: '2026-10-26' };

    expect(() => periodRangeFromQuery(query, PARIS)).toThrow(PeriodRangeError);
    expect(() => periodRangeFromQuery(query, PARIS)).toThrow('custom period from 2025-10-25 to 2026-10-26 spans 367 local days, more than the maximum of 366');
  });
});

describe('date years', () => {
  it.each([
    ['0050-06-01', 'date 0050-06-01 is out of range: use a year from 1000 to 9999'],
    ['0999-12-31', 'date 0999-12-31 is out of range: use a year from 1000 to 9999'],
    ['10000-01-01', 'invalid date "10000-01-01": expected a local date as YYYY-MM-DD with a year from 1000 to 9999, for example 2026-03-29'],
  ])('rejects %s', (date, message) => {
    const result = periodQuerySchema.safeParse({ period: 'day', date });

    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('resolves the years 1000 and 9999', () => {
    expect(periodRangeFromQuery({ period: 'day', date: '1000-01-01' }, 'UTC').start).toBe(Date.UTC(1000, 0, 1));
    expect(periodRangeFromQuery({ period: 'year', date: '9999-06-01' }, 'UTC').label).toBe('9999');
  });

  it('labels a year below 100 as it is', () => {
    // Date.UTC moves the years 0 to 99 to 1900-1999, so the calendar of year 50 must not go through it.
    const range = periodRange('day', Date.parse('0050-06-01T12:00:00Z'), 'UTC');

    expect(range.label).toBe('0050-06-01');
  });
});

describe('periodRequestSchema', () => {
  it('takes a custom period without date', () => {
    const request = periodRequestSchema.parse({ period: 'custom', from: '2026-03-01', to: '2026-03-07' });

    expect(periodRangeFromQuery(periodQueryOf(request), PARIS).label).toBe('2026-03-01/2026-03-07');
  });

  it('asks for the date of a calendar period', () => {
    const result = periodRequestSchema.safeParse({ period: 'week' });

    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['missing date: a week period needs date as YYYY-MM-DD, a local day inside it']);
  });
});
