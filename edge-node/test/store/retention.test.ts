import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { applyRetention } from '../../src/store/retention';
import { tiers } from '../../src/store/time-buckets';
import { makeTempDir, type TempDir } from './support/temp-store';

const DAY_MS = 86_400_000;
const NOW_TS = Date.parse('2025-06-01T12:00:00Z');
const retention = { rawDays: 7, '1mDays': 31, '15mDays': 180, '1hDays': 730, '1dDays': 3650 };

let dir: TempDir;
let db: SqliteDatabase;

beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(`${dir.path}/edge.db`);
});

afterEach(() => {
  db.close();
  dir.remove();
});

function insertSample(ts: number, pointId = 1): void {
  db.prepare('INSERT INTO samples (ts, point_id, value, quality) VALUES (?, ?, ?, 0)').run(ts, pointId, 1.5);
}

function insertRollup(tier: string, bucketStart: number): void {
  db.prepare(`INSERT INTO rollup_${tier} (point_id, bucket_start, bucket_end, count, sum) VALUES (1, ?, ?, 1, 1)`).run(
    bucketStart,
    bucketStart + 60_000,
  );
}

const sampleTimes = () => db.prepare<[], { ts: number }>('SELECT ts FROM samples ORDER BY ts').all().map((row) => row.ts);
const rollupStarts = (tier: string) =>
  db.prepare<[], { bucket_start: number }>(`SELECT bucket_start FROM rollup_${tier} ORDER BY bucket_start`).all().map((row) => row.bucket_start);

describe('applyRetention', () => {
  it('deletes raw samples older than rawDays and keeps newer ones', () => {
    const cutoff = NOW_TS - 7 * DAY_MS;
    const old = [cutoff - 30 * DAY_MS, cutoff - 8 * 60_000 - 1, cutoff - 1];
    const kept = [cutoff, cutoff + 1, NOW_TS - DAY_MS, NOW_TS];
    for (const ts of [...old, ...kept]) insertSample(ts);
    insertSample(cutoff - 1, 2);

    const deleted = applyRetention(db, retention, NOW_TS);

    expect(sampleTimes()).toEqual(kept);
    expect(deleted).toBe(old.length + 1);
  });

  it.each(tiers)('deletes %s rollups older than their retention and keeps newer ones', (tier) => {
    const cutoff = NOW_TS - retention[`${tier}Days`] * DAY_MS;
    const kept = [cutoff, cutoff + 60_000, NOW_TS - 60_000];
    for (const start of [cutoff - DAY_MS, cutoff - 60_000, ...kept]) insertRollup(tier, start);

    const deleted = applyRetention(db, retention, NOW_TS);

    expect(rollupStarts(tier)).toEqual(kept);
    expect(deleted).toBe(2);
  });

  it('keeps each tier to its own retention', () => {
    // Forty days old: past the 1 min retention only.
    for (const tier of tiers) insertRollup(tier, NOW_TS - 40 * DAY_MS);
    applyRetention(db, retention, NOW_TS);
    expect(tiers.map((tier) => rollupStarts(tier).length)).toEqual([0, 1, 1, 1]);
  });

  it('deletes device events older than the 1 day retention', () => {
    const insert = db.prepare("INSERT INTO device_events (ts, device_key, status) VALUES (?, 'meter', 'online')");
    insert.run(NOW_TS - 3651 * DAY_MS);
    insert.run(NOW_TS - 3649 * DAY_MS);
    applyRetention(db, retention, NOW_TS);
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM device_events').get()!.n).toBe(1);
  });

  it('deletes a sample stamped near 1970 without walking the decades', () => {
    // A device with an unset clock stamps samples near epoch zero. Walking from there to the cutoff
    // in ten-minute slices takes about 2.9 million statements, many seconds of a blocked event loop.
    insertSample(0);
    insertSample(1_000);
    insertSample(NOW_TS - 8 * DAY_MS);
    insertSample(NOW_TS);

    const started = performance.now();
    const deleted = applyRetention(db, retention, NOW_TS);
    const elapsedMs = performance.now() - started;

    expect(deleted).toBe(3);
    expect(sampleTimes()).toEqual([NOW_TS]);
    expect(elapsedMs, 'retention time in ms').toBeLessThan(1_000);
  });

  it('deletes nothing from an empty database', () => {
    expect(applyRetention(db, retention, NOW_TS)).toBe(0);
  });
});
