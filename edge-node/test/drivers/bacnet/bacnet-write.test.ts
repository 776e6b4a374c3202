import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BacnetErrorResponse, type BacnetDriver } from '../../../src/drivers/bacnet';
import { DeviceRequestError } from '../../../src/drivers/errors';
import type { RunningBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { startBacnetAhuSimulator, type RunningBacnetAhu } from '../../../src/simulate/bacnet/flexlab-ahu';
import { bacnetDevice, makeDriver, readingOf, startTestDevice, testObjects, TestValues } from './bacnet-test-support';

// Ports of this file: client 25840, AHU simulator 25841, device of binary and multi-state values 25842.
const CLIENT_PORT = 25840;
const AHU_PORT = 25841;
const STATES_PORT = 25842;
const START_MS = Date.UTC(2026, 0, 1);

let ahu: RunningBacnetAhu;
let states: RunningBacnetDevice;
const drivers: BacnetDriver[] = [];

beforeAll(async () => {
  ahu = await startBacnetAhuSimulator({ port: AHU_PORT, now: () => START_MS, logger: pino({ level: 'silent' }) });
  states = await startTestDevice({
    port: STATES_PORT,
    deviceInstance: 7007,
    deviceName: 'states',
    objects: testObjects(new TestValues(), [
      { objectType: 'binary-value', instance: 1, value: 0, commandable: true },
      { objectType: 'multi-state-value', instance: 1, value: 1, commandable: true, numberOfStates: 3 },
      { objectType: 'analog-input', instance: 1, value: 5 },
    ]),
  });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
});

afterAll(async () => {
  await ahu?.device.stop();
  await states?.stop();
});

function setpointDriver() {
  const made = makeDriver(
    bacnetDevice({
      port: AHU_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 2001,
      points: [
        { key: 'cooling_setpoint', objectType: 'analog-value', instance: 1, writable: true, unit: 'C', min: 5, max: 60 },
        { key: 'schedule_setpoint', objectType: 'analog-value', instance: 1, writable: true, writePriority: 16 },
        { key: 'zone_temp', objectType: 'analog-input', instance: 1 },
      ],
    }),
  );
  drivers.push(made.driver);
  return made;
}

function slotsOf(driverSlots: (number | string | null)[] | undefined): Record<number, number | string> {
  return Object.fromEntries((driverSlots ?? []).flatMap((slot, index) => (slot === null ? [] : [[index + 1, slot]])));
}

describe('BACnet priority writes', () => {
  it('honours priorities: 55.5 at 8, 11 at 16, then NULL at 8 leaves 11', async () => {
    const { driver } = setpointDriver();
    await driver.start();
    const relinquishDefault = ahu.replay.frame(START_MS).row!.values['RA-ZONE-COOLING-SP']!;
    const setpoint = ahu.device.object('analog-value', 1)!;

    const afterOperator = await driver.writeAtPriority('cooling_setpoint', 55.5, 8);
    expect(afterOperator?.activePriority).toBe(8);
    expect(slotsOf(afterOperator?.slots)).toEqual({ 8: 55.5 });
    expect(setpoint.presentValue()).toBeCloseTo(55.5, 4);

    const afterSchedule = await driver.writeAtPriority('cooling_setpoint', 11, 16);
    expect(afterSchedule?.activePriority).toBe(8);
    expect(slotsOf(afterSchedule?.slots)).toEqual({ 8: 55.5, 16: 11 });
    expect(readingOf(await driver.read(), 'cooling_setpoint').value).toBeCloseTo(55.5, 4);

    const afterRelinquish = await driver.writeAtPriority('cooling_setpoint', null, 8);
    expect(afterRelinquish?.activePriority).toBe(16);
    expect(slotsOf(afterRelinquish?.slots)).toEqual({ 16: 11 });
    expect(readingOf(await driver.read(), 'cooling_setpoint').value).toBe(11);

    await driver.relinquish('cooling_setpoint', 16);
    expect(slotsOf((await driver.readPriorityArray('cooling_setpoint'))?.slots)).toEqual({});
    expect(readingOf(await driver.read(), 'cooling_setpoint').value).toBeCloseTo(relinquishDefault, 4);
  });

  it('writes at the point priority, 8 unless configured', async () => {
    const { driver, log } = setpointDriver();
    await driver.start();
    try {
      await driver.write('cooling_setpoint', 24);
      await driver.write('schedule_setpoint', 26);
      expect(slotsOf((await driver.readPriorityArray('cooling_setpoint'))?.slots)).toEqual({ 8: 24, 16: 26 });
      expect(log.messages(30)).toContain('point schedule_setpoint written at priority 16, but priority 8 keeps control');
    } finally {
      await driver.relinquish('cooling_setpoint');
      await driver.relinquish('schedule_setpoint');
    }
  });

  it('checks a write before sending it', async () => {
    const { driver } = setpointDriver();
    await driver.start();
    const start = ahu.device.requests().length;
    await expect(driver.write('cooling_setpoint', 61)).rejects.toThrow('value 61 of point "cooling_setpoint" is above its maximum 60');
    await expect(driver.write('zone_temp', 20)).rejects.toThrow('point "zone_temp" is not writable (set writable: true)');
    await expect(driver.writeAtPriority('cooling_setpoint', 20, 17)).rejects.toBeInstanceOf(DeviceRequestError);
    await expect(driver.write('nothing', 1)).rejects.toThrow('unknown point "nothing"');
    expect(ahu.device.requests().slice(start)).toHaveLength(0);
  });

  it('surfaces a denied write as a typed error', async () => {
    const made = makeDriver(
      bacnetDevice({
        port: STATES_PORT,
        localPort: CLIENT_PORT,
        deviceInstance: 7007,
        points: [{ key: 'sensor', objectType: 'analog-input', instance: 1, writable: true }],
      }),
    );
    drivers.push(made.driver);
    await made.driver.start();
    const failure = await made.driver.write('sensor', 7).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BacnetErrorResponse);
    expect((failure as Error).message).toBe(
      'WriteProperty of analog-input 1 present-value at priority 8 on device "ahu" (instance 7007 at 127.0.0.1:25842) failed: property error write-access-denied',
    );
  });

  it('writes binary and multi-state values', async () => {
    const made = makeDriver(
      bacnetDevice({
        port: STATES_PORT,
        localPort: CLIENT_PORT,
        deviceInstance: 7007,
        points: [
          { key: 'enable', objectType: 'binary-value', instance: 1, writable: true, kind: 'state' },
          { key: 'mode', objectType: 'multi-state-value', instance: 1, writable: true, kind: 'state' },
        ],
      }),
    );
    drivers.push(made.driver);
    await made.driver.start();
    await made.driver.write('enable', true);
    await made.driver.write('mode', 3);
    const readings = await made.driver.read();
    expect(readingOf(readings, 'enable').value).toBe(1);
    expect(readingOf(readings, 'mode').value).toBe(3);
    expect(slotsOf((await made.driver.readPriorityArray('mode'))?.slots)).toEqual({ 8: 3 });
  });
});
