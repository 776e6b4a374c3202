import { pointControlSchema, type AnyPoint, type ControlResult, type ControlValue, type DataType, type Device, type PointControl, type SampleValue } from '@simtestlab/sync';

/** A refused or failed command without its point, which the service adds. */
export type ControlFailure = Omit<Extract<ControlResult, { ok: false }>, 'ok' | 'point'>;

/** The outcome of checking a value: the value to write (booleans for bool points), or the refusal. */
export type CheckedValue = { ok: true; value: ControlValue } | { ok: false; failure: ControlFailure };

/** Control settings of a point, with the defaults of `pointControlSchema` when it has none. */
export function controlOf(point: AnyPoint): PointControl {
  return point.control ?? pointControlSchema.parse({});
}

/**
 * Returns the type a value is checked against. BACnet binary objects and Modbus coils take booleans
 * whatever their `dataType`, and multi-state objects take state numbers.
 */
export function controlDataType(point: AnyPoint): DataType {
  if ('objectType' in point) {
    if (point.objectType.startsWith('binary-')) return 'bool';
    if (point.objectType.startsWith('multi-state-')) return 'uint32';
  }
  if ('table' in point && point.table === 'coil') return 'bool';
  return point.dataType;
}

/** Raw ranges of the integer types; 64-bit types stop where JavaScript numbers stop being exact. */
const integerRanges: Partial<Record<DataType, readonly [number, number]>> = {
  int16: [-32_768, 32_767],
  uint16: [0, 65_535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

const FLOAT32_MAX = 3.4028234663852886e38;

/** Checks whether the raw value of a point depends on a SunSpec scale factor that only the device knows. */
function hasDeviceScaleFactor(point: AnyPoint): boolean {
  return 'scaleFactor' in point && point.scaleFactor !== undefined;
}

/** Engineering range and step of an integer point: raw range times scale plus offset. */
function integerEngineeringRange(point: AnyPoint, type: DataType): { low: number; high: number; step: number } | undefined {
  const raw = integerRanges[type];
  if (!raw) return undefined;
  // 15 significant digits drop the binary noise of the scale, so 32767 * 0.1 reads 3276.7.
  const ends = [raw[0] * point.scale + point.offset, raw[1] * point.scale + point.offset].map((end) => Number(end.toPrecision(15)));
  return { low: Math.min(...ends), high: Math.max(...ends), step: Math.abs(point.scale) };
}

/** Largest string a Modbus string point holds: two latin1 characters per register. */
function maxStringLength(point: AnyPoint): number | undefined {
  return 'length' in point && point.length !== undefined ? point.length * 2 : undefined;
}

/** Describes what a point takes, for `wrong_type` messages. */
function expectedValue(point: AnyPoint, type: DataType): string {
  if (type === 'bool') return 'true, false, 1 or 0';
  if (type === 'string') {
    const length = maxStringLength(point);
    return length === undefined ? 'a string' : `a string of at most ${length} characters`;
  }
  const range = integerEngineeringRange(point, type);
  if (!range || hasDeviceScaleFactor(point)) return 'a finite number';
  if (point.scale === 1 && point.offset === 0) return `a whole number from ${range.low} to ${range.high}`;
  return `a number from ${range.low} to ${range.high} in steps of ${range.step}`;
}

function wrongType(pointId: string, point: AnyPoint, type: DataType, value: unknown): CheckedValue {
  return {
    ok: false,
    failure: { code: 'wrong_type', message: `point ${pointId} is ${type}: it takes ${expectedValue(point, type)}, got ${JSON.stringify(value)}` },
  };
}

function outOfLimits(name: string, limit: number, message: string): CheckedValue {
  return { ok: false, failure: { code: 'out_of_limits', message, limit: { name, value: limit } } };
}

/** Checks that an integer point's value is on its raw grid and in its raw range, when the raw value is known. */
function checkInteger(pointId: string, point: AnyPoint, type: DataType, value: number): CheckedValue | undefined {
  const range = integerEngineeringRange(point, type);
  if (!range || hasDeviceScaleFactor(point)) return undefined;
  const raw = (value - point.offset) / point.scale;
  const onGrid = Math.abs(raw - Math.round(raw)) <= 1e-9 * Math.max(1, Math.abs(raw));
  if (!onGrid) return wrongType(pointId, point, type, value);
  if (value < range.low) return outOfLimits('min', range.low, `value ${value} is below ${range.low}, the lowest ${type} value of point ${pointId}`);
  if (value > range.high) return outOfLimits('max', range.high, `value ${value} is above ${range.high}, the highest ${type} value of point ${pointId}`);
  return undefined;
}

/**
 * Checks a value against the point's type and its `min` and `max`. Bool points take true, false, 1 or
 * 0 and get a boolean. Integer points take values whose raw value is a whole number in the type's
 * range. Float points take finite numbers, and string points take strings that fit.
 */
export function checkValue(pointId: string, point: AnyPoint, value: ControlValue): CheckedValue {
  const type = controlDataType(point);
  if (type === 'bool') {
    if (typeof value === 'boolean') return { ok: true, value };
    if (value === 0 || value === 1) return { ok: true, value: value === 1 };
    return wrongType(pointId, point, type, value);
  }
  if (type === 'string') {
    if (typeof value !== 'string') return wrongType(pointId, point, type, value);
    const length = maxStringLength(point);
    if (length !== undefined && value.length > length) {
      return outOfLimits('maxLength', length, `a string of ${value.length} characters is longer than ${length}, the maximum length of point ${pointId}`);
    }
    return { ok: true, value };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(pointId, point, type, value);
  const integer = checkInteger(pointId, point, type, value);
  if (integer) return integer;
  if (type === 'float32' && Math.abs((value - point.offset) / point.scale) > FLOAT32_MAX) {
    return outOfLimits('max', FLOAT32_MAX, `value ${value} of point ${pointId} does not fit a float32`);
  }
  const allowed = `send a value from ${point.min ?? '-∞'} to ${point.max ?? '∞'}`;
  if (point.min !== undefined && value < point.min) {
    return outOfLimits('min', point.min, `value ${value} is below the minimum ${point.min} of point ${pointId}; ${allowed}`);
  }
  if (point.max !== undefined && value > point.max) {
    return outOfLimits('max', point.max, `value ${value} is above the maximum ${point.max} of point ${pointId}; ${allowed}`);
  }
  return { ok: true, value };
}

/**
 * Returns the largest difference between a value written and the value read back that still confirms
 * the write. That is `verifyTolerance` when set, else half a raw step for integer points and 0 for bool
 * points. Floats get a relative 1e-6 (float32) or 1e-12 (float64), above the rounding of those formats.
 */
export function verifyToleranceOf(point: AnyPoint, value: number): number {
  const configured = point.control?.verifyTolerance;
  if (configured !== undefined) return configured;
  const type = controlDataType(point);
  // NOTE: a SunSpec point's raw step depends on the device's scale factor, which is not known here.
  // Such points need `control.verifyTolerance` when the scale factor is below 0.
  if (integerRanges[type]) return Math.abs(point.scale) / 2;
  if (type === 'float64') return Math.max(Math.abs(value) * 1e-12, 1e-12);
  if (type === 'float32') return Math.max(Math.abs(value) * 1e-6, Math.abs(point.scale) * 1e-6);
  return 0;
}

/** Whether a value read back confirms the value written. */
export function confirms(point: AnyPoint, written: ControlValue, read: SampleValue): boolean {
  if (read === null || read === undefined) return false;
  if (typeof written === 'string') return typeof read === 'string' && read.replace(/[\0 ]+$/, '') === written.replace(/[\0 ]+$/, '');
  const expected = Number(written);
  const actual = Number(read);
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= verifyToleranceOf(point, expected);
}

/**
 * Returns why the edge cannot control a point, or undefined when it can: the device is disabled or
 * read-only by protocol, the point is not writable, or the point's release cannot be applied.
 */
export function controlProblem(pointId: string, device: Device, point: AnyPoint): string | undefined {
  if (!device.enabled) return `device ${device.key} is disabled in the site file`;
  if (device.driver === 'mqtt') return `point ${pointId} is on an MQTT device, and the MQTT driver does not publish`;
  if (!point.writable) return `point ${pointId} is read-only; set writable: true in its definition to control it`;
  if ('table' in point && (point.table === 'discrete-input' || point.table === 'input-register')) {
    return `point ${pointId} is in the ${point.table} table, which Modbus cannot write`;
  }
  return releaseProblem(pointId, device, point);
}

/** Returns why a lease on the point could not be ended, or undefined when its release can be applied. */
function releaseProblem(pointId: string, device: Device, point: AnyPoint): string | undefined {
  const control = controlOf(point);
  if (control.onRelease === 'relinquish') {
    if (device.driver !== 'bacnet') {
      return `point ${pointId} has control.onRelease "relinquish", but ${device.driver} has no command priorities to relinquish; set control.onRelease to "safe_value" and a control.safeValue`;
    }
    if ('property' in point && point.property !== 'present-value') {
      return `point ${pointId} has control.onRelease "relinquish", but only present-value is commanded by priority; set control.onRelease to "safe_value" and a control.safeValue`;
    }
    return undefined;
  }
  if (control.safeValue === undefined) {
    return `point ${pointId} has no control.safeValue to restore when a lease ends; set control.safeValue, or control.onRelease "relinquish" on a BACnet point`;
  }
  const safe = checkValue(pointId, point, control.safeValue);
  if (!safe.ok) return `control.safeValue ${JSON.stringify(control.safeValue)} of point ${pointId} is unusable: ${safe.failure.message}`;
  return undefined;
}
