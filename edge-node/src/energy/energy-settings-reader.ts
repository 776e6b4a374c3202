import { defaultSiteEnergySettings, siteEnergySettingsSchema, tariffSchema, type SiteEnergySettings } from '@simtestlab/sync';
import { z } from 'zod';
import type { FileEnergy } from '../config/schema';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';

/** Origin of the settings in use: the hub's `energy_settings` shape, the site file's `energy` section, or neither. */
export type EnergySettingsSource = 'hub' | 'site-file' | 'none';

/** The energy settings the reports use, with the currency of their costs. */
export interface ActiveEnergySettings {
  /** ISO 4217 code of the costs, or null when neither the hub nor the site file names one. */
  currency: string | null;
  settings: SiteEnergySettings;
  source: EnergySettingsSource;
}

interface StoredSettingsRow {
  site_id: string;
  currency: string;
  settings: string;
}

export interface EnergySettingsReaderOptions {
  db: SqliteDatabase;
  /** The site file's `energy` section, for a standalone edge or one whose hub has not synced settings. */
  fileEnergy: FileEnergy | undefined;
  logger: Logger;
}

/** Checks of a synced row beyond the shape's row schema, which accepts any currency text and any settings object. */
const syncedSettingsSchema = z.object({ currency: tariffSchema.shape.currency, settings: siteEnergySettingsSchema });

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
}

/**
 * Reads the site's energy settings at each request. A synced `energy_settings` row wins over the site
 * file. The row's settings are checked against `siteEnergySettingsSchema`, and its currency as an ISO
 * 4217 code, when it is read, because the shape stores any JSON object and any text. A row that fails the check is logged once and skipped, and the reader keeps the last
 * valid synced settings it read in this process. After a restart with an invalid row, nothing valid
 * from the hub is known, so the site file's settings (or the defaults) apply until the hub sends a
 * valid row.
 */
export class EnergySettingsReader {
  private lastValid: { text: string; currency: string; settings: SiteEnergySettings } | undefined;
  /** Currency and settings text of the last rejected row, kept so that a bad row is logged once rather than per request. */
  private lastRejected: string | undefined;

  constructor(private readonly options: EnergySettingsReaderOptions) {}

  /** Returns the settings in use now. */
  current(): ActiveEnergySettings {
    const row = this.options.db
      .prepare<[], StoredSettingsRow>('SELECT site_id, currency, settings FROM cloud_energy_settings ORDER BY site_id LIMIT 1')
      .get();
    if (row !== undefined) this.accept(row);
    else this.lastValid = undefined;

    if (this.lastValid !== undefined) return { currency: this.lastValid.currency, settings: this.lastValid.settings, source: 'hub' };
    const fileEnergy = this.options.fileEnergy;
    if (fileEnergy === undefined) return { currency: null, settings: defaultSiteEnergySettings, source: 'none' };
    const { currency, ...settings } = fileEnergy;
    return { currency: currency ?? null, settings, source: 'site-file' };
  }

  /** Parses a stored row unless it is the one already parsed or rejected, and keeps it when it is valid. */
  private accept(row: StoredSettingsRow): void {
    const text = `${row.currency}\n${row.settings}`;
    if (text === this.lastValid?.text) {
      this.lastRejected = undefined;
      return;
    }
    if (text === this.lastRejected) return;

    const parsed = syncedSettingsSchema.safeParse({ currency: row.currency, settings: JSON.parse(row.settings) as unknown });
    if (parsed.success) {
      this.lastValid = { text, ...parsed.data };
      this.lastRejected = undefined;
      return;
    }
    this.lastRejected = text;
    const problem = describeIssues(parsed.error);
    const fallback = this.fallbackName();
    this.options.logger.warn(
      { site: row.site_id, problem },
      `skipped the synced energy settings of site ${row.site_id}: they are invalid (${problem}); using ${fallback} until a site manager corrects them on the hub`,
    );
  }

  /** Names the settings used while the synced row is invalid, for the log line. */
  private fallbackName(): string {
    if (this.lastValid !== undefined) return 'the last valid synced settings';
    if (this.options.fileEnergy !== undefined) return "the site file's energy section";
    return 'the default settings';
  }
}
