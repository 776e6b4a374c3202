import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Queryable, type Sql } from '../../src/db/connect';
import { allOrganizations, inTenantScope, type TenantScope } from '../../src/db/scope';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let owner: Sql;
let runtime: Sql;
let organizationA: string;
let organizationB: string;
let siteA: string;
let siteB: string;
let userA: string;

const scopeOf = (organizationId: string): TenantScope => ({ all: false, organizationIds: [organizationId] });

beforeAll(async () => {
  fixture = await createCloudFixture('row_level_security');
  const seed = new Seed(fixture);
  organizationA = await seed.organization('A');
  organizationB = await seed.organization('B');
  siteA = await seed.site(organizationA, 'Site A');
  siteB = await seed.site(organizationB, 'Site B');
  userA = await seed.user('ana@a.test');
  await seed.membership(userA, organizationA);
  await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
    for (const organizationId of [organizationA, organizationB, null]) {
      await tx`INSERT INTO audit_log (organization_id, actor_type, action, target_type) VALUES (${organizationId}, 'system', 'test.seed', 'organization')`;
    }
  });
  owner = connectDatabase(fixture.db.ownerUrl, { max: 2 });
  runtime = connectDatabase(fixture.db.runtimeUrl, { max: 2 });
});

afterAll(async () => {
  await owner?.end({ timeout: 5 });
  await runtime?.end({ timeout: 5 });
  await fixture?.close();
});

async function organizationIdsSeenBy(sql: Sql, scope?: TenantScope): Promise<string[]> {
  const query = (db: Queryable) => db<{ id: string }[]>`SELECT id FROM organizations ORDER BY name`;
  const rows = scope === undefined ? await query(sql) : await inTenantScope(sql, scope, (tx) => query(tx));
  return rows.map((row) => row.id);
}

describe('row-level security for the owner', () => {
  it('shows no organization without a scope', async () => {
    expect(await organizationIdsSeenBy(owner)).toEqual([]);
  });

  it('shows only the scope', async () => {
    expect(await organizationIdsSeenBy(owner, scopeOf(organizationA))).toEqual([organizationA]);
  });

  it('shows every organization in the all scope', async () => {
    expect(await organizationIdsSeenBy(owner, allOrganizations)).toEqual([organizationA, organizationB]);
  });

  it('shows nothing for an empty list', async () => {
    expect(await organizationIdsSeenBy(owner, { all: false, organizationIds: [] })).toEqual([]);
  });
});

describe('row-level security for the runtime role', () => {
  it('shows no organization without a scope', async () => {
    expect(await organizationIdsSeenBy(runtime)).toEqual([]);
  });

  it('shows only the scope', async () => {
    expect(await organizationIdsSeenBy(runtime, scopeOf(organizationB))).toEqual([organizationB]);
  });

  it('shows several organizations of a list', async () => {
    const ids = await organizationIdsSeenBy(runtime, { all: false, organizationIds: [organizationA, organizationB] });
    expect(ids).toEqual([organizationA, organizationB]);
  });

  it('forces the policies on every tenant table', async () => {
    const tables = await owner<{ table_name: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      SELECT c.table_name, k.relrowsecurity, k.relforcerowsecurity
      FROM information_schema.columns c
      JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
      WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND k.relkind IN ('r', 'p')
      ORDER BY c.table_name`;
    expect(tables.map((table) => table.table_name)).toContain('sites');
    for (const table of tables) {
      expect(table.relrowsecurity, table.table_name).toBe(true);
      expect(table.relforcerowsecurity, table.table_name).toBe(true);
    }
  });

  it('runs every view with the policies of its caller', async () => {
    const views = await owner<{ relname: string; reloptions: string[] | null }[]>`
      SELECT relname, reloptions FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'v' ORDER BY relname`;
    expect(views.map((view) => view.relname)).toContain('telemetry_point_rollups');
    for (const view of views) expect(view.reloptions ?? [], view.relname).toContain('security_invoker=true');
  });
});

describe('tenant settings', () => {
  it('end with the transaction on a pooled connection', async () => {
    const single = connectDatabase(fixture.db.ownerUrl, { max: 1 });
    try {
      const inside = await inTenantScope(single, allOrganizations, (tx) => tx`SELECT count(*)::int AS count FROM organizations`);
      expect(inside[0]!.count).toBe(2);

      const [after] = await single<{ count: number; all: string | null; ids: string | null }[]>`
        SELECT (SELECT count(*)::int FROM organizations) AS count,
               current_setting('app.all_organizations', true) AS all,
               current_setting('app.organization_ids', true) AS ids`;
      expect(after!.count).toBe(0);
      expect(after!.all ?? '').toBe('');
      expect(after!.ids ?? '').toBe('');
    } finally {
      await single.end({ timeout: 5 });
    }
  });

  it('end with a rolled-back transaction too', async () => {
    const single = connectDatabase(fixture.db.ownerUrl, { max: 1 });
    try {
      const failed = inTenantScope(single, allOrganizations, async (tx) => {
        await tx`SELECT 1`;
        throw new Error('work failed');
      });
      await expect(failed).rejects.toThrow('work failed');
      const [after] = await single<{ count: number }[]>`SELECT count(*)::int AS count FROM organizations`;
      expect(after!.count).toBe(0);
    } finally {
      await single.end({ timeout: 5 });
    }
  });

  it('use one backend for both the scope and the work', async () => {
    const single = connectDatabase(fixture.db.ownerUrl, { max: 1 });
    try {
      const [first] = await single<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      const inside = await inTenantScope(single, scopeOf(organizationA), (tx) => tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`);
      expect(inside[0]!.pid).toBe(first!.pid);
    } finally {
      await single.end({ timeout: 5 });
    }
  });
});

