import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeMessage, Row } from '@electric-sql/client';
import type { Device, EffectiveRole, ShapeName } from '@simtestlab/sync';
import { createApp } from '../../../src/api/app';
import type { EdgeAuth } from '../../../src/auth/edge-auth';
import { resolveSiteConfig } from '../../../src/config/load';
import type { SiteConfig } from '../../../src/config/schema';
import { createSilentLogger } from '../../../src/logger';
import { EdgeRuntime } from '../../../src/runtime/edge-runtime';
import { applyShapeBatch } from '../../../src/sync/shape-store';
import { addLocalAdmin, createTestAuth, loginToken } from '../../auth/auth-support';
import { addHubKey, addSiteUser, signHubToken } from '../../auth/hub-support';
import { captureLogger, type LogLine } from '../../sync/support/capture-logger';

/** Tokens of the local admin and of synced site users, one per role. */
export type EnergyTokens = Record<'admin' | 'viewer' | 'operator', string>;

/**
 * An edge runtime on a SQLite file in a fresh temp folder, without pollers, with its Hono app behind
 * login, a token per role, and the runtime's log lines.
 */
export interface EnergySite {
  runtime: EdgeRuntime;
  app: ReturnType<typeof createApp>;
  auth: EdgeAuth;
  tokens: EnergyTokens;
  /** Log lines of the runtime, parsed. */
  logLines: LogLine[];
  device(key: string): Device;
  /** Sends a GET to the app with the token. */
  get(path: string, token?: string): Promise<Response>;
  /** Stores shape rows through the shape store, as the metadata sync does with the rows it receives. */
  sync(shape: ShapeName, rows: Record<string, unknown>[], operation?: 'insert' | 'update' | 'delete'): void;
  close(): Promise<void>;
}

/** Builds a site file document with the given devices, time zone and `energy` section. */
export function energySiteConfig(options: { devices: unknown[]; timeZone: string; energy?: unknown }): SiteConfig {
  return resolveSiteConfig({
    site: { id: 'energy-test', name: 'Energy test site', timeZone: options.timeZone },
    storage: { commitIntervalMs: 10_000 },
    devices: options.devices,
    ...(options.energy === undefined ? {} : { energy: options.energy }),
  });
}

let shapeOffset = 0;

/** Starts the runtime of `config` and logs in a local admin, a viewer and an operator. */
export async function createEnergySite(config: SiteConfig): Promise<EnergySite> {
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-energy-'));
  const { logger, lines } = captureLogger();
  const runtime = new EdgeRuntime({ config, databasePath: join(dataDir, 'edge.db'), logger, startPollers: false });
  await runtime.start();
  const auth = createTestAuth(runtime.db, dataDir);
  await addLocalAdmin(runtime.db);
  const key = await addHubKey(runtime.db);
  const roleToken = async (role: EffectiveRole) => signHubToken(key, await addSiteUser(runtime.db, { email: `${role}@example.com`, role }));
  const tokens: EnergyTokens = { admin: await loginToken(auth), viewer: await roleToken('viewer'), operator: await roleToken('operator') };
  const app = createApp(runtime, createSilentLogger(), { auth });

  return {
    runtime,
    app,
    auth,
    tokens,
    logLines: lines,
    device: (deviceKey) => {
      const device = config.devices.find((candidate) => candidate.key === deviceKey);
      if (!device) throw new Error(`no device "${deviceKey}" in the test site`);
      return device;
    },
    get: (path, token = tokens.admin) => Promise.resolve(app.request(path, { headers: { Authorization: `Bearer ${token}` } })),
    sync: (shape, rows, operation = 'insert') => {
      shapeOffset++;
      const messages: ChangeMessage<Row>[] = rows.map((value) => ({ key: `"${String(Object.values(value)[0])}"`, value: value as Row, headers: { operation } }));
      applyShapeBatch(runtime.db, shape, messages, { handle: 'h1', offset: `${shapeOffset}_0`, refetch: false, logger });
    },
    close: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One reading of a point: epoch ms UTC and value. */
export interface TimedValue {
  ts: number;
  value: number;
}

/**
 * Feeds readings of several points of one device through `runtime.ingest`, in time order, as a poller
 * would hand them over, then commits them.
 */
export async function feedReadings(site: EnergySite, deviceKey: string, series: Record<string, readonly TimedValue[]>): Promise<void> {
  const byTs = new Map<number, { point: string; value: number }[]>();
  for (const [point, readings] of Object.entries(series)) {
    for (const { ts, value } of readings) {
      const entries = byTs.get(ts) ?? [];
      entries.push({ point, value });
      byTs.set(ts, entries);
    }
  }
  const device = site.device(deviceKey);
  for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
    const readings = byTs.get(ts)!.map(({ point, value }) => ({ point, value, quality: 'good' as const }));
    site.runtime.ingest(device, ts, readings, false);
  }
  await site.runtime.commit();
}

/** Readings every `stepMs` over [from, to), with the value a function of the time. */
export function readingsEvery(from: number, to: number, stepMs: number, valueAt: (ts: number) => number): TimedValue[] {
  const readings: TimedValue[] = [];
  for (let ts = from; ts < to; ts += stepMs) readings.push({ ts, value: valueAt(ts) });
  return readings;
}
