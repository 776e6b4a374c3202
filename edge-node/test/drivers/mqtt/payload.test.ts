import { mqttPayloadPathSchema, type DataType } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { checkFutureTimestamp, MAX_SOURCE_CLOCK_AHEAD_MS } from '../../../src/drivers/mqtt/future-timestamp';
import { ParsedPayload, parsePath, type PayloadProblem } from '../../../src/drivers/mqtt/payload';

const validPaths = ['a', 'a.b[2].c', '[0].value', 'a[1][2]', 'irradiance.global_Wm2', 'outdoor temp'];
const invalidPaths = ['', 'x[', 'a..b', 'a[x]', 'a.', '.a', 'a[1]b', 'a[-1]', 'a[]', 'a.[0]'];

describe('parsePath', () => {
  it.each([
    ['a', ['a']],
    ['a.b[2].c', ['a', 'b', 2, 'c']],
    ['[0].value', [0, 'value']],
    ['a[1][2]', ['a', 1, 2]],
    ['irradiance.global_Wm2', ['irradiance', 'global_Wm2']],
  ])('splits %s', (path, steps) => {
    expect(parsePath(path)).toEqual(steps);
  });

  it.each(invalidPaths)('rejects %j', (path) => {
    expect(parsePath(path)).toBeUndefined();
  });

  // The config schema in sync and the driver's parser implement one grammar twice.
  it.each([...validPaths, ...invalidPaths])('agrees with the config schema on %j', (path) => {
    expect(mqttPayloadPathSchema.safeParse(path).success).toBe(parsePath(path) !== undefined);
  });
});

function problemOf(text: string, path: string | undefined, dataType: DataType): PayloadProblem | undefined {
  const result = new ParsedPayload(text).extract(path, dataType);
  return result.ok ? undefined : result.problem;
}

