import { deviceSchema } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { bacnetAirHandler, modbusTcpMeter, mqttHeatPump } from './sample-devices';
import { asOwner, auditCount, auditEntries, seedSiteNode, seedSiteRoles, type SiteRoles } from '../support/site-roles';

let fixture: CloudFixture;
let ctx: SiteRoles;
let token: string;

beforeAll(async () => {
  fixture = await createCloudFixture('devices');
  ctx = await seedSiteRoles(fixture);
  token = ctx.tokens.site_manager;
});

afterAll(async () => {
  await fixture?.close();
});

function post(device: unknown, extra: Record<string, unknown> = {}, siteId = ctx.siteId) {
  return call(fixture.app, token, 'POST', `/api/sites/${siteId}/devices`, { device, ...extra });
}

async function createDevice(device: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await post(device, extra);
  if (status !== 201) throw new Error(`creating a device failed with ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

function pointRows(deviceId: string) {
  return asOwner(fixture, (tx) => tx<{ id: string; key: string }[]>`SELECT id, key FROM points WHERE device_id = ${deviceId} ORDER BY key`);
}

describe('device round trip', () => {
  it.each([
    ['modbus-tcp', modbusTcpMeter('rt-modbus')],
    ['mqtt', mqttHeatPump('rt-mqtt')],
    ['bacnet', bacnetAirHandler('rt-bacnet')],
  ])('%s device reads back as parsed', async (_driver, input) => {
    const expected = deviceSchema.parse(input);
    const created = await post(input);
    expect(created.status).toBe(201);
    expect(created.body.device).toEqual(expected);

    const read = await call(fixture.app, token, 'GET', `/api/devices/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.device).toEqual(expected);
    expect(deviceSchema.parse(read.body.device)).toEqual(expected);
    expect(read.body.siteId).toBe(ctx.siteId);
    expect(read.body.organizationId).toBe(ctx.organizationId);
    expect(read.body.nodeId).toBeNull();

    const points = await call(fixture.app, token, 'GET', `/api/devices/${created.body.id}/points`);
    expect(points.status).toBe(200);
    expect(points.body.driver).toBe(expected.driver);
    expect(points.body.points).toEqual(expected.points);
  });

  it('stores the device without points and one row per point', async () => {
    const deviceId = await createDevice(modbusTcpMeter('stored-meter'));
    const [row] = await asOwner(fixture, (tx) => tx<{ key: string; name: string; driver: string; config: Record<string, unknown> }[]>`
      SELECT key, name, driver, config FROM devices WHERE id = ${deviceId}`);
    expect(row!.key).toBe('stored-meter');
    expect(row!.name).toBe('Main meter');
    expect(row!.driver).toBe('modbus-tcp');
    expect(row!.config).not.toHaveProperty('points');
    expect((await pointRows(deviceId)).map((point) => point.key)).toEqual(['A', 'W', 'Wh', 'status']);
  });

  it('lists the devices of a site with point counts', async () => {
    const deviceId = await createDevice(bacnetAirHandler('listed-ahu'));
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/devices`);
    expect(status).toBe(200);
    const entry = body.devices.find((device: { id: string }) => device.id === deviceId);
    expect(entry).toMatchObject({ key: 'listed-ahu', name: 'Air handler 1', driver: 'bacnet', enabled: false, pointCount: 3, nodeId: null });
    const keys = body.devices.map((device: { key: string }) => device.key);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('device validation', () => {
  it('rejects an unknown point field with its path', async () => {
    const input = modbusTcpMeter('bad-field');
    (input.points[1] as Record<string, unknown>).wordOrdr = 'ABCD';
    const { status, body } = await post(input);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.parameter).toBe('device.points.1');
    expect(body.error.message).toContain('wordOrdr');
  });

  it('rejects an invalid point value with its path', async () => {
    const input = modbusTcpMeter('bad-word-order');
    input.points[2]!.wordOrder = 'ACBD';
    const { status, body } = await post(input);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('device.points.2.wordOrder');
  });

  it('rejects unknown fields of the body and the connection', async () => {
    const top = await post(modbusTcpMeter('bad-top'), { colour: 'red' });
    expect(top.status).toBe(400);
    expect(top.body.error.message).toContain('colour');
    const connection = await post({ ...modbusTcpMeter('bad-connection'), connection: { host: 'h', baud: 9600 } });
    expect(connection.status).toBe(400);
    expect(connection.body.error.parameter).toBe('device.connection');
    expect(connection.body.error.message).toContain('baud');
  });

  it('checks points against the schema of the driver', async () => {
    const { status, body } = await post({ ...mqttHeatPump('mqtt-with-register'), points: [{ key: 'W', address: 52 }] });
    expect(status).toBe(400);
    const paths = body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toContain('device.points.0.topic');
    expect(paths).toContain('device.points.0');
  });

  it('rejects an unknown driver', async () => {
    const { status, body } = await post({ ...modbusTcpMeter('bad-driver'), driver: 'knx' });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('device.driver');
  });

  it('rejects duplicate point keys', async () => {
    const input = modbusTcpMeter('duplicate-points');
    input.points[3]!.key = 'W';
    const { status, body } = await post(input);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('device.points.3.key');
  });

  it('returns 409 for a key already used at the site', async () => {
    await createDevice(modbusTcpMeter('taken'));
    const { status, body } = await post(mqttHeatPump('taken'));
    expect(status).toBe(409);
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('taken');
  });

  it('allows one key at two sites', async () => {
    await createDevice(modbusTcpMeter('shared-key'));
    const { status } = await call(fixture.app, ctx.tokens.org_admin, 'POST', `/api/sites/${ctx.otherSiteId}/devices`, { device: modbusTcpMeter('shared-key') });
    expect(status).toBe(201);
  });
});

describe('device node', () => {
  it('accepts a node of the same site', async () => {
    const nodeId = await seedSiteNode(fixture, ctx.siteId);
    const created = await post(modbusTcpMeter('in-building'), { nodeId });
    expect(created.status).toBe(201);
    expect(created.body.nodeId).toBe(nodeId);
    const read = await call(fixture.app, token, 'GET', `/api/devices/${created.body.id}`);
    expect(read.body.nodeId).toBe(nodeId);
  });

  it('rejects a node of another site', async () => {
    const nodeId = await seedSiteNode(fixture, ctx.otherSiteId);
    const { status, body } = await post(modbusTcpMeter('wrong-building'), { nodeId });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('nodeId');
  });

  it('rejects a node that does not exist', async () => {
    const { status, body } = await post(modbusTcpMeter('no-building'), { nodeId: '3f0b8f43-5d4e-4c6b-9d7e-2a1b0c9d8e7f' });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('nodeId');
  });

  it('rejects a node id that is not a UUID', async () => {
    const { status, body } = await post(modbusTcpMeter('odd-building'), { nodeId: 'building-1' });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('nodeId');
  });
});

describe('device replace', () => {
  it('replaces the device, its driver and its points', async () => {
    const deviceId = await createDevice(modbusTcpMeter('converted'));
    const replacement = mqttHeatPump('converted');
    const put = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: replacement });
    expect(put.status).toBe(200);
    expect(put.body.device).toEqual(deviceSchema.parse(replacement));

    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(read.body.device).toEqual(deviceSchema.parse(replacement));
    expect((await pointRows(deviceId)).map((point) => point.key)).toEqual(['flowTemp', 'power']);
  });

  it('keeps the row ids of points that stay', async () => {
    const deviceId = await createDevice(modbusTcpMeter('kept-points'));
    const before = await pointRows(deviceId);
    const input = modbusTcpMeter('kept-points');
    input.points = [input.points[3]!, input.points[2]!];
    const put = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: input });
    expect(put.status).toBe(200);

    const after = await pointRows(deviceId);
    expect(after.map((point) => point.key)).toEqual(['A', 'status']);
    expect(after.map((point) => point.id)).toEqual(before.filter((point) => point.key === 'A' || point.key === 'status').map((point) => point.id));
    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(read.body.device.points.map((point: { key: string }) => point.key)).toEqual(['status', 'A']);
  });

  it('renames the key, 409 when taken', async () => {
    await createDevice(modbusTcpMeter('occupied'));
    const deviceId = await createDevice(modbusTcpMeter('movable'));
    const renamed = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: modbusTcpMeter('moved') });
    expect(renamed.status).toBe(200);
    expect(renamed.body.device.key).toBe('moved');
    const clash = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: modbusTcpMeter('occupied') });
    expect(clash.status).toBe(409);
    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(read.body.device.key).toBe('moved');
  });

  it('detaches the node when nodeId is omitted', async () => {
    const nodeId = await seedSiteNode(fixture, ctx.siteId, 'Building 2');
    const deviceId = await createDevice(modbusTcpMeter('detached'), { nodeId });
    const put = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: modbusTcpMeter('detached') });
    expect(put.status).toBe(200);
    expect(put.body.nodeId).toBeNull();
  });

  it('rejects an invalid replacement without changing the device', async () => {
    const deviceId = await createDevice(modbusTcpMeter('unchanged'));
    const input = modbusTcpMeter('unchanged');
    (input.connection as Record<string, unknown>).port = 70000;
    const put = await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: input });
    expect(put.status).toBe(400);
    expect(put.body.error.parameter).toBe('device.connection.port');
    const read = await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`);
    expect(read.body.device.connection.port).toBe(502);
  });
});

