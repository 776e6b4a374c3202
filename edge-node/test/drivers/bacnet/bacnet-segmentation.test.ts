import { EngineeringUnits, ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BacnetDriver } from '../../../src/drivers/bacnet';
import { PropertyReader, propertyKey } from '../../../src/drivers/bacnet/property-reader';
import { SharedBacnetClient } from '../../../src/drivers/bacnet/shared-client';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { bacnetDevice, captureLogger, makeDriver, startTestDevice, testObjects, TestValues } from './bacnet-test-support';

// Ports of this file: client 25820, small-APDU device 25821, device without ReadPropertyMultiple
// 25822, a bare reader's client 25823.
const CLIENT_PORT = 25820;
const SMALL_PORT = 25821;
const NO_RPM_PORT = 25822;
const READER_PORT = 25823;
const OBJECT_COUNT = 40;

let small: RunningBacnetDevice;
let noRpm: RunningBacnetDevice;
const values = new TestValues();
const drivers: BacnetDriver[] = [];

function analogInputs(count: number) {
  return testObjects(
    values,
    Array.from({ length: count }, (_, index) => ({
      objectType: 'analog-input' as const,
      instance: index + 1,
      value: 100 + index,
      units: EngineeringUnits.KILOWATTS,
    })),
  );
}

function points(count: number) {
  return Array.from({ length: count }, (_, index) => ({ key: `p${index + 1}`, objectType: 'analog-input', instance: index + 1 }));
}

function driverFor(...args: Parameters<typeof makeDriver>) {
  const made = makeDriver(...args);
  drivers.push(made.driver);
  return made;
}

beforeAll(async () => {
  // 206 octets hold about five objects of a poll; the object-list of 41 entries needs about 220.
  small = await startTestDevice({ port: SMALL_PORT, deviceInstance: 4004, deviceName: 'small APDU', objects: analogInputs(OBJECT_COUNT), maxApduLength: 206 });
  noRpm = await startTestDevice({ port: NO_RPM_PORT, deviceInstance: 5005, deviceName: 'no RPM', objects: analogInputs(8), readPropertyMultiple: false });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
});

afterAll(async () => {
  await small?.stop();
  await noRpm?.stop();
});

function requestsSince(device: RunningBacnetDevice, start: number) {
  return device.requests().slice(start);
}