describe('ParsedPayload.extract for numeric points', () => {
  it.each([
    ['21.5', undefined, 21.5],
    [' -3e2 ', undefined, -300],
    ['42.25\n', undefined, 42.25],
    ['+7', undefined, 7],
    ['0', undefined, 0],
    ['{"oat_C": 21.5}', 'oat_C', 21.5],
    ['{"irradiance": {"global_Wm2": 871.2}}', 'irradiance.global_Wm2', 871.2],
    ['{"phases": [{"v": 230.1}, {"v": 231.4}]}', 'phases[1].v', 231.4],
    ['[{"value": 7}]', '[0].value', 7],
    ['{"level": "42.5"}', 'level', 42.5],
    ['{"level": "-1.5E-3"}', 'level', -0.0015],
    ['{"level": "007"}', 'level', 7],
    ['{"level": -12}', 'level', -12],
  ])('reads %j at %s', (text, path, expected) => {
    expect(new ParsedPayload(text).extract(path, 'float64')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['{"oat_C": 21.5', 'oat_C', 'invalid_json'],
    ['{"oat_C": 21.5}', 'rh', 'missing_path'],
    ['{"oat_C": null}', 'oat_C', 'missing_path'],
    ['{"a": [1]}', 'a[3]', 'missing_path'],
    ['{"a": 1}', 'a.b', 'missing_path'],
    ['{"a": 1}', 'a..b', 'missing_path'],
    ['{"v": "0x10"}', 'v', 'not_numeric'],
    ['{"v": "0o17"}', 'v', 'not_numeric'],
    ['{"v": "0b101"}', 'v', 'not_numeric'],
    ['{"v": true}', 'v', 'not_numeric'],
    ['{"v": false}', 'v', 'not_numeric'],
    ['{"v": "true"}', 'v', 'not_numeric'],
    ['{"v": "Infinity"}', 'v', 'not_numeric'],
    ['{"v": "NaN"}', 'v', 'not_numeric'],
    ['{"v": "1e999"}', 'v', 'not_numeric'],
    ['{"v": 1e999}', 'v', 'not_numeric'],
    ['{"v": ""}', 'v', 'not_numeric'],
    ['{"v": " 42 "}', 'v', 'not_numeric'],
    ['{"v": "1_000"}', 'v', 'not_numeric'],
    ['{"v": "1,5"}', 'v', 'not_numeric'],
    ['{"v": ".5"}', 'v', 'not_numeric'],
    ['{"v": "5."}', 'v', 'not_numeric'],
    ['{"v": "12abc"}', 'v', 'not_numeric'],
    ['{"v": "on"}', 'v', 'not_numeric'],
    ['{"v": [1]}', 'v', 'not_numeric'],
    ['{"v": {"b": 1}}', 'v', 'not_numeric'],
    ['0x10', undefined, 'not_numeric'],
    ['true', undefined, 'not_numeric'],
    ['false', undefined, 'not_numeric'],
    ['Infinity', undefined, 'not_numeric'],
    ['NaN', undefined, 'not_numeric'],
    ['"21.5"', undefined, 'not_numeric'],
    ['- 1', undefined, 'not_numeric'],
    ['hello', undefined, 'not_numeric'],
    ['', undefined, 'not_numeric'],
  ])('reports %j at %s as %s', (text, path, problem) => {
    expect(problemOf(text, path, 'float64')).toBe(problem);
  });

  it('applies to every numeric data type', () => {
    for (const dataType of ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'] as const) {
      expect(new ParsedPayload('{"v": "16"}').extract('v', dataType)).toEqual({ ok: true, value: 16 });
      expect(problemOf('{"v": "0x10"}', 'v', dataType)).toBe('not_numeric');
      expect(problemOf('true', undefined, dataType)).toBe('not_numeric');
    }
  });
});

describe('ParsedPayload.extract for bool points', () => {
  it.each([
    ['true', undefined, 1],
    ['false', undefined, 0],
    [' true\n', undefined, 1],
    ['1', undefined, 1],
    ['0', undefined, 0],
    ['-0', undefined, 0],
    ['{"on": true}', 'on', 1],
    ['{"on": false}', 'on', 0],
    ['{"on": 1}', 'on', 1],
    ['{"on": "0"}', 'on', 0],
  ])('reads %j at %s', (text, path, expected) => {
    expect(new ParsedPayload(text).extract(path, 'bool')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2', undefined, 'not_boolean'],
    ['TRUE', undefined, 'not_boolean'],
    ['yes', undefined, 'not_boolean'],
    ['on', undefined, 'not_boolean'],
    ['0x1', undefined, 'not_boolean'],
    ['{"on": "true"}', 'on', 'not_boolean'],
    ['{"on": 0.5}', 'on', 'not_boolean'],
    ['{"on": "on"}', 'on', 'not_boolean'],
    ['{"on": [true]}', 'on', 'not_boolean'],
    ['{"on": null}', 'on', 'missing_path'],
  ])('reports %j at %s as %s', (text, path, problem) => {
    expect(problemOf(text, path, 'bool')).toBe(problem);
  });
});

describe('ParsedPayload.extract for string points', () => {
  it('keeps text', () => {
    expect(new ParsedPayload('{"mode": "auto"}').extract('mode', 'string')).toEqual({ ok: true, value: 'auto' });
    expect(new ParsedPayload('{"mode": 3}').extract('mode', 'string')).toEqual({ ok: true, value: '3' });
    expect(new ParsedPayload('standby').extract(undefined, 'string')).toEqual({ ok: true, value: 'standby' });
  });
});

describe('ParsedPayload.sourceTimestampMs', () => {
  it.each([
    ['{"ts": 1700000000000}', 1_700_000_000_000],
    ['{"ts": 1700000000}', 1_700_000_000_000],
    ['{"timestamp": "2023-11-14T22:13:20Z"}', 1_700_000_000_000],
    ['{"time": 1700000000.5}', 1_700_000_000_500],
    ['{"value": 1}', undefined],
    ['21.5', undefined],
    ['{"ts": "soon"}', undefined],
  ])('reads %s', (text, expected) => {
    expect(new ParsedPayload(text).sourceTimestampMs()).toBe(expected);
  });
});

describe('checkFutureTimestamp', () => {
  const nowMs = Date.UTC(2024, 5, 1);

  it('allows timestamps up to the limit ahead', () => {
    expect(MAX_SOURCE_CLOCK_AHEAD_MS).toBe(300_000);
    expect(checkFutureTimestamp(nowMs - 1000, nowMs)).toBeUndefined();
    expect(checkFutureTimestamp(nowMs + MAX_SOURCE_CLOCK_AHEAD_MS, nowMs)).toBeUndefined();
  });

  it('rejects a timestamp past the limit', () => {
    const result = checkFutureTimestamp(nowMs + MAX_SOURCE_CLOCK_AHEAD_MS + 1, nowMs);
    expect(result?.problem).toBe('future_timestamp');
    expect(result?.detail).toBe(
      "payload timestamp 2024-06-01T00:05:00.001Z is 300 s ahead of the edge clock, more than the 300 s allowed; check the publisher's clock and that its timestamp is in ms or s",
    );
  });

  it('rejects a timestamp beyond the Date range', () => {
    expect(checkFutureTimestamp(1e20, nowMs)?.detail).toMatch(/^payload timestamp 100000000000000000000 is \d+ s ahead/);
  });
});
