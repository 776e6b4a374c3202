import { deviceSchema, type MqttDevice } from '@simtestlab/sync';
import pino from 'pino';
import type { Logger } from '../../../src/logger';
import type { PointReading } from '../../../src/drivers/driver';

/** Creates a pino logger that keeps its JSON lines in memory, for tests that assert on logging. */
export function createMemoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Builds an MQTT device through the shared schema, so defaults apply as in production. */
export function mqttDevice(key: string, url: string, points: Array<Record<string, unknown>>, staleAfterS = 120): MqttDevice {
  const device = deviceSchema.parse({ key, driver: 'mqtt', connection: { url, staleAfterS }, points });
  if (device.driver !== 'mqtt') throw new Error('expected an MQTT device');
  return device;
}

/** Collects what a push driver delivers through `onReadings`. */
export function readingCollector(): { readings: PointReading[]; onReadings(batch: PointReading[]): void; last(point: string): PointReading | undefined } {
  const readings: PointReading[] = [];
  return {
    readings,
    onReadings: (batch) => readings.push(...batch),
    last: (point) => readings.filter((reading) => reading.point === point).at(-1),
  };
}
