import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ApplicationTag, ObjectType, PropertyIdentifier, type BACNetAppData, type CovNotifyPayload } from '@bacnet-js/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacnetClientInstance } from '../../../src/drivers/bacnet/bacnet-library';
import { decodeStatusFlags } from '../../../src/drivers/bacnet/point-values';
import { flexlabAhuObjects, startBacnetAhuSimulator, type RunningBacnetAhu } from '../../../src/simulate/bacnet/flexlab-ahu';
import { openRawClient, waitFor } from '../../drivers/bacnet/bacnet-test-support';

// Ports of this file: raw client 25880, AHU 25881, small-APDU AHU 25882, CLI simulator 25883.
const CLIENT_PORT = 25880;
const AHU_PORT = 25881;
const SMALL_PORT = 25882;
const CLI_PORT = 25883;
const ALL = 0xffffffff;
const edgeNodeBin = fileURLToPath(new URL('../../../bin/edge-node.mjs', import.meta.url));

let clockMs = Date.UTC(2026, 0, 1);
let ahu: RunningBacnetAhu;
let small: RunningBacnetAhu;
let client: BacnetClientInstance;
const ahuAddress = { address: `127.0.0.1:${AHU_PORT}` };

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  ahu = await startBacnetAhuSimulator({ port: AHU_PORT, now: () => clockMs, covIntervalMs: 50, logger });
  small = await startBacnetAhuSimulator({ port: SMALL_PORT, deviceInstance: 2002, maxApduLength: 50, logger });
  client = await openRawClient(CLIENT_PORT);
});

afterAll(async () => {
  client?.close();
  await ahu?.device.stop();
  await small?.device.stop();
});

async function read(type: number, instance: number, property: number, index?: number): Promise<BACNetAppData[]> {
  const result = await client.readProperty(ahuAddress, { type, instance }, property, index === undefined ? {} : { arrayIndex: index });
  return result.values;
}

async function write(instance: number, value: number | null, priority: number): Promise<void> {
  const encoded: BACNetAppData = value === null ? { type: ApplicationTag.NULL, value: null } : { type: ApplicationTag.REAL, value };
  await client.writeProperty(ahuAddress, { type: ObjectType.ANALOG_VALUE, instance: instance }, PropertyIdentifier.PRESENT_VALUE, [encoded], { priority });
}

/** Moves the fake clock to the start of data set row `index` (speed 1: a row per minute). */
function atRow(index: number): void {
  clockMs = Date.UTC(2026, 0, 1) + index * 60_000;
}

