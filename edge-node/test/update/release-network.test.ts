import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_RANGE_HEADER, type SignedReleaseManifest } from '@simtestlab/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/cloud/hub-client';
import { HubResponseError, HubUnreachableError } from '../../src/cloud/hub-errors';
import { ProtocolMismatchError } from '../../src/cloud/hub-protocol';
import { createLogger } from '../../src/logger';
import { InstallLayout } from '../../src/update/install-layout';
import { DEFAULT_RELEASE_FETCH_LIMITS, downloadArtifact, fetchOfferedRelease, type ReleaseFetchLimits } from '../../src/update/release-client';
import { applyUpdate } from '../../src/update/update-apply';
import { checkForUpdate } from '../../src/update/update-check';
import { UpdateRejectedError } from '../../src/update/update-errors';
import { signManifest, verifyManifestSignatures } from '../../src/update/release-signature';
import { edgeKeyPair } from './support/paired-hub';
import { buildTarball, generateTestKey, manifestFor, RESTART_SCRIPT, type TestKey } from './support/test-releases';

const ARCH = process.arch;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback HTTP server whose handler each test sets; it counts the requests it received. */
interface FakeServer {
  url: string;
  handler: Handler;
  requests: string[];
  close(): Promise<void>;
}

async function startFakeServer(): Promise<FakeServer> {
  const fake: Partial<FakeServer> & { requests: string[]; handler: Handler } = {
    requests: [],
    handler: (_request, response) => {
      response.writeHead(404);
      response.end();
    },
  };
  const server: Server = createServer((request, response) => {
    fake.requests.push(request.url ?? '');
    fake.handler(request, response);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  };
  return fake as FakeServer;
}

let hub: FakeServer;
let elsewhere: FakeServer;
let client: HubClient;
let workDir: string;
let key: TestKey;

/** Limits short enough for a test; a stalled server is detected after half a second. */
const shortLimits: ReleaseFetchLimits = { manifestMaxBytes: 4096, manifestTimeoutMs: 500, downloadIdleTimeoutMs: 500 };

const artifact = { arch: 'x64' as const, file: 'simtestlab-edge-9.0.0-linux-x64.tar.gz', size: 1000, sha256: 'a'.repeat(64) };

beforeAll(async () => {
  hub = await startFakeServer();
  elsewhere = await startFakeServer();
  workDir = mkdtempSync(join(tmpdir(), 'release-network-'));
  key = generateTestKey('network-test');
  const { privateJwk } = await edgeKeyPair();
  client = await HubClient.create({
    cloudUrl: hub.url,
    edgeNodeId: 'edge-1',
    organizationId: 'org-1',
    siteId: 'site-1',
    siteName: 'Plant A',
    timeZone: 'Europe/Berlin',
    privateJwk,
    pairedAt: new Date().toISOString(),
  });
});

afterAll(async () => {
  await hub?.close();
  await elsewhere?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

afterEach(() => {
  hub.requests.length = 0;
  elsewhere.requests.length = 0;
});

describe('hub redirects', () => {
  it('are not followed to another host', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(302, { Location: `${elsewhere.url}/api/edge/me` });
      response.end();
    };
    const request = client.request('/api/edge/me');
    await expect(request).rejects.toThrow(HubResponseError);
    await expect(request).rejects.toThrow(`with a redirect to ${elsewhere.url}/api/edge/me, which the edge does not follow`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('stop a release download', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(307, { Location: `${elsewhere.url}/artifact` });
      response.end();
    };
    const download = downloadArtifact(client, 'stable', artifact, join(workDir, 'redirected.tar.gz'));
    await expect(download).rejects.toThrow('answered 307 with a redirect to');
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('release manifest limits', () => {
  it('rejects a manifest body beyond the cap', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`{"manifest":"${'x'.repeat(10_000)}"}`);
    };
    await expect(fetchOfferedRelease(client, 'stable', shortLimits)).rejects.toThrow(`the release manifest at ${hub.url}/api/edge/releases/stable is larger than 4096 bytes`);
  });

  it('times out a hub that stops sending the manifest', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"manifest":');
    };
    const offered = fetchOfferedRelease(client, 'stable', shortLimits);
    await expect(offered).rejects.toThrow(HubUnreachableError);
    await expect(offered).rejects.toThrow('the cloud hub did not send the release manifest /api/edge/releases/stable within 0.5 s');
  });

  it('times out a hub that sends no headers', async () => {
    hub.handler = () => undefined;
    const offered = fetchOfferedRelease(client, 'stable', shortLimits);
    await expect(offered).rejects.toThrow(HubUnreachableError);
    await expect(offered).rejects.toThrow('the cloud hub did not send the release manifest /api/edge/releases/stable within 0.5 s');
  });

  it.each([
    ['an HTML page', 'text/html', '<html><body>Sign in</body></html>', 'returned an HTML page instead of the release manifest'],
    ['a cut-off body', 'application/json', '{"manifest":{"schema":1', 'is not valid JSON (23 characters, possibly cut off'],
    ['null', 'application/json', 'null', 'the hub sent null instead of the stable release manifest'],
  ])('rejects %s with a clear error', async (_case, contentType, body, message) => {
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': contentType });
      response.end(body);
    };
    const offered = fetchOfferedRelease(client, 'stable', shortLimits);
    await expect(offered).rejects.toThrow(UpdateRejectedError);
    await expect(offered).rejects.toThrow(message);
  });

  it('reports a manifest the connection cut off', async () => {
    hub.handler = (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      response.write('{"manifest":', () => request.socket.destroy());
    };
    const offered = fetchOfferedRelease(client, 'stable', shortLimits);
    await expect(offered).rejects.toThrow(HubUnreachableError);
    await expect(offered).rejects.toThrow(`reading the release manifest at ${hub.url}/api/edge/releases/stable failed after 12 bytes`);
  });

  it('keeps generous default limits', () => {
    expect(DEFAULT_RELEASE_FETCH_LIMITS).toEqual({ manifestMaxBytes: 1024 * 1024, manifestTimeoutMs: 30_000, downloadIdleTimeoutMs: 60_000 });
  });
});

