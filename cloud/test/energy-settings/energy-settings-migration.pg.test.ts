import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { listMigrations, migrate } from '../../src/db/migrate';
import { createSilentLogger } from '../../src/logger';
import { createBlankDatabase, type BlankDatabase } from '../support/test-database';

/** Migration 0010 adds the organization currency and site_energy_settings to a database in use. */

let blank: BlankDatabase;
let owner: Sql;
let runtime: Sql;
let organizationId: string;
let siteId: string;

/** Runs `work` as the owner in a transaction scoped to every organization. */
function asOwner<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
  return owner.begin(async (tx) => {
    await tx`SELECT set_config('app.all_organizations', 'on', true)`;
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

beforeAll(async () => {
  blank = await createBlankDatabase('energy_settings_migration');
  owner = connectDatabase(blank.ownerUrl, { max: 2 });
  await owner`REVOKE ALL ON SCHEMA public FROM PUBLIC`;

  // The database as 0009 left it, with an organization and a site in use.
  await owner.begin(async (tx) => {
    await tx`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    for (const migration of listMigrations().filter((item) => item.version <= 9)) {
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
    }
  });
  const seeded = await asOwner(async (tx) => {
    const [organization] = await tx<{ id: string }[]>`INSERT INTO organizations (name) VALUES ('Existing Org') RETURNING id`;
    const [site] = await tx<{ id: string }[]>`
      INSERT INTO sites (organization_id, name, time_zone) VALUES (${organization!.id}, 'Existing plant', 'Europe/Paris') RETURNING id`;
    return { organizationId: organization!.id, siteId: site!.id };
  });
  organizationId = seeded.organizationId;
  siteId = seeded.siteId;

  const applied = await migrate(owner, blank.runtimeRole, createSilentLogger());
  expect(applied).toContain(10);
  runtime = connectDatabase(blank.runtimeUrl, { max: 2 });
});

afterAll(async () => {
  await runtime?.end({ timeout: 5 });
  await owner?.end({ timeout: 5 });
  await blank?.drop();
});

describe('migration 0010 (energy settings)', () => {
  it('gives existing organizations EUR', async () => {
    const [row] = await asOwner((tx) => tx<{ currency: string }[]>`SELECT currency FROM organizations WHERE id = ${organizationId}`);
    expect(row!.currency).toBe('EUR');
  });

  it('rejects a currency that is not three capitals', async () => {
    await expect(asOwner((tx) => tx`UPDATE organizations SET currency = 'eur' WHERE id = ${organizationId}`)).rejects.toThrow(/organizations_currency_check/);
  });

  it('forces row-level security on the settings table', async () => {
    const [table] = await owner<{ relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'site_energy_settings'`;
    expect(table).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('lets the runtime role write settings in scope', async () => {
    const stored = await runtime.begin(async (tx) => {
      await tx`SELECT set_config('app.organization_ids', ${`{${organizationId}}`}, true)`;
      await tx`INSERT INTO site_energy_settings (site_id, organization_id, settings) VALUES (${siteId}, ${organizationId}, '{"tariffs": []}'::jsonb)`;
      return tx<{ value: Record<string, string> }[]>`SELECT value FROM change_log WHERE shape = 'energy_settings' AND site_id = ${siteId}`;
    });
    expect(stored.map((row) => row.value)).toEqual([{ site_id: siteId, organization_id: organizationId, currency: 'EUR', settings: '{"tariffs": []}' }]);
  });

  it('rejects settings that are not an object', async () => {
    await expect(asOwner((tx) => tx`UPDATE site_energy_settings SET settings = '[]'::jsonb WHERE site_id = ${siteId}`)).rejects.toThrow(/site_energy_settings_settings_check/);
  });

  it('removes the settings with their site', async () => {
    await asOwner((tx) => tx`DELETE FROM sites WHERE id = ${siteId}`);
    const rows = await asOwner((tx) => tx`SELECT site_id FROM site_energy_settings`);
    expect(rows).toHaveLength(0);
    const tombstones = await asOwner((tx) => tx<{ value: Record<string, string> }[]>`
      SELECT value FROM change_log WHERE shape = 'energy_settings' AND operation = 'delete'`);
    expect(tombstones.map((row) => row.value)).toEqual([{ site_id: siteId }]);
  });
});
