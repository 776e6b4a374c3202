import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// Runs the package's postrm against a temporary root: its system paths point into a temporary folder,
// and the unit helpers are stubs on PATH.

const run = promisify(execFile);
const postrmText = readFileSync(fileURLToPath(new URL('../../packaging/deb/postrm', import.meta.url)), 'utf8');

let workDir: string;

afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** Returns the folders the package and the updater leave behind, below the work folder. */
function installedPaths(): Record<string, string> {
  return {
    config: join(workDir, 'etc', 'simtestlab-edge'),
    data: join(workDir, 'var', 'simtestlab-edge'),
    updaterState: join(workDir, 'var', 'simtestlab-edge-update'),
    releases: join(workDir, 'opt', 'releases'),
  };
}

async function runPostrm(action: 'remove' | 'purge'): Promise<void> {
  const stubDir = join(workDir, 'stubs');
  mkdirSync(stubDir, { recursive: true });
  for (const stub of ['deb-systemd-helper', 'systemctl']) {
    writeFileSync(join(stubDir, stub), '#!/bin/sh\nexit 0\n');
    chmodSync(join(stubDir, stub), 0o755);
  }
  for (const folder of Object.values(installedPaths())) mkdirSync(folder, { recursive: true });
  writeFileSync(join(workDir, 'var', 'simtestlab-edge-update', 'update-state.json'), '{}');
  symlinkSync(join(workDir, 'opt', 'releases'), join(workDir, 'opt', 'current'));
  const script = join(workDir, 'postrm');
  writeFileSync(
    script,
    postrmText
      .replaceAll('@ENABLE_UNITS@', 'simtestlab-edge.service')
      .replaceAll('/usr/bin/simtestlab-edge', join(workDir, 'usr-bin-simtestlab-edge'))
      .replaceAll('/opt/simtestlab-edge', join(workDir, 'opt'))
      .replaceAll('/etc/simtestlab-edge', join(workDir, 'etc', 'simtestlab-edge'))
      .replaceAll('/var/lib/simtestlab-edge', join(workDir, 'var', 'simtestlab-edge')),
  );
  await run('sh', [script, action], { env: { ...process.env, PATH: `${stubDir}:${process.env.PATH ?? ''}` } });
}

describe('package postrm', () => {
  it('keeps the config, the data and the updater state on remove', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'postrm-'));
    await runPostrm('remove');
    for (const [name, folder] of Object.entries(installedPaths())) expect({ name, exists: existsSync(folder) }).toEqual({ name, exists: true });
    expect(existsSync(join(workDir, 'opt', 'current'))).toBe(false);
  });

  it('deletes them all on purge, the updater state included', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'postrm-'));
    await runPostrm('purge');
    for (const [name, folder] of Object.entries(installedPaths())) expect({ name, exists: existsSync(folder) }).toEqual({ name, exists: false });
  });
});
