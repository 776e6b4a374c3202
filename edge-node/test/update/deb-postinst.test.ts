import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { InstallLayout } from '../../src/update/install-layout';

// Runs the package's postinst against a temporary root: its system paths point into a temporary folder,
// and the commands that change users, owners and units are stubs on PATH.

const run = promisify(execFile);
const postinstText = readFileSync(fileURLToPath(new URL('../../packaging/deb/postinst', import.meta.url)), 'utf8');
const STUBS = ['getent', 'adduser', 'chown', 'install', 'deb-systemd-helper', 'deb-systemd-invoke', 'systemctl'];

let workDir: string;

afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** Creates releases/<version> with a launcher and VERSION under `root`. */
function addRelease(root: string, version: string): string {
  const folder = join(root, 'releases', version);
  mkdirSync(join(folder, 'bin'), { recursive: true });
  writeFileSync(join(folder, 'bin', 'simtestlab-edge'), '#!/bin/sh\n');
  chmodSync(join(folder, 'bin', 'simtestlab-edge'), 0o755);
  writeFileSync(join(folder, 'VERSION'), `${version}\n`);
  return folder;
}

/** Runs `postinst configure` for package `version` with the root in the work folder; returns its output. */
async function runPostinst(version: string): Promise<string> {
  const stubDir = join(workDir, 'stubs');
  mkdirSync(stubDir, { recursive: true });
  for (const stub of STUBS) {
    writeFileSync(join(stubDir, stub), '#!/bin/sh\nexit 0\n');
    chmodSync(join(stubDir, stub), 0o755);
  }
  mkdirSync(join(workDir, 'etc', 'simtestlab-edge'), { recursive: true });
  mkdirSync(join(workDir, 'usr-bin'), { recursive: true });
  const script = join(workDir, 'postinst');
  writeFileSync(
    script,
    postinstText
      .replaceAll('@VERSION@', version)
      .replaceAll('@ENABLE_UNITS@', '')
      .replaceAll('/usr/bin/simtestlab-edge', join(workDir, 'usr-bin', 'simtestlab-edge'))
      .replaceAll('/opt/simtestlab-edge', join(workDir, 'opt'))
      .replaceAll('/etc/simtestlab-edge', join(workDir, 'etc', 'simtestlab-edge'))
      .replaceAll('/var/lib/simtestlab-edge', join(workDir, 'var')),
  );
  const { stdout } = await run('sh', [script, 'configure'], { env: { ...process.env, PATH: `${stubDir}:${process.env.PATH ?? ''}` } });
  return stdout;
}

describe('package postinst', () => {
  it('keeps a newer release the updater installed', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'postinst-'));
    const root = join(workDir, 'opt');
    addRelease(root, '1.0.0');
    const newer = addRelease(root, '1.2.0');
    new InstallLayout(root).swapCurrent(newer);

    const stdout = await runPostinst('1.0.0');
    expect(readlinkSync(join(root, 'current'))).toBe(newer);
    expect(stdout).toContain('keeping the active release 1.2.0, which is newer than the package\'s 1.0.0');
    expect(readFileSync(join(root, '.package-release'), 'utf8').trim()).toBe('1.0.0');
  });

  it('switches to a newer package release', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'postinst-'));
    const root = join(workDir, 'opt');
    new InstallLayout(root).swapCurrent(addRelease(root, '1.2.0-beta.1'));
    addRelease(root, '1.2.0');

    const stdout = await runPostinst('1.2.0');
    expect(readlinkSync(join(root, 'current'))).toBe(join(root, 'releases', '1.2.0'));
    expect(stdout).toContain('switched the active release from 1.2.0-beta.1 to 1.2.0');
  });

  it('keeps the package release when the updater prunes', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'postinst-'));
    const root = join(workDir, 'opt');
    addRelease(root, '1.0.0');
    await runPostinst('1.0.0');
    const layout = new InstallLayout(root);
    addRelease(root, '1.1.0');
    layout.swapCurrent(addRelease(root, '1.2.0'));

    expect(layout.prune(join(root, 'releases', '1.1.0'))).toEqual([]);
    expect(layout.removeRelease(join(root, 'releases', '1.0.0'))).toBe(false);
  });
});
