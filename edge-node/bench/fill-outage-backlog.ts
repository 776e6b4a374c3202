/**
 * Fills the edge database of a paired data folder with the rollups a site collects during an outage
 * of the cloud link, all queued for upload, for the hub's catch-up benchmark (cloud/bench/sync), which
 * cannot open SQLite itself. Run it while no edge process uses the folder:
 *
 *   node --import tsx bench/fill-outage-backlog.ts DATABASE_PATH '{"devices":10,"pointsPerDevice":100,"days":3,"pollIntervalMs":5000,"timeZone":"Europe/Paris"}'
 *
 * The rows are generated in SQL, one statement per tier for all points and buckets, so days of
 * history take seconds instead of the minutes a replay through the sample writer would take. The
 * schema is the edge's own (`openDatabase` runs its migrations) and the points are registered like a
 * poller does. The outbox is ordered by bucket end, as a running edge fills it: each 1 min bucket,
 * then the coarser buckets that close at the same time. Each entry carries the values of its row, as
 * the commit queues them. Prints one JSON line with the row counts.
 */
import { modbusPointSchema, modbusTcpDeviceSchema } from '@simtestlab/sync';
import { z } from 'zod';
import { openDatabase, type SqliteDatabase } from '../src/store/database';
import { PointRegistry } from '../src/store/point-registry';
import { bucketOf, tiers, type Tier } from '../src/store/time-buckets';
import { UPLOAD_QUEUE_META_KEY } from '../src/upload/event-queue';
import { QUEUED_ROLLUP_COLUMNS, ROLLUP_TABLE_COLUMNS } from '../src/upload/outbox-writer';

const optionsSchema = z.strictObject({
  devices: z.number().int().min(1),
  pointsPerDevice: z.number().int().min(1),
  days: z.number().int().min(1),
  pollIntervalMs: z.number().int().min(100),
  timeZone: z.string(),
});
type FillOptions = z.infer<typeof optionsSchema>;

const MINUTE_MS = 60_000;
/** Every n-th point is an energy counter, whose rows carry a delta. */
const COUNTER_EVERY = 10;

/** Registers `devices` Modbus meters of `pointsPerDevice` float32 points each, as the runtime does at start. */
function registerPoints(db: SqliteDatabase, options: FillOptions): void {
  const registry = new PointRegistry(db);
  const points = Array.from({ length: options.pointsPerDevice }, (_, index) =>
    modbusPointSchema.parse({
      key: index % COUNTER_EVERY === 0 ? `energy_${index}` : `power_${index}`,
      unit: index % COUNTER_EVERY === 0 ? 'kWh' : 'W',
      dataType: 'float32',
      kind: index % COUNTER_EVERY === 0 ? 'counter' : 'gauge',
      address: index * 2,
    }),
  );
  for (let index = 0; index < options.devices; index++) {
    const device = modbusTcpDeviceSchema.parse({
      key: `meter-${String(index).padStart(2, '0')}`,
      driver: 'modbus-tcp',
      pollIntervalMs: options.pollIntervalMs,
      connection: { host: '127.0.0.1', port: 1502 },
      points,
    });
    registry.registerDevice(device);
    registry.registerPoints(device.key, device.points, device.pollIntervalMs);
  }
}

/**
 * Queues every generated row with its values. A tier's rank orders the queue at one instant: the
 * 1 min bucket closes first, then the coarser ones. Every row of a registered point in the fill range
 * is a generated one, because any other would have made the inserts fail on its key.
 */
function queueRowsSql(): string {
  const rows = tiers.map((tier, rank) => `SELECT '${tier}' AS tier, ${rank} AS rank, ${ROLLUP_TABLE_COLUMNS} AS row FROM rollup_${tier}`);
  return `
    INSERT INTO upload_rollups (tier, ${QUEUED_ROLLUP_COLUMNS})
    SELECT tier, ${QUEUED_ROLLUP_COLUMNS} FROM (${rows.join(' UNION ALL ')})
    WHERE bucket_start >= @startTs AND bucket_start < @endTs AND point_id IN (SELECT id FROM points)
    ORDER BY bucket_end, rank, point_id`;
}

/**
 * Writes every bucket of `tier` for every point in one statement, in key order, so the rows append to
 * the table's B-tree. A gauge hovers around a value derived from its id and the bucket; a counter
 * grows by 0.05 per poll. `count` is the number of polls in the bucket, `last_ts` the last poll.
 */
function insertTierSql(tier: Tier): string {
  const value = `((p.id * 7919 + b.start / ${MINUTE_MS}) % 1000) / 10.0`;
  return `
    INSERT INTO rollup_${tier} (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
    SELECT p.id, b.start, b.end, b.polls, b.polls * ${value}, ${value} - 1, ${value} + 1, ${value}, b.end - @pollIntervalMs,
      CASE WHEN p.kind = 'counter' THEN b.polls * 0.05 ELSE NULL END, 0, 1
    FROM points p JOIN fill_buckets b ON b.tier = '${tier}'
    ORDER BY p.id, b.start`;
}

const options = optionsSchema.parse(JSON.parse(process.argv[3] ?? 'null'));
const databasePath = process.argv[2];
if (databasePath === undefined) throw new Error('usage: fill-outage-backlog.ts DATABASE_PATH OPTIONS_JSON');

const db = openDatabase(databasePath);
// A fill that fails is run again, so it needs neither a journal nor fsyncs. The cache is large enough
// for the whole outbox index, because the outbox is written in time order and each minute of it
// lands in a thousand places of its (tier, point, bucket) key.
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -2000000');
registerPoints(db, options);
// The outbox is on, as on an edge that was paired before the outage; the edge then queues nothing again at start.
db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, String(Date.now()));

// The outage ends at the last local midnight, so every tier has whole buckets, the days included.
const endTs = bucketOf('1d', Date.now(), options.timeZone).start;
const startTs = bucketOf('1d', endTs - options.days * 86_400_000 + MINUTE_MS, options.timeZone).start;
db.exec('CREATE TEMP TABLE fill_buckets (tier TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, polls INTEGER NOT NULL)');
const addBucket = db.prepare('INSERT INTO fill_buckets (tier, start, end, polls) VALUES (?, ?, ?, ?)');

const started = performance.now();
db.transaction(() => {
  for (const tier of tiers) {
    for (let ts = startTs; ts < endTs; ) {
      const bucket = bucketOf(tier, ts, options.timeZone);
      addBucket.run(tier, bucket.start, bucket.end, Math.round((bucket.end - bucket.start) / options.pollIntervalMs));
      ts = bucket.end;
    }
  }
  for (const tier of tiers) db.prepare(insertTierSql(tier)).run({ pollIntervalMs: options.pollIntervalMs });
  db.prepare(queueRowsSql()).run({ startTs, endTs });
})();
const count = (table: string) => db.prepare<[], { count: number }>(`SELECT count(*) AS count FROM ${table}`).get()!.count;
const rollups = Object.fromEntries(tiers.map((tier) => [tier, count(`rollup_${tier}`)]));
db.pragma('journal_mode = WAL');
process.stdout.write(
  `${JSON.stringify({ fromTs: startTs, toTs: endTs, points: count('points'), rollups, queuedRollups: count('upload_rollups'), queuedEvents: count('upload_events'), fillMs: Math.round(performance.now() - started) })}\n`,
);
db.close();
