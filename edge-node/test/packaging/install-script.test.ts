import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

// install.sh of the tarball, run with DESTDIR against a temporary root, and the launcher it installs.
// Both need root (chown of the copied release), as on a real install.

const run = promisify(execFile);
const releaseTools = fileURLToPath(new URL('../../packaging/release/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'install-script-'));
const OTHER_UID = 4321;
const asRoot = process.getuid?.() === 0;

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes an unpacked tarball folder of `version`, owned by another user as after `tar -x` by that user. */
function unpackedRelease(version: string, marker = version): string {
  const dir = join(workDir, `unpacked-${version}-${marker}`);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['bin', 'runtime', 'lib', 'share/systemd', 'share/release-keys']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'VERSION'), `${version}\n`);
  writeFileSync(join(dir, 'lib/marker'), marker);
  copyFileSync(join(releaseTools, 'simtestlab-edge.sh'), join(dir, 'bin/simtestlab-edge'));
  copyFileSync(join(releaseTools, 'install.sh'), join(dir, 'install.sh'));
  // The fake runtime prints the variables the launcher must drop as root.
  writeFileSync(join(dir, 'runtime/node'), '#!/bin/sh\necho "NODE_OPTIONS=${NODE_OPTIONS-unset} LD_LIBRARY_PATH=${LD_LIBRARY_PATH-unset} args=$*"\n');
  for (const file of ['bin/simtestlab-edge', 'runtime/node', 'install.sh']) chmodSync(join(dir, file), 0o755);
  writeFileSync(join(dir, 'share/systemd/simtestlab-edge.service'), '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n');
  writeFileSync(join(dir, 'share/release-keys/test.pub'), 'key\n');
  writeFileSync(join(dir, 'share/edge.env'), '#LOG_LEVEL=info\n');
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) chownSync(join(dir, entry), OTHER_UID, OTHER_UID);
  chownSync(dir, OTHER_UID, OTHER_UID);
  return dir;
}

function install(source: string, destdir: string) {
  return run('sh', [join(source, 'install.sh')], { env: { ...process.env, DESTDIR: destdir }, encoding: 'utf8' });
}

function activeVersion(destdir: string): string {
  const link = readlinkSync(join(destdir, 'opt/simtestlab-edge/current'));
  return readFileSync(join(destdir, link, 'VERSION'), 'utf8').trim();
}

describe.skipIf(!asRoot)('install.sh with DESTDIR', () => {
  let destdir: string;
  beforeEach(() => {
    destdir = mkdtempSync(join(workDir, 'root-'));
  });

  it('copies the release owned by root with no group or other write', async () => {
    await install(unpackedRelease('1.2.0'), destdir);
    const release = join(destdir, 'opt/simtestlab-edge/releases/1.2.0');
    expect(readlinkSync(join(destdir, 'opt/simtestlab-edge/current'))).toBe('/opt/simtestlab-edge/releases/1.2.0');
    expect(readlinkSync(join(destdir, 'usr/bin/simtestlab-edge'))).toBe('/opt/simtestlab-edge/current/bin/simtestlab-edge');
    expect(existsSync(join(release, 'install.sh'))).toBe(false);
    for (const entry of ['', ...readdirSync(release, { recursive: true, encoding: 'utf8' })]) {
      const stat = lstatSync(join(release, entry));
      expect({ entry, uid: stat.uid, gid: stat.gid }).toEqual({ entry, uid: 0, gid: 0 });
      expect({ entry, mode: stat.mode & 0o7777 }).toEqual({ entry, mode: stat.isDirectory() || stat.mode & 0o100 ? 0o755 : 0o644 });
    }
    expect(statSync(join(destdir, 'etc/systemd/system/simtestlab-edge.service')).isFile()).toBe(true);
    expect(statSync(join(destdir, 'etc/simtestlab-edge')).mode & 0o7777).toBe(0o1770);
  });

  it('rejects a source others may write', async () => {
    const source = unpackedRelease('1.2.0');
    chmodSync(join(source, 'runtime/node'), 0o775);
    const failure = await install(source, destdir).catch((error: { stderr: string }) => error);
    expect('stderr' in failure ? failure.stderr : '').toContain('runtime/node is writable by its group or by other users');
    expect(existsSync(join(destdir, 'opt/simtestlab-edge/releases/1.2.0'))).toBe(false);
  });

  it('keeps a newer active release and switches to a newer one', async () => {
    await install(unpackedRelease('1.3.0'), destdir);
    const older = await install(unpackedRelease('1.2.0'), destdir);
    expect(older.stdout).toContain('keeping the active release 1.3.0');
    expect(activeVersion(destdir)).toBe('1.3.0');
    expect(existsSync(join(destdir, 'opt/simtestlab-edge/releases/1.2.0/VERSION'))).toBe(true);

    await install(unpackedRelease('1.3.0-rc.1'), destdir);
    expect(activeVersion(destdir)).toBe('1.3.0');

    await install(unpackedRelease('1.10.0'), destdir);
    expect(activeVersion(destdir)).toBe('1.10.0');
  });

  it('reinstalls the active version in place', async () => {
    await install(unpackedRelease('1.2.0', 'first'), destdir);
    await install(unpackedRelease('1.2.0', 'second'), destdir);
    const releases = join(destdir, 'opt/simtestlab-edge/releases');
    expect(readdirSync(releases)).toEqual(['1.2.0']);
    expect(readlinkSync(join(destdir, 'opt/simtestlab-edge/current'))).toBe('/opt/simtestlab-edge/releases/1.2.0');
    expect(readFileSync(join(releases, '1.2.0/lib/marker'), 'utf8')).toBe('second');
  });
});

describe.skipIf(!asRoot)('launcher as root', () => {
  it('drops variables that load code into the runtime', async () => {
    const source = unpackedRelease('1.2.0', 'launcher');
    const { stdout } = await run(join(source, 'bin/simtestlab-edge'), ['update', 'apply'], {
      env: { ...process.env, NODE_OPTIONS: '--require /tmp/evil.js', LD_LIBRARY_PATH: '/tmp/evil' },
      encoding: 'utf8',
    });
    expect(stdout.trim()).toBe(`NODE_OPTIONS=unset LD_LIBRARY_PATH=unset args=${join(source, 'lib/edge-node.mjs')} update apply`);
  });
});
