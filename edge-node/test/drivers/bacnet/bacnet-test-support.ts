import { ApplicationTag, type BACNetAppData } from '@bacnet-js/client';
import { deviceSchema, type BacnetDevice, type BacnetObjectType } from '@simtestlab/sync';
import pino from 'pino';
import { BacnetClient, type BacnetClientInstance } from '../../../src/drivers/bacnet/bacnet-library';
import { createBacnetDriver, type BacnetDriver, type BacnetDriverOptions } from '../../../src/drivers/bacnet';
import type { PointReading } from '../../../src/drivers/driver';
import type { Logger } from '../../../src/logger';
import { startBacnetDevice, type BacnetDeviceOptions, type RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { SimulatedObject, type SimulatedObjectSpec } from '../../../src/simulate/bacnet/simulated-object';

/** Log lines a test logger captured, as parsed pino objects. */
export interface CapturedLog {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Messages of the captured lines at `level` or above (30 info, 40 warn). */
  messages(level?: number): string[];
}

/** Creates a pino logger at debug level that keeps its lines in memory. */
export function captureLogger(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines, messages: (level = 0) => lines.filter((line) => Number(line.level) >= level).map((line) => String(line.msg)) };
}

/** Values of test objects, changed by tests; keyed `objectType:instance`. */
export class TestValues {
  private readonly values = new Map<string, number | null>();

  set(objectType: BacnetObjectType, instance: number, value: number | null): void {
    this.values.set(`${objectType}:${instance}`, value);
  }

  source(objectType: BacnetObjectType, instance: number, initial: number | null): () => number | null {
    const key = `${objectType}:${instance}`;
    this.values.set(key, initial);
    return () => this.values.get(key) ?? null;
  }
}

/** Builds simulated objects whose values a TestValues controls. */
export function testObjects(values: TestValues, specs: (Omit<SimulatedObjectSpec, 'source' | 'name'> & { value: number | null; name?: string })[]): SimulatedObject[] {
  return specs.map(
    ({ value, name, ...spec }) =>
      new SimulatedObject({ ...spec, name: name ?? `${spec.objectType} ${spec.instance}`, source: values.source(spec.objectType, spec.instance, value) }),
  );
}

/** Starts a simulated device on 127.0.0.1 with a silent logger unless one is given. */
export function startTestDevice(options: Omit<BacnetDeviceOptions, 'logger'> & { logger?: Logger }): Promise<RunningBacnetDevice> {
  return startBacnetDevice({ logger: pino({ level: 'silent' }), ...options });
}

/** Parses a BACnet device whose client binds 127.0.0.1:`localPort` and whose device is at 127.0.0.1:`port`. */
export function bacnetDevice(options: {
  key?: string;
  port: number;
  localPort: number;
  deviceInstance: number;
  connection?: Record<string, unknown>;
  points: Record<string, unknown>[];
}): BacnetDevice {
  const device = deviceSchema.parse({
    key: options.key ?? 'ahu',
    driver: 'bacnet',
    connection: {
      deviceInstance: options.deviceInstance,
      address: `127.0.0.1:${options.port}`,
      localAddress: '127.0.0.1',
      localPort: options.localPort,
      apduTimeoutMs: 300,
      retries: 1,
      ...options.connection,
    },
    points: options.points,
  });
  if (device.driver !== 'bacnet') throw new Error('expected a BACnet device');
  return device;
}

/** A driver with a capturing logger and the COV readings it delivered; tests stop it in `afterEach`. */
export function makeDriver(device: BacnetDevice, options: BacnetDriverOptions = {}): { driver: BacnetDriver; log: CapturedLog; pushed: PointReading[][] } {
  const log = captureLogger();
  const pushed: PointReading[][] = [];
  const driver = createBacnetDriver(device, { logger: log.logger, onReadings: (readings) => pushed.push(readings) }, options);
  return { driver, log, pushed };
}

/** Returns the reading of one point, failing the test when it is missing. */
export function readingOf(readings: readonly PointReading[], point: string): PointReading {
  const reading = readings.find((candidate) => candidate.point === point);
  if (!reading) throw new Error(`no reading for point ${point}`);
  return reading;
}

/** A plain library client on 127.0.0.1:`port`, for tests that act as a second BACnet client. */
export async function openRawClient(port: number): Promise<BacnetClientInstance> {
  const client = new BacnetClient({ port, interface: '127.0.0.1', broadcastAddress: '127.255.255.255', apduTimeout: 1000 });
  await new Promise<void>((resolve, reject) => {
    client.once('error', reject);
    client.once('listening', () => resolve());
  });
  return client;
}

/** Waits until `check` returns true, polling every 20 ms, or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A REAL application value. */
export function real(value: number): BACNetAppData {
  return { type: ApplicationTag.REAL, value };
}
