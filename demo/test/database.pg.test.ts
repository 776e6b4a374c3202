import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDemoDatabase, ensureDemoDatabase } from '../src/database';

/*
 * Needs the Postgres at 127.0.0.1:5432 with the superuser "postgres" (trust login). Each test uses
 * its own role and database names and drops them afterwards.
 */

const SUPERUSER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = `${process.pid}_${Date.now()}`;
const creator = `demo_creator_${suffix}`;
const creatorWithoutCreatedb = `demo_nocreatedb_${suffix}`;
let superuser: postgres.Sql;
let dataDir: string;

function urlOf(role: string): string {
  return `postgres://${role}@127.0.0.1:5432/postgres`;
}

async function roleExists(name: string): Promise<boolean> {
  return (await superuser`SELECT 1 FROM pg_roles WHERE rolname = ${name}`).length > 0;
}

beforeAll(async () => {
  superuser = postgres(SUPERUSER_URL, { max: 1, onnotice: () => {} });
  await superuser.unsafe(`CREATE ROLE "${creator}" LOGIN CREATEDB CREATEROLE`);
  await superuser.unsafe(`CREATE ROLE "${creatorWithoutCreatedb}" LOGIN CREATEROLE`);
  dataDir = mkdtempSync(join(tmpdir(), 'demo-database-'));
});

afterAll(async () => {
  for (const role of [creator, creatorWithoutCreatedb]) await superuser.unsafe(`DROP ROLE IF EXISTS "${role}"`);
  await superuser.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo database', () => {
  it('is created by a CREATEDB CREATEROLE role', async () => {
    const database = `demo_db_${suffix}`;
    try {
      const result = await ensureDemoDatabase(urlOf(creator), database, dataDir);
      expect(result.created).toBe(true);
      const [owner] = await superuser`SELECT pg_get_userbyid(datdba) AS name FROM pg_database WHERE datname = ${database}`;
      expect(owner?.name).toBe(`${database}_owner`);

      const again = await ensureDemoDatabase(urlOf(creator), database, dataDir);
      expect(again.created).toBe(false);
    } finally {
      await dropDemoDatabase(urlOf(creator), database);
    }
    expect(await roleExists(`${database}_owner`)).toBe(false);
    expect(await roleExists(`${database}_app`)).toBe(false);
  });

  it('drops its roles after a failed step', async () => {
    const database = `demo_fail_${suffix}`;
    await expect(ensureDemoDatabase(urlOf(creatorWithoutCreatedb), database, dataDir)).rejects.toThrow(
      `preparing database ${database} failed: permission denied to create database`,
    );
    expect(await roleExists(`${database}_owner`)).toBe(false);
    expect(await roleExists(`${database}_app`)).toBe(false);
  });
});
