import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database';
import { createSilentLogger } from '../../src/logger';
import { startModbusServer, type RunningModbusServer } from '../../src/simulate/modbus/modbus-server';
import { createApiFixture, requestAsAdmin, testSiteConfig, type ApiFixture } from '../api/api-fixture';

let fixture: ApiFixture | undefined;
let server: RunningModbusServer | undefined;

afterEach(async () => {
  await fixture?.close();
  await server?.close();
  fixture = undefined;
  server = undefined;
});

async function getJson<T>(path: string): Promise<T> {
  const response = await requestAsAdmin(fixture!, path);
  return (await response.json()) as T;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Health = { status: string; devices: { online: number; offline: string[]; allPointsBad: string[] } };

describe('device health', () => {
  it('reports a device whose every point fails as degraded', async () => {
    // Every address is unknown to this unit, so each read ends in exception 2 (illegal data address).
    server = await startModbusServer({ port: 0, units: new Map([[1, { holdingRegisters: () => new Map() }]]), logger: createSilentLogger() });
    const config = testSiteConfig({
      devices: [
        {
          key: 'broken',
          driver: 'modbus-tcp',
          pollIntervalMs: 200,
          connection: { host: '127.0.0.1', port: server.port, timeoutMs: 500 },
          points: [
            { key: 'powerW', address: 0, unit: 'W' },
            { key: 'voltageV', address: 2, unit: 'V' },
          ],
        },
      ],
    });
    fixture = await createApiFixture(config, { startPollers: true });

    const health = await waitFor(() => getJson<Health>('/api/health'), (body) => body.devices.allPointsBad.length > 0, 5000);
    const device = await getJson<{ status: string; lastError: string | null }>('/api/devices/broken');
    const point = await getJson<{ quality: string; reason: string }>('/api/points/broken.powerW');

    expect(health.status).toBe('degraded');
    expect(health.devices.allPointsBad).toEqual(['broken']);
    expect(health.devices.offline).toEqual([]);
    expect(device).toEqual(expect.objectContaining({ status: 'online', lastError: null }));
    expect(point).toEqual(expect.objectContaining({ quality: 'bad', reason: 'exception' }));
  });

  it('counts every poll in the duration histogram', async () => {
    server = await startModbusServer({ port: 0, units: new Map([[1, { holdingRegisters: () => new Map([[0, 42], [1, 0]]) }]]), logger: createSilentLogger() });
    const config = testSiteConfig({
      devices: [
        { key: 'fast', driver: 'modbus-tcp', pollIntervalMs: 100, connection: { host: '127.0.0.1', port: server.port }, points: [{ key: 'powerW', address: 0, dataType: 'uint16' }] },
      ],
    });
    fixture = await createApiFixture(config, { startPollers: true });
    await new Promise((resolve) => setTimeout(resolve, 700));

    const text = await (await requestAsAdmin(fixture, '/metrics')).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    const polls = value(/^edge_polls_total\{device="fast"\} (\d+)$/m);
    const count = value(/^edge_poll_duration_seconds_count\{device="fast"\} (\d+)$/m);
    const infBucket = value(/^edge_poll_duration_seconds_bucket\{device="fast",le="\+Inf"\} (\d+)$/m);
    const tenSeconds = value(/^edge_poll_duration_seconds_bucket\{device="fast",le="10"\} (\d+)$/m);

    expect(polls).toBeGreaterThanOrEqual(3);
    expect(count).toBe(polls);
    expect(infBucket).toBe(polls);
    expect(tenSeconds).toBe(polls);
  });

  it('ends the online period when the node stops', async () => {
    server = await startModbusServer({ port: 0, units: new Map([[1, { holdingRegisters: () => new Map([[0, 42]]) }]]), logger: createSilentLogger() });
    const config = testSiteConfig({
      devices: [{ key: 'meter', driver: 'modbus-tcp', pollIntervalMs: 100, connection: { host: '127.0.0.1', port: server.port }, points: [{ key: 'powerW', address: 0, dataType: 'uint16' }] }],
    });
    fixture = await createApiFixture(config, { startPollers: true });
    await waitFor(() => getJson<Health>('/api/health'), (body) => body.devices.online === 1, 5000);
    const dataDir = fixture.dataDir;
    await fixture.runtime.stop();

    const db = openDatabase(join(dataDir, 'edge.db'));
    const events = db.prepare('SELECT status, error FROM device_events WHERE device_key = ? ORDER BY id').all('meter');
    db.close();
    fixture = { ...fixture, close: async () => rmSync(dataDir, { recursive: true, force: true }) };

    expect(events).toEqual([
      { status: 'online', error: null },
      { status: 'unknown', error: 'edge node stopped' },
    ]);
  });
});
