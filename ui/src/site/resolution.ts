import { resolutions, uploadResolutions, type Resolution } from '@simtestlab/sync';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The finest resolution for each span, so a chart gets a few hundred to a few thousand points. Raw samples
 * cover up to 2 h, 1-minute buckets up to 36 h, 15-minute buckets up to 21 days and hourly ones up to 90
 * days. Longer ranges get daily buckets.
 */
const STEPS: readonly { maxRangeMs: number; resolution: Resolution }[] = [
  { maxRangeMs: 2 * HOUR_MS, resolution: 'raw' },
  { maxRangeMs: 36 * HOUR_MS, resolution: '1m' },
  { maxRangeMs: 21 * DAY_MS, resolution: '15m' },
  { maxRangeMs: 90 * DAY_MS, resolution: '1h' },
];

/** Resolutions the side serving the UI stores: the hub has only the rollups the edge uploads, no raw samples. */
export function availableResolutions(mode: 'edge' | 'cloud'): readonly Resolution[] {
  return mode === 'edge' ? resolutions : uploadResolutions;
}

/** Picks the resolution for a time range of `rangeMs` on the edge or the hub. */
export function chooseResolution(rangeMs: number, mode: 'edge' | 'cloud'): Resolution {
  const available = availableResolutions(mode);
  const step = STEPS.find((candidate) => rangeMs <= candidate.maxRangeMs && available.includes(candidate.resolution));
  return step?.resolution ?? '1d';
}

/** Names of the resolutions for pickers and table headings. */
export const RESOLUTION_LABELS: Record<Resolution, string> = {
  raw: 'Raw samples',
  '1m': '1 minute',
  '15m': '15 minutes',
  '1h': '1 hour',
  '1d': '1 day',
};
