import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real cloud hub on a private Postgres database and Redis prefix, as the hub's own tests use it.
import { call, createCloudFixture, type CloudFixture } from '../../../cloud/test/support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../../../cloud/test/support/site-roles';
import { loadSiteConfig } from '../../src/config/load';
import { createSilentLogger } from '../../src/logger';
import { startEdgeNode } from '../../src/runtime/start-edge-node';
import { startSetupMode, type RunningSetupMode } from '../../src/setup/setup-mode';
import { requestJson, waitFor } from './support/setup-process';

/*
 * Pairing through the setup page against the real hub app served on loopback: a wrong code, a bad URL,
 * a pairing that sets the site, and finish, which writes a paired site file and starts the edge node.
 * Needs Postgres on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hubServer: ServerType;
let cloudUrl: string;
let dir: string;
let setup: RunningSetupMode;
let token: string;

beforeAll(async () => {
  fixture = await createCloudFixture('edge_setup_pair');
  ctx = await seedSiteRoles(fixture);
  const port = await new Promise<number>((listening) => {
    hubServer = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port));
  });
  cloudUrl = `http://127.0.0.1:${port}`;

  dir = mkdtempSync(join(tmpdir(), 'edge-setup-pair-'));
  const logger = createSilentLogger();
  const nodeOptions = { dataDir: join(dir, 'data'), host: '127.0.0.1', allowRemote: false, logger };
  setup = await startSetupMode({
    ...nodeOptions,
    configPath: join(dir, 'site.yaml'),
    port: 0,
    print: () => undefined,
    startNode: (config, boundPort) => startEdgeNode({ ...nodeOptions, config, port: boundPort }),
  });
  const unlocked = await requestJson(`${setup.url}/api/setup/unlock`, 'POST', { code: setup.setupCode });
  token = unlocked.body.token;
}, 60_000);

afterAll(async () => {
  await setup?.stop();
  await new Promise((closed) => (hubServer ? hubServer.close(closed) : closed(undefined)));
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function issuePairingCode(): Promise<string> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway' });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return body.pairingCode;
}

const pair = (body: unknown) => requestJson(`${setup.url}/api/setup/pair`, 'POST', body, token);

describe('pairing through setup', { timeout: 30_000 }, () => {
  it('rejects a URL that is not http', async () => {
    const ftp = await pair({ cloudUrl: 'ftp://hub.example.com', code: 'AAAA-BBBB-CC' });
    const garbage = await pair({ cloudUrl: 'not a url', code: 'AAAA-BBBB-CC' });

    expect(ftp.status).toBe(400);
    expect(ftp.body.error.parameter).toBe('cloudUrl');
    expect(ftp.body.error.message).toContain('must use http or https');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.message).toContain('is not a URL');
  });

  it('rejects a malformed pairing code', async () => {
    const malformed = await pair({ cloudUrl, code: 'short' });

    expect(malformed.status).toBe(400);
    expect(malformed.body.error.parameter).toBe('code');
  });

  it('returns 502 with the hub message for a wrong code', async () => {
    const wrong = await pair({ cloudUrl, code: 'AAAA-BBBB-CC' });

    expect(wrong.status).toBe(502);
    expect(wrong.body.error.message).toContain('pairing code is invalid, already used or expired');
    expect(existsSync(join(dir, 'data', 'cloud-credential.json'))).toBe(false);
  });

  it('pairs and takes the site from the hub', async () => {
    const paired = await pair({ cloudUrl, code: await issuePairingCode() });
    const status = await requestJson(`${setup.url}/api/setup/status`, 'GET');

    expect(paired.status).toBe(200);
    expect(paired.body).toMatchObject({ siteId: ctx.siteId, siteName: 'Plant A', timeZone: 'Europe/Paris', organizationId: ctx.organizationId });
    expect(paired.body.edgeNodeId).toEqual(expect.any(String));
    expect(status.body.steps.site).toEqual({ mode: 'paired', siteId: ctx.siteId, siteName: 'Plant A', timeZone: 'Europe/Paris', cloudUrl });
    expect(existsSync(join(dir, 'data', 'cloud-credential.json'))).toBe(true);
  });

  it('refuses a standalone site once paired', async () => {
    const standalone = await requestJson(`${setup.url}/api/setup/standalone`, 'POST', { siteName: 'Elsewhere', timeZone: 'UTC' }, token);

    expect(standalone.status).toBe(409);
    expect(standalone.body.error.message).toContain(cloudUrl);
  });

  it('records the pairing in the audit log', () => {
    const db = new Database(join(dir, 'data', 'edge.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT actor_type, action, details FROM audit_log WHERE action IN ('setup.paired', 'setup.pair_failed') ORDER BY id").all() as {
        actor_type: string;
        action: string;
        details: string;
      }[];
      expect(rows.map((row) => row.action)).toEqual(['setup.pair_failed', 'setup.paired']);
      expect(rows.every((row) => row.actor_type === 'setup')).toBe(true);
      expect(JSON.parse(rows[1]!.details)).toMatchObject({ cloudUrl, siteId: ctx.siteId });
    } finally {
      db.close();
    }
  });

  it('finishes with a paired site file', async () => {
    await requestJson(`${setup.url}/api/setup/admin`, 'POST', { username: 'installer', password: 'a long enough password' }, token);

    const finished = await requestJson(`${setup.url}/api/setup/finish`, 'POST', undefined, token);
    const node = await setup.node;

    expect(finished.status).toBe(200);
    const config = loadSiteConfig(join(dir, 'site.yaml'));
    expect(config.site).toMatchObject({ id: ctx.siteId, name: 'Plant A', timeZone: 'Europe/Paris' });
    expect(node.cloud).not.toBeNull();
    const instance = await waitFor('the paired edge node', async () => {
      const response = await requestJson(`${setup.url}/api/instance`, 'GET');
      return response.body?.setup === undefined ? response.body : undefined;
    });
    expect(instance.cloud).toEqual({ paired: true, url: cloudUrl });
  });
});
