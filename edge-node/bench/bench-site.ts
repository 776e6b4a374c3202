import { modbusPointSchema, modbusTcpDeviceSchema, type ModbusPoint, type ModbusTcpDevice } from '@simtestlab/sync';
import type { StoredSample } from '../src/store/sample-writer';

/**
 * The synthetic site the store and live benchmarks share: `deviceCount` devices of
 * `pointsPerDevice` float32 points each, every tenth point an energy counter, all polled every
 * `pollIntervalMs`. 10 x 1000 points at 500 ms is 20,000 samples per second of site time.
 */
export const benchSite = {
  timeZone: 'Europe/Berlin',
  deviceCount: 10,
  pointsPerDevice: 1000,
  pollIntervalMs: 500,
  /** Devices are polled one after the other, this far apart, so sample timestamps interleave. */
  deviceStaggerMs: 50,
  /** Every n-th point is a counter: 10 % of the points. */
  counterEvery: 10,
} as const;

export const benchPointCount = benchSite.deviceCount * benchSite.pointsPerDevice;

/** Samples per second of site time: every point once per poll interval. */
export const benchSamplesPerSecond = (benchPointCount * 1000) / benchSite.pollIntervalMs;

export function benchDeviceKey(index: number): string {
  return `meter-${String(index).padStart(2, '0')}`;
}

function isCounter(pointIndex: number): boolean {
  return pointIndex % benchSite.counterEvery === 0;
}

/** The points of one device. Only their definitions are used: nothing reads their registers. */
export function benchPoints(): ModbusPoint[] {
  return Array.from({ length: benchSite.pointsPerDevice }, (_, index) =>
    modbusPointSchema.parse({
      key: isCounter(index) ? `energy_${index}` : `power_${index}`,
      unit: isCounter(index) ? 'kWh' : 'W',
      dataType: 'float32',
      kind: isCounter(index) ? 'counter' : 'gauge',
      address: index * 2,
    }),
  );
}

/** The benchmark devices as configured Modbus TCP devices (never polled: nothing listens on the port). */
export function benchDevices(): ModbusTcpDevice[] {
  const points = benchPoints();
  return Array.from({ length: benchSite.deviceCount }, (_, index) =>
    modbusTcpDeviceSchema.parse({
      key: benchDeviceKey(index),
      driver: 'modbus-tcp',
      pollIntervalMs: benchSite.pollIntervalMs,
      connection: { host: '127.0.0.1', port: 1502 },
      points,
    }),
  );
}

/**
 * The site's samples in time order, by global index: sample `n` belongs to poll round
 * `n / pointCount`, device by device. Gauges follow a sine, and counters grow by a per-point step
 * each round. `pointIds` maps the point index within the site to its store id.
 */
export function generateSamples(firstIndex: number, count: number, startTs: number, pointIds: readonly number[]): StoredSample[] {
  const samples: StoredSample[] = new Array(count);
  for (let offset = 0; offset < count; offset++) {
    const index = firstIndex + offset;
    const round = Math.floor(index / benchPointCount);
    const sitePoint = index % benchPointCount;
    const device = Math.floor(sitePoint / benchSite.pointsPerDevice);
    const devicePoint = sitePoint % benchSite.pointsPerDevice;
    const ts = startTs + round * benchSite.pollIntervalMs + device * benchSite.deviceStaggerMs;
    const value = isCounter(devicePoint)
      ? 1000 + sitePoint + round * (0.5 + (devicePoint % 7) * 0.1)
      : Math.round(5000 * Math.sin(round / 20 + sitePoint)) / 10;
    samples[offset] = { pointId: pointIds[sitePoint]!, ts, value, quality: 0 };
  }
  return samples;
}
