import { describe, expect, it } from 'vitest';
import { ParsedPayload, parsePath } from '../../../src/drivers/mqtt/payload';

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

  it.each(['', 'a..b', 'a[x]', 'a.', '.a', 'a[1]b', 'a[-1]'])('rejects %j', (path) => {
    expect(parsePath(path)).toBeUndefined();
  });
});

describe('ParsedPayload.extract', () => {
  it.each([
    ['21.5', undefined, 21.5],
    [' -3e2 ', undefined, -300],
    ['true', undefined, 1],
    ['false', undefined, 0],
    ['{"oat_C": 21.5}', 'oat_C', 21.5],
    ['{"irradiance": {"global_Wm2": 871.2}}', 'irradiance.global_Wm2', 871.2],
    ['{"phases": [{"v": 230.1}, {"v": 231.4}]}', 'phases[1].v', 231.4],
    ['[{"value": 7}]', '[0].value', 7],
    ['{"on": true}', 'on', 1],
    ['{"level": "42.5"}', 'level', 42.5],
  ])('reads %s at %s', (text, path, expected) => {
    expect(new ParsedPayload(text).extract(path, false)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['{"oat_C": 21.5', 'oat_C', 'invalid_json'],
    ['{"oat_C": 21.5}', 'rh', 'missing_path'],
    ['{"oat_C": null}', 'oat_C', 'missing_path'],
    ['{"a": [1]}', 'a[3]', 'missing_path'],
    ['{"a": 1}', 'a.b', 'missing_path'],
    ['{"a": 1}', 'a..b', 'missing_path'],
    ['{"state": "on"}', 'state', 'not_numeric'],
    ['{"a": {"b": 1}}', 'a', 'not_numeric'],
    ['hello', undefined, 'not_numeric'],
    ['', undefined, 'not_numeric'],
    ['NaN', undefined, 'not_numeric'],
  ])('reports %j at %s as %s', (text, path, problem) => {
    const result = new ParsedPayload(text).extract(path, false);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.problem).toBe(problem);
  });

  it('keeps text for string points', () => {
    expect(new ParsedPayload('{"mode": "auto"}').extract('mode', true)).toEqual({ ok: true, value: 'auto' });
    expect(new ParsedPayload('standby').extract(undefined, true)).toEqual({ ok: true, value: 'standby' });
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
