import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeQuality } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitWorker } from '../../src/store/commit-worker';
import { tiers } from '../../src/store/time-buckets';
import { makeTempDir, openTestStore, readRollupRows, type TempDir, type TestStore } from './support/temp-store';

const TIME_ZONE = 'Europe/Paris';
const START = Date.UTC(2026, 2, 28, 22, 50);
const STEP_MS = 7_000;
const BAD = encodeQuality('bad', 'timeout');

function feed(store: TestStore, count: number, text = false): void {
  for (let index = 0; index < count; index++) {
    const ts = START + index * STEP_MS;
    store.writer.add({ pointId: store.ids.power, ts, value: index % 500, quality: 0 });
    store.writer.add({ pointId: store.ids.energy, ts, value: 1000 + index * 3, quality: 0 });
    const missing = index % 7 === 0;
    let voltage: string | number | null = missing ? null : 230 + (index % 3);
    if (text && index % 50 === 0) voltage = 'n/a';
    store.writer.add({ pointId: store.ids.voltage, ts, value: voltage, quality: missing ? BAD : 0 });
  }
}

describe('commit worker', () => {
  const dirs: TempDir[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('writes the same rows as a commit on the main thread', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const direct = openTestStore(join(dir.path, 'direct.db'), { timeZone: TIME_ZONE });
    const viaWorker = openTestStore(join(dir.path, 'worker.db'), { timeZone: TIME_ZONE });
    cleanups.push(() => direct.close(), () => viaWorker.close());
    const worker = await CommitWorker.start(join(dir.path, 'worker.db'));
    cleanups.push(() => worker.close());

    const rounds = 12;
    const perRound = 300;
    for (let round = 0; round < rounds; round++) {
      for (const store of [direct, viaWorker]) {
        for (let index = round * perRound; index < (round + 1) * perRound; index++) {
          const ts = START + index * STEP_MS;
          store.writer.add({ pointId: store.ids.power, ts, value: index % 500, quality: 0 });
          store.writer.add({ pointId: store.ids.energy, ts, value: 1000 + index * 3, quality: 0 });
          store.writer.add({ pointId: store.ids.voltage, ts, value: index % 50 === 0 ? 'n/a' : 230 + (index % 3), quality: 0 });
        }
        store.clock.nowTs = START + (round + 1) * perRound * STEP_MS;
      }
      direct.writer.commit();
      await viaWorker.writer.commitWith((batch) => worker.commit(batch));
    }

    const samplesOf = (store: TestStore) => store.db.prepare('SELECT * FROM samples ORDER BY ts, point_id').all();
    expect(samplesOf(viaWorker)).toHaveLength(rounds * perRound * 3);
    expect(samplesOf(viaWorker)).toEqual(samplesOf(direct));
    for (const tier of tiers) {
      const rows = readRollupRows(viaWorker.db, tier);
      expect(rows.length, `rows of ${tier}`).toBeGreaterThan(0);
      expect(rows, `rows of ${tier}`).toEqual(readRollupRows(direct.db, tier));
    }
    const counterState = (store: TestStore) => store.db.prepare('SELECT * FROM counter_state').all();
    expect(counterState(viaWorker)).toEqual(counterState(direct));
    expect(viaWorker.writer.pendingCount).toBe(0);
  });

  it('keeps a failed batch and commits it on the next try', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = openTestStore(join(dir.path, 'edge.db'), { timeZone: TIME_ZONE });
    cleanups.push(() => store.close());
    const worker = await CommitWorker.start(join(dir.path, 'edge.db'));
    cleanups.push(() => worker.close());
    feed(store, 100, true);
    store.clock.nowTs = START + 100 * STEP_MS;

    store.db.exec("CREATE TRIGGER refuse_samples BEFORE INSERT ON samples BEGIN SELECT RAISE(ABORT, 'samples refused by the test'); END");
    await expect(store.writer.commitWith((batch) => worker.commit(batch))).rejects.toThrow(/samples refused by the test/);
    expect(store.writer.pendingCount).toBe(300);
    expect(store.db.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 0 });
    store.db.exec('DROP TRIGGER refuse_samples');

    await store.writer.commitWith((batch) => worker.commit(batch));

    expect(store.writer.pendingCount).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 300 });
    expect(store.db.prepare("SELECT count(*) AS n FROM samples WHERE value = 'n/a'").get()).toEqual({ n: 2 });
  });

  it('reports a worker that cannot open its database', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    writeFileSync(join(dir.path, 'not-a-folder'), '');

    await expect(CommitWorker.start(join(dir.path, 'not-a-folder', 'edge.db'))).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
