import type { SiteDevice, SitePoint } from '../../site/site-api';

/** Window lengths the live dashboard offers, in minutes. */
export const LIVE_WINDOWS_MIN = [5, 15, 60] as const;
export type LiveWindowMin = (typeof LIVE_WINDOWS_MIN)[number];
export const DEFAULT_LIVE_WINDOW_MIN: LiveWindowMin = 15;

/** Reads the `window` query value, and gives the default for anything but an offered length. */
export function parseWindowQuery(value: string | string[] | undefined): LiveWindowMin {
  const minutes = Number(Array.isArray(value) ? value[0] : value);
  return LIVE_WINDOWS_MIN.find((offered) => offered === minutes) ?? DEFAULT_LIVE_WINDOW_MIN;
}

/**
 * Reads the `points` query value: point ids separated by commas, which point ids cannot contain.
 * Blank entries and repeats are dropped.
 */
export function parsePointsQuery(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return [...new Set(text.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
}

/** Formats the `points` query value of a selection, where undefined removes the parameter. */
export function formatPointsQuery(ids: readonly string[]): string | undefined {
  return ids.length === 0 ? undefined : ids.join(',');
}

/** Returns whether a point's values can be drawn as a line, which text values cannot. */
export function isChartable(point: SitePoint): boolean {
  return point.dataType !== 'string';
}

/**
 * Returns the points whose name, id or device name contain every word of `search`, ignoring case. An empty
 * search matches every point.
 */
export function searchPoints(points: readonly SitePoint[], devices: readonly SiteDevice[], search: string): SitePoint[] {
  const words = search.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...points];
  const deviceNames = new Map(devices.map((device) => [device.key, device.name]));
  return points.filter((point) => {
    const text = `${point.name} ${point.id} ${deviceNames.get(point.device) ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Points grouped by unit, in the order the units first appear, so each chart has one y axis unit. */
export function groupByUnit(points: readonly SitePoint[]): { unit: string; points: SitePoint[] }[] {
  const groups = new Map<string, SitePoint[]>();
  for (const point of points) {
    const group = groups.get(point.unit);
    if (group) group.push(point);
    else groups.set(point.unit, [point]);
  }
  return [...groups].map(([unit, grouped]) => ({ unit, points: grouped }));
}

/**
 * Joins history loaded for the start of the window with the live samples: history only up to the
 * first live sample, so the two never overlap or go back in time.
 */
export function joinBackfill(history: readonly { ts: number; value: number | null }[], live: readonly { ts: number; value: number }[]): { x: number; y: number | null }[] {
  const firstLive = live[0]?.ts ?? Number.POSITIVE_INFINITY;
  const earlier = history.filter((row) => row.ts < firstLive).map((row) => ({ x: row.ts, y: row.value }));
  return [...earlier, ...live.map((sample) => ({ x: sample.ts, y: sample.value }))];
}

/** Like `joinBackfill`, as samples for sums such as the power chart's: buckets without a value are left out. */
export function backfilledSamples(history: readonly { ts: number; value: number | null }[], live: readonly { ts: number; value: number }[]): { ts: number; value: number }[] {
  const firstLive = live[0]?.ts ?? Number.POSITIVE_INFINITY;
  const earlier = history.filter((row): row is { ts: number; value: number } => row.ts < firstLive && row.value !== null);
  return [...earlier.map((row) => ({ ts: row.ts, value: row.value })), ...live];
}
