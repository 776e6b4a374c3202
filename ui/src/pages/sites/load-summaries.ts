import type { Client } from 'openapi-fetch';
import type { paths } from '../../api/generated/cloud-api';
import { unwrap } from '../../api/http';
import type { SiteSummary } from './site-list';

/** The largest page `GET /api/site-summaries` returns. */
export const SUMMARY_PAGE_SIZE = 200;

/** One page of summaries and the number of sites on all pages. */
export interface SummaryPage {
  sites: SiteSummary[];
  total: number;
}

/**
 * Reads every page until `total` sites arrived. A page can repeat a site or come back short when sites
 * are added or removed between two requests: repeats are dropped, and an empty page ends the loop.
 */
export async function collectSummaries(fetchPage: (offset: number, limit: number) => Promise<SummaryPage>, pageSize = SUMMARY_PAGE_SIZE): Promise<SiteSummary[]> {
  const byId = new Map<string, SiteSummary>();
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset, pageSize);
    for (const summary of page.sites) if (!byId.has(summary.site.id)) byId.set(summary.site.id, summary);
    offset += page.sites.length;
    if (page.sites.length === 0 || offset >= page.total) return [...byId.values()];
  }
}

/** Loads the summary of every site the caller can open from the hub. */
export function loadAllSummaries(cloud: Client<paths>): Promise<SiteSummary[]> {
  return collectSummaries((offset, limit) => unwrap(cloud.GET('/api/site-summaries', { params: { query: { offset, limit } } })));
}
