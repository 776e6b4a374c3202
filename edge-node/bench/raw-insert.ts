import { join } from 'node:path';
import { openDatabase } from '../src/store/database';
import { benchPointCount, generateSamples } from './bench-site';
import { storeBenchStartTs } from './store-throughput';

/**
 * Primary key order of the raw table: `ts-first` is the `samples` table as migrated, `point-first`
 * a copy of it keyed `(point_id, ts)`, to show what the key order costs.
 */
export type KeyOrder = 'ts-first' | 'point-first';

export interface RawInsertOptions {
  sampleCount: number;
  commitSize: number;
  keyOrder: KeyOrder;
  tempFolder: string;
}

/** Figures of one run of plain batched inserts. */
export interface RawInsertResult {
  commitSize: number;
  keyOrder: KeyOrder;
  samples: number;
  /** Time spent in the insert transactions, without generating the rows. */
  elapsedMs: number;
  samplesPerSecond: number;
}

const pointFirstTable = `
  CREATE TABLE samples_point_first (
    ts INTEGER NOT NULL,
    point_id INTEGER NOT NULL,
    value ANY,
    quality INTEGER NOT NULL,
    PRIMARY KEY (point_id, ts)
  ) WITHOUT ROWID, STRICT`;

/**
 * Inserts the store benchmark's rows straight into the raw table with one prepared statement,
 * `commitSize` rows per transaction, and no rollups or counter state. The database is opened like
 * the edge node's (WAL, `synchronous = FULL`), so every commit fsyncs the WAL.
 */
export function runRawInsert(options: RawInsertOptions): RawInsertResult {
  const db = openDatabase(join(options.tempFolder, `raw-${options.keyOrder}-${options.commitSize}.sqlite`));
  try {
    let table = 'samples';
    if (options.keyOrder === 'point-first') {
      db.exec(pointFirstTable);
      table = 'samples_point_first';
    }
    // The same statement as SampleWriter's, so only the rollup work differs.
    const insert = db.prepare(`INSERT OR REPLACE INTO ${table} (ts, point_id, value, quality) VALUES (?, ?, ?, ?)`);
    const insertBatch = db.transaction((rows: ReturnType<typeof generateSamples>) => {
      for (const row of rows) insert.run(row.ts, row.pointId, row.value, row.quality);
    });
    const pointIds = Array.from({ length: benchPointCount }, (_, index) => index + 1);

    let elapsedMs = 0;
    let samples = 0;
    for (let first = 0; first < options.sampleCount; first += options.commitSize) {
      const batch = generateSamples(first, Math.min(options.commitSize, options.sampleCount - first), storeBenchStartTs, pointIds);
      const started = performance.now();
      insertBatch(batch);
      elapsedMs += performance.now() - started;
      samples += batch.length;
    }
    return {
      commitSize: options.commitSize,
      keyOrder: options.keyOrder,
      samples,
      elapsedMs,
      samplesPerSecond: (samples * 1000) / elapsedMs,
    };
  } finally {
    db.close();
  }
}
