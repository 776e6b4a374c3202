import { pointControlSchema, type ControlResult } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import {
  controlInputKind,
  describeControlLimits,
  describeCrossedLimit,
  formatControlValue,
  limitWarning,
  parseControlValue,
  parseLease,
} from '../../../../src/components/site/control-input';
import { makePoint } from './site-fixture';

describe('controlInputKind', () => {
  it.each([
    ['bool', 'boolean'],
    ['string', 'text'],
    ['uint16', 'integer'],
    ['int64', 'integer'],
    ['float32', 'decimal'],
  ] as const)('%s gets a %s input', (dataType, kind) => {
    expect(controlInputKind(dataType)).toBe(kind);
  });
});

describe('parseControlValue', () => {
  it('rejects a decimal comma instead of guessing', () => {
    const parsed = parseControlValue('decimal', '29,5');

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain('29.5');
  });

  it('reads signs, leading points and exponents', () => {
    expect(parseControlValue('decimal', '-3')).toEqual({ ok: true, value: -3 });
    expect(parseControlValue('decimal', '.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseControlValue('decimal', '1.5e1')).toEqual({ ok: true, value: 15 });
  });

  it('reads on and off for booleans', () => {
    expect(parseControlValue('boolean', 'true')).toEqual({ ok: true, value: true });
    expect(parseControlValue('boolean', 'false')).toEqual({ ok: true, value: false });
    expect(parseControlValue('boolean', '')).toMatchObject({ ok: false });
  });

  it('reads decimals', () => {
    expect(parseControlValue('decimal', ' 21.5 ')).toEqual({ ok: true, value: 21.5 });
  });

  it('rejects an empty number', () => {
    expect(parseControlValue('decimal', '')).toEqual({ ok: false, message: 'Enter a value.' });
  });

  it('rejects text in a number field, naming it', () => {
    expect(parseControlValue('decimal', 'abc')).toEqual({ ok: false, message: '"abc" is not a number.' });
  });

  it('rejects a fraction for an integer point', () => {
    expect(parseControlValue('integer', '1.5')).toMatchObject({ ok: false, message: expect.stringContaining('1.5 is not a whole number') });
  });

  it('keeps text as typed', () => {
    expect(parseControlValue('text', ' auto ')).toEqual({ ok: true, value: ' auto ' });
  });

  it('rejects text over 200 characters', () => {
    expect(parseControlValue('text', 'x'.repeat(201))).toMatchObject({ ok: false });
  });
});

describe('parseLease', () => {
  it('leaves an empty lease to the edge', () => {
    expect(parseLease('')).toEqual({ ok: true, leaseS: undefined });
  });

  it('reads whole seconds in range', () => {
    expect(parseLease('300')).toEqual({ ok: true, leaseS: 300 });
  });

  it.each(['4', '86401', '2.5', 'soon'])('rejects %s', (text) => {
    expect(parseLease(text)).toMatchObject({ ok: false, message: expect.stringContaining(`"${text}"`) });
  });
});

describe('limitWarning', () => {
  const point = makePoint('bess', 'setpoint', { unit: 'kW', min: -50, max: 50 });

  it('is null inside the limits', () => {
    expect(limitWarning(point, 50)).toBeNull();
  });

  it('names the maximum crossed', () => {
    expect(limitWarning(point, 60)).toBe('60 kW is above the maximum of 50 kW.');
  });

  it('names the minimum crossed', () => {
    expect(limitWarning(point, -51)).toBe('-51 kW is below the minimum of -50 kW.');
  });

  it('ignores values that are not numbers', () => {
    expect(limitWarning(point, true)).toBeNull();
  });
});

describe('describeControlLimits', () => {
  it('lists min, max and the control settings', () => {
    const control = pointControlSchema.parse({ maxStep: 10, safeValue: 0, dangerous: true, leaseS: 120 });
    const limits = describeControlLimits(makePoint('bess', 'setpoint', { unit: 'kW', min: 0, max: 50, control }));

    expect(limits.map((limit) => limit.name)).toEqual(['min', 'max', 'max step', 'min interval', 'remote lease', 'on release', 'confirmation']);
    expect(limits.find((limit) => limit.name === 'max')?.text).toBe('50 kW');
    expect(limits.find((limit) => limit.name === 'on release')?.text).toBe('writes 0 kW');
  });

  it('is empty for a point without limits', () => {
    expect(describeControlLimits(makePoint('a', 'b'))).toEqual([]);
  });
});

describe('formatControlValue', () => {
  it.each([
    [null, 'W', '–'],
    [true, '', 'on'],
    [false, '', 'off'],
    ['auto', '', 'auto'],
    [12, 'Pct', '12 %'],
  ] as const)('%j in %s reads %s', (value, unit, text) => {
    expect(formatControlValue(value, unit)).toBe(text);
  });
});

describe('describeCrossedLimit', () => {
  it('names the limit of a rejected write', () => {
    const result: ControlResult = { ok: false, point: 'a.b', code: 'out_of_limits', message: 'above max', limit: { name: 'max', value: 50 } };

    expect(describeCrossedLimit(result)).toBe('max = 50');
  });

  it('is null when the server named no limit', () => {
    expect(describeCrossedLimit({ ok: false, point: 'a.b', code: 'rate_limited', message: 'wait' })).toBeNull();
  });
});
