import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { SiteFileDevice } from './setup-devices';

/** The site chosen in setup: from the hub when paired, typed in when standalone. */
export interface SetupSite {
  mode: 'paired' | 'standalone';
  siteId: string;
  siteName: string;
  timeZone: string;
  /** Hub origin; present when paired. */
  cloudUrl?: string;
}

/** Site file document of a setup: the site and the chosen devices; every other section keeps its default. */
export function buildSiteDocument(site: SetupSite, devices: readonly SiteFileDevice[]): Record<string, unknown> {
  return { site: { id: site.siteId, name: site.siteName, timeZone: site.timeZone }, devices };
}

function fileText(site: SetupSite, document: Record<string, unknown>): string {
  const origin =
    site.mode === 'paired'
      ? `# Written by the setup page of this edge node, paired with the hub at ${site.cloudUrl}.\n`
      : '# Written by the setup page of this edge node for a standalone site.\n';
  return `${origin}# To change the site or its devices, edit this file and restart the service.\n${stringify(document)}`;
}

/**
 * Writes the site file atomically: a flushed temporary file in the same folder replaces `path` in one
 * rename, so a power cut leaves no half-written file that would keep the node out of setup mode.
 */
export function writeSiteFile(path: string, site: SetupSite, document: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const descriptor = openSync(temporary, 'wx', 0o640);
  try {
    try {
      writeSync(descriptor, fileText(site, document));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
