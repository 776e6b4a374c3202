import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { manifestFileName } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { listAuditEntries } from '../../src/audit/audit-log';
import { createLogger } from '../../src/logger';
import { openDatabase } from '../../src/store/database';
import { SCHEMA_VERSION } from '../../src/store/migrations';
import { waitForVersion } from '../../src/update/health-wait';
import { InstallLayout } from '../../src/update/install-layout';
import { PENDING_UPDATE_FILE, writePendingUpdate } from '../../src/update/pending-update';
import { importUpdateEvents } from '../../src/update/update-event-import';
import { startPairedHub, type PairedHub } from './support/paired-hub';
import { buildTarball, generateTestKey, manifestFor, publishManifest, RESTART_SCRIPT, STOP_SCRIPT, type TestKey, type TestReleaseKind } from './support/test-releases';

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');
const ARCH = process.arch;

let hub: PairedHub;
let workDir: string;
let installRoot: string;
let keysDir: string;
let stateDir: string;
/** The updater's own state folder, as --state-dir. */
let updateStateDir: string;
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

/** Arguments of `edge-node update` as the update service passes them, with the test's folders and commands. */
function updateArgv(args: string[]): string[] {
  return [
    'bin/edge-node.mjs',
    'update',
    '--state-dir',
    updateStateDir,
    '--stop-command',
    `sh ${join(workDir, 'stop.sh')} ${stateDir}`,
    '--health-window',
    '0',
    '--data',
    hub.dataDir,
    '--install-root',
    installRoot,
    '--lock-file',
    join(installRoot, 'update.lock'),
    '--keys-dir',
    keysDir,
    '--restart-command',
    `sh ${join(workDir, 'restart.sh')} ${stateDir} ${installRoot}`,
    '--health-url',
    healthUrl,
    // Later options replace earlier ones, so a test can override the defaults above.
    ...args,
  ];
}

/** Runs `edge-node update ...` as the update service does, and returns its exit code and output. */
async function runUpdate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, updateArgv(args), { cwd: EDGE_NODE_DIR, env, timeout: 60_000 });
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

/** Imports the updater's events as the edge node does at start, and lists the update entries of the audit log. */
function auditActions(): string[] {
  const db = openDatabase(join(hub.dataDir, 'edge.db'));
  try {
    importUpdateEvents(db, updateStateDir, createLogger({ name: 'update-test', level: 'silent' }));
    return listAuditEntries(db, { limit: 100 })
      .filter((entry) => entry.action.startsWith('update.'))
      .map((entry) => `${entry.action} ${entry.targetId}`);
  } catch (error) {
    throw new Error('reading the audit log failed', { cause: error });
  } finally {
    db.close();
  }
}

/** Returns the versions the updater recorded as failed. */
function failedVersions(): string[] {
  const path = join(updateStateDir, 'update-state.json');
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { failed: { version: string }[] }).failed.map((entry) => entry.version);
}

