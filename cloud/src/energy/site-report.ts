import type { Action, EnergyReport, PeriodQuery, PeriodRange } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { requireSite } from '../access/guards';
import type { AppDeps } from '../api/env';
import { inTenantScope } from '../db/scope';
import type { Logger } from '../logger';
import { computeReport, resolveRanges } from './period-ranges';
import { loadEnergyReportInput, readReportSites, type ReportSite } from './report-input';

/** A computed site report with the site and period it covers. */
export interface SiteReport {
  site: ReportSite;
  range: PeriodRange;
  report: EnergyReport;
}

/**
 * Builds the report of one site for a period and its previous period, after checking that the caller
 * may take `action` there (404 for a site outside the caller's access, 403 for a role too low). The
 * rows are read in one tenant transaction, and the report is computed after it ends.
 */
export async function buildSiteReport(deps: AppDeps, caller: Caller, logger: Logger, siteId: string, query: PeriodQuery, action: Action): Promise<SiteReport> {
  const loaded = await inTenantScope(deps.sql, caller.scope, async (tx) => {
    const ref = await requireSite(tx, caller, siteId, action);
    const [site] = await readReportSites(tx, [ref.id]);
    const ranges = resolveRanges(query, site!.timeZone, true);
    const input = await loadEnergyReportInput(tx, logger, site!, ranges, query.resolution === undefined ? {} : { resolution: query.resolution });
    return { site: site!, range: ranges.range, input };
  });
  return { site: loaded.site, range: loaded.range, report: computeReport(loaded.input) };
}
