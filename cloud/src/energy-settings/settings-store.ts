import type postgres from 'postgres';
import { siteEnergySettingsSchema, type SiteEnergySettings } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';

/** A row of site_energy_settings as the queries select it. */
export interface EnergySettingsRow {
  settings: Record<string, unknown>;
  updated_at: Date;
  updated_by: string | null;
}

type SiteKey = Pick<SiteRef, 'id' | 'organizationId'>;

/** Reads the stored settings of a site, or undefined before any were saved; `lock` locks the row until the transaction ends. */
export async function readSettingsRow(tx: TransactionSql, site: SiteKey, options: { lock?: boolean } = {}): Promise<EnergySettingsRow | undefined> {
  const [row] = await tx<EnergySettingsRow[]>`
    SELECT settings, updated_at, updated_by FROM site_energy_settings
    WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}
    ${options.lock === true ? tx`FOR UPDATE` : tx``}`;
  return row;
}

/**
 * Reads the organization's currency. `lock` takes a share lock on the organization row, so the currency
 * cannot change before the transaction that checked tariffs against it commits.
 */
export async function readOrganizationCurrency(tx: TransactionSql, organizationId: string, options: { lock?: boolean } = {}): Promise<string> {
  const [row] = await tx<{ currency: string }[]>`
    SELECT currency FROM organizations WHERE id = ${organizationId} ${options.lock === true ? tx`FOR SHARE` : tx``}`;
  if (!row) throw new Error(`organization ${organizationId} not found although one of its sites is visible: run the query in a scope that contains the organization`);
  return row.currency;
}

/** One reason why the settings schema rejects stored settings, at a path such as `tariffs.0.validFrom`. */
export interface StoredSettingsIssue {
  path: string;
  message: string;
}

/** Stored settings as read back: parsed, or rejected by the settings schema with the first issues. */
export type StoredSettings = { valid: true; settings: SiteEnergySettings } | { valid: false; issues: StoredSettingsIssue[] };

/** Maximum number of issues kept for stored settings that the schema rejects. */
const LISTED_ISSUES = 5;

/** Message shown to a site manager about stored settings that the schema rejects. */
export const INVALID_STORED_SETTINGS_MESSAGE =
  'the stored energy settings of this site do not pass the settings schema (an older hub may have written them), so reports use the ' +
  'defaults: review the settings and save them again';

/**
 * Parses stored settings, filling in defaults the schema gained after they were written. Settings the
 * schema no longer accepts, such as a row an older hub wrote before a limit existed, come back as
 * invalid with the schema's issues, so callers can fall back to the defaults instead of failing.
 */
export function parseStoredSettings(settings: unknown): StoredSettings {
  const result = siteEnergySettingsSchema.safeParse(settings);
  if (result.success) return { valid: true, settings: result.data };
  const issues = result.error.issues.slice(0, LISTED_ISSUES).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return { valid: false, issues };
}

/** Inserts or replaces the settings of a site and returns the stored row. */
export async function upsertSettings(tx: TransactionSql, site: SiteKey, settings: SiteEnergySettings, userId: string | null): Promise<EnergySettingsRow> {
  const [row] = await tx<EnergySettingsRow[]>`
    INSERT INTO site_energy_settings (site_id, organization_id, settings, updated_at, updated_by)
    VALUES (${site.id}, ${site.organizationId}, ${tx.json(settings as postgres.JSONValue)}, now(), ${userId})
    ON CONFLICT (site_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by
    RETURNING settings, updated_at, updated_by`;
  return row!;
}
