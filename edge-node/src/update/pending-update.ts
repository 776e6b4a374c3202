import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { releaseChannelSchema } from '@simtestlab/sync';
import { z } from 'zod';
import { writeFileAtomically } from './update-state';

/** File in the updater's state folder that exists from just before the swap until the update is finished or rolled back. */
export const PENDING_UPDATE_FILE = 'pending-update.json';

const pendingUpdateSchema = z.object({
  /** Release folder `current` pointed at before the swap, absolute, or null on a node without one. */
  previous: z.string().nullable(),
  /** Release folder of the new version, absolute. */
  next: z.string(),
  from: z.string(),
  to: z.string(),
  channel: releaseChannelSchema,
  /** Database schema version the previous release uses, which selects the snapshot a rollback restores. */
  schemaVersion: z.number().int().nonnegative(),
  /** Key that verified the release manifest. */
  keyId: z.string().nullable().default(null),
  startedAt: z.string(),
});
/** An update whose new release was switched to but not yet confirmed healthy. */
export type PendingUpdate = z.infer<typeof pendingUpdateSchema>;

/** Writes the pending marker; call it before `current` changes. */
export function writePendingUpdate(stateDir: string, pending: z.input<typeof pendingUpdateSchema>): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  writeFileAtomically(join(stateDir, PENDING_UPDATE_FILE), `${JSON.stringify(pending, null, 2)}\n`);
}

/** Reads the pending marker of `stateDir`, or null when no update is pending. */
export function readPendingUpdate(stateDir: string): PendingUpdate | null {
  const path = join(stateDir, PENDING_UPDATE_FILE);
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON; check which release current should point at, then delete the file`, { cause: error });
  }
  const parsed = pendingUpdateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is invalid: ${parsed.error.issues[0]!.message}; check which release current should point at, then delete the file`);
  return parsed.data;
}

/** Removes the pending marker once the update is finished or rolled back. */
export function clearPendingUpdate(stateDir: string): void {
  rmSync(join(stateDir, PENDING_UPDATE_FILE), { force: true });
}
