import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { SiteFileDevice } from './setup-devices';
import type { SetupSite } from './site-file';

/**
 * The choices of an unfinished setup, kept in `<data>/setup-progress.json` so a restart (a power cut
 * during commissioning) keeps the standalone site, the devices and which account this setup created.
 * The admin's password lives only as its hash in the database; a paired site is read back from the
 * cloud credential instead. The file is deleted when setup finishes.
 */

export const SETUP_PROGRESS_FILE_NAME = 'setup-progress.json';

export interface SetupProgress {
  /** Id of the local account this setup created, which a repeated admin step replaces. */
  adminAccountId: string | null;
  site: SetupSite | null;
  devices: SiteFileDevice[];
}

const progressSchema = z.object({
  adminAccountId: z.string().nullable(),
  site: z
    .object({
      mode: z.enum(['paired', 'standalone']),
      siteId: z.string(),
      siteName: z.string(),
      timeZone: z.string(),
      cloudUrl: z.string().optional(),
    })
    .nullable(),
  devices: z.array(z.record(z.string(), z.unknown())),
});

const emptyProgress: SetupProgress = { adminAccountId: null, site: null, devices: [] };

function progressPath(dataDir: string): string {
  return join(dataDir, SETUP_PROGRESS_FILE_NAME);
}

/** Reads the stored progress. A missing file starts afresh; an unreadable one is logged and ignored. */
export function loadSetupProgress(dataDir: string, logger: Logger): SetupProgress {
  const path = progressPath(dataDir);
  if (!existsSync(path)) return { ...emptyProgress };
  try {
    const parsed = progressSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    return { ...parsed, devices: parsed.devices as SiteFileDevice[] };
  } catch (error) {
    logger.warn({ err: error, path }, 'setup progress file is invalid; starting setup afresh');
    return { ...emptyProgress };
  }
}

/** Stores the progress atomically: a temporary file replaces the old one in one rename, so a power cut leaves either. */
export function saveSetupProgress(dataDir: string, progress: SetupProgress): void {
  const path = progressPath(dataDir);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600, flush: true });
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function deleteSetupProgress(dataDir: string): void {
  rmSync(progressPath(dataDir), { force: true });
}
