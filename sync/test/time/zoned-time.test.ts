import { describe, expect, it } from 'vitest';
import { localDateTimeAt, startOfZonedDay, utcOffsetMs, zonedTimeToUtcMs } from '../../src/index';

const BERLIN = 'Europe/Berlin';
const PARIS = 'Europe/Paris';
const LOS_ANGELES = 'America/Los_Angeles';
const HOUR_MS = 3_600_000;

/** Reads `YYYY-MM-DD HH:MM:SS` into its fields, without a zone. */
const local = (text: string) => {
  const [date, time] = text.split(' ');
  const [year, month, day] = date!.split('-').map(Number);
  const [hour, minute, second] = time!.split(':').map(Number);
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
};
const iso = (ts: number) => new Date(ts).toISOString();
const utc = (text: string) => Date.parse(text);

describe('zonedTimeToUtcMs', () => {
  it.each([
    ['2006-12-21 00:00:00', PARIS, '2006-12-20T23:00:00.000Z'],
    ['2020-07-21 07:23:00', LOS_ANGELES, '2020-07-21T14:23:00.000Z'],
    ['2020-02-13 00:00:00', LOS_ANGELES, '2020-02-13T08:00:00.000Z'],
    ['2015-11-11 12:00:00', 'America/Phoenix', '2015-11-11T19:00:00.000Z'],
    ['2026-01-15 10:30:00', BERLIN, '2026-01-15T09:30:00.000Z'],
    ['2026-07-15 10:30:00', BERLIN, '2026-07-15T08:30:00.000Z'],
    ['2026-12-05 00:00:00', 'America/New_York', '2026-12-05T05:00:00.000Z'],
    ['2026-12-05 12:00:00', 'Asia/Kolkata', '2026-12-05T06:30:00.000Z'],
  ])('%s in %s', (text, zone, expected) => {
    expect(iso(zonedTimeToUtcMs(local(text), zone))).toBe(expected);
  });

  it('picks either instant of a repeated time', () => {
    const time = local('2020-11-01 01:30:00');
    expect(iso(zonedTimeToUtcMs(time, LOS_ANGELES, 'earlier'))).toBe('2020-11-01T08:30:00.000Z');
    expect(iso(zonedTimeToUtcMs(time, LOS_ANGELES, 'later'))).toBe('2020-11-01T09:30:00.000Z');
  });

  it('moves a skipped time forward', () => {
    expect(iso(zonedTimeToUtcMs(local('2020-03-08 02:30:00'), LOS_ANGELES))).toBe('2020-03-08T10:30:00.000Z');
  });

  it('resolves a repeated Berlin time to the earlier instant', () => {
    expect(iso(zonedTimeToUtcMs(local('2026-10-25 02:30:00'), BERLIN))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('moves a skipped Berlin time past the gap', () => {
    expect(iso(zonedTimeToUtcMs(local('2026-03-29 02:30:00'), BERLIN))).toBe('2026-03-29T01:30:00.000Z');
  });

  it.each([
    // Paris repeats 02:00 to 03:00 on the last Sunday of October and skips it on the last Sunday of March.
    ['repeated', '2026-10-25 02:30:00', PARIS, 'earlier', '2026-10-25T00:30:00.000Z'],
    ['repeated', '2026-10-25 02:30:00', PARIS, 'later', '2026-10-25T01:30:00.000Z'],
    ['skipped', '2026-03-29 02:30:00', PARIS, 'earlier', '2026-03-29T01:30:00.000Z'],
    ['skipped', '2026-03-29 02:30:00', PARIS, 'later', '2026-03-29T01:30:00.000Z'],
    // Los Angeles repeats 01:00 to 02:00 on the first Sunday of November and skips 02:00 to 03:00 on the second Sunday of March.
    ['repeated', '2026-11-01 01:30:00', LOS_ANGELES, 'earlier', '2026-11-01T08:30:00.000Z'],
    ['repeated', '2026-11-01 01:30:00', LOS_ANGELES, 'later', '2026-11-01T09:30:00.000Z'],
    ['skipped', '2026-03-08 02:30:00', LOS_ANGELES, 'earlier', '2026-03-08T10:30:00.000Z'],
    ['skipped', '2026-03-08 02:30:00', LOS_ANGELES, 'later', '2026-03-08T10:30:00.000Z'],
  ] as const)('%s %s in %s, %s', (_kind, text, zone, repeated, expected) => {
    expect(iso(zonedTimeToUtcMs(local(text), zone, repeated))).toBe(expected);
  });

  it('rejects an unknown zone', () => {
    expect(() => zonedTimeToUtcMs(local('2026-01-01 00:00:00'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('utcOffsetMs', () => {
  it.each([
    [PARIS, '2026-03-29T00:59:59.999Z', 1],
    [PARIS, '2026-03-29T01:00:00.000Z', 2],
    [LOS_ANGELES, '2026-11-01T08:59:59.000Z', -7],
    [LOS_ANGELES, '2026-11-01T09:00:00.000Z', -8],
    ['Asia/Kolkata', '2026-06-01T00:00:00.000Z', 5.5],
  ])('%s at %s is %s h', (zone, at, hours) => {
    expect(utcOffsetMs(zone, utc(at))).toBe(hours * HOUR_MS);
  });

  it('rejects an unknown zone', () => {
    expect(() => utcOffsetMs('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

describe('localDateTimeAt', () => {
  it('reads both passes of a repeated hour', () => {
    expect(localDateTimeAt(utc('2026-11-01T08:30:15.900Z'), LOS_ANGELES)).toEqual(local('2026-11-01 01:30:15'));
    expect(localDateTimeAt(utc('2026-11-01T09:30:15.900Z'), LOS_ANGELES)).toEqual(local('2026-11-01 01:30:15'));
  });

  it('reads the hour after midnight as 0', () => {
    expect(localDateTimeAt(utc('2026-12-04T23:05:00.000Z'), PARIS)).toEqual(local('2026-12-05 00:05:00'));
  });
});

describe('startOfZonedDay', () => {
  it('uses the site day, not the UTC day', () => {
    expect(startOfZonedDay(utc('2026-12-05T23:30:00.000Z'), BERLIN)).toBe(utc('2026-12-05T23:00:00.000Z'));
  });

  it('counts days forward and back across a month end', () => {
    const now = utc('2026-12-01T10:00:00.000Z');
    expect(iso(startOfZonedDay(now, PARIS, -1))).toBe('2026-11-29T23:00:00.000Z');
    expect(iso(startOfZonedDay(now, PARIS, 31))).toBe('2026-12-31T23:00:00.000Z');
  });

  it.each([
    ['spring', PARIS, '2026-03-29T10:00:00.000Z', '2026-03-28T23:00:00.000Z', 23],
    ['autumn', PARIS, '2026-10-25T10:00:00.000Z', '2026-10-24T22:00:00.000Z', 25],
    ['spring', LOS_ANGELES, '2026-03-08T20:00:00.000Z', '2026-03-08T08:00:00.000Z', 23],
    ['autumn', LOS_ANGELES, '2026-11-01T20:00:00.000Z', '2026-11-01T07:00:00.000Z', 25],
  ])('%s change day in %s', (_season, zone, at, expectedStart, hours) => {
    const start = startOfZonedDay(utc(at), zone);
    const end = startOfZonedDay(utc(at), zone, 1);
    expect(iso(start)).toBe(expectedStart);
    expect(end - start).toBe(hours * HOUR_MS);
  });
});