describe('FLEXLAB air handler simulator', () => {
  it('serves every column of the replayed row', async () => {
    atRow(120);
    const row = ahu.replay.frame(clockMs).row!;
    const specification = flexlabAhuObjects.map((object) => ({
      objectId: { type: object.objectType === 'analog-input' ? ObjectType.ANALOG_INPUT : ObjectType.ANALOG_VALUE, instance: object.instance },
      properties: [{ id: PropertyIdentifier.PRESENT_VALUE, index: ALL }],
    }));
    const result = await client.readPropertyMultiple(ahuAddress, specification);
    result.values.forEach((access, index) => {
      const column = flexlabAhuObjects[index]!.column;
      expect(access.values[0]!.value[0]!.value, column).toBeCloseTo(row.values[column]!, 3);
    });
  });

  it('reports a fault in a data gap and keeps the last value', async () => {
    atRow(357);
    const before = (await read(ObjectType.ANALOG_INPUT, 12, PropertyIdentifier.PRESENT_VALUE))[0]!.value as number;
    atRow(358);
    expect(ahu.replay.frame(clockMs).row?.values['RA-HVAC-Load']).toBeNull();
    const flags = decodeStatusFlags(await read(ObjectType.ANALOG_INPUT, 12, PropertyIdentifier.STATUS_FLAGS));
    expect(flags).toEqual({ inAlarm: false, fault: true, overridden: false, outOfService: false });
    expect((await read(ObjectType.ANALOG_INPUT, 12, PropertyIdentifier.PRESENT_VALUE))[0]!.value).toBe(before);
    expect((await read(ObjectType.ANALOG_INPUT, 12, PropertyIdentifier.RELIABILITY))[0]!.value).toBe(1);
  });

  it('resolves setpoints from the priority array and the relinquish default', async () => {
    atRow(600);
    const scheduled = ahu.replay.frame(clockMs).row!.values['RA-ZONE-HEATING-SP']!;
    await write(2, 55.5, 8);
    await write(2, 11, 16);
    expect((await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.PRESENT_VALUE))[0]!.value).toBeCloseTo(55.5, 4);
    await write(2, null, 8);
    expect((await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.PRESENT_VALUE))[0]!.value).toBe(11);
    expect((await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.PRIORITY_ARRAY, 16))[0]).toMatchObject({ type: ApplicationTag.REAL, value: 11 });
    expect(await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.PRIORITY_ARRAY, 8)).toEqual([{ type: ApplicationTag.NULL, value: null }]);
    await write(2, null, 16);
    expect((await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.PRESENT_VALUE))[0]!.value).toBeCloseTo(scheduled, 4);
    expect((await read(ObjectType.ANALOG_VALUE, 2, PropertyIdentifier.RELINQUISH_DEFAULT))[0]!.value).toBeCloseTo(scheduled, 4);
  });

  it('refuses to write an input that is in service', async () => {
    const failure = await client
      .writeProperty(ahuAddress, { type: ObjectType.ANALOG_INPUT, instance: 1 }, PropertyIdentifier.PRESENT_VALUE, [{ type: ApplicationTag.REAL, value: 1 }], { priority: 8 })
      .catch((error: Error) => error.message);
    expect(failure).toBe('BacnetError - Class:2 - Code:40');
  });

  it('answers Who-Is within its instance range', async () => {
    const seen: number[] = [];
    const onIAm = (content: { payload: { deviceId: number; maxApdu: number; segmentation: number } }) => {
      seen.push(content.payload.deviceId);
      expect(content.payload).toMatchObject({ maxApdu: 1476, segmentation: 3 });
    };
    client.on('iAm', onIAm);
    try {
      client.whoIs(ahuAddress, { lowLimit: 3000, highLimit: 4000 });
      client.whoIs(ahuAddress, { lowLimit: 2000, highLimit: 2001 });
      await waitFor(() => seen.length > 0, 1000, 'an I-Am');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([2001]);
    } finally {
      client.off('iAm', onIAm);
    }
  });

  it('aborts a reply that does not fit its max APDU', async () => {
    const failure = await client
      .readProperty({ address: `127.0.0.1:${SMALL_PORT}` }, { type: ObjectType.DEVICE, instance: 2002 }, PropertyIdentifier.OBJECT_LIST)
      .catch((error: Error) => error.message);
    expect(failure).toBe('BacnetAbort - Reason:4');
    const length = await client.readProperty({ address: `127.0.0.1:${SMALL_PORT}` }, { type: ObjectType.DEVICE, instance: 2002 }, PropertyIdentifier.OBJECT_LIST, { arrayIndex: 0 });
    expect(length.values[0]?.value).toBe(17);
  });

  it('sends a COV notification at subscription and on change', async () => {
    atRow(700);
    const notifications: CovNotifyPayload[] = [];
    const onNotification = (content: { payload: CovNotifyPayload }) => notifications.push(content.payload);
    client.on('covNotifyUnconfirmed', onNotification);
    try {
      await client.subscribeCov(ahuAddress, { type: ObjectType.ANALOG_VALUE, instance: 3 }, 77, false, false, 60);
      await waitFor(() => notifications.length === 1, 1000, 'the initial notification');
      expect(notifications[0]).toMatchObject({ subscriberProcessId: 77, monitoredObjectId: { type: ObjectType.ANALOG_VALUE, instance: 3 } });
      expect(notifications[0]!.timeRemaining).toBeGreaterThan(55);
      await write(3, 14.5, 8);
      await waitFor(() => notifications.length === 2, 1000, 'the notification of the write');
      expect(notifications[1]!.values[0]).toMatchObject({ property: { id: PropertyIdentifier.PRESENT_VALUE }, value: [{ value: 14.5 }] });
    } finally {
      client.off('covNotifyUnconfirmed', onNotification);
      await write(3, null, 8);
      await client.subscribeCov(ahuAddress, { type: ObjectType.ANALOG_VALUE, instance: 3 }, 77, true, false, 0);
    }
    expect(ahu.device.covSubscriptions()).toEqual([]);
  });

  it('runs as `edge-node simulate bacnet-ahu`', async () => {
    const child = spawn(process.execPath, [edgeNodeBin, 'simulate', 'bacnet-ahu', '--port', String(CLI_PORT), '--speed', '60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      expect(JSON.parse(line)).toMatchObject({ simulator: 'bacnet-ahu', endpoint: `127.0.0.1:${CLI_PORT}`, speed: 60 });
      const name = await client.readProperty({ address: `127.0.0.1:${CLI_PORT}` }, { type: ObjectType.DEVICE, instance: 2001 }, PropertyIdentifier.OBJECT_NAME);
      expect(name.values[0]?.value).toBe('FLEXLAB cell A air handler');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 30_000);
});
