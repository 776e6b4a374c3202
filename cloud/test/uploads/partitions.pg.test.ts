import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let runtime: Sql;

beforeAll(async () => {
  db = await createTestDatabase('telemetry_partitions');
  runtime = connectDatabase(db.runtimeUrl, { max: 8 });
});

afterAll(async () => {
  await runtime?.end({ timeout: 5 });
  await db?.drop();
});

async function partitionNames(): Promise<string[]> {
  const rows = await db.owner<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'telemetry_rollups'::regclass ORDER BY 1`;
  return rows.map((row) => row.name);
}

describe('rollup partitions', () => {
  it('creates each month once under concurrent calls', async () => {
    const months = ['2031-03-15T00:00:00Z', '2031-04-30T23:59:59Z'].map((time) => new Date(time));
    const created = await Promise.all(
      Array.from({ length: 8 }, () => runtime<{ created: number }[]>`SELECT telemetry_rollups_ensure_partitions(${runtime.array(months, 1185)}) AS created`),
    );
    expect(created.reduce((sum, [row]) => sum + row!.created, 0)).toBe(2);
    expect(await partitionNames()).toEqual(['telemetry_rollups_2031_03', 'telemetry_rollups_2031_04']);
  });

  it('rejects times outside 2000 to 2100', async () => {
    await expect(runtime`SELECT telemetry_rollups_ensure_partitions(ARRAY['2100-01-01T00:00:00Z'::timestamptz])`).rejects.toThrow(/outside/);
    await expect(runtime`SELECT telemetry_rollups_ensure_partitions(ARRAY['1999-12-31T23:59:59Z'::timestamptz])`).rejects.toThrow(/outside/);
  });

  it('puts month bounds at UTC midnight', async () => {
    await runtime`SELECT telemetry_rollups_ensure_partitions(ARRAY['2032-07-01T00:30:00+02:00'::timestamptz])`;
    // pg_get_expr prints the bounds in the session time zone.
    const [bound] = await db.owner.begin(async (tx) => {
      await tx`SET LOCAL TIME ZONE 'UTC'`;
      return tx<{ bound: string }[]>`SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_class c WHERE c.relname = 'telemetry_rollups_2032_06'`;
    });
    expect(bound!.bound).toContain('2032-06-01 00:00:00+00');
    expect(bound!.bound).toContain('2032-07-01 00:00:00+00');
  });
});
