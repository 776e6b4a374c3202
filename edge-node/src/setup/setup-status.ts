import type { CloudPairing } from '../api/routes/instance';
import type { SiteConfig } from '../config/schema';
import type { SqliteDatabase } from '../store/database';
import type { SetupSite } from './site-file';

/** Path of the setup wizard in the web app. */
export const SETUP_PAGE_PATH = '/setup';

/** Progress of the setup as `GET /api/setup/status` returns it. */
export interface SetupStatus {
  state: 'setup' | 'complete';
  steps: { admin: boolean; site: SetupSite | null; devices: number };
  setupUrl: string;
}

/** Returns whether the edge database has a local account, which is what the admin step creates. */
export function localAdminExists(db: SqliteDatabase): boolean {
  return db.prepare<[], { count: number }>('SELECT count(*) AS count FROM local_accounts').get()!.count > 0;
}

/** Status of a node that runs a site file: setup is complete, and the steps describe the running site. */
export function completedSetupStatus(config: SiteConfig, pairing: CloudPairing, db: SqliteDatabase): SetupStatus {
  const { site } = config;
  const setupSite: SetupSite = pairing.paired
    ? { mode: 'paired', siteId: site.id, siteName: site.name, timeZone: site.timeZone, ...(pairing.url === null ? {} : { cloudUrl: pairing.url }) }
    : { mode: 'standalone', siteId: site.id, siteName: site.name, timeZone: site.timeZone };
  return { state: 'complete', steps: { admin: localAdminExists(db), site: setupSite, devices: config.devices.length }, setupUrl: SETUP_PAGE_PATH };
}
