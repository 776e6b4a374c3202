import { describe, expect, it } from 'vitest';
import { bucketLabels, dstNote, formatDaySpan, formatLocalInterval, periodTitle } from '../../../../src/components/energy/energy-labels';
import { hourlyBuckets, ZONE } from './energy-fixture';

const LOCALE = 'en-GB';
const HOUR_MS = 3_600_000;
/** Local midnight in Berlin of the day clocks go forward (UTC+1 before) and of the day they go back (UTC+2 before). */
const SPRING_DAY_START = Date.UTC(2026, 2, 28, 23);
const AUTUMN_DAY_START = Date.UTC(2026, 9, 24, 22);

describe('bucketLabels', () => {
  it('skips 02:00 on the 23-hour day', () => {
    const labels = bucketLabels(hourlyBuckets(SPRING_DAY_START, 23), '1h', ZONE, LOCALE);

    expect(labels).toHaveLength(23);
    expect(labels.slice(0, 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(labels.at(-1)).toBe('23:00');
  });

  it('labels the repeated hour with its offset on the 25-hour day', () => {
    const labels = bucketLabels(hourlyBuckets(AUTUMN_DAY_START, 25), '1h', ZONE, LOCALE);

    expect(labels).toHaveLength(25);
    expect(labels.slice(1, 5)).toEqual(['01:00', '02:00 GMT+2', '02:00 GMT+1', '03:00']);
    expect(labels.at(-1)).toBe('23:00');
    expect(new Set(labels).size).toBe(25);
  });

  it('adds the date to hours of several days', () => {
    const labels = bucketLabels(hourlyBuckets(SPRING_DAY_START - 2 * HOUR_MS, 4), '1h', ZONE, LOCALE);

    expect(labels[0]).toBe('28 Mar, 22:00');
    expect(labels[2]).toBe('29 Mar, 00:00');
  });

  it('labels days and months in the site zone', () => {
    expect(bucketLabels([{ start: SPRING_DAY_START, end: SPRING_DAY_START + 23 * HOUR_MS }], '1d', ZONE, LOCALE)).toEqual(['Sun 29 Mar']);
    expect(bucketLabels([{ start: SPRING_DAY_START, end: SPRING_DAY_START + HOUR_MS }], '1mo', ZONE, LOCALE)).toEqual(['Mar 2026']);
  });
});

describe('dstNote', () => {
  it('explains the 23-hour day', () => {
    expect(dstNote({ kind: 'day', from: '2026-03-29', to: '2026-03-29', hours: 23 })).toBe('This day has 23 hours: clocks went forward, so an hour is missing.');
  });

  it('explains the 25-hour day', () => {
    expect(dstNote({ kind: 'day', from: '2026-10-25', to: '2026-10-25', hours: 25 })).toBe('This day has 25 hours: clocks went back, so an hour is repeated.');
  });

  it('explains a month with the change', () => {
    expect(dstNote({ kind: 'month', from: '2026-03-01', to: '2026-03-31', hours: 743 })).toContain('This period has 743 hours');
  });

  it('says nothing for an ordinary day', () => {
    expect(dstNote({ kind: 'day', from: '2026-03-02', to: '2026-03-02', hours: 24 })).toBeNull();
  });
});

describe('periodTitle', () => {
  it.each([
    [{ period: 'day', date: '2026-03-29' }, 'Sunday, 29 March 2026'],
    [{ period: 'week', date: '2026-03-29' }, 'Week 13, 2026 (23 Mar – 29 Mar 2026)'],
    [{ period: 'week', date: '2026-12-29' }, 'Week 53, 2026 (28 Dec 2026 – 3 Jan 2027)'],
    [{ period: 'month', date: '2026-03-01' }, 'March 2026'],
    [{ period: 'year', date: '2026-01-01' }, '2026'],
    [{ period: 'custom', date: '2026-03-01', from: '2026-03-01', to: '2026-03-10' }, '1 Mar – 10 Mar 2026'],
  ] as const)('names %j', (query, title) => {
    expect(periodTitle(query, LOCALE)).toBe(title);
  });

  it('writes one day as a date', () => {
    expect(formatDaySpan('2026-03-01', '2026-03-01', LOCALE)).toBe('1 Mar 2026');
  });
});

describe('formatLocalInterval', () => {
  it('shows the local time after the clocks changed', () => {
    const start = SPRING_DAY_START + 17 * HOUR_MS;

    expect(formatLocalInterval(start, start + HOUR_MS / 4, ZONE, LOCALE)).toBe('29 Mar 2026, 18:00–18:15');
  });
});
