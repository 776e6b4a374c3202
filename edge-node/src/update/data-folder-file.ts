import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest file the updater reads from the data folder; the credential and the channel file are far smaller. */
const MAX_DATA_FILE_BYTES = 64 * 1024;

/** Result of reading a file of the edge's data folder: its text and mode bits, or absent. */
export type DataFolderFile = { text: string; mode: number } | null;

/**
 * Reads a file of the edge's data folder, which the service user controls, as root may run the updater.
 * The open does not follow a symlink (O_NOFOLLOW) or block on a FIFO (O_NONBLOCK), and only a regular
 * file is read, so a symlink cannot make root read another file. A hard link to a root file is stopped by
 * the kernel's fs.protected_hardlinks (on in Debian), not here, so errors name the path and never the
 * file's content. Returns null for a missing file.
 */
export function readDataFolderFile(path: string, what: string): DataFolderFile {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new Error(`${what} ${path} is a symlink; the updater reads only regular files there, so replace it with the file itself`);
    throw new Error(`reading ${what} ${path} failed: ${code ?? String(error)}`);
  }
  try {
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) throw new Error(`${what} ${path} is not a regular file; replace it with the file itself`);
    if (stat.size > MAX_DATA_FILE_BYTES) throw new Error(`${what} ${path} has ${stat.size} bytes, more than the ${MAX_DATA_FILE_BYTES} such a file can have; replace it`);
    const buffer = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < buffer.length) {
      const read = readSync(descriptor, buffer, offset, buffer.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return { text: buffer.subarray(0, offset).toString('utf8'), mode: stat.mode & 0o777 };
  } finally {
    closeSync(descriptor);
  }
}