describe('artifact download limits', () => {
  it('stops a download that stalls', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      response.write(Buffer.alloc(100));
    };
    const path = join(workDir, 'stalled.tar.gz');
    const download = downloadArtifact(client, 'stable', artifact, path, shortLimits);
    await expect(download).rejects.toThrow(HubUnreachableError);
    await expect(download).rejects.toThrow('stalled: no data for 0.5 s after 100 of 1000 bytes');
  });

  it('rejects an HTML page in place of the artifact', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html><body>Proxy login</body></html>');
    };
    const download = downloadArtifact(client, 'stable', artifact, join(workDir, 'html.tar.gz'), shortLimits);
    await expect(download).rejects.toThrow(UpdateRejectedError);
    await expect(download).rejects.toThrow(`the hub returned an HTML page instead of artifact ${artifact.file}`);
  });

  it('reports a download the connection cut off', async () => {
    hub.handler = (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '1000' });
      response.write(Buffer.alloc(200), () => request.socket.destroy());
    };
    const download = downloadArtifact(client, 'stable', artifact, join(workDir, 'cut.tar.gz'), shortLimits);
    await expect(download).rejects.toThrow('broke off after 200 of 1000 bytes');
  });
});

describe('release from a hub of a newer protocol', () => {
  const hubHeaders = { [PROTOCOL_HEADER]: '2', [PROTOCOL_RANGE_HEADER]: '2' };
  let stateDir: string;
  let installRoot: string;
  let keysDir: string;
  let signed: SignedReleaseManifest;
  let tarball: string;

  beforeAll(async () => {
    installRoot = join(workDir, 'opt');
    keysDir = join(workDir, 'keys');
    stateDir = join(workDir, 'state');
    const artifactsDir = join(workDir, 'artifacts');
    for (const folder of [installRoot, keysDir, stateDir, artifactsDir]) mkdirSync(folder);
    writeFileSync(join(keysDir, `${key.keyId}.pub`), key.publicPem);
    writeFileSync(join(workDir, 'restart.sh'), RESTART_SCRIPT);
    tarball = await buildTarball(workDir, artifactsDir, '99.0.0', ARCH);
    const manifest = manifestFor('stable', '99.0.0', tarball, ARCH, { protocolVersion: 2 });
    signed = { manifest, signatures: [signManifest(manifest, key.privateKey, key.keyId)] };
  });

  afterAll(() => {
    const pidFile = join(stateDir, 'edge.pid');
    if (!existsSync(pidFile)) return;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  });

  /** Serves the signed manifest and the tarball with the headers of a hub that speaks protocol 2 only. */
  function serveNewerHub(): void {
    hub.handler = (request, response) => {
      if (request.url === '/api/edge/releases/stable') {
        response.writeHead(200, { 'Content-Type': 'application/json', ...hubHeaders });
        response.end(JSON.stringify(signed));
      } else if (request.url?.startsWith('/api/edge/releases/stable/artifacts/')) {
        response.writeHead(200, { 'Content-Type': 'application/octet-stream', ...hubHeaders });
        response.end(readFileSync(tarball));
      } else {
        response.writeHead(200, { 'Content-Type': 'application/json', ...hubHeaders });
        response.end('{}');
      }
    };
  }

  it('is refused on other hub routes', async () => {
    serveNewerHub();
    await expect(client.request('/api/edge/me', {})).rejects.toThrow(ProtocolMismatchError);
  });

  it('is offered without a protocol problem', async () => {
    serveNewerHub();
    const offer = await checkForUpdate({ client, channel: 'stable', keysDir, layout: new InstallLayout(installRoot) });
    expect(offer.protocolProblem).toBeNull();
    expect(offer.verifiedBy).toBe(key.keyId);
  });

  it('is installed by the updater', { timeout: 60_000 }, async () => {
    serveNewerHub();
    const spare = await startFakeServer();
    const port = Number(new URL(spare.url).port);
    await spare.close();
    process.env.TEST_NODE = process.execPath;
    process.env.TEST_HEALTH_PORT = String(port);
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir);
    const result = await applyUpdate({
      client,
      channel: 'stable',
      keysDir,
      layout: new InstallLayout(installRoot),
      dataDir,
      stateDir: join(workDir, 'updater-state'),
      arch: ARCH,
      allowDowngrade: false,
      retryFailed: false,
      restartCommand: `sh ${join(workDir, 'restart.sh')} ${stateDir} ${installRoot}`,
      stopCommand: 'true',
      healthUrl: `http://127.0.0.1:${port}/api/health`,
      health: { timeoutMs: 20_000, healthyPolls: 1, windowMs: 0 },
      logger: createLogger({ name: 'release-network-test', level: 'silent' }),
    });
    expect(result.outcome).toBe('applied');
    expect(readlinkSync(join(installRoot, 'current')).split('/').at(-1)).toBe('99.0.0');
  });
});

