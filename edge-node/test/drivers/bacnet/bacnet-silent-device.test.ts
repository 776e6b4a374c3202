import { createSocket } from 'node:dgram';
import type { DeviceStatus } from '@simtestlab/sync';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BacnetDriver } from '../../../src/drivers/bacnet';
import type { PointReading } from '../../../src/drivers/driver';
import { DeviceConnectionError, DeviceTimeoutError } from '../../../src/drivers/errors';
import { DevicePoller } from '../../../src/poller/device-poller';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { bacnetDevice, makeDriver, startTestDevice, testObjects, TestValues, waitFor } from './bacnet-test-support';

// Ports of this file: client 25860, device 25861, a port held by another socket 25862.
const CLIENT_PORT = 25860;
const DEVICE_PORT = 25861;
const TAKEN_PORT = 25862;

let device: RunningBacnetDevice;
const drivers: BacnetDriver[] = [];
const pollers: DevicePoller[] = [];

beforeAll(async () => {
  device = await startTestDevice({
    port: DEVICE_PORT,
    deviceInstance: 9009,
    deviceName: 'flaky',
    objects: testObjects(new TestValues(), [{ objectType: 'analog-input', instance: 1, value: 42 }]),
  });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
  device.setSilent(false);
});

afterAll(async () => {
  await device?.stop();
});

function flakyDevice() {
  return bacnetDevice({
    port: DEVICE_PORT,
    localPort: CLIENT_PORT,
    deviceInstance: 9009,
    connection: { apduTimeoutMs: 200, retries: 1 },
    points: [{ key: 'power', objectType: 'analog-input', instance: 1 }],
  });
}

describe('a device that stops answering', () => {
  it('times out after one retry with an error naming the request', async () => {
    const { driver } = makeDriver(flakyDevice());
    drivers.push(driver);
    await driver.start();
    device.setSilent(true);
    const start = device.requests().length;
    const began = performance.now();
    const failure = await driver.read().catch((error: unknown) => error);
    const elapsedMs = performance.now() - began;

    expect(failure).toBeInstanceOf(DeviceTimeoutError);
    expect((failure as Error).message).toBe(
      'ReadPropertyMultiple of analog-input 1 on device "ahu" (instance 9009 at 127.0.0.1:25861) timed out: no reply to 2 attempts of 200 ms',
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(390);
    expect(device.requests().slice(start).map((request) => request.service)).toEqual(['ReadPropertyMultiple', 'ReadPropertyMultiple']);
    // The invoke ids of the lost requests return to the pool once the library gives them up.
    await waitFor(() => driver.clientStats()?.outstanding === 0, 1000, 'the invoke ids to be released');
  });

  it('goes offline in the poller and back online when the device answers again', async () => {
    const { driver } = makeDriver(flakyDevice());
    drivers.push(driver);
    const statuses: DeviceStatus[] = [];
    const readings: PointReading[][] = [];
    const config = { ...flakyDevice(), pollIntervalMs: 300 };
    const poller = new DevicePoller(
      config,
      driver,
      {
        onPoints: () => undefined,
        onReadings: (_device, _ts, batch) => readings.push(batch),
        onStatus: (_device, status) => statuses.push(status),
      },
      pino({ level: 'silent' }),
    );
    pollers.push(poller);
    poller.start();
    await waitFor(() => statuses.includes('online'), 3000, 'the device to come online');

    device.setSilent(true);
    await waitFor(() => statuses.at(-1) === 'offline', 3000, 'the device to go offline');
    expect(readings.at(-1)).toEqual([{ point: 'power', value: null, quality: 'bad', reason: 'timeout' }]);
    expect(poller.lastError).toMatch(/timed out: no reply to 2 attempts of 200 ms/);

    device.setSilent(false);
    await waitFor(() => statuses.at(-1) === 'online', 5000, 'the device to come back online');
    expect(readings.at(-1)).toEqual([{ point: 'power', value: 42, quality: 'good' }]);
  });

  it('fails start while the device is silent', async () => {
    device.setSilent(true);
    const { driver } = makeDriver(flakyDevice());
    drivers.push(driver);
    await expect(driver.start()).rejects.toBeInstanceOf(DeviceTimeoutError);
  });

  it('reports a local port that another socket holds', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(TAKEN_PORT, '127.0.0.1', resolve));
    try {
      const { driver } = makeDriver(bacnetDevice({ port: DEVICE_PORT, localPort: TAKEN_PORT, deviceInstance: 9009, points: [] }));
      drivers.push(driver);
      const failure = await driver.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeviceConnectionError);
      expect((failure as Error).message).toMatch(/^cannot bind the BACnet client to udp 127\.0\.0\.1:25862: bind EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
