import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PairRequest } from '@simtestlab/sync';
import { exportJWK, generateKeyPair } from 'jose';
import { createApp } from '../../../../cloud/src/api/app';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../../../../cloud/test/support/cloud-fixture';
import { serveHub, type ServedHub } from '../../../../cloud/test/support/served-hub';
import { storeCredential, type CloudCredential } from '../../../src/cloud/credential';
import { requestPairing } from '../../../src/cloud/pair-request';
import type { EdgeProtocol } from '../../../src/cloud/hub-protocol';

/** A real hub (its app on the real Postgres and Redis, served on loopback) and a paired edge data folder. */
export interface PairedHub {
  fixture: CloudFixture;
  hub: ServedHub;
  url: string;
  /** The hub's RELEASES_DIR. */
  releasesDir: string;
  /** The edge's data folder, with its credential. */
  dataDir: string;
  /** Issues a new pairing code for another edge node of the site. */
  issuePairingCode(): Promise<string>;
  close(): Promise<void>;
}

/** Generates an edge key pair as `edge-node pair` does. */
export async function edgeKeyPair(): Promise<{ publicKey: PairRequest['publicKey']; privateJwk: CloudCredential['privateJwk'] }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return {
    publicKey: { kty: 'EC', crv: 'P-256', x: publicJwk.x!, y: publicJwk.y! },
    privateJwk: { kty: 'EC', crv: 'P-256', x: privateJwk.x!, y: privateJwk.y!, d: privateJwk.d! },
  };
}

/** Pairs a new data folder with the hub at `url` using `code`, as `edge-node pair` does. */
export async function pairDataFolder(url: string, code: string, protocol?: EdgeProtocol): Promise<string> {
  const keys = await edgeKeyPair();
  const paired = await requestPairing(url, { code, publicKey: keys.publicKey, softwareVersion: '1.0.0', hostname: 'test-edge' }, fetch, protocol);
  const dataDir = mkdtempSync(join(tmpdir(), 'paired-edge-'));
  storeCredential(dataDir, { cloudUrl: url, ...paired, privateJwk: keys.privateJwk, pairedAt: new Date().toISOString() });
  return dataDir;
}

/** Starts a hub with a releases folder, seeds a site with an org admin, and pairs one edge data folder. */
export async function startPairedHub(label: string): Promise<PairedHub> {
  const fixture = await createCloudFixture(label);
  const releasesDir = mkdtempSync(join(tmpdir(), 'hub-releases-'));
  const hub = await serveHub({ ...fixture, app: createApp({ ...fixture.deps, releasesDir }) });
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Acme');
  const siteId = await seed.site(organizationId, 'Plant A');
  await seed.membership(await seed.user('admin@acme.test'), organizationId, 'org_admin');
  const token = await login(fixture.app, 'admin@acme.test');
  const issuePairingCode = async () => {
    const created = await call(fixture.app, token, 'POST', `/api/sites/${siteId}/edge-nodes`, { name: `Gateway ${Math.random()}` });
    if (created.status !== 201) throw new Error(`creating the edge node failed with ${created.status}: ${JSON.stringify(created.body)}`);
    return created.body.pairingCode as string;
  };
  const dataDir = await pairDataFolder(hub.url, await issuePairingCode());
  return {
    fixture,
    hub,
    url: hub.url,
    releasesDir,
    dataDir,
    issuePairingCode,
    close: async () => {
      await hub.close();
      await fixture.close();
      rmSync(releasesDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
