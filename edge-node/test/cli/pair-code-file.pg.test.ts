import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real cloud hub on a private Postgres database and Redis prefix, as the hub's own tests use it.
import { call, createCloudFixture, type CloudFixture } from '../../../cloud/test/support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../../../cloud/test/support/site-roles';
import { runCli, startCli } from './run-edge-cli';

/*
 * `edge-node pair --code-file FILE --if-unpaired --wait SECONDS` against the real hub app served on
 * loopback, as the compose file pairs its demo edges. The code file appears after the command started.
 * A second run finds the credential and exits 0. A file that never appears fails with a message naming it.
 * Needs Postgres on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hubServer: ServerType;
let cloudUrl: string;
let dir: string;

beforeAll(async () => {
  fixture = await createCloudFixture('edge_cli_pair');
  ctx = await seedSiteRoles(fixture);
  const port = await new Promise<number>((listening) => {
    hubServer = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port));
  });
  cloudUrl = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), 'edge-cli-pair-'));
}, 60_000);

afterAll(async () => {
  await new Promise((closed) => (hubServer ? hubServer.close(closed) : closed(undefined)));
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function issuePairingCode(): Promise<{ edgeNodeId: string; pairingCode: string }> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway' });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return { edgeNodeId: body.edgeNode.id, pairingCode: body.pairingCode };
}

describe('edge-node pair --code-file', { timeout: 60_000 }, () => {
  const dataDir = () => join(dir, 'data');
  const codeFile = () => join(dir, 'demo-site-a.pairing-code');
  const pairArgs = (file: string, waitS: number) => ['pair', '--cloud', cloudUrl, '--code-file', file, '--if-unpaired', '--wait', String(waitS), '--data', dataDir()];

  it('waits for a code file written later', async () => {
    const pairing = startCli(pairArgs(codeFile(), 30));
    // The file does not exist yet, so the command must still be waiting for it after a first look.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pairing.child.exitCode).toBeNull();
    const { edgeNodeId, pairingCode } = await issuePairingCode();
    writeFileSync(codeFile(), `${pairingCode}\n`);

    const code = await pairing.exited;

    expect(code, pairing.stderr()).toBe(0);
    expect(pairing.stdout()).toContain(`paired edge node ${edgeNodeId} with site "Plant A" (${ctx.siteId}`);
    const credentialPath = join(dataDir(), 'cloud-credential.json');
    expect(existsSync(credentialPath)).toBe(true);
    expect(JSON.parse(readFileSync(credentialPath, 'utf8'))).toMatchObject({ edgeNodeId, siteId: ctx.siteId });
  });

  it('skips a paired data folder', async () => {
    const credentialPath = join(dataDir(), 'cloud-credential.json');
    const before = readFileSync(credentialPath, 'utf8');

    const result = await runCli(pairArgs(codeFile(), 0));

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`already paired: ${credentialPath} exists; nothing to do\n`);
    expect(readFileSync(credentialPath, 'utf8')).toBe(before);
  });

  it('fails when the file never appears', async () => {
    const missing = join(dir, 'never-written.pairing-code');
    const otherData = join(dir, 'other-data');

    const result = await runCli(['pair', '--cloud', cloudUrl, '--code-file', missing, '--if-unpaired', '--wait', '1', '--data', otherData]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--code-file: ${missing} does not exist; write the pairing code into it`);
    expect(result.stderr).toContain('raise --wait');
    expect(existsSync(join(otherData, 'cloud-credential.json'))).toBe(false);
  });
});
