import { defaultSiteEnergySettings, type SiteEnergySettings } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';
import { parseStoredSettings, readSettingsRow } from '../energy-settings/settings-store';
import type { Logger } from '../logger';

/**
 * Reads a site's energy settings for a report. A site without a stored row gets the defaults (no
 * tariff, no virtual meters). A stored row that the shared schema no longer accepts, after a change of
 * the schema or from an older hub, is logged and replaced by the defaults, so the report still shows
 * energy, without cost.
 */
export async function readReportSettings(tx: TransactionSql, logger: Logger, site: Pick<SiteRef, 'id' | 'organizationId'>): Promise<SiteEnergySettings> {
  const row = await readSettingsRow(tx, site);
  if (row === undefined) return defaultSiteEnergySettings;
  const stored = parseStoredSettings(row.settings);
  if (stored.valid) return stored.settings;
  logger.warn(
    { siteId: site.id, issues: stored.issues },
    'stored energy settings of the site are invalid; the report uses the defaults until a site manager saves them again',
  );
  return defaultSiteEnergySettings;
}
