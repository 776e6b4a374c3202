import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

// Only the tests that call text() read an export body. The 5,000 rows make far more CSV than the
// stream buffers, so an unread export stays open until its body is cancelled.

const USERS = ['one@platform.test', 'two@platform.test', 'three@platform.test'];

let fixture: CloudFixture;
const tokens: Record<string, string> = {};
const openBodies: Response[] = [];

/** Lets a cancelled export's producer wake, end and free its slot. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

beforeAll(async () => {
  fixture = await createCloudFixture('export-limit');
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Bulk');
  for (const email of USERS) await seed.user(email, { platformAdmin: true });
  await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`
    INSERT INTO audit_log (organization_id, actor_type, action, target_type, target_id, after)
    SELECT ${organizationId}, 'system', 'bulk.row', 'thing', n::text, jsonb_build_object('padding', repeat('x', 200))
    FROM generate_series(1, 5000) AS n`);
  for (const email of USERS) tokens[email] = await login(fixture.app, email);
});

afterEach(async () => {
  for (const response of openBodies.splice(0)) if (!response.bodyUsed) await response.body?.cancel();
  await settle();
});

afterAll(async () => {
  await fixture?.close();
});

/** Starts an export; a 200 response is kept so that `afterEach` cancels it unless the test reads it. */
async function startExport(email: string, options: { app?: CloudApp; method?: string } = {}): Promise<Response> {
  const app = options.app ?? fixture.app;
  const response = await app.request('/api/audit/export.csv', { method: options.method ?? 'GET', headers: { Authorization: `Bearer ${tokens[email]!}` } });
  if (response.status === 200) openBodies.push(response);
  return response;
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string } };
  return body.error.code;
}

function statuses(responses: Response[]): number[] {
  return responses.map((response) => response.status).sort();
}

/**
 * Polls for 2 s until no session of the runtime role other than this one is in a transaction, and
 * returns the last count. The runtime role may read every column of its own sessions' rows.
 */
async function sessionsInTransaction(): Promise<number> {
  let count = -1;
  for (let attempt = 0; attempt < 20 && count !== 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const [row] = await fixture.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE usename = current_user AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`;
    count = row!.n;
  }
  return count;
}

function setAuditReads(allowed: boolean) {
  const owner = fixture.db.owner;
  const role = owner(fixture.db.runtimeRole);
  return allowed ? owner`GRANT SELECT ON audit_log TO ${role}` : owner`REVOKE SELECT ON audit_log FROM ${role}`;
}

describe('audit export limit', () => {
  it('allows one export per user', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => startExport(USERS[0]!)));
    expect(statuses(responses)).toEqual([200, 429, 429, 429, 429, 429]);
    const rejected = responses.find((response) => response.status === 429)!;
    expect(rejected.headers.get('retry-after')).toBe('10');
    expect(await errorCode(rejected)).toBe('export_already_running');
  });

  it('allows two exports per instance', async () => {
    const requests = USERS.flatMap((email) => Array.from({ length: 4 }, () => startExport(email)));
    const responses = await Promise.all(requests);
    expect(statuses(responses)).toEqual([200, 200, ...Array<number>(10).fill(429)]);
  });

  it('rejects a third user with exports_busy', async () => {
    expect((await startExport(USERS[0]!)).status).toBe(200);
    expect((await startExport(USERS[1]!)).status).toBe(200);
    const third = await startExport(USERS[2]!);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('10');
    expect(await errorCode(third)).toBe('exports_busy');
  });

  it('frees the slot on cancel', async () => {
    const first = await startExport(USERS[0]!);
    expect(first.status).toBe(200);
    await first.body!.cancel();
    await settle();

    const second = await startExport(USERS[0]!);
    expect(second.status).toBe(200);
    const text = await second.text();
    expect(text.split('\r\n').filter((line) => line.includes('bulk.row'))).toHaveLength(5000);
  });

  it('frees the slot when the read completes', async () => {
    const first = await startExport(USERS[0]!);
    await first.text();
    await settle();
    expect((await startExport(USERS[0]!)).status).toBe(200);
  });

  it('frees the slot when planning fails', async () => {
    await setAuditReads(false);
    try {
      expect((await startExport(USERS[0]!)).status).toBe(500);
    } finally {
      await setAuditReads(true);
    }
    expect((await startExport(USERS[0]!)).status).toBe(200);
  });

  it('answers HEAD without keeping a slot', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const head = await startExport(USERS[0]!, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    }
    expect((await startExport(USERS[0]!)).status).toBe(200);
  });

  it('aborts the response when a later page fails', async () => {
    const response = await startExport(USERS[0]!);
    expect(response.status).toBe(200);
    await setAuditReads(false);
    try {
      await expect(response.text()).rejects.toThrow();
    } finally {
      await setAuditReads(true);
    }
    await settle();
    expect((await startExport(USERS[0]!)).status).toBe(200);
  });
});

describe('audit export connections', () => {
  let smallPool: Sql;
  let app: CloudApp;

  beforeAll(() => {
    smallPool = connectDatabase(fixture.db.runtimeUrl, { max: 2 });
    app = createApp({ ...fixture.deps, sql: smallPool });
  });

  afterAll(async () => {
    await smallPool?.end({ timeout: 5 });
  });

  it('keeps no connection while unread', async () => {
    expect((await startExport(USERS[0]!, { app })).status).toBe(200);
    expect((await startExport(USERS[1]!, { app })).status).toBe(200);

    // Each export reads its first page right after the response starts, so this waits for that read.
    expect(await sessionsInTransaction()).toBe(0);

    const search = app.request('/api/audit?limit=1', { headers: { Authorization: `Bearer ${tokens[USERS[2]!]!}` } });
    const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 5000));
    const result = await Promise.race([search, timeout]);
    expect(result === 'timed out' ? result : result.status).toBe(200);
  });
});
