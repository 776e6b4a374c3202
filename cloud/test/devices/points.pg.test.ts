import { bacnetPointSchema, deviceSchema, modbusPointSchema, mqttPointSchema } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { bacnetAirHandler, modbusTcpMeter, mqttHeatPump } from './sample-devices';
import { asOwner, auditCount, auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';

let fixture: CloudFixture;
let ctx: SiteRoles;
let token: string;

beforeAll(async () => {
  fixture = await createCloudFixture('points');
  ctx = await seedSiteRoles(fixture);
  token = ctx.tokens.site_manager;
});

afterAll(async () => {
  await fixture?.close();
});

async function createDevice(device: unknown): Promise<string> {
  const { status, body } = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/devices`, { device });
  if (status !== 201) throw new Error(`creating a device failed with ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

function putPoint(deviceId: string, key: string, body: unknown) {
  return call(fixture.app, token, 'PUT', `/api/devices/${deviceId}/points/${key}`, body);
}

async function pointKeys(deviceId: string): Promise<string[]> {
  const { body } = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}/points`);
  return body.points.map((point: { key: string }) => point.key);
}

async function pointIdOf(deviceId: string, key: string): Promise<string> {
  const [row] = await asOwner(fixture, (tx) => tx<{ id: string }[]>`SELECT id FROM points WHERE device_id = ${deviceId} AND key = ${key}`);
  return row!.id;
}

describe('point upsert', () => {
  it('adds a new point after the last one', async () => {
    const deviceId = await createDevice(modbusTcpMeter('append'));
    const { status, body } = await putPoint(deviceId, 'V', { address: 0, unit: 'V', dataType: 'uint16' });
    expect(status).toBe(201);
    expect(body).toEqual(modbusPointSchema.parse({ key: 'V', address: 0, unit: 'V', dataType: 'uint16' }));
    expect(await pointKeys(deviceId)).toEqual(['W', 'Wh', 'A', 'status', 'V']);
  });

  it('replaces a point in its position', async () => {
    const deviceId = await createDevice(modbusTcpMeter('replace-point'));
    const { status, body } = await putPoint(deviceId, 'Wh', { key: 'Wh', address: 80, unit: 'kWh', kind: 'counter', dataType: 'float64' });
    expect(status).toBe(200);
    expect(body.address).toBe(80);
    expect(await pointKeys(deviceId)).toEqual(['W', 'Wh', 'A', 'status']);
    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(read.body.device.points[1]).toEqual(modbusPointSchema.parse({ key: 'Wh', address: 80, unit: 'kWh', kind: 'counter', dataType: 'float64' }));
  });

  it('keeps the device valid in the shared model', async () => {
    const deviceId = await createDevice(modbusTcpMeter('still-valid'));
    await putPoint(deviceId, 'm103.W', { address: 40083, unit: 'W', dataType: 'int16', scaleFactor: 'm103.W_SF' });
    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(deviceSchema.safeParse(read.body.device).success).toBe(true);
    expect(read.body.device.points.at(-1).key).toBe('m103.W');
  });

  it('uses the point schema of an MQTT device', async () => {
    const deviceId = await createDevice(mqttHeatPump('mqtt-points'));
    const { status, body } = await putPoint(deviceId, 'returnTemp', { topic: 'hp/state', path: 'return.temp', unit: 'C' });
    expect(status).toBe(201);
    expect(body).toEqual(mqttPointSchema.parse({ key: 'returnTemp', topic: 'hp/state', path: 'return.temp', unit: 'C' }));
    const rejected = await putPoint(deviceId, 'W', { address: 52 });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('topic');
  });

  it('uses the point schema of a BACnet device', async () => {
    const deviceId = await createDevice(bacnetAirHandler('bacnet-points'));
    const { status, body } = await putPoint(deviceId, 'returnTemp', { objectType: 'analog-input', instance: 2, unit: 'C' });
    expect(status).toBe(201);
    expect(body).toEqual(bacnetPointSchema.parse({ key: 'returnTemp', objectType: 'analog-input', instance: 2, unit: 'C' }));
    const rejected = await putPoint(deviceId, 'returnTemp', { objectType: 'analog-input', instance: 2, writePriority: 17 });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.parameter).toBe('writePriority');
  });

  it('rejects a body key that differs from the path', async () => {
    const deviceId = await createDevice(modbusTcpMeter('key-mismatch'));
    const { status, body } = await putPoint(deviceId, 'W', { key: 'VA', address: 1 });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('key');
    expect(await pointKeys(deviceId)).toEqual(['W', 'Wh', 'A', 'status']);
  });

  it('rejects an invalid key in the path', async () => {
    const deviceId = await createDevice(modbusTcpMeter('bad-path-key'));
    const { status, body } = await putPoint(deviceId, '%24bad', { address: 1 });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('key');
  });

  it('rejects unknown fields and invalid values with their paths', async () => {
    const deviceId = await createDevice(modbusTcpMeter('bad-point'));
    const unknown = await putPoint(deviceId, 'W', { address: 1, registr: 2 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('registr');
    const invalid = await putPoint(deviceId, 'W', { address: 1, wordOrder: 'ACBD' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.parameter).toBe('wordOrder');
    const notObject = await putPoint(deviceId, 'W', [1, 2]);
    expect(notObject.status).toBe(400);
  });

  it('marks the device as updated', async () => {
    const deviceId = await createDevice(modbusTcpMeter('touched'));
    const before = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    await putPoint(deviceId, 'V', { address: 0 });
    const after = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(Date.parse(after.body.updatedAt)).toBeGreaterThan(Date.parse(before.body.updatedAt));
  });
});

describe('point delete', () => {
  it('removes one point and keeps the order of the rest', async () => {
    const deviceId = await createDevice(modbusTcpMeter('delete-point'));
    const deleted = await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}/points/Wh`);
    expect(deleted.status).toBe(204);
    expect(await pointKeys(deviceId)).toEqual(['W', 'A', 'status']);
    const again = await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}/points/Wh`);
    expect(again.status).toBe(404);
  });
});

describe('point audit', () => {
  it('writes one entry per change with before and after', async () => {
    const deviceId = await createDevice(modbusTcpMeter('audited-points'));
    const count = await auditCount(fixture);

    await putPoint(deviceId, 'V', { address: 0, unit: 'V' });
    expect(await auditCount(fixture)).toBe(count + 1);
    const pointId = await pointIdOf(deviceId, 'V');
    await putPoint(deviceId, 'V', { address: 2, unit: 'V' });
    expect(await auditCount(fixture)).toBe(count + 2);
    await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}/points/V`);
    expect(await auditCount(fixture)).toBe(count + 3);

    const entries = await auditEntries(fixture, pointId);
    expect(entries.map((entry) => entry.action)).toEqual(['point.upsert', 'point.upsert', 'point.delete']);
    for (const entry of entries) {
      expect(entry.target_type).toBe('point');
      expect(entry.organization_id).toBe(ctx.organizationId);
      expect(entry.site_id).toBe(ctx.siteId);
    }
    const [created, replaced, removed] = entries;
    expect(created!.before).toBeNull();
    expect(created!.after).toEqual({ deviceId, deviceKey: 'audited-points', point: modbusPointSchema.parse({ key: 'V', address: 0, unit: 'V' }) });
    expect(replaced!.before.point.address).toBe(0);
    expect(replaced!.after.point.address).toBe(2);
    expect(removed!.before.point.address).toBe(2);
    expect(removed!.after).toBeNull();
  });

  it('writes nothing for a rejected change', async () => {
    const deviceId = await createDevice(modbusTcpMeter('rejected-points'));
    const count = await auditCount(fixture);
    expect((await putPoint(deviceId, 'W', { key: 'other', address: 1 })).status).toBe(400);
    expect((await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}/points/missing`)).status).toBe(404);
    expect((await call(fixture.app, ctx.tokens.operator, 'DELETE', `/api/devices/${deviceId}/points/W`)).status).toBe(403);
    expect(await auditCount(fixture)).toBe(count);
  });
});
