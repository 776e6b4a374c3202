import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * Runs the real `edge-node pair` command as a child process against the hub app served on loopback.
 * The edge database is read by a child `node` in the edge-node folder, because the cloud package does not
 * depend on better-sqlite3.
 */

const run = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../../../edge-node');
const EDGE_NODE_BIN = join(EDGE_NODE_DIR, 'bin/edge-node.mjs');
const EDGE_NODE_VERSION = (JSON.parse(readFileSync(join(EDGE_NODE_DIR, 'package.json'), 'utf8')) as { version: string }).version;

let fixture: CloudFixture;
let ctx: SiteRoles;
let server: ServerType;
let cloudUrl: string;
let dataDir: string;

beforeAll(async () => {
  fixture = await createCloudFixture('edge_pair_cli');
  ctx = await seedSiteRoles(fixture);
  const port = await new Promise<number>((listening) => {
    server = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port));
  });
  cloudUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  await fixture?.close();
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'edge-pair-cli-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `edge-node pair` with `args` and returns its exit code and output; never throws on exit code 1. */
async function pairCommand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [EDGE_NODE_BIN, 'pair', ...args], { cwd: EDGE_NODE_DIR, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function createEdgeNode(): Promise<{ id: string; pairingCode: string }> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway' });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return { id: body.edgeNode.id, pairingCode: body.pairingCode };
}

function readCredential(): any {
  return JSON.parse(readFileSync(join(dataDir, 'cloud-credential.json'), 'utf8'));
}

/** Reads the edge.paired rows of the edge database in `dataDir`. */
async function pairedAuditRows(): Promise<{ actor_type: string; target_type: string; target_id: string; details: string }[]> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1], { readonly: true });
    const rows = db.prepare("SELECT actor_type, target_type, target_id, details FROM audit_log WHERE action = 'edge.paired' ORDER BY id").all();
    process.stdout.write(JSON.stringify(rows));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dataDir, 'edge.db')], { cwd: EDGE_NODE_DIR });
  return JSON.parse(stdout);
}

describe('edge-node pair', () => {
  it('prints its help', async () => {
    const { code, stdout } = await pairCommand('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--cloud URL');
    expect(stdout).toContain('--force');
  });

  it('pairs and stores the credential', async () => {
    const node = await createEdgeNode();
    const { code, stdout, stderr } = await pairCommand('--cloud', cloudUrl, '--code', node.pairingCode, '--data', dataDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`paired edge node ${node.id} with site "Plant A"`);
    expect(stdout).toContain('Europe/Paris');

    const path = join(dataDir, 'cloud-credential.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const credential = readCredential();
    expect(credential).toMatchObject({ cloudUrl, edgeNodeId: node.id, organizationId: ctx.organizationId, siteId: ctx.siteId, siteName: 'Plant A', timeZone: 'Europe/Paris' });
    expect(credential.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(credential.privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Number.isNaN(Date.parse(credential.pairedAt))).toBe(false);

    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/edge-nodes/${node.id}`);
    expect(read.body.paired).toBe(true);
    expect(read.body.hostname).toBe(hostname());
    expect(read.body.softwareVersion).toBe(EDGE_NODE_VERSION);
    expect(read.body.lastSeenAt).not.toBeNull();
  });

  it('writes edge.paired to the edge audit log', async () => {
    const node = await createEdgeNode();
    expect((await pairCommand('--cloud', cloudUrl, '--code', node.pairingCode, '--data', dataDir)).code).toBe(0);
    const rows = await pairedAuditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_type).toBe('cli');
    expect(rows[0]!.target_type).toBe('edge_node');
    expect(rows[0]!.target_id).toBe(node.id);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ cloudUrl, siteId: ctx.siteId, siteName: 'Plant A', replaced: false });
  });

  it('keeps a credential without --force', async () => {
    const first = await createEdgeNode();
    expect((await pairCommand('--cloud', cloudUrl, '--code', first.pairingCode, '--data', dataDir)).code).toBe(0);
    const before = readFileSync(join(dataDir, 'cloud-credential.json'), 'utf8');

    const second = await createEdgeNode();
    const refused = await pairCommand('--cloud', cloudUrl, '--code', second.pairingCode, '--data', dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already paired');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dataDir, 'cloud-credential.json'), 'utf8')).toBe(before);

    // The refused run did not use up the code.
    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/edge-nodes/${second.id}`);
    expect(read.body.paired).toBe(false);
    expect(read.body.pairingCodeExpiresAt).not.toBeNull();
  });

  it('replaces the key with --force', async () => {
    const node = await createEdgeNode();
    expect((await pairCommand('--cloud', cloudUrl, '--code', node.pairingCode, '--data', dataDir)).code).toBe(0);
    const oldKey = readCredential().privateJwk;

    const issued = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${node.id}/pairing-code`);
    const forced = await pairCommand('--cloud', cloudUrl, '--code', issued.body.pairingCode, '--data', dataDir, '--force');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(readCredential().privateJwk.d).not.toBe(oldKey.d);
    expect(statSync(join(dataDir, 'cloud-credential.json')).mode & 0o777).toBe(0o600);

    const rows = await pairedAuditRows();
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1]!.details).replaced).toBe(true);
  });

  it('reports a used code', async () => {
    const node = await createEdgeNode();
    expect((await pairCommand('--cloud', cloudUrl, '--code', node.pairingCode, '--data', dataDir)).code).toBe(0);
    const otherDir = join(dataDir, 'other');
    const { code, stderr } = await pairCommand('--cloud', cloudUrl, '--code', node.pairingCode, '--data', otherDir);
    expect(code).toBe(1);
    expect(stderr).toContain('pairing code is invalid, already used or expired');
    expect(existsSync(join(otherDir, 'cloud-credential.json'))).toBe(false);
  });

  it('rejects a malformed code locally', async () => {
    const { code, stderr } = await pairCommand('--cloud', cloudUrl, '--code', 'abc', '--data', dataDir);
    expect(code).toBe(1);
    expect(stderr).toContain('--code: "abc" is not a pairing code');
  });

  it('names an unreachable cloud', async () => {
    const deadUrl = 'http://127.0.0.1:9';
    const { code, stderr } = await pairCommand('--cloud', deadUrl, '--code', '0000-0000-00', '--data', dataDir);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach the cloud hub at ${deadUrl}`);
  });
});
