import type { Sample } from '@simtestlab/sync';
import type { Logger } from '../logger';

/** Maximum length of a point id the hub relays. Edge point ids are `device.point` and far shorter. */
export const MAX_POINT_ID_LENGTH = 200;
/** Earliest sample time the hub relays: 2000-01-01T00:00:00Z in epoch ms. */
export const MIN_SAMPLE_TS = Date.UTC(2000, 0, 1);
/** Latest sample time the hub relays: 2100-01-01T00:00:00Z in epoch ms. */
export const MAX_SAMPLE_TS = Date.UTC(2100, 0, 1);
/** Interval in which at most one warning about dropped samples is logged per uplink. */
const DROP_WARNING_INTERVAL_MS = 60_000;

/** Describes why the hub drops `sample`, or returns undefined for a sample it relays. */
export function describeOutOfBounds(sample: Sample): string | undefined {
  if (sample.point.length > MAX_POINT_ID_LENGTH) return `point id of ${sample.point.length} characters is longer than ${MAX_POINT_ID_LENGTH}`;
  if (sample.ts < MIN_SAMPLE_TS || sample.ts >= MAX_SAMPLE_TS) return `ts ${sample.ts} is outside the years 2000 to 2099`;
  return undefined;
}

/**
 * Keeps the samples of a frame that the hub relays, and logs at most one warning per
 * DROP_WARNING_INTERVAL_MS naming the first dropped sample and how many were dropped since the last warning.
 */
export function createSampleFilter(logger: Logger, now: () => number = Date.now) {
  let droppedSinceWarning = 0;
  let lastWarningAt = Number.NEGATIVE_INFINITY;
  return (samples: readonly Sample[]): Sample[] => {
    const inBounds: Sample[] = [];
    let firstDropped: { point: string; ts: number; reason: string } | undefined;
    for (const sample of samples) {
      const reason = describeOutOfBounds(sample);
      if (reason === undefined) {
        inBounds.push(sample);
        continue;
      }
      droppedSinceWarning++;
      firstDropped ??= { point: sample.point.slice(0, 80), ts: sample.ts, reason };
    }
    if (firstDropped && now() - lastWarningAt >= DROP_WARNING_INTERVAL_MS) {
      logger.warn({ ...firstDropped, dropped: droppedSinceWarning }, `dropping live samples out of bounds: ${firstDropped.reason}; fix the point id or the clock of the edge`);
      droppedSinceWarning = 0;
      lastWarningAt = now();
    }
    return inBounds;
  };
}