describe('device delete', () => {
  it('removes the device and its points', async () => {
    const deviceId = await createDevice(bacnetAirHandler('removed'));
    const deleted = await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect((await call(fixture.app, token, 'GET', `/api/devices/${deviceId}`)).status).toBe(404);
    expect(await pointRows(deviceId)).toHaveLength(0);
    expect((await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}`)).status).toBe(404);
  });
});

describe('device audit', () => {
  it('writes one entry per change with before and after', async () => {
    const initial = modbusTcpMeter('audited');
    let count = await auditCount(fixture);

    const deviceId = await createDevice(initial);
    expect(await auditCount(fixture)).toBe(count + 1);
    const replacement = bacnetAirHandler('audited');
    await call(fixture.app, token, 'PUT', `/api/devices/${deviceId}`, { device: replacement });
    expect(await auditCount(fixture)).toBe(count + 2);
    await call(fixture.app, token, 'DELETE', `/api/devices/${deviceId}`);
    expect(await auditCount(fixture)).toBe(count + 3);
    count += 3;

    const entries = await auditEntries(fixture, deviceId);
    expect(entries.map((entry) => entry.action)).toEqual(['device.create', 'device.update', 'device.delete']);
    for (const entry of entries) {
      expect(entry.target_type).toBe('device');
      expect(entry.organization_id).toBe(ctx.organizationId);
      expect(entry.site_id).toBe(ctx.siteId);
      expect(entry.actor_id).toEqual(expect.any(String));
    }
    const [create, update, remove] = entries;
    expect(create!.before).toBeNull();
    expect(create!.after.device).toEqual(deviceSchema.parse(initial));
    expect(update!.before.device).toEqual(deviceSchema.parse(initial));
    expect(update!.after.device).toEqual(deviceSchema.parse(replacement));
    expect(remove!.before.device).toEqual(deviceSchema.parse(replacement));
    expect(remove!.after).toBeNull();
  });

  it('writes nothing for a rejected change', async () => {
    await createDevice(modbusTcpMeter('first-of-key'));
    const count = await auditCount(fixture);
    expect((await post(modbusTcpMeter('first-of-key'))).status).toBe(409);
    expect((await post({ ...modbusTcpMeter('invalid'), pollIntervalMs: 1 })).status).toBe(400);
    expect(await auditCount(fixture)).toBe(count);
  });
});

describe('device OpenAPI document', () => {
  it('lists the device routes and the shared model', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/sites/{siteId}/devices', '/api/devices/{deviceId}', '/api/devices/{deviceId}/points', '/api/devices/{deviceId}/points/{pointKey}']),
    );
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['Device', 'DeviceBody', 'DeviceRecord', 'DeviceList', 'PointList', 'PointBody', 'ModbusPoint', 'MqttPoint', 'BacnetPoint']),
    );
  });
});
