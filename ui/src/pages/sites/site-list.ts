import type { components } from '../../api/generated/cloud-api';

/** One entry of `GET /api/site-summaries`. */
export type SiteSummary = components['schemas']['SiteSummary'];

/**
 * How long after its last contact an edge without a live uplink still counts as online. Edges upload
 * every 5 s by default, so 20 s without any contact means the link is down, not merely slow. The site
 * pages' offline banner appears after about as long.
 */
export const EDGE_CONTACT_TIMEOUT_MS = 20_000;

/** The link of a site's edge as the overview shows it; `never` is a site whose edge never reached the hub. */
export type EdgeState = 'online' | 'offline' | 'never';

/** The filter that selects the sites the overview lists. */
export type StatusFilter = 'all' | 'offline' | 'alarms';

export const statusFilters: readonly StatusFilter[] = ['all', 'offline', 'alarms'];

/** Rates the link of a site's edge: online while its live uplink is open or it made contact recently. */
export function edgeState(edge: SiteSummary['edge'], nowMs: number): EdgeState {
  if (edge.connected) return 'online';
  if (edge.lastContactAt === null) return 'never';
  return nowMs - edge.lastContactAt <= EDGE_CONTACT_TIMEOUT_MS ? 'online' : 'offline';
}

/** Checks whether a site has active alarms or alarms that wait for an acknowledgement. */
export function hasAlarms(summary: SiteSummary): boolean {
  return summary.alarms.active.total > 0 || summary.alarms.unacknowledged > 0;
}

/** Checks whether every word of a search occurs in a site's name or its organization's name, ignoring case. */
export function matchesSearch(summary: SiteSummary, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const text = `${summary.site.name} ${summary.site.organizationName}`.toLocaleLowerCase();
  return words.every((word) => text.includes(word));
}

/** Checks whether a site passes a status filter. A site whose edge never connected counts as offline. */
export function matchesStatus(summary: SiteSummary, filter: StatusFilter, nowMs: number): boolean {
  if (filter === 'offline') return edgeState(summary.edge, nowMs) !== 'online';
  if (filter === 'alarms') return hasAlarms(summary);
  return true;
}

/** Counts the sites of each status filter, for the filter buttons. */
export function countByStatus(summaries: readonly SiteSummary[], nowMs: number): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: 0, offline: 0, alarms: 0 };
  for (const summary of summaries) {
    for (const filter of statusFilters) if (matchesStatus(summary, filter, nowMs)) counts[filter] += 1;
  }
  return counts;
}

/** The sites of one organization, for one section of the overview. */
export interface OrganizationGroup {
  id: string;
  name: string;
  sites: SiteSummary[];
}

/** Groups sites by organization, keeping the order in which organizations and sites first appear. */
export function groupByOrganization(summaries: readonly SiteSummary[]): OrganizationGroup[] {
  const groups = new Map<string, OrganizationGroup>();
  for (const summary of summaries) {
    const { organizationId, organizationName } = summary.site;
    let group = groups.get(organizationId);
    if (!group) {
      group = { id: organizationId, name: organizationName, sites: [] };
      groups.set(organizationId, group);
    }
    group.sites.push(summary);
  }
  return [...groups.values()];
}

/** Parses a status filter from a URL parameter, where anything unknown means all sites. */
export function parseStatusFilter(value: string | undefined): StatusFilter {
  return statusFilters.includes(value as StatusFilter) ? (value as StatusFilter) : 'all';
}
