import type { Resource } from 'solid-js';
import type { SiteSummary } from './site-api';

/** Returns the browser's own time zone, for when the site's is unknown. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Returns the site's IANA time zone from its summary, null while the summary loads, or the browser's zone
 * when the summary failed to load. The state is checked first because reading a failed resource throws.
 */
export function siteTimeZone(summary: Resource<SiteSummary>): string | null {
  if (summary.state === 'errored') return browserTimeZone();
  if (summary.state === 'ready' || summary.state === 'refreshing') return summary()?.site.timeZone ?? browserTimeZone();
  return null;
}
