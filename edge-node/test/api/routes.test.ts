import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { createSilentLogger } from '../../src/logger';
import { EdgeRuntime } from '../../src/runtime/edge-runtime';
import { createTestAuth } from '../auth/auth-support';
import { createApiFixture, feedHalfHour, pastHourStart, requestAsAdmin, testSiteConfig, type ApiFixture } from './api-fixture';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function getJson<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const response = await requestAsAdmin(fixture!, path);
  return { status: response.status, body: (await response.json()) as T };
}

interface ApiPoint {
  id: string;
  device: string;
  key: string;
  unit: string;
  value: number | string | null;
  ts: number | null;
  quality: string | null;
  reason: string | null;
}

interface ErrorBody {
  error: { code: string; message: string };
}

describe('site and device routes', () => {
  it('describes the site', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson('/api/site');

    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'api-test', name: 'API test site', timeZone: 'UTC', deviceCount: 2, pointCount: 4 });
  });

  it('lists devices', async () => {
    fixture = await createApiFixture();

    const { body } = await getJson<{ devices: Array<Record<string, unknown>> }>('/api/devices');

    expect(body.devices.map((device) => device.key)).toEqual(['meter', 'pv']);
    expect(body.devices[0]).toMatchObject({ key: 'meter', name: 'Grid meter', driver: 'modbus-tcp', enabled: true, pollIntervalMs: 10_000, pointCount: 3 });
    // Without a poller the status comes from the configuration.
    expect(body.devices[0]).toMatchObject({ status: 'unknown', lastError: null, stats: null });
    expect(body.devices[1]).toMatchObject({ key: 'pv', name: 'pv' });
  });

  it('describes one device with its points', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson<{ key: string; points: ApiPoint[] }>('/api/devices/meter');

    expect(status).toBe(200);
    expect(body.key).toBe('meter');
    expect(body.points.map((point) => point.id)).toEqual(['meter.powerW', 'meter.energyWh', 'meter.model']);
  });

  it('returns 404 for an unknown device', async () => {
    fixture = await createApiFixture();

    for (const path of ['/api/devices/ghost', '/api/devices/ghost/events']) {
      const { status, body } = await getJson<ErrorBody>(path);

      expect(status, path).toBe(404);
      expect(body.error.code, path).toBe('device_not_found');
      expect(body.error.message, path).toContain('"ghost"');
    }
  });

  it('rejects bad event parameters', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson<{ error: { code: string; parameter: string } }>('/api/devices/meter/events?limit=0');

    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', parameter: 'limit' });
  });

  it('returns 404 JSON for an unknown route', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson<ErrorBody>('/api/nothing-here');

    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('GET /api/nothing-here');
  });
});

describe('point routes', () => {
  it('lists points of all devices and of one', async () => {
    fixture = await createApiFixture();

    const all = await getJson<{ points: ApiPoint[] }>('/api/points');
    const pv = await getJson<{ points: ApiPoint[] }>('/api/points?device=pv');

    expect(all.body.points.map((point) => point.id)).toEqual(['meter.powerW', 'meter.energyWh', 'meter.model', 'pv.acPowerW']);
    expect(pv.body.points.map((point) => point.id)).toEqual(['pv.acPowerW']);
  });

  it('describes a point before any sample', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson<ApiPoint & { kind: string; dataType: string }>('/api/points/meter.energyWh');

    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'meter.energyWh', device: 'meter', key: 'energyWh', unit: 'Wh', kind: 'counter', dataType: 'uint32' });
    expect(body).toMatchObject({ value: null, ts: null, quality: null, reason: null });
  });

  it('shows the last value with its quality', async () => {
    fixture = await createApiFixture();
    const ts = Date.now();
    fixture.runtime.ingest(
      fixture.device('meter'),
      ts,
      [
        { point: 'powerW', value: 1234.5, quality: 'good' },
        { point: 'energyWh', value: null, quality: 'bad', reason: 'exception' },
        { point: 'model', value: 'EM-1', quality: 'good' },
      ],
      false,
    );

    const power = await getJson<ApiPoint>('/api/points/meter.powerW');
    const energy = await getJson<ApiPoint>('/api/points/meter.energyWh');
    const model = await getJson<ApiPoint>('/api/points/meter.model');

    expect(power.body).toMatchObject({ value: 1234.5, ts, quality: 'good', reason: null });
    expect(energy.body).toMatchObject({ value: null, ts, quality: 'bad', reason: 'exception' });
    expect(model.body).toMatchObject({ value: 'EM-1', quality: 'good' });
  });

  it('reports an old value as stale', async () => {
    fixture = await createApiFixture();
    await feedHalfHour(fixture, pastHourStart());

    const { body } = await getJson<ApiPoint>('/api/points/pv.acPowerW');

    expect(body).toMatchObject({ value: 2000, quality: 'stale' });
  });

  it('keeps last values across a restart', async () => {
    const config = testSiteConfig();
    fixture = await createApiFixture(config);
    const ts = Date.now();
    fixture.runtime.ingest(fixture.device('pv'), ts, [{ point: 'acPowerW', value: 2750, quality: 'good' }], false);
    await fixture.runtime.stop();

    const dataDir = fixture.dataDir;
    const restarted = new EdgeRuntime({ config, databasePath: join(dataDir, 'edge.db'), logger: createSilentLogger(), startPollers: false });
    await restarted.start();
    fixture = {
      ...fixture,
      runtime: restarted,
      // The restarted app reads the same key file, so the token from before the restart stays valid.
      app: createApp(restarted, createSilentLogger(), { auth: createTestAuth(restarted.db, dataDir) }),
      close: async () => {
        await restarted.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };

    const point = await getJson<ApiPoint>('/api/points/pv.acPowerW');
    const history = await getJson<{ rows: Array<{ ts: number; value: number }> }>(`/api/points/pv.acPowerW/history?from=${ts}&to=${ts + 1}`);

    expect(point.body).toMatchObject({ value: 2750, ts, quality: 'good' });
    expect(history.body.rows).toEqual([{ ts, value: 2750, quality: 'good' }]);
  });

  it('returns 404 for an unknown point', async () => {
    fixture = await createApiFixture();

    for (const path of ['/api/points/meter.nope', '/api/points/ghost.powerW', '/api/points/meter']) {
      const { status, body } = await getJson<ErrorBody>(path);

      expect(status, path).toBe(404);
      expect(body.error.code, path).toBe('point_not_found');
    }
  });
});