describe('protocol rejection by a newer hub', () => {
  it('says how to update the edge node', async () => {
    hub.handler = (_request, response) => {
      response.writeHead(426, { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: '2', [PROTOCOL_RANGE_HEADER]: '2' });
      response.end(JSON.stringify({ error: { code: 'protocol_unsupported', message: 'edge protocol 1 is not supported: this hub speaks 2; update the edge node' } }));
    };
    const request = client.request('/api/edge/me');
    await expect(request).rejects.toThrow(ProtocolMismatchError);
    await expect(request).rejects.toThrow('update the edge node: run "simtestlab-edge update apply" (the update timer also does this) or install the new package');
  });
});

describe('trusted keys of a check', () => {
  /** Checks the hub's release against a keys folder with one entry made by `make`. */
  async function checkWithKey(make: (path: string) => void): Promise<unknown> {
    const keysDir = mkdtempSync(join(workDir, 'keys-'));
    make(join(keysDir, 'release.pub'));
    hub.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{}');
    };
    return checkForUpdate({ client, channel: 'stable', keysDir, layout: new InstallLayout(join(workDir, 'no-install')) });
  }

  it('rejects a private key in the folder', async () => {
    const check = checkWithKey((path) => writeFileSync(path, key.privateKey.export({ type: 'pkcs8', format: 'pem' })));
    await expect(check).rejects.toThrow(UpdateRejectedError);
    await expect(check).rejects.toThrow('release.pub is a private key; the trusted keys folder takes public keys only');
  });

  it('rejects a key that links to a device', async () => {
    await expect(checkWithKey((path) => symlinkSync('/dev/zero', path))).rejects.toThrow('release.pub is not a regular file (a device, socket or FIFO)');
  });

  it('rejects a key that is a folder', async () => {
    await expect(checkWithKey((path) => mkdirSync(path))).rejects.toThrow('release.pub is a folder; pass the key file itself');
  });

  it('names both the key and the version when a signature does not verify', () => {
    const manifest = manifestFor('stable', '9.9.9', join(workDir, 'artifacts', 'simtestlab-edge-99.0.0-linux-x64.tar.gz'), ARCH);
    const other = generateTestKey(key.keyId);
    const signed = { manifest, signatures: [signManifest(manifest, other.privateKey, key.keyId)] };
    expect(() => verifyManifestSignatures(signed, new Map([[key.keyId, createPublicKey(key.publicPem)]]), 'keys')).toThrow(
      `the signature of release manifest 9.9.9 does not verify with key ${key.keyId}: the manifest was changed after signing or signed with another key; rejecting it`,
    );
  });
});
