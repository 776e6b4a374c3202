import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseChannelSchema, type ReleaseChannel } from '@simtestlab/sync';
import { z } from 'zod';
import { readDataFolderFile } from './data-folder-file';

/**
 * Default state folder of the updater, the update unit's StateDirectory. It is owned by root and only
 * readable by the edge node, so the updater, which runs as root, never writes into the data folder.
 */
export const DEFAULT_UPDATE_STATE_DIR = '/var/lib/simtestlab-edge-update';

/** File in the state folder that records versions whose update failed. */
export const UPDATE_STATE_FILE = 'update-state.json';

/** File in the data folder that names the release channel, one word: stable or beta. */
export const UPDATE_CHANNEL_FILE = 'update-channel';

const updateStateSchema = z.object({
  /** Versions that were rolled back, with when and why; `update apply` skips them without --retry-failed. */
  failed: z.array(z.object({ version: z.string(), at: z.string(), reason: z.string() })).default([]),
});
export type UpdateState = z.infer<typeof updateStateSchema>;
/** A version whose update was rolled back. */
export type FailedUpdate = UpdateState['failed'][number];

/** Reads the update state of `stateDir`; a missing file is an empty state. */
export function readUpdateState(stateDir: string): UpdateState {
  const path = join(stateDir, UPDATE_STATE_FILE);
  if (!existsSync(path)) return { failed: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON; delete it to forget the failed updates`, { cause: error });
  }
  const parsed = updateStateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is invalid: ${parsed.error.issues[0]!.message}; delete it to forget the failed updates`);
  return parsed.data;
}

/** Returns the failure recorded for `version`, if any. */
export function failedUpdate(state: UpdateState, version: string): FailedUpdate | undefined {
  return state.failed.find((entry) => entry.version === version);
}

/** Writes `content` to `path` through a temporary file renamed over it, so a crash leaves the old or the new file. */
export function writeFileAtomically(path: string, content: string, mode = 0o644): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}

/** Records that the update to `version` failed, in the updater's own state folder. */
export function recordFailedUpdate(stateDir: string, version: string, reason: string, at = new Date()): void {
  const state = readUpdateState(stateDir);
  state.failed = [...state.failed.filter((entry) => entry.version !== version), { version, at: at.toISOString(), reason }];
  mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  writeFileAtomically(join(stateDir, UPDATE_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Reads the channel from `<data>/update-channel`, or returns stable when the file is missing. The file
 * belongs to the service user, so it is read without following a symlink and its content is not echoed.
 */
export function readUpdateChannel(dataDir: string): ReleaseChannel {
  const path = join(dataDir, UPDATE_CHANNEL_FILE);
  const file = readDataFolderFile(path, 'channel file');
  if (file === null) return 'stable';
  const parsed = releaseChannelSchema.safeParse(file.text.trim());
  if (!parsed.success) throw new Error(`${path} does not name a release channel; write ${releaseChannelSchema.options.join(' or ')} into it`);
  return parsed.data;
}

/** Parses a channel name, raising an error that names where it came from. */
export function parseChannel(value: string, source: string): ReleaseChannel {
  const parsed = releaseChannelSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source}: "${value}" is not a release channel; use ${releaseChannelSchema.options.join(' or ')}`);
  return parsed.data;
}
