import { ApplicationTag, EngineeringUnits, ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BacnetErrorResponse, type BacnetDriver } from '../../../src/drivers/bacnet';
import { startBacnetAhuSimulator, type RunningBacnetAhu } from '../../../src/simulate/bacnet/flexlab-ahu';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { bacnetDevice, makeDriver, readingOf, startTestDevice, testObjects, TestValues } from './bacnet-test-support';

// Ports of this file: client 25810, AHU simulator 25811, device of mixed objects 25812.
const CLIENT_PORT = 25810;
const AHU_PORT = 25811;
const MIXED_PORT = 25812;
const START_MS = Date.UTC(2026, 0, 1);

let ahu: RunningBacnetAhu;
let mixed: RunningBacnetDevice;
const values = new TestValues();
const drivers: BacnetDriver[] = [];

function driverFor(...args: Parameters<typeof makeDriver>) {
  const made = makeDriver(...args);
  drivers.push(made.driver);
  return made;
}

beforeAll(async () => {
  // A frozen clock keeps the replay on one row, so read values can be compared with the data set.
  ahu = await startBacnetAhuSimulator({ port: AHU_PORT, now: () => START_MS, logger: pino({ level: 'silent' }) });
  mixed = await startTestDevice({
    port: MIXED_PORT,
    deviceInstance: 3003,
    deviceName: 'mixed objects',
    objects: testObjects(values, [
      { objectType: 'analog-input', instance: 1, value: 1250, units: EngineeringUnits.WATTS },
      { objectType: 'analog-input', instance: 2, value: 20, units: EngineeringUnits.DEGREES_FAHRENHEIT },
      { objectType: 'binary-input', instance: 1, value: 1 },
      { objectType: 'binary-value', instance: 2, value: 0 },
      { objectType: 'multi-state-value', instance: 1, value: 3, numberOfStates: 4 },
      { objectType: 'analog-input', instance: 3, value: null, units: EngineeringUnits.DEGREES_CELSIUS },
    ]),
  });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
});

afterAll(async () => {
  await ahu?.device.stop();
  await mixed?.stop();
});

