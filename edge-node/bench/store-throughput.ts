import { join } from 'node:path';
import { createSilentLogger } from '../src/logger';
import { openDatabase } from '../src/store/database';
import { PointRegistry } from '../src/store/point-registry';
import { SampleWriter } from '../src/store/sample-writer';
import { benchDevices, benchSite, generateSamples } from './bench-site';
import { maximum, quantile } from './stats';

/**
 * Site time of the first sample: 50 s before local midnight of 15 March 2025 in Europe/Berlin
 * (UTC+1). One commit in the run then closes a bucket of every tier at once, the costliest commit of
 * a day, and the other commits only add samples.
 */
export const storeBenchStartTs = Date.UTC(2025, 2, 14, 23, 0, 0) - 50_000;

export interface StoreRunOptions {
  sampleCount: number;
  /** Samples per `commit()`, that is per transaction. */
  commitSize: number;
  tempFolder: string;
}

/** Figures of one run of the sample writer with rollups. */
export interface StoreRunResult {
  commitSize: number;
  samples: number;
  commits: number;
  /** Time spent in `add` and `commit`, without generating the samples. */
  elapsedMs: number;
  samplesPerSecond: number;
  /** Time spent in `add`: queueing and in-memory rollups. */
  addMs: number;
  /** Time spent in `commit`: inserts, closed rollup buckets, counter state and the fsync. */
  commitMs: number;
  rollupRowsWritten: number;
  commitP50Ms: number;
  commitP99Ms: number;
  commitMaxMs: number;
  /** Site time the samples cover, in s. */
  siteSeconds: number;
}

/**
 * Drives a `SampleWriter` the way the edge node does: samples in time order, `commit` every
 * `commitSize` samples, with the writer's clock following the sample time so closed rollup buckets
 * are flushed as site time passes.
 */
export function runStoreThroughput(options: StoreRunOptions): StoreRunResult {
  const db = openDatabase(join(options.tempFolder, `store-${options.commitSize}.sqlite`));
  try {
    const registry = new PointRegistry(db);
    const pointIds: number[] = [];
    for (const device of benchDevices()) {
      registry.registerDevice(device);
      for (const point of registry.registerPoints(device.key, device.points, device.pollIntervalMs)) pointIds.push(point.id);
    }

    let nowTs = storeBenchStartTs;
    const writer = new SampleWriter(db, registry, benchSite.timeZone, createSilentLogger(), { now: () => nowTs });
    const commitDurations: number[] = [];
    let addMs = 0;
    let commitMs = 0;
    let lastTs = storeBenchStartTs;

    for (let first = 0; first < options.sampleCount; first += options.commitSize) {
      const batch = generateSamples(first, Math.min(options.commitSize, options.sampleCount - first), storeBenchStartTs, pointIds);
      const addStarted = performance.now();
      for (const sample of batch) writer.add(sample);
      const commitStarted = performance.now();
      lastTs = batch[batch.length - 1]!.ts;
      nowTs = lastTs;
      writer.commit();
      const commitEnded = performance.now();
      addMs += commitStarted - addStarted;
      commitMs += commitEnded - commitStarted;
      commitDurations.push(commitEnded - commitStarted);
    }

    const elapsedMs = addMs + commitMs;
    return {
      commitSize: options.commitSize,
      samples: writer.stats.samplesStored,
      commits: writer.stats.commits,
      elapsedMs,
      samplesPerSecond: (writer.stats.samplesStored * 1000) / elapsedMs,
      addMs,
      commitMs,
      rollupRowsWritten: writer.stats.rollupRowsWritten,
      commitP50Ms: quantile(commitDurations, 0.5),
      commitP99Ms: quantile(commitDurations, 0.99),
      commitMaxMs: maximum(commitDurations),
      siteSeconds: (lastTs - storeBenchStartTs) / 1000,
    };
  } finally {
    db.close();
  }
}
