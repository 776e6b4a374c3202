import { EngineeringUnits } from '@bacnet-js/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BacnetDriver } from '../../../src/drivers/bacnet';
import type { PointReading } from '../../../src/drivers/driver';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { bacnetDevice, makeDriver, readingOf, startTestDevice, testObjects, TestValues, waitFor } from './bacnet-test-support';

// Ports of this file: client 25830, device 25831.
const CLIENT_PORT = 25830;
const DEVICE_PORT = 25831;
const ZONE = '0:1';

let device: RunningBacnetDevice;
const values = new TestValues();
const drivers: BacnetDriver[] = [];

beforeAll(async () => {
  device = await startTestDevice({
    port: DEVICE_PORT,
    deviceInstance: 6006,
    deviceName: 'cov device',
    covIntervalMs: 50,
    objects: testObjects(values, [
      { objectType: 'analog-input', instance: 1, value: 21, units: EngineeringUnits.DEGREES_CELSIUS, covIncrement: 0.1 },
      { objectType: 'analog-input', instance: 2, value: 35, units: EngineeringUnits.DEGREES_CELSIUS },
    ]),
  });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
  device.setSilent(false);
  device.setCovNotifications(true);
  device.clearCovSubscriptions();
  values.set('analog-input', 1, 21);
});

afterAll(async () => {
  await device?.stop();
});

/** Lifetime 2 s: renewals every 1 s; with a 300 ms timeout and one retry, silence over 2.6 s means stopped. */
function covDriver() {
  const made = makeDriver(
    bacnetDevice({
      port: DEVICE_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 6006,
      connection: { covLifetimeS: 2 },
      points: [
        { key: 'zone_temp', objectType: 'analog-input', instance: 1, cov: true },
        { key: 'water_temp', objectType: 'analog-input', instance: 2 },
      ],
    }),
  );
  drivers.push(made.driver);
  return made;
}

function lastPushed(pushed: PointReading[][], point: string): PointReading | undefined {
  return pushed.flat().filter((reading) => reading.point === point).at(-1);
}

/** Objects the device was asked to read since request number `start`. */
function readObjectsSince(start: number): string[] {
  return device
    .requests()
    .slice(start)
    .filter((request) => request.service === 'ReadPropertyMultiple' || request.service === 'ReadProperty')
    .flatMap((request) => request.objects);
}

describe('BACnet COV', () => {
  it('subscribes with a finite lifetime and renews before it expires', async () => {
    const { driver } = covDriver();
    await driver.start();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    const [subscription] = device.covSubscriptions();
    expect(device.covSubscriptions()).toHaveLength(1);
    expect(subscription).toMatchObject({ object: ZONE, lifetimeS: 2, confirmed: false, subscriber: `127.0.0.1:${CLIENT_PORT}` });
    // Made at start and renewed at 1 s and 2 s, so it never reached its 2 s lifetime.
    expect(subscription!.subscribeCount).toBeGreaterThanOrEqual(3);
  });

  it('delivers changes through onReadings and stops polling the object', async () => {
    const { driver, pushed } = covDriver();
    await driver.start();
    await waitFor(() => lastPushed(pushed, 'zone_temp') !== undefined, 1000, 'the first notification');
    await driver.read();

    values.set('analog-input', 1, 22.5);
    await waitFor(() => lastPushed(pushed, 'zone_temp')?.value === 22.5, 1000, 'a notification of 22.5');
    expect(lastPushed(pushed, 'zone_temp')).toEqual({ point: 'zone_temp', value: 22.5, quality: 'good' });

    const start = device.requests().length;
    const readings = await driver.read();
    expect(readingOf(readings, 'zone_temp').value).toBe(22.5);
    expect(readingOf(readings, 'water_temp').value).toBe(35);
    expect(readObjectsSince(start)).not.toContain(ZONE);
  });

  it('polls when notifications stop, and returns to COV when they resume', async () => {
    const { driver, pushed, log } = covDriver();
    await driver.start();
    await waitFor(() => lastPushed(pushed, 'zone_temp') !== undefined, 1000, 'the first notification');
    await driver.read();

    device.setCovNotifications(false);
    values.set('analog-input', 1, 19);
    await new Promise((resolve) => setTimeout(resolve, 2800));
    const polledFrom = device.requests().length;
    const polled = await driver.read();
    expect(readingOf(polled, 'zone_temp').value).toBe(19);
    expect(readObjectsSince(polledFrom)).toContain(ZONE);
    expect(log.messages(40)).toContain('COV notifications for analog-input 1 stopped: polling it and subscribing again');

    device.setCovNotifications(true);
    // The next renewal brings the initial notification of the renewed subscription.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const resumedFrom = device.requests().length;
    await driver.read();
    expect(readObjectsSince(resumedFrom)).not.toContain(ZONE);
    expect(log.messages(30)).toContain('COV notifications for analog-input 1 arrive: no longer polling it');
  });

  it('polls a COV object again after the device stopped answering', async () => {
    const { driver, pushed } = covDriver();
    await driver.start();
    await waitFor(() => lastPushed(pushed, 'zone_temp') !== undefined, 1000, 'the first notification');
    await driver.read();

    // The device goes silent, restarts with a new value and has forgotten the subscription.
    device.setSilent(true);
    await expect(driver.read()).rejects.toThrow();
    device.clearCovSubscriptions();
    device.setCovNotifications(false);
    values.set('analog-input', 1, 18.5);
    device.setSilent(false);

    const polledFrom = device.requests().length;
    const readings = await driver.read();
    expect(readingOf(readings, 'zone_temp')).toMatchObject({ value: 18.5, quality: 'good' });
    expect(readObjectsSince(polledFrom)).toContain(ZONE);
  });

  it('subscribes again after the device forgot the subscription', async () => {
    const { driver } = covDriver();
    await driver.start();
    device.clearCovSubscriptions();
    expect(device.covSubscriptions()).toHaveLength(0);
    await waitFor(() => device.covSubscriptions().length === 1, 1500, 'the renewed subscription');
  });

  it('cancels its subscriptions when it stops', async () => {
    const { driver } = covDriver();
    await driver.start();
    expect(device.covSubscriptions()).toHaveLength(1);
    await driver.stop();
    expect(device.covSubscriptions()).toHaveLength(0);
  });
});
