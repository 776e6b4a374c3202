/**
 * Kills a writing process with SIGKILL at random moments and checks the database it leaves.
 *
 * SIGKILL tests process death, not a power cut: the kernel's page cache survives the process, so
 * every write() SQLite made reaches the file even if it was never fsynced. What this shows is that
 * SQLite's WAL keeps each commit atomic when the writer dies at any point, and that recovery
 * rebuilds rollups that agree with the raw samples. Surviving a power cut rests on the WAL with
 * `synchronous = FULL` (set in openDatabase), which fsyncs the WAL at every commit. No test here
 * can cut the power.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../../src/store/database';
import { tiers } from '../../src/store/time-buckets';
import { STALE } from './support/meter-points';
import { seededRandom } from './support/random';
import { makeTempDir, openTestStore, readRollupRows, type TempDir, type TestStore } from './support/temp-store';

const TIME_ZONE = 'Europe/Paris';
const KILLS = 6;
const READY_TIMEOUT_MS = 20_000;
const childScript = fileURLToPath(new URL('./fixtures/sample-writer-child.ts', import.meta.url));
const edgeNodeDir = fileURLToPath(new URL('../..', import.meta.url));

const running = new Set<ChildProcess>();

/** Starts the writer child and resolves once it prints `ready`. */
async function startWriter(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, path, TIME_ZONE], {
    cwd: edgeNodeDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer child not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`writer child exited before ready (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
  return child;
}

interface UsableAggregate {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
}

/** Aggregates the raw samples of a point in `[from, to)` that belong in rollups. */
function rawAggregate(db: SqliteDatabase, pointId: number, from: number, to: number): UsableAggregate {
  return db
    .prepare<[number, number, number, number], UsableAggregate>(
      `SELECT count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max FROM samples
       WHERE point_id = ? AND ts >= ? AND ts < ? AND quality < ? AND typeof(value) IN ('integer', 'real')`,
    )
    .get(pointId, from, to, STALE)!;
}

/** Checks the rollups left after a kill against the raw samples and returns the number of closed 1 min rows. */
function checkAgainstRawSamples(store: TestStore): number {
  const { db, writer } = store;
  const replayFrom = writer.rollups.replayFrom;

  for (const tier of tiers) {
    const wrong = readRollupRows(db, tier).filter((row) => {
      const raw = rawAggregate(db, row.point_id, row.bucket_start, row.bucket_end);
      return raw.count !== row.count || raw.sum !== row.sum || raw.min !== row.min || raw.max !== row.max;
    });
    expect(wrong, `${tier} rows that disagree with the raw samples`).toEqual([]);
  }

  // Every closed minute with usable raw samples has its row, and no row is missing or extra.
  const rawMinutes = db
    .prepare<[number, number], { point_id: number; minute: number; count: number }>(
      `SELECT point_id, ts / 60000 AS minute, count(*) AS count FROM samples
       WHERE ts < ? AND quality < ? AND typeof(value) IN ('integer', 'real')
       GROUP BY point_id, minute ORDER BY point_id, minute`,
    )
    .all(replayFrom, STALE);
  const closedRows = db
    .prepare<[number], { point_id: number; minute: number; count: number }>(
      'SELECT point_id, bucket_start / 60000 AS minute, count FROM rollup_1m WHERE bucket_start < ? ORDER BY point_id, bucket_start',
    )
    .all(replayFrom);
  expect(closedRows, 'closed 1 min rows against raw sample counts').toEqual(rawMinutes);

  // The counter's growth, stored and still open, equals its last reading minus its first.
  const energy = db
    .prepare<[{ id: number }], { first: number; last: number }>(
      `SELECT (SELECT value FROM samples WHERE point_id = @id ORDER BY ts LIMIT 1) AS first,
              (SELECT value FROM samples WHERE point_id = @id ORDER BY ts DESC LIMIT 1) AS last`,
    )
    .get({ id: store.ids.energy })!;
  const storedDelta = readRollupRows(db, '1m', store.ids.energy).reduce((sum, row) => sum + (row.delta ?? 0), 0);
  const openDelta = writer.rollups
    .openBuckets('1m', store.ids.energy, 0, Number.MAX_SAFE_INTEGER)
    .reduce((sum, bucket) => sum + (bucket.delta ?? 0), 0);
  expect(storedDelta + openDelta, 'energy growth in 1 min buckets').toBe(energy.last - energy.first);

  return closedRows.length;
}

describe('writer killed with SIGKILL', () => {
  let dir: TempDir;

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
    dir.remove();
  });

  it('leaves a sound database whose rollups match the raw samples', { timeout: 120_000 }, async () => {
    const path = `${dir.path}/edge.db`;
    const random = seededRandom(2024);
    let closedMinutes = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      const child = await startWriter(path);
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 350)));
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      expect(signal, `kill ${kill}`).toBe('SIGKILL');

      const raw = new Database(path);
      expect(raw.pragma('integrity_check', { simple: true }), `integrity after kill ${kill}`).toBe('ok');
      raw.close();

      const store = openTestStore(path, { timeZone: TIME_ZONE });
      try {
        store.writer.recover();
        const closedNow = checkAgainstRawSamples(store);
        expect(closedNow, `closed minutes grow after kill ${kill}`).toBeGreaterThan(closedMinutes);
        closedMinutes = closedNow;
        if (kill === KILLS - 1) expect(readRollupRows(store.db, '1d').length, 'closed local days').toBeGreaterThan(0);
      } finally {
        store.close();
      }
    }
  });
});
