import { deviceSchema, type Device } from '@simtestlab/sync';
import pino from 'pino';
import type { Logger } from '../../../src/logger';
import type { Driver, DriverContext } from '../../../src/drivers/driver';
import { createModbusDriver, type ModbusDriverOptions } from '../../../src/drivers/modbus';

/** Log lines a test logger captured, as parsed pino objects. */
export interface CapturedLog {
  logger: Logger;
  lines: Record<string, unknown>[];
}

/** Creates a pino logger at trace level that keeps its lines in memory. */
export function captureLogger(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'trace' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

/** Parses a Modbus TCP device for a server on 127.0.0.1. */
export function tcpDevice(port: number, fields: Record<string, unknown> = {}, connection: Record<string, unknown> = {}): Device {
  return deviceSchema.parse({
    key: 'dev',
    driver: 'modbus-tcp',
    connection: { host: '127.0.0.1', port, timeoutMs: 200, ...connection },
    ...fields,
  });
}

/** Creates a driver with a capturing logger; tests stop it in `afterEach`. */
export function makeDriver(device: Device, options: ModbusDriverOptions = {}): { driver: Driver; log: CapturedLog } {
  const log = captureLogger();
  const context: DriverContext = { logger: log.logger, onReadings: () => undefined };
  return { driver: createModbusDriver(device, context, options), log };
}

/** Registers of a float32 in big-endian word order. */
export function float32Registers(value: number, order: 'ABCD' | 'CDAB' = 'ABCD'): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatBE(value, 0);
  const high = bytes.readUInt16BE(0);
  const low = bytes.readUInt16BE(2);
  return order === 'ABCD' ? [high, low] : [low, high];
}

/** Milliseconds a promise takes to settle, and its outcome. */
export async function timed<T>(promise: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}
