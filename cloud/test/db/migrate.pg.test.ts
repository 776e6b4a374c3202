import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { listMigrations, migrate, roleOfUrl } from '../../src/db/migrate';
import { createSilentLogger } from '../../src/logger';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/test-database';

const logger = createSilentLogger();
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const createdRoles: string[] = [];
const createdDatabases: string[] = [];

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('migrate');
});

afterAll(async () => {
  await db?.drop();
  for (const name of createdDatabases) await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
  for (const role of createdRoles) await admin`DROP ROLE IF EXISTS ${admin(role)}`;
  await admin.end();
});

/** Creates a role with `attributes` (a fixed list of keywords) that the test drops at the end. */
async function createRole(prefix: string, attributes: 'LOGIN' | 'LOGIN BYPASSRLS'): Promise<string> {
  const role = `ems_${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`CREATE ROLE ${role} ${attributes}`);
  createdRoles.push(role);
  return role;
}

/** Creates an empty database owned by a new owner role, with a new runtime role, and returns its owner pool. */
async function emptyDatabase(): Promise<{ owner: Sql; runtimeRole: string }> {
  const ownerRole = await createRole('mig_owner', 'LOGIN');
  const runtimeRole = await createRole('mig_app', 'LOGIN');
  const name = `ems_test_migrate_${randomBytes(4).toString('hex')}`;
  await admin`CREATE DATABASE ${admin(name)} OWNER ${admin(ownerRole)}`;
  createdDatabases.push(name);
  const url = new URL(ADMIN_URL);
  url.username = ownerRole;
  url.password = '';
  url.pathname = `/${name}`;
  return { owner: connectDatabase(url.toString(), { max: 4 }), runtimeRole };
}

describe('migrate', () => {
  it('applies nothing the second time', async () => {
    expect(await migrate(db.owner, db.runtimeRole, logger)).toEqual([]);
  });

  it('records each migration once', async () => {
    await migrate(db.owner, db.runtimeRole, logger);
    const rows = await db.owner<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
    expect(rows.map((row) => row.version)).toEqual(listMigrations().map((migration) => migration.version));
  });

  it('keeps the runtime grants when run again', async () => {
    await migrate(db.owner, db.runtimeRole, logger);
    const [row] = await db.owner<{ select: boolean; update: boolean }[]>`
      SELECT has_table_privilege(${db.runtimeRole}, 'audit_log', 'SELECT') AS select,
             has_table_privilege(${db.runtimeRole}, 'audit_log', 'UPDATE') AS update`;
    expect(row!.select).toBe(true);
    expect(row!.update).toBe(false);
  });

  it('serializes two racing runs', async () => {
    const { owner, runtimeRole } = await emptyDatabase();
    try {
      const results = await Promise.all([migrate(owner, runtimeRole, logger), migrate(owner, runtimeRole, logger)]);
      const applied = results.flat().sort((a, b) => a - b);
      expect(applied).toEqual(listMigrations().map((migration) => migration.version));
    } finally {
      await owner.end({ timeout: 5 });
    }
  });

  it('rejects the owner as runtime role', async () => {
    await expect(migrate(db.owner, db.ownerRole, logger)).rejects.toThrow(/both connect as/);
  });

  it('rejects a BYPASSRLS runtime role', async () => {
    const role = await createRole('bypass', 'LOGIN BYPASSRLS');
    await expect(migrate(db.owner, role, logger)).rejects.toThrow(/BYPASSRLS/);
  });

  it('rejects a member of the owner role', async () => {
    const role = await createRole('member', 'LOGIN');
    await admin`GRANT ${admin(db.ownerRole)} TO ${admin(role)}`;
    await expect(migrate(db.owner, role, logger)).rejects.toThrow(/member of the owner role/);
  });

  it('rejects a runtime role that does not exist', async () => {
    await expect(migrate(db.owner, 'ems_no_such_role', logger)).rejects.toThrow(/does not exist/);
  });

  it('grants nothing to a rejected role', async () => {
    const role = await createRole('rejected', 'LOGIN BYPASSRLS');
    await expect(migrate(db.owner, role, logger)).rejects.toThrow();
    const [row] = await db.owner<{ allowed: boolean }[]>`SELECT has_table_privilege(${role}, 'organizations', 'SELECT') AS allowed`;
    expect(row!.allowed).toBe(false);
  });
});

describe('listMigrations', () => {
  it('starts at version 1', () => {
    expect(listMigrations()[0]!.version).toBe(1);
  });

  it('rejects a badly named file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-migrations-'));
    try {
      writeFileSync(join(dir, 'add-things.sql'), 'SELECT 1;');
      expect(() => listMigrations(dir)).toThrow(/expected NNNN_name.sql/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('roleOfUrl', () => {
  it('decodes the user name', () => {
    expect(roleOfUrl('postgres://ems%40app@127.0.0.1/ems')).toBe('ems@app');
  });

  it('rejects a URL without a user', () => {
    expect(() => roleOfUrl('postgres://127.0.0.1/ems')).toThrow(/names no user/);
  });
});