describe('a device that cannot segment', () => {
  it('halves ReadPropertyMultiple after an abort until replies fit', async () => {
    const device = bacnetDevice({
      port: SMALL_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 4004,
      // Configured too large on purpose: the first batches do not fit the device's 206 octets.
      connection: { maxApduLength: 1476 },
      points: points(OBJECT_COUNT),
    });
    const { driver, log } = driverFor(device);
    await driver.start();
    const before = small.requests().length;
    const readings = await driver.read();

    expect(readings).toHaveLength(OBJECT_COUNT);
    expect(readings.every((reading) => reading.quality === 'good')).toBe(true);
    expect(readings.map((reading) => reading.value)).toEqual(Array.from({ length: OBJECT_COUNT }, (_, index) => 100 + index));
    expect(log.messages(30).some((message) => message.startsWith('ReadPropertyMultiple of') && message.includes('objects failed: reading'))).toBe(true);

    // Once learned, a poll sends only batches that fit and no ReadProperty.
    const learned = small.requests().length;
    await driver.read();
    const second = small.requests().slice(learned);
    expect(second.every((request) => request.service === 'ReadPropertyMultiple')).toBe(true);
    expect(Math.max(...second.map((request) => request.objects.length))).toBeLessThanOrEqual(5);
    expect(learned - before).toBeGreaterThan(second.length);
  });

  it('sizes batches from the max APDU the device reports', async () => {
    const device = bacnetDevice({ port: SMALL_PORT, localPort: CLIENT_PORT, deviceInstance: 4004, points: points(OBJECT_COUNT) });
    const { driver, log } = driverFor(device);
    await driver.start();
    const start = small.requests().length;
    const readings = await driver.read();
    expect(readings.every((reading) => reading.quality === 'good')).toBe(true);
    const sent = requestsSince(small, start);
    expect(sent.every((request) => request.service === 'ReadPropertyMultiple')).toBe(true);
    // Four properties per analog object (present-value, status-flags, out-of-service, units) fit
    // three objects into one 206-octet reply.
    expect(sent).toHaveLength(Math.ceil(OBJECT_COUNT / 3));
    expect(log.messages(30).filter((message) => message.includes('objects failed'))).toEqual([]);
  });

  it('reads the object-list entry by entry when it does not fit one reply', async () => {
    const device = bacnetDevice({ port: SMALL_PORT, localPort: CLIENT_PORT, deviceInstance: 4004, points: [] });
    const { driver } = driverFor(device);
    await driver.start();
    const start = small.requests().length;
    const objects = await driver.listObjects();
    expect(objects).toHaveLength(OBJECT_COUNT + 1);
    expect(objects.at(-1)).toMatchObject({ objectType: 'analog-input', instance: OBJECT_COUNT, units: 'kilowatts', unit: 'kW' });
    const objectListReads = requestsSince(small, start).filter((request) => request.service === 'ReadProperty' && request.objects[0] === '8:4004');
    // The length (index 0), then one request per entry; never the whole list.
    expect(objectListReads).toHaveLength(OBJECT_COUNT + 2);
  });

  it('reads the object-list at once when the device is assumed to segment', async () => {
    const device = bacnetDevice({
      port: SMALL_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 4004,
      connection: { segmentation: true },
      points: [],
    });
    const { driver } = driverFor(device);
    await driver.start();
    const start = small.requests().length;
    const objects = await driver.listObjects();
    // The simulated device cannot segment after all: the whole read is aborted and the driver reads by index.
    expect(objects).toHaveLength(OBJECT_COUNT + 1);
    const objectListReads = requestsSince(small, start).filter((request) => request.service === 'ReadProperty' && request.objects[0] === '8:4004');
    // The length, the whole list (aborted), then one request per entry.
    expect(objectListReads).toHaveLength(OBJECT_COUNT + 3);
  });
});

describe('a device without ReadPropertyMultiple', () => {
  it('is read with ReadProperty from the start when it says so', async () => {
    const device = bacnetDevice({ port: NO_RPM_PORT, localPort: CLIENT_PORT, deviceInstance: 5005, points: points(8) });
    const { driver } = driverFor(device);
    await driver.start();
    const start = noRpm.requests().length;
    const readings = await driver.read();
    expect(readings.map((reading) => reading.value)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    const sent = requestsSince(noRpm, start);
    expect(new Set(sent.map((request) => request.service))).toEqual(new Set(['ReadProperty']));
    expect(sent).toHaveLength(8 * 4);
  });

  it('falls back to ReadProperty after a reject', async () => {
    // A reader on its own client, without the device profile that would tell it up front.
    const { logger, messages } = captureLogger();
    const client = new SharedBacnetClient({ localAddress: '127.0.0.1', localPort: READER_PORT, broadcastAddress: '127.255.255.255', apduTimeoutMs: 300, logger });
    try {
      await client.open('no-rpm');
      const target = { device: 'no-rpm', receiver: { address: `127.0.0.1:${NO_RPM_PORT}` }, replyFrom: `127.0.0.1:${NO_RPM_PORT}`, label: 'device "no-rpm"', apduTimeoutMs: 300, retries: 0, logger };
      const reader = new PropertyReader({ client, target: () => target, maxApduLength: 1476, logger });
      const start = noRpm.requests().length;
      const outcomes = await reader.read([{ objectId: { type: ObjectType.ANALOG_INPUT, instance: 2 }, propertyIds: [PropertyIdentifier.PRESENT_VALUE] }]);
      expect(outcomes.get(propertyKey({ type: ObjectType.ANALOG_INPUT, instance: 2 }, PropertyIdentifier.PRESENT_VALUE))).toMatchObject({ values: [{ value: 101 }] });
      expect(requestsSince(noRpm, start).map((request) => request.service)).toEqual(['ReadPropertyMultiple', 'ReadProperty']);
      expect(reader.usesReadPropertyMultiple).toBe(false);
      expect(messages(40)).toContain('device does not support ReadPropertyMultiple: reading it with ReadProperty');
    } finally {
      client.close();
    }
  });
});
