import type { AnyPoint, Device } from '@simtestlab/sync';
import { deviceSchema } from '@simtestlab/sync';
import type { Driver, PointReading } from '../../src/drivers/driver';

/** What one `read` call does: resolve with readings or reject, after `delayMs` of (fake) time. */
export type ReadOutcome = { delayMs?: number; fail?: Error; readings?: PointReading[] } | 'hang';

/**
 * A poll driver for poller tests. It implements our own `Driver` interface, so the poller runs
 * against it exactly as against a Modbus driver. Every `read` call is recorded with the clock at
 * its start, and `script(call)` decides what the call does.
 */
export class ScriptedDriver implements Driver {
  readonly mode = 'poll' as const;
  /** Clock value at the start of each `read` call. */
  readonly readStarts: number[] = [];
  startCalls = 0;
  stopCalls = 0;
  /** Largest number of `read` calls in flight at the same time. */
  maxConcurrentReads = 0;
  private inFlight = 0;

  constructor(
    readonly points: AnyPoint[],
    private readonly script: (call: number) => ReadOutcome,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<AnyPoint[]> {
    this.startCalls++;
    return this.points;
  }

  async read(): Promise<PointReading[]> {
    const call = this.readStarts.length;
    this.readStarts.push(this.now());
    const outcome = this.script(call);
    if (outcome === 'hang') return new Promise<PointReading[]>(() => undefined);

    this.inFlight++;
    this.maxConcurrentReads = Math.max(this.maxConcurrentReads, this.inFlight);
    try {
      if (outcome.delayMs !== undefined && outcome.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
      if (outcome.fail) throw outcome.fail;
      return outcome.readings ?? this.points.map((point) => ({ point: point.key, value: call, quality: 'good' as const }));
    } finally {
      this.inFlight--;
    }
  }

  async write(): Promise<void> {
    throw new Error('ScriptedDriver does not support writes');
  }

  async stop(): Promise<void> {
    this.stopCalls++;
  }
}

/** Builds a Modbus TCP device with `pointCount` holding-register points named p0, p1, ... */
export function makeDevice(key: string, pollIntervalMs: number, pointCount = 2): Device {
  return deviceSchema.parse({
    key,
    driver: 'modbus-tcp',
    pollIntervalMs,
    connection: { host: '127.0.0.1', port: 15020 },
    points: Array.from({ length: pointCount }, (_, index) => ({ key: `p${index}`, address: index * 2, unit: 'W' })),
  });
}
