import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';

/**
 * Packs `folder` into a .tar.gz with GNU tar, as its single top-level folder. Every entry is owned by
 * root (uid 0), so unpacking as root does not hand the files to the build machine's user, and no entry
 * is writable by group or others whatever the build machine's umask, which install.sh checks.
 */
export function buildTarball(options: { folder: string; outFile: string; fastCompression: boolean }): void {
  const gzip = options.fastCompression ? 'gzip -1' : 'gzip -6';
  execFileSync(
    'tar',
    ['--create', `--use-compress-program=${gzip}`, '--owner=0', '--group=0', '--numeric-owner', '--mode=go-w', '--sort=name', '-f', options.outFile, '-C', dirname(options.folder), basename(options.folder)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
