/** Lists the IANA time zones this browser supports, sorted, with UTC added when the list leaves it out. */
export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? [...zones] : [...zones, 'UTC'].sort();
}

/** Returns the browser's own time zone, which the wizard presets, or UTC when the browser reports none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Returns the zones that contain every word of `query`, ignoring case, so "new york" and "america/new"
 * both find America/New_York. An empty query returns every zone.
 */
export function filterTimeZones(zones: readonly string[], query: string): string[] {
  const words = query.toLowerCase().split(/[\s_/]+/).filter((word) => word !== '');
  if (words.length === 0) return [...zones];
  return zones.filter((zone) => {
    const name = zone.toLowerCase();
    return words.every((word) => name.includes(word));
  });
}