describe('health route', () => {
  it('is ok on a fresh node', async () => {
    fixture = await createApiFixture();

    const { status, body } = await getJson<Record<string, unknown>>('/api/health');

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', site: 'api-test', devices: { total: 0, online: 0, offline: [] }, liveClients: 0 });
    expect(body.store).toMatchObject({ ok: true, lastCommitAgeMs: null, commitFailures: 0 });
  });

  it('reports the age of the last commit', async () => {
    fixture = await createApiFixture();
    fixture.runtime.ingest(fixture.device('pv'), Date.now(), [{ point: 'acPowerW', value: 10, quality: 'good' }], false);
    await fixture.runtime.commit();

    const { status, body } = await getJson<{ store: { ok: boolean; lastCommitAgeMs: number; pendingSamples: number } }>('/api/health');

    expect(status).toBe(200);
    expect(body.store.ok).toBe(true);
    expect(body.store.lastCommitAgeMs).toBeGreaterThanOrEqual(0);
    expect(body.store.lastCommitAgeMs).toBeLessThan(5000);
    expect(body.store.pendingSamples).toBe(0);
  });

  it('fails with 503 when commits stall', async () => {
    fixture = await createApiFixture();
    // The last successful commit was a minute ago: longer than the 30 s the health check allows.
    fixture.runtime.lastCommitAt = Date.now() - 60_000;

    const { status, body } = await getJson<{ status: string; store: { ok: boolean } }>('/api/health');

    expect(status).toBe(503);
    expect(body.status).toBe('failing');
    expect(body.store.ok).toBe(false);
  });
});

describe('routes with a device that does not answer', () => {
  /** Returns a loopback port that nothing listens on: bound once, then released. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('shows the device offline with an event', async () => {
    const port = await closedPort();
    const config = testSiteConfig({
      devices: [
        { key: 'dead-meter', driver: 'modbus-tcp', pollIntervalMs: 500, connection: { host: '127.0.0.1', port, timeoutMs: 200 }, points: [{ key: 'powerW', address: 0, unit: 'W' }] },
      ],
    });
    fixture = await createApiFixture(config, { startPollers: true });

    const health = await waitFor(
      () => getJson<{ status: string; devices: { total: number; offline: string[] } }>('/api/health'),
      (result) => result.body.devices.offline.length > 0,
      5000,
    );
    const device = await getJson<{ status: string; lastError: string; stats: { failures: number } }>('/api/devices/dead-meter');
    const events = await getJson<{ device: string; events: Array<{ ts: number; status: string; error: string | null }> }>('/api/devices/dead-meter/events');
    const point = await getJson<ApiPoint>('/api/points/dead-meter.powerW');

    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', devices: { total: 1, offline: ['dead-meter'] } });
    expect(device.body.status).toBe('offline');
    expect(device.body.lastError).toContain(String(port));
    expect(device.body.stats.failures).toBeGreaterThanOrEqual(1);
    expect(events.body.device).toBe('dead-meter');
    expect(events.body.events[0]).toMatchObject({ status: 'offline' });
    expect(events.body.events[0]!.error).toContain(String(port));
    expect(events.body.events.filter((event) => event.status === 'offline')).toHaveLength(1);
    expect(point.body).toMatchObject({ value: null, quality: 'bad', reason: 'connection' });
  });
});
