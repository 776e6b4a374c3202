import { describe, expect, it } from 'vitest';
import { isValidLocalDateTime, utcOffsetMs, zonedTimeToUtcMs } from '../../src/time/zoned-time';

const local = (text: string) => {
  const [date, time] = text.split(' ');
  const [year, month, day] = date!.split('-').map(Number);
  const [hour, minute, second] = time!.split(':').map(Number);
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
};
const iso = (ts: number) => new Date(ts).toISOString();

describe('zonedTimeToUtcMs', () => {
  it.each([
    ['2006-12-21 00:00:00', 'Europe/Paris', '2006-12-20T23:00:00.000Z'],
    ['2020-07-21 07:23:00', 'America/Los_Angeles', '2020-07-21T14:23:00.000Z'],
    ['2020-02-13 00:00:00', 'America/Los_Angeles', '2020-02-13T08:00:00.000Z'],
    ['2015-11-11 12:00:00', 'America/Phoenix', '2015-11-11T19:00:00.000Z'],
  ])('%s in %s', (text, zone, expected) => {
    expect(iso(zonedTimeToUtcMs(local(text), zone))).toBe(expected);
  });

  it('picks either instant of a repeated time', () => {
    const time = local('2020-11-01 01:30:00');
    expect(iso(zonedTimeToUtcMs(time, 'America/Los_Angeles', 'earlier'))).toBe('2020-11-01T08:30:00.000Z');
    expect(iso(zonedTimeToUtcMs(time, 'America/Los_Angeles', 'later'))).toBe('2020-11-01T09:30:00.000Z');
  });

  it('moves a skipped time forward', () => {
    expect(iso(zonedTimeToUtcMs(local('2020-03-08 02:30:00'), 'America/Los_Angeles'))).toBe('2020-03-08T10:30:00.000Z');
  });

  it('rejects an unknown zone', () => {
    expect(() => utcOffsetMs('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

describe('isValidLocalDateTime', () => {
  it.each([
    ['2020-02-29 00:00:00', true],
    ['2019-02-29 00:00:00', false],
    ['2020-13-01 00:00:00', false],
    ['2020-01-01 24:00:00', false],
  ])('%s is %s', (text, valid) => {
    expect(isValidLocalDateTime(local(text))).toBe(valid);
  });
});
