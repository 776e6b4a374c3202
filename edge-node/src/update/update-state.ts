import { chownSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseChannelSchema, type ReleaseChannel } from '@simtestlab/sync';
import { z } from 'zod';

/** File in the data folder that records versions whose update failed. */
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

/** Reads the update state of `dataDir`; a missing file is an empty state. */
export function readUpdateState(dataDir: string): UpdateState {
  const path = join(dataDir, UPDATE_STATE_FILE);
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

/**
 * Records that the update to `version` failed. The file is replaced by rename, and when the updater runs
 * as root it is handed to the data folder's owner, so the edge node's service user can still read it.
 */
export function recordFailedUpdate(dataDir: string, version: string, reason: string, at = new Date()): void {
  const state = readUpdateState(dataDir);
  state.failed = [...state.failed.filter((entry) => entry.version !== version), { version, at: at.toISOString(), reason }];
  const path = join(dataDir, UPDATE_STATE_FILE);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o640 });
  if (process.getuid?.() === 0) {
    const owner = statSync(dataDir);
    chownSync(temporary, owner.uid, owner.gid);
  }
  renameSync(temporary, path);
}

/** Reads the channel from `<data>/update-channel`, or returns stable when the file is missing. */
export function readUpdateChannel(dataDir: string): ReleaseChannel {
  const path = join(dataDir, UPDATE_CHANNEL_FILE);
  if (!existsSync(path)) return 'stable';
  return parseChannel(readFileSync(path, 'utf8').trim(), path);
}

/** Parses a channel name, raising an error that names where it came from. */
export function parseChannel(value: string, source: string): ReleaseChannel {
  const parsed = releaseChannelSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source}: "${value}" is not a release channel; use ${releaseChannelSchema.options.join(' or ')}`);
  return parsed.data;
}
