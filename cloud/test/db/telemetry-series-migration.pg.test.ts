import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { listMigrations, migrate } from '../../src/db/migrate';
import { createSilentLogger } from '../../src/logger';
import { createBlankDatabase, type BlankDatabase } from '../support/test-database';

/** Migration 0005 moves the rollups of 0004, keyed by site, point and resolution, to series ids. */

let blank: BlankDatabase;
let owner: Sql;

beforeAll(async () => {
  blank = await createBlankDatabase('series_migration');
  owner = connectDatabase(blank.ownerUrl, { max: 2 });
  await owner`REVOKE ALL ON SCHEMA public FROM PUBLIC`;
});

afterAll(async () => {
  await owner?.end();
  await blank?.drop();
});

/** Applies the migrations up to `lastVersion` as `cloud migrate` records them. */
async function migrateThrough(lastVersion: number): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    for (const migration of listMigrations().filter((item) => item.version <= lastVersion)) {
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
    }
  });
}

/** Runs `work` as the owner in a transaction scoped to every organization. */
function asOwner<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
  return owner.begin(async (tx) => {
    await tx`SELECT set_config('app.all_organizations', 'on', true)`;
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

describe('migration 0005 (telemetry series)', () => {
  it('moves 0004 rollups to series', async () => {
    await migrateThrough(4);
    const { siteId } = await asOwner(async (tx) => {
      const [organization] = await tx<{ id: string }[]>`INSERT INTO organizations (name) VALUES ('Migration Org') RETURNING id`;
      const [site] = await tx<{ id: string }[]>`
        INSERT INTO sites (organization_id, name, time_zone) VALUES (${organization!.id}, 'Plant', 'Europe/Paris') RETURNING id`;
      await tx`SELECT telemetry_rollups_ensure_partitions(ARRAY['2026-10-31T23:59:00Z', '2026-11-01T00:00:00Z']::timestamptz[])`;
      await tx`
        INSERT INTO telemetry_rollups (organization_id, site_id, point, resolution, bucket_start, bucket_end, count, sum, min, max, last,
                                       last_ts, delta, estimated, revision, received_at)
        VALUES (${organization!.id}, ${site!.id}, 'meter.power', '1m', '2026-10-31T23:59:00Z', '2026-11-01T00:00:00Z', 12, 60, 4, 6, 5, '2026-10-31T23:59:55Z', NULL, false, 2, now()),
               (${organization!.id}, ${site!.id}, 'meter.power', '1m', '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', 12, 72, 5, 7, 6, '2026-11-01T00:00:55Z', NULL, false, 1, now()),
               (${organization!.id}, ${site!.id}, 'meter.energy', '1h', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z', 720, 1, 0, 1, 1, '2026-11-01T00:59:55Z', 3.5, true, 4, now())`;
      return { siteId: site!.id };
    });

    const later = listMigrations().map((migration) => migration.version).filter((version) => version > 4);
    expect(await migrate(owner, blank.runtimeRole, createSilentLogger())).toEqual(later);

    const rows = await asOwner((tx) => tx<{ point: string; resolution: string; start: string; last: number; delta: number | null; estimated: boolean; revision: number }[]>`
      SELECT point, resolution, to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS start, last, delta, estimated, revision
      FROM telemetry_point_rollups WHERE site_id = ${siteId} ORDER BY resolution, point, bucket_start`);
    expect(rows).toEqual([
      { point: 'meter.energy', resolution: '1h', start: '2026-11-01 00:00', last: 1, delta: 3.5, estimated: true, revision: 4 },
      { point: 'meter.power', resolution: '1m', start: '2026-10-31 23:59', last: 5, delta: null, estimated: false, revision: 2 },
      { point: 'meter.power', resolution: '1m', start: '2026-11-01 00:00', last: 6, delta: null, estimated: false, revision: 1 },
    ]);
    const series = await asOwner((tx) => tx`SELECT point, resolution FROM telemetry_series WHERE site_id = ${siteId} ORDER BY point`);
    expect(series).toHaveLength(2);

    const partitions = await owner<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry_rollups'::regclass ORDER BY 1`;
    expect(partitions.map((partition) => partition.name)).toEqual(['telemetry_rollups_2026_10', 'telemetry_rollups_2026_11']);
    const leftovers = await owner`SELECT relname FROM pg_class WHERE relname LIKE '%\\_0004'`;
    expect(leftovers).toEqual([]);

    await asOwner((tx) => tx`DELETE FROM sites WHERE id = ${siteId}`);
    const [remaining] = await asOwner((tx) => tx<{ rollups: number; series: number }[]>`
      SELECT (SELECT count(*)::int FROM telemetry_rollups) AS rollups, (SELECT count(*)::int FROM telemetry_series) AS series`);
    expect(remaining).toEqual({ rollups: 0, series: 0 });
  });
});
