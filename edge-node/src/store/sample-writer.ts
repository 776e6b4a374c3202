import { encodeQuality, type SampleValue } from '@simtestlab/sync';
import type { Logger } from '../logger';
import { counterStep, spreadByMinute, type CounterReading } from './counter-delta';
import type { SqliteDatabase } from './database';
import type { PointRegistry } from './point-registry';
import { RollupEngine } from './rollups';

/** One sample on its way to the database. `quality` is the encoded quality code. */
export interface StoredSample {
  pointId: number;
  ts: number;
  value: SampleValue;
  quality: number;
}

/** Quality codes from here up (stale, bad) carry no usable value and stay out of the rollups. */
const FIRST_UNUSABLE_QUALITY = encodeQuality('stale');

interface CounterState {
  previous?: CounterReading;
  /** Readings at or after the 1 min watermark; the newest one before it is the durable state. */
  sinceWatermark: CounterReading[];
}

/** Counts the writer exposes on `/metrics`. */
export interface WriterStats {
  samplesStored: number;
  commits: number;
  lastCommitMs: number;
  rollupRowsWritten: number;
  counterZeroReadingsIgnored: number;
  counterResets: number;
  counterRollovers: number;
  outOfOrderCounterReadings: number;
}

export interface SampleWriterOptions {
  /** How long after a bucket ends it is closed and written. */
  rollupGraceMs?: number;
  now?: () => number;
}

/**
 * Queues samples, feeds them to the rollups as they arrive and commits them, together with the
 * rollup buckets that closed, in one transaction per call of `commit`. The edge node calls `commit`
 * every `commitIntervalMs`; the poller only appends to an array and never waits for the database.
 */
