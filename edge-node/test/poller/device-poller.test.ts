import type { AnyPoint, Device, DeviceStatus } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PointReading } from '../../src/drivers/driver';
import { DeviceConnectionError, DeviceRequestError, DeviceTimeoutError } from '../../src/drivers/errors';
import { createSilentLogger } from '../../src/logger';
import { DevicePoller, type DevicePollerHooks } from '../../src/poller/device-poller';
import { makeDevice, ScriptedDriver, type ReadOutcome } from './scripted-driver';

/** Everything the poller reported through its hooks, in order. */
interface HookLog {
  points: AnyPoint[][];
  readings: Array<{ ts: number; readings: PointReading[] }>;
  statuses: Array<{ status: DeviceStatus; ts: number; error?: string }>;
}

function recordHooks(): { hooks: DevicePollerHooks; log: HookLog } {
  const log: HookLog = { points: [], readings: [], statuses: [] };
  const hooks: DevicePollerHooks = {
    onPoints: (_device: Device, points: AnyPoint[]) => log.points.push(points),
    onReadings: (_device: Device, ts: number, readings: PointReading[]) => log.readings.push({ ts, readings }),
    onStatus: (_device: Device, status: DeviceStatus, ts: number, error?: string) => {
      log.statuses.push(error === undefined ? { status, ts } : { status, ts, error });
    },
  };
  return { hooks, log };
}

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const pollers: DevicePoller[] = [];

function startPoller(device: Device, script: (call: number) => ReadOutcome) {
  const driver = new ScriptedDriver(device.points, script);
  const { hooks, log } = recordHooks();
  const poller = new DevicePoller(device, driver, hooks, createSilentLogger(), () => Date.now());
  pollers.push(poller);
  poller.start();
  return { driver, log, poller };
}

/** Differences between consecutive entries. */
const gaps = (values: readonly number[]) => values.slice(1).map((value, index) => value - values[index]!);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  vi.useRealTimers();
});

