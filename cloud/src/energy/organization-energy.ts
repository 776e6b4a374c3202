import { summarizeOrganization, type EnergyReport, type OrganizationEnergy, type PeriodQuery } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { requireOrganization } from '../access/guards';
import type { AppDeps } from '../api/env';
import { forbidden, HttpError, notFound } from '../api/http-error';
import { inTenantScope } from '../db/scope';
import type { Logger } from '../logger';
import { computeReport, resolveRanges } from './period-ranges';
import { loadEnergyReportInput, readReportSites } from './report-input';

/**
 * Maximum sites of one organization-wide view. Sites are loaded and computed one after another, each
 * in its own transaction, so memory contains one site's rows at a time. The limit bounds the time of a
 * request: a year reads about 8,800 hourly rows per meter and site, so 50 sites of 10 meters read about
 * 4.4 million rows.
 */
export const MAX_ORGANIZATION_SITES = 50;

/** The organization-wide view with the names its CSV file is named after. */
export interface OrganizationView {
  organizationName: string;
  /** The period's label in the local calendar, the same in every zone: `2026-03-29`, `2026-W13`, `2026-03`. */
  periodLabel: string;
  energy: OrganizationEnergy;
}

/**
 * Checks that the caller may see the organization-wide view: 404 for an organization the caller does
 * not belong to, 403 for a member who is not an org admin there. Platform admins see every organization.
 */
function requireOrganizationAdmin(caller: Caller, organizationId: string): void {
  requireOrganization(caller, organizationId, 'dashboard.view');
  if (caller.organizationPrincipal(organizationId).role === null) {
    throw forbidden(`the energy view of organization ${organizationId} is for its org admins and platform admins: read the report of each of your sites instead`);
  }
}

/**
 * Builds the energy view of every site of an organization for one period, each site's period resolved
 * in its own time zone from the same local date. Sites without meters or data are listed with zero
 * totals. Raises 400 when the organization has more than MAX_ORGANIZATION_SITES sites.
 */
export async function buildOrganizationEnergy(deps: AppDeps, caller: Caller, logger: Logger, organizationId: string, query: PeriodQuery): Promise<OrganizationView> {
  requireOrganizationAdmin(caller, organizationId);
  if (query.resolution !== undefined) {
    throw new HttpError(400, 'invalid_request', `resolution ${query.resolution} applies to site reports only: remove it from the organization view`, {
      parameter: 'resolution',
    });
  }
  const periodLabel = resolveRanges(query, 'UTC', false).range.label;
  const { organization, siteIds } = await inTenantScope(deps.sql, caller.scope, async (tx) => {
    const [row] = await tx<{ name: string; currency: string }[]>`SELECT name, currency FROM organizations WHERE id = ${organizationId}`;
    const sites = await tx<{ id: string }[]>`SELECT id FROM sites WHERE organization_id = ${organizationId} ORDER BY name, id`;
    return { organization: row, siteIds: sites.map((site) => site.id) };
  });
  if (organization === undefined) throw notFound('organization', organizationId);
  if (siteIds.length > MAX_ORGANIZATION_SITES) {
    throw new HttpError(
      400,
      'too_many_sites',
      `organization ${organizationId} has ${siteIds.length} sites, more than the ${MAX_ORGANIZATION_SITES} one view computes: read the report of each site instead`,
    );
  }

  const reports: EnergyReport[] = [];
  for (const siteId of siteIds) {
    const input = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const [site] = await readReportSites(tx, [siteId]);
      // A site deleted since the list was read is left out.
      if (site === undefined) return null;
      return loadEnergyReportInput(tx, logger, site, resolveRanges(query, site.timeZone, false));
    });
    if (input !== null) reports.push(computeReport(input));
  }
  return { organizationName: organization.name, periodLabel, energy: summarizeOrganization(organizationId, organization.currency, query.period, reports) };
}
