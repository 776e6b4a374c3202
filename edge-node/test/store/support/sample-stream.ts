import type { SampleValue } from '@simtestlab/sync';
import type { PlainSample } from './brute-force';
import { GOOD, isUsable, type MeterPointKey } from './meter-points';
import type { TestStore } from './temp-store';

/** A sample of one meter point, before it gets the point's id. */
export interface MeterSample {
  key: MeterPointKey;
  ts: number;
  value: SampleValue;
  quality: number;
}

/** Builds a sample, good unless `quality` says otherwise. */
export function meterSample(key: MeterPointKey, ts: number, value: SampleValue, quality = GOOD): MeterSample {
  return { key, ts, value, quality };
}

/** Hands one sample to the store's writer. */
export function addSample(store: TestStore, sample: MeterSample): void {
  store.writer.add({ pointId: store.ids[sample.key], ts: sample.ts, value: sample.value, quality: sample.quality });
}

export interface FeedOptions {
  /** Samples per commit; each commit runs with the clock at the newest timestamp seen so far. */
  commitEvery: number;
}

/**
 * Feeds samples to the writer in order, committing every `commitEvery` samples with the clock at the
 * newest timestamp seen, then commits once more three days later so every bucket closes.
 */
export function feedAndCloseAll(store: TestStore, samples: readonly MeterSample[], options: FeedOptions): void {
  let newestTs = -Infinity;
  for (const [i, sample] of samples.entries()) {
    addSample(store, sample);
    newestTs = Math.max(newestTs, sample.ts);
    if ((i + 1) % options.commitEvery === 0) store.commitAt(newestTs);
  }
  store.commitAt(newestTs + 3 * 86_400_000);
}

/** Returns the samples of one point that belong in the rollups, as plain numbers. */
export function usableOf(samples: readonly MeterSample[], key: MeterPointKey): PlainSample[] {
  const usable: PlainSample[] = [];
  for (const sample of samples) {
    if (sample.key === key && isUsable(sample.value, sample.quality)) usable.push({ ts: sample.ts, value: sample.value });
  }
  return usable;
}
