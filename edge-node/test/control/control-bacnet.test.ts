import { ApplicationTag, PropertyIdentifier } from '@bacnet-js/client';
import { BACNET_LOCAL_PRIORITY, BACNET_REMOTE_PRIORITY } from '@simtestlab/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BacnetDriver } from '../../src/drivers/bacnet';
import type { RunningBacnetDevice } from '../../src/simulate/bacnet/bacnet-device-server';
import type { SimulatedObject } from '../../src/simulate/bacnet/simulated-object';
import { bacnetDevice, startTestDevice, testObjects, TestValues } from '../drivers/bacnet/bacnet-test-support';
import { ControlFixture, manager, remoteManager, waitUntil } from './control-support';

// Ports of this file: client 25960, simulated device 25961.
const CLIENT_PORT = 25960;
const DEVICE_PORT = 25961;
/** The setpoint's relinquish default, in effect while no priority contains a command. */
const RELINQUISH_DEFAULT = 21;
const SCHEDULE_PRIORITY = 16;

let device: RunningBacnetDevice;
let fixture: ControlFixture;

beforeAll(async () => {
  device = await startTestDevice({
    port: DEVICE_PORT,
    deviceInstance: 4100,
    deviceName: 'ahu',
    objects: testObjects(new TestValues(), [{ objectType: 'analog-value', instance: 1, value: RELINQUISH_DEFAULT, commandable: true }]),
  });
});

afterAll(async () => {
  await device?.stop();
});

beforeEach(async () => {
  fixture = new ControlFixture([
    bacnetDevice({
      port: DEVICE_PORT,
      localPort: CLIENT_PORT,
      deviceInstance: 4100,
      points: [{ key: 'setpoint', objectType: 'analog-value', instance: 1, unit: 'C', writable: true, min: 10, max: 30, control: { onRelease: 'relinquish', minIntervalMs: 0 } }],
    }),
  ]);
  await fixture.start();
});

afterEach(async () => {
  await fixture.close();
  for (let priority = 1; priority <= 16; priority++) setpoint().writeProperty(PropertyIdentifier.PRESENT_VALUE, [{ type: ApplicationTag.NULL, value: null }], priority);
});

function setpoint(): SimulatedObject {
  return device.object('analog-value', 1)!;
}

/** The setpoint's priority array on the device: slot number to value, without relinquished slots. */
function slots(): Record<number, number> {
  const values = setpoint().readProperty(PropertyIdentifier.PRIORITY_ARRAY);
  return Object.fromEntries(values.flatMap((slot, index) => (slot.type === ApplicationTag.NULL ? [] : [[index + 1, slot.value as number]])));
}

function driver(): BacnetDriver {
  return fixture.drivers.get('ahu') as BacnetDriver;
}

describe('BACnet control', () => {
  it('writes at the priority of the source', async () => {
    await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 24 }, actor: remoteManager, source: 'remote' });
    expect(slots()).toEqual({ [BACNET_REMOTE_PRIORITY]: 24 });
    await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 26 }, actor: manager, source: 'local' });
    // The on-site write replaced the remote lease, so the remote slot is cleared too.
    await waitUntil(() => slots()[BACNET_REMOTE_PRIORITY] === undefined, 2000, 'the remote slot to clear');
    expect(slots()).toEqual({ [BACNET_LOCAL_PRIORITY]: 26 });
    expect(setpoint().presentValue()).toBe(26);
  });

  it('relinquishes remote write on link loss', async () => {
    await driver().writeAtPriority('setpoint', 18, SCHEDULE_PRIORITY);
    const result = await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 25 }, actor: remoteManager, source: 'remote' });
    expect(result).toMatchObject({ ok: true, previousValue: 18, readBack: 25 });
    expect(slots()).toEqual({ [BACNET_REMOTE_PRIORITY]: 25, [SCHEDULE_PRIORITY]: 18 });

    await fixture.service.endRemoteLeases('the uplink to the hub closed');

    expect(slots()).toEqual({ [SCHEDULE_PRIORITY]: 18 });
    expect(setpoint().presentValue()).toBe(18);
    expect(fixture.audit('control.link_lost_release')[0]!.details).toMatchObject({ oldValue: 25, newValue: null, readBack: 18, result: 'ok' });
  });

  it('relinquishes at lease expiry, back to the relinquish default', async () => {
    await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 12.5, leaseS: 5 }, actor: remoteManager, source: 'remote' });
    expect(setpoint().presentValue()).toBe(12.5);

    fixture.clock.advance(6000);
    await fixture.service.releaseExpired();

    expect(slots()).toEqual({});
    expect(setpoint().presentValue()).toBe(RELINQUISH_DEFAULT);
    expect(fixture.audit('control.lease_expired')[0]!.details).toMatchObject({ point: 'ahu.setpoint', newValue: null, readBack: RELINQUISH_DEFAULT, result: 'ok' });
  });

  it('releases an on-site write at the on-site priority', async () => {
    await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 27 }, actor: manager, source: 'local' });
    expect(slots()).toEqual({ [BACNET_LOCAL_PRIORITY]: 27 });
    const remote = await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'write', value: 15 }, actor: remoteManager, source: 'remote' });
    expect(remote).toMatchObject({ ok: false, code: 'held_locally' });

    const release = await fixture.service.execute({ point: 'ahu.setpoint', command: { kind: 'release' }, actor: manager, source: 'local' });

    expect(release).toMatchObject({ ok: true, command: 'release', value: null, readBack: RELINQUISH_DEFAULT, lease: null });
    expect(slots()).toEqual({});
  });
});
