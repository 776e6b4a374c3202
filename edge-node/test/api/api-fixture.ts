import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device } from '@simtestlab/sync';
import { createApp } from '../../src/api/app';
import type { EdgeAuth } from '../../src/auth/edge-auth';
import { resolveSiteConfig } from '../../src/config/load';
import type { SiteConfig } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { EdgeRuntime } from '../../src/runtime/edge-runtime';
import { addLocalAdmin, bearer, createTestAuth, loginToken } from '../auth/auth-support';

/** Builds a site with a meter (a power gauge and an energy counter) and a PV inverter, all on Modbus TCP. */
export function testSiteConfig(overrides: { devices?: unknown[]; timeZone?: string } = {}): SiteConfig {
  return resolveSiteConfig({
    site: { id: 'api-test', name: 'API test site', timeZone: overrides.timeZone ?? 'UTC' },
    storage: { commitIntervalMs: 10_000 },
    devices: overrides.devices ?? [
      {
        key: 'meter',
        name: 'Grid meter',
        driver: 'modbus-tcp',
        pollIntervalMs: 10_000,
        connection: { host: '127.0.0.1', port: 15031 },
        points: [
          { key: 'powerW', address: 0, unit: 'W' },
          { key: 'energyWh', address: 2, unit: 'Wh', dataType: 'uint32', kind: 'counter' },
          { key: 'model', address: 10, dataType: 'string', length: 8 },
        ],
      },
      {
        key: 'pv',
        driver: 'modbus-tcp',
        pollIntervalMs: 10_000,
        connection: { host: '127.0.0.1', port: 15032 },
        points: [{ key: 'acPowerW', address: 0, unit: 'W' }],
      },
    ],
  });
}

/**
 * An edge runtime on a SQLite file in a fresh temp folder, with its Hono app, which enforces login,
 * and a token of the local admin `TEST_ADMIN`.
 */
export interface ApiFixture {
  runtime: EdgeRuntime;
  app: ReturnType<typeof createApp>;
  auth: EdgeAuth;
  /** Access token of the local admin. */
  token: string;
  dataDir: string;
  device(key: string): Device;
  /** Stops the runtime and deletes the temp folder. */
  close(): Promise<void>;
}

/**
 * Starts a runtime, by default without pollers, so a test feeds samples through `runtime.ingest`
 * and decides when they are committed.
 */
export async function createApiFixture(config: SiteConfig = testSiteConfig(), options: { startPollers?: boolean } = {}): Promise<ApiFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-api-'));
  const logger = createSilentLogger();
  const runtime = new EdgeRuntime({ config, databasePath: join(dataDir, 'edge.db'), logger, startPollers: options.startPollers ?? false });
  await runtime.start();
  const auth = createTestAuth(runtime.db, dataDir);
  await addLocalAdmin(runtime.db);
  return {
    runtime,
    app: createApp(runtime, logger, { auth }),
    auth,
    token: await loginToken(auth),
    dataDir,
    device: (key) => {
      const device = config.devices.find((candidate) => candidate.key === key);
      if (!device) throw new Error(`no device "${key}" in the test site`);
      return device;
    },
    close: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends a request to the fixture's app as the local admin. */
export function requestAsAdmin(fixture: ApiFixture, path: string): Promise<Response> {
  return Promise.resolve(fixture.app.request(path, bearer(fixture.token)));
}

/** Start of the UTC hour three hours ago: every 1 min, 15 min and 1 h bucket of the next 30 min is closed. */
export function pastHourStart(): number {
  return Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;
}

/**
 * Feeds 30 minutes of readings from `fromTs`, one every 10 s: `meter.powerW` counts 0, 1, 2, ...,
 * `meter.energyWh` grows by 10 Wh per reading from 1000, and `pv.acPowerW` is 2000 W. Commits them.
 */
export async function feedHalfHour(fixture: ApiFixture, fromTs: number): Promise<void> {
  const meter = fixture.device('meter');
  const pv = fixture.device('pv');
  for (let index = 0; index < 180; index++) {
    const ts = fromTs + index * 10_000;
    fixture.runtime.ingest(
      meter,
      ts,
      [
        { point: 'powerW', value: index, quality: 'good' },
        { point: 'energyWh', value: 1000 + index * 10, quality: 'good' },
      ],
      false,
    );
    fixture.runtime.ingest(pv, ts, [{ point: 'acPowerW', value: 2000, quality: 'good' }], false);
  }
  await fixture.runtime.commit();
}
