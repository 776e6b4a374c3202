import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modbusTcpMeter } from '../devices/sample-devices';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * The whole path of site metadata: an edge node paired with `edge-node pair` and started with
 * `edge-node start`, both real child processes, syncs a device that a site manager creates in the
 * hub, and removes it again when it is deleted. The edge database is read by a child `node` in the
 * edge-node folder, because the cloud package does not depend on better-sqlite3.
 */

const run = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../../../edge-node');
const EDGE_NODE_BIN = join(EDGE_NODE_DIR, 'bin/edge-node.mjs');

let fixture: CloudFixture;
let ctx: SiteRoles;
let server: ServerType;
let dataDir: string;
let edge: ChildProcess | undefined;

beforeAll(async () => {
  fixture = await createCloudFixture('edge_sync');
  ctx = await seedSiteRoles(fixture);
  const port = await new Promise<number>((listening) => {
    server = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port));
  });
  dataDir = mkdtempSync(join(tmpdir(), 'edge-sync-'));

  const created = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway' });
  expect(created.status).toBe(201);
  await run(process.execPath, [EDGE_NODE_BIN, 'pair', '--cloud', `http://127.0.0.1:${port}`, '--code', created.body.pairingCode, '--data', dataDir], {
    cwd: EDGE_NODE_DIR,
    timeout: 30_000,
  });

  const siteFile = join(dataDir, 'site.yaml');
  writeFileSync(siteFile, 'site:\n  id: synced-site\n  name: Synced site\n  timeZone: Europe/Paris\ndevices: []\n');
  edge = spawn(process.execPath, [EDGE_NODE_BIN, 'start', '--config', siteFile, '--data', dataDir, '--port', '0'], {
    cwd: EDGE_NODE_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}, 60_000);

afterAll(async () => {
  if (edge && edge.exitCode === null) {
    const exited = new Promise((done) => edge!.once('exit', done));
    edge.kill('SIGTERM');
    await exited;
  }
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  await fixture?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Reads the synced devices of the edge database. */
async function edgeDevices(): Promise<{ key: string; site_id: string }[]> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT key, site_id FROM cloud_devices ORDER BY key').all();
    process.stdout.write(JSON.stringify(rows));`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dataDir, 'edge.db')], { cwd: EDGE_NODE_DIR });
    return JSON.parse(stdout);
  } catch {
    // The edge has not created its database or tables yet.
    return [];
  }
}

/** Polls the edge database until `check` holds, for at most `timeoutMs`. */
async function waitForEdge(check: (devices: { key: string; site_id: string }[]) => boolean, timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  let devices = await edgeDevices();
  while (!check(devices) && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    devices = await edgeDevices();
  }
  return devices;
}

describe('edge metadata sync', () => {
  it('brings a device created in the hub to the edge', async () => {
    const { status } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter('synced-meter') });
    expect(status).toBe(201);
    const devices = await waitForEdge((rows) => rows.some((row) => row.key === 'synced-meter'));
    expect(devices).toEqual([{ key: 'synced-meter', site_id: ctx.siteId }]);
  }, 30_000);

  it('removes a device deleted in the hub', async () => {
    const list = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/sites/${ctx.siteId}/devices`);
    const deviceId = list.body.devices.find((device: { key: string }) => device.key === 'synced-meter').id;
    expect((await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `/api/devices/${deviceId}`)).status).toBe(204);
    const devices = await waitForEdge((rows) => rows.length === 0);
    expect(devices).toEqual([]);
  }, 30_000);

  it('never receives devices of another site', async () => {
    const { status } = await call(fixture.app, ctx.tokens.org_admin, 'POST', `/api/sites/${ctx.otherSiteId}/devices`, { device: modbusTcpMeter('elsewhere') });
    expect(status).toBe(201);
    const { status: second } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter('here') });
    expect(second).toBe(201);
    const devices = await waitForEdge((rows) => rows.some((row) => row.key === 'here'));
    expect(devices.map((row) => row.key)).toEqual(['here']);
  }, 30_000);
});
