import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { UpdateRejectedError } from './update-errors';

const execFileAsync = promisify(execFile);

/** Largest listing `tar -tvzf` may print; a release has a few thousand entries. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** One entry of `tar -tvzf`: its type letter, mode string, path and, for links, the target. */
interface TarEntry {
  type: string;
  mode: string;
  path: string;
  linkTarget: string | null;
}

/** Parses one line of GNU tar's verbose listing: mode, owner, size, date, time, name [-> target | link to target]. */
function parseListingLine(line: string): TarEntry {
  const match = /^(\S{10})\s+\S+\s+\d+(?:,\s*\d+)?\s+\S+\s+\S+\s(.*)$/.exec(line);
  if (match === null) throw new UpdateRejectedError(`cannot read the tarball listing line "${line}"; rejecting it`);
  const mode = match[1]!;
  const type = mode[0]!;
  let path = match[2]!;
  let linkTarget: string | null = null;
  let separator: string | null = null;
  if (type === 'l') separator = ' -> ';
  if (type === 'h') separator = ' link to ';
  if (separator !== null) {
    const at = path.indexOf(separator);
    if (at < 0) throw new UpdateRejectedError(`cannot read the link target in the tarball listing line "${line}"; rejecting it`);
    linkTarget = path.slice(at + separator.length);
    path = path.slice(0, at);
  }
  return { type, mode, path, linkTarget };
}

/** Normalizes an archive path without its leading `./`, rejecting absolute paths and `..`. */
function archivePath(path: string, release: string): string {
  const normalized = posix.normalize(path.replace(/^(\.\/)+/, ''));
  if (posix.isAbsolute(path) || normalized === '..' || normalized.startsWith('../')) {
    throw new UpdateRejectedError(`the tarball of release ${release} contains the path "${path}" outside its folder; rejecting it`);
  }
  return normalized.replace(/\/$/, '');
}

/** Checks one entry's type and mode bits. */
function checkEntry(entry: TarEntry, release: string): void {
  if (!['-', 'd', 'l', 'h'].includes(entry.type)) {
    throw new UpdateRejectedError(`the tarball of release ${release} contains "${entry.path}" of type "${entry.type}", a device, FIFO or other special file; rejecting it`);
  }
  if (/[sS]/.test(entry.mode[3]!) || /[sS]/.test(entry.mode[6]!)) {
    throw new UpdateRejectedError(`the tarball of release ${release} contains "${entry.path}" with the setuid or setgid bit; rejecting it`);
  }
}

/**
 * Lists a release tarball with `tar -tvzf` and rejects it unless every entry is a plain file, folder or
 * link in one top-level folder: no devices or FIFOs, no setuid or setgid bits, no absolute or `..` paths,
 * and no link that points outside that folder. Returns the name of the top-level folder.
 */
export async function checkReleaseTarball(tarball: string, release: string): Promise<string> {
  const { stdout } = await execFileAsync('tar', ['-tvzf', tarball], { maxBuffer: MAX_LISTING_BYTES, env: { ...process.env, LC_ALL: 'C' } });
  const topLevel = new Set<string>();
  const links = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseListingLine(line);
    checkEntry(entry, release);
    const path = archivePath(entry.path, release);
    topLevel.add(path.split('/')[0]!);
    // A link target is checked as if every folder above it were a real folder, so no entry may sit below a link.
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const parent = parts.slice(0, depth).join('/');
      if (links.has(parent)) throw new UpdateRejectedError(`the tarball of release ${release} contains "${entry.path}" below the link "${parent}"; rejecting it`);
    }
    if (entry.type === 'l') links.add(path);
    if (entry.type === 'h') archivePath(entry.linkTarget!, release);
    if (entry.type === 'l') {
      const target = entry.linkTarget!;
      const resolved = posix.normalize(posix.join(posix.dirname(path), target));
      const top = path.split('/')[0]!;
      if (posix.isAbsolute(target) || !(resolved === top || resolved.startsWith(`${top}/`))) {
        throw new UpdateRejectedError(`the tarball of release ${release} contains the link "${entry.path}" to "${target}" outside the release; rejecting it`);
      }
    }
  }
  if (topLevel.size !== 1) {
    throw new UpdateRejectedError(`the tarball of release ${release} has ${topLevel.size} top-level entries (${[...topLevel].slice(0, 5).join(', ')}), expected one folder; rejecting it`);
  }
  return [...topLevel][0]!;
}
