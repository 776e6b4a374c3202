import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { SignedReleaseManifest } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCredential } from '../../src/cloud/credential';
import { signManifest } from '../../src/update/release-signature';
import { readUpdateEvents } from '../../src/update/update-events';
import { recordFailedUpdate } from '../../src/update/update-state';
import { edgeKeyPair } from './support/paired-hub';
import { generateTestKey, type TestKey } from './support/test-releases';

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');

let server: Server;
let hubUrl: string;
let served: SignedReleaseManifest | string;
let workDir: string;
let dataDir: string;
let stateDir: string;
let keysDir: string;
let key: TestKey;

/** Builds a signed manifest of `version`, with `protocolVersion` 1 unless given. */
function signedRelease(version: string, protocolVersion = 1, signer: TestKey = key): SignedReleaseManifest {
  const manifest = {
    schema: 1 as const,
    channel: 'stable' as const,
    version,
    protocolVersion,
    releasedAt: '2026-12-01T10:00:00.000Z',
    artifacts: [{ arch: 'x64' as const, file: `simtestlab-edge-${version}-linux-x64.tar.gz`, size: 10, sha256: 'a'.repeat(64) }],
  };
  return { manifest, signatures: [signManifest(manifest, signer.privateKey, key.keyId)] };
}

/** Runs `edge-node update ...` against the hub of `data` and returns its exit code and output. */
async function runUpdateWith(data: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ['bin/edge-node.mjs', 'update', ...args, '--data', data, '--state-dir', stateDir, '--install-root', join(workDir, 'opt'), '--lock-file', join(workDir, 'update.lock'), '--keys-dir', keysDir];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, argv, { cwd: EDGE_NODE_DIR, env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Runs `edge-node update ...` against the fake hub. */
function runUpdate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runUpdateWith(dataDir, ...args);
}

/** Stores a credential for the hub at `cloudUrl` in a new data folder and returns the folder. */
async function pairedDataFolder(cloudUrl: string): Promise<string> {
  const folder = mkdtempSync(join(workDir, 'data-'));
  const { privateJwk } = await edgeKeyPair();
  storeCredential(folder, {
    cloudUrl,
    edgeNodeId: 'edge-1',
    organizationId: 'org-1',
    siteId: 'site-1',
    siteName: 'Plant A',
    timeZone: 'Europe/Berlin',
    privateJwk,
    pairedAt: new Date().toISOString(),
  });
  return folder;
}

function availableEvents(): string[] {
  return readUpdateEvents(stateDir)
    .events.filter((event) => event.action === 'update.available')
    .map((event) => event.version);
}

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(typeof served === 'string' ? served : JSON.stringify(served));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workDir = mkdtempSync(join(tmpdir(), 'update-check-'));
  stateDir = join(workDir, 'state');
  keysDir = join(workDir, 'keys');
  mkdirSync(keysDir);
  key = generateTestKey('check-test');
  writeFileSync(join(keysDir, `${key.keyId}.pub`), key.publicPem);
  dataDir = await pairedDataFolder(hubUrl);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed));
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe('update check', { timeout: 60_000 }, () => {
  it('exits 10 for an installable update and records it once', async () => {
    served = signedRelease('99.0.0');
    const first = await runUpdate('check');
    expect(first.stdout).toContain('result:     update available: "update apply" installs 99.0.0');
    expect(first.code).toBe(10);
    const second = await runUpdate('check');
    expect(second.code).toBe(10);
    expect(availableEvents()).toEqual(['99.0.0']);
  });

  it('exits 3 when the signature does not verify', async () => {
    served = signedRelease('99.1.0', 1, generateTestKey('impostor'));
    const { code, stdout } = await runUpdate('check');
    expect(stdout).toContain('result:     refused: the manifest of 99.1.0 does not verify');
    expect(code).toBe(3);
    expect(availableEvents()).toEqual(['99.0.0']);
  });

  it('exits 3 when the hub does not serve the protocol', async () => {
    served = signedRelease('99.2.0', 7);
    const { code, stdout } = await runUpdate('check');
    expect(stdout).toContain('result:     refused: the hub does not serve the edge protocol of 99.2.0');
    expect(code).toBe(3);
  });

  it('exits 3 for a version that was rolled back', async () => {
    recordFailedUpdate(stateDir, '99.3.0', 'no health in time');
    served = signedRelease('99.3.0');
    const { code, stdout } = await runUpdate('check');
    expect(stdout).toContain('refused: 99.3.0 was rolled back on');
    expect(stdout).toContain('"update apply --retry-failed" tries it again');
    expect(code).toBe(3);
  });

  it('exits 0 when the offered version is older', async () => {
    served = signedRelease('0.0.1');
    const { code, stdout } = await runUpdate('check');
    expect(stdout).toContain('result:     up to date: the offered version is older than the running one');
    expect(code).toBe(0);
  });

  it('exits 3 for an HTML page', async () => {
    served = '<html><body>Sign in</body></html>';
    const { code, stderr } = await runUpdate('check');
    expect(stderr).toContain('the hub returned an HTML page instead of the release manifest');
    expect(code).toBe(3);
  });

  it('exits 5 when the hub is unreachable', async () => {
    // Nothing listens on port 1 of the loopback address, so the connection is refused.
    const { code, stderr } = await runUpdateWith(await pairedDataFolder('http://127.0.0.1:1'), 'check');
    expect(stderr).toContain('cannot reach the cloud hub at http://127.0.0.1:1');
    expect(code).toBe(5);
  });

  it('shows the help for an unknown option', async () => {
    const { code, stderr } = await runUpdate('check', '--no-such-option');
    expect(stderr).toContain("Unknown option '--no-such-option'");
    expect(stderr).toContain('Exit codes:');
    expect(code).toBe(2);
  });
});