describe('DevicePoller schedule', () => {
  it('keeps ticks on the grid when polls take time', async () => {
    const { driver } = startPoller(makeDevice('meter', 1000), () => ({ delayMs: 130 }));

    await vi.advanceTimersByTimeAsync(10_050);

    // A poller that waited the interval after each poll would drift by 130 ms per tick.
    expect(driver.readStarts.map((ts) => ts - T0)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  });

  it('never overlaps polls of one device', async () => {
    const { driver } = startPoller(makeDevice('meter', 1000), () => ({ delayMs: 1700 }));

    await vi.advanceTimersByTimeAsync(20_000);

    expect(driver.maxConcurrentReads).toBe(1);
    expect(driver.readStarts.length).toBeGreaterThan(5);
  });

  it('skips ticks a poll overran', async () => {
    const { driver, poller } = startPoller(makeDevice('meter', 1000), () => ({ delayMs: 2500 }));

    await vi.advanceTimersByTimeAsync(9100);

    // Polls end at 2500, 5500 and 8500; the ticks at 1000, 2000, 4000, 5000, 7000 and 8000 are skipped.
    expect(driver.readStarts.map((ts) => ts - T0)).toEqual([0, 3000, 6000, 9000]);
    expect(poller.stats.skippedTicks).toBe(6);
    expect(poller.status).toBe('online');
  });

  it('polls a fast device while another hangs', async () => {
    const slow = startPoller(makeDevice('slow-meter', 1000), (call) => (call === 0 ? 'hang' : {}));
    const fast = startPoller(makeDevice('fast-meter', 500), () => ({ delayMs: 20 }));

    await vi.advanceTimersByTimeAsync(5010);

    expect(slow.driver.readStarts).toHaveLength(1);
    expect(fast.driver.readStarts.map((ts) => ts - T0)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    expect(fast.log.readings).toHaveLength(10);
  });

  it('polls a fast device while another is slow', async () => {
    const slow = startPoller(makeDevice('slow-meter', 1000), () => ({ delayMs: 2900 }));
    const fast = startPoller(makeDevice('fast-meter', 1000), () => ({}));

    await vi.advanceTimersByTimeAsync(6010);

    expect(slow.driver.readStarts.map((ts) => ts - T0)).toEqual([0, 3000, 6000]);
    expect(fast.driver.readStarts.map((ts) => ts - T0)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('stamps readings with increasing edge timestamps', async () => {
    const { log } = startPoller(makeDevice('meter', 1000), () => ({ delayMs: 40 }));

    await vi.advanceTimersByTimeAsync(3100);

    expect(log.readings.map((entry) => entry.ts - T0)).toEqual([40, 1040, 2040, 3040]);
    expect(log.readings[0]!.readings).toEqual([
      { point: 'p0', value: 0, quality: 'good' },
      { point: 'p1', value: 0, quality: 'good' },
    ]);
  });

  it('reports points once at start', async () => {
    const { driver, log } = startPoller(makeDevice('meter', 1000, 3), () => ({}));

    await vi.advanceTimersByTimeAsync(3000);

    expect(driver.startCalls).toBe(1);
    expect(log.points).toHaveLength(1);
    expect(log.points[0]!.map((point) => point.key)).toEqual(['p0', 'p1', 'p2']);
  });
});

describe('DevicePoller failures', () => {
  const connectionLost = () => new DeviceConnectionError('connection refused by 127.0.0.1:15020', { device: 'meter' });

  it('backs off exponentially up to 60 s', async () => {
    const { driver, poller } = startPoller(makeDevice('meter', 1000), () => ({ fail: connectionLost() }));

    await vi.advanceTimersByTimeAsync(10 * 60_000);

    const waits = gaps(driver.readStarts);
    expect(waits.length).toBeGreaterThan(8);
    // The n-th retry waits between half and all of min(60 s, 1 s * 2^(n-1)), and never less than 1 s.
    waits.forEach((waitMs, index) => {
      const ceilingMs = Math.min(60_000, 1000 * 2 ** index);
      expect(waitMs, `wait after failure ${index + 1}`).toBeLessThanOrEqual(ceilingMs);
      expect(waitMs, `wait after failure ${index + 1}`).toBeGreaterThanOrEqual(Math.max(1000, ceilingMs / 2));
    });
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
    expect(poller.stats.failures).toBe(driver.readStarts.length);
    expect(poller.stats.timeouts).toBe(0);
  });

  it('returns to the interval after a recovery', async () => {
    const { driver } = startPoller(makeDevice('meter', 1000), (call) => (call >= 1 && call <= 4 ? { fail: connectionLost() } : {}));

    await vi.advanceTimersByTimeAsync(60_000);

    const afterRecovery = gaps(driver.readStarts.slice(5));
    expect(afterRecovery.length).toBeGreaterThan(10);
    expect(new Set(afterRecovery)).toEqual(new Set([1000]));
  });

  it('reports offline and online once per transition', async () => {
    // Calls 0-1 succeed, 2-5 fail, 6-8 succeed, 9 fails, then every call succeeds.
    const failing = new Set([2, 3, 4, 5, 9]);
    const { driver, log, poller } = startPoller(makeDevice('meter', 1000), (call) => (failing.has(call) ? { fail: connectionLost() } : {}));

    await vi.advanceTimersByTimeAsync(120_000);

    expect(driver.readStarts.length).toBeGreaterThan(12);
    expect(log.statuses.map((entry) => entry.status)).toEqual(['online', 'offline', 'online', 'offline', 'online']);
    expect(log.statuses[1]!.error).toBe('connection refused by 127.0.0.1:15020');
    expect(log.statuses[2]!.error).toBeUndefined();
    expect(poller.status).toBe('online');
    expect(poller.stats.failures).toBe(5);
  });

  it('starts offline when the first poll fails', async () => {
    const { log, poller } = startPoller(makeDevice('meter', 1000), (call) => (call < 2 ? { fail: connectionLost() } : {}));

    await vi.advanceTimersByTimeAsync(1);

    expect(log.statuses.map((entry) => entry.status)).toEqual(['offline']);
    expect(poller.status).toBe('offline');
    expect(poller.lastError).toBe('connection refused by 127.0.0.1:15020');

    await vi.advanceTimersByTimeAsync(10_000);

    expect(log.statuses.map((entry) => entry.status)).toEqual(['offline', 'online']);
  });

  it('marks every point bad when going offline', async () => {
    const timeout = new DeviceTimeoutError('no reply within 1000 ms', { device: 'meter' });
    const { log, poller } = startPoller(makeDevice('meter', 1000), (call) => (call === 0 ? {} : { fail: timeout }));

    await vi.advanceTimersByTimeAsync(30_000);

    const badBatches = log.readings.filter((entry) => entry.readings.some((reading) => reading.quality === 'bad'));
    expect(badBatches).toHaveLength(1);
    expect(badBatches[0]!.readings).toEqual([
      { point: 'p0', value: null, quality: 'bad', reason: 'timeout' },
      { point: 'p1', value: null, quality: 'bad', reason: 'timeout' },
    ]);
    expect(badBatches[0]!.ts).toBeGreaterThan(log.readings[0]!.ts);
    expect(poller.stats.timeouts).toBe(poller.stats.failures);
    expect(poller.stats.failures).toBeGreaterThan(2);
  });

  it('marks configured points bad when the first start fails', async () => {
    const device = makeDevice('meter', 1000);
    const driver = new ScriptedDriver(device.points, () => ({}));
    driver.start = () => Promise.reject(new Error('cannot bind the client port'));
    const { hooks, log } = recordHooks();
    const poller = new DevicePoller(device, driver, hooks, createSilentLogger(), () => Date.now());
    pollers.push(poller);
    poller.start();

    await vi.advanceTimersByTimeAsync(500);

    expect(log.statuses.map((entry) => entry.status)).toEqual(['offline']);
    expect(log.readings[0]!.readings).toEqual([
      { point: 'p0', value: null, quality: 'bad', reason: 'connection' },
      { point: 'p1', value: null, quality: 'bad', reason: 'connection' },
    ]);
  });

  it('waits the longest delay after a permanent error', async () => {
    const device = makeDevice('meter', 1000);
    const driver = new ScriptedDriver(device.points, () => ({}));
    driver.start = () => {
      driver.startCalls++;
      return Promise.reject(new DeviceRequestError('no device object 7 at this address', { device: 'meter' }));
    };
    const { hooks } = recordHooks();
    const poller = new DevicePoller(device, driver, hooks, createSilentLogger(), () => Date.now());
    pollers.push(poller);
    poller.start();

    await vi.advanceTimersByTimeAsync(59_000);
    expect(driver.startCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(driver.startCalls).toBe(2);
  });

  it('gives connection as the reason for other failures', async () => {
    const { log } = startPoller(makeDevice('meter', 1000), (call) => (call === 0 ? {} : { fail: new Error('socket hang up') }));

    await vi.advanceTimersByTimeAsync(1500);

    expect(log.readings[1]!.readings.map((reading) => reading.reason)).toEqual(['connection', 'connection']);
    expect(log.statuses.at(-1)).toEqual({ status: 'offline', ts: T0 + 1000, error: 'socket hang up' });
  });
});

describe('DevicePoller stop', () => {
  it('reports nothing after stop', async () => {
    const { driver, log, poller } = startPoller(makeDevice('meter', 1000), () => ({ delayMs: 500 }));
    await vi.advanceTimersByTimeAsync(1200);
    const readingsBefore = log.readings.length;

    await poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(driver.stopCalls).toBe(1);
    expect(driver.readStarts).toHaveLength(2);
    expect(log.readings).toHaveLength(readingsBefore);
  });

  it('reports no failure for a read ended by stop', async () => {
    const { log, poller } = startPoller(makeDevice('meter', 1000), (call) =>
      call === 0 ? {} : { delayMs: 300, fail: new DeviceConnectionError('connection closed by stop', { device: 'meter' }) },
    );
    await vi.advanceTimersByTimeAsync(1100);

    await poller.stop();
    await vi.advanceTimersByTimeAsync(5000);

    expect(log.statuses.map((entry) => entry.status)).toEqual(['online']);
    expect(poller.stats.failures).toBe(0);
  });
});
