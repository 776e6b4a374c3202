import { createSocket, type Socket } from 'node:dgram';
import { ObjectType } from '@bacnet-js/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacnetDriver } from '../../../src/drivers/bacnet';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { bacnetDevice, makeDriver, startTestDevice, testObjects, TestValues } from './bacnet-test-support';

// Ports of this file: the shared client 25850, devices 25851 to 25853, a spoofing socket 25854.
const CLIENT_PORT = 25850;
const DEVICE_PORTS = [25851, 25852, 25853];
const SPOOF_PORT = 25854;
const READS_PER_DEVICE = 100;

const devices: RunningBacnetDevice[] = [];
const drivers: BacnetDriver[] = [];
let spoofer: Socket;

function expectedValue(deviceIndex: number, instance: number): number {
  return (deviceIndex + 1) * 1000 + instance;
}

/** A ReadProperty-ACK for analog-input 1 present-value = -1, as a device on another port would send it. */
function forgedAck(invokeId: number): Buffer {
  const apdu = [0x30, invokeId, 0x0c, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x19, 0x55, 0x3e, 0x44, 0xbf, 0x80, 0x00, 0x00, 0x3f];
  const npdu = [0x01, 0x00];
  const length = 4 + npdu.length + apdu.length;
  return Buffer.from([0x81, 0x0a, length >> 8, length & 0xff, ...npdu, ...apdu]);
}

beforeAll(async () => {
  for (const [index, port] of DEVICE_PORTS.entries()) {
    const values = new TestValues();
    const objects = testObjects(
      values,
      Array.from({ length: READS_PER_DEVICE }, (_, object) => ({ objectType: 'analog-input' as const, instance: object + 1, value: expectedValue(index, object + 1) })),
    );
    devices.push(await startTestDevice({ port, deviceInstance: 8000 + index, deviceName: `device ${index}`, objects }));
  }
  for (const [index, port] of DEVICE_PORTS.entries()) {
    const { driver } = makeDriver(bacnetDevice({ key: `dev-${index}`, port, localPort: CLIENT_PORT, deviceInstance: 8000 + index, connection: { apduTimeoutMs: 3000 }, points: [] }));
    drivers.push(driver);
    await driver.start();
  }
  spoofer = createSocket('udp4');
  await new Promise<void>((resolve) => spoofer.bind(SPOOF_PORT, '127.0.0.1', resolve));
});

afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.stop()));
  await Promise.all(devices.map((device) => device.stop()));
  spoofer?.close();
});

describe('BACnet request limiter', () => {
  it('matches 300 concurrent reads across three devices to their callers', async () => {
    let spoofing = true;
    const spoof = async () => {
      while (spoofing) {
        for (let id = 1; id <= 255; id++) spoofer.send(forgedAck(id), CLIENT_PORT, '127.0.0.1');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const spoofed = spoof();

    const reads = drivers.flatMap((driver, deviceIndex) =>
      Array.from({ length: READS_PER_DEVICE }, (_, object) =>
        driver
          .readProperty({ type: ObjectType.ANALOG_INPUT, instance: object + 1 }, 'present-value')
          .then((values) => ({ deviceIndex, instance: object + 1, value: values[0]?.value })),
      ),
    );
    const results = await Promise.all(reads);
    spoofing = false;
    await spoofed;

    expect(results).toHaveLength(300);
    const wrong = results.filter((result) => Math.abs(Number(result.value) - expectedValue(result.deviceIndex, result.instance)) > 1e-3);
    expect(wrong).toEqual([]);
    const stats = drivers[0]!.clientStats()!;
    // One client for the three devices: 255 ids at once at most, so 45 requests waited for one.
    expect(stats.maxOutstanding).toBe(255);
    expect(stats.outstanding).toBe(0);
    expect(stats.waiting).toBe(0);
    expect(stats.droppedReplies).toBeGreaterThan(0);
  });
});