describe('a scope of organization A', () => {
  const inA = <T>(work: Parameters<typeof inTenantScope<T>>[2]) => inTenantScope(runtime, scopeOf(organizationA), work);

  it('cannot read B by id', async () => {
    const rows = await inA((tx) => tx`SELECT id FROM organizations WHERE id = ${organizationB}`);
    expect(rows).toHaveLength(0);
  });

  it('cannot read the sites of B by organization', async () => {
    const rows = await inA((tx) => tx`SELECT id FROM sites WHERE organization_id = ${organizationB}`);
    expect(rows).toHaveLength(0);
  });

  it('cannot read a site of B by id', async () => {
    const rows = await inA((tx) => tx`SELECT id FROM sites WHERE id = ${siteB}`);
    expect(rows).toHaveLength(0);
  });

  it('reads its own site', async () => {
    const rows = await inA((tx) => tx`SELECT id FROM sites WHERE id = ${siteA}`);
    expect(rows).toHaveLength(1);
  });

  it('cannot insert a site into B', async () => {
    const insert = inA((tx) => tx`INSERT INTO sites (organization_id, name, time_zone) VALUES (${organizationB}, 'Planted', 'UTC')`);
    await expect(insert).rejects.toThrow(/row-level security/);
  });

  it('cannot insert a membership into B', async () => {
    const insert = inA((tx) => tx`INSERT INTO memberships (user_id, organization_id, role) VALUES (${userA}, ${organizationB}, 'org_admin')`);
    await expect(insert).rejects.toThrow(/row-level security/);
  });

  it('cannot move its membership into B', async () => {
    const update = inA((tx) => tx`UPDATE memberships SET organization_id = ${organizationB} WHERE user_id = ${userA}`);
    await expect(update).rejects.toThrow(/row-level security/);
  });

  it('cannot rename a site of B', async () => {
    const updated = await inA((tx) => tx`UPDATE sites SET name = 'Taken' WHERE id = ${siteB} RETURNING id`);
    expect(updated).toHaveLength(0);
    const [site] = await inTenantScope(runtime, allOrganizations, (tx) => tx<{ name: string }[]>`SELECT name FROM sites WHERE id = ${siteB}`);
    expect(site!.name).toBe('Site B');
  });

  it('cannot delete B', async () => {
    const deleted = await inA((tx) => tx`DELETE FROM organizations WHERE id = ${organizationB} RETURNING id`);
    expect(deleted).toHaveLength(0);
  });

  it('cannot write an audit entry for B', async () => {
    const insert = inA(
      (tx) => tx`INSERT INTO audit_log (organization_id, actor_type, action, target_type) VALUES (${organizationB}, 'system', 'test.forged', 'organization')`,
    );
    await expect(insert).rejects.toThrow(/row-level security/);
  });

  it('reads only its own audit entries', async () => {
    const rows = await inA((tx) => tx<{ organization_id: string | null }[]>`SELECT organization_id FROM audit_log WHERE action = 'test.seed'`);
    expect(rows.map((row) => row.organization_id)).toEqual([organizationA]);
  });

  it('leaves entries without an organization to the all scope', async () => {
    const rows = await inTenantScope(runtime, allOrganizations, (tx) => tx`SELECT id FROM audit_log WHERE action = 'test.seed'`);
    expect(rows).toHaveLength(3);
  });
});