export class SampleWriter {
  readonly rollups: RollupEngine;
  readonly stats: WriterStats = {
    samplesStored: 0,
    commits: 0,
    lastCommitMs: 0,
    rollupRowsWritten: 0,
    counterZeroReadingsIgnored: 0,
    counterResets: 0,
    counterRollovers: 0,
    outOfOrderCounterReadings: 0,
  };
  private pending: StoredSample[] = [];
  private readonly counters = new Map<number, CounterState>();
  private readonly dirtyCounters = new Set<number>();
  private readonly insertSample;
  private readonly saveCounter;
  private readonly commitTransaction;
  private readonly graceMs: number;
  private readonly now: () => number;
  /** During recovery, counter growth before this instant is already stored. */
  private skipDeltaBefore = -Infinity;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly registry: PointRegistry,
    timeZone: string,
    private readonly logger: Logger,
    options: SampleWriterOptions = {},
  ) {
    this.graceMs = options.rollupGraceMs ?? 2000;
    this.now = options.now ?? Date.now;
    this.rollups = new RollupEngine(db, timeZone);
    // NOTE: a second sample with the same (ts, point) replaces the first row but both reach the
    // rollups. The runtime never produces one: each device stamps strictly increasing times.
    this.insertSample = db.prepare('INSERT OR REPLACE INTO samples (ts, point_id, value, quality) VALUES (?, ?, ?, ?)');
    this.saveCounter = db.prepare(
      'INSERT INTO counter_state (point_id, ts, value) VALUES (?, ?, ?) ON CONFLICT (point_id) DO UPDATE SET ts = excluded.ts, value = excluded.value',
    );
    this.commitTransaction = db.transaction((samples: StoredSample[], nowTs: number) => {
      for (const sample of samples) this.insertSample.run(sample.ts, sample.pointId, sample.value, sample.quality);
      const rows = this.rollups.flushClosed(nowTs, this.graceMs);
      this.saveDurableCounters();
      return rows;
    });
  }

  /** Queues a sample and adds it to the rollups. Never touches the database. */
  add(sample: StoredSample): void {
    this.pending.push(sample);
    this.aggregate(sample);
  }

  private aggregate(sample: StoredSample): void {
    if (typeof sample.value !== 'number' || sample.quality >= FIRST_UNUSABLE_QUALITY) return;
    this.rollups.addValue(sample.pointId, sample.ts, sample.value);
    const point = this.registry.getById(sample.pointId);
    if (point?.isCounter) this.addCounterReading(sample.pointId, sample.ts, sample.value, point.rolloverAt, point.gapMs);
  }

  private addCounterReading(pointId: number, ts: number, value: number, rolloverAt: number | undefined, gapMs: number): void {
    let state = this.counters.get(pointId);
    if (!state) {
      state = { sinceWatermark: [] };
      this.counters.set(pointId, state);
    }
    const previous = state.previous;
    if (previous && ts <= previous.ts) {
      this.stats.outOfOrderCounterReadings++;
      return;
    }
    if (previous) {
      const step = counterStep(previous.value, value, rolloverAt);
      if (step.kind === 'ignored') {
        this.stats.counterZeroReadingsIgnored++;
        return;
      }
      if (step.cause === 'reset') {
        this.stats.counterResets++;
        this.logger.warn({ pointId, previous: previous.value, value, ts }, 'counter went down: booked as a meter reset');
      } else if (step.cause === 'rollover') this.stats.counterRollovers++;
      const estimated = ts - previous.ts > gapMs;
      for (const slice of spreadByMinute(previous.ts, ts, step.delta)) {
        this.rollups.addDelta(pointId, slice.ts, slice.delta, estimated, this.skipDeltaBefore);
      }
    }
    state.previous = { ts, value };
    state.sinceWatermark.push(state.previous);
    this.dirtyCounters.add(pointId);
  }

  /** Stores, per counter, the newest reading before the 1 min watermark: where recovery resumes. */
  private saveDurableCounters(): void {
    const watermark = this.rollups.replayFrom;
    for (const pointId of this.dirtyCounters) {
      const state = this.counters.get(pointId)!;
      let durable: CounterReading | undefined;
      while (state.sinceWatermark.length > 0 && state.sinceWatermark[0]!.ts < watermark) durable = state.sinceWatermark.shift();
      if (durable) this.saveCounter.run(pointId, durable.ts, durable.value);
      if (state.sinceWatermark.length === 0) this.dirtyCounters.delete(pointId);
    }
  }

  /** Commits the queued samples and the closed rollup buckets in one transaction. */
  commit(): number {
    const samples = this.pending;
    this.pending = [];
    const started = performance.now();
    try {
      const rows = this.commitTransaction(samples, this.now());
      this.stats.rollupRowsWritten += rows;
    } catch (error) {
      this.pending = samples.concat(this.pending);
      throw error;
    }
    this.stats.samplesStored += samples.length;
    this.stats.commits++;
    this.stats.lastCommitMs = performance.now() - started;
    return samples.length;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Rebuilds the in-memory rollup and counter state after a restart or crash: open buckets from
   * stored rows, then every raw sample newer than the 1 min watermark. Call once, before `add`.
   */
  recover(): { replayedSamples: number } {
    this.rollups.recoverFromStoredRows();
    const counters = this.db.prepare<[], { point_id: number; ts: number; value: number }>('SELECT * FROM counter_state').all();
    for (const row of counters) this.counters.set(row.point_id, { previous: { ts: row.ts, value: row.value }, sinceWatermark: [] });

    const from = this.rollups.replayFrom;
    this.skipDeltaBefore = from;
    let replayedSamples = 0;
    const rows = this.db
      .prepare<[number], { ts: number; point_id: number; value: SampleValue; quality: number }>(
        'SELECT ts, point_id, value, quality FROM samples WHERE ts >= ? ORDER BY ts, point_id',
      )
      .iterate(from);
    for (const row of rows) {
      this.aggregate({ pointId: row.point_id, ts: row.ts, value: row.value, quality: row.quality });
      replayedSamples++;
    }
    this.skipDeltaBefore = -Infinity;
    return { replayedSamples };
  }
}

