import { isAllowed, type Action, type EffectiveRole } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import { forbidden, notFound, type HttpError } from '../api/http-error';
import type { Caller } from './caller';

/** A site as the access checks see it. */
export interface SiteRef {
  id: string;
  organizationId: string;
  operatorControl: boolean;
  /** The caller's effective role there. */
  role: EffectiveRole;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks whether `id` is a UUID. Anything else cannot name a row, so callers treat it as not found. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}

/**
 * Loads a site the caller may take `action` at. A site of another organization, or one of the caller's
 * own organization without access, is not found (404). A site the caller sees but may not do this at is
 * forbidden (403).
 */
export async function requireSite(
  tx: TransactionSql,
  caller: Caller,
  siteId: string,
  action: Action,
  missing: HttpError = notFound('site', siteId),
): Promise<SiteRef> {
  if (!isUuid(siteId)) throw missing;
  const [site] = await tx<{ id: string; organization_id: string; operator_control: boolean }[]>`
    SELECT id, organization_id, operator_control FROM sites
    WHERE id = ${siteId} ${organizationFilter(tx, caller, 'organization_id')}`;
  const role = site ? caller.siteRole(site.id, site.organization_id) : null;
  if (!site || role === null) throw missing;
  if (!isAllowed({ role, developer: caller.permissions.developer }, action, { operatorControl: site.operator_control })) {
    throw forbidden(`your role at site ${siteId} (${role}) does not allow ${action}`);
  }
  return { id: site.id, organizationId: site.organization_id, operatorControl: site.operator_control, role };
}

/**
 * Checks that the caller belongs to the organization (404 otherwise) and may take `action` there
 * (403 otherwise). `dashboard.view` stands for reading the organization itself, which every member may.
 */
export function requireOrganization(caller: Caller, organizationId: string, action: Action): void {
  if (!isUuid(organizationId) || !caller.seesOrganization(organizationId)) throw notFound('organization', organizationId);
  if (action === 'dashboard.view') return;
  if (!isAllowed(caller.organizationPrincipal(organizationId), action)) {
    throw forbidden(`your role in organization ${organizationId} does not allow ${action}`);
  }
}

/**
 * Builds the organization filter every tenant query carries, in addition to row-level security: nothing
 * for platform admins, else the caller's organizations.
 */
export function organizationFilter(tx: TransactionSql, caller: Caller, column: string) {
  if (caller.scope.all) return tx``;
  return tx`AND ${tx(column)} = ANY(${tx.array([...caller.scope.organizationIds], 2950)})`;
}

/** Tables of rows that belong to one site, with the resource name their 404 uses. */
const siteOwnedTables = { devices: 'device', edge_nodes: 'edge node', site_nodes: 'site node' } as const;

/**
 * Finds the site of a device, edge node or site node and checks that the caller may take `action` there.
 * A row of another organization, or at a site the caller cannot open, is not found, and the 404 names the
 * row only, so the site id does not leak.
 */
export async function requireSiteOf(
  tx: TransactionSql,
  caller: Caller,
  table: keyof typeof siteOwnedTables,
  id: string,
  action: Action,
): Promise<SiteRef> {
  const missing = notFound(siteOwnedTables[table], id);
  if (!isUuid(id)) throw missing;
  const [located] = await tx<{ site_id: string }[]>`
    SELECT site_id FROM ${tx(table)} WHERE id = ${id} ${organizationFilter(tx, caller, 'organization_id')}`;
  if (!located) throw missing;
  return requireSite(tx, caller, located.site_id, action, missing);
}
