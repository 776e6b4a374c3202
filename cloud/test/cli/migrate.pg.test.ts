import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect';
import { listMigrations } from '../../src/db/migrate';
import { createBlankDatabase, type BlankDatabase } from '../support/test-database';
import { runCli } from './run-cli';

let db: BlankDatabase;

beforeAll(async () => {
  db = await createBlankDatabase('cli_migrate');
});

afterAll(async () => {
  await db?.drop();
});

describe('cloud migrate', () => {
  it('applies every migration, then nothing', async () => {
    const env = { MIGRATE_DATABASE_URL: db.ownerUrl, DATABASE_URL: db.runtimeUrl };
    const versions = listMigrations().map((migration) => migration.version);

    const first = await runCli(['migrate'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`applied migrations ${versions.join(', ')}; privileges of role "${db.runtimeRole}" granted\n`);

    const second = await runCli(['migrate'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('database is up to date; no migration applied');
  });

  it('grants the runtime role reads and appends but no audit changes', async () => {
    const runtime = connectDatabase(db.runtimeUrl, { max: 1 });
    try {
      expect(await runtime`SELECT count(*)::int AS users FROM users`).toEqual([{ users: 0 }]);
      await expect(runtime`UPDATE audit_log SET action = 'x'`).rejects.toThrow('permission denied');
    } finally {
      await runtime.end({ timeout: 5 });
    }
  });

  it('fails when both URLs connect as the same role', async () => {
    const { code, stderr } = await runCli(['migrate'], { env: { MIGRATE_DATABASE_URL: db.ownerUrl, DATABASE_URL: db.ownerUrl } });
    expect(code).toBe(1);
    expect(stderr).toContain('MIGRATE_DATABASE_URL and DATABASE_URL both connect as');
    expect(stderr).toContain('the runtime role must be a separate role that owns nothing');
  });

  it('fails with the reason when Postgres rejects the connection', async () => {
    const wrongDatabase = db.ownerUrl.replace(/\/[^/]+$/, '/ems_test_no_such_database');
    const { code, stderr } = await runCli(['migrate'], { env: { MIGRATE_DATABASE_URL: wrongDatabase, DATABASE_URL: db.runtimeUrl } });
    expect(code).toBe(1);
    expect(stderr).toContain('cloud migrate failed: database "ems_test_no_such_database" does not exist');
  });
});
