import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { manifestFileName, type ReleaseChannel, type ReleaseManifest, type SignedReleaseManifest } from '@simtestlab/sync';
import { signManifest } from '../../../src/update/release-signature';

const execFileAsync = promisify(execFile);

/**
 * A stand-in for the release's runtime: serves `/api/health` with the version given as its argument on
 * TEST_HEALTH_PORT until SIGTERM.
 */
const HEALTH_SERVER = `const http = require('node:http');
const version = process.argv[2];
const server = http.createServer((request, response) => {
  if (request.url !== '/api/health') { response.writeHead(404); response.end(); return; }
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ status: 'ok', version, mode: 'running' }));
});
server.listen(Number(process.env.TEST_HEALTH_PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** The launcher of a healthy test release: runs the health server with the release's VERSION. */
const HEALTHY_LAUNCHER = `#!/bin/sh
here=$(cd "$(dirname "$0")/.." && pwd -P)
exec "$TEST_NODE" "$here/health-server.cjs" "$(cat "$here/VERSION")"
`;

/** The launcher of a test release that is healthy for TEST_DIES_AFTER_S seconds (1 unless set) and then exits. */
const DYING_LAUNCHER = `#!/bin/sh
here=$(cd "$(dirname "$0")/.." && pwd -P)
"$TEST_NODE" "$here/health-server.cjs" "$(cat "$here/VERSION")" &
server=$!
trap 'kill $server; exit 1' TERM
sleep "\${TEST_DIES_AFTER_S:-1}" &
wait $!
kill $server
exit 1
`;

/**
 * Stands in for a release whose migrator moves the database to a newer schema: takes the snapshot the
 * edge node's migrator takes, raises user_version of $TEST_DATA_DIR/edge.db by one, then exits, so the
 * release never reports healthy. TEST_SQLITE_MODULE is the path of better-sqlite3.
 */
const MIGRATE_SCRIPT = `const Database = require(process.env.TEST_SQLITE_MODULE);
const fs = require('node:fs');
const path = require('node:path');
const file = path.join(process.env.TEST_DATA_DIR, 'edge.db');
const db = new Database(file);
const version = db.pragma('user_version', { simple: true });
fs.mkdirSync(path.join(process.env.TEST_DATA_DIR, 'backups'), { recursive: true });
const snapshot = path.join(process.env.TEST_DATA_DIR, 'backups', 'edge.db.schema-' + version);
fs.rmSync(snapshot, { force: true });
db.prepare('VACUUM INTO ?').run(snapshot);
db.pragma('user_version = ' + (version + 1));
db.close();
`;

const MIGRATING_LAUNCHER = `#!/bin/sh
here=$(cd "$(dirname "$0")/.." && pwd -P)
"$TEST_NODE" "$here/migrate.cjs"
echo "this release migrated the database and then failed" >&2
exit 1
`;

/** The launcher of a broken test release: exits at once, so nothing listens on the health URL. */
const BROKEN_LAUNCHER = `#!/bin/sh
echo "this release is broken on purpose" >&2
exit 1
`;

/** The stop command of the tests: stops the node recorded in <state>/edge.pid. Argument: state folder. */
export const STOP_SCRIPT = `#!/bin/sh
pidfile="$1/edge.pid"
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  while [ -e "/proc/$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != "Z" ]; do sleep 0.05; done
  rm -f "$pidfile"
fi
`;

/**
 * The restart command of the tests: stops the node recorded in <state>/edge.pid, waits until it is gone
 * or a zombie, and starts <root>/current/bin/simtestlab-edge in the background. Arguments: state folder,
 * install root.
 */
export const RESTART_SCRIPT = `${STOP_SCRIPT}"$2/current/bin/simtestlab-edge" >> "$1/edge.log" 2>&1 &
echo $! > "$pidfile"
`;

/** Name of the tarball of `version` for `arch`, as the release build names it. */
export function tarballName(version: string, arch: string): string {
  return `simtestlab-edge-${version}-linux-${arch}.tar.gz`;
}

/** How a test release behaves once started: true is healthy, false exits at once. */
export type TestReleaseKind = boolean | 'dies' | 'migrates';

function launcherOf(kind: TestReleaseKind): string {
  if (kind === 'dies') return DYING_LAUNCHER;
  if (kind === 'migrates') return MIGRATING_LAUNCHER;
  return kind ? HEALTHY_LAUNCHER : BROKEN_LAUNCHER;
}

/** Builds a release tarball with `tar` in `outDir`: one top-level folder with bin/, VERSION and the health server. */
export async function buildTarball(workDir: string, outDir: string, version: string, arch: string, healthy: TestReleaseKind = true): Promise<string> {
  const folderName = `simtestlab-edge-${version}-linux-${arch}`;
  const staging = join(workDir, `staging-${version}-${String(healthy)}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, folderName, 'bin'), { recursive: true });
  const launcher = join(staging, folderName, 'bin', 'simtestlab-edge');
  writeFileSync(launcher, launcherOf(healthy));
  chmodSync(launcher, 0o755);
  writeFileSync(join(staging, folderName, 'health-server.cjs'), HEALTH_SERVER);
  writeFileSync(join(staging, folderName, 'migrate.cjs'), MIGRATE_SCRIPT);
  writeFileSync(join(staging, folderName, 'VERSION'), `${version}\n`);
  writeFileSync(join(staging, folderName, 'release.json'), JSON.stringify({ version, arch, builtAt: new Date().toISOString(), gitCommit: null, nodeVersion: process.version }));
  const tarball = join(outDir, tarballName(version, arch));
  await execFileAsync('tar', ['-czf', tarball, '-C', staging, folderName]);
  return tarball;
}

/** A generated ed25519 key pair with its key id. */
export interface TestKey {
  keyId: string;
  privateKey: KeyObject;
  publicPem: string;
}

export function generateTestKey(keyId: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Builds the manifest of one tarball. */
export function manifestFor(channel: ReleaseChannel, version: string, tarball: string, arch: string, changes: Partial<ReleaseManifest> = {}): ReleaseManifest {
  const bytes = readFileSync(tarball);
  return {
    schema: 1,
    channel,
    version,
    protocolVersion: 1,
    releasedAt: new Date().toISOString(),
    artifacts: [{ arch: arch as 'x64', file: tarball.split('/').at(-1)!, size: statSync(tarball).size, sha256: createHash('sha256').update(bytes).digest('hex') }],
    ...changes,
  };
}

/** Signs `manifest` with `key` and writes it as the channel's manifest into `releasesDir`. */
export function publishManifest(releasesDir: string, manifest: ReleaseManifest, key: TestKey): SignedReleaseManifest {
  const signed: SignedReleaseManifest = { manifest, signatures: [signManifest(manifest, key.privateKey, key.keyId)] };
  writeFileSync(join(releasesDir, manifestFileName(manifest.channel)), JSON.stringify(signed, null, 2));
  return signed;
}
