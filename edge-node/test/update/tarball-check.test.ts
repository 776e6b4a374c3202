import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReleaseTarball } from '../../src/update/tarball-check';

const execFileAsync = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'tarball-check-'));
let count = 0;

/** Builds a tarball of what `fill` puts into a fresh staging folder, with `tar -czf` over `entries`. */
async function tarballOf(fill: (staging: string) => void | Promise<void>, entries = ['release']): Promise<string> {
  const staging = join(workDir, `staging-${++count}`);
  mkdirSync(join(staging, 'release', 'bin'), { recursive: true });
  writeFileSync(join(staging, 'release', 'VERSION'), '1.0.0\n');
  await fill(staging);
  const tarball = join(workDir, `release-${count}.tar.gz`);
  await execFileAsync('tar', ['-czf', tarball, '-C', staging, ...entries]);
  return tarball;
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('release tarball check', () => {
  it('accepts one folder with files and inner links', async () => {
    const tarball = await tarballOf((staging) => symlinkSync('../VERSION', join(staging, 'release', 'bin', 'version-link')));
    expect(await checkReleaseTarball(tarball, '1.0.0')).toBe('release');
  });

  it('rejects two top-level entries', async () => {
    const tarball = await tarballOf((staging) => writeFileSync(join(staging, 'extra'), 'x'), ['release', 'extra']);
    await expect(checkReleaseTarball(tarball, '1.0.0')).rejects.toThrow('has 2 top-level entries (release, extra), expected one folder');
  });

  it('rejects a link out of the release', async () => {
    const tarball = await tarballOf((staging) => symlinkSync('../../../etc/shadow', join(staging, 'release', 'bin', 'escape')));
    await expect(checkReleaseTarball(tarball, '1.0.0')).rejects.toThrow('contains the link "release/bin/escape" to "../../../etc/shadow" outside the release');
  });

  it('rejects an absolute link', async () => {
    const tarball = await tarballOf((staging) => symlinkSync('/etc/shadow', join(staging, 'release', 'shadow')));
    await expect(checkReleaseTarball(tarball, '1.0.0')).rejects.toThrow('to "/etc/shadow" outside the release');
  });

  it('rejects an entry below a link', async () => {
    const tarball = await tarballOf((staging) => {
      symlinkSync('.', join(staging, 'release', 'same'));
      mkdirSync(join(staging, 'extra'));
      writeFileSync(join(staging, 'extra', 'file'), 'x');
    });
    // tar stores release/same as a link; a second archive entry below it is added by name.
    const withEntry = join(workDir, `below-link-${count}.tar`);
    await execFileAsync('sh', ['-c', `gzip -dc ${tarball} > ${withEntry} && tar -rf ${withEntry} -C ${join(workDir, `staging-${count}`, 'extra')} --transform s,^,release/same/, file && gzip -f ${withEntry}`]);
    await expect(checkReleaseTarball(`${withEntry}.gz`, '1.0.0')).rejects.toThrow('contains "release/same/file" below the link "release/same"');
  });

  it('rejects a FIFO', async () => {
    const tarball = await tarballOf((staging) => execFileAsync('mkfifo', [join(staging, 'release', 'pipe')]).then(() => undefined));
    await expect(checkReleaseTarball(tarball, '1.0.0')).rejects.toThrow('contains "release/pipe" of type "p"');
  });

  it('rejects a setuid file', async () => {
    const tarball = await tarballOf((staging) => {
      const file = join(staging, 'release', 'bin', 'tool');
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o4755);
    });
    await expect(checkReleaseTarball(tarball, '1.0.0')).rejects.toThrow('contains "release/bin/tool" with the setuid or setgid bit');
  });
});
