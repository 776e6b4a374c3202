import { syncStatusSchema, type SyncStatus } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApp } from '../../src/api/app';
import { LinkStatus } from '../../src/cloud/link-status';
import { createSilentLogger } from '../../src/logger';
import { DiskBudget } from '../../src/store/disk-budget';
import { Outbox } from '../../src/upload/outbox';
import { enableUploadQueue } from '../../src/upload/outbox-writer';
import { SyncMonitor } from '../../src/upload/sync-monitor';
import { UploadStats } from '../../src/upload/upload-stats';
import { createApiFixture, feedHalfHour, pastHourStart, type ApiFixture } from '../api/api-fixture';
import { bearer } from '../auth/auth-support';
import { captureLogger } from '../sync/support/capture-logger';

const MIB = 1024 * 1024;

/** The parts of the health response these tests read. */
interface HealthBody {
  status: string;
  sync: SyncStatus;
  disk: { databaseBytes: number; budgetBytes: number; exceeded: boolean; reason?: string };
}

let fixture: ApiFixture;
let link: LinkStatus;
let stats: UploadStats;
let nowTs: number;

beforeEach(async () => {
  fixture = await createApiFixture();
  link = new LinkStatus();
  stats = new UploadStats();
  nowTs = Date.now();
});

afterEach(async () => {
  await fixture.close();
});

/** Builds an app on the fixture's runtime with a sync monitor and a disk budget of `budgetMb`. */
function appWithSync(budgetMb = 1024) {
  const diskBudget = new DiskBudget(join(fixture.dataDir, 'edge.db'), budgetMb, createSilentLogger());
  const sync = new SyncMonitor({ outbox: new Outbox(fixture.runtime.db), link, stats, diskBudget, now: () => nowTs });
  return createApp(fixture.runtime, createSilentLogger(), { auth: fixture.auth, sync });
}

const count = (sql: string) => fixture.runtime.db.prepare<[], { n: number }>(sql).get()!.n;

/** Returns the value of an unlabelled sample line, or of one with exactly `labels`. */
function metricValue(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The oldest queued time: an event's time or the end of a queued bucket, a day taken as 24 h. */
const OLDEST_SQL = `
  SELECT min(t) AS n FROM (
    SELECT min(at) AS t FROM upload_events
    UNION ALL
    SELECT min(bucket_start) + CASE tier WHEN '1m' THEN 60000 WHEN '15m' THEN 900000 WHEN '1h' THEN 3600000 ELSE 86400000 END
    FROM upload_rollups GROUP BY tier
  )`;

describe('GET /api/sync/status', () => {
  it('reports backlog, lag, skew and the live link', async () => {
    enableUploadQueue(fixture.runtime.db, createSilentLogger());
    const fromTs = pastHourStart();
    await feedHalfHour(fixture, fromTs);
    Object.assign(link, { siteId: 'site-1', lastContactAt: nowTs - 2000, lastAckAt: nowTs - 3000, clockSkewMs: -45_000, liveConnected: true });

    const oldest = count(OLDEST_SQL);
    expect(oldest).toBeLessThanOrEqual(fromTs + 60_000);

    const response = await appWithSync().request('/api/sync/status', bearer(fixture.token));

    expect(response.status).toBe(200);
    const status = syncStatusSchema.parse(await response.json());
    expect(status).toEqual({
      siteId: 'site-1',
      lastContactAt: nowTs - 2000,
      lastAckAt: nowTs - 3000,
      backlog: { rollups: count('SELECT count(*) AS n FROM upload_rollups'), events: count('SELECT count(*) AS n FROM upload_events') },
      oldestUnsentAt: oldest,
      lagMs: nowTs - oldest,
      clockSkewMs: -45_000,
      clockSkewFlagged: true,
      liveConnected: true,
    });
    expect(status.backlog.rollups).toBeGreaterThan(0);
  });

  it('reports an unpaired edge with nothing queued', async () => {
    await feedHalfHour(fixture, pastHourStart());

    const status = await (await appWithSync().request('/api/sync/status', bearer(fixture.token))).json();

    expect(status).toMatchObject({ siteId: null, backlog: { rollups: 0, events: 0 }, oldestUnsentAt: null, lagMs: 0, clockSkewFlagged: false, liveConnected: false });
  });

  it('requires a login', async () => {
    expect((await appWithSync().request('/api/sync/status')).status).toBe(401);
  });
});

describe('health and metrics', () => {
  it('report the sync numbers', async () => {
    enableUploadQueue(fixture.runtime.db, createSilentLogger());
    await feedHalfHour(fixture, pastHourStart());
    stats.batches.acked = 4;
    const app = appWithSync();

    const health = (await (await app.request('/api/health')).json()) as HealthBody;
    const metrics = await (await app.request('/metrics', bearer(fixture.token))).text();

    const rollups = count('SELECT count(*) AS n FROM upload_rollups');
    // The audit entry of the fixture's local admin, queued when the outbox was turned on.
    const events = count('SELECT count(*) AS n FROM upload_events');
    expect(health.status).toBe('ok');
    expect(health.sync.backlog).toEqual({ rollups, events });
    expect(metricValue(metrics, 'edge_upload_backlog_rollups')).toBe(rollups);
    expect(metricValue(metrics, 'edge_upload_backlog_events')).toBe(events);
    const oldest = count(OLDEST_SQL);
    expect(metricValue(metrics, 'edge_upload_oldest_unsent_seconds')).toBe((nowTs - oldest) / 1000);
    expect(metricValue(metrics, 'edge_upload_batches_total', '{result="acked"}')).toBe(4);
  });

  it('report a database over its disk budget', async () => {
    const app = appWithSync(1 / 1024);

    const response = await app.request('/api/health');
    const metrics = await (await app.request('/metrics', bearer(fixture.token))).text();

    expect(response.status).toBe(200);
    const health = (await response.json()) as HealthBody;
    expect(health.status).toBe('degraded');
    expect(health.disk.exceeded).toBe(true);
    expect(health.disk.reason).toMatch(/over storage.diskBudgetMb/);
    expect(metricValue(metrics, 'edge_disk_budget_exceeded')).toBe(1);
    expect(metricValue(metrics, 'edge_database_bytes')).toBe(health.disk.databaseBytes);
    expect(metricValue(metrics, 'edge_disk_budget_bytes')).toBe(1024);
  });

  it('report revoked uploads as degraded', async () => {
    stats.revoked = true;

    const health = (await (await appWithSync(1024).request('/api/health')).json()) as HealthBody;

    expect(health.status).toBe('degraded');
  });

  it('report a database within its budget as ok', async () => {
    const app = appWithSync(1024);

    const health = (await (await app.request('/api/health')).json()) as HealthBody;

    expect(health.status).toBe('ok');
    expect(health.disk).toMatchObject({ exceeded: false, budgetBytes: 1024 * MIB });
    expect(health.disk.reason).toBeUndefined();
  });
});

describe('DiskBudget', () => {
  it('logs an exceeded budget at most every 15 minutes', () => {
    const { logger, lines } = captureLogger();
    let now = 0;
    const budget = new DiskBudget(join(fixture.dataDir, 'edge.db'), 1 / 1024, logger, () => now);

    budget.check();
    now += 14 * 60_000;
    budget.check();
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
    now += 60_000;
    budget.check();

    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.msg).toMatch(/storage.diskBudgetMb/);
    expect(errors[0]!.budgetMb).toBe(1 / 1024);
  });
});
