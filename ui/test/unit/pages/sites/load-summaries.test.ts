import { describe, expect, it } from 'vitest';
import { collectSummaries, type SummaryPage } from '../../../../src/pages/sites/load-summaries';
import { siteSummary } from './site-summary-fixture';

const ids = (count: number, prefix = 's') => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

/** Serves pages of `siteIds` and records the offsets that were requested. */
function pagesOf(siteIds: string[]) {
  const offsets: number[] = [];
  const fetchPage = async (offset: number, limit: number): Promise<SummaryPage> => {
    offsets.push(offset);
    return { sites: siteIds.slice(offset, offset + limit).map((id) => siteSummary({ id })), total: siteIds.length };
  };
  return { offsets, fetchPage };
}

describe('collectSummaries', () => {
  it('reads every page', async () => {
    const source = pagesOf(ids(5));
    const summaries = await collectSummaries(source.fetchPage, 2);
    expect(summaries.map((summary) => summary.site.id)).toEqual(ids(5));
    expect(source.offsets).toEqual([0, 2, 4]);
  });

  it('reads one page when all sites fit', async () => {
    const source = pagesOf(ids(2));
    await collectSummaries(source.fetchPage, 2);
    expect(source.offsets).toEqual([0]);
  });

  it('returns nothing for a user without sites', async () => {
    const source = pagesOf([]);
    expect(await collectSummaries(source.fetchPage, 2)).toEqual([]);
  });

  it('drops a site repeated across pages', async () => {
    // A site added before the current offset between two requests shifts the next page by one.
    const pages: SummaryPage[] = [
      { sites: [siteSummary({ id: 'a' }), siteSummary({ id: 'b' })], total: 3 },
      { sites: [siteSummary({ id: 'b' }), siteSummary({ id: 'c' })], total: 4 },
      { sites: [], total: 4 },
    ];
    const summaries = await collectSummaries(async () => pages.shift()!, 2);
    expect(summaries.map((summary) => summary.site.id)).toEqual(['a', 'b', 'c']);
  });

  it('stops at an empty page when sites were removed', async () => {
    const pages: SummaryPage[] = [
      { sites: [siteSummary({ id: 'a' }), siteSummary({ id: 'b' })], total: 5 },
      { sites: [], total: 2 },
    ];
    const summaries = await collectSummaries(async () => pages.shift()!, 2);
    expect(summaries.map((summary) => summary.site.id)).toEqual(['a', 'b']);
  });
});