/** Returns the schema version of the edge's database. */
function schemaVersion(): number {
  const db = new Database(join(hub.dataDir, 'edge.db'), { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Publishes a healthy or broken release on `channel`, signed by the trusted key. */
async function publishRelease(channel: 'stable' | 'beta', version: string, healthy: TestReleaseKind = true): Promise<void> {
  const tarball = await buildTarball(workDir, hub.releasesDir, version, ARCH, healthy);
  publishManifest(hub.releasesDir, manifestFor(channel, version, tarball, ARCH), trustedKey);
}

beforeAll(async () => {
  hub = await startPairedHub('edge-update');
  workDir = mkdtempSync(join(tmpdir(), 'edge-update-'));
  installRoot = join(workDir, 'opt');
  keysDir = join(workDir, 'keys');
  stateDir = join(workDir, 'state');
  updateStateDir = join(workDir, 'update-state');
  artifactsDir = join(workDir, 'artifacts');
  for (const folder of [installRoot, keysDir, stateDir, artifactsDir]) mkdirSync(folder);
  trustedKey = generateTestKey('release-test');
  otherKey = generateTestKey('someone-else');
  writeFileSync(join(keysDir, 'release-test.pub'), trustedKey.publicPem);
  writeFileSync(join(workDir, 'restart.sh'), RESTART_SCRIPT);
  writeFileSync(join(workDir, 'stop.sh'), STOP_SCRIPT);
  const port = await sparePort();
  healthUrl = `http://127.0.0.1:${port}/api/health`;
  env = {
    ...process.env,
    TEST_NODE: process.execPath,
    TEST_HEALTH_PORT: String(port),
    TEST_DIES_AFTER_S: '3',
    TEST_DATA_DIR: hub.dataDir,
    TEST_SQLITE_MODULE: createRequire(import.meta.url).resolve('better-sqlite3'),
    LOG_LEVEL: 'warn',
  };

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
    expect(code).toBe(10);
    expect(stdout).toContain('running:    1.0.0');
    expect(stdout).toContain('offered:    1.1.0');
    expect(stdout).toContain('signature:  verified with key release-test');
    expect(stdout).toContain('result:     update available: "update apply" installs 1.1.0');
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
    expect(code).toBe(3);
    expect(stderr).toContain('the signature of release manifest 1.2.0 does not verify with key release-test: the manifest was changed after signing');
    expect(currentRelease()).toBe('1.1.0');
    expect(existsSync(join(installRoot, 'releases', '1.2.0'))).toBe(false);
  });

  it('refuses a manifest signed by an untrusted key', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.2.0', tarball, ARCH), otherKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(3);
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
    expect(code).toBe(3);
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
    expect(code).toBe(3);
    expect(stderr).toContain(`but its manifest states ${size}; rejecting it`);
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses a downgrade unless allowed', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.0.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.0.0', tarball, ARCH), trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(3);
    expect(stderr).toContain('release 1.0.0 on channel stable is older than the running 1.1.0; rejecting the downgrade (pass --allow-downgrade to install it anyway)');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('refuses a release of a protocol the hub does not serve', async () => {
    const tarball = await buildTarball(workDir, hub.releasesDir, '1.2.0', ARCH);
    publishManifest(hub.releasesDir, manifestFor('stable', '1.2.0', tarball, ARCH, { protocolVersion: 2 }), trustedKey);

    const { code, stderr } = await runUpdate('apply');
    expect(code).toBe(3);
    expect(stderr).toContain('release 1.2.0 speaks edge protocol 2, but the hub serves 1; update the hub before installing this release');
    expect(currentRelease()).toBe('1.1.0');
  });

  it('rolls back a release that does not become healthy', async () => {
    await publishRelease('stable', '1.2.0', false);

    const { code, stderr } = await runUpdate('apply', '--health-timeout', '3');
    expect(code).toBe(4);
    expect(stderr).toContain(`release 1.2.0 did not report version 1.2.0 at ${healthUrl} within 3 s`);
    expect(stderr).toContain('rolled back to 1.1.0');
    expect(currentRelease()).toBe('1.1.0');
    expect(await waitForVersion(healthUrl, '1.1.0', 10_000)).toEqual({ healthy: true });
    expect(failedVersions()).toEqual(['1.2.0']);
    // The updater runs as root and keeps its state out of the data folder, which the service user controls.
    expect(existsSync(join(hub.dataDir, 'update-state.json'))).toBe(false);
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
    expect(stderr).toContain(`${join(hub.dataDir, 'update-channel')} does not name a release channel; write stable or beta into it`);
    expect(stderr).not.toContain('nightly');
    writeFileSync(join(hub.dataDir, 'update-channel'), 'beta\n');
  });

  it('rolls back a release that dies after its first good response', async () => {
    await publishRelease('beta', '1.4.0-beta.1', 'dies');

    const { code, stderr } = await runUpdate('apply', '--health-timeout', '5', '--health-window', '6', '--channel', 'beta');
    expect(code).toBe(4);
    expect(stderr).toContain('release 1.4.0-beta.1 did not report version 1.4.0-beta.1');
    expect(stderr).toContain('rolled back to 1.3.0-beta.1');
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 10_000)).toEqual({ healthy: true });
    expect(failedVersions()).toContain('1.4.0-beta.1');
    // The failed release's folder is deleted; the restored one stays.
    expect(existsSync(join(installRoot, 'releases', '1.4.0-beta.1'))).toBe(false);
  });

  it('restores the database snapshot when rolling back a migrating release', async () => {
    auditActions();
    expect(schemaVersion()).toBe(SCHEMA_VERSION);
    await publishRelease('beta', '1.4.0-beta.2', 'migrates');

    const { code, stderr } = await runUpdate('apply', '--health-timeout', '3', '--channel', 'beta');
    expect(code).toBe(4);
    expect(stderr).toContain(`restored the database snapshot of schema ${SCHEMA_VERSION}`);
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(schemaVersion()).toBe(SCHEMA_VERSION);
    expect(existsSync(join(hub.dataDir, 'backups', `edge.db.rolled-back-schema-${SCHEMA_VERSION + 1}`))).toBe(true);
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 10_000)).toEqual({ healthy: true });
  });

  it('does not blame the release for a failed restart command', async () => {
    await publishRelease('beta', '1.4.0-beta.3');
    const restart = `readlink ${join(installRoot, 'current')} | grep -q 1.4.0-beta.3 && { echo "unit not found" >&2; exit 5; }; sh ${join(workDir, 'restart.sh')} ${stateDir} ${installRoot}`;

    const { code, stderr } = await runUpdate('apply', '--channel', 'beta', '--restart-command', restart);
    expect(code).toBe(1);
    expect(stderr).toContain('restarting the edge node on release 1.4.0-beta.3 failed');
    expect(stderr).toContain('unit not found');
    expect(stderr).toContain('The version is not recorded as failed');
    expect(failedVersions()).not.toContain('1.4.0-beta.3');
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 10_000)).toEqual({ healthy: true });
  });

  it('recover rolls back an update a killed updater left pending', async () => {
    const layout = new InstallLayout(installRoot);
    const broken = await buildTarball(workDir, artifactsDir, '1.4.0-beta.4', ARCH, false);
    const next = await layout.unpack(broken, '1.4.0-beta.4');
    const previous = join(installRoot, 'releases', '1.3.0-beta.1');
    writePendingUpdate(updateStateDir, { previous, next, from: '1.3.0-beta.1', to: '1.4.0-beta.4', channel: 'beta', schemaVersion: SCHEMA_VERSION, startedAt: new Date().toISOString() });
    layout.swapCurrent(next);

    const { code, stderr } = await runUpdate('recover', '--health-timeout', '2');
    expect(code).toBe(4);
    expect(stderr).toContain('rolled back to 1.3.0-beta.1');
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(existsSync(join(updateStateDir, PENDING_UPDATE_FILE))).toBe(false);
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 10_000)).toEqual({ healthy: true });
  });

  it('recover removes leftovers of an earlier run', async () => {
    writeFileSync(join(installRoot, '.download-0123456789ab-release.tar.gz'), 'partial download');
    mkdirSync(join(installRoot, 'releases', '7.0.0.partial'));

    const { code, stdout } = await runUpdate('recover');
    expect(code).toBe(0);
    expect(stdout).toContain('no update was pending');
    expect(existsSync(join(installRoot, '.download-0123456789ab-release.tar.gz'))).toBe(false);
    expect(existsSync(join(installRoot, 'releases', '7.0.0.partial'))).toBe(false);
  });

  it('rolls back when the updater gets SIGTERM', async () => {
    await publishRelease('beta', '1.4.0-beta.5');
    const child = spawn(process.execPath, updateArgv(['apply', '--channel', 'beta', '--health-window', '60']), { cwd: EDGE_NODE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

    // The marker exists from just before the swap; the new release reports healthy soon after.
    expect(await waitForVersion(healthUrl, '1.4.0-beta.5', 20_000)).toEqual({ healthy: true });
    expect(existsSync(join(updateStateDir, PENDING_UPDATE_FILE))).toBe(true);
    child.kill('SIGTERM');

    expect(await exited).toBe(143);
    expect(stderr).toContain('the updater was stopped (SIGTERM) while installing 1.4.0-beta.5');
    expect(currentRelease()).toBe('1.3.0-beta.1');
    expect(failedVersions()).not.toContain('1.4.0-beta.5');
    expect(await waitForVersion(healthUrl, '1.3.0-beta.1', 10_000)).toEqual({ healthy: true });
  });

  it('rejects a credential that is a symlink', async () => {
    const linkedData = mkdtempSync(join(tmpdir(), 'linked-data-'));
    symlinkSync(join(hub.dataDir, 'cloud-credential.json'), join(linkedData, 'cloud-credential.json'));

    const { code, stderr } = await runUpdate('check', '--data', linkedData);
    expect(code).toBe(1);
    expect(stderr).toContain(`cloud credential ${join(linkedData, 'cloud-credential.json')} is a symlink`);
    expect(stderr).not.toContain('privateJwk');
    rmSync(linkedData, { recursive: true, force: true });
  });

  it('lists the update events in the audit log once', () => {
    const actions = auditActions();
    expect(auditActions()).toEqual(actions);
    expect(actions).toContain('update.rolled_back 1.4.0-beta.2');
  });

});
