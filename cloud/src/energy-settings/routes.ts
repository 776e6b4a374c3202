import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { defaultSiteEnergySettings, type SiteEnergySettings } from '@simtestlab/sync';
import { requireSite, type SiteRef } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorBodySchema, errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import type { TransactionSql } from '../db/connect';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { readSiteMeters, type SiteMeter } from './meter-catalog';
import { energySettingsModelSchema, energySettingsResponseSchema } from './schemas';
import { AUDITED_SETTINGS_FIELDS, changedSettings, energySettingsAuditState } from './settings-audit';
import {
  INVALID_STORED_SETTINGS_MESSAGE,
  parseStoredSettings,
  readOrganizationCurrency,
  readSettingsRow,
  upsertSettings,
  type EnergySettingsRow,
  type StoredSettings,
  type StoredSettingsIssue,
} from './settings-store';
import { checkSettingsForSite } from './settings-validation';

const siteParams = z.object({ siteId: idParam('siteId') });
const recordContent = { 'application/json': { schema: energySettingsResponseSchema } };

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/energy-settings',
  tags: ['energy'],
  summary: "Read a site's energy settings and the meters its virtual meters may use",
  description:
    'Returns the defaults (no tariff, no virtual meter, no emission factor, night window 0 to 5 h) while the site has no saved settings. ' +
    'Stored settings that no longer pass the settings schema also return the defaults, with `invalidStoredSettings` saying why; ' +
    'reports use the defaults until a site manager saves the settings again.',
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'The settings', content: recordContent }, ...errorResponses(401, 404) },
});

const putSettingsRoute = createRoute({
  method: 'put',
  path: '/api/sites/{siteId}/energy-settings',
  tags: ['energy'],
  summary: "Replace a site's energy settings (site managers and up)",
  description:
    "Every tariff must be priced in the organization's currency and follow the site's time zone. Virtual meter formulas may use the " +
    'power and energy points listed in `meters` and other virtual meters of the same settings. The edge receives the saved settings ' +
    'in the energy_settings shape. A request that changes nothing writes no audit entry.',
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: energySettingsModelSchema } } } },
  responses: {
    200: { description: 'The saved settings', content: recordContent },
    ...errorResponses(400, 401, 403, 404),
    422: {
      description:
        '`currency_mismatch`, `time_zone_mismatch` or `invalid_virtual_meter` (unknown meter, unit mismatch, cycle); `parameter` names the field, such as `virtualMeters[0].formula`',
      content: { 'application/json': { schema: errorBodySchema } },
    },
  },
});

/** Builds the response of both routes. `invalidIssues` lists why the stored settings were replaced by the defaults. */
function settingsRecord(
  site: SiteRef,
  currency: string,
  settings: SiteEnergySettings,
  row: EnergySettingsRow | undefined,
  meters: SiteMeter[],
  invalidIssues: StoredSettingsIssue[] | null = null,
) {
  return {
    siteId: site.id,
    currency,
    settings,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ?? null,
    invalidStoredSettings: invalidIssues === null ? null : { message: INVALID_STORED_SETTINGS_MESSAGE, issues: invalidIssues },
    meters,
  };
}

/**
 * Reads the site's name and time zone. The share lock keeps the time zone from changing before the
 * transaction that checked the tariffs against it commits, as the site PATCH locks the row to change it.
 */
async function readSiteDetails(tx: TransactionSql, site: SiteRef): Promise<{ name: string; timeZone: string }> {
  const [row] = await tx<{ name: string; time_zone: string }[]>`
    SELECT name, time_zone FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId} FOR SHARE`;
  return { name: row!.name, timeZone: row!.time_zone };
}

/** Returns the audited state of the settings a PUT replaces: the stored row as is when the schema rejects it. */
function auditedBefore(before: StoredSettings | null, existing: EnergySettingsRow | undefined) {
  if (before === null) return null;
  if (before.valid) return energySettingsAuditState(before.settings);
  return { invalid: true, issues: before.issues, stored: existing?.settings ?? null };
}

/** Registers the routes that read and replace a site's energy settings. */
export function registerEnergySettingsRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(getSettingsRoute, async (c) => {
    const { caller, logger } = c.var;
    const { siteId } = c.req.valid('param');
    const record = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      const row = await readSettingsRow(tx, site);
      const stored = row === undefined ? null : parseStoredSettings(row.settings);
      const currency = await readOrganizationCurrency(tx, site.organizationId);
      const meters = await readSiteMeters(tx, site);
      if (stored === null || stored.valid) return settingsRecord(site, currency, stored?.settings ?? defaultSiteEnergySettings, row, meters);

      logger.warn({ siteId: site.id, issues: stored.issues }, 'stored energy settings of the site are invalid; returning the defaults');
      return settingsRecord(site, currency, defaultSiteEnergySettings, row, meters, stored.issues);
    });
    return c.json(record, 200);
  });

  app.openapi(putSettingsRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const settings = c.req.valid('json');
    const { saved, record } = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const currency = await readOrganizationCurrency(tx, site.organizationId, { lock: true });
      const details = await readSiteDetails(tx, site);
      const meters = await readSiteMeters(tx, site);
      checkSettingsForSite(settings, { siteName: details.name, siteTimeZone: details.timeZone, organizationCurrency: currency, meters });

      const existing = await readSettingsRow(tx, site, { lock: true });
      const before = existing === undefined ? null : parseStoredSettings(existing.settings);
      // Stored settings that the schema rejects are replaced as a whole, and audited as stored.
      const changed = before?.valid === false ? [...AUDITED_SETTINGS_FIELDS] : changedSettings(before?.settings ?? defaultSiteEnergySettings, settings);
      if (existing !== undefined && before?.valid === true && changed.length === 0) {
        return { saved: false, record: settingsRecord(site, currency, before.settings, existing, meters) };
      }

      const stored = await upsertSettings(tx, site, settings, caller.userId);
      await audit({
        action: 'energy_settings.update',
        targetType: 'site',
        targetId: site.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: auditedBefore(before, existing),
        after: { ...energySettingsAuditState(settings), changed },
      });
      return { saved: true, record: settingsRecord(site, currency, settings, stored, meters) };
    });
    if (saved) c.var.logger.info({ siteId, userId: caller.userId }, 'energy settings saved');
    return c.json(record, 200);
  });
}
