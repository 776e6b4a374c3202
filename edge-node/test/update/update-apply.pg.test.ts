import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { manifestFileName } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log';
import { openDatabase } from '../../src/store/database';
import { waitForVersion } from '../../src/update/health-wait';
import { InstallLayout } from '../../src/update/install-layout';
import { startPairedHub, type PairedHub } from './support/paired-hub';
import { buildTarball, generateTestKey, manifestFor, publishManifest, RESTART_SCRIPT, type TestKey } from './support/test-releases';

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');
const ARCH = process.arch;

let hub: PairedHub;
let workDir: string;
let installRoot: string;
let keysDir: string;
let stateDir: string;
let artifactsDir: string;
let trustedKey: TestKey;
let otherKey: TestKey;
let healthUrl: string;
let env: NodeJS.ProcessEnv;

async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return address.port;
}

/** Runs `edge-node update ...` as the update service does, and returns its exit code and output. */
async function runUpdate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [
    'bin/edge-node.mjs',
    'update',
    ...args,
    '--data',
    hub.dataDir,
    '--install-root',
    installRoot,
    '--keys-dir',
    keysDir,
    '--restart-command',
    `sh ${join(workDir, 'restart.sh')} ${stateDir} ${installRoot}`,
    '--health-url',
    healthUrl,
  ];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, argv, { cwd: EDGE_NODE_DIR, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Returns the name of the release folder `current` points at. */
function currentRelease(): string {
  return readlinkSync(join(installRoot, 'current')).split('/').at(-1)!;
}

function auditActions(): string[] {
  const db = openDatabase(join(hub.dataDir, 'edge.db'));
  try {
    return listAuditEntries(db, { limit: 100 })
      .filter((entry) => entry.action.startsWith('update.'))
      .map((entry) => `${entry.action} ${entry.targetId}`);
  } catch (error) {
    throw new Error('reading the audit log failed', { cause: error });
  } finally {
    db.close();
  }
}

/** Publishes a healthy or broken release on `channel`, signed by the trusted key. */
async function publishRelease(channel: 'stable' | 'beta', version: string, healthy = true): Promise<void> {
  const tarball = await buildTarball(workDir, hub.releasesDir, version, ARCH, healthy);
  publishManifest(hub.releasesDir, manifestFor(channel, version, tarball, ARCH), trustedKey);
}

beforeAll(async () => {
  hub = await startPairedHub('edge-update');
  workDir = mkdtempSync(join(tmpdir(), 'edge-update-'));
  installRoot = join(workDir, 'opt');
  keysDir = join(workDir, 'keys');
  stateDir = join(workDir, 'state');
  artifactsDir = join(workDir, 'artifacts');
  for (const folder of [installRoot, keysDir, stateDir, artifactsDir]) mkdirSync(folder);
  trustedKey = generateTestKey('release-test');
  otherKey = generateTestKey('someone-else');
  writeFileSync(join(keysDir, 'release-test.pub'), trustedKey.publicPem);
  writeFileSync(join(workDir, 'restart.sh'), RESTART_SCRIPT);
  const port = await sparePort();
  healthUrl = `http://127.0.0.1:${port}/api/health`;
  env = { ...process.env, TEST_NODE: process.execPath, TEST_HEALTH_PORT: String(port), LOG_LEVEL: 'warn' };

  // Release 1.0.0 is installed and running, as the package leaves it.
  const layout = new InstallLayout(installRoot);
  const first = await buildTarball(workDir, artifactsDir, '1.0.0', ARCH);
  layout.swapCurrent(await layout.unpack(first, '1.0.0'));
  await execFileAsync('sh', [join(workDir, 'restart.sh'), stateDir, installRoot], { env });
  const started = await waitForVersion(healthUrl, '1.0.0', 10_000);
  if (!started.healthy) throw new Error(`the test release 1.0.0 did not start: ${started.lastSeen}`);
}, 60_000);

afterAll(async () => {
  const pidFile = join(stateDir ?? '', 'edge.pid');
  if (stateDir !== undefined && existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  await hub?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

// Each case runs the CLI once or twice, which takes seconds on a loaded machine.
describe('edge update', { timeout: 60_000 }, () => {
  it('check reports a release signed by the release tool', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.1.0', ARCH);
    const keyFile = join(workDir, 'release-test.pem');
    writeFileSync(keyFile, trustedKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await execFileAsync(join(EDGE_NODE_DIR, 'node_modules/.bin/tsx'), ['packaging/sign-release.ts', 'sign', '--key', keyFile, '--channel', 'stable', '--version', '1.1.0', tarball], {
      cwd: EDGE_NODE_DIR,
    });
    expect(existsSync(join(hub.releasesDir, manifestFileName('stable')))).toBe(true);

    const { code, stdout } = await runUpdate('check');
    expect(code).toBe(0);
    expect(stdout).toContain('running:    1.0.0');
    expect(stdout).toContain('offered:    1.1.0');
    expect(stdout).toContain('signature:  verified with key release-test');
    expect(stdout).toContain('result:     an update is available');
    expect(auditActions()).toEqual(['update.available 1.1.0']);
  });

  it('apply installs a release and waits for its health', async () => {
    const { code, stdout, stderr } = await runUpdate('apply');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('updated from 1.0.0 to 1.1.0 on channel stable');
    expect(currentRelease()).toBe('1.1.0');
    expect(await waitForVersion(healthUrl, '1.1.0', 1_000)).toEqual({ healthy: true });
    expect(readdirSync(join(installRoot, 'releases')).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(readdirSync(installRoot).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(auditActions()).toEqual(['update.available 1.1.0', 'update.applied 1.1.0']);
  });

  it('apply of the running version changes nothing', async () => {
    const { code, stdout } = await runUpdate('apply');
    expect(code).toBe(0);
    expect(stdout).toContain('already running 1.1.0');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses a manifest changed after signing', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    const signed = publishManifest(hub.releasesDir, manifestFor('stable', '1.2.0', tarball, ARCH), trustedKey);
    const tampered = { ...signed, manifest: { ...signed.manifest, notes: 'now with extra features' } };
    writeFileSync(join(hub.releasesDir, manifestFileName('stable')), JSON.stringify(tampered));

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain('the signature of key release-test does not match release manifest 1.2.0: the manifest was changed after signing');
    expect(currentRelease()).toBe('1.1.0');
    expect(existsSync(join(installRoot, 'releases', '1.2.0'))).toBe(false);
  });

  it('refuses a manifest signed by an untrusted key', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.2.0', tarball, ARCH), otherKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain(`release manifest 1.2.0 is signed by someone-else, and none of them is trusted in ${keysDir} (trusted: release-test)`);
    expect(currentRelease()).toBe('1.1.0');
  });

  it('never receives an unsigned manifest from the hub', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    writeFileSync(join(hub.releasesDir, manifestFileName('stable')), JSON.stringify({ manifest: manifestFor('stable', '1.2.0', tarball, ARCH), signatures: [] }));

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain('failed with 503: the release manifest of channel stable cannot be read on the hub');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses an artifact whose checksum does not match', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    const manifest = manifestFor('stable', '1.2.0', tarball, ARCH);
    const wrongSha = 'f'.repeat(64);
    publishManifest(hub.releasesDir, { ...manifest, artifacts: [{ ...manifest.artifacts[0]!, sha256: wrongSha }] }, trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain(`but its manifest states ${wrongSha}; rejecting it`);
    expect(currentRelease()).toBe('1.1.0');
    expect(existsSync(join(installRoot, 'releases', '1.2.0'))).toBe(false);
    expect(readdirSync(installRoot).filter((name) => name.startsWith('.download-'))).toEqual([]);
  });

  it('refuses an artifact of another size', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    const manifest = manifestFor('stable', '1.2.0', tarball, ARCH);
    const size = manifest.artifacts[0]!.size + 10;
    publishManifest(hub.releasesDir, { ...manifest, artifacts: [{ ...manifest.artifacts[0]!, size }] }, trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain(`but its manifest states ${size}; rejecting it`);
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses a downgrade unless allowed', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.0.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.0.0', tarball, ARCH), trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain('release 1.0.0 on channel stable is older than the running 1.1.0; rejecting the downgrade (pass --allow-downgrade to install it anyway)');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses a release of a protocol the hub does not serve', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.2.0', tarball, ARCH, { protocolVersion: 2 }), trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(1);
    expect(stderr).toContain('release 1.2.0 speaks edge protocol 2, but the hub serves 1; update the hub before installing this release');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('rolls back a release that does not become healthy', async () => {
    await publishRelease('stable', '1.2.0', false);

    const { code, stderr } = await runUpdate('apply', '--health-timeout', '3');
    expect(code).toBe(1);
    expect(stderr).toContain(`release 1.2.0 did not report version 1.2.0 at ${healthUrl} within 3 s`);
    expect(stderr).toContain('rolled back to 1.1.0');
    expect(currentRelease()).toBe('1.1.0');
    expect(await waitForVersion(healthUrl, '1.1.0', 10_000)).toEqual({ healthy: true });
    const state = JSON.parse(readFileSync(join(hub.dataDir, 'update-state.json'), 'utf8')) as { failed: { version: string }[] };
    expect(state.failed.map((entry) => entry.version)).toEqual(['1.2.0']);
    expect(auditActions().at(-1)).toBe('update.rolled_back 1.2.0');
  });

  it('skips a rolled back version on the next run', async () => {
    const { code, stdout } = await runUpdate('apply');
    expect(code).toBe(0);
    expect(stdout).toContain('skipping 1.2.0: it was rolled back before');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('follows the beta channel from the data folder', async () => {
    await publishRelease('beta', '1.3.0-beta.1');

    const stable = await runUpdate('check', '--channel', 'stable');
    expect(stable.stdout).toContain('offered:    1.2.0');
    const beta = await runUpdate('check', '--channel', 'beta');
    expect(beta.stdout).toContain('offered:    1.3.0-beta.1');

    writeFileSync(join(hub.dataDir, 'update-channel'), 'beta\n');
    const { code, stdout } = await runUpdate('apply');
    expect(code).toBe(0);
    expect(stdout).toContain('updated from 1.1.0 to 1.3.0-beta.1 on channel beta');
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 1_000)).toEqual({ healthy: true });
    // The previous release stays for a rollback; older ones, the failed one included, are deleted.
    expect(readdirSync(join(installRoot, 'releases')).sort()).toEqual(['1.1.0', '1.3.0-beta.1']);
  });

  it('rejects an unknown channel in the data folder', async () => {
    writeFileSync(join(hub.dataDir, 'update-channel'), 'nightly\n');
    const { code, stderr } = await runUpdate('check');
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(hub.dataDir, 'update-channel')}: "nightly" is not a release channel; use stable or beta`);
  });
});
