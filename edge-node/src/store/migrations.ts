import type Database from 'better-sqlite3';
import { snapshotBeforeMigration } from './database-snapshot';

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
  // Site metadata synced from the hub, one table per shape keyed like the shape. Booleans are
  // 0 or 1 and JSON columns are text. There are no foreign keys because each shape syncs on its own,
  // so a point can arrive before its device. `shape_state` stores each shape's handle and last offset,
  // written in the same transaction as the rows, so a restart resumes exactly after them.
  `
  CREATE TABLE cloud_site (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, time_zone TEXT NOT NULL,
    latitude REAL, longitude REAL, operator_control INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_site_nodes (
    id TEXT PRIMARY KEY, site_id TEXT NOT NULL, parent_id TEXT, kind TEXT NOT NULL, name TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_devices (
    id TEXT PRIMARY KEY, site_id TEXT NOT NULL, node_id TEXT, key TEXT NOT NULL, driver TEXT NOT NULL,
    config TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_points (
    id TEXT PRIMARY KEY, site_id TEXT NOT NULL, device_id TEXT NOT NULL, key TEXT NOT NULL,
    position INTEGER NOT NULL, config TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_alarm_rules (
    id TEXT PRIMARY KEY, site_id TEXT NOT NULL, point_id TEXT, name TEXT NOT NULL, severity TEXT NOT NULL,
    enabled INTEGER NOT NULL, condition TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_site_users (
    user_id TEXT PRIMARY KEY, site_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, status TEXT NOT NULL, password_hash TEXT, developer INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cloud_jwks (kid TEXT PRIMARY KEY, jwk TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE shape_state (
    shape TEXT PRIMARY KEY, handle TEXT NOT NULL, "offset" TEXT NOT NULL, updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Local audit log: who did what on this edge. Append-only, because triggers abort any UPDATE or
  // DELETE; `at` is epoch ms UTC and `details` a JSON object.
  `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'cli', 'system', 'cloud')),
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details) AND json_type(details) = 'object')
  ) STRICT;
  CREATE INDEX audit_log_at ON audit_log (at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;
  `,
  // Local installer accounts, which log in on this edge without the hub. `password_hash` is an
  // argon2id PHC string; usernames are unique regardless of case.
  `
  CREATE TABLE local_accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Upload outbox of a paired edge: what the hub has not acknowledged yet. A rollup row is queued
  // again with a new `seq` whenever its revision rises, so the uploader, which deletes only the seqs
  // the hub acknowledged, keeps a row that changed while its batch was in flight. `seq` is a plain
  // rowid: SQLite picks max(seq) + 1 before INSERT OR REPLACE deletes the old row, so a re-queued row
  // never reuses the seq of a batch in flight. `payload` is a JSON object; `at` is epoch ms UTC.
  `
  CREATE TABLE upload_rollups (
    seq INTEGER PRIMARY KEY,
    tier TEXT NOT NULL,
    point_id INTEGER NOT NULL,
    bucket_start INTEGER NOT NULL,
    UNIQUE (tier, point_id, bucket_start)
  );
  CREATE INDEX upload_rollups_tier_start ON upload_rollups (tier, bucket_start);
  CREATE TABLE upload_events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object')
  );
  CREATE INDEX upload_events_at ON upload_events (at);
  `,
  // A queued rollup entry carries its row as the JSON of the wire tuple, so the uploader reads the outbox
  // in seq order without a lookup in the tier table per row, and sends the rows without converting
  // each value. The one key is ordered by time, so a batch, which is a range of seqs, has its entries
  // side by side in it. With the key ordered by point, deleting an acknowledged batch touched about a
  // leaf page per entry. The table is rebuilt because SQLite cannot drop a UNIQUE constraint. Entries
  // queued before this migration get the values their row has now, with an infinite value as null. An
  // entry whose row is gone keeps NULL values, and the reader skips it.
  `
  CREATE TABLE upload_rollups_queue (
    seq INTEGER PRIMARY KEY,
    tier TEXT NOT NULL,
    point_id INTEGER NOT NULL,
    bucket_start INTEGER NOT NULL,
    bucket_end INTEGER,
    last_ts INTEGER,
    row TEXT,
    UNIQUE (tier, bucket_start, point_id)
  );
  ${['1m', '15m', '1h', '1d']
    .map(
      (tier) => `
  INSERT INTO upload_rollups_queue
  SELECT u.seq, u.tier, u.point_id, u.bucket_start, r.bucket_end, r.last_ts,
         CASE WHEN r.point_id IS NULL THEN NULL
              ELSE json_array(r.bucket_start, r.bucket_end, r.count, CASE WHEN abs(r.sum) <= 1.7976931348623157e308 THEN r.sum END, CASE WHEN abs(r.min) <= 1.7976931348623157e308 THEN r.min END,
                              CASE WHEN abs(r.max) <= 1.7976931348623157e308 THEN r.max END, CASE WHEN abs(r.last) <= 1.7976931348623157e308 THEN r.last END, r.last_ts,
                              CASE WHEN abs(r.delta) <= 1.7976931348623157e308 THEN r.delta END, r.estimated, r.revision) END
  FROM upload_rollups u LEFT JOIN rollup_${tier} r ON r.point_id = u.point_id AND r.bucket_start = u.bucket_start
  WHERE u.tier = '${tier}';`,
    )
    .join('\n')}
  DROP TABLE upload_rollups;
  ALTER TABLE upload_rollups_queue RENAME TO upload_rollups;
  `,
  // Alarms: the current state of each rule's alarm, and every transition in order. `seq` orders the
  // transitions of this edge; `request_id` keeps an action relayed by the hub from being applied twice.
  // `value`, `acknowledged_by` and `user` are JSON text: a value column in a table that is not STRICT
  // would store the text "3" of a string register as the number 3.
  `
  CREATE TABLE alarm_state (
    rule_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    point TEXT,
    device TEXT,
    state TEXT NOT NULL,
    condition_active INTEGER NOT NULL DEFAULT 0,
    occurrence TEXT,
    message TEXT NOT NULL DEFAULT '',
    value TEXT,
    active_since INTEGER,
    acknowledged_at INTEGER,
    acknowledged_by TEXT,
    shelved_until INTEGER,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE alarm_transitions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    rule_id TEXT NOT NULL,
    occurrence TEXT,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL,
    value TEXT,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    point TEXT,
    device TEXT,
    user TEXT,
    comment TEXT,
    shelved_until INTEGER,
    request_id TEXT UNIQUE
  );
  CREATE INDEX alarm_transitions_at ON alarm_transitions (at);
  CREATE INDEX alarm_transitions_rule ON alarm_transitions (rule_id, seq);
  `,
  // Device control: the lease each controlled point is under, so a restart ends remote leases and
  // keeps on-site holds.
  `
  CREATE TABLE control_leases (
    point TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('local', 'remote')),
    value ANY,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    expires_at INTEGER
  ) WITHOUT ROWID;
  `,
  // Point catalog uploads: a fingerprint of the catalog last queued per device, so a restart that
  // registers the same points queues no new catalog event.
  `
  CREATE TABLE point_catalog_queued (
    device_key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    queued_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // First-boot setup writes audit entries as actor type 'setup'. SQLite cannot change a CHECK
  // constraint in place, so the table is rebuilt with its rows, index and append-only triggers.
  `
  CREATE TABLE audit_log_rebuilt (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'cli', 'system', 'cloud', 'setup')),
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details) AND json_type(details) = 'object')
  ) STRICT;
  INSERT INTO audit_log_rebuilt (id, at, actor_type, actor_id, action, target_type, target_id, details)
    SELECT id, at, actor_type, actor_id, action, target_type, target_id, details FROM audit_log;
  DROP TRIGGER audit_log_no_update;
  DROP TRIGGER audit_log_no_delete;
  DROP TABLE audit_log;
  ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
  CREATE INDEX audit_log_at ON audit_log (at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;
  `,
  // The `energy_settings` shape: the site's tariffs, virtual meters and emission factor, and its
  // organization's currency. `settings` is JSON text, checked when the energy routes read it.
  `
  CREATE TABLE cloud_energy_settings (
    site_id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, currency TEXT NOT NULL, settings TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];

/** Schema version this edge node migrates databases to, stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = migrations.length;

/**
 * Applies the migrations the database has not seen yet, each in its own transaction. `targetVersion`
 * stops at an earlier version, so a test can build a database as an older edge node left it.
 */
export function migrate(db: Database.Database, targetVersion = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this edge node knows (${migrations.length}); upgrade the edge node`,
    );
  }
  if (current < Math.min(targetVersion, migrations.length)) snapshotBeforeMigration(db, current);
  for (let version = current; version < Math.min(targetVersion, migrations.length); version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
