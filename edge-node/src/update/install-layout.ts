import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isSemver } from '@simtestlab/sync';
import { checkReleaseTarball } from './tarball-check';
import { UpdateRejectedError } from './update-errors';

const execFileAsync = promisify(execFile);

/** Default install root of the edge package: releases/<version>/ and the `current` symlink. */
export const DEFAULT_INSTALL_ROOT = '/opt/simtestlab-edge';

/**
 * File in the install root that names the release the Debian package installed. dpkg owns that folder,
 * so the updater never deletes it.
 */
export const PACKAGE_RELEASE_FILE = '.package-release';

/** Paths of an install root. */
export class InstallLayout {
  readonly root: string;

  /** `root` is resolved to an absolute path, because `current` and the pending marker store absolute targets. */
  constructor(root: string) {
    this.root = resolve(root);
  }

  get releasesDir(): string {
    return join(this.root, 'releases');
  }

  get currentLink(): string {
    return join(this.root, 'current');
  }

  releaseDir(version: string): string {
    return join(this.releasesDir, version);
  }

  /** Returns the folder `current` points at, absolute, or null when there is no `current` link. */
  currentTarget(): string | null {
    try {
      return resolve(this.root, readlinkSync(this.currentLink));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Returns the version of the active release from its VERSION file, or null without an active release. */
  currentVersion(): string | null {
    const target = this.currentTarget();
    if (target === null) return null;
    const versionFile = join(target, 'VERSION');
    if (!existsSync(versionFile)) return null;
    return readFileSync(versionFile, 'utf8').trim();
  }

  /**
   * Points `current` at `target` in one step: a new symlink under a temporary name replaces the old one
   * by rename, so `current` always names a complete release, even across a crash.
   */
  swapCurrent(target: string): void {
    const temporary = join(this.root, `.current-${randomBytes(6).toString('hex')}`);
    symlinkSync(target, temporary);
    try {
      renameSync(temporary, this.currentLink);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Unpacks a release tarball into `releases/<version>.partial`, checks that it is the expected release,
   * and renames it to `releases/<version>`. The tarball contains one top-level folder, which is stripped.
   */
  async unpack(tarball: string, version: string): Promise<string> {
    mkdirSync(this.releasesDir, { recursive: true });
    const partial = `${this.releaseDir(version)}.partial`;
    const final = this.releaseDir(version);
    rmSync(partial, { recursive: true, force: true });
    await checkReleaseTarball(tarball, version);
    mkdirSync(partial);
    try {
      await execFileAsync('tar', ['-xzf', tarball, '-C', partial, '--strip-components=1', '--no-same-owner', '--no-same-permissions']);
      const launcher = join(partial, 'bin', 'simtestlab-edge');
      if (!existsSync(launcher)) throw new UpdateRejectedError(`the tarball of release ${version} has no bin/simtestlab-edge; rejecting it`);
      const unpackedVersion = existsSync(join(partial, 'VERSION')) ? readFileSync(join(partial, 'VERSION'), 'utf8').trim() : null;
      if (unpackedVersion !== version) {
        throw new UpdateRejectedError(`the tarball of release ${version} contains VERSION ${unpackedVersion ?? '(missing)'}; rejecting it`);
      }
      // A folder of this version from an earlier attempt is replaced, unless it is the active one.
      if (existsSync(final)) {
        if (this.currentTarget() === resolve(final)) throw new UpdateRejectedError(`release ${version} is already the active release`);
        rmSync(final, { recursive: true, force: true });
      }
      renameSync(partial, final);
      return final;
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw error;
    }
  }

  /** Returns the release folder the Debian package installed, from the file its postinst writes, or null. */
  packageRelease(): string | null {
    const marker = join(this.root, PACKAGE_RELEASE_FILE);
    if (!existsSync(marker)) return null;
    const version = readFileSync(marker, 'utf8').trim();
    return version === '' ? null : this.releaseDir(version);
  }

  /**
   * Deletes every release folder but the active one, `previous` (the release it replaced, which stays
   * for a rollback), the folders in `alsoKept` and the folder dpkg owns. Also removes leftover `.partial`
   * folders. Returns the names removed.
   */
  prune(previous: string | null, alsoKept: readonly string[] = []): string[] {
    if (!existsSync(this.releasesDir)) return [];
    const kept = new Set([this.currentTarget(), previous === null ? null : resolve(previous), this.packageRelease(), ...alsoKept.map((path) => resolve(path))]);
    const removed: string[] = [];
    for (const entry of readdirSync(this.releasesDir)) {
      const path = join(this.releasesDir, entry);
      if (kept.has(resolve(path))) continue;
      if (!entry.endsWith('.partial') && !isSemver(entry)) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(entry);
    }
    return removed.sort();
  }

  /**
   * Deletes one release folder after a rollback, unless it is active or dpkg owns it. Returns whether it
   * was deleted.
   */
  removeRelease(folder: string): boolean {
    const path = resolve(folder);
    if (path === this.currentTarget() || path === this.packageRelease() || !path.startsWith(`${this.releasesDir}/`)) return false;
    rmSync(path, { recursive: true, force: true });
    return true;
  }

  /** Deletes downloads, unpacked `.partial` folders and temporary links that a killed updater left behind. Returns their names. */
  removeLeftovers(): string[] {
    const removed: string[] = [];
    for (const entry of existsSync(this.root) ? readdirSync(this.root) : []) {
      if (!entry.startsWith('.download-') && !entry.startsWith('.current-')) continue;
      rmSync(join(this.root, entry), { recursive: true, force: true });
      removed.push(entry);
    }
    for (const entry of existsSync(this.releasesDir) ? readdirSync(this.releasesDir) : []) {
      if (!entry.endsWith('.partial')) continue;
      rmSync(join(this.releasesDir, entry), { recursive: true, force: true });
      removed.push(join('releases', entry));
    }
    return removed.sort();
  }

  /** Returns a fresh path for a download inside the install root, so the unpacked files stay on its file system. */
  temporaryDownloadPath(file: string): string {
    return join(this.root, `.download-${randomBytes(6).toString('hex')}-${basename(file)}`);
  }
}
