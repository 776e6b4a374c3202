import { describe, expect, it } from 'vitest';
import { fixedOffsetTimeToUtcMs, isValidLocalDateTime, parseIsoLocalDateTime, seriesTimeToUtcMs } from '../../src/time/dataset-timestamps';

const local = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({ year, month, day, hour, minute, second });
const iso = (ts: number) => new Date(ts).toISOString();

describe('isValidLocalDateTime', () => {
  it.each([
    ['2020-02-29 00:00:00', local(2020, 2, 29), true],
    ['2019-02-29 00:00:00', local(2019, 2, 29), false],
    ['2020-13-01 00:00:00', local(2020, 13, 1), false],
    ['2020-01-01 24:00:00', local(2020, 1, 1, 24), false],
  ])('%s is %s', (_text, time, valid) => {
    expect(isValidLocalDateTime(time)).toBe(valid);
  });
});

describe('parseIsoLocalDateTime', () => {
  it('reads a space or a T between date and time', () => {
    expect(parseIsoLocalDateTime('2020-02-29 13:45:10')).toEqual(local(2020, 2, 29, 13, 45, 10));
    expect(parseIsoLocalDateTime('2020-02-29T13:45:10')).toEqual(local(2020, 2, 29, 13, 45, 10));
  });

  it('rejects a date that does not exist', () => {
    expect(parseIsoLocalDateTime('2019-02-29 00:00:00')).toBeUndefined();
  });
});

describe('fixedOffsetTimeToUtcMs', () => {
  it('subtracts an offset west of UTC', () => {
    expect(iso(fixedOffsetTimeToUtcMs(local(2015, 6, 1, 12), -7 * 60))).toBe('2015-06-01T19:00:00.000Z');
  });
});

describe('seriesTimeToUtcMs', () => {
  it('takes the later pass of a repeated hour after a row in the earlier one', () => {
    const first = seriesTimeToUtcMs(local(2020, 11, 1, 1, 30), 'America/Los_Angeles', undefined);
    const last = seriesTimeToUtcMs(local(2020, 11, 1, 1, 50), 'America/Los_Angeles', first);
    const again = seriesTimeToUtcMs(local(2020, 11, 1, 1, 10), 'America/Los_Angeles', last);
    expect(iso(first)).toBe('2020-11-01T08:30:00.000Z');
    expect(iso(last)).toBe('2020-11-01T08:50:00.000Z');
    expect(iso(again)).toBe('2020-11-01T09:10:00.000Z');
  });
});
