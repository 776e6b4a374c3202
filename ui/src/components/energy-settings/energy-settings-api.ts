import { siteEnergySettingsSchema, type SiteEnergySettings } from '@simtestlab/sync';
import type { Client } from 'openapi-fetch';
import { z } from 'zod';
import { ApiError, apiErrorFrom } from '../../api/api-error';
import type { paths as CloudPaths } from '../../api/generated/cloud-api';
import { unwrap } from '../../api/http';

/** A meter of the site that a virtual meter's formula may name. */
export const settingsMeterSchema = z.object({
  /** `device.point`. */
  id: z.string(),
  name: z.string().nullable(),
  unit: z.string(),
  kind: z.string(),
  role: z.string().nullable(),
  nodeId: z.string().nullable(),
});
export type SettingsMeter = z.infer<typeof settingsMeterSchema>;

/** Body of `GET /api/sites/{siteId}/energy-settings`. */
export const energySettingsResponseSchema = z.object({
  /** The organization's ISO 4217 code, in which every tariff is priced. */
  currency: z.string(),
  settings: siteEnergySettingsSchema,
  /** ISO 8601 time of the last save; null before the first. */
  updatedAt: z.string().nullable(),
  /** The user who saved last, or null. */
  updatedBy: z.string().nullable(),
  meters: z.array(settingsMeterSchema),
  /** Reason the stored settings no longer parse, when `settings` are the defaults instead; null when they parse. */
  invalidStoredSettings: z.object({ message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) }).nullable(),
});
export type EnergySettingsResponse = z.infer<typeof energySettingsResponseSchema>;

/** Loads a site's energy settings, its organization's currency and the meters formulas may name. */
export async function loadEnergySettings(cloud: Client<CloudPaths>, siteId: string): Promise<EnergySettingsResponse> {
  const body = await unwrap(cloud.GET('/api/sites/{siteId}/energy-settings', { params: { path: { siteId } } }));
  return energySettingsResponseSchema.parse(body);
}

const issuesSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * A rejected save. Besides the first problem in `parameter` and `message`, a 422 of the hub lists every
 * problem of the same kind in `issues`, each with its field path.
 */
export class SettingsSaveError extends ApiError {
  constructor(
    error: ApiError,
    readonly issues: { path: string; message: string }[],
  ) {
    super(error.status, error.code, error.message, error.parameter, error.retryAfterS);
    this.name = 'SettingsSaveError';
  }
}

/** Saves a site's energy settings; a rejected save throws a `SettingsSaveError` naming the fields. */
export async function saveEnergySettings(cloud: Client<CloudPaths>, siteId: string, settings: SiteEnergySettings): Promise<void> {
  const { error, response } = await cloud.PUT('/api/sites/{siteId}/energy-settings', { params: { path: { siteId } }, body: settings });
  if (response.ok) return;
  const issues = issuesSchema.safeParse((error as { error?: { issues?: unknown } } | undefined)?.error?.issues);
  throw new SettingsSaveError(apiErrorFrom(response, error), issues.success ? issues.data : []);
}
