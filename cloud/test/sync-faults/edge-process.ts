import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { CloudApp } from '../../src/api/app';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { serveHub } from '../support/served-hub';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * Real `edge-node` processes for the sync fault tests: pairing, starting, killing, and reading the
 * edge database through a child `node` in the edge-node folder, because the cloud package does not
 * depend on better-sqlite3.
 */

const run = promisify(execFile);
export const EDGE_NODE_DIR = resolve(import.meta.dirname, '../../../edge-node');
const EDGE_NODE_BIN = join(EDGE_NODE_DIR, 'bin/edge-node.mjs');

/** A running `edge-node start` with its JSON log lines. */
export interface EdgeProcess {
  child: ChildProcess;
  logLines: { msg?: string; [field: string]: unknown }[];
  stderr: () => string;
}

/** Rows of the synced tables that the tests compare with the hub. */
export interface EdgeRows {
  devices: { id: string; key: string }[];
  points: { id: string; device_id: string }[];
  shapeState: { shape: string; handle: string; offset: string }[];
}

/** Returns a TCP port that was free a moment ago, for a server that must come back on the same port. */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (address === null || typeof address === 'string') throw new Error('the spare port probe has no TCP address');
  return address.port;
}

/** Creates an edge node of `siteId` through `app` and pairs a new data folder with the hub at `cloudUrl`. */
export async function pairEdge(app: CloudApp, token: string, siteId: string, cloudUrl: string): Promise<string> {
  const created = await call(app, token, 'POST', `/api/sites/${siteId}/edge-nodes`, { name: 'Gateway' });
  if (created.status !== 201) throw new Error(`creating the edge node failed with ${created.status}: ${JSON.stringify(created.body)}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sync-faults-edge-'));
  await run(process.execPath, [EDGE_NODE_BIN, 'pair', '--cloud', cloudUrl, '--code', created.body.pairingCode, '--data', dataDir], {
    cwd: EDGE_NODE_DIR,
    timeout: 30_000,
  });
  writeFileSync(join(dataDir, 'site.yaml'), 'site:\n  id: fault-site\n  name: Fault site\n  timeZone: Europe/Paris\ndevices: []\n');
  return dataDir;
}

/** Starts `edge-node start` on a paired data folder. */
export function startEdge(dataDir: string): EdgeProcess {
  const child = spawn(process.execPath, [EDGE_NODE_BIN, 'start', '--config', join(dataDir, 'site.yaml'), '--data', dataDir, '--port', '0'], {
    cwd: EDGE_NODE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: EdgeProcess['logLines'] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      logLines.push(JSON.parse(text) as EdgeProcess['logLines'][number]);
    } catch {
      logLines.push({ text });
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, logLines, stderr: () => stderr };
}

/** Sends `signal` to a child and resolves once it has exited. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
}

/** Reads the synced devices, points and shape positions of an edge database; empty before it exists. */
export async function readEdge(dataDir: string): Promise<EdgeRows> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
    const rows = {
      devices: db.prepare('SELECT id, key FROM cloud_devices ORDER BY id').all(),
      points: db.prepare('SELECT id, device_id FROM cloud_points ORDER BY id').all(),
      shapeState: db.prepare('SELECT shape, handle, "offset" AS offset FROM shape_state ORDER BY shape').all(),
    };
    process.stdout.write(JSON.stringify(rows));`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dataDir, 'edge.db')], { cwd: EDGE_NODE_DIR });
    return JSON.parse(stdout) as EdgeRows;
  } catch {
    // The edge has not created its database or tables yet.
    return { devices: [], points: [], shapeState: [] };
  }
}

/** Polls the edge database until `check` holds, for at most `timeoutMs`; returns the last rows read. */
export async function waitForEdge(dataDir: string, check: (rows: EdgeRows) => boolean, timeoutMs = 60_000): Promise<EdgeRows> {
  const deadline = Date.now() + timeoutMs;
  let rows = await readEdge(dataDir);
  while (!check(rows) && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    rows = await readEdge(dataDir);
  }
  return rows;
}

/** Reads the hub's devices and points of a site, ordered like `readEdge`. */
export async function hubRows(fixture: CloudFixture, siteId: string): Promise<Pick<EdgeRows, 'devices' | 'points'>> {
  return asOwner(fixture, async (tx) => ({
    devices: [...(await tx<{ id: string; key: string }[]>`SELECT id::text, key FROM devices WHERE site_id = ${siteId} ORDER BY id`)],
    points: [...(await tx<{ id: string; device_id: string }[]>`SELECT id::text, device_id::text FROM points WHERE site_id = ${siteId} ORDER BY id`)],
  }));
}

/** Returns whether the edge rows equal the hub rows exactly, keys and counts. */
export function sameRows(edge: EdgeRows, hub: Pick<EdgeRows, 'devices' | 'points'>): boolean {
  return JSON.stringify(edge.devices) === JSON.stringify(hub.devices) && JSON.stringify(edge.points) === JSON.stringify(hub.points);
}

/** The hub app served on loopback with an edge paired to its site; `close` removes both. */
export interface PairedHub {
  fixture: CloudFixture;
  ctx: SiteRoles;
  dataDir: string;
  close(): Promise<void>;
}

/** Creates a fixture with a site per role, serves its app on 127.0.0.1 and pairs an edge data folder with it. */
export async function servePairedHub(label: string): Promise<PairedHub> {
  const fixture = await createCloudFixture(label);
  const ctx = await seedSiteRoles(fixture);
  const server = await serveHub(fixture);
  const dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, server.url);
  return {
    fixture,
    ctx,
    dataDir,
    close: async () => {
      await server.close();
      await fixture.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
