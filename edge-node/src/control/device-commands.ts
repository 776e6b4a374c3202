import type { AnyPoint, ControlValue, SampleValue } from '@simtestlab/sync';
import type { Driver, PointReading } from '../drivers/driver';
import { DeviceProtocolError, DeviceRequestError, RequestNotSentError } from '../drivers/errors';
import { confirms, controlDataType, verifyToleranceOf } from './value-checks';

/** Clock and sleep of the control service; tests pass their own. */
export interface ControlTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Pause between two read-backs while a write is being verified. */
const VERIFY_POLL_MS = 100;
/** Interval of the steps of a ramp: `rampPerSecond` is the largest step. */
const RAMP_STEP_MS = 1000;

/** A point of a started driver, with what a write needs to know about it. */
export interface DevicePoint {
  pointId: string;
  point: AnyPoint;
  driver: Driver;
}

/** Outcome of a write on the device. `commanded` is true when the device may have taken the value. */
export type DeviceFailure = { ok: false; code: 'device_error' | 'not_confirmed'; message: string; commanded: boolean };
export type DeviceOutcome = { ok: true; readBack: SampleValue } | DeviceFailure;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks whether the device may have acted on a request that failed. A request rejected before sending,
 * one never sent because the connection could not be opened, or one the device replied to with a
 * protocol error changed nothing. A timeout or a connection lost during the request may have.
 */
function mayHaveActed(error: unknown): boolean {
  return !(error instanceof DeviceRequestError || error instanceof DeviceProtocolError || error instanceof RequestNotSentError);
}

/** Reads one point now, through `readPointNow` where the driver has it. */
export async function readPoint(target: DevicePoint): Promise<PointReading> {
  const { driver, point } = target;
  if (driver.readPointNow) return await driver.readPointNow(point.key);
  const reading = (await driver.read()).find((candidate) => candidate.point === point.key);
  return reading ?? { point: point.key, value: null, quality: 'bad', reason: 'config' };
}

/** Reads the point's current value, or returns why it is unknown. */
export async function readCurrent(target: DevicePoint): Promise<{ ok: true; value: SampleValue } | { ok: false; message: string }> {
  try {
    const reading = await readPoint(target);
    if (reading.quality === 'bad') return { ok: false, message: `point ${target.pointId} reads bad (${reading.reason ?? 'no reason given'})` };
    return { ok: true, value: reading.value };
  } catch (error) {
    return { ok: false, message: `reading point ${target.pointId} failed: ${errorMessage(error)}` };
  }
}

/** Reads back until the value confirms `expected` or `timeoutMs` passes. */
async function verify(target: DevicePoint, expected: ControlValue, timeoutMs: number, timing: ControlTiming): Promise<DeviceOutcome> {
  const deadline = timing.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const reading = await readPoint(target);
      if (reading.quality !== 'bad' && confirms(target.point, expected, reading.value)) return { ok: true, readBack: reading.value };
      last = reading.quality === 'bad' ? `a bad reading (${reading.reason ?? 'no reason given'})` : JSON.stringify(reading.value);
    } catch (error) {
      last = `an error: ${errorMessage(error)}`;
    }
    if (timing.now() >= deadline) {
      const tolerance = typeof expected === 'number' ? ` (tolerance ${verifyToleranceOf(target.point, expected)})` : '';
      return {
        ok: false,
        code: 'not_confirmed',
        message: `point ${target.pointId} read back ${last} within ${timeoutMs} ms of writing ${JSON.stringify(expected)}${tolerance}; the device did not take the value, or another source commands it`,
        commanded: true,
      };
    }
    await timing.sleep(VERIFY_POLL_MS);
  }
}

/** Sends one write; a failure names the driver's message. */
async function send(target: DevicePoint, value: ControlValue, priority: number): Promise<DeviceFailure | undefined> {
  try {
    await target.driver.write(target.point.key, value, { priority });
    return undefined;
  } catch (error) {
    return { ok: false, code: 'device_error', message: `writing ${JSON.stringify(value)} to point ${target.pointId} failed: ${errorMessage(error)}`, commanded: mayHaveActed(error) };
  }
}

/** Writes a value at `priority` and reads it back until it is confirmed. */
export async function writeAndVerify(
  target: DevicePoint,
  value: ControlValue,
  options: { priority: number; verifyTimeoutMs: number; timing: ControlTiming },
): Promise<DeviceOutcome> {
  const failed = await send(target, value, options.priority);
  if (failed) return failed;
  return await verify(target, value, options.verifyTimeoutMs, options.timing);
}

/**
 * Intermediate values of a ramp from `from` to `to`, at most `perStep` apart; integer points move in
 * whole raw steps. The target itself is not included.
 */
export function rampSteps(point: AnyPoint, from: number, to: number, perStep: number): number[] {
  const type = controlDataType(point);
  const integer = type !== 'float32' && type !== 'float64';
  const grid = integer ? Math.abs(point.scale) : 0;
  const step = grid > 0 ? Math.max(grid, Math.floor(perStep / grid) * grid) : perStep;
  const direction = Math.sign(to - from);
  const steps: number[] = [];
  for (let value = from + direction * step; direction * (to - value) > 0; value += direction * step) steps.push(value);
  return steps;
}

/**
 * Moves a point to `value` in steps of at most `rampPerSecond`, one step per second, and verifies the
 * last one. Intermediate steps are written without waiting for a read-back. Aborting `signal` stops
 * the ramp before its next step, with the abort reason in the failure.
 */
export async function rampAndVerify(
  target: DevicePoint,
  from: number,
  value: number,
  options: { rampPerSecond: number; priority: number; verifyTimeoutMs: number; timing: ControlTiming; signal?: AbortSignal },
): Promise<DeviceOutcome> {
  const steps = rampSteps(target.point, from, value, options.rampPerSecond);
  for (const [index, step] of steps.entries()) {
    if (options.signal?.aborted) {
      const reached = index === 0 ? `before its first step from ${from}` : `at ${steps[index - 1]} after ${index} of ${steps.length + 1} steps`;
      const message = `the ramp of point ${target.pointId} to ${value} stopped ${reached}, because ${String(options.signal.reason)}`;
      return { ok: false, code: 'device_error', message, commanded: index > 0 };
    }
    const failed = await send(target, step, options.priority);
    // Once a step went through, the point has moved away from where it was.
    if (failed) return { ...failed, commanded: failed.commanded || index > 0 };
    await options.timing.sleep(RAMP_STEP_MS);
  }
  return await writeAndVerify(target, value, options);
}

/** Relinquishes the point at `priority` and reads the value that took over. */
export async function relinquishPoint(target: DevicePoint, priority: number): Promise<DeviceOutcome> {
  const { driver } = target;
  if (!driver.relinquish) {
    return { ok: false, code: 'device_error', message: `the driver of point ${target.pointId} has no command priorities to relinquish`, commanded: false };
  }
  try {
    await driver.relinquish(target.point.key, priority);
  } catch (error) {
    const message = `relinquishing point ${target.pointId} at priority ${priority} failed: ${errorMessage(error)}`;
    return { ok: false, code: 'device_error', message, commanded: mayHaveActed(error) };
  }
  const current = await readCurrent(target);
  return { ok: true, readBack: current.ok ? current.value : null };
}
