import type { EffectiveRole } from '@simtestlab/sync';

/** A row of the sites table as the queries select it. */
export interface SiteRow {
  id: string;
  organization_id: string;
  name: string;
  time_zone: string;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  operator_control: boolean;
  created_at: Date;
  updated_at: Date;
}

export const SITE_COLUMNS = ['id', 'organization_id', 'name', 'time_zone', 'latitude', 'longitude', 'address', 'operator_control', 'created_at', 'updated_at'];

/** Converts a site row to its API shape, with the caller's role there. */
export function toSite(row: SiteRow, role: EffectiveRole) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    timeZone: row.time_zone,
    latitude: row.latitude,
    longitude: row.longitude,
    address: row.address,
    operatorControl: row.operator_control,
    role,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the audited state of a site: its settings, without timestamps or the caller's role. */
export function siteAuditState(row: SiteRow) {
  return {
    name: row.name,
    timeZone: row.time_zone,
    latitude: row.latitude,
    longitude: row.longitude,
    address: row.address,
    operatorControl: row.operator_control,
  };
}
