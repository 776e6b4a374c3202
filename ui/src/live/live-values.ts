import type { Quality, QualityReason, Sample, SampleValue } from '@simtestlab/sync';
import { createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';

/** The latest reading of a point as the UI shows it. */
export interface Reading {
  value: SampleValue;
  ts: number;
  quality: Quality;
  reason?: QualityReason | undefined;
}

/** Default span of the live charts. */
export const LIVE_WINDOW_MS = 15 * 60_000;

/**
 * Latest readings per point id, plus the numeric samples of the last `windowMs` for live charts. A
 * reading older than the one held is ignored, so a late batch after a reconnect cannot move a value back.
 */
export function createLiveValues(windowMs = LIVE_WINDOW_MS) {
  const [latest, setLatest] = createStore<Record<string, Reading>>({});
  const series = new Map<string, { ts: number; value: number }[]>();
  const [version, setVersion] = createSignal(0);

  function apply(samples: readonly Sample[]): void {
    const cutoff = Date.now() - windowMs;
    setLatest(
      produce((state) => {
        for (const sample of samples) {
          const held = state[sample.point];
          if (held && held.ts > sample.ts) continue;
          state[sample.point] = { value: sample.value, ts: sample.ts, quality: sample.quality, reason: sample.reason };
        }
      }),
    );
    for (const sample of samples) {
      if (typeof sample.value !== 'number' || sample.quality === 'bad') continue;
      const points = series.get(sample.point) ?? [];
      if (points.length === 0 || points[points.length - 1]!.ts < sample.ts) points.push({ ts: sample.ts, value: sample.value });
      while (points.length > 0 && points[0]!.ts < cutoff) points.shift();
      series.set(sample.point, points);
    }
    setVersion((value) => value + 1);
  }

  return {
    latest,
    apply,
    /** Seeds a reading fetched over HTTP; a newer live one wins. */
    seed(point: string, reading: Reading | null): void {
      if (reading) apply([{ point, ...reading }]);
    },
    /** The numeric samples of a point inside the window; read `version` to react to new samples. */
    series: (point: string) => series.get(point) ?? [],
    version,
  };
}
export type LiveValues = ReturnType<typeof createLiveValues>;