describe('BACnet driver reads', () => {
  it('reads the FLEXLAB points as the replay serves them', async () => {
    const device = bacnetDevice({
      port: AHU_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 2001,
      points: [
        { key: 'zone_temp', objectType: 'analog-input', instance: 1 },
        { key: 'supply_airflow', objectType: 'analog-input', instance: 4 },
        { key: 'zone_cooling_setpoint', objectType: 'analog-value', instance: 1 },
        { key: 'cooling_default', objectType: 'analog-value', instance: 1, property: 'relinquish-default' },
      ],
    });
    const { driver } = driverFor(device);
    const points = await driver.start();
    const row = ahu.replay.frame(START_MS).row!;
    const readings = await driver.read();

    expect(readingOf(readings, 'zone_temp').value).toBeCloseTo(row.values['RA-ZAT']!, 4);
    expect(readingOf(readings, 'zone_temp').quality).toBe('good');
    expect(readingOf(readings, 'supply_airflow').value).toBeCloseTo(row.values['RA-SupAirFlow']!, 3);
    expect(readingOf(readings, 'zone_cooling_setpoint').value).toBeCloseTo(row.values['RA-ZONE-COOLING-SP']!, 4);
    expect(readingOf(readings, 'cooling_default').value).toBeCloseTo(row.values['RA-ZONE-COOLING-SP']!, 4);
    expect(points.find((point) => point.key === 'zone_temp')?.unit).toBe('C');
    expect(points.find((point) => point.key === 'supply_airflow')?.unit).toBe('');
  });

  it('reads binary and multi-state objects as numbers and applies scale', async () => {
    const device = bacnetDevice({
      port: MIXED_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 3003,
      points: [
        { key: 'power_kw', objectType: 'analog-input', instance: 1, unit: 'kW', scale: 0.001 },
        { key: 'fan', objectType: 'binary-input', instance: 1, kind: 'state' },
        { key: 'pump', objectType: 'binary-value', instance: 2, kind: 'state' },
        { key: 'mode', objectType: 'multi-state-value', instance: 1, kind: 'state' },
      ],
    });
    const { driver } = driverFor(device);
    await driver.start();
    const readings = await driver.read();
    expect(readingOf(readings, 'power_kw')).toEqual({ point: 'power_kw', value: 1.25, quality: 'good' });
    expect(readingOf(readings, 'fan').value).toBe(1);
    expect(readingOf(readings, 'pump').value).toBe(0);
    expect(readingOf(readings, 'mode').value).toBe(3);
  });

  it('maps status flags and out-of-service to quality', async () => {
    const device = bacnetDevice({
      port: MIXED_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 3003,
      points: [
        { key: 'alarm', objectType: 'analog-input', instance: 1 },
        { key: 'override', objectType: 'binary-input', instance: 1 },
        { key: 'gap', objectType: 'analog-input', instance: 3 },
        { key: 'service', objectType: 'binary-value', instance: 2 },
      ],
    });
    mixed.object('analog-input', 1)!.forceStatus({ inAlarm: true });
    mixed.object('binary-input', 1)!.forceStatus({ overridden: true });
    const { driver } = driverFor(device);
    await driver.start();
    try {
      const outOfService = await driver.readProperty({ type: ObjectType.BINARY_VALUE, instance: 2 }, 'out-of-service');
      expect(outOfService[0]?.value).toBe(false);
      mixed.object('binary-value', 2)!.writeProperty(PropertyIdentifier.OUT_OF_SERVICE, [{ type: ApplicationTag.BOOLEAN, value: true }], 16);
      const readings = await driver.read();
      expect(readingOf(readings, 'alarm')).toMatchObject({ quality: 'good', reason: 'in_alarm', value: 1250 });
      expect(readingOf(readings, 'override')).toMatchObject({ quality: 'uncertain', reason: 'overridden' });
      expect(readingOf(readings, 'gap')).toMatchObject({ quality: 'bad', reason: 'fault' });
      expect(readingOf(readings, 'service')).toMatchObject({ quality: 'uncertain', reason: 'out_of_service' });
    } finally {
      mixed.object('analog-input', 1)!.forceStatus({});
      mixed.object('binary-input', 1)!.forceStatus({});
      mixed.object('binary-value', 2)!.writeProperty(PropertyIdentifier.OUT_OF_SERVICE, [{ type: ApplicationTag.BOOLEAN, value: false }], 16);
    }
  });

  it('reports a missing object as a bad point and logs it once', async () => {
    const device = bacnetDevice({
      port: MIXED_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 3003,
      points: [
        { key: 'power', objectType: 'analog-input', instance: 1 },
        { key: 'missing', objectType: 'analog-value', instance: 77 },
      ],
    });
    const { driver, log } = driverFor(device);
    await driver.start();
    const first = await driver.read();
    await driver.read();
    expect(readingOf(first, 'missing')).toEqual({ point: 'missing', value: null, quality: 'bad', reason: 'config' });
    expect(readingOf(first, 'power').quality).toBe('good');
    expect(log.messages(40).filter((message) => message.includes('point missing reads bad'))).toHaveLength(1);
  });

  it('warns when the device reports other units than configured', async () => {
    const device = bacnetDevice({
      port: MIXED_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 3003,
      points: [{ key: 'temp', objectType: 'analog-input', instance: 2, unit: 'C' }],
    });
    const { driver, log } = driverFor(device);
    await driver.start();
    expect(log.messages(40)).toContain('point temp is configured in C, but the device reports degrees-fahrenheit');

    const [reading] = await driver.read();
    expect(reading).toMatchObject({ point: 'temp', quality: 'uncertain', reason: 'config' });
    expect(typeof reading!.value).toBe('number');
  });

  it('refuses to start with a wrong device instance', async () => {
    const device = bacnetDevice({ port: MIXED_PORT, localPort: CLIENT_PORT, deviceInstance: 3004, points: [{ key: 'temp', objectType: 'analog-input', instance: 2 }] });
    const { driver } = driverFor(device);

    await expect(driver.start()).rejects.toThrow(/no device object 3004 .*check connection\.deviceInstance/);
  });

  it('raises a typed error naming device, object and property', async () => {
    const device = bacnetDevice({ port: MIXED_PORT, localPort: CLIENT_PORT, deviceInstance: 3003, points: [] });
    const { driver } = driverFor(device);
    await driver.start();
    const failure = await driver.readProperty({ type: ObjectType.ANALOG_INPUT, instance: 1 }, 'priority-array').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BacnetErrorResponse);
    const error = failure as BacnetErrorResponse;
    expect(error.message).toBe(
      'ReadProperty of analog-input 1 priority-array on device "ahu" (instance 3003 at 127.0.0.1:25812) failed: property error unknown-property',
    );
    expect(error.errorCodeName).toBe('unknown-property');
    expect(error.device).toBe('ahu');
    expect(error.retryable).toBe(false);
  });

  it('refuses to start with an unknown property name', async () => {
    const device = bacnetDevice({
      port: MIXED_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 3003,
      points: [{ key: 'odd', objectType: 'analog-input', instance: 1, property: 'present-valu' }],
    });
    const { driver } = driverFor(device);
    await expect(driver.start()).rejects.toThrow('point "odd" names unknown property "present-valu"');
  });

  it('lists the objects of the device with names and units', async () => {
    const device = bacnetDevice({ port: AHU_PORT, localPort: CLIENT_PORT, deviceInstance: 2001, points: [] });
    const { driver } = driverFor(device);
    await driver.start();
    const objects = await driver.listObjects();
    expect(objects).toHaveLength(17);
    expect(objects[0]).toEqual({ objectType: 'device', instance: 2001, name: 'FLEXLAB cell A air handler' });
    expect(objects).toContainEqual({ objectType: 'analog-value', instance: 1, name: 'Zone cooling setpoint', units: 'degrees-celsius', unit: 'C' });
    expect(objects).toContainEqual({ objectType: 'analog-input', instance: 10, name: 'Hot water load', units: 'no-units', unit: '' });
  });
});
