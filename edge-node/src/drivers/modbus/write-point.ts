import type { ModbusPoint } from '@simtestlab/sync';
import {
  DeviceConnectionError,
  DeviceError,
  DeviceProtocolError,
  DeviceRequestError,
  DeviceTimeoutError,
  RequestNotSentError,
} from '../errors';
import { encodeRegisters, toRegisterArray } from './codec';
import type { ModbusConnection, RequestTarget } from './connection';
import { toRaw } from './point-values';

export interface WriteRequest {
  connection: ModbusConnection;
  target: RequestTarget;
  point: ModbusPoint;
  value: number | boolean | string;
  /** Reads the point's SunSpec scale factor from the device now; called only when it has one. */
  readScaleFactor: () => Promise<number>;
}

function rejectRequest(request: WriteRequest, problem: string): never {
  throw new DeviceRequestError(`cannot write point "${request.point.key}": ${problem}`, { device: request.target.device });
}

/** Re-raises a failed write as the same kind of DeviceError, with the point in the message. */
function namePoint(error: unknown, request: WriteRequest): never {
  if (!(error instanceof DeviceError)) throw error;
  const message = `writing point "${request.point.key}" failed: ${error.message}`;
  const options = { device: request.target.device, cause: error };
  if (error instanceof DeviceProtocolError) throw new DeviceProtocolError(message, { ...options, code: error.code });
  if (error instanceof DeviceTimeoutError) throw new DeviceTimeoutError(message, options);
  if (error instanceof RequestNotSentError) throw new RequestNotSentError(message, options);
  if (error instanceof DeviceConnectionError) throw new DeviceConnectionError(message, options);
  throw error;
}

function numericValue(request: WriteRequest): number {
  const { value } = request;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return rejectRequest(request, `expected a finite number, got ${JSON.stringify(value)}`);
}

function checkLimits(request: WriteRequest, value: number): void {
  const { min, max } = request.point;
  if (min !== undefined && value < min) rejectRequest(request, `value ${value} is below its minimum ${min}`);
  if (max !== undefined && value > max) rejectRequest(request, `value ${value} is above its maximum ${max}`);
}

async function registersFor(request: WriteRequest): Promise<number[]> {
  const { point } = request;
  const wordOrder = point.wordOrder ?? 'ABCD';
  if (point.dataType === 'string') {
    if (typeof request.value !== 'string') rejectRequest(request, `expected a string, got ${JSON.stringify(request.value)}`);
    return toRegisterArray(encodeRegisters(request.value, 'string', wordOrder, point.length));
  }

  const value = numericValue(request);
  checkLimits(request, value);
  if (point.dataType === 'bool') return [value === 0 ? 0 : 1];

  const scaleFactor = point.scaleFactor === undefined ? 0 : await request.readScaleFactor();
  const raw = toRaw(value, scaleFactor, point);
  try {
    return toRegisterArray(encodeRegisters(raw, point.dataType, wordOrder, point.length));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return rejectRequest(request, `value ${value} is raw ${raw}, which does not fit ${point.dataType}`);
  }
}

/**
 * Writes one point in engineering units: FC 5 for a coil, FC 6 for a value in one holding register
 * and FC 16 for a value in several. Checks that the point is writable and that the value is within
 * `min` and `max` before anything is sent; throws DeviceRequestError otherwise. A SunSpec scale factor
 * is read from the device just before the write, since the device may change it.
 */
export async function writePoint(request: WriteRequest): Promise<void> {
  const { point, connection, target } = request;
  if (!point.writable) rejectRequest(request, 'the point is read-only');
  if (point.table === 'discrete-input' || point.table === 'input-register') {
    rejectRequest(request, `${point.table}s cannot be written in Modbus`);
  }

  try {
    if (point.table === 'coil') {
      const value = numericValue(request);
      if (value !== 0 && value !== 1) rejectRequest(request, `a coil takes true, false, 1 or 0, got ${value}`);
      await connection.writeCoil(target, point.address, value === 1);
      return;
    }
    const registers = await registersFor(request);
    if (registers.length === 1) await connection.writeRegister(target, point.address, registers[0]!);
    else await connection.writeRegisters(target, point.address, registers);
  } catch (error) {
    if (error instanceof DeviceRequestError) throw error;
    namePoint(error, request);
  }
}
