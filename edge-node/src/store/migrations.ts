import type Database from 'better-sqlite3';

/** DDL of one rollup tier's table; the tiers are spelled out in each migration that uses it. */
function rollupTable(tier: string): string {
  return `
  CREATE TABLE rollup_${tier} (
    point_id INTEGER NOT NULL, bucket_start INTEGER NOT NULL, bucket_end INTEGER NOT NULL,
    count INTEGER NOT NULL, sum REAL, min REAL, max REAL, last REAL, last_ts INTEGER,
    delta REAL, estimated INTEGER NOT NULL DEFAULT 0, revision INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (point_id, bucket_start)
  ) WITHOUT ROWID;`;
}

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`. Never edit a released
 * migration: add a new one.
 *
 * Raw samples are keyed `(ts, point_id)`: time-ordered keys append to the B-tree and insert several
 * times faster than `(point_id, ts)` (figures in docs/benchmarks.md). Rollups are written once per
 * bucket and read per point, so they are keyed `(point_id, bucket_start)`.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE devices (
    key TEXT PRIMARY KEY,
    name TEXT,
    driver TEXT NOT NULL,
    definition TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unknown',
    status_ts INTEGER,
    status_error TEXT
  ) WITHOUT ROWID;

  CREATE TABLE points (
    id INTEGER PRIMARY KEY,
    device_key TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT,
    unit TEXT NOT NULL,
    data_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    definition TEXT NOT NULL,
    UNIQUE (device_key, key)
  );

  CREATE TABLE samples (
    ts INTEGER NOT NULL,
    point_id INTEGER NOT NULL,
    value ANY,
    quality INTEGER NOT NULL,
    PRIMARY KEY (ts, point_id)
  ) WITHOUT ROWID, STRICT;

  ${['1m', '15m', '1h', '1d'].map(rollupTable).join('\n')}

  CREATE TABLE counter_state (
    point_id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    value REAL NOT NULL
  );

  CREATE TABLE point_state (
    point_id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    value ANY,
    quality INTEGER NOT NULL
  );

  CREATE TABLE device_events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    device_key TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT
  );
  CREATE INDEX device_events_ts ON device_events (ts);
  `,
];

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this edge node knows (${migrations.length}); upgrade the edge node`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
