import { counterStep, encodeQuality, type SampleValue } from '@simtestlab/sync';
import type { Logger } from '../logger';
import { spreadByMinute, type CounterReading } from './counter-delta';
import type { SqliteDatabase } from './database';
import type { PointRegistry } from './point-registry';
import { CommitStatements, rollupRowCount, unpackRollupRows, type CommitBatch } from './commit-batch';
import type { RollupBucket } from './rollup-bucket';
import type { Tier } from './time-buckets';
import { RollupEngine } from './rollups';
import { SampleBatchBuilder } from './sample-batch';

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
 * rollup buckets that closed, in one transaction per batch. The edge node commits every
 * `commitIntervalMs` through a `CommitWorker`; the poller only appends to typed arrays and never
 * waits for the database.
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
  private readonly pending = new SampleBatchBuilder();
  private deviceEvents: CommitBatch['deviceEvents'] = [];
  private pointStates: CommitBatch['pointStates'] = [];
  /** Prepared batches not yet committed, oldest first; a failed one is retried before newer ones. */
  private readonly unapplied: CommitBatch[] = [];
  private statements: CommitStatements | undefined;
  private readonly counters = new Map<number, CounterState>();
  private readonly dirtyCounters = new Set<number>();
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
  }

  /** Queues a sample and adds it to the rollups. Never touches the database. */
  add(sample: StoredSample): void {
    this.pending.push(sample.pointId, sample.ts, sample.value, sample.quality);
    this.aggregate(sample);
  }

  /** Queues a device status change for the next commit. */
  addDeviceEvent(event: CommitBatch['deviceEvents'][number]): void {
    this.deviceEvents.push(event);
  }

  /** Queues a point's last value for the next commit, so it is known again after a restart. */
  addPointState(state: CommitBatch['pointStates'][number]): void {
    this.pointStates.push(state);
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
    let reference = value;
    if (previous) {
      const step = counterStep(previous.value, value, rolloverAt === undefined ? {} : { rolloverAt });
      if (step.kind === 'ignore') {
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
      // After a drop by float noise the higher value stays the reference, so the return to it is not booked twice.
      reference = step.reference;
    }
    state.previous = { ts, value: reference };
    state.sinceWatermark.push(state.previous);
    this.dirtyCounters.add(pointId);
  }

  /** Returns, per counter, the newest reading before the 1 min watermark: where recovery resumes. */
  private durableCounters(): Float64Array {
    const watermark = this.rollups.replayFrom;
    const rows: number[] = [];
    for (const pointId of this.dirtyCounters) {
      const state = this.counters.get(pointId)!;
      let durable: CounterReading | undefined;
      while (state.sinceWatermark.length > 0 && state.sinceWatermark[0]!.ts < watermark) durable = state.sinceWatermark.shift();
      if (durable) rows.push(pointId, durable.ts, durable.value);
      if (state.sinceWatermark.length === 0) this.dirtyCounters.delete(pointId);
    }
    return Float64Array.from(rows);
  }

  /**
   * Takes everything queued since the last call (samples, closed rollup buckets, watermarks,
   * durable counter state, device events, last values) as one batch to commit in one transaction.
   * Batches must be committed in the order they were prepared.
   */
  prepareCommit(): CommitBatch {
    const { rollups, meta } = this.rollups.collectClosed(this.now(), this.graceMs);
    const batch: CommitBatch = {
      samples: this.pending.take(),
      rollups,
      meta,
      counters: this.durableCounters(),
      deviceEvents: this.deviceEvents,
      pointStates: this.pointStates,
    };
    this.deviceEvents = [];
    this.pointStates = [];
    return batch;
  }

  /**
   * Commits everything queued on this thread's connection, one transaction per batch. When a
   * transaction fails the batch stays queued and is retried first by the next call. Returns the
   * number of samples committed.
   */
  commit(): number {
    this.statements ??= new CommitStatements(this.db);
    const apply = this.statements.apply;
    return this.commitQueued((batch) => apply(batch));
  }

  /** Like `commit`, with each batch applied by `apply`, such as a `CommitWorker`. */
  async commitWith(apply: (batch: CommitBatch) => Promise<void>): Promise<number> {
    this.unapplied.push(this.prepareCommit());
    let samples = 0;
    while (this.unapplied.length > 0) {
      const batch = this.unapplied[0]!;
      const started = performance.now();
      await apply(batch);
      samples += this.applied(batch, started);
    }
    return samples;
  }

  private commitQueued(apply: (batch: CommitBatch) => void): number {
    this.unapplied.push(this.prepareCommit());
    let samples = 0;
    while (this.unapplied.length > 0) {
      const batch = this.unapplied[0]!;
      const started = performance.now();
      apply(batch);
      samples += this.applied(batch, started);
    }
    return samples;
  }

  private applied(batch: CommitBatch, started: number): number {
    this.unapplied.shift();
    this.stats.samplesStored += batch.samples.count;
    this.stats.rollupRowsWritten += rollupRowCount(batch);
    this.stats.commits++;
    this.stats.lastCommitMs = performance.now() - started;
    return batch.samples.count;
  }

  /** Device events queued or in a batch whose commit has not finished, oldest first. */
  uncommittedDeviceEvents(): CommitBatch['deviceEvents'] {
    return [...this.unapplied.flatMap((batch) => batch.deviceEvents), ...this.deviceEvents];
  }

  /** Closed buckets of a point in a batch whose commit has not finished, oldest batch first. */
  uncommittedBuckets(tier: Tier, pointId: number, from: number, to: number): RollupBucket[] {
    return this.unapplied
      .flatMap((batch) => batch.rollups.filter((rollup) => rollup.tier === tier))
      .flatMap((rollup) => unpackRollupRows(rollup.rows))
      .filter((bucket) => bucket.pointId === pointId && bucket.start >= from && bucket.start < to);
  }

  /** Samples not yet committed, queued or in prepared batches. */
  get pendingCount(): number {
    return this.unapplied.reduce((sum, batch) => sum + batch.samples.count, this.pending.length);
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

