import { deviceSchema, type AnyPoint, type ControlValue } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { rampSteps } from '../../src/control/device-commands';
import { checkValue, confirms, controlProblem } from '../../src/control/value-checks';

function modbusPoint(fields: Record<string, unknown>): AnyPoint {
  const device = deviceSchema.parse({ key: 'plc', driver: 'modbus-tcp', connection: { host: '127.0.0.1' }, points: [{ key: 'p', address: 0, writable: true, ...fields }] });
  return device.points[0]!;
}

const cases: { name: string; point: Record<string, unknown>; value: ControlValue; expected: { ok: true; value: ControlValue } | { code: string; message: string; limit?: { name: string; value: number } } }[] = [
  { name: 'bool takes true', point: { dataType: 'bool' }, value: true, expected: { ok: true, value: true } },
  { name: 'bool takes 0 as false', point: { dataType: 'bool' }, value: 0, expected: { ok: true, value: false } },
  { name: 'bool rejects 2', point: { dataType: 'bool' }, value: 2, expected: { code: 'wrong_type', message: 'point plc.p is bool: it takes true, false, 1 or 0, got 2' } },
  { name: 'coil is bool whatever its dataType', point: { table: 'coil' }, value: 'on', expected: { code: 'wrong_type', message: 'point plc.p is bool: it takes true, false, 1 or 0, got "on"' } },
  { name: 'int16 takes a whole number', point: { dataType: 'int16' }, value: -5, expected: { ok: true, value: -5 } },
  { name: 'int16 rejects a fraction', point: { dataType: 'int16' }, value: 2.5, expected: { code: 'wrong_type', message: 'point plc.p is int16: it takes a whole number from -32768 to 32767, got 2.5' } },
  { name: 'int16 rejects a string', point: { dataType: 'int16' }, value: '7', expected: { code: 'wrong_type', message: 'point plc.p is int16: it takes a whole number from -32768 to 32767, got "7"' } },
  { name: 'int16 rejects a boolean', point: { dataType: 'int16' }, value: true, expected: { code: 'wrong_type', message: 'point plc.p is int16: it takes a whole number from -32768 to 32767, got true' } },
  {
    name: 'uint16 range is named',
    point: { dataType: 'uint16' },
    value: 70_000,
    expected: { code: 'out_of_limits', message: 'value 70000 is above 65535, the highest uint16 value of point plc.p', limit: { name: 'max', value: 65_535 } },
  },
  { name: 'scaled int16 takes tenths', point: { dataType: 'int16', scale: 0.1 }, value: 21.5, expected: { ok: true, value: 21.5 } },
  {
    name: 'scaled int16 rejects hundredths',
    point: { dataType: 'int16', scale: 0.1 },
    value: 21.55,
    expected: { code: 'wrong_type', message: 'point plc.p is int16: it takes a number from -3276.8 to 3276.7 in steps of 0.1, got 21.55' },
  },
  { name: 'float32 takes a fraction', point: { dataType: 'float32' }, value: 1.25, expected: { ok: true, value: 1.25 } },
  {
    name: 'max is named',
    point: { dataType: 'float32', min: 5, max: 60 },
    value: 61,
    expected: { code: 'out_of_limits', message: 'value 61 is above the maximum 60 of point plc.p; send a value from 5 to 60', limit: { name: 'max', value: 60 } },
  },
  {
    name: 'min is named',
    point: { dataType: 'float32', min: 5, max: 60 },
    value: 4.9,
    expected: { code: 'out_of_limits', message: 'value 4.9 is below the minimum 5 of point plc.p; send a value from 5 to 60', limit: { name: 'min', value: 5 } },
  },
  { name: 'string takes a string', point: { dataType: 'string', length: 2 }, value: 'abcd', expected: { ok: true, value: 'abcd' } },
  {
    name: 'string length is named',
    point: { dataType: 'string', length: 2 },
    value: 'abcde',
    expected: { code: 'out_of_limits', message: 'a string of 5 characters is longer than 4, the maximum length of point plc.p', limit: { name: 'maxLength', value: 4 } },
  },
  { name: 'string rejects a number', point: { dataType: 'string', length: 2 }, value: 5, expected: { code: 'wrong_type', message: 'point plc.p is string: it takes a string of at most 4 characters, got 5' } },
];

describe('control value checks', () => {
  for (const { name, point, value, expected } of cases) {
    it(name, () => {
      const result = checkValue('plc.p', modbusPoint(point), value);
      if ('ok' in expected) {
        expect(result).toEqual(expected);
        return;
      }
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.failure.code).toBe(expected.code);
      expect(result.failure.message).toBe(expected.message);
      expect(result.failure.limit).toEqual(expected.limit);
    });
  }
});

describe('control read-back tolerance', () => {
  it('confirms an int16 only when equal', () => {
    const point = modbusPoint({ dataType: 'int16' });
    expect(confirms(point, 20, 20)).toBe(true);
    expect(confirms(point, 20, 21)).toBe(false);
  });

  it('confirms a float32 within its rounding', () => {
    const point = modbusPoint({ dataType: 'float32' });
    expect(confirms(point, 21.3, Math.fround(21.3))).toBe(true);
    expect(confirms(point, 21.3, 21.31)).toBe(false);
  });

  it('uses verifyTolerance when set', () => {
    const point = modbusPoint({ dataType: 'float32', control: { safeValue: 0, verifyTolerance: 0.5 } });
    expect(confirms(point, 20, 20.4)).toBe(true);
    expect(confirms(point, 20, 20.6)).toBe(false);
  });

  it('compares a bool read as 1 with true', () => {
    expect(confirms(modbusPoint({ dataType: 'bool' }), true, 1)).toBe(true);
    expect(confirms(modbusPoint({ dataType: 'bool' }), true, 0)).toBe(false);
  });

  it('ignores string padding', () => {
    expect(confirms(modbusPoint({ dataType: 'string', length: 4 }), 'ab', 'ab\0\0')).toBe(true);
  });
});

describe('control configuration', () => {
  it('rejects relinquish on a Modbus point', () => {
    const device = deviceSchema.parse({
      key: 'plc',
      driver: 'modbus-tcp',
      connection: { host: '127.0.0.1' },
      points: [{ key: 'p', address: 0, writable: true, control: { onRelease: 'relinquish' } }],
    });
    expect(controlProblem('plc.p', device, device.points[0]!)).toBe(
      'point plc.p has control.onRelease "relinquish", but modbus-tcp has no command priorities to relinquish; set control.onRelease to "safe_value" and a control.safeValue',
    );
  });

  it('requires a safe value that passes the checks', () => {
    const device = deviceSchema.parse({
      key: 'plc',
      driver: 'modbus-tcp',
      connection: { host: '127.0.0.1' },
      points: [
        { key: 'none', address: 0, writable: true },
        { key: 'high', address: 1, writable: true, max: 10, control: { safeValue: 11 } },
      ],
    });
    expect(controlProblem('plc.none', device, device.points[0]!)).toContain('has no control.safeValue');
    expect(controlProblem('plc.high', device, device.points[1]!)).toContain('control.safeValue 11 of point plc.high is unusable: value 11 is above the maximum 10');
  });

  it('ramps integer points in whole steps', () => {
    expect(rampSteps(modbusPoint({ dataType: 'int16' }), 0, 17, 5)).toEqual([5, 10, 15]);
    expect(rampSteps(modbusPoint({ dataType: 'int16' }), 17, 0, 7.5)).toEqual([10, 3]);
    expect(rampSteps(modbusPoint({ dataType: 'float32' }), 0, 1, 0.4)).toEqual([0.4, 0.8]);
  });
});
