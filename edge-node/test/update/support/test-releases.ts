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

/** The launcher of a broken test release: exits at once, so nothing listens on the health URL. */
const BROKEN_LAUNCHER = `#!/bin/sh
echo "this release is broken on purpose" >&2
exit 1
`;

/**
 * The restart command of the tests: stops the node recorded in <state>/edge.pid, waits until it is gone
 * or a zombie, and starts <root>/current/bin/simtestlab-edge in the background. Arguments: state folder,
 * install root.
 */
export const RESTART_SCRIPT = `#!/bin/sh
pidfile="$1/edge.pid"
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  while [ -e "/proc/$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != "Z" ]; do sleep 0.05; done
  rm -f "$pidfile"
fi
"$2/current/bin/simtestlab-edge" >> "$1/edge.log" 2>&1 &
echo $! > "$pidfile"
`;

/** Name of the tarball of `version` for `arch`, as the release build names it. */
export function tarballName(version: string, arch: string): string {
  return `simtestlab-edge-${version}-linux-${arch}.tar.gz`;
}

/** Builds a release tarball with `tar` in `outDir`: one top-level folder with bin/, VERSION and the health server. */
export async function buildTarball(workDir: string, outDir: string, version: string, arch: string, healthy = true): Promise<string> {
  const folderName = `simtestlab-edge-${version}-linux-${arch}`;
  const staging = join(workDir, `staging-${version}-${healthy ? 'ok' : 'broken'}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, folderName, 'bin'), { recursive: true });
  const launcher = join(staging, folderName, 'bin', 'simtestlab-edge');
  writeFileSync(launcher, healthy ? HEALTHY_LAUNCHER : BROKEN_LAUNCHER);
  chmodSync(launcher, 0o755);
  writeFileSync(join(staging, folderName, 'health-server.cjs'), HEALTH_SERVER);
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
