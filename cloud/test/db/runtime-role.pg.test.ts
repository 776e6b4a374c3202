import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let owner: Sql;
let runtime: Sql;

beforeAll(async () => {
  fixture = await createCloudFixture('runtime_role');
  owner = connectDatabase(fixture.db.ownerUrl, { max: 2 });
  runtime = connectDatabase(fixture.db.runtimeUrl, { max: 2 });
  await inTenantScope(owner, allOrganizations, (tx) => tx`INSERT INTO audit_log (actor_type, action, target_type) VALUES ('system', 'test.seed', 'user')`);
});

afterAll(async () => {
  await owner?.end({ timeout: 5 });
  await runtime?.end({ timeout: 5 });
  await fixture?.close();
});

async function privilege(table: string, privilege: string): Promise<boolean> {
  const [row] = await owner<{ allowed: boolean }[]>`SELECT has_table_privilege(${fixture.db.runtimeRole}, ${table}, ${privilege}) AS allowed`;
  return row!.allowed;
}

describe('runtime role', () => {
  it('owns no table, view or sequence', async () => {
    const owned = await owner<{ relname: string }[]>`
      SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = ${fixture.db.runtimeRole})`;
    expect(owned).toEqual([]);
  });

  it('owns no function', async () => {
    const owned = await owner<{ proname: string }[]>`
      SELECT proname FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = ${fixture.db.runtimeRole})`;
    expect(owned).toEqual([]);
  });

  it('is neither superuser nor exempt from row-level security', async () => {
    const [role] = await owner<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${fixture.db.runtimeRole}`;
    expect(role!.rolsuper).toBe(false);
    expect(role!.rolbypassrls).toBe(false);
  });

  it('cannot create objects in the schema', async () => {
    const [row] = await owner<{ allowed: boolean }[]>`SELECT has_schema_privilege(${fixture.db.runtimeRole}, 'public', 'CREATE') AS allowed`;
    expect(row!.allowed).toBe(false);
  });

  it.each(['UPDATE', 'DELETE', 'TRUNCATE'])('has no %s on audit_log', async (name) => {
    expect(await privilege('audit_log', name)).toBe(false);
  });

  it.each(['SELECT', 'INSERT'])('has %s on audit_log', async (name) => {
    expect(await privilege('audit_log', name)).toBe(true);
  });

  it('has no privilege on schema_migrations', async () => {
    for (const name of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) {
      expect(await privilege('schema_migrations', name), name).toBe(false);
    }
  });

  it('reads but never writes the change log tables', async () => {
    for (const table of ['change_log', 'change_log_generations', 'site_users_state']) {
      expect(await privilege(table, 'SELECT'), `${table} SELECT`).toBe(true);
      for (const name of ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) {
        expect(await privilege(table, name), `${table} ${name}`).toBe(false);
      }
    }
  });

  it('only adds uploaded events and alarm transitions', async () => {
    for (const table of ['edge_events', 'alarm_transitions']) {
      for (const name of ['SELECT', 'INSERT']) expect(await privilege(table, name), `${table} ${name}`).toBe(true);
      for (const name of ['UPDATE', 'DELETE', 'TRUNCATE']) expect(await privilege(table, name), `${table} ${name}`).toBe(false);
    }
  });

  it('cannot read schema_migrations', async () => {
    await expect(runtime`SELECT version FROM schema_migrations`).rejects.toThrow(/permission denied/);
  });

  it('truncates, references and triggers nothing', async () => {
    const granted = await owner<{ table_name: string; privilege_type: string }[]>`
      SELECT table_name, privilege_type FROM information_schema.role_table_grants
      WHERE grantee = ${fixture.db.runtimeRole} AND privilege_type NOT IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')`;
    expect(granted).toEqual([]);
  });

  it('cannot update audit_log', async () => {
    const update = inTenantScope(runtime, allOrganizations, (tx) => tx`UPDATE audit_log SET action = 'test.changed'`);
    await expect(update).rejects.toThrow(/permission denied/);
  });

  it('cannot turn off row-level security', async () => {
    await expect(runtime`ALTER TABLE organizations DISABLE ROW LEVEL SECURITY`).rejects.toThrow(/must be owner/);
  });

  it('cannot reset a sequence', async () => {
    await expect(runtime`SELECT setval('audit_log_id_seq', 1)`).rejects.toThrow(/permission denied/);
  });
});

describe('audit_log for the owner', () => {
  const inAll = <T>(work: Parameters<typeof inTenantScope<T>>[2]) => inTenantScope(owner, allOrganizations, work);

  it('rejects an UPDATE', async () => {
    await expect(inAll((tx) => tx`UPDATE audit_log SET action = 'test.changed'`)).rejects.toThrow(/append-only/);
  });

  it('rejects an UPDATE that matches no row', async () => {
    await expect(inAll((tx) => tx`UPDATE audit_log SET action = 'test.changed' WHERE false`)).rejects.toThrow(/append-only/);
  });

  it('rejects a DELETE', async () => {
    await expect(inAll((tx) => tx`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('rejects a TRUNCATE', async () => {
    await expect(inAll((tx) => tx`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('keeps the entry', async () => {
    const rows = await inAll((tx) => tx<{ action: string }[]>`SELECT action FROM audit_log WHERE action LIKE 'test.%'`);
    expect(rows.map((row) => row.action)).toEqual(['test.seed']);
  });
});
