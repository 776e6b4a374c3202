import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalManifestBytes, manifestFileName, PROTOCOL_HEADER, PROTOCOL_RANGE_HEADER, type ReleaseManifest } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { pairTestEdge, type TestEdge } from '../shapes/shape-harness';

let fixture: CloudFixture;
let app: CloudApp;
let appWithoutReleases: CloudApp;
let edge: TestEdge;
let releasesDir: string;
let outsideDir: string;
const artifactBytes = Buffer.from('a release tarball stand-in\n'.repeat(1000));
const artifactName = 'simtestlab-edge-1.1.0-linux-x64.tar.gz';

/** Writes a signed manifest for `channel` into the releases folder. */
function publish(channel: 'stable' | 'beta', version: string, artifacts: ReleaseManifest['artifacts']): ReleaseManifest {
  const manifest: ReleaseManifest = { schema: 1, channel, version, protocolVersion: 1, releasedAt: '2026-12-01T10:00:00.000Z', artifacts };
  const { privateKey } = generateKeyPairSync('ed25519');
  const signature = sign(null, canonicalManifestBytes(manifest), privateKey).toString('base64');
  writeFileSync(join(releasesDir, manifestFileName(channel)), JSON.stringify({ manifest, signatures: [{ keyId: 'test', signature }] }));
  return manifest;
}

async function get(path: string, options: { app?: CloudApp; assertion?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
  const assertion = options.assertion === undefined ? await edge.assertion() : options.assertion;
  const headers: Record<string, string> = { ...options.headers };
  if (assertion !== null) headers.Authorization = `Bearer ${assertion}`;
  return (options.app ?? app).request(path, { headers });
}

beforeAll(async () => {
  fixture = await createCloudFixture('releases');
  releasesDir = mkdtempSync(join(tmpdir(), 'hub-releases-'));
  outsideDir = mkdtempSync(join(tmpdir(), 'hub-outside-'));
  app = createApp({ ...fixture.deps, releasesDir });
  appWithoutReleases = createApp(fixture.deps);
  const seed = new Seed(fixture);
  const siteId = await seed.site(await seed.organization('Acme'), 'Plant A');
  edge = await pairTestEdge(fixture, siteId);

  writeFileSync(join(releasesDir, artifactName), artifactBytes);
  writeFileSync(join(outsideDir, 'secret.txt'), 'not a release');
  symlinkSync(join(outsideDir, 'secret.txt'), join(releasesDir, 'linked.tar.gz'));
  mkdirSync(join(releasesDir, 'folder.tar.gz'));
  const sha256 = createHash('sha256').update(artifactBytes).digest('hex');
  publish('stable', '1.1.0', [
    { arch: 'x64', file: artifactName, size: artifactBytes.length, sha256 },
    { arch: 'arm64', file: 'linked.tar.gz', size: 13, sha256 },
  ]);
  publish('beta', '1.2.0-beta.1', [{ arch: 'x64', file: 'folder.tar.gz', size: 1, sha256 }]);
});

afterAll(async () => {
  await fixture?.close();
  rmSync(releasesDir, { recursive: true, force: true });
  rmSync(outsideDir, { recursive: true, force: true });
});

describe('release manifest route', () => {
  it('serves the signed manifest of each channel', async () => {
    const stable = await get('/api/edge/releases/stable');
    expect(stable.status).toBe(200);
    const body = (await stable.json()) as { manifest: ReleaseManifest; signatures: unknown[] };
    expect(body.manifest.version).toBe('1.1.0');
    expect(body.signatures).toHaveLength(1);
    expect(stable.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect(stable.headers.get(PROTOCOL_RANGE_HEADER)).toBe('1');

    const beta = await get('/api/edge/releases/beta');
    expect(((await beta.json()) as { manifest: ReleaseManifest }).manifest.version).toBe('1.2.0-beta.1');
  });

  it('requires an edge assertion', async () => {
    const response = await get('/api/edge/releases/stable', { assertion: null });
    expect(response.status).toBe(401);
  });

  it('rejects an unknown channel', async () => {
    const response = await get('/api/edge/releases/nightly');
    expect(response.status).toBe(400);
  });

  it('returns 404 without RELEASES_DIR', async () => {
    const response = await get('/api/edge/releases/stable', { app: appWithoutReleases });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('no release is published on channel stable: RELEASES_DIR is not set on this hub');
  });
});

describe('release artifact route', () => {
  it('streams a file the manifest names', async () => {
    const response = await get(`/api/edge/releases/stable/artifacts/${artifactName}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(artifactBytes.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(artifactBytes)).toBe(true);
  });

  it('requires an edge assertion', async () => {
    const response = await get(`/api/edge/releases/stable/artifacts/${artifactName}`, { assertion: null });
    expect(response.status).toBe(401);
  });

  it.each([
    ['an encoded parent path', '..%2F..%2Fetc%2Fpasswd', 400],
    ['an encoded absolute path', '%2Fetc%2Fpasswd', 400],
    ['a hidden file', '.env', 400],
    ['an encoded parent segment, which URL parsing resolves away', '%2E%2E', 404],
  ])('rejects %s', async (_case, file, status) => {
    const response = await get(`/api/edge/releases/stable/artifacts/${file}`);
    expect(response.status).toBe(status);
  });

  it('rejects a raw parent path that never reaches the route', async () => {
    const response = await get('/api/edge/releases/stable/artifacts/../../../etc/passwd');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('root:');
  });

  it('rejects a file the manifest does not name', async () => {
    writeFileSync(join(releasesDir, 'unlisted.tar.gz'), 'not in the manifest');
    const response = await get('/api/edge/releases/stable/artifacts/unlisted.tar.gz');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('artifact unlisted.tar.gz is not part of release 1.1.0 on channel stable');
  });

  it('rejects a file of another channel', async () => {
    const response = await get('/api/edge/releases/beta/artifacts/' + artifactName);
    expect(response.status).toBe(404);
  });

  it('rejects a listed symlink that points outside the folder', async () => {
    const response = await get('/api/edge/releases/stable/artifacts/linked.tar.gz');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not a release');
  });

  it('rejects a listed name that is a folder', async () => {
    const response = await get('/api/edge/releases/beta/artifacts/folder.tar.gz');
    expect(response.status).toBe(404);
  });
});

describe('release routes and the edge protocol', () => {
  // Version 99 stands for any edge protocol this hub does not serve.
  const unsupported = { [PROTOCOL_HEADER]: '99' };

  it('serves the manifest to an edge of an unsupported protocol', async () => {
    const response = await get('/api/edge/releases/stable', { headers: unsupported });
    expect(response.status).toBe(200);
    expect(response.headers.get(PROTOCOL_RANGE_HEADER)).toBe('1');
  });

  it('serves an artifact to an edge of an unsupported protocol', async () => {
    const response = await get(`/api/edge/releases/stable/artifacts/${artifactName}`, { headers: unsupported });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(artifactBytes)).toBe(true);
  });

  it('still rejects that edge on other edge routes', async () => {
    const response = await get('/api/edge/me', { headers: unsupported });
    expect(response.status).toBe(426);
  });
});
