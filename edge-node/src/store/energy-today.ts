import { startOfZonedDay } from '@simtestlab/sync';
import type { HistoryReader } from './history';

/** Returns the start of the site's local day that contains `ts`, in epoch ms UTC. A day with a daylight-saving change lasts 23 or 25 hours. */
export function localDayStart(ts: number, timeZone: string): number {
  return startOfZonedDay(ts, timeZone);
}

/**
 * Returns a counter's growth since `dayStart`, a local midnight, from its 1 day rollup. The reader
 * merges the stored row with closed buckets whose commit is under way and with the open bucket in
 * memory, so samples that are not committed yet count too. Returns null when the counter has no
 * reading that day, and 0 when it has readings but no growth.
 */
export function counterGrowthSince(history: HistoryReader, pointId: number, dayStart: number): number | null {
  const [day] = history.rollup('1d', pointId, dayStart, dayStart + 1, 1);
  if (day === undefined) return null;
  return day.delta ?? 0;
}
